// Package render owns the theme's templates and everything they are given:
// typed page data, the template functions, the navigation (rendered once per
// build), the static assets with their fingerprints, and the small files
// every published site needs (404.html, sitemap.xml, robots.txt, .nojekyll,
// the search index). It renders into a Sink and never touches the disk
// itself, so the build can write to a temporary folder and the dev server
// can keep everything in memory.
//
// Layouts live in the theme's layouts/ folder: base.html defines the page
// skeleton and calls {{template "main" .}}; home.html, section.html,
// guide.html and 404.html each define "main" for their kind of page;
// partials/*.html are shared by all. Each kind receives its own struct type
// (HomePage, SectionPage, GuidePage, NotFoundPage), all embedding Base, so a
// misspelt field fails the build with the template's file and line.
//
// Template functions: url (a site path under the base path), asset (a
// static file's URL with a content hash for caching), clock (minutes as
// 0:05), mins (a duration as "30 min"), cadence (a cadence's label).
package render

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash/maphash"
	"html/template"
	"io/fs"
	"math"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/coachbook/coachbook/site/changes"
	"github.com/coachbook/coachbook/site/config"
	"github.com/coachbook/coachbook/site/content"
	"github.com/coachbook/coachbook/site/diag"
	"github.com/coachbook/coachbook/site/internal/par"
	"github.com/coachbook/coachbook/site/report"
	"github.com/coachbook/coachbook/site/search"
	"github.com/coachbook/coachbook/themes"
)

// Sink receives rendered files. Paths are slash-separated and relative to
// the output root ("weekly/activity-meeting/index.html"). Write must be safe
// for concurrent use.
type Sink interface {
	Write(path string, data []byte) error
}

// Kinds are the page layouts of the playbook.
var Kinds = []string{"home", "section", "guide", "404", "whats-new"}

// Renderer renders the playbook and the report pages. It is three parts,
// each its own type: the theme (templates, words and assets, as New read
// them, never changed after), the sidebars (built anew by each rendering
// of the playbook, see nav.go) and the memo of what the last renderings
// made (keys, the files left for later, the search index), which lets a
// rendering after an edit redo only what changed. Their fields are
// promoted, so r.tmpl is r.theme.tmpl.
type Renderer struct {
	cfg     *config.Config
	site    fs.FS
	Meta    *Meta
	version string
	// today is the build's day, from which the "what's new" page looks
	// back.
	today time.Time
	// once: the Renderer renders every page once (a build, not serve,
	// which renders pages again after edits), so each guide's rendered
	// body is emptied once its page is written.
	once bool
	themeParts
	sidebars
	renderMemo

	// Caches and buffers shared by the report pages rendered in
	// parallel: keyFields caches, by struct type, the fields report keys
	// leave out; keyBufs holds the buffers and hashes report pages are
	// summed with; pageBufs the buffers they are rendered into; defNames
	// the catalog's name of each metric id (see defName).
	keyFields sync.Map
	keyBufs   sync.Pool
	pageBufs  sync.Pool
	defNames  sync.Map
}

// themeParts is the theme as New read it: its layouts parsed, its words in
// the site's language and its static files fingerprinted.
type themeParts struct {
	theme fs.FS
	tmpl  map[string]*template.Template
	// reportTmpl holds the report layouts as parsed, never executed: each
	// Reports call clones them with the template functions that join the
	// numbers to the playbook it is given (coach, meetingGuides).
	reportTmpl map[string]*template.Template
	assets     map[string]string // static path -> URL with ?v=hash
	statics    []string
	// str holds the theme's words in the site's language; jsStrings
	// those of its [search] and (when reports are encrypted) [unlock]
	// tables, which the scripts show.
	str       *Strings
	jsStrings template.JS
	// importMap maps the address of each of the theme's scripts to the
	// address with its version, as JSON for base.html's import map: the
	// modules import one another by plain relative names.
	importMap template.HTML
}

