// Package build runs coachbook's stages in order (the table is in
// stages.go): config, theme, content, data, checks, model, render playbook,
// render reports, then write. It is the only package that knows all the
// others, and the only engine package that touches the disk, and only in
// ToDir.
//
// A build with errors writes nothing. ToDir renders into a folder beside
// the output folder and swaps it in only when every page rendered, so a
// failed build leaves the previous output exactly as it was; pages whose
// inputs did not change since the previous build are carried over rather
// than rendered (incremental.go).
//
// # Words of the incremental machinery
//
// Each idea has one name, used the same way in build, render and serve:
//
//   - key: a sum of everything one output file depends on; the site key
//     sums what every file depends on (version, binary, config, theme,
//     flags, passphrases). A team's period pages share one key summed
//     from their inputs (their reps' rows up to the period's end, the
//     cut-off where they show it: report/inputs.go), so an unchanged
//     page's view is never worked out; the other report pages are keyed
//     by their views (render/key.go).
//   - manifest: the file .coachbook-manifest in an output folder, listing
//     every file the build wrote with its key, under the site key. It is
//     also how a build knows a folder is its own.
//   - spare: the previous output, kept beside the new one as
//     .<out>.coachbook-spare after the swap; the next build renders into it.
//   - carry: to reuse an unchanged file of the previous output (same key,
//     same site key) instead of rendering it (the carry type).
//   - swap: the one rename that puts a finished build in place of the old.
//   - partial: a dev-server rebuild after a guide edit that reads and
//     renders only the changed guides; Gone lists the files it removed.
//   - first / pending: of the files a rebuild renders, those a browser has
//     open are rendered first (RenderFirst); the rest are pending until
//     RenderPending (serve's later.go) or a request renders them.
//   - Forget / Restart: throw away what the last build rendered, so the
//     next one renders every file (Forget) or every file set (Restart).
//
// The stage table (stages.go) holds every decision about which stage
// runs: its inputs, whether its result is missing or stale, what it needs
// and whether a fatal error before it stops the build.
package build

import (
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/coachbook/coachbook/site/access"
	"github.com/coachbook/coachbook/site/changes"
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
	BaseURL   string // overrides base_url when not empty
	NoReports bool   // build the playbook only
	// Site names the [[sites]] entry to build (--part): the reports of
	// its reps alone, at its base_url, for its audiences. Leadership
	// builds the site that links the parts instead (the playbook, no reports); with
	// no [[sites]] it is the whole site.
	Site       string
	Leadership bool
	Drafts     bool      // include guides marked draft
	Version    string    // shown in the generator meta tag and footer
	Today      time.Time // the build date shown in the footer; zero means now
	// SiteDir is the site folder on disk, when the site is read from one
	// (ToDir sets it): git is asked there whether it ignores the keys
	// file.
	SiteDir string
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
	// Env looks up the secret key of sealed data files ([seal] key_env,
	// os.Getenv); nil reads it from the keys file alone.
	Env func(name string) string
	// History reads the guides' history (changes.Git on the site's
	// folder); nil, or a nil log, dates each guide by its file.
	History func() (changes.Log, error)
}

