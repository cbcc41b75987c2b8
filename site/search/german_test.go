package search

import "testing"

// Stems worked out by hand from the Snowball German algorithm, one or
// more for each of its rules; the theme's stem-de.js is checked against
// the same words with Node (TestScriptsKeepContract).
var germanStems = map[string]string{
	"hauser":               "haus",            // häuser: er in R1
	"leitfaden":            "leitfad",         // en
	"gesprache":            "gesprach",        // e
	"kategorischen":        "kategor",         // en, then isch in R2
	"verwaltungen":         "verwalt",         // en, then ung
	"aufeinanderfolgenden": "aufeinanderfolg", // en, then end
	"ergebnisse":           "ergebnis",        // e, then niss loses an s
	"kunden":               "kund",            // en
	"deals":                "deal",            // s after l
	"kurs":                 "kur",             // s after r
	"hauses":               "haus",            // es
	"freundlichkeit":       "freundlich",      // keit; lich not in R2
	"schnelligkeit":        "schnellig",       // keit; ig not in R2
	"moglichkeiten":        "moglich",         // en, then keit (lich not in R2)
	"wirklich":             "wirklich",        // lich not in R2
	"bauer":                "bau",             // u between vowels stays u after
	"strasse":              "strass",          // e
	"straße":               "strass",          // ß is ss
	"gross":                "gross",           // nothing in R1
	"ab":                   "ab",
	"kleinste":             "klein", // e, then st after n
	"schonste":             "schon",
	"monatlich":            "monat", // lich in R2
	"vertrieblich":         "vertrieb",
	"gemeinsamkeit":        "gemeinsam",
	"ehrlichkeit":          "ehrlich", // keit; lich not in R2
	"gehst":                "gehst",   // st: not three letters before h
	"wirkung":              "wirkung", // ung not in R2
	"pipelines":            "pipelin",
	"forecast":             "forecast",
}

func TestStemGerman(t *testing.T) {
	for w, want := range germanStems {
		if got := StemGerman(w); got != want {
			t.Errorf("StemGerman(%q) = %q, want %q", w, got, want)
		}
	}
}

// A German site's index stems with the German stemmer; any other
// language's with Porter's.
func TestIndexLanguage(t *testing.T) {
	if got := NewLang(false, "de").stem("verwaltungen"); got != "verwalt" {
		t.Errorf("de: %q", got)
	}
	if got := NewLang(false, "de-AT").stem("kunden"); got != "kund" {
		t.Errorf("de-AT: %q", got)
	}
	if got := NewLang(false, "en").stem("forecasting"); got != "forecast" {
		t.Errorf("en: %q", got)
	}
}
