package render

import (
	"slices"
	"strings"
	"time"

	"github.com/coachbook/coachbook/site/content"
	"github.com/coachbook/coachbook/site/data"
	"github.com/coachbook/coachbook/site/diag"
	"github.com/coachbook/coachbook/site/metric"
	"github.com/coachbook/coachbook/site/report"
)

// ReportKinds are the layouts of the report pages.
var ReportKinds = []string{"reports", "data-health", "metrics", "rep-week", "rep-month", "rep-quarter", "rep-home", "team", "manager"}

// MetricsPage is the data of metrics.html: how every number is computed.
type MetricsPage struct {
	Base
	Metrics   []MetricDoc
	AsOf      string
	WeekStart string
	FYStart   string
	Example   struct{ Week, Quarter string }
}

// MetricDoc documents one metric: the catalog's words, the team's target
// and the guide sections that coach it.
type MetricDoc struct {
	metric.Def
	Target    float64
	HasTarget bool
	Coached   []content.Coaching
}

// DataHealthPage is the data of data-health.html.
type DataHealthPage struct {
	Base
	Health *report.Health
	Team   *data.Team
}

// ReportsPage is the data of reports.html, the reports' index.
type ReportsPage struct {
	Base
	Health   *report.Health
	AsOf     string
	Teams    []TeamLink
	Reps     []RepLink
	Managers []*data.Manager
}

// TeamLink is a team on the reports index, with its latest periods.
type TeamLink struct {
	ID     string
	Latest []report.Period
	Reps   int
}

// RepLink is a rep on the reports index.
type RepLink struct {
	Rep         *data.Rep
	Home        string
	ManagerName string
	Latest      []Link
}

// Link is a labelled site path.
type Link struct{ URL, Label string }

// Reports renders the report pages into sink. Every report page is noindex;
// none is listed in the sitemap or the search index.
func (r *Renderer) Reports(s *content.Site, m *report.Model, h *report.Health, sink Sink) diag.List {
	d := m.Data
	var diags diag.List
	write := func(kind, url string, v any) {
		if err := r.writePage(kind, url, v, sink); err != nil {
			diags.Add(diag.From(err))
		}
	}
	base := func(kind, title, url string) Base {
		b := r.base(kind, s.Root, title, url)
		b.NoIndex = true
		b.Crumbs = []Crumb{{Title: "Home", URL: "/"}, {Title: "Reports", URL: "/reports/"}, {Title: title}}
		return b
	}

	idx := ReportsPage{Base: base("reports", "Team reports", "/reports/"), Health: h, AsOf: h.AsOf.String(), Managers: d.Team.Managers}
	for _, t := range d.Team.Teams {
		tl := TeamLink{ID: t}
		for _, c := range report.Cadences {
			tl.Latest = append(tl.Latest, m.Cal.Of(c, m.AsOf))
		}
		for _, rep := range d.Team.Reps {
			if rep.Team == t {
				tl.Reps++
			}
		}
		idx.Teams = append(idx.Teams, tl)
	}
	for _, rep := range d.Team.Reps {
		rl := RepLink{Rep: rep, Home: RepURL(rep.ID, nil)}
		if i := d.Team.Manager(rep.Manager); i >= 0 {
			rl.ManagerName = d.Team.Managers[i].Name
		}
		for _, c := range report.Cadences {
			if ps := m.Periods(rep, c); len(ps) > 0 {
				p := ps[len(ps)-1]
				rl.Latest = append(rl.Latest, Link{URL: RepURL(rep.ID, &p), Label: p.ID})
			}
		}
		idx.Reps = append(idx.Reps, rl)
	}
	idx.Crumbs = idx.Crumbs[:2]
	idx.Crumbs[1].URL = ""
	write("reports", "/reports/", idx)

	write("data-health", "/reports/data-health/", DataHealthPage{Base: base("data-health", "Data health", "/reports/data-health/"), Health: h, Team: d.Team})

	mp := MetricsPage{Base: base("metrics", "How the numbers are computed", "/reports/metrics/"), AsOf: m.AsOf.String()}
	mp.WeekStart = m.Cal.WeekStart.String()
	mp.FYStart = time.Month(m.Cal.FYStart).String()
	wk, q := m.Cal.Of(report.Week, m.AsOf), m.Cal.Of(report.Quarter, m.AsOf)
	mp.Example.Week = m.AsOf.String() + " is in " + wk.ID + ", " + wk.Start.String() + " to " + wk.End.String()
	mp.Example.Quarter = m.AsOf.String() + " is in " + q.ID + ", " + q.Start.String() + " to " + q.End.String()
	for _, def := range metricDefs(s, d) {
		doc := MetricDoc{Def: def, Coached: s.Coaching[def.ID]}
		doc.Target, doc.HasTarget = d.Team.Targets[def.ID]
		mp.Metrics = append(mp.Metrics, doc)
	}
	write("metrics", "/reports/metrics/", mp)
	for _, err := range r.RepReports(m, sink) {
		diags.Add(diag.From(err))
	}
	return diags
}

// metricDefs lists every metric the site can show: the activity types in the
// data, those the guides coach or the team targets, then the named metrics.
func metricDefs(s *content.Site, d *data.Data) []metric.Def {
	types := slices.Clone(d.ActivityTypes)
	add := func(id string) {
		if t, ok := strings.CutPrefix(id, metric.ActivityPrefix); ok && !slices.Contains(types, t) {
			types = append(types, t)
		}
	}
	for id := range s.Coaching {
		add(id)
	}
	for id := range d.Team.Targets {
		add(id)
	}
	slices.Sort(types)
	var defs []metric.Def
	for _, t := range types {
		def, _ := metric.Lookup(metric.ActivityPrefix + t)
		defs = append(defs, def)
	}
	return append(defs, metric.Named()...)
}
