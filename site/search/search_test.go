package search

import (
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
)

// The examples of Porter's paper, and words of the playbook
// (testdata/porter.txt); the theme's stem-en.js is checked against the
// same stems with Node (TestScriptsKeepContract).
func TestStem(t *testing.T) {
	data, err := os.ReadFile("testdata/porter.txt")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{}
	for _, line := range strings.Split(string(data), "\n") {
		if w, s, ok := strings.Cut(line, " "); ok && !strings.HasPrefix(line, "#") {
			want[w] = s
		}
	}
	if len(want) < 80 {
		t.Fatalf("testdata/porter.txt has %d words", len(want))
	}
	for w, s := range want {
		if got := Stem(w); got != s {
			t.Errorf("Stem(%q) = %q, want %q", w, got, s)
		}
	}
}

func TestWords(t *testing.T) {
	var got []string
	eachWord("How many calls? Re-read the rep's notes, don’t skip Café 2026 — ÉTÉ", func(w string) { got = append(got, w) })
	want := []string{"how", "many", "calls", "re", "read", "the", "rep", "notes", "dont", "skip", "cafe", "2026", "ete"}
	if !slices.Equal(got, want) {
		t.Errorf("words: %q, want %q", got, want)
	}
}

// memSink keeps what the index writes.
type memSink struct {
	mu    sync.Mutex
	files map[string][]byte
}

func (m *memSink) Write(p string, b []byte) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.files == nil {
		m.files = map[string][]byte{}
	}
	m.files[p] = b
	return nil
}

type testGuide struct {
	url, title, text string
	version          uint64
}

func sources(gs []testGuide) []Source {
	var out []Source
	for _, g := range gs {
		out = append(out, Source{URL: g.url, Version: g.version, Guide: func() Guide {
			return Guide{Title: g.title, URL: g.url, Section: "S", Parts: []Part{{Text: "Top."}, {Heading: "Calls", Anchor: "calls", Text: g.text}}}
		}})
	}
	return out
}

// Every kind of edit, applied to a kept index, leaves the files a new
// index of the same guides writes, byte for byte, and writes few files when
// a guide's text changes.
func TestSyncMatchesNewIndex(t *testing.T) {
	var guides []testGuide
	for i := range 40 {
		guides = append(guides, testGuide{fmt.Sprintf("/g%d/", i), fmt.Sprintf("Guide %d", i), fmt.Sprintf("Pipeline review %d with the rep.", i), 1})
	}
	ix := New(true)
	out := &memSink{}
	if _, err := ix.Sync(sources(guides), out); err != nil {
		t.Fatal(err)
	}
	edits := []struct {
		name string
		edit func([]testGuide) []testGuide
		most int // most files written
	}{
		{"text", func(gs []testGuide) []testGuide {
			gs[5].text, gs[5].version = "Pipeline review 5 with the rep, forecasting.", 2
			return gs
		}, 4},
		{"unchanged", func(gs []testGuide) []testGuide { return gs }, 0},
		{"title", func(gs []testGuide) []testGuide {
			gs[7].title, gs[7].version = "Guide seven", 2
			return gs
		}, 4},
		{"moved", func(gs []testGuide) []testGuide {
			g := gs[3]
			gs = slices.Delete(gs, 3, 4)
			return slices.Insert(gs, 30, g)
		}, 30},
		{"inserted first", func(gs []testGuide) []testGuide {
			return slices.Insert(gs, 0, testGuide{"/new/", "New", "Brand new words: signature.", 1})
		}, 60},
		{"deleted", func(gs []testGuide) []testGuide { return slices.Delete(gs, 10, 11) }, 45},
		{"renamed", func(gs []testGuide) []testGuide {
			gs[12].url = "/renamed/"
			return gs
		}, 3},
	}
	for _, e := range edits {
		guides = e.edit(guides)
		delta := &memSink{}
		gone, err := ix.Sync(sources(guides), delta)
		if err != nil {
			t.Fatal(err)
		}
		if n := len(delta.files) - 1; n > e.most { // index.json is always written
			t.Errorf("%s: wrote %d files, want at most %d: %v", e.name, n, e.most, slices.Sorted(maps.Keys(delta.files)))
		}
		maps.Copy(out.files, delta.files)
		for _, g := range gone {
			delete(out.files, g)
		}
		fresh := &memSink{}
		if _, err := New(false).Sync(sources(guides), fresh); err != nil {
			t.Fatal(err)
		}
		for p, want := range fresh.files {
			if got, ok := out.files[p]; !ok {
				t.Errorf("%s: %s is missing", e.name, p)
			} else if string(got) != string(want) {
				t.Errorf("%s: %s is\n%s\nwant\n%s", e.name, p, got, want)
			}
		}
		for p := range out.files {
			if _, ok := fresh.files[p]; !ok {
				t.Errorf("%s: %s is left over", e.name, p)
			}
		}
	}
}

// After Forget, a Sync writes every file again and still names those gone
// since the Sync before.
func TestForgetWritesAll(t *testing.T) {
	guides := []testGuide{{"/a/", "A", "Pipeline review.", 1}, {"/b/", "B", "Forecast call.", 1}}
	ix := New(true)
	first := &memSink{}
	if _, err := ix.Sync(sources(guides), first); err != nil {
		t.Fatal(err)
	}
	ix.Forget()
	again := &memSink{}
	gone, err := ix.Sync(sources(guides[:1]), again)
	if err != nil {
		t.Fatal(err)
	}
	fresh := &memSink{}
	if _, err := New(false).Sync(sources(guides[:1]), fresh); err != nil {
		t.Fatal(err)
	}
	if !maps.EqualFunc(again.files, fresh.files, func(a, b []byte) bool { return string(a) == string(b) }) {
		t.Errorf("after Forget, wrote %v; a new index writes %v", slices.Sorted(maps.Keys(again.files)), slices.Sorted(maps.Keys(fresh.files)))
	}
	if !slices.Contains(gone, FragmentPath("/b/")) || !slices.Contains(gone, ShardPath("fo")) {
		t.Errorf("gone: %v", gone)
	}
}

