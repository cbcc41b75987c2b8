package content

import (
	"io/fs"
	"path"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/coachbook/coachbook/site/diag"
	"github.com/coachbook/coachbook/site/internal/par"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
)

// A guide goes through two types on its way to the site. parse reads each
// markdown file into a guide: the Page with its front matter, headings and
// search text, and the body rendered with its links still to resolve.
// assemble then gives every Page its section, address and neighbours, and
// link resolves each guide's links against the assembled site and writes
// the Page's Body; the guide is then done with and let go. Each reading of
// a file is a new Page, linked once: Apply reads a changed file again
// rather than patching its old Page.

// guide is one markdown file between parse and link.
type guide struct {
	page *Page
	// draft is the body as rendered when the guide is read, each link
	// and image destination standing as mark+index+"e" until the links
	// are resolved (see renderDraft and render): the markdown is parsed
	// once.
	draft string
	mark  string
	links []link
}

// parse reads the given markdown files, on every core, and files their
// pages and problems. A file that does not parse, or is a draft left out,
// has no page. It returns the guides read, in the order of files.
func (s *Site) parse(site fs.FS, files []string) []*guide {
	guides := make([]*guide, len(files))
	pageDiags := make([]diag.List, len(files))
	par.Do(len(files), func(i int) {
		guides[i], pageDiags[i] = parseGuide(site, files[i], s.md)
	})
	var kept []*guide
	for i, f := range files {
		s.fileDiags[f] = pageDiags[i]
		g := guides[i]
		if g == nil || (g.page.Draft && !s.opts.Drafts) {
			delete(s.byFile, f)
			continue
		}
		s.byFile[f] = g.page
		kept = append(kept, g)
	}
	return kept
}

// parseGuide reads one markdown file: front matter, AST, headings, links.
func parseGuide(site fs.FS, file string, md goldmark.Markdown) (*guide, diag.List) {
	var diags diag.List
	raw, err := fs.ReadFile(site, file)
	if err != nil {
		diags.Errorf(file, 0, "cannot read: %v", err)
		return nil, diags
	}
	fmText, body, err := SplitFrontMatter(raw)
	if err != nil {
		diags.Errorf(file, 1, "%v", err)
		return nil, diags
	}
	p := &Page{File: file, IsIndex: path.Base(file) == "_index.md"}
	var fm frontMatter
	var keys map[string]int
	if fmText != nil {
		meta, err := diag.DecodeTOML(string(fmText), &fm)
		if err != nil {
			diags.Add(diag.FromTOML(file, 1, err))
		} else {
			keys = diag.KeyLines(string(fmText))
			for k, v := range keys {
				keys[k] = v + 1 // front matter line 1 is file line 2
			}
			for _, k := range meta.Undecoded() {
				diags.Warnf(file, keys[k.String()], "unknown front matter key %q is ignored; the keys are title, cadence, duration, weight, summary, prepare, draft, [[agenda]] and [[coaches]]", k.String())
			}
		}
	}
	diags.Add(p.applyFrontMatter(fm, keys)...)

	if d, ok := guideCost(file, body); !ok {
		diags.Add(d)
		return nil, diags
	}
	// The syntax tree is many times the size of the text: collect what
	// the page needs and render it now with the links left to resolve,
	// so a large playbook never holds every guide's tree at once, nor
	// parses one twice. The source goes when parseGuide returns.
	src := &source{text: body, lines: lineStarts(body)}
	src.doc = md.Parser().Parse(text.NewReader(body), parser.WithContext(parser.NewContext()))
	dressBlocks(src.doc, body)
	g := &guide{page: p, links: src.collect(p)}
	diags.Add(g.renderDraft(md, src)...)
	if p.Title == "" {
		p.Title = titleFromFile(file)
		for _, h := range p.Headings {
			if h.Level == 1 {
				p.Title = h.Text
				break
			}
		}
	}
	return g, diags
}

// clip shortens s to at most n bytes at a word boundary, adding "…".
func clip(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) <= n {
		return s
	}
	cut := strings.LastIndexByte(s[:n], ' ')
	if cut < n/2 {
		cut = n
	}
	return strings.TrimRightFunc(s[:cut], func(r rune) bool { return unicode.IsPunct(r) || unicode.IsSpace(r) }) + "…"
}

// titleFromFile makes a title of a file name: "über-uns.md" is "Über uns".
// The first letter is upper-cased as a whole character, never as a byte,
// and bytes that are not UTF-8 are replaced, so the title is valid text.
func titleFromFile(file string) string {
	name := strings.TrimSuffix(path.Base(file), ".md")
	if name == "_index" {
		name = path.Base(path.Dir(file))
		if name == Dir {
			return ""
		}
	}
	name = strings.ToValidUTF8(strings.NewReplacer("-", " ", "_", " ").Replace(name), "\uFFFD")
	r, n := utf8.DecodeRuneInString(name)
	return string(unicode.ToUpper(r)) + name[n:]
}
