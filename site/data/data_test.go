package data

import (
	"strings"
	"testing"
	"testing/fstest"
	"unicode/utf8"

	"github.com/coachbook/coachbook/site/config"
	"github.com/coachbook/coachbook/site/internal/sitetest"
)

const team = `
[[managers]]
id = "mgarcia"
name = "Maria Garcia"

[[reps]]
id = "jdoe"
name = "Jane Doe"
email = "jane.doe@acme.example"
aliases = ["J. Doe"]
manager = "mgarcia"
quota = { quarterly = 150000 }

[[reps]]
id = "bsmith"
name = "Bob Smith"
manager = "mgarcia"
team = "east"
start = 2026-01-05
quota = { annual = 480000 }
[reps.targets]
"activity.calls" = 40
`

func loadSite(t *testing.T, fsys fstest.MapFS) (*Data, []string) {
	t.Helper()
	cfg, cd := config.Load(fsys)
	if cd.HasErrors() {
		t.Fatalf("config: %v", cd.Err())
	}
	d, diags := Load(fsys, cfg)
	var msgs []string
	for _, x := range diags {
		msgs = append(msgs, x.Error())
	}
	return d, msgs
}

func TestTeam(t *testing.T) {
	d, msgs := loadSite(t, sitetest.FS("-- data/team.toml --\n"+team+"[targets]\n\"activity.meetings_set\" = 6\n"))
	if len(msgs) != 0 {
		t.Fatal(msgs)
	}
	tm := d.Team
	if len(tm.Reps) != 2 || tm.Rep("JANE.DOE@acme.example") != 0 || tm.Rep("j. doe") != 0 || tm.Rep("Bob Smith") != 1 || tm.Rep("nobody") != -1 {
		t.Errorf("rep lookup by id, name, email, alias: %+v", tm.byKey)
	}
	if q := tm.Reps[0].Quota; q.Annual != 600000 || q.Monthly != 50000 || q.Quarterly != 150000 {
		t.Errorf("quota derived evenly: %+v", q)
	}
	if q := tm.Reps[1].Quota; q.Quarterly != 120000 || q.Monthly != 40000 {
		t.Errorf("quota from annual: %+v", q)
	}
	if tm.Reps[1].Targets["activity.calls"] != 40 || tm.Reps[1].Targets["activity.meetings_set"] != 6 || tm.Reps[0].Targets["activity.calls"] != 0 {
		t.Errorf("targets: %v %v", tm.Reps[0].Targets, tm.Reps[1].Targets)
	}
	if strings.Join(tm.Teams, ",") != "east,mgarcia" || tm.Reps[0].Team != "mgarcia" {
		t.Errorf("teams %v", tm.Teams)
	}
}

func TestTeamErrors(t *testing.T) {
	_, msgs := loadSite(t, sitetest.FS(`-- data/team.toml --
[[managers]]
id = "m1"

[[reps]]
id = "a"
manager = "m9"

[[reps]]
id = "a"

[[reps]]
id = "../etc"

[[reps]]
id = "b"
name = "A"
`))
	want := []string{
		`data/team.toml:6: rep "a" has manager "m9", who is not in [[managers]]; add the manager or fix the id`,
		`data/team.toml:8: rep id "a" is used twice; give each rep a different id`,
		`data/team.toml:11: rep id "../etc" must be letters, digits, '-', '_' or '.' (it becomes part of a web address)`,
		`data/team.toml:14: rep "a" and rep "b" are both called "a"; CSV rows could not tell them apart, so give one a different name, email or alias`,
	}
	if got := strings.Join(msgs, "\n"); got != strings.Join(want, "\n") {
		t.Errorf("got:\n%s\nwant:\n%s", got, strings.Join(want, "\n"))
	}
}

