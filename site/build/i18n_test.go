package build

import (
	"html"
	"io/fs"
	"maps"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/BurntSushi/toml"
	"github.com/coachbook/coachbook/site/diag"
)

// germanExample is the example site with language = "de" and amounts in
// euros, built in the clear, or sealed (with the test passphrases, for a
// public address) with its reports encrypted. Each is built once for the
// package's tests.
func germanExample(t *testing.T, sealed bool) map[string][]byte {
	t.Helper()
	o := germanBuilds[0]
	if sealed {
		o = germanBuilds[1]
	}
	b := o.get()
	if b.diags.HasErrors() || len(b.diags) > 0 && strings.Contains(b.diags.Err().Error(), "not translated") {
		t.Fatalf("the German example:\n%v", b.diags.Err())
	}
	return b.files
}

var germanBuilds = [2]*onceBuild{
	{build: func() exampleBuilt { return buildGerman(Options{}) }},
	{build: func() exampleBuilt {
		return buildGerman(Options{BaseURL: "https://acme.github.io/playbook/", Keys: lookup(testKeys)})
	}},
}

// buildGerman builds the example with language = "de" and euros.
func buildGerman(opts Options) exampleBuilt {
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
		return exampleBuilt{diags: diag.List{{Severity: diag.Error, Msg: err.Error()}}}
	}
	cfg, _ := os.ReadFile("../../coachbook.toml")
	de := strings.Replace(string(cfg), "base_url = \"/\"\n", "base_url = \"/\"\nlanguage = \"de\"\n", 1)
	de = strings.Replace(de, `currency = "$"`, `currency = "€"`, 1)
	site["coachbook.toml"] = &fstest.MapFile{Data: []byte(de)}
	opts.Today = testDay
	sink := &MemSink{}
	res, diags := Run(site, opts, sink)
	return exampleBuilt{sink.Files, res, diags}
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
	uiAttr  = regexp.MustCompile(`<(\w+)([^>]*?)\s(aria-label|title|placeholder|alt)="([^"]*)"`)
	prose   = regexp.MustCompile(`(?s)<div class="prose">.*?</div>\s*(<nav class="pager"|</article>)`)
	hidden  = regexp.MustCompile(`(?s)<(script|style|q|code)\b[^>]*>.*?</(script|style|q|code)>|<!--.*?-->`)
	anyTags = regexp.MustCompile(`<[^>]+>`)
)

// uiStrings are the pieces of text a page shows, each as it stands
// between two tags, and the attributes read out by screen readers. The
// guides' own text (their prose, their titles in links are the user's
// words and pass: only the theme's strings are looked for), the
// commitments' text and code are left out.
func uiStrings(page string) []string {
	page = prose.ReplaceAllString(page, "$1")
	page = hidden.ReplaceAllString(page, " ")
	var out []string
	for _, m := range uiAttr.FindAllStringSubmatch(page, -1) {
		if !strings.Contains(m[2], "coach-link") {
			out = append(out, html.UnescapeString(m[4]))
		}
	}
	for _, chunk := range anyTags.Split(page, -1) {
		if chunk = strings.TrimSpace(html.UnescapeString(chunk)); chunk != "" {
			out = append(out, chunk)
		}
	}
	return out
}

