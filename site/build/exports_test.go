package build

import (
	"fmt"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/coachbook/coachbook/site/internal/sitetest"
)

// exportTeam is two reps named by their CRM user ids.
var exportTeam = sitetest.Archive("testdata/export-team.txtar")

// countOf is a metrics.json {"count": n, "amount": x} object's count.
func countOf(m map[string]any, key string) float64 {
	o, _ := m[key].(map[string]any)
	n, _ := o["count"].(float64)
	return n
}

// A Salesforce Data Export taken on 2023-09-01: the last activity and the
// last change are of that day, but a deal marked lost kept its expected
// close date, 2023-12-15. The cut-off is the export's day, and the lost
// deal is lost then, not open pipeline.
func TestDefaultCutOffIgnoresExpectedCloseDates(t *testing.T) {
	t.Parallel()
	site := smallSite + exportTeam + `-- data/opportunities.csv --
"Id","Name","StageName","Amount","CloseDate","OwnerId","CreatedDate","LastActivityDate"
"0061","Won","Closed Won","1000","2023-08-10","0055e000001AnaAAA","2023-07-01T10:00:00.000+0000","2023-08-10"
"0062","Lost late","Closed Lost","5000","2023-12-15","0055e000001AnaAAA","2023-07-05T10:00:00.000+0000","2023-08-20"
"0063","Open","Prospecting","2000","2023-10-30","0055e000001AnaAAA","2023-08-01T10:00:00.000+0000",""
-- data/activities.csv --
date,rep,type
2023-09-01,ana,calls
`
	site = strings.Replace(site, "base_url = \"https://example.github.io/pb/\"\n", "base_url = \"https://example.github.io/pb/\"\n[data.opportunities]\npreset = \"salesforce\"\n", 1)
	files := buildMem(t, site, Options{}).Files
	health := string(files["reports/data-health/index.html"])
	if !strings.Contains(health, "The cut-off 2023-09-01 is the latest date in the data that records something that happened (date at <code>data/activities.csv:2</code>)") {
		t.Errorf("the data-health page does not say what set the cut-off:\n%s", health)
	}
	if !strings.Contains(health, `lost deal &#34;0062&#34; closes 2023-12-15, after the data cut-off (2023-09-01): it counts as lost on the cut-off`) {
		t.Errorf("the data-health page does not name the lost deal closing after the cut-off")
	}
	q := metricsOf(t, files, "reports/reps/ana/quarter/2023-Q3/")
	if q["end"] != "2023-09-30" || countOf(q, "won") != 1 || countOf(q, "lost") != 1 || countOf(q, "open_pipeline") != 1 {
		t.Errorf("2023-Q3: won %v, lost %v, open %v; want 1, 1, 1 (the late-closing lost deal lost, not open)", q["won"], q["lost"], q["open_pipeline"])
	}
}

// A won-deals-only export has close dates and no created dates: every win
// is on a page of its quarter, however long before the first activity.
func TestWonOnlyExportSetsTheRange(t *testing.T) {
	t.Parallel()
	site := smallSite + exportTeam + `-- data/opportunities.csv --
"Deal","Owner","Value","Status","Won on"
"A","0055e000001AnaAAA","1,000.00","won","2023-01-15"
"B","0055e000001AnaAAA","2,000.00","won","2023-05-20"
"C","0055e000001LuisAA","4,000.00","won","2023-06-30"
"D","0055e000001AnaAAA","8,000.00","won","2023-08-30"
-- data/activities.csv --
date,rep,type
2023-08-28,ana,calls
2023-08-31,luis,calls
`
	site = strings.Replace(site, "base_url = \"https://example.github.io/pb/\"\n", "base_url = \"https://example.github.io/pb/\"\n[data.opportunities.columns]\nname = \"Deal\"\nrep = \"Owner\"\namount = \"Value\"\nstage = \"Status\"\nclose_date = \"Won on\"\n", 1)
	files := buildMem(t, site, Options{}).Files
	for _, c := range []struct {
		page string
		won  float64
	}{{"reports/reps/ana/quarter/2023-Q1/", 1}, {"reports/reps/ana/quarter/2023-Q2/", 1}, {"reports/reps/luis/quarter/2023-Q2/", 1}, {"reports/reps/ana/quarter/2023-Q3/", 1}} {
		if got := countOf(metricsOf(t, files, c.page), "won"); got != c.won {
			t.Errorf("%s: won %v, want %v", c.page, got, c.won)
		}
	}
	ytd := metricsOf(t, files, "reports/reps/ana/quarter/2023-Q3/")["ytd"].(map[string]any)
	if w := ytd["won"]; w != 11000.0 {
		t.Errorf("ana's year to date: won %v, want 11000", w)
	}
}

