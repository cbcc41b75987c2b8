package data

import (
	"fmt"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/coachbook/coachbook/site/civil"
	"github.com/coachbook/coachbook/site/internal/sitetest"
)

// Exports as a Salesforce org's own Data Export writes them: API field
// names, every value quoted, CRLF, Windows-1252 text, timestamps in UTC
// with milliseconds, and rows in record-id order, not time order.

// sfTeam names the reps by their Salesforce user ids.
const sfTeam = `
[[managers]]
id = "mgr"
name = "Marta Ruiz"

[[reps]]
id = "ana"
name = "Ana Torres"
manager = "mgr"
aliases = ["0055e000001AnaAAA"]

[[reps]]
id = "luis"
name = "Luis Vega"
manager = "mgr"
aliases = ["0055e000001LuisAA"]
`

// sfConfig maps the Data Export's files, with the org's Spanish stages.
const sfConfig = `
[data.opportunities]
path = "data/Opportunity.csv"
preset = "salesforce"
[data.opportunities.stages]
won = ["Cerrada ganada"]
lost = ["Cerrada perdida"]

[data.history]
path = "data/OpportunityHistory.csv"
preset = "salesforce"
`

func quoted(rows ...string) string {
	var b strings.Builder
	for _, r := range rows {
		f := strings.Split(r, "|")
		b.WriteString(`"` + strings.Join(f, `","`) + "\"\r\n")
	}
	return b.String()
}

const sfOppHeader = "Id|IsDeleted|AccountId|Name|StageName|Amount|CloseDate|IsClosed|IsWon|ForecastCategoryName|CurrencyIsoCode|OwnerId|CreatedDate|LastActivityDate|LastStageChangeDate"

func sfSite(opps, history string) fstest.MapFS {
	fsys := sitetest.FS("-- data/team.toml --\n" + sfTeam + "-- coachbook.toml --\n" + sfConfig)
	fsys["data/Opportunity.csv"] = &fstest.MapFile{Data: []byte(opps)}
	fsys["data/OpportunityHistory.csv"] = &fstest.MapFile{Data: []byte(history)}
	return fsys
}

// Three changes on one day, in the file in record-id order (the last one
// in the middle): the day ends with the latest by time, Closed Won.
func TestSameDayHistoryInTimeOrder(t *testing.T) {
	opps := quoted(sfOppHeader,
		"0065e00000Q1AAA|false|0015e0001|Firma Bogot\xe1|Cerrada ganada|12773.80|2023-08-14|true|true|Closed|USD|0055e000001AnaAAA|2023-07-03T15:00:00.000+0000|2023-08-14|2023-08-14")
	history := quoted("Id|OpportunityId|CreatedById|CreatedDate|StageName|Amount|ExpectedRevenue|CloseDate|Probability|ForecastCategory|IsDeleted",
		"0085e01|0065e00000Q1AAA|0055e000001AnaAAA|2023-07-03T15:00:00.000+0000|Prospecci\xf3n|659|65.9|2023-09-30|10|Pipeline|false",
		"0085e02|0065e00000Q1AAA|0055e000001AnaAAA|2023-08-14T22:04:51.000+0000|Firmas|12773.80|11496.42|2023-08-31|90|Commit|false",
		"0085e03|0065e00000Q1AAA|0055e000001AnaAAA|2023-08-14T22:05:05.000+0000|Cerrada ganada|12773.80|12773.80|2023-08-14|100|Closed|false",
		"0085e04|0065e00000Q1AAA|0055e000001AnaAAA|2023-08-14T22:01:05.000+0000|Firmas|659|593.1|2023-08-31|90|Commit|false")
	d, msgs := loadSite(t, sfSite(opps, history))
	for _, m := range msgs {
		if !strings.Contains(m, "Windows-1252") {
			t.Errorf("unexpected diagnostic: %s", m)
		}
	}
	if d.History == nil || len(d.History.Deals) != 1 {
		t.Fatalf("history: %+v", d.History)
	}
	tl := d.History.Deals[0]
	last := tl.States[len(tl.States)-1]
	if last.Outcome != Won || last.Amount != 12773.80 || last.From.String() != "2023-08-14" {
		t.Errorf("the day ends as %s %s %v on %s; want won 12773.80 on 2023-08-14", d.History.Text(last.Stage), last.Outcome, last.Amount, last.From)
	}
}

