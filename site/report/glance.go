package report

import (
	"slices"
	"strings"

	"github.com/coachbook/coachbook/site/data"
	"github.com/coachbook/coachbook/site/metric"
)

// Status is a period's verdict at a glance, for the index and the history
// calendar: the week judged by its activity targets, a month or quarter by
// attainment once complete and by pace while in progress.
type Status struct {
	PeriodLink
	Verdict Verdict
	Class   string // Verdict.Class(): "good", "warn", "bad" or "none"
	Label   Msg    // what the colour means, in words: "2 of 3 targets missed", "84% of quota"
	// Key names the judged quantity (rep/period/week, attainment or pace),
	// and V its value (the attainment or pace ratio; missed targets for a
	// week), for the pages that show the same judgement.
	Key string
	V   float64
}

// weekStatus judges a completed week by its activity targets: how many the
// rep missed (prorated for a partial week), with JudgeCount.
func (m *Model) weekStatus(rep *data.Rep, w Period) Status {
	st := Status{PeriodLink: m.repLink(rep, w), Class: "none", Label: M("status.no_activity_target"), Key: key(rep, w, "week")}
	if m.InProgress(w) {
		st.Label = M("status.in_progress")
		return st
	}
	targets, missed := 0, 0
	for id := range rep.Targets {
		typ, ok := strings.CutPrefix(id, metric.ActivityPrefix)
		if !ok {
			continue
		}
		t, _ := m.weekTarget(rep, typ, w)
		if t <= 0 {
			continue
		}
		targets++
		if float64(m.activityCount(rep, typ, w.Start, w.End)) < t {
			missed++
		}
	}
	st.Verdict, st.V = JudgeCount(missed, targets), float64(missed)
	st.Class = st.Verdict.Class()
	switch {
	case targets == 0:
	case missed == 0:
		st.Label = M("status.every_target_hit")
	default:
		st.Label = M("status.targets_missed", missed, targets)
	}
	return st
}

// quotaStatus judges a month or quarter against quota: a complete period
// by its attainment, one in progress by its pace (see pace), each with
// Judge, as the period's own page judges them.
func (m *Model) quotaStatus(rep *data.Rep, p Period) Status {
	st := Status{PeriodLink: m.repLink(rep, p), Class: "none", Label: M("status.no_quota"), Key: key(rep, p, "attainment")}
	q, ok := Quota(rep, p)
	if !ok || q <= 0 {
		return st
	}
	won := round2(m.WonIn(rep, p))
	att := won / q
	st.Label = M("status.of_quota", Percent(att))
	if m.InProgress(p) {
		pv := m.pace(rep, p, won, q)
		st.Key, st.V, st.Verdict = pv.Key, pv.V, pv.Verdict
		st.Label = M("status.of_quota_so_far", Percent(att), st.Verdict)
	} else {
		st.V, st.Verdict = att, Judge(att, 1, metric.HigherIsBetter)
	}
	st.Class = st.Verdict.Class()
	return st
}

// RepGlance is one rep on the reports index: the last completed week, the
// month and the quarter in progress, and won by month.
type RepGlance struct {
	Rep      *data.Rep
	HomeURL  string
	LastWeek Status
	// WeekOff is the number of off-target metrics of the last completed week.
	WeekOff int
	Month   Status
	Quarter Status
	Spark   []Point // won by month, the last six months
}

// TeamGlance is one team on the index, with its reps.
type TeamGlance struct {
	ID       string
	IndexURL string // the team's own index
	Latest   []PeriodLink
	Reps     []RepGlance
}

// ManagerGlance is one manager on the index, with their teams.
type ManagerGlance struct {
	Manager  *data.Manager // nil for reps without a manager
	URL      string        // the manager's coaching cadence page
	IndexURL string        // the manager's own index
	Teams    []TeamGlance
}

// glance computes the reports index's groups: managers, their teams, and
// each rep's status.
func (m *Model) glance() []ManagerGlance {
	team := m.Data.Team
	week := m.Cal.Of(Week, m.AsOf)
	lastWeek := week
	if m.InProgress(week) {
		lastWeek = m.Cal.Prev(week)
	}
	month, quarter := m.Cal.Of(Month, m.AsOf), m.Cal.Of(Quarter, m.AsOf)
	groups := map[string]*ManagerGlance{}
	var order []string
	for _, rep := range team.Reps {
		g := groups[rep.Manager]
		if g == nil {
			g = &ManagerGlance{}
			if i := team.Manager(rep.Manager); i >= 0 {
				g.Manager = team.Managers[i]
				g.URL, g.IndexURL = ManagerURL(g.Manager.ID), ManagerIndexURL(g.Manager.ID)
			}
			groups[rep.Manager] = g
			order = append(order, rep.Manager)
		}
		ti := slices.IndexFunc(g.Teams, func(t TeamGlance) bool { return t.ID == rep.Team })
		if ti < 0 {
			// Last week first (the week the Monday meeting reviews), then
			// the month and the quarter, then the week in progress.
			tg := TeamGlance{ID: rep.Team, IndexURL: TeamIndexURL(rep.Team)}
			for _, p := range []Period{lastWeek, month, quarter, week} {
				if l := m.teamLink(rep.Team, p); l.URL != "" && !slices.ContainsFunc(tg.Latest, func(x PeriodLink) bool { return x.ID == p.ID }) {
					tg.Latest = append(tg.Latest, l)
				}
			}
			g.Teams = append(g.Teams, tg)
			ti = len(g.Teams) - 1
		}
		rg := RepGlance{Rep: rep, HomeURL: RepHomeURL(rep.ID)}
		from, to := m.Active(rep)
		if lastWeek.End >= from && lastWeek.Start <= to {
			rg.LastWeek = m.weekStatus(rep, lastWeek)
			rg.WeekOff = len(m.Week(rep, lastWeek).OffTarget)
		}
		if month.Start <= to {
			rg.Month = m.quotaStatus(rep, month)
		}
		if quarter.Start <= to {
			rg.Quarter = m.quotaStatus(rep, quarter)
		}
		for p, i := month, 0; i < 6 && p.End >= from; p, i = m.Cal.Prev(p), i+1 {
			st := m.quotaStatus(rep, p)
			rg.Spark = append(rg.Spark, Point{Label: p.Start.Time().Format("Jan 2006"), Of: p, Form: FormMonthYear, V: m.WonIn(rep, p), InProgress: m.InProgress(p), Verdict: st.Verdict, Key: st.Key})
		}
		slices.Reverse(rg.Spark)
		g.Teams[ti].Reps = append(g.Teams[ti].Reps, rg)
	}
	slices.SortStableFunc(order, func(a, b string) int {
		return cmpManager(groups[a], groups[b])
	})
	out := make([]ManagerGlance, 0, len(order))
	for _, id := range order {
		out = append(out, *groups[id])
	}
	return out
}

// cmpManager orders managers by name, reps without one last.
func cmpManager(a, b *ManagerGlance) int {
	switch {
	case a.Manager == nil && b.Manager == nil:
		return 0
	case a.Manager == nil:
		return 1
	case b.Manager == nil:
		return -1
	}
	return strings.Compare(a.Manager.Name, b.Manager.Name)
}

// history is a rep's calendar: every week, month and quarter with its
// status, newest first.
func (m *Model) history(rep *data.Rep, c Cadence, ps []Period) []Status {
	out := make([]Status, len(ps))
	for i, p := range ps {
		var st Status
		if c == Week {
			st = m.weekStatus(rep, p)
		} else {
			st = m.quotaStatus(rep, p)
		}
		out[len(ps)-1-i] = st
	}
	return out
}
