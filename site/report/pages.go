package report

import (
	"math"
	"slices"
	"strings"
	"time"

	"github.com/coachbook/coachbook/site/data"
	"github.com/coachbook/coachbook/site/metric"
)

// The addresses of the report pages. Every report URL is made here; the
// templates use the URL fields of the views.
const (
	IndexURL      = "/reports/"
	HealthURL     = "/reports/data-health/"
	MetricsDocURL = "/reports/metrics/"
)

// RepHomeURL is the address of a rep's home page.
func RepHomeURL(rep string) string { return IndexURL + "reps/" + rep + "/" }

// RepURL is the address of a rep's page for a period.
func RepURL(rep string, p Period) string {
	return RepHomeURL(rep) + p.Cadence.String() + "/" + p.ID + "/"
}

// TeamURL is the address of a team's page for a period.
func TeamURL(team string, p Period) string {
	return IndexURL + "teams/" + team + "/" + p.Cadence.String() + "/" + p.ID + "/"
}

// ManagerURL is the address of a manager's cadence page.
func ManagerURL(id string) string { return IndexURL + "managers/" + id + "/" }

// Page is one report page: its address, the layout that draws it, its title
// and breadcrumbs (after Home › Reports), the view the layout is given, and
// the metrics.json written beside it (nil for none). A period older than
// [reports.keep] has no layout (Kind ""): only its metrics.json is written.
type Page struct {
	URL   string
	Kind  string // the layout: rep-week, rep-month, rep-quarter, rep-home, team, manager, reports, data-health, metrics
	Title string
	// Words is the title in the site's language (see Msg); Title is its
	// English.
	Words  Msg
	Crumbs []Crumb
	View   any
	JSON   any
}

// Crumb is one step of a report page's breadcrumbs.
// Words, when set, is its title in the site's language.
type Crumb struct {
	Title, URL string
	Words      Msg
}

// Task computes a group of report pages and hands each to emit; tasks are
// independent and may run in parallel.
type Task func(emit func(Page))

// Tasks lists the work that produces every report page: the index, data
// health, the metrics page, each team's pages for each period with its
// reps' pages, each rep's home and each manager's page.
func (m *Model) Tasks(h *Health) []Task {
	keyed := m.KeyedTasks(h)
	tasks := make([]Task, len(keyed))
	for i, k := range keyed {
		tasks[i] = k.Run
	}
	return tasks
}

// KeyedTasks is Tasks with the inputs of the tasks that know them before
// they run: each team's period pages (see inputs.go).
func (m *Model) KeyedTasks(h *Health) []KeyedTask {
	team := m.Data.Team
	tasks := []KeyedTask{{Run: m.indexTask(h)}, {Run: m.healthTask(h)}, {Run: m.metricsTask()}}
	byTeam := m.byTeam()
	for _, t := range team.Teams {
		for _, p := range m.teamPeriods(byTeam[t]) {
			tasks = append(tasks, KeyedTask{Run: m.teamTask(t, byTeam[t], p), In: m.teamInputs(t, byTeam[t], p)})
		}
	}
	for _, rep := range team.Reps {
		tasks = append(tasks, KeyedTask{Run: m.homeTask(rep)})
	}
	for _, mgr := range team.Managers {
		tasks = append(tasks, KeyedTask{Run: m.managerTask(mgr)})
	}
	return tasks
}