// A change log whose dates have no time cannot order one day's changes:
// the file order is kept and data health says so.
func TestSameDayHistoryWithoutTimeIsNamed(t *testing.T) {
	opps := quoted(sfOppHeader,
		"0065e00000Q1AAA|false|0015e0001|Firma|Firmas|900|2023-08-31|false|false|Commit|USD|0055e000001AnaAAA|2023-07-03|2023-08-14|2023-08-14")
	history := quoted("OpportunityId|CreatedDate|StageName|Amount",
		"0065e00000Q1AAA|2023-07-03|Prospecci\xf3n|659",
		"0065e00000Q1AAA|2023-08-14|Firmas|900",
		"0065e00000Q1AAA|2023-08-14|Firmas|659",
		"0065e00000Q1AAA|2023-08-14|Firmas|900")
	_, msgs := loadSite(t, sfSite(opps, history))
	want := `data/OpportunityHistory.csv:3: warning: 1 deals change one field to two values on one day and this file's dates have no time of day (deal "0065e00000Q1AAA", lines 3 and 4)`
	found := false
	for _, m := range msgs {
		found = found || strings.HasPrefix(m, want)
	}
	if !found {
		t.Errorf("want a message starting %q; got:\n%s", want, strings.Join(msgs, "\n"))
	}
}

// Salesforce's Lightning report exports write "8/14/2023, 10:01 PM".
func TestDateWithCommaBeforeTime(t *testing.T) {
	l, err := guessLayout("8/14/2023, 10:01 PM")
	if err != nil {
		t.Fatal(err)
	}
	if d, err := ParseDate("8/14/2023, 10:01 PM", l); err != nil || d.String() != "2023-08-14" {
		t.Errorf("got %v, %v", d, err)
	}
}

func TestTimeOfDay(t *testing.T) {
	for _, c := range []struct {
		in string
		ms int64
		ok bool
	}{
		{"2023-08-14", 0, false},
		{"8/14/2023", 0, false},
		{"2023-08-14T22:01:05.000+0000", 79265000, true},
		{"2023-08-14T22:01:05Z", 79265000, true},
		{"2023-08-14 22:01", 79260000, true},
		{"8/14/2023 10:01 PM", 79260000, true},
		{"8/14/2023 12:30 AM", 1800000, true},
		{"8/14/2023, 10:01 PM", 79260000, true},
		{"2023-08-14T17:01:05-05:00", 79265000, true},
		{"2023-08-14T22:01:05.25+01:00", 75665250, true},
	} {
		ms, ok := TimeOfDay(c.in)
		if ms != c.ms || ok != c.ok {
			t.Errorf("TimeOfDay(%q) = %d, %v; want %d, %v", c.in, ms, ok, c.ms, c.ok)
		}
	}
}

// History rows of a deal the export leaves out say why, not that the deal
// is missing from the export.
func TestHistoryOfALeftOutDealSaysWhy(t *testing.T) {
	opps := quoted(sfOppHeader,
		"0065e00000Q2AAA|false|0015e0002|Mal fechada|Cerrada ganada|500|2023-06-01|true|true|Closed|USD|0055e000001AnaAAA|2023-07-03T15:00:00.000+0000||")
	history := quoted("OpportunityId|CreatedDate|StageName|Amount",
		"0065e00000Q2AAA|2023-05-20T10:00:00.000+0000|Prospecci\xf3n|500")
	_, msgs := loadSite(t, sfSite(opps, history))
	want := `data/OpportunityHistory.csv:2:1: deal "0065e00000Q2AAA" is left out of the opportunities export (data/Opportunity.csv:2 has a problem, listed there); its history is left out with it: fix that row; the row is left out`
	found := false
	for _, m := range msgs {
		found = found || m == want
	}
	if !found {
		t.Errorf("want %q; got:\n%s", want, strings.Join(msgs, "\n"))
	}
}

