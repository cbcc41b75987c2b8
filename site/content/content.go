// Package content owns the coaching guides: the markdown files under
// content/, their TOML front matter, the sections their folders make, the
// links between them, and the one goldmark setup that turns them into HTML.
//
// A guide is a markdown file with optional front matter between "+++" lines:
//
//	+++
//	title = "Weekly sales activity meeting"
//	cadence = "weekly"        # weekly | monthly | quarterly | as-needed
//	duration = "30m"          # 30m, 1h, 1h30m
//	weight = 10               # order within its section; unset sorts last
//	summary = "One line for lists and search."
//	prepare = ["Open the rep's weekly report"]
//	draft = false             # true leaves the guide out of the build
//
//	[[agenda]]
//	item = "Last week's commitments"
//	minutes = 5
//
//	[[coaches]]               # this heading's section coaches this metric
//	metric = "activity.meetings_set"
//	section = "opportunity-generation"
//	cadence = "week"          # optional: the report it serves (default: the guide's cadence)
//	pattern = true            # optional: it coaches a pattern of misses, not one miss
//	+++
//
// content/weekly/activity-meeting.md is published at /weekly/activity-meeting/;
// a folder is a section, and its _index.md (same keys, no agenda) gives the
// section's title, order and introduction; content/_index.md is the home
// page's text. Heading ids come from the heading text ("## Opportunity
// generation" is #opportunity-generation) or are set as {#my-id}.
//
// Links between guides are written to the markdown file, relative to the
// guide or from the content root: [one-on-one](../monthly/one-on-one.md#deals)
// or [one-on-one](/monthly/one-on-one.md). Site paths (/weekly/) work too.
// Every internal link is checked, fragment included, and rewritten to the
// published address under base_url. Other files under content/ (images,
// PDFs) are published at the same path.
//
// Problems are diagnostics at the file and line: an unknown cadence or
// metric, a [[coaches]] section that is not a heading of the guide, a broken
// link, and (as a warning) an agenda whose minutes do not add up to the
// duration.
package content