// A Salesforce report export as the vendor writes it: BOM, CRLF, quoted
// values with commas, $ amounts, M/D/YYYY dates and the report footer.
const salesforceCSV = "\ufeff\"Opportunity Owner\",\"Account Name\",\"Opportunity Name\",\"Stage\",\"Amount\",\"Probability (%)\",\"Close Date\",\"Created Date\",\"Forecast Category\",\"Opportunity ID\"\r\n" +
	"\"Jane Doe\",\"Acme, Inc.\",\"Acme - 500 seats\",\"Closed Won\",\"$12,500.00\",\"100\",\"11/3/2026\",\"9/14/2026\",\"Closed\",\"0065g00000AbCdE\"\r\n" +
	"\"Bob Smith\",\"Globex\",\"Globex renewal\",\"Negotiation/Review\",\"$48,000.00\",\"75\",\"12/15/2026\",\"10/2/2026\",\"Commit\",\"0065g00000AbCdF\"\r\n" +
	"\"Bob Smith\",\"Initech\",\"Initech \"\"pilot\"\"\",\"Closed Lost\",\"$5,000.00\",\"0\",\"10/30/2026\",\"10/1/2026\",\"Omitted\",\"0065g00000AbCdG\"\r\n" +
	"\"Jane Doe\",\"Hooli\",\"Hooli expansion\",\"Prospecting\",\"\",\"10\",\"\",\"11/1/2026\",\"Pipeline\",\"0065g00000AbCdH\"\r\n" +
	"\r\n" +
	"\"Grand Totals (4 records)\"\r\n" +
	"\"\",\"\",\"\",\"\",\"$65,500.00\"\r\n" +
	"\"Confidential Information - Do Not Distribute\"\r\n" +
	"\"Copyright (c) 2000-2026 salesforce.com, inc. All rights reserved.\"\r\n"

func TestSalesforcePreset(t *testing.T) {
	fsys := sitetest.FS("-- data/team.toml --\n" + team + "-- coachbook.toml --\n[data.opportunities]\npath = \"data/sf.csv\"\npreset = \"salesforce\"\n")
	fsys["data/sf.csv"] = &fstest.MapFile{Data: []byte(salesforceCSV)}
	d, msgs := loadSite(t, fsys)
	if len(msgs) != 0 {
		t.Fatalf("diagnostics: %v", msgs)
	}
	if len(d.Opportunities) != 4 {
		t.Fatalf("%d deals", len(d.Opportunities))
	}
	o := d.Opportunities[0]
	if o.Rep != 0 || o.Account != "Acme, Inc." || o.Outcome != Won || o.Amount != 12500 || o.Close.String() != "2026-11-03" || o.Created.String() != "2026-09-14" || o.ID != "0065g00000AbCdE" {
		t.Errorf("first deal: %+v", o)
	}
	if d.Opportunities[2].Name != `Initech "pilot"` || d.Opportunities[2].Outcome != Lost {
		t.Errorf("quoted quotes: %+v", d.Opportunities[2])
	}
	if h := d.Opportunities[3]; h.HasAmount || h.Close.Valid() || h.Outcome != Open {
		t.Errorf("blank optional fields: %+v", h)
	}
	st := d.Files[1]
	if st.Rows != 4 || st.Used != 4 || st.Footer != 4 || st.Rejected != 0 {
		t.Errorf("accounting: %+v", st)
	}
}

func TestHubSpotPreset(t *testing.T) {
	csv := "Record ID,Deal Name,Deal Stage,Close Date,Deal owner,Amount,Create Date,Pipeline\n" +
		"9001,Hooli expansion,Closed Won,2026-11-02 14:31,Jane Doe,\"30,000\",2026-08-01 09:00,Sales Pipeline\n" +
		"9002,Globex add-on,Appointment Scheduled,,Bob Smith,,2026-11-10 10:00,Sales Pipeline\n"
	fsys := sitetest.FS("-- data/team.toml --\n" + team + "-- coachbook.toml --\n[data.opportunities]\npath = \"data/deals.csv\"\npreset = \"hubspot\"\n")
	fsys["data/deals.csv"] = &fstest.MapFile{Data: []byte(csv)}
	d, msgs := loadSite(t, fsys)
	if len(msgs) != 0 || len(d.Opportunities) != 2 {
		t.Fatalf("%v %d", msgs, len(d.Opportunities))
	}
	if o := d.Opportunities[0]; o.Outcome != Won || o.Amount != 30000 || o.Close.String() != "2026-11-02" || o.ID != "9001" {
		t.Errorf("%+v", o)
	}
}

