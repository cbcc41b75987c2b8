// Package build runs coachbook's stages in order: config (coachbook.toml),
// content (guides), render (pages into a Sink), then write. It is the only
// package that knows all the others, and the only engine package that
// touches the disk, and only in ToDir.
//
// A build with errors writes nothing. ToDir renders into a fresh folder
// beside the output folder and swaps it in only when every page rendered,
// so a failed build leaves the previous output exactly as it was.
package build

import (
	"errors"
	"fmt"
	"hash/fnv"
	"io/fs"
	"maps"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/coachbook/coachbook/site/access"
	"github.com/coachbook/coachbook/site/civil"
	"github.com/coachbook/coachbook/site/config"
	"github.com/coachbook/coachbook/site/content"
	"github.com/coachbook/coachbook/site/data"
	"github.com/coachbook/coachbook/site/diag"
	"github.com/coachbook/coachbook/site/render"
	"github.com/coachbook/coachbook/site/report"
)

// Options are the command-line settings of a build.
type Options struct {
	BaseURL   string    // overrides base_url when not empty
	NoReports bool      // build the playbook only
	Drafts    bool      // include guides marked draft
	Version   string    // shown in the generator meta tag and footer
	Today     time.Time // the build date shown in the footer; zero means now
	// Overwrite lets ToDir replace an output folder that is not a previous
	// build (--overwrite).
	Overwrite bool
	// Stop, when closed, stops the build: ToDir and Check return at once,
	// leaving the previous output as it was.
	Stop <-chan struct{}
	// Keys looks up a passphrase by the name of its environment variable
	// (os.Getenv). Set, the build is one for publishing: reports are
	// encrypted as [access] says (see access.go). Nil builds reports in the
	// clear, as serve and check do.
	Keys func(name string) string
}

// Stats describes a finished build.
type Stats struct {
	Guides   int
	Files    int
	Bytes    int64
	Duration time.Duration
	// Audiences the reports were encrypted for, "name (scope)"; none when
	// they are in the clear or left out.
	Audiences []string
	// Stages are the build's named stages that ran, in order, with the
	// time each took (build --verbose prints them).
	Stages []StageTime
}

// StageTime is how long one stage of a build took.
type StageTime struct {
	Name string
	Took time.Duration
}

// Result is what a build produced, for callers that need the model too.
type Result struct {
	Config  *config.Config
	Content *content.Site
	Stats   Stats
}

// Change says which inputs changed since the last build, so a Builder
// re-runs only the stages they feed.
type Change uint8

const (
	// ChangeContent: a guide or a file under content/.
	ChangeContent Change = 1 << iota
	// ChangeData: a file under data/.
	ChangeData
	// ChangeTheme: a layout or static file of the theme.
	ChangeTheme
	// ChangeConfig: coachbook.toml.
	ChangeConfig
	// ChangeAll re-runs every stage.
	ChangeAll = ChangeContent | ChangeData | ChangeTheme | ChangeConfig
)

// Part names a group of output files that are rendered together, so the dev
// server can replace one group and keep the others.
type Part int

const (
	// PartPlaybook: the guide pages, assets and site-wide files.
	PartPlaybook Part = iota
	// PartReports: the report pages (rep data).
	PartReports
)

// Builder runs the stages and keeps each stage's result, so that a rebuild
// after a change re-runs only the stages that change feeds: a guide edit
// reloads the guides and re-renders the playbook, but computes no report.
// A Builder is not safe for concurrent use.
type Builder struct {
	// once marks a builder that builds one time (Run, ToDir, Check), not
	// the dev server's: what a page is done with may be let go.
	once bool
	site fs.FS
	opts Options

	cfg      *config.Config
	renderer *render.Renderer
	content  *content.Site
	data     *data.Data
	health   *report.Health
	model    *report.Model
	linked   string          // signature of what report pages show of the guides: the sidebar and the coaching links
	readers  []access.Reader // audiences with their passphrases, when reports are encrypted

	cfgDiags, themeDiags, contentDiags, dataDiags, renderDiags, reportDiags, gapDiags diag.List
	partial                                                                           bool
	gone                                                                              []string
	onRequest                                                                         bool          // report pages are rendered by RenderReports
	tasks                                                                             []report.Task // with onRequest: the report pages to render
	stats                                                                             Stats
	guard                                                                             pathGuard
	inRange                                                                           *data.Data             // the rows inside the reported range
	first                                                                             func(path string) bool // see RenderFirst
}

