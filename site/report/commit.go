package report

import (
	"cmp"
	"slices"
	"strings"
	"time"

	"github.com/coachbook/coachbook/site/civil"
	"github.com/coachbook/coachbook/site/data"
	"github.com/coachbook/coachbook/site/metric"
)

// CommitVerdict is what became of a commitment, as the pages show it.
type CommitVerdict string

// Verdicts. Kept, Missed, Ask and Contradicted are the ones a meeting
// reviews; Open and Dropped say why a commitment is not judged.
const (
	Kept         CommitVerdict = "kept"         // the data (or, without a metric, the manager) says it was done
	Missed       CommitVerdict = "missed"       // due, and the data (or the manager) says it was not done
	Ask          CommitVerdict = "ask"          // due, no metric and no status: ask the rep
	Contradicted CommitVerdict = "contradicted" // the manager's status and the data disagree
	Open         CommitVerdict = "open"         // not due yet, not reached yet
	Dropped      CommitVerdict = "dropped"      // the manager dropped it
)

// JudgeCommitment decides a commitment's verdict. checkable says the commitment names
// a metric and a number; reached that the data reaches the number over the
// commitment's window so far; due that the window is over (the due date is
// on or before the data cut-off); status is the manager's ("", done, missed
// or dropped).
//
// With a metric the data decides: reached is kept (even before the due
// date: a count never goes down), not reached by the due date is missed,
// and a status that says otherwise (done but not reached, missed but
// reached) is contradicted. Without one the status decides, and a
// commitment due with no status is one to ask about. Dropped is dropped
// either way.
func JudgeCommitment(status string, checkable, reached, due bool) CommitVerdict {
	if status == "dropped" {
		return Dropped
	}
	if !checkable {
		switch {
		case status == "done":
			return Kept
		case status == "missed":
			return Missed
		case due:
			return Ask
		}
		return Open
	}
	switch {
	case reached && status == "missed", !reached && status == "done":
		return Contradicted
	case reached:
		return Kept
	case due || status == "missed":
		return Missed
	}
	return Open
}

// Outcome says how a judged commitment counts in the follow-through:
// counted is false for one whose outcome is not known (to ask about, not
// due yet, dropped); kept is the outcome. A contradicted commitment counts
// the way its data went.
func Outcome(v CommitVerdict, checkable, reached, due bool) (counted, kept bool) {
	switch v {
	case Kept:
		return true, true
	case Missed:
		return true, false
	case Contradicted:
		if checkable && (due || reached) {
			return true, reached
		}
	}
	return false, false
}

// DefaultDue is the due date of a commitment whose row gives none: one
// period of the meeting's cadence after the meeting, up to the next
// meeting. A weekly meeting's (or a ride-along's) commitments are due six
// days after it; a monthly meeting's or one-on-one's the day before the same
// date next month (the month's last day when it has no such date); a
// territory review's the day before the same date three months on.
func DefaultDue(kind string, date civil.Date) civil.Date {
	months := 0
	switch KindCadence(kind) {
	case Week:
		return date.AddDays(6)
	case Month:
		months = 1
	case Quarter:
		months = 3
	}
	y, m, d := date.YMD()
	target := m + time.Month(months)
	last := civil.New(y, target+1, 1).AddDays(-1) // the last day of the target month
	return min(civil.New(y, target, d), last.AddDays(1)).AddDays(-1)
}

// KindCadence is the cadence of a kind of meeting: the page its
// commitments are reviewed on.
func KindCadence(kind string) Cadence {
	switch kind {
	case "monthly", "one-on-one":
		return Month
	case "quarterly":
		return Quarter
	}
	return Week
}

// Judged is a commitment with its window and outcome: what the model keeps
// of each commitment for the whole build, a few words each (a 2,000-rep org
// has 325,000 of them, and a page shows a handful). CommitmentView adds
// what a page shows of it.
type Judged struct {
	*data.Commitment
	// Due is the last day of the window: the row's, or DefaultDue when
	// the row gives none (DueSet false).
	Due    civil.Date
	DueSet bool
	// Checkable says the commitment names a metric the data can check.
	Checkable bool
	Reached   bool
	IsDue     bool
	// Counted and Success say how it counts in the follow-through
	// (Outcome).
	Counted, Success bool
	// Pattern is set once Streak reaches pattern_after.
	Pattern bool
	Verdict CommitVerdict
	// Actual is the metric over the window: the meeting to the due date,
	// or to the data cut-off while it is not due yet.
	Actual float64
	// Streak counts the commitments missed in a row, by due date, up to
	// and including this one (0 unless this one was missed).
	Streak int
}

