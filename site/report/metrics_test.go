package report

import (
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/coachbook/coachbook/site/civil"
	"github.com/coachbook/coachbook/site/config"
	"github.com/coachbook/coachbook/site/data"
	"github.com/coachbook/coachbook/site/metric"
)

func opp(outcome data.Outcome, amount float64, created, closed string) *data.Opportunity {
	o := &data.Opportunity{Outcome: outcome, Amount: amount, HasAmount: true, Created: civil.None, Close: civil.None, LastActivity: civil.None, StageChanged: civil.None}
	if created != "" {
		o.Created = d(created)
	}
	if closed != "" {
		o.Close = d(closed)
	}
	return o
}

// The fixture, computed by hand for November 2026 (11-01 to 11-30):
//
//	a  won  10,000  created 10-15 closed 11-05  -> won in Nov; not open at 11-30
//	b  won   5,000  created 11-02 closed 11-20  -> created and won in Nov
//	c  lost  2,000  created 11-10 closed 12-03  -> created in Nov; open at 11-30 (closed after)
//	e  lost  1,000  created 09-01 closed 11-11  -> lost in Nov
//	f  open 40,000  created 11-25               -> created in Nov; open
//	g  open  7,000  no created date             -> never counted as open pipeline
//	h  open  3,000  created 12-01               -> created after the period
var fixture = []*data.Opportunity{
	opp(data.Won, 10000, "2026-10-15", "2026-11-05"),
	opp(data.Won, 5000, "2026-11-02", "2026-11-20"),
	opp(data.Lost, 2000, "2026-11-10", "2026-12-03"),
	opp(data.Lost, 1000, "2026-09-01", "2026-11-11"),
	opp(data.Open, 40000, "2026-11-25", ""),
	opp(data.Open, 7000, "", ""),
	opp(data.Open, 3000, "2026-12-01", ""),
}

func TestDealMetricsByHand(t *testing.T) {
	from, to := d("2026-11-01"), d("2026-11-30")
	if got := Created(fixture, from, to); got != (CountAmount{3, 47000}) {
		t.Errorf("created %+v", got)
	}
	won := Closed(fixture, data.Won, from, to)
	lost := Closed(fixture, data.Lost, from, to)
	if won != (CountAmount{2, 15000}) || lost != (CountAmount{1, 1000}) {
		t.Errorf("won %+v lost %+v", won, lost)
	}
	if got := OpenAt(fixture, to); got != (CountAmount{2, 42000}) {
		t.Errorf("open %+v", got)
	}
	if wr, ok := WinRate(won, lost); !ok || wr != 2.0/3 {
		t.Errorf("win rate %v", wr)
	}
	if _, ok := WinRate(CountAmount{}, CountAmount{}); ok {
		t.Error("no closed deals: win rate undefined")
	}
	if ds, _ := DealSize(won); ds != 7500 {
		t.Errorf("deal size %v", ds)
	}
	// (11-05 − 10-15) = 21 days, (11-20 − 11-02) = 18 days: 19.5 on average.
	if cd, med, _ := CycleDays(fixture, from, to); cd != 19.5 || med != 19.5 {
		t.Errorf("cycle %v median %v", cd, med)
	}
	if c, ok := Coverage(42000, 30000, 15000); !ok || c != 2.8 {
		t.Errorf("coverage %v", c)
	}
	if _, ok := Coverage(42000, 30000, 31000); ok {
		t.Error("quota met: coverage undefined")
	}
	if _, ok := Coverage(42000, 0, 0); ok {
		t.Error("zero quota: coverage undefined")
	}
	if a, ok := Attainment(15000, 0); ok || a != 0 {
		t.Error("zero quota: attainment undefined")
	}
	if a, _ := Accuracy(15000, 20000); a != 0.75 {
		t.Errorf("accuracy %v", a)
	}
	if a, _ := Accuracy(50000, 20000); a != 0 {
		t.Errorf("a miss of more than the commit floors at 0: %v", a)
	}
	// Top 20% of 5 reps is 1 rep: 60 of 100.
	if c, _ := Concentration([]float64{10, 60, 10, 10, 10}); c != 0.6 {
		t.Errorf("concentration %v", c)
	}
	if s, _ := ShareAtQuota([]float64{1.0, 0.5, 1.2, 0.99}); s != 0.5 {
		t.Errorf("share at quota %v", s)
	}
	if r, _ := HeldRatio(map[string]int{"weekly": 6, "one-on-one": 0}, map[string]int{"weekly": 4, "one-on-one": 1}); r != 0.8 {
		t.Errorf("held ratio %v: extra weekly meetings do not make up for a missed one-on-one", r)
	}
}

