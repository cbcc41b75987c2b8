package content

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/coachbook/coachbook/site/internal/sitetest"
)

// With raw HTML off, a heading's attribute list keeps only its id and
// class: no style, data- or event-handler attribute reaches the page.
// With raw HTML on, they all do.
func TestHeadingKeepsOnlyIDAndClass(t *testing.T) {
	src := "-- content/a.md --\n## Calls {#calls .big style=\"color:red\" data-x=\"1\" onclick=\"alert(1)\"}\n"
	s, msgs := load(t, src, Options{})
	if len(msgs) != 0 {
		t.Fatal(msgs)
	}
	body := string(s.Pages[0].Body)
	if !strings.Contains(body, `<h2 id="calls" class="big">`) || strings.Contains(body, "style=") || strings.Contains(body, "data-x") || strings.Contains(body, "onclick") {
		t.Errorf("raw HTML off: %s", body)
	}
	s, _ = load(t, src, Options{RawHTML: true})
	if body := string(s.Pages[0].Body); !strings.Contains(body, `style="color:red"`) {
		t.Errorf("raw HTML on keeps the attributes: %s", body)
	}
}

// A guide without a title is titled after its file name (capitalised,
// spaces for - and _), and a non-ASCII file name makes a valid UTF-8
// title.
func TestTitleFromNonASCIIFileNameIsUTF8(t *testing.T) {
	s, _ := load(t, "-- content/über-uns.md --\nText.\n-- content/ñandú_notes.md --\nMore.\n", Options{})
	var titles []string
	for _, p := range s.Pages {
		titles = append(titles, p.Title)
		if !utf8.ValidString(p.Title) {
			t.Errorf("invalid UTF-8 title %q", p.Title)
		}
	}
	if strings.Join(titles, "|") != "Ñandú notes|Über uns" && strings.Join(titles, "|") != "Über uns|Ñandú notes" {
		t.Errorf("titles %q", titles)
	}
}

// A symbolic link under content/ to a file outside the site is an error
// at the link, unless [content] allow_links_outside; a link inside the
// site is published.
func TestSymlinkOutOfSiteIsAnErrorUnlessAllowed(t *testing.T) {
	dir := t.TempDir()
	site := filepath.Join(dir, "site")
	os.MkdirAll(filepath.Join(site, "content"), 0o755)
	os.WriteFile(filepath.Join(dir, "secret.txt"), []byte("secret"), 0o644)
	os.WriteFile(filepath.Join(site, "notes.txt"), []byte("notes"), 0o644)
	os.Symlink(filepath.Join(dir, "secret.txt"), filepath.Join(site, "content", "abs.txt"))
	os.Symlink("../../secret.txt", filepath.Join(site, "content", "rel.txt"))
	os.Symlink("../notes.txt", filepath.Join(site, "content", "inside.txt"))
	s, diags := Load(os.DirFS(site), Options{})
	var msgs []string
	for _, d := range diags {
		msgs = append(msgs, d.Error())
	}
	want := "content/abs.txt: is a symbolic link to " + filepath.Join(dir, "secret.txt") + ", outside the site; coachbook does not publish files from outside the site: copy the file into content/, or set [content] allow_links_outside = true in coachbook.toml\n" +
		"content/rel.txt: is a symbolic link to ../../secret.txt, outside the site; coachbook does not publish files from outside the site: copy the file into content/, or set [content] allow_links_outside = true in coachbook.toml"
	if strings.Join(msgs, "\n") != want {
		t.Errorf("got:\n%s", strings.Join(msgs, "\n"))
	}
	if strings.Join(s.Files, ",") != "inside.txt" {
		t.Errorf("files %v", s.Files)
	}
	s, diags = Load(os.DirFS(site), Options{LinksOutside: true})
	if len(diags) != 0 || len(s.Files) != 3 {
		t.Errorf("allowed: %v %v", diags, s.Files)
	}
}

// Issue 23, case 11: TOML nested past the bound, or with a dotted key of
// thousands of parts, is refused at its line before it is decoded (the
// decoder took half a minute and gigabytes for 40 KB of it).
func TestTOMLBoundsInFrontMatter(t *testing.T) {
	deep := "x = " + strings.Repeat("{a = ", 10000) + "1" + strings.Repeat("}", 10000) + "\n"
	long := strings.Repeat("k.", 16000) + "k = 1\n"
	for _, tt := range []struct{ fm, want string }{
		{"title = \"A\"\n" + deep, "content/a.md:3: tables and arrays are nested more than 32 deep here"},
		{"title = \"A\"\n\n" + long, "content/a.md:4: a dotted key of more than 32 parts"},
		{"title = \"A.B.C\"\nnote = '''\n" + strings.Repeat("[{", 100) + "\n'''\n" + `x = "` + strings.Repeat("{", 100) + "\"\n", ""},
	} {
		start := time.Now()
		_, diags := Load(sitetest.FS("-- content/a.md --\n+++\n"+tt.fm+"+++\n# A\n"), Options{})
		if took := time.Since(start); took > 5*time.Second {
			t.Errorf("took %v", took)
		}
		got := ""
		if err := diags.Err(); err != nil {
			got = err.Error()
		}
		if tt.want == "" && strings.Contains(got, "nested") || !strings.Contains(got, tt.want) {
			t.Errorf("got %q, want %q", got, tt.want)
		}
	}
}

// Issue 23, case 12: a guide past what one guide may cost (footnotes and
// link definitions by the thousand, lists nested past 32, a body over
// 1 MB) is refused at its file and the line where it goes past, at once.
func TestGuideCostBounded(t *testing.T) {
	var notes strings.Builder
	notes.WriteString("+++\ntitle = \"A\"\n+++\n# A\n\n")
	for i := range 5000 {
		fmt.Fprintf(&notes, "Text[^n%d].\n\n[^n%d]: Note %d.\n\n", i, i, i)
	}
	var nested strings.Builder
	for i := range 40 {
		nested.WriteString(strings.Repeat("  ", i) + "- item\n")
	}
	code := "```\n" + strings.Repeat(strings.Repeat(" ", 90)+"- not a list\n", 3) + "```\n[a]: /x\n"
	for _, tt := range []struct{ src, want string }{
		{notes.String(), "content/a.md:4008: more than 1000 footnotes and link definitions in one guide"},
		{"# A\n" + nested.String(), "content/a.md:34: lists or quotes nested 33 deep"},
		{"# A\n" + strings.Repeat("x", 1<<20+1), "content/a.md:1: this guide is 1024 KB; coachbook reads guides of at most 1024 KB"},
		{"# A\n" + code, ""},
	} {
		start := time.Now()
		_, diags := Load(sitetest.FS("-- content/a.md --\n"+tt.src), Options{})
		if took := time.Since(start); took > 5*time.Second {
			t.Errorf("took %v", took)
		}
		got := ""
		if err := diags.Err(); err != nil {
			got = err.Error()
		}
		if (tt.want == "") != (got == "") || !strings.Contains(got, tt.want) {
			t.Errorf("got %q, want %q", got, tt.want)
		}
	}
}
