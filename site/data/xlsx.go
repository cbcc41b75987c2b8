package data

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"path"
	"strconv"
	"strings"
	"time"
)

// An .xlsx file (Office Open XML) is a zip archive of XML parts. Only what
// a CRM export holds is read: the cell values of one worksheet (the first,
// or the one named), shared and inline strings, numbers, booleans, and
// dates (numbers whose cell style has a date format, written back as ISO
// dates so the same date checks apply). Formulas are read as their cached
// values. Row and column numbers come from the cells' own references, so a
// message points at the cell ("data/Opportunity.xlsx:Sheet1!F12").

// IsXLSX reports whether a data file is read as an Excel workbook.
func IsXLSX(name string) bool { return strings.EqualFold(path.Ext(name), ".xlsx") }

// maxXLSXPart bounds the size of one XML part after decompression, so a
// crafted archive cannot exhaust memory.
const maxXLSXPart = 1 << 30

// xlsxRow is one worksheet row: its number and its cells by column.
type xlsxRow struct {
	n     int
	cells []string
}

// xlsxReader gives a worksheet's rows one by one, as the CSV reader does.
type xlsxReader struct {
	rows  []xlsxRow
	next  int
	line  int // the number of the last row read
	span  int
	width int
	Sheet string
}

// Read returns the next row's values, padded to the header's width.
func (x *xlsxReader) Read() ([]string, error) {
	if x.next >= len(x.rows) {
		return nil, io.EOF
	}
	r := x.rows[x.next]
	x.next++
	// One row is one line of the data-health page's count (empty rows
	// are not in the file at all).
	x.line, x.span = r.n, 1
	cells := r.cells
	for len(cells) < x.width {
		cells = append(cells, "")
	}
	return cells, nil
}

// FieldPos is the row and the 1-based column of cell i.
func (x *xlsxReader) FieldPos(i int) (line, col int) { return x.line, i + 1 }

func (x *xlsxReader) lineSpan() (int, int) { return x.line, x.span }
func (x *xlsxReader) setWidth(n int)       { x.width = n }