// userText is the text of the site's own files (guides and data): a piece
// of a page found there is the user's, in whatever language they wrote it.
func userText(t *testing.T) string {
	var b strings.Builder
	err := fs.WalkDir(exampleFS(), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !(strings.HasPrefix(p, "content/") || strings.HasPrefix(p, "data/")) {
			return err
		}
		data, err := fs.ReadFile(exampleFS(), p)
		b.Write(data)
		b.WriteByte('\n')
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return strings.Join(strings.Fields(typography.Replace(b.String())), " ")
}

// typography undoes the quotes goldmark's typographer writes.
var typography = strings.NewReplacer("’", "'", "‘", "'", "“", `"`, "”", `"`, "–", "--", "—", "---", "…", "...")

// usersOwn reports whether the English piece e of the page text s lies in
// words of the user's (a guide's title or heading in a link, "Guide ›
// Heading", a plan's line, the home page's intro).
func usersOwn(s, e, user string) bool {
	for _, part := range regexp.MustCompile(` › | · `).Split(s, -1) {
		if !strings.Contains(part, e) {
			continue
		}
		part = strings.Join(strings.Fields(typography.Replace(part)), " ")
		if _, after, ok := strings.Cut(part, ": "); ok && strings.Contains(user, after) {
			return true
		}
		if strings.Contains(user, part) {
			return true
		}
	}
	return false
}

// TestGermanExampleShowsNoEnglish builds the example in German and reads
// every page it writes, and a page with the unlock form from an encrypted
// build: no page may show a piece of the English strings file that the
// German one does not share, and amounts and dates must be written the
// German way.
func TestGermanExampleShowsNoEnglish(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("builds the example twice")
	}
	clear := germanExample(t, false)
	sealed := germanExample(t, true)
	pages := map[string]string{}
	for p, b := range clear {
		if strings.HasSuffix(p, ".html") {
			pages[p] = string(b)
		}
	}
	for _, p := range []string{"index.html", "weekly/index.html", "weekly/activity-meeting/index.html", "404.html", "whats-new/index.html", "reports/reps/jdoe/month/2026-11/index.html",
		"reports/reps/jdoe/week/2026-W47/index.html", "reports/reps/jdoe/quarter/2026-Q4/index.html", "reports/reps/jdoe/index.html", "reports/index.html", "reports/data-health/index.html", "reports/metrics/index.html"} {
		if clear[p] == nil {
			t.Fatalf("the German example has no %s", p)
		}
	}
	locked := 0
	for p, b := range sealed {
		if strings.Contains(string(b), `id="unlock-form"`) {
			pages["locked: "+p] = string(b)
			locked++
			break
		}
	}
	if locked == 0 {
		t.Fatal("no unlock form in the sealed German example")
	}
	english := englishOnly(t)
	if len(english) < 100 {
		t.Fatalf("only %d English pieces to look for", len(english))
	}
	// Pages share most of their words: each distinct piece of text is
	// looked at once, and reported with the first page that shows it.
	seen := map[string]string{}
	for _, name := range slices.Sorted(maps.Keys(pages)) {
		page := pages[name]
		if !strings.Contains(page, `<html lang="de"`) {
			t.Errorf("%s: not marked as German", name)
		}
		for _, s := range uiStrings(page) {
			if _, ok := seen[s]; !ok {
				seen[s] = name
			}
		}
	}
	found := 0
	user := userText(t)
	for _, s := range slices.Sorted(maps.Keys(seen)) {
		for _, e := range english {
			// A single word counts only as the whole text: "target"
			// may be a word of a guide's checklist.
			if (strings.Contains(e, " ") && strings.Contains(s, e) || s == e) && !usersOwn(s, e, user) {
				if found++; found <= 60 {
					t.Errorf("%s shows English %q in %q", seen[s], e, s)
				}
			}
		}
	}
	if found > 60 {
		t.Errorf("… %d English pieces in all", found)
	}
	month := pages["reports/reps/jdoe/month/2026-11/index.html"]
	for _, want := range []string{"November 2026", " €", "19. Nov. 2026", "Was zu coachen ist", "Kennzahl"} {
		if !strings.Contains(month, want) {
			t.Errorf("the German month report lacks %q", want)
		}
	}
	// A commitment's own text (<q>) is what the manager wrote, in any
	// language and with any amount.
	for _, name := range []string{"reports/reps/jdoe/month/2026-11/index.html", "reports/reps/jdoe/quarter/2026-Q4/index.html", "reports/reps/jdoe/index.html", "reports/index.html"} {
		if m := regexp.MustCompile(`.{0,40}(\$\d|\d,\d{3}\b €|\d{4}-\d\d-\d\d).{0,40}`).FindString(anyTags.ReplaceAllString(hidden.ReplaceAllString(pages[name], ""), " ")); m != "" {
			t.Errorf("%s writes an amount or a date the English way: %q", name, m)
		}
	}
}

// convertedTemplates are the layouts whose every word comes from the
// strings file.
var convertedTemplates = []string{"base.html", "home.html", "section.html", "guide.html", "404.html", "whats-new.html", "locked.html", "partials/report.html", "partials/pipeline.html", "partials/flow.html", "partials/status.html", "rep-month.html",
	"rep-week.html", "rep-quarter.html", "rep-home.html", "rep-history.html", "team.html", "manager.html", "reports.html", "data-health.html", "metrics.html"}

// TestConvertedTemplatesHoldNoWords checks that the converted layouts have
// no text of their own outside template actions: a word added to one in
// English would show on a German site.
func TestConvertedTemplatesHoldNoWords(t *testing.T) {
	t.Parallel()
	actions := regexp.MustCompile(`(?s)\{\{.*?\}\}`)
	tags := regexp.MustCompile(`(?s)<(script|style|code)[^>]*>.*?</(script|style|code)>|<[^>]*>`)
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

// TestStringsFilesHaveTheSameKeys reads the English and German strings
// files as written: a key in one must be in the other, or a German site
// shows the English of the missing key (and the warning that says so is
// easy to miss).
func TestStringsFilesHaveTheSameKeys(t *testing.T) {
	t.Parallel()
	keys := func(lang string) map[string]bool {
		var m map[string]any
		if _, err := toml.DecodeFile("../../themes/default/i18n/"+lang+".toml", &m); err != nil {
			t.Fatal(err)
		}
		out := map[string]bool{}
		var walk func(prefix string, m map[string]any)
		walk = func(prefix string, m map[string]any) {
			for k, v := range m {
				if sub, ok := v.(map[string]any); ok && prefix+k != "locale" {
					if _, plural := sub["other"]; !plural {
						walk(prefix+k+".", sub)
						continue
					}
				}
				out[prefix+k] = true
			}
		}
		walk("", m)
		return out
	}
	en, de := keys("en"), keys("de")
	for k := range en {
		if !de[k] {
			t.Errorf("de.toml lacks %s", k)
		}
	}
	for k := range de {
		if !en[k] {
			t.Errorf("en.toml lacks %s", k)
		}
	}
	if len(en) < 500 {
		t.Errorf("only %d keys", len(en))
	}
}
