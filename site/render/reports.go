package render

import (
	"bytes"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"html"
	"html/template"
	"maps"
	"math"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/coachbook/coachbook/site/civil"
	"github.com/coachbook/coachbook/site/content"
	"github.com/coachbook/coachbook/site/diag"
	"github.com/coachbook/coachbook/site/internal/par"
	"github.com/coachbook/coachbook/site/metric"
	"github.com/coachbook/coachbook/site/report"
)

// ReportKinds are the layouts of the report pages.
var ReportKinds = []string{"reports", "data-health", "metrics", "rep-week", "rep-month", "rep-quarter", "rep-home", "rep-history", "team", "manager"}

// ReportPage is the data of every report layout: the page's Base and the
// report stage's typed view V (a *report.WeekView for rep-week.html, a
// *report.TeamView for team.html, and so on; templates reach its fields
// through .V).
type ReportPage struct {
	Base
	V any
}

// MetricsPage is the data of metrics.html: the metrics page's view and
// the guide sections that coach each metric.
type MetricsPage struct {
	Base
	V       *report.MetricsDoc
	Coached map[string][]content.Coaching
}

// KPICompare is what a KPI is compared with: its previous period and the
// team's median.
type KPICompare struct {
	Before    string
	HasMedian bool
	Median    string
}

// CoachLink is a link from a report number to a guide section.
type CoachLink struct {
	URL, Guide, Heading string
	// Skill marks a section of a guide for any meeting (a skills guide)
	// rather than of this page's meeting.
	Skill   bool
	Pattern bool
}

// Reports renders the report pages that the report stage's tasks produce,
// with their metrics.json files, into sink. Every report page is noindex;
// none is listed in the sitemap or the search index. Guide sections are
// joined to the numbers here, by metric id. reuse, when set, is asked
// before each page is rendered whether the previous output's copy can be
// kept.
func (r *Renderer) Reports(s *content.Site, tasks []report.Task, reuse Reuser, sink Sink) diag.List {
	keyed := make([]report.KeyedTask, len(tasks))
	for i, t := range tasks {
		keyed[i] = report.KeyedTask{Run: t}
	}
	return r.ReportsKeyed(s, keyed, reuse, sink)
}

// ReportsKeyed is Reports for tasks that may know their inputs: the pages
// of such a task are carried over together, by a key summed from its
// inputs before any view is worked out (report.Inputs), or rendered
// together; the pages of the others are keyed one by one by their views.
func (r *Renderer) ReportsKeyed(s *content.Site, tasks []report.KeyedTask, reuse Reuser, sink Sink) diag.List {
	set, err := r.reportLayouts(s)
	if err != nil {
		var diags diag.List
		diags.Add(diag.From(err))
		return diags
	}
	var shared uint64
	if reuse != nil {
		shared = r.sharedKey(ReportLinks(s))
	}
	errs := make([][]error, len(tasks))
	par.Do(len(tasks), func(i int) {
		t := tasks[i]
		if reuse != nil && t.In != nil {
			if r.reuseTask(reuse, t.In, shared) {
				return
			}
			// Rendered, every page: Reuse noted the files' key.
			var made []report.PageFiles
			t.Run(func(p report.Page) {
				made = append(made, report.PageFiles{URL: p.URL, Page: p.Kind != "", JSON: p.JSON != nil})
				if err := r.writeReport(set, s, p, sink); err != nil {
					errs[i] = append(errs[i], err)
				}
			})
			if !slices.Equal(made, t.In.Pages) {
				// A task that names other files than it writes would
				// leave files stale or carry files no build writes.
				errs[i] = append(errs[i], fmt.Errorf("internal error: a report task wrote %v, its inputs name %v", made, t.In.Pages))
			}
			return
		}
		t.Run(func(p report.Page) {
			if r.reuseReport(reuse, p, shared) {
				return
			}
			if err := r.writeReport(set, s, p, sink); err != nil {
				errs[i] = append(errs[i], err)
			}
		})
	})
	var diags diag.List
	for _, es := range errs {
		for _, err := range es {
			diags.Add(diag.From(err))
		}
	}
	return diags
}

