package report

import (
	"cmp"
	"math"
	"slices"

	"github.com/coachbook/coachbook/site/civil"
	"github.com/coachbook/coachbook/site/config"
	"github.com/coachbook/coachbook/site/data"
	"github.com/coachbook/coachbook/site/metric"
)

// TrendWeeks is how many weeks the weekly trend charts show.
const TrendWeeks = 13

// Value is one metric's value for a rep and period, judged against its
// target. The guide sections that coach it are joined by its ID when the
// page is rendered; Page and Pattern say which section fits best.
type Value struct {
	metric.Def
	V         float64
	OK        bool // the value is defined (a win rate needs closed deals)
	Target    float64
	HasTarget bool
	// TargetFrom says whose target it is: "team target", "rep target",
	// "plan goal" or "default target".
	TargetFrom string
	// Verdict is the value's status against its target (NotJudged when it
	// is not judged); Off says it missed (close or off track).
	Verdict Verdict
	Off     bool
	// Key names the quantity wherever it is shown: rep/period/metric.
	Key string
	// Page is the cadence of the page the value is judged on.
	Page string
	// Pattern marks a pattern of misses (coached differently from one miss).
	Pattern bool
	// Note adds what the number alone does not say ("missed 3 weeks in a row").
	Note Msg
	// Why says why a value is missing ("known only with pipeline history").
	Why Msg
	// Named, when set, is the value's own name in place of its metric's
	// ("Next month's pipeline coverage").
	Named Msg
}

// Model holds everything the reports need, indexed once per build. Work and
// memory grow with the rows, never with the span of dates.
type Model struct {
	Cfg  *config.Config
	Cal  Calendar
	Data *data.Data
	AsOf civil.Date
	// First is the earliest date in the data (or AsOf): a rep without a
	// start date is reported from there.
	First civil.Date
	// HasLog says whether a coaching log exists; without one, meetings held
	// are unknown rather than zero.
	HasLog bool
	// HasCommitments says whether a commitments file exists.
	HasCommitments bool
	// TouchKnown says whether a deal's last touch is known: the
	// opportunities export has a last-activity or last-stage-change
	// column, or there is pipeline history. Without it stalled deals are
	// not judged (a creation date alone would call every old deal stalled).
	TouchKnown bool
	reps       []repIndex
	typeIdx    map[string]int
	plans      map[planKey]*data.Plan
	// keepFrom is, by cadence, the first day of the oldest period that gets
	// its own pages ([reports.keep]).
	keepFrom [3]civil.Date
	// hist is the pipeline history by rep; nil without one.
	hist *histIndex
	// keys are the sums of the inputs of the keyed tasks (inputs.go).
	keys inputKeys
}

type planKey struct {
	rep     int
	quarter string
}

// series is one rep's rows of one activity type, by date: the distinct
// dates in order and the running total of counts up to each.
type series struct {
	dates []civil.Date
	cum   []int64
}

// sum is the total count on the days in [from, to].
func (s *series) sum(from, to civil.Date) int64 {
	if s == nil || to < from {
		return 0
	}
	lo, _ := slices.BinarySearch(s.dates, from)
	hi, found := slices.BinarySearch(s.dates, to)
	if found {
		hi++
	}
	return s.at(hi) - s.at(lo)
}

// rows reports whether any row falls in [from, to].
func (s *series) any(from, to civil.Date) bool {
	if s == nil || to < from {
		return false
	}
	i, _ := slices.BinarySearch(s.dates, from)
	return i < len(s.dates) && s.dates[i] <= to
}

// at is the running total before index i.
func (s *series) at(i int) int64 {
	if i == 0 {
		return 0
	}
	return s.cum[i-1]
}

type repIndex struct {
	acts      []*series // by activity type
	opps      []*data.Opportunity
	forecasts []*data.Forecast
	meetings  []*data.Meeting
	// commitments are the rep's commitments made up to the cut-off,
	// judged, by meeting date.
	commitments []Judged
}

