package content

import "slices"

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
