package build

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"net/http/httptest"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"github.com/coachbook/coachbook/site/internal/browsertest"
)

// axePath is where `make test` installs axe-core from npm, beside vnu-jar.
const axePath = "../../.cache/node_modules/axe-core/axe.min.js"

// kitchenSink is a guide with what an author may write that the example's
// guides do not: a wide table, code, callouts, a long unbroken word.
const kitchenSink = `+++
title = "Everything markdown can hold"
cadence = "as-needed"
summary = "A test guide with wide tables, code and callouts."
+++
## A wide table

| Rep | Region | Calls | Meetings set | Meetings held | Proposals | Pipeline created | Won | Lost | Notes from the ride-along |
| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |
| Jane Example | North-east territory | 57 | 6 | 5 | 2 | $146,600 | $112,600 | $10,000 | Asked every discovery question on the list |

> [!NOTE]
> Prepare with the report, not from memory.

> [!WARNING]
> A pattern of misses is a different conversation from one miss.

## Code

` + "```go" + `
// A comment, a "string" and 42.
func main() { fmt.Println("set six new meetings this week") }
` + "```" + `

https://example.com/a/very/long/address/that/never/breaks/because/it/has/no/spaces/anywhere/at/all/in/it
`

// exampleWith builds the example site, copied into dir with extra files
// added, into memory.
func exampleWith(dir string, extra map[string]string) (map[string][]byte, error) {
	for _, sub := range []string{"content", "data"} {
		if err := os.CopyFS(filepath.Join(dir, sub), os.DirFS(filepath.Join("../..", sub))); err != nil {
			return nil, err
		}
	}
	toml, err := os.ReadFile("../../coachbook.toml")
	if err != nil {
		return nil, err
	}
	files := map[string]string{"coachbook.toml": string(toml)}
	maps.Copy(files, extra)
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			return nil, err
		}
	}
	sink := &MemSink{}
	if _, diags := Run(os.DirFS(dir), Options{Version: "test", Today: testDay}, sink); diags.Fatal() {
		return nil, fmt.Errorf("build failed:\n%v", diags.Err())
	}
	return sink.Files, nil
}

// shared holds what the tests of this package share, each made once by
// the first test that needs it: the example built into memory (with the
// kitchen-sink guide) and the example built with its reports sealed, for
// the browser tests, and the generated org built to disk, for the
// incremental tests, in a folder TestMain removes.
var shared struct {
	dir string // a folder for the shared builds

	example     sync.Once
	exampleFile map[string][]byte
	exampleErr  error

	sealed    sync.Once
	sealedOut string
	sealedErr error

	org    sync.Once // the generated org built to disk (orgBuilt)
	orgDir string
}

// TestMain closes the browser the browser tests share and removes their
// shared builds.
func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "coachbook-build-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	shared.dir = dir
	code := browsertest.Main(m)
	os.RemoveAll(dir)
	os.Exit(code)
}

// sharedExample is the example site with the kitchen-sink guide, built
// into memory once for every browser test: serve it with serveFiles, and
// do not change it.
func sharedExample(t *testing.T) map[string][]byte {
	t.Helper()
	shared.example.Do(func() {
		shared.exampleFile, shared.exampleErr = exampleWith(filepath.Join(shared.dir, "example"), map[string]string{"content/skills/kitchen-sink.md": kitchenSink})
	})
	if shared.exampleErr != nil {
		t.Fatal(shared.exampleErr)
	}
	return shared.exampleFile
}

// serveFiles serves built files the way a static host does.
func serveFiles(t *testing.T, files map[string][]byte) string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name := strings.TrimPrefix(r.URL.Path, "/")
		if name == "" || strings.HasSuffix(name, "/") {
			name += "index.html"
		}
		data, ok := files[name]
		if !ok {
			http.NotFound(w, r)
			return
		}
		switch path.Ext(name) {
		case ".html":
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
		case ".css":
			w.Header().Set("Content-Type", "text/css")
		case ".js":
			w.Header().Set("Content-Type", "text/javascript")
		case ".svg":
			w.Header().Set("Content-Type", "image/svg+xml")
		}
		_, _ = w.Write(data)
	}))
	t.Cleanup(srv.Close)
	return srv.URL + "/"
}