func TestPipedrivePreset(t *testing.T) {
	csv := "Deal - ID,Deal - Title,Deal - Owner,Deal - Organization,Deal - Stage,Deal - Status,Deal - Value,Deal - Currency,Deal - Deal created,Deal - Expected close date,Deal - Won time,Deal - Lost time\n" +
		"17,Acme rollout,Jane Doe,Acme,Negotiations Started,won,\"1.234,50\",EUR,2026-09-01 10:00:00,2026-11-30,2026-11-12 16:00:00,\n" +
		"18,Globex,Bob Smith,Globex,Proposal Made,lost,900,EUR,2026-09-03 10:00:00,2026-11-30,,2026-10-20 09:00:00\n" +
		"19,Initech,Bob Smith,Initech,Qualified,open,\"2.000\",EUR,2026-10-03 10:00:00,2026-12-15,,\n"
	fsys := sitetest.FS("-- data/team.toml --\n" + team + "-- coachbook.toml --\n[currency]\ncorporate = \"EUR\"\n[data.opportunities]\npath = \"data/pd.csv\"\npreset = \"pipedrive\"\ndecimal = \",\"\n")
	fsys["data/pd.csv"] = &fstest.MapFile{Data: []byte(csv)}
	d, msgs := loadSite(t, fsys)
	if len(msgs) != 0 || len(d.Opportunities) != 3 {
		t.Fatalf("%v %d", msgs, len(d.Opportunities))
	}
	won, lost, open := d.Opportunities[0], d.Opportunities[1], d.Opportunities[2]
	if won.Outcome != Won || won.Close.String() != "2026-11-12" || won.Amount != 1234.5 {
		t.Errorf("won: %+v", won)
	}
	if lost.Outcome != Lost || lost.Close.String() != "2026-10-20" {
		t.Errorf("lost: %+v", lost)
	}
	if open.Outcome != Open || open.Close.String() != "2026-12-15" || open.Amount != 2000 {
		t.Errorf("open: %+v", open)
	}
}

func TestAnyHeadersThroughColumns(t *testing.T) {
	csv := "When;Who;What;How many\n19.11.2026;J. Doe;Meetings Set;3\n"
	csv = strings.ReplaceAll(csv, ";", ",")
	fsys := sitetest.FS("-- data/team.toml --\n" + team + `-- coachbook.toml --
[data.activities]
path = "data/export.csv"
[data.activities.columns]
date = "When"
rep = "Who"
type = "What"
count = "How many"
`)
	fsys["data/export.csv"] = &fstest.MapFile{Data: []byte(csv)}
	d, msgs := loadSite(t, fsys)
	if len(msgs) != 0 || len(d.Activities) != 1 {
		t.Fatalf("%v", msgs)
	}
	a := d.Activities[0]
	if a.Date.String() != "2026-11-19" || d.ActivityTypes[a.Type] != "meetings_set" || a.Count != 3 {
		t.Errorf("%+v %v", a, d.ActivityTypes)
	}
}

func TestRowDiagnostics(t *testing.T) {
	fsys := sitetest.FS("-- data/team.toml --\n" + team + `-- data/activities.csv --
date,rep,type,count
2026-11-16,jdoe,calls,12
2026-11-16,nobody,calls,3
2026-11-31,jdoe,calls,3
2026-11-17,jdoe,calls,-2
2026-11-17,bsmith,meetings set,
2025-12-01,bsmith,calls,4
2026-11-17,jdoe,calls,"4
-- data/opportunities.csv --
id,rep,account,name,stage,amount,created,close_date,forecast_category
d1,jdoe,Acme,Big,Closed Won,"$1,000",2026-10-01,2026-11-02,Closed
d1,jdoe,Acme,Dup,Prospecting,,2026-10-01,,Pipeline
d2,jdoe,Acme,No close,Closed Won,500,2026-10-01,,Closed
d3,bsmith,Acme,Backwards,Closed Lost,500,2026-10-05,2026-10-01,Omitted
d4,bsmith,Acme,Euro,Prospecting,"1.234,50",2026-10-05,,Pipeline
d5,bsmith,Acme,No amount,Closed Won,,2026-10-05,2026-11-01,Closed
`)
	d, msgs := loadSite(t, fsys)
	want := []string{
		`data/activities.csv:3:12: rep "nobody" is not in data/team.toml; add them to [[reps]] or add "nobody" to an existing rep's aliases; the row is left out`,
		`data/activities.csv:4:1: date: "2026-11-31" is not a date like 2026-11-19; the row is left out`,
		`data/activities.csv:5:23: count -2 is negative; write corrections as a smaller count on the original row; the row is left out`,
		`data/activities.csv:7:1: warning: 2025-12-01 is outside bsmith's time on the team (2026-01-05 to …); the reports leave the row out (fix the date, or the rep's start or end in data/team.toml)`,
		`data/activities.csv:8:23: CSV: a quote opens a value here that is not closed on this line; a value with quotes must be wrapped in quotes with each inner quote doubled (""); the row is left out`,
		`data/opportunities.csv:3:1: deal id "d1" already appears on line 2; remove the duplicate row; the row is left out`,
		`data/opportunities.csv:4:49: won deal has no close date; fill in the date it closed; the row is left out`,
		`data/opportunities.csv:5:53: closed 2026-10-01, before it was created (2026-10-05); fix one of the two dates; the row is left out`,
		`data/opportunities.csv:6:33: amount: "1.234,50" is not an amount like 1,234.50; if the file writes amounts like 1.234,50, set decimal = "," for this file; the row is left out`,
		`data/opportunities.csv:7:37: warning: won deal has no amount; it counts as a win worth 0`,
	}
	if got := strings.Join(msgs, "\n"); got != strings.Join(want, "\n") {
		t.Errorf("got:\n%s\n\nwant:\n%s", got, strings.Join(want, "\n"))
	}
	// Every row is used or reported.
	for _, st := range d.Files {
		if st.Present && st.Used+st.Rejected != st.Rows {
			t.Errorf("%s: %d rows, %d used, %d rejected", st.Path, st.Rows, st.Used, st.Rejected)
		}
	}
	if len(d.Activities) != 3 || d.Activities[1].Count != 1 || d.ActivityTypes[d.Activities[1].Type] != "meetings_set" {
		t.Errorf("activities: %+v", d.Activities)
	}
}

