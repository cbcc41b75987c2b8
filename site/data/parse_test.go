package data

import (
	"math"
	"strings"
	"testing"
	"time"
)

func TestParseAmount(t *testing.T) {
	good := []struct {
		in  string
		dec byte
		v   float64
	}{
		{"1234.5", '.', 1234.5}, {"$1,234.00", '.', 1234}, {"1.234,50 €", ',', 1234.5},
		{"USD 12,000", '.', 12000}, {"(250.00)", '.', -250}, {"-250", '.', -250},
		{"1 234,5", ',', 1234.5}, {"€1.000.000", ',', 1000000}, {"0", '.', 0}, {"  42  ", '.', 42},
		{"1,234,567.89", '.', 1234567.89}, {"£ 99.99", '.', 99.99}, {"99.99 EUR", '.', 99.99},
		{"US$ 1,500", '.', 1500}, {"1.500 kr", ',', 1500}, {"CHF 1'234.50", '.', 1234.5}, {"R$ 10", '.', 10},
		{"1,000,000,000,000", '.', 1e12},
	}
	for _, g := range good {
		v, err := ParseAmount(g.in, g.dec)
		if err != nil || math.Abs(v-g.v) > 1e-9 {
			t.Errorf("ParseAmount(%q, %q) = %v, %v; want %v", g.in, g.dec, v, err, g.v)
		}
	}
	for _, bad := range []struct {
		in  string
		dec byte
	}{{"1.234,50", '.'}, {"1,23", '.'}, {"12,34.5", '.'}, {"abc", '.'}, {"", '.'}, {"$", '.'}, {"1.2.3", '.'}, {"1,234.50", ','}, {"5%", '.'}, {"1e5", '.'}, {"12 USD 3", '.'},
		{"12x", '.'}, {"12k", '.'}, {"12 K", '.'}, {"12 usd", '.'}, {"approx 12", '.'}, {"12 USDX", '.'}, {"x$12", '.'},
		{"1,000,000,000,001", '.'}, {"1" + strings.Repeat("0", 308), '.'}} {
		if v, err := ParseAmount(bad.in, bad.dec); err == nil {
			t.Errorf("ParseAmount(%q, %q) = %v, want an error", bad.in, bad.dec, v)
		}
	}
	if _, err := ParseAmount("12k", '.'); err == nil || err.Error() != `"12k" is not an amount: only a currency symbol or code (like $, €, USD) may stand beside the number` {
		t.Errorf("12k: %v", err)
	}
	_, err := ParseAmount("1.234,50", '.')
	if err == nil || !strings.Contains(err.Error(), `set decimal = ","`) {
		t.Errorf("the error must say how to fix it: %v", err)
	}
}

func TestParseDate(t *testing.T) {
	tests := []struct {
		in   string
		l    DateLayout
		want string
	}{
		{"2026-11-19", isoLayout, "2026-11-19"},
		{"2026-11-19T23:30:00-08:00", isoLayout, "2026-11-19"},
		{"2026-11-19 23:30", isoLayout, "2026-11-19"},
		{"11/19/2026", DateLayout{Go: "1/2/2006"}, "2026-11-19"},
		{"3/4/2026 10:15 AM", DateLayout{Go: "1/2/2006"}, "2026-03-04"},
		{"19.11.2026", DateLayout{Go: "2.1.2006"}, "2026-11-19"},
	}
	for _, tt := range tests {
		d, err := ParseDate(tt.in, tt.l)
		if err != nil || d.String() != tt.want {
			t.Errorf("ParseDate(%q) = %v, %v; want %s", tt.in, d, err, tt.want)
		}
	}
	if _, err := ParseDate("2026-02-30", isoLayout); err == nil {
		t.Error("an impossible date must fail")
	}
}

func TestGuessLayout(t *testing.T) {
	for in, want := range map[string]string{
		"2026-11-19": "", "19/11/2026": "2/1/2006", "11/19/2026": "1/2/2006", "19.11.26": "2.1.06", "2026/11/19": "2006/1/2",
	} {
		l, err := guessLayout(in)
		if err != nil || l.Go != want {
			t.Errorf("guessLayout(%q) = %q, %v; want %q", in, l.Go, err, want)
		}
	}
	if _, err := guessLayout("3/4/2026"); err != errAmbiguous {
		t.Errorf("3/4/2026 is ambiguous, got %v", err)
	}
	if _, err := guessLayout("soon"); err == nil {
		t.Error("not a date")
	}
}

func FuzzParseAmount(f *testing.F) {
	for _, s := range []string{"1234.5", "$1,234.00", "1.234,50 €", "(5)", "-", "1,2,3", "９"} {
		f.Add(s, true)
	}
	f.Fuzz(func(t *testing.T, s string, comma bool) {
		dec := byte('.')
		if comma {
			dec = ','
		}
		v, err := ParseAmount(s, dec)
		if err == nil && (math.IsNaN(v) || math.IsInf(v, 0) || math.Abs(v) > MaxAmount) {
			t.Fatalf("%q parsed to %v", s, v)
		}
	})
}

func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"2026-11-19", "11/19/2026", "19.11.2026", "2026-11-19T10:00", "3/4/26"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		// Every input is classified: a layout, ambiguous, or not a date;
		// and a parsed date prints back as a real ISO date.
		l, err := guessLayout(s)
		if err != nil && err != errAmbiguous {
			return
		}
		d, perr := ParseDate(s, l)
		if perr == nil {
			if _, err := time.Parse("2006-01-02", d.String()); err != nil {
				t.Fatalf("%q gave %q", s, d)
			}
		}
	})
}