// reuseReport asks the Reuser whether the files of a report page can be
// kept from the previous output.
func (r *Renderer) reuseReport(reuse Reuser, p report.Page, shared uint64) bool {
	if reuse == nil {
		return false
	}
	key, ok := r.reportKey(p, shared)
	if !ok {
		return false
	}
	var paths []string
	if p.Kind != "" {
		paths = append(paths, outPath(p.URL))
	}
	if p.JSON != nil {
		paths = append(paths, jsonPath(p.URL))
	}
	return len(paths) > 0 && reuse.Reuse(key, paths...)
}

// reuseTask asks the Reuser whether the files of a task's pages can be
// kept from the previous output, by the task's inputs (and what every
// report page shows of the playbook, shared).
func (r *Renderer) reuseTask(reuse Reuser, in *report.Inputs, shared uint64) bool {
	if len(in.Pages) == 0 {
		return false
	}
	var key uint64
	if k := in.Key(); k != 0 {
		var vk valueKey
		vk.Str("task inputs")
		vk.U64(shared)
		vk.U64(k)
		key = sum64(vk.Buf)
	}
	paths := make([]string, 0, 2*len(in.Pages))
	for _, p := range in.Pages {
		if p.Page {
			paths = append(paths, outPath(p.URL))
		}
		if p.JSON {
			paths = append(paths, jsonPath(p.URL))
		}
	}
	return reuse.Reuse(key, paths...)
}

// jsonPath is the metrics.json beside a report page.
func jsonPath(url string) string {
	return strings.TrimPrefix(url, "/") + "metrics.json"
}

// ReportLinks sums up what report pages show of the playbook: the
// sections of their sidebar, the guides of each meeting, and which metric
// is coached where, under which titles. The summary is a hash: a large
// playbook coaches in thousands of places, checked at every save.
func ReportLinks(s *content.Site) string {
	buf := make([]byte, 0, 128*(len(s.Sections)+len(s.Pages)))
	add := func(fields ...string) {
		for _, f := range fields {
			buf = append(append(buf, f...), 0)
		}
		buf = append(buf, '\n')
	}
	for _, sec := range s.Sections {
		add("section", sec.URL, sec.Title)
	}
	for _, c := range []string{"week", "month", "quarter"} {
		for _, p := range s.MeetingGuides(c) {
			add("guide", c, p.URL, p.Title)
		}
	}
	for _, id := range slices.Sorted(maps.Keys(s.Coaching)) {
		for _, c := range s.Coaching[id] {
			add("coach", id, c.Page.URL, c.Section, c.Page.Title, c.Heading, c.Cadence, strconv.FormatBool(c.Pattern))
		}
	}
	h := fnv.New64a()
	h.Write(buf)
	return strconv.FormatUint(h.Sum64(), 36)
}

// reportLayouts clones the report layouts with the template functions that
// read the playbook s: the guide sections that coach a metric, the guides
// of a meeting.
func (r *Renderer) reportLayouts(s *content.Site) (map[string]*template.Template, error) {
	funcs := template.FuncMap{
		"coach":         func(v report.Value) []CoachLink { return coachLinks(s.Coaching[v.ID], v) },
		"meetingGuides": func(c string) []*content.Page { return s.MeetingGuides(c) },
	}
	set := make(map[string]*template.Template, len(r.reportTmpl))
	for kind, t := range r.reportTmpl {
		c, err := t.Clone()
		if err != nil {
			return nil, err
		}
		set[kind] = c.Funcs(funcs)
	}
	return set, nil
}

