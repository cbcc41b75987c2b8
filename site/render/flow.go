package render

import (
	"fmt"
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
		"waterfall": func(f report.Flow) *Waterfall { return waterfall(f, r.cents, r.tr) },
		"flowSteps": func(f report.Flow) []FlowStep { return flowSteps(f, r.tr) },
		"teamFlow":  teamFlow,
		"trendChart": func(pts []report.ForecastPoint) *TrendChart {
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

// Waterfall is the flow drawn as floating bars: start and end stand on
// the axis, each step rises or falls from the running total. Like a
// BarChart, x is in percent and y in pixels, so the text keeps its size on
// a phone; labels that would collide are left to the stylesheet to hide
// (the table beside the chart has every number).
type Waterfall struct {
	Title      string
	H, AxisY   int
	Vals, Axis int // width buckets (see widthBucket)
	Steps      []WaterfallStep
}

// WaterfallStep is one bar of a Waterfall, with the dotted line that
// leads from its end to the next bar (none after the last).
type WaterfallStep struct {
	X, W, Mid float64 // percent
	Y, H      float64 // pixels
	Class     string  // level, up or down
	// Link is set when a dotted line leads at LinkY from this bar's right
	// edge (LinkFrom) to the next bar's left edge (LinkTo), in percent.
	Link             bool
	LinkFrom, LinkTo float64
	LinkY            float64
	Label            string
	Thin             bool
	Val              string
	ValY             float64
}

// waterfall computes the waterfall of a flow.
func waterfall(f report.Flow, format func(report.Cents) string, tr func(string, ...any) string) *Waterfall {
	steps := flowSteps(f, tr)
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
	y := func(c report.Cents) float64 { return math.Round(padTop + plotH - float64(c)/float64(top)*plotH) }
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
	w := &Waterfall{Title: tr("flow.chart", strings.Join(desc, ", ")), H: int(h), AxisY: int(h - 6), Vals: widthBucket(need(valLen)), Axis: widthBucket(need(axisLen))}
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
		w.Steps = append(w.Steps, WaterfallStep{
			X: round(x, 1), W: round(bw, 1), Mid: round(x+bw/2, 1),
			Y: y0, H: math.Max(y1-y0, 2), Class: class,
			Link: i+1 < n, LinkFrom: round(x+bw, 1), LinkTo: round(x+slot, 1), LinkY: y(run) + 0.5,
			Label: s.Label, Thin: i != 0 && i != n-1,
			Val: shortMoney(s.V), ValY: math.Max(y0-4, 12),
		})
	}
	return w
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

// TrendChart is won so far, commit and best case at the end of each week
// of the period as three lines, each stacked on the one before (won, won
// + commit, won + commit + best case), so best case never falls below
// commit. The lines stretch to the width (W by H units, the stroke keeps
// its width); the dates are text under the chart, so they keep their size
// on a phone.
type TrendChart struct {
	Title string
	W, H  int
	Lines []TrendLine
	Days  []string
}

// TrendLine is one line of a TrendChart; Class is won, commit or best.
type TrendLine struct {
	Class  string
	Points []XY
}

// XY is a point of a line.
type XY struct{ X, Y float64 }

// trendChart computes the forecast lines of pts; nil for fewer than two.
func trendChart(pts []report.ForecastPoint, format func(report.Cents) string, tr func(string, ...any) string, date func(time.Time) string) *TrendChart {
	if len(pts) < 2 {
		return nil
	}
	const w, h, padTop, padBottom, padX = 560.0, 150.0, 12.0, 22.0, 30.0
	top := report.Cents(1)
	for _, p := range pts {
		top = max(top, p.Won+p.Commit+p.BestCase)
	}
	plotH := h - padTop - padBottom
	x := func(i int) float64 { return math.Round(padX + float64(i)/float64(len(pts)-1)*(w-2*padX)) }
	y := func(c report.Cents) float64 { return round(padTop+plotH-float64(c)/float64(top)*plotH, 1) }
	series := []struct {
		class string
		v     func(report.ForecastPoint) report.Cents
	}{
		{"won", func(p report.ForecastPoint) report.Cents { return p.Won }},
		{"commit", func(p report.ForecastPoint) report.Cents { return p.Won + p.Commit }},
		// As in the CRM, best case includes commit: both lines stack on won.
		{"best", func(p report.ForecastPoint) report.Cents { return p.Won + p.Commit + p.BestCase }},
	}
	var desc []string
	c := &TrendChart{W: int(w), H: int(h - padBottom)}
	for _, p := range pts {
		desc = append(desc, tr("flow.trend_point", date(p.Day.Time()), format(p.Won), format(p.Commit), format(p.BestCase)))
		d := p.Day.Time()
		c.Days = append(c.Days, tr("flow.axis_day", d.Day(), fmt.Sprintf("%02d", int(d.Month())), fmt.Sprintf("%02d", d.Day())))
	}
	c.Title = tr("flow.trend_chart", strings.Join(desc, "; "))
	for _, s := range series {
		l := TrendLine{Class: s.class}
		for i, p := range pts {
			l.Points = append(l.Points, XY{x(i), y(s.v(p))})
		}
		c.Lines = append(c.Lines, l)
	}
	return c
}
