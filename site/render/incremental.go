package render

import (
	"encoding/binary"
	"hash"
	"hash/fnv"
	"io"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/coachbook/coachbook/site/content"
	"github.com/coachbook/coachbook/site/diag"
	"github.com/coachbook/coachbook/site/internal/par"
	"github.com/coachbook/coachbook/site/search"
)

// A playbook file's key sums up everything its template reads, so that two
// renderings with the same key write the same bytes: a guide page's key is
// its own version (front matter and body), its neighbours' addresses and
// titles, its breadcrumbs and its section's sidebar. The Renderer keeps the
// keys of the files it last rendered; ChangedFirst renders only the files whose
// key moved, and names those that are gone.

// keyer hashes the inputs of one file, the same way in every process (see
// key.go).
type keyer struct{ h hash.Hash64 }

func newKeyer() *keyer { return &keyer{h: fnv.New64a()} }

func (k *keyer) str(ss ...string) {
	for _, s := range ss {
		io.WriteString(k.h, s)
		k.h.Write([]byte{0})
	}
}

func (k *keyer) num(n uint64) {
	var b [8]byte
	binary.LittleEndian.PutUint64(b[:], n)
	k.h.Write(b[:])
}

// card is what a list of guides shows of each: the home page's rhythm and
// the section pages.
func (k *keyer) card(p *content.Page) {
	k.str(p.URL, p.Title, p.Cadence, p.Summary, p.Duration.String())
}

// memo is what jobs worked out for one guide, kept for the next call:
// the hash of its card (see keyer.card), and its page's path and key with
// the inputs they were made from. r.memo lines up with the reading order
// (s.Pages): a guide read again, or moved, is worked out again, the others
// not, and no old reading of a guide is held.
type memo struct {
	page    *content.Page
	version uint64
	card    uint64
	guide   guideKey
}

// guideInputs identify what a guide page's key sums up: the guide's
// version, its sidebar, its section (and so its breadcrumbs: a section is
// made again when any section changes) and its neighbours.
type guideInputs struct {
	version, nav     uint64
	changed          time.Time
	sec              *content.Section
	prev, next       *content.Page
	prevVer, nextVer uint64
}

// guideKey is a guide page's output path and key.
type guideKey struct {
	in   guideInputs
	path string
	key  uint64
}

// memoFor returns the memo of the i-th guide of the reading order, p,
// worked out again when it is not p's as it is now.
func (r *Renderer) memoFor(i int, p *content.Page) *memo {
	m := &r.memo[i]
	if m.page != p || m.version != p.Version() {
		k := newKeyer()
		k.card(p)
		*m = memo{page: p, version: p.Version(), card: k.sum()}
	}
	return m
}

func (k *keyer) crumbs(sec *content.Section) {
	for ; sec != nil; sec = sec.Parent {
		k.str(sec.URL, sec.Title)
	}
}

func (k *keyer) sum() uint64 {
	v := k.h.Sum64()
	k.h.Reset()
	return v
}

// job renders one playbook file.
type job struct {
	path   string
	key    uint64
	render func(Sink) error
}

// jobs lists every page of the playbook, and the site-wide files that
// depend on the guides, with their keys. buildNav must have run.
func (r *Renderer) jobs(s *content.Site) []job {
	if len(r.memo) != len(s.Pages) {
		r.memo = make([]memo, len(s.Pages))
	}
	cards := &cardIndex{r: r, s: s}
	out := append([]job{r.homeJob(s, cards)}, r.sectionJobs(s, cards)...)
	out = append(out, r.guideJobs(s)...)
	out = append(out, r.siteJobs(s)...)
	if len(r.digests) > 2*len(s.Pages)+16 {
		// Guides deleted or read again in a long preview: keep only the
		// current readings.
		for p := range r.digests {
			if p.Section == nil || !slices.Contains(p.Section.Pages, p) {
				delete(r.digests, p)
			}
		}
	}
	return out
}

// cardIndex finds the memo of a guide listed by the home page or a
// section page, by its place in the reading order.
type cardIndex struct {
	r  *Renderer
	s  *content.Site
	at map[*content.Page]int // only for pages out of line, see of
}

// of is the hash of the card of p, the i-th guide of the reading order
// when it is where it should be.
func (c *cardIndex) of(i int, p *content.Page) uint64 {
	if i < len(c.s.Pages) && c.s.Pages[i] == p {
		return c.r.memoFor(i, p).card
	}
	if len(c.at) == 0 {
		c.at = make(map[*content.Page]int, len(c.s.Pages))
		for j, q := range c.s.Pages {
			c.at[q] = j
		}
	}
	return c.r.memoFor(c.at[p], p).card
}

