package build

import (
	"encoding/json"
	"io/fs"
	"os"
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
	wordsJS := siteJS(t, `(?s)  var wordRE = .*?\n    return out;\n  \}`)
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
	var want []string
	for _, w := range search.Words(text) {
		want = append(want, w+" "+search.StemGerman(w))
	}
	arg, _ := json.Marshal(text)
	ctx := browsertest.New(t, time.Minute)
	raw, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(() => { `+stemJS+"\n"+wordsJS+`
  return JSON.stringify(words(`+string(arg)+`).map(t => t.w + " " + stemGerman(t.w))); })()`))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	if err := json.Unmarshal([]byte(raw), &got); err != nil {
		t.Fatal(err)
	}
	if len(got) != len(want) {
		t.Errorf("site.js reads %d words, site/search %d", len(got), len(want))
	}
	for i := range min(len(got), len(want)) {
		if got[i] != want[i] {
			t.Errorf("word %d: site.js %q, site/search %q", i, got[i], want[i])
		}
	}
}