// sidebars are the navigation of the pages, built by buildNav for each
// rendering of the playbook.
type sidebars struct {
	navByDir map[string]*NavTree
	navKey   map[string]uint64 // a hash of each sidebar of navByDir
	navSig   uint64            // a hash of what the sidebars show
	// navReports is the sidebar of the report pages: sections only.
	navReports *NavTree
}

// renderMemo is what the Renderer remembers of its last renderings of the
// playbook, so that the next one renders only what changed.
type renderMemo struct {
	// rendered holds the key of each playbook file last rendered (see
	// ChangedFirst).
	rendered map[string]fileKey
	round    uint64 // renderings so far, for rendered
	stale    bool   // the files last rendered were thrown away
	memo     []memo // see jobs
	// digests caches each guide's digest for its version.
	digests map[*content.Page]pageDigest
	// pending holds the files PlaybookFirst left for later, by path, with
	// the job that renders them as the guides are now; reuse and changes
	// are the Inputs the last rendering was handed, kept for them.
	pending map[string]job
	reuse   Reuser
	changes map[string]changes.Change
	// seed tells one reading of a guide's search entry from another in
	// this process (see searchSources).
	seed maphash.Seed
	// search is the playbook's search index, kept between renderings so
	// that ChangedFirst updates the guides that changed only.
	search *search.Index
}

// Meta is what every page knows about the site.
type Meta struct {
	Title       string
	Description string
	Lang        string
	BasePath    string
	ReportsOn   bool
	Version     string
	Built       string // date of the build, 2006-01-02
	BuiltOn     string // the same, as the site's language writes it
}

// Base is embedded in every page's data.
type Base struct {
	Site        *Meta
	Kind        string
	Title       string // the page's own title; the <title> adds the site's
	Description string
	URL         string // site path, "/weekly/"
	Nav         Nav
	Crumbs      []Crumb
	NoIndex     bool
	// ShowBuilt marks the pages that show the build date: the home page
	// and the reports' index. Other pages leave it out, so that a build a
	// day later need not rewrite them.
	ShowBuilt bool
}

// Crumb is one step of the breadcrumbs.
type Crumb struct{ Title, URL string }

// HomePage is the data of home.html.
type HomePage struct {
	Base
	Intro    template.HTML
	Rhythm   []CadenceGroup
	Sections []*content.Section
	// Sites link the sites of an org published as several ([[sites]]),
	// on the leadership site (a build of no part).
	Sites []SiteLink
}

// SiteLink is one part of the org, on the leadership site's home page.
type SiteLink struct {
	Title, URL string
}

// CadenceGroup lists the guides of one cadence, for the home page.
type CadenceGroup struct {
	Cadence string
	Label   string
	Blurb   string
	Guides  []*content.Page
}

// SectionPage is the data of section.html.
type SectionPage struct {
	Base
	Section *content.Section
}

// GuidePage is the data of guide.html.
type GuidePage struct {
	Base
	Guide *content.Page
	// Changed is the guide's last change; a zero Date when unknown.
	Changed changes.Change
}

// NotFoundPage is the data of 404.html.
type NotFoundPage struct {
	Base
	Sections []*content.Section
}

