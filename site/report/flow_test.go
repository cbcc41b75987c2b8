package report

import (
	"math/rand/v2"
	"testing"

	"github.com/coachbook/coachbook/site/civil"
	"github.com/coachbook/coachbook/site/data"
)

// TestFlowAlwaysBalances draws random deal histories — stage, amount and
// close-date changes, wins, losses, deals that vanish and come back — and
// checks the flow identity for every month they touch, to the cent.
func TestFlowAlwaysBalances(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	base := civil.New(2026, 1, 1)
	cal := Calendar{FYStart: 1}
	for trial := range 200 {
		var deals []data.Timeline
		for range 1 + r.IntN(20) {
			day := base + civil.Date(r.IntN(200))
			tl := data.Timeline{Created: day}
			for range 1 + r.IntN(8) {
				s := data.DealState{From: day, Amount: float64(r.IntN(1000000)) / 100, HasAmount: r.IntN(10) > 0,
					Close: day + civil.Date(r.IntN(120)-20), Outcome: data.Outcome(r.IntN(3))}
				if r.IntN(8) == 0 {
					s.Outcome, s.Gone = data.Lost, true
				}
				if r.IntN(10) == 0 {
					s.Close = civil.None
				}
				tl.States = append(tl.States, s)
				day += civil.Date(1 + r.IntN(40))
			}
			deals = append(deals, tl)
		}
		for _, p := range cal.Range(Month, base, base+300) {
			cut := p.End - civil.Date(r.IntN(3)*10)
			var f Flow
			for i := range deals {
				DealFlow(&deals[i], p.Start, p.End, cut, &f)
			}
			if !f.Balanced() {
				t.Fatalf("trial %d, %s: the flow does not add up: %+v", trial, p.ID, f)
			}
		}
	}
}

// TestDealFlowSteps checks each kind of step on one deal.
func TestDealFlowSteps(t *testing.T) {
	d := civil.New
	oct, octEnd := d(2026, 10, 1), d(2026, 10, 31)
	st := func(from civil.Date, amount float64, close civil.Date, o data.Outcome) data.DealState {
		return data.DealState{From: from, Amount: amount, HasAmount: true, Close: close, Outcome: o}
	}
	cases := []struct {
		name   string
		states []data.DealState
		want   Flow
		pushes int
	}{
		// Created expecting November, won in October: pulled in by the win.
		{"created elsewhere, won early", []data.DealState{st(d(2026, 10, 2), 100, d(2026, 11, 20), data.Open), st(d(2026, 10, 9), 120, d(2026, 10, 9), data.Won)},
			Flow{PulledIn: 12000, Won: 12000}, -1},
		{"created and won", []data.DealState{st(d(2026, 10, 2), 100, d(2026, 10, 20), data.Open), st(d(2026, 10, 9), 120, d(2026, 10, 9), data.Won)},
			Flow{Created: 10000, Increased: 2000, Won: 12000}, -1},
		{"pushed twice", []data.DealState{st(d(2026, 9, 1), 100, d(2026, 10, 10), data.Open), st(d(2026, 10, 8), 100, d(2026, 11, 10), data.Open), st(d(2026, 10, 20), 100, d(2026, 12, 10), data.Open)},
			Flow{Start: 10000, PushedOut: 10000}, 2},
		{"pulled in and shrunk", []data.DealState{st(d(2026, 9, 1), 100, d(2026, 12, 1), data.Open), st(d(2026, 10, 3), 100, d(2026, 10, 30), data.Open), st(d(2026, 10, 4), 60.5, d(2026, 10, 30), data.Open)},
			Flow{PulledIn: 10000, Decreased: 3950, End: 6050}, -1},
		{"lost at a lower amount", []data.DealState{st(d(2026, 9, 1), 100, d(2026, 10, 10), data.Open), st(d(2026, 10, 12), 80, d(2026, 10, 12), data.Lost)},
			Flow{Start: 10000, Lost: 10000}, -1},
	}
	for _, c := range cases {
		tl := &data.Timeline{Created: c.states[0].From, States: c.states}
		var f Flow
		mv, pushed := DealFlow(tl, oct, octEnd, octEnd, &f)
		if f != c.want {
			t.Errorf("%s: flow %+v, want %+v", c.name, f, c.want)
		}
		if pushed != (c.pushes >= 0) || (pushed && mv.Pushes != c.pushes) {
			t.Errorf("%s: pushed %v (%d times), want %d", c.name, pushed, mv.Pushes, c.pushes)
		}
	}
}
