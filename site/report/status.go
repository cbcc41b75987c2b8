package report

import (
	"math"

	"github.com/coachbook/coachbook/site/data"
	"github.com/coachbook/coachbook/site/metric"
)

// Verdict is the one status scale of every page, chart, chip, card, cell
// and index row: on track, close, off track, or not judged. Views decide
// it, with the functions of this file; templates only show it.
type Verdict uint8

// The verdicts, from nothing judged to the worst.
const (
	NotJudged Verdict = iota
	OnTrack
	Close
	OffTrack
)

// CloseShare is how near its target a value on the wrong side of it is
// still "close": within 80% of it (a higher-is-better value at least 0.8 ×
// the target, a lower-is-better one at most the target ÷ 0.8).
const CloseShare = 0.8

// String is the verdict in words, as pages show it.
func (v Verdict) String() string {
	switch v {
	case OnTrack:
		return "on track"
	case Close:
		return "close"
	case OffTrack:
		return "off track"
	}
	return "not judged"
}

// Class is the verdict's colour class in the theme: good, warn, bad, none.
func (v Verdict) Class() string {
	switch v {
	case OnTrack:
		return "good"
	case Close:
		return "warn"
	case OffTrack:
		return "bad"
	}
	return "none"
}

// Judged says whether the verdict is one of the three judgements.
func (v Verdict) Judged() bool { return v != NotJudged }

// Missed says whether the value is on the wrong side of its target (close
// or off track): what the page coaches.
func (v Verdict) Missed() bool { return v == Close || v == OffTrack }

// MarshalText writes the verdict in words, in golden files and JSON.
func (v Verdict) MarshalText() ([]byte, error) { return []byte(v.String()), nil }

// Judge is the one judgement of a value against its target: on track on
// the right side of it (or at it), close within CloseShare of it, off
// track beyond.
func Judge(v, target float64, dir metric.Direction) Verdict {
	if dir == metric.LowerIsBetter {
		switch {
		case v <= target:
			return OnTrack
		case target > 0 && v*CloseShare <= target:
			return Close
		}
		return OffTrack
	}
	switch {
	case v >= target:
		return OnTrack
	case v >= CloseShare*target:
		return Close
	}
	return OffTrack
}

// JudgeCount judges a week by its activity targets: on track with every
// target hit, close with at most half of them missed, off track beyond.
func JudgeCount(missed, targets int) Verdict {
	switch {
	case targets == 0:
		return NotJudged
	case missed == 0:
		return OnTrack
	case missed*2 <= targets:
		return Close
	}
	return OffTrack
}

// pace is the rep's won amount in a period in progress against the share
// of its (prorated) quota that the days gone call for: the days of the
// period the rep was on the team up to the cut-off, over all of the rep's
// days in it. The one judgement of a period in progress against quota, on
// the pacing box, the rep's calendar and the reports index.
func (m *Model) pace(rep *data.Rep, p Period, won, quota float64) Value {
	def := metric.Def{ID: "pace", Name: "Pace to quota", Unit: metric.Ratio}
	v := Value{Def: def, Page: p.Cadence.String(), Key: key(rep, p, "pace"), Target: 1, HasTarget: true, TargetFrom: "the days gone"}
	gone, all := 0, int(math.Round(Prorated(rep, p)*float64(p.Days())))
	if lo, hi, ok := m.span(rep, p.Start, p.End); ok { // span stops at the cut-off
		gone = int(hi-lo) + 1
	}
	if quota <= 0 || gone == 0 || all == 0 {
		v.Why = M("why.no_pace")
		return v
	}
	v.V, v.OK = won/(quota*float64(gone)/float64(all)), true
	v.Verdict = Judge(v.V, 1, metric.HigherIsBetter)
	return v
}

// key names a quantity for the pages that show it: rep, period, metric.
func key(rep *data.Rep, p Period, id string) string { return rep.ID + "/" + p.ID + "/" + id }