func (r *Renderer) writeReport(set map[string]*template.Template, s *content.Site, p report.Page, sink Sink) error {
	if p.Kind == "" {
		return r.writeJSON(p, sink)
	}
	title := p.Title
	if !p.Words.IsZero() {
		title = r.msg(p.Words)
	}
	b := r.base(p.Kind, nil, title, p.URL)
	b.Nav = navPage(r.navReports, p.URL)
	b.NoIndex = true
	b.Crumbs = []Crumb{{Title: r.tr("page.home"), URL: "/"}, {Title: r.tr("page.reports"), URL: report.IndexURL}}
	for _, c := range p.Crumbs {
		t := c.Title
		if !c.Words.IsZero() {
			t = r.msg(c.Words)
		}
		b.Crumbs = append(b.Crumbs, Crumb{Title: t, URL: c.URL})
	}
	if p.URL == report.IndexURL {
		b.ShowBuilt = true
		b.Crumbs = b.Crumbs[:2]
		b.Crumbs[1].URL = ""
	} else if len(p.Crumbs) == 0 {
		b.Crumbs = append(b.Crumbs, Crumb{Title: title})
	}
	var data any = ReportPage{b, p.View}
	if v, ok := p.View.(*report.MetricsDoc); ok {
		// The metrics page also lists the sections that coach each metric.
		ids := make([]string, 0, len(s.Coaching))
		for id := range s.Coaching {
			ids = append(ids, id)
		}
		data = MetricsPage{Base: b, V: v.WithActivities(ids), Coached: s.Coaching}
	}
	// The page is rendered into a buffer kept between pages, and only its
	// compacted bytes are copied out: a page's buffer would otherwise grow
	// two or three times, for tens of thousands of pages.
	buf, _ := r.pageBufs.Get().(*bytes.Buffer)
	if buf == nil {
		buf = new(bytes.Buffer)
	}
	buf.Reset()
	err := set[p.Kind].ExecuteTemplate(buf, "base.html", data)
	page := bytes.Clone(compactHTML(buf.Bytes()))
	r.pageBufs.Put(buf)
	if err != nil {
		return r.templateDiag(err)
	}
	if err := sink.Write(outPath(p.URL), page); err != nil {
		return err
	}
	return r.writeJSON(p, sink)
}

// writeJSON writes the metrics.json beside a report page, compact: it is
// read by programs, and a large org has tens of thousands of them.
func (r *Renderer) writeJSON(p report.Page, sink Sink) error {
	if p.JSON == nil {
		return nil
	}
	js, err := json.Marshal(p.JSON)
	if err != nil {
		return err
	}
	return sink.Write(jsonPath(p.URL), append(js, '\n'))
}

// compactHTML drops the templates' indentation and empty lines from a
// report page: a large org has tens of thousands of pages, and report
// layouts hold no <pre> or <textarea> whose spaces would matter. A line
// break is kept wherever there was one, so what the browser shows is the
// same.
func compactHTML(b []byte) []byte {
	out := b[:0]
	for len(b) > 0 {
		line := b
		if i := bytes.IndexByte(b, '\n'); i >= 0 {
			line, b = b[:i], b[i+1:]
		} else {
			b = nil
		}
		line = bytes.TrimLeft(line, " \t")
		if len(line) == 0 {
			continue
		}
		out = append(out, line...)
		out = append(out, '\n')
	}
	return out
}

// coachLinks picks, for a value on a page, the guide sections to open: the
// section written for this page's meeting (or, for a pattern of misses, the
// section on patterns) first, then one section of another kind (a skills
// guide's, or the meeting's when the first is a skill). A section about
// patterns is never offered for a single miss.
func coachLinks(cs []content.Coaching, v report.Value) []CoachLink {
	type cand struct {
		c     content.Coaching
		score int
	}
	var cands []cand
	for _, c := range cs {
		if c.Pattern && !v.Pattern {
			continue
		}
		score := 0
		if c.Pattern && v.Pattern {
			score += 4
		}
		switch c.Cadence {
		case v.Page:
			score += 2
		case "":
			score++
		}
		cands = append(cands, cand{c, score})
	}
	slices.SortStableFunc(cands, func(a, b cand) int { return b.score - a.score })
	var out []CoachLink
	for _, x := range cands {
		skill := x.c.Cadence == ""
		if len(out) == 1 && (out[0].Skill == skill || out[0].URL == x.c.Page.URL+"#"+x.c.Section) {
			continue
		}
		out = append(out, CoachLink{URL: x.c.Page.URL + "#" + x.c.Section, Guide: x.c.Page.Title, Heading: x.c.Heading, Skill: skill, Pattern: x.c.Pattern})
		if len(out) == 2 {
			break
		}
	}
	return out
}

