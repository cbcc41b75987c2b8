package build

import (
	"maps"
	"time"

	"github.com/coachbook/coachbook/site/access"
	"github.com/coachbook/coachbook/site/changes"
	"github.com/coachbook/coachbook/site/config"
	"github.com/coachbook/coachbook/site/content"
	"github.com/coachbook/coachbook/site/data"
	"github.com/coachbook/coachbook/site/diag"
	"github.com/coachbook/coachbook/site/internal/linkfs"
	"github.com/coachbook/coachbook/site/render"
	"github.com/coachbook/coachbook/site/report"
)

// A build is the stages below, run in order. Each names the kinds of
// change that re-run it (a Builder keeps what each stage made, so a
// rebuild re-runs only the stages its change feeds) and keeps its own
// diagnostics; every stage that runs is timed (build --verbose). The
// write stage is ToDir's: it writes the manifest and swaps the folder in.
//
//	stage            re-run by                  makes
//	config           config                     the configuration, passphrases
//	theme            theme, config              the parsed layouts and assets
//	content          content, config            the guides
//	data             data, config               rows, data health, reported range
//	checks           every build                warnings that join guides and data
//	model            data, config               the report model
//	render playbook  content, theme, config     guide pages, site files
//	render reports   data, theme, config, and   report pages, metrics.json
//	                 a guide edit that changes
//	                 what report pages link to
//	write            every build to disk        the manifest, the swap

// stageID names a stage; the table below is in this order.
type stageID int

const (
	stConfig stageID = iota
	stTheme
	stContent
	stData
	stChecks
	stModel
	stPlaybook
	stReports
	numStages
)

var stageNames = [numStages]string{"config", "theme", "content", "data", "checks", "model", "render playbook", "render reports"}

func (id stageID) String() string { return stageNames[id] }

// stage is one step of a build. Every decision about whether it runs is
// a field here, so the table below is the whole truth.
type stage struct {
	id stageID
	// inputs are the changes that re-run the stage.
	inputs Change
	// marks are the changes the stage's running makes for the stages
	// after it: new guides must be rendered, a new configuration
	// changes everything.
	marks Change
	// needs, when set and false, means the stage has nothing to make in
	// this build (the rep data of a playbook-only build): its result is
	// dropped with reset and it does not run.
	needs func(b *Builder) bool
	reset func(b *Builder)
	// missing reports that the stage's result is absent (the first
	// build), so it runs whatever the change.
	missing func(b *Builder) bool
	// stale reports that the stage must run though none of its inputs
	// changed (report pages after a guide edit that changes what they
	// link to).
	stale func(b *Builder) bool
	// gate: the build stops before this stage when a stage before it
	// found a fatal error, or there is no theme to render with: the
	// output would not be what the user wrote.
	gate bool
	// run does the stage's work and returns its diagnostics (kept with the
	// stage); ran is false when it found nothing to do and kept its
	// previous result.
	run func(b *Builder, p *pass) (diags diag.List, ran bool)
}

// pass is the state of one Build as it goes through the stages.
type pass struct {
	changed Change
	// partial: the guides were read by BuildFiles already (files), and
	// only the playbook files whose inputs changed are rendered.
	partial bool
	files   []string
	sinkFor func(FileSet) render.Sink
	sealer  *access.Sealer
	sealed  bool // sealPass ran
	sealOK  bool // and could seal (or had nothing to seal)
	res     Result
}

func reportsOn(b *Builder) bool { return b.cfg.Reports.On() }

// stages is the build, in order.
func stages() [numStages]stage {
	return [numStages]stage{
		{id: stConfig, inputs: ChangeConfig, marks: ChangeAll, run: (*Builder).stageConfig},
		{id: stTheme, inputs: ChangeTheme | ChangeConfig, marks: ChangeTheme, run: (*Builder).stageTheme,
			missing: func(b *Builder) bool { return b.renderer == nil }},
		{id: stContent, inputs: ChangeContent | ChangeConfig | ChangeHistory, marks: ChangeContent, run: (*Builder).stageContent,
			missing: func(b *Builder) bool { return b.content == nil }},
		{id: stData, inputs: ChangeData | ChangeConfig, marks: ChangeData, run: (*Builder).stageData,
			needs:   reportsOn,
			reset:   func(b *Builder) { b.data, b.dataDiags, b.health, b.inRange = nil, nil, nil, nil },
			missing: func(b *Builder) bool { return b.data == nil }},
		{id: stChecks, inputs: ChangeAll, run: (*Builder).stageChecks},
		{id: stModel, inputs: ChangeData | ChangeConfig, run: (*Builder).stageModel, gate: true,
			needs:   func(b *Builder) bool { return reportsOn(b) && b.data != nil },
			reset:   func(b *Builder) { b.model = nil },
			missing: func(b *Builder) bool { return b.model == nil }},
		{id: stPlaybook, inputs: ChangeContent | ChangeTheme | ChangeConfig, run: (*Builder).stagePlaybook},
		{id: stReports, inputs: ChangeData | ChangeTheme | ChangeConfig, run: (*Builder).stageReports,
			needs: func(b *Builder) bool { return reportsOn(b) && b.model != nil },
			reset: func(b *Builder) { b.findTask, b.linked = nil, "" },
			stale: func(b *Builder) bool { return render.ReportLinks(b.content) != b.linked }},
	}
}