// New parses the theme's layouts and fingerprints its static files.
func New(cfg *config.Config, site fs.FS, version string, today time.Time, once bool) (*Renderer, diag.List) {
	var diags diag.List
	theme, err := themes.Resolve(site, cfg.Theme)
	if err != nil {
		diags.Errorf(config.File, 0, "%v", err)
		return nil, diags
	}
	str, d := LoadStrings(site, cfg.Theme, cfg.Language)
	diags.Add(d...)
	r := &Renderer{cfg: cfg, site: site, version: version, today: today, once: once,
		themeParts: themeParts{str: str, theme: theme, tmpl: map[string]*template.Template{}, reportTmpl: map[string]*template.Template{}, assets: map[string]string{}},
		renderMemo: renderMemo{seed: maphash.MakeSeed()}}
	js := map[string]string{}
	// The [unlock] words are for the unlock script, which only encrypted
	// reports load: a site published in the clear leaves out their 1.9 kB
	// on every page.
	sealed := cfg.Reports.On() && cfg.EncryptReports()
	for _, k := range str.Keys() {
		if strings.HasPrefix(k, "search.") || sealed && strings.HasPrefix(k, "unlock.") {
			e := str.words[k]
			js[k] = e.other
			if e.one != e.other {
				js[k+".one"] = e.one
			}
		}
	}
	// Encoded once, as the template would encode the map on every page
	// (json.Marshal escapes <, > and & so no </script> can end it).
	if b, err := json.Marshal(js); err == nil {
		r.jsStrings = template.JS(b)
	}
	r.Meta = &Meta{
		Title: cfg.Title, Description: cfg.Description, Lang: cfg.Language, BasePath: cfg.BasePath,
		ReportsOn: cfg.Reports.On(), Version: version, Built: today.Format("2006-01-02"), BuiltOn: str.Date(today),
	}
	if err := fs.WalkDir(theme, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := fs.ReadFile(theme, p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(data)
		rel := strings.TrimPrefix(p, "static/")
		r.assets[rel] = cfg.BasePath + rel + "?v=" + hex.EncodeToString(sum[:4])
		r.statics = append(r.statics, p)
		return nil
	}); err != nil {
		diags.Errorf("themes/"+cfg.Theme, 0, "cannot read the theme's static files: %v", err)
	}
	r.importMap = importMap(r.assets, cfg.BasePath)
	partials, err := fs.Glob(theme, "layouts/partials/*.html")
	if err != nil {
		diags.Errorf("themes/"+cfg.Theme, 0, "cannot list the theme's partials: %v", err)
	}
	for _, kind := range append(slices.Clone(Kinds), ReportKinds...) {
		files := append([]string{"layouts/base.html", "layouts/" + kind + ".html"}, partials...)
		t := template.New("base.html").Funcs(r.funcs()).Funcs(r.reportFuncs()).Funcs(r.flowFuncs())
		for _, f := range files {
			src, err := fs.ReadFile(theme, f)
			if err != nil {
				diags.Errorf(themes.Origin(site, cfg.Theme, f), 0, "cannot read layout: %v", err)
				continue
			}
			target := t // base.html is the root; giving New the root's name would reset the FuncMap
			if f != files[0] {
				target = t.New(path.Base(f))
			}
			if _, err := target.Parse(string(src)); err != nil {
				diags.Add(r.templateDiag(err))
			}
		}
		if slices.Contains(ReportKinds, kind) {
			r.reportTmpl[kind] = t
		} else {
			r.tmpl[kind] = t
		}
	}
	return r, diags
}

// tmplErrRE reads the position out of text/template errors ("template:
// base.html:39:15: ...") and html/template ones ("html/template:base.html:39:15: ...",
// "html/template:base.html: ...").
var tmplErrRE = regexp.MustCompile(`^(?:html/)?template: ?([^:\s]+)(?::(\d+))?(?::(\d+))?: (.*)`)

// templateDiag turns a template error into a diagnostic at the layout file,
// at its line and column when the error gives them.
func (r *Renderer) templateDiag(err error) diag.Diagnostic {
	var d diag.Diagnostic
	if errors.As(err, &d) {
		return d
	}
	m := tmplErrRE.FindStringSubmatch(err.Error())
	if m == nil {
		return diag.Diagnostic{File: "themes/" + r.cfg.Theme, Msg: err.Error()}
	}
	file := "layouts/" + m[1]
	if !slices.Contains(append(append(slices.Clone(Kinds), ReportKinds...), "base"), strings.TrimSuffix(m[1], ".html")) {
		if _, err := fs.Stat(r.theme, "layouts/partials/"+m[1]); err == nil {
			file = "layouts/partials/" + m[1]
		}
	}
	line, _ := strconv.Atoi(m[2])
	col, _ := strconv.Atoi(m[3])
	return diag.Diagnostic{File: themes.Origin(r.site, r.cfg.Theme, file), Line: line, Col: col, Msg: "template: " + strings.TrimPrefix(m[4], "template: ")}
}

