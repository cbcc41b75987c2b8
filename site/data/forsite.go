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
	repMap := make([]int32, len(d.Team.Reps))
	mgrMap := make([]int32, len(d.Team.Managers))
	for i := range mgrMap {
		mgrMap[i] = -1
	}
	t := &Team{Targets: d.Team.Targets, TargetLines: d.Team.TargetLines, byKey: map[string]int{}, mgrKey: map[string]int{}}
	useMgr := func(i int32) int32 {
		if i < 0 {
			return -1
		}
		if mgrMap[i] < 0 {
			m := d.Team.Managers[i]
			mgrMap[i] = int32(len(t.Managers))
			t.Managers = append(t.Managers, m)
			for _, k := range []string{m.ID, m.Name, m.Email} {
				if k != "" {
					t.mgrKey[strings.ToLower(k)] = int(mgrMap[i])
				}
			}
		}
		return mgrMap[i]
	}
	teams := map[string]bool{}
	for i, r := range d.Team.Reps {
		repMap[i] = -1
		if !keep(r) {
			continue
		}
		nr := *r
		nr.Index = len(t.Reps)
		repMap[i] = int32(nr.Index)
		t.Reps = append(t.Reps, &nr)
		for _, k := range append([]string{r.ID, r.Name, r.Email}, r.Aliases...) {
			if k = strings.ToLower(strings.TrimSpace(k)); k != "" {
				t.byKey[k] = nr.Index
			}
		}
		if m := d.Team.Manager(r.Manager); m >= 0 {
			useMgr(int32(m))
		}
		if !teams[r.Team] {
			teams[r.Team] = true
			t.Teams = append(t.Teams, r.Team)
		}
	}
	out.Team = t
	// Teams stays sorted: d.Team.Teams is, and reps are kept in order.
	t.Teams = sortedLike(d.Team.Teams, teams)

	out.Files = append([]FileStats(nil), d.Files...)
	type at struct {
		file string
		line int32
	}
	kept := map[at]bool{}
	row := func(file uint16, line int32, rep int32) bool {
		if repMap[rep] < 0 {
			if int(file) < len(out.Files) {
				out.Files[file].Used--
				out.Files[file].Elsewhere++
			}
			return false
		}
		kept[at{d.FileOf(file), line}] = true
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
			m.Rep, m.Manager = repMap[m.Rep], useMgr(m.Manager)
			out.Meetings = append(out.Meetings, m)
		}
	}
	out.Commitments = nil
	for _, c := range d.Commitments {
		if row(c.File, c.Line, c.Rep) {
			c.Rep, c.Manager = repMap[c.Rep], useMgr(c.Manager)
			out.Commitments = append(out.Commitments, c)
		}
	}
	out.Plans = nil
	for _, p := range d.Plans {
		if repMap[p.Rep] >= 0 {
			p.Rep = repMap[p.Rep]
			kept[at{p.File, 0}] = true
			out.Plans = append(out.Plans, p)
		}
	}
	if d.History != nil {
		h := *d.History
		h.Deals = nil
		for _, tl := range d.History.Deals {
			if repMap[tl.Rep] < 0 {
				continue
			}
			tl.Rep = repMap[tl.Rep]
			if tl.Opp >= 0 {
				tl.Opp = oppMap[tl.Opp]
			}
			h.Deals = append(h.Deals, tl)
		}
		out.History = &h
	}
	out.Problems = nil
	out.Withheld = 0
	for _, p := range d.Problems {
		if p.Row && !kept[at{p.File, int32(p.Line)}] {
			out.Withheld++
			continue
		}
		out.Problems = append(out.Problems, p)
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