func TestCommitFor(t *testing.T) {
	fcs := []*data.Forecast{
		{Date: d("2026-10-28"), Period: "2026-11", Commit: 100},
		{Date: d("2026-11-03"), Period: "2026-11", Commit: 120},
		{Date: d("2026-11-20"), Period: "2026-11", Commit: 150},
		{Date: d("2026-11-01"), Period: "2026-12", Commit: 999},
	}
	cal := Calendar{WeekStart: time.Monday, FYStart: 1}
	nov := cal.Of(Month, d("2026-11-01"))
	if f := CommitFor(fcs, nov); f == nil || f.Commit != 120 {
		t.Errorf("the last early commit: %+v", f)
	}
	if f := CommitFor(fcs[2:3], nov); f == nil || f.Commit != 150 {
		t.Errorf("no early commit: the first one: %+v", f)
	}
	if CommitFor(fcs, cal.Of(Month, d("2027-01-01"))) != nil {
		t.Error("no commit for the period")
	}
	// A commit made after the period ended is hindsight, not a forecast.
	late := []*data.Forecast{{Date: d("2026-12-05"), Period: "2026-11", Commit: 150}}
	if f := CommitFor(late, nov); f != nil {
		t.Errorf("a commit dated after the period counted: %+v", f)
	}
}

// model builds a Model over a small org for the edge cases.
func model(t *testing.T, asOf string, reps []*data.Rep, opps []data.Opportunity, acts []data.Activity) *Model {
	t.Helper()
	team := &data.Team{Reps: reps, Targets: map[string]float64{}}
	for i, r := range reps {
		r.Index = i
		if r.Targets == nil {
			r.Targets = map[string]float64{}
		}
	}
	dd := &data.Data{Team: team, Opportunities: opps, Activities: acts, ActivityTypes: []string{"calls"}, Latest: d(asOf)}
	cfg := config.Default()
	return NewModel(cfg, dd, d(asOf))
}

func rep(id string, start, end string, quarterly float64) *data.Rep {
	r := &data.Rep{ID: id, Name: id, Team: "t", Start: civil.None, End: civil.None}
	if start != "" {
		r.Start = d(start)
	}
	if end != "" {
		r.End = d(end)
	}
	if quarterly > 0 {
		r.Quota = data.Quota{Quarterly: quarterly, Monthly: quarterly / 3, Annual: quarterly * 4, Set: true}
	}
	return r
}

