package report

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/coachbook/coachbook/site/civil"
	"github.com/coachbook/coachbook/site/config"
	"github.com/coachbook/coachbook/site/content"
	"github.com/coachbook/coachbook/site/data"
	"github.com/coachbook/coachbook/site/metric"
)

// TrendWeeks is how many weeks the weekly trend charts show.
const TrendWeeks = 13

// Value is one metric's value for a rep and period, judged against its
// target, with the guide sections that coach it.
type Value struct {
	metric.Def
	V         float64
	OK        bool // the value is defined (a win rate needs closed deals)
	Target    float64
	HasTarget bool
	Off       bool
	Coach     []content.Coaching
	// Note adds what the number alone does not say ("missed 3 weeks in a row").
	Note string
}

// Model holds everything the reports need, indexed once per build.
type Model struct {
	Cfg      *config.Config
	Cal      Calendar
	Data     *data.Data
	AsOf     civil.Date
	First    civil.Date // earliest date in the data, or AsOf
	Coaching map[string][]content.Coaching
	// HasLog says whether a coaching log exists; without one, meetings held
	// are unknown rather than zero.
	HasLog  bool
	reps    []repIndex
	typeIdx map[string]int         // activity type -> index in Data.ActivityTypes
	plans   map[planKey]*data.Plan // the plan of a rep for a quarter
	hist    *histIndex             // pipeline history by rep; nil without one
}

type planKey struct {
	rep     int
	quarter string
}

type repIndex struct {
	// sums[type][i] is the total count of that type on days First..First+i-1;
	// rows[type][i] the number of rows. A period's sum is a subtraction.
	sums, rows [][]int32
	opps       []*data.Opportunity
	forecasts  []*data.Forecast
	meetings   []*data.Meeting
}

// NewModel indexes the data by rep.
func NewModel(cfg *config.Config, d *data.Data, coaching map[string][]content.Coaching, asOf civil.Date) *Model {
	m := &Model{Cfg: cfg, Cal: NewCalendar(cfg.Calendar), Data: d, AsOf: asOf, Coaching: coaching, First: asOf,
		typeIdx: map[string]int{}, plans: map[planKey]*data.Plan{}}
	for i, t := range d.ActivityTypes {
		m.typeIdx[t] = i
	}
	for i := range d.Plans {
		pl := &d.Plans[i]
		m.plans[planKey{int(pl.Rep), pl.Quarter}] = pl
	}
	m.hist = newHistIndex(d)
	for _, f := range d.Files {
		m.HasLog = m.HasLog || (f.Kind == "coaching" && f.Present)
	}
	for _, a := range d.Activities {
		m.First = min(m.First, a.Date)
	}
	for i := range d.Opportunities {
		if c := d.Opportunities[i].Created; c.Valid() {
			m.First = min(m.First, c)
		}
	}
	days := max(0, int(asOf-m.First)+1)
	m.reps = make([]repIndex, len(d.Team.Reps))
	for r := range m.reps {
		ri := &m.reps[r]
		ri.sums = make([][]int32, len(d.ActivityTypes))
		ri.rows = make([][]int32, len(d.ActivityTypes))
	}
	for _, a := range d.Activities {
		if a.Date > asOf {
			continue
		}
		ri := &m.reps[a.Rep]
		if ri.sums[a.Type] == nil {
			ri.sums[a.Type] = make([]int32, days+1)
			ri.rows[a.Type] = make([]int32, days+1)
		}
		i := int(a.Date-m.First) + 1
		ri.sums[a.Type][i] += a.Count
		ri.rows[a.Type][i]++
	}
	for r := range m.reps {
		for t := range m.reps[r].sums {
			for _, arr := range [][]int32{m.reps[r].sums[t], m.reps[r].rows[t]} {
				for i := 1; i < len(arr); i++ {
					arr[i] += arr[i-1]
				}
			}
		}
	}
	for i := range d.Opportunities {
		o := &d.Opportunities[i]
		m.reps[o.Rep].opps = append(m.reps[o.Rep].opps, m.cut(o))
	}
	for i := range d.Forecasts {
		f := &d.Forecasts[i]
		if f.Date <= asOf {
			m.reps[f.Rep].forecasts = append(m.reps[f.Rep].forecasts, f)
		}
	}
	for i := range d.Meetings {
		x := &d.Meetings[i]
		if x.Date <= asOf {
			m.reps[x.Rep].meetings = append(m.reps[x.Rep].meetings, x)
		}
	}
	return m
}

