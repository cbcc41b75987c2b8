package serve

import (
	"bufio"
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/coachbook/coachbook/site/build"
	"github.com/coachbook/coachbook/site/changes"
	"github.com/coachbook/coachbook/site/diag"
	"github.com/coachbook/coachbook/site/internal/sitetest"
	"github.com/coachbook/coachbook/site/render"
)

const guide = "+++\ntitle = \"Activity meeting\"\ncadence = \"weekly\"\n+++\n## Opportunity generation\n\nFirst version.\n"

// startServer serves a fresh site on a random port and returns its base URL.
func startServer(t testing.TB, files map[string]string) (dir, base string) {
	t.Helper()
	return startServerWith(t, files, nil)
}

// startServerWith is startServer calling setup, when not nil, with the
// server and its folder before it starts.
func startServerWith(t testing.TB, files map[string]string, setup func(s *Server, dir string)) (dir, base string) {
	t.Helper()
	dir = t.TempDir()
	for name, body := range files {
		writeFile(t, filepath.Join(dir, name), body)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := New(dir, build.Options{Version: "test"}, slog.New(slog.NewTextHandler(io.Discard, nil)))
	s.Out = io.Discard
	if setup != nil {
		setup(s, dir)
	}
	ready := make(chan string, 1)
	s.Ready = func(url string) { ready <- url }
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Serve(ctx, l) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Serve: %v", err)
		}
	})
	select {
	case base = <-ready:
	case err := <-done:
		t.Fatalf("server stopped: %v", err)
	case <-time.After(2 * time.Minute): // a generated playbook of thousands of guides on a busy machine
		t.Fatal("server did not start")
	}
	return dir, base
}

func writeFile(t testing.TB, p, body string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
}

