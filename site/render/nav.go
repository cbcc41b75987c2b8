package render

import (
	"bytes"
	"html/template"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/coachbook/coachbook/site/content"
	"github.com/coachbook/coachbook/site/report"
)

// navFullLimit is the number of guides up to which the sidebar lists every
// guide of every section. Past it, the sidebar lists the sections and only
// the current section's guides, so a page's size (and the work to render
// it) does not grow with the whole site.
const navFullLimit = 300

// Nav is the sidebar of one page, as the theme's "nav" partial writes
// it: the entries before the link to the page itself, that link drawn as
// the page's own (aria-current), and the entries after it. A page the
// sidebar does not list (a report page) has only Before.
//
// A large playbook's sidebar lists a few hundred links on each of
// thousands of pages. Drawing each link on each page through the
// templates made a build of 5,000 guides take 1.7 times as long (and 75%
// more allocations), so the theme's partials draw each entry once per
// build, in both forms ("nav-link", "nav-section", "nav-sub",
// "nav-sub-end", "nav-section-end"), each section's sidebar is those
// drawings one after the other, and a page's Nav is a slice of it around
// the page's own link: no markup is written in Go, and none is searched.
type Nav struct {
	Before, Here, After template.HTML
}

// NavTree is what a sidebar lists, in order: the link home, the root's
// own guides, the sections and the link to the team reports; and the
// sidebar as the theme draws it, with where each link is in it.
type NavTree struct {
	Items []NavItem
	HTML  string
	at    map[string]navSpan
}

type navSpan struct {
	start, end int
	here       template.HTML
}

// NavItem is an entry of the sidebar: a link (Kind "home", "reports" or
// "" for a guide), or with Section set a section, whose title links to
// its page and whose Items list its guides and then its subsections, or
// nothing when the sidebar keeps it closed. Open marks the sections the
// page is in.
type NavItem struct {
	Kind, Title, URL string
	Section          bool
	Open             bool
	Items            []NavItem
}

// navEntry is what the "nav-link" and "nav-section" partials draw: an
// entry, as the page's own (Here) or not.
type navEntry struct {
	*NavItem
	Here bool
}

// buildNav computes the sidebar of each section once, before any page,
// unless what it shows (the sections and guides, their titles and order)
// is what it showed last time: a body edit of a large playbook then costs
// nothing here.
func (r *Renderer) buildNav(s *content.Site) error {
	full := len(s.Pages) <= navFullLimit
	k := newKeyer()
	if full {
		k.str("full")
	}
	for _, p := range s.Root.Pages {
		k.str(p.Title, p.URL)
	}
	for _, sec := range s.Root.Sections {
		navTree(k, sec)
	}
	if sig := k.sum(); r.navByDir != nil && sig == r.navSig {
		return nil
	} else {
		r.navSig = sig
	}
	reports := r.cfg.Reports.On()
	r.navByDir = map[string]*NavTree{}
	r.navKey = map[string]uint64{}
	all := append([]*content.Section{s.Root}, s.Sections...)
	for _, cur := range all {
		t := &NavTree{Items: []NavItem{{Kind: "home", URL: "/"}}}
		for _, p := range s.Root.Pages {
			t.Items = append(t.Items, NavItem{Title: p.Title, URL: p.URL})
		}
		for _, sec := range s.Root.Sections {
			t.Items = append(t.Items, navSection(sec, cur, full))
		}
		if reports {
			t.Items = append(t.Items, NavItem{Kind: "reports", URL: report.IndexURL})
		}
		r.navByDir[cur.Dir] = t
		k.str(cur.Dir)
		hashNav(k, t.Items)
		r.navKey[cur.Dir] = k.sum()
	}
	// Report pages list the sections only: a large org has tens of
	// thousands of them, and the playbook's tree is one click away.
	t := &NavTree{Items: []NavItem{{Kind: "home", URL: "/"}}}
	for _, sec := range s.Root.Sections {
		t.Items = append(t.Items, NavItem{Title: sec.Title, URL: sec.URL, Section: true})
	}
	t.Items = append(t.Items, NavItem{Kind: "reports", URL: report.IndexURL})
	r.navReports = t
	// Each entry drawn once (see Nav).
	draw := r.tmpl["home"]
	if draw == nil {
		return nil
	}
	var buf bytes.Buffer
	run := func(name string, data any) (string, error) {
		buf.Reset()
		if err := draw.ExecuteTemplate(&buf, name, data); err != nil {
			return "", r.templateDiag(err)
		}
		return buf.String(), nil
	}
	var sub, subEnd, secEnd string
	var err error
	if sub, err = run("nav-sub", nil); err != nil {
		return err
	}
	if subEnd, err = run("nav-sub-end", nil); err != nil {
		return err
	}
	if secEnd, err = run("nav-section-end", nil); err != nil {
		return err
	}
	// An entry is drawn the same in every section's sidebar that lists
	// it: once.
	type drawing struct {
		kind, title, url string
		section, open    bool
		here             bool
	}
	drawn := map[drawing]string{}
	entry := func(it *NavItem, here bool) (string, error) {
		d := drawing{it.Kind, it.Title, it.URL, it.Section, it.Open, here && !it.Section}
		if s, ok := drawn[d]; ok {
			return s, nil
		}
		name := "nav-link"
		if it.Section {
			name = "nav-section"
		}
		s, err := run(name, navEntry{it, d.here})
		drawn[d] = s
		return s, err
	}
	var walk func(t *NavTree, b *strings.Builder, items []NavItem) error
	walk = func(t *NavTree, b *strings.Builder, items []NavItem) error {
		for i := range items {
			it := &items[i]
			link, err := entry(it, false)
			if err != nil {
				return err
			}
			start := b.Len()
			b.WriteString(link)
			if it.Section {
				if len(it.Items) > 0 {
					b.WriteString(sub)
					if err := walk(t, b, it.Items); err != nil {
						return err
					}
					b.WriteString(subEnd)
				}
				b.WriteString(secEnd)
				continue
			}
			if _, ok := t.at[it.URL]; ok {
				continue // listed twice: the first is the page's
			}
			here, err := entry(it, true)
			if err != nil {
				return err
			}
			t.at[it.URL] = navSpan{start, b.Len(), template.HTML(here)}
		}
		return nil
	}
	for _, t := range append(slices.Collect(maps.Values(r.navByDir)), r.navReports) {
		var b strings.Builder
		t.at = map[string]navSpan{}
		if err := walk(t, &b, t.Items); err != nil {
			return err
		}
		t.HTML = b.String()
	}
	return nil
}

