package report

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/coachbook/coachbook/site/civil"
	"github.com/coachbook/coachbook/site/data"
	"github.com/coachbook/coachbook/site/metric"
)

// TeamRow is one rep on a team page.
type TeamRow struct {
	*RepPage
	Activities []ActivityLine // weeks
	Pipe       *Pipeline      // months and quarters
}

// TeamView rolls one period up for one team: a row per rep.
type TeamView struct {
	Team       string
	Period     Period
	URL        string
	JSONURL    string
	InProgress bool
	Prev, Next *PeriodLink
	Rows       []TeamRow
	Types      []string // activity types with a team target, for the weekly columns
	// TypeTotals sums each of Types over the rows.
	TypeTotals []int64
	Won        CountAmount // every rep
	Created    CountAmount
	// QuotaWon is what the reps who carry a quota won; team attainment is
	// QuotaWon ÷ Quota. NoQuotaWon is what the others won.
	QuotaWon      CountAmount
	NoQuotaWon    CountAmount
	NoQuotaReps   int
	Quota         float64
	Attainment    Value
	Concentration Value
	// TopReps says how many reps "the top 20%" is: "2.2 of 11 reps".
	TopReps      string
	AtQuota      Value
	AtQuotaCount int
	WithQuota    int
	// HasCommitments adds each rep's follow-through (commitments kept).
	HasCommitments bool
}

// Team rolls up the reps of a team for a period. rows holds the reps' own
// pages for the period, so nothing is computed twice.
func (m *Model) Team(team string, p Period, rows []TeamRow) *TeamView {
	t := &TeamView{Team: team, Period: p, URL: TeamURL(team, p), InProgress: m.InProgress(p), Rows: rows, HasCommitments: m.HasCommitments}
	t.JSONURL = t.URL + "metrics.json"
	if prev := m.Cal.Prev(p); prev.End >= m.First && m.HasPage(prev) {
		l := m.teamLink(team, prev)
		t.Prev = &l
	}
	if next := m.Cal.Of(p.Cadence, p.End+1); next.Start <= m.AsOf && m.HasPage(next) {
		l := m.teamLink(team, next)
		t.Next = &l
	}
	for id := range m.Data.Team.Targets {
		if typ, ok := strings.CutPrefix(id, metric.ActivityPrefix); ok {
			t.Types = append(t.Types, typ)
		}
	}
	slices.Sort(t.Types)
	t.TypeTotals = make([]int64, len(t.Types))
	var won, atts []float64
	for _, r := range rows {
		for i, typ := range t.Types {
			t.TypeTotals[i] += r.Counts[typ]
		}
		t.Won.Count += r.Won.Count
		t.Won.Amount += r.Won.Amount
		t.Created.Count += r.Created.Count
		t.Created.Amount += r.Created.Amount
		won = append(won, r.Won.Amount)
		if r.HasQuota && r.Quota > 0 {
			t.Quota += r.Quota
			t.WithQuota++
			t.QuotaWon.Count += r.Won.Count
			t.QuotaWon.Amount += r.Won.Amount
			atts = append(atts, r.Won.Amount/r.Quota)
			if r.Won.Amount >= r.Quota {
				t.AtQuotaCount++
			}
		} else {
			t.NoQuotaReps++
			t.NoQuotaWon.Count += r.Won.Count
			t.NoQuotaWon.Amount += r.Won.Amount
		}
	}
	for _, ca := range []*CountAmount{&t.Won, &t.Created, &t.QuotaWon, &t.NoQuotaWon} {
		ca.Amount = round2(ca.Amount)
	}
	t.Quota = round2(t.Quota)
	att, ok := Attainment(t.QuotaWon.Amount, t.Quota)
	t.Attainment = Value{V: att, OK: ok && p.Cadence != Week, Page: p.Cadence.String()}
	t.Attainment.Def.ID, t.Attainment.Def.Name, t.Attainment.Def.Unit = "attainment", "Team attainment", metric.Ratio
	c, ok := Concentration(won)
	t.Concentration = Value{V: c, OK: ok && len(rows) > 1, Page: p.Cadence.String()}
	t.Concentration.Def.Name, t.Concentration.Def.Unit = "Revenue from the top 20% of reps", metric.Ratio
	t.TopReps = fmt.Sprintf("%s of %d reps", trimFloat(TopShare*float64(len(rows))), len(rows))
	s, ok := ShareAtQuota(atts)
	t.AtQuota = Value{V: s, OK: ok && p.Cadence != Week, Page: p.Cadence.String()}
	t.AtQuota.Def.Name, t.AtQuota.Def.Unit = "Reps at or above quota", metric.Ratio
	return t
}

// trimFloat writes x with at most one decimal: 2, 2.2.
func trimFloat(x float64) string {
	s := fmt.Sprintf("%.1f", x)
	return strings.TrimSuffix(s, ".0")
}

// CadenceRow is one rep on a manager's cadence page.
type CadenceRow struct {
	Rep        *data.Rep
	HomeURL    string
	Months     []CadenceCell // oldest first
	Quarter    CadenceCell
	RideAlongs int
	Ratio      Value
	// FollowThrough is the share of the rep's commitments kept.
	FollowThrough *FollowThroughView
}