// formatValue writes a metric value in its unit.
func (r *Renderer) formatValue(v report.Value) string {
	if !v.OK {
		return "–"
	}
	return r.formatUnit(v.Unit, v.V)
}

// round rounds half away from zero to the given decimals, from the exact
// value (never from an already rounded one).
func round(x float64, decimals int) float64 {
	p := math.Pow(10, float64(decimals))
	return math.Round(x*p) / p
}

func (r *Renderer) formatUnit(u metric.Unit, x float64) string {
	switch u {
	case metric.Money:
		return r.money(x)
	case metric.Ratio:
		return r.tr("unit.percent", r.str.Number(x*100, 0))
	case metric.Multiple:
		if x >= 10 {
			// Coverage of a nearly met quota; the exact value is in metrics.json.
			return r.tr("unit.over_ten")
		}
		return r.tr("unit.times", r.str.Number(x, 1))
	case metric.Days:
		return r.tr("unit.days", r.str.Number(x, 0))
	}
	if x == math.Trunc(x) {
		return r.str.Number(x, 0)
	}
	return r.str.Number(x, 1)
}

// metricName is the name of v's metric in the site's language: the
// strings file's metric.<id>, or the name the report gave it.
func (r *Renderer) metricName(v report.Value) string {
	if !v.Named.IsZero() {
		return r.msg(v.Named)
	}
	name, known := r.defName(v.ID)
	if known && v.Name != name {
		// A name of the report's own, such as "Pipeline coverage, next month".
		if rest, ok := strings.CutPrefix(v.Name, name+", next "); ok && r.str.Has("report.cadence."+rest) {
			return r.tr("metric.next", r.tr("metric."+v.ID), r.tr("report.cadence."+rest))
		}
		return v.Name
	}
	if r.str.Has("metric." + v.ID) {
		return r.tr("metric." + v.ID)
	}
	return v.Name
}

// defName is the catalog's name of metric id, looked up once per id: a
// page names a metric in many cells, and an activity metric's definition
// is made anew on each lookup.
func (r *Renderer) defName(id string) (string, bool) {
	if n, ok := r.defNames.Load(id); ok {
		return n.(string), true
	}
	def, known := metric.Lookup(id)
	if known {
		r.defNames.Store(id, def.Name)
	}
	return def.Name, known
}

// periodLabel describes a period in the site's language (see
// report.Period.Label for the English it replaces).
func (r *Renderer) periodLabel(p report.Period) string {
	st, en := p.Start.Time(), p.End.Time()
	switch p.Cadence {
	case report.Week:
		n, year := strings.TrimLeft(p.ID[6:], "0"), strconv.Itoa(en.Year())
		if st.Month() == en.Month() {
			return r.tr("period.week_in_month", n, strconv.Itoa(st.Day()), r.str.DayMonth(en), year)
		}
		return r.tr("period.week", n, r.str.DayMonth(st), r.str.DayMonth(en), year)
	case report.Month:
		return r.str.Month(st)
	}
	return r.tr("period.quarter", p.ID, r.str.Locale.Short[st.Month()-1], r.str.Locale.Short[en.Month()-1], strconv.Itoa(en.Year()))
}

