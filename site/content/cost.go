package content

import (
	"bytes"
	"fmt"

	"github.com/coachbook/coachbook/site/diag"
)

// What one guide may cost. The markdown parser's time and memory grow
// faster than the text with some shapes (100,000 footnotes, 3 MB, took a
// minute; a table of a million rows took a gigabyte), and one guide must
// not stall the build or the dev server. No coaching guide comes near
// these: a guide past one is refused at the line where it goes past.
const (
	MaxGuideBytes = 1 << 20 // the body, without front matter
	// MaxGuideDefs bounds footnote and link reference definitions.
	MaxGuideDefs = 1000
	// MaxGuideDepth bounds nested lists and block quotes, as indentation
	// and ">" markers at the start of a line.
	MaxGuideDepth = 32
)

// guideCost checks a guide's body (whose lines are the file's: the front
// matter's are left blank) against the bounds above.
func guideCost(file string, body []byte) (diag.Diagnostic, bool) {
	at := func(line int, format string, args ...any) (diag.Diagnostic, bool) {
		return diag.Diagnostic{File: file, Line: line, Severity: diag.Error, Msg: fmt.Sprintf(format, args...)}, false
	}
	if len(body) > MaxGuideBytes {
		return at(1, "this guide is %d KB; coachbook reads guides of at most %d KB: split it into several guides", len(body)>>10, MaxGuideBytes>>10)
	}
	defs, fence := 0, ""
	line := 1
	for rest := body; len(rest) > 0; line++ {
		l := rest
		if i := bytes.IndexByte(rest, '\n'); i >= 0 {
			l, rest = rest[:i], rest[i+1:]
		} else {
			rest = nil
		}
		if f := fenceOf(l); f != "" && (fence == "" || bytes.HasPrefix(bytes.TrimLeft(l, " "), []byte(fence))) {
			if fence == "" {
				fence = f
			} else {
				fence = ""
			}
			continue
		}
		if fence != "" {
			continue // code: neither definitions nor lists
		}
		if isDefinition(l) {
			if defs++; defs > MaxGuideDefs {
				return at(line, "more than %d footnotes and link definitions in one guide; coachbook reads at most %d: split the guide", MaxGuideDefs, MaxGuideDefs)
			}
		}
		if depth := nesting(l); depth > MaxGuideDepth {
			return at(line, "lists or quotes nested %d deep; coachbook reads at most %d levels: write them flatter", depth, MaxGuideDepth)
		}
	}
	return diag.Diagnostic{}, true
}

// isDefinition reports whether a line starts a footnote or link reference
// definition: up to three spaces, then [label]: or [^label]:.
func isDefinition(l []byte) bool {
	l = bytes.TrimLeft(l, " ")
	if len(l) < 4 || l[0] != '[' {
		return false
	}
	end := bytes.Index(l, []byte("]:"))
	return end > 1
}

// fenceOf returns the fence a line opens or closes a code block with
// (``` or ~~~), or "".
func fenceOf(l []byte) string {
	l = bytes.TrimLeft(l, " ")
	for _, f := range []string{"```", "~~~"} {
		if bytes.HasPrefix(l, []byte(f)) {
			return f
		}
	}
	return ""
}

// nesting estimates the nesting a line opens: a level for each ">" at its
// start, and for each two columns of indentation before a list marker.
func nesting(l []byte) int {
	depth, cols := 0, 0
	for i, c := range l {
		switch c {
		case '>':
			depth++
		case ' ':
			cols++
		case '\t':
			cols += 4
		default:
			if listMarker(l[i:]) {
				return depth + cols/2 + 1
			}
			return depth
		}
	}
	return depth
}

// listMarker reports whether l starts with a list item's marker.
func listMarker(l []byte) bool {
	if len(l) >= 2 && (l[0] == '-' || l[0] == '*' || l[0] == '+') && (l[1] == ' ' || l[1] == '\t') {
		return true
	}
	n := 0
	for n < len(l) && n < 9 && l[n] >= '0' && l[n] <= '9' {
		n++
	}
	return n > 0 && n+1 < len(l) && (l[n] == '.' || l[n] == ')') && (l[n+1] == ' ' || l[n+1] == '\t')
}
