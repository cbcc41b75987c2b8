package render

import (
	"fmt"
	"html"
	"html/template"
	"math"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/coachbook/coachbook/site/report"
)

// Charts are inline SVG drawn at build time: they need no JavaScript, print
// as they look, and every one carries a text equivalent (an aria-label and
// a <title>) next to a table or list with the same numbers.

// barChart draws one bar per point, with an optional dashed target line,
// and a legend for what the colours mean. The bar of a period in progress
// is drawn as an outline.
//
// The chart is as wide as its box and a fixed number of pixels high: x is
// in percent of the width, y in pixels, so its text stays 12 px on a phone
// instead of shrinking with the drawing. Labels that would collide at the
// box's width are left out by the stylesheet's container queries (the
// classes vals-<px> and axis-<px> give the width they need); the value of
// the latest bar always shows, and the text equivalent has every number.
//
// tr gives the chart's words in the site's language (Renderer.tr).
func barChart(points []report.Point, target float64, hasTarget bool, label string, format func(float64) string, tr func(string, ...any) string) template.HTML {
	if len(points) == 0 {
		return ""
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
	partial := false
	seen := map[report.Verdict]bool{}
	for _, p := range points {
		s := p.Label + ": " + format(p.V)
		if p.InProgress {
			s += " " + tr("chart.so_far")
			partial = true
		}
		if p.Verdict.Judged() {
			s += ", " + tr("verdict."+p.Verdict.Class())
			seen[p.Verdict] = true
		}
		desc = append(desc, s)
		valLen = max(valLen, len([]rune(short(p.V, format))))
		axisLen = max(axisLen, len([]rune(p.Label)))
	}
	alt := label + ". " + strings.Join(desc, ", ")
	if hasTarget {
		alt += ". " + tr("chart.target", format(target)) + "."
	}
	// Width each label needs at 12 px: about 7 px a character and a gap.
	need := func(chars, every int) float64 { return float64((n+every-1)/every) * (float64(chars)*7 + 8) }
	thin := 1 // show every thin-th axis label when they do not all fit
	for thin < n && need(axisLen, thin) > chartMinWidth {
		thin++
	}
	var b strings.Builder
	fmt.Fprintf(&b, `<div class="chart-box"><svg class="chart bars vals-%d axis-%d" width="100%%" height="%.0f" role="img"><title>%s</title>`,
		widthBucket(need(valLen, 1)), widthBucket(need(axisLen, 1)), h, html.EscapeString(alt))
	base := padTop + plotH
	ty := base - target/maxV*plotH
	fmt.Fprintf(&b, `<line class="base" x1="0" x2="100%%" y1="%.1f" y2="%.1f"/>`, base+0.5, base+0.5)
	for i, p := range points {
		mid := (float64(i) + 0.5) * slot
		bh := math.Max(p.V/maxV*plotH, 2) // a zero is a short stub on the baseline
		y := base - bh
		// The bar's colour is the verdict the view gave its period.
		class := "bar"
		if p.Verdict.Judged() {
			class += " v-" + p.Verdict.Class()
		}
		if p.InProgress {
			class += " partial"
		}
		fmt.Fprintf(&b, `<rect class="%s" x="%.2f%%" y="%.1f" width="%.2f%%" height="%.1f" rx="2"%s/>`, class, mid-bw/2, y, bw, bh, markAttrs(p.Key, 0, false, p.Verdict))
		axisClass := "axis"
		if (n-1-i)%thin != 0 {
			axisClass += " thin"
		}
		fmt.Fprintf(&b, `<text class="%s" x="%.2f%%" y="%.0f">%s</text>`, axisClass, mid, h-6, html.EscapeString(p.Label))
		// The value sits above its bar; where the target line would strike
		// it through, it moves above the line.
		vy := y - 5
		if hasTarget && vy-11 < ty+2 && vy+3 > ty-2 {
			vy = ty - 5
		}
		valClass := "val"
		if i == n-1 {
			valClass += " last"
		}
		fmt.Fprintf(&b, `<text class="%s" x="%.2f%%" y="%.1f">%s</text>`, valClass, mid, math.Max(vy, 12), html.EscapeString(short(p.V, format)))
	}
	if hasTarget {
		fmt.Fprintf(&b, `<line class="target" x1="0" x2="100%%" y1="%.1f" y2="%.1f"/>`, ty, ty)
	}
	b.WriteString(`</svg>`)
	if hasTarget || partial || len(seen) > 0 {
		b.WriteString(`<ul class="legend chart-legend">`)
		for _, v := range []report.Verdict{report.OnTrack, report.Close, report.OffTrack} {
			if seen[v] {
				fmt.Fprintf(&b, `<li><span class="swatch v-%s" aria-hidden="true"></span>%s</li>`, v.Class(), html.EscapeString(upperFirst(tr("verdict."+v.Class()))))
			}
		}
		if hasTarget {
			fmt.Fprintf(&b, `<li><span class="swatch key-target" aria-hidden="true"></span>%s</li>`, html.EscapeString(tr("chart.target", format(target))))
		}
		if partial {
			b.WriteString(`<li><span class="swatch key-partial" aria-hidden="true"></span>` + html.EscapeString(tr("chart.in_progress")) + `</li>`)
		}
		b.WriteString(`</ul>`)
	}
	b.WriteString(`</div>`)
	return template.HTML(b.String())
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

// stackBar draws shares as one horizontal stacked bar with a legend.
func stackBar(parts []report.StageCount, label string, format func(float64) string, tr func(string, ...any) string) template.HTML {
	total := 0.0
	for _, p := range parts {
		total += p.Amount
	}
	if total <= 0 {
		return ""
	}
	var b strings.Builder
	var desc []string
	stage := func(p report.StageCount) string {
		if p.Later != "" {
			return tr("report.later_stage." + p.Later)
		}
		return p.Stage
	}
	for _, p := range parts {
		desc = append(desc, fmt.Sprintf("%s %s (%s)", stage(p), format(p.Amount), tr("report.deal_count", p.Count)))
	}
	alt := label + ": " + strings.Join(desc, ", ")
	fmt.Fprintf(&b, `<svg class="chart stack" viewBox="0 0 560 28" role="img"><title>%s</title>`, html.EscapeString(alt))
	x := 0.0
	for i, p := range parts {
		wd := p.Amount / total * 560
		fmt.Fprintf(&b, `<rect class="seg seg%d" x="%.1f" y="0" width="%.1f" height="28"/>`, i%6, x, wd)
		x += wd
	}
	b.WriteString(`</svg><ul class="legend">`)
	for i, p := range parts {
		fmt.Fprintf(&b, `<li><span class="swatch seg%d" aria-hidden="true"></span>%s · %s · %s</li>`, i%6, html.EscapeString(stage(p)), html.EscapeString(format(p.Amount)), html.EscapeString(tr("unit.percent", math.Round(p.Amount/total*100))))
	}
	b.WriteString(`</ul>`)
	return template.HTML(b.String())
}

// meter draws a judged value against its target as a short horizontal
// gauge, in the colour of its verdict.
func meter(x report.Value) template.HTML {
	v, target := x.V, x.Target
	if !x.OK || !x.HasTarget || target <= 0 {
		return ""
	}
	full := math.Max(v, target) * 1.1
	class := "meter-fill v-" + x.Verdict.Class()
	return template.HTML(fmt.Sprintf(`<svg class="meter" viewBox="0 0 100 8" aria-hidden="true"><rect class="meter-bg" width="100" height="8" rx="4"/><rect class="%s" width="%.1f" height="8" rx="4"/><line class="meter-target" x1="%.1f" x2="%.1f" y1="0" y2="8"/></svg>`,
		class, math.Min(100, v/full*100), target/full*100, target/full*100))
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
// for a quantity without a key.
func markAttrs(key string, v float64, ok bool, verdict report.Verdict) string {
	if key == "" {
		return ""
	}
	val := ""
	if ok && !math.IsNaN(v) && !math.IsInf(v, 0) {
		val = strconv.FormatFloat(math.Round(v*1e6)/1e6, 'f', -1, 64)
	}
	return ` data-k="` + html.EscapeString(key) + `" data-v="` + val + `" data-s="` + verdict.String() + `"`
}
