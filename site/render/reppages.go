package render

import (
	"encoding/json"
	"html/template"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/coachbook/coachbook/site/data"
	"github.com/coachbook/coachbook/site/internal/par"
	"github.com/coachbook/coachbook/site/metric"
	"github.com/coachbook/coachbook/site/report"
)

// RepPage is the data of rep-week.html, rep-month.html and rep-quarter.html.
type RepPage struct {
	Base
	*report.RepReport
	TeamURL string
	// Teammates links the pages of the rep's team for the same period.
	Teammates []Mate
}

// Mate is one rep in the team switcher.
type Mate struct {
	Name, URL string
	Current   bool
	Off       int // off-target metrics in the period
}

// RepHomePage is the data of rep-home.html.
type RepHomePage struct {
	Base
	Rep      *data.Rep
	Manager  *data.Manager
	Latest   []*report.RepReport // the latest week, month and quarter
	Weeks    []report.Period     // newest first
	Months   []report.Period
	Quarters []report.Period
	Trend    []report.Point // won by month
}

// TeamPage is the data of team.html.
type TeamPage struct {
	Base
	*report.TeamReport
	Prev, Next *report.Period
}

// ManagerPage is the data of manager.html.
type ManagerPage struct {
	Base
	*report.ManagerReport
}

// RepMetrics is the metrics.json beside every rep report page. The first
// fields are pinned by the product specification; the rest add what the
// page shows.
type RepMetrics struct {
	Rep          string             `json:"rep"`
	Cadence      string             `json:"cadence"`
	Period       string             `json:"period"`
	Start        string             `json:"start"`
	End          string             `json:"end"`
	Activities   map[string]int     `json:"activities"`
	Created      report.CountAmount `json:"created"`
	Won          report.CountAmount `json:"won"`
	Lost         report.CountAmount `json:"lost"`
	OpenPipeline report.CountAmount `json:"open_pipeline"`
	Quota        *float64           `json:"quota"`
	Attainment   *float64           `json:"attainment"`

	InProgress bool                `json:"in_progress"`
	AsOf       string              `json:"as_of"`
	Team       string              `json:"team"`
	Manager    string              `json:"manager,omitempty"`
	Targets    map[string]float64  `json:"targets,omitempty"`
	Metrics    map[string]*float64 `json:"metrics,omitempty"`
	OffTarget  []string            `json:"off_target"`
	Flow       *FlowJSON           `json:"flow,omitempty"` // with pipeline history: month and quarter
}

func optional(v float64, ok bool) *float64 {
	if !ok {
		return nil
	}
	v = math.Round(v*1e6) / 1e6
	return &v
}

func repMetrics(r *report.RepReport, asOf string) RepMetrics {
	m := RepMetrics{
		Rep: r.Rep.ID, Cadence: r.Period.Cadence.String(), Period: r.Period.ID,
		Start: r.Period.Start.String(), End: r.Period.End.String(),
		Activities: r.Counts, Created: r.Created, Won: r.Won, Lost: r.Lost, OpenPipeline: r.Open,
		InProgress: r.InProgress, AsOf: asOf, Team: r.Rep.Team, Manager: r.Rep.Manager,
		Targets: r.Rep.Targets, Metrics: map[string]*float64{}, OffTarget: []string{},
	}
	if r.HasQuota {
		m.Quota = &r.Quota
		if r.Attainment.OK {
			att := r.Attainment.V // exactly won ÷ quota, unrounded
			m.Attainment = &att
		}
	}
	if r.Period.Cadence != report.Week {
		for _, v := range []report.Value{r.Coverage, r.WinRate, r.DealSize, r.CycleDays, r.PastDueV, r.StalledV, r.HeldRatio} {
			m.Metrics[v.ID] = optional(v.V, v.OK)
		}
		if r.Forecast != nil {
			m.Metrics["forecast.accuracy"] = optional(r.Forecast.Accuracy.V, r.Forecast.Accuracy.OK)
		}
	}
	m.Metrics["pipeline.created"] = optional(r.Created.Amount, true)
	flowJSON(&m, r)
	for _, v := range r.OffTarget {
		m.OffTarget = append(m.OffTarget, v.ID)
	}
	return m
}

// RepURL is the address of a rep's page for a period ("" for the rep home).
func RepURL(rep string, p *report.Period) string {
	if p == nil {
		return "/reports/reps/" + rep + "/"
	}
	return "/reports/reps/" + rep + "/" + p.Cadence.String() + "/" + p.ID + "/"
}

// TeamURL is the address of a team's page for a period.
func TeamURL(team string, p report.Period) string {
	return "/reports/teams/" + team + "/" + p.Cadence.String() + "/" + p.ID + "/"
}

