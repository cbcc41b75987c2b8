package build

import (
	"encoding/json"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/coachbook/coachbook/site/internal/goldentest"
	"github.com/coachbook/coachbook/site/internal/sitetest"
	"github.com/coachbook/coachbook/site/search"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

var testDay = time.Date(2026, 11, 19, 0, 0, 0, 0, time.UTC)

var smallSite = sitetest.Archive("testdata/small.txtar")

func buildMem(t *testing.T, archive string, opts Options) *MemSink {
	t.Helper()
	if opts.Today.IsZero() {
		opts.Today = testDay
	}
	opts.Version = "test"
	sink := &MemSink{}
	_, diags := Run(sitetest.FS(archive), opts, sink)
	if diags.Fatal() {
		t.Fatalf("build failed:\n%v", diags.Err())
	}
	return sink
}

func TestBuildWritesSiteFiles(t *testing.T) {
	t.Parallel()
	files := buildMem(t, smallSite, Options{}).Files
	for _, f := range []string{
		"index.html", "404.html", "weekly/index.html", "weekly/activity-meeting/index.html",
		"quarterly/review/index.html", "sitemap.xml", "robots.txt", ".nojekyll", "search/index.json", "search/p/0.json.gz", "search/s/ca.json.gz",
		"css/style.css", "js/site.js",
	} {
		if _, ok := files[f]; !ok {
			t.Errorf("missing %s", f)
		}
	}
	guide := string(files["weekly/activity-meeting/index.html"])
	for _, want := range []string{
		`<title>Activity meeting · Test &lt;Playbook&gt;</title>`,
		`Open the &lt;report&gt;`,
		`<td class="clock">0:10</td><td>Plan</td><td class="num">20</td>`,
		`href="/pb/quarterly/review/#levers"`,
		`<a href="/pb/weekly/activity-meeting/" aria-current="page">`,
		`href="/pb/css/style.css?v=`,
	} {
		if !strings.Contains(guide, want) {
			t.Errorf("guide page lacks %s", want)
		}
	}
	if sm := string(files["sitemap.xml"]); !strings.Contains(sm, "<loc>https://example.github.io/pb/weekly/activity-meeting/</loc>") {
		t.Errorf("sitemap:\n%s", sm)
	}
	if r := string(files["robots.txt"]); !strings.Contains(r, "Sitemap: https://example.github.io/pb/sitemap.xml") {
		t.Errorf("robots.txt:\n%s", r)
	}
	if nf := string(files["404.html"]); !strings.Contains(nf, `noindex`) || !strings.Contains(nf, `href="/pb/css/style.css`) {
		t.Error("404.html must be noindex and use absolute asset paths (it is served at any address)")
	}
	if n := checkLinks(t, files, "/pb/"); n < 20 {
		t.Errorf("only %d links checked", n)
	}
}

// TestGoldenPages compares whole pages with testdata/*.golden; run
// `go test ./site/build -run Golden -update` after an intended change.
func TestGoldenPages(t *testing.T) {
	t.Parallel()
	compareGolden(t, buildMem(t, smallSite, Options{}).Files, "index.html", "weekly/activity-meeting/index.html", "weekly/index.html")
}

// compareGolden compares output files with testdata/<path>.golden, or
// rewrites the golden files with -update; a difference prints where they
// part. Asset fingerprints are masked: they change with every stylesheet
// edit and have their own test.
func compareGolden(t *testing.T, files map[string][]byte, pages ...string) {
	t.Helper()
	fingerprint := regexp.MustCompile(`\?v=[0-9a-f]+`)
	for _, page := range pages {
		golden := filepath.Join("testdata", strings.ReplaceAll(page, "/", "_")+".golden")
		goldentest.Check(t, golden, fingerprint.ReplaceAll(files[page], []byte("?v=HASH")), *update)
	}
}

// TestExampleSiteLinks builds the repository's own example site as a GitHub
// Pages project site and checks every internal link, asset and fragment.
func TestExampleSiteLinks(t *testing.T) {
	t.Parallel()
	b := examples.pages.get()
	sink, res, diags := &MemSink{Files: b.files}, b.res, b.diags
	if diags.HasErrors() {
		t.Fatalf("the example site has errors:\n%v", diags.Err())
	}
	if len(diags) != 0 {
		t.Errorf("the example site should build without warnings:\n%v", diags)
	}
	if res.Stats.Guides < 10 {
		t.Errorf("the example playbook has only %d guides", res.Stats.Guides)
	}
	if n := checkLinks(t, sink.Files, "/playbook/"); n < 7500 { // the example has about 8,000, reports included
		t.Errorf("only %d links checked", n)
	}
}

func TestFailedBuildLeavesOutputUntouched(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	site := writeSite(t, filepath.Join(dir, "site"), smallSite)
	out := filepath.Join(dir, "public")
	if _, diags := ToDir(os.DirFS(site), site, out, Options{Today: testDay}); diags.HasErrors() {
		t.Fatal(diags.Err())
	}
	before := snapshot(t, out)
	guide := filepath.Join(site, "content/weekly/activity-meeting.md")
	if err := os.WriteFile(guide, []byte("+++\ntitle = \"broken\ncadence = \"weekly\"\n+++\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, diags := ToDir(os.DirFS(site), site, out, Options{Today: testDay.AddDate(0, 0, 1)})
	if err := diags.Err(); err == nil || !strings.HasPrefix(err.Error(), "content/weekly/activity-meeting.md:2:") {
		t.Fatalf("want an error at content/weekly/activity-meeting.md:2, got %v", err)
	}
	untouched(t, dir, out, before)
}

// untouched checks that the output folder out holds what before says, and
// that no folder but the site and out is left in dir.
func untouched(t *testing.T, dir, out string, before map[string]string) {
	t.Helper()
	after := snapshot(t, out)
	if len(before) != len(after) {
		t.Fatalf("file count changed: %d -> %d", len(before), len(after))
	}
	for name, data := range before {
		if after[name] != data {
			t.Errorf("%s changed after a failed build", name)
		}
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 2 {
		t.Errorf("temporary folders left behind: %v", entries)
	}
}

func snapshot(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		out[p] = string(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestOutputFolderSafety(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	if err := checkOutDir(dir, dir, false, nil); err == nil || !strings.Contains(err.Error(), "holds the site itself") {
		t.Errorf("building into the site folder must be refused: %v", err)
	}
	if err := checkOutDir(dir, filepath.Join(dir, "content"), false, nil); err == nil {
		t.Error("building into content/ must be refused")
	}
	other := filepath.Join(dir, "notes")
	os.MkdirAll(other, 0o755)
	os.WriteFile(filepath.Join(other, "todo.txt"), []byte("x"), 0o644)
	if err := checkOutDir(dir, other, false, nil); err == nil || !strings.Contains(err.Error(), "is not a coachbook build") {
		t.Errorf("a folder that is not a previous build must be refused: %v", err)
	}
	for _, p := range []string{"../x", "/etc/passwd", "a/../../b", "", `..\x`} {
		if _, err := SafePath(p); err == nil {
			t.Errorf("SafePath(%q) must fail", p)
		}
	}
	if p, err := SafePath("reports/reps/x/index.html"); err != nil || p != "reports/reps/x/index.html" {
		t.Errorf("SafePath: %q %v", p, err)
	}
}

func TestTemplateErrorsPointAtTheSitesFile(t *testing.T) {
	t.Parallel()
	site := sitetest.FS(smallSite + "-- themes/default/layouts/guide.html --\n{{define \"main\"}}\n<h1>{{.Guide.Titel}}</h1>\n{{end}}\n")
	_, diags := Run(site, Options{Today: testDay}, Discard)
	err := diags.Err()
	if err == nil || !strings.Contains(err.Error(), "themes/default/layouts/guide.html:2:") || !strings.Contains(err.Error(), "Titel") {
		t.Fatalf("want an error at themes/default/layouts/guide.html:2 naming Titel, got %v", err)
	}
}

// The theme draws the sidebar: a site's own partials/nav.html changes its
// markup, and marks the page's own link as it likes.
func TestThemeDrawsTheSidebar(t *testing.T) {
	nav := `{{define "nav"}}<ol class="my-nav">{{.Before}}{{.Here}}{{.After}}</ol>{{end}}
{{define "nav-link"}}<li><a href="{{url .URL}}"{{if .Here}} class="here" aria-current="page"{{end}}>{{or .Title .Kind}}</a></li>{{end}}
{{define "nav-section"}}<li><b>{{.Title}}</b>{{end}}
{{define "nav-sub"}}<ol>{{end}}{{define "nav-sub-end"}}</ol>{{end}}{{define "nav-section-end"}}</li>{{end}}
`
	files := buildMem(t, smallSite+"-- themes/default/layouts/partials/nav.html --\n"+nav, Options{}).Files
	guide := string(files["weekly/activity-meeting/index.html"])
	for _, want := range []string{
		`<ol class="my-nav"><li><a href="/pb/">home</a></li>`,
		`<li><b>Weekly</b><ol><li><a href="/pb/weekly/activity-meeting/" class="here" aria-current="page">Activity meeting</a></li>`,
	} {
		if !strings.Contains(guide, want) {
			t.Errorf("guide page lacks %s", want)
		}
	}
	side, _, _ := strings.Cut(guide[strings.Index(guide, `<ol class="my-nav">`)+1:], "</nav>")
	if strings.Count(side, "aria-current") != 1 {
		t.Errorf("one link is the page's own:\n%s", side)
	}
}

func exampleFS() fs.FS { return os.DirFS("../..") }

// TestPlaybookOnlyBuildHasNoRepData builds the example with reports off and
// searches every output file for every rep's and manager's id, name and
// email.
func TestPlaybookOnlyBuildHasNoRepData(t *testing.T) {
	t.Parallel()
	full := &MemSink{Files: clearExample(t)}
	team, err := os.ReadFile("../../data/team.toml")
	if err != nil {
		t.Fatal(err)
	}
	var needles []string
	for _, line := range strings.Split(string(team), "\n") {
		for _, key := range []string{"id", "name", "email"} {
			if v, ok := strings.CutPrefix(line, key+" = "); ok {
				needles = append(needles, strings.Trim(v, `"`))
			}
		}
	}
	if len(needles) < 30 {
		t.Fatalf("only %d names found in team.toml", len(needles))
	}
	// And what the reps committed to in their meetings.
	commitments, err := os.ReadFile("../../data/commitments.csv")
	if err != nil {
		t.Fatal(err)
	}
	texts := map[string]bool{}
	for _, line := range strings.Split(string(commitments), "\n")[1:] {
		if f := strings.Split(line, ","); len(f) >= 5 && !strings.HasPrefix(f[4], `"`) {
			texts[f[4]] = true
		}
	}
	if !texts["Ask Globex for an introduction to their CFO"] {
		t.Fatalf("the example's commitments do not include Jane Doe's: %v", texts)
	}
	for x := range texts {
		needles = append(needles, x)
	}
	found := func(files map[string][]byte, needle string) string {
		re := regexp.MustCompile(`(?i)\b` + regexp.QuoteMeta(needle) + `\b`)
		for name, data := range files {
			if re.Match(data) {
				return name
			}
		}
		return ""
	}
	// The full build does show them (so the search below can fail).
	for _, n := range []string{"Jane Doe", "Ask Globex for an introduction to their CFO"} {
		if found(full.Files, n) == "" {
			t.Fatalf("the full build should mention %q", n)
		}
	}
	for _, opts := range []Options{{NoReports: true}} {
		opts.Today = testDay
		sink := &MemSink{}
		if _, diags := Run(exampleFS(), opts, sink); diags.Fatal() {
			t.Fatal(diags.Err())
		}
		for name := range sink.Files {
			if strings.HasPrefix(name, "reports/") {
				t.Errorf("playbook-only build wrote %s", name)
			}
		}
		for _, n := range needles {
			if f := found(sink.Files, n); f != "" {
				t.Errorf("playbook-only build leaks %q in %s", n, f)
			}
		}
		if strings.Contains(string(sink.Files["robots.txt"]), "reports") || strings.Contains(string(sink.Files["index.html"]), "/reports/") {
			t.Error("a playbook-only build must not mention the reports")
		}
	}
}

// TestBuildsAreReproducible builds the example again beside the build the
// package's tests share: every file must come out the same, so published
// sites diff cleanly and nothing depends on map order or timing.
func TestBuildsAreReproducible(t *testing.T) {
	t.Parallel()
	outs := [2]*MemSink{{Files: clearExample(t)}, {}}
	if _, diags := Run(exampleFS(), Options{Today: testDay}, outs[1]); diags.Fatal() {
		t.Fatal(diags.Err())
	}
	if len(outs[0].Files) != len(outs[1].Files) {
		t.Fatalf("%d files, then %d", len(outs[0].Files), len(outs[1].Files))
	}
	for name, data := range outs[0].Files {
		if string(outs[1].Files[name]) != string(data) {
			t.Errorf("%s differs between two builds", name)
		}
	}
}

// The search index holds every word of a guide, cut at its headings: list
// items and table cells too, and the front matter's preparation and
// agenda at the top of the guide.
func TestSearchIndexHasEveryWord(t *testing.T) {
	t.Parallel()
	files := buildMem(t, smallSite+`
-- content/weekly/table.md --
+++
title = "Table"
+++
Before any heading.

## Who signs

| Role | Question |
| --- | --- |
| Finance | Who signs the order? |
`, Options{}).Files
	var got []string
	for _, g := range searchGuides(t, files) {
		for _, d := range g.D {
			got = append(got, fmt.Sprintf("%s|%s|%s|%s", g.U, d.H, d.A, d.X))
		}
	}
	want := []string{
		"/pb/quarterly/review/|||", // the title alone finds the guide
		"/pb/quarterly/review/|Levers|levers|",
		"/pb/weekly/activity-meeting/|||Open the <report> · Numbers · Plan",
		"/pb/weekly/activity-meeting/|Calls|calls|How many calls did you make? See the review.",
		"/pb/weekly/table/|||Before any heading.",
		"/pb/weekly/table/|Who signs|who-signs|Role Question Finance Who signs the order?",
	}
	if !slices.Equal(got, want) {
		t.Errorf("search/f/*.json.gz parts:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// searchGuide is a guide's file of the search index.
type searchGuide struct {
	T, U, S string
	D       []struct{ H, A, X string }
}

// unpackJSON decodes a file of the search index.
func unpackJSON(data []byte, v any) error {
	data, err := search.Unpack(data)
	if err != nil {
		return err
	}
	return json.Unmarshal(data, v)
}

// searchGuides reads the guides' files of the search index, by slot, as
// the page table names them.
func searchGuides(t *testing.T, files map[string][]byte) []searchGuide {
	t.Helper()
	var out []searchGuide
	for i := 0; ; i++ {
		data, ok := files[fmt.Sprintf("search/p/%d.json.gz", i)]
		if !ok {
			return out
		}
		var names []string
		if err := unpackJSON(data, &names); err != nil {
			t.Fatal(err)
		}
		for _, name := range names {
			var g searchGuide
			if err := unpackJSON(files["search/f/"+name+".json.gz"], &g); err != nil {
				t.Fatalf("search/f/%s.json.gz: %v", name, err)
			}
			out = append(out, g)
		}
	}
}

// Team reports are linked right under the home page's introduction, not
// below every section of the playbook.
func TestHomeLinksReportsFirst(t *testing.T) {
	t.Parallel()
	sink := &MemSink{Files: clearExample(t)}
	home := string(sink.Files["index.html"])
	callout, rhythm := strings.Index(home, `class="reports-callout"`), strings.Index(home, `id="rhythm-title"`)
	if callout < 0 || rhythm < 0 || callout > rhythm {
		t.Errorf("the reports link (at %d) must come before the coaching rhythm (at %d)", callout, rhythm)
	}
}