// loadRange decides the data cut-off and the reported range, and keeps
// for the reports only the rows inside it (see report.ReportRange), so no
// stage grows with the span of the dates in the data.
func (b *Builder) loadRange() {
	asOf := report.AsOf(b.cfg, b.data, civil.FromTime(b.opts.Today))
	if hd := report.CheckHistory(b.data, asOf); len(hd) > 0 {
		// Pipeline-history problems are data problems: on the data-health
		// page and from check.
		b.data.Problems = append(slices.Clip(b.data.Problems), hd...)
		b.dataDiags = b.data.Problems
	}
	b.health = report.CheckHealth(b.data, asOf, b.cfg.Reports.StaleDays)
	first, warnings := report.ReportRange(b.cfg, b.data, asOf)
	b.health.SetRange(b.data, first, warnings)
	b.dataDiags.Add(warnings...)
	b.inRange = report.InRange(b.data, first, asOf)
}

// NewBuilder returns a Builder for the site.
func NewBuilder(site fs.FS, opts Options) *Builder {
	if opts.Today.IsZero() {
		opts.Today = time.Now()
	}
	return &Builder{site: site, opts: opts, guard: pathGuard{site: site}}
}

// BuildFiles is Build for a change to the given files (site paths). When
// the change is to files under content/ alone, it reads only those files
// (and the guides that link to them) and renders only the playbook files
// whose inputs changed: Partial then reports true, the playbook part holds
// only those files, to be laid over the previous output, and Gone names the
// files of the previous output that no longer exist.
func (b *Builder) BuildFiles(changed Change, files []string, sinkFor func(Part) render.Sink) ([]Part, diag.List) {
	b.partial, b.gone = false, nil
	if changed == ChangeContent && b.content != nil && b.renderer != nil && len(files) > 0 {
		if d, ok := b.content.Apply(b.site, files); ok {
			b.contentDiags = d
			b.partial = true
			return b.run(changed, files, sinkFor)
		}
	}
	return b.Build(changed, sinkFor)
}

// Partial reports whether the last BuildFiles rendered only changed pages.
func (b *Builder) Partial() bool { return b.partial }

// Gone lists the playbook files that the last partial BuildFiles removed.
func (b *Builder) Gone() []string { return b.gone }

// Forget makes the next build render every page: the caller threw the
// last rendering away.
func (b *Builder) Forget() {
	if b.renderer != nil {
		b.renderer.Forget()
	}
}

// ReportsOnRequest makes the Builder leave the report pages unrendered:
// a build that would render them (PartReports among its parts) lists them
// in ReportTasks instead, and the caller renders the ones it needs with
// RenderReports. The dev server does this so that its memory does not grow
// with the org.
func (b *Builder) ReportsOnRequest() { b.onRequest = true }

// ReportTasks lists the work that makes the report pages, as of the last
// build that had PartReports among its parts; nil without reports.
func (b *Builder) ReportTasks() []report.Task { return b.tasks }

// RenderReports renders the report pages of the given tasks into sink.
func (b *Builder) RenderReports(tasks []report.Task, sink render.Sink) diag.List {
	return b.renderer.Reports(b.content, tasks, sink)
}

// Build re-runs the stages that changed feeds and renders the parts they
// affect, asking sinkFor for the sink of each part it renders. It returns
// the parts rendered and every diagnostic of the site, including those of
// stages it did not re-run. With errors, what was rendered must be thrown
// away.
func (b *Builder) Build(changed Change, sinkFor func(Part) render.Sink) ([]Part, diag.List) {
	b.partial, b.gone = false, nil
	return b.run(changed, nil, sinkFor)
}