import (
	"bytes"
	"cmp"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"path"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/coachbook/coachbook/site/diag"
	"github.com/coachbook/coachbook/site/internal/linkfs"
	"github.com/coachbook/coachbook/site/internal/par"
	"github.com/coachbook/coachbook/site/metric"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	gmhtml "github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// Dir is the folder that holds the guides.
const Dir = "content"

// Cadences a guide may declare, in the order of the coaching rhythm.
var Cadences = []string{"weekly", "monthly", "quarterly", "as-needed"}

// Options are the site settings that change how guides are read and linked.
type Options struct {
	BasePath  string // "/" or "/playbook/": prefix of every internal link
	RawHTML   bool   // let raw HTML in markdown through
	ReportsOn bool   // report pages exist: /reports/ links are valid, coach notes link the metrics page
	Drafts    bool   // include guides marked draft
	// LinksOutside publishes files that symbolic links under content/
	// point to outside the site; off, such a link is an error.
	LinksOutside bool
	// Words gives the few words the guides' rendering adds (a coach
	// note's label, a metric's name, a callout's title, a table's name)
	// in the site's language, by the key of the theme's strings file;
	// nil, or a key it does not know, keeps the English.
	Words Words
}

// Words looks up the text of a key of the theme's strings file with its
// arguments.
type Words func(key string, args ...any) (string, bool)

// word is w's text of key, or english when w does not know it.
func (w Words) word(english, key string, args ...any) string {
	if w != nil {
		if s, ok := w(key, args...); ok {
			return s
		}
	}
	return english
}

// linkOutside reports whether the symbolic link at p (a site path) points
// outside the site, and where. A link that cannot be read counts as
// outside.
func linkOutside(site fs.FS, p string) (string, bool) {
	return linkfs.Outside(site, p)
}

// Site is the loaded content: a tree of sections and the guides in reading
// order. It is computed once per build; templates only read it.
type Site struct {
	Root     *Section   // the home section; Root.Index is content/_index.md
	Sections []*Section // every section but the root, depth first in order
	Pages    []*Page    // every guide in reading order, with Prev and Next set
	Files    []string   // other files under content/, as site paths ("img/x.png")
	// Coaching maps a metric id to the guide sections that coach it.
	Coaching map[string][]Coaching

	opts Options
	md   goldmark.Markdown
	// What Apply needs to bring the site up to date after an edit without
	// reading the other files again: every guide by file, each markdown
	// file's own problems (also for files that did not parse), and the
	// problems of the content folder and of the whole site.
	byFile     map[string]*Page
	byURL      map[string]*Page // every guide by address, laid out by assemble
	fileDiags  map[string]diag.List
	walkDiags  diag.List
	shapeDiags diag.List
	parsed     uint64 // pages parsed so far, for Page.Version
}

// Coaching is one guide section that coaches a metric.
type Coaching struct {
	Page    *Page
	Section string // heading id
	Heading string // heading text
	// Cadence is the report the section is written for: "week", "month",
	// "quarter", or "" for any (a skills guide).
	Cadence string
	// Pattern marks a section about a pattern of misses rather than one miss.
	Pattern bool
}

// Section is a folder of guides.
type Section struct {
	Dir      string // "weekly", "" for the root
	URL      string // site path, "/weekly/"
	Title    string
	Weight   int
	Summary  string
	Index    *Page // the _index.md page, nil when the folder has none
	Pages    []*Page
	Sections []*Section
	Parent   *Section
}

// Page is one guide (or a section's _index.md).
type Page struct {
	File     string // path in the site, "content/weekly/activity-meeting.md"
	URL      string // site path, "/weekly/activity-meeting/"
	IsIndex  bool   // an _index.md
	Section  *Section
	Title    string
	Cadence  string
	Duration time.Duration
	Weight   int
	Summary  string
	Prepare  []string
	Agenda   []AgendaItem
	Coaches  []Coach
	Draft    bool
	Headings []Heading
	Body     template.HTML
	// Parts is the page's plain text cut at its headings, for the search
	// index: every word of the body, lists and tables included.
	Parts      []Part
	Prev, Next *Page

	src   []byte
	doc   ast.Node
	lines []int // byte offset of each line start, for positions
	// draft is the body as rendered when the guide is read, each link
	// and image destination standing as mark+index+"e" until the links
	// are resolved (see draft and render): the markdown is parsed once.
	draft string
	mark  string
	keys  map[string]int
	links []link
	// refs are the targets of the page's internal links, as paths under
	// content/ without slashes around ("weekly/a.md", "weekly/a"): the
	// page must be linked again when one of them changes.
	refs []string
	// linkDiags are the problems found linking and rendering the page.
	linkDiags diag.List
	version   uint64
}

// Version tells one reading of a guide from another: it changes each time
// the page is read or linked again, and only then, so a page whose version
// is the same shows the same front matter and body.
func (p *Page) Version() uint64 { return p.version }

// AgendaItem is one [[agenda]] entry.
type AgendaItem struct {
	Item    string
	Minutes int
	// Start is the minute the item starts, counted from the meeting's start.
	Start int
}

// Coach is one [[coaches]] entry.
type Coach struct {
	Metric  string
	Section string
	Cadence string // week, month, quarter; "" for any
	Pattern bool
	Def     metric.Def
}

// reportCadence maps a cadence word of a guide or a [[coaches]] entry to
// the report cadence it serves ("" for as-needed or blank: any report).
func reportCadence(c string) (string, bool) {
	switch strings.ToLower(strings.TrimSpace(c)) {
	case "week", "weekly":
		return "week", true
	case "month", "monthly":
		return "month", true
	case "quarter", "quarterly":
		return "quarter", true
	case "", "as-needed", "any":
		return "", true
	}
	return "", false
}

// Part is a stretch of a guide's body: the text before its first heading
// (ID and Heading empty), or one heading's section up to the next heading.
type Part struct {
	ID, Heading string
	Text        string
}

// Heading is a heading of a guide's body.
type Heading struct {
	Level int
	ID    string
	Text  string
	Line  int
}

// link is a link or image of a guide's body: its destination as written,
// its line, and where it points once resolved (nil: leave it as written).
type link struct {
	dest     []byte
	line     int
	resolved []byte
}

// linkNodes lists the links and images of a document in the order both
// collect and render meet them (links inside headings are not followed).
func linkNodes(doc ast.Node) []ast.Node {
	var out []ast.Node
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n.(type) {
		case *ast.Heading:
			return ast.WalkSkipChildren, nil
		case *ast.Link, *ast.Image:
			out = append(out, n)
		}
		return ast.WalkContinue, nil
	})
	return out
}

// TOC returns the level 2 and 3 headings, for the in-page table of contents.
func (p *Page) TOC() []Heading {
	var toc []Heading
	for _, h := range p.Headings {
		if h.Level == 2 || h.Level == 3 {
			toc = append(toc, h)
		}
	}
	return toc
}

// AgendaMinutes is the sum of the agenda's minutes.
func (p *Page) AgendaMinutes() int {
	n := 0
	for _, a := range p.Agenda {
		n += a.Minutes
	}
	return n
}

// Minutes is the duration in whole minutes.
func (p *Page) Minutes() int { return int(p.Duration / time.Minute) }

type frontMatter struct {
	Title    string
	Cadence  string
	Duration string
	Weight   int
	Summary  string
	Prepare  []string
	Draft    bool
	Agenda   []struct {
		Item    string
		Minutes int
	}
	Coaches []struct {
		Metric  string
		Section string
		Cadence string
		Pattern bool
	}
}

