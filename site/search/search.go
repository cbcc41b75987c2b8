// Package search owns the playbook's search index: every word of every
// guide, folded and stemmed (Porter), laid out so that a query downloads
// only what it needs, as Pagefind does:
//
//	search/index.json        v (a stamp for caches), n (parts indexed), the
//	                         shard keys, the word lengths of the vocabulary
//	search/s/<key>.json.gz   the postings of the terms the shard holds:
//	                         {"term": [slot, parts, part, weight, part, weight, …, slot step, parts, …]}
//	search/w/<len>.json.gz   the terms of that many letters, for typo tolerance
//	search/p/<n>.json.gz     the page table: the names of the files of the
//	                         guides in slots n×64 to n×64+63
//	search/f/<name>.json.gz  one guide: title, address, section and the text of
//	                         each part, fetched only for the results shown; its
//	                         name comes from its address, so it keeps it when
//	                         other guides come, go or move
//
// Every file but index.json is gzip-compressed JSON, as Pagefind
// compresses its own: a playbook's text takes a third of the bytes, its
// postings a tenth or less, on the host and on the wire whether or not
// the host compresses what it serves. The script unpacks them with the
// browser's DecompressionStream, and reads plain JSON too (a host that
// sends a .gz file with Content-Encoding: gzip has the browser unpack it).
//
// A guide is cut into parts a result can open: part 0 is its top (summary,
// preparation, agenda, the text before the first heading), then one per
// heading. A term's weight in a part counts the title 10 (2 in a heading's
// part), the heading 6 and each use in the text 1. A shard holds the terms
// that begin with its key (two letters, longer where a shard would grow
// past shardBytes): a term lives in the shard of the longest key it begins
// with. The theme's search.js reads these files; the fold and the
// stemmers here must agree with its words.js, stem-en.js and stem-de.js,
// and testdata/contract.json pins what the two sides share.
//
// The index is updated guide by guide (Sync): a guide whose version is
// unchanged is not read again, and only the files whose content changed
// are written again. A build that runs once lets each guide's text go as
// soon as its postings are in: what stays is the postings, varint-packed.
package search

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc64"
	"hash/maphash"
	"io"
	"maps"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/coachbook/coachbook/site/internal/par"
)

// Sink receives the index's files (paths relative to the site root).
type Sink interface {
	Write(path string, data []byte) error
}

// Part is a stretch of a guide a result can open: Heading and Anchor are
// empty for the top of the guide.
type Part struct{ Heading, Anchor, Text string }

// Guide is one guide as the index sees it. Parts[0] is its top.
type Guide struct {
	Title, URL, Section string
	Parts               []Part
}

// Source is a guide handed to Sync: Guide is called only when Version
// differs from the one last indexed for URL.
type Source struct {
	URL     string
	Version uint64
	Guide   func() Guide
}

// crcTable hashes the files the index writes (fast, and the same in
// every process, for the stamp).
var crcTable = crc64.MakeTable(crc64.ECMA)

// Dir is the folder of the index's files.
const Dir = "search/"

// shardBytes is about the largest shard worth keeping whole: a larger one
// is split by a longer key, down to one term a shard.
const shardBytes = 24 << 10

// Weights of the fields a term is found in.
const (
	weightTitle        = 10
	weightTitleOfAPart = 2
	weightHeading      = 6
	weightText         = 1
)

type posting struct{ part, weight uint32 }

type entry struct {
	term string
	post []posting
}

// postings are a term's postings, varint-packed by slot: the step from
// the previous slot, the count of parts, then part and weight of each.
type postings struct {
	data   []byte
	last   int // slot of the last group, -1 when empty
	groups int
	docs   int
}

// slotInfo is what the index remembers of the guide in a slot.
type slotInfo struct {
	url     string
	file    string // FragmentPath(url)
	version uint64
	fresh   bool // not indexed yet
	parts   int
	terms   []string // with keep: the guide's terms and a hash of each one's postings
	sums    []uint64
}

// Index is the search index of a playbook.
type Index struct {
	keep bool
	// stemmer is the language's (StemFor); words.js picks the same one by
	// the page's lang attribute.
	stemmer func(string) string
	terms   map[string]*postings
	slots   []*slotInfo // nil: a free slot
	byURL   map[string]int
	docs    int
	stems   sync.Map
	seed    maphash.Seed

	// written is the hash of each file the index last wrote: a file is
	// written again only when its bytes change, and the stamp of
	// index.json is the sum of these hashes, so that two indexes of the
	// same guides write the same files whichever way they were made.
	written    map[string]uint64
	shards     map[string]bool // keys of the shards
	shardFiles map[string]bool // and their files
	lens       map[int]bool
	// Changed since the last write: every file (after a reset), or the
	// terms whose postings moved and the word lengths whose vocabulary did.
	all       bool
	force     bool // write even the files whose bytes are the same
	dirty     map[string]bool
	dirtyLens map[int]bool
}