// TaskFor returns the task of Tasks that makes the report page at url
// (and its metrics.json) without working out any other page, so that the
// dev server opens any page of a large org at once. ok is false for an
// address that no task makes.
func (m *Model) TaskFor(h *Health, url string) (Task, bool) {
	switch url {
	case IndexURL:
		return m.indexTask(h), true
	case HealthURL:
		return m.healthTask(h), true
	case MetricsDocURL:
		return m.metricsTask(), true
	}
	rest, ok := strings.CutPrefix(url, IndexURL)
	if !ok || !strings.HasSuffix(rest, "/") {
		return nil, false
	}
	el := strings.Split(strings.TrimSuffix(rest, "/"), "/")
	team := m.Data.Team
	switch {
	case len(el) == 3 && el[0] == "managers" && el[2] == "overview", len(el) == 2 && el[0] == "teams":
		// A manager's or a team's own index comes with the reports index.
		return m.indexTask(h), true
	case len(el) == 3 && el[0] == "reps" && el[2] == "history":
		if i := team.Rep(el[1]); i >= 0 && team.Reps[i].ID == el[1] {
			return m.homeTask(team.Reps[i]), true
		}
	case len(el) == 2 && el[0] == "managers":
		if i := team.Manager(el[1]); i >= 0 && team.Managers[i].ID == el[1] {
			return m.managerTask(team.Managers[i]), true
		}
	case len(el) == 2 && el[0] == "reps":
		if i := team.Rep(el[1]); i >= 0 && team.Reps[i].ID == el[1] {
			return m.homeTask(team.Reps[i]), true
		}
	case len(el) == 4 && (el[0] == "reps" || el[0] == "teams"):
		t := el[1]
		if el[0] == "reps" {
			i := team.Rep(el[1])
			if i < 0 || team.Reps[i].ID != el[1] {
				return nil, false
			}
			t = team.Reps[i].Team
		}
		reps := m.byTeam()[t]
		for _, p := range m.teamPeriods(reps) {
			if p.Cadence.String() == el[2] && p.ID == el[3] {
				return m.teamTask(t, reps, p), true
			}
		}
	}
	return nil, false
}

// indexTask makes the reports index and, from the same glance, each
// manager's and each team's own index (the one its audience opens).
func (m *Model) indexTask(h *Health) Task {
	return func(emit func(Page)) {
		groups := m.glance()
		emit(Page{URL: IndexURL, Kind: "reports", Title: "Team reports", Words: M("page.team_reports"), View: m.indexView(h, groups)})
		m.scopedIndexes(h, groups, emit)
	}
}

func (m *Model) healthTask(h *Health) Task {
	return func(emit func(Page)) {
		emit(Page{URL: HealthURL, Kind: "data-health", Title: "Data health", Words: M("health.title"), View: &HealthView{Health: h, Team: m.Data.Team}})
	}
}

func (m *Model) metricsTask() Task {
	return func(emit func(Page)) {
		emit(Page{URL: MetricsDocURL, Kind: "metrics", Title: "How the numbers are computed", Words: M("metrics.title"), View: m.metricsDoc()})
	}
}

// byTeam lists each team's reps, in the order of the team file.
func (m *Model) byTeam() map[string][]*data.Rep {
	out := map[string][]*data.Rep{}
	for _, rep := range m.Data.Team.Reps {
		out[rep.Team] = append(out[rep.Team], rep)
	}
	return out
}

// teamPeriods are the periods of every cadence in which any of a team's
// reps was active: those the team has pages (or metrics.json files) for.
func (m *Model) teamPeriods(reps []*data.Rep) []Period {
	from, to := m.AsOf, m.First
	for _, rep := range reps {
		f, e := m.Active(rep)
		from, to = min(from, f), max(to, e)
	}
	var out []Period
	for _, c := range Cadences {
		out = append(out, m.Cal.Range(c, from, to)...)
	}
	return out
}

func (m *Model) teamTask(team string, reps []*data.Rep, p Period) Task {
	return func(emit func(Page)) { m.teamPages(team, reps, p, emit) }
}

// homeTask makes a rep's home page and the history page its older
// periods link to.
func (m *Model) homeTask(rep *data.Rep) Task {
	return func(emit func(Page)) {
		home := m.repHome(rep)
		emit(home)
		if h, ok := m.repHistory(rep, home.View.(*RepHomeView)); ok {
			emit(h)
		}
	}
}

func (m *Model) managerTask(mgr *data.Manager) Task {
	return func(emit func(Page)) {
		emit(Page{URL: ManagerURL(mgr.ID), Kind: "manager", Title: "Coaching cadence: " + mgr.Name, Words: M("manager.page_title", mgr.Name),
			Crumbs: []Crumb{{Title: mgr.Name}}, View: m.Manager(mgr)})
	}
}

