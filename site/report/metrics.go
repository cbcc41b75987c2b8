package report

import (
	"cmp"
	"math"
	"slices"

	"github.com/coachbook/coachbook/site/civil"
	"github.com/coachbook/coachbook/site/data"
)

// CountAmount is a number of deals and the sum of their amounts (a blank
// amount counts 0).
type CountAmount struct {
	Count  int     `json:"count"`
	Amount float64 `json:"amount"`
}

func (c *CountAmount) add(o *data.Opportunity) {
	c.Count++
	c.Amount += o.Amount
}

// round2 keeps amounts to the cent, so sums of many amounts print exactly.
func round2(v float64) float64 { return math.Round(v*100) / 100 }

// Created counts the deals whose created date falls in [from, to].
func Created(opps []*data.Opportunity, from, to civil.Date) CountAmount {
	var c CountAmount
	for _, o := range opps {
		if o.Created.Valid() && o.Created >= from && o.Created <= to {
			c.add(o)
		}
	}
	c.Amount = round2(c.Amount)
	return c
}

// Closed counts the deals with the given outcome (won or lost) whose close
// date falls in [from, to].
func Closed(opps []*data.Opportunity, outcome data.Outcome, from, to civil.Date) CountAmount {
	var c CountAmount
	for _, o := range opps {
		if o.Outcome == outcome && o.Close.Valid() && o.Close >= from && o.Close <= to {
			c.add(o)
		}
	}
	c.Amount = round2(c.Amount)
	return c
}

// OpenAt counts the deals open at the end of day end: created on or before
// end, and either still open or closed after end. A deal with no created
// date is not counted (it is listed on the data-health page).
func OpenAt(opps []*data.Opportunity, end civil.Date) CountAmount {
	var c CountAmount
	for _, o := range opps {
		if isOpenAt(o, end) {
			c.add(o)
		}
	}
	c.Amount = round2(c.Amount)
	return c
}

func isOpenAt(o *data.Opportunity, end civil.Date) bool {
	return o.Created.Valid() && o.Created <= end && (o.Outcome == data.Open || o.Close > end)
}

// MinDeals is the sample a figure over deals needs to mean something: win
// rate needs as many closed deals, cycle time as many won deals, revenue
// concentration as many won deals. Below it the page says "too few deals".
const MinDeals = 5

// WinRate is deals won divided by deals won plus deals lost, by count; not
// defined when no deal closed (the pages also want MinDeals of them).
func WinRate(won, lost CountAmount) (float64, bool) {
	if won.Count+lost.Count == 0 {
		return 0, false
	}
	return float64(won.Count) / float64(won.Count+lost.Count), true
}

// DealSize is the won amount divided by the number of deals won.
func DealSize(won CountAmount) (float64, bool) {
	if won.Count == 0 {
		return 0, false
	}
	return won.Amount / float64(won.Count), true
}

// CycleDays is the mean and the median number of days from created to
// close of the deals won in [from, to] that have a created date.
func CycleDays(opps []*data.Opportunity, from, to civil.Date) (mean, med float64, ok bool) {
	var days []float64
	sum := 0.0
	for _, o := range opps {
		if o.Outcome == data.Won && o.Close >= from && o.Close <= to && o.Created.Valid() {
			d := float64(o.Close - o.Created)
			days = append(days, d)
			sum += d
		}
	}
	if len(days) == 0 {
		return 0, 0, false
	}
	med, _ = median(days)
	return sum / float64(len(days)), med, true
}

// ClosingIn counts the deals open at the end of day cut whose expected
// close date falls in [from, to].
func ClosingIn(opps []*data.Opportunity, cut, from, to civil.Date) CountAmount {
	var c CountAmount
	for _, o := range opps {
		if isOpenAt(o, cut) && o.Close.Valid() && o.Close >= from && o.Close <= to {
			c.add(o)
		}
	}
	c.Amount = round2(c.Amount)
	return c
}

// Coverage is the open pipeline expected to close in a period divided by
// the quota still to close in it (quota minus won so far); not defined
// without a quota or once it is met.
func Coverage(closing, quota, won float64) (float64, bool) {
	rest := quota - won
	if quota <= 0 || rest <= 0 {
		return 0, false
	}
	return closing / rest, true
}

// Attainment is the won amount divided by the quota; not defined without a
// quota.
func Attainment(won, quota float64) (float64, bool) {
	if quota <= 0 {
		return 0, false
	}
	return won / quota, true
}