// Load reads every guide under content/ in site. The Site is returned even
// when there are errors, so that every problem can be reported at once.
func Load(site fs.FS, opts Options) (*Site, diag.List) {
	if opts.BasePath == "" {
		opts.BasePath = "/"
	}
	s := &Site{opts: opts, byFile: map[string]*Page{}, fileDiags: map[string]diag.List{}}
	var mdFiles []string
	err := fs.WalkDir(site, Dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if p == Dir && errors.Is(err, fs.ErrNotExist) {
				return fs.SkipAll
			}
			s.walkDiags.Errorf(p, 0, "cannot read: %v", err)
			return nil
		}
		name := d.Name()
		if p != Dir && Ignored(name) {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if r, bad := diag.Control(name); bad {
			s.walkDiags.Errorf(p, 0, "the name holds a control character (%U), which no published address may; rename it", r)
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			return nil
		}
		if d.Type()&fs.ModeSymlink != 0 && !opts.LinksOutside {
			if target, outside := linkOutside(site, p); outside {
				s.walkDiags.Errorf(p, 0, "is a symbolic link to %s, outside the site; coachbook does not publish files from outside the site: copy the file into content/, or set [content] allow_links_outside = true in coachbook.toml", target)
				return nil
			}
		}
		if strings.HasSuffix(name, ".md") {
			mdFiles = append(mdFiles, p)
		} else {
			s.Files = append(s.Files, strings.TrimPrefix(p, Dir+"/"))
		}
		return nil
	})
	if err != nil {
		s.walkDiags.Errorf(Dir, 0, "cannot read the content folder: %v", err)
	}

	metricsURL := ""
	if opts.ReportsOn {
		metricsURL = opts.BasePath + "reports/metrics/"
	}
	s.md = newMarkdown(opts.RawHTML, metricsURL, opts.Words)
	s.parse(site, mdFiles)
	s.link(s.assemble())
	return s, s.Diags()
}

// parse reads the given markdown files, on every core, and files their
// pages and problems. A file that does not parse, or is a draft left out,
// has no page.
func (s *Site) parse(site fs.FS, files []string) []*Page {
	pages := make([]*Page, len(files))
	pageDiags := make([]diag.List, len(files))
	par.Do(len(files), func(i int) {
		pages[i], pageDiags[i] = parsePage(site, files[i], s.md)
	})
	var kept []*Page
	for i, f := range files {
		s.fileDiags[f] = pageDiags[i]
		p := pages[i]
		if p == nil || (p.Draft && !s.opts.Drafts) {
			delete(s.byFile, f)
			continue
		}
		s.byFile[f] = p
		kept = append(kept, p)
	}
	return kept
}

// assemble lays out the section tree, the reading order and the coaching
// index again from every page, and returns the pages in file order.
func (s *Site) assemble() []*Page {
	files := make([]string, 0, len(s.byFile))
	for f := range s.byFile {
		files = append(files, f)
	}
	slices.SortFunc(files, walkOrder)
	pages := make([]*Page, len(files))
	for i, f := range files {
		pages[i] = s.byFile[f]
	}
	s.shapeDiags = s.assemblePages(pages, s.opts)
	s.byURL = make(map[string]*Page, len(pages))
	for _, p := range append(slices.Clone(s.Pages), s.indexPages()...) {
		s.byURL[p.URL] = p
	}
	return pages
}

// link resolves the links of the given pages and renders them, on every
// core.
func (s *Site) link(pages []*Page) {
	for _, p := range pages {
		s.parsed++
		p.version = s.parsed
	}
	s.resolvePageLinks(pages, s.opts)
	par.Do(len(pages), func(i int) {
		pages[i].render(s.opts.RawHTML)
	})
}

// Diags returns every problem of the content: of the folder, of each file,
// of the site as a whole and of each page's links, sorted.
func (s *Site) Diags() diag.List {
	var diags diag.List
	diags.Add(s.walkDiags...)
	for _, d := range s.fileDiags {
		diags.Add(d...)
	}
	diags.Add(s.shapeDiags...)
	for _, p := range s.byFile {
		diags.Add(p.linkDiags...)
	}
	diags.Sort()
	return diags
}

// walkOrder orders site paths as fs.WalkDir visits them: element by element,
// so that a folder's files come in name order and an incremental update
// lays the site out exactly as a full load does.
func walkOrder(a, b string) int {
	for {
		ea, ra, moreA := strings.Cut(a, "/")
		eb, rb, moreB := strings.Cut(b, "/")
		if c := cmp.Compare(ea, eb); c != 0 {
			return c
		}
		if !moreA || !moreB {
			return cmp.Compare(len(a), len(b))
		}
		a, b = ra, rb
	}
}

// Ignored reports whether a file or folder is left out: hidden files and the
// backup and swap files editors leave behind.
func Ignored(name string) bool {
	return strings.HasPrefix(name, ".") || strings.HasPrefix(name, "#") ||
		strings.HasSuffix(name, "~") || strings.HasSuffix(name, ".swp") ||
		strings.HasSuffix(name, ".swx") || strings.HasSuffix(name, ".tmp") ||
		name == "4913" // vim writes and deletes it to test the folder
}