// CommitmentView is a commitment as a page shows it: judged, with the
// metric it names and the guide sections that coach it.
type CommitmentView struct {
	Judged
	// Def is the metric the commitment names (ID "" for none).
	Def metric.Def
	// Remaining is what the data still needs before the due date (open
	// commitments with a metric).
	Remaining float64
	// Coach is the value whose guide sections the page links to (the
	// metric's, else commitments.kept), marked off once the commitment
	// was missed, with Pattern from the streak.
	Coach Value
}

// judgeCommitments judges a rep's commitments, ordered by meeting date.
func (m *Model) judgeCommitments(rep *data.Rep, cs []*data.Commitment) []Judged {
	out := make([]Judged, 0, len(cs))
	for _, c := range cs {
		v := Judged{Commitment: c, Due: c.Due, DueSet: c.Due.Valid()}
		if !v.DueSet {
			v.Due = DefaultDue(c.Kind, c.Date)
		}
		v.IsDue = v.Due <= m.AsOf
		if c.Metric != "" {
			v.Checkable = true
			v.Actual = m.windowValue(rep, c.Metric, c.Date, min(v.Due, m.AsOf))
			v.Reached = v.Actual >= c.Number
		}
		v.Verdict = JudgeCommitment(c.Status, v.Checkable, v.Reached, v.IsDue)
		v.Counted, v.Success = Outcome(v.Verdict, v.Checkable, v.Reached, v.IsDue)
		out = append(out, v)
	}
	// Misses in a row, in the order the commitments fell due.
	order := make([]int, len(out))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(out[a].Due, out[b].Due) })
	streak := 0
	for _, i := range order {
		v := &out[i]
		if !v.Counted {
			continue
		}
		if v.Success {
			streak = 0
			continue
		}
		streak++
		v.Streak = streak
		v.Pattern = streak >= m.Cfg.Reports.PatternAfter
	}
	return out
}

// commitmentView is what a page shows of a judged commitment.
func commitmentView(j Judged) CommitmentView {
	v := CommitmentView{Judged: j}
	keptDef, _ := metric.Lookup("commitments.kept")
	v.Coach = Value{Def: keptDef, Page: KindCadence(j.Kind).String()}
	if j.Checkable {
		v.Def, _ = metric.Lookup(j.Metric)
		v.Remaining = max(0, j.Number-j.Actual)
		v.Coach.Def = v.Def
	}
	if j.Streak > 0 {
		v.Coach.Off = true
		v.Coach.Pattern = j.Pattern
	}
	return v
}

// windowValue is a window metric of a rep over the days [from, to] while
// the rep was on the team: the count of an activity type, or the amount of
// pipeline created.
func (m *Model) windowValue(rep *data.Rep, id string, from, to civil.Date) float64 {
	if typ, ok := strings.CutPrefix(id, metric.ActivityPrefix); ok {
		return float64(m.activityCount(rep, typ, from, to))
	}
	lo, hi, ok := m.span(rep, from, to)
	if id != "pipeline.created" || !ok {
		return 0
	}
	return Created(m.deals(rep), lo, hi).Amount
}

// Share is the follow-through over a span: the commitments due in it by
// how they count.
type Share struct {
	Kept, Missed, Ask, Dropped, Open int
	// V is Kept ÷ (Kept + Missed); OK is false when that is 0 ÷ 0.
	V  float64
	OK bool
}

// Known is how many commitments have a known outcome: Kept + Missed.
func (s Share) Known() int { return s.Kept + s.Missed }

// FollowThrough is the share of commitments kept among those due in
// [from, to] whose outcome is known: kept ÷ (kept + missed), the formula of
// commitments.kept. The others are counted apart: to ask about, dropped,
// not due yet.
func FollowThrough(cs []Judged, from, to civil.Date) Share {
	var s Share
	for i := range cs {
		c := &cs[i]
		if c.Due < from || c.Due > to {
			continue
		}
		switch {
		case c.Counted && c.Success:
			s.Kept++
		case c.Counted:
			s.Missed++
		case c.Verdict == Ask:
			s.Ask++
		case c.Verdict == Dropped:
			s.Dropped++
		default:
			s.Open++
		}
	}
	if n := s.Kept + s.Missed; n > 0 {
		s.V, s.OK = float64(s.Kept)/float64(n), true
	}
	return s
}