// importMap is the import map of the theme's scripts: {"imports": {address:
// address with version}}. encoding/json escapes <, > and &, so the JSON
// cannot end the script element it is written in.
func importMap(assets map[string]string, base string) template.HTML {
	imports := map[string]string{}
	for rel, u := range assets {
		if strings.HasSuffix(rel, ".js") {
			imports[base+rel] = u
		}
	}
	b, _ := json.Marshal(map[string]any{"imports": imports})
	return template.HTML(b)
}

func (r *Renderer) funcs() template.FuncMap {
	return template.FuncMap{
		"url": r.url,
		"asset": func(p string) string {
			if u, ok := r.assets[p]; ok {
				return u
			}
			return r.url(p)
		},
		"clock": func(min int) string { return fmt.Sprintf("%d:%02d", min/60, min%60) },
		"mins": func(d time.Duration) string {
			m := int(d / time.Minute)
			if m >= 120 && m%60 == 0 {
				return r.tr("guide.hours_long", m/60)
			}
			return r.tr("guide.minutes_long", m)
		},
		"money": r.money,
		// moneyIn writes an amount in a currency other than the reports'
		// (a quota given in the rep's own); rate writes a currency rate
		// with the digits it needs.
		"moneyIn": func(v float64, code string) string { return r.str.Money(v, code+"\u00a0", 0) },
		"rate":    r.rate,
		// t is the theme's text of a key in the site's language; date,
		// month and num format for its locale.
		"t": r.str.T,
		"date": func(d any) string {
			switch d := d.(type) {
			case time.Time:
				return r.str.Date(d)
			case string: // a view's date written 2006-01-02
				if t, err := time.Parse(time.DateOnly, d); err == nil {
					return r.str.Date(t)
				}
			case interface{ Time() time.Time }: // civil.Date
				if v, ok := d.(interface{ Valid() bool }); ok && !v.Valid() {
					return ""
				}
				return r.str.Date(d.Time())
			}
			return fmt.Sprint(d)
		},
		"month": r.str.Month,
		"num":   r.str.Number,
		// jsStrings are the words the scripts show, for base.html to
		// hand them over as JSON.
		"jsStrings": func() template.JS { return r.jsStrings },
		"importMap": func() template.HTML { return r.importMap },
		"join":      strings.Join,
		"dealIssues": func(issues []report.DealIssue, label string) DealIssues {
			return DealIssues{Issues: issues, DaysLabel: label}
		},
		"cadence": func(c string) string {
			if r.str.Has("cadence." + c) {
				return r.tr("cadence." + c)
			}
			return c
		},
	}
}

// DealIssues feeds the deal-issues template of the data-health page.
type DealIssues struct {
	Issues    []report.DealIssue
	DaysLabel string
}

// money writes an amount with its currency and the locale's thousands
// separator, without cents: 12500 is "$12,500" ([reports] currency), or
// "USD 12,500" when [currency] corporate names the currency every amount
// is in, or "12.500 €" in German.
func (r *Renderer) money(v float64) string {
	return r.str.Money(v, r.currency(), 0)
}

// rate writes a currency rate with four significant digits and no
// trailing zeros: 0.05, 0.00025, 18.5.
func (r *Renderer) rate(x float64) string {
	if x <= 0 || math.IsNaN(x) || math.IsInf(x, 0) {
		return r.str.Number(x, 2)
	}
	d := max(0, 3-int(math.Floor(math.Log10(x))))
	s := r.str.Number(x, d)
	if d > 0 {
		s = strings.TrimSuffix(strings.TrimRight(s, "0"), r.str.Locale.Decimal)
	}
	return s
}

