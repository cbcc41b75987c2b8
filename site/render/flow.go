package render

import (
	"fmt"
	"html"
	"html/template"
	"math"
	"strings"
	"time"

	"github.com/coachbook/coachbook/site/report"
)

// flowFuncs are the template functions of the pipeline-history sections.
func (r *Renderer) flowFuncs() template.FuncMap {
	return template.FuncMap{
		"cents":     r.cents,
		"waterfall": func(f report.Flow) template.HTML { return waterfall(f, r.cents, r.tr) },
		"flowSteps": func(f report.Flow) []FlowStep { return flowSteps(f, r.tr) },
		"teamFlow":  teamFlow,
		"trendChart": func(pts []report.ForecastPoint) template.HTML {
			return trendChart(pts, r.cents, r.tr, r.str.Date)
		},
	}
}

// cents writes an amount to the cent when it has cents, else like money.
func (r *Renderer) cents(c report.Cents) string {
	if c%100 == 0 {
		return r.money(c.Amount())
	}
	return r.str.Money(float64(c)/100, r.currency(), 2)
}

// FlowStep is one line of the flow table and one bar of the waterfall.
type FlowStep struct {
	Label string
	Sign  int // +1 adds, -1 takes away, 0 a level (start, end)
	V     report.Cents
	Note  string
}

// flowSteps lists the flow in the order of its identity, with the words
// of the strings file's [flow] table (tr).
func flowSteps(f report.Flow, tr func(string, ...any) string) []FlowStep {
	steps := []FlowStep{
		{"start", 0, f.Start, ""},
		{"created", 1, f.Created, ""},
		{"pulled_in", 1, f.PulledIn, ""},
		{"pushed_out", -1, f.PushedOut, ""},
		{"increased", 1, f.Increased, ""},
		{"decreased", -1, f.Decreased, ""},
		{"won", -1, f.Won, ""},
		{"lost", -1, f.Lost, ""},
		{"end", 0, f.End, ""},
	}
	for i, s := range steps {
		steps[i].Label, steps[i].Note = tr("flow."+s.Label), tr("flow."+s.Label+"_note")
	}
	return steps
}

// teamFlow sums the flows of a team's reps; nil when no rep has one.
func teamFlow(rows []report.TeamRow) *report.Flow {
	var f *report.Flow
	for _, r := range rows {
		if r.Pipe == nil || r.Pipe.Flow == nil {
			continue
		}
		if f == nil {
			f = &report.Flow{}
		}
		f.Add(r.Pipe.Flow.Flow)
	}
	return f
}

// waterfall draws the flow as floating bars: start and end stand on the
// axis, each step rises or falls from the running total.
func waterfall(f report.Flow, format func(report.Cents) string, tr func(string, ...any) string) template.HTML {
	steps := flowSteps(f, tr)
	// Drawn like the bar charts: x in percent, y in pixels, so the text
	// keeps its size on a phone; labels that would collide are left to the
	// stylesheet to hide (the table beside the chart has every number).
	const h, padTop, padBottom = 190.0, 18.0, 24.0
	run, top := report.Cents(0), report.Cents(1)
	for _, s := range steps {
		switch s.Sign {
		case 0:
			run = s.V
		default:
			run += report.Cents(s.Sign) * s.V
		}
		top = max(top, run, s.V)
	}
	plotH := h - padTop - padBottom
	y := func(c report.Cents) float64 { return padTop + plotH - float64(c)/float64(top)*plotH }
	n := len(steps)
	slot := 100 / float64(n)
	bw := slot * 0.7
	var desc []string
	axisLen, valLen := 0, 0
	for _, s := range steps {
		sign := map[int]string{0: "", 1: "+", -1: "−"}[s.Sign]
		desc = append(desc, s.Label+" "+sign+format(s.V))
		axisLen = max(axisLen, len(s.Label))
		valLen = max(valLen, len(shortMoney(s.V)))
	}
	need := func(chars int) float64 { return float64(n) * (float64(chars)*7 + 8) }
	alt := tr("flow.chart", strings.Join(desc, ", "))
	var b strings.Builder
	fmt.Fprintf(&b, `<div class="chart-box"><svg class="chart waterfall vals-%d axis-%d" width="100%%" height="%.0f" role="img"><title>%s</title>`,
		widthBucket(need(valLen)), widthBucket(need(axisLen)), h, html.EscapeString(alt))
	run = 0
	for i, s := range steps {
		lo, hi := report.Cents(0), s.V
		class := "level"
		switch s.Sign {
		case 1:
			lo, hi = run, run+s.V
			class = "up"
			run = hi
		case -1:
			lo, hi = run-s.V, run
			class = "down"
			run = lo
		default:
			run = s.V
		}
		x := float64(i)*slot + (slot-bw)/2
		y0, y1 := y(hi), y(lo)
		fmt.Fprintf(&b, `<rect class="wf %s" x="%.2f%%" y="%.1f" width="%.2f%%" height="%.1f" rx="2"/>`, class, x, y0, bw, math.Max(y1-y0, 2))
		if i+1 < n {
			fmt.Fprintf(&b, `<line class="wf-link" x1="%.2f%%" x2="%.2f%%" y1="%.1f" y2="%.1f"/>`, x+bw, x+slot, y(run), y(run))
		}
		axisClass := "axis"
		if i != 0 && i != n-1 {
			axisClass += " thin"
		}
		fmt.Fprintf(&b, `<text class="%s" x="%.2f%%" y="%.0f">%s</text>`, axisClass, x+bw/2, h-6, html.EscapeString(s.Label))
		valClass := "val"
		if i == n-1 {
			valClass += " last"
		}
		fmt.Fprintf(&b, `<text class="%s" x="%.2f%%" y="%.1f">%s</text>`, valClass, x+bw/2, math.Max(y0-4, 12), html.EscapeString(shortMoney(s.V)))
	}
	b.WriteString(`</svg></div>`)
	return template.HTML(b.String())
}

