package report

import (
	"slices"
	"strings"
)

// RepMetrics is the metrics.json beside every rep report page. The first
// fields are pinned by the product specification; the rest add what the
// page shows. Every number is the exact value the page judged and formats.
type RepMetrics struct {
	Rep          string           `json:"rep"`
	Cadence      string           `json:"cadence"`
	Period       string           `json:"period"`
	Start        string           `json:"start"`
	End          string           `json:"end"`
	Activities   map[string]int64 `json:"activities"`
	Created      CountAmount      `json:"created"`
	Won          CountAmount      `json:"won"`
	Lost         CountAmount      `json:"lost"`
	OpenPipeline CountAmount      `json:"open_pipeline"`
	Quota        *float64         `json:"quota"`
	Attainment   *float64         `json:"attainment"`
	// Currency is the ISO code every amount is in, when the data or
	// coachbook.toml names one.
	Currency string `json:"currency,omitempty"`
	// QuotaIn is the quota in the rep's own currency and the rate that
	// converted it, when team.toml gives the quota in another currency.
	QuotaIn *QuotaJSON `json:"quota_in,omitempty"`

	// Prorated is the share of the period the rep was on the team; quota
	// and targets are prorated by it.
	Prorated   float64 `json:"prorated"`
	InProgress bool    `json:"in_progress"`
	// AsOf is the data cut-off, for the period in progress only: a
	// complete period's numbers do not depend on it, and its file stays
	// the same when a later day of data arrives.
	AsOf    string              `json:"as_of,omitempty"`
	Team    string              `json:"team"`
	Manager string              `json:"manager,omitempty"`
	Targets map[string]float64  `json:"targets,omitempty"`
	Metrics map[string]*float64 `json:"metrics,omitempty"`
	// Verdicts is each metric's status on the one scale: "on track",
	// "close", "off track" or "not judged".
	Verdicts  map[string]Verdict `json:"verdicts,omitempty"`
	OffTarget []string           `json:"off_target"`
	// Next is the next period's coverage (latest month and quarter).
	Next *NextJSON `json:"next,omitempty"`
	// Pacing is what the period in progress still needs (month, quarter).
	Pacing *PacingJSON `json:"pacing,omitempty"`
	// YTD is the fiscal year to date (quarter pages).
	YTD *YTDJSON `json:"ytd,omitempty"`
	// Flow is where the pipeline went (month and quarter, with pipeline
	// history).
	Flow *FlowJSON `json:"flow,omitempty"`
	// Commitments are the ones the page reviews: made at the meetings of
	// its cadence in the previous period and in this one (with a
	// commitments file).
	Commitments []CommitmentJSON `json:"commitments,omitempty"`
	// FollowThrough counts the commitments due in the period by outcome;
	// its share is metrics["commitments.kept"] on month and quarter pages.
	FollowThrough *ShareJSON `json:"follow_through,omitempty"`
}

// CommitmentJSON is one commitment of a rep page.
type CommitmentJSON struct {
	Made    string        `json:"made"` // the meeting's date
	Kind    string        `json:"kind"`
	Text    string        `json:"text"`
	Metric  string        `json:"metric,omitempty"`
	Number  *float64      `json:"number,omitempty"`
	Actual  *float64      `json:"actual,omitempty"` // over the window up to the due date or the cut-off
	Due     string        `json:"due"`
	Status  string        `json:"status,omitempty"` // the manager's
	Verdict CommitVerdict `json:"verdict"`
}

// ShareJSON is a follow-through: commitments by outcome, and the share
// kept (kept ÷ (kept + missed), null when none is known).
type ShareJSON struct {
	Kept    int      `json:"kept"`
	Missed  int      `json:"missed"`
	Ask     int      `json:"ask"`
	Dropped int      `json:"dropped"`
	Open    int      `json:"open"`
	Share   *float64 `json:"share"`
}

func shareJSON(s Share) *ShareJSON {
	return &ShareJSON{Kept: s.Kept, Missed: s.Missed, Ask: s.Ask, Dropped: s.Dropped, Open: s.Open, Share: optional(s.V, s.OK)}
}

func commitmentJSON(c CommitmentView) CommitmentJSON {
	out := CommitmentJSON{Made: c.Date.String(), Kind: c.Kind, Text: c.Text, Metric: c.Metric, Due: c.Due.String(), Status: c.Status, Verdict: c.Verdict}
	if c.Checkable {
		out.Number, out.Actual = optional(c.Number, true), optional(c.Actual, true)
	}
	return out
}

