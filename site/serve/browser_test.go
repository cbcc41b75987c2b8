package serve

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/coachbook/coachbook/site/internal/browsertest"
)

func TestMain(m *testing.M) { os.Exit(browsertest.Main(m)) }

// browser opens a tab of the shared Chromium, or skips the test under
// -short. In its pages, window.cbStream is the live-reload event stream,
// so a test can wait for it to be open (see streamOpen).
func browser(t *testing.T) context.Context {
	t.Helper()
	ctx := browsertest.Tab(t, 60*time.Second)
	remember := chromedp.Func(func(ctx context.Context, tab *chromedp.Target) error {
		_, err := cdp.Call(ctx, tab, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{
			Source: `(() => { const ES = window.EventSource; window.EventSource = function (...a) { return window.cbStream = new ES(...a); }; })()`,
		})
		return err
	})
	if err := chromedp.Do(ctx, remember); err != nil {
		t.Fatal(err)
	}
	return ctx
}

// streamOpen is true once the page listens to the server's reload events:
// the server sends an edit's reload only to the pages listening then.
const streamOpen = `!!window.cbStream && window.cbStream.readyState === 1` // OPEN

// TestBrowserReloadsOnEdit opens a guide in a real browser, edits the file,
// and waits for the page to show the new text by itself, at the same scroll
// position.
func TestBrowserReloadsOnEdit(t *testing.T) {
	long := guide + strings.Repeat("\nA paragraph to make the page long enough to scroll.\n", 80) + "\nThe end.\n"
	ctx := browser(t)
	dir, base := startServer(t, map[string]string{"content/weekly/activity.md": long})
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"weekly/activity/"), chromedp.WaitVisible("h1")); err != nil {
		t.Fatal(err)
	}
	before, err := chromedp.Run(ctx, chromedp.Text(".prose"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(before, "First version.") {
		t.Fatalf("page text: %q", before)
	}
	// A reload in between fails one evaluation, which WaitFor expects.
	waitFor := func(js, what string) {
		t.Helper()
		browsertest.WaitFor(t, ctx, js, what)
	}
	// Scroll down, and wait for the page to listen for the reload.
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[any](`window.scrollTo(0, 600)`)); err != nil {
		t.Fatal(err)
	}
	waitFor(streamOpen, "the page did not open its event stream")

	writeFile(t, filepath.Join(dir, "content/weekly/activity.md"), strings.Replace(long, "First version.", "Edited in the editor.", 1))
	waitFor(`document.body.innerText.includes("Edited in the editor.") && document.readyState === "complete"`, "the page did not reload by itself")
	// The scroll position comes back on the load event.
	waitFor(`window.scrollY >= 500`, "scroll position lost on reload")

	// Break the front matter: the browser shows the error page, then
	// recovers when the file is fixed.
	writeFile(t, filepath.Join(dir, "content/weekly/activity.md"), strings.Replace(long, `cadence = "weekly"`, `cadence = "weekly`, 1))
	// As above: the error page must open its event stream before the fix
	// is saved, or the fix's reload event reaches no one (a rebuild of this
	// site takes a few milliseconds).
	waitFor(`document.body.innerText.includes("content/weekly/activity.md:3") && `+streamOpen, "no error page, or it does not listen for the fix")
	writeFile(t, filepath.Join(dir, "content/weekly/activity.md"), long)
	waitFor(`document.body.innerText.includes("First version.")`, "the page did not recover after the fix")
}

// TestBrowserSearchAndTheme types in the search box of a real browser and
// follows the first result, then flips the theme switch.
func TestBrowserSearchAndTheme(t *testing.T) {
	ctx := browser(t)
	_, base := startServer(t, map[string]string{
		"content/weekly/activity.md":       guide,
		"content/skills/accountability.md": "+++\ntitle = \"Accountability\"\n+++\n## The Thursday-afternoon test\n\nCould the rep still change the outcome by Friday?\n",
	})
	if err := chromedp.Do(ctx,
		chromedp.Navigate(base),
		chromedp.WaitVisible("#search-input"),
		chromedp.SendKeys("#search-input", "thursday"),
		chromedp.WaitVisible("#search-results a"),
	); err != nil {
		t.Fatal(err)
	}
	first, err := chromedp.Run(ctx, chromedp.Text("#search-results li"))
	if err != nil || !strings.Contains(first, "Accountability") {
		t.Fatalf("first result %q, %v", first, err)
	}
	if err := chromedp.Do(ctx, chromedp.Click("#search-results a"), chromedp.WaitVisible("h1")); err != nil {
		t.Fatal(err)
	}
	url, err := chromedp.Run(ctx, chromedp.Evaluate[string](`location.pathname + location.hash`))
	if err != nil || url != "/skills/accountability/#the-thursday-afternoon-test" {
		t.Errorf("the result should open the matching section, got %q %v", url, err)
	}
	// The theme's module scripts load after the page shows: wait until
	// they have started before pressing their button.
	browsertest.WaitFor(t, ctx, `document.documentElement.coachbookStarted === true`, "the guide page's scripts never started")
	if err := chromedp.Do(ctx, chromedp.Click(".theme-button")); err != nil {
		t.Fatal(err)
	}
	theme, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.documentElement.dataset.theme + " " + getComputedStyle(document.body).backgroundColor`))
	if err != nil || !strings.HasPrefix(theme, "dark rgb(20, 24, 29)") {
		t.Errorf("theme switch: %q %v", theme, err)
	}
}

// TestBrowserSearchAfterEdit searches a served playbook, edits a guide, and
// searches again: the new word is found and the old one is not, from the
// index the server updated for that guide alone.
func TestBrowserSearchAfterEdit(t *testing.T) {
	ctx := browser(t)
	dir, base := startServer(t, map[string]string{
		"content/weekly/activity.md":       guide,
		"content/skills/accountability.md": "+++\ntitle = \"Accountability\"\n+++\n## The Thursday-afternoon test\n\nCould the rep still change the outcome by Friday?\n",
	})
	search := func(q string) string {
		t.Helper()
		if err := chromedp.Do(ctx, chromedp.Navigate(base), chromedp.WaitVisible("#search-input")); err != nil {
			t.Fatal(err)
		}
		got, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(async () => {
  const input = document.getElementById("search-input"), list = document.getElementById("search-results");
  input.focus(); input.value = `+strconv.Quote(q)+`; input.dispatchEvent(new Event("input"));
  for (let i = 0; i < 500 && (list.hidden || list.getAttribute("aria-busy")); i++) await new Promise(r => setTimeout(r, 20));
  return list.textContent;
})()`, chromedp.EvalAwaitPromise))
		if err != nil {
			t.Fatal(err)
		}
		return got
	}
	if got := search("thursday afternoon "); !strings.Contains(got, "Accountability") {
		t.Fatalf("before the edit: %q", got)
	}
	writeFile(t, filepath.Join(dir, "content/skills/accountability.md"), "+++\ntitle = \"Accountability\"\n+++\n## The Wednesday test\n\nCould the rep still change the outcome by Friday?\n")
	var got string
	for range 50 {
		if got = search("wednesday "); strings.Contains(got, "Accountability") {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if !strings.Contains(got, "Accountability") {
		t.Errorf("after the edit, wednesday found %q", got)
	}
	if got := search("thursday afternoon "); strings.Contains(got, "Accountability") {
		t.Errorf("after the edit, thursday still finds %q", got)
	}
}