// currency is what amounts are written with: [currency] corporate's code
// when it is set, else [reports] currency.
func (r *Renderer) currency() string {
	if c := r.cfg.Currency.Corporate; c != "" {
		return c + "\u00a0"
	}
	return r.cfg.Reports.Currency
}

// tr is the text of a key the theme's strings file must have; a missing
// one shows as the key itself (LoadStrings has reported it).
func (r *Renderer) tr(key string, args ...any) string {
	s, err := r.str.T(key, args...)
	if err != nil {
		return key
	}
	return s
}

// url returns a site path under the base path.
func (r *Renderer) url(p string) string {
	return r.cfg.BasePath + strings.TrimPrefix(p, "/")
}

// execute renders one page with the template of its kind.
func (r *Renderer) execute(kind string, data any) ([]byte, error) {
	return r.executeWith(r.tmpl[kind], data)
}

// executeWith renders one page with the given layout.
func (r *Renderer) executeWith(t *template.Template, data any) ([]byte, error) {
	var buf bytes.Buffer
	buf.Grow(32 << 10)
	if err := t.ExecuteTemplate(&buf, "base.html", data); err != nil {
		return nil, r.templateDiag(err)
	}
	return buf.Bytes(), nil
}

// outPath is the file a site path is written to.
func outPath(url string) string {
	return strings.TrimPrefix(url, "/") + "index.html"
}

// Inputs are what a build hands a rendering of the playbook besides the
// guides, as arguments rather than fields it sets: the Renderer keeps
// them only for the files it leaves for later (RenderPending).
type Inputs struct {
	// Reuse, when set, is asked before each keyed file is rendered
	// whether the previous output's copy can be kept (a build to disk).
	Reuse Reuser
	// Changes is the last change of each guide, by file (see package
	// changes).
	Changes map[string]changes.Change
}

// PlaybookFirst renders every page of the guides and the site-wide files;
// of the pages and generated files, only those whose output path first
// accepts (all when first is nil) are rendered now; the others
// wait, as Pending lists them, until RenderPending renders them.
func (r *Renderer) PlaybookFirst(s *content.Site, in Inputs, first func(path string) bool, sink Sink) diag.List {
	var diags diag.List
	r.reuse, r.changes = in.Reuse, in.Changes
	fail := func(err error) {
		if err != nil {
			diags.Add(diag.From(err))
		}
	}
	if err := r.buildNav(s); err != nil {
		fail(err)
		return diags
	}
	// The keys first, from the guides as read (see digest); then the
	// search index: a build that runs once lets each guide's text go as
	// soon as it is indexed, before the pages are rendered. The dev
	// server's index waits with the pages left for later: a layout edit
	// changes none of it.
	jobs := r.jobs(s)
	r.search = search.NewLang(!r.once, r.cfg.Language)
	index := job{path: search.Dir, render: func(sink Sink) error {
		_, err := r.search.Sync(r.searchSources(s), bytesKeyed{r, sink})
		return err
	}}
	if first == nil {
		fail(index.render(sink))
	}
	now := r.deferJobs(jobs, first)
	if first != nil {
		r.pending[search.Dir] = index
	}
	errs := make([]error, len(now))
	par.Do(len(now), func(i int) {
		if r.reuse == nil || !r.reuse.Reuse(now[i].key, now[i].path) {
			errs[i] = now[i].render(sink)
		}
	})
	for _, err := range errs {
		fail(err)
	}
	for _, f := range s.Files {
		fail(r.copyContentFile(f, sink))
	}
	for _, p := range r.statics {
		data, err := fs.ReadFile(r.theme, p)
		if err != nil {
			fail(err)
			continue
		}
		fail(r.writeFile(sink, strings.TrimPrefix(p, "static/"), data))
	}
	fail(r.writeFile(sink, ".nojekyll", nil))
	fail(r.writeFile(sink, "robots.txt", r.robots()))
	r.remember(s, jobs)
	if diags.HasErrors() {
		r.Forget()
	}
	return diags
}