// markOf is the template function mark. It takes the template's own
// reflect.Value rather than an interface, and reads a value the template
// reached through a pointer or a slice in place: passing a report.Value
// (some 250 bytes) as an interface copied it to the heap, on every marked
// cell of every page.
func markOf(x reflect.Value) template.HTMLAttr {
	for (x.Kind() == reflect.Interface || x.Kind() == reflect.Pointer) && !x.IsNil() {
		x = x.Elem()
	}
	if x.CanAddr() {
		x = x.Addr()
	}
	if !x.IsValid() || !x.CanInterface() {
		return ""
	}
	switch v := x.Interface().(type) {
	case *report.Value:
		return template.HTMLAttr(markAttrs(v.Key, v.V, v.OK, v.Verdict))
	case report.Value:
		return template.HTMLAttr(markAttrs(v.Key, v.V, v.OK, v.Verdict))
	case *report.Status:
		return template.HTMLAttr(markAttrs(v.Key, v.V, v.Verdict.Judged(), v.Verdict))
	case report.Status:
		return template.HTMLAttr(markAttrs(v.Key, v.V, v.Verdict.Judged(), v.Verdict))
	case *report.CadenceCell:
		return template.HTMLAttr(markAttrs(v.Key, v.V, v.OK, v.Verdict))
	case report.CadenceCell:
		return template.HTMLAttr(markAttrs(v.Key, v.V, v.OK, v.Verdict))
	}
	return ""
}

