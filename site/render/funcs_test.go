package render

import (
	"errors"
	"fmt"
	"html/template"
	"maps"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/coachbook/coachbook/site/civil"
	"github.com/coachbook/coachbook/site/config"
	"github.com/coachbook/coachbook/site/content"
	"github.com/coachbook/coachbook/site/diag"
	"github.com/coachbook/coachbook/site/metric"
	"github.com/coachbook/coachbook/site/report"
)

var day = time.Date(2026, 11, 19, 0, 0, 0, 0, time.UTC)

// newRenderer parses the default theme for a site at base path /pb/, as a
// build does.
func newRenderer(t *testing.T) *Renderer {
	t.Helper()
	cfg := config.Default()
	cfg.Title = "Test <Playbook>"
	cfg.BasePath = "/pb/"
	r, diags := New(cfg, fstest.MapFS{}, "test", day, true)
	if diags.HasErrors() {
		t.Fatal(diags.Err())
	}
	return r
}

// call runs a template function of r by its name.
func call[T any](t *testing.T, fm template.FuncMap, name string, args ...any) T {
	t.Helper()
	f, ok := fm[name]
	if !ok {
		t.Fatalf("no template function %s", name)
	}
	var out any
	switch f := f.(type) {
	case func(int) string:
		out = f(args[0].(int))
	case func(time.Duration) string:
		out = f(args[0].(time.Duration))
	case func(any) string:
		out = f(args[0])
	case func(float64) string:
		out = f(args[0].(float64))
	case func(float64, string) string:
		out = f(args[0].(float64), args[1].(string))
	case func(string) string:
		out = f(args[0].(string))
	default:
		t.Fatalf("template function %s is a %T", name, f)
	}
	return out.(T)
}

// The playbook's template functions write clocks, durations, dates,
// amounts, rates and cadences in the site's words, and addresses under the
// base path.
func TestTemplateFuncs(t *testing.T) {
	r := newRenderer(t)
	fm := r.funcs()
	for _, c := range []struct {
		name string
		args []any
		want string
	}{
		{"clock", []any{75}, "1:15"},
		{"clock", []any{5}, "0:05"},
		{"mins", []any{90 * time.Minute}, "90 min"},
		{"mins", []any{120 * time.Minute}, "2 hours"},
		{"mins", []any{150 * time.Minute}, "150 min"}, // not whole hours
		{"date", []any{day}, "2026-11-19"},
		{"date", []any{"2026-11-02"}, "2026-11-02"},
		{"date", []any{civil.FromTime(day)}, "2026-11-19"},
		{"date", []any{civil.None}, ""},
		{"date", []any{"not a date"}, "not a date"},
		{"date", []any{42}, "42"},
		{"rate", []any{0.05}, "0.05"},
		{"rate", []any{0.00025}, "0.00025"},
		{"rate", []any{18.5}, "18.5"},
		{"rate", []any{1234.5678}, "1,235"},
		{"rate", []any{0.0}, "0.00"},
		{"moneyIn", []any{12500.4, "EUR"}, "EUR\u00a012,500"},
		{"money", []any{12500.4}, "$12,500"},
		{"cadence", []any{"weekly"}, "Weekly"},
		{"cadence", []any{"fortnightly"}, "fortnightly"}, // not in the strings file: as written
		{"url", []any{"/weekly/a/"}, "/pb/weekly/a/"},
		{"url", []any{"weekly/"}, "/pb/weekly/"},
		{"asset", []any{"no/such.css"}, "/pb/no/such.css"},
	} {
		if got := call[string](t, fm, c.name, c.args...); got != c.want {
			t.Errorf("%s%v = %q, want %q", c.name, c.args, got, c.want)
		}
	}
	// A theme's static file is fingerprinted with its contents.
	if got := call[string](t, fm, "asset", "css/style.css"); !strings.HasPrefix(got, "/pb/css/style.css?v=") || len(got) != len("/pb/css/style.css?v=")+8 {
		t.Errorf("asset(css/style.css) = %q, want /pb/css/style.css?v= and 8 hex digits", got)
	}
	// The import map maps each script to its fingerprinted address.
	im := string(fm["importMap"].(func() template.HTML)())
	if !strings.HasPrefix(im, `{"imports":{`) || !strings.Contains(im, `"/pb/js/site.js":"/pb/js/site.js?v=`) {
		t.Errorf("import map %s", im)
	}
	// The scripts' words: every search. and unlock. key, and nothing else.
	js := string(fm["jsStrings"].(func() template.JS)())
	if !strings.Contains(js, `"search.none":"No guide found"`) || strings.Contains(js, `"verdict.`) {
		t.Errorf("script strings %.300s", js)
	}
	if got := fm["join"].(func([]string, string) string)([]string{"a", "b"}, ", "); got != "a, b" {
		t.Errorf("join = %q", got)
	}
	issues := fm["dealIssues"].(func([]report.DealIssue, string) DealIssues)([]report.DealIssue{{}}, "days")
	if len(issues.Issues) != 1 || issues.DaysLabel != "days" {
		t.Errorf("dealIssues = %+v", issues)
	}
}

