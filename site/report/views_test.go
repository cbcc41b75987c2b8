package report

import (
	"encoding/json"
	"flag"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/coachbook/coachbook/site/civil"
	"github.com/coachbook/coachbook/site/config"
	"github.com/coachbook/coachbook/site/data"
	"github.com/coachbook/coachbook/site/internal/goldentest"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata")

// exampleModel is the report model of the example site at the root of the
// repository, cut off on its own as_of.
func exampleModel(t *testing.T) *Model {
	t.Helper()
	site := os.DirFS("../..")
	cfg, diags := config.Load(site)
	if diags.Fatal() {
		t.Fatal(diags.Err())
	}
	d, diags := data.Load(site, cfg)
	if diags.Fatal() {
		t.Fatal(diags.Err())
	}
	return NewModel(cfg, d, AsOf(cfg, d, civil.Date(0)))
}

// golden compares v, as indented JSON, with testdata/name.json, or writes
// it there with -update; a difference prints where the two part.
func golden(t *testing.T, name string, v any) {
	t.Helper()
	got, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	goldentest.Check(t, filepath.Join("testdata", name+".json"), append(got, '\n'), *update)
}

// The views of one rep (jdoe) and their team and manager on the example,
// each checked in full against a golden file: a week in progress and a
// complete one, the month in progress and the one before (with pipeline
// history), the quarter in progress, the team's month and the manager's
// cadence page.
func TestViewsGolden(t *testing.T) {
	m := exampleModel(t)
	rep := m.Data.Team.Reps[m.Data.Team.Rep("jdoe")]
	p := func(c Cadence, id string) Period {
		for _, x := range m.Periods(rep, c) {
			if x.ID == id {
				return x
			}
		}
		t.Fatalf("no %s %s", c, id)
		return Period{}
	}
	golden(t, "week-in-progress", m.Week(rep, p(Week, "2026-W47")))
	golden(t, "week-complete", m.Week(rep, p(Week, "2026-W46")))
	golden(t, "month-in-progress", m.Month(rep, p(Month, "2026-11")))
	golden(t, "month-complete", m.Month(rep, p(Month, "2026-10")))
	golden(t, "quarter-in-progress", m.Quarter(rep, p(Quarter, "2026-Q4")))
	var rows []TeamRow
	month := p(Month, "2026-11")
	for _, r := range m.Data.Team.Reps {
		if r.Team == rep.Team {
			_, _, row := m.repView(r, month)
			rows = append(rows, row)
		}
	}
	golden(t, "team-month", m.Team(rep.Team, month, rows))
	golden(t, "manager", m.Manager(m.Data.Team.Managers[m.Data.Team.Manager(rep.Manager)]))
}

// Pace judges won against the share of the quota the days gone call for:
// 94% of a quarter's quota with 50 of its 92 days gone is on track, and
// the same won with every day gone (a rep who left) is close.
func TestPaceCountsTheDaysGone(t *testing.T) {
	m := exampleModel(t)
	rep := *m.Data.Team.Reps[m.Data.Team.Rep("lnovak")]
	q := m.Cal.Of(Quarter, m.AsOf)
	if v := m.pace(&rep, q, 0.94*90000, 90000); !v.OK || v.Verdict != OnTrack || math.Abs(v.V-0.94*92/50) > 1e-9 {
		t.Errorf("pace %v %v, want on track at %.3f", v.V, v.Verdict, 0.94*92/50)
	}
	rep.End = m.AsOf
	if v := m.pace(&rep, q, 0.94*90000, 90000); v.Verdict != Close {
		t.Errorf("a rep whose last day was the cut-off: pace %v %v, want close", v.V, v.Verdict)
	}
}

// A team of fewer than five reps has no "top 20%": its revenue
// concentration is not judged, and says why; at five reps it is.
func TestConcentrationNeedsFiveReps(t *testing.T) {
	m := exampleModel(t)
	rep := m.Data.Team.Reps[m.Data.Team.Rep("jdoe")]
	var month Period
	for _, x := range m.Periods(rep, Quarter) {
		if x.ID == "2026-Q3" {
			month = x
		}
	}
	var rows []TeamRow
	for _, r := range m.Data.Team.Reps {
		if r.Team == rep.Team {
			_, _, row := m.repView(r, month)
			rows = append(rows, row)
		}
	}
	if len(rows) >= MinTopReps || len(rows) < 2 {
		t.Fatalf("the example's team has %d reps; the test needs 2 to %d", len(rows), MinTopReps-1)
	}
	small := m.Team(rep.Team, month, rows)
	if small.Concentration.OK || small.Concentration.Why.Key != "why.few_reps" {
		t.Errorf("a team of %d reps: concentration OK=%v, why %q; want not judged for few reps", len(rows), small.Concentration.OK, small.Concentration.Why.Key)
	}
	for len(rows) < MinTopReps {
		rows = append(rows, rows[0])
	}
	five := m.Team(rep.Team, month, rows)
	if five.Won.Count >= MinDeals && !five.Concentration.OK {
		t.Errorf("a team of %d reps with %d deals won: concentration not judged (%q)", len(rows), five.Won.Count, five.Concentration.Why.Key)
	}
	if five.Won.Count < MinDeals {
		t.Fatalf("the team won %d deals in %s; the test needs %d", five.Won.Count, month.ID, MinDeals)
	}
}
