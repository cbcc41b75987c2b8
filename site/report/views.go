package report

import (
	"cmp"
	"math"
	"slices"
	"strings"

	"github.com/coachbook/coachbook/site/civil"
	"github.com/coachbook/coachbook/site/data"
	"github.com/coachbook/coachbook/site/metric"
)

// PeriodLink is a period with the address of its page and of its
// metrics.json. A team's period older than [reports.keep] has no page (URL
// ""); a rep's links to its line on the rep's history page (Old).
type PeriodLink struct {
	Period
	URL     string
	JSONURL string
	Old     bool // older than the pages the site keeps: URL is a line of the history page
}

// repLink links a rep's period: its page, or its line on the rep's
// history page when it is older than the pages the site keeps.
func (m *Model) repLink(rep *data.Rep, p Period) PeriodLink {
	u := RepURL(rep.ID, p)
	l := PeriodLink{Period: p, JSONURL: u + "metrics.json", URL: u}
	if !m.HasPage(p) {
		l.URL, l.Old = RepHistoryURL(rep.ID)+"#"+p.ID, true
	}
	return l
}

// teamLink links a team's period.
func (m *Model) teamLink(team string, p Period) PeriodLink {
	u := TeamURL(team, p)
	l := PeriodLink{Period: p, JSONURL: u + "metrics.json"}
	if m.HasPage(p) {
		l.URL = u
	}
	return l
}

// Mate is one rep in a rep page's team switcher.
type Mate struct {
	Name, URL string
	Current   bool
	Off       int // off-target metrics in the period
}

// RepPage is what every rep page shows, whatever its cadence.
type RepPage struct {
	Rep     *data.Rep
	Manager *data.Manager
	Period  Period
	// URL is the page's address; HomeURL the rep's home, TeamURL the team's
	// page for the same period, JSONURL the metrics.json beside the page.
	URL, HomeURL, TeamURL, JSONURL string
	InProgress                     bool
	Cut                            civil.Date // the last day counted: the period's end, or as_of
	Prev, Next                     *PeriodLink
	Mates                          []Mate
	// Prorated is the share of the period's calendar days the rep was on
	// the team (1: all of it); targets and quota are prorated by it.
	Prorated float64
	// OffTarget lists every judged value of this period on the wrong side
	// of its target, in the order the page should coach them.
	OffTarget []Value
	// LastWeek lists, on a week in progress, last week's misses: the
	// meeting starts with them, but they belong to last week, not this one.
	LastWeek []Value

	Counts   map[string]int64 // every activity type with rows in the period
	Created  CountAmount
	Won      CountAmount
	Lost     CountAmount
	Open     CountAmount
	Quota    float64 // prorated
	HasQuota bool
	// QuotaIn is the quota in the rep's own currency, when team.toml gives
	// it in another than the reports' (nil otherwise).
	QuotaIn    *QuotaIn
	Attainment Value
	// Metrics are the named metrics judged on this page's cadence, by id.
	Metrics map[string]Value
	// Before is the previous period, for the change since then (HasBefore
	// false for a rep's first period).
	Before    PeriodLink
	HasBefore bool
	WonBefore float64
	// AttainmentBefore is the previous period's attainment (OK false
	// without a quota).
	AttainmentBefore Value
	// TeamMedian is the median over the team's reps of each metric shown
	// with a team comparison (activity metrics by id too), for teams of two
	// reps or more with a value.
	TeamMedian map[string]float64
	// Commitments are the ones this page's meeting reviews: made at the
	// previous period's meetings of its cadence, and at this period's.
	Commitments *Commitments
	// KeptShare is the follow-through of the commitments due in the
	// period; Kept is its share as a value (commitments.kept), on every
	// cadence, judged on months and quarters. KeptBefore is the previous
	// period's, for the trend.
	KeptShare        Share
	Kept, KeptBefore Value
}

// QuotaIn is a rep's quota in the currency team.toml gives it in, and the
// rate that converted it to the reports' currency: the rate of the
// period's first day (RateFrom is the day that rate is dated, civil.None
// for a fixed rate).
type QuotaIn struct {
	Currency string
	Amount   float64 // prorated, in Currency
	Rate     float64
	RateFrom civil.Date
}

// WeekView is a rep's weekly activity meeting page.
type WeekView struct {
	*RepPage
	Activities []ActivityLine
}