// NewModel indexes the data by rep.
func NewModel(cfg *config.Config, d *data.Data, asOf civil.Date) *Model {
	m := &Model{Cfg: cfg, Cal: NewCalendar(cfg.Calendar), Data: d, AsOf: asOf, First: asOf,
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
		m.HasCommitments = m.HasCommitments || (f.Kind == "commitments" && f.Present)
	}
	m.TouchKnown = TouchKnown(d)
	m.setRange(d, asOf)
	m.reps = make([]repIndex, len(d.Team.Reps))
	for r := range m.reps {
		m.reps[r].acts = make([]*series, len(d.ActivityTypes))
	}
	m.indexActivities(d, asOf)
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
	m.indexCommitments(d, asOf)
	return m
}

// setRange sets the first day of the reported range and, for each cadence,
// the first day of the oldest period kept. Every dated row sets the range:
// an activity, a deal's creation (or, without one, its close), a
// forecast, a meeting, and the first day of a deal in the pipeline
// history.
func (m *Model) setRange(d *data.Data, asOf civil.Date) {
	cfg := m.Cfg
	eachRow(d, func(r rowDate) { m.First = min(m.First, r.date) })
	if d.History != nil {
		for i := range d.History.Deals {
			if c := d.History.Deals[i].Created; c.Valid() {
				m.First = min(m.First, c)
			}
		}
		m.First = max(m.First, floorOf(asOf)) // see MaxYears
	}
	for c, n := range map[Cadence]int{Week: cfg.Reports.Keep.Weeks, Month: cfg.Reports.Keep.Months, Quarter: cfg.Reports.Keep.Quarters} {
		p := m.Cal.Of(c, asOf)
		for i := 1; i < n && p.Start > m.First; i++ {
			p = m.Cal.Prev(p)
		}
		m.keepFrom[c] = p.Start
	}
}

// indexActivities folds each rep's activities up to asOf into a series
// per type: sorted by rep, type and date, with a running total by day.
func (m *Model) indexActivities(d *data.Data, asOf civil.Date) {
	acts := make([]*data.Activity, 0, len(d.Activities))
	for i := range d.Activities {
		if d.Activities[i].Date <= asOf {
			acts = append(acts, &d.Activities[i])
		}
	}
	slices.SortFunc(acts, func(a, b *data.Activity) int {
		return cmp.Or(cmp.Compare(a.Rep, b.Rep), cmp.Compare(a.Type, b.Type), cmp.Compare(a.Date, b.Date))
	})
	for _, a := range acts {
		s := m.reps[a.Rep].acts[a.Type]
		if s == nil {
			s = &series{}
			m.reps[a.Rep].acts[a.Type] = s
		}
		total := int64(a.Count)
		if n := len(s.cum); n > 0 {
			total += s.cum[n-1]
		}
		if n := len(s.dates); n > 0 && s.dates[n-1] == a.Date {
			s.cum[n-1] = total
			continue
		}
		s.dates = append(s.dates, a.Date)
		s.cum = append(s.cum, total)
	}
}

// indexCommitments judges each rep's commitments up to asOf, once the
// rows they are checked against are indexed.
func (m *Model) indexCommitments(d *data.Data, asOf civil.Date) {
	made := make([][]*data.Commitment, len(m.reps))
	for i := range d.Commitments {
		c := &d.Commitments[i]
		if c.Date <= asOf {
			made[c.Rep] = append(made[c.Rep], c)
		}
	}
	for r, cs := range made {
		if len(cs) == 0 {
			continue
		}
		slices.SortStableFunc(cs, func(a, b *data.Commitment) int { return cmp.Compare(a.Date, b.Date) })
		m.reps[r].commitments = m.judgeCommitments(d.Team.Reps[r], cs)
	}
}

// cut returns the deal as it stood at the data cut-off: a deal closed after
// as_of is still open then, with its close date as the expected one. But a
// lost deal whose close date is after a cut-off the data decided (no
// calendar.as_of) was lost by then: its close date is the expected one it
// kept, so it counts as lost on the cut-off.
func (m *Model) cut(o *data.Opportunity) *data.Opportunity {
	if o.Outcome == data.Lost && o.Close > m.AsOf && !m.Cfg.Calendar.AsOf.Valid() {
		c := *o
		c.Close = m.AsOf
		return &c
	}
	if o.Outcome != data.Open && o.Close > m.AsOf {
		c := *o
		c.Outcome = data.Open
		return &c
	}
	return o
}