// parsePage reads one markdown file: front matter, AST, headings, links.
func parsePage(site fs.FS, file string, md goldmark.Markdown) (*Page, diag.List) {
	var diags diag.List
	raw, err := fs.ReadFile(site, file)
	if err != nil {
		diags.Errorf(file, 0, "cannot read: %v", err)
		return nil, diags
	}
	fmText, body, err := SplitFrontMatter(raw)
	if err != nil {
		diags.Errorf(file, 1, "%v", err)
		return nil, diags
	}
	p := &Page{File: file, src: body, IsIndex: path.Base(file) == "_index.md"}
	p.lines = lineStarts(body)

	var fm frontMatter
	if fmText != nil {
		meta, err := diag.DecodeTOML(string(fmText), &fm)
		if err != nil {
			diags.Add(diag.FromTOML(file, 1, err))
		} else {
			p.keys = diag.KeyLines(string(fmText))
			for k, v := range p.keys {
				p.keys[k] = v + 1 // front matter line 1 is file line 2
			}
			for _, k := range meta.Undecoded() {
				diags.Warnf(file, p.keys[k.String()], "unknown front matter key %q is ignored; the keys are title, cadence, duration, weight, summary, prepare, draft, [[agenda]] and [[coaches]]", k.String())
			}
		}
	}
	diags.Add(p.applyFrontMatter(fm)...)

	if d, ok := guideCost(file, body); !ok {
		diags.Add(d)
		return nil, diags
	}
	ctx := parser.NewContext()
	p.doc = md.Parser().Parse(text.NewReader(body), parser.WithContext(ctx))
	dressBlocks(p.doc, body)
	p.collect()
	// The syntax tree is many times the size of the text: render it now
	// with the links left to resolve, and let it go, so a large playbook
	// never holds every guide's tree at once, nor parses one twice.
	diags.Add(p.renderDraft(md)...)
	if p.Title == "" {
		p.Title = titleFromFile(file)
		for _, h := range p.Headings {
			if h.Level == 1 {
				p.Title = h.Text
				break
			}
		}
	}
	return p, diags
}

func (p *Page) applyFrontMatter(fm frontMatter) diag.List {
	var diags diag.List
	f := p.File
	p.Title = strings.TrimSpace(fm.Title)
	p.Weight = fm.Weight
	p.Summary = strings.TrimSpace(fm.Summary)
	p.Draft = fm.Draft
	for i, item := range fm.Prepare {
		if item = strings.TrimSpace(item); item == "" {
			diags.Warnf(f, p.keys["prepare"], "prepare item %d is empty; remove it or write what to prepare", i+1)
			continue
		}
		p.Prepare = append(p.Prepare, item)
	}
	p.Cadence = strings.ToLower(strings.TrimSpace(fm.Cadence))
	if p.Cadence != "" && !slices.Contains(Cadences, p.Cadence) {
		diags.Errorf(f, p.keys["cadence"], "unknown cadence %q; use one of %s", fm.Cadence, strings.Join(Cadences, ", "))
	}
	if fm.Duration != "" {
		d, err := time.ParseDuration(strings.ReplaceAll(fm.Duration, " ", ""))
		if err != nil || d <= 0 || d%time.Minute != 0 {
			diags.Errorf(f, p.keys["duration"], "duration %q is not a length of time; write it like \"30m\", \"45m\" or \"1h30m\"", fm.Duration)
		} else {
			p.Duration = d
		}
	}
	start := 0
	for i, a := range fm.Agenda {
		line := p.keys[fmt.Sprintf("agenda.%d", i)]
		item := strings.TrimSpace(a.Item)
		if item == "" {
			diags.Errorf(f, line, "agenda entry %d has no item; add item = \"what is discussed\"", i+1)
		}
		if a.Minutes < 0 {
			diags.Errorf(f, p.keys[fmt.Sprintf("agenda.%d.minutes", i)], "agenda entry %d has negative minutes (%d)", i+1, a.Minutes)
		}
		p.Agenda = append(p.Agenda, AgendaItem{Item: item, Minutes: a.Minutes, Start: start})
		start += max(a.Minutes, 0)
	}
	if len(p.Agenda) > 0 && p.Duration > 0 && start != p.Minutes() {
		diags.Warnf(f, p.keys["duration"], "the agenda adds up to %d minutes but the duration is %d minutes; change the agenda's minutes or the duration so they agree", start, p.Minutes())
	}
	for i, c := range fm.Coaches {
		line := p.keys[fmt.Sprintf("coaches.%d.metric", i)]
		if line == 0 {
			line = p.keys[fmt.Sprintf("coaches.%d", i)]
		}
		def, ok := metric.Lookup(strings.TrimSpace(c.Metric))
		if !ok {
			diags.Errorf(f, line, "unknown metric %q; use activity.<type> (like activity.meetings_set) or one of %s", c.Metric, strings.Join(metric.IDs(), ", "))
		}
		cad, ok := reportCadence(c.Cadence)
		if c.Cadence == "" {
			cad, _ = reportCadence(p.Cadence)
		} else if !ok {
			diags.Errorf(f, p.keys[fmt.Sprintf("coaches.%d.cadence", i)], "unknown cadence %q in [[coaches]]; use week, month or quarter (the report whose meeting the section serves), or leave it out", c.Cadence)
		}
		p.Coaches = append(p.Coaches, Coach{Metric: strings.TrimSpace(c.Metric), Section: strings.TrimSpace(c.Section), Cadence: cad, Pattern: c.Pattern, Def: def})
	}
	return diags
}

// collect walks the AST once for headings, links, the summary and the text.
func (p *Page) collect() {
	_ = ast.Walk(p.doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.Heading:
			h := Heading{Level: n.Level, Text: plainText(n, p.src), Line: p.blockLine(n)}
			if id, ok := n.AttributeString("id"); ok {
				h.ID = string(id.([]byte))
			}
			p.Headings = append(p.Headings, h)
			if n.Parent() == p.doc {
				p.Parts = append(p.Parts, Part{ID: h.ID, Heading: h.Text})
			}
			return ast.WalkSkipChildren, nil
		case *ast.Paragraph:
			t := plainText(n, p.src)
			if p.Summary == "" && !p.IsIndex {
				p.Summary = clip(t, 200)
			}
		}
		return ast.WalkContinue, nil
	})
	for _, n := range linkNodes(p.doc) {
		switch n := n.(type) {
		case *ast.Link:
			p.links = append(p.links, link{dest: n.Destination, line: p.inlineLine(n)})
		case *ast.Image:
			p.links = append(p.links, link{dest: n.Destination, line: p.inlineLine(n)})
		}
	}
	p.collectParts()
}