// New returns an empty index. With keep, it remembers each guide's terms
// so that a later Sync replaces that guide's postings only (the dev
// server); without, Sync is meant to run once (a build).
func New(keep bool) *Index { return NewLang(keep, "en") }

// NewLang is New for an index whose words are stemmed for the language
// lang ("en", "de"): see StemFor.
func NewLang(keep bool, lang string) *Index {
	ix := &Index{keep: keep, stemmer: StemFor(lang), seed: maphash.MakeSeed(), written: map[string]uint64{}}
	ix.reset()
	return ix
}

// reset empties the index.
func (ix *Index) reset() {
	ix.terms, ix.slots, ix.byURL, ix.docs = map[string]*postings{}, nil, map[string]int{}, 0
	ix.all, ix.dirty, ix.dirtyLens = true, map[string]bool{}, map[int]bool{}
}

// FragmentPath is the file of the guide at url: named after the address,
// not the slot, so that a guide that moves keeps its file.
func FragmentPath(url string) string {
	return Dir + "f/" + strconv.FormatUint(crc64.Checksum([]byte(url), crcTable), 36) + packedExt
}

// packedExt ends the name of every file of the index but index.json: they
// hold gzip-compressed JSON.
const packedExt = ".json.gz"

// pagesPerFile is how many slots a file of the page table names.
const pagesPerFile = 64

// pagesPath is the file of the page table that names the guides' files of
// slots n×pagesPerFile and on.
func pagesPath(n int) string { return Dir + "p/" + strconv.Itoa(n) + packedExt }

// ShardPath is the file of a shard.
func ShardPath(key string) string {
	var b strings.Builder
	for _, r := range key {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			b.WriteRune(r)
		} else {
			fmt.Fprintf(&b, "_%x-", r) // as shardFile in search.js
		}
	}
	return Dir + "s/" + b.String() + packedExt
}

func lensPath(n int) string { return Dir + "w/" + strconv.Itoa(n) + packedExt }

// MetaPath is the file search.js reads first.
const MetaPath = Dir + "index.json"

// Forget makes the next Sync read every guide again and write every file,
// still naming the files gone since the last Sync: the dev server calls it
// when it threw away what the index last wrote.
func (ix *Index) Forget() {
	ix.reset()
	ix.force = true
}

// renumber gives guide i of srcs slot i, as a new index would: the
// postings of guides that moved follow them, those of guides gone are
// dropped, and new guides get an empty slot.
func (ix *Index) renumber(srcs []Source) {
	slots := make([]*slotInfo, len(srcs))
	byURL := make(map[string]int, len(srcs))
	to := make(map[int]int, len(ix.slots))
	moved := map[int]bool{}
	for i, s := range srcs {
		byURL[s.URL] = i
		if old, ok := ix.byURL[s.URL]; ok {
			slots[i] = ix.slots[old]
			to[old] = i
			if old != i {
				moved[i] = true
			}
		} else {
			slots[i] = &slotInfo{url: s.URL, file: FragmentPath(s.URL), fresh: true}
		}
	}
	for old := range ix.slots {
		if _, ok := to[old]; !ok {
			ix.set(old, nil, 0)
		}
	}
	if len(moved) > 0 {
		for t, p := range ix.terms {
			if p.remap(to) {
				ix.dirty[t] = true
			}
		}
	}
	ix.slots, ix.byURL = slots, byURL
}

// Sync brings the index to the guides given: slot i holds srcs[i], as in
// a new index; guides not seen before are read, guides whose version
// changed are read again, guides that moved keep their postings in their
// new slot, guides missing are dropped. It writes the files whose content
// changed and returns those that are gone.
func (ix *Index) Sync(srcs []Source, sink Sink) (gone []string, err error) {
	keep := func(e error) {
		if e != nil && err == nil {
			err = e
		}
	}
	write := ix.writer(sink)
	keep(ix.readGuides(srcs, write))
	keep(ix.writePages(write))
	keep(ix.write(write))
	gone = ix.forgetGone()
	keep(ix.writeMeta(write))
	ix.force = false
	return gone, err
}

