package build

import (
	"strings"
	"testing"

	"github.com/coachbook/coachbook/site/internal/sitetest"
	"github.com/coachbook/coachbook/site/render"
	"github.com/coachbook/coachbook/site/report"
)

var dataSite = smallSite + sitetest.Archive("testdata/small-reports.txtar")

func TestCoachingGapWarning(t *testing.T) {
	t.Parallel()
	_, diags := Run(sitetest.FS(dataSite), Options{Today: testDay}, Discard)
	var got []string
	for _, d := range diags {
		got = append(got, d.Error())
	}
	want := `data/team.toml:3: warning: win_rate has a target but no guide section coaches it; add a [[coaches]] entry with metric = "win_rate" to the guide whose questions move it`
	if len(got) != 1 || got[0] != want {
		t.Errorf("got:\n%s\nwant:\n%s", strings.Join(got, "\n"), want)
	}
}

func TestCoachingLogGuideNames(t *testing.T) {
	t.Parallel()
	site := sitetest.FS(dataSite + `-- data/coaching.csv --
date,manager,rep,kind,guide
2026-11-03,mgr,jdoe,weekly,weekly/activity-meeting
2026-11-10,mgr,jdoe,weekly,content/weekly/activity-meeting.md
2026-11-12,mgr,jdoe,one-on-one,Activity Meeting
2026-11-13,mgr,jdoe,ride-along,skills/ride-along
2026-11-14,mgr,jdoe,ride-along,skills/ride-along
`)
	_, diags := Run(site, Options{Today: testDay}, Discard)
	var got []string
	for _, d := range diags {
		if d.File == "data/coaching.csv" {
			got = append(got, d.Error())
		}
	}
	want := `data/coaching.csv:5: warning: guide "skills/ride-along" is not a guide of this playbook; write its path (like weekly/activity-meeting) or its title`
	if len(got) != 1 || got[0] != want {
		t.Errorf("got %q", got)
	}
}

func TestReportPagesOfASmallTeam(t *testing.T) {
	t.Parallel()
	files := buildMem(t, dataSite, Options{}).Files
	for _, f := range []string{
		"reports/index.html", "reports/reps/jdoe/index.html",
		"reports/reps/jdoe/week/2026-W47/index.html", "reports/reps/jdoe/week/2026-W47/metrics.json",
		"reports/reps/jdoe/month/2026-11/index.html", "reports/reps/jdoe/quarter/2026-Q4/metrics.json",
		"reports/teams/mgr/week/2026-W46/index.html", "reports/managers/mgr/index.html",
		"reports/data-health/index.html", "reports/metrics/index.html",
	} {
		if _, ok := files[f]; !ok {
			t.Errorf("missing %s", f)
		}
	}
	week := string(files["reports/reps/jdoe/week/2026-W46/index.html"])
	// W45 and W46 missed the target of 10 calls with 4 and 8.
	if !strings.Contains(week, `<meta name="robots" content="noindex, nofollow">`) {
		t.Error("report pages must be noindex")
	}
	month := string(files["reports/reps/jdoe/month/2026-11/index.html"])
	if !strings.Contains(month, "Globex &lt;b&gt;renewal&lt;/b&gt;") && strings.Contains(month, "Globex <b>") {
		t.Error("deal names must be escaped")
	}
	// The in-progress week links the off-target calls to the guide section that coaches them.
	cur := string(files["reports/reps/jdoe/week/2026-W47/index.html"])
	if !strings.Contains(cur, `href="/pb/weekly/activity-meeting/#calls">Questions to ask`) {
		t.Errorf("no coaching link on the current week:\n%s", cur)
	}
	if !strings.Contains(cur, "7 more calls") {
		t.Error("the Thursday view must say what is still needed")
	}
	if n := checkLinks(t, files, "/pb/"); n < 100 {
		t.Errorf("only %d links", n)
	}
}

// TestGoldenReportPages pins whole report pages; run with -update after an
// intended change.
func TestGoldenReportPages(t *testing.T) {
	t.Parallel()
	compareGolden(t, buildMem(t, dataSite, Options{}).Files,
		"reports/reps/jdoe/week/2026-W47/index.html", "reports/reps/jdoe/month/2026-11/index.html",
		"reports/reps/jdoe/quarter/2026-Q4/index.html", "reports/reps/jdoe/month/2026-11/metrics.json",
		"reports/teams/mgr/month/2026-11/index.html")
}

// ReportFinder finds, for every report page a full build makes, a task
// that makes that page, and none for an address no page has: the dev
// server renders only that task when the page is asked for.
func TestReportFinderFindsEveryPage(t *testing.T) {
	t.Parallel()
	b := NewBuilder(exampleFS(), Options{Today: testDay})
	b.ReportsOnRequest()
	if res := b.Build(ChangeAll, func(FileSet) render.Sink { return Discard }); res.Diags.Fatal() {
		t.Fatal(res.Diags.Err())
	}
	find := b.ReportFinder()
	if find == nil {
		t.Fatal("no ReportFinder after a build with reports")
	}
	urls := 0
	for _, task := range b.model.Tasks(b.health) {
		task(func(p report.Page) {
			urls++
			found, ok := find(p.URL)
			if !ok {
				t.Errorf("%s: no task found", p.URL)
				return
			}
			made := false
			found(func(q report.Page) { made = made || q.URL == p.URL })
			if !made {
				t.Errorf("%s: the task found does not make it", p.URL)
			}
		})
	}
	if urls < 100 {
		t.Fatalf("only %d report pages in the example", urls)
	}
	for _, u := range []string{"/reports/reps/nobody/", "/reports/reps/jdoe/week/1999-W01/", "/reports/teams/", "/reports/reps/jdoe/day/2026-11-19/", "/reports/managers/nobody/", "/elsewhere/", "/reports/reps/jdoe"} {
		if _, ok := find(u); ok {
			t.Errorf("%s: a task found for an address no page has", u)
		}
	}
}