// collectParts fills each part's text from the blocks between its heading
// and the next one at the top level.
func (p *Page) collectParts() {
	parts := p.Parts
	p.Parts = []Part{{}}
	var txt strings.Builder
	for n := p.doc.FirstChild(); n != nil; n = n.NextSibling() {
		if _, ok := n.(*ast.Heading); ok && n.Parent() == p.doc && len(parts) > 0 {
			p.Parts[len(p.Parts)-1].Text = strings.Join(strings.Fields(txt.String()), " ")
			txt.Reset()
			p.Parts = append(p.Parts, parts[0])
			parts = parts[1:]
			continue
		}
		blockText(&txt, n, p.src)
	}
	p.Parts[len(p.Parts)-1].Text = strings.Join(strings.Fields(txt.String()), " ")
	if p.Parts[0].Text == "" {
		p.Parts = p.Parts[1:]
	}
}

// clip shortens s to at most n bytes at a word boundary, adding "…".
func clip(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) <= n {
		return s
	}
	cut := strings.LastIndexByte(s[:n], ' ')
	if cut < n/2 {
		cut = n
	}
	return strings.TrimRightFunc(s[:cut], func(r rune) bool { return unicode.IsPunct(r) || unicode.IsSpace(r) }) + "…"
}

// titleFromFile makes a title of a file name: "über-uns.md" is "Über uns".
// The first letter is upper-cased as a whole character, never as a byte,
// and bytes that are not UTF-8 are replaced, so the title is valid text.
func titleFromFile(file string) string {
	name := strings.TrimSuffix(path.Base(file), ".md")
	if name == "_index" {
		name = path.Base(path.Dir(file))
		if name == Dir {
			return ""
		}
	}
	name = strings.ToValidUTF8(strings.NewReplacer("-", " ", "_", " ").Replace(name), "\uFFFD")
	r, n := utf8.DecodeRuneInString(name)
	return string(unicode.ToUpper(r)) + name[n:]
}

func lineStarts(src []byte) []int {
	starts := []int{0}
	for i, c := range src {
		if c == '\n' {
			starts = append(starts, i+1)
		}
	}
	return starts
}

// lineOf returns the 1-based line of a byte offset of the body.
func (p *Page) lineOf(off int) int {
	return sort.Search(len(p.lines), func(i int) bool { return p.lines[i] > off })
}

func (p *Page) blockLine(n ast.Node) int {
	for ; n != nil; n = n.Parent() {
		if n.Type() == ast.TypeBlock && n.Lines().Len() > 0 {
			return p.lineOf(n.Lines().At(0).Start)
		}
	}
	return 0
}

// inlineLine finds the line of an inline node through its first text.
func (p *Page) inlineLine(n ast.Node) int {
	line := 0
	_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if t, ok := c.(*ast.Text); ok && entering {
			line = p.lineOf(t.Segment.Start)
			return ast.WalkStop, nil
		}
		return ast.WalkContinue, nil
	})
	if line == 0 {
		line = p.blockLine(n.Parent())
	}
	return line
}