// importMap maps only scripts, and escapes what could end the script
// element it is written in.
func TestImportMap(t *testing.T) {
	got := string(importMap(map[string]string{"js/a.js": "/x/js/a.js?v=1", "css/s.css": "/x/css/s.css?v=2", "js/</script>.js": "/x/js/</script>.js?v=3"}, "/x/"))
	if strings.Contains(got, "css") || strings.Contains(got, "</script>") || !strings.Contains(got, `"/x/js/a.js":"/x/js/a.js?v=1"`) || !strings.Contains(got, `\u003c/script\u003e`) {
		t.Errorf("import map %s", got)
	}
}

// A template's error points at its layout file, its line and column; a
// partial's at the partial's file (here in the theme built into the
// binary: the site has no themes/ folder).
func TestTemplateErrorsPointAtTheLayout(t *testing.T) {
	r := newRenderer(t)
	for _, c := range []struct {
		err  string
		want diag.Diagnostic
	}{
		{`template: guide.html:12:7: executing "main" at <.Guide.Titel>: can't evaluate field Titel`,
			diag.Diagnostic{File: "built-in theme: layouts/guide.html", Line: 12, Col: 7, Msg: `template: executing "main" at <.Guide.Titel>: can't evaluate field Titel`}},
		{`html/template:base.html:39:15: no such template "nav"`,
			diag.Diagnostic{File: "built-in theme: layouts/base.html", Line: 39, Col: 15, Msg: `template: no such template "nav"`}},
		{`template: status.html:3: function "nope" not defined`,
			diag.Diagnostic{File: "built-in theme: layouts/partials/status.html", Line: 3, Msg: `template: function "nope" not defined`}},
		{`something else went wrong`,
			diag.Diagnostic{File: "themes/default", Msg: "something else went wrong"}},
	} {
		got := r.templateDiag(errors.New(c.err))
		if got.File != c.want.File || got.Line != c.want.Line || got.Col != c.want.Col || got.Msg != c.want.Msg {
			t.Errorf("%s:\n got %+v\nwant %+v", c.err, got, c.want)
		}
	}
	// A diagnostic passes through as it is.
	d := diag.Diagnostic{File: "content/a.md", Line: 3, Msg: "bad"}
	if got := r.templateDiag(d); got.File != d.File || got.Msg != d.Msg {
		t.Errorf("a diagnostic came back as %+v", got)
	}
}