func TestManyRowsOfAnUnknownRepAreSummedUp(t *testing.T) {
	rows := "date,rep,type\n" + strings.Repeat("2026-11-16,ghost,calls\n", 10)
	fsys := sitetest.FS("-- data/team.toml --\n" + team)
	fsys["data/activities.csv"] = &fstest.MapFile{Data: []byte(rows)}
	d, msgs := loadSite(t, fsys)
	if len(msgs) != 4 || msgs[3] != `data/activities.csv:5:12: this row and 6 more up to line 11 name rep "ghost", who is not in data/team.toml; they are left out too` {
		t.Errorf("got:\n%s", strings.Join(msgs, "\n"))
	}
	if st := d.Files[0]; st.Rows != 10 || st.Rejected != 10 {
		t.Errorf("every row is still accounted for: %+v", st)
	}
}

func TestAmbiguousDatesAskForFormat(t *testing.T) {
	fsys := sitetest.FS("-- data/team.toml --\n" + team + "-- data/activities.csv --\ndate,rep,type\n3/4/2026,jdoe,calls\n5/6/2026,jdoe,calls\n")
	_, msgs := loadSite(t, fsys)
	want := `data/activities.csv:1: column "date" (date): every date, like "3/4/2026", reads both as month/day and as day/month; set date_format = "1/2/2006" (month first) or "2/1/2006" (day first) in [data.activities] of coachbook.toml`
	if len(msgs) != 1 || msgs[0] != want {
		t.Errorf("got %v", msgs)
	}
	// One decisive value anywhere in the column settles it.
	fsys["data/activities.csv"] = &fstest.MapFile{Data: []byte("date,rep,type\n3/4/2026,jdoe,calls\n5/16/2026,jdoe,calls\n")}
	d, msgs := loadSite(t, fsys)
	if len(msgs) != 0 || d.Activities[0].Date.String() != "2026-03-04" {
		t.Errorf("%v %v", msgs, d.Activities)
	}
}

func TestMissingColumn(t *testing.T) {
	fsys := sitetest.FS("-- data/team.toml --\n" + team + "-- data/activities.csv --\nday,owner,type\n")
	_, msgs := loadSite(t, fsys)
	if len(msgs) != 2 || !strings.HasPrefix(msgs[0], `data/activities.csv:1: no column for date; the headers are: "day", "owner", "type"; add [data.activities.columns] date = "<header>" to coachbook.toml`) {
		t.Errorf("got %v", msgs)
	}
}

// physicalLines counts the lines of a text as a reader should: "\r", "\n"
// and "\r\n" each end a line, and text after the last line end is a line.
func physicalLines(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '\n':
			n++
		case '\r':
			n++
			if i+1 < len(s) && s[i+1] == '\n' {
				i++
			}
		}
	}
	if s != "" && s[len(s)-1] != '\n' && s[len(s)-1] != '\r' {
		n++
	}
	return n
}