// pageOfEachTemplate picks one built page for every page template: the
// latest period where a template has many.
func pageOfEachTemplate(t *testing.T, files map[string][]byte) map[string]string {
	t.Helper()
	pick := map[string]string{
		"home":                        "",
		"section":                     "weekly/",
		"guide":                       "weekly/activity-meeting/",
		"guide with a table and code": "skills/kitchen-sink/",
		"404":                         "404.html",
		"reports":                     "reports/",
		"metrics":                     "reports/metrics/",
		"data-health":                 "reports/data-health/",
	}
	patterns := map[string]string{
		"rep-home":      `^reports/reps/[^/]+/index\.html$`,
		"rep-week":      `^reports/reps/[^/]+/week/[^/]+/index\.html$`,
		"rep-month":     `^reports/reps/[^/]+/month/[^/]+/index\.html$`,
		"rep-quarter":   `^reports/reps/[^/]+/quarter/[^/]+/index\.html$`,
		"team week":     `^reports/teams/[^/]+/week/[^/]+/index\.html$`,
		"team month":    `^reports/teams/[^/]+/month/[^/]+/index\.html$`,
		"team quarter":  `^reports/teams/[^/]+/quarter/[^/]+/index\.html$`,
		"manager":       `^reports/managers/[^/]+/index\.html$`,
		"rep-history":   `^reports/reps/[^/]+/history/index\.html$`,
		"manager index": `^reports/managers/[^/]+/overview/index\.html$`,
	}
	var names []string
	for name := range files {
		names = append(names, name)
	}
	slices.Sort(names)
	for tmpl, pat := range patterns {
		re := regexp.MustCompile(pat)
		for _, name := range names {
			if re.MatchString(name) {
				pick[tmpl] = strings.TrimSuffix(name, "index.html")
			}
		}
		if _, ok := pick[tmpl]; !ok {
			t.Errorf("the example has no page of template %s (%s)", tmpl, pat)
		}
	}
	return pick
}

// axeFinding is one violation as axe-core reports it, cut to what a
// failure message needs.
type axeFinding struct {
	ID     string `json:"id"`
	Impact string `json:"impact"`
	Help   string `json:"help"`
	Nodes  []struct {
		Target  []any  `json:"target"`
		Summary string `json:"failureSummary"`
	} `json:"nodes"`
}

// pageCheck is what one page shows at one width and theme.
type pageCheck struct {
	ScrollWidth  int          `json:"scrollWidth"`
	InnerWidth   int          `json:"innerWidth"`
	Wide         []string     `json:"wide"`
	SmallText    []string     `json:"smallText"`
	Violations   []axeFinding `json:"violations"`
	MenuShadow   string       `json:"menuShadow"`
	ScrollRegion []string     `json:"scrollRegion"`
}

