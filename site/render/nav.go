package render

import (
	"github.com/coachbook/coachbook/site/report"
	"html"
	"html/template"
	"strings"

	"github.com/coachbook/coachbook/site/content"
)

// navFullLimit is the number of guides up to which the sidebar lists every
// guide of every section. Past it, the sidebar lists the sections and only
// the current section's guides, so a page's size (and the work to render
// it) does not grow with the whole site.
const navFullLimit = 300

// buildNav renders the sidebar once per section, before any page, unless
// what it shows (the sections and guides, their titles and order) is what
// it showed last time: a body edit of a large playbook then costs nothing
// here.
func (r *Renderer) buildNav(s *content.Site) {
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
		return
	} else {
		r.navSig = sig
	}
	r.navByDir = map[string]string{}
	r.navKey = map[string]uint64{}
	all := append([]*content.Section{s.Root}, s.Sections...)
	for _, cur := range all {
		var b strings.Builder
		b.WriteString(`<ul class="nav-list">`)
		r.writeNavLink(&b, r.tr("page.home"), "/", "nav-home")
		for _, p := range s.Root.Pages {
			r.writeNavLink(&b, p.Title, p.URL, "")
		}
		for _, sec := range s.Root.Sections {
			r.writeNavSection(&b, sec, cur, full)
		}
		if r.cfg.Reports.On() {
			r.writeNavLink(&b, r.tr("page.team_reports"), report.IndexURL, "nav-reports")
		}
		b.WriteString(`</ul>`)
		r.navByDir[cur.Dir] = b.String()
		k.str(r.navByDir[cur.Dir])
		r.navKey[cur.Dir] = k.sum()
	}
	// Report pages carry the sections only: a large org has tens of
	// thousands of them, and the playbook's tree is one click away.
	var b strings.Builder
	b.WriteString(`<ul class="nav-list">`)
	r.writeNavLink(&b, r.tr("page.home"), "/", "nav-home")
	for _, sec := range s.Root.Sections {
		b.WriteString(`<li class="nav-section"><a class="nav-section-title" href="` + html.EscapeString(r.url(sec.URL)) + `">` + html.EscapeString(sec.Title) + `</a></li>`)
	}
	r.writeNavLink(&b, r.tr("page.team_reports"), report.IndexURL, "nav-reports")
	b.WriteString(`</ul>`)
	r.navReports = b.String()
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

func (r *Renderer) writeNavSection(b *strings.Builder, sec, cur *content.Section, full bool) {
	open := isAncestor(sec, cur)
	b.WriteString(`<li class="nav-section`)
	if open {
		b.WriteString(` open`)
	}
	b.WriteString(`">`)
	b.WriteString(`<a class="nav-section-title" href="` + html.EscapeString(r.url(sec.URL)) + `">` + html.EscapeString(sec.Title) + `</a>`)
	if full || open {
		b.WriteString(`<ul>`)
		for _, p := range sec.Pages {
			r.writeNavLink(b, p.Title, p.URL, "")
		}
		for _, sub := range sec.Sections {
			r.writeNavSection(b, sub, cur, full)
		}
		b.WriteString(`</ul>`)
	}
	b.WriteString(`</li>`)
}

func (r *Renderer) writeNavLink(b *strings.Builder, title, url, class string) {
	b.WriteString(`<li`)
	if class != "" {
		b.WriteString(` class="` + class + `"`)
	}
	b.WriteString(`><a href="` + html.EscapeString(r.url(url)) + `">` + html.EscapeString(title) + `</a></li>`)
}

func isAncestor(sec, cur *content.Section) bool {
	for s := cur; s != nil; s = s.Parent {
		if s == sec {
			return true
		}
	}
	return false
}

// nav returns the sidebar for a page of section sec at url, with the link
// to the page itself marked as the current one. The work is one pass over
// the section's pre-rendered sidebar.
func (r *Renderer) nav(sec *content.Section, url string) template.HTML {
	dir := ""
	if sec != nil {
		dir = sec.Dir
	}
	s := r.navByDir[dir]
	key := `<a href="` + html.EscapeString(r.url(url)) + `">`
	s = strings.Replace(s, key, `<a href="`+html.EscapeString(r.url(url))+`" aria-current="page">`, 1)
	return template.HTML(s)
}