// copyContentFile publishes a file of content/ (an image, a PDF) at its path.
func (r *Renderer) copyContentFile(rel string, sink Sink) error {
	data, err := fs.ReadFile(r.site, content.Dir+"/"+rel)
	if err != nil {
		return err
	}
	return r.writeFile(sink, rel, data)
}

// writeFile writes a file that is copied rather than rendered, keyed by
// its bytes: the previous output's copy is kept when they are the same.
func (r *Renderer) writeFile(sink Sink, p string, data []byte) error {
	if r.reuse != nil && r.reuse.Reuse(sum64(data)|1, p) {
		return nil
	}
	return sink.Write(p, data)
}

// bytesKeyed passes each file through writeFile: for the files the search
// index writes as it goes, which are keyed by their bytes too.
type bytesKeyed struct {
	r    *Renderer
	next Sink
}

func (b bytesKeyed) Write(p string, data []byte) error { return b.r.writeFile(b.next, p, data) }

func (r *Renderer) renderNotFound(s *content.Site, sink Sink) error {
	nf := NotFoundPage{Base: r.base("404", s.Root, r.tr("not_found.title"), "/404.html"), Sections: s.Root.Sections}
	nf.NoIndex = true
	nf.Crumbs = nil
	b, err := r.execute("404", nf)
	if err != nil {
		return err
	}
	return sink.Write("404.html", b)
}

func (r *Renderer) renderHome(s *content.Site, sink Sink) error {
	home := HomePage{Base: r.base("home", s.Root, "", s.Root.URL)}
	home.Title = r.cfg.Title
	home.Description = r.cfg.Description
	if r.cfg.SiteName == "" {
		for _, s := range r.cfg.Sites {
			t := s.Title
			if t == "" {
				t = r.cfg.Title + " · " + s.Name
			}
			home.Sites = append(home.Sites, SiteLink{Title: t, URL: s.BaseURL})
		}
	}
	if s.Root.Index != nil {
		home.Intro = s.Root.Index.Body
		if home.Description == "" {
			home.Description = s.Root.Index.Summary
		}
	}
	for _, c := range content.Cadences {
		g := CadenceGroup{Cadence: c, Label: r.tr("cadence." + c), Blurb: r.tr("cadence.blurb." + c)}
		for _, p := range s.Pages {
			if p.Cadence == c {
				g.Guides = append(g.Guides, p)
			}
		}
		if len(g.Guides) > 0 {
			home.Rhythm = append(home.Rhythm, g)
		}
	}
	home.Sections = s.Root.Sections
	home.Crumbs = nil
	home.ShowBuilt = true
	b, err := r.execute("home", home)
	if err != nil {
		return err
	}
	return sink.Write("index.html", b)
}

func (r *Renderer) renderSection(sec *content.Section, sink Sink) error {
	data := SectionPage{Base: r.base("section", sec, sec.Title, sec.URL), Section: sec}
	data.Description = sec.Summary
	b, err := r.execute("section", data)
	if err != nil {
		return err
	}
	return sink.Write(outPath(sec.URL), b)
}

func (r *Renderer) renderGuide(p *content.Page, sink Sink) error {
	data := GuidePage{Base: r.base("guide", p.Section, p.Title, p.URL), Guide: p, Changed: r.changeOf(p)}
	data.Description = p.Summary
	data.Crumbs = append(data.Crumbs, Crumb{Title: p.Title})
	b, err := r.execute("guide", data)
	if err != nil {
		return err
	}
	if r.once {
		p.Body = ""
	}
	return sink.Write(outPath(p.URL), b)
}