// cut returns the deal as it stood at the data cut-off: a deal closed after
// as_of is still open then, with its close date as the expected one.
func (m *Model) cut(o *data.Opportunity) *data.Opportunity {
	if o.Outcome != data.Open && o.Close > m.AsOf {
		c := *o
		c.Outcome = data.Open
		return &c
	}
	return o
}

// ActivityCounts sums count by activity type over the rows dated in
// [from, to] (to no later than as_of). Only the types with at least one row
// in the span are keys.
func (m *Model) ActivityCounts(rep int, from, to civil.Date) map[string]int {
	counts := map[string]int{}
	lo, hi, ok := m.span(from, to)
	if !ok {
		return counts
	}
	for t, arr := range m.reps[rep].sums {
		if arr != nil && m.reps[rep].rows[t][hi] > m.reps[rep].rows[t][lo] {
			counts[m.Data.ActivityTypes[t]] = int(arr[hi] - arr[lo])
		}
	}
	return counts
}

// activityCount is ActivityCounts for one type.
func (m *Model) activityCount(rep int, typ string, from, to civil.Date) int {
	t, known := m.typeIdx[typ]
	lo, hi, ok := m.span(from, to)
	if !known || !ok || m.reps[rep].sums[t] == nil {
		return 0
	}
	return int(m.reps[rep].sums[t][hi] - m.reps[rep].sums[t][lo])
}

// span turns [from, to], cut at as_of, into prefix-sum indexes.
func (m *Model) span(from, to civil.Date) (lo, hi int, ok bool) {
	to, from = min(to, m.AsOf), max(from, m.First)
	if to < from {
		return 0, 0, false
	}
	return int(from - m.First), int(to-m.First) + 1, true
}

// WonIn is the amount a rep won in a period, up to as_of.
func (m *Model) WonIn(rep *data.Rep, p Period) float64 {
	return Closed(m.reps[rep.Index].opps, data.Won, p.Start, min(p.End, m.AsOf)).Amount
}

// missedWeeks counts the consecutive completed weeks, back from last, in
// which a rep's count of an activity type was below target, as far back as
// the rep's time on the team goes.
func (m *Model) missedWeeks(rep *data.Rep, typ string, target float64, last Period) int {
	from, _ := m.Active(rep)
	n := 0
	for w := last; w.End >= from && w.End < m.AsOf; w = m.Cal.Prev(w) {
		if float64(m.activityCount(rep.Index, typ, w.Start, w.End)) >= target {
			break
		}
		n++
	}
	return n
}

// Active is the span a rep is reported for: from their start (or the first
// date in the data) to their end (or as_of).
func (m *Model) Active(rep *data.Rep) (civil.Date, civil.Date) {
	from, to := m.First, m.AsOf
	if rep.Start.Valid() {
		from = max(from, rep.Start)
	}
	if rep.End.Valid() {
		to = min(to, rep.End)
	}
	return from, to
}

// Periods lists the periods of a cadence reported for a rep.
func (m *Model) Periods(rep *data.Rep, c Cadence) []Period {
	from, to := m.Active(rep)
	return m.Cal.Range(c, from, to)
}