// reportFuncs are the template functions of the report pages.
func (r *Renderer) reportFuncs() template.FuncMap {
	return template.FuncMap{
		"fmtv":   r.formatValue,
		"target": func(v report.Value) string { return r.formatUnit(v.Unit, v.Target) },
		"unit":   r.formatUnit,
		"pct":    func(x float64) string { return r.tr("unit.percent", r.str.Number(x*100, 0)) },
		// coach and meetingGuides read the playbook: Reports binds them to
		// the one it renders with (see reportLayouts).
		"coach":         func(report.Value) []CoachLink { return nil },
		"meetingGuides": func(string) []*content.Page { return nil },
		"activityChart": func(l report.ActivityLine) *BarChart {
			return barChart(r.relabel(l.Trend), l.Target, l.HasTarget, r.tr("chart.last_weeks", r.idName(l.ID)), func(x float64) string { return r.str.Number(x, 0) }, r.tr)
		},
		"moneyChart": func(points []report.Point, label string) *BarChart {
			return barChart(r.relabel(points), 0, false, label, r.money, r.tr)
		},
		"ratioChart": func(points []report.Point, label string) *BarChart {
			return barChart(r.relabel(points), 0, false, label, func(x float64) string { return r.tr("unit.percent", r.str.Number(x*100, 0)) }, r.tr)
		},
		"quotaChart": func(points []report.Point, quota float64, has bool, label string) *BarChart {
			return barChart(r.relabel(points), quota, has, label, r.money, r.tr)
		},
		"historyChart": func(bars []report.QuarterBar) *BarChart {
			var pts []report.Point
			target, has := 0.0, false
			for _, b := range bars {
				pts = append(pts, report.Point{Label: b.ID, V: b.Won, InProgress: b.InProgress, Verdict: b.Status.Verdict, Key: b.Status.Key})
				if b.HasQuota {
					target, has = b.Quota, true
				}
			}
			return barChart(pts, target, has, r.tr("chart.won_by_quarter"), r.money, r.tr)
		},
		"spark": func(points []report.Point, label string) *Spark {
			return sparkline(r.relabel(points), label, r.money)
		},
		"delta": func(now, before float64, u metric.Unit) string {
			d := now - before
			switch {
			case u == metric.Ratio && round(d*100, 0) == 0, u != metric.Ratio && round(d, 0) == 0:
				return r.tr("unit.no_change")
			case u == metric.Ratio && d > 0:
				return "+" + r.tr("unit.points", r.str.Number(d*100, 0))
			case u == metric.Ratio:
				return "−" + r.tr("unit.points", r.str.Number(-d*100, 0))
			case d > 0:
				return "+" + r.formatUnit(u, d)
			}
			return "−" + r.formatUnit(u, -d)
		},
		// kpiCompare is a KPI's change since the previous period and the
		// team's median, in the metric's unit.
		"kpiCompare": func(rp *report.RepPage, id string) KPICompare {
			var c KPICompare
			v := rp.Metrics[id]
			if id == "attainment" && rp.HasBefore && rp.AttainmentBefore.OK && v.OK {
				c.Before = r.tr("report.was_in", r.formatUnit(v.Unit, rp.AttainmentBefore.V), r.periodLabel(rp.Before.Period))
			}
			if med, ok := rp.TeamMedian[id]; ok {
				c.HasMedian, c.Median = true, r.formatUnit(v.Unit, med)
			}
			return c
		},
		"stageChart": func(s []report.StageCount) *StackChart {
			return stackBar(s, r.tr("pipeline.by_stage"), r.money, r.tr)
		},
		"meter": meter,
		// upperFirst capitalises a word that starts a line ("On track").
		"upperFirst": upperFirst,
		// mark names the quantity an element shows (see markAttrs): a
		// judged value, a period's status, or a meeting count.
		"mark": markOf,
		// markCount names a count shown on a page: key and value, no verdict.
		"markCount": func(key string, n int) template.HTMLAttr {
			if key == "" {
				return ""
			}
			return template.HTMLAttr(` data-k="` + html.EscapeString(key) + `" data-v="` + strconv.Itoa(n) + `"`)
		},
		"reportsURL": func() string { return report.IndexURL },
		"healthURL":  func() string { return report.HealthURL },
		"metricsURL": func() string { return report.MetricsDocURL },
		"lower":      strings.ToLower,
		// activityName is an activity type's name in the site's language.
		"activityName": func(typ string) string { return r.idName(metric.ActivityPrefix + typ) },
		// msg writes a view's words (report.Msg); vword a verdict in words.
		"msg": r.msg,
		// tm is t for a longer text with **strong**, *emphasis* and
		// `code` in it; formula a metric's formula; monthName a month's
		// name (1-12).
		"tm":      r.trMarkup,
		"formula": r.formula,
		// tword is a data file's word in the site's language when the
		// strings file has prefix+word ("quarter.status.done"), else the
		// word as written.
		"tword": func(prefix, word string) string {
			if r.str.Has(prefix + word) {
				return r.tr(prefix + word)
			}
			return word
		},
		// cadences lists cadences for the metrics page: "weekly, monthly".
		"cadences": func(cs []string) string {
			words := make([]string, len(cs))
			for i, c := range cs {
				words[i] = r.tr("metrics.on." + c)
			}
			return strings.Join(words, ", ")
		},
		"monthName": func(n int) string { return r.str.Locale.Months[(n+11)%12] },
		"vword":     r.verdictWord,
		// period is a period's label in the site's language: "Week 47 ·
		// 16 Nov – 22 Nov 2026", "November 2026", "2026-Q4 · Oct–Dec 2026".
		"period": r.periodLabel,
		// short is a period's short name: "W47", "Nov", "Q4".
		"short": func(p report.Period) string { return r.pointLabel(report.Point{Of: p}) },
		// mname is a metric's name in the site's language (the strings
		// file's [metric] table), tfrom whose target a value is held to.
		"mname": r.metricName,
		// dname is a metric definition's name in the site's language.
		"dname": func(d metric.Def) string {
			if r.str.Has("metric." + d.ID) {
				return r.tr("metric." + d.ID)
			}
			return d.Name
		},
		"tfrom": func(from string) string {
			if k := "report.from." + strings.ReplaceAll(from, " ", "_"); r.str.Has(k) {
				return r.tr(k)
			}
			return from
		},
		// trim writes a number with at most one decimal, none when whole:
		// "2.2", "2".
		"trim": func(x float64) string {
			if x == math.Trunc(x) {
				return r.str.Number(x, 0)
			}
			return r.str.Number(x, 1)
		},
	}
}

// msg writes a view's words (see report.Msg) in the site's language; the
// zero Msg is "".
func (r *Renderer) msg(m report.Msg) string {
	if m.Key == "" {
		return ""
	}
	if len(m.Args) == 0 {
		return r.tr(m.Key)
	}
	args := make([]any, len(m.Args))
	for i, a := range m.Args {
		args[i] = r.msgArg(a)
	}
	return r.tr(m.Key, args...)
}

