package render

import (
	"strings"
	"testing"

	"github.com/coachbook/coachbook/site/config"
	"github.com/coachbook/coachbook/site/content"
	"github.com/coachbook/coachbook/site/metric"
	"github.com/coachbook/coachbook/site/report"
)

func TestMoneyAndUnits(t *testing.T) {
	r := &Renderer{cfg: config.Default()}
	for v, want := range map[float64]string{0: "$0", 999: "$999", 1000: "$1,000", 1234567.89: "$1,234,568", -2500: "−$2,500"} {
		if got := r.money(v); got != want {
			t.Errorf("money(%v) = %q, want %q", v, got, want)
		}
	}
	r.cfg.Reports.Currency = "€"
	if got := r.money(12500); got != "€12,500" {
		t.Errorf("currency: %q", got)
	}
	for _, tt := range []struct {
		u    metric.Unit
		v    float64
		want string
	}{{metric.Ratio, 0.456, "46%"}, {metric.Multiple, 2.54, "2.5×"}, {metric.Multiple, 67.9, "over 10×"}, {metric.Days, 54.4, "54 days"}, {metric.Count, 6, "6"}, {metric.Count, 5.9, "5.9"},
		// From the exact value, half away from zero: never rounded twice.
		{metric.Multiple, 0.1519, "0.2×"}, {metric.Multiple, 0.25, "0.3×"}, {metric.Days, 51.45, "51 days"},
		{metric.Ratio, 0.125, "13%"}, {metric.Money, 2.5, "€3"}, {metric.Count, 4.25, "4.3"}} {
		if got := r.formatUnit(tt.u, tt.v); got != tt.want {
			t.Errorf("formatUnit(%s, %v) = %q, want %q", tt.u, tt.v, got, tt.want)
		}
	}
	if got := r.formatValue(report.Value{}); got != "–" {
		t.Errorf("an undefined value is a dash, got %q", got)
	}
}

// Stage and category names come straight from CRM exports: the charts must
// escape them.
func TestChartsEscapeData(t *testing.T) {
	evil := `Negotiation"><script>alert(1)</script>`
	svg := string(stackBar([]report.StageCount{{Stage: evil, CountAmount: report.CountAmount{Count: 1, Amount: 10}}}, "Open pipeline", func(float64) string { return "$10" }))
	if strings.Contains(svg, "<script>") || !strings.Contains(svg, "&lt;script&gt;") {
		t.Errorf("stage name not escaped:\n%s", svg)
	}
	bars := string(barChart([]report.Point{{Label: "<b>", V: 3}, {Label: "W2", V: 5, InProgress: true}}, 4, true, "Calls & more", func(x float64) string { return "3" }))
	if strings.Contains(bars, "<b>") || !strings.Contains(bars, `aria-label="Calls &amp; more. &lt;b&gt;: 3, W2: 3 (so far). Target 3."`) {
		t.Errorf("bar chart text:\n%s", bars)
	}
	if !strings.Contains(bars, `class="bar below"`) || !strings.Contains(bars, `class="bar partial"`) {
		t.Errorf("a completed week under target is marked below, the week in progress partial:\n%s", bars)
	}
	if barChart(nil, 0, false, "x", nil) != "" {
		t.Error("no points, no chart")
	}
}

// Off-target numbers link to the section written for the page's meeting,
// a pattern to the section on patterns, and a skills section beside it.
func TestCoachLinksPickTheMeeting(t *testing.T) {
	weekly := &content.Page{URL: "/weekly/a/", Title: "Weekly"}
	monthly := &content.Page{URL: "/monthly/b/", Title: "Monthly"}
	skill := &content.Page{URL: "/skills/c/", Title: "Skill"}
	cs := []content.Coaching{
		{Page: skill, Section: "patterns", Heading: "Patterns", Pattern: true},
		{Page: monthly, Section: "m", Heading: "M", Cadence: "month"},
		{Page: skill, Section: "s", Heading: "S"},
		{Page: weekly, Section: "w", Heading: "W", Cadence: "week"},
	}
	urls := func(v report.Value) string {
		var out []string
		for _, l := range coachLinks(cs, v) {
			out = append(out, l.URL)
		}
		return strings.Join(out, " ")
	}
	for _, tt := range []struct {
		v    report.Value
		want string
	}{
		{report.Value{Page: "week"}, "/weekly/a/#w /skills/c/#s"},
		{report.Value{Page: "month"}, "/monthly/b/#m /skills/c/#s"},
		{report.Value{Page: "week", Pattern: true}, "/skills/c/#patterns /weekly/a/#w"},
		{report.Value{Page: "quarter"}, "/skills/c/#s /monthly/b/#m"},
	} {
		if got := urls(tt.v); got != tt.want {
			t.Errorf("%+v: %s, want %s", tt.v, got, tt.want)
		}
	}
}
