package content

import (
	"bytes"
	"html"
	"regexp"
	"strings"

	"github.com/yuin/goldmark/ast"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/util"
)

// Blocks that guides get on top of CommonMark and GFM: GitHub's callouts
// (a quote whose first line is [!NOTE], [!TIP], [!IMPORTANT], [!WARNING] or
// [!CAUTION]), tables that scroll inside their own labelled region instead
// of widening the page, and code blocks with syntax colours.

// KindCallout is the AST kind of a callout.
var KindCallout = ast.NewNodeKind("Callout")

// Callout is a quote that GitHub shows as a coloured box with a title.
type Callout struct {
	ast.BaseBlock
	KindOf string // note, tip, important, warning or caution
}

// Kind implements ast.Node.
func (n *Callout) Kind() ast.NodeKind { return KindCallout }

// Dump implements ast.Node.
func (n *Callout) Dump(source []byte, level int) { ast.DumpHelper(n, source, level, nil, nil) }

// KindTableScroll is the AST kind of the region around a table.
var KindTableScroll = ast.NewNodeKind("TableScroll")

// TableScroll holds one table; it renders as a focusable region named after
// the table's columns, so a wide table scrolls inside it on a phone.
type TableScroll struct {
	ast.BaseBlock
	Columns string // the column heads, "Step, Minutes"
}

// Kind implements ast.Node.
func (n *TableScroll) Kind() ast.NodeKind { return KindTableScroll }

// Dump implements ast.Node.
func (n *TableScroll) Dump(source []byte, level int) { ast.DumpHelper(n, source, level, nil, nil) }

var calloutMarker = regexp.MustCompile(`^\[!(?i:(note|tip|important|warning|caution))\]$`)

// dressBlocks turns marked quotes into callouts and puts every table in a
// scrolling region. It runs once, right after parsing.
func dressBlocks(doc ast.Node, src []byte) {
	var quotes, tables []ast.Node
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if entering {
			switch n.Kind() {
			case ast.KindBlockquote:
				quotes = append(quotes, n)
			case east.KindTable:
				tables = append(tables, n)
			}
		}
		return ast.WalkContinue, nil
	})
	for _, q := range quotes {
		makeCallout(q, src)
	}
	for _, t := range tables {
		var cols []string
		if head := t.FirstChild(); head != nil && head.Kind() == east.KindTableHeader {
			for c := head.FirstChild(); c != nil; c = c.NextSibling() {
				if s := plainText(c, src); s != "" {
					cols = append(cols, s)
				}
			}
		}
		wrap := &TableScroll{Columns: strings.Join(cols, ", ")}
		t.Parent().ReplaceChild(t.Parent(), t, wrap)
		wrap.AppendChild(wrap, t)
	}
}

// makeCallout replaces a quote whose first line is a callout marker by a
// Callout holding the rest of the quote.
func makeCallout(q ast.Node, src []byte) {
	para := q.FirstChild()
	if para == nil || para.Kind() != ast.KindParagraph {
		return
	}
	// The marker is the text up to the first line break; the link parser
	// may have split it into several text nodes.
	var first []ast.Node
	var marker bytes.Buffer
	for c := para.FirstChild(); c != nil; c = c.NextSibling() {
		t, ok := c.(*ast.Text)
		if !ok {
			return
		}
		first = append(first, c)
		marker.Write(t.Segment.Value(src))
		if t.SoftLineBreak() || t.HardLineBreak() {
			break
		}
	}
	m := calloutMarker.FindSubmatch(bytes.TrimSpace(marker.Bytes()))
	if m == nil {
		return
	}
	for _, c := range first {
		para.RemoveChild(para, c)
	}
	if para.ChildCount() == 0 {
		q.RemoveChild(q, para)
	}
	box := &Callout{KindOf: strings.ToLower(string(m[1]))}
	for c := q.FirstChild(); c != nil; {
		next := c.NextSibling()
		box.AppendChild(box, c)
		c = next
	}
	q.Parent().ReplaceChild(q.Parent(), q, box)
}

// blockRenderer renders callouts, table regions and code blocks.
type blockRenderer struct{ words Words }

func (r blockRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(KindCallout, r.callout)
	reg.Register(KindTableScroll, r.tableScroll)
	reg.Register(ast.KindFencedCodeBlock, r.code)
	reg.Register(ast.KindCodeBlock, r.code)
}

var calloutTitles = map[string]string{"note": "Note", "tip": "Tip", "important": "Important", "warning": "Warning", "caution": "Caution"}

func (r blockRenderer) callout(w util.BufWriter, _ []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	n := node.(*Callout)
	if entering {
		_, _ = w.WriteString(`<div class="callout callout-` + n.KindOf + `" role="note"><p class="callout-title">` + html.EscapeString(r.words.word(calloutTitles[n.KindOf], "guide.callout."+n.KindOf)) + "</p>\n")
	} else {
		_, _ = w.WriteString("</div>\n")
	}
	return ast.WalkContinue, nil
}

func (r blockRenderer) tableScroll(w util.BufWriter, _ []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if entering {
		cols := node.(*TableScroll).Columns
		label := r.words.word("Table: "+cols, "search.table_named", cols)
		_, _ = w.WriteString(`<div class="table-scroll" tabindex="0" role="region" aria-label="` + html.EscapeString(label) + `">` + "\n")
	} else {
		_, _ = w.WriteString("</div>\n")
	}
	return ast.WalkContinue, nil
}

// code writes a code block as a focusable region (it may scroll sideways)
// with its tokens coloured.
func (blockRenderer) code(w util.BufWriter, src []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkContinue, nil
	}
	var lang string
	if f, ok := node.(*ast.FencedCodeBlock); ok {
		lang = strings.ToLower(string(f.Language(src)))
	}
	var code bytes.Buffer
	lines := node.Lines()
	for i := range lines.Len() {
		seg := lines.At(i)
		code.Write(seg.Value(src))
	}
	label := "Code"
	class := ""
	if lang != "" {
		label = "Code: " + lang
		class = ` class="language-` + html.EscapeString(lang) + `"`
	}
	_, _ = w.WriteString(`<pre tabindex="0" role="region" aria-label="` + html.EscapeString(label) + `"><code` + class + ">")
	_, _ = w.WriteString(highlight(code.String(), lang))
	_, _ = w.WriteString("</code></pre>\n")
	return ast.WalkSkipChildren, nil
}