// teamTask renders one team's pages for one period, with the pages of its
// reps for that period.
type teamTask struct {
	team   string
	reps   []*data.Rep
	period report.Period
}

// RepReports renders every rep, team and manager page into sink.
func (r *Renderer) RepReports(m *report.Model, sink Sink) []error {
	team := m.Data.Team
	asOf := m.AsOf.String()
	byTeam := map[string][]*data.Rep{}
	for _, rep := range team.Reps {
		byTeam[rep.Team] = append(byTeam[rep.Team], rep)
	}
	var tasks []teamTask
	for _, t := range team.Teams {
		from, to := m.AsOf, m.First
		for _, rep := range byTeam[t] {
			f, e := m.Active(rep)
			from, to = min(from, f), max(to, e)
		}
		for _, c := range report.Cadences {
			for _, p := range m.Cal.Range(c, from, to) {
				tasks = append(tasks, teamTask{t, byTeam[t], p})
			}
		}
	}
	errs := make([][]error, len(tasks))
	par.Do(len(tasks), func(i int) {
		errs[i] = r.renderTeamTask(m, tasks[i], asOf, sink)
	})
	var all []error
	for _, e := range errs {
		all = append(all, e...)
	}
	repErrs := make([]error, len(team.Reps))
	par.Do(len(team.Reps), func(i int) {
		repErrs[i] = r.renderRepHome(m, team.Reps[i], sink)
	})
	for _, e := range repErrs {
		if e != nil {
			all = append(all, e)
		}
	}
	for _, mgr := range team.Managers {
		mr := m.Manager(mgr)
		url := "/reports/managers/" + mgr.ID + "/"
		page := ManagerPage{Base: r.reportBase("manager", "Coaching cadence: "+mgr.Name, url, Crumb{Title: mgr.Name}), ManagerReport: mr}
		if err := r.writePage("manager", url, page, sink); err != nil {
			all = append(all, err)
		}
	}
	return all
}

func (r *Renderer) renderTeamTask(m *report.Model, t teamTask, asOf string, sink Sink) []error {
	var errs []error
	var rows []*report.RepReport
	for _, rep := range t.reps {
		from, to := m.Active(rep)
		if t.period.End < from || t.period.Start > to {
			continue
		}
		rows = append(rows, m.Rep(rep, t.period))
	}
	mates := make([]Mate, len(rows))
	for i, rr := range rows {
		mates[i] = Mate{Name: rr.Rep.Name, URL: RepURL(rr.Rep.ID, &t.period), Off: len(rr.OffTarget)}
	}
	for i, rr := range rows {
		rep := rr.Rep
		url := RepURL(rep.ID, &t.period)
		kind := "rep-" + t.period.Cadence.String()
		title := rep.Name + " · " + t.period.Label()
		page := RepPage{Base: r.reportBase(kind, title, url, Crumb{Title: rep.Name, URL: RepURL(rep.ID, nil)}, Crumb{Title: t.period.Label()}), RepReport: rr, TeamURL: TeamURL(rep.Team, t.period)}
		if len(mates) > 1 {
			page.Teammates = append([]Mate(nil), mates...)
			page.Teammates[i].Current = true
		}
		if err := r.writePage(kind, url, page, sink); err != nil {
			errs = append(errs, err)
		}
		b, err := json.MarshalIndent(repMetrics(rr, asOf), "", "  ")
		if err == nil {
			err = sink.Write(strings.TrimSuffix(outPath(url), "index.html")+"metrics.json", append(b, '\n'))
		}
		if err != nil {
			errs = append(errs, err)
		}
	}
	if len(rows) == 0 {
		return errs
	}
	tr := m.Team(t.team, t.period, rows)
	url := TeamURL(t.team, t.period)
	page := TeamPage{Base: r.reportBase("team", "Team "+t.team+" · "+t.period.Label(), url, Crumb{Title: "Team " + t.team}, Crumb{Title: t.period.Label()}), TeamReport: tr}
	if prev := m.Cal.Prev(t.period); prev.End >= m.First {
		page.Prev = &prev
	}
	if next := m.Cal.Of(t.period.Cadence, t.period.End+1); next.Start <= m.AsOf {
		page.Next = &next
	}
	if err := r.writePage("team", url, page, sink); err != nil {
		errs = append(errs, err)
	}
	return errs
}