func TestEdgeCases(t *testing.T) {
	jane := rep("jane", "", "", 30000)
	newbie := rep("newbie", "2026-11-18", "", 0)
	leaver := rep("leaver", "", "2026-10-14", 30000)
	won := *opp(data.Won, 9000, "2026-10-01", "2026-11-25") // closes after as_of
	won.Rep = 0
	early := *opp(data.Won, 1000, "2026-07-01", "2026-07-02")
	early.Rep = 0
	acts := []data.Activity{
		{Date: d("2026-11-18"), Rep: 1, Type: 0, Count: 4},
		{Date: d("2026-07-06"), Rep: 0, Type: 0, Count: 3},
		{Date: d("2026-11-30"), Rep: 0, Type: 0, Count: 50}, // after as_of
	}
	m := model(t, "2026-11-19", []*data.Rep{jane, newbie, leaver}, []data.Opportunity{won, early}, acts)
	cal := m.Cal

	// A deal closing after as_of is still open at the cut-off.
	nov := m.Month(jane, cal.Of(Month, d("2026-11-19")))
	if nov.Won.Count != 0 || nov.Open.Count != 1 || nov.Open.Amount != 9000 || !nov.InProgress || nov.Cut != d("2026-11-19") {
		t.Errorf("after as_of: won %+v open %+v", nov.Won, nov.Open)
	}
	// Rows after as_of are not counted.
	if c := m.ActivityCounts(jane, d("2026-11-01"), d("2026-11-30")); c["calls"] != 0 {
		t.Errorf("activity after as_of counted: %v", c)
	}
	// A quarter with no data: zeros, attainment 0 of a real quota.
	q3 := m.Quarter(jane, cal.Of(Quarter, d("2026-08-15")))
	if q3.Won.Amount != 1000 || !q3.Attainment.OK || math.Abs(q3.Attainment.V-1000.0/30000) > 1e-12 {
		t.Errorf("Q3: %+v %+v", q3.Won, q3.Attainment)
	}
	q2 := m.Quarter(jane, cal.Of(Quarter, d("2026-05-15")))
	if q2.Won.Count != 0 || q2.Created.Count != 0 || !q2.Attainment.OK || q2.Attainment.V != 0 {
		t.Errorf("empty quarter: %+v", q2)
	}
	// Missing quota: no attainment at all (null in metrics.json).
	nb := m.Month(newbie, cal.Of(Month, d("2026-11-19")))
	if nb.HasQuota || nb.Attainment.OK {
		t.Errorf("no quota: %+v", nb.Attainment)
	}
	// A rep who starts mid-period is reported from that period on, and not before.
	if ps := m.Periods(newbie, Week); len(ps) != 1 || ps[0].ID != "2026-W47" {
		t.Errorf("newbie weeks %+v", ps)
	}
	// A rep who leaves mid-period is reported up to that period.
	if ps := m.Periods(leaver, Month); len(ps) == 0 || ps[len(ps)-1].ID != "2026-10" {
		t.Errorf("leaver months %+v", ps)
	}
	// Weeks do not report a quota.
	if w := m.Week(jane, cal.Of(Week, d("2026-11-19"))); w.HasQuota {
		t.Error("weeks have no quota")
	}
}

func TestPatternAfterMissedWeeks(t *testing.T) {
	jane := rep("jane", "2026-10-05", "", 0)
	jane.Targets = map[string]float64{"activity.calls": 10}
	var acts []data.Activity
	// Weeks of Oct 5, 12: 12 calls (hit); Oct 19, 26, Nov 2, 9: 4 calls (miss); Nov 16 in progress: 3.
	for _, w := range []struct {
		day string
		n   int32
	}{{"2026-10-05", 12}, {"2026-10-12", 12}, {"2026-10-19", 4}, {"2026-10-26", 4}, {"2026-11-02", 4}, {"2026-11-09", 4}, {"2026-11-16", 3}} {
		acts = append(acts, data.Activity{Date: d(w.day), Rep: 0, Type: 0, Count: w.n})
	}
	m := model(t, "2026-11-19", []*data.Rep{jane}, nil, acts)
	wk := m.Week(jane, m.Cal.Of(Week, d("2026-11-19")))
	if len(wk.Activities) != 1 {
		t.Fatalf("%+v", wk.Activities)
	}
	line := wk.Activities[0]
	if line.Streak != 4 || !line.Pattern || line.Remaining != 7 || line.Off {
		t.Errorf("in-progress week: streak %d pattern %v remaining %d off %v", line.Streak, line.Pattern, line.Remaining, line.Off)
	}
	// Last week's misses open the meeting, apart from this week's verdicts.
	if len(wk.LastWeek) != 1 || wk.LastWeek[0].Note.String() != "note.pattern(4)" || len(wk.OffTarget) != 0 {
		t.Errorf("last week %+v, this week %+v", wk.LastWeek, wk.OffTarget)
	}
	past := m.Week(jane, m.Cal.Of(Week, d("2026-10-21")))
	if l := past.Activities[0]; !l.Off || l.Streak != 1 || l.Pattern {
		t.Errorf("a single miss is not a pattern: %+v", l)
	}
}

func TestExpectedCountsEachWeekOnce(t *testing.T) {
	cal := Calendar{WeekStart: time.Monday, FYStart: 1}
	// October 2026 has 4 weeks starting in it (5, 12, 19, 26); the week of
	// Sep 28 belongs to September.
	e := Expected(cal, d("2026-10-01"), d("2026-10-31"))
	if e["weekly"] != 4 || e["monthly"] != 1 || e["one-on-one"] != 1 || e["quarterly"] != 1 {
		t.Errorf("%v", e)
	}
}

