package render

import (
	"html/template"
	"math"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/coachbook/coachbook/site/report"
)

// Charts are inline SVG drawn at build time: they need no JavaScript, print
// as they look, and every one carries a text equivalent (a <title>) next to
// a table or list with the same numbers. Go computes each chart's geometry
// and words into a view (BarChart, StackChart, Meter, Spark, Waterfall,
// TrendChart); the theme's partials/charts.html draws it. Coordinates are
// rounded to what a screen shows (a tenth of a percent across, a pixel
// down), and what every element of a kind shares (colours, corners, the
// axis labels' baseline) is in the stylesheet or on a group, not repeated
// on each element.

// BarChart is a bar chart: one bar per point, with an optional dashed
// target line, and a legend for what the colours mean. The bar of a
// period in progress is drawn as an outline.
//
// The chart is as wide as its box and H pixels high: x is in percent of
// the width, y in pixels, so its text stays 12 px on a phone instead of
// shrinking with the drawing. Labels that would collide at the box's width
// are left out by the stylesheet's container queries (Vals and Axis are
// the widths they need, as the classes vals-<px> and axis-<px>); the
// value of the latest bar always shows, and the text equivalent has every
// number.
type BarChart struct {
	Title      string // the text equivalent: every label and value
	H          int    // height in pixels
	AxisY      int    // baseline of the axis labels
	Vals, Axis int    // width buckets (see widthBucket)
	BaseY      float64
	Bars       []Bar
	HasTarget  bool
	TargetY    float64
	Target     string // the target as its unit writes it
	// Verdicts are the verdicts' classes the bars are drawn in ("good",
	// "warn", "bad"), for the legend; Partial is set when a bar is a
	// period in progress.
	Verdicts []string
	Partial  bool
}

// Legend tells whether the chart needs a legend.
func (c BarChart) Legend() bool { return c.HasTarget || c.Partial || len(c.Verdicts) > 0 }

// Bar is one bar of a BarChart, with its value above it and its label on
// the axis.
type Bar struct {
	X, W, Mid float64 // left, width and centre, in percent
	Y, H      float64 // top and height, in pixels
	Class     string  // "v-<verdict>" and/or "partial"; "" for a plain bar
	// Key and Verdict name the quantity the bar shows (see markAttrs).
	Key     string
	Verdict report.Verdict
	Label   string
	Thin    bool // the axis label is left out where labels would collide
	Val     string
	ValY    float64
}

// barChart computes the geometry of a bar chart of points with an
// optional target. tr gives the chart's words in the site's language
// (Renderer.tr).
func barChart(points []report.Point, target float64, hasTarget bool, label string, format func(float64) string, tr func(string, ...any) string) *BarChart {
	if len(points) == 0 {
		return nil
	}
	const h, padTop, padBottom = 170.0, 20.0, 24.0
	maxV := target
	for _, p := range points {
		maxV = math.Max(maxV, p.V)
	}
	if maxV <= 0 {
		maxV = 1
	}
	plotH := h - padTop - padBottom
	n := len(points)
	slot := 100 / float64(n)
	bw := 62 / float64(max(n, 6)) // percent; a few bars stay bar-shaped
	var desc []string
	valLen, axisLen := 0, 0
	c := &BarChart{H: int(h), AxisY: int(h - 6)}
	seen := map[report.Verdict]bool{}
	for _, p := range points {
		s := p.Label + ": " + format(p.V)
		if p.InProgress {
			s += " " + tr("chart.so_far")
			c.Partial = true
		}
		if p.Verdict.Judged() {
			s += ", " + tr("verdict."+p.Verdict.Class())
			seen[p.Verdict] = true
		}
		desc = append(desc, s)
		valLen = max(valLen, utf8.RuneCountInString(short(p.V, format)))
		axisLen = max(axisLen, utf8.RuneCountInString(p.Label))
	}
	c.Title = label + ". " + strings.Join(desc, ", ")
	if hasTarget {
		c.Target = format(target)
		c.Title += ". " + tr("chart.target", c.Target) + "."
	}
	for _, v := range []report.Verdict{report.OnTrack, report.Close, report.OffTrack} {
		if seen[v] {
			c.Verdicts = append(c.Verdicts, v.Class())
		}
	}
	// Width each label needs at 12 px: about 7 px a character and a gap.
	need := func(chars, every int) float64 { return float64((n+every-1)/every) * (float64(chars)*7 + 8) }
	thin := 1 // show every thin-th axis label when they do not all fit
	for thin < n && need(axisLen, thin) > chartMinWidth {
		thin++
	}
	c.Vals, c.Axis = widthBucket(need(valLen, 1)), widthBucket(need(axisLen, 1))
	base := padTop + plotH
	ty := base - target/maxV*plotH
	c.BaseY, c.HasTarget, c.TargetY = base+0.5, hasTarget, round(ty, 1)
	for i, p := range points {
		mid := (float64(i) + 0.5) * slot
		bh := math.Max(p.V/maxV*plotH, 2) // a zero is a short stub on the baseline
		y := math.Round(base - bh)
		// The bar's colour is the verdict the view gave its period.
		var class []string
		if p.Verdict.Judged() {
			class = append(class, "v-"+p.Verdict.Class())
		}
		if p.InProgress {
			class = append(class, "partial")
		}
		// The value sits above its bar; where the target line would strike
		// it through, it moves above the line.
		vy := y - 5
		if hasTarget && vy-11 < ty+2 && vy+3 > ty-2 {
			vy = ty - 5
		}
		c.Bars = append(c.Bars, Bar{
			X: round(mid-bw/2, 1), W: round(bw, 1), Mid: round(mid, 1),
			Y: y, H: base - y, Class: strings.Join(class, " "),
			Key: p.Key, Verdict: p.Verdict,
			Label: p.Label, Thin: (n-1-i)%thin != 0,
			Val: short(p.V, format), ValY: math.Round(math.Max(vy, 12)),
		})
	}
	return c
}