// writer returns what Sync writes a file with: only when its bytes
// changed since it was last written (or the index is forced), packed
// unless it is index.json. It is safe for concurrent use.
func (ix *Index) writer(sink Sink) func(p string, b []byte) error {
	var wmu sync.Mutex
	return func(p string, b []byte) error {
		sum := crc64.Checksum(b, crcTable)
		wmu.Lock()
		old, ok := ix.written[p]
		ix.written[p] = sum
		wmu.Unlock()
		if ok && old == sum && !ix.force {
			return nil
		}
		if p != MetaPath {
			b = pack(b)
		}
		return sink.Write(p, b)
	}
}

// readGuides lays the slots out for srcs and reads the guides that are
// new or changed: their postings and their files.
func (ix *Index) readGuides(srcs []Source, write func(string, []byte) error) (err error) {
	type work struct {
		src     Source
		slot    int
		entries []entry
		parts   int
	}
	ix.renumber(srcs)
	var todo []*work
	for i, s := range srcs {
		if si := ix.slots[i]; si.fresh || si.version != s.Version {
			todo = append(todo, &work{src: s, slot: i})
		}
	}
	// Guides are read in batches, in parallel, and their postings added in
	// slot order; each guide's text is let go with its batch.
	const batch = 256
	for start := 0; start < len(todo); start += batch {
		ws := todo[start:min(start+batch, len(todo))]
		errs := make([]error, len(ws))
		par.Do(len(ws), func(i int) {
			g := ws[i].src.Guide()
			ws[i].entries, ws[i].parts = ix.analyse(g)
			errs[i] = write(ix.slots[ws[i].slot].file, fragment(g))
		})
		for i, w := range ws {
			ix.set(w.slot, w.entries, w.parts)
			ix.slots[w.slot].version, ix.slots[w.slot].fresh = w.src.Version, false
			ws[i] = nil
			if errs[i] != nil && err == nil {
				err = errs[i]
			}
		}
	}
	return err
}

// writePages writes the page table: which guide's file each slot has.
func (ix *Index) writePages(write func(string, []byte) error) (err error) {
	var names []byte
	for start := 0; start < len(ix.slots); start += pagesPerFile {
		names = append(names[:0], '[')
		for i, si := range ix.slots[start:min(start+pagesPerFile, len(ix.slots))] {
			if i > 0 {
				names = append(names, ',')
			}
			names = strconv.AppendQuote(names, strings.TrimSuffix(strings.TrimPrefix(si.file, Dir+"f/"), packedExt))
		}
		names = append(names, ']')
		if e := write(pagesPath(start/pagesPerFile), slices.Clone(names)); e != nil && err == nil {
			err = e
		}
	}
	return err
}

// forgetGone forgets the files of guides, slots, shards and word lengths
// that are no more, and returns them, sorted.
func (ix *Index) forgetGone() (gone []string) {
	guides := make(map[string]bool, len(ix.slots))
	for _, si := range ix.slots {
		guides[si.file] = true
	}
	for p := range ix.written {
		if guides[p] || ix.live(p) {
			continue
		}
		delete(ix.written, p)
		gone = append(gone, p)
	}
	slices.Sort(gone)
	return gone
}

// writeMeta writes index.json. Its stamp sums the hashes of the other
// files, and lets caches tell one index from another.
func (ix *Index) writeMeta(write func(string, []byte) error) error {
	var stamp uint64
	for p, h := range ix.written {
		if p != MetaPath {
			stamp += h
		}
	}
	meta, _ := json.Marshal(struct {
		V      string   `json:"v"`
		N      int      `json:"n"`
		Shards []string `json:"shards"`
		Lens   []int    `json:"lens"`
	}{strconv.FormatUint(stamp, 36), ix.docs, slices.Sorted(maps.Keys(ix.shards)), slices.Sorted(maps.Keys(ix.lens))})
	return write(MetaPath, meta)
}

// live tells whether a file written before is still part of the index.
func (ix *Index) live(p string) bool {
	if p == MetaPath {
		return true
	}
	rest, _ := strings.CutPrefix(p, Dir)
	kind, name, _ := strings.Cut(rest, "/")
	name = strings.TrimSuffix(name, packedExt)
	switch kind {
	case "p":
		n, err := strconv.Atoi(name)
		return err == nil && n*pagesPerFile < len(ix.slots)
	case "w":
		n, err := strconv.Atoi(name)
		return err == nil && ix.lens[n]
	case "s":
		return ix.shardFiles[p]
	}
	return false
}