// navSection is the sidebar's entry of sec on the pages of section cur:
// open when cur is in it, its guides and subsections listed when it is
// open or the sidebar lists everything (full).
func navSection(sec, cur *content.Section, full bool) NavItem {
	it := NavItem{Title: sec.Title, URL: sec.URL, Section: true, Open: isAncestor(sec, cur)}
	if full || it.Open {
		for _, p := range sec.Pages {
			it.Items = append(it.Items, NavItem{Title: p.Title, URL: p.URL})
		}
		for _, sub := range sec.Sections {
			it.Items = append(it.Items, navSection(sub, cur, full))
		}
	}
	return it
}

// hashNav adds to k what a sidebar's items show, open and listed.
func hashNav(k *keyer, items []NavItem) {
	for _, it := range items {
		k.str(it.Kind, it.Title, it.URL, strconv.FormatBool(it.Section), strconv.FormatBool(it.Open), "{")
		hashNav(k, it.Items)
		k.str("}")
	}
}

// navTree adds to k what the sidebar shows of sec: its address and title,
// its guides and its subsections, in order.
func navTree(k *keyer, sec *content.Section) {
	k.str(sec.URL, sec.Title, "{")
	for _, p := range sec.Pages {
		k.str(p.Title, p.URL)
	}
	for _, sub := range sec.Sections {
		navTree(k, sub)
	}
	k.str("}")
}

func isAncestor(sec, cur *content.Section) bool {
	for s := cur; s != nil; s = s.Parent {
		if s == sec {
			return true
		}
	}
	return false
}

// nav returns the sidebar of a page of section sec at url.
func (r *Renderer) nav(sec *content.Section, url string) Nav {
	dir := ""
	if sec != nil {
		dir = sec.Dir
	}
	return navPage(r.navByDir[dir], url)
}

// navPage is the sidebar t on the page at url.
func navPage(t *NavTree, url string) Nav {
	if t == nil {
		return Nav{}
	}
	sp, ok := t.at[url]
	if !ok {
		return Nav{Before: template.HTML(t.HTML)}
	}
	return Nav{Before: template.HTML(t.HTML[:sp.start]), Here: sp.here, After: template.HTML(t.HTML[sp.end:])}
}
