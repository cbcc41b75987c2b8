package render

import (
	"math"
	"strings"

	"github.com/coachbook/coachbook/site/report"
)

// Spark is a small bar chart of a few values (won by month on the reports
// index), W by H units, with the values in its title for screen readers
// and print.
type Spark struct {
	Title string
	W, H  int
	Bars  []SparkBar
}

// SparkBar is one bar of a Spark.
type SparkBar struct {
	X, Y, W, H float64
	Partial    bool
}

// sparkline computes the spark of points. Its points are named by the
// caller (see Renderer.relabel).
func sparkline(points []report.Point, label string, format func(float64) string) *Spark {
	if len(points) == 0 {
		return nil
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
	s := &Spark{Title: label + ". " + strings.Join(desc, ", "), W: int(w), H: int(h)}
	slot := w / float64(len(points))
	for i, p := range points {
		bh := math.Max(1, p.V/maxV*(h-2*pad))
		s.Bars = append(s.Bars, SparkBar{X: round(float64(i)*slot+1, 1), Y: round(h-pad-bh, 1), W: round(slot-2, 1), H: round(bh, 1), Partial: p.InProgress})
	}
	return s
}