// stem stems a folded word, once per word.
func (ix *Index) stem(w string) string {
	if s, ok := ix.stems.Load(w); ok {
		return s.(string)
	}
	s := ix.stemmer(w)
	ix.stems.Store(strings.Clone(w), s)
	return s
}

// analyse lists a guide's terms, sorted, with their weight in each part.
func (ix *Index) analyse(g Guide) ([]entry, int) {
	acc := map[string][]posting{}
	w := map[string]uint32{}
	add := func(text string, weight uint32) {
		eachWord(text, func(word string) {
			if jsLen(word) < 2 {
				return
			}
			w[ix.stem(word)] += weight
		})
	}
	for i, p := range g.Parts {
		clear(w)
		if p.Heading != "" {
			add(g.Title, weightTitleOfAPart)
			add(p.Heading, weightHeading)
		} else {
			add(g.Title, weightTitle)
		}
		add(p.Text, weightText)
		for t, v := range w {
			acc[t] = append(acc[t], posting{uint32(i), v})
		}
	}
	out := make([]entry, 0, len(acc))
	for t, p := range acc {
		out = append(out, entry{t, p})
	}
	slices.SortFunc(out, func(a, b entry) int { return strings.Compare(a.term, b.term) })
	return out, len(g.Parts)
}

// set replaces the postings of the guide in slot with entries (none: the
// guide is gone).
func (ix *Index) set(slot int, entries []entry, parts int) {
	si := ix.slots[slot]
	ix.docs += parts - si.parts
	si.parts = parts
	if !ix.keep && len(si.terms) == 0 {
		for _, e := range entries {
			ix.list(e.term).put(slot, e.post)
			ix.dirty[e.term] = true
		}
		return
	}
	sums := make([]uint64, len(entries))
	for i, e := range entries {
		var h maphash.Hash
		h.SetSeed(ix.seed)
		for _, p := range e.post {
			binary.Write(&h, binary.LittleEndian, [2]uint32{p.part, p.weight})
		}
		sums[i] = h.Sum64()
	}
	i, j := 0, 0
	for i < len(si.terms) || j < len(entries) {
		switch {
		case j == len(entries) || i < len(si.terms) && si.terms[i] < entries[j].term:
			ix.drop(si.terms[i], slot)
			i++
		case i == len(si.terms) || entries[j].term < si.terms[i]:
			ix.list(entries[j].term).put(slot, entries[j].post)
			ix.dirty[entries[j].term] = true
			j++
		default:
			if si.sums[i] != sums[j] {
				ix.list(entries[j].term).put(slot, entries[j].post)
				ix.dirty[entries[j].term] = true
			}
			i++
			j++
		}
	}
	if ix.keep {
		si.terms = si.terms[:0]
		for _, e := range entries {
			si.terms = append(si.terms, e.term)
		}
		si.sums = sums
	}
}

// list is a term's postings, made when new.
func (ix *Index) list(t string) *postings {
	p := ix.terms[t]
	if p == nil {
		p = &postings{last: -1}
		ix.terms[t] = p
		ix.dirtyLens[jsLen(t)] = true
	}
	return p
}

// drop removes a slot's postings from a term.
func (ix *Index) drop(t string, slot int) {
	p := ix.terms[t]
	if p == nil {
		return
	}
	p.put(slot, nil)
	ix.dirty[t] = true
	if p.groups == 0 {
		delete(ix.terms, t)
		ix.dirtyLens[jsLen(t)] = true
	}
}

type group struct {
	slot int
	post []posting
}

// put sets the postings of a slot (none: removes them). Adding after the
// last slot appends; anything else unpacks the term and packs it again.
func (p *postings) put(slot int, post []posting) {
	if slot > p.last {
		if len(post) > 0 {
			p.add(slot, post)
		}
		return
	}
	gs := p.unpack()
	i, found := slices.BinarySearchFunc(gs, slot, func(g group, s int) int { return g.slot - s })
	switch {
	case found && len(post) == 0:
		gs = slices.Delete(gs, i, i+1)
	case found:
		gs[i].post = post
	case len(post) > 0:
		gs = slices.Insert(gs, i, group{slot, post})
	}
	*p = postings{last: -1}
	for _, g := range gs {
		p.add(g.slot, g.post)
	}
}

