package content

import (
	"bytes"
	"strings"
	"testing"
)

func TestSplitFrontMatter(t *testing.T) {
	tests := []struct {
		name, src, fm, body string
		err                 bool
	}{
		{"none", "# Hi\n", "", "# Hi\n", false},
		{"basic", "+++\ntitle = \"x\"\n+++\n# Hi\n", "title = \"x\"\n", "\n\n\n# Hi\n", false},
		{"crlf", "+++\r\ntitle = 1\r\n+++\r\nbody\r\n", "title = 1\r\n", "\n\n\nbody\r\n", false},
		{"bom", "\xef\xbb\xbf+++\na = 1\n+++\n", "a = 1\n", "\n\n\n", false},
		{"closing at eof", "+++\na = 1\n+++", "a = 1\n", "\n\n", false},
		{"empty fm", "+++\n+++\nx", "", "\n\nx", false},
		{"trailing spaces", "+++  \na = 1\n+++ \nx", "a = 1\n", "\n\n\nx", false},
		{"unclosed", "+++\na = 1\n# body\n", "", "", true},
		{"not at top", "\n+++\na=1\n+++\n", "", "\n+++\na=1\n+++\n", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fm, body, err := SplitFrontMatter([]byte(tt.src))
			if (err != nil) != tt.err {
				t.Fatalf("err = %v", err)
			}
			if string(fm) != tt.fm || string(body) != tt.body {
				t.Errorf("fm %q body %q; want %q %q", fm, body, tt.fm, tt.body)
			}
		})
	}
}

// FuzzSplitFrontMatter checks the splitter's promises on any input: it never
// panics, the body keeps every line at its number, and the front matter is
// a verbatim piece of the input.
func FuzzSplitFrontMatter(f *testing.F) {
	for _, s := range []string{"+++\ntitle = \"x\"\n+++\n# Hi\n", "+++\r\n+++\r\n", "+++", "+++\n", "\xef\xbb\xbf+++\na\n+++", "x\n+++\n"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		fm, body, err := SplitFrontMatter(src)
		if err != nil {
			if fm != nil || body != nil {
				t.Fatal("error with output")
			}
			return
		}
		in := bytes.TrimPrefix(src, []byte("\xef\xbb\xbf"))
		if fm == nil {
			if !bytes.Equal(body, in) {
				t.Fatal("without front matter the body must be the input")
			}
			return
		}
		if !bytes.Contains(in, fm) {
			t.Fatal("front matter is not a piece of the input")
		}
		// Every body line keeps its number: the non-blank tail is the input's tail.
		inLines := strings.Split(string(in), "\n")
		bodyLines := strings.Split(string(body), "\n")
		if len(bodyLines) > len(inLines) {
			t.Fatalf("body has %d lines, input %d", len(bodyLines), len(inLines))
		}
		for i, l := range bodyLines {
			if l != "" && l != inLines[i] {
				t.Fatalf("line %d moved: %q vs %q", i+1, l, inLines[i])
			}
		}
	})
}
