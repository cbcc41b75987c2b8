package data

import (
	"strings"
)

// ForSite is the data of one site of an org published as several
// (config.Site): the reps keep selects and every row of theirs, with the
// managers of those reps and of their meetings, and nothing of any other
// rep. Rows of the other reps count as used elsewhere (FileStats.Elsewhere).
// A problem at a row is kept only when the row is one of the part's: a
// rejected row names no rep the part can vouch for, so its message (which
// may quote the row) stays off this site; Withheld counts them, and
// `coachbook check` lists them all. ForSite returns a new Data and leaves d
// as it is.
func (d *Data) ForSite(keep func(*Rep) bool) *Data {
	out := *d
	sel := selectTeam(d.Team, keep)
	out.Team = sel.team
	out.Files = append([]FileStats(nil), d.Files...)
	kept := d.keepRows(&out, sel)
	out.Problems = nil
	out.Withheld = 0
	for _, p := range d.Problems {
		if p.Row && !kept[rowAt{p.File, int32(p.Line)}] {
			out.Withheld++
			continue
		}
		out.Problems = append(out.Problems, p)
	}
	return &out
}

// selection is a site's team, taken from the org's, and where each of the
// org's reps and managers is in it (-1: not there).
type selection struct {
	from   *Team
	team   *Team
	repMap []int32
	mgrMap []int32
}

// selectTeam takes the reps keep selects from the org's team, in order,
// with their managers.
func selectTeam(from *Team, keep func(*Rep) bool) *selection {
	s := &selection{from: from, repMap: make([]int32, len(from.Reps)), mgrMap: make([]int32, len(from.Managers)),
		team: &Team{Targets: from.Targets, TargetLines: from.TargetLines, byKey: map[string]int{}, mgrKey: map[string]int{}}}
	for i := range s.mgrMap {
		s.mgrMap[i] = -1
	}
	t := s.team
	teams := map[string]bool{}
	for i, r := range from.Reps {
		s.repMap[i] = -1
		if !keep(r) {
			continue
		}
		nr := *r
		nr.Index = len(t.Reps)
		s.repMap[i] = int32(nr.Index)
		t.Reps = append(t.Reps, &nr)
		for _, k := range append([]string{r.ID, r.Name, r.Email}, r.Aliases...) {
			if k = strings.ToLower(strings.TrimSpace(k)); k != "" {
				t.byKey[k] = nr.Index
			}
		}
		if m := from.Manager(r.Manager); m >= 0 {
			s.manager(int32(m))
		}
		if !teams[r.Team] {
			teams[r.Team] = true
			t.Teams = append(t.Teams, r.Team)
		}
	}
	// Teams stays sorted: from.Teams is, and reps are kept in order.
	t.Teams = sortedLike(from.Teams, teams)
	return s
}

// manager is where the org's manager i is in the site's team, adding
// them the first time.
func (s *selection) manager(i int32) int32 {
	if i < 0 {
		return -1
	}
	if s.mgrMap[i] < 0 {
		m := s.from.Managers[i]
		s.mgrMap[i] = int32(len(s.team.Managers))
		s.team.Managers = append(s.team.Managers, m)
		for _, k := range []string{m.ID, m.Name, m.Email} {
			if k != "" {
				s.team.mgrKey[strings.ToLower(k)] = int(s.mgrMap[i])
			}
		}
	}
	return s.mgrMap[i]
}

// rowAt is where a row is: its file and line.
type rowAt struct {
	file string
	line int32
}

// keepRows puts in out the rows of d whose rep the site keeps, their reps
// and managers renumbered, counting the others in out.Files as used
// elsewhere; it returns where the kept rows are.
func (d *Data) keepRows(out *Data, sel *selection) map[rowAt]bool {
	repMap := sel.repMap
	kept := map[rowAt]bool{}
	row := func(file uint16, line int32, rep int32) bool {
		if repMap[rep] < 0 {
			if int(file) < len(out.Files) {
				out.Files[file].Used--
				out.Files[file].Elsewhere++
			}
			return false
		}
		kept[rowAt{d.FileOf(file), line}] = true
		return true
	}
	out.Activities = nil
	for _, a := range d.Activities {
		if row(a.File, a.Line, a.Rep) {
			a.Rep = repMap[a.Rep]
			out.Activities = append(out.Activities, a)
		}
	}
	oppMap := make([]int32, len(d.Opportunities))
	out.Opportunities = nil
	for i, o := range d.Opportunities {
		oppMap[i] = -1
		if row(o.File, o.Line, o.Rep) {
			o.Rep = repMap[o.Rep]
			oppMap[i] = int32(len(out.Opportunities))
			out.Opportunities = append(out.Opportunities, o)
		}
	}
	out.Forecasts = nil
	for _, f := range d.Forecasts {
		if row(f.File, f.Line, f.Rep) {
			f.Rep = repMap[f.Rep]
			out.Forecasts = append(out.Forecasts, f)
		}
	}
	out.Meetings = nil
	for _, m := range d.Meetings {
		if row(m.File, m.Line, m.Rep) {
			m.Rep, m.Manager = repMap[m.Rep], sel.manager(m.Manager)
			out.Meetings = append(out.Meetings, m)
		}
	}
	out.Commitments = nil
	for _, c := range d.Commitments {
		if row(c.File, c.Line, c.Rep) {
			c.Rep, c.Manager = repMap[c.Rep], sel.manager(c.Manager)
			out.Commitments = append(out.Commitments, c)
		}
	}
	out.Plans = nil
	for _, p := range d.Plans {
		if repMap[p.Rep] >= 0 {
			p.Rep = repMap[p.Rep]
			kept[rowAt{p.File, 0}] = true
			out.Plans = append(out.Plans, p)
		}
	}
	if d.History != nil {
		out.History = d.History.forSite(repMap, oppMap)
	}
	return kept
}

// forSite is the pipeline history of the deals of the reps a site keeps
// (repMap), renumbered as the site's reps and opportunities (oppMap).
func (h *History) forSite(repMap, oppMap []int32) *History {
	out := *h
	out.Deals = nil
	for _, tl := range h.Deals {
		if repMap[tl.Rep] < 0 {
			continue
		}
		tl.Rep = repMap[tl.Rep]
		if tl.Opp >= 0 {
			tl.Opp = oppMap[tl.Opp]
		}
		out.Deals = append(out.Deals, tl)
	}
	return &out
}

// sortedLike lists the members of set in the order of all.
func sortedLike(all []string, set map[string]bool) []string {
	var out []string
	for _, s := range all {
		if set[s] {
			out = append(out, s)
		}
	}
	return out
}
