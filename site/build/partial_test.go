package build

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/coachbook/coachbook/site/internal/sitetest"
	"github.com/coachbook/coachbook/site/render"
)

// partialSite has more guides than the sidebar lists in full, so that a
// guide's title shows in its own section's pages but not in the others.
func partialSite() fstest.MapFS {
	fsys := fstest.MapFS{"coachbook.toml": {Data: []byte("title = \"T\"\nbase_url = \"/pb/\"\n")}}
	for i := range 320 {
		body := fmt.Sprintf("+++\ntitle = \"Guide %d\"\nweight = %d\ncadence = \"weekly\"\n+++\n## Calls\n\nText %d.\n", i, i%40+1, i)
		if i%40 == 1 {
			body += fmt.Sprintf("\nSee [the first](g%d.md#calls).\n", i-1)
		}
		fsys[fmt.Sprintf("content/s%d/g%d.md", i/40, i)] = &fstest.MapFile{Data: []byte(body)}
	}
	fsys["content/s0/_index.md"] = &fstest.MapFile{Data: []byte("+++\ntitle = \"Section zero\"\n+++\nIntro.\n")}
	fsys["content/img/a.png"] = &fstest.MapFile{Data: []byte("PNG")}
	return fsys
}

// Every kind of guide edit, built by BuildFiles over the previous output,
// gives byte for byte what a full build gives, while rendering a small part
// of the playbook.
func TestPartialBuildMatchesFullBuild(t *testing.T) {
	t.Parallel()
	guide := func(title string, weight int, extra string) string {
		return fmt.Sprintf("+++\ntitle = %q\nweight = %d\ncadence = \"weekly\"\n+++\n## Calls\n\nText 5.\n%s", title, weight, extra)
	}
	edits := []struct {
		name  string
		files map[string]string // "" deletes
		most  int               // most files rendered, outside search/
		// index: most files of the search index written again (guides
		// reordered, added or removed before others renumber the postings
		// of the rest, but keep their own files).
		index int
		// sidebar: the edit shows in the report pages' sidebar, which
		// are rendered again.
		sidebar bool
	}{
		{"body", map[string]string{"content/s0/g5.md": guide("Guide 5", 6, "\nMore text.\n")}, 2, 6, false},
		{"title", map[string]string{"content/s0/g5.md": guide("Guide five", 6, "")}, 45, 5, false},
		{"weight", map[string]string{"content/s0/g5.md": guide("Guide 5", 39, "")}, 45, 35, false},
		{"heading", map[string]string{"content/s0/g2.md": "+++\ntitle = \"Guide 2\"\nweight = 3\ncadence = \"weekly\"\n+++\n## Phone calls\n"}, 4, 6, false},
		{"new guide", map[string]string{"content/s1/new.md": guide("New", 3, "")}, 46, 110, false},
		{"rename", map[string]string{"content/s0/g5.md": "", "content/s0/g5-renamed.md": guide("Guide 5", 6, "")}, 46, 4, false},
		{"delete", map[string]string{"content/s0/g7.md": ""}, 46, 40, false},
		{"section title", map[string]string{"content/s0/_index.md": "+++\ntitle = \"Section one\"\n+++\nIntro.\n"}, 340, 41, true},
		{"picture", map[string]string{"content/img/a.png": "", "content/img/b.png": "PNG2"}, 1, 0, false},
	}
	for _, e := range edits {
		t.Run(e.name, func(t *testing.T) {
			fsys := partialSite()
			b := NewBuilder(fsys, Options{Today: testDay})
			out := &MemSink{}
			if d := b.Build(ChangeAll, func(FileSet) render.Sink { return out }).Diags; d.HasErrors() {
				t.Fatal(d.Err())
			}
			files := sitetest.Edit(fsys, e.files)
			delta := &MemSink{}
			res := b.BuildFiles(ChangeContent, files, func(FileSet) render.Sink { return delta })
			parts, d := res.FileSets, res.Diags
			if want := 1 + btoi(e.sidebar); d.HasErrors() || !res.Partial || len(parts) != want {
				t.Fatalf("partial %v, parts %v, %v", res.Partial, parts, d.Err())
			}
			var pages, index []string
			for name := range delta.Files {
				if strings.HasPrefix(name, "search/") {
					index = append(index, name)
				} else {
					pages = append(pages, name)
				}
			}
			if len(pages) > e.most {
				t.Errorf("rendered %d files, want at most %d: %.300v", len(pages), e.most, slices.Sorted(slices.Values(pages)))
			}
			if len(index) > e.index {
				t.Errorf("wrote %d files of the search index, want at most %d: %.300v", len(index), e.index, slices.Sorted(slices.Values(index)))
			}
			maps.Copy(out.Files, delta.Files)
			for _, g := range res.Gone {
				delete(out.Files, g)
			}
			full := &MemSink{}
			if _, d := Run(fsys, Options{Today: testDay}, full); d.HasErrors() {
				t.Fatal(d.Err())
			}
			for name, want := range full.Files {
				if got, ok := out.Files[name]; !ok {
					t.Errorf("%s is missing after the partial build", name)
				} else if string(got) != string(want) {
					t.Errorf("%s differs from a full build's", name)
				}
			}
			for name := range out.Files {
				if _, ok := full.Files[name]; !ok {
					t.Errorf("%s is left over after the partial build", name)
				}
			}
		})
	}
}

// A guide that links to a renamed guide fails the partial build with the
// same message a full build gives, and recovers when the link is fixed.
func TestPartialBuildFindsLinksBrokenByRename(t *testing.T) {
	t.Parallel()
	fsys := partialSite()
	b := NewBuilder(fsys, Options{Today: testDay})
	if d := b.Build(ChangeAll, func(FileSet) render.Sink { return Discard }).Diags; d.HasErrors() {
		t.Fatal(d.Err())
	}
	fsys["content/s0/first.md"] = fsys["content/s0/g0.md"]
	delete(fsys, "content/s0/g0.md")
	d := b.BuildFiles(ChangeContent, []string{"content/s0/first.md", "content/s0/g0.md"}, func(FileSet) render.Sink { return Discard }).Diags
	want := `content/s0/g1.md:10: link "g0.md#calls": there is no guide content/s0/g0.md; check the file name and folder`
	if got := d.Err(); got == nil || !strings.Contains(got.Error(), want) {
		t.Fatalf("got %v, want %s", got, want)
	}
	fsys["content/s0/g1.md"] = &fstest.MapFile{Data: []byte("+++\ntitle = \"Guide 1\"\n+++\nSee [the first](first.md#calls).\n")}
	delta := &MemSink{}
	if d := b.BuildFiles(ChangeContent, []string{"content/s0/g1.md"}, func(FileSet) render.Sink { return delta }).Diags; d.HasErrors() {
		t.Fatal(d.Err())
	}
	if page := string(delta.Files["s0/g1/index.html"]); !strings.Contains(page, `href="/pb/s0/first/#calls"`) {
		t.Errorf("the fixed link:\n%s", page)
	}
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}
