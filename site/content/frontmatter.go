package content

import (
	"bytes"
	"errors"
)

// Delim is the line that opens and closes a guide's TOML front matter.
const Delim = "+++"

// ErrUnclosed is returned by SplitFrontMatter when the opening "+++" line has
// no closing partner.
var ErrUnclosed = errors.New(`front matter opened with "+++" on line 1 is never closed; add a line with just +++ after the last key`)

// SplitFrontMatter separates TOML front matter from the markdown body.
//
// The front matter is the text between a first line of exactly "+++" and the
// next line of exactly "+++" (trailing spaces and a CR allowed; a UTF-8 BOM
// before the first line is skipped). The body is returned with every
// front-matter line, delimiters included, replaced by an empty line, so a
// byte of the body sits on the same line number as in the file and markdown
// positions need no correction. Front matter line 1 is file line 2.
//
// A file that does not start with "+++" has no front matter: fm is nil and
// body is the whole file.
func SplitFrontMatter(src []byte) (fm, body []byte, err error) {
	src = bytes.TrimPrefix(src, []byte("\xef\xbb\xbf"))
	first, rest, ok := cutLine(src)
	if !isDelim(first) {
		return nil, src, nil
	}
	start := len(src) - len(rest)
	lines := 1
	for pos := start; ok || pos < len(src); {
		var line []byte
		line, rest, ok = cutLine(src[pos:])
		lines++
		if isDelim(line) {
			fm = src[start:pos]
			end := len(src) - len(rest)
			if !ok {
				end = len(src)
			}
			body = make([]byte, 0, lines+len(src)-end)
			body = append(body, bytes.Repeat([]byte{'\n'}, lines)...)
			body = append(body, src[end:]...)
			if !ok { // the closing delimiter was the last line, with no newline
				body = body[:lines-1]
			}
			return fm, body, nil
		}
		if !ok {
			break
		}
		pos = len(src) - len(rest)
	}
	return nil, nil, ErrUnclosed
}

// cutLine returns the first line of b without its "\n", the remainder after
// it, and whether a newline was found.
func cutLine(b []byte) (line, rest []byte, found bool) {
	line, rest, found = bytes.Cut(b, []byte{'\n'})
	return line, rest, found
}

func isDelim(line []byte) bool {
	return string(bytes.TrimRight(line, " \t\r")) == Delim
}
