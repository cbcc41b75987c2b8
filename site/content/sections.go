package content

import (
	"cmp"
	"path"
	"slices"
	"strings"
	"unicode"

	"github.com/coachbook/coachbook/site/diag"
)

// assemble lays out the section tree, the reading order and the coaching
// index again from every page, and checks what needs more than one file:
// addresses that clash and [[coaches]] sections.
func (s *Site) assemble() {
	files := make([]string, 0, len(s.byFile))
	for f := range s.byFile {
		files = append(files, f)
	}
	slices.SortFunc(files, walkOrder)
	pages := make([]*Page, len(files))
	for i, f := range files {
		pages[i] = s.byFile[f]
	}
	diags := s.layOut(pages, s.opts)
	s.order()
	diags.Add(s.indexCoaching()...)
	s.shapeDiags = diags
	s.byURL = make(map[string]*Page, len(pages))
	for _, p := range append(slices.Clone(s.Pages), s.indexPages()...) {
		s.byURL[p.URL] = p
	}
}

// layOut builds the section tree from the pages' folders and gives each
// page its section and address, with the problems of addresses.
func (s *Site) layOut(pages []*Page, opts Options) diag.List {
	var diags diag.List
	s.Root = &Section{URL: "/"}
	sections := map[string]*Section{"": s.Root}
	var sectionFor func(dir string) *Section
	sectionFor = func(dir string) *Section {
		if sec, ok := sections[dir]; ok {
			return sec
		}
		parent := sectionFor(parentDir(dir))
		sec := &Section{Dir: dir, URL: "/" + slugPath(dir) + "/", Parent: parent, Title: titleFromFile(Dir + "/" + dir + "/_index.md")}
		sections[dir] = sec
		parent.Sections = append(parent.Sections, sec)
		return sec
	}
	byURL := map[string]*Page{}
	for _, p := range pages {
		rel := strings.TrimPrefix(p.File, Dir+"/")
		dir := path.Dir(rel)
		if dir == "." {
			dir = ""
		}
		sec := sectionFor(dir)
		p.Section, p.Prev, p.Next = sec, nil, nil
		if p.IsIndex {
			p.URL = sec.URL
			sec.Index = p
			sec.Weight = p.Weight
			if p.Title != "" {
				sec.Title = p.Title
			}
			sec.Summary = p.Summary
		} else {
			p.URL = fileURL(p.File)
			sec.Pages = append(sec.Pages, p)
		}
		if other, ok := byURL[p.URL]; ok {
			diags.Errorf(p.File, 0, "publishes at %s, like %s; rename one of the two files", p.URL, other.File)
		}
		byURL[p.URL] = p
		if opts.ReportsOn && (p.URL == "/reports/" || strings.HasPrefix(p.URL, "/reports/")) {
			diags.Errorf(p.File, 0, "content/reports/ is where the report pages are published; move the guide to another folder")
		}
		if p.URL == "/404/" {
			diags.Errorf(p.File, 0, "/404/ is the site's not-found page; rename the guide")
		}
	}
	if s.Root.Title == "" {
		s.Root.Title = "Home"
	}
	return diags
}

// order sorts each section's guides and subsections by weight and title,
// and lists the sections depth first and the guides in reading order, each
// guide linked to the one before and after it.
func (s *Site) order() {
	s.Sections, s.Pages = nil, nil
	var order func(sec *Section)
	order = func(sec *Section) {
		slices.SortStableFunc(sec.Pages, func(a, b *Page) int { return byWeight(a.Weight, b.Weight, a.Title, b.Title) })
		slices.SortStableFunc(sec.Sections, func(a, b *Section) int { return byWeight(a.Weight, b.Weight, a.Title, b.Title) })
		s.Pages = append(s.Pages, sec.Pages...)
		for _, sub := range sec.Sections {
			s.Sections = append(s.Sections, sub)
			order(sub)
		}
	}
	order(s.Root)
	for i, p := range s.Pages {
		if i > 0 {
			p.Prev = s.Pages[i-1]
		}
		if i+1 < len(s.Pages) {
			p.Next = s.Pages[i+1]
		}
	}
}

// fileURL is the address of the page of a markdown file under content/.
func fileURL(file string) string {
	rel := strings.TrimPrefix(file, Dir+"/")
	if path.Base(rel) == "_index.md" {
		if dir := path.Dir(rel); dir != "." {
			return "/" + slugPath(dir) + "/"
		}
		return "/"
	}
	return "/" + slugPath(strings.TrimSuffix(rel, ".md")) + "/"
}

// indexPages returns the sections' _index.md pages.
func (s *Site) indexPages() []*Page {
	var out []*Page
	for _, sec := range append([]*Section{s.Root}, s.Sections...) {
		if sec.Index != nil {
			out = append(out, sec.Index)
		}
	}
	return out
}

func byWeight(wa, wb int, ta, tb string) int {
	// Weight 0 means "not set" and sorts after every weighted entry.
	ka, kb := wa, wb
	if ka == 0 {
		ka = 1 << 30
	}
	if kb == 0 {
		kb = 1 << 30
	}
	return cmp.Or(cmp.Compare(ka, kb), cmp.Compare(strings.ToLower(ta), strings.ToLower(tb)))
}

func parentDir(dir string) string {
	d := path.Dir(dir)
	if d == "." {
		return ""
	}
	return d
}

// slugPath makes a file path safe and tidy for a URL: lower case, spaces and
// other separators as "-", nothing but letters, digits, "-", "_" and "/".
func slugPath(p string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(p) {
		switch {
		case r == '/':
			b.WriteRune(r)
			dash = false
		case unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_' || r == '.':
			b.WriteRune(r)
			dash = false
		default:
			if !dash {
				b.WriteByte('-')
				dash = true
			}
		}
	}
	return b.String()
}