// A report's words: verdicts, periods, metric names, messages and their
// arguments, chart labels and formulas, in the strings file's English.
func TestReportWords(t *testing.T) {
	r := newRenderer(t)
	week := report.Period{Cadence: report.Week, ID: "2026-W47", Start: civil.New(2026, 11, 16), End: civil.New(2026, 11, 22)}
	acrossMonths := report.Period{Cadence: report.Week, ID: "2026-W05", Start: civil.New(2026, 1, 26), End: civil.New(2026, 2, 1)}
	month := report.Period{Cadence: report.Month, ID: "2026-11", Start: civil.New(2026, 11, 1), End: civil.New(2026, 11, 30)}
	quarter := report.Period{Cadence: report.Quarter, ID: "2026-Q4", Start: civil.New(2026, 10, 1), End: civil.New(2026, 12, 31)}
	for p, want := range map[report.Period]string{
		week:         "Week 47 · 16–22 Nov 2026",
		acrossMonths: "Week 5 · 26 Jan – 1 Feb 2026",
		month:        "November 2026",
		quarter:      "2026-Q4 · Oct–Dec 2026",
	} {
		if got := r.periodLabel(p); got != want {
			t.Errorf("periodLabel(%s) = %q, want %q", p.ID, got, want)
		}
	}
	for v, want := range map[report.Verdict]string{report.OnTrack: "on track", report.Close: "close", report.OffTrack: "off track", report.NotJudged: "not judged"} {
		if got := r.verdictWord(v); got != want {
			t.Errorf("verdictWord(%v) = %q, want %q", v, got, want)
		}
	}
	winRate, _ := metric.Lookup("win_rate")
	for _, c := range []struct {
		v    report.Value
		want string
	}{
		{report.Value{Def: winRate}, r.tr("metric.win_rate")},
		// A name of the report's own for a known metric stays.
		{report.Value{Def: metric.Def{ID: "win_rate", Name: "Win rate of the team"}}, "Win rate of the team"},
		// An unknown metric keeps its name.
		{report.Value{Def: metric.Def{ID: "no_such_metric", Name: "Something"}}, "Something"},
		// A name given as a message is the message's text.
		{report.Value{Def: winRate, Named: report.Msg{Key: "verdict.good"}}, "on track"},
	} {
		if got := r.metricName(c.v); got != c.want {
			t.Errorf("metricName(%+v) = %q, want %q", c.v.Def.ID, got, c.want)
		}
	}
	if r.tr("metric.win_rate") == "metric.win_rate" {
		t.Fatal("the English strings lack metric.win_rate")
	}
	// Messages: arguments of every kind written in the site's words.
	for _, c := range []struct {
		m    report.Msg
		want string
	}{
		{report.Msg{}, ""},
		{report.Msg{Key: "verdict.none_because", Args: []any{report.Msg{Key: "why.not_over.week"}}}, "not judged: the week is not over yet"},
		{report.Msg{Key: "verdict.none_because", Args: []any{week}}, "not judged: Week 47 · 16–22 Nov 2026"},
		{report.Msg{Key: "verdict.none_because", Args: []any{civil.New(2026, 11, 2)}}, "not judged: 2026-11-02"},
		{report.Msg{Key: "verdict.none_because", Args: []any{report.OffTrack}}, "not judged: off track"},
		{report.Msg{Key: "verdict.none_because", Args: []any{report.Quarter}}, "not judged: quarter"},
		{report.Msg{Key: "verdict.none_because", Args: []any{report.Percent(0.456)}}, "not judged: 46%"},
		{report.Msg{Key: "verdict.none_because", Args: []any{report.MetricName("win_rate")}}, "not judged: " + r.tr("metric.win_rate")},
		{report.Msg{Key: "verdict.none_because", Args: []any{"as it is"}}, "not judged: as it is"},
		{report.Msg{Key: "no.such.key"}, "no.such.key"},
	} {
		if got := r.msg(c.m); got != c.want {
			t.Errorf("msg(%s %v) = %q, want %q", c.m.Key, c.m.Args, got, c.want)
		}
	}
	// A metric id the strings file does not know: the catalog's name, or
	// an activity type in words.
	if got := r.idName(metric.ActivityPrefix + "site_visit"); got != metric.ActivityName("site_visit") || got == "" {
		t.Errorf("idName of an activity type = %q", got)
	}
	// Chart points: named by their period in the site's words.
	points := r.relabel([]report.Point{
		{Label: "as given"},
		{Label: "x", Of: week},
		{Label: "x", Of: month},
		{Label: "x", Of: quarter},
		{Label: "x", Of: month, Form: report.FormMonthYY},
		{Label: "x", Of: month, Form: report.FormMonthYear},
	})
	var labels []string
	for _, p := range points {
		labels = append(labels, p.Label)
	}
	if want := []string{"as given", "W47", "Nov", "Q4", "Nov 26", "Nov 2026"}; !slices.Equal(labels, want) {
		t.Errorf("chart labels %q, want %q", labels, want)
	}
	// Light markup in a longer string: tags, with arguments escaped.
	r.str.words["test.markup"] = newEntry("**Held** *meetings* of `{0}`", "**Held** *meetings* of `{0}`")
	got, err := r.trMarkup("test.markup", "<rep>")
	if err != nil || string(got) != "<strong>Held</strong> <em>meetings</em> of <code>&lt;rep&gt;</code>" {
		t.Errorf("trMarkup = %q (%v)", got, err)
	}
	if _, err := r.trMarkup("no.such.key"); err == nil {
		t.Error("trMarkup of a missing key: no error")
	}
	// Formulas: the strings file's, or the catalog's English.
	if got := r.formula(winRate); got == "" || got != r.tr("formula.win_rate") && got != winRate.Formula {
		t.Errorf("formula(win_rate) = %q", got)
	}
	if got := r.formula(metric.Def{ID: "no_such_metric", Formula: "a / b"}); got != "a / b" {
		t.Errorf("formula of an unknown metric = %q", got)
	}
}

