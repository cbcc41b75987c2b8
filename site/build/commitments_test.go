package build

import (
	"encoding/json"
	"html"
	"regexp"
	"strings"
	"testing"

	"github.com/coachbook/coachbook/site/internal/sitetest"
)

// commitSite has one rep whose commitments are worked out by hand below.
// as_of is Thursday 2026-11-19: week 47 (16–22 Nov) is in progress, and
// last week's meeting was on Tuesday 10 Nov.
var commitSite = sitetest.Archive("testdata/commitments.txtar")

// text is a page's words without its tags, spaces squeezed.
// Words set in <strong> or <q> run on with their neighbours.
func text(page string) string {
	s := regexp.MustCompile(`</?(strong|q)>`).ReplaceAllString(page, "")
	s = regexp.MustCompile(`<[^>]+>`).ReplaceAllString(s, " ")
	return strings.Join(strings.Fields(html.UnescapeString(s)), " ")
}

func TestCommitmentsOnTheNextMeetingsPages(t *testing.T) {
	t.Parallel()
	files := buildMem(t, commitSite, Options{}).Files
	wk := page(t, files, "reports/reps/ann/week/2026-W47/")
	words := text(wk)
	for _, want := range []string{
		"Last week's commitments · Week 46",
		"kept Set 6 first meetings Meetings set from 2026-11-10 to 2026-11-16: 7 of 6.",
		"contradicted Make 40 calls Calls from 2026-11-10 to 2026-11-16: 12 of 40. Marked done, but the data says it was not: the data counts.",
		"ask Ask Globex for an introduction to the CFO Due 2026-11-16. No metric to check it against and no status: ask whether it was done.",
		"This week's commitments open Set 6 first meetings Meetings set from 2026-11-17 to 2026-11-23: 2 of 6 so far, 4 to go.",
	} {
		if !strings.Contains(words, want) {
			t.Errorf("week 47 does not say %q:\n%s", want, words)
		}
	}
	// The week report opens with the commitments, before what to coach.
	if c, w := strings.Index(wk, `id="commitments"`), strings.Index(wk, `id="what-to-coach"`); c < 0 || c > w {
		t.Error("the commitments do not open the week report")
	}
	// The contradicted commitment links to the section coaching its metric.
	if !strings.Contains(wk, `href="/weekly/activity-meeting/#calls">Questions to ask: Weekly activity meeting › Calls`) {
		t.Error("a missed commitment must link to the section coaching its metric")
	}
	// Three misses in a row (pattern_after) link to the pattern section first.
	w46 := page(t, files, "reports/reps/ann/week/2026-W46/")
	if !strings.Contains(text(w46), "missed Set 6 first meetings Meetings set from 2026-11-03 to 2026-11-09: 1 of 6. pattern: 3 missed in a row") {
		t.Errorf("week 46 does not show the third miss in a row as a pattern:\n%s", text(w46))
	}
	pat, meet := strings.Index(w46, `href="/skills/accountability/#patterns"`), strings.Index(w46, `href="/weekly/activity-meeting/#meetings"`)
	if pat < 0 || meet < 0 || pat > meet {
		t.Error("a pattern of missed commitments must link to the pattern section first")
	}
	// (Only the commitments section: the activity data may make its own
	// pattern in what to coach.)
	w44 := page(t, files, "reports/reps/ann/week/2026-W44/")
	if c, w := strings.Index(w44, `id="commitments"`), strings.Index(w44, `id="what-to-coach"`); c < 0 || w < c || strings.Contains(w44[c:w], "#patterns") {
		t.Error("two misses in a row are not a pattern")
	}

	month := text(page(t, files, "reports/reps/ann/month/2026-11/"))
	for _, want := range []string{
		"From last month's one-on-one and pipeline meeting · October 2026 missed Agree a close plan with Initech Due 2026-11-14. Marked missed by the manager.",
		"Questions to ask: One-on-one › Agreed actions",
		"This month's commitments open Create $50,000 of new pipeline Pipeline created from 2026-11-19 to 2026-12-18: $20,000 of $50,000 so far, $30,000 to go.",
	} {
		if !strings.Contains(month, want) {
			t.Errorf("November does not say %q:\n%s", want, month)
		}
	}
	// Due in November so far: kept 1 (meetings, 16 Nov); missed 4 (2 and
	// 9 Nov, the one-on-one's, the calls the data contradicts); 1 to ask.
	m := metricsOf(t, files, "reports/reps/ann/month/2026-11/")
	if v := num(t, m, "metrics", "commitments.kept"); !near(v, 0.2) {
		t.Errorf("commitments.kept = %v, want 1 of 5", v)
	}
	if ft := m["follow_through"].(map[string]any); ft["kept"] != 1.0 || ft["missed"] != 4.0 || ft["ask"] != 1.0 {
		t.Errorf("follow_through = %v", ft)
	}
	if off, _ := json.Marshal(m["off_target"]); !strings.Contains(string(off), "commitments.kept") {
		t.Errorf("20%% kept against a target of 80%% is not off target: %s", off)
	}
	wm := metricsOf(t, files, "reports/reps/ann/week/2026-W47/")
	var verdicts []string
	for _, c := range wm["commitments"].([]any) {
		verdicts = append(verdicts, c.(map[string]any)["verdict"].(string))
	}
	if got := strings.Join(verdicts, " "); got != "kept contradicted ask open" {
		t.Errorf("week 47 metrics.json verdicts: %s", got)
	}

	home := text(page(t, files, "reports/reps/ann/"))
	if !strings.Contains(home, "Follow-through on commitments Commitments due in the last 4 weeks: 17% kept (1 of 6), 1 to ask about") {
		t.Errorf("rep home follow-through:\n%s", home)
	}
	mgr := text(page(t, files, "reports/managers/mgr/"))
	if !strings.Contains(mgr, "Meetings that ended without a written commitment") || !strings.Contains(mgr, "2026-10-13 · Ann Keeper · weekly activity meeting") {
		t.Errorf("manager page does not list the meeting of 13 Oct:\n%s", mgr)
	}
	if strings.Contains(mgr, "2026-10-20 · Ann Keeper") {
		t.Error("a meeting with a commitment is listed as without one")
	}
	if !strings.Contains(mgr, "17% 1 of 6, 1 to ask about") {
		t.Errorf("manager page follow-through:\n%s", mgr)
	}
	team := text(page(t, files, "reports/teams/mgr/month/2026-11/"))
	if !strings.Contains(team, "Commitments kept") || !strings.Contains(team, "20% 1 of 5") {
		t.Errorf("team page follow-through:\n%s", team)
	}
	doc := text(page(t, files, "reports/metrics/"))
	if !strings.Contains(doc, "Commitments kept") || !strings.Contains(doc, "the share kept: kept ÷ (kept + missed)") {
		t.Errorf("metrics page has no definition of commitments.kept")
	}
}

// Without a commitments file nothing about commitments appears.
func TestNoCommitmentsFile(t *testing.T) {
	t.Parallel()
	site := commitSite[:strings.Index(commitSite, "-- data/commitments.csv --")]
	files := buildMem(t, site, Options{}).Files
	for _, p := range []string{"reports/reps/ann/week/2026-W47/", "reports/reps/ann/", "reports/managers/mgr/", "reports/teams/mgr/week/2026-W47/"} {
		if s := page(t, files, p); strings.Contains(s, "ommitment") {
			t.Errorf("%s mentions commitments without a commitments file", p)
		}
	}
	if _, ok := metricsOf(t, files, "reports/reps/ann/week/2026-W47/")["commitments"]; ok {
		t.Error("metrics.json has commitments without a commitments file")
	}
}