// Stats describes a finished build.
type Stats struct {
	Guides int
	// Files and Bytes count every file of the build; Written those it
	// rendered and wrote, the others being carried over from the previous
	// output (an incremental build to disk).
	Files    int
	Written  int
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

// Result is what a build did: the file sets it rendered, whether only the
// changed pages of the playbook were, the playbook files that are gone,
// its stats and every diagnostic of the site (also those of stages it did
// not re-run), with the configuration and guides it used.
type Result struct {
	Config   *config.Config
	Content  *content.Site
	Stats    Stats
	FileSets []FileSet
	// Partial: the playbook files hold only the files whose inputs
	// changed, to be laid over the previous output, and Gone names the
	// files of the previous output that no longer exist.
	Partial bool
	Gone    []string
	Diags   diag.List
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
	// ChangeHistory: a new commit (or checkout) in the site's git
	// repository. The guides' last changes and the what's-new page are
	// read again; no report is computed.
	ChangeHistory
	// ChangeAll re-runs every stage.
	ChangeAll = ChangeContent | ChangeData | ChangeTheme | ChangeConfig | ChangeHistory
)

// FileSet names a group of output files that are rendered together, so the
// dev server can replace one set and keep the other.
type FileSet int

const (
	// PlaybookFiles: the guide pages, assets and site-wide files.
	PlaybookFiles FileSet = iota
	// ReportFiles: the report pages (rep data).
	ReportFiles
)

// Builder runs the stages and keeps each stage's result, so that a rebuild
// after a change re-runs only the stages that change feeds: a guide edit
// reloads the guides and re-renders the playbook, but computes no report.
// A Builder is not safe for concurrent use.
type Builder struct {
	// once marks a builder that builds one time (Run, ToDir, Check), not
	// the dev server's: what a page is done with may be let go.
	once bool
	// root is the site as given; site is what the stages after the
	// configuration read: root refusing links that leave it (see
	// linkfs), unless the configuration allows them.
	root fs.FS
	site fs.FS
	opts Options

	cfg      *config.Config
	renderer *render.Renderer
	content  *content.Site
	data     *data.Data
	health   *report.Health
	model    *report.Model
	// history is what History said when the guides were last read;
	// changed is every guide's last change, for the playbook pages.
	history changes.Log
	changed map[string]changes.Change
	linked  string          // signature of what report pages show of the guides: the sidebar and the coaching links
	readers []access.Reader // audiences with their passphrases, when reports are encrypted

	// diagsOf holds each stage's diagnostics as of the last time it ran;
	// dataDiags are the data stage's as it runs.
	diagsOf   [numStages]diag.List
	dataDiags diag.List
	onRequest bool                                 // report pages are rendered by RenderReports
	findTask  func(url string) (report.Task, bool) // with onRequest: finds the task of a report page
	stats     Stats
	guard     pathGuard
	inRange   *data.Data // the rows inside the reported range
	// carry, in a build to disk, carries the unchanged files of the
	// previous output over; binary identifies this program for its site key.
	carry  *carry
	binary string
	first  func(path string) bool // see RenderFirst
}

// loadRange decides the data cut-off and the reported range, and keeps
// for the reports only the rows inside it (see report.ReportRange), so no
// stage grows with the span of the dates in the data.
func (b *Builder) loadRange() {
	cut := report.CutOffOf(b.cfg, b.data, civil.FromTime(b.opts.Today))
	asOf := cut.Date
	// Pipeline-history problems are data problems: on the data-health page
	// and from check. The loaded data keeps its own list untouched.
	hd := report.CheckHistory(b.data, asOf)
	b.dataDiags = append(slices.Clip(b.dataDiags), hd...)
	b.health = report.CheckHealth(b.data, hd, asOf, b.cfg.Reports.StaleDays)
	b.health.CutOff = cut
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
	return &Builder{root: site, site: site, opts: opts, guard: pathGuard{site: site}}
}

// BuildFiles is Build for a change to the given files (site paths). When
// the change is to files under content/ alone, it reads only those files
// (and the guides that link to them) and renders only the playbook files
// whose inputs changed (Result.Partial and Gone).
func (b *Builder) BuildFiles(changed Change, files []string, sinkFor func(FileSet) render.Sink) Result {
	if changed == ChangeContent && b.content != nil && b.renderer != nil && len(files) > 0 {
		if d, ok := b.content.Apply(b.site, files); ok {
			b.diagsOf[stContent] = d
			return b.run(changed, files, true, sinkFor)
		}
	}
	return b.Build(changed, sinkFor)
}

// Forget makes the next build render every page: the caller threw the
// last rendering away.
func (b *Builder) Forget() {
	if b.renderer != nil {
		b.renderer.Forget()
	}
}

// ReportsOnRequest makes the Builder leave the report pages unrendered:
// a build that would render them (ReportFiles among its file sets) lists them
// in ReportFinder instead, and the caller renders the ones it needs with
// RenderReports. The dev server does this so that its memory does not grow
// with the org.
func (b *Builder) ReportsOnRequest() { b.onRequest = true }

// ReportFinder returns what finds the task that makes the report page at
// an address (like /reports/reps/jdoe/), as of the last build that had
// ReportFiles among its file sets; nil without reports. Finding a task works
// out nothing of the other pages.
func (b *Builder) ReportFinder() func(url string) (report.Task, bool) { return b.findTask }

// RenderReports renders the report pages of the given tasks into sink.
func (b *Builder) RenderReports(tasks []report.Task, sink render.Sink) diag.List {
	return b.renderer.Reports(b.content, tasks, nil, sink) // serve: nothing is carried over
}

// Build re-runs the stages that changed feeds (see stages.go) and renders
// the file sets they affect, asking sinkFor for the sink of each set it
// renders. With errors among the diagnostics, what was rendered must be
// thrown away.
func (b *Builder) Build(changed Change, sinkFor func(FileSet) render.Sink) Result {
	return b.run(changed, nil, false, sinkFor)
}

// reuser is the render.Reuser of file set p: nil unless the build carries
// files over.
func (b *Builder) reuser(p FileSet) render.Reuser {
	if b.carry == nil {
		return nil
	}
	return reuser{c: b.carry, guard: &b.guard, set: p}
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

func (b *Builder) diags() diag.List {
	var all diag.List
	for _, d := range b.diagsOf {
		all.Add(d...)
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

// Run builds the whole site read from site into sink. It returns every
// diagnostic; when any is an error the sink may hold a partial site and
// must be thrown away.
func Run(site fs.FS, opts Options, sink render.Sink) (*Result, diag.List) {
	b := NewBuilder(site, opts)
	b.once = true
	return b.runOnce(sink)
}

// runOnce is Run for a prepared Builder.
func (b *Builder) runOnce(sink render.Sink) (*Result, diag.List) {
	res := b.Build(ChangeAll, func(FileSet) render.Sink { return sink })
	return &res, res.Diags
}

// ToDir builds the site into the folder out, replacing its previous content
// only when the build succeeds. Missing parent folders of out are created.
func ToDir(site fs.FS, siteDir, out string, opts Options) (*Result, diag.List) {
	var diags diag.List
	checkStart := time.Now()
	out, err := followOut(out)
	if err != nil {
		diags.Errorf("", 0, "%v", err)
		return nil, diags
	}
	if err := checkOutDir(siteDir, out, opts.Overwrite, opts.Stop); err != nil {
		diags.Errorf("", 0, "%v", err)
		return nil, diags
	}
	parent := filepath.Dir(filepath.Clean(out))
	if err := os.MkdirAll(parent, 0o755); err != nil {
		diags.Errorf("", 0, "cannot create the folder %s for the output: %v", parent, err)
		return nil, diags
	}
	unlock, err := lockOutput(out)
	if err != nil {
		diags.Errorf("", 0, "%v", err)
		return nil, diags
	}
	defer unlock()
	cleanStale(out)
	tmp, spare, recycled := takeSpare(out)
	if !recycled {
		var err error
		tmp, err = os.MkdirTemp(parent, tmpPrefix(out)+strconv.Itoa(os.Getpid())+"-")
		if err != nil {
			diags.Errorf("", 0, "cannot create the output folder next to %s: %v", out, err)
			return nil, diags
		}
	}
	// A failed build removes what it wrote, the spare folder with it.
	discard := func() { _ = os.RemoveAll(tmp) }
	sink := &DirSink{Root: tmp}
	if opts.SiteDir == "" {
		opts.SiteDir = siteDir
	}
	b := NewBuilder(site, opts)
	b.once = true
	b.carry, b.binary = newCarry(out, sink), binaryID()
	b.carry.spare = spare
	checked := StageTime{"check output folder", time.Since(checkStart)}
	res, diags := runStoppable(b, sink)
	if res != nil {
		res.Stats.Stages = append([]StageTime{checked}, res.Stats.Stages...)
	}
	if stopped(opts.Stop) {
		removeFor(tmp, stopGrace)
		return res, diags
	}
	if diags.Fatal() {
		discard() // a full disk must not stay full
		return res, sink.fullDiags(diags, out)
	}
	swapStart := time.Now()
	var pruned error
	if recycled {
		pruned = pruneSpare(tmp, spare, sink.Sizes())
	}
	mode := b.reportsMode()
	if err := errors.Join(pruned, writeManifest(tmp, b.carry.site, mode, b.carry.files()), os.Chmod(tmp, 0o755)); err != nil {
		discard()
		diags.Errorf("", 0, "%v", err)
		return res, diags
	}
	if err := swap(tmp, out); err != nil {
		discard()
		diags.Errorf("", 0, "cannot replace %s with the new build: %v", out, err)
	} else if _, err := os.Lstat(tmp); err != nil {
		// Nothing was there before.
	} else if prev := b.carry.prevReports; prev != mode && (prev == reportsClear || prev == "") {
		// The previous build published what this one does not (reports
		// in the clear under an encrypted or playbook-only build): none
		// of it may stay beside the output, where a host would serve it.
		_ = os.RemoveAll(tmp)
	} else if tmp != spareFolder(out) {
		// The previous build, now in tmp, is the next build's spare.
		if os.Rename(tmp, spareFolder(out)) != nil {
			_ = os.RemoveAll(tmp)
		}
	}
	if res != nil {
		diags.Add(sizeWarning(res.Stats.Bytes)...)
		res.Stats.Stages = append(res.Stats.Stages, StageTime{"write", time.Since(swapStart)})
	}
	return res, diags
}

// reportsMode says what the last build published of the rep data, for
// its manifest.
func (b *Builder) reportsMode() string {
	switch {
	case b.cfg == nil || !b.cfg.Reports.On():
		return reportsNone
	case len(b.readers) > 0:
		return reportsSealed
	}
	return reportsClear
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
// outside it, and keeps the size of each file it puts there.
type DirSink struct {
	Root  string
	mu    sync.Mutex
	dirs  map[string]*madeDir
	sizes map[string]int64
	// full counts the writes refused because the disk is full: after the
	// first, every write fails at once with errDiskFull, and the build
	// reports it once (fullDiags).
	full    atomic.Int64
	fullWhy error
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
	return d.put(p, func(full string) (int64, error) { return int64(len(data)), writeFile(full, data) })
}

// put makes the file p with create (given its path on disk), which
// returns the file's size, unless the sink is closed.
func (d *DirSink) put(p string, create func(full string) (int64, error)) error {
	d.gate.RLock()
	defer d.gate.RUnlock()
	if d.closed {
		return ErrStopped
	}
	if d.full.Load() > 0 {
		d.full.Add(1)
		return errDiskFull
	}
	full, clean, err := d.prepare(p)
	if err == nil {
		var size int64
		if size, err = create(full); err == nil {
			d.note(clean, size)
			return nil
		}
	}
	if errors.Is(err, syscall.ENOSPC) || errors.Is(err, syscall.EDQUOT) {
		d.mu.Lock()
		if d.fullWhy == nil {
			d.fullWhy = err
		}
		d.mu.Unlock()
		d.full.Add(1)
		return errDiskFull
	}
	return err
}

// errDiskFull is what every write returns once the disk is full; the one
// diagnostic it makes is replaced by fullDiags.
var errDiskFull = errors.New("the disk is full")

// fullDiags replaces, in the diagnostics of a failed build, the errors of
// the writes a full disk refused with one that counts them.
func (d *DirSink) fullDiags(diags diag.List, out string) diag.List {
	n := d.full.Load()
	if n == 0 {
		return diags
	}
	diags = slices.DeleteFunc(slices.Clone(diags), func(x diag.Diagnostic) bool { return x.Msg == errDiskFull.Error() })
	d.mu.Lock()
	why := d.fullWhy
	d.mu.Unlock()
	diags.Errorf("", 0, "the disk is full: %d files of the build could not be written (%v); the build removed what it had written and left %s as it was; free some space and build again", n, why, out)
	return diags
}

// writeFile is writeNew; tests replace it to fill the disk.
var writeFile = writeNew

// writeNew writes a file as a new one: a file already at its path (a link
// to the previous output's copy) is replaced, never written through.
func writeNew(name string, data []byte) error {
	err := createFile(name, data)
	if errors.Is(err, fs.ErrExist) {
		if err := os.Remove(name); err != nil {
			return err
		}
		err = createFile(name, data)
	}
	return err
}

// prepare checks an output path and makes its folder; it returns the
// file's path on disk and the cleaned output path.
func (d *DirSink) prepare(p string) (full, clean string, err error) {
	clean, err = SafePath(p)
	if err != nil {
		return "", "", err
	}
	full = filepath.Join(d.Root, filepath.FromSlash(clean))
	// The folders are known by the output path's own leading part, which
	// costs no memory of its own (filepath.Dir of the full path made a
	// copy per folder: 26 MB in a 2,000-rep org).
	rel := ""
	if i := strings.LastIndexByte(clean, '/'); i >= 0 {
		rel = clean[:i]
	}
	// Each folder is made once, under its own lock: a second file of the
	// same folder waits until the folder exists, files of other folders
	// do not (nearly every report page has a folder of its own).
	d.mu.Lock()
	if d.dirs == nil {
		d.dirs = map[string]*madeDir{}
	}
	md := d.dirs[rel]
	if md == nil {
		md = &madeDir{}
		d.dirs[rel] = md
	}
	d.mu.Unlock()
	md.once.Do(func() {
		dir := filepath.Dir(full)
		// Most folders' parents exist already: one system call for them.
		if err := os.Mkdir(dir, 0o755); err != nil && !errors.Is(err, fs.ErrExist) {
			md.err = os.MkdirAll(dir, 0o755)
		}
	})
	if md.err != nil {
		return "", "", md.err
	}
	return full, clean, nil
}

// madeDir is a folder of the output made once, and how that went.
type madeDir struct {
	once sync.Once
	err  error
}

func (d *DirSink) note(clean string, size int64) {
	d.mu.Lock()
	if d.sizes == nil {
		d.sizes = map[string]int64{}
	}
	d.sizes[clean] = size
	d.mu.Unlock()
}

// Sizes lists the files written (or linked) so far, by output path, with
// their sizes.
func (d *DirSink) Sizes() map[string]int64 {
	d.mu.Lock()
	defer d.mu.Unlock()
	return maps.Clone(d.sizes)
}

// SafePath cleans an output path and rejects one that is absolute or climbs
// out of the output folder, whatever an id or file name in the input says,
// or that holds a control character: the manifest records one path a
// line, and a newline in a name must never add a line to it.
func SafePath(p string) (string, error) {
	p = strings.ReplaceAll(p, "\\", "/")
	if r, bad := diag.Control(p); bad {
		return "", fmt.Errorf("refusing to write %q: output paths must not hold control characters (%U); rename the file or id", p, r)
	}
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
