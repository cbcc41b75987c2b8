package report

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"strconv"
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
	TopCount     float64 // the same number of reps: 2.2
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
	def, _ := metric.Lookup("attainment")
	def.Name = "Team attainment"
	t.Attainment = Value{Def: def, V: att, OK: ok && p.Cadence != Week, Page: p.Cadence.String(), Key: "team:" + team + "/" + p.ID + "/attainment"}
	t.Attainment.Target, t.Attainment.TargetFrom, t.Attainment.HasTarget = 1, "quota", true
	t.Attainment.judge(t.InProgress)
	c, ok := Concentration(won)
	t.Concentration = Value{V: c, OK: ok && len(rows) >= MinTopReps && t.Won.Count >= MinDeals, Page: p.Cadence.String()}
	switch {
	case len(rows) < 2:
		t.Concentration.Why = M("why.one_rep")
	case len(rows) < MinTopReps:
		// "The top 20%" of three reps would be 0.6 of a rep.
		t.Concentration.Why = M("why.few_reps", len(rows), MinTopReps)
	case t.Won.Count < MinDeals:
		t.Concentration.Why = tooFew(t.Won.Count, "won")
	}
	t.Concentration.Def.Name, t.Concentration.Def.Unit = "Revenue from the top 20% of reps", metric.Ratio
	t.TopCount = TopShare * float64(len(rows))
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

// CadenceCell is meetings held against expected for a period, with their
// ratio judged (Value).
type CadenceCell struct {
	Value
	Period   Period
	Held     map[string]int
	Expected map[string]int
	// Prefix starts the keys of the counts: rep/period.
	Prefix string
}

// MeetingCount is one kind of coaching meeting in a period as every page
// states it: how many were held, how many the rhythm expects, and how
// many of those held count toward the cadence (Counted).
type MeetingCount struct {
	Kind                    string
	Held, Expected, Counted int
}

// Extra is how many meetings were held beyond those expected, which do
// not count toward the cadence.
func (c MeetingCount) Extra() int { return c.Held - c.Counted }

// Counts is the cell's meetings kind by kind (the kinds the rhythm
// expects in the period, sorted by name), each with how many count.
func (c CadenceCell) Counts() []MeetingCount {
	kinds := slices.Sorted(maps.Keys(c.Expected))
	out := make([]MeetingCount, 0, len(kinds))
	for _, k := range kinds {
		n := c.Expected[k]
		out = append(out, MeetingCount{Kind: k, Held: c.Held[k], Expected: n, Counted: Counted(c.Held[k], n)})
	}
	return out
}

// Total is the cell's meetings of every kind the rhythm expects, added
// up: held, expected and counted; HeldRatio is Counted ÷ Expected.
func (c CadenceCell) Total() MeetingCount {
	var t MeetingCount
	for _, k := range c.Counts() {
		t.Held += k.Held
		t.Expected += k.Expected
		t.Counted += k.Counted
	}
	return t
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
	for _, rep := range m.Data.Team.Reps {
		if rep.Manager != mgr.ID {
			continue
		}
		row := CadenceRow{Rep: rep, HomeURL: RepHomeURL(rep.ID)}
		for _, p := range mr.Months {
			row.Months = append(row.Months, m.cadenceCell(rep, p))
		}
		row.Quarter = m.cadenceCell(rep, m.Cal.Of(Quarter, m.AsOf))
		row.RideAlongs = Held(m.reps[rep.Index].meetings, mr.Months[0].Start, m.AsOf)["ride-along"]
		// The rep's ratio over the months: each month's meetings as its
		// cell counts them, each kind at most as many as expected.
		held, exp := map[string]int{}, map[string]int{}
		for _, c := range row.Months {
			for k, n := range c.Expected {
				exp[k] += n
				held[k] += Counted(c.Held[k], n)
			}
		}
		for k, n := range exp {
			mr.Total.Expected[k] += n
			mr.Total.Held[k] += held[k]
		}
		ratio, ok := HeldRatio(held, exp)
		row.Ratio = m.value(rep, "coaching.held", ratio, ok && m.HasLog, last, 1, false)
		row.Ratio.Key = rep.ID + "/last-" + strconv.Itoa(CadenceMonths) + "-months/coaching.held"
		if m.HasCommitments {
			row.FollowThrough = m.followThrough(rep)
			mr.Unwritten = append(mr.Unwritten, m.unwritten(rep, mr.UnwrittenFrom)...)
		}
		mr.Rows = append(mr.Rows, row)
	}
	ratio, ok := HeldRatio(mr.Total.Held, mr.Total.Expected)
	mr.Total.Value = Value{Def: def, V: ratio, OK: ok && m.HasLog, Page: Month.String(), Key: mgr.ID + "/last-" + strconv.Itoa(CadenceMonths) + "-months/coaching.held"}
	if t, from, has := m.teamTarget("coaching.held"); has {
		mr.Total.Target, mr.Total.TargetFrom, mr.Total.HasTarget = t, from, true
	}
	mr.Total.judge(false)
	slices.SortStableFunc(mr.Unwritten, func(a, b Unwritten) int { return cmp.Compare(b.Date, a.Date) })
	return mr
}

