package changes

import (
	"github.com/coachbook/coachbook/site/internal/sitetest"
	"os"
	"path/filepath"
	"testing"
	"testing/fstest"
	"time"
)

func day(s string) time.Time {
	t, _ := time.Parse(time.DateOnly, s)
	return t
}

func TestParse(t *testing.T) {
	out := "\x1e2026-12-01\x1fTeam meeting: a question on blockers\n\ncontent/weekly/team.md\n" +
		"\x1e2026-11-02\x1fFirst guides\n\ncontent/weekly/team.md\ncontent/monthly/1:1 review.md\n"
	log, err := Parse([]byte(out))
	if err != nil {
		t.Fatal(err)
	}
	want := Log{
		"content/weekly/team.md":        {Date: day("2026-12-01"), Subject: "Team meeting: a question on blockers", Added: day("2026-11-02"), Seq: 1},
		"content/monthly/1:1 review.md": {Date: day("2026-11-02"), Subject: "First guides", Added: day("2026-11-02"), Seq: 2},
	}
	if len(log) != len(want) {
		t.Fatalf("got %v", log)
	}
	for f, c := range want {
		if log[f] != c {
			t.Errorf("%s: got %+v, want %+v", f, log[f], c)
		}
	}
	if _, err := Parse([]byte("\x1eyesterday\x1fx\n")); err == nil {
		t.Error("a date git did not write must be an error")
	}
}

func TestForFallsBackToTheFile(t *testing.T) {
	mod := time.Date(2026, 10, 5, 23, 30, 0, 0, time.FixedZone("", -2*3600))
	site := fstest.MapFS{"content/a.md": {ModTime: mod}, "content/b.md": {ModTime: mod}}
	got := For(site, Log{"content/a.md": {Date: day("2026-12-01"), Subject: "s"}}, []string{"content/a.md", "content/b.md", "content/gone.md"})
	if got["content/a.md"].Subject != "s" {
		t.Errorf("git's change must win: %+v", got["content/a.md"])
	}
	if c := got["content/b.md"]; c.Date != day("2026-10-06") || c.Subject != "" {
		t.Errorf("a file git does not know has its modification day in UTC: %+v", c)
	}
	if _, ok := got["content/gone.md"]; ok {
		t.Error("a missing file has no change")
	}
}

// Git reads a real repository with the site in a sub-folder, and a folder
// outside any repository quietly.
func TestGit(t *testing.T) {
	repo := t.TempDir()
	site := filepath.Join(repo, "playbook")
	git := func(date string, args ...string) {
		t.Helper()
		sitetest.Git(t, repo, []string{"GIT_COMMITTER_DATE=" + date + "T12:00:00+01:00", "GIT_AUTHOR_DATE=" + date + "T12:00:00+01:00"}, args...)
	}
	write := func(rel, body string) {
		p := filepath.Join(site, rel)
		os.MkdirAll(filepath.Dir(p), 0o755)
		os.WriteFile(p, []byte(body), 0o644)
	}
	git("2026-01-01", "init", "-q")
	write("content/weekly/a.md", "a")
	write("content/monthly/b.md", "b")
	write("notes.md", "not a guide")
	git("2026-01-01", "add", "-A")
	git("2026-09-01", "commit", "-qm", "The first guides")
	write("content/weekly/a.md", "a, better")
	git("2026-12-03", "commit", "-qam", "Weekly: a sharper opening question")

	log, err := Git(site)
	if err != nil {
		t.Fatal(err)
	}
	want := Log{
		"content/weekly/a.md":  {Date: day("2026-12-03"), Subject: "Weekly: a sharper opening question", Added: day("2026-09-01"), Seq: 1},
		"content/monthly/b.md": {Date: day("2026-09-01"), Subject: "The first guides", Added: day("2026-09-01"), Seq: 2},
	}
	if len(log) != len(want) {
		t.Fatalf("got %v, want %v", log, want)
	}
	for f, c := range want {
		if log[f] != c {
			t.Errorf("%s: got %+v, want %+v", f, log[f], c)
		}
	}
	if log, err := Git(t.TempDir()); err != nil || len(log) != 0 {
		t.Errorf("outside a repository: %v, %v", log, err)
	}
}