// Salesforce's Data Export writes tasks and events to two files; the
// org leaves Task.Type blank and writes the kind in the subject. Each file
// has its own mapping; the type is the first non-blank of several columns
// and labels match by pattern.
func TestActivitiesFromTaskAndEventFiles(t *testing.T) {
	cfg := `
[[data.activities]]
path = "data/Task.csv"
preset = "salesforce"
[data.activities.columns]
type = ["Type", "Subject"]
[data.activities.types]
calls = ["Call*", "Llamada*"]
emails = ["Email*", "Correo*"]

[[data.activities]]
path = "data/Event.csv"
preset = "salesforce"
[data.activities.types]
meetings_held = ["Event", "Meeting", "Reuni*"]
`
	task := quoted("Id|WhoId|WhatId|Subject|ActivityDate|Status|OwnerId|Type|IsClosed|CreatedDate|TaskSubtype",
		"00T1|003a|006a|Call: seguimiento|2023-08-28|Completed|0055e000001AnaAAA||true|2023-08-28T14:00:00.000+0000|Task",
		"00T2|003a|006a|Email: propuesta|2023-08-29|Completed|0055e000001AnaAAA||true|2023-08-29T14:00:00.000+0000|Email",
		"00T3|003b|006b|Llamada de descubrimiento|2023-08-30|Completed|0055e000001LuisAA||true|2023-08-30T14:00:00.000+0000|Task",
		"00T4|003b|006b|Reminder|2023-08-30|Completed|0055e000001LuisAA|Call|true|2023-08-30T15:00:00.000+0000|Task")
	event := quoted("Id|WhoId|WhatId|Subject|ActivityDateTime|ActivityDate|DurationInMinutes|OwnerId|Type|CreatedDate|EventSubtype",
		"00U1|003a|006a|Reuni\xf3n de cierre|2023-08-31T16:00:00.000+0000|2023-08-31|60|0055e000001AnaAAA||2023-08-20T10:00:00.000+0000|Event",
		"00U2|003b|006b|Demo|2023-08-31T18:00:00.000+0000|2023-08-31|30|0055e000001LuisAA|Meeting|2023-08-21T10:00:00.000+0000|Event")
	fsys := sitetest.FS("-- data/team.toml --\n" + sfTeam + "-- coachbook.toml --\n" + cfg)
	fsys["data/Task.csv"] = &fstest.MapFile{Data: []byte(task)}
	fsys["data/Event.csv"] = &fstest.MapFile{Data: []byte(event)}
	d, msgs := loadSite(t, fsys)
	for _, m := range msgs {
		if !strings.Contains(m, "Windows-1252") {
			t.Errorf("unexpected diagnostic: %s", m)
		}
	}
	got := map[string]int{}
	for _, a := range d.Activities {
		got[d.Team.Reps[a.Rep].ID+" "+d.ActivityTypes[a.Type]+" "+d.FileOf(a.File)] += int(a.Count)
	}
	want := map[string]int{
		"ana calls data/Task.csv": 1, "ana emails data/Task.csv": 1, "luis calls data/Task.csv": 2,
		"ana meetings_held data/Event.csv": 1, "luis meetings_held data/Event.csv": 1,
	}
	if len(got) != len(want) {
		t.Errorf("activities %v, want %v", got, want)
	}
	for k, n := range want {
		if got[k] != n {
			t.Errorf("%s: %d, want %d (all: %v)", k, got[k], n, got)
		}
	}
	if len(d.Files) < 2 || d.Files[0].Path != "data/Task.csv" || d.Files[1].Path != "data/Event.csv" || d.Files[0].Used != 4 || d.Files[1].Used != 2 {
		t.Errorf("files: %+v", d.Files)
	}
}

