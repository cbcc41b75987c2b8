package report

import (
	"testing"
	"time"

	"github.com/coachbook/coachbook/site/civil"
)

func d(s string) civil.Date {
	x, err := civil.Parse(s)
	if err != nil {
		panic(err)
	}
	return x
}

func TestISOWeeks(t *testing.T) {
	cal := Calendar{WeekStart: time.Monday, FYStart: 1}
	for day, want := range map[string]string{
		"2026-11-19": "2026-W47", "2026-11-16": "2026-W47", "2026-11-22": "2026-W47",
		"2026-12-31": "2026-W53", "2027-01-03": "2026-W53", "2027-01-04": "2027-W01", // a 53-week year
		"2024-12-30": "2025-W01", "2021-01-03": "2020-W53", "2026-01-01": "2026-W01", "2025-12-29": "2026-W01",
	} {
		p := cal.Of(Week, d(day))
		if p.ID != want {
			t.Errorf("%s: %s, want %s", day, p.ID, want)
		}
		// Cross-check against the standard library's ISO weeks.
		y, w := d(day).Time().ISOWeek()
		if got := p.ID; got[:4] != itoa4(y) || got[6:] != two(w) {
			t.Errorf("%s: %s disagrees with time.ISOWeek %d-W%02d", day, got, y, w)
		}
	}
	p := cal.Of(Week, d("2026-11-19"))
	if p.Start.String() != "2026-11-16" || p.End.String() != "2026-11-22" || p.Label() != "Week 47 · 16–22 Nov 2026" {
		t.Errorf("%+v %q", p, p.Label())
	}
	// Every day of several years maps to the ISO week time.ISOWeek gives.
	for x := d("2019-12-20"); x < d("2032-01-10"); x++ {
		y, w := x.Time().ISOWeek()
		if p := cal.Of(Week, x); p.ID[:4] != itoa4(y) || p.ID[6:] != two(w) || !p.Contains(x) {
			t.Fatalf("%s: %s vs %d-W%02d", x, p.ID, y, w)
		}
	}
}

func itoa4(n int) string { return time.Date(n, 1, 1, 0, 0, 0, 0, time.UTC).Format("2006") }
func two(n int) string {
	if n < 10 {
		return "0" + string(rune('0'+n))
	}
	return string(rune('0'+n/10)) + string(rune('0'+n%10))
}

func TestSundayWeeks(t *testing.T) {
	cal := Calendar{WeekStart: time.Sunday, FYStart: 1}
	p := cal.Of(Week, d("2026-11-19"))
	if p.Start.String() != "2026-11-15" || p.End.String() != "2026-11-21" || p.ID != "2026-W46" {
		t.Errorf("%+v", p)
	}
	// The week of 2025-12-28 (Sunday) has its Wednesday on 2025-12-31: week 53 of 2025.
	if p := cal.Of(Week, d("2026-01-01")); p.ID != "2025-W53" || p.Start.String() != "2025-12-28" {
		t.Errorf("%+v", p)
	}
	if p := cal.Of(Week, d("2026-01-04")); p.ID != "2026-W01" {
		t.Errorf("%+v", p)
	}
}

func TestMonthsAndQuarters(t *testing.T) {
	cal := Calendar{WeekStart: time.Monday, FYStart: 1}
	if p := cal.Of(Month, d("2026-02-14")); p.ID != "2026-02" || p.End.String() != "2026-02-28" {
		t.Errorf("%+v", p)
	}
	if p := cal.Of(Quarter, d("2026-11-19")); p.ID != "2026-Q4" || p.Start.String() != "2026-10-01" || p.End.String() != "2026-12-31" {
		t.Errorf("%+v", p)
	}
	feb := Calendar{WeekStart: time.Monday, FYStart: 2}
	for day, want := range map[string]string{
		"2026-02-01": "2027-Q1 2026-02-01 2026-04-30", "2026-01-31": "2026-Q4 2025-11-01 2026-01-31",
		"2026-11-19": "2027-Q4 2026-11-01 2027-01-31", "2026-12-31": "2027-Q4 2026-11-01 2027-01-31",
	} {
		p := feb.Of(Quarter, d(day))
		if got := p.ID + " " + p.Start.String() + " " + p.End.String(); got != want {
			t.Errorf("FY from February, %s: %s, want %s", day, got, want)
		}
	}
	if start, name := feb.FiscalYear(d("2026-11-19")); start.String() != "2026-02-01" || name != "FY2027" {
		t.Errorf("fiscal year %s %s", start, name)
	}
	if got := len(cal.Range(Week, d("2026-01-01"), d("2026-12-31"))); got != 53 {
		t.Errorf("2026 has 53 ISO weeks touching it, got %d", got)
	}
	if got := cal.Range(Quarter, d("2026-03-31"), d("2026-04-01")); len(got) != 2 || got[1].ID != "2026-Q2" {
		t.Errorf("%+v", got)
	}
}
