package build

import (
	"html"
	"io/fs"
	"os"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/BurntSushi/toml"
)

// germanExample is the example site with language = "de" and amounts in
// euros, built in the clear, and (with the test passphrases, for a public
// address) with its reports encrypted.
func germanExample(t *testing.T, opts Options) map[string][]byte {
	t.Helper()
	site := fstest.MapFS{}
	err := fs.WalkDir(exampleFS(), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !(strings.HasPrefix(p, "content/") || strings.HasPrefix(p, "data/")) {
			return err
		}
		b, err := fs.ReadFile(exampleFS(), p)
		site[p] = &fstest.MapFile{Data: b}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	cfg, _ := os.ReadFile("../../coachbook.toml")
	de := strings.Replace(string(cfg), "base_url = \"/\"\n", "base_url = \"/\"\nlanguage = \"de\"\n", 1)
	de = strings.Replace(de, `currency = "$"`, `currency = "€"`, 1)
	site["coachbook.toml"] = &fstest.MapFile{Data: []byte(de)}
	opts.Today = testDay
	sink := &MemSink{}
	if _, diags := Run(site, opts, sink); diags.HasErrors() || len(diags) > 0 && strings.Contains(diags.Err().Error(), "not translated") {
		t.Fatalf("the German example:\n%v", diags.Err())
	}
	return sink.Files
}

// englishOnly lists the pieces of the English strings file that its German
// one does not share: what a German page must never show.
func englishOnly(t *testing.T) []string {
	t.Helper()
	read := func(lang string) map[string]any {
		var m map[string]any
		if _, err := toml.DecodeFile("../../themes/default/i18n/"+lang+".toml", &m); err != nil {
			t.Fatal(err)
		}
		delete(m, "locale")
		return m
	}
	var en, de []string
	var walk func(m map[string]any, out *[]string)
	walk = func(m map[string]any, out *[]string) {
		for _, v := range m {
			switch v := v.(type) {
			case string:
				*out = append(*out, v)
			case map[string]any:
				walk(v, out)
			}
		}
	}
	walk(read("en"), &en)
	walk(read("de"), &de)
	german := strings.Join(de, "\n")
	var out []string
	for _, s := range en {
		for _, piece := range regexp.MustCompile(`\{\d\}`).Split(s, -1) {
			piece = strings.Trim(piece, " .,:;()·–-")
			if len(piece) < 4 || !strings.ContainsAny(piece, "abcdefghijklmnopqrstuvwxyz") || strings.Contains(german, piece) {
				continue
			}
			out = append(out, piece)
		}
	}
	return out
}

var (
	uiAttr  = regexp.MustCompile(`<(\w+)([^>]*?)\s(aria-label|title|placeholder)="([^"]*)"`)
	uiText  = regexp.MustCompile(`(?s)<(th|h2|h3|label|button|footer|p class="eyebrow"|span class="kpi-label"|span class="pill[^"]*"|p class="muted"|p class="lead")[^>]*>(.*?)</`)
	prose   = regexp.MustCompile(`(?s)<div class="prose">.*?</div>\s*(<nav class="pager"|</article>)`)
	anyTags = regexp.MustCompile(`<[^>]+>`)
)

// uiStrings are the words a page shows that come from the theme: labels,
// headings, table heads, notes, its attributes for screen readers; not
// the guides' own text nor the links to their sections.
func uiStrings(page string) []string {
	page = prose.ReplaceAllString(page, "$1")
	var out []string
	for _, m := range uiAttr.FindAllStringSubmatch(page, -1) {
		if !strings.Contains(m[2], "coach-link") {
			out = append(out, html.UnescapeString(m[4]))
		}
	}
	for _, m := range uiText.FindAllStringSubmatch(page, -1) {
		out = append(out, html.UnescapeString(anyTags.ReplaceAllString(m[2], " ")))
	}
	return out
}

// TestGermanExampleShowsNoEnglish builds the example in German and looks
// at a page of each template converted to the strings file: the home page,
// a section, a guide, 404, what's new, a month report and the unlock form.
// None may show a word of the English strings file, and amounts and dates
// must be written the German way.
func TestGermanExampleShowsNoEnglish(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the example twice")
	}
	clear := germanExample(t, Options{})
	sealed := germanExample(t, Options{BaseURL: "https://acme.github.io/playbook/", Keys: lookup(testKeys)})
	pages := map[string]string{}
	for _, p := range []string{"index.html", "weekly/index.html", "weekly/activity-meeting/index.html", "404.html", "whats-new/index.html", "reports/reps/jdoe/month/2026-11/index.html"} {
		if clear[p] == nil {
			t.Fatalf("the German example has no %s", p)
		}
		pages[p] = string(clear[p])
	}
	for p, b := range sealed {
		if strings.Contains(string(b), `id="unlock-form"`) {
			pages["locked: "+p] = string(b)
			break
		}
	}
	if len(pages) != 7 {
		t.Fatal("no unlock form in the sealed German example")
	}
	english := englishOnly(t)
	if len(english) < 100 {
		t.Fatalf("only %d English pieces to look for", len(english))
	}
	for name, page := range pages {
		if !strings.Contains(page, `<html lang="de"`) {
			t.Errorf("%s: not marked as German", name)
		}
		for _, s := range uiStrings(page) {
			s = strings.TrimSpace(s)
			for _, e := range english {
				// A single word counts only as the whole text: "target"
				// may be a word of a guide's checklist.
				if strings.Contains(e, " ") && strings.Contains(s, e) || s == e {
					t.Errorf("%s shows English %q in %q", name, e, strings.TrimSpace(s))
				}
			}
		}
	}
	month := pages["reports/reps/jdoe/month/2026-11/index.html"]
	for _, want := range []string{"November 2026", " €", "19. Nov. 2026", "Was zu coachen ist", "Kennzahl"} {
		if !strings.Contains(month, want) {
			t.Errorf("the German month report lacks %q", want)
		}
	}
	// A commitment's own text (<q>) is what the manager wrote, in any
	// language and with any amount.
	if regexp.MustCompile(`\$\d|\d,\d{3}\b €`).MatchString(regexp.MustCompile(`(?s)<q>.*?</q>`).ReplaceAllString(month, "")) {
		t.Error("the German month report writes an amount the English way")
	}
}

