package build

import (
	"encoding/json"
	"math"
	"regexp"
	"strings"
	"testing"

	"github.com/coachbook/coachbook/site/internal/sitetest"
)

// verdictSite is a small org whose numbers are worked out by hand in each
// test below. as_of is the last day of Q3 2026.
var verdictSite = sitetest.Archive("testdata/verdicts.txtar")

func metricsOf(t *testing.T, files map[string][]byte, page string) map[string]any {
	t.Helper()
	b, ok := files[page+"metrics.json"]
	if !ok {
		t.Fatalf("no %smetrics.json", page)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

func page(t *testing.T, files map[string][]byte, p string) string {
	t.Helper()
	b, ok := files[p+"index.html"]
	if !ok {
		t.Fatalf("no %sindex.html", p)
	}
	return string(b)
}

func num(t *testing.T, m map[string]any, path ...string) float64 {
	t.Helper()
	var v any = m
	for _, k := range path {
		mm, ok := v.(map[string]any)
		if !ok {
			t.Fatalf("%v: not an object at %s", path, k)
		}
		v = mm[k]
	}
	f, ok := v.(float64)
	if !ok {
		t.Fatalf("%v = %v, not a number", path, v)
	}
	return f
}

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

// Issue 8.1: a period whose last day is the cut-off is complete and judged.
func TestPeriodEndingOnAsOfIsJudged(t *testing.T) {
	t.Parallel()
	files := buildMem(t, verdictSite, Options{}).Files
	q3 := metricsOf(t, files, "reports/reps/ann/quarter/2026-Q3/")
	if q3["in_progress"] != false {
		t.Errorf("Q3 ends on as_of: in_progress = %v", q3["in_progress"])
	}
	if off, _ := json.Marshal(q3["off_target"]); !strings.Contains(string(off), `"attainment"`) {
		t.Errorf("Q3 at 20%% of quota must be off target: %s", off)
	}
	html := page(t, files, "reports/reps/ann/quarter/2026-Q3/")
	if strings.Contains(html, "Nothing judged on this page is off target") || strings.Contains(html, "In progress ·") {
		t.Error("a complete quarter below quota reads as on target or in progress")
	}
	if !strings.Contains(html, "Complete · 2026-07-01 to 2026-09-30") {
		t.Error("the quarter does not say it is complete")
	}
	sep := metricsOf(t, files, "reports/reps/ann/month/2026-09/")
	if sep["in_progress"] != false {
		t.Error("September ends on as_of and is complete")
	}
	// The week of 28 Sep to 4 Oct goes on after as_of: in progress.
	if w := metricsOf(t, files, "reports/reps/ann/week/2026-W40/"); w["in_progress"] != true {
		t.Error("a week that goes on after as_of is in progress")
	}
}

// Issue 8.2: coverage counts only deals expected to close in the period;
// the latest period also shows the next one's.
func TestCoverageUsesExpectedCloseInThePeriod(t *testing.T) {
	t.Parallel()
	site := strings.Replace(verdictSite, "as_of = 2026-09-30", "as_of = 2026-10-20", 1)
	files := buildMem(t, site, Options{}).Files
	q4 := metricsOf(t, files, "reports/reps/ann/quarter/2026-Q4/")
	// Q4: nothing won yet, 20,000 expected to close in it, quota 30,000.
	if got := num(t, q4, "metrics", "pipeline.coverage"); !near(got, 20000.0/30000) {
		t.Errorf("Q4 coverage %v, want %v (the 2027 deal must not count)", got, 20000.0/30000)
	}
	if got := num(t, q4, "next", "coverage"); !near(got, 100000.0/30000) {
		t.Errorf("next quarter coverage %v", got)
	}
	html := page(t, files, "reports/reps/ann/quarter/2026-Q4/")
	if !strings.Contains(html, "0.7×") || !strings.Contains(html, "3.3×") {
		t.Error("the quarter page does not show both coverages")
	}
	// A finished period says why it has no coverage.
	q3 := page(t, files, "reports/reps/ann/quarter/2026-Q3/")
	if !strings.Contains(q3, "coverage needs pipeline history") {
		t.Error("a finished quarter must say why coverage is not shown")
	}
}

// Issue 8.3: year to date is the sum of the year's quarters, won and quota
// over the same quarters.
func TestYearToDateSumsTheSameQuarters(t *testing.T) {
	t.Parallel()
	files := buildMem(t, verdictSite, Options{}).Files
	q3 := metricsOf(t, files, "reports/reps/ann/quarter/2026-Q3/")
	if won, quota := num(t, q3, "ytd", "won"), num(t, q3, "ytd", "quota"); won != 21000 || quota != 90000 {
		t.Errorf("YTD won %v of %v, want 21000 of 90000", won, quota)
	}
	if a := num(t, q3, "ytd", "attainment"); !near(a, 21000.0/90000) {
		t.Errorf("YTD attainment %v", a)
	}
	html := page(t, files, "reports/reps/ann/quarter/2026-Q3/")
	if !strings.Contains(html, "$21,000 won of $90,000 over 2026-Q1–2026-Q3") {
		t.Error("the YTD card must name its quarters and amounts")
	}
	// A rep who joined in June: their year is Q2 (prorated) and Q3.
	n := metricsOf(t, files, "reports/reps/newt/quarter/2026-Q3/")
	want := 91000*12.0/91 + 91000
	if quota := num(t, n, "ytd", "quota"); !near(quota, want) {
		t.Errorf("new rep's YTD quota %v, want %v", quota, want)
	}
}

// Issue 8.4: partial periods are prorated by the days on the team.
func TestPartialPeriodsAreProrated(t *testing.T) {
	t.Parallel()
	files := buildMem(t, verdictSite, Options{}).Files
	q2 := metricsOf(t, files, "reports/reps/newt/quarter/2026-Q2/")
	// Q2 has 91 days; Newt was on the team from 19 to 30 June: 12 days.
	if p := num(t, q2, "prorated"); !near(p, 12.0/91) {
		t.Errorf("prorated %v", p)
	}
	if q := num(t, q2, "quota"); !near(q, 12000) {
		t.Errorf("prorated quota %v, want 12000", q)
	}
	if a := num(t, q2, "attainment"); !near(a, 3500.0/12000) {
		t.Errorf("attainment %v", a)
	}
	// The week of 15 to 21 June: 3 days on the team, target 7 × 3/7 = 3,
	// and 3 meetings set is a hit, not a miss.
	w := metricsOf(t, files, "reports/reps/newt/week/2026-W25/")
	if off, _ := json.Marshal(w["off_target"]); strings.Contains(string(off), "meetings_set") {
		t.Errorf("a prorated target met is judged a miss: %s", off)
	}
	html := page(t, files, "reports/reps/newt/week/2026-W25/")
	if !strings.Contains(html, "Targets are prorated") || !strings.Contains(html, "pill good\">on track") {
		t.Error("the week page must show the prorated target as hit")
	}
}

// Issue 8.5: team attainment counts only reps with a quota.
func TestTeamAttainmentOnlyRepsWithQuota(t *testing.T) {
	t.Parallel()
	files := buildMem(t, verdictSite, Options{}).Files
	tm := metricsOf(t, files, "reports/teams/mgr/quarter/2026-Q3/")
	// Ann won 6,000 of 30,000; Newt 0 of 91,000; Bob (no quota) won 20,000.
	if a := num(t, tm, "attainment"); !near(a, 6000.0/121000) {
		t.Errorf("team attainment %v, want %v", a, 6000.0/121000)
	}
	if w := num(t, tm, "won_without_quota", "amount"); w != 20000 {
		t.Errorf("won without quota %v", w)
	}
	if n := num(t, tm, "reps_with_quota"); n != 2 {
		t.Errorf("reps with quota %v", n)
	}
	html := page(t, files, "reports/teams/mgr/quarter/2026-Q3/")
	if !strings.Contains(html, "$20,000 more won by 1 without one") {
		t.Error("the team page must show what reps without a quota won, apart")
	}
}

// Issue 8.9: a commit made after the period ended does not count.
func TestLateCommitIsIgnored(t *testing.T) {
	t.Parallel()
	files := buildMem(t, verdictSite, Options{}).Files
	q3 := metricsOf(t, files, "reports/reps/ann/quarter/2026-Q3/")
	if v := q3["metrics"].(map[string]any)["forecast.accuracy"]; v != nil {
		t.Errorf("forecast accuracy from a commit dated after the quarter: %v", v)
	}
	// The forecast-accuracy card says why; the forecast section does not
	// say it again.
	if html := page(t, files, "reports/reps/ann/quarter/2026-Q3/"); !strings.Contains(html, `<span class="muted">not judged: no commit submitted before the period ended</span>`) || strings.Contains(html, "No commit counts") {
		t.Error("the page must say once, on the card, that no commit counts")
	}
}

// Issue 8.11: links follow the page's meeting; a pattern links to the
// section on patterns; skills guides are linked beside.
func TestCoachingLinksFollowTheMeeting(t *testing.T) {
	t.Parallel()
	site := verdictSite + `-- data/activities2.csv --
`
	site = strings.Replace(site, "2026-09-21,ann,meetings_set,2\n", "2026-08-24,ann,meetings_set,9\n2026-08-31,ann,meetings_set,1\n2026-09-07,ann,meetings_set,1\n2026-09-14,ann,meetings_set,1\n2026-09-21,ann,meetings_set,2\n", 1)
	files := buildMem(t, site, Options{}).Files
	q3 := page(t, files, "reports/reps/ann/quarter/2026-Q3/")
	// What to coach names each guide section by its heading, the guide in
	// the link's title.
	if !strings.Contains(q3, `href="/quarterly/territory/#year-to-date" title="Quarterly territory plan review › Year to date">Ask: Year to date`) {
		t.Error("a quarter page's attainment must link to the quarterly guide")
	}
	if !strings.Contains(q3, `Meeting guide: <a href="/quarterly/territory/">`) {
		t.Error("a quarter page must link to its meeting's guide")
	}
	if !strings.Contains(q3, `href="/skills/levers/#attainment" title="Performance levers › Attainment">Skill: Attainment`) {
		t.Error("no link to the skills guide")
	}
	// Four missed weeks in a row (target 7) is a pattern.
	wk := page(t, files, "reports/reps/ann/week/2026-W39/")
	if !strings.Contains(wk, `pattern: missed 4 weeks in a row`) {
		t.Fatalf("expected a pattern on W39")
	}
	first := strings.Index(wk, `href="/skills/accountability/#patterns"`)
	meeting := strings.Index(wk, `href="/weekly/activity-meeting/#meetings"`)
	if first < 0 || meeting < 0 || first > meeting {
		t.Error("a pattern must link to the section on patterns first, then the meeting's")
	}
	one := page(t, files, "reports/reps/ann/week/2026-W36/")
	if strings.Contains(one, "/skills/accountability/#patterns") {
		t.Error("a single miss must not link to the section on patterns")
	}
}

// Issue 8.12: a target on pipeline.open is judged on month and quarter pages.
func TestEveryTargetIsJudged(t *testing.T) {
	t.Parallel()
	files := buildMem(t, verdictSite, Options{}).Files
	sep := metricsOf(t, files, "reports/reps/bob/month/2026-09/")
	if off, _ := json.Marshal(sep["off_target"]); !strings.Contains(string(off), "pipeline.open") {
		t.Errorf("open pipeline of 0 against a 100,000 target is not judged: %s", off)
	}
}

// Issue 13: [reports.keep] limits the periods with their own pages; older
// ones keep their metrics.json and a line in the rep's history, and no page
// links to a page that is not there.
func TestKeepLimitsReportPages(t *testing.T) {
	t.Parallel()
	site := strings.Replace(verdictSite, "[reports.keep]\nweeks = 60\n", "[reports.keep]\nweeks = 2\nmonths = 1\nquarters = 1\n", 1)
	files := buildMem(t, site, Options{}).Files
	for p, want := range map[string]bool{
		"reports/reps/ann/week/2026-W40/index.html":    true,
		"reports/reps/ann/week/2026-W39/index.html":    true,
		"reports/reps/ann/week/2026-W38/index.html":    false,
		"reports/reps/ann/week/2026-W38/metrics.json":  true,
		"reports/reps/ann/month/2026-09/index.html":    true,
		"reports/reps/ann/month/2026-08/index.html":    false,
		"reports/reps/ann/month/2026-08/metrics.json":  true,
		"reports/teams/mgr/month/2026-08/index.html":   false,
		"reports/teams/mgr/month/2026-08/metrics.json": true,
		"reports/reps/ann/quarter/2026-Q2/index.html":  false,
	} {
		if _, ok := files[p]; ok != want {
			t.Errorf("%s written = %v, want %v", p, ok, want)
		}
	}
	home := page(t, files, "reports/reps/ann/")
	if !strings.Contains(home, `href="/reports/reps/ann/history/#2026-W38" title="1 of 1 targets missed (a line of the history page)">2026-W38`) {
		i := strings.Index(home, "2026-W38")
		t.Errorf("the rep's calendar must keep an old week, opening its line of the history page: %s", home[max(0, i-200):min(len(home), i+100)])
	}
	history := page(t, files, "reports/reps/ann/history/")
	if !strings.Contains(history, `<tr id="2026-W38">`) || !strings.Contains(history, `href="/reports/reps/ann/week/2026-W38/metrics.json"`) {
		t.Errorf("the history page lacks the old week's line and its metrics.json:\n%s", history)
	}
	// Issue 21: every period of the calendar opens a page, not metrics.json.
	chips := calendarChipRE.FindAllStringSubmatch(home, -1)
	if len(chips) < 10 {
		t.Fatalf("only %d periods in the rep's calendar", len(chips))
	}
	for _, c := range chips {
		target, frag, _ := strings.Cut(c[1], "#")
		body := page(t, files, strings.TrimPrefix(target, "/"))
		if frag != "" && !strings.Contains(body, `id="`+frag+`"`) {
			t.Errorf("%s: no line for %s", target, frag)
		}
	}
	if n := checkLinks(t, files, "/"); n < 50 {
		t.Errorf("only %d links", n)
	}
}

var calendarChipRE = regexp.MustCompile(`<li><a class="status [a-z ]+"[^>]*? href="([^"]+)"`)

func TestSizeWarning(t *testing.T) {
	t.Parallel()
	if d := sizeWarning(PagesLimit); len(d) != 0 {
		t.Errorf("1 GB exactly is published: %v", d)
	}
	d := sizeWarning(PagesLimit + 5<<20)
	if len(d) != 1 || d[0].Error() != "coachbook.toml: warning: the site is 1029 MB, over the 1 GB that GitHub Pages publishes; lower [reports.keep] (weeks, months, quarters) so fewer periods get their own pages" {
		t.Errorf("%v", d)
	}
}

// A quarter in progress with a commit leaves forecast accuracy unjudged;
// its card says so once, with the reason, in the site's language.
func TestUnjudgedCardSaysWhyOnce(t *testing.T) {
	t.Parallel()
	site := strings.Replace(verdictSite, "as_of = 2026-09-30", "as_of = 2026-09-15", 1)
	site = strings.Replace(site, "date,rep,period,commit,best_case\n", "date,rep,period,commit,best_case\n2026-07-03,ann,2026-Q3,6000,6000\n", 1)
	for _, c := range []struct{ lang, want, twice string }{
		{"en", "Forecast accuracy – not judged: the quarter is not over yet", "judged judged"},
		{"de", "Forecast-Genauigkeit – nicht bewertet: das Quartal ist noch nicht vorbei", "bewertet bewertet"},
	} {
		s := site
		if c.lang != "en" {
			s = strings.Replace(s, "[calendar]\n", "language = \""+c.lang+"\"\n[calendar]\n", 1)
		}
		words := text(page(t, buildMem(t, s, Options{}).Files, "reports/reps/ann/quarter/2026-Q3/"))
		if !strings.Contains(words, c.want) {
			t.Errorf("%s: the quarter in progress must read %q:\n%s", c.lang, c.want, words)
		}
		if strings.Contains(words, c.twice) {
			t.Errorf("%s: %q on the page:\n%s", c.lang, c.twice, words)
		}
	}
}
