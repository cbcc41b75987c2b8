package build

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"io/fs"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/coachbook/coachbook/site/access"
	"github.com/coachbook/coachbook/site/config"
	"github.com/coachbook/coachbook/site/data"
	"github.com/coachbook/coachbook/site/internal/sitetest"
)

// testKeys are the example's audiences' passphrases in these tests.
var testKeys = map[string]string{
	"COACHBOOK_KEY_LEADERSHIP": "leadership test passphrase",
	"COACHBOOK_KEY_MGARCIA":    "garcia test passphrase",
	"COACHBOOK_KEY_TCHEN":      "chen test passphrase",
	"COACHBOOK_KEY_OKELLER":    "keller test passphrase",
}

func lookup(keys map[string]string) func(string) string {
	return func(name string) string { return keys[name] }
}

// sealedExample is the repository's example site built as a public GitHub
// Pages project site with the test passphrases, shared by the tests that
// read it.
func sealedExample(t *testing.T) map[string][]byte {
	t.Helper()
	b := examples.sealed.get()
	sink, res, diags := &MemSink{Files: b.files}, b.res, b.diags
	if diags.HasErrors() {
		t.Fatalf("the example site has errors:\n%v", diags.Err())
	}
	if len(res.Stats.Audiences) != 4 {
		t.Fatalf("encrypted for %v, want the example's four audiences", res.Stats.Audiences)
	}
	return sink.Files
}