// CadenceCell is meetings held against expected for a period.
type CadenceCell struct {
	Period   Period
	Held     map[string]int
	Expected map[string]int
	Ratio    float64
	OK       bool
}

// ManagerView is a manager's coaching cadence: the meetings held against
// those the rhythm expects, for each of their reps.
type ManagerView struct {
	Manager *data.Manager
	URL     string
	HasLog  bool
	Months  []Period
	Rows    []CadenceRow
	Total   CadenceCell
	// Coached is the metric the page is about, for its guide link.
	Coached Value
	// HasCommitments says whether a commitments file exists; Unwritten
	// lists the meetings of the last UnwrittenWeeks weeks that ended
	// without a written commitment, newest first.
	HasCommitments bool
	FollowWeeks    int
	Unwritten      []Unwritten
	UnwrittenFrom  civil.Date
	// Kept is the metric of the follow-through column, for its guide link.
	Kept Value
}

// UnwrittenWeeks is how far back the manager page lists meetings that
// ended without a written commitment.
const UnwrittenWeeks = 8

// CadenceMonths is how many months the manager page shows.
const CadenceMonths = 6

// Manager computes a manager's cadence page.
func (m *Model) Manager(mgr *data.Manager) *ManagerView {
	mr := &ManagerView{Manager: mgr, URL: ManagerURL(mgr.ID), HasLog: m.HasLog, HasCommitments: m.HasCommitments, FollowWeeks: FollowWeeks}
	def, _ := metric.Lookup("coaching.held")
	mr.Coached = Value{Def: def, Page: Month.String()}
	keptDef, _ := metric.Lookup("commitments.kept")
	mr.Kept = Value{Def: keptDef, Page: Month.String()}
	mr.UnwrittenFrom = m.Cal.Of(Week, m.AsOf).Start.AddDays(-7 * (UnwrittenWeeks - 1))
	last := m.Cal.Of(Month, m.AsOf)
	for p := last; len(mr.Months) < CadenceMonths; p = m.Cal.Prev(p) {
		mr.Months = append(mr.Months, p)
	}
	slices.Reverse(mr.Months)
	mr.Total = CadenceCell{Held: map[string]int{}, Expected: map[string]int{}}
	due := m.Cal.Prev(m.Cal.Of(Week, m.AsOf)).End // meetings are due by the end of last week
	for _, rep := range m.Data.Team.Reps {
		if rep.Manager != mgr.ID {
			continue
		}
		from, to := m.Active(rep)
		row := CadenceRow{Rep: rep, HomeURL: RepHomeURL(rep.ID)}
		for _, p := range mr.Months {
			row.Months = append(row.Months, m.cadenceCell(rep, p, from, min(to, due), false))
		}
		q := m.Cal.Of(Quarter, m.AsOf)
		row.Quarter = m.cadenceCell(rep, q, from, min(to, due), true)
		window := mr.Months[0].Start
		held := Held(m.reps[rep.Index].meetings, window, m.AsOf)
		row.RideAlongs = held["ride-along"]
		exp := map[string]int{}
		for _, c := range row.Months {
			for k, n := range c.Expected {
				exp[k] += n
				mr.Total.Expected[k] += n
			}
			for k, n := range c.Held {
				mr.Total.Held[k] += min(n, c.Expected[k])
			}
		}
		allHeld := Held(m.reps[rep.Index].meetings, window, due)
		ratio, ok := HeldRatio(allHeld, exp)
		row.Ratio = m.value(rep, "coaching.held", ratio, ok && m.HasLog, Month, 1, false)
		if m.HasCommitments {
			row.FollowThrough = m.followThrough(rep)
			mr.Unwritten = append(mr.Unwritten, m.unwritten(rep, mr.UnwrittenFrom)...)
		}
		mr.Rows = append(mr.Rows, row)
	}
	mr.Total.Ratio, mr.Total.OK = HeldRatio(mr.Total.Held, mr.Total.Expected)
	mr.Total.OK = mr.Total.OK && m.HasLog
	slices.SortStableFunc(mr.Unwritten, func(a, b Unwritten) int { return cmp.Compare(b.Date, a.Date) })
	return mr
}

func (m *Model) cadenceCell(rep *data.Rep, p Period, from, to civil.Date, quarterly bool) CadenceCell {
	c := CadenceCell{Period: p, Held: Held(m.reps[rep.Index].meetings, p.Start, min(p.End, m.AsOf)), Expected: map[string]int{}}
	lo, hi := max(p.Start, from), min(p.End, to)
	if lo <= hi {
		c.Expected = Expected(m.Cal, lo, hi)
		if m.InProgress(p) {
			// The month's monthly meetings are due by its end, not before.
			c.Expected["monthly"], c.Expected["one-on-one"] = 0, 0
			if !quarterly {
				c.Expected["quarterly"] = 0
			}
		}
	}
	if quarterly {
		c.Expected = map[string]int{"quarterly": min(1, c.Expected["quarterly"])}
	} else {
		delete(c.Expected, "quarterly")
	}
	c.Ratio, c.OK = HeldRatio(c.Held, c.Expected)
	return c
}