// checkScript measures the page and runs axe-core. It lists the elements
// wider than the window (to say what overflows), chart text drawn under
// 11 CSS pixels, the phone menu's shadow while it is closed, and scrolling
// regions a keyboard cannot reach.
const checkScript = `(async () => {
  const doc = document.documentElement, iw = window.innerWidth;
  const name = el => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") + (el.className && typeof el.className === "string" ? "." + el.className.trim().split(/\s+/).join(".") : "");
  const wide = [];
  for (const el of document.body.querySelectorAll("*")) {
    const r = el.getBoundingClientRect();
    if (r.width > 0 && r.right > iw + 0.5 && getComputedStyle(el).position !== "fixed" && !el.closest(".visually-hidden")) {
      let inScroller = false;
      for (let p = el.parentElement; p; p = p.parentElement) {
        const ox = getComputedStyle(p).overflowX;
        if (ox === "auto" || ox === "scroll" || ox === "hidden") { inScroller = true; break; }
      }
      if (!inScroller) wide.push(name(el) + " right=" + Math.round(r.right));
    }
  }
  const smallText = [];
  for (const tx of document.querySelectorAll("svg text")) {
    const h = tx.getBoundingClientRect().height, size = parseFloat(getComputedStyle(tx).fontSize);
    const svg = tx.ownerSVGElement, vb = svg.viewBox.baseVal;
    const scale = vb && vb.width ? svg.getBoundingClientRect().width / vb.width : 1;
    if (h > 0 && size * scale < 10.95) smallText.push(JSON.stringify(tx.textContent) + " " + (size * scale).toFixed(1) + "px");
  }
  const scrollRegion = [];
  for (const el of document.querySelectorAll("main *")) {
    const ox = getComputedStyle(el).overflowX;
    if ((ox === "auto" || ox === "scroll") && el.scrollWidth > el.clientWidth + 1) {
      if (el.tabIndex < 0 || !el.getAttribute("aria-label") && !el.getAttribute("aria-labelledby")) scrollRegion.push(name(el));
    }
  }
  const side = document.querySelector(".sidebar");
  const menuShadow = side && !document.body.classList.contains("nav-open") && getComputedStyle(side).visibility !== "hidden" && side.getBoundingClientRect().right <= 0 ? getComputedStyle(side).boxShadow : "none";
  const axeResult = await axe.run(document, { resultTypes: ["violations"] });
  return { scrollWidth: doc.scrollWidth, innerWidth: iw, wide: wide.slice(0, 8), smallText: smallText.slice(0, 8), scrollRegion, menuShadow,
    violations: axeResult.violations.filter(v => v.impact === "serious" || v.impact === "critical") };
})()`

// TestEveryTemplateInABrowser opens one page of every template in Chromium
// at 320, 390 and 1366 px, light and dark, and checks that nothing makes
// the page scroll sideways, chart text stays legible, every scrolling table
// can be reached and is named, and axe-core finds nothing serious or
// critical.
func TestEveryTemplateInABrowser(t *testing.T) {
	browsertest.Page(t)
	t.Parallel()
	axe, err := os.ReadFile(axePath)
	if err != nil {
		t.Fatalf("axe-core is missing (%v): run `make test`, which installs it with npm into .cache", err)
	}
	files := sharedExample(t)
	base := serveFiles(t, files)
	pages := pageOfEachTemplate(t, files)

	var templates []string
	for name := range pages {
		templates = append(templates, name)
	}
	slices.Sort(templates)
	// Each template in tabs of its own, beside the others.
	for _, tmpl := range templates {
		t.Run(tmpl, func(t *testing.T) {
			t.Parallel()
			ctx := browsertest.Tab(t, 5*time.Minute)
			url := base + pages[tmpl]
			for _, width := range []int64{320, 390, 1366} {
				if err := chromedp.Do(ctx, chromedp.EmulateViewport(width, 900), chromedp.Navigate(url), chromedp.WaitReady("body")); err != nil {
					t.Fatalf("%s: %v", url, err)
				}
				if _, err := chromedp.Run(ctx, chromedp.Evaluate[any](string(axe)+";0")); err != nil {
					t.Fatalf("loading axe-core into %s: %v", url, err)
				}
				for _, theme := range []string{"light", "dark"} {
					where := fmt.Sprintf("%s (/%s) at %d px, %s", tmpl, pages[tmpl], width, theme)
					c, err := runCheck(ctx, theme)
					if err != nil {
						t.Fatalf("%s: %v", where, err)
					}
					reportCheck(t, where, c)
				}
			}

			// Without JavaScript nothing scrolls sideways either.
			noJS := browsertest.Tab(t, 2*time.Minute)
			if err := chromedp.Do(noJS, withoutScripts); err != nil {
				t.Fatal(err)
			}
			for _, width := range []int64{320, 390} {
				where := fmt.Sprintf("%s (/%s) at %d px without JavaScript", tmpl, pages[tmpl], width)
				if err := chromedp.Do(noJS, chromedp.EmulateViewport(width, 900), chromedp.Navigate(url), chromedp.WaitReady("body")); err != nil {
					t.Fatalf("%s: %v", where, err)
				}
				got, err := chromedp.Run(noJS, chromedp.Evaluate[string](`document.documentElement.className + " " + document.documentElement.scrollWidth + " " + innerWidth`))
				if err != nil {
					t.Fatal(err)
				}
				var class string
				var sw, iw int
				if _, err := fmt.Sscan(got, &class, &sw, &iw); err != nil || class != "no-js" || sw > iw {
					t.Errorf("%s: class, scroll width and window width are %q", where, got)
				}
			}
		})
	}
}

