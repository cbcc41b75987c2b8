package content

import (
	"fmt"
	"path"
	"slices"
	"strings"
	"unicode"

	"github.com/coachbook/coachbook/site/internal/par"
)

// link is a link or image of a guide's body: its destination as written,
// its line, and where it points once resolved (nil: leave it as written).
type link struct {
	dest     []byte
	line     int
	resolved []byte
}

// link resolves the links of the guides just read against the assembled
// site, and renders their pages' bodies, on every core: the last step of
// a guide (see guide).
func (s *Site) link(guides []*guide) {
	for _, g := range guides {
		s.parsed++
		g.page.version = s.parsed
	}
	s.resolveLinks(guides, s.opts)
	par.Do(len(guides), func(i int) {
		guides[i].render(s.opts.RawHTML)
	})
}

// resolveLinks resolves the links of the given guides against the site,
// and notes what each page links to and the problems.
func (s *Site) resolveLinks(guides []*guide, opts Options) {
	byFile, byURL := s.byFile, s.byURL
	files := map[string]bool{}
	for _, f := range s.Files {
		files[f] = true
	}
	for _, g := range guides {
		p := g.page
		for i, l := range g.links {
			dest, ref, problem := s.resolve(p, string(l.dest), byFile, byURL, files, opts)
			if ref != "" && !slices.Contains(p.refs, ref) {
				p.refs = append(p.refs, ref)
			}
			if problem != "" {
				p.linkDiags.Errorf(p.File, l.line, "%s", problem)
				continue
			}
			g.links[i].resolved = []byte(dest)
		}
	}
}

func (s *Site) resolve(p *Page, dest string, byFile, byURL map[string]*Page, files map[string]bool, opts Options) (out, ref, problem string) {
	if dest == "" || isExternal(dest) {
		return dest, ref, ""
	}
	target, frag, _ := strings.Cut(dest, "#")
	if i := strings.IndexByte(target, '?'); i >= 0 {
		target = target[:i]
	}
	if target == "" { // a fragment of this page
		if _, ok := p.heading(frag); !ok && frag != "" {
			return "", ref, fmt.Sprintf("link to #%s: %s", frag, p.missingHeading(frag))
		}
		return dest, ref, ""
	}
	var sitePath string // path under content/, no leading slash
	if strings.HasPrefix(target, "/") {
		sitePath = path.Clean(target)[1:]
	} else {
		sitePath = path.Join(path.Dir(strings.TrimPrefix(p.File, Dir+"/")), target)
	}
	ref = strings.Trim(strings.TrimPrefix(sitePath, "."), "/") // as Apply names a changed page: "weekly/a.md", "weekly/a", "" for the home page
	if sitePath == ".." || strings.HasPrefix(sitePath, "../") {
		return "", ref, fmt.Sprintf("link %q points outside the content folder", dest)
	}
	var page *Page
	switch {
	case strings.HasSuffix(sitePath, ".md"):
		page = byFile[Dir+"/"+sitePath]
		if page == nil {
			return "", ref, fmt.Sprintf("link %q: there is no guide %s/%s; check the file name and folder", dest, Dir, sitePath)
		}
	case files[sitePath]:
		return opts.BasePath + sitePath + fragSuffix(frag), ref, ""
	case sitePath == "reports" || strings.HasPrefix(sitePath, "reports/"):
		if !opts.ReportsOn {
			return "", ref, fmt.Sprintf("link %q goes to the reports, which this build leaves out (reports.enabled = false); link to a guide instead", dest)
		}
		return opts.BasePath + strings.TrimSuffix(sitePath, "/") + "/" + fragSuffix(frag), ref, ""
	default:
		url := "/" + strings.Trim(sitePath, "/") + "/"
		if sitePath == "." || sitePath == "" {
			url = "/"
		}
		page = byURL[url]
		if page == nil {
			return "", ref, fmt.Sprintf("link %q goes nowhere in this site; link to a guide's .md file (like ../monthly/one-on-one.md) or a file under content/", dest)
		}
	}
	if frag != "" {
		if _, ok := page.heading(frag); !ok {
			return "", ref, fmt.Sprintf("link %q: %s", dest, page.missingHeading(frag))
		}
	}
	return opts.BasePath + strings.TrimPrefix(page.URL, "/") + fragSuffix(frag), ref, ""
}

func fragSuffix(frag string) string {
	if frag == "" {
		return ""
	}
	return "#" + frag
}

func isExternal(dest string) bool {
	if strings.HasPrefix(dest, "//") {
		return true
	}
	i := strings.IndexByte(dest, ':')
	if i <= 0 {
		return false
	}
	for _, r := range dest[:i] {
		if !(unicode.IsLetter(r) || unicode.IsDigit(r) || r == '+' || r == '-' || r == '.') {
			return false
		}
	}
	return true
}