// homeJob is the home page's job: it shows its own text, every guide's
// card, the sections and the build date.
func (r *Renderer) homeJob(s *content.Site, cards *cardIndex) job {
	k := newKeyer()
	k.num(r.digest(s.Root.Index))
	k.num(r.navKey[""])
	k.str(r.Meta.Built) // the home page shows the build date
	for i, p := range s.Pages {
		k.num(cards.of(i, p))
	}
	for _, sec := range s.Root.Sections {
		k.str(sec.URL, sec.Title, sec.Summary, strconv.Itoa(len(sec.Pages)))
	}
	return job{"index.html", k.sum(), func(sink Sink) error { return r.renderHome(s, sink) }}
}

// sectionJobs are the section pages' jobs, each showing its text, its
// sidebar, its breadcrumbs, its guides' cards and its subsections.
func (r *Renderer) sectionJobs(s *content.Site, cards *cardIndex) []job {
	k := newKeyer()
	var out []job
	// The reading order is the root's guides, then each section's, in
	// the order of s.Sections: i follows it.
	i := len(s.Root.Pages)
	for _, sec := range s.Sections {
		k.num(r.digest(sec.Index))
		k.num(r.navKey[sec.Dir])
		k.crumbs(sec)
		k.str(sec.Summary)
		for _, p := range sec.Pages {
			k.num(cards.of(i, p))
			i++
		}
		for _, sub := range sec.Sections {
			k.str(sub.URL, sub.Title, sub.Summary)
		}
		out = append(out, job{outPath(sec.URL), k.sum(), func(sink Sink) error { return r.renderSection(sec, sink) }})
	}
	return out
}

// guideJobs are the guide pages' jobs, each key worked out again only
// when what it sums up moved (see guideInputs).
func (r *Renderer) guideJobs(s *content.Site) []job {
	k := newKeyer()
	navKey, version := r.navKey, r.digest
	out := make([]job, 0, len(s.Pages))
	for i, p := range s.Pages {
		changed := r.changeOf(p).Date
		in := guideInputs{p.Version(), navKey[p.Section.Dir], changed, p.Section, p.Prev, p.Next, version(p.Prev), version(p.Next)}
		mm := r.memoFor(i, p)
		m := mm.guide
		if m.in != in || m.path == "" {
			k.num(version(p))
			k.num(navKey[p.Section.Dir])
			k.str(changed.Format(time.DateOnly)) // the page shows the day
			k.crumbs(p.Section)
			for _, n := range []*content.Page{p.Prev, p.Next} {
				if n != nil {
					k.str(n.URL, n.Title)
				} else {
					k.str("")
				}
			}
			m = guideKey{in, outPath(p.URL), k.sum()}
			mm.guide = m
		}
		out = append(out, job{m.path, m.key, func(sink Sink) error { return r.renderGuide(p, sink) }})
	}
	return out
}

// siteJobs are the jobs of the site-wide files that depend on the guides:
// the what's-new page, 404.html and sitemap.xml.
func (r *Renderer) siteJobs(s *content.Site) []job {
	k := newKeyer()
	var out []job
	since, news := r.whatsNew(s)
	k.num(r.navKey[""])
	k.str(since.Format(time.DateOnly))
	for _, n := range news {
		k.str(n.Guide.URL, n.Guide.Title, n.Date.Format(time.DateOnly), n.Subject, strconv.FormatBool(n.New))
	}
	out = append(out, job{outPath(WhatsNewURL), k.sum(), func(sink Sink) error { return r.renderWhatsNew(s, sink) }})

	k.num(r.navKey[""])
	for _, sec := range s.Root.Sections {
		k.str(sec.URL, sec.Title)
	}
	out = append(out, job{"404.html", k.sum(), func(sink Sink) error { return r.renderNotFound(s, sink) }})

	urls := playbookURLs(s)
	k.str(urls...)
	out = append(out, job{"sitemap.xml", k.sum(), func(sink Sink) error {
		return sink.Write("sitemap.xml", r.sitemap(urls))
	}})
	return out
}

// pageFields are the fields of a guide that its page, the lists and the
// search index show; its section and neighbours are keyed by the pages
// that show them.
type pageFields struct {
	File, URL               string
	IsIndex, Draft          bool
	Title, Cadence, Summary string
	Duration                int64
	Weight                  int
	Prepare                 []string
	Agenda                  []content.AgendaItem
	Coaches                 []content.Coach
	Headings                []content.Heading
	Body                    string
	Parts                   []content.Part
}