// convertedTemplates are the layouts whose every word comes from the
// strings file. The report layouts not listed here (rep-week, rep-quarter,
// rep-home, team, manager, reports, metrics, data-health) still hold
// English words.
var convertedTemplates = []string{"base.html", "home.html", "section.html", "guide.html", "404.html", "whats-new.html", "locked.html", "partials/report.html", "partials/pipeline.html", "partials/flow.html", "rep-month.html"}

// TestConvertedTemplatesHoldNoWords checks that the converted layouts have
// no text of their own outside template actions: a word added to one in
// English would show on a German site.
func TestConvertedTemplatesHoldNoWords(t *testing.T) {
	actions := regexp.MustCompile(`(?s)\{\{.*?\}\}`)
	tags := regexp.MustCompile(`(?s)<(script|style)[^>]*>.*?</(script|style)>|<[^>]*>`)
	for _, name := range convertedTemplates {
		src, err := os.ReadFile("../../themes/default/layouts/" + name)
		if err != nil {
			t.Fatal(err)
		}
		text := tags.ReplaceAllString(actions.ReplaceAllString(string(src), " "), " ")
		for _, w := range strings.Fields(text) {
			if regexp.MustCompile(`[A-Za-z]{2,}`).MatchString(w) && w != "metrics.json" && w != "json" && w != "coachbook" {
				t.Errorf("%s: the word %q is not from the strings file", name, w)
			}
		}
		for _, m := range regexp.MustCompile(`(?:aria-label|title|placeholder|alt)="([^"]*)"`).FindAllStringSubmatch(actions.ReplaceAllString(string(src), ""), -1) {
			if rest := strings.ReplaceAll(m[1], "metrics.json", ""); regexp.MustCompile(`[A-Za-z]{2,}`).MatchString(rest) {
				t.Errorf("%s: the attribute text %q is not from the strings file", name, m[1])
			}
		}
	}
}