// FuzzCSVRows feeds arbitrary activity files through the loader: it must
// never panic, every data row must be used or reported, and every physical
// line of the file must be the header, a row, a line continuing a quoted
// value, a blank line or the report footer.
func FuzzCSVRows(f *testing.F) {
	f.Add("2026-11-16,jdoe,calls,12\n2026-11-16,nobody,calls,3\n")
	f.Add("\"2026-11-16\",\"Jane Doe\",\"meetings set\",\"\"\r\n")
	f.Add("x,\"y\nz\",,\n\nGrand Totals (1 records)\n")
	f.Add("2026-11-16,jdoe,calls,\"4\n2026-11-16,jdoe,calls,5\n2026-11-16,jdoe,calls,6\n")
	f.Add("2026-11-16,jdoe,calls,4\r2026-11-16,jdoe,calls,5\r\n2026-11-16,jdoe,calls,6\r")
	f.Add("Total (renewal),jdoe,calls,1\n\n\"Confidential\"\n2026-11-16,jdoe,calls,2\n")
	f.Fuzz(func(t *testing.T, rows string) {
		fsys := sitetest.FS("-- data/team.toml --\n" + team)
		file := "date,rep,type,count\n" + rows
		fsys["data/activities.csv"] = &fstest.MapFile{Data: []byte(file)}
		d, diags := Load(fsys, config.Default())
		st := d.Files[0]
		if st.Used+st.Rejected != st.Rows || len(d.Activities) != st.Used {
			t.Fatalf("rows %d, used %d, rejected %d, kept %d", st.Rows, st.Used, st.Rejected, len(d.Activities))
		}
		if diags.Fatal() || !utf8.ValidString(file) || strings.HasPrefix(file, "\ufeff") {
			return // the file was refused as a whole, or decoded text has other line counts
		}
		lines := physicalLines(file)
		if st.Lines != lines || 1+st.Rows+st.Blank+st.Footer+st.Continued != lines {
			t.Fatalf("%d physical lines; counted %d: rows %d, blank %d, footer %d, continued %d", lines, st.Lines, st.Rows, st.Blank, st.Footer, st.Continued)
		}
	})
}

// An unterminated quote costs its own row only, reported where it opened;
// lines ending in "\r" alone are lines; "Total (...)" is a deal id unless it
// follows a blank line at the end.
func TestCSVLinesAccounted(t *testing.T) {
	var b strings.Builder
	b.WriteString("date,rep,type,count\n")
	for i := 0; i < 200; i++ {
		switch {
		case i == 99:
			b.WriteString("2026-11-16,jdoe,calls,\"7\n")
		case i%3 == 0:
			b.WriteString("2026-11-16,jdoe,calls,1\r")
		default:
			b.WriteString("2026-11-16,jdoe,calls,1\r\n")
		}
	}
	fsys := sitetest.FS("-- data/team.toml --\n" + team)
	fsys["data/activities.csv"] = &fstest.MapFile{Data: []byte(b.String())}
	d, msgs := loadSite(t, fsys)
	st := d.Files[0]
	if st.Lines != 201 || st.Used != 199 || st.Rejected != 1 || len(d.Activities) != 199 {
		t.Errorf("lines %d used %d rejected %d", st.Lines, st.Used, st.Rejected)
	}
	if len(msgs) != 1 || !strings.HasPrefix(msgs[0], "data/activities.csv:101:23: CSV: a quote opens a value here that is not closed on this line") {
		t.Errorf("%v", msgs)
	}

	fsys = sitetest.FS("-- data/team.toml --\n" + team + `-- data/opportunities.csv --
id,rep,stage,amount
d1,jdoe,Open,10
Total (renewal),jdoe,Open,20
d3,jdoe,Open,30
Grand Totals (3 records),,,60
d4,jdoe,Open,40

Grand Totals (4 records)
"Confidential Information - Do Not Distribute"
`)
	d, msgs = loadSite(t, fsys)
	st = d.Files[1]
	if st.Used != 4 || st.Rejected != 1 || st.Footer != 2 || st.Blank != 1 || len(msgs) != 1 || !strings.Contains(msgs[0], "opportunities.csv:5:") {
		t.Errorf("%+v %v", st, msgs)
	}
	if len(d.Opportunities) != 4 || d.Opportunities[1].ID != "Total (renewal)" {
		t.Errorf("%+v", d.Opportunities)
	}
}