func get(t testing.TB, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// events subscribes to the reload stream and returns a channel of event names.
func events(t testing.TB, base string) <-chan string {
	t.Helper()
	return eventsOf(t, base, "")
}

// eventsOf is events for a browser that shows the page at the URL path page.
func eventsOf(t testing.TB, base, page string) <-chan string {
	t.Helper()
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	u.Path = Prefix + "events"
	if page != "" {
		u.RawQuery = url.Values{"page": {page}}.Encode()
	}
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	ch := make(chan string, 16)
	connected := make(chan struct{})
	go func() {
		defer resp.Body.Close()
		sc := bufio.NewScanner(resp.Body)
		for sc.Scan() {
			line := sc.Text()
			if line == ": connected" {
				close(connected)
			}
			if ev, ok := strings.CutPrefix(line, "event: "); ok {
				ch <- ev
			}
		}
	}()
	<-connected
	return ch
}

func waitEvent(t testing.TB, ch <-chan string, want string) time.Duration {
	t.Helper()
	start := time.Now()
	for {
		select {
		case ev := <-ch:
			if ev == want {
				return time.Since(start)
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("no %q event within 10s", want)
		}
	}
}

func TestEditGuideReloads(t *testing.T) {
	dir, base := startServer(t, map[string]string{"content/weekly/activity.md": guide})
	code, body := get(t, base+"weekly/activity/")
	if code != 200 || !strings.Contains(body, "First version.") || !strings.Contains(body, Prefix+"reload.js") {
		t.Fatalf("initial page: %d\n%s", code, body)
	}
	ch := events(t, base)
	writeFile(t, filepath.Join(dir, "content/weekly/activity.md"), strings.Replace(guide, "First version.", "Second version.", 1))
	took := waitEvent(t, ch, "reload")
	t.Logf("write to reload event: %v", took)
	if _, body := get(t, base+"weekly/activity/"); !strings.Contains(body, "Second version.") {
		t.Errorf("the page was not rebuilt:\n%s", body)
	}
	// A guide created in a folder created after the server started.
	writeFile(t, filepath.Join(dir, "content/monthly/one-on-one.md"), "# One-on-one\n")
	waitEvent(t, ch, "reload")
	if code, _ := get(t, base+"monthly/one-on-one/"); code != 200 {
		t.Errorf("a guide in a new folder: status %d", code)
	}
}

func TestBrokenGuideShowsErrorAndRecovers(t *testing.T) {
	dir, base := startServer(t, map[string]string{"content/weekly/activity.md": guide})
	ch := events(t, base)
	file := filepath.Join(dir, "content/weekly/activity.md")
	writeFile(t, file, strings.Replace(guide, `cadence = "weekly"`, `cadence = "weekly`, 1))
	waitEvent(t, ch, "reload")
	code, body := get(t, base+"weekly/activity/")
	if code != 500 || !strings.Contains(body, "content/weekly/activity.md:3:") || !strings.Contains(body, `class="bad"><b>3</b>cadence = &#34;weekly</span>`) {
		t.Fatalf("error page: %d\n%s", code, body)
	}
	if !strings.Contains(body, Prefix+"reload.js") {
		t.Error("the error page must reload by itself")
	}
	// Assets of the last good build are still served.
	if code, _ := get(t, base+"css/style.css"); code != 200 {
		t.Errorf("stylesheet during the error: %d", code)
	}
	writeFile(t, file, guide)
	waitEvent(t, ch, "reload")
	if code, body := get(t, base+"weekly/activity/"); code != 200 || !strings.Contains(body, "First version.") {
		t.Errorf("after the fix: %d", code)
	}
}

func TestCSSChangeSwapsStylesheet(t *testing.T) {
	dir, base := startServer(t, map[string]string{
		"content/a.md":                        "# A\n",
		"themes/default/static/css/style.css": "body { color: red }\n",
	})
	ch := events(t, base)
	writeFile(t, filepath.Join(dir, "themes/default/static/css/style.css"), "body { color: blue }\n")
	waitEvent(t, ch, "css")
	if _, css := get(t, base+"css/style.css"); !strings.Contains(css, "blue") {
		t.Errorf("stylesheet not updated: %s", css)
	}
}

func TestServesUnderBasePath(t *testing.T) {
	_, base := startServer(t, map[string]string{
		"coachbook.toml": "base_url = \"https://org.github.io/playbook/\"\n",
		"content/a.md":   "# A\n",
	})
	if !strings.HasSuffix(base, "/playbook/") {
		t.Fatalf("base %s", base)
	}
	root := strings.TrimSuffix(base, "playbook/")
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Get(root)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusFound || resp.Header.Get("Location") != "/playbook/" {
		t.Errorf("/ should redirect to the base path: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	if code, body := get(t, base+"a/"); code != 200 || !strings.Contains(body, `href="/playbook/css/style.css`) {
		t.Errorf("page under the base path: %d", code)
	}
	if code, body := get(t, base+"missing/"); code != 404 || !strings.Contains(body, "Page not found") {
		t.Errorf("missing page: %d", code)
	}
}

func TestBuildOutputHasNoReloadScript(t *testing.T) {
	sink := &build.MemSink{}
	if _, diags := build.Run(os.DirFS("../.."), build.Options{}, sink); diags.HasErrors() {
		t.Fatal(diags.Err())
	}
	for name, data := range sink.Files {
		if strings.Contains(string(data), Prefix) {
			t.Errorf("%s contains the dev server's script", name)
		}
	}
}

func TestListenTakesNextFreePort(t *testing.T) {
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	l, err := Listen(busy.Addr().String(), slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	if l.Addr().String() == busy.Addr().String() {
		t.Error("must not reuse the busy port")
	}
}

func TestDataEditUpdatesReportsOnly(t *testing.T) {
	dir, base := startServer(t, map[string]string{
		"content/weekly/activity.md": guide,
		"data/team.toml":             "[[reps]]\nid = \"jdoe\"\nname = \"Jane Doe\"\n",
		"data/activities.csv":        "date,rep,type,count\n2026-11-16,jdoe,calls,3\n",
	})
	ch := events(t, base)
	_, before := get(t, base+"reports/reps/jdoe/week/2026-W47/metrics.json")
	if !strings.Contains(before, `"calls":3`) {
		t.Fatalf("before: %s", before)
	}
	writeFile(t, filepath.Join(dir, "data/activities.csv"), "date,rep,type,count\n2026-11-16,jdoe,calls,3\n2026-11-17,jdoe,calls,4\n")
	waitEvent(t, ch, "reload")
	if _, after := get(t, base+"reports/reps/jdoe/week/2026-W47/metrics.json"); !strings.Contains(after, `"calls":7`) {
		t.Errorf("the report did not change: %s", after)
	}
	// A broken data row is reported on the data-health page; the server stays up.
	writeFile(t, filepath.Join(dir, "data/activities.csv"), "date,rep,type,count\n2026-11-16,ghost,calls,3\n")
	waitEvent(t, ch, "reload")
	if code, body := get(t, base+"reports/data-health/"); code != 200 || !strings.Contains(body, "data/activities.csv:2:12") {
		t.Errorf("data health after a bad row: %d", code)
	}
}

func writeSiteDir(t *testing.T) string {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "content/a.md"), guide)
	writeFile(t, filepath.Join(dir, "data/team.toml"), "[[reps]]\nid = \"jdoe\"\n")
	writeFile(t, filepath.Join(dir, "data/activities.csv"), "date,rep,type\n2026-11-16,jdoe,calls\n")
	return dir
}

// A renamed guide changes the sidebar of every page, report pages included;
// a bad data row must not stop guide edits from taking the fast path.
func TestRenamedGuideRefreshesReportSidebar(t *testing.T) {
	dir := writeSiteDir(t)
	writeFile(t, filepath.Join(dir, "data/activities.csv"), "date,rep,type\n2026-11-16,jdoe,calls\n2026-11-16,ghost,calls\n")
	b := build.NewBuilder(os.DirFS(dir), build.Options{})
	sink := &build.MemSink{}
	if d := b.Build(build.ChangeAll, func(build.FileSet) render.Sink { return sink }).Diags; d.Fatal() {
		t.Fatal(d.Err())
	}
	// A text edit below the summary: only the guide is re-rendered, despite the bad row.
	writeFile(t, filepath.Join(dir, "content/a.md"), guide+"\n- One more question to ask\n")
	res := b.BuildFiles(build.ChangeContent, []string{"content/a.md"}, func(build.FileSet) render.Sink { return sink })
	if !res.Partial || len(res.FileSets) != 1 {
		t.Errorf("a text edit with a bad data row elsewhere: partial %v, parts %v", res.Partial, res.FileSets)
	}
	// A new title of a meeting guide: the guides are not read again, but
	// the report pages that link to it are re-rendered.
	writeFile(t, filepath.Join(dir, "content/a.md"), strings.Replace(guide, "Activity meeting", "Weekly check-in", 1))
	res = b.BuildFiles(build.ChangeContent, []string{"content/a.md"}, func(build.FileSet) render.Sink { return sink })
	if !res.Partial || len(res.FileSets) != 2 {
		t.Fatalf("a renamed guide rendered %v (partial %v)", res.FileSets, res.Partial)
	}
	if page := string(sink.Files["reports/reps/jdoe/week/2026-W47/index.html"]); !strings.Contains(page, "Weekly check-in") {
		t.Error("the week page still links to its meeting guide under the old title")
	}
}

func TestTerminalPrintsEachProblemOnce(t *testing.T) {
	var out strings.Builder
	s := New(writeSiteDir(t), build.Options{}, slog.New(slog.NewTextHandler(io.Discard, nil)))
	s.Out = &out
	s.printNew(diag.List{{File: "data/a.csv", Line: 3, Msg: "bad row"}})
	s.printNew(diag.List{{File: "data/a.csv", Line: 3, Msg: "bad row"}, {File: "content/b.md", Line: 1, Msg: "new"}})
	if got := out.String(); got != "  data/a.csv:3: bad row\n  content/b.md:1: new\n" {
		t.Errorf("printed:\n%s", got)
	}
}

func TestStylesheetOfAnotherThemeRebuilds(t *testing.T) {
	dir, base := startServer(t, map[string]string{
		"content/a.md":                        "# A\n",
		"themes/default/static/css/style.css": "body { color: red }\n",
		"themes/other/static/css/style.css":   "body { color: green }\n",
	})
	ch := events(t, base)
	writeFile(t, filepath.Join(dir, "themes/other/static/css/style.css"), "body { color: blue }\n")
	waitEvent(t, ch, "reload") // not "css": the active theme did not change
	if code, _ := get(t, base+"themes/other/static/css/style.css"); code != 404 {
		t.Errorf("another theme's file must not be served, status %d", code)
	}
}

// After a title edit, a rename and a delete, the edited page and every page
// that shows the guide agree: its siblings' sidebars, its neighbours'
// previous/next links, its section page, the home page and the reports.
func TestShapeEditsShowEverywhere(t *testing.T) {
	files := map[string]string{
		"data/team.toml":       "[[reps]]\nid = \"jdoe\"\n",
		"content/s1/_index.md": "+++\ntitle = \"Section one\"\n+++\n",
		"content/s2/_index.md": "+++\ntitle = \"Section two\"\n+++\n",
		"content/s2/other.md":  "+++\ntitle = \"Other section's guide\"\n+++\nText.\n",
		"content/s1/a.md":      "+++\ntitle = \"Alpha\"\nweight = 1\n+++\nSee [Bravo](b.md).\n",
		"content/s1/b.md":      "+++\ntitle = \"Bravo\"\nweight = 2\ncadence = \"weekly\"\n+++\n## Calls\n\nText.\n",
		"content/s1/c.md":      "+++\ntitle = \"Charlie\"\nweight = 3\n+++\nText.\n",
		"content/s1/d.md":      "+++\ntitle = \"Delta\"\nweight = 4\n+++\nText.\n",
	}
	dir, base := startServer(t, files)
	ch := events(t, base)
	mustShow := func(want string, urls ...string) {
		t.Helper()
		for _, u := range urls {
			if code, body := get(t, base+u); code != 200 || !strings.Contains(body, want) {
				t.Errorf("%s: status %d, %q missing", u, code, want)
			}
		}
	}
	mustNotShow := func(old string, urls ...string) {
		t.Helper()
		for _, u := range urls {
			if _, body := get(t, base+u); strings.Contains(body, old) {
				t.Errorf("%s still shows %q", u, old)
			}
		}
	}
	// Report pages show the sections only, not each guide (a large org has
	// tens of thousands of them), so a guide's title is not on them.
	everywhere := []string{"s1/b/", "s1/a/", "s1/c/", "s1/d/", "s1/", "", "s2/other/"}

	writeFile(t, filepath.Join(dir, "content/s1/b.md"), strings.Replace(files["content/s1/b.md"], "Bravo", "Bravo, renamed", 1))
	waitEvent(t, ch, "reload")
	mustShow("Bravo, renamed", everywhere...)

	// A rename: the old address is gone, the link to it is an error.
	if err := os.Rename(filepath.Join(dir, "content/s1/b.md"), filepath.Join(dir, "content/s1/bravo.md")); err != nil {
		t.Fatal(err)
	}
	waitEvent(t, ch, "reload")
	if code, body := get(t, base+"s1/c/"); code != 500 || !strings.Contains(body, `content/s1/a.md:5</div>`) || !strings.Contains(body, `link &#34;b.md&#34;: there is no guide content/s1/b.md`) {
		t.Errorf("a link to a renamed guide: %d\n%s", code, body)
	}
	writeFile(t, filepath.Join(dir, "content/s1/a.md"), strings.Replace(files["content/s1/a.md"], "b.md", "bravo.md", 1))
	waitEvent(t, ch, "reload")
	mustShow(`href="/s1/bravo/"`, "s1/a/", "s1/c/", "s1/", "")
	if code, _ := get(t, base+"s1/b/"); code != 404 {
		t.Errorf("the old address: status %d", code)
	}

	// A weight moves the guide: the neighbours' links follow.
	writeFile(t, filepath.Join(dir, "content/s1/d.md"), strings.Replace(files["content/s1/d.md"], "weight = 4", "weight = 0", 1))
	waitEvent(t, ch, "reload")
	mustShow(`<a class="next" href="/s1/d/"><span>Next</span>Delta</a>`, "s1/c/")

	// A delete: no page links to it any more.
	if err := os.Remove(filepath.Join(dir, "content/s1/c.md")); err != nil {
		t.Fatal(err)
	}
	waitEvent(t, ch, "reload")
	if code, _ := get(t, base+"s1/c/"); code != 404 {
		t.Errorf("the deleted guide: status %d", code)
	}
	mustNotShow("Charlie", "s1/a/", "s1/bravo/", "s1/d/", "s1/", "", "s2/other/", "reports/data-health/")
}

// Report pages are rendered when asked for, kept in a small cache, and
// rendered again after a data change.
func TestReportPagesRenderedOnRequest(t *testing.T) {
	dir := writeSiteDir(t)
	s := serverFor(t, dir)
	for _, files := range s.files {
		for name := range files {
			if strings.HasPrefix(name, "reports/") {
				t.Fatalf("%s rendered before it was asked for", name)
			}
		}
	}
	fetch := fetcher(s)
	if code, body := fetch("/reports/reps/jdoe/week/2026-W47/metrics.json"); code != 200 || !strings.Contains(body, `"calls":1`) {
		t.Fatalf("metrics.json on request: %d %s", code, body)
	}
	if code, body := fetch("/reports/reps/jdoe/week/2026-W47/"); code != 200 || !strings.Contains(body, "2026-W47") {
		t.Errorf("page on request: %d", code)
	}
	if code, _ := fetch("/reports/reps/jdoe/week/2026-W47"); code != http.StatusMovedPermanently {
		t.Errorf("a report folder without its slash: %d", code)
	}
	if code, _ := fetch("/reports/reps/nobody/"); code != 404 {
		t.Errorf("a report page that does not exist: %d", code)
	}
	if n := len(s.reports.order); n != 1 {
		t.Errorf("%d tasks rendered and cached, want the one asked for", n)
	}
	writeFile(t, filepath.Join(dir, "data/activities.csv"), "date,rep,type\n2026-11-16,jdoe,calls\n2026-11-17,jdoe,calls\n")
	s.rebuild(build.ChangeData, []string{"data/activities.csv"}, nil)
	if code, body := fetch("/reports/reps/jdoe/week/2026-W47/metrics.json"); code != 200 || !strings.Contains(body, `"calls":2`) {
		t.Errorf("after the data edit: %d %s", code, body)
	}
	// Reports turned off: their pages are gone.
	writeFile(t, filepath.Join(dir, "coachbook.toml"), "[reports]\nenabled = false\n")
	s.rebuild(build.ChangeConfig, []string{"coachbook.toml"}, nil)
	if code, _ := fetch("/reports/reps/jdoe/week/2026-W47/"); code != 404 {
		t.Errorf("a report page after reports were turned off: %d", code)
	}
	writeFile(t, filepath.Join(dir, "coachbook.toml"), "")
	s.rebuild(build.ChangeConfig, []string{"coachbook.toml"}, nil)
	// A mistake in a report layout shows on the page that needs it.
	writeFile(t, filepath.Join(dir, "themes/default/layouts/rep-week.html"), "{{define \"main\"}}{{.V.Nope}}{{end}}\n")
	s.rebuild(build.ChangeTheme, []string{"themes/default/layouts/rep-week.html"}, nil)
	if code, body := fetch("/reports/reps/jdoe/week/2026-W47/"); code != 500 || !strings.Contains(body, "rep-week.html") {
		t.Errorf("a broken report layout: %d\n%.2000s", code, body)
	}
}

// A commitment written in the sheet shows on the open week report at once:
// the file created, then a row added.
func TestNewCommitmentShowsOnTheWeekReport(t *testing.T) {
	dir, base := startServer(t, map[string]string{
		"content/weekly/activity.md": guide,
		"data/team.toml":             "[[reps]]\nid = \"jdoe\"\nname = \"Jane Doe\"\n",
		"data/activities.csv":        "date,rep,type,count\n2026-11-16,jdoe,calls,3\n",
	})
	const week = "reports/reps/jdoe/week/2026-W47/"
	ch := eventsOf(t, base, "/"+week)
	if _, before := get(t, base+week); strings.Contains(before, "Call five lapsed customers") {
		t.Fatal("the commitment shows before it is written")
	}
	const sheet = "date,rep,text,metric,number\n2026-11-16,jdoe,Call five lapsed customers,activity.calls,5\n"
	writeFile(t, filepath.Join(dir, "data/commitments.csv"), sheet)
	waitEvent(t, ch, "reload")
	_, after := get(t, base+week)
	if !strings.Contains(after, "This week&#39;s commitments") || !strings.Contains(after, "<q>Call five lapsed customers</q>") || !strings.Contains(after, "<strong>3</strong> of 5 so far") {
		t.Errorf("the new commitment is not on the week report:\n%.3000s", after)
	}
	writeFile(t, filepath.Join(dir, "data/commitments.csv"), sheet+"2026-11-16,jdoe,Ask Initech for a reference,,\n")
	waitEvent(t, ch, "reload")
	if _, after := get(t, base+week); !strings.Contains(after, "<q>Ask Initech for a reference</q>") {
		t.Errorf("the second commitment is not on the week report")
	}
}

// A guide edited and then committed while the server runs: the what's-new
// page shows the new commit's subject without a restart.
func TestNewCommitShowsWithoutRestart(t *testing.T) {
	var gitIn func(args ...string)
	dir, base := startServerWith(t, map[string]string{"content/weekly/activity.md": guide}, func(s *Server, dir string) {
		gitIn = func(args ...string) { t.Helper(); sitetest.Git(t, dir, nil, args...) }
		gitIn("init", "-q")
		gitIn("add", ".")
		gitIn("commit", "-q", "-m", "First subject")
		s.Opts.History = func() (changes.Log, error) { return changes.Git(dir) }
	})
	if _, body := get(t, base+"whats-new/"); !strings.Contains(body, "First subject") {
		t.Fatalf("what's new before the commit: no first subject\n%s", body)
	}
	ch := events(t, base)
	writeFile(t, filepath.Join(dir, "content/weekly/activity.md"), strings.Replace(guide, "First version.", "Second version.", 1))
	waitEvent(t, ch, "reload")
	gitIn("commit", "-q", "-a", "-m", "Second subject")
	waitEvent(t, ch, "reload")
	if _, body := get(t, base+"whats-new/"); !strings.Contains(body, "Second subject") || strings.Contains(body, "First subject") {
		t.Errorf("what's new after the commit must name the second commit alone:\n%s", body)
	}
}
