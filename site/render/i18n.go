package render

import (
	"errors"
	"fmt"
	"io/fs"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/BurntSushi/toml"
	"github.com/coachbook/coachbook/site/diag"
	"github.com/coachbook/coachbook/themes"
)

// Strings are the words of the theme in the site's language: the theme's
// i18n/<language>.toml laid key by key over its i18n/en.toml, and a site's
// own themes/<name>/i18n/<language>.toml over the built-in one, so a site
// overrides only the words it wants to. Keys are table.key ("guide.agenda");
// a value is a string with {0}, {1} for its arguments, or a table of
// one = "..." and other = "..." chosen by the first argument's count.
// [locale] holds the formats of dates and numbers.
type Strings struct {
	Lang   string
	words  map[string]entry
	Locale Locale
}

type entry struct{ one, other string }

// Locale is the [locale] table of a strings file.
type Locale struct {
	Decimal   string   `toml:"decimal"`   // "." or ","
	Thousands string   `toml:"thousands"` // "," or "." or a narrow space
	Date      string   `toml:"date"`      // "{d} {mon} {yyyy}": day, short month, year
	DayMonth  string   `toml:"day_month"` // "{d} {mon}": a day of a range within a year
	MonthDate string   `toml:"month"`     // "{month} {yyyy}"
	Months    []string `toml:"months"`    // January...
	Short     []string `toml:"short_months"`
	// Money places the amount {n} and the currency {c}: "{c}{n}", "{n} {c}".
	Money string `toml:"money"`
}

// I18nDir is the theme folder of the strings files.
const I18nDir = "i18n"

// LoadStrings reads the strings of lang from the theme name of site.
func LoadStrings(site fs.FS, theme, lang string) (*Strings, diag.List) {
	var diags diag.List
	s := &Strings{Lang: lang, words: map[string]entry{}}
	own, _ := fs.Sub(site, "themes/"+theme)
	layers := []struct {
		fsys fs.FS
		name string
	}{{themes.Default(), "en"}, {own, "en"}}
	if lang != "en" {
		layers = append(layers, struct {
			fsys fs.FS
			name string
		}{themes.Default(), lang}, struct {
			fsys fs.FS
			name string
		}{own, lang})
	}
	found := map[string]bool{}
	translated := map[string]bool{} // keys a file of lang sets
	for i, l := range layers {
		file := I18nDir + "/" + l.name + ".toml"
		src, err := fs.ReadFile(l.fsys, file)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		origin := "built-in theme: " + file
		if i%2 == 1 {
			origin = "themes/" + theme + "/" + file
		}
		if err != nil {
			diags.Errorf(origin, 0, "cannot read the strings file: %v", err)
			continue
		}
		found[l.name] = true
		set := translated
		if l.name != lang {
			set = map[string]bool{}
		}
		var raw map[string]any
		if _, err := toml.Decode(string(src), &raw); err != nil {
			diags.Add(diag.FromTOML(origin, 0, err))
			continue
		}
		if _, ok := raw["locale"]; ok {
			var f struct{ Locale Locale }
			if _, err := toml.Decode(string(src), &f); err != nil {
				diags.Errorf(origin, 0, "[locale]: %v", err)
			}
			s.Locale = mergeLocale(s.Locale, f.Locale)
			delete(raw, "locale")
		}
		diags.Add(s.flatten(origin, "", raw, set)...)
	}
	if found[lang] && lang != "en" {
		var missing []string
		for k := range s.words {
			if !translated[k] {
				missing = append(missing, k)
			}
		}
		if len(missing) > 0 {
			slices.Sort(missing)
			diags.Warnf("themes/"+theme+"/"+I18nDir+"/"+lang+".toml", 0, "%d strings are not translated to %q and show in English: %s", len(missing), lang, strings.Join(missing[:min(len(missing), 5)], ", "))
		}
	}
	if !found[lang] {
		diags.Errorf("coachbook.toml", 0, "language = %q: the theme has no strings file %s/%s.toml; write one (start from the built-in en.toml or de.toml) at themes/%s/%s/%s.toml", lang, I18nDir, lang, theme, I18nDir, lang)
	}
	return s, diags
}

// mergeLocale lays the settings b has over a's.
func mergeLocale(a, b Locale) Locale {
	for _, f := range []struct{ dst, src *string }{{&a.Decimal, &b.Decimal}, {&a.Thousands, &b.Thousands}, {&a.Date, &b.Date}, {&a.DayMonth, &b.DayMonth}, {&a.MonthDate, &b.MonthDate}, {&a.Money, &b.Money}} {
		if *f.src != "" {
			*f.dst = *f.src
		}
	}
	if len(b.Months) == 12 {
		a.Months = b.Months
	}
	if len(b.Short) == 12 {
		a.Short = b.Short
	}
	return a
}

// flatten adds the strings of a decoded file, noting each key in set.
func (s *Strings) flatten(origin, prefix string, m map[string]any, set map[string]bool) diag.List {
	var diags diag.List
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		key := prefix + k
		switch v := m[k].(type) {
		case string:
			s.words[key] = entry{v, v}
			set[key] = true
		case map[string]any:
			one, ok1 := v["one"].(string)
			other, ok2 := v["other"].(string)
			if ok1 && ok2 && len(v) == 2 {
				s.words[key] = entry{one, other}
				set[key] = true
				continue
			}
			diags.Add(s.flatten(origin, key+".", v, set)...)
		default:
			diags.Errorf(origin, 0, "%s: a string is a text in quotes, or a table of one = \"...\" and other = \"...\"", key)
		}
	}
	return diags
}

