package render

import (
	"slices"
	"strings"

	"github.com/coachbook/coachbook/site/content"
	"github.com/coachbook/coachbook/site/data"
	"github.com/coachbook/coachbook/site/metric"
	"github.com/coachbook/coachbook/site/report"
)

// ReportKinds are the layouts of the report pages.
var ReportKinds = []string{"reports", "data-health", "metrics"}

// MetricsPage is the data of metrics.html: how every number is computed.
type MetricsPage struct {
	Base
	Metrics []MetricDoc
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
	Team   *data.Team
	Health *report.Health
	AsOf   string
}

// Reports renders the report pages into sink. Every report page is noindex;
// none is listed in the sitemap or the search index.
func (r *Renderer) Reports(s *content.Site, d *data.Data, h *report.Health, sink Sink) []error {
	var errs []error
	write := func(kind, url string, v any) {
		b, err := r.execute(kind, v)
		if err == nil {
			err = sink.Write(outPath(url), b)
		}
		if err != nil {
			errs = append(errs, err)
		}
	}
	base := func(kind, title, url string) Base {
		b := r.base(kind, s.Root, title, url)
		b.NoIndex = true
		b.Crumbs = []Crumb{{Title: "Home", URL: "/"}, {Title: "Reports", URL: "/reports/"}, {Title: title}}
		return b
	}

	idx := ReportsPage{Base: base("reports", "Team reports", "/reports/"), Team: d.Team, Health: h, AsOf: h.AsOf.String()}
	idx.Crumbs = idx.Crumbs[:2]
	idx.Crumbs[1].URL = ""
	write("reports", "/reports/", idx)

	write("data-health", "/reports/data-health/", DataHealthPage{Base: base("data-health", "Data health", "/reports/data-health/"), Health: h, Team: d.Team})

	mp := MetricsPage{Base: base("metrics", "How the numbers are computed", "/reports/metrics/")}
	for _, def := range metricDefs(s, d) {
		doc := MetricDoc{Def: def, Coached: s.Coaching[def.ID]}
		doc.Target, doc.HasTarget = d.Team.Targets[def.ID]
		mp.Metrics = append(mp.Metrics, doc)
	}
	write("metrics", "/reports/metrics/", mp)
	return errs
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
