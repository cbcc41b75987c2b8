package render

import (
	"html/template"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/coachbook/coachbook/site/civil"
	"github.com/coachbook/coachbook/site/config"
	"github.com/coachbook/coachbook/site/data"
	"github.com/coachbook/coachbook/site/metric"
	"github.com/coachbook/coachbook/site/report"
)

// Maps are summed by their entries, in any order, whether a template can
// reach them (exported) or not; a changed entry changes the sum.
func TestValueKeyMaps(t *testing.T) {
	type view struct {
		M map[string]float64
		m map[string][]int
	}
	a := view{M: map[string]float64{"a": 1, "b": 2}, m: map[string][]int{"x": {1}, "y": {2, 3}}}
	b := view{M: map[string]float64{"b": 2, "a": 1}, m: map[string][]int{"y": {2, 3}, "x": {1}}}
	ka, ok := ValueKey(a)
	kb, _ := ValueKey(b)
	if !ok || ka != kb {
		t.Errorf("the same maps sum differently: %x, %x (ok %v)", ka, kb, ok)
	}
	b.m["y"][1] = 4
	if kc, _ := ValueKey(b); kc == ka {
		t.Error("a changed entry of an unexported map leaves the sum as it was")
	}
}

// A report page's key leaves out what a metric's id fixes (its formula),
// and keeps everything the page shows of a value.
func TestReportKeyLeavesOutFormulas(t *testing.T) {
	r := &Renderer{Meta: &Meta{}}
	def, _ := metric.Lookup("win_rate")
	page := func(v report.Value) report.Page {
		return report.Page{URL: "/reports/reps/a/month/2026-11/", Kind: "rep-month", View: &v}
	}
	v := report.Value{Def: def, V: 0.5, OK: true, Key: "a/2026-11/win_rate"}
	k1, ok := r.reportKey(page(v), 1)
	w := v
	w.Formula = "another formula"
	k2, _ := r.reportKey(page(w), 1)
	if !ok || k1 != k2 {
		t.Errorf("a formula changed the key: %x, %x", k1, k2)
	}
	w.V = 0.6
	if k3, _ := r.reportKey(page(w), 1); k3 == k1 {
		t.Error("a changed value leaves the key as it was")
	}
}

// BenchmarkReportKeysExample sums every report page of the example site
// into its key, as a build to disk does before it renders a page; it
// reports the bytes summed per page.
func BenchmarkReportKeysExample(b *testing.B) {
	site := os.DirFS("../..")
	cfg, diags := config.Load(site)
	if diags.Fatal() {
		b.Fatal(diags.Err())
	}
	d, diags := data.Load(site, cfg)
	if diags.Fatal() {
		b.Fatal(diags.Err())
	}
	m := report.NewModel(cfg, d, report.AsOf(cfg, d, civil.Date(0)))
	var pages []report.Page
	for _, task := range m.Tasks(report.CheckHealth(d, nil, m.AsOf, 30)) {
		task(func(p report.Page) { pages = append(pages, p) })
	}
	r := &Renderer{Meta: &Meta{}}
	summed := 0
	for _, p := range pages {
		k := valueKey{Skips: &r.keyFields}
		k.Value(reflect.ValueOf(p))
		summed += len(k.Buf)
	}
	b.ResetTimer()
	for b.Loop() {
		for _, p := range pages {
			r.reportKey(p, 1)
		}
	}
	b.ReportMetric(float64(summed)/float64(len(pages)), "bytes/page")
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(pages)), "ns/page")
}

// mark writes the same markers whichever way the template reached the
// value: through a pointer, a slice, a map (not addressable) or a field
// of an interface.
func TestMarkReadsValuesInPlace(t *testing.T) {
	v := report.Value{Key: "ann/2026-11/win_rate", V: 0.25, OK: true, Verdict: report.OffTrack}
	want := ` data-k="ann/2026-11/win_rate" data-v="0.25" data-s="off track"`
	type view struct {
		P  *report.Value
		S  []report.Value
		M  map[string]report.Value
		St report.Status
	}
	data := struct{ V any }{&view{P: &v, S: []report.Value{v}, M: map[string]report.Value{"w": v}, St: report.Status{Key: "ann/2026-W47", Verdict: report.OnTrack, V: 3}}}
	tmpl := template.Must(template.New("t").Funcs(template.FuncMap{"mark": markOf}).Parse(
		`<p {{mark .V.P}}></p><p {{range .V.S}}{{mark .}}{{end}}></p><p {{mark (index .V.M "w")}}></p><p {{mark .V.St}}></p><p {{mark 3}}></p>`))
	var b strings.Builder
	if err := tmpl.Execute(&b, data); err != nil {
		t.Fatal(err)
	}
	st := ` data-k="ann/2026-W47" data-v="3" data-s="on track"`
	if got, exp := b.String(), "<p "+want+"></p><p "+want+"></p><p "+want+"></p><p "+st+"></p><p ></p>"; got != exp {
		t.Errorf("got  %s\nwant %s", got, exp)
	}
}