// value builds a Value for a metric with the rep's target (or the
// metric's default target) and coaching, judged for a period that is in
// progress or not.
func (m *Model) value(rep *data.Rep, id string, v float64, ok, inProgress bool) Value {
	def, _ := metric.Lookup(id)
	val := Value{Def: def, V: v, OK: ok, Coach: m.Coaching[id]}
	val.Target, val.HasTarget = rep.Targets[id]
	if !val.HasTarget && def.DefaultTarget > 0 {
		val.Target, val.HasTarget = def.DefaultTarget, true
	}
	val.judge(inProgress)
	return val
}

// judge sets Off: a defined value on the wrong side of its target. A
// WholePeriod metric is not judged while its period is in progress.
func (v *Value) judge(inProgress bool) {
	v.Off = false
	if !v.OK || !v.HasTarget || (v.WholePeriod && inProgress) {
		return
	}
	if v.Direction == metric.LowerIsBetter {
		v.Off = v.V > v.Target
	} else {
		v.Off = v.V < v.Target
	}
}

// weeklyValue is a rep's average weekly count of an activity type over the
// completed weeks of a period: settled weeks, so judged even while the
// period is in progress.
func (m *Model) weeklyValue(rep *data.Rep, typ string, p Period) Value {
	avg, ok := m.WeeklyAverage(rep, typ, p)
	v := m.value(rep, metric.ActivityPrefix+typ, avg, ok, false)
	v.Name += " per week"
	v.WholePeriod = false // an average of completed weeks is settled
	return v
}

// quota returns the rep's quota for a period (none for weeks).
func quota(rep *data.Rep, c Cadence) (float64, bool) {
	if !rep.Quota.Set {
		return 0, false
	}
	switch c {
	case Month:
		return rep.Quota.Monthly, true
	case Quarter:
		return rep.Quota.Quarterly, true
	}
	return 0, false
}

// ActivityLine is one activity type on a weekly page.
type ActivityLine struct {
	Value
	Type      string
	Streak    int  // consecutive completed weeks below target
	Pattern   bool // Streak reached pattern_after
	Remaining int  // still needed this week (week in progress only)
	Trend     []Point
}

// Point is one bar of a trend chart.
type Point struct {
	Label      string
	V          float64
	InProgress bool
}

// StageCount is one stage of the open pipeline.
type StageCount struct {
	Stage string
	CountAmount
	Share float64 // of the open amount
}

// ForecastView is the forecast section of a monthly or quarterly page.
type ForecastView struct {
	Commit     *data.Forecast
	Accuracy   Value
	Categories []StageCount // open deals expected to close in the period, by forecast category
	Won        float64
	Quota      float64
	HasQuota   bool
}

// RepReport is everything one rep page shows for one period.
type RepReport struct {
	Rep        *data.Rep
	Manager    *data.Manager
	Period     Period
	InProgress bool
	Cut        civil.Date // the last day counted: the period's end, or as_of
	Prev, Next *Period

	OffTarget  []Value
	Activities []ActivityLine
	Counts     map[string]int // every activity type with rows in the period
	Created    CountAmount
	Won        CountAmount
	Lost       CountAmount
	Open       CountAmount
	Quota      float64
	HasQuota   bool
	Attainment Value

	// Month and quarter.
	Coverage, WinRate, DealSize, CycleDays, PastDueV, StalledV Value
	StageMix                                                   []StageCount
	PastDue, Stalled, Largest                                  []*data.Opportunity
	Missing                                                    int
	Forecast                                                   *ForecastView
	Held, Expected                                             map[string]int
	HeldRatio                                                  Value

	// Quarter.
	YTD       Value
	YTDWon    float64
	YTDQuota  float64
	YearName  string
	History   []QuarterBar
	Plan      *PlanView
	Levers    []Value
	WeekTrend []Point // created pipeline by week, for the quarter

	// Flow is what the pipeline history adds (month and quarter); nil without history.
	Flow *FlowReport
}

