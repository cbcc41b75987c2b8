package data

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/coachbook/coachbook/site/civil"
)

// MaxAmount is the largest amount coachbook accepts: more than any deal,
// and small enough that sums over millions of rows stay exact to the cent
// in float64 and never overflow.
const MaxAmount = 1e12

// ParseAmount reads a money amount as CRM exports write it: "1234.5",
// "$1,234.00", "1.234,50 €" (with decimal ","), "USD 1 234", "(250.00)" for
// a negative, "-250". Only currency symbols and codes (and spaces) may
// surround the number: "12k" or "12x" is an error, not 12. Thousands
// separators must group digits by three, so a value written with the other
// decimal mark ("1.234,50" when decimal is ".") is an error rather than a
// number a thousand times off. Amounts above MaxAmount are errors.
func ParseAmount(s string, decimal byte) (float64, error) {
	num, neg, err := amountNumber(s)
	if err != nil {
		return 0, err
	}
	v, err := groupedNumber(num, decimal)
	if err != nil {
		return 0, amountErr(s, decimal)
	}
	if v > MaxAmount {
		return 0, fmt.Errorf("%q is more than %s; check the value (or its decimal mark)", s, "1,000,000,000,000")
	}
	if neg {
		v = -v
	}
	return v, nil
}

// amountNumber takes the number out of an amount as written: without its
// currency affix, spaces or sign, and whether it is negative (a minus
// sign, or accounting's parentheses).
func amountNumber(orig string) (num string, neg bool, err error) {
	s := strings.TrimSpace(orig)
	if strings.HasPrefix(s, "(") && strings.HasSuffix(s, ")") {
		neg, s = true, s[1:len(s)-1]
	}
	var b, affix strings.Builder
	seenDigit, afterNumber := false, false
	endAffix := func() bool {
		ok := affix.Len() == 0 || isCurrency(affix.String())
		affix.Reset()
		return ok
	}
	for _, r := range s {
		isDigit := r >= '0' && r <= '9'
		if isDigit && afterNumber {
			return "", false, fmt.Errorf("%q is not an amount", orig)
		}
		switch {
		case isDigit, seenDigit && !afterNumber && (r == '.' || r == ','), r == '-', r == '+':
			if !endAffix() {
				return "", false, notAmount(orig)
			}
			seenDigit = seenDigit || isDigit
			b.WriteRune(r)
		case unicode.IsSpace(r) || r == '\u00a0' || r == '\u202f' || r == '\'':
			// thousands separators in some locales; dropped below
			if !endAffix() {
				return "", false, notAmount(orig)
			}
			b.WriteByte(' ')
		case unicode.IsLetter(r) || unicode.Is(unicode.Sc, r) || r == '.':
			afterNumber = afterNumber || seenDigit
			affix.WriteRune(r)
		default:
			return "", false, notAmount(orig)
		}
	}
	if !endAffix() {
		return "", false, notAmount(orig)
	}
	num = strings.ReplaceAll(strings.TrimSpace(b.String()), " ", "")
	if strings.HasPrefix(num, "-") {
		neg, num = !neg, num[1:]
	} else if strings.HasPrefix(num, "+") {
		num = num[1:]
	}
	if num == "" {
		return "", false, fmt.Errorf("%q is not an amount", orig)
	}
	return num, neg, nil
}

// groupedNumber reads digits with the given decimal mark and, optionally,
// the other mark between groups of three ("1,234.50" or "1.234,50").
func groupedNumber(num string, decimal byte) (float64, error) {
	bad := errors.New("not a number")
	thousands := byte(',')
	if decimal == ',' {
		thousands = '.'
	}
	intPart, frac, hasFrac := strings.Cut(num, string(decimal))
	if hasFrac && (frac == "" || strings.ContainsAny(frac, ".,")) {
		return 0, bad
	}
	if strings.IndexByte(intPart, thousands) >= 0 {
		groups := strings.Split(intPart, string(thousands))
		if len(groups[0]) == 0 || len(groups[0]) > 3 {
			return 0, bad
		}
		for _, g := range groups[1:] {
			if len(g) != 3 {
				return 0, bad
			}
		}
		intPart = strings.Join(groups, "")
	}
	clean := intPart
	if hasFrac {
		clean += "." + frac
	}
	for _, c := range clean {
		if (c < '0' || c > '9') && c != '.' {
			return 0, bad
		}
	}
	return strconv.ParseFloat(clean, 64)
}