// playbookSite is a small playbook: a home page, a section of two guides,
// one of which links the other.
var playbookSite = fstest.MapFS{
	"content/_index.md":        {Data: []byte("+++\ntitle = \"Home\"\n+++\nWelcome to the playbook.\n")},
	"content/weekly/_index.md": {Data: []byte("+++\ntitle = \"Weekly\"\n+++\nThe weekly meetings.\n")},
	"content/weekly/activity.md": {Data: []byte(`+++
title = "Activity meeting"
cadence = "weekly"
duration = "30m"
summary = "Check the week's activities."
+++
## Plan

Read [the review](review.md) first.
`)},
	"content/weekly/review.md": {Data: []byte("+++\ntitle = \"Review\"\ncadence = \"weekly\"\n+++\n## Look back\n\nWhat went well.\n")},
}

// loadPlaybook reads playbookSite's guides as a build does.
func loadPlaybook(t *testing.T) *content.Site {
	t.Helper()
	s, diags := content.Load(playbookSite, content.Options{BasePath: "/pb/"})
	if diags.HasErrors() {
		t.Fatal(diags.Err())
	}
	return s
}

// memSink keeps what a rendering writes.
type memSink map[string][]byte

func (m memSink) Write(p string, data []byte) error {
	m[p] = data
	return nil
}

// The playbook's pages and the files every site needs: each guide at its
// address with its title and body, the sitemap of every page under the
// base path, robots.txt, 404.html and the theme's static files.
func TestPlaybookPages(t *testing.T) {
	r := newRenderer(t)
	sink := memSink{}
	if diags := r.PlaybookFirst(loadPlaybook(t), Inputs{}, nil, sink); diags.HasErrors() {
		t.Fatal(diags.Err())
	}
	for _, f := range []string{"index.html", "404.html", "weekly/index.html", "weekly/activity/index.html", "weekly/review/index.html", "whats-new/index.html",
		"sitemap.xml", "robots.txt", ".nojekyll", "css/style.css", "js/site.js", "search/index.json"} {
		if _, ok := sink[f]; !ok {
			t.Errorf("missing %s", f)
		}
	}
	guide := string(sink["weekly/activity/index.html"])
	for _, want := range []string{
		`<title>Activity meeting · Test &lt;Playbook&gt;</title>`,
		`href="/pb/weekly/review/"`,
		`Check the week&#39;s activities.`,
		`href="/pb/css/style.css?v=`,
		`<html lang="en"`,
	} {
		if !strings.Contains(guide, want) {
			t.Errorf("the guide page lacks %s", want)
		}
	}
	if home := string(sink["index.html"]); !strings.Contains(home, "Welcome to the playbook.") || !strings.Contains(home, `href="/pb/weekly/activity/"`) {
		t.Errorf("the home page lacks its introduction or a guide:\n%.2000s", home)
	}
	sitemap := string(sink["sitemap.xml"])
	for _, u := range []string{"/pb/", "/pb/weekly/", "/pb/weekly/activity/", "/pb/weekly/review/"} {
		if !strings.Contains(sitemap, u+"</loc>") {
			t.Errorf("the sitemap lacks %s:\n%s", u, sitemap)
		}
	}
	if strings.Contains(sitemap, "404") {
		t.Error("the sitemap lists the 404 page")
	}
	if robots := string(sink["robots.txt"]); !strings.Contains(robots, "Sitemap:") || !strings.Contains(robots, "/pb/sitemap.xml") {
		t.Errorf("robots.txt:\n%s", robots)
	}
}

