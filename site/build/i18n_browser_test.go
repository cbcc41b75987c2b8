package build

import (
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/coachbook/coachbook/site/internal/browsertest"
)

// TestGermanPagesPassAxe opens the German example's home page, a guide,
// what's new, 404, a page of each report layout and the unlock form at
// 390 px: axe-core must find nothing serious or critical (the lang
// attribute, labels and names in German included).
func TestGermanPagesPassAxe(t *testing.T) {
	browsertest.Page(t)
	t.Parallel()
	axe, err := os.ReadFile(axePath)
	if err != nil {
		t.Fatalf("axe-core is missing (%v): run `make test`, which installs it with npm into .cache", err)
	}
	files := germanExample(t, false)
	sealed := germanExample(t, true)
	locked := ""
	for p, b := range sealed {
		if strings.Contains(string(b), `id="unlock-form"`) {
			locked = p
			break
		}
	}
	// The sealed build's links start with /playbook/, its base_url's path.
	under := map[string][]byte{}
	for p, b := range sealed {
		under["playbook/"+p] = b
	}
	base, sealedBase := strings.TrimSuffix(serveFiles(t, files), "/"), strings.TrimSuffix(serveFiles(t, under), "/")+"/playbook"
	if locked == "" {
		t.Fatal("no unlock form in the sealed German example")
	}
	pages := []string{"/", "/weekly/activity-meeting/", "/whats-new/", "/404.html", "/reports/", "/reports/reps/jdoe/", "/reports/reps/jdoe/week/2026-W47/", "/reports/reps/jdoe/month/2026-11/",
		"/reports/reps/jdoe/quarter/2026-Q4/", "/reports/teams/north/month/2026-11/", "/reports/managers/mgarcia/", "/reports/data-health/", "/reports/metrics/"}
	var urls []string
	for _, p := range pages {
		urls = append(urls, base+p)
	}
	urls = append(urls, sealedBase+"/"+strings.TrimSuffix(locked, "index.html"))
	// The pages are checked in three tabs at once, each taking every third.
	const tabs = 3
	var wg sync.WaitGroup
	for i := range tabs {
		ctx := browsertest.Tab(t, 3*time.Minute)
		wg.Go(func() {
			for j := i; j < len(urls); j += tabs {
				u := urls[j]
				if err := chromedp.Do(ctx, chromedp.EmulateViewport(390, 900), chromedp.Navigate(u), chromedp.WaitReady("body")); err != nil {
					t.Errorf("%s: %v", u, err)
					return
				}
				found, err := serious(ctx, axe)
				if err != nil {
					t.Errorf("%s: %v", u, err)
					return
				}
				for _, f := range found {
					t.Errorf("%s: %v", u, f)
				}
			}
		})
	}
	wg.Wait()
}
