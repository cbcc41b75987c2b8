package report

import (
	"cmp"
	"math"
	"slices"

	"github.com/coachbook/coachbook/site/civil"
	"github.com/coachbook/coachbook/site/data"
)

// Cents is an amount in hundredths, so that flows add up exactly.
type Cents int64

// ToCents rounds an amount to the cent.
func ToCents(v float64) Cents { return Cents(math.Round(v * 100)) }

// Amount is the amount in currency units.
func (c Cents) Amount() float64 { return float64(c) / 100 }

// Flow is where a period's pipeline went: the deals open at the start of
// the period and expected to close in it, what came in and went out day by
// day, and what was left at the end. Start + Created + PulledIn − PushedOut
// + Increased − Decreased − Won − Lost = End, exactly.
type Flow struct {
	Start, Created, PulledIn, PushedOut, Increased, Decreased, Won, Lost, End Cents
}

// Add adds another flow (a teammate's) to f.
func (f *Flow) Add(g Flow) {
	f.Start += g.Start
	f.Created += g.Created
	f.PulledIn += g.PulledIn
	f.PushedOut += g.PushedOut
	f.Increased += g.Increased
	f.Decreased += g.Decreased
	f.Won += g.Won
	f.Lost += g.Lost
	f.End += g.End
}

// Balanced reports whether the identity holds.
func (f Flow) Balanced() bool {
	return f.Start+f.Created+f.PulledIn-f.PushedOut+f.Increased-f.Decreased-f.Won-f.Lost == f.End
}

// inScope reports whether a deal in state s counts in the pipeline of the
// period [from, to]: open, with an expected close date in the period.
func inScope(s data.DealState, from, to civil.Date) bool {
	return s.Outcome == data.Open && !s.Gone && s.Close.Valid() && s.Close >= from && s.Close <= to
}

func cents(s data.DealState) Cents {
	if !s.HasAmount {
		return 0
	}
	return ToCents(s.Amount)
}

// Move is one deal's part in a flow that a page lists: a deal pushed out
// of the period, with its close date before and after.
type Move struct {
	Deal     *data.Timeline
	Amount   Cents
	From, To civil.Date // close date before and after the push
	Day      civil.Date // when it was pushed
	Pushes   int        // times the close date moved into a later month, up to the cut
}

// DealFlow adds one deal's flow through the period [from, to], counted up to
// cut (the period's end, or as_of while it is in progress), to f. Each
// change of the deal on a day of the period is one step:
//
//   - in the period's pipeline before and after: the amount's change is an
//     increase or a decrease;
//   - in it before, out after: won (after any change of amount at the win),
//     lost (also when the deal left the snapshots), else pushed out (its
//     close date moved out of the period);
//   - out before, in after: created (a new deal) or pulled in;
//   - out before, won or lost in the period: created or pulled in, then won
//     or lost, since closing dates the deal in the period.
//
// It returns the push when the deal was pushed out.
func DealFlow(tl *data.Timeline, from, to, cut civil.Date, f *Flow) (Move, bool) {
	prev, existed := tl.At(from - 1)
	in := existed && inScope(prev, from, to)
	if in {
		f.Start += cents(prev)
	}
	var push Move
	pushed := false
	i, _ := slices.BinarySearchFunc(tl.States, from, func(s data.DealState, x civil.Date) int { return cmp.Compare(s.From, x) })
	for ; i < len(tl.States) && tl.States[i].From <= cut; i++ {
		b := tl.States[i]
		inB := inScope(b, from, to)
		switch {
		case in && inB:
			f.change(cents(b) - cents(prev))
		case in && b.Outcome == data.Won:
			f.change(cents(b) - cents(prev))
			f.Won += cents(b)
		case in && b.Outcome == data.Lost:
			f.Lost += cents(prev)
		case in:
			f.PushedOut += cents(prev)
			if b.Close.Valid() && b.Close > to {
				push, pushed = Move{Deal: tl, Amount: cents(prev), From: prev.Close, To: b.Close, Day: b.From}, true
			}
		case inB:
			f.arrive(existed, cents(b))
		case b.Outcome != data.Open && !b.Gone && (!existed || prev.Outcome == data.Open && !prev.Gone):
			f.arrive(existed, cents(b))
			if b.Outcome == data.Won {
				f.Won += cents(b)
			} else {
				f.Lost += cents(b)
			}
		}
		prev, existed, in = b, true, inB
	}
	if in {
		f.End += cents(prev)
	}
	if pushed {
		push.Pushes = Pushes(tl, cut)
	}
	return push, pushed
}

func (f *Flow) change(d Cents) {
	if d > 0 {
		f.Increased += d
	} else {
		f.Decreased -= d
	}
}

func (f *Flow) arrive(existed bool, c Cents) {
	if existed {
		f.PulledIn += c
	} else {
		f.Created += c
	}
}

// Pushes counts the times, up to cut, that a deal's expected close date
// moved into a later month.
func Pushes(tl *data.Timeline, cut civil.Date) int {
	n := 0
	for i := 1; i < len(tl.States) && tl.States[i].From <= cut; i++ {
		a, b := tl.States[i-1], tl.States[i]
		if a.Outcome == data.Open && b.Outcome == data.Open && a.Close.Valid() && b.Close.Valid() && monthOf(b.Close) > monthOf(a.Close) {
			n++
		}
	}
	return n
}

func monthOf(d civil.Date) int {
	y, m, _ := d.YMD()
	return y*12 + int(m)
}

// StageEntered is the day the deal entered the stage it is in at day d
// (the first day of the run of states with that stage up to d).
func StageEntered(tl *data.Timeline, d civil.Date) civil.Date {
	i, _ := slices.BinarySearchFunc(tl.States, d+1, func(s data.DealState, x civil.Date) int { return cmp.Compare(s.From, x) })
	if i == 0 {
		return civil.None
	}
	i--
	stage := tl.States[i].Stage
	for i > 0 && tl.States[i-1].Stage == stage {
		i--
	}
	return tl.States[i].From
}

// LastChange is the day of the deal's last recorded change on or before d.
func LastChange(tl *data.Timeline, d civil.Date) civil.Date {
	s, ok := tl.At(d)
	if !ok {
		return civil.None
	}
	return s.From
}
