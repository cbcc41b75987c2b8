package content

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/coachbook/coachbook/site/internal/sitetest"
)

func load(t *testing.T, archive string, opts Options) (*Site, []string) {
	t.Helper()
	s, diags := Load(sitetest.FS(archive), opts)
	var msgs []string
	for _, d := range diags {
		msgs = append(msgs, d.Error())
	}
	return s, msgs
}

var goodSite = sitetest.Archive("testdata/good.txtar")

func TestLoadGoodSite(t *testing.T) {
	s, msgs := load(t, goodSite, Options{BasePath: "/pb/"})
	if len(msgs) != 0 {
		t.Fatalf("unexpected diagnostics:\n%s", strings.Join(msgs, "\n"))
	}
	var order []string
	for _, p := range s.Pages {
		order = append(order, p.URL)
	}
	if got, want := strings.Join(order, " "), "/weekly/a/ /weekly/b/ /monthly/m/"; got != want {
		t.Errorf("reading order %q, want %q", got, want)
	}
	a := s.Pages[0]
	if a.Title != "A guide" || a.Cadence != "weekly" || a.Minutes() != 30 || a.Summary != "Intro paragraph that becomes the summary." {
		t.Errorf("front matter: %+v", a)
	}
	if a.Agenda[1].Start != 10 || a.AgendaMinutes() != 30 {
		t.Errorf("agenda clock: %+v", a.Agenda)
	}
	if a.Next != s.Pages[1] || s.Pages[1].Prev != a || a.Prev != nil {
		t.Error("prev/next not linked in reading order")
	}
	body := string(a.Body)
	for _, want := range []string{
		`href="/pb/weekly/b/#only"`, `href="/pb/monthly/m/"`,
		`<h2 id="opportunity-generation" class="coaches">`, `<p class="coach-note">`, `Meetings set`,
		`<a href="#opportunity-generation" class="anchor" title="Link to this section">#</a>`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("body lacks %s:\n%s", want, body)
		}
	}
	if h := a.Headings[1]; h.Text != "Last week’s “numbers”" || h.ID != "last-weeks-numbers" {
		t.Errorf("heading %+v", h)
	}
	if m := s.Pages[2]; m.Title != "M" || m.Section.Title != "Monthly" {
		t.Errorf("defaults from the file name: %q in %q", m.Title, m.Section.Title)
	}
	if len(s.Files) != 1 || s.Files[0] != "img/logo.png" {
		t.Errorf("files %v", s.Files)
	}
	if c := s.Coaching["activity.meetings_set"]; len(c) != 1 || c[0].Page != a || c[0].Section != "opportunity-generation" {
		t.Errorf("coaching index %+v", c)
	}
}

