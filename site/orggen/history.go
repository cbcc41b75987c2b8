package orggen

import (
	"cmp"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// Pipeline history: every deal's path to the state the opportunities export
// shows — the stages it went through, its close date pushed (a slip) or
// pulled in, its amount grown or shrunk, and, for a rep who stopped working
// the pipeline, long quiet spells (a stall). It is written as a change log
// (data/history.csv, one row per change, blank where a field did not
// change) or as weekly whole-pipeline snapshots (data/snapshots/), which
// describe the same history.

// History says how the pipeline history is written.
type History string

// Ways to write the pipeline history.
const (
	HistoryLog       History = "log"       // data/history.csv
	HistorySnapshots History = "snapshots" // data/snapshots/<date>.csv, one a week
	HistoryNone      History = "none"
)

// Options shape a generated org.
type Options struct {
	Reps, Months int
	AsOf         time.Time
	Seed         uint64
	History      History // default HistoryLog
}

// GenerateWith is Generate with every option.
func GenerateWith(out string, o Options) error {
	g := &gen{r: rand.New(rand.NewPCG(o.Seed, 0x5eed)), end: o.AsOf, start: o.AsOf.AddDate(0, -o.Months, 0), out: out, seed: o.Seed, history: o.History}
	if g.history == "" {
		g.history = HistoryLog
	}
	return g.run(o.Reps)
}

// change is one change of a deal; empty fields did not change.
type change struct {
	day                     time.Time
	stage, amount, closeDay string
	category                string
}

// path is one deal's history, oldest change first.
type path struct {
	id, rep, account, name, created string
	changes                         []change
}

// final is a deal as the opportunities export shows it.
type final struct {
	id, rep, account, name, stage, category, amount, closeDay string
	created, cls, changed                                     time.Time
	won, lost, stale                                          bool
}

func categoryOf(stage string) string {
	switch stage {
	case "Negotiation":
		return "Commit"
	case "Proposal":
		return "Best Case"
	}
	return "Pipeline"
}

// dealPath makes a deal's history end in its final state. Its own random
// source (seeded by the deal id) keeps the other files unchanged.
func (g *gen) dealPath(f final, n int) path {
	r := rand.New(rand.NewPCG(g.seed, uint64(n)))
	p := path{id: f.id, rep: f.rep, account: f.account, name: f.name, created: f.created.Format("2006-01-02")}
	closed := f.won || f.lost
	// The last day of the deal's path before its close (or the cut-off).
	last := g.end
	if closed {
		last = f.cls.AddDate(0, 0, -1)
	}
	if f.stale && !closed {
		last = f.changed
	}
	if last.Before(f.created) {
		last = f.created
	}
	span := max(1, int(last.Sub(f.created).Hours()/24))
	day := func(frac float64) time.Time {
		return f.created.AddDate(0, 0, min(span, max(0, int(frac*float64(span)))))
	}
	entered := g.stagesEntered(r, f, day)
	closes, moved := closeDates(r, f, last, day)
	amounts, resized := amountPath(r, f, day)

	// The changes, then merged by day.
	fmtDay := func(t time.Time) string { return t.Format("2006-01-02") }
	first := change{day: f.created, stage: openStages[0], amount: amounts[0], category: categoryOf(openStages[0])}
	if f.closeDay != "" {
		first.closeDay = fmtDay(closes[0])
	}
	cs := []change{first}
	for i := 1; i < len(entered); i++ {
		cs = append(cs, change{day: entered[i], stage: openStages[i], category: categoryOf(openStages[i])})
	}
	for i, at := range moved {
		cs = append(cs, change{day: at, closeDay: fmtDay(closes[i+1])})
	}
	if len(amounts) > 1 {
		cs = append(cs, change{day: resized, amount: amounts[1]})
	}
	if closed {
		c := change{day: f.cls, stage: f.stage, category: f.category, closeDay: f.closeDay}
		if f.won {
			c.amount = f.amount
		}
		cs = append(cs, c)
	} else if f.category != categoryOf(f.stage) {
		cs = append(cs, change{day: cs[len(cs)-1].day, category: f.category})
	}
	slices.SortStableFunc(cs, func(a, b change) int { return a.day.Compare(b.day) })
	for _, c := range cs {
		n := len(p.changes)
		if n > 0 && p.changes[n-1].day.Equal(c.day) {
			m := &p.changes[n-1]
			m.stage, m.amount, m.closeDay, m.category = cmp.Or(c.stage, m.stage), cmp.Or(c.amount, m.amount), cmp.Or(c.closeDay, m.closeDay), cmp.Or(c.category, m.category)
			continue
		}
		p.changes = append(p.changes, c)
	}
	return p
}

// stagesEntered draws the day the deal entered each open stage, from its
// first up to its final one (open), Negotiation (won) or any (lost).
func (g *gen) stagesEntered(r *rand.Rand, f final, day func(float64) time.Time) []time.Time {
	closed := f.won || f.lost
	top := slices.Index(openStages, f.stage)
	switch {
	case f.won:
		top = len(openStages) - 1
	case f.lost:
		top = r.IntN(len(openStages))
	case top < 0:
		top = 0
	}
	entered := make([]time.Time, top+1)
	entered[0] = f.created
	for i := 1; i <= top; i++ {
		entered[i] = day(float64(i) / float64(top+1) * (0.7 + 0.3*r.Float64()))
		if entered[i].Before(entered[i-1]) {
			entered[i] = entered[i-1]
		}
	}
	if !closed && top > 0 && f.changed.After(entered[top-1]) && !f.changed.After(g.end) {
		entered[top] = f.changed // the export says when it entered its stage
	}
	return entered
}

// closeDates draws the deal's expected close dates, oldest first, and the
// days each was moved to the next: pushed a few times (a slip), or
// pulled in.
func closeDates(r *rand.Rand, f final, last time.Time, day func(float64) time.Time) (closes, moved []time.Time) {
	finalClose, _ := time.Parse("2006-01-02", f.closeDay)
	pushes := 0
	if f.closeDay != "" {
		switch x := r.Float64(); {
		case x < 0.07:
			pushes = 3
		case x < 0.15:
			pushes = 2
		case x < 0.35:
			pushes = 1
		case x < 0.5:
			pushes = -1 // pulled in: first expected later
		}
	}
	closes = []time.Time{finalClose}
	for i := 0; i < pushes; i++ {
		closes = append([]time.Time{closes[0].AddDate(0, 0, -(20 + r.IntN(25)))}, closes...)
	}
	if pushes < 0 {
		closes = []time.Time{finalClose.AddDate(0, 0, 20+r.IntN(30)), finalClose}
	}
	for i := 1; i < len(closes); i++ {
		// A push is made near the date it gives up on.
		at := closes[i-1].AddDate(0, 0, -r.IntN(6))
		if pushes < 0 {
			at = day(0.5 + 0.4*r.Float64())
		}
		if at.After(last) {
			at = last
		}
		if !at.After(f.created) || (len(moved) > 0 && !at.After(moved[len(moved)-1])) {
			closes = closes[i:] // too early to move: it was expected then already
			moved = nil
			i = 0
			continue
		}
		moved = append(moved, at)
	}
	return closes, moved
}

// amountPath draws the deal's amounts, first to last: a third of the
// deals were grown or shrunk once, on the day resized.
func amountPath(r *rand.Rand, f final, day func(float64) time.Time) (amounts []string, resized time.Time) {
	amounts = []string{f.amount}
	if f.amount != "" && r.Float64() < 0.33 {
		var v float64
		fmt.Sscan(f.amount, &v)
		first := math.Round(v*(0.7+0.6*r.Float64())/100) * 100
		if first != v && first > 0 {
			amounts = []string{fmt.Sprintf("%.0f", first), f.amount}
			resized = day(0.3 + 0.6*r.Float64())
			if !resized.After(f.created) {
				amounts = amounts[1:]
			}
		}
	}
	return amounts, resized
}

// writeHistory writes the deals' paths as a change log or as snapshots.
func (g *gen) writeHistory() error {
	switch g.history {
	case HistoryLog:
		w, done, err := g.create("history.csv")
		if err != nil {
			return err
		}
		w.WriteString("id,date,stage,amount,close_date,forecast_category\n")
		for _, p := range g.paths {
			category := ""
			for _, c := range p.changes {
				if c.category == category {
					c.category = "" // unchanged
				} else {
					category = c.category
				}
				fmt.Fprintf(w, "%s,%s,%s,%s,%s,%s\n", p.id, c.day.Format("2006-01-02"), c.stage, c.amount, c.closeDay, c.category)
			}
		}
		return done()
	case HistorySnapshots:
		return g.writeSnapshots()
	}
	return nil
}

// writeSnapshots writes a whole-pipeline export every Monday: the deals
// open that day and those closed in the week before it.
func (g *gen) writeSnapshots() error {
	if err := os.MkdirAll(filepath.Join(g.out, "snapshots"), 0o755); err != nil {
		return err
	}
	first := g.start
	for first.Weekday() != time.Monday {
		first = first.AddDate(0, 0, 1)
	}
	var days []time.Time
	for day := first; !day.After(g.end); day = day.AddDate(0, 0, 7) {
		days = append(days, day)
	}
	if !days[len(days)-1].Equal(g.end) {
		days = append(days, g.end) // taken with the current export
	}
	for _, day := range days {
		w, done, err := g.create(filepath.Join("snapshots", day.Format("2006-01-02")+".csv"))
		if err != nil {
			return err
		}
		w.WriteString("id,rep,account,name,stage,amount,created,close_date,forecast_category\n")
		weekAgo := day.AddDate(0, 0, -7)
		for _, p := range g.paths {
			var s change
			seen := false
			for _, c := range p.changes {
				if c.day.After(day) {
					break
				}
				s = change{day: c.day, stage: cmp.Or(c.stage, s.stage), amount: cmp.Or(c.amount, s.amount), closeDay: cmp.Or(c.closeDay, s.closeDay), category: cmp.Or(c.category, s.category)}
				seen = true
			}
			if !seen || (strings.HasPrefix(s.stage, "Closed") && !s.day.After(weekAgo)) {
				continue
			}
			fmt.Fprintf(w, "%s,%s,%s,%s,%s,%s,%s,%s,%s\n", p.id, p.rep, p.account, p.name, s.stage, s.amount, p.created, s.closeDay, s.category)
		}
		if err := done(); err != nil {
			return err
		}
	}
	return nil
}