// FlowJSON is the "flow" object of metrics.json (fields pinned by the
// product specification): start + created + pulled_in − pushed_out +
// increased − decreased − won − lost = end, to the cent.
type FlowJSON struct {
	Start     float64 `json:"start"`
	Created   float64 `json:"created"`
	PulledIn  float64 `json:"pulled_in"`
	PushedOut float64 `json:"pushed_out"`
	Increased float64 `json:"increased"`
	Decreased float64 `json:"decreased"`
	Won       float64 `json:"won"`
	Lost      float64 `json:"lost"`
	End       float64 `json:"end"`
	// Slipped lists the deals pushed out of the period with their push counts.
	Slipped []SlipJSON `json:"slipped"`
}

// SlipJSON is one deal pushed out of the period.
type SlipJSON struct {
	ID     string  `json:"id"`
	Amount float64 `json:"amount"`
	From   string  `json:"from"` // close date before the push
	To     string  `json:"to"`
	Pushes int     `json:"pushes"`
}

func flowJSON(fr *FlowReport) *FlowJSON {
	f := fr.Flow
	out := &FlowJSON{Start: f.Start.Amount(), Created: f.Created.Amount(), PulledIn: f.PulledIn.Amount(), PushedOut: f.PushedOut.Amount(),
		Increased: f.Increased.Amount(), Decreased: f.Decreased.Amount(), Won: f.Won.Amount(), Lost: f.Lost.Amount(), End: f.End.Amount(), Slipped: []SlipJSON{}}
	for _, s := range fr.Slipped {
		out.Slipped = append(out.Slipped, SlipJSON{ID: s.ID, Amount: s.Amount.Amount(), From: s.From.String(), To: s.To.String(), Pushes: s.Pushes})
	}
	return out
}

// NextJSON is the next period's pipeline coverage.
type NextJSON struct {
	Period   string      `json:"period"`
	Closing  CountAmount `json:"closing"`
	Coverage *float64    `json:"coverage"`
}

// PacingJSON is the pacing of a period in progress; paces are amounts per
// week.
type PacingJSON struct {
	Needed     float64  `json:"needed"`
	DaysLeft   int      `json:"days_left"`
	PaceNeeded *float64 `json:"pace_needed"`
	PaceSoFar  *float64 `json:"pace_so_far"`
	Coverage   *float64 `json:"coverage"`
}

// QuotaJSON is a quota in the rep's own currency: amount × rate is the
// page's quota (to the cent). The rate is the one that holds on the
// period's first day, dated rate_from (absent for a fixed rate).
type QuotaJSON struct {
	Currency string  `json:"currency"`
	Amount   float64 `json:"amount"`
	Rate     float64 `json:"rate"`
	RateFrom string  `json:"rate_from,omitempty"`
}

// YTDJSON is the year to date of a quarter page: won and quota over the
// same quarters.
type YTDJSON struct {
	Year       string   `json:"year"`
	Quarters   []string `json:"quarters"`
	Won        float64  `json:"won"`
	Quota      *float64 `json:"quota"`
	Attainment *float64 `json:"attainment"`
}

func (m *Model) repMetrics(view any, r *RepPage) RepMetrics {
	out := RepMetrics{
		Rep: r.Rep.ID, Cadence: r.Period.Cadence.String(), Period: r.Period.ID,
		Start: r.Period.Start.String(), End: r.Period.End.String(),
		Activities: r.Counts, Created: r.Created, Won: r.Won, Lost: r.Lost, OpenPipeline: r.Open,
		Prorated: r.Prorated, InProgress: r.InProgress, Team: r.Rep.Team, Manager: r.Rep.Manager,
		Targets: r.Rep.Targets, Metrics: map[string]*float64{}, OffTarget: []string{},
		Currency: m.Data.Currency,
	}
	if r.InProgress {
		out.AsOf = m.AsOf.String()
	}
	if r.HasQuota {
		out.Quota = &r.Quota
		if q := r.QuotaIn; q != nil {
			out.QuotaIn = &QuotaJSON{Currency: q.Currency, Amount: q.Amount, Rate: q.Rate, RateFrom: q.RateFrom.String()}
		}
		if r.Attainment.OK {
			att := r.Attainment.V // exactly won ÷ quota, unrounded
			out.Attainment = &att
		}
	}
	out.Verdicts = map[string]Verdict{}
	for id, v := range r.Metrics {
		out.Metrics[id] = optional(v.V, v.OK)
		out.Verdicts[id] = v.Verdict
	}
	own := r.Rep.ID + "/" + r.Period.ID + "/"
	for _, v := range r.OffTarget {
		if id, ok := strings.CutPrefix(v.Key, own); ok {
			if _, set := out.Verdicts[id]; !set {
				out.Verdicts[id] = v.Verdict // a year to date, a weekly average
			}
		}
		if !slices.Contains(out.OffTarget, v.ID) {
			out.OffTarget = append(out.OffTarget, v.ID)
		}
	}
	if c := r.Commitments; c != nil && c.HasFile {
		for _, x := range append(slices.Clip(c.Last), c.This...) {
			out.Commitments = append(out.Commitments, commitmentJSON(x))
		}
		out.FollowThrough = shareJSON(r.KeptShare)
	}
	var pl *Pipeline
	switch v := view.(type) {
	case *WeekView:
		for _, l := range v.Activities {
			if l.HasTarget {
				out.Verdicts[l.ID] = l.Verdict
			}
		}
	case *MonthView:
		pl = v.Pipeline
	case *QuarterView:
		pl = v.Pipeline
		y := &YTDJSON{Year: v.YTD.Year, Won: v.YTD.Won}
		for _, q := range v.YTD.Quarters {
			y.Quarters = append(y.Quarters, q.ID)
		}
		if v.YTD.HasQuota {
			y.Quota = &v.YTD.Quota
			y.Attainment = optional(v.YTD.Attainment.V, v.YTD.Attainment.OK)
		}
		out.YTD = y
	}
	if pl != nil {
		if pl.Flow != nil {
			out.Flow = flowJSON(pl.Flow)
		}
		if pl.NextPeriod != nil {
			out.Next = &NextJSON{Period: pl.NextPeriod.ID, Closing: pl.NextClosing, Coverage: optional(pl.NextCoverage.V, pl.NextCoverage.OK)}
		}
		if pc := pl.Pacing; pc != nil {
			out.Pacing = &PacingJSON{Needed: pc.Needed, DaysLeft: pc.DaysLeft, PaceNeeded: optional(pc.PaceNeeded, pc.DaysLeft > 0),
				PaceSoFar: optional(pc.PaceSoFar, pc.DaysGone > 0), Coverage: optional(pc.Coverage.V, pc.Coverage.OK)}
		}
	}
	return out
}