// HubSpot exports calls and meetings as separate files with no type
// column: a glob reads them all, and each file's type is given.
func TestHubSpotActivityFilesByGlob(t *testing.T) {
	cfg := `
[[data.activities]]
path = "data/hubspot/calls-*.csv"
preset = "hubspot"
type = "calls"

[[data.activities]]
path = ["data/hubspot/meetings.csv"]
preset = "hubspot"
type = "meetings_held"
`
	calls1 := "Activity date,Activity assigned to,Call title,Call outcome\n2023-08-28 10:00,Ana Torres,Intro,Connected\n"
	calls2 := "Activity date,Activity assigned to,Call title,Call outcome\n2023-08-29 10:00,Luis Vega,Follow-up,Left voicemail\n2023-08-29 11:00,Luis Vega,Follow-up,Connected\n"
	meetings := "Activity date,Activity assigned to,Meeting name\n2023-08-30 15:00,Ana Torres,Demo\n"
	fsys := sitetest.FS("-- data/team.toml --\n" + sfTeam + "-- coachbook.toml --\n" + cfg)
	fsys["data/hubspot/calls-2023-08a.csv"] = &fstest.MapFile{Data: []byte(calls1)}
	fsys["data/hubspot/calls-2023-08b.csv"] = &fstest.MapFile{Data: []byte(calls2)}
	fsys["data/hubspot/meetings.csv"] = &fstest.MapFile{Data: []byte(meetings)}
	d, msgs := loadSite(t, fsys)
	if len(msgs) != 0 {
		t.Fatalf("diagnostics: %v", msgs)
	}
	got := map[string]int{}
	for _, a := range d.Activities {
		got[d.Team.Reps[a.Rep].ID+" "+d.ActivityTypes[a.Type]] += int(a.Count)
	}
	if got["ana calls"] != 1 || got["luis calls"] != 2 || got["ana meetings_held"] != 1 || len(got) != 3 {
		t.Errorf("activities: %v", got)
	}
}