// ActivityLine is one activity type on a weekly page.
type ActivityLine struct {
	Value
	Type      string
	Streak    int   // consecutive completed weeks below target
	Pattern   bool  // Streak reached pattern_after
	Remaining int64 // still needed this week (week in progress only)
	Trend     []Point
}

// LastWeek is the week before the page's in Trend (its last point but
// one); nil when Trend has fewer than two.
func (l *ActivityLine) LastWeek() *Point {
	if len(l.Trend) < 2 {
		return nil
	}
	return &l.Trend[len(l.Trend)-2]
}

// Point is one bar of a trend chart, with its verdict (the colour of its
// bar) and the key of the quantity it draws.
type Point struct {
	Label string
	// Of is the point's period and Form how a chart names it, in the
	// site's language; Label is the English name.
	Of         Period
	Form       PointForm
	V          float64
	InProgress bool
	Verdict    Verdict
	Key        string
}

// PointForm is how a chart names a point's period.
type PointForm uint8

// The forms of a point's name.
const (
	FormShort     PointForm = iota // Period.Short: "W47", "Nov", "Q4"
	FormMonthYY                    // "Nov 26"
	FormMonthYear                  // "Nov 2026"
)

// StageCount is one stage of the open pipeline.
type StageCount struct {
	Stage string
	// Later is "won" or "lost" for the deals of the period that closed
	// after it ("Won later"), whose stage then the data no longer has.
	Later string
	CountAmount
	Share float64 // of the open amount
}