// QuarterBar is one quarter of the history chart.
type QuarterBar struct {
	Period     Period
	Won        float64
	Quota      float64
	Attainment float64
	HasQuota   bool
	InProgress bool
}

// WeeklyAverage is the average weekly count of an activity type over the
// completed weeks that start in the period and fall in the rep's time on
// the team; not defined before one such week is over.
func (m *Model) WeeklyAverage(rep *data.Rep, typ string, p Period) (float64, bool) {
	from, to := m.Active(rep)
	n, sum := 0, 0
	for _, w := range m.Cal.Range(Week, max(p.Start, from), min(p.End, to)) {
		if w.Start < p.Start || w.Start < from || w.End >= m.AsOf || w.End > to {
			continue
		}
		sum += m.activityCount(rep.Index, typ, w.Start, w.End)
		n++
	}
	if n == 0 {
		return 0, false
	}
	return math.Round(float64(sum)/float64(n)*10) / 10, true
}

// PlanView is a territory plan with its goals judged.
type PlanView struct {
	*data.Plan
	Goals   []Value
	Actions []PlanActionView
}

// PlanActionView is a plan action, flagged when overdue.
type PlanActionView struct {
	data.PlanAction
	Overdue bool
}

// Rep computes a rep's report for one period.
func (m *Model) Rep(rep *data.Rep, p Period) *RepReport {
	ri := &m.reps[rep.Index]
	r := &RepReport{Rep: rep, Period: p, Cut: min(p.End, m.AsOf), InProgress: p.Contains(m.AsOf)}
	if i := m.Data.Team.Manager(rep.Manager); i >= 0 {
		r.Manager = m.Data.Team.Managers[i]
	}
	from, to := m.Active(rep)
	if prev := m.Cal.Prev(p); prev.End >= from {
		r.Prev = &prev
	}
	if next := m.Cal.Of(p.Cadence, p.End+1); next.Start <= to {
		r.Next = &next
	}
	r.Counts = m.ActivityCounts(rep.Index, p.Start, p.End)
	r.Created = Created(ri.opps, p.Start, r.Cut)
	r.Won = Closed(ri.opps, data.Won, p.Start, r.Cut)
	r.Lost = Closed(ri.opps, data.Lost, p.Start, r.Cut)
	r.Open = OpenAt(ri.opps, r.Cut)
	r.Quota, r.HasQuota = quota(rep, p.Cadence)
	att, ok := Attainment(r.Won.Amount, r.Quota)
	r.Attainment = m.value(rep, "attainment", att, ok && r.HasQuota, r.InProgress)
	switch p.Cadence {
	case Week:
		m.week(r, ri)
	case Month:
		m.month(r, ri)
	case Quarter:
		m.month(r, ri)
		m.quarter(r, ri)
	}
	for _, v := range append([]Value{r.Attainment, r.Coverage, r.WinRate, r.PastDueV, r.StalledV, r.HeldRatio}, r.Levers...) {
		if v.Off && !slices.ContainsFunc(r.OffTarget, func(x Value) bool { return x.ID == v.ID }) {
			r.OffTarget = append(r.OffTarget, v)
		}
	}
	if r.Forecast != nil && r.Forecast.Accuracy.Off {
		r.OffTarget = append(r.OffTarget, r.Forecast.Accuracy)
	}
	r.Flow = m.pipelineHistory(r)
	return r
}

