package serve

import (
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/coachbook/coachbook/site/build"
	"github.com/coachbook/coachbook/site/search"
)

// serverFor is a server for the site in dir, built once in this
// goroutine, with no watcher and no listener: the caller calls rebuild and
// ServeHTTP itself. Its background rendering never starts (rest is held),
// so a test sees the files a rebuild leaves for later.
func serverFor(t testing.TB, dir string) *Server {
	t.Helper()
	s := New(dir, build.Options{}, slog.New(slog.NewTextHandler(io.Discard, nil)))
	s.Out = io.Discard
	s.site = os.DirFS(dir)
	s.builder = build.NewBuilder(s.site, s.Opts)
	s.builder.ReportsOnRequest()
	s.rest.Store(true)
	s.rebuild(build.ChangeAll, nil, nil)
	return s
}

// fetcher requests a path of s.
func fetcher(s *Server) func(path string) (int, string) {
	return func(path string) (int, string) {
		rec := httptest.NewRecorder()
		req := httptest.NewRequest(http.MethodGet, path, nil)
		req.Host = "localhost" // the server answers to its own names only
		s.ServeHTTP(rec, req)
		return rec.Code, rec.Body.String()
	}
}

// localServer is serverFor a new folder holding files.
func localServer(t *testing.T, files map[string]string) (s *Server, dir string, fetch func(string) (int, string)) {
	t.Helper()
	dir = t.TempDir()
	for name, body := range files {
		writeFile(t, filepath.Join(dir, name), body)
	}
	s = serverFor(t, dir)
	if s.failed {
		t.Fatalf("first build failed: %v", s.diags)
	}
	return s, dir, fetcher(s)
}

// manyGuides is a playbook of n guides in sections of 100: past 300
// guides the sidebar lists only the current section's guides, so a guide
// edit re-renders only the pages that show it.
func manyGuides(n int) map[string]string {
	files := map[string]string{}
	for i := range n {
		if i%100 == 0 {
			files[fmt.Sprintf("content/s%d/_index.md", i/100)] = fmt.Sprintf("+++\ntitle = \"Section %d\"\nweight = %d\n+++\n", i/100, i/100+1)
		}
		files[fmt.Sprintf("content/s%d/g%d.md", i/100, i)] = fmt.Sprintf("+++\ntitle = \"Guide %d\"\nweight = %d\ncadence = \"weekly\"\n+++\nText of guide %d.\n", i, i%100+1, i)
	}
	return files
}

// After a title edit, the open page and every page that shows the title
// agree: its neighbours (previous/next links and the section's sidebar),
// the section page and the home page.
func TestTitleEditShowsOnSiblingsAndSection(t *testing.T) {
	files := manyGuides(350)
	s, dir, fetch := localServer(t, files)
	name := "content/s1/g150.md"
	writeFile(t, filepath.Join(dir, name), strings.Replace(files[name], "Guide 150", "Guide 150, renamed", 1))
	s.rebuild(build.ChangeContent, []string{name}, nil)
	for _, u := range []string{"/s1/g150/", "/s1/g149/", "/s1/g151/", "/s1/g120/", "/s1/", "/"} {
		if code, body := fetch(u); code != 200 || !strings.Contains(body, "Guide 150, renamed") {
			t.Errorf("%s: status %d, the new title missing", u, code)
		}
	}
	if _, body := fetch("/s1/g151/"); !strings.Contains(body, `<span>Previous</span>Guide 150, renamed</a>`) {
		t.Errorf("the next guide's previous link does not show the new title")
	}
	// The last guide of a section: its next guide is in another section,
	// whose sidebar does not list it.
	name = "content/s1/g199.md"
	writeFile(t, filepath.Join(dir, name), strings.Replace(files[name], "Guide 199", "Guide 199, renamed", 1))
	s.rebuild(build.ChangeContent, []string{name}, nil)
	if _, body := fetch("/s2/g200/"); !strings.Contains(body, `<span>Previous</span>Guide 199, renamed</a>`) {
		t.Errorf("the next section's first guide does not show the new title in its previous link")
	}
}

