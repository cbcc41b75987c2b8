package report

import (
	"slices"
	"strings"

	"github.com/coachbook/coachbook/site/data"
)

// RepHistoryURL is the address of a rep's history page: one line for each
// period older than the pages the site keeps.
func RepHistoryURL(rep string) string { return RepHomeURL(rep) + "history/" }

// ManagerIndexURL is the address of a manager's reports index: the reports
// index for their reps only, where a manager's passphrase lands.
func ManagerIndexURL(id string) string { return ManagerURL(id) + "overview/" }

// TeamIndexURL is the address of a team's reports index.
func TeamIndexURL(team string) string { return IndexURL + "teams/" + team + "/" }

// Scope names whose reports a scoped index shows.
type Scope struct {
	Kind string // "manager" or "team"
	ID   string // the manager's or team's id
	Name string // the manager's name, or the team's id
	Reps int    // how many reps it shows
}

// scopedIndexes are the reports indexes of each manager and each team:
// the index's groups cut down to their reps, at the address an audience
// of that scope starts from.
func (m *Model) scopedIndexes(h *Health, groups []ManagerGlance, emit func(Page)) {
	base := m.indexView(h, groups)
	for _, g := range groups {
		if g.Manager == nil {
			continue
		}
		v := *base
		v.Groups = []ManagerGlance{g}
		v.Scope = &Scope{Kind: "manager", ID: g.Manager.ID, Name: g.Manager.Name, Reps: countReps(v.Groups)}
		emit(Page{URL: ManagerIndexURL(g.Manager.ID), Kind: "reports", Title: "Reports: " + g.Manager.Name, Words: M("index.manager_title", g.Manager.Name),
			Crumbs: []Crumb{{Title: g.Manager.Name, URL: ManagerURL(g.Manager.ID)}, {Title: "At a glance", Words: M("index.at_a_glance")}}, View: &v})
	}
	for _, team := range m.Data.Team.Teams {
		var cut []ManagerGlance
		for _, g := range groups {
			i := slices.IndexFunc(g.Teams, func(t TeamGlance) bool { return t.ID == team })
			if i >= 0 {
				g.Teams = []TeamGlance{g.Teams[i]}
				cut = append(cut, g)
			}
		}
		if len(cut) == 0 {
			continue
		}
		v := *base
		v.Groups = cut
		v.Scope = &Scope{Kind: "team", ID: team, Name: team, Reps: countReps(cut)}
		emit(Page{URL: TeamIndexURL(team), Kind: "reports", Title: "Reports: team " + team, Words: M("index.team_title", team),
			Crumbs: []Crumb{{Title: "Team " + team, Words: M("team.crumb", team)}}, View: &v})
	}
}

func countReps(gs []ManagerGlance) int {
	n := 0
	for _, g := range gs {
		for _, t := range g.Teams {
			n += len(t.Reps)
		}
	}
	return n
}

// HistoryView is a rep's history page: a compact line for every period
// older than the pages the site keeps, so that every period of the rep's
// calendar opens something readable.
type HistoryView struct {
	Rep      *data.Rep
	HomeURL  string
	Quarters []HistoryLine
	Months   []HistoryLine
	Weeks    []HistoryLine
}

// HistoryLine is one period on a history page: its status, the activities
// of a week, and won against quota for a month or a quarter.
type HistoryLine struct {
	Status
	Activities []ActivityCount
	Won        float64
	Quota      float64
	HasQuota   bool
}

// ActivityCount is the count of one activity type.
type ActivityCount struct {
	Type  string
	Count int64
}

// repHistory is the rep's history page, or false when every period of the
// rep has its own page.
func (m *Model) repHistory(rep *data.Rep, home *RepHomeView) (Page, bool) {
	if home.HistoryURL == "" {
		return Page{}, false
	}
	v := &HistoryView{Rep: rep, HomeURL: home.URL}
	lines := func(sts []Status) []HistoryLine {
		var out []HistoryLine
		for _, st := range sts {
			if !st.Old {
				continue
			}
			l := HistoryLine{Status: st}
			if st.Cadence == Week {
				counts := m.ActivityCounts(rep, st.Start, st.End)
				for t, n := range counts {
					l.Activities = append(l.Activities, ActivityCount{t, n})
				}
				slices.SortFunc(l.Activities, func(a, b ActivityCount) int { return strings.Compare(a.Type, b.Type) })
			} else {
				l.Won = m.WonIn(rep, st.Period)
				l.Quota, l.HasQuota = Quota(rep, st.Period)
			}
			out = append(out, l)
		}
		return out
	}
	v.Quarters, v.Months, v.Weeks = lines(home.Quarters), lines(home.Months), lines(home.Weeks)
	return Page{URL: RepHistoryURL(rep.ID), Kind: "rep-history", Title: rep.Name + " · history", Words: M("history.page_title", rep.Name),
		Crumbs: []Crumb{{Title: rep.Name, URL: home.URL}, {Title: "History", Words: M("history.crumb")}}, View: v}, true
}