// An org selling in four currencies: amounts are converted to the
// corporate currency by its rates (fixed or dated, at the close date), the
// export's converted amount is taken as it is, and a deal in a currency
// without a rate is left out with a message that says how to give it.
func TestCurrenciesConvertedOrRefused(t *testing.T) {
	cfg := sfConfig + `
[currency]
corporate = "USD"
[currency.rates]
MXN = 0.05
[currency.rates.COP]
2023-01-01 = 0.0002
2023-07-01 = 0.00025
`
	header := "Id|Name|StageName|Amount|CloseDate|CurrencyIsoCode|OwnerId|CreatedDate|LastActivityDate"
	opps := quoted(header,
		"0061|Uno|Cerrada ganada|1000|2023-08-10|USD|0055e000001AnaAAA|2023-07-01T10:00:00.000Z|2023-08-10",
		"0062|Dos|Cerrada ganada|100000|2023-08-11|MXN|0055e000001AnaAAA|2023-07-01T10:00:00.000Z|2023-08-11",
		"0063|Tres|Cerrada ganada|4000000|2023-06-30|COP|0055e000001LuisAA|2023-05-01T10:00:00.000Z|2023-06-30",
		"0064|Cuatro|Cerrada ganada|4000000|2023-07-02|COP|0055e000001LuisAA|2023-05-01T10:00:00.000Z|2023-07-02",
		"0065|Cinco|Cerrada ganada|50000|2023-08-01|PEN|0055e000001LuisAA|2023-05-01T10:00:00.000Z|2023-08-01")
	fsys := sitetest.FS("-- data/team.toml --\n" + sfTeam + "-- coachbook.toml --\n" + cfg)
	fsys["data/Opportunity.csv"] = &fstest.MapFile{Data: []byte(opps)}
	fsys["data/OpportunityHistory.csv"] = &fstest.MapFile{Data: []byte(quoted("OpportunityId|CreatedDate|StageName|Amount"))}
	d, msgs := loadSite(t, fsys)
	want := `data/Opportunity.csv:6:54: amount 50000 is in PEN and the reports are in USD, with no rate between them: add [currency.rates] PEN = <USD per PEN> (or dated rates) to coachbook.toml, or export the converted amount; the row is left out`
	if len(msgs) != 1 || msgs[0] != want {
		t.Errorf("got %q\nwant %q", msgs, want)
	}
	got := map[string]float64{}
	for _, o := range d.Opportunities {
		got[o.ID+" "+o.Currency] = o.Amount
	}
	for k, v := range map[string]float64{"0061 ": 1000, "0062 MXN": 5000, "0063 COP": 800, "0064 COP": 1000} {
		if got[k] != v {
			t.Errorf("%s: %v, want %v (all: %v)", k, got[k], v, got)
		}
	}
	if d.Currency != "USD" {
		t.Errorf("currency %q", d.Currency)
	}

	// A report export with the converted column needs no rates.
	report := "\"Opportunity Owner\",\"Opportunity Name\",\"Stage\",\"Opportunity Currency\",\"Amount\",\"Amount (converted)\",\"Close Date\",\"Created Date\"\r\n" +
		"\"Ana Torres\",\"Seis\",\"Cerrada ganada\",\"PEN\",\"PEN 50,000.00\",\"USD 13,500.00\",\"8/14/2023\",\"5/15/2023\"\r\n"
	fsys["data/Opportunity.csv"] = &fstest.MapFile{Data: []byte(report)}
	d, msgs = loadSite(t, fsys)
	if len(msgs) != 0 || len(d.Opportunities) != 1 || d.Opportunities[0].Amount != 13500 || d.Opportunities[0].Currency != "PEN" || d.Opportunities[0].Original != 50000 {
		t.Errorf("converted column: %v %+v", msgs, d.Opportunities)
	}
}

// Snapshots of a multi-currency pipeline are converted like the export.
func TestSnapshotAmountsConverted(t *testing.T) {
	cfg := "[currency]\ncorporate = \"USD\"\n[currency.rates]\nMXN = 0.05\n"
	fsys := sitetest.FS("-- data/team.toml --\n" + sfTeam + "-- coachbook.toml --\n" + cfg +
		"-- data/opportunities.csv --\nid,rep,stage,amount,currency,created,close_date\nq1,ana,Proposal,100000,MXN,2023-07-01,2023-09-30\n" +
		"-- data/snapshots/2023-08-01.csv --\nid,rep,stage,amount,currency,created,close_date\nq1,ana,Discovery,80000,MXN,2023-07-01,2023-09-30\n")
	d, msgs := loadSite(t, fsys)
	if len(msgs) != 0 {
		t.Fatal(msgs)
	}
	if got := d.History.Deals[0].States[0].Amount; got != 4000 {
		t.Errorf("snapshot amount %v, want 4000 (80,000 MXN at 0.05)", got)
	}
	if got := d.Opportunities[0].Amount; got != 5000 {
		t.Errorf("export amount %v, want 5000", got)
	}
}

// A deal in two opportunities files is read once; the second row names the first.
func TestDealInTwoFiles(t *testing.T) {
	fsys := sitetest.FS("-- data/team.toml --\n" + sfTeam + "-- coachbook.toml --\n[data.opportunities]\npath = \"data/opps-*.csv\"\n" +
		"-- data/opps-1.csv --\nid,rep,stage,amount,created,close_date\nq1,ana,Proposal,100,2023-07-01,2023-09-30\n" +
		"-- data/opps-2.csv --\nid,rep,stage,amount,created,close_date\nq2,luis,Proposal,100,2023-07-01,2023-09-30\nq1,ana,Proposal,100,2023-07-01,2023-09-30\n")
	d, msgs := loadSite(t, fsys)
	want := `data/opps-2.csv:3:1: deal id "q1" already appears in data/opps-1.csv, line 2; remove the duplicate row (or keep one export of each deal); the row is left out`
	if len(msgs) != 1 || msgs[0] != want || len(d.Opportunities) != 2 {
		t.Errorf("got %q (%d deals)\nwant %q", msgs, len(d.Opportunities), want)
	}
}

