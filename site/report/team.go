package report

import (
	"slices"

	"github.com/coachbook/coachbook/site/content"

	"github.com/coachbook/coachbook/site/civil"
	"github.com/coachbook/coachbook/site/data"
)

// TeamReport rolls one period up for one team: a row per rep.
type TeamReport struct {
	Team          string
	Period        Period
	InProgress    bool
	Rows          []*RepReport
	Types         []string // activity types with a team target, for the weekly columns
	Won           CountAmount
	Created       CountAmount
	Open          CountAmount
	Quota         float64
	Attainment    Value
	Concentration Value
	AtQuota       Value
	AtQuotaCount  int
	WithQuota     int
}

// Team rolls up the reps of a team for a period. reports holds the reps'
// own reports for the period, so nothing is computed twice.
func (m *Model) Team(team string, p Period, reports []*RepReport) *TeamReport {
	t := &TeamReport{Team: team, Period: p, InProgress: p.Contains(m.AsOf), Rows: reports}
	for id := range m.Data.Team.Targets {
		if len(id) > len("activity.") && id[:len("activity.")] == "activity." {
			t.Types = append(t.Types, id[len("activity."):])
		}
	}
	slices.Sort(t.Types)
	var won, atts []float64
	for _, r := range reports {
		t.Won.Count += r.Won.Count
		t.Won.Amount += r.Won.Amount
		t.Created.Count += r.Created.Count
		t.Created.Amount += r.Created.Amount
		t.Open.Count += r.Open.Count
		t.Open.Amount += r.Open.Amount
		won = append(won, r.Won.Amount)
		if r.HasQuota {
			t.Quota += r.Quota
			t.WithQuota++
			if r.Attainment.OK {
				atts = append(atts, r.Attainment.V)
				if r.Attainment.V >= 1 {
					t.AtQuotaCount++
				}
			}
		}
	}
	t.Won.Amount, t.Created.Amount, t.Open.Amount = round2(t.Won.Amount), round2(t.Created.Amount), round2(t.Open.Amount)
	att, ok := Attainment(t.Won.Amount, t.Quota)
	t.Attainment = Value{V: att, OK: ok}
	t.Attainment.Def.ID, t.Attainment.Def.Name, t.Attainment.Def.Unit = "attainment", "Team attainment", "ratio"
	c, ok := Concentration(won)
	t.Concentration = Value{V: c, OK: ok && len(reports) > 1}
	t.Concentration.Def.Name, t.Concentration.Def.Unit = "Revenue from the top 20% of reps", "ratio"
	s, ok := ShareAtQuota(atts)
	t.AtQuota = Value{V: s, OK: ok}
	t.AtQuota.Def.Name, t.AtQuota.Def.Unit = "Reps at or above quota", "ratio"
	return t
}

// CadenceRow is one rep on a manager's cadence page.
type CadenceRow struct {
	Rep        *data.Rep
	Months     []CadenceCell // oldest first
	Quarter    CadenceCell
	RideAlongs int
	Ratio      Value
}

// CadenceCell is meetings held against expected for a period.
type CadenceCell struct {
	Period   Period
	Held     map[string]int
	Expected map[string]int
	Ratio    float64
	OK       bool
}

// ManagerReport is a manager's coaching cadence: the meetings held against
// those the rhythm expects, for each of their reps.
type ManagerReport struct {
	Manager *data.Manager
	HasLog  bool
	Coach   []content.Coaching // guide sections that coach coaching.held
	Months  []Period
	Rows    []CadenceRow
	Total   CadenceCell
}

// CadenceMonths is how many months the manager page shows.
const CadenceMonths = 6

// Manager computes a manager's cadence page.
func (m *Model) Manager(mgr *data.Manager) *ManagerReport {
	mr := &ManagerReport{Manager: mgr, HasLog: m.HasLog, Coach: m.Coaching["coaching.held"]}
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
		row := CadenceRow{Rep: rep}
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
		row.Ratio = m.value(rep, "coaching.held", ratio, ok && m.HasLog, false)
		mr.Rows = append(mr.Rows, row)
	}
	mr.Total.Ratio, mr.Total.OK = HeldRatio(mr.Total.Held, mr.Total.Expected)
	mr.Total.OK = mr.Total.OK && m.HasLog
	return mr
}

func (m *Model) cadenceCell(rep *data.Rep, p Period, from, to civil.Date, quarterly bool) CadenceCell {
	c := CadenceCell{Period: p, Held: Held(m.reps[rep.Index].meetings, p.Start, min(p.End, m.AsOf)), Expected: map[string]int{}}
	lo, hi := max(p.Start, from), min(p.End, to)
	if lo <= hi {
		c.Expected = Expected(m.Cal, lo, hi)
		if p.Contains(m.AsOf) {
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