// run is Build; when partial is set, the guides are already up to date and
// only the playbook files whose inputs changed are rendered.
func (b *Builder) run(changed Change, files []string, sinkFor func(Part) render.Sink) ([]Part, diag.List) {
	start := time.Now()
	// The stages, in order: config, theme, content, data, checks, render
	// playbook, render reports (write is ToDir's). Each that runs is timed.
	var stages []StageTime
	mark := start
	lap := func(name string) {
		now := time.Now()
		stages = append(stages, StageTime{name, now.Sub(mark)})
		mark = now
	}
	defer func() { b.stats.Stages = stages }()
	unguarded := sinkFor
	sinkFor = func(p Part) render.Sink { return b.guard.sink(p, unguarded(p)) }
	if b.cfg == nil || changed&ChangeConfig != 0 {
		b.cfgDiags = nil
		cfg, d := config.Load(b.site)
		b.cfgDiags.Add(d...)
		b.cfgDiags.Add(cfg.Override(b.opts.BaseURL, b.opts.NoReports)...)
		b.cfg = cfg
		b.cfgDiags.Add(b.readKeys()...)
		changed = ChangeAll
		lap("config")
	}
	// The guides do not depend on the theme: a layout edit re-renders
	// them without reading them again.
	read := !b.partial && (b.content == nil || changed&ChangeContent != 0)
	if b.renderer == nil || changed&ChangeTheme != 0 {
		b.renderer, b.themeDiags = render.New(b.cfg, b.site, b.opts.Version, b.opts.Today)
		if b.renderer != nil {
			// A build that runs once lets each guide's body go as soon as
			// its page is written: a large playbook never holds them all
			// beside the search index.
			b.renderer.ReleaseBodies = b.once
		}
		changed |= ChangeContent
		lap("theme")
	}
	if read {
		b.content, b.contentDiags = content.Load(b.site, content.Options{
			BasePath: b.cfg.BasePath, RawHTML: b.cfg.Markdown.RawHTML, ReportsOn: b.cfg.Reports.On(), Drafts: b.opts.Drafts,
			LinksOutside: b.cfg.Content.AllowLinksOutside,
		})
		lap("content")
	}
	reportsOn := b.cfg.Reports.On()
	if reportsOn && (b.data == nil || changed&ChangeData != 0) {
		// Rep data is read only when reports are built: a playbook-only
		// build never touches it.
		b.data, b.dataDiags = data.Load(b.site, b.cfg)
		b.loadRange()
		changed |= ChangeData
		lap("data")
	}
	if !reportsOn {
		b.data, b.health, b.model, b.dataDiags, b.reportDiags, b.tasks = nil, nil, nil, nil, nil, nil
	}
	b.gapDiags = nil
	if reportsOn && b.data != nil {
		b.gapDiags = coachingGaps(b.data.Team, b.content)
		b.gapDiags.Add(guideRefs(b.data, b.content, b.cfg.Data["coaching"].Path)...)
		b.gapDiags.Add(checkScopes(b.cfg, b.data.Team)...)
	}
	lap("checks")
	var parts []Part
	diags := b.diags()
	// Never render with a configuration, theme, content or data file that
	// has fatal errors: the output would not be what the user wrote.
	if diags.Fatal() || b.renderer == nil {
		b.stats.Duration = time.Since(start)
		return nil, diags
	}
	b.stats = Stats{Guides: len(b.content.Pages)}
	sinkFor, sealer, sealDiags := b.sealing(sinkFor)
	if sealDiags.Fatal() {
		b.stats.Duration = time.Since(start)
		return nil, append(diags, sealDiags...)
	}
	if changed&(ChangeContent|ChangeTheme) != 0 {
		counted := &countingSink{next: sinkFor(PartPlaybook)}
		if b.partial {
			b.gone, b.renderDiags = b.renderer.ChangedFirst(b.content, files, b.first, counted)
		} else {
			b.renderDiags = b.renderer.PlaybookFirst(b.content, b.first, counted)
		}
		b.stats.Files, b.stats.Bytes = counted.files, counted.bytes
		parts = append(parts, PartPlaybook)
		lap("render playbook")
	}
	// Report pages show the playbook's sections, link to the meeting guides
	// and to the sections that coach each metric; after a guide edit
	// re-render them only when one of those changed.
	sig := reportLinks(b.content)
	if reportsOn && (changed&(ChangeData|ChangeTheme) != 0 || sig != b.linked) {
		if b.model == nil || changed&ChangeData != 0 {
			b.model = report.NewModel(b.cfg, b.inRange, b.health.AsOf)
		}
		if b.onRequest {
			// serve renders each report page when it is asked for.
			b.tasks, b.reportDiags = b.model.Tasks(b.health), nil
		} else {
			counted := &countingSink{next: sinkFor(PartReports)}
			b.reportDiags = b.renderer.Reports(b.content, b.model.Tasks(b.health), counted)
			b.stats.Files += counted.files
			b.stats.Bytes += counted.bytes
			if sealer != nil {
				if err := sealer.Finish(counted); err != nil {
					b.reportDiags.Add(diag.From(err))
				}
			}
		}
		parts = append(parts, PartReports)
		lap("model and render reports")
	}
	b.linked = sig
	b.stats.Duration = time.Since(start)
	return parts, b.diags()
}

