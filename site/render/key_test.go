package render

import (
	"testing"

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