// HasPage reports whether period p gets its own pages: it is one of the
// latest [reports.keep] periods of its cadence. Older periods keep their
// metrics.json and their line in each rep's history.
func (m *Model) HasPage(p Period) bool { return p.Start >= m.keepFrom[p.Cadence] }

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

// InProgress reports whether p is the period in progress: it contains the
// cut-off and has days after it. A period whose last day is on or before
// the cut-off is complete and judged.
func (m *Model) InProgress(p Period) bool { return p.Contains(m.AsOf) && m.AsOf < p.End }

// Prorated is the share of a period's calendar days that the rep was on
// the team, by their start and end dates (1 for a rep without them).
func Prorated(rep *data.Rep, p Period) float64 {
	from, to := p.Start, p.End
	if rep.Start.Valid() {
		from = max(from, rep.Start)
	}
	if rep.End.Valid() {
		to = min(to, rep.End)
	}
	if to < from {
		return 0
	}
	return float64(to-from+1) / float64(p.Days())
}

// span is the part of [from, to] a rep was on the team, up to as_of; ok is
// false when none of it was.
func (m *Model) span(rep *data.Rep, from, to civil.Date) (civil.Date, civil.Date, bool) {
	if rep.Start.Valid() {
		from = max(from, rep.Start)
	}
	if rep.End.Valid() {
		to = min(to, rep.End)
	}
	to = min(to, m.AsOf)
	return from, to, from <= to
}

// ActivityCounts sums count by activity type over the rows dated in
// [from, to] while the rep was on the team. Only the types with at least
// one row in the span are keys.
func (m *Model) ActivityCounts(rep *data.Rep, from, to civil.Date) map[string]int64 {
	counts := map[string]int64{}
	from, to, ok := m.span(rep, from, to)
	if !ok {
		return counts
	}
	for t, s := range m.reps[rep.Index].acts {
		if s.any(from, to) {
			counts[m.Data.ActivityTypes[t]] = s.sum(from, to)
		}
	}
	return counts
}

// activityCount is ActivityCounts for one type.
func (m *Model) activityCount(rep *data.Rep, typ string, from, to civil.Date) int64 {
	t, known := m.typeIdx[typ]
	from, to, ok := m.span(rep, from, to)
	if !known || !ok {
		return 0
	}
	return m.reps[rep.Index].acts[t].sum(from, to)
}

// deals returns the rep's deals, as they stood at the cut-off.
func (m *Model) deals(rep *data.Rep) []*data.Opportunity { return m.reps[rep.Index].opps }

// WonIn is the amount a rep won in a period while on the team, up to as_of.
func (m *Model) WonIn(rep *data.Rep, p Period) float64 {
	from, to, ok := m.span(rep, p.Start, p.End)
	if !ok {
		return 0
	}
	return Closed(m.deals(rep), data.Won, from, to).Amount
}

// target returns the target of a metric for a rep: the rep's own, the
// team's, or the metric's default.
func (m *Model) target(rep *data.Rep, id string) (float64, string, bool) {
	if t, ok := rep.Targets[id]; ok {
		if tt, team := m.Data.Team.Targets[id]; team && tt == t {
			return t, "team target", true
		}
		return t, "rep target", true
	}
	if def, ok := metric.Lookup(id); ok && def.DefaultTarget > 0 {
		return def.DefaultTarget, "default target", true
	}
	return 0, "", false
}

// teamTarget is a metric's team-wide target, or its default.
func (m *Model) teamTarget(id string) (float64, string, bool) {
	if t, ok := m.Data.Team.Targets[id]; ok {
		return t, "team target", true
	}
	if def, ok := metric.Lookup(id); ok && def.DefaultTarget > 0 {
		return def.DefaultTarget, "default target", true
	}
	return 0, "", false
}