// DealRow is a deal in a table, with what became of it after the period.
type DealRow struct {
	*data.Opportunity
	Later string // "won" or "lost" when the deal closed after the period, else ""
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

// Pacing is what the period in progress still needs: the Thursday-afternoon
// view of a month or a quarter.
type Pacing struct {
	Quota      float64
	Won        float64
	Needed     float64 // quota minus won, never below 0
	Met        bool
	DaysLeft   int     // calendar days after the cut-off
	DaysGone   int     // calendar days of the period up to the cut-off, on the team
	PaceNeeded float64 // won per week needed from here on
	PaceSoFar  float64 // won per week so far
	Closing    CountAmount
	// Coverage is Closing divided by Needed (the pipeline coverage).
	Coverage Value
	// Pace is won against the quota the days gone call for (see pace).
	Pace Value
}

// Pipeline is the pipeline, forecast and coaching part of month and
// quarter pages.
type Pipeline struct {
	Coverage, OpenV, WinRate, DealSize, CycleDays, PastDueV, StalledV, HeldRatio Value
	CycleMedian                                                                  float64
	// NextCoverage is the coverage of the next period, shown on the latest
	// period's page; NextInLevers when the quarter's levers show it (in
	// place of this quarter's coverage), so the pipeline table does not
	// show it again.
	NextCoverage Value
	NextInLevers bool
	NextPeriod   *Period
	Closing      CountAmount // open deals expected to close in the period
	NextClosing  CountAmount
	// QualityKnown says whether past-due and stalled deals can be judged:
	// only for the period in progress, since the export keeps current dates.
	QualityKnown     bool
	StageMix         []StageCount
	PastDue, Stalled []DealRow
	Largest          []DealRow
	Missing          int
	Forecast         ForecastView
	Held, Expected   map[string]int
	// Meetings are the coaching meetings held and expected, counted as the
	// manager's page counts them (the same cell).
	Meetings CadenceCell
	HasLog   bool
	Pacing   *Pacing
	// Flow is where the period's pipeline went, with pipeline history
	// (nil without one).
	Flow *FlowReport
}

// MonthView is a rep's monthly pipeline, forecast and one-on-one page.
type MonthView struct {
	*RepPage
	*Pipeline
}

// QuarterView is a rep's quarterly territory plan review page.
type QuarterView struct {
	*RepPage
	*Pipeline
	YTD     YTDView
	History []QuarterBar
	Plan    *PlanView
	// Levers are the levers and the plan's goals, one row per quantity:
	// the page shows each of them once.
	Levers []LeverRow
	// AttainmentGoal is the plan's goal for the quarter's attainment,
	// shown on the attainment card (HasTarget false without one).
	AttainmentGoal Value
	WeekTrend      []Point // created pipeline by week, for the quarter
}

// LeverRow is one quantity of a quarter page's levers: its value A judged
// against the team's target B, and against the plan's goal when the plan
// sets one (Goal.HasTarget).
type LeverRow struct {
	Value
	Goal Value
}

// YTDView is the fiscal year to date: the year's quarters up to this one,
// each with its won amount and (prorated) quota.
type YTDView struct {
	Year       string
	Quarters   []QuarterBar
	Won, Quota float64
	HasQuota   bool
	Attainment Value
}

// Last is the latest quarter of the year to date (the zero bar when there
// is none): pages name the span "first–last".
func (y YTDView) Last() QuarterBar {
	if len(y.Quarters) == 0 {
		return QuarterBar{}
	}
	return y.Quarters[len(y.Quarters)-1]
}

// QuarterBar is one quarter of the history chart.
type QuarterBar struct {
	PeriodLink
	Won        float64
	Quota      float64
	Attainment float64
	HasQuota   bool
	InProgress bool
	// Status is the quarter's verdict against quota (quotaStatus).
	Status Status
}

// PlanView is a territory plan; its goals are judged in the quarter's
// levers (QuarterView.Levers and AttainmentGoal).
type PlanView struct {
	*data.Plan
	Actions []PlanActionView
}

// PlanActionView is a plan action, flagged when overdue.
type PlanActionView struct {
	data.PlanAction
	Overdue bool
}

// repPage computes what every rep page shows, with the facts its metrics
// are computed from.
func (m *Model) repPage(rep *data.Rep, p Period) (*RepPage, *facts) {
	ri := &m.reps[rep.Index]
	r := &RepPage{Rep: rep, Period: p, Cut: min(p.End, m.AsOf), InProgress: m.InProgress(p),
		URL: RepURL(rep.ID, p), HomeURL: RepHomeURL(rep.ID), TeamURL: TeamURL(rep.Team, p), Prorated: Prorated(rep, p)}
	r.JSONURL = r.URL + "metrics.json"
	if i := m.Data.Team.Manager(rep.Manager); i >= 0 {
		r.Manager = m.Data.Team.Managers[i]
	}
	from, to := m.Active(rep)
	if prev := m.Cal.Prev(p); prev.End >= from && m.HasPage(prev) {
		l := m.repLink(rep, prev)
		r.Prev = &l
	}
	if next := m.Cal.Of(p.Cadence, p.End+1); next.Start <= to && m.HasPage(next) {
		l := m.repLink(rep, next)
		r.Next = &l
	}
	f := &facts{rep: rep, p: p, inProgress: r.InProgress, cut: r.Cut, share: r.Prorated, hasLog: m.HasLog, touchKnown: m.TouchKnown}
	r.Counts = m.ActivityCounts(rep, p.Start, p.End)
	if lo, hi, ok := m.span(rep, p.Start, p.End); ok {
		f.created = Created(ri.opps, lo, hi)
		f.won = Closed(ri.opps, data.Won, lo, hi)
		f.lost = Closed(ri.opps, data.Lost, lo, hi)
		f.cycleMean, f.cycleMedian, f.cycleOK = CycleDays(ri.opps, lo, hi)
	}
	if rep.End.Valid() && rep.End < r.Cut {
		// A rep who left has no pipeline after their last day.
		f.open = OpenAt(ri.opps, rep.End)
	} else {
		f.open = OpenAt(ri.opps, r.Cut)
	}
	f.closing = ClosingIn(ri.opps, r.Cut, p.Start, p.End)
	if prev := m.Cal.Prev(p); prev.End >= from {
		r.Before, r.HasBefore = m.repLink(rep, prev), true
		r.WonBefore = round2(m.WonIn(rep, prev))
		q, ok := Quota(rep, prev)
		att, aok := Attainment(r.WonBefore, q)
		r.AttainmentBefore = Value{V: att, OK: ok && aok}
	}
	f.quota, f.hasQuota = Quota(rep, p)
	if q, ok := quota(rep, p.Cadence); ok && rep.Quota.Currency != "" {
		_, rate, from := rep.Quota.In(q, p.Start)
		r.QuotaIn = &QuotaIn{Currency: rep.Quota.Currency, Amount: round2(q * Prorated(rep, p)), Rate: rate, RateFrom: from}
	}
	f.hasCommitments = m.HasCommitments
	f.kept = FollowThrough(ri.commitments, p.Start, r.Cut)
	r.KeptShare = f.kept
	r.Commitments = m.commitments(rep, p)
	r.Kept = m.value(rep, "commitments.kept", f.kept.V, f.kept.OK && m.HasCommitments, p, 1, r.InProgress)
	if prev := m.Cal.Prev(p); prev.End >= from {
		s := FollowThrough(ri.commitments, prev.Start, prev.End)
		r.KeptBefore = m.value(rep, "commitments.kept", s.V, s.OK && m.HasCommitments, prev, 1, false)
	}
	r.Created, r.Won, r.Lost, r.Open, r.Quota, r.HasQuota = f.created, f.won, f.lost, f.open, f.quota, f.hasQuota
	return r, f
}

// Week computes a rep's weekly page.
func (m *Model) Week(rep *data.Rep, p Period) *WeekView {
	r, f := m.repPage(rep, p)
	w := &WeekView{RepPage: r}
	r.Metrics = m.values(f, Week)
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
	// The trend: this week and the weeks before it, oldest first.
	var weeks []Period
	for x := p; len(weeks) < TrendWeeks && x.End >= from; x = m.Cal.Prev(x) {
		weeks = append(weeks, x)
	}
	slices.Reverse(weeks)
	counts := make([]map[string]int64, len(weeks))
	for i, x := range weeks {
		counts[i] = m.ActivityCounts(rep, x.Start, x.End)
	}
	// The last completed week: this one, or the one before it while this
	// one is in progress (its misses are last week's commitments).
	last := p
	if r.InProgress {
		last = m.Cal.Prev(p)
	}
	for _, t := range names {
		id := metric.ActivityPrefix + t
		line := ActivityLine{Type: t, Value: m.value(rep, id, float64(r.Counts[t]), true, p, r.Prorated, r.InProgress)}
		for i, x := range weeks {
			pt := Point{Label: x.Short(), Of: x, V: float64(counts[i][t]), InProgress: m.InProgress(x), Key: key(rep, x, id)}
			if tg, ok := m.weekTarget(rep, t, x); ok && tg > 0 && !pt.InProgress {
				pt.Verdict = Judge(pt.V, tg, metric.HigherIsBetter)
			}
			line.Trend = append(line.Trend, pt)
		}
		if line.HasTarget {
			if r.InProgress {
				line.Remaining = max(0, int64(math.Ceil(line.Target-1e-9))-r.Counts[t])
			}
			line.Streak = m.missedWeeks(rep, t, last)
			line.Pattern = line.Streak >= m.Cfg.Reports.PatternAfter
			// Coach a miss this week, and in the week in progress a miss
			// last week: the meeting starts with last week's commitments.
			if line.Off || line.Streak > 0 {
				v := line.Value
				v.Off, v.Pattern = true, line.Pattern
				switch {
				case line.Pattern:
					v.Note = M("note.pattern", line.Streak)
				case line.Streak > 1:
					v.Note = M("note.missed_weeks", line.Streak)
				case line.Streak == 1 && r.InProgress:
					v.Note = M("note.missed_last_week")
				}
				if r.InProgress {
					v.V = float64(m.activityCount(rep, t, last.Start, last.End))
					v.Target, _ = m.weekTarget(rep, t, last)
					v.Verdict, v.Key = Judge(v.V, v.Target, v.Direction), key(rep, last, id)
					v.Off = v.Verdict.Missed()
					r.LastWeek = append(r.LastWeek, v)
				} else {
					r.OffTarget = append(r.OffTarget, v)
				}
			}
		}
		w.Activities = append(w.Activities, line)
	}
	r.OffTarget = append(r.OffTarget, offTarget(r.Metrics)...)
	return w
}

// offTarget lists the values that are off target, in catalog order.
func offTarget(vals map[string]Value) []Value {
	var out []Value
	for def := range metric.All() {
		if v, ok := vals[def.ID]; ok && v.Off {
			out = append(out, v)
		}
	}
	return out
}

// pipeline computes the pipeline, forecast and coaching part of a month or
// quarter page.
func (m *Model) pipeline(r *RepPage, f *facts) *Pipeline {
	rep, p := r.Rep, r.Period
	ri := &m.reps[rep.Index]
	// Pipeline history first: for a finished period it knows the open
	// pipeline as it was at the end, which the current export does not.
	hv := m.pipelineHistory(r)
	settled := hv != nil && !r.InProgress
	f.hasHistory = hv != nil
	f.qualityKnown = r.InProgress || settled
	pl := &Pipeline{Closing: f.closing, HasLog: m.HasLog, QualityKnown: f.qualityKnown, CycleMedian: f.cycleMedian}
	if hv != nil {
		pl.Flow = hv.flow
	}
	stages, largest := m.openAtEnd(r, f, pl)
	if settled {
		f.pastDue, f.stalled = hv.pastDue, hv.stalled
		pl.StageMix = hv.stageMix
	} else {
		pl.StageMix = stageMix(stages, r.Open.Amount)
	}
	for _, o := range f.pastDue {
		pl.PastDue = append(pl.PastDue, DealRow{Opportunity: o})
	}
	for _, o := range f.stalled {
		pl.Stalled = append(pl.Stalled, DealRow{Opportunity: o})
	}
	slices.SortStableFunc(largest, func(a, b DealRow) int {
		return cmp.Or(cmp.Compare(b.Amount, a.Amount), strings.Compare(a.ID, b.ID))
	})
	pl.Largest = largest[:min(10, len(largest))]

	f.commit = CommitFor(ri.forecasts, p)
	pl.Forecast = ForecastView{Commit: f.commit, Won: r.Won.Amount, Quota: r.Quota, HasQuota: r.HasQuota}
	pl.Forecast.Categories = forecastCategories(ri.opps, p, r.Cut)

	pl.Meetings = m.cadenceCell(rep, p)
	f.held, f.expected = pl.Meetings.Held, pl.Meetings.Expected
	pl.Held, pl.Expected = f.held, f.expected

	r.Metrics = m.values(f, p.Cadence)
	if hv != nil {
		for _, x := range hv.values {
			r.Metrics[x.ID] = x
		}
	}
	v := r.Metrics
	pl.Coverage, pl.OpenV, pl.WinRate, pl.DealSize, pl.CycleDays = v["pipeline.coverage"], v["pipeline.open"], v["win_rate"], v["deal_size"], v["cycle_days"]
	pl.PastDueV, pl.StalledV, pl.HeldRatio, pl.Forecast.Accuracy = v["pipeline.past_due"], v["pipeline.stalled"], v["coaching.held"], v["forecast.accuracy"]
	r.Attainment = v["attainment"]
	r.OffTarget = append(r.OffTarget, offTarget(v)...)

	// The latest period also looks ahead: the next period's coverage.
	if p.Contains(m.AsOf) {
		m.lookAhead(r, pl)
	}
	if r.InProgress && r.HasQuota {
		pl.Pacing = m.pacing(r, f, pl)
	}
	return pl
}

// openAtEnd buckets by stage the rep's deals open at the period's cut
// (a deal closed since is in a "Won later" or "Lost later" stage), lists
// them for the largest deals, counts those missing an amount or a close
// date and, for a period in progress, notes those past due and stalled.
func (m *Model) openAtEnd(r *RepPage, f *facts, pl *Pipeline) (stages map[string]*StageCount, largest []DealRow) {
	ri := &m.reps[r.Rep.Index]
	stages = map[string]*StageCount{}
	for _, o := range ri.opps {
		if !isOpenAt(o, r.Cut) {
			continue
		}
		// A deal that closed after the period was open at its end, in a
		// stage the data no longer records.
		row := DealRow{Opportunity: o}
		stage := o.Stage
		switch o.Outcome {
		case data.Won:
			stage, row.Later = "Won later", "won"
		case data.Lost:
			stage, row.Later = "Lost later", "lost"
		}
		b := bucket(stages, stage)
		if row.Later != "" {
			b.Later = row.Later
		}
		b.add(o)
		largest = append(largest, row)
		if o.Outcome == data.Open {
			if !o.HasAmount || !o.Close.Valid() {
				pl.Missing++
			}
			if r.InProgress && PastDue(o, r.Cut) {
				f.pastDue = append(f.pastDue, o)
			}
			if r.InProgress && m.TouchKnown && Stalled(o, r.Cut, m.Cfg.Reports.StaleDays) {
				f.stalled = append(f.stalled, o)
			}
		}
	}
	return stages, largest
}

// forecastCategories sums the deals open at cut and expected to close in
// p by their forecast category, in the categories' order.
func forecastCategories(opps []*data.Opportunity, p Period, cut civil.Date) []StageCount {
	var out []StageCount
	cats := map[string]*StageCount{}
	for _, o := range opps {
		if o.Outcome == data.Open && o.Close.Valid() && p.Contains(o.Close) && isOpenAt(o, cut) {
			name := o.ForecastCategory
			if name == "" {
				name = "(none)"
			}
			bucket(cats, name).add(o)
		}
	}
	for _, c := range cats {
		c.Amount = round2(c.Amount)
		out = append(out, *c)
	}
	slices.SortFunc(out, func(a, b StageCount) int {
		return cmp.Or(cmp.Compare(categoryRank(a.Stage), categoryRank(b.Stage)), strings.Compare(a.Stage, b.Stage))
	})
	return out
}

// lookAhead sets, on the latest period's page, the deals closing in the
// next period and its pipeline coverage.
func (m *Model) lookAhead(r *RepPage, pl *Pipeline) {
	rep, p := r.Rep, r.Period
	ri := &m.reps[rep.Index]
	next := m.Cal.Of(p.Cadence, p.End+1)
	pl.NextPeriod = &next
	pl.NextClosing = ClosingIn(ri.opps, m.AsOf, next.Start, next.End)
	q, hasQ := Quota(rep, next)
	cov, ok := Coverage(pl.NextClosing.Amount, q, 0)
	nv := m.value(rep, "pipeline.coverage", cov, ok && hasQ, next, 1, false)
	nv.Name = "Next " + p.Cadence.String() + "'s pipeline coverage"
	nv.Named = M("metric.next_coverage." + p.Cadence.String())
	if !nv.OK {
		nv.Why = M("why.no_next_quota." + p.Cadence.String())
	}
	pl.NextCoverage = nv
	if nv.Off {
		r.OffTarget = append(r.OffTarget, nv)
	}
}

// pacing is how a period in progress paces: the quota against what was
// won so far, what closes and the days gone and left.
func (m *Model) pacing(r *RepPage, f *facts, pl *Pipeline) *Pacing {
	rep, p := r.Rep, r.Period
	pc := &Pacing{Quota: r.Quota, Won: r.Won.Amount, Closing: f.closing, Coverage: pl.Coverage}
	pc.Needed = max(0, round2(r.Quota-r.Won.Amount))
	pc.Met = pc.Needed == 0
	pc.DaysLeft = int(p.End - m.AsOf)
	if lo, hi, ok := m.span(rep, p.Start, m.AsOf); ok {
		pc.DaysGone = int(hi-lo) + 1
	}
	if rep.End.Valid() && rep.End < p.End {
		pc.DaysLeft = max(0, int(rep.End-m.AsOf))
	}
	pc.PaceNeeded = perWeek(pc.Needed, pc.DaysLeft)
	pc.PaceSoFar = perWeek(r.Won.Amount, pc.DaysGone)
	pc.Pace = m.pace(rep, p, r.Won.Amount, r.Quota)
	return pc
}

// Month computes a rep's monthly page.
func (m *Model) Month(rep *data.Rep, p Period) *MonthView {
	r, f := m.repPage(rep, p)
	return &MonthView{RepPage: r, Pipeline: m.pipeline(r, f)}
}

// Quarter computes a rep's quarterly page.
func (m *Model) Quarter(rep *data.Rep, p Period) *QuarterView {
	r, f := m.repPage(rep, p)
	q := &QuarterView{RepPage: r, Pipeline: m.pipeline(r, f)}
	from, _ := m.Active(rep)
	fyStart, fyName := m.Cal.FiscalYear(p.Start)
	q.YTD.Year = fyName
	bar := func(x Period) QuarterBar {
		b := QuarterBar{PeriodLink: m.repLink(rep, x), Won: round2(m.WonIn(rep, x)), InProgress: m.InProgress(x)}
		b.Quota, b.HasQuota = Quota(rep, x)
		b.Status = m.quotaStatus(rep, x)
		if b.HasQuota && b.Quota > 0 {
			b.Attainment = b.Won / b.Quota
		}
		return b
	}
	// Year to date: the fiscal year's quarters up to this one that the rep
	// was on the team for; won and quota over exactly those quarters.
	for _, x := range m.Cal.Range(Quarter, max(fyStart, from), p.End) {
		if Prorated(rep, x) == 0 {
			continue
		}
		b := bar(x)
		q.YTD.Quarters = append(q.YTD.Quarters, b)
		q.YTD.Won += b.Won
		q.YTD.Quota += b.Quota
		q.YTD.HasQuota = q.YTD.HasQuota || b.HasQuota
	}
	q.YTD.Won = round2(q.YTD.Won)
	ytd, ok := Attainment(q.YTD.Won, q.YTD.Quota)
	q.YTD.Attainment = m.value(rep, "attainment", ytd, ok && q.YTD.HasQuota, p, 1, r.InProgress)
	q.YTD.Attainment.Name = "Year-to-date attainment"
	q.YTD.Attainment.Key = key(rep, p, "ytd.attainment")
	if q.YTD.Attainment.Off {
		r.OffTarget = append(r.OffTarget, q.YTD.Attainment)
	}
	for _, x := range m.Cal.Range(Quarter, max(from, p.Start-365*2), p.End) {
		q.History = append(q.History, bar(x))
	}
	if len(q.History) > 8 {
		q.History = q.History[len(q.History)-8:]
	}
	// Levers: the value A this quarter beside the team's target B.
	var levers []Value
	if _, ok := rep.Targets["activity.meetings_set"]; ok {
		if v := m.weeklyValue(rep, "meetings_set", p); v.OK {
			levers = append(levers, v)
			if v.Off {
				r.OffTarget = append(r.OffTarget, v)
			}
		}
	}
	cov := q.Coverage
	if !cov.OK && q.NextCoverage.OK {
		cov, q.NextInLevers = q.NextCoverage, true
	}
	for _, v := range append(levers, cov, q.WinRate, q.DealSize, q.CycleDays) {
		q.Levers = append(q.Levers, LeverRow{Value: v})
	}
	if plan := m.plans[planKey{rep.Index, p.ID}]; plan != nil {
		pv := &PlanView{Plan: plan}
		ids := make([]string, 0, len(plan.Goals))
		for id := range plan.Goals {
			ids = append(ids, id)
		}
		slices.Sort(ids)
		for _, id := range ids {
			v, ok := r.Metrics[id]
			switch {
			case strings.HasPrefix(id, metric.ActivityPrefix):
				v = m.weeklyValue(rep, strings.TrimPrefix(id, metric.ActivityPrefix), p)
			case !ok:
				def, _ := metric.Lookup(id)
				v = Value{Def: def, Page: Quarter.String(), Why: M("why.not_for_quarters")}
			}
			g := v
			g.Target, g.HasTarget, g.TargetFrom = plan.Goals[id], true, "plan goal"
			// Its own target: its own verdict, under its own key.
			g.Key = key(rep, p, "plan:"+cmp.Or(strings.TrimPrefix(v.Key, rep.ID+"/"+p.ID+"/"), id))
			g.judge(r.InProgress)
			q.addGoal(v, g)
		}
		for _, a := range plan.Actions {
			pv.Actions = append(pv.Actions, PlanActionView{PlanAction: a, Overdue: a.Due.Valid() && a.Due < m.AsOf && (a.Status == "open" || a.Status == "in progress")})
		}
		q.Plan = pv
	}
	for _, w := range m.Cal.Range(Week, max(p.Start, from), r.Cut) {
		lo, hi, _ := m.span(rep, w.Start, w.End)
		q.WeekTrend = append(q.WeekTrend, Point{Label: w.Short(), Of: w, V: Created(m.reps[rep.Index].opps, lo, hi).Amount, InProgress: m.InProgress(w)})
	}
	return q
}

// addGoal puts a plan goal g beside the quantity v it judges: on the
// attainment card, on v's lever row, or on a row of its own.
func (q *QuarterView) addGoal(v, g Value) {
	if v.Key != "" && v.Key == q.Attainment.Key {
		q.AttainmentGoal = g
		return
	}
	for i := range q.Levers {
		if v.Key != "" && q.Levers[i].Key == v.Key {
			q.Levers[i].Goal = g
			return
		}
	}
	q.Levers = append(q.Levers, LeverRow{Value: v, Goal: g})
}

// weeklyValue is a rep's average weekly count of an activity type over the
// completed weeks of a quarter, judged against the weekly target: settled
// weeks, so judged even while the quarter is in progress.
func (m *Model) weeklyValue(rep *data.Rep, typ string, p Period) Value {
	avg, ok := m.WeeklyAverage(rep, typ, p)
	v := m.value(rep, metric.ActivityPrefix+typ, avg, ok, p, 1, false)
	v.Name += " per week"
	v.Named = M("metric.per_week", MetricName(v.ID))
	v.Key += ".per_week"
	if !ok {
		v.Why = M("why.no_week_yet")
	}
	v.WholePeriod = false
	v.judge(false)
	return v
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