// T returns the text of key with its arguments in place of {0}, {1}...;
// a key that is not in the strings file is an error, which the template
// reports at its line.
func (s *Strings) T(key string, args ...any) (string, error) {
	e, ok := s.words[key]
	if !ok {
		return "", fmt.Errorf("no string %q in the strings file of language %q (i18n/%s.toml)", key, s.Lang, s.Lang)
	}
	text := e.other
	if len(args) > 0 && count(args[0]) == 1 {
		text = e.one
	}
	if len(args) == 0 || !strings.Contains(text, "{") {
		return text, nil
	}
	return fill(text, func(name string) (string, bool) {
		n, err := strconv.Atoi(name)
		if err != nil || n < 0 || n >= len(args) {
			return "", false
		}
		return s.arg(args[n]), true
	}), nil
}

// fill writes text with each {name} that value knows in its place, in one
// pass (a strings.Replacer built for each call costs more than the text).
func fill(text string, value func(name string) (string, bool)) string {
	var b strings.Builder
	b.Grow(len(text) + 16)
	for {
		i := strings.IndexByte(text, '{')
		if i < 0 {
			break
		}
		j := strings.IndexByte(text[i:], '}')
		if j < 0 {
			break
		}
		v, ok := value(text[i+1 : i+j])
		if !ok {
			b.WriteString(text[:i+1])
			text = text[i+1:]
			continue
		}
		b.WriteString(text[:i])
		b.WriteString(v)
		text = text[i+j+1:]
	}
	b.WriteString(text)
	return b.String()
}

// Lookup is T for a key the strings file may not have: false when it
// has not (content.Words).
func (s *Strings) Lookup(key string, args ...any) (string, bool) {
	if !s.Has(key) {
		return "", false
	}
	t, err := s.T(key, args...)
	return t, err == nil
}

// Has reports whether the strings file has key.
func (s *Strings) Has(key string) bool { _, ok := s.words[key]; return ok }

// Keys lists every key, sorted.
func (s *Strings) Keys() []string {
	out := make([]string, 0, len(s.words))
	for k := range s.words {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

func count(a any) int {
	switch n := a.(type) {
	case int:
		return n
	case int64:
		return int(n)
	case float64:
		if n == 1 {
			return 1
		}
	}
	return -1
}

func (s *Strings) arg(a any) string {
	switch n := a.(type) {
	case int:
		return s.Number(float64(n), 0)
	case float64:
		return s.Number(n, 0)
	case time.Time:
		return s.Date(n)
	}
	return fmt.Sprint(a)
}

// Number writes x with the locale's separators and the given decimals:
// 1234.5 is "1,234.50" in English and "1.234,50" in German.
func (s *Strings) Number(x float64, decimals int) string {
	neg := x < 0
	if neg {
		x = -x
	}
	digits := strconv.FormatFloat(round(x, decimals), 'f', decimals, 64)
	whole, frac, _ := strings.Cut(digits, ".")
	var b strings.Builder
	if neg && strings.Trim(digits, "0.") != "" {
		b.WriteString("−")
	}
	for i, c := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteString(s.Locale.Thousands)
		}
		b.WriteRune(c)
	}
	if frac != "" {
		b.WriteString(s.Locale.Decimal)
		b.WriteString(frac)
	}
	return b.String()
}

// Money writes an amount with the currency where the locale puts it:
// "$12,500" or "12.500 €".
func (s *Strings) Money(x float64, currency string, decimals int) string {
	n := s.Number(math.Abs(x), decimals)
	c := strings.TrimSpace(currency)
	out := fill(s.Locale.Money, func(name string) (string, bool) {
		switch name {
		case "n":
			return n, true
		case "c":
			return c, true
		}
		return "", false
	})
	if c != currency && strings.HasPrefix(s.Locale.Money, "{c}") {
		out = strings.Replace(out, c, currency, 1) // "CHF 12,500" keeps its space
	}
	if x < 0 && round(-x, decimals) > 0 {
		out = "−" + out
	}
	return out
}

// Date writes a day as the locale does: "2026-12-07" in English (as
// coachbook always wrote dates), "7. Dez. 2026" in German. {d} and {dd}
// are the day, {mm} the month's number, {mon} and {month} its name.
func (s *Strings) Date(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return s.dateIn(s.Locale.Date, t)
}

// dateIn writes t in layout: {d} and {dd} are the day, {mm} the month's
// number, {mon} and {month} its name, {yyyy} the year.
func (s *Strings) dateIn(layout string, t time.Time) string {
	return fill(layout, func(name string) (string, bool) {
		switch name {
		case "d":
			return strconv.Itoa(t.Day()), true
		case "dd":
			return fmt.Sprintf("%02d", t.Day()), true
		case "mm":
			return fmt.Sprintf("%02d", int(t.Month())), true
		case "mon":
			return s.Locale.Short[t.Month()-1], true
		case "month":
			return s.Locale.Months[t.Month()-1], true
		case "yyyy":
			return strconv.Itoa(t.Year()), true
		}
		return "", false
	})
}

// DayMonth writes a day without its year: "16 Nov", "16. Nov.".
func (s *Strings) DayMonth(t time.Time) string {
	return s.dateIn(s.Locale.DayMonth, t)
}

// Month writes a month: "December 2026", "Dezember 2026".
func (s *Strings) Month(t time.Time) string {
	return s.dateIn(s.Locale.MonthDate, t)
}
