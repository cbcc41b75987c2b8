package content

import (
	"io/fs"
	"slices"
	"strings"

	"github.com/coachbook/coachbook/site/diag"
)

// Apply brings the site up to date after the given files changed (site
// paths under content/: edited, created or deleted), reading only those and
// the guides whose links point at them. Every other page keeps its parsed
// and rendered form; the order, sections and coaching index are laid out
// again from all pages. It returns every problem of the content, like Load.
// When a change is not one of files (a folder created, renamed or deleted)
// ok is false and the Site must not be used: the caller must Load again.
func (s *Site) Apply(site fs.FS, files []string) (diags diag.List, ok bool) {
	var md []string
	refs := map[string]bool{}
	before := map[string]*Page{} // the old readings of the files read again
	for _, f := range files {
		rel, inside := strings.CutPrefix(f, Dir+"/")
		if f == Dir {
			return nil, false // the whole folder came or went
		}
		if !inside || slices.ContainsFunc(strings.Split(rel, "/"), Ignored) {
			continue
		}
		st, err := fs.Stat(site, f)
		if err == nil && st.IsDir() {
			return nil, false
		}
		if _, bad := diag.Control(f); bad {
			return nil, false // Load reports it
		}
		if lst, err := fs.Lstat(site, f); err == nil && lst.Mode()&fs.ModeSymlink != 0 {
			return nil, false // Load decides whether it may be published
		}
		switch {
		case strings.HasSuffix(f, ".md"):
			md = append(md, f)
			if old := s.byFile[f]; old != nil {
				refs[strings.Trim(old.URL, "/")] = true
				before[f] = old
			}
		case err == nil && !slices.Contains(s.Files, rel):
			s.Files = append(s.Files, rel)
			slices.SortFunc(s.Files, walkOrder)
		case err != nil && slices.Contains(s.Files, rel):
			s.Files = slices.DeleteFunc(s.Files, func(x string) bool { return x == rel })
		case err != nil:
			return nil, false // not a file we know: perhaps a folder that went away
		}
		refs[rel] = true
	}
	for _, f := range md {
		delete(s.fileDiags, f)
		delete(s.byFile, f)
		refs[strings.Trim(fileURL(f), "/")] = true
	}
	// Pages that link to a changed page or file are read again: the
	// address or the heading they point at may have moved or gone.
	reread := slices.DeleteFunc(slices.Clone(md), func(f string) bool { return !exists(site, f) })
	var dependents []string
	for f, p := range s.byFile {
		if slices.ContainsFunc(p.refs, func(r string) bool { return refs[r] }) {
			dependents = append(dependents, f)
		}
	}
	slices.Sort(dependents)
	for _, f := range dependents {
		before[f] = s.byFile[f]
	}
	read := append(reread, dependents...)
	changed := s.parse(site, read)
	if len(read) != len(md)+len(dependents) || !s.replaceAll(before, read) {
		s.assemble() // a guide came, went or moved
	}
	s.link(changed)
	return s.Diags(), true
}

// A guide edit that changes neither the order nor the sections nor what
// coaches which metric (a body edit, the usual case) needs no new layout of
// the site: the guide read again takes the old one's place. Laying out
// 20,000 guides again costs tens of milliseconds per save.

// sameShape reports whether p, a new reading of old, lays the site out as
// old did: same file, not a section's index, the same title and weight
// (the order and the sidebar), cadence, and coaching entries that find the
// same headings.
func sameShape(old, p *Page) bool {
	if old == nil || p == nil || old.IsIndex || p.IsIndex || old.File != p.File ||
		old.Title != p.Title || old.Weight != p.Weight || old.Cadence != p.Cadence ||
		!slices.EqualFunc(old.Coaches, p.Coaches, func(a, b Coach) bool {
			return a.Metric == b.Metric && a.Section == b.Section && a.Cadence == b.Cadence && a.Pattern == b.Pattern && a.Def.ID == b.Def.ID
		}) {
		return false
	}
	for _, c := range p.Coaches {
		h, ok := p.heading(c.Section)
		was, wasOK := old.heading(c.Section)
		if !ok || !wasOK || h != was {
			return false // a problem to report, or a new heading to link: lay out again
		}
	}
	return true
}

// replaceAll puts each page read again (by file, in now) in the place of
// its old reading (in before), when every one of them has the same shape
// (see sameShape); it reports whether it did. Otherwise nothing changed
// and the site must be laid out again.
func (s *Site) replaceAll(before map[string]*Page, files []string) bool {
	for _, f := range files {
		if !sameShape(before[f], s.byFile[f]) {
			return false
		}
	}
	for _, f := range files {
		s.replace(before[f], s.byFile[f])
	}
	return true
}

// replace puts p where old was: in the reading order, its section, its
// neighbours' links and the coaching index.
func (s *Site) replace(old, p *Page) {
	p.Section, p.URL, p.Prev, p.Next = old.Section, old.URL, old.Prev, old.Next
	if p.Prev != nil {
		p.Prev.Next = p
	}
	if p.Next != nil {
		p.Next.Prev = p
	}
	if s.byURL[p.URL] == old {
		s.byURL[p.URL] = p
	}
	if i := slices.Index(s.Pages, old); i >= 0 {
		s.Pages[i] = p
	}
	if i := slices.Index(p.Section.Pages, old); i >= 0 {
		p.Section.Pages[i] = p
	}
	if len(p.Coaches) > 0 {
		for _, cs := range s.Coaching {
			for i := range cs {
				if cs[i].Page == old {
					cs[i].Page = p
				}
			}
		}
	}
}