// msgArg writes one argument of a Msg; numbers stay numbers, for T to
// choose one or other by the first of them.
func (r *Renderer) msgArg(a any) any {
	switch a := a.(type) {
	case report.Msg:
		return r.msg(a)
	case report.Period:
		return r.periodLabel(a)
	case civil.Date:
		return r.str.Date(a.Time())
	case report.Verdict:
		return r.verdictWord(a)
	case report.Cadence:
		return r.tr("report.cadence." + a.String())
	case report.Percent:
		return r.tr("unit.percent", r.str.Number(float64(a)*100, 0))
	case report.MetricName:
		return r.idName(string(a))
	}
	return a
}

// verdictWord is a verdict in the site's language: "on track".
func (r *Renderer) verdictWord(v report.Verdict) string {
	if !v.Judged() {
		return r.tr("verdict.none")
	}
	return r.tr("verdict." + v.Class())
}

// idName is the name of the metric id in the site's language: the
// strings file's metric.<id>, or the catalog's (English) name, or for an
// activity type the strings file does not know, the type in words.
func (r *Renderer) idName(id string) string {
	if r.str.Has("metric." + id) {
		return r.tr("metric." + id)
	}
	if def, ok := metric.Lookup(id); ok {
		return def.Name
	}
	return metric.ActivityName(strings.TrimPrefix(id, metric.ActivityPrefix))
}

// pointLabel names a chart point's period in the site's language.
func (r *Renderer) pointLabel(p report.Point) string {
	if p.Of.ID == "" {
		return p.Label
	}
	st := p.Of.Start.Time()
	switch p.Form {
	case report.FormMonthYY:
		return r.tr("period.month_yy", r.str.Locale.Short[st.Month()-1], fmt.Sprintf("%02d", st.Year()%100))
	case report.FormMonthYear:
		return r.tr("period.month_short_year", r.str.Locale.Short[st.Month()-1], strconv.Itoa(st.Year()))
	}
	switch p.Of.Cadence {
	case report.Week:
		return r.tr("period.week_short", strings.TrimLeft(p.Of.ID[6:], "0"))
	case report.Month:
		return r.str.Locale.Short[st.Month()-1]
	}
	return p.Of.Short() // "Q4"
}

// relabel gives the points their names in the site's language.
func (r *Renderer) relabel(points []report.Point) []report.Point {
	out := make([]report.Point, len(points))
	for i, p := range points {
		p.Label = r.pointLabel(p)
		out[i] = p
	}
	return out
}

// markupRE finds the light markup a longer string of the strings file may
// hold: **strong**, *emphasis* and `code`.
var markupRE = regexp.MustCompile("\\*\\*(.+?)\\*\\*|\\*(.+?)\\*|`(.+?)`")

// trMarkup is the text of key as HTML: the text escaped, its light markup
// (see markupRE) made tags, and each {0}, {1} the argument, escaped.
func (r *Renderer) trMarkup(key string, args ...any) (template.HTML, error) {
	text, err := r.str.T(key)
	if err != nil {
		return "", err
	}
	out := markupRE.ReplaceAllStringFunc(html.EscapeString(text), func(m string) string {
		switch {
		case strings.HasPrefix(m, "**"):
			return "<strong>" + m[2:len(m)-2] + "</strong>"
		case strings.HasPrefix(m, "*"):
			return "<em>" + m[1:len(m)-1] + "</em>"
		}
		return "<code>" + m[1:len(m)-1] + "</code>"
	})
	if len(args) > 0 {
		pairs := make([]string, 0, 2*len(args))
		for i, a := range args {
			pairs = append(pairs, "{"+strconv.Itoa(i)+"}", html.EscapeString(r.str.arg(r.msgArg(a))))
		}
		out = strings.NewReplacer(pairs...).Replace(out)
	}
	return template.HTML(out), nil
}

// formula is how a metric is computed, in the site's language: the
// strings file's formula.<id> (formula.activity for an activity type),
// or the catalog's English.
func (r *Renderer) formula(d metric.Def) string {
	if typ, ok := strings.CutPrefix(d.ID, metric.ActivityPrefix); ok && r.str.Has("formula.activity") {
		return r.tr("formula.activity", typ)
	}
	if r.str.Has("formula." + d.ID) {
		return r.tr("formula." + d.ID)
	}
	return d.Formula
}