// shortMoney writes an amount in few characters for chart labels: 12.3k, 1.2M.
func shortMoney(c report.Cents) string {
	v := c.Amount()
	switch {
	case math.Abs(v) >= 1e6:
		return fmt.Sprintf("%.1fM", v/1e6)
	case math.Abs(v) >= 1e4:
		return fmt.Sprintf("%.0fk", v/1e3)
	case math.Abs(v) >= 1e3:
		return fmt.Sprintf("%.1fk", v/1e3)
	}
	return fmt.Sprintf("%.0f", v)
}

// trendChart draws won so far, commit and best case at the end of each
// week of the period as three lines, each stacked on the one before (won,
// won + commit, won + commit + best case), so best case never falls below
// commit.
func trendChart(pts []report.ForecastPoint, format func(report.Cents) string, tr func(string, ...any) string, date func(time.Time) string) template.HTML {
	if len(pts) < 2 {
		return ""
	}
	const w, h, padTop, padBottom, padX = 560.0, 150.0, 12.0, 22.0, 30.0
	top := report.Cents(1)
	for _, p := range pts {
		top = max(top, p.Won+p.Commit+p.BestCase)
	}
	plotH := h - padTop - padBottom
	x := func(i int) float64 { return padX + float64(i)/float64(len(pts)-1)*(w-2*padX) }
	y := func(c report.Cents) float64 { return padTop + plotH - float64(c)/float64(top)*plotH }
	series := []struct {
		name, class string
		v           func(report.ForecastPoint) report.Cents
	}{
		{tr("flow.trend_won"), "won", func(p report.ForecastPoint) report.Cents { return p.Won }},
		{tr("flow.trend_commit"), "commit", func(p report.ForecastPoint) report.Cents { return p.Won + p.Commit }},
		// As in the CRM, best case includes commit: both lines stack on won.
		{tr("flow.trend_best"), "best", func(p report.ForecastPoint) report.Cents { return p.Won + p.Commit + p.BestCase }},
	}
	var desc []string
	for _, p := range pts {
		desc = append(desc, tr("flow.trend_point", date(p.Day.Time()), format(p.Won), format(p.Commit), format(p.BestCase)))
	}
	alt := tr("flow.trend_chart", strings.Join(desc, "; "))
	var b strings.Builder
	// The lines stretch to the width (the stroke keeps its width); the
	// dates are text under the chart, so they keep their size on a phone.
	fmt.Fprintf(&b, `<div class="chart-box"><svg class="chart trend" viewBox="0 0 %.0f %.0f" preserveAspectRatio="none" width="100%%" height="%.0f" role="img"><title>%s</title>`, w, h-padBottom, h-padBottom, html.EscapeString(alt))
	for _, s := range series {
		var pp []string
		for i, p := range pts {
			pp = append(pp, fmt.Sprintf("%.1f,%.1f", x(i), y(s.v(p))))
		}
		fmt.Fprintf(&b, `<polyline class="line %s" vector-effect="non-scaling-stroke" points="%s"/>`, s.class, strings.Join(pp, " "))
	}
	b.WriteString(`</svg><ol class="trend-axis" aria-hidden="true">`)
	for _, p := range pts {
		fmt.Fprintf(&b, `<li>%s</li>`, html.EscapeString(tr("flow.axis_day", p.Day.Time().Day(), fmt.Sprintf("%02d", int(p.Day.Time().Month())), fmt.Sprintf("%02d", p.Day.Time().Day()))))
	}
	b.WriteString(`</ol></div><ul class="legend">`)
	for _, s := range series {
		fmt.Fprintf(&b, `<li><span class="swatch line-%s" aria-hidden="true"></span>%s</li>`, s.class, s.name)
	}
	b.WriteString(`</ul>`)
	return template.HTML(b.String())
}