// CommitFor picks the commit that a period's forecast accuracy is judged
// on, among those submitted on or before the period's last day: the last one
// submitted on or before the period's seventh day (an early call, made while
// it still means something), else the first one submitted later in the
// period. Nil when the rep submitted none in time.
func CommitFor(fcs []*data.Forecast, p Period) *data.Forecast {
	var early, first *data.Forecast
	start := p.Start
	for _, f := range fcs {
		if f.Period != p.ID || f.Date > p.End {
			continue
		}
		if f.Date <= start+6 && (early == nil || f.Date >= early.Date) {
			early = f
		}
		if first == nil || f.Date < first.Date {
			first = f
		}
	}
	if early != nil {
		return early
	}
	return first
}

// Accuracy is one minus the gap between won amount and commit, divided by
// the commit, never below 0; not defined for a zero commit.
func Accuracy(won, commit float64) (float64, bool) {
	if commit <= 0 {
		return 0, false
	}
	return math.Max(0, 1-math.Abs(won-commit)/commit), true
}

// TopShare is the share of the reps counted as "the top 20%": 20% of n
// reps, a fraction of a rep included pro rata (2.2 of 11 reps: the top two
// and a fifth of the third).
const TopShare = 0.2

// MinTopReps is the fewest reps a team needs for its revenue
// concentration to be judged: with fewer, "the top 20%" is less than one
// rep.
const MinTopReps = 5

// Concentration is the share of won revenue that comes from the top 20% of
// reps by won amount, counting TopShare × n reps exactly: whole reps from
// the top, then the fraction of the next one's amount. Not defined when
// nothing was won.
func Concentration(won []float64) (float64, bool) {
	total := 0.0
	for _, w := range won {
		total += w
	}
	if total <= 0 || len(won) == 0 {
		return 0, false
	}
	sorted := slices.Clone(won)
	slices.SortFunc(sorted, func(a, b float64) int { return cmp.Compare(b, a) })
	k := TopShare * float64(len(sorted))
	whole := int(math.Floor(k))
	top := 0.0
	for _, w := range sorted[:whole] {
		top += w
	}
	if whole < len(sorted) {
		top += (k - float64(whole)) * sorted[whole]
	}
	return top / total, true
}

// ShareAtQuota is the share of reps with a quota whose attainment is at
// least 100%; not defined when no rep has a quota.
func ShareAtQuota(attainments []float64) (float64, bool) {
	if len(attainments) == 0 {
		return 0, false
	}
	n := 0
	for _, a := range attainments {
		if a >= 1 {
			n++
		}
	}
	return float64(n) / float64(len(attainments)), true
}

// Expected is how many coaching meetings of each kind the rhythm expects
// for a rep over [from, to]: one weekly meeting for each week that starts in
// it (so a week on a month boundary is expected once), one pipeline meeting
// and one one-on-one per month, one territory review per quarter.
func Expected(cal Calendar, from, to civil.Date) map[string]int {
	weeks := 0
	for _, w := range cal.Range(Week, from, to) {
		if w.Start >= from {
			weeks++
		}
	}
	return map[string]int{
		"weekly":     weeks,
		"monthly":    len(cal.Range(Month, from, to)),
		"one-on-one": len(cal.Range(Month, from, to)),
		"quarterly":  len(cal.Range(Quarter, from, to)),
	}
}

// Held counts the coaching meetings logged for a rep in [from, to] by kind.
func Held(ms []*data.Meeting, from, to civil.Date) map[string]int {
	out := map[string]int{}
	for _, m := range ms {
		if m.Date >= from && m.Date <= to {
			out[m.Kind]++
		}
	}
	return out
}

// Counted is how many of the meetings of one kind held in a period count
// toward the coaching cadence: as many as were held, but no more than the
// rhythm expects, so a third weekly meeting in a fortnight does not make
// up for a missed one-on-one. Every page that counts meetings (the rep's
// month and quarter, the team's, the manager's) counts them with it.
func Counted(held, expected int) int { return min(held, expected) }

// HeldRatio is meetings held divided by meetings expected, over the kinds
// the rhythm expects (ride-alongs are extra and not counted); each kind
// counts at most as many meetings as expected.
func HeldRatio(held, expected map[string]int) (float64, bool) {
	h, e := 0, 0
	for kind, n := range expected {
		e += n
		h += Counted(held[kind], n)
	}
	if e == 0 {
		return 0, false
	}
	return float64(h) / float64(e), true
}