func (p *postings) add(slot int, post []posting) {
	p.data = binary.AppendUvarint(p.data, uint64(slot-p.last))
	p.data = binary.AppendUvarint(p.data, uint64(len(post)))
	for _, q := range post {
		p.data = binary.AppendUvarint(p.data, uint64(q.part))
		p.data = binary.AppendUvarint(p.data, uint64(q.weight))
	}
	p.last = slot
	p.groups++
	p.docs += len(post)
}

// each calls f with every slot and its postings, in slot order.
func (p *postings) each(f func(slot int, post []posting)) {
	d := p.data
	next := func() int {
		v, n := binary.Uvarint(d)
		d = d[n:]
		return int(v)
	}
	slot := -1
	var buf []posting
	for len(d) > 0 {
		slot += next()
		buf = buf[:0]
		for k := next(); k > 0; k-- {
			part := next()
			buf = append(buf, posting{uint32(part), uint32(next())})
		}
		f(slot, buf)
	}
}

// remap moves the postings to the slots to gives; a slot missing from to
// must have no postings left. It tells whether any moved.
func (p *postings) remap(to map[int]int) bool {
	gs := p.unpack()
	changed := false
	for i := range gs {
		n := to[gs[i].slot]
		changed = changed || n != gs[i].slot
		gs[i].slot = n
	}
	if !changed {
		return false
	}
	slices.SortFunc(gs, func(a, b group) int { return a.slot - b.slot })
	*p = postings{last: -1}
	for _, g := range gs {
		p.add(g.slot, g.post)
	}
	return true
}

func (p *postings) unpack() []group {
	gs := make([]group, 0, p.groups)
	p.each(func(slot int, post []posting) { gs = append(gs, group{slot, slices.Clone(post)}) })
	return gs
}

// size guesses the bytes of a term's entry in its shard.
func (p *postings) size(t string) int { return len(t) + 6 + len(p.data)*5/2 }

// layout cuts the sorted terms into shards: key -> terms.
func (ix *Index) layout(terms []string) map[string][]string {
	out := map[string][]string{}
	var split func(ts []string, key string, n int)
	split = func(ts []string, key string, n int) {
		size := 0
		for _, t := range ts {
			size += ix.terms[t].size(t)
		}
		if size <= shardBytes || len(ts) == 1 {
			out[key] = ts
			return
		}
		i := 0
		for i < len(ts) && ts[i] == key {
			i++
		}
		if i > 0 {
			out[key] = ts[:i]
		}
		for i < len(ts) {
			k := prefix(ts[i], n+1)
			j := i + 1
			for j < len(ts) && strings.HasPrefix(ts[j], k) {
				j++
			}
			split(ts[i:j], k, n+1)
			i = j
		}
	}
	for i := 0; i < len(terms); {
		k := prefix(terms[i], 2)
		j := i + 1
		for j < len(terms) && prefix(terms[j], 2) == k {
			j++
		}
		split(terms[i:j], k, utf8.RuneCountInString(k))
		i = j
	}
	return out
}

// prefix is the first n runes of s (all of it when shorter).
func prefix(s string, n int) string {
	for i := range s {
		if n == 0 {
			return s[:i]
		}
		n--
	}
	return s
}

// write writes the shards and vocabulary lists whose terms or postings
// changed (all of them after a reset).
func (ix *Index) write(write func(string, []byte) error) (err error) {
	terms := slices.Sorted(maps.Keys(ix.terms))
	lay := ix.layout(terms)
	// Each term lives in the shard of the longest key it begins with: when
	// the keys are the same, only shards with a dirty term changed.
	all := ix.all || len(lay) != len(ix.shards)
	for k := range lay {
		all = all || !ix.shards[k]
	}
	ix.shards = make(map[string]bool, len(lay))
	ix.shardFiles = make(map[string]bool, len(lay))
	var todo []string
	for k, ts := range lay {
		ix.shards[k] = true
		p := ShardPath(k)
		ix.shardFiles[p] = true
		_, known := ix.written[p]
		if all || !known || slices.ContainsFunc(ts, func(t string) bool { return ix.dirty[t] }) {
			todo = append(todo, k)
		}
	}
	errs := make([]error, len(todo))
	par.Do(len(todo), func(i int) { errs[i] = write(ShardPath(todo[i]), ix.shard(lay[todo[i]])) })
	// The vocabulary by length: the words typo tolerance compares.
	byLen := map[int][]string{}
	for _, t := range terms {
		if n := jsLen(t); n >= 3 {
			byLen[n] = append(byLen[n], t)
		}
	}
	ix.lens = make(map[int]bool, len(byLen))
	for n, ts := range byLen {
		ix.lens[n] = true
		if ix.all || ix.dirtyLens[n] {
			b, _ := json.Marshal(ts)
			errs = append(errs, write(lensPath(n), b))
		}
	}
	ix.all = false
	clear(ix.dirty)
	clear(ix.dirtyLens)
	return errors.Join(errs...)
}

