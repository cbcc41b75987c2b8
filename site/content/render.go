package content

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"html/template"
	"strconv"
	"strings"

	"github.com/coachbook/coachbook/site/diag"
	"github.com/coachbook/coachbook/site/metric"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	gmhtml "github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/util"
)

// renderDraft adds coach notes and heading anchors to the AST and renders
// it, each link's destination standing as a mark that render replaces once
// the links are resolved.
func (g *guide) renderDraft(md goldmark.Markdown, src *source) diag.List {
	p := g.page
	coached := map[string][]metric.Def{}
	for _, c := range p.Coaches {
		if c.Def.ID != "" {
			coached[c.Section] = append(coached[c.Section], c.Def)
		}
	}
	var nonce [8]byte
	_, _ = rand.Read(nonce[:])
	g.mark = "cbl" + hex.EncodeToString(nonce[:]) + "n" // letters and digits: written as is
	for i, n := range linkNodes(src.doc) {
		dest := []byte(g.mark + strconv.Itoa(i) + "e")
		switch n := n.(type) {
		case *ast.Link:
			n.Destination = dest
		case *ast.Image:
			n.Destination = dest
		}
	}
	var headings []*ast.Heading
	_ = ast.Walk(src.doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if h, ok := n.(*ast.Heading); ok && entering {
			headings = append(headings, h)
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
	for _, h := range headings {
		idv, ok := h.AttributeString("id")
		if !ok {
			continue
		}
		id := string(idv.([]byte))
		if defs := coached[id]; len(defs) > 0 {
			h.SetAttributeString("class", []byte("coaches"))
			h.Parent().InsertAfter(h.Parent(), h, &CoachNote{Metrics: defs})
		}
		if h.Level >= 2 && h.Level <= 4 {
			a := ast.NewLink()
			a.Destination = []byte("#" + id)
			a.SetAttributeString("class", []byte("anchor"))
			a.SetAttributeString("title", []byte("Link to this section"))
			a.AppendChild(a, ast.NewString([]byte("#")))
			h.AppendChild(h, a)
		}
	}
	var buf bytes.Buffer
	var diags diag.List
	if err := md.Renderer().Render(&buf, src.text, src.doc); err != nil {
		diags.Errorf(p.File, 0, "cannot render the markdown: %v", err)
	}
	g.draft = buf.String()
	return diags
}

// render puts each link's destination, resolved (or as written), in the
// place of its mark in the draft, escaped as the markdown renderer escapes
// it, and makes that the page's Body; a dangerous one (javascript:) is
// left out unless raw HTML is on.
func (g *guide) render(unsafe bool) {
	var b strings.Builder
	b.Grow(len(g.draft))
	rest := g.draft
	for {
		i := strings.Index(rest, g.mark)
		if i < 0 {
			break
		}
		b.WriteString(rest[:i])
		rest = rest[i+len(g.mark):]
		end := strings.IndexByte(rest, 'e')
		n, err := strconv.Atoi(rest[:max(end, 0)])
		if end < 0 || err != nil || n >= len(g.links) {
			b.WriteString(g.mark)
			continue
		}
		rest = rest[end+1:]
		dest := g.links[n].resolved
		if dest == nil {
			dest = g.links[n].dest
		}
		escaped := util.URLEscape(dest, true)
		if unsafe || !gmhtml.IsDangerousURL(escaped) {
			b.Write(util.EscapeHTML(escaped))
		}
	}
	b.WriteString(rest)
	g.page.Body = template.HTML(b.String())
}