// A rep may give the quota in a currency of their own; forecasts may name
// theirs in a currency column. Both are converted with the rates in
// coachbook.toml, and one in a currency without a rate is an error at its
// line that names the currency and how to give the rate.
func TestQuotaAndForecastCurrencies(t *testing.T) {
	team := `
[[reps]]
id = "ana"
aliases = ["0055e000001AnaAAA"]
quota = { quarterly = 300000, currency = "mxn" }

[[reps]]
id = "luis"
quota = { quarterly = 1000, currency = "CHF" }

[[reps]]
id = "eva"
quota = { monthly = 5000, currency = "USD" }
`
	cfg := `
[currency]
corporate = "USD"
[currency.rates.MXN]
2023-01-01 = 0.05
2023-08-01 = 0.06
`
	forecasts := quoted("Owner|Period|Commit Forecast|Best Case Forecast|CurrencyIsoCode",
		"ana|2023-Q3|200000|250000|MXN",
		"ana|2023-09|100000|120000|MXN",
		"eva|2023-09|4000||USD",
		"luis|2023-09|900|1000|CHF")
	fsys := sitetest.FS("-- data/team.toml --\n" + team + "-- coachbook.toml --\n" + cfg +
		"[data.forecasts]\npreset = \"salesforce\"\n[data.forecasts.columns]\ndate = \"Submitted\"\n")
	fsys["data/forecasts.csv"] = &fstest.MapFile{Data: []byte(strings.ReplaceAll(strings.Replace(forecasts, "\"Owner\"", "\"Submitted\",\"Owner\"", 1),
		"\r\n\"", "\r\n\"2023-08-15\",\""))}
	d, msgs := loadSite(t, fsys)
	want := []string{
		`data/forecasts.csv:5:44: commit 900 is in CHF and the reports are in USD, with no rate between them: add [currency.rates] CHF = <USD per CHF> (or dated rates) to coachbook.toml; the row is left out`,
		`data/team.toml:9: rep "luis": the quota is in CHF and the reports are in USD, with no rate between them: add [currency.rates] CHF = <USD per CHF> (or dated rates) to coachbook.toml, or give the quota in the reports' currency`,
	}
	if strings.Join(msgs, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(msgs, "\n"), strings.Join(want, "\n"))
	}
	ana, luis, eva := d.Team.Reps[0].Quota, d.Team.Reps[1].Quota, d.Team.Reps[2].Quota
	for _, c := range []struct {
		day        string
		want, rate float64
	}{{"2023-07-01", 15000, 0.05}, {"2023-08-01", 18000, 0.06}, {"2022-10-01", 15000, 0.05}} {
		day, _ := civil.Parse(c.day)
		if got, rate, _ := ana.In(ana.Quarterly, day); got != c.want || rate != c.rate {
			t.Errorf("ana's quarterly quota on %s: %v at %v, want %v at %v", c.day, got, rate, c.want, c.rate)
		}
	}
	if ana.Currency != "MXN" || luis.Set || eva.Currency != "" {
		t.Errorf("ana %+v, luis %+v (want no quota), eva %+v (want the reports' currency)", ana, luis, eva)
	}
	var got []string
	for _, f := range d.Forecasts {
		got = append(got, fmt.Sprintf("%s %v %v", f.Period, f.Commit, f.BestCase))
	}
	if w := "2023-Q3 12000 15000|2023-09 6000 7200|2023-09 4000 0"; strings.Join(got, "|") != w {
		t.Errorf("forecasts %q, want %q (MXN at 0.06, the rate of the day submitted)", strings.Join(got, "|"), w)
	}
}
