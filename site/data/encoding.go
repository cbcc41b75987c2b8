package data

import (
	"bufio"
	"io"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/coachbook/coachbook/site/config"
)

// cp1252 maps the bytes 0x80-0x9F of Windows-1252; the bytes from 0xA0 up
// are the same code points as in Unicode.
var cp1252 = [32]rune{
	'€', 0x81, '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', 0x8D, 'Ž', 0x8F,
	0x90, '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', 0x9D, 'ž', 'Ÿ',
}

// fromWindows1252 decodes a Windows-1252 string.
func fromWindows1252(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c < 0x80:
			b.WriteByte(c)
		case c < 0xA0:
			b.WriteRune(cp1252[c-0x80])
		default:
			b.WriteRune(rune(c))
		}
	}
	return b.String()
}

// decoder returns a reader that yields UTF-8 text: it drops a UTF-8
// byte-order mark, decodes UTF-16 files that start with theirs, and with
// encoding windows-1252 decodes every byte.
func decoder(r io.Reader, encoding string) io.Reader {
	br := bufio.NewReaderSize(r, 64<<10)
	b, _ := br.Peek(3)
	switch {
	case len(b) >= 3 && string(b[:3]) == "\ufeff":
		_, _ = br.Discard(3)
	case len(b) >= 2 && (b[0] == 0xFF && b[1] == 0xFE || b[0] == 0xFE && b[1] == 0xFF):
		_, _ = br.Discard(2)
		return &utf16Reader{r: br, big: b[0] == 0xFE}
	}
	if encoding == config.EncodingWindows {
		return &cp1252Reader{r: br}
	}
	return br
}

type cp1252Reader struct {
	r   *bufio.Reader
	buf []byte
}

func (c *cp1252Reader) Read(p []byte) (int, error) {
	for len(c.buf) == 0 {
		raw := make([]byte, 4096)
		n, err := c.r.Read(raw)
		c.buf = []byte(fromWindows1252(string(raw[:n])))
		if n == 0 && err != nil {
			return 0, err
		}
	}
	n := copy(p, c.buf)
	c.buf = c.buf[n:]
	return n, nil
}

type utf16Reader struct {
	r   *bufio.Reader
	big bool
	buf []byte
}

func (u *utf16Reader) Read(p []byte) (int, error) {
	for len(u.buf) == 0 {
		var units []uint16
		for len(units) < 2048 {
			var pair [2]byte
			if _, err := io.ReadFull(u.r, pair[:]); err != nil {
				if len(units) == 0 {
					return 0, io.EOF
				}
				break
			}
			if u.big {
				units = append(units, uint16(pair[0])<<8|uint16(pair[1]))
			} else {
				units = append(units, uint16(pair[1])<<8|uint16(pair[0]))
			}
		}
		// Keep a high surrogate for the next round so pairs are not split.
		if n := len(units); n > 0 && utf16.IsSurrogate(rune(units[n-1])) && units[n-1] < 0xDC00 {
			var pair [2]byte
			if _, err := io.ReadFull(u.r, pair[:]); err == nil {
				if u.big {
					units = append(units, uint16(pair[0])<<8|uint16(pair[1]))
				} else {
					units = append(units, uint16(pair[1])<<8|uint16(pair[0]))
				}
			}
		}
		u.buf = []byte(string(utf16.Decode(units)))
	}
	n := copy(p, u.buf)
	u.buf = u.buf[n:]
	return n, nil
}

// validText reports whether s is valid UTF-8.
func validText(s string) bool { return utf8.ValidString(s) }