// TestErrorMessages pins the exact text of the problems authors meet most.
func TestErrorMessages(t *testing.T) {
	_, msgs := load(t, `
-- content/a.md --
+++
title = "A"
cadence = "weakly"
duration = "30 min"

[[agenda]]
item = "One"
minutes = 10

[[coaches]]
metric = "activity.meetings_set"
section = "Opportunity generation"

[[coaches]]
metric = "winrate"
section = "closing"
+++
## Opportunity generation

## Closing

A [broken](missing.md) link and [a fragment](b.md#nowhere).
-- content/b.md --
+++
title = "B"
duration = "1h"
[[agenda]]
item = "x"
minutes = 45
+++
## Somewhere
-- content/c.md --
+++
title = "C
+++
-- content/d.md --
+++
title = "D"
cadnce = "weekly"
+++
`, Options{})
	want := []string{
		`content/a.md:3: unknown cadence "weakly"; use one of weekly, monthly, quarterly, as-needed`,
		`content/a.md:4: duration "30 min" is not a length of time; write it like "30m", "45m" or "1h30m"`,
		`content/a.md:12: section "Opportunity generation" is not a heading id of content/a.md; the heading "Opportunity generation" has id "opportunity-generation"`,
		`content/a.md:15: unknown metric "winrate"; use activity.<type> (like activity.meetings_set) or one of pipeline.created, pipeline.open, pipeline.coverage, pipeline.past_due, pipeline.stalled, win_rate, deal_size, cycle_days, forecast.accuracy, attainment, coaching.held, commitments.kept, pipeline.start_coverage, pipeline.slipped, pipeline.stage_age, pipeline.conversion, sales_velocity, pipeline.flow`,
		`content/a.md:22: link "missing.md": there is no guide content/missing.md; check the file name and folder`,
		`content/a.md:22: link "b.md#nowhere": section "nowhere" is not a heading of content/b.md; its heading ids are somewhere`,
		`content/b.md:3: warning: the agenda adds up to 45 minutes but the duration is 60 minutes; change the agenda's minutes or the duration so they agree`,
		`content/c.md:2:11: TOML syntax: strings cannot contain newlines (at key "title"); fix the line (strings need "quotes", dates are written 2026-11-19)`,
		`content/d.md:3: warning: unknown front matter key "cadnce" is ignored; the keys are title, cadence, duration, weight, summary, prepare, draft, [[agenda]] and [[coaches]]`,
	}
	got := strings.Join(msgs, "\n")
	if got != strings.Join(want, "\n") {
		t.Errorf("diagnostics differ.\ngot:\n%s\n\nwant:\n%s", got, strings.Join(want, "\n"))
	}
}

func TestUnclosedFrontMatter(t *testing.T) {
	_, msgs := load(t, "-- content/a.md --\n+++\ntitle = \"A\"\n# Body\n", Options{})
	if len(msgs) != 1 || !strings.HasPrefix(msgs[0], `content/a.md:1: front matter opened with "+++" on line 1 is never closed`) {
		t.Errorf("got %v", msgs)
	}
}

func TestURLClashAndReservedPaths(t *testing.T) {
	_, msgs := load(t, `
-- content/My Guide.md --
x
-- content/my-guide.md --
y
-- content/reports/x.md --
z
`, Options{ReportsOn: true})
	got := strings.Join(msgs, "\n")
	for _, want := range []string{
		"publishes at /my-guide/, like content/My Guide.md; rename one of the two files",
		"content/reports/x.md: content/reports/ is where the report pages are published",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("missing %q in\n%s", want, got)
		}
	}
}

func TestRawHTML(t *testing.T) {
	src := "-- content/a.md --\nHello <b onclick=\"x()\">bold</b>\n\n<script>alert(1)</script>\n"
	s, _ := load(t, src, Options{})
	if body := string(s.Pages[0].Body); strings.Contains(body, "<script>") || strings.Contains(body, "onclick") {
		t.Errorf("raw HTML must be off by default:\n%s", body)
	}
	s, _ = load(t, src, Options{RawHTML: true})
	if body := string(s.Pages[0].Body); !strings.Contains(body, "<b onclick") {
		t.Errorf("raw_html = true must let HTML through:\n%s", body)
	}
}

func TestDraftsAndIgnoredFiles(t *testing.T) {
	src := "-- content/a.md --\n+++\ndraft = true\n+++\nx\n-- content/.hidden.md --\nx\n-- content/b.md~ --\nx\n-- content/c.md --\nx\n"
	s, msgs := load(t, src, Options{})
	if len(msgs) != 0 || len(s.Pages) != 1 || s.Pages[0].URL != "/c/" || len(s.Files) != 0 {
		t.Errorf("pages %v files %v diags %v", s.Pages, s.Files, msgs)
	}
	s, _ = load(t, src, Options{Drafts: true})
	if len(s.Pages) != 2 {
		t.Errorf("drafts included: %d pages", len(s.Pages))
	}
}