// withoutScripts turns JavaScript off in a tab, for the pages it opens
// next.
var withoutScripts = chromedp.Func(func(ctx context.Context, tab *chromedp.Target) error {
	_, err := cdp.Call(ctx, tab, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true})
	return err
})

// serious runs axe-core (loading it first) on the page as it is now and
// returns its serious and critical findings.
func serious(ctx context.Context, axe []byte) ([]axeFinding, error) {
	raw, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(() => { if (!window.axe) { `+string(axe)+` } })(); axe.run(document, { resultTypes: ["violations"] }).then(r => JSON.stringify(r.violations.filter(v => v.impact === "serious" || v.impact === "critical")))`, chromedp.EvalAwaitPromise))
	if err != nil {
		return nil, err
	}
	var found []axeFinding
	return found, json.Unmarshal([]byte(raw), &found)
}

func runCheck(ctx context.Context, theme string) (pageCheck, error) {
	var c pageCheck
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[any](`document.documentElement.dataset.theme = "`+theme+`"`)); err != nil {
		return c, err
	}
	raw, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(`+checkScript+`).then(JSON.stringify)`, chromedp.EvalAwaitPromise))
	if err != nil {
		return c, err
	}
	return c, json.Unmarshal([]byte(raw), &c)
}

func reportCheck(t *testing.T, where string, c pageCheck) {
	t.Helper()
	if c.ScrollWidth > c.InnerWidth {
		t.Errorf("%s: the page scrolls sideways: %d px of content in a %d px window; too wide: %s", where, c.ScrollWidth, c.InnerWidth, strings.Join(c.Wide, ", "))
	}
	if len(c.SmallText) > 0 {
		t.Errorf("%s: chart text under 11 px: %s", where, strings.Join(c.SmallText, ", "))
	}
	if len(c.ScrollRegion) > 0 {
		t.Errorf("%s: scrolling regions without tabindex=0 and a label: %s", where, strings.Join(c.ScrollRegion, ", "))
	}
	if c.MenuShadow != "none" && c.MenuShadow != "" {
		t.Errorf("%s: the closed phone menu casts a shadow (%s)", where, c.MenuShadow)
	}
	for _, v := range c.Violations {
		var nodes []string
		for i, n := range v.Nodes {
			if i == 3 {
				nodes = append(nodes, fmt.Sprintf("and %d more", len(v.Nodes)-3))
				break
			}
			nodes = append(nodes, fmt.Sprint(n.Target)+": "+strings.ReplaceAll(n.Summary, "\n", " "))
		}
		t.Errorf("%s: axe %s %s (%s) on %d elements: %s", where, v.Impact, v.ID, v.Help, len(v.Nodes), strings.Join(nodes, "; "))
	}
}