// repView computes a rep's page for a period, whatever its cadence.
func (m *Model) repView(rep *data.Rep, p Period) (*RepPage, any, TeamRow) {
	switch p.Cadence {
	case Week:
		w := m.Week(rep, p)
		return w.RepPage, w, TeamRow{RepPage: w.RepPage, Activities: w.Activities}
	case Month:
		v := m.Month(rep, p)
		return v.RepPage, v, TeamRow{RepPage: v.RepPage, Pipe: v.Pipeline}
	}
	v := m.Quarter(rep, p)
	return v.RepPage, v, TeamRow{RepPage: v.RepPage, Pipe: v.Pipeline}
}

// teamPages computes a team's page for a period and its reps' pages, each
// rep's numbers once.
func (m *Model) teamPages(team string, reps []*data.Rep, p Period, emit func(Page)) {
	var rows []TeamRow
	var views []any
	for _, rep := range reps {
		from, to := m.Active(rep)
		if p.End < from || p.Start > to {
			continue
		}
		_, v, row := m.repView(rep, p)
		rows = append(rows, row)
		views = append(views, v)
	}
	if len(rows) == 0 {
		return
	}
	medians := teamMedians(rows)
	for _, r := range rows {
		r.TeamMedian = medians
	}
	mates := make([]Mate, len(rows))
	for i, r := range rows {
		mates[i] = Mate{Name: r.Rep.Name, URL: r.URL, Off: len(r.OffTarget)}
	}
	kind, teamKind := "rep-"+p.Cadence.String(), "team"
	if !m.HasPage(p) {
		kind, teamKind = "", ""
	}
	for i, r := range rows {
		if len(mates) > 1 {
			r.Mates = slices.Clone(mates)
			r.Mates[i].Current = true
		}
		emit(Page{URL: r.URL, Kind: kind, Title: r.Rep.Name + " · " + p.Label(), Words: M("report.page_title", r.Rep.Name, p),
			Crumbs: []Crumb{{Title: r.Rep.Name, URL: r.HomeURL}, {Title: p.Label(), Words: M("period.label", p)}}, View: views[i], JSON: m.repMetrics(views[i], r.RepPage)})
	}
	tv := m.Team(team, p, rows)
	emit(Page{URL: tv.URL, Kind: teamKind, Title: "Team " + team + " · " + p.Label(), Words: M("team.page_title", team, p),
		Crumbs: []Crumb{{Title: "Team " + team, Words: M("team.crumb", team)}, {Title: p.Label(), Words: M("period.label", p)}}, View: tv, JSON: teamMetrics(tv)})
}

// medianIDs are the metrics rep pages compare with the team's median.
var medianIDs = []string{"attainment", "win_rate", "pipeline.coverage", "deal_size", "cycle_days", "forecast.accuracy"}

// teamMedians is the median of each compared metric over a team's rows,
// and of each activity count; none for a team of one.
func teamMedians(rows []TeamRow) map[string]float64 {
	out := map[string]float64{}
	if len(rows) < 2 {
		return out
	}
	for _, id := range medianIDs {
		var xs []float64
		for _, r := range rows {
			if v, ok := r.Metrics[id]; ok && v.OK {
				xs = append(xs, v.V)
			}
		}
		if len(xs) >= 2 {
			out[id], _ = median(xs)
		}
	}
	types := map[string]bool{}
	for _, r := range rows {
		for _, a := range r.Activities {
			types[a.Type] = true
		}
	}
	for t := range types {
		xs := make([]float64, len(rows))
		for i, r := range rows {
			xs[i] = float64(r.Counts[t])
		}
		out[metric.ActivityPrefix+t], _ = median(xs)
	}
	return out
}