func TestLinksOutsideContentAndToReports(t *testing.T) {
	_, msgs := load(t, "-- content/a.md --\n[x](../../etc/passwd) [r](/reports/) [ok](https://example.com/a.md) [mail](mailto:a@b.c)\n", Options{})
	got := strings.Join(msgs, "\n")
	if !strings.Contains(got, `link "../../etc/passwd" points outside the content folder`) ||
		!strings.Contains(got, `link "/reports/" goes to the reports, which this build leaves out`) || len(msgs) != 2 {
		t.Errorf("got:\n%s", got)
	}
}

// outline writes down everything of a loaded site that pages show: the
// order, addresses, titles, neighbours, sections, bodies, coaching index and
// problems.
func outline(s *Site) string {
	var b strings.Builder
	for _, sec := range append([]*Section{s.Root}, s.Sections...) {
		fmt.Fprintf(&b, "section %s %q w%d %q\n", sec.URL, sec.Title, sec.Weight, sec.Summary)
	}
	for _, p := range s.Pages {
		prev, next := "", ""
		if p.Prev != nil {
			prev = p.Prev.URL
		}
		if p.Next != nil {
			next = p.Next.URL
		}
		fmt.Fprintf(&b, "page %s %q in %s prev %s next %s\n%s\n", p.URL, p.Title, p.Section.URL, prev, next, p.Body)
	}
	for _, p := range s.indexPages() {
		fmt.Fprintf(&b, "index %s %s\n", p.URL, p.Body)
	}
	ids := slices.Sorted(maps.Keys(s.Coaching))
	for _, id := range ids {
		for _, c := range s.Coaching[id] {
			fmt.Fprintf(&b, "coach %s %s#%s %q\n", id, c.Page.URL, c.Section, c.Heading)
		}
	}
	fmt.Fprintf(&b, "files %v\n", s.Files)
	for _, d := range s.Diags() {
		fmt.Fprintf(&b, "diag %s\n", d.Error())
	}
	return b.String()
}

// checkLinked checks that the site's order, sections, neighbours and
// coaching index all hold the current reading of each guide.
func checkLinked(t *testing.T, s *Site) {
	t.Helper()
	for i, p := range s.Pages {
		if s.byFile[p.File] != p {
			t.Errorf("%s: the order holds an old reading", p.File)
		}
		if !slices.Contains(p.Section.Pages, p) {
			t.Errorf("%s: not in its section's pages", p.File)
		}
		if (i > 0 && p.Prev != s.Pages[i-1]) || (i+1 < len(s.Pages) && p.Next != s.Pages[i+1]) {
			t.Errorf("%s: previous or next is not its neighbour in the order", p.File)
		}
	}
	for id, cs := range s.Coaching {
		for _, c := range cs {
			if s.byFile[c.Page.File] != c.Page {
				t.Errorf("%s: coached by an old reading of %s", id, c.Page.File)
			}
		}
	}
}