// TestSearchInABrowser types coaching questions into the search box of the
// example on a 390 px phone: list items and table cells are found, words
// are stemmed and forgiven a typo, the results fit the screen and are a
// listbox, and a result opens its section with the words marked.
func TestSearchInABrowser(t *testing.T) {
	browsertest.Page(t)
	t.Parallel()
	files := sharedExample(t)
	base := serveFiles(t, files)
	ctx := browsertest.Tab(t, 2*time.Minute)
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(390, 800), chromedp.Navigate(base), chromedp.WaitVisible("#search-input")); err != nil {
		t.Fatal(err)
	}
	type result struct {
		Titles   []string `json:"titles"`
		First    string   `json:"first"`
		Href     string   `json:"href"`
		Marks    []string `json:"marks"`
		Left     float64  `json:"left"`
		Right    float64  `json:"right"`
		Width    float64  `json:"width"`
		Expanded string   `json:"expanded"`
		Role     string   `json:"role"`
	}
	search := func(q string) result {
		t.Helper()
		js := `(async () => {
  const input = document.getElementById("search-input");
  input.focus(); input.value = ` + strconvQuote(q) + `; input.dispatchEvent(new Event("input"));
  const list0 = document.getElementById("search-results");
  for (let i = 0; i < 500 && (list0.hidden || list0.getAttribute("aria-busy")); i++) await new Promise(r => setTimeout(r, 20));
  const list = document.getElementById("search-results"), box = list.getBoundingClientRect();
  const links = [...list.querySelectorAll("a")];
  return JSON.stringify({titles: links.map(a => a.querySelector(".r-title").textContent), first: links.length ? links[0].textContent : list.textContent,
    href: links.length ? links[0].getAttribute("href") : "", marks: [...list.querySelectorAll("mark")].map(m => m.textContent.toLowerCase()),
    left: box.left, right: box.right, width: innerWidth, expanded: input.getAttribute("aria-expanded"), role: links.length ? links[0].getAttribute("role") : ""});
})()`
		raw, err := chromedp.Run(ctx, chromedp.Evaluate[string](js, chromedp.EvalAwaitPromise))
		if err != nil {
			t.Fatalf("search %q: %v", q, err)
		}
		var r result
		if err := json.Unmarshal([]byte(raw), &r); err != nil {
			t.Fatal(err)
		}
		return r
	}

	// A question from a list item, and a word from the end of one.
	r := search("Which proposals are going out this week?")
	if len(r.Titles) == 0 || r.Titles[0] != "Weekly sales activity meeting" || !strings.Contains(r.First, "Which proposals are going out this week?") {
		t.Errorf("a list item's question: %+v", r)
	}
	if r.Left < 0 || r.Right > r.Width || r.Expanded != "true" || r.Role != "option" {
		t.Errorf("results must be an open listbox inside the 390 px screen: %+v", r)
	}
	// Five more coaching questions, copied from list items: each finds its
	// guide first, with the question's start in the snippet.
	for q, guide := range map[string]string{
		"Did they speak to the person who decides?":                               "Ride-alongs and observation",
		"Which rep has gone longest without a one-on-one?":                        "Running the coaching rhythm",
		"Does the rep lose to a competitor, or to \"no decision\"?":               "Diagnosing a rep on the performance levers",
		"Where did they come from: calls, referrals, events, existing customers?": "Weekly sales activity meeting",
		"Is the rep creating enough new pipeline every week?":                     "Diagnosing a rep on the performance levers",
	} {
		start := strings.Join(strings.Fields(q)[:4], " ") // the snippet may cut the rest
		if r := search(q); len(r.Titles) == 0 || r.Titles[0] != guide || !strings.Contains(r.First, start) {
			t.Errorf("%q should find %q first with the question in the snippet: %+v", q, guide, r)
		}
	}
	r = search("who signs")
	if len(r.Titles) == 0 || !strings.Contains(r.Href, "#account-development") || !slices.Contains(r.Marks, "signs") {
		t.Errorf("\"who signs\" should open the activity meeting's account development section with the word marked: %+v", r)
	}
	// Stemming: the index has "forecast", "forecasts", "forecasting".
	r = search("forecasting")
	if len(r.Titles) == 0 || r.Titles[0] != "Monthly pipeline and forecast meeting" {
		t.Errorf("forecasting: %+v", r)
	}
	// A typo in a word of five letters or more.
	typo := search("pipline")
	right := search("pipeline")
	if len(typo.Titles) == 0 || !slices.Equal(typo.Titles, right.Titles) {
		t.Errorf("pipline found %q, pipeline %q", typo.Titles, right.Titles)
	}
	// Every guide whose text holds the word, title first.
	holding := map[int]bool{}
	for i, g := range searchGuides(t, files) {
		for _, d := range g.D {
			if strings.Contains(strings.ToLower(g.T+" "+d.H+" "+d.X), "pipeline") {
				holding[i] = true
			}
		}
	}
	if len(right.Titles) != len(holding) || len(holding) < 5 || !strings.Contains(strings.ToLower(right.Titles[0]), "pipeline") {
		t.Errorf("pipeline found %d guides %q; %d guides hold the word", len(right.Titles), right.Titles, len(holding))
	}
	// Table cells are found too.
	if r := search("north-east territory discovery"); len(r.Titles) != 1 || r.Titles[0] != "Everything markdown can hold" {
		t.Errorf("a table cell: %+v", r)
	}
	if r := search("zzzzqx"); len(r.Titles) != 0 || !strings.Contains(r.First, "No guide mentions") {
		t.Errorf("no match: %+v", r)
	}

	// The open results, and the page a result opens, pass axe-core in both
	// themes.
	axe, err := os.ReadFile(axePath)
	if err != nil {
		t.Fatalf("axe-core is missing (%v): run `make test`, which installs it with npm into .cache", err)
	}
	checkAxe := func(what string) {
		t.Helper()
		for _, theme := range []string{"light", "dark"} {
			if _, err := chromedp.Run(ctx, chromedp.Evaluate[any](`document.documentElement.dataset.theme = "`+theme+`"`)); err != nil {
				t.Fatal(err)
			}
			found, err := serious(ctx, axe)
			if err != nil {
				t.Fatal(err)
			}
			reportCheck(t, what+", "+theme, pageCheck{ScrollWidth: 0, InnerWidth: 1, Violations: found})
		}
	}

	// Open a result: the section, with the searched words marked.
	search("who signs")
	checkAxe("search results open at 390 px")
	if err := chromedp.Do(ctx, chromedp.Click("#search-results a"), chromedp.WaitVisible("mark.search-hit")); err != nil {
		t.Fatal(err)
	}
	got, err := chromedp.Run(ctx, chromedp.Evaluate[string](`location.hash + " " + [...document.querySelectorAll("mark.search-hit")].map(m => m.textContent).join(",")`))
	if err != nil || got != "#account-development signs" {
		t.Errorf("landing page: %q %v", got, err)
	}
	checkAxe("a guide opened from search, words marked")

	// The theme switch says whether dark mode is on.
	pressed := func() string {
		t.Helper()
		v, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector(".theme-button").getAttribute("aria-pressed") + " " + (document.documentElement.dataset.theme || "")`))
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[any](`localStorage.setItem("coachbook-theme", "light"); location.reload()`)); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.WaitVisible(".theme-button")); err != nil {
		t.Fatal(err)
	}
	// site.js has run, and set up the button, once the page has loaded.
	browsertest.WaitFor(t, ctx, `document.readyState === "complete"`, "the reloaded page did not finish loading")
	before := pressed()
	if err := chromedp.Do(ctx, chromedp.Click(".theme-button")); err != nil {
		t.Fatal(err)
	}
	if after := pressed(); before != "false light" || after != "true dark" {
		t.Errorf("theme button: %q, then after a click %q; want \"false light\", \"true dark\"", before, after)
	}
}

func strconvQuote(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// TestPrefetchAndHistory rests the pointer on a guide's link: the page is
// fetched before the click. Back then returns to the same scroll position,
// as plain links always do.
func TestPrefetchAndHistory(t *testing.T) {
	browsertest.Page(t)
	t.Parallel()
	base := serveFiles(t, sharedExample(t))
	ctx := browsertest.Tab(t, time.Minute)
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(1366, 700), chromedp.Navigate(base+"skills/coaching-rhythm/"), chromedp.WaitVisible("h1")); err != nil {
		t.Fatal(err)
	}
	const next = `document.querySelector(".pager .next")`
	got, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(async () => {
  const a = `+next+`;
  a.scrollIntoView();
  a.dispatchEvent(new PointerEvent("pointerover", {bubbles: true}));
  for (let i = 0; i < 100; i++) {
    if (performance.getEntriesByType("resource").some(e => e.name === a.href)) return "fetched " + a.getAttribute("href") + " at " + Math.round(scrollY / 100) * 100;
    await new Promise(r => setTimeout(r, 20));
  }
  return "not fetched: " + [...document.querySelectorAll("link[rel=prefetch]")].map(l => l.href).join(" ");
})()`, chromedp.EvalAwaitPromise))
	if err != nil || !strings.HasPrefix(got, "fetched /") {
		t.Fatalf("hovering the next guide's link: %q %v", got, err)
	}
	scrolled, _ := chromedp.Run(ctx, chromedp.Evaluate[float64](`scrollY`))
	if err := chromedp.Do(ctx, chromedp.Click(".pager .next"), chromedp.WaitVisible(".pager .prev")); err != nil {
		t.Fatal(err)
	}
	// history.back, not chromedp.NavigateBack: a page restored from the
	// back-forward cache fires no load event to wait for.
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[any](`history.back()`)); err != nil {
		t.Fatal(err)
	}
	browsertest.WaitFor(t, ctx, fmt.Sprintf(`location.pathname === "/skills/coaching-rhythm/" && Math.round(scrollY) === %.0f`, scrolled),
		fmt.Sprintf("back did not return to the guide at scroll %.0f", scrolled))
	back, err := chromedp.Run(ctx, chromedp.Evaluate[string](`location.pathname + " " + Math.round(scrollY)`))
	if err != nil || back != fmt.Sprintf("/skills/coaching-rhythm/ %.0f", scrolled) {
		t.Errorf("back: %q, want the guide at scroll %.0f (%v)", back, scrolled, err)
	}
}

