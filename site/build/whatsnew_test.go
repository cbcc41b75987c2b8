package build

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/coachbook/coachbook/site/changes"
	"github.com/coachbook/coachbook/site/internal/sitetest"
)

func dayOf(s string) time.Time {
	t, _ := time.Parse(time.DateOnly, s)
	return t
}

// Each guide shows its last change; the "what's new" page lists the guides
// changed in the last 90 days with the commit's subject, latest first.
func TestWhatsNew(t *testing.T) {
	t.Parallel()
	history := changes.Log{
		"content/weekly/activity-meeting.md": {Date: dayOf("2026-11-10"), Subject: "Activity meeting: <new> opening", Added: dayOf("2026-01-02")},
		"content/quarterly/review.md":        {Date: dayOf("2026-08-21"), Subject: "Review added", Added: dayOf("2026-08-21")},
	}
	opts := Options{History: func() (changes.Log, error) { return history, nil }}
	files := buildMem(t, smallSite, opts).Files

	guide := string(files["weekly/activity-meeting/index.html"])
	if !strings.Contains(guide, `Last changed <time datetime="2026-11-10">2026-11-10</time>`) {
		t.Errorf("the guide must show its last change:\n%s", guide)
	}
	news := string(files["whats-new/index.html"])
	for _, want := range []string{
		"since 2026-08-21,", // 90 days before the build's day, 2026-11-19
		`<time datetime="2026-11-10">2026-11-10</time> · Activity meeting: &lt;new&gt; opening`,
		`<time datetime="2026-08-21">2026-08-21</time> · Review added`,
	} {
		if !strings.Contains(news, want) {
			t.Errorf("what's new lacks %q:\n%s", want, news)
		}
	}
	if strings.Index(news, "Activity meeting:") > strings.Index(news, "Review added") {
		t.Error("the latest change comes first")
	}
	if strings.Contains(news, "/reports/") && strings.Contains(news, "card-title\">Jane") {
		t.Error("report pages are never listed")
	}
	if n := strings.Count(news, `class="pill pill-new"`); n != 1 {
		t.Errorf("only the guide added within the 90 days is new; %d marked", n)
	}

	history["content/quarterly/review.md"] = changes.Change{Date: dayOf("2026-08-20"), Subject: "Review added"}
	news = string(buildMem(t, smallSite, opts).Files["whats-new/index.html"])
	if strings.Contains(news, "Review added") {
		t.Error("a change 91 days old is not listed")
	}
	if !strings.Contains(string(files["sitemap.xml"]), "/whats-new/") {
		t.Error("the sitemap lists the what's new page")
	}
}

// The day a guide shows is an input of its page's key: a new commit to
// it rewrites its page, and only the pages that show the day.
func TestWhatsNewIncremental(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	out := filepath.Join(dir, "public")
	site := sitetest.FS(smallSite)
	history := changes.Log{"content/weekly/activity-meeting.md": {Date: dayOf("2026-11-10"), Subject: "One"}}
	opts := Options{Today: testDay, History: func() (changes.Log, error) { return history, nil }}
	if _, diags := ToDir(site, dir, out, opts); diags.HasErrors() {
		t.Fatal(diags.Err())
	}
	res, diags := ToDir(site, dir, out, opts)
	if diags.HasErrors() || res.Stats.Written != 0 {
		t.Fatalf("an unchanged site wrote %d files: %v", res.Stats.Written, diags.Err())
	}
	history["content/weekly/activity-meeting.md"] = changes.Change{Date: dayOf("2026-11-18"), Subject: "Two"}
	res, diags = ToDir(site, dir, out, opts)
	if diags.HasErrors() {
		t.Fatal(diags.Err())
	}
	if res.Stats.Written != 2 {
		t.Errorf("a new commit to one guide must rewrite its page and what's new, wrote %d files", res.Stats.Written)
	}
}