func notAmount(s string) error {
	return fmt.Errorf("%q is not an amount: only a currency symbol or code (like $, €, USD) may stand beside the number", s)
}

// localSymbols are currency signs written with letters.
var localSymbols = map[string]bool{"kr": true, "kr.": true, "zł": true, "kč": true, "ft": true, "rs": true, "rs.": true, "rp": true, "lei": true, "fr": true, "fr.": true, "chf": true}

// isCurrency reports whether a word beside a number names a currency: a
// currency sign ("$", "€", "US$"), an ISO 4217 code ("USD", "EUR") or a
// sign written in letters ("kr", "zł").
func isCurrency(w string) bool {
	if localSymbols[strings.ToLower(w)] {
		return true
	}
	letters, signs := 0, 0
	for _, r := range w {
		switch {
		case unicode.Is(unicode.Sc, r):
			signs++
		case r >= 'A' && r <= 'Z' && signs == 0:
			letters++
		default:
			return false
		}
	}
	return (signs > 0 && letters <= 3) || (signs == 0 && letters == 3)
}

func amountErr(s string, decimal byte) error {
	if decimal == ',' {
		return fmt.Errorf("%q is not an amount written with a decimal comma (like 1.234,50); set decimal = \".\" for amounts like 1,234.50", s)
	}
	return fmt.Errorf("%q is not an amount like 1,234.50; if the file writes amounts like 1.234,50, set decimal = \",\" for this file", s)
}

// DateLayout is how a date column is written.
type DateLayout struct {
	// Go is a Go time layout, or "" for ISO 8601 (2006-01-02, with an
	// optional time after it, which is ignored).
	Go string
	// Name describes the layout in messages.
	Name string
}

var isoLayout = DateLayout{Name: "ISO (2026-11-19)"}

// errAmbiguous reports a slash date that reads both ways.
var errAmbiguous = errors.New("ambiguous")

// ParseDate reads a civil date in layout. An ISO date may carry a time
// ("2026-11-19T10:00:00Z", "2026-11-19 10:00"); only the date is kept, as
// written, with no time-zone shift.
func ParseDate(s string, l DateLayout) (civil.Date, error) {
	s = strings.TrimSpace(s)
	if l.Go == "" {
		if len(s) >= 10 && (len(s) == 10 || s[10] == 'T' || s[10] == ' ') {
			if d, err := civil.Parse(s[:10]); err == nil {
				return d, nil
			}
		}
		return civil.None, fmt.Errorf("%q is not a date like 2026-11-19", s)
	}
	// Exports often add a time to the date: keep the date part.
	if i := strings.IndexAny(s, " T"); i > 0 && !strings.ContainsAny(l.Go, " T") {
		s = strings.TrimSuffix(s[:i], ",") // "8/14/2023, 10:01 PM"
	}
	t, err := time.Parse(l.Go, s)
	if err != nil {
		return civil.None, fmt.Errorf("%q is not a date in the format %s", s, l.Name)
	}
	return civil.FromTime(t), nil
}

// guessLayout looks at one value of a date column and says which layout it
// proves: ISO, day-first or month-first; errAmbiguous when it could be
// either (3/4/2026), or another error when it is not a date at all.
func guessLayout(s string) (DateLayout, error) {
	s = strings.TrimSpace(s)
	if i := strings.IndexAny(s, " T"); i > 0 {
		s = strings.TrimSuffix(s[:i], ",")
	}
	if len(s) == 10 && s[4] == '-' && s[7] == '-' {
		return isoLayout, nil
	}
	sep := byte(0)
	for _, c := range []byte{'/', '.', '-'} {
		if strings.Count(s, string(c)) == 2 {
			sep = c
		}
	}
	if sep == 0 {
		return DateLayout{}, fmt.Errorf("%q is not a date", s)
	}
	parts := strings.Split(s, string(sep))
	a, err1 := strconv.Atoi(parts[0])
	b, err2 := strconv.Atoi(parts[1])
	_, err3 := strconv.Atoi(parts[2])
	if err1 != nil || err2 != nil || err3 != nil {
		return DateLayout{}, fmt.Errorf("%q is not a date", s)
	}
	if len(parts[0]) == 4 { // 2026/11/19
		return DateLayout{Go: "2006" + string(sep) + "1" + string(sep) + "2", Name: "year-month-day"}, nil
	}
	year := "2006"
	if len(parts[2]) == 2 {
		year = "06"
	}
	mdy := DateLayout{Go: "1" + string(sep) + "2" + string(sep) + year, Name: "month/day/year (11/19/2026)"}
	dmy := DateLayout{Go: "2" + string(sep) + "1" + string(sep) + year, Name: "day/month/year (19/11/2026)"}
	switch {
	case a > 12 && b <= 12:
		return dmy, nil
	case b > 12 && a <= 12:
		return mdy, nil
	case a <= 12 && b <= 12:
		return mdy, errAmbiguous
	}
	return DateLayout{}, fmt.Errorf("%q is not a date", s)
}