// StageNames lists the stages of a build in order, the write stage of a
// build to disk last.
func StageNames() []string {
	return append(stageNames[:], "write")
}

// due reports whether stage s runs in pass p.
func (b *Builder) due(s *stage, p *pass) bool {
	return p.changed&s.inputs != 0 || (s.missing != nil && s.missing(b)) || (s.stale != nil && s.stale(b))
}

// run is Build: every stage that the change (or a missing result) calls
// for, in order, stopping at a gate when a stage before it found a fatal
// error.
func (b *Builder) run(changed Change, files []string, partial bool, sinkFor func(FileSet) render.Sink) Result {
	start := time.Now()
	if b.cfg == nil {
		changed = ChangeAll
	}
	unguarded := sinkFor
	p := &pass{changed: changed, files: files, partial: partial,
		sinkFor: func(pt FileSet) render.Sink { return b.guard.sink(pt, unguarded(pt)) }}
	p.res.Partial = partial
	b.stats = Stats{}
	table := stages()
	for i := range table {
		s := &table[i]
		if s.gate && (b.renderer == nil || b.fatalBefore(s.id)) {
			break
		}
		if s.needs != nil && !s.needs(b) {
			b.diagsOf[s.id] = nil
			if s.reset != nil {
				s.reset(b)
			}
			continue
		}
		if !b.due(s, p) {
			continue
		}
		mark := time.Now()
		d, ran := s.run(b, p)
		if !ran {
			continue
		}
		b.diagsOf[s.id] = d
		b.stats.Stages = append(b.stats.Stages, StageTime{s.id.String(), time.Since(mark)})
		p.changed |= s.marks
	}
	b.stats.Guides = 0
	if b.content != nil {
		b.stats.Guides = len(b.content.Pages)
	}
	b.stats.Written = b.stats.Files
	if b.carry != nil {
		b.stats.Files += b.carry.carried
		b.stats.Bytes += b.carry.carriedBytes
	}
	b.stats.Duration = time.Since(start)
	p.res.Config, p.res.Content, p.res.Stats, p.res.Diags = b.cfg, b.content, b.stats, b.diags()
	if p.res.Diags.Fatal() {
		p.res.Gone = nil
	}
	return p.res
}

// fatalBefore reports whether a stage before id has a fatal error.
func (b *Builder) fatalBefore(id stageID) bool {
	for s := range id {
		if b.diagsOf[s].Fatal() {
			return true
		}
	}
	return false
}

func (b *Builder) stageConfig(p *pass) (diag.List, bool) {
	var diags diag.List
	cfg, d := config.Load(b.root)
	diags.Add(d...)
	diags.Add(cfg.SelectSite(b.opts.Site, b.opts.Leadership)...)
	diags.Add(cfg.Override(b.opts.BaseURL, b.opts.NoReports)...)
	b.cfg = cfg
	diags.Add(b.readKeys()...)
	b.site = b.root
	if !cfg.Content.AllowLinksOutside {
		b.site = linkfs.Guard(b.root)
	}
	return diags, true
}

func (b *Builder) stageTheme(p *pass) (diag.List, bool) {
	var diags diag.List
	// A build that runs once lets each guide's body go as soon as its
	// page is written: a large playbook never holds them all beside the
	// search index.
	b.renderer, diags = render.New(b.cfg, b.site, b.opts.Version, b.opts.Today, b.once)
	return diags, true
}

// stageContent reads the guides. The guides do not depend on the theme:
// a layout edit re-renders them without reading them again.
func (b *Builder) stageContent(p *pass) (diag.List, bool) {
	if p.partial {
		// BuildFiles read the changed guides; their days are looked up
		// again, the others' kept.
		changed := maps.Clone(b.changed)
		maps.Copy(changed, changes.For(b.site, b.history, p.files))
		b.changed = changed
		return b.diagsOf[stContent], false
	}
	var diags diag.List
	// The words guides add (a coach note's label, a table's name) are the
	// theme's; its strings file's problems are reported by the theme stage.
	words, _ := render.LoadStrings(b.site, b.cfg.Theme, b.cfg.Language)
	b.content, diags = content.Load(b.site, content.Options{
		BasePath: b.cfg.BasePath, RawHTML: b.cfg.Markdown.RawHTML, ReportsOn: b.cfg.Reports.On(), Drafts: b.opts.Drafts,
		LinksOutside: b.cfg.Content.AllowLinksOutside, Words: words.Lookup,
	})
	b.history = nil
	if b.opts.History != nil {
		var err error
		if b.history, err = b.opts.History(); err != nil {
			diags.Warnf(content.Dir, 0, "%v; each guide shows the day its file was last modified instead of its last commit", err)
		}
	}
	files := make([]string, len(b.content.Pages))
	for i, pg := range b.content.Pages {
		files[i] = pg.File
	}
	b.changed = changes.For(b.site, b.history, files)
	return diags, true
}

