// Package civil owns the calendar date used everywhere in coachbook: a day
// with no time of day and no time zone, so that a deal closed on 2026-11-19
// is counted on that day whatever the machine's zone is. A Date is the number
// of days since 1970-01-01, which makes comparisons and "days between" plain
// integer arithmetic on hot paths.
package civil

import (
	"fmt"
	"time"
)

// Date is a civil date, counted in days since 1970-01-01. The zero Date is
// 1970-01-01; use a separate flag (or None) for "no date".
type Date int32

// None marks a missing date. It sorts before every real date.
const None Date = -1 << 31

// New returns the Date for year, month and day; out-of-range values are
// normalised the way time.Date does (month 13 is January of the next year).
func New(year int, month time.Month, day int) Date {
	return Date(time.Date(year, month, day, 0, 0, 0, 0, time.UTC).Unix() / 86400)
}

// FromTime returns the date part of t as read in t's own location.
func FromTime(t time.Time) Date {
	return New(t.Date())
}

// Parse reads an ISO date, 2006-01-02.
func Parse(s string) (Date, error) {
	if len(s) == 10 && s[4] == '-' && s[7] == '-' {
		y, ok1 := digits(s[0:4])
		m, ok2 := digits(s[5:7])
		d, ok3 := digits(s[8:10])
		if ok1 && ok2 && ok3 && m >= 1 && m <= 12 && d >= 1 && d <= daysIn(y, m) {
			return fromYMD(y, m, d), nil
		}
	}
	return None, fmt.Errorf("%q is not a date like 2026-11-19", s)
}

func digits(s string) (int, bool) {
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

func daysIn(y, m int) int {
	switch m {
	case 2:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// fromYMD counts days since 1970-01-01 for a valid proleptic Gregorian date
// (the "days from civil" algorithm: years start in March so leap days fall
// at the end).
func fromYMD(y, m, d int) Date {
	if m <= 2 {
		y--
	}
	era := y / 400
	if y < 0 && y%400 != 0 {
		era--
	}
	yoe := y - era*400
	mp := (m + 9) % 12
	doy := (153*mp+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return Date(era*146097 + doe - 719468)
}

// Time returns midnight UTC of the date.
func (d Date) Time() time.Time { return time.Unix(int64(d)*86400, 0).UTC() }

// Valid reports whether d is a real date rather than None.
func (d Date) Valid() bool { return d != None }

// YMD returns the year, month and day.
func (d Date) YMD() (int, time.Month, int) { return d.Time().Date() }

// Weekday returns the day of the week.
func (d Date) Weekday() time.Weekday { return time.Weekday((int64(d)%7 + 7 + 4) % 7) }

// AddDays returns d moved by n days.
func (d Date) AddDays(n int) Date { return d + Date(n) }

// String formats the date as 2006-01-02, or "" for None.
func (d Date) String() string {
	if d == None {
		return ""
	}
	y, m, day := d.YMD()
	return fmt.Sprintf("%04d-%02d-%02d", y, m, day)
}

// MarshalText writes the ISO form, so dates read naturally in JSON.
func (d Date) MarshalText() ([]byte, error) { return []byte(d.String()), nil }
