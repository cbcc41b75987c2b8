package render

import (
	"fmt"
	"html"
	"html/template"
	"math"
	"strings"

	"github.com/coachbook/coachbook/site/report"
)

// sparkline draws a small inline SVG of a few values (won by month on the
// reports index), with the values in its title for screen readers and
// print. Its points are named by the caller (see Renderer.relabel).
func sparkline(points []report.Point, label string, format func(float64) string) template.HTML {
	if len(points) == 0 {
		return ""
	}
	const w, h, pad = 96.0, 24.0, 2.0
	maxV := 0.0
	for _, p := range points {
		maxV = math.Max(maxV, p.V)
	}
	if maxV <= 0 {
		maxV = 1
	}
	var desc []string
	for _, p := range points {
		desc = append(desc, p.Label+": "+format(p.V))
	}
	alt := label + ". " + strings.Join(desc, ", ")
	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="spark" viewBox="0 0 %.0f %.0f" width="%.0f" height="%.0f" role="img"><title>%s</title>`, w, h, w, h, html.EscapeString(alt))
	slot := w / float64(len(points))
	for i, p := range points {
		bh := math.Max(1, p.V/maxV*(h-2*pad))
		class := "spark-bar"
		if p.InProgress {
			class += " partial"
		}
		fmt.Fprintf(&b, `<rect class="%s" x="%.1f" y="%.1f" width="%.1f" height="%.1f"/>`, class, float64(i)*slot+1, h-pad-bh, slot-2, bh)
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}