// assemble builds the section tree, gives pages their URLs and order, and
// checks what needs more than one file: URL clashes and [[coaches]] sections.
func (s *Site) assemblePages(pages []*Page, opts Options) diag.List {
	var diags diag.List
	s.Root = &Section{URL: "/"}
	s.Sections, s.Pages = nil, nil
	sections := map[string]*Section{"": s.Root}
	var sectionFor func(dir string) *Section
	sectionFor = func(dir string) *Section {
		if sec, ok := sections[dir]; ok {
			return sec
		}
		parent := sectionFor(parentDir(dir))
		sec := &Section{Dir: dir, URL: "/" + slugPath(dir) + "/", Parent: parent, Title: titleFromFile(Dir + "/" + dir + "/_index.md")}
		sections[dir] = sec
		parent.Sections = append(parent.Sections, sec)
		return sec
	}
	byURL := map[string]*Page{}
	for _, p := range pages {
		rel := strings.TrimPrefix(p.File, Dir+"/")
		dir := path.Dir(rel)
		if dir == "." {
			dir = ""
		}
		sec := sectionFor(dir)
		p.Section, p.Prev, p.Next = sec, nil, nil
		if p.IsIndex {
			p.URL = sec.URL
			sec.Index = p
			sec.Weight = p.Weight
			if p.Title != "" {
				sec.Title = p.Title
			}
			sec.Summary = p.Summary
		} else {
			p.URL = fileURL(p.File)
			sec.Pages = append(sec.Pages, p)
		}
		if other, ok := byURL[p.URL]; ok {
			diags.Errorf(p.File, 0, "publishes at %s, like %s; rename one of the two files", p.URL, other.File)
		}
		byURL[p.URL] = p
		if opts.ReportsOn && (p.URL == "/reports/" || strings.HasPrefix(p.URL, "/reports/")) {
			diags.Errorf(p.File, 0, "content/reports/ is where the report pages are published; move the guide to another folder")
		}
		if p.URL == "/404/" {
			diags.Errorf(p.File, 0, "/404/ is the site's not-found page; rename the guide")
		}
	}
	if s.Root.Title == "" {
		s.Root.Title = "Home"
	}
	var order func(sec *Section)
	order = func(sec *Section) {
		slices.SortStableFunc(sec.Pages, func(a, b *Page) int { return byWeight(a.Weight, b.Weight, a.Title, b.Title) })
		slices.SortStableFunc(sec.Sections, func(a, b *Section) int { return byWeight(a.Weight, b.Weight, a.Title, b.Title) })
		s.Pages = append(s.Pages, sec.Pages...)
		for _, sub := range sec.Sections {
			s.Sections = append(s.Sections, sub)
			order(sub)
		}
	}
	order(s.Root)
	for i, p := range s.Pages {
		if i > 0 {
			p.Prev = s.Pages[i-1]
		}
		if i+1 < len(s.Pages) {
			p.Next = s.Pages[i+1]
		}
	}

	s.Coaching = map[string][]Coaching{}
	for _, p := range s.Pages {
		for i, c := range p.Coaches {
			line := p.keys[fmt.Sprintf("coaches.%d.section", i)]
			if line == 0 {
				line = p.keys[fmt.Sprintf("coaches.%d", i)]
			}
			h, ok := p.heading(c.Section)
			if !ok {
				diags.Errorf(p.File, line, "%s", p.missingHeading(c.Section))
				continue
			}
			if c.Def.ID != "" {
				s.Coaching[c.Def.ID] = append(s.Coaching[c.Def.ID], Coaching{Page: p, Section: h.ID, Heading: h.Text, Cadence: c.Cadence, Pattern: c.Pattern})
			}
		}
	}
	return diags
}

// Apply brings the site up to date after the given files changed (site
// paths under content/: edited, created or deleted), reading only those and
// the guides whose links point at them. Every other page keeps its parsed
// and rendered form; the order, sections and coaching index are laid out
// again from all pages. It returns every problem of the content, like Load.
// When a change is not one of files (a folder created, renamed or deleted)
// ok is false and the Site must not be used: the caller must Load again.
func (s *Site) Apply(site fs.FS, files []string) (diags diag.List, ok bool) {
	var md []string
	refs := map[string]bool{}
	before := map[string]*Page{} // the old readings of the files read again
	for _, f := range files {
		rel, inside := strings.CutPrefix(f, Dir+"/")
		if f == Dir {
			return nil, false // the whole folder came or went
		}
		if !inside || slices.ContainsFunc(strings.Split(rel, "/"), Ignored) {
			continue
		}
		st, err := fs.Stat(site, f)
		if err == nil && st.IsDir() {
			return nil, false
		}
		if _, bad := diag.Control(f); bad {
			return nil, false // Load reports it
		}
		if lst, err := fs.Lstat(site, f); err == nil && lst.Mode()&fs.ModeSymlink != 0 {
			return nil, false // Load decides whether it may be published
		}
		switch {
		case strings.HasSuffix(f, ".md"):
			md = append(md, f)
			if old := s.byFile[f]; old != nil {
				refs[strings.Trim(old.URL, "/")] = true
				before[f] = old
			}
		case err == nil && !slices.Contains(s.Files, rel):
			s.Files = append(s.Files, rel)
			slices.SortFunc(s.Files, walkOrder)
		case err != nil && slices.Contains(s.Files, rel):
			s.Files = slices.DeleteFunc(s.Files, func(x string) bool { return x == rel })
		case err != nil:
			return nil, false // not a file we know: perhaps a folder that went away
		}
		refs[rel] = true
	}
	for _, f := range md {
		delete(s.fileDiags, f)
		delete(s.byFile, f)
		refs[strings.Trim(fileURL(f), "/")] = true
	}
	// Pages that link to a changed page or file are read again: the
	// address or the heading they point at may have moved or gone.
	reread := slices.DeleteFunc(slices.Clone(md), func(f string) bool { return !exists(site, f) })
	var dependents []string
	for f, p := range s.byFile {
		if slices.ContainsFunc(p.refs, func(r string) bool { return refs[r] }) {
			dependents = append(dependents, f)
		}
	}
	slices.Sort(dependents)
	for _, f := range dependents {
		before[f] = s.byFile[f]
	}
	read := append(reread, dependents...)
	changed := s.parse(site, read)
	if len(read) != len(md)+len(dependents) || !s.replaceAll(before, read) {
		s.assemble() // a guide came, went or moved
	}
	s.link(changed)
	return s.Diags(), true
}

// fileURL is the address of the page of a markdown file under content/.
func fileURL(file string) string {
	rel := strings.TrimPrefix(file, Dir+"/")
	if path.Base(rel) == "_index.md" {
		if dir := path.Dir(rel); dir != "." {
			return "/" + slugPath(dir) + "/"
		}
		return "/"
	}
	return "/" + slugPath(strings.TrimSuffix(rel, ".md")) + "/"
}

func exists(site fs.FS, f string) bool {
	_, err := fs.Stat(site, f)
	return err == nil
}