// shard encodes the postings of some terms: each term's groups with the
// slot as a step from the previous group's.
func (ix *Index) shard(terms []string) []byte {
	size := 2
	for _, t := range terms {
		size += ix.terms[t].size(t)
	}
	b := make([]byte, 0, size)
	b = append(b, '{')
	for i, t := range terms {
		if i > 0 {
			b = append(b, ',')
		}
		q, _ := json.Marshal(t)
		b = append(b, q...)
		b = append(b, ':', '[')
		prev, n := 0, 0
		ix.terms[t].each(func(slot int, post []posting) {
			if n > 0 {
				b = append(b, ',')
			}
			n++
			b = strconv.AppendInt(b, int64(slot-prev), 10)
			prev = slot
			b = append(b, ',')
			b = strconv.AppendInt(b, int64(len(post)), 10)
			for _, p := range post {
				b = append(b, ',')
				b = strconv.AppendUint(b, uint64(p.part), 10)
				b = append(b, ',')
				b = strconv.AppendUint(b, uint64(p.weight), 10)
			}
		})
		b = append(b, ']')
	}
	return append(b, '}')
}

// fragment is a guide's file: what a result shows of it,
// {"t":title,"u":url,"s":section,"d":[{"h":heading,"a":anchor,"x":text},…]}
// with empty section, heading and anchor left out. It is written by hand:
// a move renumbers thousands of guides in serve, and encoding/json took
// most of that time.
func fragment(g Guide) []byte {
	n := len(g.Title) + len(g.URL) + len(g.Section) + 32
	for _, p := range g.Parts {
		n += len(p.Heading) + len(p.Anchor) + len(p.Text) + 24
	}
	b := make([]byte, 0, n+n/16)
	b = append(b, `{"t":`...)
	b = appendJSON(b, g.Title)
	b = append(b, `,"u":`...)
	b = appendJSON(b, g.URL)
	if g.Section != "" {
		b = append(b, `,"s":`...)
		b = appendJSON(b, g.Section)
	}
	b = append(b, `,"d":[`...)
	for i, p := range g.Parts {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, '{')
		if p.Heading != "" {
			b = append(b, `"h":`...)
			b = appendJSON(b, p.Heading)
			b = append(b, ',')
		}
		if p.Anchor != "" {
			b = append(b, `"a":`...)
			b = appendJSON(b, p.Anchor)
			b = append(b, ',')
		}
		b = append(b, `"x":`...)
		b = appendJSON(b, p.Text)
		b = append(b, '}')
	}
	return append(b, "]}"...)
}

// appendJSON appends s as a JSON string, escaping what JSON and a script
// must not see raw: quotes, backslashes, control characters, U+2028 and
// U+2029, and <, > and & as encoding/json does.
func appendJSON(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\t':
				b = append(b, '\\', 't')
			case '\r':
				b = append(b, '\\', 'r')
			default:
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&15])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 || r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			if r == utf8.RuneError {
				b = append(b, `\ufffd`...)
			} else {
				b = append(b, '\\', 'u', '2', '0', '2', hex[r&15])
			}
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// gzipWriters are compressors at the fastest level, which takes a third
// of a guide's text off at a few percent of the CPU the index costs.
var gzipWriters = sync.Pool{New: func() any {
	w, _ := gzip.NewWriterLevel(nil, gzip.BestSpeed)
	return w
}}

// pack gzip-compresses one file of the index: the same bytes always make
// the same file (no time or name in the header).
func pack(b []byte) []byte {
	var buf bytes.Buffer
	buf.Grow(len(b)/3 + 64)
	w := gzipWriters.Get().(*gzip.Writer)
	w.Reset(&buf)
	w.Write(b)
	w.Close()
	gzipWriters.Put(w)
	return buf.Bytes()
}

// Unpack is the JSON of one file of the index as written: gunzipped, or
// as it is when it is not compressed (index.json).
func Unpack(data []byte) ([]byte, error) {
	if len(data) < 2 || data[0] != 0x1f || data[1] != 0x8b {
		return data, nil
	}
	r, err := gzip.NewReader(bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	return io.ReadAll(r)
}