// short is a value's label above its bar: as format writes it, or for
// thousands and more, rounded to three figures with k or M ("$146,600"
// is "$147k"), keeping format's currency sign. The text equivalent keeps
// the exact value.
func short(v float64, format func(float64) string) string {
	full := format(v)
	a := math.Abs(v)
	if a < 1000 || len(full) <= 5 {
		return full
	}
	first := strings.IndexAny(full, "0123456789")
	last := strings.LastIndexAny(full, "0123456789")
	if first < 0 {
		return full
	}
	n, unit := a/1000, "k"
	if a >= 999500 {
		n, unit = a/1e6, "M"
	}
	digits := strconv.FormatFloat(n, 'f', 0, 64)
	if n < 9.95 {
		digits = strings.TrimSuffix(strconv.FormatFloat(n, 'f', 1, 64), ".0")
	}
	return full[:first] + digits + unit + full[last+1:]
}

// chartMinWidth is the narrowest a chart is drawn (a 320 px phone); the
// axis labels kept by thinning fit it.
const chartMinWidth = 240

// widthBucket rounds a width up to one of the container widths the
// stylesheet has a rule for (multiples of 80 px up to 640); wider than
// that, the labels never show.
func widthBucket(w float64) int {
	b := int(math.Ceil(w/80)) * 80
	return min(max(b, 240), 720)
}

// StackChart is shares drawn as one horizontal stacked bar, 560 by 28
// units, with a legend.
type StackChart struct {
	Title string
	Segs  []Seg
}

// Seg is one share of a StackChart and its line of the legend.
type Seg struct {
	X, W   float64
	Colour int // 0-5, the palette's colour
	Label  string
	Amount string
	Share  string // in percent
}

// stackBar computes the stacked bar of parts.
func stackBar(parts []report.StageCount, label string, format func(float64) string, tr func(string, ...any) string) *StackChart {
	total := 0.0
	for _, p := range parts {
		total += p.Amount
	}
	if total <= 0 {
		return nil
	}
	var desc []string
	stage := func(p report.StageCount) string {
		if p.Later != "" {
			return tr("report.later_stage." + p.Later)
		}
		return p.Stage
	}
	c := &StackChart{}
	x := 0.0
	for i, p := range parts {
		desc = append(desc, stage(p)+" "+format(p.Amount)+" ("+tr("report.deal_count", p.Count)+")")
		wd := p.Amount / total * 560
		c.Segs = append(c.Segs, Seg{X: round(x, 1), W: round(wd, 1), Colour: i % 6, Label: stage(p), Amount: format(p.Amount), Share: tr("unit.percent", math.Round(p.Amount/total*100))})
		x += wd
	}
	c.Title = label + ": " + strings.Join(desc, ", ")
	return c
}

// Meter is a judged value against its target as a short horizontal gauge,
// 100 units wide, in the colour of its verdict.
type Meter struct {
	Fill, Target float64 // the value's and the target's x
	Verdict      string  // the verdict's class
}

// meter computes the gauge of x; nil for a value without a target.
func meter(x report.Value) *Meter {
	v, target := x.V, x.Target
	if !x.OK || !x.HasTarget || target <= 0 {
		return nil
	}
	full := math.Max(v, target) * 1.1
	return &Meter{Fill: round(math.Min(100, v/full*100), 1), Target: round(target/full*100, 1), Verdict: x.Verdict.Class()}
}

// upperFirst capitalises the first letter of s.
func upperFirst(s string) string {
	if s == "" {
		return s
	}
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[n:]
}

// markAttrs are the attributes that name a quantity shown on a page: its
// key (rep/period/metric), its exact value and its verdict, so that a test
// can hold every place a quantity appears against every other. Nothing
// for a quantity without a key; no data-v for one that shows no number.
func markAttrs(key string, v float64, ok bool, verdict report.Verdict) string {
	if key == "" {
		return ""
	}
	val := ""
	if ok && !math.IsNaN(v) && !math.IsInf(v, 0) {
		val = ` data-v="` + strconv.FormatFloat(math.Round(v*1e6)/1e6, 'f', -1, 64) + `"`
	}
	return ` data-k="` + template.HTMLEscapeString(key) + `"` + val + ` data-s="` + verdict.String() + `"`
}