// MeetingGuidesShown is how many guides a report page names for its meeting.
const MeetingGuidesShown = 3

// MeetingGuides lists, in reading order, the first MeetingGuidesShown
// guides written for a report cadence's meeting ("week": guides with
// cadence weekly, and so on).
func (s *Site) MeetingGuides(want string) []*Page {
	var out []*Page
	for _, p := range s.Pages {
		if c, _ := reportCadence(p.Cadence); c == want && c != "" {
			out = append(out, p)
			if len(out) == MeetingGuidesShown {
				break
			}
		}
	}
	return out
}

// indexPages returns the sections' _index.md pages.
func (s *Site) indexPages() []*Page {
	var out []*Page
	for _, sec := range append([]*Section{s.Root}, s.Sections...) {
		if sec.Index != nil {
			out = append(out, sec.Index)
		}
	}
	return out
}

func byWeight(wa, wb int, ta, tb string) int {
	// Weight 0 means "not set" and sorts after every weighted entry.
	ka, kb := wa, wb
	if ka == 0 {
		ka = 1 << 30
	}
	if kb == 0 {
		kb = 1 << 30
	}
	return cmp.Or(cmp.Compare(ka, kb), cmp.Compare(strings.ToLower(ta), strings.ToLower(tb)))
}

func parentDir(dir string) string {
	d := path.Dir(dir)
	if d == "." {
		return ""
	}
	return d
}

// slugPath makes a file path safe and tidy for a URL: lower case, spaces and
// other separators as "-", nothing but letters, digits, "-", "_" and "/".
func slugPath(p string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(p) {
		switch {
		case r == '/':
			b.WriteRune(r)
			dash = false
		case unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_' || r == '.':
			b.WriteRune(r)
			dash = false
		default:
			if !dash {
				b.WriteByte('-')
				dash = true
			}
		}
	}
	return b.String()
}

func (p *Page) heading(id string) (Heading, bool) {
	for _, h := range p.Headings {
		if h.ID == id {
			return h, true
		}
	}
	return Heading{}, false
}

// missingHeading explains a [[coaches]] section or #fragment that is not a
// heading id of the page, suggesting the id when the text of a heading was
// written instead.
func (p *Page) missingHeading(id string) string {
	for _, h := range p.Headings {
		if strings.EqualFold(h.Text, id) || strings.EqualFold(slugPath(h.Text), slugPath(id)) {
			return fmt.Sprintf("section %q is not a heading id of %s; the heading %q has id %q", id, p.File, h.Text, h.ID)
		}
	}
	ids := make([]string, 0, len(p.Headings))
	for _, h := range p.Headings {
		if h.Level > 1 {
			ids = append(ids, h.ID)
		}
	}
	if len(ids) == 0 {
		return fmt.Sprintf("section %q is not a heading of %s, which has no headings; add a \"## \" heading for it", id, p.File)
	}
	return fmt.Sprintf("section %q is not a heading of %s; its heading ids are %s", id, p.File, strings.Join(ids, ", "))
}

// resolvePageLinks resolves the links of the given pages against the site,
// rewrites them and notes what each page links to and the problems.
func (s *Site) resolvePageLinks(pages []*Page, opts Options) {
	byFile, byURL := s.byFile, s.byURL
	files := map[string]bool{}
	for _, f := range s.Files {
		files[f] = true
	}
	for _, p := range pages {
		p.refs, p.linkDiags = nil, nil
		for i, l := range p.links {
			dest, ref, problem := s.resolve(p, string(l.dest), byFile, byURL, files, opts)
			if ref != "" && !slices.Contains(p.refs, ref) {
				p.refs = append(p.refs, ref)
			}
			if problem != "" {
				p.linkDiags.Errorf(p.File, l.line, "%s", problem)
				continue
			}
			p.links[i].resolved = []byte(dest)
		}
	}
}

func (s *Site) resolve(p *Page, dest string, byFile, byURL map[string]*Page, files map[string]bool, opts Options) (out, ref, problem string) {
	if dest == "" || isExternal(dest) {
		return dest, ref, ""
	}
	target, frag, _ := strings.Cut(dest, "#")
	if i := strings.IndexByte(target, '?'); i >= 0 {
		target = target[:i]
	}
	if target == "" { // a fragment of this page
		if _, ok := p.heading(frag); !ok && frag != "" {
			return "", ref, fmt.Sprintf("link to #%s: %s", frag, p.missingHeading(frag))
		}
		return dest, ref, ""
	}
	var sitePath string // path under content/, no leading slash
	if strings.HasPrefix(target, "/") {
		sitePath = path.Clean(target)[1:]
	} else {
		sitePath = path.Join(path.Dir(strings.TrimPrefix(p.File, Dir+"/")), target)
	}
	ref = strings.Trim(strings.TrimPrefix(sitePath, "."), "/") // as Apply names a changed page: "weekly/a.md", "weekly/a", "" for the home page
	if sitePath == ".." || strings.HasPrefix(sitePath, "../") {
		return "", ref, fmt.Sprintf("link %q points outside the content folder", dest)
	}
	var page *Page
	switch {
	case strings.HasSuffix(sitePath, ".md"):
		page = byFile[Dir+"/"+sitePath]
		if page == nil {
			return "", ref, fmt.Sprintf("link %q: there is no guide %s/%s; check the file name and folder", dest, Dir, sitePath)
		}
	case files[sitePath]:
		return opts.BasePath + sitePath + fragSuffix(frag), ref, ""
	case sitePath == "reports" || strings.HasPrefix(sitePath, "reports/"):
		if !opts.ReportsOn {
			return "", ref, fmt.Sprintf("link %q goes to the reports, which this build leaves out (reports.enabled = false); link to a guide instead", dest)
		}
		return opts.BasePath + strings.TrimSuffix(sitePath, "/") + "/" + fragSuffix(frag), ref, ""
	default:
		url := "/" + strings.Trim(sitePath, "/") + "/"
		if sitePath == "." || sitePath == "" {
			url = "/"
		}
		page = byURL[url]
		if page == nil {
			return "", ref, fmt.Sprintf("link %q goes nowhere in this site; link to a guide's .md file (like ../monthly/one-on-one.md) or a file under content/", dest)
		}
	}
	if frag != "" {
		if _, ok := page.heading(frag); !ok {
			return "", ref, fmt.Sprintf("link %q: %s", dest, page.missingHeading(frag))
		}
	}
	return opts.BasePath + strings.TrimPrefix(page.URL, "/") + fragSuffix(frag), ref, ""
}

