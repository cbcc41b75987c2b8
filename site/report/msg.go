package report

import (
	"fmt"
	"strings"
)

// Msg is words a view hands the theme rather than writing them itself: the
// key of a string in the theme's strings file (i18n/<language>.toml) and
// the arguments for its {0}, {1}. The renderer writes each argument for the
// site's language: a Period as its label, a civil.Date as a date, a
// Verdict, a Cadence or a Msg in words, a Percent as a percentage, a
// MetricName as the metric's name, numbers with the locale's separators.
// The zero Msg is no words at all.
type Msg struct {
	Key  string
	Args []any
}

// M is the Msg of key with args.
func M(key string, args ...any) Msg { return Msg{Key: key, Args: args} }

// IsZero reports whether m holds no words.
func (m Msg) IsZero() bool { return m.Key == "" }

// String writes the key and its arguments, for tests and debugging; pages
// show the words the strings file gives the key.
func (m Msg) String() string {
	if len(m.Args) == 0 {
		return m.Key
	}
	args := make([]string, len(m.Args))
	for i, a := range m.Args {
		args[i] = fmt.Sprint(a)
	}
	return m.Key + "(" + strings.Join(args, ", ") + ")"
}

// Percent is a ratio, as an argument of a Msg written as a percentage.
type Percent float64

// MetricName is a metric's id, as an argument of a Msg written as the
// metric's name.
type MetricName string

// MarshalText writes m as String does, in golden files.
func (m Msg) MarshalText() ([]byte, error) { return []byte(m.String()), nil }