// A streak longer than the trend chart is still counted in full.
func TestStreakBeyondTheTrendWindow(t *testing.T) {
	jane := rep("jane", "2026-01-05", "", 0)
	jane.Targets = map[string]float64{"activity.calls": 10}
	acts := []data.Activity{{Date: d("2026-01-05"), Rep: 0, Type: 0, Count: 12}} // week 2: a hit
	for w := d("2026-01-12"); w < d("2026-11-16"); w += 7 {
		acts = append(acts, data.Activity{Date: w, Rep: 0, Type: 0, Count: 2})
	}
	m := model(t, "2026-11-19", []*data.Rep{jane}, nil, acts)
	wk := m.Week(jane, m.Cal.Of(Week, d("2026-11-19")))
	// Weeks of 2026-01-12 to 2026-11-09 all missed: 44 weeks.
	if l := wk.Activities[0]; l.Streak != 44 || !l.Pattern || len(l.Trend) != TrendWeeks {
		t.Errorf("streak %d pattern %v trend %d", l.Streak, l.Pattern, len(l.Trend))
	}
	if len(wk.LastWeek) != 1 || wk.LastWeek[0].Note.String() != "note.pattern(44)" || wk.LastWeek[0].V != 2 {
		t.Errorf("%+v", wk.LastWeek)
	}
}

// Forecast categories the ranking does not know are ordered by name, so
// every build writes the same page.
func TestUnknownForecastCategoriesInOrder(t *testing.T) {
	jane := rep("jane", "", "", 0)
	var opps []data.Opportunity
	for _, c := range []string{"Upside", "Most Likely", "Commit", "Long Shot"} {
		o := *opp(data.Open, 100, "2026-11-02", "2026-11-25")
		o.ForecastCategory = c
		opps = append(opps, o)
	}
	for range 20 {
		m := model(t, "2026-11-19", []*data.Rep{jane}, opps, nil)
		var got []string
		for _, c := range m.Month(jane, m.Cal.Of(Month, d("2026-11-19"))).Forecast.Categories {
			got = append(got, c.Stage)
		}
		if strings.Join(got, ",") != "Commit,Long Shot,Most Likely,Upside" {
			t.Fatalf("order %v", got)
		}
	}
}

// "The top 20% of reps" counts 20% of the reps exactly: of 11 reps, the top
// two and a fifth of the third, not ceil(2.2) = 3 reps.
func TestConcentrationTopTwentyPercentExactly(t *testing.T) {
	won := []float64{50, 30, 20, 10, 10, 10, 10, 10, 10, 10, 30}
	total := 200.0
	want := (50 + 30 + 0.2*30) / total
	if c, ok := Concentration(won); !ok || math.Abs(c-want) > 1e-12 {
		t.Errorf("concentration %v, want %v", c, want)
	}
}

// Every named metric of the catalog is computed, and judged somewhere.
func TestEveryCatalogMetricHasAMeasure(t *testing.T) {
	for _, def := range metric.Named() {
		if measures[def.ID] == nil && !slices.Contains(HistoryMetrics, def.ID) {
			t.Errorf("%s is in the catalog but nothing computes it", def.ID)
		}
		if len(def.Cadences) == 0 {
			t.Errorf("%s is judged nowhere", def.ID)
		}
	}
	for id := range measures {
		if _, ok := metric.Lookup(id); !ok {
			t.Errorf("%s is computed but not in the catalog", id)
		}
	}
}

// Activity counts grow with the rows, not with the span of dates: one row
// a thousand years before the others costs one entry.
func TestActivityIndexGrowsWithRows(t *testing.T) {
	jane := rep("jane", "", "", 0)
	acts := []data.Activity{
		{Date: d("1026-01-01"), Rep: 0, Type: 0, Count: 2_000_000_000},
		{Date: d("2026-11-02"), Rep: 0, Type: 0, Count: 2_000_000_000},
		{Date: d("2026-11-02"), Rep: 0, Type: 0, Count: 5},
	}
	m := model(t, "2026-11-19", []*data.Rep{jane}, nil, acts)
	s := m.reps[0].acts[0]
	if len(s.dates) != 2 {
		t.Errorf("%d index entries for 2 distinct dates", len(s.dates))
	}
	if c := m.ActivityCounts(jane, d("2026-11-01"), d("2026-11-30")); c["calls"] != 2_000_000_005 {
		t.Errorf("counts must not wrap: %v", c)
	}
}