func (m *Model) week(r *RepReport, ri *repIndex) {
	rep, p := r.Rep, r.Period
	types := map[string]bool{}
	for t := range r.Counts {
		types[t] = true
	}
	for id := range rep.Targets {
		if t, ok := strings.CutPrefix(id, metric.ActivityPrefix); ok {
			types[t] = true
		}
	}
	names := make([]string, 0, len(types))
	for t := range types {
		names = append(names, t)
	}
	slices.SortFunc(names, func(a, b string) int {
		_, ta := rep.Targets[metric.ActivityPrefix+a]
		_, tb := rep.Targets[metric.ActivityPrefix+b]
		if ta != tb {
			if ta {
				return -1
			}
			return 1
		}
		return strings.Compare(a, b)
	})
	from, _ := m.Active(rep)
	// The trend: this week and the weeks before it, oldest first, counted once.
	var weeks []Period
	for w := p; len(weeks) < TrendWeeks && w.End >= from; w = m.Cal.Prev(w) {
		weeks = append(weeks, w)
	}
	slices.Reverse(weeks)
	counts := make([]map[string]int, len(weeks))
	for i, w := range weeks {
		counts[i] = m.ActivityCounts(rep.Index, w.Start, w.End)
	}
	// The last completed week: this one, or the one before it while this
	// one is in progress (its misses are last week's commitments).
	last := p
	if r.InProgress {
		last = m.Cal.Prev(p)
	}
	for _, t := range names {
		id := metric.ActivityPrefix + t
		line := ActivityLine{Type: t, Value: m.value(rep, id, float64(r.Counts[t]), true, r.InProgress)}
		for i, w := range weeks {
			line.Trend = append(line.Trend, Point{Label: w.Short(), V: float64(counts[i][t]), InProgress: w.Contains(m.AsOf)})
		}
		if line.HasTarget {
			if r.InProgress {
				line.Remaining = max(0, int(math.Ceil(line.Target))-r.Counts[t])
			}
			line.Streak = m.missedWeeks(rep, t, line.Target, last)
			line.Pattern = line.Streak >= m.Cfg.Reports.PatternAfter
			// Coach a miss this week, and in the week in progress a miss
			// last week: the meeting starts with last week's commitments.
			if line.Off || line.Streak > 0 {
				v := line.Value
				v.Off = true
				switch {
				case line.Pattern:
					v.Note = fmt.Sprintf("pattern: missed %d weeks in a row", line.Streak)
				case line.Streak > 1:
					v.Note = fmt.Sprintf("missed %d weeks in a row", line.Streak)
				case line.Streak == 1 && r.InProgress:
					v.Note = "missed last week"
				}
				if r.InProgress {
					v.V = float64(m.activityCount(rep.Index, t, last.Start, last.End))
					v.Name += " last week"
				}
				r.OffTarget = append(r.OffTarget, v)
			}
		}
		r.Activities = append(r.Activities, line)
	}
	if created := m.value(rep, "pipeline.created", r.Created.Amount, true, r.InProgress); created.Off {
		r.OffTarget = append(r.OffTarget, created)
	}
}