// Commitments is the commitments part of a rep page: those made at the
// meetings of the page's cadence in the previous period (reviewed now) and
// in this one.
type Commitments struct {
	// HasFile says whether a commitments file exists; without one the
	// page says where to keep them.
	HasFile    bool
	LastPeriod Period
	Last, This []CommitmentView
	// Cadence is the page's: its meetings' commitments are shown.
	Cadence Cadence
}

// commitments picks the rep's commitments of the page's cadence made in
// the period before p and in p.
func (m *Model) commitments(rep *data.Rep, p Period) *Commitments {
	c := &Commitments{HasFile: m.HasCommitments, LastPeriod: m.Cal.Prev(p), Cadence: p.Cadence}
	for _, v := range m.reps[rep.Index].commitments {
		if KindCadence(v.Kind) != p.Cadence {
			continue
		}
		switch {
		case c.LastPeriod.Contains(v.Date):
			c.Last = append(c.Last, commitmentView(v))
		case p.Contains(v.Date):
			c.This = append(c.This, commitmentView(v))
		}
	}
	return c
}

// FollowThroughView is a rep's follow-through over time: the share of
// commitments kept by month, the last weeks against the weeks before them.
type FollowThroughView struct {
	// Months are the last FollowMonths months with a known share, oldest
	// first (months with none are left out of the chart).
	Months []Point
	// Recent is the last FollowWeeks weeks up to the cut-off; Before the
	// same number of weeks before them.
	Recent, Before Share
	// Trend is "up", "down" or "steady" (within 10 points), or "" when
	// either span has no known outcome.
	Trend string
	// Total counts every commitment of the rep; Weeks is FollowWeeks.
	Total, Weeks int
}

// How far back the follow-through looks.
const (
	FollowMonths = 6
	FollowWeeks  = 4
)

// followThrough computes a rep's follow-through up to the cut-off.
func (m *Model) followThrough(rep *data.Rep) *FollowThroughView {
	cs := m.reps[rep.Index].commitments
	f := &FollowThroughView{Total: len(cs), Weeks: FollowWeeks}
	if len(cs) == 0 {
		return f
	}
	from, _ := m.Active(rep)
	p := m.Cal.Of(Month, m.AsOf)
	var months []Point
	for i := 0; i < FollowMonths && p.End >= from; i++ {
		if s := FollowThrough(cs, p.Start, min(p.End, m.AsOf)); s.OK {
			months = append(months, Point{Label: p.Start.Time().Format("Jan 06"), Of: p, Form: FormMonthYY, V: s.V, InProgress: m.InProgress(p)})
		}
		p = m.Cal.Prev(p)
	}
	slices.Reverse(months)
	f.Months = months
	f.Recent = FollowThrough(cs, m.AsOf.AddDays(-7*FollowWeeks+1), m.AsOf)
	f.Before = FollowThrough(cs, m.AsOf.AddDays(-14*FollowWeeks+1), m.AsOf.AddDays(-7*FollowWeeks))
	f.Trend = Trend(f.Before, f.Recent)
	return f
}

// Trend compares two follow-through shares: "up" or "down" when the later
// one differs by more than 10 points, else "steady"; "" when either is
// unknown.
func Trend(before, now Share) string {
	switch {
	case !before.OK || !now.OK:
		return ""
	case now.V > before.V+0.1:
		return "up"
	case now.V < before.V-0.1:
		return "down"
	}
	return "steady"
}

// Unwritten is a coaching meeting that ended without a written
// commitment.
type Unwritten struct {
	*data.Meeting
	Rep     *data.Rep
	HomeURL string
}

// unwritten lists the coaching meetings with a rep since from (ride-alongs
// aside) with no commitment written on that day, newest first.
func (m *Model) unwritten(rep *data.Rep, from civil.Date) []Unwritten {
	written := map[civil.Date]bool{}
	for _, c := range m.reps[rep.Index].commitments {
		written[c.Date] = true
	}
	var out []Unwritten
	for _, x := range m.reps[rep.Index].meetings {
		if x.Date >= from && x.Kind != "ride-along" && !written[x.Date] {
			out = append(out, Unwritten{Meeting: x, Rep: rep, HomeURL: RepHomeURL(rep.ID)})
		}
	}
	slices.SortStableFunc(out, func(a, b Unwritten) int { return cmp.Compare(b.Date, a.Date) })
	return out
}
