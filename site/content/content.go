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
	"html/template"
	"io/fs"
	"time"

	"github.com/coachbook/coachbook/site/diag"
	"github.com/coachbook/coachbook/site/metric"
	"github.com/yuin/goldmark"
)

// The package's files, one job each, in the order a build meets them:
// walk.go lists the files under content/; guide.go reads each markdown file
// into a guide (see there for a guide's way to a Page), frontmatter.go
// splits and checks its front matter, collect.go walks its syntax tree
// for headings, search text and links, and render.go renders it with its
// links left to resolve; sections.go lays out the sections and the
// reading order, coaching.go indexes which guide sections coach which
// metric; links.go resolves the links and renders the bodies; apply.go
// brings a loaded Site up to date after an edit. markdown.go, blocks.go
// and highlight.go are the goldmark setup, cost.go bounds what one guide
// may cost to read.

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

// Page is one guide (or a section's _index.md). Its front matter,
// headings, search text, Body and version are fixed once it is read and
// linked (see guide in guide.go); Section, URL, Prev and Next are laid out
// with the site, again after an edit that changes its shape. (A build
// that renders every page once lets render empty Body and Parts once they
// are written, to save memory.)
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

	// coachLines is the front matter line of each [[coaches]] entry's
	// section (or of the entry), for the problems assemble finds there.
	coachLines []int
	// What linking found, once, when the page was read (see guide): the
	// targets of the page's internal links, as paths under content/
	// without slashes around ("weekly/a.md", "weekly/a"), for the page
	// must be read again when one of them changes; the problems of its
	// links; and which reading of the site's guides it is.
	refs      []string
	linkDiags diag.List
	version   uint64
}

// Version tells one reading of a guide from another: each reading of a
// file is a new Page with a new version, so a page whose version is the
// same shows the same front matter and body. (Its section, address and
// neighbours are laid out again with the site, version or not.)
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

// Load reads every guide under content/ in site. The Site is returned even
// when there are errors, so that every problem can be reported at once.
func Load(site fs.FS, opts Options) (*Site, diag.List) {
	if opts.BasePath == "" {
		opts.BasePath = "/"
	}
	s := &Site{opts: opts, byFile: map[string]*Page{}, fileDiags: map[string]diag.List{}}
	var mdFiles []string
	mdFiles, s.Files, s.walkDiags = walk(site, opts)
	metricsURL := ""
	if opts.ReportsOn {
		metricsURL = opts.BasePath + "reports/metrics/"
	}
	s.md = newMarkdown(opts.RawHTML, metricsURL, opts.Words)
	guides := s.parse(site, mdFiles)
	s.assemble()
	s.link(guides)
	return s, s.Diags()
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