// An export without a last-activity or stage-change column cannot say a
// deal is stalled: the month page and data health say why, and count none.
func TestStalledNotJudgedWithoutTouchDates(t *testing.T) {
	t.Parallel()
	site := smallSite + exportTeam + `-- data/opportunities.csv --
id,rep,stage,amount,created,close_date
o1,ana,Proposal,1000,2023-01-10,2023-09-30
o2,ana,Proposal,1000,2023-08-20,2023-09-30
-- data/activities.csv --
date,rep,type
2023-09-14,ana,calls
`
	files := buildMem(t, site, Options{}).Files
	m := metricsOf(t, files, "reports/reps/ana/month/2023-09/")
	if v, ok := m["metrics"].(map[string]any)["pipeline.stalled"]; ok && v != nil {
		t.Errorf("pipeline.stalled = %v; want it not judged", v)
	}
	month := string(files["reports/reps/ana/month/2023-09/index.html"])
	// The stalled row shows no number, the reason in its value cell, and
	// "not judged" as its verdict.
	_, row, ok := strings.Cut(month, `<tr id="ana/2023-09/pipeline.stalled">`)
	row, _, _ = strings.Cut(row, "</tr>")
	if !ok {
		t.Fatal("the month page has no stalled-deals row")
	}
	if !strings.Contains(row, `<span class="why">the opportunities export has no last-activity or last-stage-change column`) || !strings.Contains(row, "not judged</span>") {
		t.Error("the month page does not say why stalled deals are not judged")
	}
	if health := string(files["reports/data-health/index.html"]); !strings.Contains(health, "Not judged: the opportunities export has no last-activity") {
		t.Error("the data-health page does not say why stale deals are not judged")
	}
}