// coachingGaps warns about every metric that has a target but no guide
// section that coaches it: an off-target number would link nowhere.
func coachingGaps(team *data.Team, s *content.Site) diag.List {
	var diags diag.List
	ids := make([]string, 0, len(team.TargetLines))
	for id := range team.TargetLines {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for _, id := range ids {
		if len(s.Coaching[id]) == 0 {
			diags.Warnf(data.TeamFile, team.TargetLines[id], "%s has a target but no guide section coaches it; add a [[coaches]] entry with metric = %q to the guide whose questions move it", id, id)
		}
	}
	return diags
}

// guideRefs warns, once per value, about a coaching-log row whose guide
// column names no guide. A guide is named by its path ("weekly/activity-meeting",
// with or without ".md", "content/" or slashes) or its title, in any case.
func guideRefs(d *data.Data, s *content.Site, file string) diag.List {
	var known map[string]bool // made at the first row that names a guide
	var diags diag.List
	seen := map[string]bool{}
	for _, m := range d.Meetings {
		if m.Guide == "" {
			continue
		}
		if known == nil {
			known = map[string]bool{}
			for _, p := range s.Pages {
				known[strings.ToLower(strings.Trim(p.URL, "/"))] = true
				known[strings.ToLower(p.Title)] = true
			}
		}
		key := strings.ToLower(strings.Trim(strings.TrimSuffix(strings.TrimPrefix(strings.Trim(m.Guide, "/"), content.Dir+"/"), ".md"), "/"))
		if known[key] || known[strings.ToLower(m.Guide)] || seen[key] {
			continue
		}
		seen[key] = true
		diags.Add(diag.Diagnostic{File: file, Line: int(m.Line), Severity: diag.Warning, Row: true,
			Msg: fmt.Sprintf("guide %q is not a guide of this playbook; write its path (like weekly/activity-meeting) or its title", m.Guide)})
	}
	return diags
}

// reportLinks summarises what report pages show of the playbook: the
// sections of their sidebar, the guides of each meeting, and which metric
// is coached where, under which titles. The summary is a hash: a large
// playbook coaches in thousands of places, checked at every save.
func reportLinks(s *content.Site) string {
	buf := make([]byte, 0, 128*(len(s.Sections)+len(s.Pages)))
	add := func(fields ...string) {
		for _, f := range fields {
			buf = append(append(buf, f...), 0)
		}
		buf = append(buf, '\n')
	}
	for _, sec := range s.Sections {
		add("section", sec.URL, sec.Title)
	}
	for _, c := range []string{"week", "month", "quarter"} {
		for _, p := range s.MeetingGuides(c) {
			add("guide", c, p.URL, p.Title)
		}
	}
	for _, id := range slices.Sorted(maps.Keys(s.Coaching)) {
		for _, c := range s.Coaching[id] {
			add("coach", id, c.Page.URL, c.Section, c.Page.Title, c.Heading, c.Cadence, strconv.FormatBool(c.Pattern))
		}
	}
	h := fnv.New64a()
	h.Write(buf)
	return strconv.FormatUint(h.Sum64(), 36)
}

func (b *Builder) diags() diag.List {
	var all diag.List
	for _, l := range []diag.List{b.cfgDiags, b.themeDiags, b.contentDiags, b.dataDiags, b.gapDiags, b.renderDiags, b.reportDiags} {
		all.Add(l...)
	}
	all.Sort()
	// One mistake in a layout fails every page that uses it: say it once.
	seen := make(map[diag.Diagnostic]bool, len(all))
	return slices.DeleteFunc(all, func(d diag.Diagnostic) bool {
		dup := seen[d]
		seen[d] = true
		return dup
	})
}

// Config returns the configuration of the last build.
func (b *Builder) Config() *config.Config { return b.cfg }

// Stats describes the last build.
func (b *Builder) Stats() Stats { return b.stats }

// Run builds the whole site read from site into sink. It returns every
// diagnostic; when any is an error the sink may hold a partial site and
// must be thrown away.
func Run(site fs.FS, opts Options, sink render.Sink) (*Result, diag.List) {
	b := NewBuilder(site, opts)
	b.once = true
	_, diags := b.Build(ChangeAll, func(Part) render.Sink { return sink })
	return &Result{Config: b.cfg, Content: b.content, Stats: b.stats}, diags
}

// ToDir builds the site into the folder out, replacing its previous content
// only when the build succeeds. Missing parent folders of out are created.
func ToDir(site fs.FS, siteDir, out string, opts Options) (*Result, diag.List) {
	var diags diag.List
	if err := checkOutDir(siteDir, out, opts.Overwrite, opts.Stop); err != nil {
		diags.Errorf("", 0, "%v", err)
		return nil, diags
	}
	parent := filepath.Dir(filepath.Clean(out))
	if err := os.MkdirAll(parent, 0o755); err != nil {
		diags.Errorf("", 0, "cannot create the folder %s for the output: %v", parent, err)
		return nil, diags
	}
	cleanStale(out)
	tmp, err := os.MkdirTemp(parent, tmpPrefix(out)+strconv.Itoa(os.Getpid())+"-")
	if err != nil {
		diags.Errorf("", 0, "cannot create the output folder next to %s: %v", out, err)
		return nil, diags
	}
	sink := &DirSink{Root: tmp}
	res, diags := runStoppable(site, opts, sink)
	if stopped(opts.Stop) {
		removeFor(tmp, stopGrace)
		return res, diags
	}
	defer os.RemoveAll(tmp) // after a swap it holds the previous build; cleans up on failure
	if diags.Fatal() {
		return res, diags
	}
	swapStart := time.Now()
	if err := errors.Join(writeManifest(tmp), os.Chmod(tmp, 0o755)); err != nil {
		diags.Errorf("", 0, "%v", err)
		return res, diags
	}
	if err := swap(tmp, out); err != nil {
		diags.Errorf("", 0, "cannot replace %s with the new build: %v", out, err)
	}
	if res != nil {
		diags.Add(sizeWarning(res.Stats.Bytes)...)
		res.Stats.Stages = append(res.Stats.Stages, StageTime{"write manifest and swap", time.Since(swapStart)})
	}
	return res, diags
}

// PagesLimit is the largest site GitHub Pages publishes.
const PagesLimit = 1 << 30

// sizeWarning warns about a site too large for GitHub Pages.
func sizeWarning(bytes int64) diag.List {
	var diags diag.List
	if bytes > PagesLimit {
		diags.Warnf(config.File, 0, "the site is %d MB, over the 1 GB that GitHub Pages publishes; lower [reports.keep] (weeks, months, quarters) so fewer periods get their own pages", bytes>>20)
	}
	return diags
}

// DirSink writes files under Root, refusing any path that would land
// outside it.
type DirSink struct {
	Root string
	mu   sync.Mutex
	dirs map[string]bool
	// gate is held for reading by each write, and for writing by Close.
	gate   sync.RWMutex
	closed bool
}

// Close waits for the writes under way and makes every later one fail, so
// the caller can remove Root knowing nothing recreates it.
func (d *DirSink) Close() {
	d.gate.Lock()
	d.closed = true
	d.gate.Unlock()
}

// Write implements render.Sink.
func (d *DirSink) Write(p string, data []byte) error {
	d.gate.RLock()
	defer d.gate.RUnlock()
	if d.closed {
		return ErrStopped
	}
	clean, err := SafePath(p)
	if err != nil {
		return err
	}
	full := filepath.Join(d.Root, filepath.FromSlash(clean))
	dir := filepath.Dir(full)
	// The folder is made under the lock: a second file of the same folder
	// must not be written before the folder exists.
	d.mu.Lock()
	if d.dirs == nil {
		d.dirs = map[string]bool{}
	}
	if !d.dirs[dir] {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			d.mu.Unlock()
			return err
		}
		d.dirs[dir] = true
	}
	d.mu.Unlock()
	return os.WriteFile(full, data, 0o644)
}