// A shard too big is split by longer keys, and every term lives in the
// shard of the longest key it begins with, which is where search.js looks.
func TestShardsSplit(t *testing.T) {
	var guides []testGuide
	for i := range 400 {
		guides = append(guides, testGuide{fmt.Sprintf("/g%d/", i), "Guide", "pipeline piping pipes pit pitch pivot pilot pi", 1})
	}
	out := &memSink{}
	if _, err := New(false).Sync(sources(guides), out); err != nil {
		t.Fatal(err)
	}
	var meta struct{ Shards []string }
	if err := json.Unmarshal(out.files[MetaPath], &meta); err != nil {
		t.Fatal(err)
	}
	keys := map[string]bool{}
	for _, k := range meta.Shards {
		keys[k] = true
	}
	if !keys["pip"] {
		t.Errorf("the pi shard was not split: %q", meta.Shards)
	}
	found := map[string]bool{}
	for _, k := range meta.Shards {
		var shard map[string][]int
		data, err := Unpack(out.files[ShardPath(k)])
		if err != nil {
			t.Fatalf("%s: %v", k, err)
		}
		if err := json.Unmarshal(data, &shard); err != nil {
			t.Fatalf("%s: %v", k, err)
		}
		for term := range shard {
			found[term] = true
			longest := ""
			for kk := range keys {
				if strings.HasPrefix(term, kk) && len(kk) > len(longest) {
					longest = kk
				}
			}
			if longest != k {
				t.Errorf("%s is in shard %q, search.js looks in %q", term, k, longest)
			}
		}
	}
	for _, w := range []string{"pipelin", "pipe", "pit", "pitch", "pivot", "pilot", "pi", "guid"} {
		if !found[w] {
			t.Errorf("%s is in no shard", w)
		}
	}
}

// discard is a sink that keeps nothing.
type discard struct{}

func (discard) Write(string, []byte) error { return nil }

// benchGuides are n guides of 300 words each from a small vocabulary.
func benchGuides(n int) []testGuide {
	words := strings.Fields("rep manager pipeline deal meeting coaching forecast quota activity prospect account discovery proposal negotiation close commit stage week month quarter")
	var guides []testGuide
	for i := range n {
		var text strings.Builder
		for j := range 300 {
			text.WriteString(words[(i*7+j*j)%len(words)] + " ")
		}
		guides = append(guides, testGuide{fmt.Sprintf("/s%d/g%d/", i/100, i), fmt.Sprintf("Guide %d", i), text.String(), 1})
	}
	return guides
}

// BenchmarkSyncBodyEdit times what the dev server's index does after a
// guide's text is saved in a playbook of 20,000 guides: find the guide that
// changed, replace its postings, write its file and the shards it touches.
func BenchmarkSyncBodyEdit20000Guides(b *testing.B) {
	guides := benchGuides(20000)
	ix := New(true)
	if _, err := ix.Sync(sources(guides), discard{}); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		guides[777].text += fmt.Sprintf(" Edit %d.", i)
		guides[777].version++
		if _, err := ix.Sync(sources(guides), discard{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSyncMove5000Guides deletes the 100th guide of 5,000 and adds it
// back, in turn: every guide after it moves to the next slot or back.
func BenchmarkSyncMove5000Guides(b *testing.B) {
	guides := benchGuides(5000)
	ix := New(true)
	if _, err := ix.Sync(sources(guides), discard{}); err != nil {
		b.Fatal(err)
	}
	without := slices.Delete(slices.Clone(guides), 100, 101)
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		gs := guides
		if i%2 == 0 {
			gs = without
		}
		if _, err := ix.Sync(sources(gs), discard{}); err != nil {
			b.Fatal(err)
		}
	}
}

// A guide's file is JSON that reads back as the guide, whatever its text
// holds.
func TestFragmentIsJSON(t *testing.T) {
	g := Guide{Title: `Say "no" & <mean> it`, URL: "/weekly/a/", Parts: []Part{
		{Text: "tab\there\nline\r\x01\x1f back\\slash \u2028\u2029 café \xff end"},
		{Heading: "Who signs?", Anchor: "who-signs", Text: "The <b>buyer</b>."},
	}}
	var got struct {
		T, U, S string
		D       []struct{ H, A, X string }
	}
	if err := json.Unmarshal(fragment(g), &got); err != nil {
		t.Fatalf("%v: %s", err, fragment(g))
	}
	if got.T != g.Title || got.U != g.URL || got.S != "" || len(got.D) != 2 ||
		got.D[0].X != strings.ToValidUTF8(g.Parts[0].Text, "\ufffd") || got.D[1].H != "Who signs?" || got.D[1].A != "who-signs" || got.D[1].X != g.Parts[1].Text {
		t.Errorf("read back %+v from %s", got, fragment(g))
	}
	if strings.ContainsAny(string(fragment(g)), "<>&\u2028\u2029") {
		t.Errorf("a guide's file must not hold <, >, & or line separators raw: %s", fragment(g))
	}
}
