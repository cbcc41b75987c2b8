package search

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// The theme's scripts (themes/default/static/js) read the index this
// package writes and must read a query as it read the guides.
// testdata/contract.json pins what the two sides agree on; this package
// writes it (go test -run TestContract -update) and checks itself against
// it, and testdata/contract.test.mjs checks the scripts against it with
// Node, which TestScriptsKeepContract runs.

var update = flag.Bool("update", false, "rewrite testdata/contract.json from this package")

const contractPath = "testdata/contract.json"

// contract is what testdata/contract.json holds.
type contract struct {
	About string `json:"about"`
	// PagesPerFile is how many slots one file of the page table names.
	PagesPerFile int `json:"pagesPerFile"`
	// Paths are the index's files: the first one read, and examples of
	// the others (a shard by its key, a vocabulary by its length, a page
	// table by its number).
	Paths map[string]string `json:"paths"`
	// Words are texts and the folded words read from each.
	Words []wordCase `json:"words"`
	// Stems are, by language, words and their stems.
	Stems map[string]map[string]string `json:"stems"`
	// Sample is a small index, every file of it, and queries with the
	// addresses of the results they must list, best first.
	Sample sample `json:"sample"`
}

type wordCase struct {
	Text  string   `json:"text"`
	Words []string `json:"words"`
}

type sample struct {
	// Files are the JSON of every file; Packed lists those written
	// gzip-compressed.
	Files   map[string]json.RawMessage `json:"files"`
	Packed  []string                   `json:"packed"`
	Queries []sampleQuery              `json:"queries"`
}

type sampleQuery struct {
	Query string   `json:"q"`
	Hits  []string `json:"hits"`
}

// sampleGuides are the guides of the sample index: 70, so that the page
// table takes two files.
func sampleGuides() []Source {
	var out []Source
	for i := range 70 {
		g := Guide{
			Title: fmt.Sprintf("Guide %d", i), URL: fmt.Sprintf("/guides/g%d/", i), Section: "Weekly",
			Parts: []Part{{Text: "Prepare the weekly activity review with the rep."}},
		}
		switch i {
		case 3:
			g.Title = "Territory plan review"
			g.Parts = append(g.Parts, Part{Heading: "Key accounts", Anchor: "key-accounts", Text: "Which accounts carry the quarter?"})
		case 40:
			g.Parts = append(g.Parts, Part{Heading: "Numbers", Anchor: "numbers", Text: "The territory's quarter in numbers."})
		case 66:
			g.Title = "Pipeline meeting"
			g.Parts = append(g.Parts,
				Part{Heading: "Forecast accuracy", Anchor: "forecast-accuracy", Text: "Compare the call with what closed."},
				Part{Heading: "Stalled deals", Anchor: "stalled-deals", Text: "Deals without a next step, and the rep's commitments."})
		case 69:
			g.Title = "日本 review"
			g.Parts[0].Text = "Über die Woche: Straße, façade."
		}
		out = append(out, Source{URL: g.URL, Version: 1, Guide: func() Guide { return g }})
	}
	return out
}

// sampleQueries are read by the scripts from the sample index.
var sampleQueries = []sampleQuery{
	// A stem: "forecasting" finds "forecast", in the part of its heading,
	// in slot 66, named by the second file of the page table.
	{"forecasting ", []string{"/guides/g66/#forecast-accuracy"}},
	// Every word in the same part: the title counts in every part.
	{"pipeline commitments ", []string{"/guides/g66/#stalled-deals"}},
	// A typo: "forcast" is one letter from "forecast".
	{"forcast ", []string{"/guides/g66/#forecast-accuracy"}},
	// The last word typed is a prefix; the title weighs more than text.
	{"territ", []string{"/guides/g3/", "/guides/g40/#numbers"}},
	// Stop words are left out; a shard with a key outside a-z.
	{"the 日本 ", []string{"/guides/g69/"}},
	// Accents folded.
	{"UBER Façade ", []string{"/guides/g69/"}},
	{"zebra ", nil},
}