// A layout edit renders the pages open in a browser before the reload; the
// others wait, and one requested before its turn is rendered for that
// request: no page of the old layout is ever served.
func TestLayoutEditRendersOpenPagesFirst(t *testing.T) {
	files := manyGuides(350)
	files["themes/default/layouts/guide.html"] = readTheme(t, "layouts/guide.html")
	s, dir, fetch := localServer(t, files)
	s.hub.clients[make(chan string, 4)] = "/s2/g201/" // a browser shows this page

	layout := strings.Replace(files["themes/default/layouts/guide.html"], `{{define "main"}}`, `{{define "main"}}<p class="new-layout">new</p>`, 1)
	if layout == files["themes/default/layouts/guide.html"] {
		t.Fatal("guide.html has no main template to change")
	}
	writeFile(t, filepath.Join(dir, "themes/default/layouts/guide.html"), layout)
	s.rebuild(build.ChangeTheme, []string{"themes/default/layouts/guide.html"}, nil)

	if s.pending["s2/g201/index.html"] || !strings.Contains(string(s.files[build.PlaybookFiles]["s2/g201/index.html"]), "new-layout") {
		t.Errorf("the open page was not rendered with the new layout before the reload")
	}
	if !s.pending["s0/g7/index.html"] {
		t.Fatalf("a page no browser shows was rendered before the reload (%d files wait)", len(s.pending))
	}
	for _, u := range []string{"/s0/g7/", "/s3/g333/"} {
		if code, body := fetch(u); code != 200 || !strings.Contains(body, "new-layout") {
			t.Errorf("%s right after the reload: status %d, not the new layout", u, code)
		}
	}
	if code, _ := fetch("/s0"); code != http.StatusMovedPermanently {
		t.Errorf("a waiting section page without its slash: status %d", code)
	}
	// The search index waits too (a layout edit changes none of it), and
	// a query right after the reload finds it.
	if !s.pending["search/"] {
		t.Errorf("the search index was made again before the reload")
	}
	if code, body := fetch("/search/index.json"); code != 200 || !strings.Contains(body, "{") {
		t.Errorf("the search index right after the reload: status %d", code)
	}

	// A guide edit while pages wait: they stay waiting, and show the edit
	// when rendered.
	name := "content/s3/g334.md"
	writeFile(t, filepath.Join(dir, name), strings.Replace(files[name], "Text of guide 334.", "Edited while waiting.", 1))
	s.rebuild(build.ChangeContent, []string{name}, nil)
	if !s.pending["s0/g8/index.html"] {
		t.Errorf("a guide edit rendered the pages waiting after the layout edit")
	}

	// The background rendering renders the rest.
	s.rest.Store(false)
	s.renderRest()
	if len(s.pending) != 0 {
		t.Fatalf("%d files still wait", len(s.pending))
	}
	for _, p := range []string{"s0/g8/index.html", "s3/g349/index.html", "s3/g334/index.html"} {
		if !strings.Contains(string(s.files[build.PlaybookFiles][p]), "new-layout") {
			t.Errorf("%s: not the new layout after the background rendering", p)
		}
	}
	if _, body := fetch("/s3/g334/"); !strings.Contains(body, "Edited while waiting.") {
		t.Errorf("the guide edited while it waited does not show the edit")
	}
}

func readTheme(t *testing.T, name string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("../../themes/default", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// A layout mistake that only a waiting page meets fails the site when that
// page is rendered, like a failed build: every page shows it until the fix.
func TestLayoutMistakeInAWaitingPage(t *testing.T) {
	files := manyGuides(350)
	files["themes/default/layouts/guide.html"] = readTheme(t, "layouts/guide.html")
	s, dir, fetch := localServer(t, files)
	s.hub.clients[make(chan string, 4)] = "/s2/g201/"
	good := files["themes/default/layouts/guide.html"]
	bad := strings.Replace(good, `{{define "main"}}`, `{{define "main"}}{{if eq .Guide.Title "Guide 7"}}{{.Nope}}{{end}}`, 1)
	writeFile(t, filepath.Join(dir, "themes/default/layouts/guide.html"), bad)
	s.rebuild(build.ChangeTheme, []string{"themes/default/layouts/guide.html"}, nil)
	if s.failed {
		t.Fatalf("the open page does not meet the mistake, yet the build failed: %v", s.diags)
	}
	if code, body := fetch("/s0/g7/"); code != 500 || !strings.Contains(body, "guide.html") || !strings.Contains(body, "Nope") {
		t.Errorf("the page that meets the mistake: status %d\n%.1500s", code, body)
	}
	if code, _ := fetch("/s2/g201/"); code != 500 {
		t.Errorf("another page after the mistake: status %d, want the error page", code)
	}
	writeFile(t, filepath.Join(dir, "themes/default/layouts/guide.html"), good)
	s.rebuild(build.ChangeTheme, []string{"themes/default/layouts/guide.html"}, nil)
	if code, body := fetch("/s0/g7/"); code != 200 || !strings.Contains(body, "Guide 7") {
		t.Errorf("after the fix: status %d", code)
	}
}

// A guide edit renders the open page before the reload; what else it
// changes (here the neighbours and the section page, which show the new
// title) waits, and is rendered fresh when asked for.
func TestGuideEditRendersOpenPageFirst(t *testing.T) {
	files := manyGuides(350)
	s, dir, fetch := localServer(t, files)
	s.hub.clients[make(chan string, 4)] = "/s1/g150/"
	name := "content/s1/g150.md"
	writeFile(t, filepath.Join(dir, name), strings.Replace(files[name], "Guide 150", "Guide 150, renamed", 1))
	s.rebuild(build.ChangeContent, []string{name}, nil)
	if !strings.Contains(string(s.files[build.PlaybookFiles]["s1/g150/index.html"]), "Guide 150, renamed") {
		t.Errorf("the open page was not rendered before the reload")
	}
	for _, p := range []string{"s1/g151/index.html", "s1/index.html"} {
		if !s.pending[p] {
			t.Errorf("%s was rendered before the reload", p)
		}
	}
	for _, u := range []string{"/s1/g151/", "/s1/"} {
		if code, body := fetch(u); code != 200 || !strings.Contains(body, "Guide 150, renamed") {
			t.Errorf("%s right after the reload: status %d, without the new title", u, code)
		}
	}
	// The search index is brought up to date after the reload, or when a
	// query asks for it first: then with the new title.
	if !s.pending["search/"] {
		t.Errorf("the search index was brought up to date before the reload")
	}
	if code, body := fetch("/search/p/0.json.gz"); code != 200 || body == "" {
		t.Errorf("the search index's page table right after the reload: status %d", code)
	}
	found := false
	for p, data := range s.files[build.PlaybookFiles] {
		text, err := search.Unpack(data)
		if strings.HasPrefix(p, "search/f/") && err == nil && strings.Contains(string(text), "Guide 150, renamed") {
			found = true
		}
	}
	if !found {
		t.Errorf("no file of the search index holds the new title")
	}
}
