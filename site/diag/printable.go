package diag

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Control returns the first control character in s (C0 but tab, DEL, C1,
// and the bidirectional overrides that reorder what a terminal shows);
// ok is false when there is none. A path holding one cannot be recorded
// one per line, and text holding one can rewrite a terminal.
func Control(s string) (r rune, ok bool) {
	for _, r := range s {
		if isControl(r) {
			return r, true
		}
	}
	return 0, false
}

func isControl(r rune) bool {
	switch {
	case r < 0x20 && r != '\t', r == 0x7f, r >= 0x80 && r <= 0x9f:
		return true
	case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069:
		return true
	}
	return false
}

// Printable returns s with every control character (see Control) and
// every byte that is not UTF-8 written as an escape (\x1b, \u202e), so
// that quoting a file's text never moves the cursor, retitles the terminal
// or reorders the line.
func Printable(s string) string {
	if _, bad := Control(s); !bad && utf8.ValidString(s) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case r < 0x100 && isControl(r):
			fmt.Fprintf(&b, `\x%02x`, r)
		case isControl(r):
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}