// RepHomeView is a rep's home page: the periods that matter for the next
// meeting first, then every period.
type RepHomeView struct {
	Rep     *data.Rep
	Manager *data.Manager
	URL     string
	// Latest are the pages a meeting needs: the current week and the last
	// completed one, the current month and the last completed one, and the
	// current quarter.
	Latest []*RepPage
	// Weeks, Months and Quarters are the rep's calendar, newest first, each
	// period with its status at a glance.
	Weeks    []Status
	Months   []Status
	Quarters []Status
	Trend    []Point // won by month
	// HistoryURL is the rep's history page, where the periods older than
	// the pages the site keeps open; "" when there are none.
	HistoryURL string
	// MonthQuota is the rep's monthly quota, the line on the trend chart.
	MonthQuota    float64
	HasMonthQuota bool
	// HasCommitments says whether a commitments file exists; FollowThrough
	// is the share of the rep's commitments kept over time.
	HasCommitments bool
	FollowThrough  *FollowThroughView
}

func (m *Model) repHome(rep *data.Rep) Page {
	h := &RepHomeView{Rep: rep, URL: RepHomeURL(rep.ID), HasCommitments: m.HasCommitments, FollowThrough: m.followThrough(rep)}
	h.MonthQuota, h.HasMonthQuota = quotaOn(rep, Month, m.Cal.Of(Month, m.AsOf).Start)
	if i := m.Data.Team.Manager(rep.Manager); i >= 0 {
		h.Manager = m.Data.Team.Managers[i]
	}
	for _, c := range Cadences {
		ps := m.Periods(rep, c)
		if len(ps) == 0 {
			continue
		}
		last := ps[len(ps)-1]
		latest := []Period{last}
		if m.InProgress(last) && len(ps) > 1 && c != Quarter {
			latest = []Period{last, ps[len(ps)-2]}
		}
		for _, p := range latest {
			r, _, _ := m.repView(rep, p)
			h.Latest = append(h.Latest, r)
		}
		links := m.history(rep, c, ps)
		switch c {
		case Week:
			h.Weeks = links
		case Month:
			h.Months = links
			for i := min(12, len(ps)); i > 0; i-- {
				p := ps[len(ps)-i]
				st := m.quotaStatus(rep, p)
				h.Trend = append(h.Trend, Point{Label: p.Start.Time().Format("Jan 06"), Of: p, Form: FormMonthYY, V: m.WonIn(rep, p), InProgress: m.InProgress(p), Verdict: st.Verdict, Key: st.Key})
			}
		case Quarter:
			h.Quarters = links
		}
	}
	for _, sts := range [][]Status{h.Weeks, h.Months, h.Quarters} {
		if slices.ContainsFunc(sts, func(s Status) bool { return s.Old }) {
			h.HistoryURL = RepHistoryURL(rep.ID)
		}
	}
	return Page{URL: h.URL, Kind: "rep-home", Title: rep.Name, Crumbs: []Crumb{{Title: rep.Name}}, View: h}
}

// IndexView is the reports' index page: every manager with their teams,
// and each rep's status for the last completed week, the month and the
// quarter. A manager's or a team's index (Scope set) shows theirs only.
type IndexView struct {
	Health                *Health
	AsOf                  string
	Groups                []ManagerGlance
	LastWeek              Period
	HealthURL, MetricsURL string
	Scope                 *Scope
}

func (m *Model) indexView(h *Health, groups []ManagerGlance) *IndexView {
	idx := &IndexView{Health: h, AsOf: m.AsOf.String(), HealthURL: HealthURL, MetricsURL: MetricsDocURL, Groups: groups}
	idx.LastWeek = m.Cal.Of(Week, m.AsOf)
	if m.InProgress(idx.LastWeek) {
		idx.LastWeek = m.Cal.Prev(idx.LastWeek)
	}
	return idx
}

// HealthView is the data-health page.
type HealthView struct {
	Health *Health
	Team   *data.Team
}