// The example under testdata/multicurrency is a Salesforce org's own Data
// Export (API headers, Windows-1252, every value quoted, four currencies
// with a rates table, Task and Event files, an OpportunityHistory with three
// changes of one deal on one day out of time order). Its numbers, worked
// out by hand from the files at USD 0.05 per MXN, 0.25 per PEN and 0.00025
// per COP (from 2023-07-01; 0.0002 before), with the cut-off on the export's
// day, 2023-09-01:
//
//	ana, 2023-Q3  won   A1 100,000 MXN = 5,000 + A2 1,000 USD        = 2 deals, 6,000
//	              lost  A3 20,000 PEN = 5,000 + A5 2,000 USD         = 2 deals, 7,000
//	                    (A5 closes 2023-12-15, after the cut-off: lost on it)
//	              win rate 2 / 4 = 0.5; open: A4 4,000,000 COP       = 1 deal, 1,000
//	luis, 2023-Q3 won   L1 8,000,000 COP (closed 08-30)              = 1 deal, 2,000
//	              lost  L2 40,000 MXN                                = 1 deal, 2,000
//	              win rate 1 / 2 = 0.5; open: L3 3,000 USD + L4 12,000 PEN = 2 deals, 6,000
//	quotas        ana 20,000 USD; luis 80,000 PEN at 0.25 = 20,000 USD
func TestMultiCurrencyExampleRecomputed(t *testing.T) {
	t.Parallel()
	fsys := os.DirFS("testdata/multicurrency")
	sink := &MemSink{}
	_, diags := Run(fsys, Options{Today: testDay, Version: "test"}, sink)
	var msgs []string
	for _, d := range diags {
		msgs = append(msgs, d.Error())
	}
	want := `data/Opportunity.csv:6: warning: lost deal "0065e00000A5AAA" closes 2023-12-15, after the data cut-off (2023-09-01)`
	if len(msgs) != 1 || !strings.HasPrefix(msgs[0], want) {
		t.Fatalf("diagnostics:\n%s\nwant only one starting %q", strings.Join(msgs, "\n"), want)
	}
	files := sink.Files
	for _, c := range []struct {
		rep                            string
		won, wonAmt, lost, lostAmt     float64
		winRate, openCount, openAmount float64
	}{
		{"ana", 2, 6000, 2, 7000, 0.5, 1, 1000},
		{"luis", 1, 2000, 1, 2000, 0.5, 2, 6000},
	} {
		m := metricsOf(t, files, "reports/reps/"+c.rep+"/quarter/2023-Q3/")
		amount := func(key string) float64 { v, _ := m[key].(map[string]any)["amount"].(float64); return v }
		// Win rate from the counts; the page itself gives none on fewer
		// than report.MinDeals closed deals ("too few deals").
		wr := countOf(m, "won") / (countOf(m, "won") + countOf(m, "lost"))
		if got := m["metrics"].(map[string]any)["win_rate"]; got != nil {
			t.Errorf("%s: win rate %v on %v closed deals, want none (too few deals)", c.rep, got, countOf(m, "won")+countOf(m, "lost"))
		}
		if m["as_of"] != "2023-09-01" || m["currency"] != "USD" || countOf(m, "won") != c.won || amount("won") != c.wonAmt || countOf(m, "lost") != c.lost || amount("lost") != c.lostAmt ||
			wr != c.winRate || countOf(m, "open_pipeline") != c.openCount || amount("open_pipeline") != c.openAmount {
			t.Errorf("%s: as_of %v won %v lost %v win rate %v open %v; want won %v/%v lost %v/%v win rate %v open %v/%v",
				c.rep, m["as_of"], m["won"], m["lost"], wr, m["open_pipeline"], c.won, c.wonAmt, c.lost, c.lostAmt, c.winRate, c.openCount, c.openAmount)
		}
		if m["quota"] != 20000.0 {
			t.Errorf("%s: quota %v, want 20000 (luis: 80,000 PEN at 0.25)", c.rep, m["quota"])
		}
		page := string(files["reports/reps/"+c.rep+"/quarter/2023-Q3/index.html"])
		if !strings.Contains(page, "USD\u00a0"+map[string]string{"ana": "6,000", "luis": "2,000"}[c.rep]) || regexp.MustCompile(`\$[0-9]`).MatchString(page) {
			t.Errorf("%s: the quarter page does not show its amounts in USD", c.rep)
		}
	}
	// Every row of every file is used: the health page lists no problem.
	health := string(files["reports/data-health/index.html"])
	for _, f := range []string{"data/Opportunity.csv", "data/OpportunityHistory.csv", "data/Task.csv", "data/Event.csv"} {
		if !strings.Contains(health, "<code>"+f+"</code>") {
			t.Errorf("data health does not list %s", f)
		}
	}
	if n := strings.Count(health, `class="num bad"`); n != 0 {
		t.Errorf("data health shows %d rows left out or outside the range", n)
	}
}

// With pipeline history that does not mention the late-closing lost deal,
// its timeline from the export has it lost on the cut-off too: the flow
// counts it lost, not still open.
func TestLateLostDealInHistoryFlow(t *testing.T) {
	t.Parallel()
	site := smallSite + exportTeam + `-- data/opportunities.csv --
id,rep,stage,amount,created,close_date,last_activity
o1,ana,Closed Won,1000,2023-06-01,2023-08-10,2023-08-10
o2,ana,Closed Lost,5000,2023-07-05,2023-12-15,2023-08-20
-- data/history.csv --
id,date,stage,amount,close_date
o1,2023-06-01,Proposal,1000,2023-08-31
o1,2023-08-10,Closed Won,1000,2023-08-10
-- data/activities.csv --
date,rep,type
2023-09-01,ana,calls
`
	files := buildMem(t, site, Options{}).Files
	flow, _ := metricsOf(t, files, "reports/reps/ana/quarter/2023-Q3/")["flow"].(map[string]any)
	if flow["lost"] != 5000.0 || flow["won"] != 1000.0 || flow["end"] != 0.0 {
		t.Errorf("2023-Q3 flow: %v; want o2's 5,000 lost on the cut-off and nothing left open", flow)
	}
}