// layoutFor turns a date_format setting into a layout: "auto" (decided per
// column from the data), "iso", or a Go layout such as "1/2/2006".
func layoutFor(format string) (DateLayout, bool) {
	switch strings.ToLower(strings.TrimSpace(format)) {
	case "", "auto":
		return DateLayout{}, false
	case "iso":
		return isoLayout, true
	}
	return DateLayout{Go: format, Name: fmt.Sprintf("%q", format)}, true
}

// TimeOfDay reads the time written after the date in a timestamp, as the
// milliseconds since midnight UTC of that date: "2023-08-14T22:01:05.000+0000",
// "2023-08-14 22:01:05Z", "8/14/2023 10:01 PM", "14.08.2023 22:01:05 -05:00".
// A time without a zone is taken as written. ok is false when the value
// carries no time of day (a bare date), so rows of one day keep file order.
func TimeOfDay(s string) (ms int64, ok bool) {
	s = strings.TrimSpace(s)
	i := strings.IndexAny(s, " T")
	if i < 0 {
		return 0, false
	}
	rest := strings.TrimSpace(s[i+1:])
	// hours:minutes[:seconds[.fraction]]
	var h, m, sec, frac int64
	n, err := fmt.Sscanf(rest, "%d:%d", &h, &m)
	if n != 2 || err != nil {
		return 0, false
	}
	j := strings.IndexByte(rest, ':') + 1
	for j < len(rest) && rest[j] >= '0' && rest[j] <= '9' {
		j++
	}
	if j < len(rest) && rest[j] == ':' {
		k := j + 1
		for j = k; j < len(rest) && rest[j] >= '0' && rest[j] <= '9'; j++ {
		}
		sec, _ = strconv.ParseInt(rest[k:j], 10, 64)
		if j < len(rest) && (rest[j] == '.' || rest[j] == ',') {
			k = j + 1
			for j = k; j < len(rest) && rest[j] >= '0' && rest[j] <= '9'; j++ {
			}
			digits := (rest[k:j] + "000")[:3]
			frac, _ = strconv.ParseInt(digits, 10, 64)
		}
	}
	zone := strings.TrimSpace(rest[j:])
	switch up := strings.ToUpper(zone); {
	case strings.HasPrefix(up, "AM"):
		if h == 12 {
			h = 0
		}
		zone = strings.TrimSpace(zone[2:])
	case strings.HasPrefix(up, "PM"):
		if h < 12 {
			h += 12
		}
		zone = strings.TrimSpace(zone[2:])
	}
	if h > 23 || m > 59 || sec > 60 {
		return 0, false
	}
	ms = ((h*60+m)*60+sec)*1000 + frac
	switch up := strings.ToUpper(zone); {
	case up == "" || up == "Z" || up == "UTC" || up == "GMT":
	case up[0] == '+' || up[0] == '-':
		digits := strings.ReplaceAll(up[1:], ":", "")
		if len(digits) == 2 {
			digits += "00"
		}
		if len(digits) != 4 || strings.Trim(digits, "0123456789") != "" {
			return ms, true // an offset we cannot read: the time as written
		}
		zh, _ := strconv.ParseInt(digits[:2], 10, 64)
		zm, _ := strconv.ParseInt(digits[2:], 10, 64)
		off := (zh*60 + zm) * 60000
		if up[0] == '+' {
			ms -= off
		} else {
			ms += off
		}
	}
	return ms, true
}
