package report

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/coachbook/coachbook/site/civil"
	"github.com/coachbook/coachbook/site/data"
	"github.com/coachbook/coachbook/site/diag"
)

// What pipeline history makes knowable on a month or quarter page: where
// the period's pipeline went (the flow), the deals that slipped out of it,
// the coverage it started with, past-due and stalled deals and the stage
// mix as they really were at the end of a past period, how long deals sit
// in their stage, how deals convert from stage to stage, the commit and
// best case through the period, and sales velocity.

// histIndex is the pipeline history indexed once per build.
type histIndex struct {
	h      *data.History
	byRep  [][]*data.Timeline
	stages []string       // open stages in the order deals pass them
	rank   map[string]int // stage -> index in stages
}

// newHistIndex indexes the history by rep and finds the order of the
// stages: by the average number of days from a deal's creation to its
// first day in the stage. Nil without history.
func newHistIndex(d *data.Data) *histIndex {
	if d.History == nil {
		return nil
	}
	x := &histIndex{h: d.History, byRep: make([][]*data.Timeline, len(d.Team.Reps)), rank: map[string]int{}}
	sum, n := map[string]int{}, map[string]int{}
	for i := range d.History.Deals {
		tl := &d.History.Deals[i]
		x.byRep[tl.Rep] = append(x.byRep[tl.Rep], tl)
		seen := map[data.Label]bool{}
		for _, s := range tl.States {
			if s.Outcome != data.Open || s.Gone || s.Stage == 0 || seen[s.Stage] {
				continue
			}
			seen[s.Stage] = true
			stage := d.History.Text(s.Stage)
			sum[stage] += int(s.From - tl.Created)
			n[stage]++
		}
	}
	for s := range n {
		x.stages = append(x.stages, s)
	}
	slices.SortFunc(x.stages, func(a, b string) int {
		return cmp.Or(cmp.Compare(float64(sum[a])/float64(n[a]), float64(sum[b])/float64(n[b])), strings.Compare(a, b))
	})
	for i, s := range x.stages {
		x.rank[s] = i
	}
	return x
}

// FlowReport is the pipeline-history part of a month or quarter page.
type FlowReport struct {
	Flow    Flow
	Sources []string
	From    civil.Date // the first day of the history
	Slipped []Slip
	// StartCoverage is Flow.Start divided by the period's quota.
	StartCoverage, SlippedV, StageAge, Conversion, Velocity Value
	Aging                                                   []StageAge
	// Oldest are the open deals longest in their stage at the cut, longest first.
	Oldest []AgedDeal
	Steps  []StageStep
	Trend  []ForecastPoint
}

// Slip is a deal pushed out of the period, for the page.
type Slip struct {
	Move
	ID, Name, Account string
}

// StageAge is one stage of the open pipeline at the cut: how long its
// deals have been in it.
type StageAge struct {
	Stage   string
	Count   int
	AvgDays float64
	MaxDays int
}

// AgedDeal is an open deal with the days it has spent in its stage.
type AgedDeal struct {
	Deal *data.Opportunity
	Days int
}

// oldestShown is how many of the deals longest in their stage a page lists.
const oldestShown = 5

// StageStep is the conversion out of one stage over the twelve months up
// to the cut.
type StageStep struct {
	Stage    string
	Next     string // the next stage in order, or "Won"
	Exits    int    // deals that left the stage
	Advanced int    // ... to a later stage or won
	Rate     float64
}

// ForecastPoint is the period's forecast on one day: won so far and the open
// deals expected to close in the period by forecast category.
type ForecastPoint struct {
	Day                    civil.Date
	Won, Commit, BestCase  Cents
	InProgress, PeriodLast bool
}

// trailingDays is the window of stage conversion and sales velocity.
const trailingDays = 365

// histView is what pipeline history tells a month or quarter page: the
// flow report, and for a finished period the open pipeline as it was at its
// end (the CRM export keeps only each deal's current dates and stage).
type histView struct {
	flow *FlowReport
	// The open pipeline at the cut, as the history has it.
	pastDue, stalled []*data.Opportunity
	stageMix         []StageCount
	// values are the metrics known only from pipeline history.
	values []Value
}