// A rep whose quota team.toml gives in pesos: each period's quota is
// converted at the rate of its first day, attainment is won (in dollars)
// over it, the team sums it with the others' dollars, and the pages say
// what the quota was in pesos and at which rate.
func TestQuotaInTheRepsCurrency(t *testing.T) {
	t.Parallel()
	site := smallSite + `-- data/team.toml --
[[reps]]
id = "ana"
team = "andes"
quota = { quarterly = 300000, currency = "MXN" }

[[reps]]
id = "luis"
team = "andes"
quota = { quarterly = 20000 }
-- data/opportunities.csv --
id,rep,stage,amount,currency,created,close_date
o1,ana,Closed Won,100000,MXN,2023-07-03,2023-08-10
o2,ana,Closed Won,3000,USD,2023-07-03,2023-09-20
o3,luis,Closed Won,5000,USD,2023-07-03,2023-08-11
-- data/activities.csv --
date,rep,type
2023-10-02,ana,calls
`
	site = strings.Replace(site, "base_url = \"https://example.github.io/pb/\"\n", "base_url = \"https://example.github.io/pb/\"\n[currency]\ncorporate = \"USD\"\n[currency.rates.MXN]\n2023-01-01 = 0.05\n2023-08-01 = 0.06\n", 1)
	files := buildMem(t, site, Options{}).Files
	// 100,000 MXN won on 08-10 at 0.06 = 6,000 USD, + 3,000 USD.
	q := metricsOf(t, files, "reports/reps/ana/quarter/2023-Q3/")
	in, _ := q["quota_in"].(map[string]any)
	if q["quota"] != 15000.0 || q["attainment"] != 9000.0/15000 || in["currency"] != "MXN" || in["amount"] != 300000.0 || in["rate"] != 0.05 || in["rate_from"] != "2023-01-01" {
		t.Errorf("ana 2023-Q3: quota %v, attainment %v, quota_in %v; want 15000 (300,000 MXN at 0.05 on 07-01), 0.6", q["quota"], q["attainment"], q["quota_in"])
	}
	m := metricsOf(t, files, "reports/reps/ana/month/2023-08/")
	if m["quota"] != 6000.0 || m["attainment"] != 1.0 {
		t.Errorf("ana 2023-08: quota %v, attainment %v; want 6000 (100,000 MXN at 0.06 from 08-01), 1", m["quota"], m["attainment"])
	}
	page := string(files["reports/reps/ana/month/2023-08/index.html"])
	if want := "quota USD\u00a06,000 (MXN\u00a0100,000 at 0.06, the rate from 2023-08-01)"; !strings.Contains(page, want) {
		t.Errorf("the month page does not say %q", want)
	}
	page = string(files["reports/reps/ana/quarter/2023-Q3/index.html"])
	if want := "quota USD\u00a015,000 (MXN\u00a0300,000 at 0.05, the rate from 2023-01-01)"; !strings.Contains(page, want) {
		t.Errorf("the quarter page does not say %q", want)
	}
	if _, ok := metricsOf(t, files, "reports/reps/luis/quarter/2023-Q3/")["quota_in"]; ok {
		t.Error("luis's quota is in the reports' currency, but metrics.json has quota_in")
	}
	team := metricsOf(t, files, "reports/teams/andes/quarter/2023-Q3/")
	if team["quota"] != 35000.0 {
		t.Errorf("team quota %v, want 35000 (15,000 + 20,000 USD)", team["quota"])
	}
}

// Past the first few, lost deals closing after the cut-off are summed up in
// one message, which says they count as lost (not that they are left out).
func TestManyLateLostDealsSummedUp(t *testing.T) {
	t.Parallel()
	site := smallSite + exportTeam + "-- data/opportunities.csv --\nid,rep,stage,amount,created,close_date,last_activity\n"
	for i := range 5 {
		site += fmt.Sprintf("o%d,ana,Closed Lost,1000,2023-06-01,2023-12-%02d,2023-08-20\n", i, 10+i)
	}
	site += "-- data/activities.csv --\ndate,rep,type\n2023-09-01,ana,calls\n"
	sink := &MemSink{}
	_, diags := Run(sitetest.FS(site), Options{Today: testDay, Version: "test"}, sink)
	want := "data/opportunities.csv:5: warning: this row and 1 more up to line 6 are lost deals closing after the data cut-off (2023-09-01), like the rows listed above: each counts as lost on the cut-off, not as open pipeline"
	found := false
	for _, d := range diags {
		found = found || d.Error() == want
	}
	if !found {
		t.Errorf("diagnostics %v\nhave no %q", diags, want)
	}
	if got := countOf(metricsOf(t, sink.Files, "reports/reps/ana/quarter/2023-Q3/"), "lost"); got != 5 {
		t.Errorf("lost %v, want 5", got)
	}
}
