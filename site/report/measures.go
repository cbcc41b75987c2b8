package report

import (
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
type measure func(f *facts) (v float64, ok bool, why Msg)

// measures binds every named metric of the catalog (metric.Named) to the
// function that computes it: together they are the one metric table.
// Activity metrics are computed per type by the weekly page.
var measures = map[string]measure{
	"pipeline.created": func(f *facts) (float64, bool, Msg) { return f.created.Amount, true, Msg{} },
	"pipeline.open":    func(f *facts) (float64, bool, Msg) { return f.open.Amount, true, Msg{} },
	"pipeline.coverage": func(f *facts) (float64, bool, Msg) {
		switch {
		case !f.inProgress && f.hasHistory:
			return 0, false, M("why.finished_see_start")
		case !f.inProgress:
			return 0, false, M("why.finished_needs_history")
		case !f.hasQuota || f.quota <= 0:
			return 0, false, M("why.no_quota")
		case f.won.Amount >= f.quota:
			return 0, false, M("why.quota_met")
		}
		v, ok := Coverage(f.closing.Amount, f.quota, f.won.Amount)
		return v, ok, Msg{}
	},
	"pipeline.past_due": func(f *facts) (float64, bool, Msg) {
		if !f.qualityKnown {
			return 0, false, M("why.quality_unknown")
		}
		return float64(len(f.pastDue)), true, Msg{}
	},
	"pipeline.stalled": func(f *facts) (float64, bool, Msg) {
		if !f.touchKnown {
			return 0, false, M("why.no_touch")
		}
		if !f.qualityKnown {
			return 0, false, M("why.quality_unknown")
		}
		return float64(len(f.stalled)), true, Msg{}
	},
	"win_rate": func(f *facts) (float64, bool, Msg) {
		v, ok := WinRate(f.won, f.lost)
		ok = ok && f.won.Count+f.lost.Count >= MinDeals
		return v, ok, ifNot(ok, tooFew(f.won.Count+f.lost.Count, "closed"))
	},
	"deal_size": func(f *facts) (float64, bool, Msg) {
		v, ok := DealSize(f.won)
		return v, ok, ifNot(ok, M("why.no_deal_won"))
	},
	"cycle_days": func(f *facts) (float64, bool, Msg) {
		ok := f.cycleOK && f.won.Count >= MinDeals
		return f.cycleMean, ok, ifNot(ok, tooFew(f.won.Count, "won"))
	},
	"forecast.accuracy": func(f *facts) (float64, bool, Msg) {
		switch {
		case f.commit == nil && f.inProgress:
			return 0, false, M("why.no_commit_yet")
		case f.commit == nil:
			return 0, false, M("why.no_commit")
		case f.inProgress:
			return 0, false, M("why.not_over." + f.p.Cadence.String())
		}
		v, ok := Accuracy(f.won.Amount, f.commit.Commit)
		return v, ok, ifNot(ok, M("why.commit_zero"))
	},
	"attainment": func(f *facts) (float64, bool, Msg) {
		if !f.hasQuota || f.quota <= 0 {
			return 0, false, M("why.no_quota")
		}
		v, ok := Attainment(f.won.Amount, f.quota)
		return v, ok, Msg{}
	},
	"coaching.held": func(f *facts) (float64, bool, Msg) {
		if !f.hasLog {
			return 0, false, M("why.no_log")
		}
		v, ok := HeldRatio(f.held, f.expected)
		return v, ok, ifNot(ok, M("why.no_meeting_due"))
	},
	"commitments.kept": func(f *facts) (float64, bool, Msg) {
		if !f.hasCommitments {
			return 0, false, M("why.no_commitments")
		}
		return f.kept.V, f.kept.OK, ifNot(f.kept.OK, M("why.no_commitment_due"))
	},
}

// tooFew says a figure needs more deals than the n it has.
// what is "closed" or "won".
func tooFew(n int, what string) Msg {
	return M("why.too_few_"+what, n, MinDeals)
}

func ifNot(ok bool, why Msg) Msg {
	if ok {
		return Msg{}
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
			out[def.ID] = Value{Def: def, Page: c.String(), Why: M("why.needs_history")}
			continue
		}
		v, ok, why := fn(f)
		val := m.value(f.rep, def.ID, v, ok, f.p, f.share, f.inProgress)
		val.Why = why
		out[def.ID] = val
	}
	return out
}