// TeamMetrics is the metrics.json beside every team page.
type TeamMetrics struct {
	Team       string      `json:"team"`
	Cadence    string      `json:"cadence"`
	Period     string      `json:"period"`
	Start      string      `json:"start"`
	End        string      `json:"end"`
	InProgress bool        `json:"in_progress"`
	Reps       int         `json:"reps"`
	Won        CountAmount `json:"won"`
	Created    CountAmount `json:"created"`
	// Quota is the summed quota of the reps who carry one; Attainment is
	// what those reps won (WonWithQuota) divided by it. Reps without a quota
	// are counted apart in WonWithoutQuota.
	Quota           *float64    `json:"quota"`
	Attainment      *float64    `json:"attainment"`
	WonWithQuota    CountAmount `json:"won_with_quota"`
	WonWithoutQuota CountAmount `json:"won_without_quota"`
	RepsWithQuota   int         `json:"reps_with_quota"`
	RepsAtQuota     int         `json:"reps_at_quota"`
	Concentration   *ConcJSON   `json:"concentration"`
	// Flow is the reps' flows added up (month and quarter, with pipeline
	// history); slipped lists every rep's slipped deals.
	Flow *FlowJSON `json:"flow,omitempty"`
}

// ConcJSON is revenue concentration with its exact definition.
type ConcJSON struct {
	Share      *float64 `json:"share"`
	TopReps    float64  `json:"top_reps"`
	Definition string   `json:"definition"`
}

func teamMetrics(t *TeamView) TeamMetrics {
	out := TeamMetrics{Team: t.Team, Cadence: t.Period.Cadence.String(), Period: t.Period.ID,
		Start: t.Period.Start.String(), End: t.Period.End.String(), InProgress: t.InProgress, Reps: len(t.Rows),
		Won: t.Won, Created: t.Created, WonWithQuota: t.QuotaWon, WonWithoutQuota: t.NoQuotaWon,
		RepsWithQuota: t.WithQuota, RepsAtQuota: t.AtQuotaCount}
	if t.WithQuota > 0 && t.Period.Cadence != Week {
		out.Quota = &t.Quota
		out.Attainment = optional(t.Attainment.V, t.Attainment.OK)
	}
	var sum *FlowReport
	for _, r := range t.Rows {
		if r.Pipe == nil || r.Pipe.Flow == nil {
			continue
		}
		if sum == nil {
			sum = &FlowReport{}
		}
		sum.Flow.Add(r.Pipe.Flow.Flow)
		sum.Slipped = append(sum.Slipped, r.Pipe.Flow.Slipped...)
	}
	if sum != nil {
		out.Flow = flowJSON(sum)
	}
	out.Concentration = &ConcJSON{Share: optional(t.Concentration.V, t.Concentration.OK), TopReps: TopShare * float64(len(t.Rows)),
		Definition: "share of the won amount that comes from the top 20% of the team's reps by won amount: " + t.TopReps + ", a fraction of a rep counted pro rata"}
	return out
}
