package content

import (
	"html"
	"slices"
	"strings"

	"github.com/coachbook/coachbook/site/metric"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	gmhtml "github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// newMarkdown returns coachbook's one goldmark setup: CommonMark with GFM
// (tables, task lists, strikethrough, autolinks), footnotes, typographic
// quotes and dashes, generated heading ids and explicit ones written
// {#like-this}, and the blocks of blocks.go (callouts, scrolling tables,
// coloured code). Raw HTML in guides is replaced by a comment unless rawHTML.
// metricsURL, when not empty, is where coach notes link a metric's name
// (with "#<metric id>" added).
// words gives their words in the site's language (see Options.Words).
func newMarkdown(rawHTML bool, metricsURL string, words Words) goldmark.Markdown {
	rendererOpts := []renderer.Option{
		renderer.WithNodeRenderers(util.Prioritized(&coachNoteRenderer{metricsURL: metricsURL, words: words}, 100), util.Prioritized(blockRenderer{words}, 100)),
	}
	if rawHTML {
		rendererOpts = append(rendererOpts, gmhtml.WithUnsafe())
	}
	parserOpts := []parser.Option{parser.WithAutoHeadingID(), parser.WithAttribute()}
	if !rawHTML {
		parserOpts = append(parserOpts, parser.WithASTTransformers(util.Prioritized(headingAttrs{}, 100)))
	}
	return goldmark.New(
		goldmark.WithExtensions(extension.GFM, extension.Footnote, extension.Typographer),
		goldmark.WithParserOptions(parserOpts...),
		goldmark.WithRendererOptions(rendererOpts...),
	)
}

// headingAttrs keeps only the id and class of a heading's {attributes}:
// with raw HTML off, a guide must not carry style, data-* or event
// attributes into the page.
type headingAttrs struct{}

func (headingAttrs) Transform(doc *ast.Document, _ text.Reader, _ parser.Context) {
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering || n.Attributes() == nil {
			return ast.WalkContinue, nil
		}
		attrs := slices.Clone(n.Attributes())
		n.RemoveAttributes()
		for _, a := range attrs {
			if name := string(a.Name); name == "id" || name == "class" {
				n.SetAttribute(a.Name, a.Value)
			}
		}
		return ast.WalkContinue, nil
	})
}

// KindCoachNote is the AST kind of a coach note.
var KindCoachNote = ast.NewNodeKind("CoachNote")

// CoachNote is a block placed right after a heading whose section coaches
// one or more metrics (from the guide's [[coaches]]). It renders as a short
// line that names the metrics, so a reader sees which numbers the questions
// below are meant to move.
type CoachNote struct {
	ast.BaseBlock
	Metrics []metric.Def
}

// Kind implements ast.Node.
func (n *CoachNote) Kind() ast.NodeKind { return KindCoachNote }

// Dump implements ast.Node.
func (n *CoachNote) Dump(source []byte, level int) { ast.DumpHelper(n, source, level, nil, nil) }

type coachNoteRenderer struct {
	metricsURL string
	words      Words
}

func (r *coachNoteRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(KindCoachNote, r.render)
}

func (r *coachNoteRenderer) render(w util.BufWriter, _ []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkContinue, nil
	}
	n := node.(*CoachNote)
	var b strings.Builder
	b.WriteString(`<p class="coach-note"><span class="coach-label">` + html.EscapeString(r.words.word("Coaches", "guide.coaches")) + `</span> `)
	for i, m := range n.Metrics {
		if i > 0 {
			b.WriteString(", ")
		}
		name := r.words.word(m.Name, "metric."+m.ID)
		if r.metricsURL != "" {
			b.WriteString(`<a href="` + html.EscapeString(r.metricsURL+"#"+m.ID) + `">` + html.EscapeString(name) + `</a>`)
		} else {
			b.WriteString(`<span class="metric">` + html.EscapeString(name) + `</span>`)
		}
	}
	b.WriteString("</p>\n")
	_, err := w.WriteString(b.String())
	return ast.WalkSkipChildren, err
}

// blockText writes the text of a block and its descendants, with a line
// break after each block (paragraph, list item, table cell, code line) so
// that the words of neighbouring blocks stay apart.
func blockText(b *strings.Builder, n ast.Node, src []byte) {
	_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		switch t := c.(type) {
		case *ast.Text:
			if entering {
				b.Write(t.Segment.Value(src))
				if t.SoftLineBreak() || t.HardLineBreak() {
					b.WriteByte(' ')
				}
			}
			return ast.WalkContinue, nil
		case *ast.String:
			if entering {
				b.WriteString(html.UnescapeString(string(t.Value)))
			}
			return ast.WalkContinue, nil
		case *ast.AutoLink:
			if entering {
				b.Write(t.Label(src))
			}
			return ast.WalkSkipChildren, nil
		case *CoachNote:
			return ast.WalkSkipChildren, nil
		case *ast.FencedCodeBlock, *ast.CodeBlock:
			if entering {
				lines := t.Lines()
				for i := range lines.Len() {
					seg := lines.At(i)
					b.Write(seg.Value(src))
				}
			}
			return ast.WalkSkipChildren, nil
		}
		if !entering && (c.Type() == ast.TypeBlock || c.Kind() == east.KindTableCell) {
			b.WriteByte('\n')
		}
		return ast.WalkContinue, nil
	})
}

// plainText returns the text of a node and its descendants, without markup.
func plainText(n ast.Node, src []byte) string {
	var b strings.Builder
	_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch t := c.(type) {
		case *ast.Text:
			b.Write(t.Segment.Value(src))
			if t.SoftLineBreak() || t.HardLineBreak() {
				b.WriteByte(' ')
			}
		case *ast.String:
			// The typographer stores entities such as "&rsquo;" here.
			b.WriteString(html.UnescapeString(string(t.Value)))
		case *ast.CodeSpan:
			for ch := t.FirstChild(); ch != nil; ch = ch.NextSibling() {
				if tx, ok := ch.(*ast.Text); ok {
					b.Write(tx.Segment.Value(src))
				}
			}
			return ast.WalkSkipChildren, nil
		case *ast.AutoLink:
			b.Write(t.Label(src))
		}
		return ast.WalkContinue, nil
	})
	return strings.TrimSpace(b.String())
}