func (m *Model) month(r *RepReport, ri *repIndex) {
	rep, p := r.Rep, r.Period
	q := m.Cal.Of(Quarter, r.Cut)
	qQuota, hasQ := quota(rep, Quarter)
	wonQ := Closed(ri.opps, data.Won, q.Start, r.Cut)
	cov, ok := Coverage(r.Open.Amount, qQuota, wonQ.Amount)
	r.Coverage = m.value(rep, "pipeline.coverage", cov, ok && hasQ, r.InProgress)
	wr, ok := WinRate(r.Won, r.Lost)
	r.WinRate = m.value(rep, "win_rate", wr, ok, r.InProgress)
	ds, ok := DealSize(r.Won)
	r.DealSize = m.value(rep, "deal_size", ds, ok, r.InProgress)
	cd, ok := CycleDays(ri.opps, p.Start, r.Cut)
	r.CycleDays = m.value(rep, "cycle_days", cd, ok, r.InProgress)

	stages := map[string]*StageCount{}
	for _, o := range ri.opps {
		if !isOpenAt(o, r.Cut) {
			continue
		}
		// A deal that closed after the period was open at its end, in a
		// stage the data no longer records.
		stage := o.Stage
		switch o.Outcome {
		case data.Won:
			stage = "Won later"
		case data.Lost:
			stage = "Lost later"
		}
		bucket(stages, stage).add(o)
		if o.Outcome == data.Open {
			r.Largest = append(r.Largest, o)
			if !o.HasAmount || !o.Close.Valid() {
				r.Missing++
			}
			if PastDue(o, r.Cut) {
				r.PastDue = append(r.PastDue, o)
			}
			if Stalled(o, r.Cut, m.Cfg.Reports.StaleDays) {
				r.Stalled = append(r.Stalled, o)
			}
		}
	}
	for _, s := range stages {
		if r.Open.Amount > 0 {
			s.Share = s.Amount / r.Open.Amount
		}
		s.Amount = round2(s.Amount)
		r.StageMix = append(r.StageMix, *s)
	}
	slices.SortFunc(r.StageMix, func(a, b StageCount) int {
		return cmp.Or(cmp.Compare(b.Amount, a.Amount), strings.Compare(a.Stage, b.Stage))
	})
	slices.SortFunc(r.Largest, func(a, b *data.Opportunity) int { return cmp.Compare(b.Amount, a.Amount) })
	r.Largest = r.Largest[:min(10, len(r.Largest))]
	// Past-due and stalled deals are judged on the deals as they stand now,
	// so only for the period in progress.
	r.PastDueV = m.value(rep, "pipeline.past_due", float64(len(r.PastDue)), r.InProgress, r.InProgress)
	r.StalledV = m.value(rep, "pipeline.stalled", float64(len(r.Stalled)), r.InProgress, r.InProgress)

	fv := &ForecastView{Won: r.Won.Amount, Quota: r.Quota, HasQuota: r.HasQuota}
	fv.Commit = CommitFor(ri.forecasts, p.ID, p.Start)
	if fv.Commit != nil {
		acc, ok := Accuracy(r.Won.Amount, fv.Commit.Commit)
		fv.Accuracy = m.value(rep, "forecast.accuracy", acc, ok && !r.InProgress, r.InProgress)
	} else {
		fv.Accuracy = m.value(rep, "forecast.accuracy", 0, false, r.InProgress)
	}
	cats := map[string]*StageCount{}
	for _, o := range ri.opps {
		if o.Outcome == data.Open && o.Close.Valid() && p.Contains(o.Close) && isOpenAt(o, r.Cut) {
			name := o.ForecastCategory
			if name == "" {
				name = "(none)"
			}
			bucket(cats, name).add(o)
		}
	}
	for _, c := range cats {
		c.Amount = round2(c.Amount)
		fv.Categories = append(fv.Categories, *c)
	}
	slices.SortFunc(fv.Categories, func(a, b StageCount) int {
		return cmp.Or(cmp.Compare(categoryRank(a.Stage), categoryRank(b.Stage)), strings.Compare(a.Stage, b.Stage))
	})
	r.Forecast = fv

	from, to := m.Active(rep)
	from, to = max(from, p.Start), min(to, r.Cut)
	r.Held = Held(ri.meetings, p.Start, r.Cut)
	r.Expected = map[string]int{}
	if from <= to {
		// A period in progress expects only the meetings already due.
		end := to
		if r.InProgress {
			end = m.Cal.Prev(m.Cal.Of(Week, m.AsOf)).End
		}
		if end >= from {
			r.Expected = Expected(m.Cal, from, end)
		}
	}
	if p.Cadence == Month {
		delete(r.Expected, "quarterly")
	}
	if p.Cadence == Quarter {
		// The quarterly page looks at the territory review only.
		r.Expected = map[string]int{"quarterly": 1}
	}
	ratio, ok := HeldRatio(r.Held, r.Expected)
	r.HeldRatio = m.value(rep, "coaching.held", ratio, ok && m.HasLog, r.InProgress)
}

// bucket returns the count for name in m, adding it when new.
func bucket(m map[string]*StageCount, name string) *StageCount {
	if s, ok := m[name]; ok {
		return s
	}
	s := &StageCount{Stage: name}
	m[name] = s
	return s
}