// openXLSX reads the named sheet ("" for the first) of a workbook.
func openXLSX(site fs.FS, file, sheet string) (*xlsxReader, error) {
	raw, err := fs.ReadFile(site, file)
	if err != nil {
		return nil, err
	}
	zr, err := zip.NewReader(bytes.NewReader(raw), int64(len(raw)))
	if err != nil {
		return nil, fmt.Errorf("not an .xlsx workbook (%v); save it again from Excel as .xlsx, or export CSV", err)
	}
	read := partReader(zr)
	b, err := read("xl/workbook.xml")
	if err != nil {
		return nil, fmt.Errorf("not an .xlsx workbook: no xl/workbook.xml")
	}
	var wb workbook
	if err := xml.Unmarshal(b, &wb); err != nil || len(wb.Sheets) == 0 {
		return nil, fmt.Errorf("the workbook lists no sheets")
	}
	pick, err := wb.pick(sheet)
	if err != nil {
		return nil, err
	}
	target := sheetPart(read, wb.Sheets[pick].ID, pick)
	strs, err := sharedStrings(read)
	if err != nil {
		return nil, err
	}
	dates := dateStyles(read)
	b, err = read(target)
	if err != nil {
		return nil, fmt.Errorf("sheet %q: %v", wb.Sheets[pick].Name, err)
	}
	base := time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)
	if wb.Pr.Date1904 == "1" || wb.Pr.Date1904 == "true" {
		base = time.Date(1904, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	rows, err := sheetRows(b, strs, dates, base)
	if err != nil {
		return nil, fmt.Errorf("sheet %q: %v", wb.Sheets[pick].Name, err)
	}
	return &xlsxReader{rows: rows, Sheet: wb.Sheets[pick].Name}, nil
}

// partReader returns what reads a part of the workbook's zip by name,
// unpacked, refusing one larger than maxXLSXPart.
func partReader(zr *zip.Reader) func(name string) ([]byte, error) {
	parts := map[string]*zip.File{}
	for _, f := range zr.File {
		parts[strings.TrimPrefix(f.Name, "/")] = f
	}
	return func(name string) ([]byte, error) {
		f, ok := parts[name]
		if !ok {
			return nil, fs.ErrNotExist
		}
		rc, err := f.Open()
		if err != nil {
			return nil, err
		}
		defer rc.Close()
		b, err := io.ReadAll(io.LimitReader(rc, maxXLSXPart+1))
		if len(b) > maxXLSXPart {
			return nil, fmt.Errorf("%s is larger than 1 GB unpacked", name)
		}
		return b, err
	}
}

// workbook is what xl/workbook.xml says: its date system and its sheets.
type workbook struct {
	Pr struct {
		Date1904 string `xml:"date1904,attr"`
	} `xml:"workbookPr"`
	Sheets []struct {
		Name string `xml:"name,attr"`
		ID   string `xml:"http://schemas.openxmlformats.org/officeDocument/2006/relationships id,attr"`
	} `xml:"sheets>sheet"`
}

// pick returns the index of the sheet named name (in any case), or the
// first sheet when name is empty.
func (wb *workbook) pick(name string) (int, error) {
	var names []string
	for i, s := range wb.Sheets {
		if name == "" || strings.EqualFold(s.Name, name) {
			return i, nil
		}
		names = append(names, fmt.Sprintf("%q", s.Name))
	}
	return -1, fmt.Errorf("no sheet named %q; the sheets are %s: set sheet = \"<name>\" in coachbook.toml", name, strings.Join(names, ", "))
}

// sheetPart finds the zip part of the sheet with relationship id, at
// index pick, through the workbook's relationships.
func sheetPart(read func(string) ([]byte, error), id string, pick int) string {
	var rels struct {
		Rel []struct {
			ID     string `xml:"Id,attr"`
			Target string `xml:"Target,attr"`
		} `xml:"Relationship"`
	}
	if b, err := read("xl/_rels/workbook.xml.rels"); err == nil {
		_ = xml.Unmarshal(b, &rels)
	}
	target := ""
	for _, r := range rels.Rel {
		if r.ID == id {
			target = r.Target
		}
	}
	if target == "" {
		target = fmt.Sprintf("worksheets/sheet%d.xml", pick+1)
	}
	if strings.HasPrefix(target, "/") {
		return strings.TrimPrefix(target, "/")
	}
	return path.Join("xl", target)
}

// sharedStrings reads the workbook's string table: each item's text runs
// joined.
func sharedStrings(read func(string) ([]byte, error)) ([]string, error) {
	b, err := read("xl/sharedStrings.xml")
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var out []string
	dec := xml.NewDecoder(bytes.NewReader(b))
	var cur strings.Builder
	inT := false
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, fmt.Errorf("xl/sharedStrings.xml: %v", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "si":
				cur.Reset()
			case "t":
				inT = true
			case "rPh": // phonetic guides are not part of the text
				_ = dec.Skip()
			}
		case xml.EndElement:
			switch t.Name.Local {
			case "si":
				out = append(out, cur.String())
			case "t":
				inT = false
			}
		case xml.CharData:
			if inT {
				cur.Write(t)
			}
		}
	}
}

// dateStyles says which cell styles (by index) format numbers as dates.
func dateStyles(read func(string) ([]byte, error)) map[int]bool {
	b, err := read("xl/styles.xml")
	if err != nil {
		return nil
	}
	var st struct {
		NumFmts []struct {
			ID   int    `xml:"numFmtId,attr"`
			Code string `xml:"formatCode,attr"`
		} `xml:"numFmts>numFmt"`
		Xfs []struct {
			NumFmt int `xml:"numFmtId,attr"`
		} `xml:"cellXfs>xf"`
	}
	if xml.Unmarshal(b, &st) != nil {
		return nil
	}
	custom := map[int]bool{}
	for _, f := range st.NumFmts {
		custom[f.ID] = isDateFormat(f.Code)
	}
	out := map[int]bool{}
	for i, x := range st.Xfs {
		id := x.NumFmt
		if (id >= 14 && id <= 22) || (id >= 27 && id <= 36) || (id >= 45 && id <= 47) || (id >= 50 && id <= 58) || custom[id] {
			out[i] = true
		}
	}
	return out
}

