package civil

import (
	"testing"
	"time"
)

func TestRoundTrip(t *testing.T) {
	for _, s := range []string{"1970-01-01", "1969-12-31", "2026-11-19", "2024-02-29", "2000-01-01"} {
		d, err := Parse(s)
		if err != nil {
			t.Fatal(err)
		}
		if d.String() != s {
			t.Errorf("%s -> %s", s, d)
		}
		want, _ := time.Parse("2006-01-02", s)
		if d.Weekday() != want.Weekday() {
			t.Errorf("%s: weekday %v, want %v", s, d.Weekday(), want.Weekday())
		}
	}
	if New(2026, 13, 1).String() != "2027-01-01" {
		t.Error("month 13 must normalise")
	}
	if _, err := Parse("2026-02-30"); err == nil {
		t.Error("Feb 30 must be rejected")
	}
	if None.Valid() || None.String() != "" || !(None < New(1900, 1, 1)) {
		t.Error("None must be invalid, print empty and sort first")
	}
}

func TestFromTimeIgnoresZone(t *testing.T) {
	loc := time.FixedZone("far east", 14*3600)
	tm := time.Date(2026, 11, 19, 1, 0, 0, 0, loc) // still Nov 18 in UTC
	if got := FromTime(tm).String(); got != "2026-11-19" {
		t.Errorf("got %s", got)
	}
}

func TestParseMatchesTime(t *testing.T) {
	for d := New(1899, 12, 25); d < New(2101, 1, 5); d += 17 {
		got, err := Parse(d.String())
		if err != nil || got != d {
			t.Fatalf("%s: %v %v", d, got, err)
		}
	}
	for _, bad := range []string{"2025-02-29", "2026-13-01", "2026-00-10", "2026-1-1", "abcd-ef-gh", "2026-04-31"} {
		if _, err := Parse(bad); err == nil {
			t.Errorf("%s must fail", bad)
		}
	}
}