// stageData reads the rep data. It runs only when reports are built (its
// needs in the table): a playbook-only build never touches it.
func (b *Builder) stageData(p *pass) (diag.List, bool) {
	site, sealDiags := b.dataFS()
	b.data, b.dataDiags = data.Load(site, b.cfg)
	if s := b.cfg.SelectedSite(); s != nil {
		// A part of the org: its reps' rows alone reach the pages.
		b.data = b.data.ForSite(func(r *data.Rep) bool { return s.Selects(r.Manager, r.Team) })
	}
	b.loadRange()
	return append(sealDiags, b.dataDiags...), true
}

func (b *Builder) stageChecks(p *pass) (diag.List, bool) {
	var diags diag.List
	if b.cfg.Reports.On() && b.data != nil && b.content != nil {
		diags = coachingGaps(b.data.Team, b.content)
		diags.Add(guideRefs(b.data, b.content, b.cfg.Data["coaching"].Path)...)
		if !b.data.Team.Unread { // the team file's own error says it all
			diags.Add(checkScopes(b.cfg, b.data.Team)...)
		}
		diags.Add(checkSites(b.cfg, b.data.Team)...)
	}
	return diags, true
}

func (b *Builder) stageModel(p *pass) (diag.List, bool) {
	b.model = report.NewModel(b.cfg, b.inRange, b.health.AsOf)
	return nil, true
}

// sealPass sets up, once per pass, the encryption of the report pages;
// ok is false when it cannot (a fatal diagnostic, with the first call).
// The first render stage reports its diagnostics; with a fatal one,
// neither renders.
func (b *Builder) sealPass(p *pass) (diag.List, bool) {
	if p.sealed {
		return nil, p.sealOK
	}
	sinkFor, sealer, diags := b.sealing(p.sinkFor)
	p.sinkFor, p.sealer = sinkFor, sealer
	p.sealed, p.sealOK = true, !diags.Fatal()
	return diags, p.sealOK
}

func (b *Builder) stagePlaybook(p *pass) (diag.List, bool) {
	diags, ok := b.sealPass(p)
	if !ok {
		return diags, true
	}
	if b.carry != nil {
		b.carry.start(b.siteKey(b.binary, p.sealer))
	}
	in := render.Inputs{Reuse: b.reuser(PlaybookFiles), Changes: b.changed}
	counted := &countingSink{next: p.sinkFor(PlaybookFiles)}
	if p.partial {
		var d diag.List
		p.res.Gone, d = b.renderer.ChangedFirst(b.content, in, p.files, b.first, counted)
		diags.Add(d...)
	} else {
		diags.Add(b.renderer.PlaybookFirst(b.content, in, b.first, counted)...)
	}
	b.stats.Files += counted.files
	b.stats.Bytes += counted.bytes
	p.res.FileSets = append(p.res.FileSets, PlaybookFiles)
	return diags, true
}

// stageReports renders the report pages. Report pages show the playbook's
// sections, link to the meeting guides and to the sections that coach
// each metric: after a guide edit they are rendered again only when one
// of those changed (the stage's stale test in the table).
func (b *Builder) stageReports(p *pass) (diag.List, bool) {
	b.linked = render.ReportLinks(b.content)
	p.res.FileSets = append(p.res.FileSets, ReportFiles)
	if b.onRequest {
		// serve renders each report page when it is asked for.
		m, h := b.model, b.health
		b.findTask = func(url string) (report.Task, bool) { return m.TaskFor(h, url) }
		return nil, true
	}
	diags, ok := b.sealPass(p)
	if !ok {
		return diags, true
	}
	if b.carry != nil {
		b.carry.start(b.siteKey(b.binary, p.sealer))
	}
	var reuse render.Reuser
	if p.sealer == nil {
		// Encrypted pages differ at every build: never carried over.
		reuse = b.reuser(ReportFiles)
	}
	counted := &countingSink{next: p.sinkFor(ReportFiles)}
	diags.Add(b.renderer.ReportsKeyed(b.content, b.model.KeyedTasks(b.health), reuse, counted)...)
	if p.sealer != nil {
		if err := p.sealer.Finish(counted); err != nil {
			diags.Add(diag.From(err))
		}
	}
	b.stats.Files += counted.files
	b.stats.Bytes += counted.bytes
	return diags, true
}