// isDateFormat reports whether a number format shows a date or a time:
// it has d, y or h outside quoted text and [..] sections.
func isDateFormat(code string) bool {
	quoted, bracket := false, false
	for _, r := range strings.ToLower(code) {
		switch {
		case r == '"':
			quoted = !quoted
		case quoted:
		case r == '[':
			bracket = true
		case r == ']':
			bracket = false
		case bracket:
		case r == 'd' || r == 'y' || r == 'h':
			return true
		}
	}
	return false
}

// sheetRows reads a worksheet's cells into rows.
func sheetRows(b []byte, strs []string, dates map[int]bool, base time.Time) ([]xlsxRow, error) {
	dec := xml.NewDecoder(bytes.NewReader(b))
	var rows []xlsxRow
	var row *xlsxRow
	var cellType, ref string
	var style int
	var val strings.Builder
	inV, inCell := false, false
	nextRow := 1
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			return rows, nil
		}
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "row":
				n := nextRow
				if r := attr(t, "r"); r != "" {
					if v, err := strconv.Atoi(r); err == nil && v > 0 {
						n = v
					}
				}
				nextRow = n + 1
				rows = append(rows, xlsxRow{n: n})
				row = &rows[len(rows)-1]
			case "c":
				inCell, cellType, ref, style = true, attr(t, "t"), attr(t, "r"), 0
				if s := attr(t, "s"); s != "" {
					style, _ = strconv.Atoi(s)
				}
				val.Reset()
			case "v", "t":
				inV = inCell
			case "rPh":
				_ = dec.Skip()
			}
		case xml.EndElement:
			switch t.Name.Local {
			case "v", "t":
				inV = false
			case "c":
				inCell = false
				if row == nil {
					continue
				}
				col := len(row.cells)
				if c, ok := columnOf(ref); ok {
					col = c
				}
				if col > 16384 {
					return nil, fmt.Errorf("cell %s is beyond Excel's last column", ref)
				}
				for len(row.cells) < col {
					row.cells = append(row.cells, "")
				}
				row.cells = append(row.cells, cellText(cellType, val.String(), style, strs, dates, base))
			}
		case xml.CharData:
			if inV {
				val.Write(t)
			}
		}
	}
}

func attr(t xml.StartElement, name string) string {
	for _, a := range t.Attr {
		if a.Name.Local == name {
			return a.Value
		}
	}
	return ""
}

// columnOf turns a cell reference's letters into a 0-based column: "C12" is 2.
func columnOf(ref string) (int, bool) {
	n, i := 0, 0
	for ; i < len(ref) && ref[i] >= 'A' && ref[i] <= 'Z'; i++ {
		n = n*26 + int(ref[i]-'A'+1)
	}
	return n - 1, i > 0 && i <= 3
}

// cellText is a cell's value as text.
func cellText(typ, v string, style int, strs []string, dates map[int]bool, base time.Time) string {
	switch typ {
	case "s":
		i, err := strconv.Atoi(strings.TrimSpace(v))
		if err != nil || i < 0 || i >= len(strs) {
			return ""
		}
		return strs[i]
	case "inlineStr", "str", "e", "d":
		return v
	case "b":
		if v == "1" {
			return "TRUE"
		}
		return "FALSE"
	}
	f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
	if err != nil {
		return v
	}
	if dates[style] && f >= 0 && f < 2958466 { // up to 9999-12-31
		days := math.Floor(f)
		secs := math.Round((f - days) * 86400)
		t := base.AddDate(0, 0, int(days)).Add(time.Duration(secs) * time.Second)
		if secs == 0 {
			return t.Format("2006-01-02")
		}
		return t.Format("2006-01-02 15:04:05")
	}
	return strconv.FormatFloat(f, 'f', -1, 64)
}