func fragSuffix(frag string) string {
	if frag == "" {
		return ""
	}
	return "#" + frag
}

func isExternal(dest string) bool {
	if strings.HasPrefix(dest, "//") {
		return true
	}
	i := strings.IndexByte(dest, ':')
	if i <= 0 {
		return false
	}
	for _, r := range dest[:i] {
		if !(unicode.IsLetter(r) || unicode.IsDigit(r) || r == '+' || r == '-' || r == '.') {
			return false
		}
	}
	return true
}

// renderDraft adds coach notes and heading anchors to the AST and renders
// it, each link's destination standing as a mark that render replaces once
// the links are resolved; then it lets the AST and source go.
func (p *Page) renderDraft(md goldmark.Markdown) diag.List {
	coached := map[string][]metric.Def{}
	for _, c := range p.Coaches {
		if c.Def.ID != "" {
			coached[c.Section] = append(coached[c.Section], c.Def)
		}
	}
	var nonce [8]byte
	_, _ = rand.Read(nonce[:])
	p.mark = "cbl" + hex.EncodeToString(nonce[:]) + "n" // letters and digits: written as is
	for i, n := range linkNodes(p.doc) {
		dest := []byte(p.mark + strconv.Itoa(i) + "e")
		switch n := n.(type) {
		case *ast.Link:
			n.Destination = dest
		case *ast.Image:
			n.Destination = dest
		}
	}
	var headings []*ast.Heading
	_ = ast.Walk(p.doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if h, ok := n.(*ast.Heading); ok && entering {
			headings = append(headings, h)
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
	for _, h := range headings {
		idv, ok := h.AttributeString("id")
		if !ok {
			continue
		}
		id := string(idv.([]byte))
		if defs := coached[id]; len(defs) > 0 {
			h.SetAttributeString("class", []byte("coaches"))
			h.Parent().InsertAfter(h.Parent(), h, &CoachNote{Metrics: defs})
		}
		if h.Level >= 2 && h.Level <= 4 {
			a := ast.NewLink()
			a.Destination = []byte("#" + id)
			a.SetAttributeString("class", []byte("anchor"))
			a.SetAttributeString("title", []byte("Link to this section"))
			a.AppendChild(a, ast.NewString([]byte("#")))
			h.AppendChild(h, a)
		}
	}
	var buf bytes.Buffer
	var diags diag.List
	if err := md.Renderer().Render(&buf, p.src, p.doc); err != nil {
		diags.Errorf(p.File, 0, "cannot render the markdown: %v", err)
	}
	p.draft = buf.String()
	// The AST and source are no longer needed; let them go.
	p.doc, p.src, p.lines = nil, nil, nil
	return diags
}

// render puts each link's destination, resolved (or as written), in the
// place of its mark in the draft, escaped as the markdown renderer escapes
// it; a dangerous one (javascript:) is left out unless raw HTML is on.
func (p *Page) render(unsafe bool) {
	if p.mark == "" {
		return // rendered already
	}
	var b strings.Builder
	b.Grow(len(p.draft))
	rest := p.draft
	for {
		i := strings.Index(rest, p.mark)
		if i < 0 {
			break
		}
		b.WriteString(rest[:i])
		rest = rest[i+len(p.mark):]
		end := strings.IndexByte(rest, 'e')
		n, err := strconv.Atoi(rest[:max(end, 0)])
		if end < 0 || err != nil || n >= len(p.links) {
			b.WriteString(p.mark)
			continue
		}
		rest = rest[end+1:]
		dest := p.links[n].resolved
		if dest == nil {
			dest = p.links[n].dest
		}
		escaped := util.URLEscape(dest, true)
		if unsafe || !gmhtml.IsDangerousURL(escaped) {
			b.Write(util.EscapeHTML(escaped))
		}
	}
	b.WriteString(rest)
	p.Body = template.HTML(b.String())
	p.draft, p.mark, p.links = "", "", nil
}
