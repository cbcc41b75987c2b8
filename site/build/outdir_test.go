package build

import (
	"bytes"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/coachbook/coachbook/site/internal/sitetest"
)

// writeSite writes an archive to a folder and returns its path.
func writeSite(t *testing.T, dir, archive string) string {
	t.Helper()
	for name, f := range sitetest.FS(archive) {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, f.Data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func toDir(t *testing.T, site, out string, opts Options) string {
	t.Helper()
	opts.Today = testDay
	_, diags := ToDir(os.DirFS(site), site, out, opts)
	if err := diags.Err(); err != nil {
		return err.Error()
	}
	return ""
}

// An output folder reached through a symbolic link, or inside the site's
// content/, data/ or themes/, is refused before anything is written.
func TestOutputThroughLinkOrInsideSiteRefused(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	site := writeSite(t, filepath.Join(dir, "realsite"), smallSite)
	if err := os.Symlink(site, filepath.Join(dir, "lnk")); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct{ site, out, want string }{
		{filepath.Join(dir, "lnk"), site, "holds the site itself"},
		{site, filepath.Join(dir, "lnk"), "holds the site itself"},
		{filepath.Join(dir, "lnk"), filepath.Join(site, "content", "pub"), "is, or is inside, the site's content/ folder"},
		{site, filepath.Join(dir, "lnk", "data", "x", "y"), "is, or is inside, the site's data/ folder"},
		{site, filepath.Join(site, "themes"), "is, or is inside, the site's themes/ folder"},
	} {
		if got := toDir(t, tt.site, tt.out, Options{}); !strings.Contains(got, tt.want) {
			t.Errorf("site %s, -o %s: got %q, want %q", tt.site, tt.out, got, tt.want)
		}
	}
	if _, err := os.Stat(filepath.Join(site, "content", "pub")); err == nil {
		t.Error("content/pub was created")
	}
	if got := snapshot(t, filepath.Join(site, "content")); len(got) != 4 {
		t.Errorf("content/ changed: %d files", len(got))
	}
}

// A folder coachbook did not write is never replaced without --overwrite,
// even with a .nojekyll; a previous build is, unless a file was added to
// it.
func TestOutputReplacedOnlyWhenAnUntouchedBuild(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	site := writeSite(t, filepath.Join(dir, "site"), smallSite)
	docs := filepath.Join(dir, "docs")
	writeSite(t, docs, "-- .nojekyll --\n-- about.html --\n<p>ours</p>\n")
	if got := toDir(t, site, docs, Options{}); !strings.Contains(got, "is not a coachbook build (it has no .coachbook-manifest)") {
		t.Errorf("got %q", got)
	}
	if b, err := os.ReadFile(filepath.Join(docs, "about.html")); err != nil || string(b) != "<p>ours</p>\n" {
		t.Fatalf("about.html: %q %v", b, err)
	}
	pub := filepath.Join(dir, "public")
	if got := toDir(t, site, pub, Options{}); got != "" {
		t.Fatal(got)
	}
	if got := toDir(t, site, pub, Options{}); got != "" {
		t.Fatalf("a previous build must be replaced: %s", got)
	}
	os.WriteFile(filepath.Join(pub, "weekly", "notes.txt"), []byte("mine"), 0o644)
	before := readTree(t, pub)
	if got := toDir(t, site, pub, Options{}); !strings.Contains(got, "holds weekly/notes.txt, which no coachbook build wrote") {
		t.Errorf("got %q", got)
	}
	// The refused build left the folder exactly as it was.
	if after := readTree(t, pub); !maps.EqualFunc(before, after, bytes.Equal) {
		t.Errorf("a refused build changed the output folder")
	}
	if got := toDir(t, site, docs, Options{Overwrite: true}); got != "" {
		t.Fatal(got)
	}
	if _, err := os.Stat(filepath.Join(docs, "about.html")); err == nil {
		t.Error("--overwrite replaces the folder")
	}
}

// Render folders of killed builds are removed by the next build; those
// of running processes (this one) and other names are kept.
func TestKilledBuildsRenderFoldersRemoved(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	site := writeSite(t, filepath.Join(dir, "site"), smallSite)
	out := filepath.Join(dir, "public")
	dead := filepath.Join(dir, ".public.coachbook-999999999-123")
	live := filepath.Join(dir, ".public.coachbook-1-456") // pid 1 always runs
	other := filepath.Join(dir, ".public.new-789")
	for _, d := range []string{dead, dead + ".old", live, other} {
		writeSite(t, d, "-- index.html --\nx\n")
	}
	if got := toDir(t, site, out, Options{}); got != "" {
		t.Fatal(got)
	}
	entries, _ := os.ReadDir(dir)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if strings.Join(names, " ") != ".public.coachbook-1-456 .public.new-789 public site" {
		t.Errorf("folders: %v", names)
	}
}

// The swap exchanges the render folder and the output, so the output
// never goes missing, and the old build is removed.
func TestSwapNeverLeavesOutputMissing(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a"), filepath.Join(dir, "b")
	writeSite(t, a, "-- new --\n")
	writeSite(t, b, "-- old --\n")
	if err := swap(a, b); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(b, "new")); err != nil {
		t.Error(err)
	}
	if _, err := os.Stat(filepath.Join(a, "old")); err != nil {
		t.Errorf("the old build must be at the render folder's name: %v", err)
	}
}

// Missing parents of the output folder are created.
func TestOutputParentsCreated(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	site := writeSite(t, filepath.Join(dir, "site"), smallSite)
	out := filepath.Join(dir, "x", "y", "out")
	if got := toDir(t, site, out, Options{}); got != "" {
		t.Fatal(got)
	}
	if _, err := os.Stat(filepath.Join(out, "index.html")); err != nil {
		t.Error(err)
	}
}

// A stopped build returns at once, and leaves the previous output and no
// render folder.
func TestStoppedBuildKeepsPreviousOutput(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	site := writeSite(t, filepath.Join(dir, "site"), smallSite)
	out := filepath.Join(dir, "public")
	if got := toDir(t, site, out, Options{}); got != "" {
		t.Fatal(got)
	}
	before := snapshot(t, out)
	stop := make(chan struct{})
	close(stop)
	if got := toDir(t, site, out, Options{Stop: stop}); !strings.Contains(got, "the build was stopped") {
		t.Errorf("got %q", got)
	}
	if after := snapshot(t, out); len(after) != len(before) {
		t.Errorf("output changed: %d -> %d files", len(before), len(after))
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 2 {
		t.Errorf("left behind: %v", entries)
	}
}

// A file under content/ and a generated page at one address is an error,
// for guides and report pages alike.
func TestFileAndGeneratedPageAtOneAddressRefused(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ extra, want string }{
		{"-- content/index.html --\n<p>mine</p>\n", "content/index.html: this file publishes at /index.html, where coachbook also writes a page it generates; rename or move the file"},
		{"-- content/weekly/activity-meeting/index.html --\nx\n", "content/weekly/activity-meeting/index.html: this file publishes at /weekly/activity-meeting/index.html"},
		{"-- data/team.toml --\n[[reps]]\nid = \"jdoe\"\n-- data/activities.csv --\ndate,rep,type\n2026-11-16,jdoe,calls\n-- content/reports/data-health/index.html --\nx\n", "content/reports/data-health/index.html: this file publishes at /reports/data-health/index.html"},
	} {
		_, diags := Run(sitetest.FS(smallSite+tt.extra), Options{Today: testDay}, Discard)
		if err := diags.Err(); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("got %v, want %q", err, tt.want)
		}
	}
}