// SafePath cleans an output path and rejects one that is absolute or climbs
// out of the output folder, whatever an id or file name in the input says.
func SafePath(p string) (string, error) {
	p = strings.ReplaceAll(p, "\\", "/")
	bad := p == "" || strings.HasPrefix(p, "/")
	for _, el := range strings.Split(p, "/") {
		bad = bad || el == ".."
	}
	if bad {
		return "", fmt.Errorf("refusing to write %q: output paths must stay inside the output folder", p)
	}
	return path.Clean(p), nil
}

// MemSink keeps files in memory; the dev server serves from it.
type MemSink struct {
	mu    sync.Mutex
	Files map[string][]byte
}

// Write implements render.Sink.
func (m *MemSink) Write(p string, data []byte) error {
	clean, err := SafePath(p)
	if err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.Files == nil {
		m.Files = map[string][]byte{}
	}
	m.Files[clean] = data
	return nil
}

type discard struct{}

func (discard) Write(string, []byte) error { return nil }

// Discard is a Sink that keeps nothing; `check` renders into it so template
// errors are found without writing.
var Discard render.Sink = discard{}

type countingSink struct {
	next  render.Sink
	mu    sync.Mutex
	files int
	bytes int64
}

func (c *countingSink) Write(p string, data []byte) error {
	c.mu.Lock()
	c.files++
	c.bytes += int64(len(data))
	c.mu.Unlock()
	return c.next.Write(p, data)
}
