package render

import (
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/coachbook/coachbook/site/internal/sitetest"
)

func mustStrings(t *testing.T, lang string) *Strings {
	t.Helper()
	s, diags := LoadStrings(fstest.MapFS{}, "default", lang)
	if len(diags) > 0 {
		t.Fatalf("strings of %s: %v", lang, diags.Err())
	}
	return s
}

// German is complete: every key of the English file has its German
// text, and the locale writes numbers, amounts and dates as Germans do.
func TestGermanStrings(t *testing.T) {
	en, de := mustStrings(t, "en"), mustStrings(t, "de")
	if len(de.Keys()) != len(en.Keys()) {
		t.Errorf("de has %d keys, en %d", len(de.Keys()), len(en.Keys()))
	}
	// Words German shares with English.
	shared := map[string]bool{"Playbook": true, "Passphrase": true, "Team": true, "Forecast": true, "Deal": true, "Deals": true, "{0} · {1}–{2} {3}": true, "{0}×": true,
		"{0}": true, "{0} {1}": true, "{0} · {1}": true, "Team {0}": true, "Team {0} · {1}": true, "in coachbook.toml.": true}
	for _, k := range en.Keys() {
		a, _ := en.T(k)
		b, _ := de.T(k)
		if a == b && !shared[a] {
			t.Errorf("%s is the same in English and German: %q", k, a)
		}
	}
	day := time.Date(2026, 12, 7, 0, 0, 0, 0, time.UTC)
	for _, tt := range []struct{ got, want string }{
		{de.Money(1234.5, "€", 2), "1.234,50 €"},
		{de.Money(-12500, "€", 0), "−12.500 €"},
		{en.Money(1234.5, "€", 2), "€1,234.50"},
		{en.Money(12500, "CHF ", 0), "CHF 12,500"},
		{de.Date(day), "7. Dez. 2026"},
		{en.Date(day), "2026-12-07"},
		{de.Month(day), "Dezember 2026"},
		{de.Number(0.5, 1), "0,5"},
		{de.Number(1234567, 0), "1.234.567"},
	} {
		if tt.got != tt.want {
			t.Errorf("got %q, want %q", tt.got, tt.want)
		}
	}
	if s, _ := de.T("home.guides", 1); s != "1 Leitfaden" {
		t.Errorf("one: %q", s)
	}
	if s, _ := de.T("home.guides", 1200); s != "1.200 Leitfäden" {
		t.Errorf("other: %q", s)
	}
	if _, err := de.T("no.such.key"); err == nil || !strings.Contains(err.Error(), `no string "no.such.key"`) {
		t.Errorf("an unknown key must be an error: %v", err)
	}
}

// A site overrides single strings of its language and keeps the others; a
// language without a strings file is an error at language.
func TestStringsOverrideAndMissingLanguage(t *testing.T) {
	site := sitetest.FS(`
-- themes/default/i18n/de.toml --
[guide]
agenda = "Ablauf"
`)
	s, diags := LoadStrings(site, "default", "de")
	if len(diags) > 0 {
		t.Fatal(diags.Err())
	}
	if a, _ := s.T("guide.agenda"); a != "Ablauf" {
		t.Errorf("the site's string must win: %q", a)
	}
	if a, _ := s.T("guide.total"); a != "Gesamt" {
		t.Errorf("the others stay the theme's: %q", a)
	}
	_, diags = LoadStrings(site, "default", "fr")
	if !diags.HasErrors() || !strings.Contains(diags.Err().Error(), `language = "fr": the theme has no strings file i18n/fr.toml`) {
		t.Errorf("got %v", diags.Err())
	}
	partial := sitetest.FS(`
-- themes/default/i18n/fr.toml --
[guide]
agenda = "Ordre du jour"
`)
	_, diags = LoadStrings(partial, "default", "fr")
	if diags.HasErrors() || len(diags) != 1 || !strings.Contains(diags[0].Error(), `strings are not translated to "fr" and show in English`) {
		t.Errorf("a partial translation is a warning: %v", diags)
	}
}
