package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strings"
	"testing"
	"time"
)

func writeSite(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, body := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func runCLI(args ...string) (code int, stdout, stderr string) {
	var o, e bytes.Buffer
	code = run(context.Background(), args, &o, &e)
	return code, o.String(), e.String()
}

func TestExitCodes(t *testing.T) {
	good := writeSite(t, map[string]string{"content/a.md": "+++\ntitle = \"A\"\n+++\n# A\n"})
	bad := writeSite(t, map[string]string{"content/a.md": "+++\ncadence = \"weakly\"\n+++\n"})
	out := filepath.Join(t.TempDir(), "public")
	tests := []struct {
		args   []string
		code   int
		output string
	}{
		{nil, 2, "Usage:"},
		{[]string{"frobnicate"}, 2, `unknown command "frobnicate"`},
		{[]string{"build", "-nope"}, 2, "flag provided but not defined: -nope"},
		{[]string{"build", "stray"}, 2, `unexpected argument "stray"`},
		{[]string{"version"}, 0, "coachbook "},
		{[]string{"check", "-s", good}, 0, "check: no errors, 0 warnings"},
		{[]string{"check", "-s", bad}, 1, `content/a.md:2: unknown cadence "weakly"`},
		{[]string{"build", "-s", good, "-o", out}, 0, "built 1 guides"},
		{[]string{"build", "-s", bad, "-o", out}, 1, "was left as it was"},
		{[]string{"build", "--s", filepath.Join(good, "missing"), "-o", out}, 1, "is not a folder"},
	}
	for _, tt := range tests {
		code, o, e := runCLI(tt.args...)
		if code != tt.code || !strings.Contains(o+e, tt.output) {
			t.Errorf("coachbook %v: exit %d, want %d; output lacks %q:\n%s%s", tt.args, code, tt.code, tt.output, o, e)
		}
	}
	if _, err := os.Stat(filepath.Join(out, "a", "index.html")); err != nil {
		t.Errorf("the good build must survive the failed one: %v", err)
	}
}

func TestCheckStrict(t *testing.T) {
	dir := writeSite(t, map[string]string{"content/a.md": "+++\ntitel = \"A\"\n+++\n"})
	if code, o, _ := runCLI("check", "-s", dir); code != 0 || !strings.Contains(o, "warning: unknown front matter key") {
		t.Errorf("warnings alone: exit %d\n%s", code, o)
	}
	if code, _, _ := runCLI("check", "--strict", "-s", dir); code != 1 {
		t.Errorf("--strict must fail on warnings, exit %d", code)
	}
}

func TestBadDataRowsFailCheckButNotBuild(t *testing.T) {
	dir := writeSite(t, map[string]string{
		"content/a.md":        "# A\n",
		"data/team.toml":      "[[reps]]\nid = \"jdoe\"\nname = \"Jane Doe\"\n",
		"data/activities.csv": "date,rep,type,count\n2026-11-16,jdoe,calls,3\n2026-11-16,ghost,calls,3\n",
	})
	out := filepath.Join(t.TempDir(), "public")
	code, o, e := runCLI("build", "-s", dir, "-o", out)
	if code != 0 || !strings.Contains(o, "1 data row left out of the reports: see /reports/data-health/") {
		t.Fatalf("build: exit %d\n%s%s", code, o, e)
	}
	page, err := os.ReadFile(filepath.Join(out, "reports", "data-health", "index.html"))
	if err != nil || !strings.Contains(string(page), "data/activities.csv:3:12") {
		t.Errorf("the data-health page must list the row: %v", err)
	}
	if code, o, _ := runCLI("check", "-s", dir); code != 1 || !strings.Contains(o, `data/activities.csv:3:12: rep "ghost" is not in data/team.toml`) {
		t.Errorf("check: exit %d\n%s", code, o)
	}
	// A broken team file stops the build.
	os.WriteFile(filepath.Join(dir, "data", "team.toml"), []byte("[[reps]]\nid = \"jdoe\n"), 0o644)
	if code, _, e := runCLI("build", "-s", dir, "-o", out); code != 1 || !strings.Contains(e, "data/team.toml:2:") {
		t.Errorf("broken team.toml: exit %d\n%s", code, e)
	}
}

// Ctrl-C or SIGTERM (a cancelled context) stops build and check with
// status 130, leaving the previous output and no render folder.
func TestInterrupted(t *testing.T) {
	good := writeSite(t, map[string]string{"content/a.md": "+++\ntitle = \"A\"\n+++\n# A\n"})
	dir := t.TempDir()
	out := filepath.Join(dir, "public")
	if code, _, e := runCLI("build", "-s", good, "-o", out); code != 0 {
		t.Fatal(e)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	for _, args := range [][]string{{"build", "-s", good, "-o", out}, {"check", "-s", good}} {
		var o, e bytes.Buffer
		if code := run(ctx, args, &o, &e); code != 130 || !strings.Contains(e.String(), "stopped") {
			t.Errorf("%v: exit %d: %s%s", args, code, o.String(), e.String())
		}
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("left behind: %v", entries)
	}
	if _, err := os.Stat(filepath.Join(out, "a", "index.html")); err != nil {
		t.Error(err)
	}
}

// A layout mistake that fails every page is one problem, at the layout's
// line and column, shown with its lines.
func TestLayoutMistakeIsOneProblemWithItsLines(t *testing.T) {
	site := writeSite(t, map[string]string{
		"content/a.md": "# A\n", "content/b.md": "# B\n", "content/c.md": "# C\n",
		"themes/default/layouts/base.html": "<!DOCTYPE html>\n<html><body>\n<p>{{template \"nope\" .}}</p>\n{{block \"main\" .}}{{end}}\n</body></html>\n",
	})
	code, o, _ := runCLI("check", "-s", site)
	want := "themes/default/layouts/base.html:3:14: template: no such template \"nope\"\n" +
		"          1 | <!DOCTYPE html>\n" +
		"          2 | <html><body>\n" +
		"    >     3 | <p>{{template \"nope\" .}}</p>\n" +
		"          4 | {{block \"main\" .}}{{end}}\n" +
		"          5 | </body></html>\n" +
		"check: 1 error, 0 warnings\n"
	if code != 1 || o != want {
		t.Errorf("exit %d:\n%s\nwant:\n%s", code, o, want)
	}
}

// build --verbose names each stage that ran, in order, with its time.
func TestBuildVerboseStages(t *testing.T) {
	dir := writeSite(t, map[string]string{
		"content/a.md":        "# A\n",
		"data/team.toml":      "[[reps]]\nid = \"jdoe\"\nname = \"Jane Doe\"\n",
		"data/activities.csv": "date,rep,type,count\n2026-11-16,jdoe,calls,3\n",
	})
	code, o, e := runCLI("build", "--verbose", "-s", dir, "-o", filepath.Join(t.TempDir(), "public"))
	if code != 0 {
		t.Fatalf("exit %d\n%s%s", code, o, e)
	}
	last := -1
	for _, stage := range []string{"check output folder", "config", "theme", "content", "data", "checks", "model", "render playbook", "render reports", "write"} {
		i := strings.Index(o, "  "+stage+" ")
		if i <= last {
			t.Fatalf("stage %q missing or out of order:\n%s", stage, o)
		}
		last = i
	}
}

// A heap profile asked for is written even when the build is too small
// for the live heap to be sampled, and it reads as a pprof profile (gzip).
func TestBuildWritesHeapProfile(t *testing.T) {
	dir := writeSite(t, map[string]string{"content/a.md": "# A\n"})
	prof := filepath.Join(t.TempDir(), "heap.pprof")
	code, o, e := runCLI("build", "--memprofile", prof, "-s", dir, "-o", filepath.Join(t.TempDir(), "public"))
	if code != 0 {
		t.Fatalf("exit %d\n%s%s", code, o, e)
	}
	b, err := os.ReadFile(prof)
	if err != nil {
		t.Fatal(err)
	}
	if len(b) < 2 || b[0] != 0x1f || b[1] != 0x8b {
		t.Fatalf("heap profile is %d bytes and not gzip", len(b))
	}
}

// Issue 23, case 15: check quotes the lines around a problem; a control
// character in them (an escape that retitles the terminal) is shown
// escaped, never sent to the terminal.
func TestCheckEscapesControlCharacters(t *testing.T) {
	dir := writeSite(t, map[string]string{"content/a.md": "+++\nx\x1b]0;PWNED\a = 1\n+++\n# A\n"})
	_, o, e := runCLI("check", "-s", dir)
	if strings.ContainsAny(o+e, "\x1b\a") {
		t.Errorf("check printed control characters:\n%q", o+e)
	}
	if !strings.Contains(o, `x\x1b]0;PWNED\x07 = 1`) {
		t.Errorf("the quoted line must show them escaped:\n%s", o)
	}
}

// A warning repeated on many files is printed at its first few places,
// then counted; check still lists every one.
func TestRepeatedWarningCounted(t *testing.T) {
	files := map[string]string{}
	for i := range 10 {
		files[fmt.Sprintf("content/g%d.md", i)] = "+++\ntitle = \"G\"\nduration = \"30m\"\n[[agenda]]\nitem = \"Numbers\"\nminutes = 10\n+++\nBody.\n"
	}
	dir := writeSite(t, files)
	code, o, e := runCLI("build", "-s", dir, "-o", filepath.Join(t.TempDir(), "public"))
	if code != 0 {
		t.Fatalf("build: exit %d\n%s%s", code, o, e)
	}
	if n := strings.Count(e, "content/g"); n != shownRepeats {
		t.Errorf("build printed %d places of the repeated warning, want %d:\n%s", n, shownRepeats, e)
	}
	if !strings.Contains(e, "and 7 more places with this warning (coachbook check lists every one)") {
		t.Errorf("build does not count the rest:\n%s", e)
	}
	if _, o, _ := runCLI("check", "-s", dir); strings.Count(o, "content/g") < 10 {
		t.Errorf("check must list every place:\n%s", o)
	}
}

// The soft memory limit follows the live heap up, to 1.75 times as much
// (not Go's default of twice: a large org's peak memory is that limit),
// and comes back down to its floor when the data is let go.
func TestMemoryLimitFollowsLiveHeap(t *testing.T) {
	old := debug.SetMemoryLimit(-1)
	defer debug.SetMemoryLimit(old)
	const floor = 16 << 20
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() { followLiveHeap(floor, time.Millisecond, stop); close(done) }()
	defer func() { close(stop); <-done }()
	waitLimit := func(ok func(int64) bool) int64 {
		var lim int64
		for range 500 {
			runtime.GC()
			time.Sleep(2 * time.Millisecond)
			if lim = debug.SetMemoryLimit(-1); ok(lim) {
				break
			}
		}
		return lim
	}
	held := make([]byte, 64<<20)
	for i := range held {
		held[i] = 1
	}
	if lim := waitLimit(func(l int64) bool { return l >= 112<<20 }); lim < 112<<20 || lim >= 128<<20 {
		t.Errorf("limit %d MiB with 64 MiB live, want 112 MiB and a little more (1.75 times), under twice", lim>>20)
	}
	runtime.KeepAlive(held)
	held = nil
	if lim := waitLimit(func(l int64) bool { return l < 64<<20 }); lim >= 64<<20 {
		t.Errorf("limit %d MiB once the data is let go, want it back down", lim>>20)
	}
}
