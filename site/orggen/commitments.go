package orggen

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"time"
)

// dayIndex is a day's index in the counts of each rep.
func (g *gen) dayIndex(day time.Time) int { return int(day.Sub(g.start).Hours() / 24) }

// count sums a rep's activities of type i (0 calls, 1 meetings_set, 2
// meetings_held, 3 proposals) over the days [from, to], up to the last day
// of data.
func (g *gen) count(rep string, i int, from, to time.Time) int {
	n := 0
	for d := from; !d.After(to) && !d.After(g.end); d = d.AddDate(0, 0, 1) {
		if d.Before(g.start) {
			continue
		}
		n += int(g.counts[rep][g.dayIndex(d)][i])
	}
	return n
}

// Things reps commit to that no export can check: the manager asks.
var askable = []string{
	"Ask %s for an introduction to their CFO",
	"Follow up with %s on the security review",
	"Put a dated next step on every deal in Proposal",
	"Block two prospecting mornings in the calendar",
	"Draft the mutual action plan for %s",
	"Send %s the customer story from the Friday team meeting",
}

// commitments writes commitments.csv: what each rep committed to at the end
// of the coaching meetings in the log. Managers who hold the rhythm well also
// write commitments down more often. Commitments naming a metric use the
// team's weekly expectations, so whether they were kept is up to the data.
// The first rep's last completed week has the three commitments the README
// walks through: two the data can check, one to ask about.
//
// It draws from its own random source, so the other files do not change
// with it.
func (g *gen) commitments() error {
	w, done, err := g.create("commitments.csv")
	if err != nil {
		return err
	}
	r := rand.New(rand.NewPCG(g.seed, 0xc033))
	w.WriteString("date,rep,manager,kind,text,metric,number,due,status\n")
	byID := map[string]rep{}
	habit := map[string]float64{}
	for i, m := range g.managers {
		habit[m] = []float64{0.9, 0.7, 0.45}[i%3]
	}
	for _, x := range g.reps {
		byID[x.id] = x
	}
	// The last completed week starts on the Monday a week before the
	// week of the last day of data.
	lastWeek := g.end.AddDate(0, 0, -((int(g.end.Weekday())+6)%7)-7)
	row := func(m meeting, text, metric string, number float64, status string) {
		num := ""
		if metric != "" {
			num = fmt.Sprintf("%.0f", number)
		}
		fmt.Fprintf(w, "%s,%s,%s,%s,%s,%s,%s,,%s\n", m.day.Format("2006-01-02"), m.rep, byID[m.rep].manager, m.kind, csvQuote(text), metric, num, status)
	}
	for _, m := range g.meetings {
		x := byID[m.rep]
		if m.kind == "ride-along" {
			continue
		}
		due := m.day.AddDate(0, 0, 6)
		if m.kind != "weekly" {
			due = m.day.AddDate(0, 1, -1)
		}
		past := due.Before(g.end)
		account := accounts[r.IntN(len(accounts))]
		// status is what the manager wrote on a commitment only they can
		// judge: done, missed, or nothing yet (ask).
		status := func() string {
			if !past {
				return ""
			}
			switch f := r.Float64(); {
			case f < 0.62:
				return "done"
			case f < 0.8:
				return "missed"
			case f < 0.84:
				return "dropped"
			}
			return ""
		}
		if g.reps[0].id == m.rep && m.kind == "weekly" && !m.day.Before(lastWeek) && m.day.Before(lastWeek.AddDate(0, 0, 7)) {
			// The README's example: one commitment kept, one missed, one
			// to ask about.
			set := min(6, g.count(m.rep, 1, m.day, due))
			row(m, fmt.Sprintf("Set %d first meetings", set), "activity.meetings_set", float64(set), "")
			sent := max(2, g.count(m.rep, 3, m.day, due)+1)
			row(m, fmt.Sprintf("Send %d proposals", sent), "activity.proposals", float64(sent), "")
			row(m, fmt.Sprintf(askable[0], "Globex"), "", 0, "")
			continue
		}
		if r.Float64() > habit[x.manager] {
			continue // the meeting ended without a written commitment
		}
		switch m.kind {
		case "weekly":
			target := 6.0
			if x.p.meetings > 0 {
				target = float64(x.p.meetings)
			}
			row(m, fmt.Sprintf("Set %.0f first meetings", target), "activity.meetings_set", target, "")
			if r.Float64() < 0.5 {
				row(m, "Make 40 calls", "activity.calls", 40, "")
			} else if r.Float64() < 0.3 {
				// A manager's tick the data may not bear out.
				row(m, "Send 2 proposals", "activity.proposals", 2, []string{"", "done"}[r.IntN(2)])
			}
			if r.Float64() < 0.6 {
				row(m, askText(r, account), "", 0, status())
			}
		case "one-on-one":
			amount := math.Round(x.quotaQ/3/5000) * 5000 // a month's quota, created
			row(m, fmt.Sprintf("Create $%s of new pipeline", thousands(amount)), "pipeline.created", amount, "")
			row(m, "Agree a close plan with "+account, "", 0, status())
		case "monthly":
			row(m, "Put a real close date on every deal past due", "", 0, status())
		case "quarterly":
			row(m, "Run a joint account plan with "+account, "", 0, status())
		}
	}
	return done()
}

func askText(r *rand.Rand, account string) string {
	t := askable[r.IntN(len(askable))]
	if strings.Contains(t, "%s") {
		return fmt.Sprintf(t, account)
	}
	return t
}

// thousands writes 45000 as 45,000.
func thousands(v float64) string {
	s := fmt.Sprintf("%.0f", v)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// csvQuote quotes a value that holds a comma or a quote.
func csvQuote(s string) string {
	if strings.ContainsAny(s, ",\"") {
		return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
	}
	return s
}
