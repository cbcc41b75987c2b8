package render

import (
	"fmt"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/coachbook/coachbook/site/config"
	"github.com/coachbook/coachbook/site/content"
	"github.com/coachbook/coachbook/site/metric"
	"github.com/coachbook/coachbook/site/report"
)

func TestMoneyAndUnits(t *testing.T) {
	r := &Renderer{cfg: config.Default(), themeParts: themeParts{str: mustStrings(t, "en")}}
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
	svg := draw(t, "stack-chart", stackBar([]report.StageCount{{Stage: evil, CountAmount: report.CountAmount{Count: 1, Amount: 10}}}, "Open pipeline", func(float64) string { return "$10" }, english(t)))
	if strings.Contains(svg, "<script>") || !strings.Contains(svg, "&lt;script&gt;") {
		t.Errorf("stage name not escaped:\n%s", svg)
	}
	bars := draw(t, "bar-chart", barChart([]report.Point{{Label: "<b>", V: 3, Verdict: report.OffTrack}, {Label: "W2", V: 5, InProgress: true}}, 4, true, "Calls & more", func(x float64) string { return "3" }, english(t)))
	if strings.Contains(bars, "<b>") || !strings.Contains(bars, `<title>Calls &amp; more. &lt;b&gt;: 3, off track, W2: 3 (so far). Target 3.</title>`) {
		t.Errorf("bar chart text:\n%s", bars)
	}
	if !strings.Contains(bars, `<rect class="v-bad"`) || !strings.Contains(bars, `<rect class="partial"`) {
		t.Errorf("a completed week off track is drawn in its verdict's colour, the week in progress partial:\n%s", bars)
	}
	if barChart(nil, 0, false, "x", nil, nil) != nil || draw(t, "bar-chart", (*BarChart)(nil)) != "" {
		t.Error("no points, no chart")
	}
}

// draw renders a chart's view with the default theme's partial.
func draw(t *testing.T, name string, view any) string {
	t.Helper()
	r, diags := New(config.Default(), fstest.MapFS{}, "test", time.Date(2026, 11, 19, 0, 0, 0, 0, time.UTC), false)
	if diags.HasErrors() {
		t.Fatal(diags.Err())
	}
	var b strings.Builder
	if err := r.tmpl["home"].ExecuteTemplate(&b, name, view); err != nil {
		t.Fatal(err)
	}
	return b.String()
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

// Bar charts: a legend for what the colours mean, a zero that shows, value
// labels kept off the target line, and labels that would collide at a
// phone's width marked for the stylesheet to leave out.
func TestBarChartReadsOnAPhone(t *testing.T) {
	pts := []report.Point{{Label: "W1", V: 0, Verdict: report.OffTrack}, {Label: "W2", V: 5.8, Verdict: report.Close}, {Label: "W3", V: 8, Verdict: report.OnTrack}, {Label: "W4", V: 3, InProgress: true}}
	svg := draw(t, "bar-chart", barChart(pts, 6, true, "Meetings set", func(x float64) string { return strconv.FormatFloat(x, 'f', 0, 64) }, english(t)))
	for _, want := range []string{
		`<li><span class="swatch v-good" aria-hidden="true"></span>On track</li>`,
		`<li><span class="swatch v-warn" aria-hidden="true"></span>Close</li>`,
		`<li><span class="swatch v-bad" aria-hidden="true"></span>Off track</li>`,
		`<li><span class="swatch key-target" aria-hidden="true"></span>Target 6</li>`,
		`<li><span class="swatch key-partial" aria-hidden="true"></span>In progress, so far</li>`,
		`<rect class="v-bad" x="7.3%" y="144" width="10.3%" height="2"/>`, // zero: a 2 px stub
		`<g class="val"><text x="12.5%" y="139">0</text>`,
		// 5.8 ends just under the target line at y=51.5: its label goes above the line.
		`<text x="37.5%" y="47">6</text>`,
		`<g class="axis" transform="translate(0 164)"><text x="12.5%">W1</text>`,
		`height="170"`,
	} {
		if !strings.Contains(svg, want) {
			t.Errorf("chart lacks %s\n%s", want, svg)
		}
	}
	if strings.Contains(svg, "viewBox") {
		t.Error("a viewBox scales the text down with the chart")
	}

	var many []report.Point
	for i := range 13 {
		many = append(many, report.Point{Label: fmt.Sprintf("2026-W%02d", 35+i), V: 146600})
	}
	svg = draw(t, "bar-chart", barChart(many, 0, false, "Created", func(x float64) string { return "$146,600" }, english(t)))
	// Values are written short ("$147k"): 13 of 5 characters need 13 × 43
	// px, so they all show from 560 px (and only the latest below); axis
	// labels of 8 characters fit every fifth at 240 px and all only from
	// 832 px, wider than the 40rem a chart gets.
	if !strings.Contains(svg, `class="chart bars vals-560 axis-720"`) || !strings.Contains(svg, `>$147k</text>`) || !strings.Contains(svg, `2026-W35: $146,600`) {
		t.Errorf("width classes:\n%s", svg)
	}
	if got := strings.Count(svg, `<text class="thin"`); got != 10 {
		t.Errorf("%d thinned axis labels, want 10 (every fifth kept, the latest among them)", got)
	}
	if !strings.Contains(svg, `<text x="96.2%">2026-W47</text></g>`) {
		t.Errorf("the latest week's label is kept:\n%s", svg)
	}
	if strings.Contains(svg, "legend") {
		t.Error("no target and nothing in progress: no legend")
	}
}

func TestShortChartLabels(t *testing.T) {
	r := &Renderer{cfg: config.Default(), themeParts: themeParts{str: mustStrings(t, "en")}}
	for v, want := range map[float64]string{0: "$0", 950: "$950", 1000: "$1k", 1260: "$1.3k", 9960: "$10k", 146600: "$147k", 999400: "$999k", 999600: "$1M", 2450000: "$2.5M", -146600: "−$147k"} {
		if got := short(v, r.money); got != want {
			t.Errorf("short(%v) = %q, want %q", v, got, want)
		}
	}
	if got := short(12345, func(float64) string { return "12345" }); got != "12345" {
		t.Errorf("five characters stay: %q", got)
	}
}

func TestCompactHTMLKeepsEveryLineBreak(t *testing.T) {
	in := "<ul>\n    <li>a</li>\n\n\t<li>b\n      c</li>\n</ul>"
	if got := string(compactHTML([]byte(in))); got != "<ul>\n<li>a</li>\n<li>b\nc</li>\n</ul>\n" {
		t.Errorf("%q", got)
	}
}

// english is the English strings' lookup, as the charts are given it.
func english(t *testing.T) func(string, ...any) string {
	s := mustStrings(t, "en")
	return func(key string, args ...any) string {
		text, err := s.T(key, args...)
		if err != nil {
			t.Fatal(err)
		}
		return text
	}
}
