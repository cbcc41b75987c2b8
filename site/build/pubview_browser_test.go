package build

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/coachbook/coachbook/site/internal/browsertest"
)

// TestBrowserManagerIndexAndHistory publishes the encrypted example under a
// sub-path of a plain file server and opens its reports index with Maria
// Garcia's passphrase: the form gives way to the at-a-glance table of her
// reps, last week first, naming whose reports are open. Then every period
// of a rep's history calendar opens a readable page, not metrics.json or
// ciphertext.
func TestBrowserManagerIndexAndHistory(t *testing.T) {
	browsertest.Page(t)
	t.Parallel()
	_, srv := publishSealed(t)
	ctx := browsertest.Tab(t, 3*time.Minute)

	waitFor := func(ctx context.Context, js, what string) {
		t.Helper()
		browsertest.WaitFor(t, ctx, js, what)
	}
	shot := func(name string) {
		if dir := os.Getenv("COACHBOOK_SCREENSHOTS"); dir != "" { // a folder to look at the pages in
			if png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100)); err == nil {
				_ = os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644)
			}
		}
	}

	if err := chromedp.Do(ctx, chromedp.EmulateViewport(390, 844), chromedp.Navigate(srv.URL+"/playbook/reports/"), chromedp.WaitVisible("#unlock-pass"),
		chromedp.SendKeys("#unlock-pass", testKeys["COACHBOOK_KEY_MGARCIA"]), chromedp.Click("#unlock-form button")); err != nil {
		t.Fatal(err)
	}
	waitFor(ctx, `!document.getElementById("unlock-pass") && !!document.querySelector("h1") && document.querySelector("h1").textContent.includes("Maria Garcia's reps")`,
		"the manager's passphrase on the reports index did not lead to her index")
	text, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector("main").innerText`))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"These are the reports of the reps Maria Garcia manages: 4 reps, last week first.", "Jane Doe", "Tom Webb", "Diego Nair", "Olivia Brennan", "LAST WEEK", "2026-W46", "% of quota"} {
		if !strings.Contains(strings.ToUpper(text), strings.ToUpper(want)) {
			t.Errorf("her index lacks %q:\n%s", want, text)
		}
	}
	for _, other := range []string{"Priya Silva", "Tessa Chen", "Passphrase"} {
		if strings.Contains(text, other) {
			t.Errorf("her index shows %q:\n%s", other, text)
		}
	}
	shot("manager-index")
	// The team links start with last week, the week the Monday meeting
	// reviews, not the week in progress.
	first, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`(document.querySelector(".team-links a")||{}).textContent || ""`))
	if !strings.HasPrefix(first, "Week 46") {
		t.Errorf("the first team page offered is %q, want last week (Week 46)", first)
	}

	// Jane Doe's home, then every period of her calendar.
	ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`(function(){var a=[...document.querySelectorAll("main a")].find(a=>a.textContent.trim()==="Jane Doe");if(!a)return false;a.click();return true})()`))
	if err != nil || !ok {
		t.Fatalf("no link to Jane Doe on her index (%v)", err)
	}
	waitFor(ctx, `!document.getElementById("unlock-pass") && !!document.querySelector(".calendar a")`, "Jane Doe's home did not open")
	chips, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll(".calendar a")].map(a => a.href)`))
	if err != nil || len(chips) < 40 {
		t.Fatalf("only %d periods in Jane Doe's calendar (%v)", len(chips), err)
	}
	shot("rep-home")
	pages := map[string][]string{} // page -> fragments linked
	for _, c := range chips {
		u, frag, _ := strings.Cut(c, "#")
		pages[u] = append(pages[u], frag)
	}
	old := 0
	for u, frags := range pages {
		if err := chromedp.Do(ctx, chromedp.Navigate(u)); err != nil {
			t.Fatal(err)
		}
		waitFor(ctx, `document.readyState === "complete" && !document.getElementById("unlock-pass") && !!document.querySelector("main h1") && document.contentType === "text/html"`,
			"a period of the calendar did not open a readable page: "+u)
		body, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector("main").innerText`))
		if strings.HasSuffix(u, "/") && len(frags) > 1 {
			shot("rep-history")
		}
		if strings.Contains(body, `"c":`) || !strings.Contains(body, "Jane Doe") {
			t.Errorf("%s does not read as Jane Doe's report:\n%.300s", u, body)
		}
		for _, f := range frags {
			if f == "" {
				continue
			}
			old++
			if ok, _ := chromedp.Run(ctx, chromedp.Evaluate[bool](`!!document.getElementById(`+jsString(f)+`)`)); !ok {
				t.Errorf("%s has no line for %s", u, f)
			}
		}
	}
	if old < 20 || len(pages) < 15 {
		t.Errorf("only %d old periods and %d pages opened", old, len(pages))
	}
}

func jsString(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s) + `"`
}