// sitemap returns sitemap.xml for the given site paths. Report pages are
// never listed: they are private and marked noindex.
func (r *Renderer) sitemap(urls []string) []byte {
	var b bytes.Buffer
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n")
	b.WriteString(`<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">` + "\n")
	for _, u := range urls {
		b.WriteString("  <url><loc>")
		template.HTMLEscape(&b, []byte(r.cfg.AbsURL(u)))
		b.WriteString("</loc></url>\n")
	}
	b.WriteString("</urlset>\n")
	return b.Bytes()
}

// playbookURLs lists the site paths of the playbook's pages.
func playbookURLs(s *content.Site) []string {
	urls := []string{"/", WhatsNewURL}
	for _, sec := range s.Sections {
		urls = append(urls, sec.URL)
	}
	for _, p := range s.Pages {
		urls = append(urls, p.URL)
	}
	return urls
}

func (r *Renderer) robots() []byte {
	var b strings.Builder
	b.WriteString("User-agent: *\n")
	if r.cfg.Reports.On() {
		b.WriteString("Disallow: " + r.cfg.BasePath + "reports/\n")
	} else {
		b.WriteString("Allow: /\n")
	}
	b.WriteString("Sitemap: " + r.cfg.AbsURL("sitemap.xml") + "\n")
	return []byte(b.String())
}

// base fills the fields every page shares.
func (r *Renderer) base(kind string, sec *content.Section, title, url string) Base {
	b := Base{Site: r.Meta, Kind: kind, Title: title, URL: url}
	b.Nav = r.nav(sec, url)
	var crumbs []Crumb
	for s := sec; s != nil; s = s.Parent {
		crumbs = append(crumbs, Crumb{Title: s.Title, URL: s.URL})
	}
	slices.Reverse(crumbs)
	if len(crumbs) > 0 {
		crumbs[0].Title = r.tr("page.home")
	}
	if kind == "section" && len(crumbs) > 0 {
		crumbs[len(crumbs)-1].URL = ""
	}
	b.Crumbs = crumbs
	return b
}

// searchSources are the guides as the search index takes them (see
// package search): the top of a guide gathers its own summary (when it is
// not the first paragraph), preparation, agenda and the text before the
// first heading. Only guides are indexed: report pages hold rep data and
// never enter it. A build that runs once lets each guide's text go once
// it is indexed.
func (r *Renderer) searchSources(s *content.Site) []search.Source {
	out := make([]search.Source, 0, len(s.Pages))
	for _, p := range s.Pages {
		section := ""
		if p.Section != nil && p.Section.Dir != "" {
			section = p.Section.Title
		}
		var h maphash.Hash
		h.SetSeed(r.seed)
		h.WriteString(section)
		out = append(out, search.Source{
			URL:     r.cfg.BasePath + strings.TrimPrefix(p.URL, "/"),
			Version: p.Version() ^ h.Sum64(),
			Guide: func() search.Guide {
				g := search.Guide{Title: p.Title, URL: r.cfg.BasePath + strings.TrimPrefix(p.URL, "/"), Section: section}
				var top []string
				if !slices.ContainsFunc(p.Parts, func(part content.Part) bool { return strings.Contains(part.Text, strings.TrimSuffix(p.Summary, "…")) }) {
					top = append(top, p.Summary) // a summary of its own, not the first paragraph
				}
				top = append(top, p.Prepare...)
				for _, a := range p.Agenda {
					top = append(top, a.Item)
				}
				parts := p.Parts
				if len(parts) > 0 && parts[0].ID == "" {
					top = append(top, parts[0].Text)
					parts = parts[1:]
				}
				g.Parts = append(g.Parts, search.Part{Text: strings.Join(slices.DeleteFunc(top, func(s string) bool { return s == "" }), " · ")})
				for _, part := range parts {
					g.Parts = append(g.Parts, search.Part{Heading: part.Heading, Anchor: part.ID, Text: part.Text})
				}
				if r.once {
					p.Parts = nil
				}
				return g
			},
		})
	}
	return out
}