// pipelineHistory computes the history part of a month or quarter page.
// Nil without history for the period's start. It reads the rep page and
// changes nothing: the pipeline view takes what it needs from the result.
func (m *Model) pipelineHistory(r *RepPage) *histView {
	x := m.hist
	p := r.Period
	if x == nil || p.Cadence == Week || !x.h.From.Valid() || x.h.From >= p.Start {
		return nil
	}
	rep := r.Rep
	// Only deals that existed by the cut and were open, or changed, in the
	// trailing window can show on the page: skip the rest once.
	window := r.Cut - trailingDays + 1
	var deals []*data.Timeline
	for _, tl := range x.byRep[rep.Index] {
		if n := len(tl.States); n > 0 && tl.Created <= r.Cut && (tl.States[n-1].Outcome == data.Open || tl.States[n-1].From >= min(window, p.Start)) {
			deals = append(deals, tl)
		}
	}
	fr := &FlowReport{Sources: x.h.Sources, From: x.h.From}
	hv := &histView{flow: fr}
	for _, tl := range deals {
		if mv, ok := DealFlow(tl, p.Start, p.End, r.Cut, &fr.Flow); ok {
			s := Slip{Move: mv, ID: tl.ID, Name: tl.ID}
			if tl.Opp >= 0 {
				o := &m.Data.Opportunities[tl.Opp]
				s.Name, s.Account = o.Name, o.Account
			}
			fr.Slipped = append(fr.Slipped, s)
		}
	}
	slices.SortFunc(fr.Slipped, func(a, b Slip) int {
		return cmp.Or(cmp.Compare(b.Pushes, a.Pushes), cmp.Compare(b.Amount, a.Amount), strings.Compare(a.ID, b.ID))
	})
	fr.SlippedV = m.value(rep, "pipeline.slipped", float64(len(fr.Slipped)), true, p, 1, r.InProgress)
	q, hasQ := Quota(rep, p)
	fr.StartCoverage = m.value(rep, "pipeline.start_coverage", fr.Flow.Start.Amount()/max(q, 1), hasQ && q > 0, p, 1, false)

	ages := map[string]*StageAge{}
	stages := map[string]*StageCount{}
	openTotal := 0.0
	ageSum, ageN := 0, 0
	for _, tl := range deals {
		s, ok := tl.At(r.Cut)
		if !ok || s.Outcome != data.Open || s.Gone {
			continue
		}
		o := m.asDeal(tl, s)
		stage := x.h.Text(s.Stage)
		bucket(stages, stage).add(o)
		openTotal += o.Amount
		if s.Close.Valid() && s.Close < r.Cut {
			hv.pastDue = append(hv.pastDue, o)
		}
		if last := LastChange(tl, r.Cut); int(r.Cut-last) > m.Cfg.Reports.StaleDays {
			hv.stalled = append(hv.stalled, o)
		}
		days := int(r.Cut - StageEntered(tl, r.Cut))
		a := ages[stage]
		if a == nil {
			a = &StageAge{Stage: stage}
			ages[stage] = a
		}
		a.Count++
		a.AvgDays += float64(days)
		a.MaxDays = max(a.MaxDays, days)
		fr.Oldest = append(fr.Oldest, AgedDeal{Deal: o, Days: days})
		ageSum += days
		ageN++
	}
	for _, a := range ages {
		a.AvgDays = float64(int(a.AvgDays/float64(a.Count)*10+0.5)) / 10
		fr.Aging = append(fr.Aging, *a)
	}
	slices.SortFunc(fr.Aging, func(a, b StageAge) int { return cmp.Compare(x.order(a.Stage), x.order(b.Stage)) })
	slices.SortFunc(fr.Oldest, func(a, b AgedDeal) int {
		return cmp.Or(cmp.Compare(b.Days, a.Days), strings.Compare(a.Deal.ID, b.Deal.ID))
	})
	fr.Oldest = fr.Oldest[:min(oldestShown, len(fr.Oldest))]
	avgAge := 0.0
	if ageN > 0 {
		avgAge = float64(int(float64(ageSum)/float64(ageN)*10+0.5)) / 10
	}
	fr.StageAge = m.value(rep, "pipeline.stage_age", avgAge, ageN > 0, p, 1, r.InProgress)
	hv.stageMix = stageMix(stages, openTotal)
	fr.Steps, fr.Conversion = m.conversion(r, deals)
	fr.Trend = m.forecastTrend(r, deals)
	fr.Velocity = m.velocity(r)
	flowValue := m.value(rep, "pipeline.flow", fr.Flow.End.Amount(), true, p, 1, r.InProgress)
	hv.values = []Value{fr.StartCoverage, fr.SlippedV, fr.StageAge, fr.Conversion, fr.Velocity, flowValue}
	return hv
}

