package render

import (
	"hash"
	"hash/fnv"
	"io"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"github.com/coachbook/coachbook/site/content"
	"github.com/coachbook/coachbook/site/diag"
	"github.com/coachbook/coachbook/site/internal/par"
)

// A playbook file's key sums up everything its template reads, so that two
// renderings with the same key write the same bytes: a guide page's key is
// its own version (front matter and body), its neighbours' addresses and
// titles, its breadcrumbs and its section's sidebar. The Renderer keeps the
// keys of the files it last rendered; Changed renders only the files whose
// key moved, and names those that are gone.

// keyer hashes the inputs of one file, the same way in every process (see
// key.go).
type keyer struct{ h hash.Hash64 }

func (k *keyer) str(ss ...string) {
	for _, s := range ss {
		io.WriteString(k.h, s)
		k.h.Write([]byte{0})
	}
}

func (k *keyer) num(n uint64) { k.str(strconv.FormatUint(n, 36)) }

// card is what a list of guides shows of each: the home page's rhythm and
// the section pages.
func (k *keyer) card(p *content.Page) {
	k.str(p.URL, p.Title, p.Cadence, p.Summary, p.Duration.String())
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
	k := &keyer{h: fnv.New64a()}
	navKey := map[string]uint64{}
	for dir, nav := range r.navByDir {
		k.str(nav)
		navKey[dir] = k.sum()
	}
	version := r.digest
	var out []job

	k.num(version(s.Root.Index))
	k.num(navKey[""])
	k.str(r.Meta.Built) // the home page shows the build date
	for _, p := range s.Pages {
		k.card(p)
	}
	for _, sec := range s.Root.Sections {
		k.str(sec.URL, sec.Title, sec.Summary, strconv.Itoa(len(sec.Pages)))
	}
	out = append(out, job{"index.html", k.sum(), func(sink Sink) error { return r.renderHome(s, sink) }})

	for _, sec := range s.Sections {
		k.num(version(sec.Index))
		k.num(navKey[sec.Dir])
		k.crumbs(sec)
		k.str(sec.Summary)
		for _, p := range sec.Pages {
			k.card(p)
		}
		for _, sub := range sec.Sections {
			k.str(sub.URL, sub.Title, sub.Summary)
		}
		out = append(out, job{outPath(sec.URL), k.sum(), func(sink Sink) error { return r.renderSection(sec, sink) }})
	}

	for _, p := range s.Pages {
		k.num(version(p))
		k.num(navKey[p.Section.Dir])
		k.crumbs(p.Section)
		for _, n := range []*content.Page{p.Prev, p.Next} {
			if n != nil {
				k.str(n.URL, n.Title)
			} else {
				k.str("")
			}
		}
		out = append(out, job{outPath(p.URL), k.sum(), func(sink Sink) error { return r.renderGuide(p, sink) }})
	}

	k.num(navKey[""])
	for _, sec := range s.Root.Sections {
		k.str(sec.URL, sec.Title)
	}
	out = append(out, job{"404.html", k.sum(), func(sink Sink) error { return r.renderNotFound(s, sink) }})

	for _, p := range s.Pages {
		k.num(version(p))
		k.str(p.URL, p.Section.Title)
	}
	out = append(out, job{"search.json", k.sum(), func(sink Sink) error {
		return sink.Write("search.json", searchIndex(s, r.cfg.BasePath))
	}})
	if len(r.digests) > 2*len(s.Pages)+16 {
		// Guides deleted or read again in a long preview: keep only the
		// current readings.
		for p := range r.digests {
			if p.Section == nil || !slices.Contains(p.Section.Pages, p) {
				delete(r.digests, p)
			}
		}
	}
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
	k.value(reflect.ValueOf(pageFields{p.File, p.URL, p.IsIndex, p.Draft, p.Title, p.Cadence, p.Summary,
		int64(p.Duration), p.Weight, p.Prepare, p.Agenda, p.Coaches, p.Headings, string(p.Body), p.Parts}), 0)
	sum := sum64(k.buf)
	if r.digests == nil {
		r.digests = map[*content.Page]pageDigest{}
	}
	r.digests[p] = pageDigest{p.Version(), sum}
	return sum
}

type pageDigest struct{ version, sum uint64 }

// remember notes the keys of the files just rendered, and of the content
// files published beside them.
func (r *Renderer) remember(s *content.Site, jobs []job) {
	r.stale = false
	r.rendered = make(map[string]uint64, len(jobs)+len(s.Files))
	for _, j := range jobs {
		r.rendered[j.path] = j.key
	}
	for _, f := range s.Files {
		r.rendered[f] = 0
	}
}

// Forget makes the next Changed render every page (and still name the files
// that are gone). The dev server calls it when it threw a rendering away.
func (r *Renderer) Forget() { r.stale = true }

// Changed renders the playbook files whose inputs changed since the last
// Playbook or Changed, and copies the content files among changed (site
// paths of the files that were edited, created or deleted). It returns the
// output files that are gone: pages of guides deleted or renamed, and
// content files deleted. The theme's static files are not written again.
func (r *Renderer) Changed(s *content.Site, changed []string, sink Sink) (gone []string, diags diag.List) {
	r.buildNav(s)
	jobs := r.jobs(s)
	var todo []job
	for _, j := range jobs {
		if old, ok := r.rendered[j.path]; !ok || old != j.key || r.stale {
			todo = append(todo, j)
		}
	}
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
	old := r.rendered
	r.remember(s, jobs)
	for p := range old {
		if _, ok := r.rendered[p]; !ok {
			gone = append(gone, p)
		}
	}
	slices.Sort(gone)
	if diags.HasErrors() {
		r.Forget()
	}
	return gone, diags
}

// Sidebar is the sidebar of the pages outside the playbook (the report
// pages) as of the last rendering of the playbook: when it has not changed,
// a guide edit leaves those pages alone.
func (r *Renderer) Sidebar() string { return r.navByDir[""] }