// digest sums up one reading of a guide, the same in every process; it
// is worked out once per reading (Page.Version).
func (r *Renderer) digest(p *content.Page) uint64 {
	if p == nil {
		return 0
	}
	if d, ok := r.digests[p]; ok && d.version == p.Version() {
		return d.sum
	}
	var k valueKey
	k.Value(reflect.ValueOf(pageFields{p.File, p.URL, p.IsIndex, p.Draft, p.Title, p.Cadence, p.Summary,
		int64(p.Duration), p.Weight, p.Prepare, p.Agenda, p.Coaches, p.Headings, string(p.Body), p.Parts}))
	sum := sum64(k.Buf)
	if r.digests == nil {
		r.digests = map[*content.Page]pageDigest{}
	}
	r.digests[p] = pageDigest{p.Version(), sum}
	return sum
}

type pageDigest struct{ version, sum uint64 }

// remember notes the keys of the files just rendered, and of the content
// files published beside them, and returns the files of the last
// rendering that are not among them (gone). It updates the keys in place:
// a large playbook's map is not built again at each save.
func (r *Renderer) remember(s *content.Site, jobs []job) (gone []string) {
	r.stale = false
	r.round++
	if r.rendered == nil {
		r.rendered = make(map[string]fileKey, len(jobs)+len(s.Files))
	}
	for _, j := range jobs {
		r.rendered[j.path] = fileKey{j.key, r.round}
	}
	for _, f := range s.Files {
		r.rendered[f] = fileKey{0, r.round}
	}
	for p, k := range r.rendered {
		if k.round != r.round {
			gone = append(gone, p)
			delete(r.rendered, p)
		}
	}
	return gone
}

// fileKey is the key of a file as of the rendering round that noted it.
type fileKey struct {
	key   uint64
	round uint64
}

// Forget makes the next ChangedFirst render every page (and still name the files
// that are gone). The dev server calls it when it threw a rendering away.
func (r *Renderer) Forget() { r.stale = true }

// ChangedFirst renders the playbook files whose inputs changed since the last
// PlaybookFirst or ChangedFirst, and copies the content files among changed (site
// paths of the files that were edited, created or deleted). It returns the
// output files that are gone: pages of guides deleted or renamed, and
// content files deleted. The theme's static files are not written again.
// Of the changed files it renders now only those that first accepts (all
// when first is nil); the others wait, as Pending lists them, like those
// PlaybookFirst leaves.
func (r *Renderer) ChangedFirst(s *content.Site, in Inputs, changed []string, first func(path string) bool, sink Sink) (gone []string, diags diag.List) {
	r.reuse, r.changes = in.Reuse, in.Changes
	if err := r.buildNav(s); err != nil {
		diags.Add(diag.From(err))
		return nil, diags
	}
	if r.search == nil {
		r.search = search.NewLang(true, r.cfg.Language)
	} else if r.stale {
		r.search.Forget()
	}
	// The search index is brought up to date now, or, when the open pages
	// go first, just after them: its files wait with the others (a file
	// of it that is gone then stays behind in the dev server, unread).
	var searchGone []string
	index := job{path: search.Dir, render: func(sink Sink) error {
		_, err := r.search.Sync(r.searchSources(s), bytesKeyed{r, sink})
		return err
	}}
	if first == nil {
		var err error
		if searchGone, err = r.search.Sync(r.searchSources(s), bytesKeyed{r, sink}); err != nil {
			diags.Add(diag.From(err))
		}
	}
	jobs := r.jobs(s)
	var todo []job
	var waiting map[string]job
	for _, j := range jobs {
		if old, ok := r.rendered[j.path]; !ok || old.key != j.key || r.stale {
			if first == nil || first(j.path) {
				todo = append(todo, j)
				continue
			}
			if waiting == nil {
				waiting = map[string]job{}
			}
			waiting[j.path] = j
		} else if _, ok := r.pending[j.path]; ok {
			// Still waiting, and unchanged: keep it waiting, rendered
			// from the guides as they are now.
			if waiting == nil {
				waiting = map[string]job{}
			}
			waiting[j.path] = j
		}
	}
	if first != nil {
		if waiting == nil {
			waiting = map[string]job{}
		}
		waiting[search.Dir] = index
	}
	r.pending = waiting
	errs := make([]error, len(todo))
	par.Do(len(todo), func(i int) { errs[i] = todo[i].render(sink) })
	for _, f := range changed {
		rel, ok := strings.CutPrefix(f, content.Dir+"/")
		if ok && slices.Contains(s.Files, rel) {
			errs = append(errs, r.copyContentFile(rel, sink))
		}
	}
	for _, err := range errs {
		if err != nil {
			diags.Add(diag.From(err))
		}
	}
	gone = r.remember(s, jobs)
	gone = append(gone, searchGone...)
	slices.Sort(gone)
	if diags.HasErrors() {
		r.Forget()
	}
	return gone, diags
}