// contractNow is the contract as this package keeps it. The stems are
// those of fixed word lists, of the example's guides and the German
// strings file as they were when the contract was last written (-update
// reads them again; otherwise the words come from the contract itself,
// so an edit to a guide or a translation does not break the contract).
func contractNow(t *testing.T, file *contract) contract {
	t.Helper()
	read := func(name string) string {
		b, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	// vocabulary is the text whose words a language's stems cover
	// besides the fixed lists.
	vocabulary := func(lang string) string {
		if file != nil {
			return strings.Join(slices.Collect(maps.Keys(file.Stems[lang])), " ")
		}
		guides, err := filepath.Glob("../../content/*/*.md")
		if err != nil || len(guides) < 5 {
			t.Fatalf("the example's guides: %v %v", guides, err)
		}
		var text strings.Builder
		for _, g := range guides {
			text.WriteString(read(g) + "\n")
		}
		if lang == "de" {
			text.WriteString(read("../../themes/default/i18n/de.toml"))
		}
		return text.String()
	}
	var porter strings.Builder
	for _, line := range strings.Split(read("testdata/porter.txt"), "\n") {
		if w, _, ok := strings.Cut(line, " "); ok && !strings.HasPrefix(line, "#") {
			porter.WriteString(w + "\n")
		}
	}
	accented := "Café résumé NAÏVE Ångström Łódź façade rep's reps’ don't Œuvre Straße İstanbul 2026 Q3 pipeline's"
	german := "Häuser Leitfäden kategorischen Verwaltungen aufeinanderfolgenden Ergebnisse Freundlichkeit Unabhängigkeit " +
		"Straße Größe kleinste gehst Bauer Möglichkeiten Heiligkeit Bayern Feuer euer treuer Kunden Kurs Deals nissen Zeugnisse " +
		"schnellstens Lieferung bestellend Ärger Öl Übungen Kündigungen zurückhaltend hältst rätst bietst wartest meldest " + strings.Join(slices.Sorted(maps.Keys(germanStems)), " ")
	c := contract{
		About:        "What site/search and the theme's scripts agree on; written by `go test ./site/search -run TestContract -update`, read by contract.test.mjs.",
		PagesPerFile: pagesPerFile,
		Paths: map[string]string{
			"meta": MetaPath, "shard ab": ShardPath("ab"), "shard fü": ShardPath("fü"), "shard 日本": ShardPath("日本"),
			"shard o'c": ShardPath("o'c"), "lengths 7": lensPath(7), "pages 1": pagesPath(1),
		},
		Stems: map[string]map[string]string{
			"en": stems(Stem, porter.String(), accented, vocabulary("en")),
			"de": stems(StemGerman, german, vocabulary("de")),
		},
	}
	for _, text := range []string{
		accented, german,
		"How many calls? Re-read the rep's notes, don’t skip Café 2026 — ÉTÉ",
		"x² ١٢٣ Ωmega 日本語 naïve’s l'été — o'clock ''quoted'' it's",
		read("../../content/weekly/activity-meeting.md"),
	} {
		c.Words = append(c.Words, wordCase{text, Words(text)})
	}
	sink := &memSink{}
	if _, err := New(false).Sync(sampleGuides(), sink); err != nil {
		t.Fatal(err)
	}
	c.Sample.Files = map[string]json.RawMessage{}
	for p, b := range sink.files {
		if len(b) > 1 && b[0] == 0x1f && b[1] == 0x8b {
			c.Sample.Packed = append(c.Sample.Packed, p)
		}
		b, err := Unpack(b)
		if err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		if !json.Valid(b) {
			t.Fatalf("%s is not JSON: %s", p, b)
		}
		c.Sample.Files[p] = b
	}
	slices.Sort(c.Sample.Packed)
	c.Sample.Queries = sampleQueries
	return c
}

// stems stems every word of the texts.
func stems(stem func(string) string, texts ...string) map[string]string {
	out := map[string]string{}
	for _, text := range texts {
		for _, w := range Words(text) {
			out[w] = stem(w)
		}
	}
	return out
}

// TestContract checks that this package keeps testdata/contract.json:
// stems, words, the page table's size, the files' names and contents.
func TestContract(t *testing.T) {
	if *update {
		want, err := json.MarshalIndent(contractNow(t, nil), "", " ")
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(contractPath, append(want, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	got, err := os.ReadFile(contractPath)
	if err != nil {
		t.Fatal(err)
	}
	var file contract
	if err := json.Unmarshal(got, &file); err != nil {
		t.Fatalf("%s: %v", contractPath, err)
	}
	now := contractNow(t, &file)
	want, err := json.MarshalIndent(now, "", " ")
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(got, append(want, '\n')) {
		return
	}
	// Say what differs: the scripts hold to the file, so a change here is
	// a change for them too (then run with -update, and the Node test).
	if file.PagesPerFile != now.PagesPerFile {
		t.Errorf("pagesPerFile: the contract says %d, site/search has %d", file.PagesPerFile, now.PagesPerFile)
	}
	for k, v := range now.Paths {
		if file.Paths[k] != v {
			t.Errorf("path %s: the contract says %q, site/search writes %q", k, file.Paths[k], v)
		}
	}
	for lang, m := range now.Stems {
		n := 0
		for _, w := range slices.Sorted(maps.Keys(m)) {
			if file.Stems[lang][w] != m[w] && n < 10 {
				t.Errorf("%s stem of %q: the contract says %q, site/search %q", lang, w, file.Stems[lang][w], m[w])
				n++
			}
		}
	}
	for i, c := range now.Words {
		if i >= len(file.Words) || !slices.Equal(file.Words[i].Words, c.Words) {
			t.Errorf("the words of text %d (%.40q…) differ from the contract's", i, c.Text)
		}
	}
	for _, p := range slices.Sorted(maps.Keys(now.Sample.Files)) {
		var a, b any
		json.Unmarshal(file.Sample.Files[p], &a)
		json.Unmarshal(now.Sample.Files[p], &b)
		if !reflect.DeepEqual(a, b) {
			t.Errorf("sample index: site/search writes %s as %.200s, the contract has %.200s", p, now.Sample.Files[p], file.Sample.Files[p])
		}
	}
	if !slices.Equal(file.Sample.Packed, now.Sample.Packed) {
		t.Errorf("sample index: the contract has %d files compressed, site/search %d", len(file.Sample.Packed), len(now.Sample.Packed))
	}
	for p := range file.Sample.Files {
		if _, ok := now.Sample.Files[p]; !ok {
			t.Errorf("sample index: the contract has %s, site/search does not write it", p)
		}
	}
	t.Errorf("%s is not what site/search writes; if the change is meant, run go test ./site/search -run TestContract -update and then the scripts' test (TestScriptsKeepContract)", contractPath)
}

// TestScriptsKeepContract runs testdata/contract.test.mjs: the theme's
// scripts must stem and read words as testdata/contract.json says, name
// the index's files as this package does, and find the sample queries'
// results in the sample index. It needs Node (make test needs it anyway,
// for axe-core); only -short lets a machine without it pass.
func TestScriptsKeepContract(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		if testing.Short() {
			t.Skip("no node on PATH")
		}
		t.Fatal("Node.js is needed to test the theme's scripts (node --test): install it, or run with -short")
	}
	// Read the files node reads, so that go test's cache knows them: a
	// change to a script runs the test again.
	scripts, err := filepath.Glob("../../themes/default/static/js/*.js")
	if err != nil || len(scripts) < 5 {
		t.Fatalf("the theme's scripts: %v %v", scripts, err)
	}
	for _, f := range append(scripts, "testdata/contract.test.mjs") {
		if _, err := os.ReadFile(f); err != nil {
			t.Fatal(err)
		}
	}
	cmd := exec.Command(node, "--test", "--test-reporter=spec", "testdata/contract.test.mjs")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("node --test testdata/contract.test.mjs: %v\n%s", err, out)
	}
	if !bytes.Contains(out, []byte("fail 0")) && !bytes.Contains(out, []byte("ℹ fail 0")) {
		t.Fatalf("node did not report its tests passed:\n%s", out)
	}
	t.Logf("%s", out)
}
