package report

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/coachbook/coachbook/site/civil"
	"github.com/coachbook/coachbook/site/config"
)

// Cadence is the length of a report period.
type Cadence int

// Report cadences.
const (
	Week Cadence = iota
	Month
	Quarter
)

// Cadences lists every cadence, shortest first.
var Cadences = []Cadence{Week, Month, Quarter}

func (c Cadence) String() string { return [...]string{"week", "month", "quarter"}[c] }

// Period is one week, month or fiscal quarter; Start and End are inclusive.
type Period struct {
	Cadence Cadence
	ID      string // 2026-W47, 2026-11, 2026-Q4
	Start   civil.Date
	End     civil.Date
}

// Days is the number of days in the period.
func (p Period) Days() int { return int(p.End-p.Start) + 1 }

// Contains reports whether d falls in the period.
func (p Period) Contains(d civil.Date) bool { return d >= p.Start && d <= p.End }

// Calendar turns dates into periods.
//
// Weeks start on Monday (ISO 8601) or Sunday. A week belongs to the year in
// which its fourth day falls, and week 1 is the first week whose fourth day
// is in the year: for Monday weeks these are exactly ISO weeks (2026-W53
// exists; 2027-01-01 is in 2026-W53). Fiscal quarters count from the month
// fiscal_year_start; a fiscal year is named after the calendar year in which
// it ends, so with a February start, February 2026 is in 2027-Q1.
type Calendar struct {
	WeekStart time.Weekday
	FYStart   int // 1-12
}

// NewCalendar reads the [calendar] settings.
func NewCalendar(c config.Calendar) Calendar {
	cal := Calendar{WeekStart: time.Monday, FYStart: c.FiscalYearStart}
	if c.WeekStart == "sunday" {
		cal.WeekStart = time.Sunday
	}
	if cal.FYStart < 1 || cal.FYStart > 12 {
		cal.FYStart = 1
	}
	return cal
}

// Of returns the period of cadence c that contains d.
func (cal Calendar) Of(c Cadence, d civil.Date) Period {
	switch c {
	case Week:
		return cal.week(d)
	case Month:
		y, m, _ := d.YMD()
		start := civil.New(y, m, 1)
		return Period{Cadence: Month, ID: fmt.Sprintf("%04d-%02d", y, m), Start: start, End: civil.New(y, m+1, 1) - 1}
	default:
		return cal.quarter(d)
	}
}

func (cal Calendar) week(d civil.Date) Period {
	back := (int(d.Weekday()) - int(cal.WeekStart) + 7) % 7
	start := d - civil.Date(back)
	year, _, _ := (start + 3).YMD()
	// The first week of the year is the one whose fourth day is in it.
	jan4 := civil.New(year, 1, 4)
	first := jan4 - civil.Date((int(jan4.Weekday())-int(cal.WeekStart)+7)%7)
	if (first + 3).String()[:4] != strconv.Itoa(year) {
		first += 7
	}
	n := int(start-first)/7 + 1
	return Period{Cadence: Week, ID: fmt.Sprintf("%04d-W%02d", year, n), Start: start, End: start + 6}
}

func (cal Calendar) quarter(d civil.Date) Period {
	y, m, _ := d.YMD()
	offset := (int(m) - cal.FYStart + 12) % 12 // months since the fiscal year began
	q := offset/3 + 1
	startMonth := time.Month(int(m) - offset%3)
	start := civil.New(y, startMonth, 1)
	fy := y
	if cal.FYStart != 1 && int(m) >= cal.FYStart {
		fy = y + 1
	}
	sy, sm, _ := start.YMD()
	return Period{Cadence: Quarter, ID: fmt.Sprintf("%04d-Q%d", fy, q), Start: start, End: civil.New(sy, sm+3, 1) - 1}
}

// Range returns the periods of cadence c that overlap [from, to], in order.
func (cal Calendar) Range(c Cadence, from, to civil.Date) []Period {
	var out []Period
	if !from.Valid() || !to.Valid() || to < from {
		return nil
	}
	for p := cal.Of(c, from); p.Start <= to; p = cal.Of(c, p.End+1) {
		out = append(out, p)
	}
	return out
}

// Prev returns the period before p.
func (cal Calendar) Prev(p Period) Period { return cal.Of(p.Cadence, p.Start-1) }

// FiscalYear returns the fiscal year containing d: its first day and name.
func (cal Calendar) FiscalYear(d civil.Date) (civil.Date, string) {
	q := cal.quarter(d)
	y, m, _ := d.YMD()
	offset := (int(m) - cal.FYStart + 12) % 12
	start := civil.New(y, m-time.Month(offset), 1)
	return start, "FY" + q.ID[:4]
}

// Label describes a period for people: "Week 47 · 16–22 Nov 2026",
// "November 2026", "2026-Q4 · Oct–Dec 2026" (a fiscal quarter is named by
// its ID everywhere: the fiscal year it belongs to, then Q1 to Q4).
func (p Period) Label() string {
	st, en := p.Start.Time(), p.End.Time()
	switch p.Cadence {
	case Week:
		n := strings.TrimLeft(p.ID[6:], "0")
		if st.Month() == en.Month() {
			return fmt.Sprintf("Week %s · %d–%d %s %d", n, st.Day(), en.Day(), en.Format("Jan"), en.Year())
		}
		return fmt.Sprintf("Week %s · %d %s – %d %s %d", n, st.Day(), st.Format("Jan"), en.Day(), en.Format("Jan"), en.Year())
	case Month:
		return st.Format("January 2006")
	}
	return fmt.Sprintf("%s · %s–%s %d", p.ID, st.Format("Jan"), en.Format("Jan"), en.Year())
}

// Short is a compact label for charts and tables: "W47", "Nov", "Q4".
func (p Period) Short() string {
	switch p.Cadence {
	case Week:
		return "W" + strings.TrimLeft(p.ID[6:], "0")
	case Month:
		return p.Start.Time().Format("Jan")
	}
	return p.ID[5:]
}
