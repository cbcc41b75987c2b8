package data

import (
	"archive/zip"
	"bytes"
	"fmt"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/coachbook/coachbook/site/internal/sitetest"
)

// xlsxOf writes a workbook as Excel does: shared strings, a styles part in
// which style 1 is a date (built-in format 14), and the sheets listed in
// workbook.xml with their relationships. Each row is cells "t:value" where
// t is s (shared string), n (number) or d (a number styled as a date).
func xlsxOf(t testing.TB, sheets map[string][][]string, order ...string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	add := func(name, body string) {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(body))
	}
	var strs []string
	idx := map[string]int{}
	var wb, rels strings.Builder
	for i, name := range order {
		var sd strings.Builder
		for r, row := range sheets[name] {
			fmt.Fprintf(&sd, `<row r="%d">`, r+1)
			for c, cell := range row {
				typ, v, _ := strings.Cut(cell, ":")
				ref := fmt.Sprintf("%c%d", 'A'+c, r+1)
				switch typ {
				case "s":
					if _, ok := idx[v]; !ok {
						idx[v] = len(strs)
						strs = append(strs, v)
					}
					fmt.Fprintf(&sd, `<c r="%s" t="s"><v>%d</v></c>`, ref, idx[v])
				case "n":
					fmt.Fprintf(&sd, `<c r="%s"><v>%s</v></c>`, ref, v)
				case "d":
					fmt.Fprintf(&sd, `<c r="%s" s="1"><v>%s</v></c>`, ref, v)
				case "":
				}
			}
			sd.WriteString("</row>")
		}
		add(fmt.Sprintf("xl/worksheets/sheet%d.xml", i+1), `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>`+sd.String()+`</sheetData></worksheet>`)
		fmt.Fprintf(&wb, `<sheet name="%s" sheetId="%d" r:id="rId%d"/>`, name, i+1, i+1)
		fmt.Fprintf(&rels, `<Relationship Id="rId%d" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet%d.xml"/>`, i+1, i+1)
	}
	add("xl/workbook.xml", `<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>`+wb.String()+`</sheets></workbook>`)
	add("xl/_rels/workbook.xml.rels", `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">`+rels.String()+`</Relationships>`)
	var ss strings.Builder
	for _, s := range strs {
		ss.WriteString("<si><t>" + s + "</t></si>")
	}
	add("xl/sharedStrings.xml", `<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">`+ss.String()+`</sst>`)
	add("xl/styles.xml", `<?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="14" applyNumberFormat="1"/></cellXfs></styleSheet>`)
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// A Salesforce report exported as .xlsx, read through the same preset and
// checks as its CSV; problems point at the sheet's cell.
func TestXLSXExport(t *testing.T) {
	header := []string{"s:Opportunity Owner", "s:Account Name", "s:Opportunity Name", "s:Stage", "s:Amount", "s:Close Date", "s:Created Date", "s:Opportunity ID"}
	book := xlsxOf(t, map[string][][]string{
		"Notes": {{"s:exported 2023-09-01"}},
		"Opportunities": {
			header,
			{"s:Ana Torres", "s:Andes SA", "s:Bogotá rollout", "s:Closed Won", "n:12773.8", "d:45152", "d:45110", "s:0065e01"},
			{"s:Nobody", "s:X", "s:Y", "s:Prospecting", "n:100", "d:45200", "d:45100", "s:0065e02"},
			{"s:Luis Vega", "s:Lima", "s:Lima pilot", "s:Negotiation", "s:abc", "d:45200.5", "d:45100", "s:0065e03"},
		},
	}, "Notes", "Opportunities")
	cfg := "[data.opportunities]\npath = \"data/Opps.xlsx\"\npreset = \"salesforce\"\nsheet = \"Opportunities\"\n"
	fsys := sitetest.FS("-- data/team.toml --\n" + sfTeam + "-- coachbook.toml --\n" + cfg)
	fsys["data/Opps.xlsx"] = &fstest.MapFile{Data: book}
	d, msgs := loadSite(t, fsys)
	want := []string{
		`data/Opps.xlsx:Opportunities!A3: rep "Nobody" is not in data/team.toml; add them to [[reps]] or add "Nobody" to an existing rep's aliases; the row is left out`,
		`data/Opps.xlsx:Opportunities!E4: amount: "abc" is not an amount: only a currency symbol or code (like $, €, USD) may stand beside the number; the row is left out`,
	}
	if strings.Join(msgs, "\n") != strings.Join(want, "\n") {
		t.Errorf("got:\n%s\nwant:\n%s", strings.Join(msgs, "\n"), strings.Join(want, "\n"))
	}
	if len(d.Opportunities) != 1 {
		t.Fatalf("%d deals", len(d.Opportunities))
	}
	o := d.Opportunities[0]
	if o.Amount != 12773.8 || o.Close.String() != "2023-08-14" || o.Created.String() != "2023-07-03" || o.Name != "Bogotá rollout" || o.Outcome != Won {
		t.Errorf("deal: %+v", o)
	}
	if st := d.Files[1]; st.Rows != 3 || st.Used != 1 || st.Rejected != 2 {
		t.Errorf("accounting: %+v", st)
	}

	// Without sheet = the first sheet is read; a sheet that is not there is named.
	fsys[("coachbook.toml")] = &fstest.MapFile{Data: []byte(strings.Replace(cfg, "Opportunities", "Deals", 1))}
	_, msgs = loadSite(t, fsys)
	if len(msgs) != 1 || !strings.Contains(msgs[0], `no sheet named "Deals"; the sheets are "Notes", "Opportunities"`) {
		t.Errorf("missing sheet: %v", msgs)
	}
}

// FuzzXLSX reads workbooks of any bytes: an error or rows, never a panic,
// and every row as wide as the header once the width is set.
func FuzzXLSX(f *testing.F) {
	f.Add(xlsxOf(f, map[string][][]string{"S": {{"s:date", "s:rep"}, {"d:45152.25", "s:ana"}, {"n:1e21", "s:x"}}}, "S"))
	f.Add([]byte("PK\x03\x04 not really a zip"))
	f.Fuzz(func(t *testing.T, raw []byte) {
		x, err := openXLSX(fstest.MapFS{"a.xlsx": {Data: raw}}, "a.xlsx", "")
		if err != nil {
			return
		}
		x.setWidth(2)
		for {
			rec, err := x.Read()
			if err != nil {
				return
			}
			if len(rec) < 2 {
				t.Fatalf("row of %d values", len(rec))
			}
		}
	})
}
