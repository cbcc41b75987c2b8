package diag

import (
	"fmt"
	"strings"

	"github.com/BurntSushi/toml"
)

// The TOML decoder's time grows faster than the text with the depth of
// nested tables and arrays and with the number of parts of a dotted key
// (10,000 nested inline tables, 40 KB, take half a minute). No coachbook
// file needs more than a few of either, so a file past these bounds is
// refused before it is decoded.
const (
	MaxTOMLDepth    = 32
	MaxTOMLKeyParts = 32
)

// DecodeTOML is toml.Decode for a file written by a person, refusing
// first, at its line, TOML nested deeper than MaxTOMLDepth or a dotted key
// of more than MaxTOMLKeyParts parts (FromTOML turns the error into a
// Diagnostic).
func DecodeTOML(src string, v any) (toml.MetaData, error) {
	if err := tomlBounds(src); err != nil {
		return toml.MetaData{}, err
	}
	return toml.Decode(src, v)
}

// boundsError is a TOML file past a bound, at its line.
type boundsError struct {
	line int
	msg  string
}

func (e *boundsError) Error() string { return fmt.Sprintf("line %d: %s", e.line, e.msg) }

// tomlBounds scans TOML text, skipping strings and comments, for nesting
// and dotted keys past the bounds. It does not check the syntax: the
// decoder does, once the text is known to be of a size it decodes quickly.
func tomlBounds(src string) error {
	line, depth, dots := 1, 0, 0
	for i := 0; i < len(src); i++ {
		c := src[i]
		switch c {
		case '\n':
			line++
			dots = 0
		case '#':
			for i+1 < len(src) && src[i+1] != '\n' {
				i++
			}
		case '"', '\'':
			// A string: basic or literal, on one line or three quotes.
			q := src[i : i+1]
			if strings.HasPrefix(src[i:], q+q+q) {
				q = q + q + q
			}
			j := i + len(q)
			for j < len(src) && !strings.HasPrefix(src[j:], q) {
				if src[j] == '\\' && c == '"' {
					j++
				}
				if j < len(src) && src[j] == '\n' {
					line++
				}
				j++
			}
			i = j + len(q) - 1
		case '[', '{':
			if depth++; depth > MaxTOMLDepth {
				return &boundsError{line, fmt.Sprintf("tables and arrays are nested more than %d deep here; coachbook reads no deeper: write them flatter", MaxTOMLDepth)}
			}
			dots = 0
		case ']', '}':
			depth--
			dots = 0
		case '=', ',':
			dots = 0
		case '.':
			if dots++; dots >= MaxTOMLKeyParts {
				return &boundsError{line, fmt.Sprintf("a dotted key of more than %d parts; coachbook reads keys of at most %d: shorten it", MaxTOMLKeyParts, MaxTOMLKeyParts)}
			}
		}
	}
	return nil
}
