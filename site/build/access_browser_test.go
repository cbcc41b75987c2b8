package build

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
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
	t.Parallel()
	axe, err := os.ReadFile(axePath)
	if err != nil {
		t.Fatalf("axe-core is missing (%v): run `make test`, which installs it with npm into .cache", err)
	}
	out, srv := publishSealed(t)
	ctx := browsertest.Tab(t, 3*time.Minute)

	// Where the reps' pages are: ask the key file, as leadership.
	all, err := access.Unlock(dirReader(out), testKeys["COACHBOOK_KEY_LEADERSHIP"])
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
	waitJS(t, ctx, `!!document.querySelector("h1") && document.querySelector("h1").textContent.includes("Jane Doe") && !document.getElementById("unlock-pass")`, "the manager's passphrase did not open her rep's page")
	waitJS(t, ctx, `/\$\d/.test(document.body.innerText) && !!document.querySelector("svg") && !!document.querySelector(".lock-button")`, "the opened page lacks its amounts, charts or lock button")
	// The theme's scripts ran on the opened page too, once: the locked page
	// had run them already, and a browser runs a module once a window.
	waitJS(t, ctx, `!!document.querySelector("main a[data-abs]") && document.querySelectorAll(".copy-code").length === document.querySelectorAll(".prose pre").length`, "the theme's scripts did not run on the opened page")
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
	waitJS(t, ctx, `location.href.length > 0 && document.body.innerText.includes("Tom Webb") && !document.getElementById("unlock-pass")`, "the week page did not open by itself")
	click(`/Tom Webb/`, "teammate Tom Webb")
	waitJS(t, ctx, `!!document.querySelector("h1") && document.querySelector("h1").textContent.includes("Tom Webb") && !document.getElementById("unlock-pass")`, "the teammate's page did not open without asking")

	// Another manager's rep: refused, plainly, with her own pages listed.
	if err := chromedp.Do(ctx, chromedp.Navigate(priya)); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, `document.getElementById("unlock-status") && document.getElementById("unlock-status").textContent.includes("does not open this page") && document.getElementById("unlock-list").textContent.includes("Jane Doe")`, "another manager's rep page was not refused")
	if text, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.body.innerText`)); strings.Contains(text, "Priya") {
		t.Errorf("the refused page shows the rep:\n%s", text)
	}
	shot(ctx, "refused")

	// "Lock reports" forgets the keys.
	if err := chromedp.Do(ctx, chromedp.Click("#unlock-forget")); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, `document.readyState === "complete" && sessionStorage.length === 0 && !!document.getElementById("unlock-pass") && document.getElementById("unlock-status").textContent === ""`, "lock did not forget the keys")

	// A wrong passphrase, in a fresh tab.
	tab, cancel := chromedp.NewContext(ctx)
	defer cancel()
	if err := chromedp.Do(tab, chromedp.Navigate(jane), chromedp.WaitVisible("#unlock-pass"),
		chromedp.SendKeys("#unlock-pass", "garcia test passphrasE"), chromedp.Click("#unlock-form button")); err != nil {
		t.Fatal(err)
	}
	waitJS(t, tab, `document.getElementById("unlock-status").textContent.includes("That passphrase does not open these reports")`, "a wrong passphrase was not refused")
	shot(tab, "wrong")
}

// TestSearchInSealedBuildUnderSubPath searches the encrypted example
// published under /playbook/: the index is fetched under the sub-path, a
// result opens its guide there, and a query downloads the index's meta
// file, the shards of its words, the page table and the files of the
// guides it shows, not the whole index.
func TestSearchInSealedBuildUnderSubPath(t *testing.T) {
	browsertest.Page(t)
	t.Parallel()
	out, srv := publishSealed(t)
	ctx := browsertest.Tab(t, 2*time.Minute)
	shards, err := filepath.Glob(filepath.Join(out, "search", "s", "*.json.gz"))
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

// dirReader reads a published file by its path under out.
func dirReader(out string) func(string) ([]byte, error) {
	return func(p string) ([]byte, error) { return os.ReadFile(filepath.Join(out, filepath.FromSlash(p))) }
}

// publishSealed serves the example with its reports encrypted for
// https://acme.github.io/playbook/ under /playbook/ from a plain file
// server of the test's own (its own origin, so its own storage in the
// browser). The output is built once for every test and shared: a test
// that changes files uses publishSealedCopy.
func publishSealed(t *testing.T) (out string, srv *httptest.Server) {
	t.Helper()
	shared.sealed.Do(func() {
		shared.sealedOut = filepath.Join(shared.dir, "sealed")
		if _, diags := ToDir(os.DirFS("../.."), "../..", shared.sealedOut, Options{BaseURL: "https://acme.github.io/playbook/", Today: testDay, Keys: lookup(testKeys)}); diags.HasErrors() {
			shared.sealedErr = diags.Err()
		}
	})
	if shared.sealedErr != nil {
		t.Fatal(shared.sealedErr)
	}
	return shared.sealedOut, servePlaybook(t, shared.sealedOut)
}

// publishSealedCopy is publishSealed serving a copy of the output that the
// test may change.
func publishSealedCopy(t *testing.T) (out string, srv *httptest.Server) {
	t.Helper()
	sealed, _ := publishSealed(t)
	out = filepath.Join(t.TempDir(), "public")
	if err := os.CopyFS(out, os.DirFS(sealed)); err != nil {
		t.Fatal(err)
	}
	return out, servePlaybook(t, out)
}

// servePlaybook serves the folder out under /playbook/ until the test ends.
func servePlaybook(t *testing.T, out string) *httptest.Server {
	srv := httptest.NewServer(http.StripPrefix("/playbook", http.FileServer(http.Dir(out))))
	t.Cleanup(srv.Close)
	return srv
}

// waitJS polls js in the tab until it is true, or fails the test with what
// and the page's text.
func waitJS(t *testing.T, ctx context.Context, js, what string) {
	t.Helper()
	browsertest.WaitFor(t, ctx, js, what)
}

// rememberedJS lists the keys remembered in IndexedDB by this origin.
const rememberedJS = `new Promise(done => {
  const rq = indexedDB.open("coachbook", 1);
  rq.onupgradeneeded = () => rq.result.createObjectStore("keys");
  rq.onsuccess = () => {
    const all = rq.result.transaction("keys").objectStore("keys").getAll();
    all.onsuccess = () => { rq.result.close(); done(JSON.stringify(all.result.map(k => ({extractable: k.extractable, alg: k.algorithm.name})))); };
  };
})`

// opened is true on Jane Doe's opened report page.
const janeOpenJS = `!!document.querySelector("h1") && document.querySelector("h1").textContent.includes("Jane Doe") && !document.getElementById("unlock-pass")`

// TestBrowserKeepsTheUnlock publishes the encrypted example under a
// sub-path and follows Maria Garcia across tabs: her sign-in link opens
// the reports and leaves the address bar; a second tab opens unlocked;
// "Lock reports" locks every tab; "Remember on this device" keeps a key
// that cannot be read out and opens a tab no other tab helps; locking
// forgets it. The page prints with absolute links. A page's ciphertext
// copied over another page's does not open, and after her passphrase
// changes her old link says so.
func TestBrowserKeepsTheUnlock(t *testing.T) {
	browsertest.Page(t)
	t.Parallel()
	out, srv := publishSealedCopy(t) // it copies one page over another
	ctx := browsertest.Tab(t, 4*time.Minute)
	all, err := access.Unlock(dirReader(out), testKeys["COACHBOOK_KEY_LEADERSHIP"])
	if err != nil {
		t.Fatal(err)
	}
	var jane string
	for _, e := range all.Pages {
		if e.Title == "Jane Doe" {
			jane = srv.URL + e.URL
		}
	}
	const site = "https://acme.github.io/playbook/"
	key, err := access.SignInKey(site, "mgarcia", testKeys["COACHBOOK_KEY_MGARCIA"], 0)
	if err != nil || jane == "" {
		t.Fatalf("no link (%v) or no page of Jane Doe", err)
	}

	// The sign-in link: unlocked, and the key gone from the address bar.
	if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/playbook/#k="+key)); err != nil {
		t.Fatal(err)
	}
	// (It lands on Maria's own index: the at-a-glance table of her reps.)
	waitJS(t, ctx, `location.pathname.startsWith("/playbook/reports/") && location.hash === "" && !!sessionStorage.getItem("coachbook-keys:/playbook/") && document.body.innerText.includes("Maria Garcia's reps") && document.body.innerText.includes("Jane Doe")`, "the sign-in link did not open Maria's reports")
	if h, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`history.length + " " + location.href`)); strings.Contains(h, "#k=") {
		t.Errorf("the key stays in the address: %s", h)
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(jane)); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, janeOpenJS, "after the sign-in link, Jane's page asks again")

	// Printing the opened page: the report, with absolute links.
	pdf, err := chromedp.Run(ctx, chromedp.PrintToPDF())
	if err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`/URI \(http://127\.0\.0\.1:\d+/playbook/reports/[0-9a-f]{20}/`).Match(pdf) {
		t.Errorf("the printed page has no absolute link to a report (%d bytes of PDF)", len(pdf))
	}

	// A second tab opens unlocked, from the first.
	tab2, cancel2 := chromedp.NewContext(ctx)
	defer cancel2()
	if err := chromedp.Do(tab2, chromedp.Navigate(jane)); err != nil {
		t.Fatal(err)
	}
	waitJS(t, tab2, janeOpenJS, "a second tab does not open unlocked")

	// Lock reports in the second tab locks the first too.
	if err := chromedp.Do(tab2, chromedp.Click(".lock-button")); err != nil {
		t.Fatal(err)
	}
	for _, tab := range []context.Context{tab2, ctx} {
		waitJS(t, tab, `document.readyState === "complete" && sessionStorage.length === 0 && !!document.getElementById("unlock-pass") && !document.getElementById("unlock-form").hidden`, "Lock reports left a tab unlocked")
	}

	// Remember on this device: a key in IndexedDB that cannot be read out.
	if err := chromedp.Do(tab2, chromedp.Click("#unlock-remember"), chromedp.SendKeys("#unlock-pass", testKeys["COACHBOOK_KEY_MGARCIA"])); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Run(tab2, chromedp.Evaluate[bool](`window.cbStart = performance.now(), document.getElementById("unlock-form").requestSubmit(), true`)); err != nil {
		t.Fatal(err)
	}
	waitJS(t, tab2, janeOpenJS, "the passphrase with Remember did not open the page")
	took, _ := chromedp.Run(tab2, chromedp.Evaluate[float64](`performance.now() - window.cbStart`))
	stretch, _ := chromedp.Run(tab2, chromedp.Evaluate[float64](`(async () => {
  const k = await crypto.subtle.importKey("raw", new TextEncoder().encode("x"), "PBKDF2", false, ["deriveBits"]);
  const t0 = performance.now();
  await crypto.subtle.deriveBits({name: "PBKDF2", hash: "SHA-256", salt: new Uint8Array(16), iterations: 600000}, k, 256);
  return performance.now() - t0;
})()`, chromedp.EvalAwaitPromise))
	t.Logf("unlocking with the passphrase took %.0f ms (at most 50 ms less); one PBKDF2 stretch takes %.0f ms here", took, stretch)
	kept, err := chromedp.Run(tab2, chromedp.Evaluate[string](rememberedJS, chromedp.EvalAwaitPromise))
	if err != nil || kept != `[{"extractable":false,"alg":"AES-GCM"}]` {
		t.Fatalf("remembered keys: %s (%v)", kept, err)
	}
	// No tab has the keys in its session now: the device opens a new tab.
	if _, err := chromedp.Run(tab2, chromedp.Evaluate[bool](`sessionStorage.clear(), true`)); err != nil {
		t.Fatal(err)
	}
	tab3, cancel3 := chromedp.NewContext(ctx)
	defer cancel3()
	if err := chromedp.Do(tab3, chromedp.Navigate(jane)); err != nil {
		t.Fatal(err)
	}
	waitJS(t, tab3, janeOpenJS, "the remembered key did not open a new tab")
	if err := chromedp.Do(tab3, chromedp.Click(".lock-button")); err != nil {
		t.Fatal(err)
	}
	waitJS(t, tab3, `document.readyState === "complete" && !!document.getElementById("unlock-pass") && !document.getElementById("unlock-form").hidden`, "Lock reports left the tab open")
	if kept, err := chromedp.Run(tab3, chromedp.Evaluate[string](rememberedJS, chromedp.EvalAwaitPromise)); err != nil || kept != "[]" {
		t.Errorf("after Lock reports, remembered keys: %s (%v)", kept, err)
	}
	tab4, cancel4 := chromedp.NewContext(ctx)
	defer cancel4()
	if err := chromedp.Do(tab4, chromedp.Navigate(jane)); err != nil {
		t.Fatal(err)
	}
	waitJS(t, tab4, `!!document.getElementById("unlock-pass") && !document.getElementById("unlock-form").hidden`, "after Lock reports a new tab opened unlocked")

	// A page's ciphertext copied over another page of the same rep.
	home, err := all.Open(strings.TrimPrefix(jane, srv.URL+"/playbook/")+"index.html", mustRead(t, out, strings.TrimPrefix(jane, srv.URL+"/playbook/")+"index.html"))
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`href="/playbook/(reports/[0-9a-f]{20}/)"`).FindAllSubmatch(home, -1)
	var other string
	for _, l := range m {
		if p := string(l[1]); srv.URL+"/playbook/"+p != jane {
			other = p
			break
		}
	}
	if other == "" {
		t.Fatal("Jane's page links to no other report page")
	}
	if err := os.WriteFile(filepath.Join(out, filepath.FromSlash(other), "index.html"), mustRead(t, out, strings.TrimPrefix(jane, srv.URL+"/playbook/")+"index.html"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(tab4, chromedp.Navigate(srv.URL+"/playbook/#k="+key)); err != nil {
		t.Fatal(err)
	}
	waitJS(t, tab4, `location.pathname.startsWith("/playbook/reports/") && !!sessionStorage.getItem("coachbook-keys:/playbook/")`, "the sign-in link did not unlock")
	if err := chromedp.Do(tab4, chromedp.Navigate(srv.URL+"/playbook/"+other)); err != nil {
		t.Fatal(err)
	}
	waitJS(t, tab4, `document.getElementById("unlock-status") && document.getElementById("unlock-status").textContent.includes("altered or belongs to another page")`, "a page copied over another opened")
	if text, _ := chromedp.Run(tab4, chromedp.Evaluate[string](`document.body.innerText`)); strings.Contains(text, "$") {
		t.Errorf("the copied page shows amounts:\n%.400s", text)
	}

	// A new passphrase: the old link says it no longer opens the reports.
	rotated := map[string]string{}
	for k, v := range testKeys {
		rotated[k] = v
	}
	rotated["COACHBOOK_KEY_MGARCIA"] = "b7kqa-mz2ta-aaaaa-bbbbb-cccccc" // as keys new makes them
	out2 := filepath.Join(t.TempDir(), "public")
	if _, diags := ToDir(os.DirFS("../.."), "../..", out2, Options{BaseURL: site, Today: testDay, Keys: lookup(rotated)}); diags.HasErrors() {
		t.Fatal(diags.Err())
	}
	srv2 := servePlaybook(t, out2)
	if err := chromedp.Do(tab4, chromedp.Navigate(srv2.URL+"/playbook/#k="+key)); err != nil {
		t.Fatal(err)
	}
	waitJS(t, tab4, `location.hash === "" && document.getElementById("unlock-status").textContent.includes("This sign-in link no longer opens these reports") && !document.getElementById("unlock-form").hidden`, "an old sign-in link after rotation")
	// The new passphrase opens them, stretched once: its hint says which
	// of the four entries is hers.
	if err := chromedp.Do(tab4, chromedp.SendKeys("#unlock-pass", rotated["COACHBOOK_KEY_MGARCIA"])); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Run(tab4, chromedp.Evaluate[bool](`(() => {
  const derive = crypto.subtle.deriveBits.bind(crypto.subtle);
  window.cbStretches = 0;
  crypto.subtle.deriveBits = (...a) => (sessionStorage.setItem("cbStretches", String(++window.cbStretches)), derive(...a));
  document.getElementById("unlock-form").requestSubmit();
  return true;
})()`)); err != nil {
		t.Fatal(err)
	}
	// (Unlocking on the reports index leads to Maria's own index: the
	// count of stretches is kept in the tab's session across that.)
	waitJS(t, tab4, `document.body.innerText.includes("Maria Garcia's reps") && document.body.innerText.includes("Jane Doe")`, "the new passphrase did not open Maria's reports")
	if n, err := chromedp.Run(tab4, chromedp.Evaluate[int](`Number(sessionStorage.getItem("cbStretches"))`)); err != nil || n != 1 {
		t.Errorf("a generated passphrase was stretched %d times (%v), want once", n, err)
	}
	newKey, _ := access.SignInKey(site, "mgarcia", rotated["COACHBOOK_KEY_MGARCIA"], 0)
	if _, err := access.UnlockWith(dirReader(out2), newKey); err != nil {
		t.Errorf("the new link does not open the rebuilt site: %v", err)
	}
}

func mustRead(t *testing.T, out, p string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(out, filepath.FromSlash(p)))
	if err != nil {
		t.Fatal(err)
	}
	return b
}
