package build

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/coachbook/coachbook/site/access"
	"github.com/coachbook/coachbook/site/internal/browsertest"
)

// TestBrowserOpensSealedReports publishes the encrypted example under a
// sub-path of a plain file server and reads it as Maria Garcia would: her
// passphrase opens her rep's page, a teammate's page opens without asking
// again, another manager's rep is refused; a wrong passphrase is refused.
func TestBrowserOpensSealedReports(t *testing.T) {
	browsertest.Page(t)
	axe, err := os.ReadFile(axePath)
	if err != nil {
		t.Fatalf("axe-core is missing (%v): run `make test`, which installs it with npm into .cache", err)
	}
	ctx := browsertest.New(t, 3*time.Minute)
	out, srv := publishSealed(t)

	// Where the reps' pages are: ask the key file, as leadership.
	var kf access.KeyFile
	raw, err := os.ReadFile(filepath.Join(out, filepath.FromSlash(access.KeyringPath)))
	if err == nil {
		err = json.Unmarshal(raw, &kf)
	}
	if err != nil {
		t.Fatal(err)
	}
	all, err := access.Unlock(kf, testKeys["COACHBOOK_KEY_LEADERSHIP"])
	if err != nil {
		t.Fatal(err)
	}
	url := map[string]string{}
	for _, e := range all.Pages {
		url[e.Title] = srv.URL + e.URL
	}
	jane, priya := url["Jane Doe"], url["Priya Silva"]
	if jane == "" || priya == "" {
		t.Fatalf("no rep pages in the leadership bundle: %v", url)
	}

	waitFor := func(ctx context.Context, js, what string) {
		t.Helper()
		browsertest.WaitFor(t, ctx, js, what)
	}
	shot := func(ctx context.Context, name string) {
		dir := os.Getenv("COACHBOOK_SCREENSHOTS") // a folder to look at the pages in
		if dir == "" {
			return
		}
		if png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100)); err == nil {
			_ = os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644)
		}
	}

	// A locked page names nobody and asks for the passphrase.
	if err := chromedp.Do(ctx, chromedp.Navigate(jane), chromedp.WaitVisible("#unlock-pass")); err != nil {
		t.Fatal(err)
	}
	text, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.title + "\n" + document.body.innerText`))
	if strings.Contains(text, "Jane") || !strings.Contains(text, "Locked report") || !strings.Contains(text, "Passphrase") {
		t.Fatalf("locked page reads:\n%s", text)
	}
	shot(ctx, "locked")
	// The form reads well on a phone and a desktop, and axe-core finds
	// nothing serious.
	for _, width := range []int64{320, 390, 1366} {
		if err := chromedp.Do(ctx, chromedp.EmulateViewport(width, 900), chromedp.Navigate(jane), chromedp.WaitVisible("#unlock-pass")); err != nil {
			t.Fatal(err)
		}
		if _, err := chromedp.Run(ctx, chromedp.Evaluate[any](string(axe)+";0")); err != nil {
			t.Fatal(err)
		}
		for _, theme := range []string{"light", "dark"} {
			c, err := runCheck(ctx, theme)
			if err != nil {
				t.Fatal(err)
			}
			reportCheck(t, fmt.Sprintf("the locked page at %d px, %s", width, theme), c)
		}
	}
	if err := chromedp.Do(ctx, chromedp.SendKeys("#unlock-pass", testKeys["COACHBOOK_KEY_MGARCIA"]), chromedp.Click("#unlock-form button")); err != nil {
		t.Fatal(err)
	}
	waitFor(ctx, `!!document.querySelector("h1") && document.querySelector("h1").textContent.includes("Jane Doe") && !document.getElementById("unlock-pass")`, "the manager's passphrase did not open her rep's page")
	waitFor(ctx, `/\$\d/.test(document.body.innerText) && !!document.querySelector("svg") && !!document.querySelector(".lock-button")`, "the opened page lacks its amounts, charts or lock button")
	stored, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`JSON.stringify(sessionStorage)`))
	if strings.Contains(stored, testKeys["COACHBOOK_KEY_MGARCIA"]) {
		t.Error("the passphrase is kept in sessionStorage")
	}
	shot(ctx, "opened")

	// Her week page, then a teammate's: no passphrase asked again.
	click := func(re, what string) {
		t.Helper()
		ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`(function(){var a=[...document.querySelectorAll("main a")].find(a=>`+re+`.test(a.textContent));if(!a)return false;a.click();return true})()`))
		if err != nil || !ok {
			t.Fatalf("no link to %s on the page (%v)", what, err)
		}
	}
	click(`/^\s*(2026-W47|Week 47)/`, "week 47")
	waitFor(ctx, `location.href.length > 0 && document.body.innerText.includes("Tom Webb") && !document.getElementById("unlock-pass")`, "the week page did not open by itself")
	click(`/Tom Webb/`, "teammate Tom Webb")
	waitFor(ctx, `!!document.querySelector("h1") && document.querySelector("h1").textContent.includes("Tom Webb") && !document.getElementById("unlock-pass")`, "the teammate's page did not open without asking")

	// Another manager's rep: refused, plainly, with her own pages listed.
	if err := chromedp.Do(ctx, chromedp.Navigate(priya)); err != nil {
		t.Fatal(err)
	}
	waitFor(ctx, `document.getElementById("unlock-status") && document.getElementById("unlock-status").textContent.includes("does not open this page") && document.getElementById("unlock-list").textContent.includes("Jane Doe")`, "another manager's rep page was not refused")
	if text, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.body.innerText`)); strings.Contains(text, "Priya") {
		t.Errorf("the refused page shows the rep:\n%s", text)
	}
	shot(ctx, "refused")

	// "Lock reports" forgets the keys.
	if err := chromedp.Do(ctx, chromedp.Click("#unlock-forget")); err != nil {
		t.Fatal(err)
	}
	waitFor(ctx, `document.readyState === "complete" && sessionStorage.length === 0 && !!document.getElementById("unlock-pass") && document.getElementById("unlock-status").textContent === ""`, "lock did not forget the keys")

	// A wrong passphrase, in a fresh tab.
	tab, cancel := chromedp.NewContext(ctx)
	defer cancel()
	if err := chromedp.Do(tab, chromedp.Navigate(jane), chromedp.WaitVisible("#unlock-pass"),
		chromedp.SendKeys("#unlock-pass", "garcia test passphrasE"), chromedp.Click("#unlock-form button")); err != nil {
		t.Fatal(err)
	}
	waitFor(tab, `document.getElementById("unlock-status").textContent.includes("That passphrase does not open these reports")`, "a wrong passphrase was not refused")
	shot(tab, "wrong")
}