// value builds a Value for a metric on a page of cadence page, with the
// rep's target prorated by share where the metric is an amount per period,
// judged for a period in progress or not.
func (m *Model) value(rep *data.Rep, id string, v float64, ok bool, p Period, share float64, inProgress bool) Value {
	def, _ := metric.Lookup(id)
	val := Value{Def: def, V: v, OK: ok, Page: p.Cadence.String(), Key: key(rep, p, id)}
	val.Target, val.TargetFrom, val.HasTarget = m.target(rep, id)
	if val.HasTarget && def.WholePeriod && def.Unit != metric.Ratio && share < 1 {
		val.Target *= share
	}
	val.judge(inProgress)
	return val
}

// judge sets Off: a defined value on the wrong side of its target, on a
// page of a cadence where the metric is judged. A WholePeriod metric is not
// judged while its period is in progress.
func (v *Value) judge(inProgress bool) {
	v.Off, v.Verdict = false, NotJudged
	if !v.OK || !v.HasTarget || !v.JudgedIn(v.Page) || (v.WholePeriod && inProgress) {
		return
	}
	v.Verdict = Judge(v.V, v.Target, v.Direction)
	v.Off = v.Verdict.Missed()
}

// weekTarget is a rep's target for an activity in one week, prorated by
// the days of the week the rep was on the team.
func (m *Model) weekTarget(rep *data.Rep, typ string, w Period) (float64, bool) {
	t, _, ok := m.target(rep, metric.ActivityPrefix+typ)
	return t * Prorated(rep, w), ok
}

// missedWeeks counts the consecutive completed weeks, back from last, in
// which a rep's count of an activity type was below its (prorated) target,
// as far back as the rep's time on the team goes.
func (m *Model) missedWeeks(rep *data.Rep, typ string, last Period) int {
	from, _ := m.Active(rep)
	n := 0
	for w := last; w.End >= from && !m.InProgress(w) && w.End <= m.AsOf; w = m.Cal.Prev(w) {
		t, ok := m.weekTarget(rep, typ, w)
		if !ok || t <= 0 || float64(m.activityCount(rep, typ, w.Start, w.End)) >= t {
			break
		}
		n++
	}
	return n
}

// WeeklyAverage is a rep's average count of an activity type per full week
// over the completed weeks that start in the period: the sum of the counts
// divided by the weeks, a week the rep was on the team only part of counting
// by its share. Not defined before one such week is over.
func (m *Model) WeeklyAverage(rep *data.Rep, typ string, p Period) (float64, bool) {
	var sum int64
	weeks := 0.0
	for _, w := range m.Cal.Range(Week, p.Start, min(p.End, m.AsOf)) {
		share := Prorated(rep, w)
		if w.Start < p.Start || m.InProgress(w) || w.End > m.AsOf || share == 0 {
			continue
		}
		sum += m.activityCount(rep, typ, w.Start, w.End)
		weeks += share
	}
	if weeks == 0 {
		return 0, false
	}
	return float64(sum) / weeks, true
}

// quota returns the rep's quota for a period of cadence c (none for
// weeks), before proration, in its own currency (see Quota.Currency).
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

// quotaOn is the rep's quota for a period of cadence c in the reports'
// currency, converted at the rate of day, before proration.
func quotaOn(rep *data.Rep, c Cadence, day civil.Date) (float64, bool) {
	q, ok := quota(rep, c)
	if !ok {
		return 0, false
	}
	q, _, _ = rep.Quota.In(q, day)
	return q, true
}

// Quota is the rep's quota for p prorated by the days they were on the
// team in it. A quota in a currency of its own is converted at the rate
// of the period's first day, so a period's quota does not change with
// rates dated after it begins.
func Quota(rep *data.Rep, p Period) (float64, bool) {
	q, ok := quotaOn(rep, p.Cadence, p.Start)
	if !ok {
		return 0, false
	}
	return q * Prorated(rep, p), true
}

// median of a list of numbers (not defined for none).
func median(xs []float64) (float64, bool) {
	if len(xs) == 0 {
		return 0, false
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2], true
	}
	return (s[n/2-1] + s[n/2]) / 2, true
}

// perWeek turns an amount over days into an amount per 7 days.
func perWeek(amount float64, days int) float64 {
	if days <= 0 {
		return math.NaN()
	}
	return amount / float64(days) * 7
}