// exampleSecrets lists every name, id, email and alias of the example's
// reps and managers, every account and deal name of its opportunities, and
// every deal amount and quota as the reports write it ("45,900").
func exampleSecrets(t *testing.T) []string {
	t.Helper()
	site := os.DirFS("../..")
	cfg, _ := config.Load(site)
	d, diags := data.Load(site, cfg)
	if diags.Fatal() {
		t.Fatal(diags.Err())
	}
	var words []string
	for _, r := range d.Team.Reps {
		words = append(words, r.ID, r.Name, r.Email)
		words = append(words, r.Aliases...)
		for _, q := range []float64{r.Quota.Monthly, r.Quota.Quarterly, r.Quota.Annual} {
			words = append(words, grouped(q))
		}
	}
	for _, m := range d.Team.Managers {
		words = append(words, m.ID, m.Name, m.Email)
	}
	// What reps committed to is personnel data too.
	for _, c := range d.Commitments {
		words = append(words, c.Text)
	}
	f, err := os.Open("../../data/opportunities.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := func(name string) int { return slices.Index(rows[0], name) }
	for _, row := range rows[1:] {
		amount, _ := strconv.ParseFloat(row[col("amount")], 64)
		words = append(words, row[col("id")], row[col("account")], row[col("name")], grouped(amount))
	}
	slices.Sort(words)
	return slices.DeleteFunc(slices.Compact(words), func(w string) bool {
		return len(w) < 3 || !strings.ContainsAny(w, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ,")
	})
}

// grouped writes an amount the way the reports do, with thousands
// separators; amounts under 1,000 are left out (too common to search for).
func grouped(v float64) string {
	s := strconv.FormatFloat(v, 'f', 0, 64)
	if len(s) < 4 {
		return ""
	}
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// ciphertextRE matches the base64 fields of sealed data: random letters,
// which the leak scan skips (a rep's id may turn up in them by chance).
var ciphertextRE = regexp.MustCompile(`"(c|n|r|s)":"[A-Za-z0-9+/=]*"`)

// leaks returns "path: word" for every secret word found in a file or its
// path, outside ciphertext: a word found in any case, not inside a longer
// word or number (with no letter or digit on either side).
func leaks(files map[string][]byte, words []string) []string {
	m := newWordFinder(words)
	var found []string
	for p, b := range files {
		if w := m.find([]byte(p)); w != "" {
			found = append(found, p+": address holds "+w)
		}
		if w := m.find(ciphertextRE.ReplaceAll(b, nil)); w != "" {
			found = append(found, p+": "+w)
		}
	}
	slices.Sort(found)
	return found
}

// wordFinder finds any of many words in one pass over a text, where one
// regular expression of them all would take seconds over the example's
// pages: a word that starts with a letter or digit can only start where
// the text's run of letters and digits is the word's first run.
type wordFinder struct {
	byRun   map[string][]string // lower-case words by their first run
	byFirst map[byte][]string   // the words that start with another byte
}

func newWordFinder(words []string) wordFinder {
	m := wordFinder{byRun: map[string][]string{}, byFirst: map[byte][]string{}}
	for _, w := range words {
		w = strings.ToLower(w)
		if w == "" {
			continue
		}
		if n := alnumRun(w); n > 0 {
			m.byRun[w[:n]] = append(m.byRun[w[:n]], w)
		} else {
			m.byFirst[w[0]] = append(m.byFirst[w[0]], w)
		}
	}
	return m
}

// find returns a word of m found in text, or "".
func (m wordFinder) find(text []byte) string {
	lower := bytes.ToLower(text)
	at := func(i int, candidates []string) string {
		for _, w := range candidates {
			end := i + len(w)
			if bytes.HasPrefix(lower[i:], []byte(w)) && (end == len(lower) || !isAlnum(lower[end])) {
				return w
			}
		}
		return ""
	}
	for i := 0; i < len(lower); {
		if !isAlnum(lower[i]) {
			if ws := m.byFirst[lower[i]]; ws != nil && (i == 0 || !isAlnum(lower[i-1])) {
				if w := at(i, ws); w != "" {
					return w
				}
			}
			i++
			continue
		}
		n := alnumRun(lower[i:])
		if ws := m.byRun[string(lower[i:i+n])]; ws != nil {
			if w := at(i, ws); w != "" {
				return w
			}
		}
		i += n
	}
	return ""
}

// alnumRun is the length of the run of ASCII letters and digits s starts
// with.
func alnumRun[S string | []byte](s S) int {
	n := 0
	for n < len(s) && isAlnum(s[n]) {
		n++
	}
	return n
}

func isAlnum(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
}

// TestSealedExampleLeaksNothing builds the example encrypted and scans
// every output file and address for every name, id, email, account, deal
// name and amount of its data: none may be readable.
func TestSealedExampleLeaksNothing(t *testing.T) {
	t.Parallel()
	words := exampleSecrets(t)
	if len(words) < 100 || !slices.Contains(words, "Jane Doe") || !slices.Contains(words, "jdoe@acme.example") || !slices.Contains(words, "Ask Globex for an introduction to their CFO") {
		t.Fatalf("only %d secrets to look for: %v", len(words), words)
	}
	// The scan finds rep data in a build in the clear...
	b := examples.pages.get()
	if b.diags.HasErrors() {
		t.Fatal(b.diags.Err())
	}
	clear := &MemSink{Files: b.files}
	if n := len(leaks(clear.Files, words)); n < 1000 {
		t.Fatalf("the scan finds rep data in only %d files of a build in the clear", n)
	}
	// ...and none in the encrypted one.
	files := sealedExample(t)
	if found := leaks(files, words); len(found) > 0 {
		t.Errorf("%d files show rep data:\n%s", len(found), strings.Join(found[:min(len(found), 20)], "\n"))
	}
	reports := 0
	for p, b := range files {
		if strings.HasPrefix(p, "reports/") && strings.HasSuffix(p, ".html") {
			reports++
			if !strings.Contains(string(b), "<title>Locked report · Acme Sales Coaching Playbook</title>") || !strings.Contains(string(b), `id="cb-sealed">{`) {
				t.Fatalf("%s is not a locked page", p)
			}
		}
	}
	if reports < 240 { // the example has about 250 with the default [reports.keep]
		t.Errorf("only %d report pages", reports)
	}
	// Fragments into a locked page cannot be checked: its ids are encrypted.
	linked := map[string][]byte{}
	for p, b := range files {
		linked[p] = lockedFragmentRE.ReplaceAll(b, []byte(`$1"`))
	}
	if n := checkLinks(t, linked, "/playbook/"); n < 5000 {
		t.Errorf("only %d links checked", n)
	}
}

var lockedFragmentRE = regexp.MustCompile(`(/playbook/reports/[0-9a-f]{20}/)#[^"]*"`)

// TestSealedExampleOpensPerScope opens the encrypted example's pages with
// each passphrase the way the browser does.
func TestSealedExampleOpensPerScope(t *testing.T) {
	t.Parallel()
	files := sealedExample(t)
	var kf access.KeyFile
	if err := json.Unmarshal(files[access.KeyringPath], &kf); err != nil {
		t.Fatal(err)
	}
	if kf.Iterations < 600000 {
		t.Errorf("PBKDF2 with %d iterations", kf.Iterations)
	}
	if _, err := access.Unlock(reader(files), "not a passphrase"); err == nil {
		t.Error("a wrong passphrase opens a bundle")
	}
	mgr, err := access.Unlock(reader(files), testKeys["COACHBOOK_KEY_MGARCIA"])
	if err != nil {
		t.Fatal(err)
	}
	titles := map[string]string{}
	for _, e := range mgr.Pages {
		titles[e.Title] = e.URL
	}
	for _, want := range []string{"Jane Doe", "Tom Webb", "Diego Nair", "Olivia Brennan", "Coaching cadence: Maria Garcia", "Reports: Maria Garcia", "Reports: team north"} {
		if !slicesContainsPrefix(titles, want) {
			t.Errorf("the manager's start pages lack %s: %v", want, titles)
		}
	}
	if mgr.Home != titles["Reports: Maria Garcia"] || mgr.Home == "" {
		t.Errorf("the manager's home is %q, not her index", mgr.Home)
	}
	for title := range titles {
		for _, other := range []string{"Priya Silva", "Marcus Rossi", "Tom Chen"} {
			if strings.Contains(title, other) {
				t.Errorf("mgarcia's start pages list %s", title)
			}
		}
	}
	opened, refused := 0, 0
	for p, b := range files {
		if !strings.HasPrefix(p, "reports/") || !strings.HasSuffix(p, "index.html") {
			continue
		}
		plain, err := mgr.Open(p, b)
		if err != nil {
			refused++
			continue
		}
		opened++
		for _, other := range []string{"Priya Silva", "psilva", "Marcus Rossi", "mrossi"} {
			if strings.Contains(string(plain), other) && !strings.Contains(string(plain), "Jane Doe") {
				t.Errorf("%s opens for mgarcia and shows %s", p, other)
			}
		}
	}
	if opened < 90 || refused < 145 { // about 96 and 153
		t.Errorf("mgarcia opens %d pages and is refused %d", opened, refused)
	}
}

func slicesContainsPrefix(m map[string]string, prefix string) bool {
	for k := range m {
		if strings.HasPrefix(k, prefix) {
			return true
		}
	}
	return false
}

// reader reads a build's files the way the browser fetches them.
func reader(files map[string][]byte) func(string) ([]byte, error) {
	return func(p string) ([]byte, error) {
		if b, ok := files[p]; ok {
			return b, nil
		}
		return nil, fs.ErrNotExist
	}
}

// TestAccessConfig checks the messages about [access] and the keys.
func TestAccessConfig(t *testing.T) {
	t.Parallel()
	const team = `
-- data/team.toml --
[[managers]]
id = "mgr"
name = "M"
[[reps]]
id = "r1"
name = "Rep One"
manager = "mgr"
-- content/_index.md --
Hi.
`
	cases := []struct {
		name, toml, extra string
		keys              map[string]string
		want              []string
		reportsOut        bool
	}{
		{"passphrase in the config", `base_url = "https://x.example/"
[access]
[[access.audience]]
name = "lead"
scope = "all"
key_env = "K_LEAD"
passphrase = "hunter2"`, "", nil, []string{`coachbook.toml:7: audience "lead" holds a passphrase, and coachbook.toml is kept in the repository`}, false},
		{"bad scope and env", `[access]
[[access.audience]]
name = "lead"
scope = "everyone"
key_env = "1X"`, "", nil, []string{`coachbook.toml:4: audience "lead" has scope "everyone"; use "all"`, `coachbook.toml:5: audience "lead" needs key_env`}, false},
		{"unknown manager", `[access]
[[access.audience]]
name = "x"
scope = "manager:nobody"
key_env = "K_X"`, "", nil, []string{`coachbook.toml:2: audience "x" has scope "manager:nobody", but data/team.toml has no manager "nobody"`}, false},
		{"public without keys", `base_url = "https://x.example/"
[access]
[[access.audience]]
name = "lead"
scope = "all"
key_env = "K_LEAD"`, "", map[string]string{}, []string{`coachbook.toml:2: warning: reports are left out: no passphrase is set for any audience (K_LEAD)`}, true},
		{"keys file not ignored", `base_url = "https://x.example/"
[access]
[[access.audience]]
name = "lead"
scope = "all"
key_env = "K_LEAD"`, "-- coachbook.keys --\nK_LEAD=secret one\n", map[string]string{}, []string{`coachbook.keys: coachbook.keys holds passphrases but the site's .gitignore does not list it`}, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			site := sitetest.FS("-- coachbook.toml --\n" + c.toml + "\n" + team + c.extra)
			opts := Options{Today: testDay}
			if c.keys != nil {
				opts.Keys = lookup(c.keys)
			}
			sink := &MemSink{}
			_, diags := Run(site, opts, sink)
			var lines []string
			for _, d := range diags {
				lines = append(lines, d.Error())
			}
			got := strings.Join(lines, "\n")
			for _, w := range c.want {
				if !strings.Contains(got, w) {
					t.Errorf("diagnostics lack %q:\n%s", w, got)
				}
			}
			if _, ok := sink.Files["reports/index.html"]; c.reportsOut && ok {
				t.Error("the reports were published")
			}
		})
	}
}

// TestKeysFile reads passphrases from a git-ignored keys file.
func TestKeysFile(t *testing.T) {
	t.Parallel()
	site := sitetest.FS(`
-- coachbook.toml --
base_url = "https://x.example/"
[access]
[[access.audience]]
name = "lead"
scope = "all"
key_env = "K_LEAD"
-- .gitignore --
/coachbook.keys
-- coachbook.keys --
# passphrases for local builds
K_LEAD = "secret one"
-- data/team.toml --
[[managers]]
id = "mgr"
name = "M"
[[reps]]
id = "r1"
name = "Rep One"
manager = "mgr"
-- content/_index.md --
Hi.
`)
	sink := &MemSink{}
	res, diags := Run(site, Options{Today: testDay, Keys: lookup(nil)}, sink)
	if diags.HasErrors() || len(res.Stats.Audiences) != 1 {
		t.Fatalf("audiences %v, diagnostics:\n%v", res.Stats.Audiences, diags)
	}
	if _, err := access.Unlock(reader(sink.Files), "secret one"); err != nil {
		t.Errorf("the passphrase from the keys file does not open the reports: %v", err)
	}
	if _, ok := sink.Files["reports/index.html"]; !ok {
		t.Error("no reports index")
	}
}

// The unlock script's words are handed to pages only where reports are
// encrypted: a site in the clear, which never loads the script, leaves
// their 1.9 kB off every page.
func TestUnlockWordsOnlyWhenEncrypted(t *testing.T) {
	clear := &MemSink{}
	if _, diags := Run(os.DirFS("../.."), Options{Today: testDay}, clear); diags.HasErrors() {
		t.Fatal(diags.Err())
	}
	for _, f := range []string{"weekly/activity-meeting/index.html", "reports/reps/jdoe/index.html"} {
		page := string(clear.Files[f])
		if !strings.Contains(page, `"search.copy":`) || strings.Contains(page, `"unlock.`) {
			t.Errorf("%s in the clear: want the search words and no unlock words", f)
		}
	}
	sealed := sealedExample(t)
	for _, f := range []string{"weekly/activity-meeting/index.html", "reports/index.html"} {
		if page := string(sealed[f]); !strings.Contains(page, `"unlock.passphrase":`) {
			t.Errorf("%s encrypted: no unlock words", f)
		}
	}
}