func (r *Renderer) renderRepHome(m *report.Model, rep *data.Rep, sink Sink) error {
	url := RepURL(rep.ID, nil)
	page := RepHomePage{Base: r.reportBase("rep-home", rep.Name, url, Crumb{Title: rep.Name}), Rep: rep}
	if i := m.Data.Team.Manager(rep.Manager); i >= 0 {
		page.Manager = m.Data.Team.Managers[i]
	}
	for _, c := range report.Cadences {
		ps := m.Periods(rep, c)
		if len(ps) == 0 {
			continue
		}
		page.Latest = append(page.Latest, m.Rep(rep, ps[len(ps)-1]))
		slices.Reverse(ps)
		switch c {
		case report.Week:
			page.Weeks = ps
		case report.Month:
			page.Months = ps
			for i := min(12, len(ps)) - 1; i >= 0; i-- {
				page.Trend = append(page.Trend, report.Point{Label: ps[i].Short(), V: m.WonIn(rep, ps[i]), InProgress: ps[i].Contains(m.AsOf)})
			}
		case report.Quarter:
			page.Quarters = ps
		}
	}
	return r.writePage("rep-home", url, page, sink)
}

func (r *Renderer) writePage(kind, url string, v any, sink Sink) error {
	b, err := r.execute(kind, v)
	if err != nil {
		return err
	}
	return sink.Write(outPath(url), b)
}

// reportBase fills Base for a report page: noindex, with breadcrumbs under
// Reports.
func (r *Renderer) reportBase(kind, title, url string, crumbs ...Crumb) Base {
	b := r.base(kind, nil, title, url)
	b.NoIndex = true
	b.Crumbs = append([]Crumb{{Title: "Home", URL: "/"}, {Title: "Reports", URL: "/reports/"}}, crumbs...)
	return b
}

// formatValue writes a metric value in its unit.
func (r *Renderer) formatValue(v report.Value) string {
	if !v.OK {
		return "–"
	}
	return r.formatUnit(v.Unit, v.V)
}

func (r *Renderer) formatUnit(u metric.Unit, x float64) string {
	switch u {
	case metric.Money:
		return r.money(x)
	case metric.Ratio:
		return strconv.FormatFloat(math.Round(x*100), 'f', 0, 64) + "%"
	case metric.Multiple:
		if x >= 10 {
			// Coverage of a nearly met quota; the exact value is in metrics.json.
			return "over 10×"
		}
		return strconv.FormatFloat(x, 'f', 1, 64) + "×"
	case metric.Days:
		return strconv.FormatFloat(x, 'f', 0, 64) + " days"
	}
	if x == math.Trunc(x) {
		return strconv.FormatFloat(x, 'f', 0, 64)
	}
	return strconv.FormatFloat(x, 'f', 1, 64)
}

// reportFuncs are the template functions of the report pages.
func (r *Renderer) reportFuncs() template.FuncMap {
	return template.FuncMap{
		"fmtv":   r.formatValue,
		"target": func(v report.Value) string { return r.formatUnit(v.Unit, v.Target) },
		"unit":   r.formatUnit,
		"pct": func(x float64) string {
			return strconv.FormatFloat(math.Round(x*100), 'f', 0, 64) + "%"
		},
		"repURL":  func(rep string, p report.Period) string { return RepURL(rep, &p) },
		"teamURL": TeamURL,
		"coachURL": func(v report.Value) string {
			if len(v.Coach) == 0 {
				return ""
			}
			return v.Coach[0].Page.URL + "#" + v.Coach[0].Section
		},
		"activityChart": func(l report.ActivityLine) template.HTML {
			return barChart(l.Trend, l.Target, l.HasTarget, l.Name+", last weeks", func(x float64) string { return strconv.FormatFloat(x, 'f', 0, 64) })
		},
		"moneyChart": func(points []report.Point, label string) template.HTML {
			return barChart(points, 0, false, label, r.money)
		},
		"historyChart": func(bars []report.QuarterBar) template.HTML {
			var pts []report.Point
			target, has := 0.0, false
			for _, b := range bars {
				pts = append(pts, report.Point{Label: b.Period.ID[5:] + " " + b.Period.ID[2:4], V: b.Won})
				if b.HasQuota {
					target, has = b.Quota, true
				}
			}
			return barChart(pts, target, has, "Won by quarter against quota", r.money)
		},
		"stageChart": func(s []report.StageCount) template.HTML { return stackBar(s, "Open pipeline by stage", r.money) },
		"meter":      meter,
		"kindLabel": func(k string) string {
			return map[string]string{"weekly": "Weekly meetings", "monthly": "Pipeline meetings", "one-on-one": "One-on-ones", "quarterly": "Territory reviews", "ride-along": "Ride-alongs"}[k]
		},
		"lower": strings.ToLower,
		"add":   func(a, b int) int { return a + b },
		// count writes "1 deal", "3 deals".
		"count": func(n int, word string) string {
			if n == 1 {
				return "1 " + word
			}
			return strconv.Itoa(n) + " " + word + "s"
		},
	}
}
