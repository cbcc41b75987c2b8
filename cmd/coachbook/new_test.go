package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func runNewAt(today time.Time, args ...string) (code int, out string) {
	var o bytes.Buffer
	code = runNew(args, today, &o, &o)
	return code, o.String()
}

// A new site builds and checks clean, a new guide in it too, and neither
// command writes over anything.
func TestNewSiteAndGuide(t *testing.T) {
	today := time.Date(2026, 12, 7, 15, 0, 0, 0, time.UTC)
	dir := filepath.Join(t.TempDir(), "acme-de")
	if code, out := runNewAt(today, "site", "--title", `Acme "DE"`, dir); code != 0 {
		t.Fatalf("new site: exit %d\n%s", code, out)
	}
	for _, f := range []string{"coachbook.toml", ".gitignore", ".github/workflows/pages.yml", "README.md", "content/_index.md", "content/weekly/activity-meeting.md", "data/team.toml", "data/activities.csv"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Errorf("new site must write %s: %v", f, err)
		}
	}
	read := func(f string) string {
		b, _ := os.ReadFile(filepath.Join(dir, f))
		return string(b)
	}
	if !strings.Contains(read(".gitignore"), "/coachbook.keys") {
		t.Error(".gitignore must list the keys file")
	}
	if !strings.Contains(read(".github/workflows/pages.yml"), "go install github.com/coachbook/coachbook/cmd/coachbook@") {
		t.Error("the workflow must install a coachbook release")
	}
	if !strings.HasPrefix(read("data/team.toml"), "# SAMPLE DATA") {
		t.Error("the sample data must say it is sample data")
	}
	if !strings.Contains(read("coachbook.toml"), `title = "Acme \"DE\""`) {
		t.Errorf("the title must be quoted for TOML:\n%s", read("coachbook.toml"))
	}
	if code, o, e := runCLI("check", "-s", dir, "--strict"); code != 0 {
		t.Fatalf("a new site must check clean: exit %d\n%s%s", code, o, e)
	}
	if code, o, e := runCLI("build", "-s", dir, "-o", filepath.Join(t.TempDir(), "public")); code != 0 || !strings.Contains(o, "built 11 guides") {
		t.Fatalf("a new site must build: exit %d\n%s%s", code, o, e)
	}

	before := read("coachbook.toml")
	if code, out := runNewAt(today, "site", dir); code != 1 || !strings.Contains(out, "is not empty") {
		t.Errorf("new site into a non-empty folder: exit %d, %s", code, out)
	}
	if read("coachbook.toml") != before {
		t.Error("new site must not touch a non-empty folder")
	}

	for _, tt := range []struct{ args, file, cadence, duration string }{
		{"monthly/deal-review.md", "content/monthly/deal-review.md", `cadence = "monthly"`, `duration = "1h"`},
		{"content/weekly/deal-clinic", "content/weekly/deal-clinic.md", `cadence = "weekly"`, `duration = "30m"`},
		{"skills/listening.md", "content/skills/listening.md", `cadence = "as-needed"`, ""},
	} {
		if code, out := runNewAt(today, "guide", "-s", dir, tt.args); code != 0 {
			t.Fatalf("new guide %s: exit %d\n%s", tt.args, code, out)
		}
		g := read(tt.file)
		if !strings.Contains(g, tt.cadence) || (tt.duration != "" && !strings.Contains(g, tt.duration)) {
			t.Errorf("%s lacks %s %s:\n%s", tt.file, tt.cadence, tt.duration, g)
		}
	}
	if code, out := runNewAt(today, "guide", "-s", dir, "skills/territory.md", "--cadence", "quarterly"); code != 0 || !strings.Contains(read("content/skills/territory.md"), `cadence = "quarterly"`) {
		t.Errorf("--cadence must win over the folder: exit %d %s", code, out)
	}
	if code, o, e := runCLI("check", "-s", dir, "--strict"); code != 0 {
		t.Fatalf("new guides must check clean: exit %d\n%s%s", code, o, e)
	}
	guide := read("content/monthly/deal-review.md")
	os.WriteFile(filepath.Join(dir, "content/monthly/deal-review.md"), []byte(guide+"\nmine\n"), 0o644)
	if code, out := runNewAt(today, "guide", "-s", dir, "monthly/deal-review.md"); code != 1 || !strings.Contains(out, "already exists") {
		t.Errorf("new guide over an existing file: exit %d, %s", code, out)
	}
	if read("content/monthly/deal-review.md") != guide+"\nmine\n" {
		t.Error("new guide must not overwrite a guide")
	}
	if code, out := runNewAt(today, "guide", "-s", dir, "--cadence", "daily", "x.md"); code != 2 || !strings.Contains(out, `--cadence "daily"`) {
		t.Errorf("an unknown cadence: exit %d, %s", code, out)
	}
}

func TestReleaseOf(t *testing.T) {
	for v, want := range map[string]string{"v1.4.0": "v1.4.0", "dev": "latest", "v0.0.0-20261207-abcdef": "v0.0.0-20261207-abcdef"} {
		if got := releaseOf(v); got != want {
			t.Errorf("releaseOf(%q) = %q, want %q", v, got, want)
		}
	}
	if got := goMinor("go1.26.1"); got != "1.26" {
		t.Errorf("goMinor = %q", got)
	}
}

// A German site's new guide is written in German, for each cadence, and
// checks clean (its agenda adds up, its coached section would exist).
func TestNewGuideOnAGermanSite(t *testing.T) {
	today := time.Date(2026, 12, 7, 15, 0, 0, 0, time.UTC)
	dir := filepath.Join(t.TempDir(), "acme-de")
	if code, out := runNewAt(today, "site", dir); code != 0 {
		t.Fatalf("new site: exit %d\n%s", code, out)
	}
	cfg := filepath.Join(dir, "coachbook.toml")
	b, _ := os.ReadFile(cfg)
	if err := os.WriteFile(cfg, []byte(strings.Replace(string(b), `# language = "en"`, `language = "de"  `, 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range []string{"weekly", "monthly", "quarterly", "skills"} {
		if code, out := runNewAt(today, "guide", "-s", dir, c+"/neu.md"); code != 0 {
			t.Fatalf("new guide: exit %d\n%s", code, out)
		}
		g, _ := os.ReadFile(filepath.Join(dir, "content", c, "neu.md"))
		for _, want := range []string{"## Fragen, die Sie stellen", "Ein Satz dazu"} {
			if !strings.Contains(string(g), want) {
				t.Errorf("%s/neu.md lacks %q:\n%s", c, want, g)
			}
		}
		if strings.Contains(string(g), "Questions to ask") {
			t.Errorf("%s/neu.md is in English:\n%s", c, g)
		}
	}
	if code, o, e := runCLI("check", "-s", dir, "--strict"); code != 0 {
		t.Fatalf("German guides must check clean: exit %d\n%s%s", code, o, e)
	}
}