// Pages a build renders later are the pages it would have rendered at
// once, byte for byte; a page the previous output holds with the same key
// is carried over instead of written.
func TestPendingAndReusedPages(t *testing.T) {
	// Each rendering reads the guides anew: rendering a page lets go of
	// its guide's body.
	all := memSink{}
	if diags := newRenderer(t).PlaybookFirst(loadPlaybook(t), Inputs{}, nil, all); diags.HasErrors() {
		t.Fatal(diags.Err())
	}

	// The guide first; the rest waits.
	r := newRenderer(t)
	first := memSink{}
	if diags := r.PlaybookFirst(loadPlaybook(t), Inputs{}, func(p string) bool { return p == "weekly/activity/index.html" }, first); diags.HasErrors() {
		t.Fatal(diags.Err())
	}
	if _, ok := first["weekly/activity/index.html"]; !ok {
		t.Fatal("the page asked for first was not rendered")
	}
	pending := r.Pending()
	if slices.Contains(pending, "weekly/activity/index.html") || !slices.Contains(pending, "weekly/review/index.html") || !slices.Contains(pending, "index.html") {
		t.Errorf("pending %v", pending)
	}
	if _, ok := first["weekly/review/index.html"]; ok {
		t.Error("a page left for later was rendered at once")
	}
	later := memSink{}
	if diags := r.RenderPending(pending, later); diags.HasErrors() {
		t.Fatal(diags.Err())
	}
	maps.Copy(first, later)
	for p, b := range all {
		if got, ok := first[p]; !ok {
			t.Errorf("%s: not rendered first or later", p)
		} else if string(got) != string(b) {
			t.Errorf("%s differs when rendered later", p)
		}
	}
	if len(r.Pending()) != 0 {
		t.Errorf("still pending after RenderPending: %v", r.Pending())
	}

	// A previous output that holds every keyed page: none is written again,
	// and each is asked for by the same key a second time.
	keep := &keepAll{keys: map[string]uint64{}}
	if diags := newRenderer(t).PlaybookFirst(loadPlaybook(t), Inputs{Reuse: keep}, nil, memSink{}); diags.HasErrors() {
		t.Fatal(diags.Err())
	}
	if len(keep.keys) < 5 {
		t.Fatalf("only %d files asked about: %v", len(keep.keys), keep.keys)
	}
	keep.reuse = true
	second := memSink{}
	if diags := newRenderer(t).PlaybookFirst(loadPlaybook(t), Inputs{Reuse: keep}, nil, second); diags.HasErrors() {
		t.Fatal(diags.Err())
	}
	for p := range keep.keys {
		if _, ok := second[p]; ok {
			t.Errorf("%s was carried over and written again", p)
		}
	}
	if keep.changed != nil {
		t.Errorf("%s was asked for by another key in the second rendering", keep.changed)
	}
	for _, p := range []string{"weekly/activity/index.html", "index.html", "sitemap.xml"} {
		if _, ok := keep.keys[p]; !ok {
			t.Errorf("%s is not keyed: %v", p, slices.Sorted(maps.Keys(keep.keys)))
		}
	}
}

// keepAll is a previous output: it notes each file's key, and once reuse
// is set carries every file over.
type keepAll struct {
	keys    map[string]uint64
	reuse   bool
	changed []string
}

func (k *keepAll) Reuse(key uint64, paths ...string) bool {
	for _, p := range paths {
		if old, ok := k.keys[p]; ok && old != key {
			k.changed = append(k.changed, p)
		}
		k.keys[p] = key
	}
	return k.reuse
}

// The pipeline flow: amounts to the cent only when they have cents, short
// chart labels, the steps in the order of the flow's identity with the
// strings file's words, and a team's flow the sum of its reps'.
func TestFlowFuncs(t *testing.T) {
	r := newRenderer(t)
	for c, want := range map[report.Cents]string{1250000: "$12,500", 1250050: "$12,500.50", -5: "−$0.05"} {
		if got := r.cents(c); got != want {
			t.Errorf("cents(%d) = %q, want %q", c, got, want)
		}
	}
	for c, want := range map[report.Cents]string{0: "0", 99900: "999", 123400: "1.2k", 1234500: "12k", 123456700: "1.2M", -1234500: "-12k"} {
		if got := shortMoney(c); got != want {
			t.Errorf("shortMoney(%d) = %q, want %q", c, got, want)
		}
	}
	f := report.Flow{Start: 100, Created: 20, PulledIn: 5, PushedOut: 10, Increased: 3, Decreased: 2, Won: 30, Lost: 6, End: 80}
	var got []string
	for _, s := range flowSteps(f, r.tr) {
		got = append(got, fmt.Sprintf("%s %+d %d", s.Label, s.Sign, s.V))
	}
	want := []string{"Start +0 100", "Created +1 20", r.tr("flow.pulled_in") + " +1 5", r.tr("flow.pushed_out") + " -1 10", r.tr("flow.increased") + " +1 3",
		r.tr("flow.decreased") + " -1 2", "Won -1 30", "Lost -1 6", r.tr("flow.end") + " +0 80"}
	if !slices.Equal(got, want) {
		t.Errorf("flow steps\n got %q\nwant %q", got, want)
	}
	if steps := flowSteps(f, r.tr); steps[0].Note != "open the day before the period, expected to close in it" {
		t.Errorf("the start's note: %q", steps[0].Note)
	}
	if teamFlow([]report.TeamRow{{}, {Pipe: &report.Pipeline{}}}) != nil {
		t.Error("a team of reps without flows has a flow")
	}
	rows := []report.TeamRow{{Pipe: &report.Pipeline{Flow: &report.FlowReport{Flow: f}}}, {}, {Pipe: &report.Pipeline{Flow: &report.FlowReport{Flow: report.Flow{Start: 1, End: 2, Won: 3}}}}}
	if got := teamFlow(rows); got == nil || *got != (report.Flow{Start: 101, Created: 20, PulledIn: 5, PushedOut: 10, Increased: 3, Decreased: 2, Won: 33, Lost: 6, End: 82}) {
		t.Errorf("team flow %+v", got)
	}
	if trendChart([]report.ForecastPoint{{}}, r.cents, r.tr, r.str.Date) != nil {
		t.Error("one point, no trend chart")
	}
}