// MetricsDoc is the metrics page: how every number is computed.
type MetricsDoc struct {
	Metrics   []MetricDoc
	AsOf      string
	WeekStart string
	FYStart   string
	Example   struct{ Week, Quarter string }
	// FYMonth is the fiscal year's first month (1-12); ExampleWeek and
	// ExampleQuarter are Example's words for the theme (see Msg).
	FYMonth                     int
	ExampleWeek, ExampleQuarter Msg
	// TopShare is the share of reps "the top" means in revenue concentration.
	TopShare float64
	// CloseShare and MinDeals are the thresholds of the status scale and
	// of the figures that need a sample (see status.go).
	CloseShare float64
	MinDeals   int
}

// MetricDoc documents one metric: the catalog's words and the team's target.
// The guide sections that coach it are joined when the page is rendered.
type MetricDoc struct {
	metric.Def
	Target    float64
	HasTarget bool
}

func (m *Model) metricsDoc() *MetricsDoc {
	d := m.Data
	mp := &MetricsDoc{AsOf: m.AsOf.String(), WeekStart: m.Cal.WeekStart.String(), FYStart: time.Month(m.Cal.FYStart).String(), TopShare: TopShare, CloseShare: CloseShare, MinDeals: MinDeals}
	wk, q := m.Cal.Of(Week, m.AsOf), m.Cal.Of(Quarter, m.AsOf)
	mp.Example.Week = m.AsOf.String() + " is in " + wk.ID + ", " + wk.Start.String() + " to " + wk.End.String()
	mp.Example.Quarter = m.AsOf.String() + " is in " + q.ID + ", " + q.Start.String() + " to " + q.End.String()
	mp.FYMonth = m.Cal.FYStart
	mp.ExampleWeek = M("metrics.example", m.AsOf, wk.ID, wk.Start, wk.End)
	mp.ExampleQuarter = M("metrics.example", m.AsOf, q.ID, q.Start, q.End)
	types := slices.Clone(d.ActivityTypes)
	for id := range d.Team.Targets {
		if t, ok := strings.CutPrefix(id, metric.ActivityPrefix); ok && !slices.Contains(types, t) {
			types = append(types, t)
		}
	}
	slices.Sort(types)
	var defs []metric.Def
	for _, t := range types {
		def, _ := metric.Lookup(metric.ActivityPrefix + t)
		defs = append(defs, def)
	}
	for _, def := range append(defs, metric.Named()...) {
		doc := MetricDoc{Def: def}
		doc.Target, doc.HasTarget = d.Team.Targets[def.ID]
		mp.Metrics = append(mp.Metrics, doc)
	}
	return mp
}

// WithActivities returns the page with the activity metrics of ids added
// that it does not list yet (those the guides coach but the data lacks), so
// every link to a metric's definition lands.
func (d *MetricsDoc) WithActivities(ids []string) *MetricsDoc {
	out := *d
	out.Metrics = slices.Clone(d.Metrics)
	var add []MetricDoc
	for _, id := range ids {
		if !strings.HasPrefix(id, metric.ActivityPrefix) || slices.ContainsFunc(out.Metrics, func(x MetricDoc) bool { return x.ID == id }) {
			continue
		}
		if def, ok := metric.Lookup(id); ok {
			add = append(add, MetricDoc{Def: def})
		}
	}
	if len(add) == 0 {
		return d
	}
	// Activity metrics come first, by id; the named ones after them.
	out.Metrics = append(add, out.Metrics...)
	slices.SortStableFunc(out.Metrics, func(a, b MetricDoc) int {
		aa, ba := strings.HasPrefix(a.ID, metric.ActivityPrefix), strings.HasPrefix(b.ID, metric.ActivityPrefix)
		switch {
		case aa && ba:
			return strings.Compare(a.ID, b.ID)
		case aa:
			return -1
		case ba:
			return 1
		}
		return 0
	})
	return &out
}

// optional is a defined value for metrics.json, or nil (null) when the
// value is not defined. Values are exact but for float noise.
func optional(v float64, ok bool) *float64 {
	if !ok || math.IsNaN(v) || math.IsInf(v, 0) {
		return nil
	}
	v = math.Round(v*1e9) / 1e9
	return &v
}