// cadenceCell is a rep's meetings held against expected in a period, as
// the period's own page counts them (meetings), judged as coaching.held.
func (m *Model) cadenceCell(rep *data.Rep, p Period) CadenceCell {
	c := CadenceCell{Period: p, Prefix: rep.ID + "/" + p.ID}
	c.Held, c.Expected = m.meetings(rep, p)
	ratio, ok := HeldRatio(c.Held, c.Expected)
	c.Value = m.value(rep, "coaching.held", ratio, ok && m.HasLog, p, 1, m.InProgress(p))
	if p.Cadence == Quarter {
		c.Value.Key = key(rep, p, "coaching.quarterly")
	}
	return c
}

// meetings is the one count of a rep's coaching meetings in a month or a
// quarter, for the rep's page and the manager's: those held in the period
// up to the cut-off, and those the rhythm expects of the days the rep was
// on the team (Expected). In a period in progress, weekly meetings are due
// by the end of last week, and the period's own meetings (the pipeline
// meeting and one-on-one of a month, the territory review of a quarter)
// by its last day: until then one counts as expected once it is held. A
// month's page counts no territory review; a quarter's only that.
func (m *Model) meetings(rep *data.Rep, p Period) (held, expected map[string]int) {
	held = Held(m.reps[rep.Index].meetings, p.Start, min(p.End, m.AsOf))
	from, to := m.Active(rep)
	lo, hi := max(p.Start, from), min(p.End, to, m.AsOf)
	inProgress := m.InProgress(p)
	if inProgress {
		hi = min(hi, m.Cal.Prev(m.Cal.Of(Week, m.AsOf)).End)
	}
	expected = map[string]int{}
	if lo <= hi {
		expected = Expected(m.Cal, lo, hi)
	}
	own := []string{"monthly", "one-on-one"}
	if p.Cadence == Quarter {
		own = []string{"quarterly"}
	}
	for _, k := range own {
		switch {
		case lo > min(p.End, to):
			expected[k] = 0 // not on the team in the period
		case inProgress:
			expected[k] = min(1, held[k])
		default:
			expected[k] = 1
		}
	}
	if p.Cadence == Quarter {
		expected = map[string]int{"quarterly": expected["quarterly"]}
	} else {
		delete(expected, "quarterly")
	}
	for k, n := range expected {
		if n == 0 {
			delete(expected, k)
		}
	}
	return held, expected
}

// Now is the latest month of Months, the column the table opens at.
func (v *ManagerView) Now() Period {
	if len(v.Months) == 0 {
		return Period{}
	}
	return v.Months[len(v.Months)-1]
}