func categoryRank(c string) int {
	switch strings.ToLower(c) {
	case "commit":
		return 0
	case "best case":
		return 1
	case "pipeline":
		return 2
	case "omitted":
		return 4
	}
	return 3
}

func (m *Model) quarter(r *RepReport, ri *repIndex) {
	rep, p := r.Rep, r.Period
	fyStart, fyName := m.Cal.FiscalYear(p.Start)
	r.YearName = fyName
	from, _ := m.Active(rep)
	ytdFrom := max(fyStart, from)
	r.YTDWon = Closed(ri.opps, data.Won, fyStart, r.Cut).Amount
	if rep.Quota.Set {
		// Year-to-date quota: the quarterly quota for each quarter of the
		// fiscal year so far that the rep was on the team.
		r.YTDQuota = rep.Quota.Quarterly * float64(len(m.Cal.Range(Quarter, ytdFrom, r.Cut)))
	}
	ytd, ok := Attainment(r.YTDWon, r.YTDQuota)
	r.YTD = m.value(rep, "attainment", ytd, ok, r.InProgress)
	for _, q := range m.Cal.Range(Quarter, max(from, p.Start-365*2), r.Cut) {
		if q.End > p.End {
			break
		}
		bar := QuarterBar{Period: q, Won: m.WonIn(rep, q), InProgress: q.Contains(m.AsOf)}
		bar.Quota, bar.HasQuota = quota(rep, Quarter)
		if bar.HasQuota && bar.Quota > 0 {
			bar.Attainment = bar.Won / bar.Quota
		}
		r.History = append(r.History, bar)
	}
	if len(r.History) > 8 {
		r.History = r.History[len(r.History)-8:]
	}
	// Levers: the value A this quarter beside the target B.
	r.Levers = []Value{r.Coverage, r.WinRate, r.DealSize, r.CycleDays}
	if _, ok := rep.Targets["activity.meetings_set"]; ok {
		if v := m.weeklyValue(rep, "meetings_set", p); v.OK {
			r.Levers = append([]Value{v}, r.Levers...)
		}
	}
	if plan := m.plans[planKey{rep.Index, p.ID}]; plan != nil {
		pv := &PlanView{Plan: plan}
		ids := make([]string, 0, len(plan.Goals))
		for id := range plan.Goals {
			ids = append(ids, id)
		}
		slices.Sort(ids)
		for _, id := range ids {
			var v Value
			switch {
			case id == "attainment":
				v = r.Attainment
			case id == "pipeline.coverage":
				v = r.Coverage
			case id == "win_rate":
				v = r.WinRate
			case id == "deal_size":
				v = r.DealSize
			case id == "cycle_days":
				v = r.CycleDays
			case strings.HasPrefix(id, metric.ActivityPrefix):
				v = m.weeklyValue(rep, strings.TrimPrefix(id, metric.ActivityPrefix), p)
			default:
				def, _ := metric.Lookup(id)
				v = Value{Def: def, Coach: m.Coaching[id]}
			}
			v.Target, v.HasTarget = plan.Goals[id], true
			v.judge(r.InProgress)
			pv.Goals = append(pv.Goals, v)
		}
		for _, a := range plan.Actions {
			pv.Actions = append(pv.Actions, PlanActionView{PlanAction: a, Overdue: a.Due.Valid() && a.Due < m.AsOf && (a.Status == "open" || a.Status == "in progress")})
		}
		r.Plan = pv
	}
	for _, w := range m.Cal.Range(Week, max(p.Start, from), r.Cut) {
		r.WeekTrend = append(r.WeekTrend, Point{Label: w.Short(), V: Created(ri.opps, w.Start, min(w.End, r.Cut)).Amount, InProgress: w.Contains(m.AsOf)})
	}
}
