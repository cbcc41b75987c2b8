package report

import (
	"testing"

	"github.com/coachbook/coachbook/site/civil"
)

func TestJudge(t *testing.T) {
	for _, c := range []struct {
		status                  string
		checkable, reached, due bool
		want                    CommitVerdict
		counted, kept           bool
	}{
		// With a metric the data decides.
		{"", true, true, true, Kept, true, true},
		{"", true, false, true, Missed, true, false},
		{"", true, true, false, Kept, true, true}, // reached before the due date
		{"", true, false, false, Open, false, false},
		{"done", true, true, true, Kept, true, true},
		{"done", true, false, true, Contradicted, true, false}, // marked done, 3 of 6
		{"missed", true, true, true, Contradicted, true, true}, // marked missed, the CRM says done
		{"done", true, false, false, Contradicted, false, false},
		{"missed", true, false, false, Missed, true, false},
		{"dropped", true, true, true, Dropped, false, false},
		// Without one the manager's status decides, and a due one without
		// a status is asked about.
		{"", false, false, true, Ask, false, false},
		{"", false, false, false, Open, false, false},
		{"done", false, false, true, Kept, true, true},
		{"missed", false, false, false, Missed, true, false},
		{"dropped", false, false, true, Dropped, false, false},
	} {
		got := JudgeCommitment(c.status, c.checkable, c.reached, c.due)
		counted, kept := Outcome(got, c.checkable, c.reached, c.due)
		if got != c.want || counted != c.counted || kept != c.kept {
			t.Errorf("JudgeCommitment(%q, checkable %v, reached %v, due %v) = %s (counted %v, kept %v), want %s (%v, %v)",
				c.status, c.checkable, c.reached, c.due, got, counted, kept, c.want, c.counted, c.kept)
		}
	}
}

func TestDefaultDue(t *testing.T) {
	d := func(s string) civil.Date {
		x, err := civil.Parse(s)
		if err != nil {
			t.Fatal(err)
		}
		return x
	}
	for _, c := range []struct{ kind, date, want string }{
		{"weekly", "2026-11-10", "2026-11-16"},
		{"ride-along", "2026-11-09", "2026-11-15"},
		{"one-on-one", "2026-10-15", "2026-11-14"},
		{"monthly", "2026-01-31", "2026-02-28"}, // no 31 February: its last day
		{"monthly", "2026-12-20", "2027-01-19"},
		{"quarterly", "2026-10-09", "2027-01-08"},
	} {
		if got := DefaultDue(c.kind, d(c.date)); got != d(c.want) {
			t.Errorf("DefaultDue(%s, %s) = %s, want %s", c.kind, c.date, got, c.want)
		}
	}
}

func TestFollowThrough(t *testing.T) {
	due := civil.New(2026, 11, 16)
	cv := func(v CommitVerdict, counted, kept bool, days int) Judged {
		return Judged{Verdict: v, Counted: counted, Success: kept, Due: due.AddDays(days)}
	}
	cs := []Judged{
		cv(Kept, true, true, 0), cv(Missed, true, false, 0), cv(Contradicted, true, true, 1), cv(Ask, false, false, 0),
		cv(Dropped, false, false, 0), cv(Open, false, false, 7), cv(Kept, true, true, -30),
	}
	s := FollowThrough(cs, due, due.AddDays(6))
	if s.Kept != 2 || s.Missed != 1 || s.Ask != 1 || s.Dropped != 1 || s.Open != 0 || !s.OK || s.V != 2.0/3 {
		t.Errorf("FollowThrough = %+v, want 2 kept of 3, 1 ask, 1 dropped", s)
	}
	if s := FollowThrough(cs, due.AddDays(7), due.AddDays(7)); s.OK || s.Open != 1 {
		t.Errorf("only an open commitment: %+v, want no share", s)
	}
	for _, c := range []struct {
		before, now float64
		want        string
	}{{0.5, 0.8, "up"}, {0.8, 0.5, "down"}, {0.8, 0.75, "steady"}} {
		if got := Trend(Share{V: c.before, OK: true}, Share{V: c.now, OK: true}); got != c.want {
			t.Errorf("Trend(%v, %v) = %q, want %q", c.before, c.now, got, c.want)
		}
	}
	if got := Trend(Share{}, Share{V: 1, OK: true}); got != "" {
		t.Errorf("Trend with an unknown share = %q", got)
	}
}