// stageMix lists the stages of an open pipeline by amount, largest first,
// each with its share of total.
func stageMix(stages map[string]*StageCount, total float64) []StageCount {
	out := make([]StageCount, 0, len(stages))
	for _, s := range stages {
		if total > 0 {
			s.Share = s.Amount / total
		}
		s.Amount = round2(s.Amount)
		out = append(out, *s)
	}
	slices.SortFunc(out, func(a, b StageCount) int {
		return cmp.Or(cmp.Compare(b.Amount, a.Amount), strings.Compare(a.Stage, b.Stage))
	})
	return out
}

// order is a stage's place in the stage order (unknown stages last).
func (x *histIndex) order(stage string) int {
	if i, ok := x.rank[stage]; ok {
		return i
	}
	return len(x.stages)
}

// asDeal is the deal as it stood in state s, for the deal tables.
func (m *Model) asDeal(tl *data.Timeline, s data.DealState) *data.Opportunity {
	o := &data.Opportunity{ID: tl.ID, Name: tl.ID, Rep: tl.Rep, Created: tl.Created}
	if tl.Opp >= 0 {
		c := m.Data.Opportunities[tl.Opp]
		o = &c
	}
	o.Stage, o.ForecastCategory, o.Outcome = m.hist.h.Text(s.Stage), m.hist.h.Text(s.Category), s.Outcome
	o.Amount, o.HasAmount, o.Close = s.Amount, s.HasAmount, s.Close
	return o
}

// conversion is stage-to-stage conversion over the twelve months up to the
// cut: for each open stage, of the deals that left it in the window, the
// share that moved to a later stage or were won (the others were lost,
// left the pipeline or went back). The overall rate sums every stage.
func (m *Model) conversion(r *RepPage, deals []*data.Timeline) ([]StageStep, Value) {
	x := m.hist
	window := r.Cut - trailingDays + 1
	steps := map[string]*StageStep{}
	for _, tl := range deals {
		for i := 1; i < len(tl.States) && tl.States[i].From <= r.Cut; i++ {
			a, b := tl.States[i-1], tl.States[i]
			if b.From < window || a.Outcome != data.Open || a.Gone || a.Stage == 0 || a.Stage == b.Stage && b.Outcome == data.Open && !b.Gone {
				continue
			}
			from := x.h.Text(a.Stage)
			st := steps[from]
			if st == nil {
				st = &StageStep{Stage: from}
				steps[from] = st
			}
			st.Exits++
			if b.Outcome == data.Won || (b.Outcome == data.Open && !b.Gone && x.order(x.h.Text(b.Stage)) > x.order(from)) {
				st.Advanced++
			}
		}
	}
	var out []StageStep
	adv, exits := 0, 0
	for _, st := range steps {
		st.Rate = float64(st.Advanced) / float64(st.Exits)
		st.Next = "Won"
		if i := x.order(st.Stage); i+1 < len(x.stages) {
			st.Next = x.stages[i+1]
		}
		adv += st.Advanced
		exits += st.Exits
		out = append(out, *st)
	}
	slices.SortFunc(out, func(a, b StageStep) int { return cmp.Compare(x.order(a.Stage), x.order(b.Stage)) })
	rate := 0.0
	if exits > 0 {
		rate = float64(adv) / float64(exits)
	}
	return out, m.value(r.Rep, "pipeline.conversion", rate, exits > 0, r.Period, 1, r.InProgress)
}

// forecastTrend is the period's forecast at the end of each week of the
// period, up to the cut: won so far, and the open deals expected to close
// in the period with forecast category commit and best case.
func (m *Model) forecastTrend(r *RepPage, deals []*data.Timeline) []ForecastPoint {
	p := r.Period
	var days []civil.Date
	for _, w := range m.Cal.Range(Week, p.Start, r.Cut) {
		if w.End < r.Cut {
			days = append(days, w.End)
		}
	}
	days = append(days, r.Cut)
	pts := make([]ForecastPoint, len(days))
	for i, d := range days {
		pts[i] = ForecastPoint{Day: d, InProgress: d == m.AsOf && r.InProgress, PeriodLast: d == p.End}
		for _, tl := range deals {
			s, ok := tl.At(d)
			if !ok {
				continue
			}
			switch {
			case s.Outcome == data.Won && !s.Gone && s.From >= p.Start:
				pts[i].Won += cents(s)
			case inScope(s, p.Start, p.End):
				switch strings.ToLower(m.hist.h.Text(s.Category)) {
				case "commit":
					pts[i].Commit += cents(s)
				case "best case", "bestcase", "best_case":
					pts[i].BestCase += cents(s)
				}
			}
		}
	}
	return pts
}

