package content

import (
	"sort"
	"strings"

	"github.com/yuin/goldmark/ast"
)

// linkNodes lists the links and images of a document in the order both
// collect and render meet them (links inside headings are not followed).
func linkNodes(doc ast.Node) []ast.Node {
	var out []ast.Node
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n.(type) {
		case *ast.Heading:
			return ast.WalkSkipChildren, nil
		case *ast.Link, *ast.Image:
			out = append(out, n)
		}
		return ast.WalkContinue, nil
	})
	return out
}

// source is a guide's body while parseGuide reads it: its text, its
// syntax tree and where its lines start, for positions.
type source struct {
	text  []byte
	doc   ast.Node
	lines []int // byte offset of each line start
}

// collect walks the AST once for p's headings, summary and search text
// (Parts), and returns the links and images to resolve.
func (s *source) collect(p *Page) []link {
	_ = ast.Walk(s.doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.Heading:
			h := Heading{Level: n.Level, Text: plainText(n, s.text), Line: s.blockLine(n)}
			if id, ok := n.AttributeString("id"); ok {
				h.ID = string(id.([]byte))
			}
			p.Headings = append(p.Headings, h)
			if n.Parent() == s.doc {
				p.Parts = append(p.Parts, Part{ID: h.ID, Heading: h.Text})
			}
			return ast.WalkSkipChildren, nil
		case *ast.Paragraph:
			t := plainText(n, s.text)
			if p.Summary == "" && !p.IsIndex {
				p.Summary = clip(t, 200)
			}
		}
		return ast.WalkContinue, nil
	})
	var links []link
	for _, n := range linkNodes(s.doc) {
		switch n := n.(type) {
		case *ast.Link:
			links = append(links, link{dest: n.Destination, line: s.inlineLine(n)})
		case *ast.Image:
			links = append(links, link{dest: n.Destination, line: s.inlineLine(n)})
		}
	}
	p.Parts = s.fillParts(p.Parts)
	return links
}

// fillParts fills each part's text from the blocks between its heading
// and the next one at the top level, with the text before the first
// heading as a part of its own when there is any.
func (s *source) fillParts(heads []Part) []Part {
	parts := []Part{{}}
	var txt strings.Builder
	for n := s.doc.FirstChild(); n != nil; n = n.NextSibling() {
		if _, ok := n.(*ast.Heading); ok && n.Parent() == s.doc && len(heads) > 0 {
			parts[len(parts)-1].Text = strings.Join(strings.Fields(txt.String()), " ")
			txt.Reset()
			parts = append(parts, heads[0])
			heads = heads[1:]
			continue
		}
		blockText(&txt, n, s.text)
	}
	parts[len(parts)-1].Text = strings.Join(strings.Fields(txt.String()), " ")
	if parts[0].Text == "" {
		parts = parts[1:]
	}
	return parts
}

func lineStarts(src []byte) []int {
	starts := []int{0}
	for i, c := range src {
		if c == '\n' {
			starts = append(starts, i+1)
		}
	}
	return starts
}

// lineOf returns the 1-based line of a byte offset of the body.
func (s *source) lineOf(off int) int {
	return sort.Search(len(s.lines), func(i int) bool { return s.lines[i] > off })
}

func (s *source) blockLine(n ast.Node) int {
	for ; n != nil; n = n.Parent() {
		if n.Type() == ast.TypeBlock && n.Lines().Len() > 0 {
			return s.lineOf(n.Lines().At(0).Start)
		}
	}
	return 0
}

// inlineLine finds the line of an inline node through its first text.
func (s *source) inlineLine(n ast.Node) int {
	line := 0
	_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if t, ok := c.(*ast.Text); ok && entering {
			line = s.lineOf(t.Segment.Start)
			return ast.WalkStop, nil
		}
		return ast.WalkContinue, nil
	})
	if line == 0 {
		line = s.blockLine(n.Parent())
	}
	return line
}
