package render

import (
	"fmt"
	"html"
	"html/template"
	"math"
	"strings"

	"github.com/coachbook/coachbook/site/report"
)

// Charts are inline SVG drawn at build time: they need no JavaScript, print
// as they look, and every one carries a text equivalent (an aria-label and
// a <title>) next to a table or list with the same numbers.

// barChart draws one bar per point, with an optional dashed target line.
// The bar of a period in progress is hatched.
func barChart(points []report.Point, target float64, hasTarget bool, label string, format func(float64) string) template.HTML {
	if len(points) == 0 {
		return ""
	}
	const w, h, padTop, padBottom = 560.0, 150.0, 14.0, 22.0
	maxV := target
	for _, p := range points {
		maxV = math.Max(maxV, p.V)
	}
	if maxV <= 0 {
		maxV = 1
	}
	plotH := h - padTop - padBottom
	slot := w / float64(len(points))
	bw := math.Min(40, slot*0.7)
	var b strings.Builder
	var desc []string
	for _, p := range points {
		s := p.Label + ": " + format(p.V)
		if p.InProgress {
			s += " (so far)"
		}
		desc = append(desc, s)
	}
	alt := label + ". " + strings.Join(desc, ", ")
	if hasTarget {
		alt += ". Target " + format(target) + "."
	}
	fmt.Fprintf(&b, `<svg class="chart" viewBox="0 0 %.0f %.0f" role="img" aria-label="%s"><title>%s</title>`, w, h, html.EscapeString(alt), html.EscapeString(alt))
	for i, p := range points {
		x := float64(i)*slot + (slot-bw)/2
		bh := p.V / maxV * plotH
		y := padTop + plotH - bh
		class := "bar"
		if hasTarget && p.V < target && !p.InProgress {
			class += " below"
		}
		if p.InProgress {
			class += " partial"
		}
		fmt.Fprintf(&b, `<rect class="%s" x="%.1f" y="%.1f" width="%.1f" height="%.1f" rx="2"/>`, class, x, y, bw, math.Max(bh, 0.5))
		fmt.Fprintf(&b, `<text class="axis" x="%.1f" y="%.0f" text-anchor="middle">%s</text>`, x+bw/2, h-6, html.EscapeString(p.Label))
		if len(points) <= 16 {
			fmt.Fprintf(&b, `<text class="val" x="%.1f" y="%.1f" text-anchor="middle">%s</text>`, x+bw/2, math.Max(y-3, 10), html.EscapeString(format(p.V)))
		}
	}
	if hasTarget {
		y := padTop + plotH - target/maxV*plotH
		fmt.Fprintf(&b, `<line class="target" x1="0" x2="%.0f" y1="%.1f" y2="%.1f"/>`, w, y, y)
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

// stackBar draws shares as one horizontal stacked bar with a legend.
func stackBar(parts []report.StageCount, label string, format func(float64) string) template.HTML {
	total := 0.0
	for _, p := range parts {
		total += p.Amount
	}
	if total <= 0 {
		return ""
	}
	var b strings.Builder
	var desc []string
	for _, p := range parts {
		desc = append(desc, fmt.Sprintf("%s %s (%d deals)", p.Stage, format(p.Amount), p.Count))
	}
	alt := label + ": " + strings.Join(desc, ", ")
	fmt.Fprintf(&b, `<svg class="chart stack" viewBox="0 0 560 28" role="img" aria-label="%s"><title>%s</title>`, html.EscapeString(alt), html.EscapeString(alt))
	x := 0.0
	for i, p := range parts {
		wd := p.Amount / total * 560
		fmt.Fprintf(&b, `<rect class="seg seg%d" x="%.1f" y="0" width="%.1f" height="28"/>`, i%6, x, wd)
		x += wd
	}
	b.WriteString(`</svg><ul class="legend">`)
	for i, p := range parts {
		fmt.Fprintf(&b, `<li><span class="swatch seg%d" aria-hidden="true"></span>%s · %s · %.0f%%</li>`, i%6, html.EscapeString(p.Stage), html.EscapeString(format(p.Amount)), p.Amount/total*100)
	}
	b.WriteString(`</ul>`)
	return template.HTML(b.String())
}

// meter draws a value against its target as a short horizontal gauge.
func meter(v, target float64) template.HTML {
	if target <= 0 {
		return ""
	}
	full := math.Max(v, target) * 1.1
	class := "meter-fill"
	if v < target {
		class += " below"
	}
	return template.HTML(fmt.Sprintf(`<svg class="meter" viewBox="0 0 100 8" aria-hidden="true"><rect class="meter-bg" width="100" height="8" rx="4"/><rect class="%s" width="%.1f" height="8" rx="4"/><line class="meter-target" x1="%.1f" x2="%.1f" y1="0" y2="8"/></svg>`,
		class, math.Min(100, v/full*100), target/full*100, target/full*100))
}