// TestSearchInSealedBuildUnderSubPath searches the encrypted example
// published under /playbook/: the index is fetched under the sub-path, a
// result opens its guide there, and a query downloads the index's meta
// file, the shards of its words, the page table and the files of the
// guides it shows, not the whole index.
func TestSearchInSealedBuildUnderSubPath(t *testing.T) {
	browsertest.Page(t)
	ctx := browsertest.New(t, 2*time.Minute)
	out, srv := publishSealed(t)
	shards, err := filepath.Glob(filepath.Join(out, "search", "s", "*.json"))
	if err != nil || len(shards) < 20 {
		t.Fatalf("the index has %d shards (%v)", len(shards), err)
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/playbook/"), chromedp.WaitVisible("#search-input")); err != nil {
		t.Fatal(err)
	}
	raw, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(async () => {
  const input = document.getElementById("search-input"), list = document.getElementById("search-results");
  input.focus(); input.value = "forecast accuracy "; input.dispatchEvent(new Event("input"));
  for (let i = 0; i < 500 && (list.hidden || list.getAttribute("aria-busy")); i++) await new Promise(r => setTimeout(r, 20));
  const a = list.querySelector("a");
  return JSON.stringify({href: a ? a.getAttribute("href") : list.textContent,
    fetched: performance.getEntriesByType("resource").map(e => new URL(e.name).pathname).filter(p => p.includes("/search/"))});
})()`, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatal(err)
	}
	var r struct {
		Href    string
		Fetched []string
	}
	if err := json.Unmarshal([]byte(raw), &r); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(r.Href, "/playbook/") || !strings.Contains(r.Href, "?h=") {
		t.Errorf("first result %q: want a guide under /playbook/ with the words to mark", r.Href)
	}
	kinds := map[string]int{}
	for _, p := range r.Fetched {
		if !strings.HasPrefix(p, "/playbook/search/") {
			t.Errorf("fetched %s, outside the sub-path", p)
		}
		kinds[strings.Split(strings.TrimPrefix(p, "/playbook/search/"), "/")[0]]++
	}
	if kinds["index.json"] != 1 || kinds["s"] == 0 || kinds["s"] > 4 || kinds["p"] != 1 || kinds["f"] == 0 || kinds["f"] > 12 {
		t.Errorf("a two-word query fetched %v of an index of %d shards: %q", kinds, len(shards), r.Fetched)
	}
}

// publishSealed builds the example with its reports encrypted for
// https://acme.github.io/playbook/ and serves the output under /playbook/
// from a plain file server.
func publishSealed(t *testing.T) (out string, srv *httptest.Server) {
	t.Helper()
	out = filepath.Join(t.TempDir(), "public")
	if _, diags := ToDir(os.DirFS("../.."), "../..", out, Options{BaseURL: "https://acme.github.io/playbook/", Today: testDay, Keys: lookup(testKeys)}); diags.HasErrors() {
		t.Fatal(diags.Err())
	}
	srv = httptest.NewServer(http.StripPrefix("/playbook", http.FileServer(http.Dir(out))))
	t.Cleanup(srv.Close)
	return out, srv
}