// TestMonthReportsPrintOnTwoPages prints every month report of the example
// on Letter and A4 paper, as a manager does before a one-on-one, and
// counts the sheets: at most two, whatever the month holds.
func TestMonthReportsPrintOnTwoPages(t *testing.T) {
	browsertest.Page(t)
	t.Parallel()
	files := sharedExample(t)
	base := serveFiles(t, files)
	month := regexp.MustCompile(`^reports/reps/[^/]+/month/[^/]+/index\.html$`)
	var pages []string
	for name := range files {
		if month.MatchString(name) {
			pages = append(pages, strings.TrimSuffix(name, "index.html"))
		}
	}
	slices.Sort(pages)
	if len(pages) < 10 {
		t.Fatalf("%d month reports in the example, want at least 10", len(pages))
	}
	sheet := regexp.MustCompile(`/Type\s*/Page\b`)
	for _, p := range pages {
		t.Run(strings.ReplaceAll(strings.Trim(p, "/"), "/", "_"), func(t *testing.T) {
			t.Parallel()
			ctx := browsertest.Tab(t, 2*time.Minute)
			if err := chromedp.Do(ctx, chromedp.Navigate(base+p), chromedp.WaitReady("body")); err != nil {
				t.Fatal(err)
			}
			for _, paper := range []struct {
				name string
				size chromedp.PaperSize
			}{{"Letter", chromedp.PaperLetter}, {"A4", chromedp.PaperA4}} {
				pdf, err := chromedp.Run(ctx, chromedp.PrintToPDF(chromedp.PDFPaper(paper.size)))
				if err != nil {
					t.Fatal(err)
				}
				if n := len(sheet.FindAll(pdf, -1)); n == 0 || n > 2 {
					t.Errorf("/%s prints on %d %s pages, want at most 2", p, n, paper.name)
				}
			}
		})
	}
}
