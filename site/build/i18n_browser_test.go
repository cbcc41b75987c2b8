package build

import (
	"io/fs"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/coachbook/coachbook/site/internal/browsertest"
	"github.com/coachbook/coachbook/site/search"
)

// TestGermanStemsAgreeWithBrowser stems German text (the theme's German
// strings, words with every ending the algorithm knows) and the example's
// guides with site/search's German stemmer and with site.js's: the index
// of a German site and the browser's query must agree on every stem.
func TestGermanStemsAgreeWithBrowser(t *testing.T) {
	browsertest.Page(t)
	stemJS := siteJS(t, `(?s)  var stemGerman = \(function \(\) \{.*?\n  \}\)\(\);`)
	de, err := os.ReadFile("../../themes/default/i18n/de.toml")
	if err != nil {
		t.Fatal(err)
	}
	text := string(de) + "\nHäuser Leitfäden kategorischen Verwaltungen aufeinanderfolgenden Ergebnisse Freundlichkeit Unabhängigkeit " +
		"Straße Größe kleinste gehst Bauer Möglichkeiten Heiligkeit Bayern Feuer euer treuer Kunden Kurs Deals nissen Zeugnisse " +
		"schnellstens Lieferung bestellend Ärger Öl Übungen Kündigungen zurückhaltend"
	guides, _ := fs.Glob(exampleFS(), "content/*/*.md")
	for _, name := range guides {
		data, _ := fs.ReadFile(exampleFS(), name)
		text += "\n" + string(data)
	}
	compareStems(t, stemJS, "stemGerman", text, search.StemGerman)
}

// TestGermanPagesPassAxe opens the German example's home page, a guide,
// what's new, 404, a page of each report layout and the unlock form at
// 390 px: axe-core must find nothing serious or critical (the lang
// attribute, labels and names in German included).
func TestGermanPagesPassAxe(t *testing.T) {
	browsertest.Page(t)
	axe, err := os.ReadFile(axePath)
	if err != nil {
		t.Fatalf("axe-core is missing (%v): run `make test`, which installs it with npm into .cache", err)
	}
	files := germanExample(t, Options{})
	sealed := germanExample(t, Options{BaseURL: "https://acme.github.io/playbook/", Keys: lookup(testKeys)})
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
	ctx := browsertest.New(t, 3*time.Minute)
	pages := []string{"/", "/weekly/activity-meeting/", "/whats-new/", "/404.html", "/reports/", "/reports/reps/jdoe/", "/reports/reps/jdoe/week/2026-W47/", "/reports/reps/jdoe/month/2026-11/",
		"/reports/reps/jdoe/quarter/2026-Q4/", "/reports/teams/north/month/2026-11/", "/reports/managers/mgarcia/", "/reports/data-health/", "/reports/metrics/"}
	var urls []string
	for _, p := range pages {
		urls = append(urls, base+p)
	}
	for _, u := range append(urls, sealedBase+"/"+strings.TrimSuffix(locked, "index.html")) {
		if err := chromedp.Do(ctx, chromedp.EmulateViewport(390, 900), chromedp.Navigate(u), chromedp.WaitReady("body")); err != nil {
			t.Fatalf("%s: %v", u, err)
		}
		found, err := serious(ctx, axe)
		if err != nil {
			t.Fatalf("%s: %v", u, err)
		}
		for _, f := range found {
			t.Errorf("%s: %v", u, f)
		}
	}
}