// The locked page of sealed reports: its title, the slot the sealed data
// goes in, and the tag that loads the unlock script with the key file's
// address under the base path.
func TestLockedPage(t *testing.T) {
	r := newRenderer(t)
	page, tag, err := r.Locked(loadPlaybook(t), "reports/keys.json")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`<title>Locked report · Test &lt;Playbook&gt;</title>`, `id="cb-sealed">`, `noindex`} {
		if !strings.Contains(string(page), want) {
			t.Errorf("the locked page lacks %s", want)
		}
	}
	if !strings.HasPrefix(tag, `<script src="/pb/js/unlock.js?v=`) || !strings.HasSuffix(tag, `" data-keyring="/pb/reports/keys.json" defer></script>`) {
		t.Errorf("unlock script tag %s", tag)
	}
}

// What report pages show of the playbook is summed up: a guide's title,
// which the report pages link under, changes the sum; its body does not.
func TestReportLinksFollowTitles(t *testing.T) {
	load := func(edit func(string) string) string {
		t.Helper()
		site := maps.Clone(playbookSite)
		site["content/weekly/activity.md"] = &fstest.MapFile{Data: []byte(edit(string(playbookSite["content/weekly/activity.md"].Data)))}
		s, diags := content.Load(site, content.Options{BasePath: "/pb/"})
		if diags.HasErrors() {
			t.Fatal(diags.Err())
		}
		return ReportLinks(s)
	}
	same := func(s string) string { return s }
	base := load(same)
	if base == "" || load(same) != base {
		t.Fatalf("the sum %q is not the same for the same playbook", base)
	}
	if load(func(s string) string { return s + "\nOne more line.\n" }) != base {
		t.Error("a guide's body changed what report pages show of the playbook")
	}
	if load(func(s string) string {
		return strings.Replace(s, `title = "Activity meeting"`, `title = "Weekly activity meeting"`, 1)
	}) == base {
		t.Error("a guide's new title left the sum as it was")
	}
}

// Keys and small lookups: the site key sums its parts in order, the
// theme's key is the same for the same theme, search files wait as one,
// a report's metrics.json sits beside its page, and Lookup says whether
// the strings file has a key.
func TestKeysAndLookups(t *testing.T) {
	ab, again := SiteKey("a", "b"), SiteKey("a", "b")
	if ab != again || ab == SiteKey("b", "a") || ab == SiteKey("ab") {
		t.Error("SiteKey does not sum its parts in order, each apart")
	}
	r := newRenderer(t)
	if k := r.ThemeKey(); len(k) != 64 || k != newRenderer(t).ThemeKey() {
		t.Errorf("theme key %q", k)
	}
	for p, want := range map[string]string{"search/s/ab.json.gz": "search/", "search/index.json": "search/", "weekly/index.html": "weekly/index.html"} {
		if got := WaitKey(p); got != want {
			t.Errorf("WaitKey(%s) = %s, want %s", p, got, want)
		}
	}
	if got := jsonPath("/reports/reps/a/month/2026-11/"); got != "reports/reps/a/month/2026-11/metrics.json" {
		t.Errorf("jsonPath = %s", got)
	}
	if got, ok := r.str.Lookup("verdict.none_because", "why"); !ok || got != "not judged: why" {
		t.Errorf("Lookup of a key the strings file has: %q %v", got, ok)
	}
	if got, ok := r.str.Lookup("no.such.key"); ok || got != "" {
		t.Errorf("Lookup of a missing key: %q %v", got, ok)
	}
}