// Each edit applied to a loaded site must give the site a full load of the
// edited files gives, and read only the edited files and those linking to them.
func TestApplyMatchesLoad(t *testing.T) {
	const linked = "+++\ntitle = \"Linker\"\n+++\nSee [B](weekly/b.md#only), [M](/monthly/m/#later) and [the picture](img/x.png).\n"
	edits := []struct {
		name  string
		files map[string]string // new content; "" deletes
	}{
		{"body", map[string]string{"content/weekly/b.md": "+++\ntitle = \"B guide\"\nweight = 20\n+++\n## Only\n\nA new line.\n"}},
		{"title", map[string]string{"content/weekly/b.md": "+++\ntitle = \"B, renamed\"\nweight = 20\n+++\n## Only\n"}},
		{"weight", map[string]string{"content/weekly/b.md": "+++\ntitle = \"B guide\"\nweight = 5\n+++\n## Only\n"}},
		{"heading", map[string]string{"content/weekly/b.md": "+++\ntitle = \"B guide\"\nweight = 20\n+++\n## Another\n"}},
		{"body of a coached guide", map[string]string{"content/weekly/a.md": strings.Replace(goodFile("content/weekly/a.md"), "Intro paragraph", "A new intro paragraph", 1)}},
		{"body of two neighbours", map[string]string{
			"content/weekly/a.md": strings.Replace(goodFile("content/weekly/a.md"), "Intro paragraph", "A new intro paragraph", 1),
			"content/weekly/b.md": "+++\ntitle = \"B guide\"\nweight = 20\n+++\n## Only\n\nA new line.\n",
		}},
		{"heading linked by address", map[string]string{"content/monthly/m.md": "Plain page with no front matter.\n\n## Later\n"}},
		{"coached heading renamed", map[string]string{"content/weekly/a.md": strings.Replace(goodFile("content/weekly/a.md"), "## Opportunity generation", "## Opportunities", 1)}},
		{"section title", map[string]string{"content/weekly/_index.md": "+++\ntitle = \"Every week\"\nweight = 1\n+++\n"}},
		{"new guide", map[string]string{"content/weekly/c.md": "+++\ntitle = \"C guide\"\nweight = 15\n+++\nSee [A](a.md).\n"}},
		{"new section", map[string]string{"content/quarterly/q.md": "# Quarter\n"}},
		{"rename", map[string]string{"content/weekly/b.md": "", "content/weekly/bee.md": "+++\ntitle = \"B guide\"\nweight = 20\n+++\n## Only\n"}},
		{"delete", map[string]string{"content/weekly/b.md": ""}},
		{"delete picture", map[string]string{"content/img/x.png": ""}},
		{"new picture", map[string]string{"content/img/y.png": "PNG"}},
		{"draft", map[string]string{"content/weekly/b.md": "+++\ntitle = \"B guide\"\ndraft = true\n+++\n## Only\n"}},
		{"broken", map[string]string{"content/weekly/b.md": "+++\ntitle = \"B guide\n+++\n## Only\n"}},
	}
	for _, e := range edits {
		t.Run(e.name, func(t *testing.T) {
			fsys := sitetest.FS(goodSite)
			fsys["content/linker.md"] = &fstest.MapFile{Data: []byte(linked)}
			fsys["content/img/x.png"] = &fstest.MapFile{Data: []byte("PNG")}
			s, _ := Load(fsys, Options{BasePath: "/pb/"})
			keep := map[string]*Page{}
			for f, p := range s.byFile {
				keep[f] = p
			}
			files := sitetest.Edit(fsys, e.files)
			diags, ok := s.Apply(fsys, files)
			if !ok {
				t.Fatal("Apply gave up")
			}
			want, wantDiags := Load(fsys, Options{BasePath: "/pb/"})
			if got, want := outline(s), outline(want); got != want {
				t.Errorf("after Apply:\n%s\nafter Load:\n%s", got, want)
			}
			checkLinked(t, s)
			if diags.Summary() != wantDiags.Summary() {
				t.Errorf("problems: %s, want %s", diags.Summary(), wantDiags.Summary())
			}
			// Pages that neither changed nor link to a change are kept as they were.
			if _, edited := e.files["content/monthly/m.md"]; !edited && s.byFile["content/monthly/m.md"] != keep["content/monthly/m.md"] {
				t.Error("an unrelated guide was read again")
			}
		})
	}
}

func TestApplyGivesUpOnFolders(t *testing.T) {
	fsys := sitetest.FS(goodSite)
	s, _ := Load(fsys, Options{})
	fsys["content/new/a.md"] = &fstest.MapFile{Data: []byte("# A\n")}
	if _, ok := s.Apply(fsys, []string{"content/new"}); ok {
		t.Error("a new folder must be loaded in full")
	}
	if _, ok := s.Apply(fsys, []string{"content/gone"}); ok {
		t.Error("a folder that went away must be loaded in full")
	}
	if _, ok := s.Apply(fsys, []string{"content"}); ok {
		t.Error("the content folder itself must be loaded in full")
	}
}

// goodFile is the text of a file of goodSite.
func goodFile(name string) string { return string(sitetest.FS(goodSite)[name].Data) }
