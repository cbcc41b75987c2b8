package report

import (
	"fmt"

	"github.com/coachbook/coachbook/site/civil"
	"github.com/coachbook/coachbook/site/data"
	"github.com/coachbook/coachbook/site/metric"
)

// facts are the numbers of one rep and one period that the metrics are
// computed from, each counted once.
type facts struct {
	rep        *data.Rep
	p          Period
	inProgress bool
	cut        civil.Date // the last day counted: the period's end, or as_of
	share      float64    // the part of the period the rep was on the team

	created, won, lost, open CountAmount
	quota                    float64
	hasQuota                 bool
	closing                  CountAmount // open at the cut-off, expected to close in the period
	cycleMean, cycleMedian   float64
	cycleOK                  bool
	pastDue, stalled         []*data.Opportunity
	commit                   *data.Forecast
	held, expected           map[string]int
	hasLog                   bool
	kept                     Share // commitments due in the period
	hasCommitments           bool
	touchKnown               bool // see Model.TouchKnown
	// hasHistory says pipeline history covers the period; qualityKnown
	// that its past-due and stalled deals are known (the period is in
	// progress, or history says what they were at its end).
	hasHistory, qualityKnown bool
}

// measure computes one catalog metric from a period's facts; ok is false
// when the value is not defined, and why then says so to the reader.
type measure func(f *facts) (v float64, ok bool, why string)

// measures binds every named metric of the catalog (metric.Named) to the
// function that computes it: together they are the one metric table.
// Activity metrics are computed per type by the weekly page.
var measures = map[string]measure{
	"pipeline.created": func(f *facts) (float64, bool, string) { return f.created.Amount, true, "" },
	"pipeline.open":    func(f *facts) (float64, bool, string) { return f.open.Amount, true, "" },
	"pipeline.coverage": func(f *facts) (float64, bool, string) {
		switch {
		case !f.inProgress && f.hasHistory:
			return 0, false, "a finished period: see its coverage at the start, from the pipeline history"
		case !f.inProgress:
			return 0, false, "a finished period's coverage needs pipeline history: the CRM export keeps only each deal's current close date"
		case !f.hasQuota || f.quota <= 0:
			return 0, false, "no quota"
		case f.won.Amount >= f.quota:
			return 0, false, "quota already met: nothing left to cover"
		}
		v, ok := Coverage(f.closing.Amount, f.quota, f.won.Amount)
		return v, ok, ""
	},
	"pipeline.past_due": func(f *facts) (float64, bool, string) {
		if !f.qualityKnown {
			return 0, false, "known only for the month in progress without pipeline history"
		}
		return float64(len(f.pastDue)), true, ""
	},
	"pipeline.stalled": func(f *facts) (float64, bool, string) {
		if !f.touchKnown {
			return 0, false, "not judged: the opportunities export has no last-activity or last-stage-change column, and there is no pipeline history"
		}
		if !f.qualityKnown {
			return 0, false, "known only for the month in progress without pipeline history"
		}
		return float64(len(f.stalled)), true, ""
	},
	"win_rate": func(f *facts) (float64, bool, string) {
		v, ok := WinRate(f.won, f.lost)
		ok = ok && f.won.Count+f.lost.Count >= MinDeals
		return v, ok, ifNot(ok, tooFew(f.won.Count+f.lost.Count, "closed"))
	},
	"deal_size": func(f *facts) (float64, bool, string) {
		v, ok := DealSize(f.won)
		return v, ok, ifNot(ok, "no deal won")
	},
	"cycle_days": func(f *facts) (float64, bool, string) {
		ok := f.cycleOK && f.won.Count >= MinDeals
		return f.cycleMean, ok, ifNot(ok, tooFew(f.won.Count, "won"))
	},
	"forecast.accuracy": func(f *facts) (float64, bool, string) {
		switch {
		case f.commit == nil && f.inProgress:
			return 0, false, "no commit submitted yet"
		case f.commit == nil:
			return 0, false, "no commit submitted before the period ended"
		case f.inProgress:
			return 0, false, "judged when the period is over"
		}
		v, ok := Accuracy(f.won.Amount, f.commit.Commit)
		return v, ok, ifNot(ok, "the commit was 0")
	},
	"attainment": func(f *facts) (float64, bool, string) {
		if !f.hasQuota || f.quota <= 0 {
			return 0, false, "no quota"
		}
		v, ok := Attainment(f.won.Amount, f.quota)
		return v, ok, ""
	},
	"coaching.held": func(f *facts) (float64, bool, string) {
		if !f.hasLog {
			return 0, false, "no coaching log (data/coaching.csv)"
		}
		v, ok := HeldRatio(f.held, f.expected)
		return v, ok, ifNot(ok, "no meeting due yet")
	},
	"commitments.kept": func(f *facts) (float64, bool, string) {
		if !f.hasCommitments {
			return 0, false, "no commitments file (data/commitments.csv)"
		}
		return f.kept.V, f.kept.OK, ifNot(f.kept.OK, "no commitment with a known outcome was due")
	},
}

// tooFew says a figure needs more deals than the n it has.
func tooFew(n int, what string) string {
	return fmt.Sprintf("too few deals: %d %s, %d needed", n, what, MinDeals)
}

func ifNot(ok bool, why string) string {
	if ok {
		return ""
	}
	return why
}

// HistoryMetrics are the catalog metrics computed from pipeline history, by
// pipelineHistory, rather than by a measure.
var HistoryMetrics = []string{"pipeline.start_coverage", "pipeline.slipped", "pipeline.stage_age", "pipeline.conversion", "sales_velocity", "pipeline.flow"}

// values computes every named metric judged on pages of cadence c.
func (m *Model) values(f *facts, c Cadence) map[string]Value {
	out := map[string]Value{}
	for def := range metric.All() {
		if !def.JudgedIn(c.String()) {
			continue
		}
		fn, computed := measures[def.ID]
		if !computed {
			// Known only from pipeline history: pipelineHistory sets it.
			out[def.ID] = Value{Def: def, Page: c.String(), Why: "needs pipeline history ([data.history] or [data.snapshots])"}
			continue
		}
		v, ok, why := fn(f)
		val := m.value(f.rep, def.ID, v, ok, f.p, f.share, f.inProgress)
		val.Why = why
		out[def.ID] = val
	}
	return out
}