// velocity is sales velocity at the cut: open deals × win rate × average
// won deal size ÷ average cycle in days, with win rate, deal size and cycle
// over the deals closed in the twelve months up to the cut. It is the
// amount the pipeline turns into revenue per day.
func (m *Model) velocity(r *RepPage) Value {
	opps := m.reps[r.Rep.Index].opps
	from := r.Cut - trailingDays + 1
	won, lost := Closed(opps, data.Won, from, r.Cut), Closed(opps, data.Lost, from, r.Cut)
	wr, ok1 := WinRate(won, lost)
	size, ok2 := DealSize(won)
	cycle, _, ok3 := CycleDays(opps, from, r.Cut)
	open := OpenAt(opps, r.Cut).Count
	ok := ok1 && ok2 && ok3 && cycle > 0
	v := 0.0
	if ok {
		v = round2(float64(open) * wr * size / cycle)
	}
	return m.value(r.Rep, "sales_velocity", v, ok, r.Period, 1, r.InProgress)
}

// CheckHistory reports what in the pipeline history needs the data
// cut-off to be judged: changes dated after it (a typo in a date, or a
// snapshot from the future), which are not counted, one warning per file at
// its first such row; and deals whose state at the cut-off disagrees with
// the current export.
func CheckHistory(d *data.Data, asOf civil.Date) diag.List {
	var diags diag.List
	if d.History == nil {
		return nil
	}
	for i := range d.History.Deals {
		if m, ok := disagreement(d, &d.History.Deals[i], asOf); ok {
			diags.Add(m)
		}
	}
	for _, day := range d.History.Snapshots {
		if file, ok := d.History.SnapshotFiles[day]; ok && day > asOf {
			diags.Warnf(file, 0, "the snapshot of %s is after the data cut-off %s; it is not counted: fix its name, or set calendar.as_of", day, asOf)
		}
	}
	type first struct {
		line  int32
		date  civil.Date
		count int
	}
	byFile := map[string]*first{}
	var files []string
	for _, tl := range d.History.Deals {
		for _, s := range tl.States {
			file := d.History.Text(s.File)
			if s.From <= asOf || file == "" || d.History.SnapshotFiles[s.From] == file {
				continue
			}
			f := byFile[file]
			if f == nil {
				f = &first{line: s.Line, date: s.From}
				byFile[file] = f
				files = append(files, file)
			}
			if s.Line < f.line {
				f.line, f.date = s.Line, s.From
			}
			f.count++
		}
	}
	slices.Sort(files)
	for _, file := range files {
		f := byFile[file]
		more := ""
		if f.count > 1 {
			more = fmt.Sprintf(" (and %d more changes in this file)", f.count-1)
		}
		diags.Add(diag.Diagnostic{File: file, Line: int(f.line), Severity: diag.Warning, Row: true,
			Msg: fmt.Sprintf("change dated %s is after the data cut-off %s%s; it is not counted: fix the date, or set calendar.as_of", f.date, asOf, more)})
	}
	return diags
}

// disagreement compares a deal's state at the cut-off in the history with
// the current export: a change missing from one of them.
func disagreement(d *data.Data, tl *data.Timeline, asOf civil.Date) (diag.Diagnostic, bool) {
	if tl.Opp < 0 || !tl.Observed {
		return diag.Diagnostic{}, false
	}
	last, ok := tl.At(asOf)
	if !ok {
		return diag.Diagnostic{}, false
	}
	o := &d.Opportunities[tl.Opp]
	var diffs []string
	stage := d.History.Text(last.Stage)
	if last.Outcome != o.Outcome || (o.Outcome == data.Open && stage != "" && o.Stage != "" && !strings.EqualFold(stage, o.Stage)) {
		diffs = append(diffs, fmt.Sprintf("stage %q, export %q", stage, o.Stage))
	}
	if last.HasAmount && o.HasAmount && ToCents(last.Amount) != ToCents(o.Amount) {
		diffs = append(diffs, fmt.Sprintf("amount %s, export %s", strconv.FormatFloat(last.Amount, 'f', -1, 64), strconv.FormatFloat(o.Amount, 'f', -1, 64)))
	}
	if last.Close.Valid() && o.Close.Valid() && last.Close != o.Close {
		diffs = append(diffs, fmt.Sprintf("close date %s, export %s", last.Close, o.Close))
	}
	if len(diffs) == 0 {
		return diag.Diagnostic{}, false
	}
	return diag.Diagnostic{File: d.History.Text(last.File), Line: int(last.Line), Severity: diag.Warning, Row: true,
		Msg: fmt.Sprintf("deal %q stands in the history on %s with %s (%s:%d); a change is missing from the history or the export is older than it", tl.ID, asOf, strings.Join(diffs, "; "), d.FileOf(o.File), o.Line)}, true
}