func TestEncodings(t *testing.T) {
	const teamJose = "[[reps]]\nid = \"jose\"\nname = \"José Núñez\"\n"
	utf8CSV := "date,rep,type\n2026-11-16,José Núñez,calls\n"
	// Windows-1252: é is 0xE9, ú is 0xFA, ñ is 0xF1.
	cp := strings.NewReplacer("é", "\xe9", "ú", "\xfa", "ñ", "\xf1").Replace(utf8CSV)
	var u16 []byte
	u16 = append(u16, 0xFF, 0xFE)
	for _, r := range utf8CSV {
		u16 = append(u16, byte(r), byte(r>>8))
	}
	for _, tt := range []struct {
		name, encoding string
		file           []byte
		used           int
		msg            string
	}{
		{"utf-8", "", []byte(utf8CSV), 1, ""},
		{"windows-1252 guessed", "", []byte(cp), 1, `data/activities.csv:2: warning: this file is not UTF-8; values like "José Núñez" were read as Windows-1252 (Excel's default); set encoding = "windows-1252" in [data.activities] to say so, or save the file as UTF-8`},
		{"windows-1252 declared", "windows-1252", []byte(cp), 1, ""},
		{"utf-16 by its mark", "", u16, 1, ""},
		{"strict utf-8", "utf-8", []byte(cp), 0, `data/activities.csv:2:12: value 2 is not UTF-8 text; save the file as UTF-8 or set encoding = "windows-1252" in [data.activities]; the row is left out`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			cfg := "-- coachbook.toml --\n"
			if tt.encoding != "" {
				cfg += "[data.activities]\nencoding = \"" + tt.encoding + "\"\n"
			}
			fsys := sitetest.FS("-- data/team.toml --\n" + teamJose + cfg)
			fsys["data/activities.csv"] = &fstest.MapFile{Data: tt.file}
			d, msgs := loadSite(t, fsys)
			if d.Files[0].Used != tt.used || strings.Join(msgs, "\n") != tt.msg {
				t.Errorf("used %d; diagnostics:\n%s\nwant:\n%s", d.Files[0].Used, strings.Join(msgs, "\n"), tt.msg)
			}
		})
	}
}

func TestActivityTypeLabels(t *testing.T) {
	fsys := sitetest.FS("-- data/team.toml --\n" + team + `-- coachbook.toml --
[data.activities.types]
calls = ["Call", "Outbound call"]
meetings_set = ["First meeting booked"]
"Bad Type" = ["Fax"]
-- data/activities.csv --
date,rep,type
2026-11-16,jdoe,Call
2026-11-16,jdoe,outbound call
2026-11-16,jdoe,First meeting booked
2026-11-16,jdoe,Email
`)
	d, msgs := loadSite(t, fsys)
	if len(msgs) != 1 || !strings.Contains(msgs[0], `[data.activities.types] "Bad Type" is not an activity type`) {
		t.Fatal(msgs)
	}
	got := map[string]int{}
	for _, a := range d.Activities {
		got[d.ActivityTypes[a.Type]] += int(a.Count)
	}
	if got["calls"] != 2 || got["meetings_set"] != 1 || got["email"] != 1 || len(got) != 3 {
		t.Errorf("%v", got)
	}
}

// One mistake in data/team.toml is one message: the rows of the data
// files are not each reported as naming an unknown rep, and the message
// says why they were not read.
func TestBrokenTeamIsOneMessage(t *testing.T) {
	var rows strings.Builder
	rows.WriteString("date,rep,type\n")
	for range 50 {
		rows.WriteString("2026-11-02,jdoe,calls\n")
	}
	d, msgs := loadSite(t, sitetest.FS("-- data/team.toml --\n"+team+"[[reps]]\nid = \"x\n-- data/activities.csv --\n"+rows.String()))
	if len(msgs) != 1 || !strings.HasPrefix(msgs[0], "data/team.toml:") || !strings.Contains(msgs[0], "the data files are read once it is fixed") {
		t.Fatalf("want one message at data/team.toml saying the data files wait for it, got %d:\n%s", len(msgs), strings.Join(msgs, "\n"))
	}
	if !d.Team.Unread || !d.Problems.Fatal() {
		t.Errorf("the team is unread (%v) and the problem stops the build (%v)", d.Team.Unread, d.Problems.Fatal())
	}
}
