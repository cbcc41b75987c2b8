// Package diag owns coachbook's one kind of problem report: a Diagnostic with
// a file, a line, an optional column, a severity and a message that says what
// to do. Every stage of the engine returns its problems as a List of these,
// so the command line, the data-health page and the dev server's error page
// all print them the same way:
//
//	content/weekly/activity-meeting.md:4:12: unknown cadence "weakly"; use weekly, monthly, quarterly or as-needed
//	data/activities.csv:17: warning: count is blank; counted as 1
package diag

import (
	"cmp"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/BurntSushi/toml"
)

// Severity says whether a problem stops the build.
type Severity int

const (
	// Error stops the build: the input cannot be used as written.
	Error Severity = iota
	// Warning is reported, but the build goes on and the input is still used.
	Warning
)

func (s Severity) String() string {
	if s == Warning {
		return "warning"
	}
	return "error"
}

// Diagnostic is one problem at one place in one input file.
type Diagnostic struct {
	File string // slash-separated path relative to the site directory
	Line int    // 1-based; 0 when the problem concerns the whole file
	Col  int    // 1-based; 0 when unknown
	// Sheet names the worksheet of an .xlsx file: the position is then
	// file:Sheet!C12 (Line is the row, Col the column), file:Sheet!12:12
	// for a whole row.
	Sheet    string
	Severity Severity
	Msg      string
	// Row marks a problem confined to one data row, which is left out of the
	// reports and listed on the data-health page. Such an error fails
	// `check` but not `build`: one bad export row never blocks publishing.
	Row bool
}

// Error formats the diagnostic as file:line:col: message, with "warning: "
// before the message of a warning. Control characters from the input (a
// file's name, a quoted key) are shown escaped (see Printable).
func (d Diagnostic) Error() string {
	var b strings.Builder
	b.WriteString(d.Pos())
	b.WriteString(": ")
	if d.Severity == Warning {
		b.WriteString("warning: ")
	}
	b.WriteString(Printable(d.Msg))
	return b.String()
}

// Pos formats the position alone: file, file:line or file:line:col.
func (d Diagnostic) Pos() string {
	s := Printable(d.File)
	if s == "" {
		s = "coachbook"
	}
	if d.Sheet != "" {
		s += ":" + d.Sheet
		if d.Line > 0 {
			s += "!" + cellName(d.Line, d.Col)
		}
		return s
	}
	if d.Line > 0 {
		s += ":" + strconv.Itoa(d.Line)
		if d.Col > 0 {
			s += ":" + strconv.Itoa(d.Col)
		}
	}
	return s
}

// cellName is the A1-style name of a cell (column 3, row 12: "C12"), or
// the row alone ("12:12") when the column is unknown.
func cellName(line, col int) string {
	if col <= 0 {
		return strconv.Itoa(line) + ":" + strconv.Itoa(line)
	}
	var letters []byte
	for c := col; c > 0; c = (c - 1) / 26 {
		letters = append([]byte{byte('A' + (c-1)%26)}, letters...)
	}
	return string(letters) + strconv.Itoa(line)
}

// List collects the problems of a stage. The zero value is ready to use.
// A List is not safe for concurrent use; merge per-goroutine lists instead.
type List []Diagnostic

// Errorf adds an error at file:line.
func (l *List) Errorf(file string, line int, format string, args ...any) {
	*l = append(*l, Diagnostic{File: file, Line: line, Severity: Error, Msg: fmt.Sprintf(format, args...)})
}

// Warnf adds a warning at file:line.
func (l *List) Warnf(file string, line int, format string, args ...any) {
	*l = append(*l, Diagnostic{File: file, Line: line, Severity: Warning, Msg: fmt.Sprintf(format, args...)})
}

// Add appends diagnostics.
func (l *List) Add(ds ...Diagnostic) { *l = append(*l, ds...) }

// HasErrors reports whether any diagnostic is an error.
func (l List) HasErrors() bool {
	return slices.ContainsFunc(l, func(d Diagnostic) bool { return d.Severity == Error })
}

// Fatal reports whether any error stops the build: an error that is not
// confined to one data row.
func (l List) Fatal() bool {
	return slices.ContainsFunc(l, func(d Diagnostic) bool { return d.Severity == Error && !d.Row })
}

// Count returns the number of errors and warnings.
func (l List) Count() (errs, warns int) {
	for _, d := range l {
		if d.Severity == Error {
			errs++
		} else {
			warns++
		}
	}
	return errs, warns
}

// Sort orders the list by file, line and column, keeping the order of
// diagnostics at the same position.
func (l List) Sort() {
	slices.SortStableFunc(l, func(a, b Diagnostic) int {
		return cmp.Or(cmp.Compare(a.File, b.File), cmp.Compare(a.Line, b.Line), cmp.Compare(a.Col, b.Col))
	})
}

// Err returns the errors of the list joined into one error, or nil when there
// are none. Warnings are left out.
func (l List) Err() error {
	var errs []error
	for _, d := range l {
		if d.Severity == Error {
			errs = append(errs, d)
		}
	}
	return errors.Join(errs...)
}

// Summary says how many errors and warnings there are, in words.
func (l List) Summary() string {
	e, w := l.Count()
	return plural(e, "error") + ", " + plural(w, "warning")
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return strconv.Itoa(n) + " " + word + "s"
}

// From returns err as a Diagnostic: itself when it is one, else an error
// with no position.
func From(err error) Diagnostic {
	var d Diagnostic
	if errors.As(err, &d) {
		return d
	}
	return Diagnostic{Severity: Error, Msg: err.Error()}
}

var tomlLineRE = regexp.MustCompile(`^toml: line (\d+)(?: \(last key "([^"]*)"\))?: (.*)$`)
var tomlKeyRE = regexp.MustCompile(`^toml: \(last key "([^"]*)"\): (.*)$`)

// FromTOML converts an error from the TOML decoder into a Diagnostic in file,
// adding lineOffset to its line (front matter starts below a "+++" line).
func FromTOML(file string, lineOffset int, err error) Diagnostic {
	d := Diagnostic{File: file, Severity: Error}
	var pe toml.ParseError
	var be *boundsError
	switch {
	case errors.As(err, &be):
		d.Line, d.Msg = be.line, be.msg
	case errors.As(err, &pe):
		d.Line, d.Col = pe.Position.Line, pe.Position.Col
		d.Msg = "TOML syntax: " + pe.Message
		if pe.LastKey != "" && !strings.Contains(pe.Message, pe.LastKey) {
			d.Msg += fmt.Sprintf(" (at key %q)", pe.LastKey)
		}
		d.Msg += "; fix the line (strings need \"quotes\", dates are written 2026-11-19)"
	default:
		msg := err.Error()
		if m := tomlLineRE.FindStringSubmatch(msg); m != nil {
			d.Line, _ = strconv.Atoi(m[1])
			d.Msg = typeMsg(m[2], m[3])
		} else if m := tomlKeyRE.FindStringSubmatch(msg); m != nil {
			d.Msg = typeMsg(m[1], m[2])
		} else {
			d.Msg = strings.TrimPrefix(msg, "toml: ")
		}
	}
	if d.Line > 0 {
		d.Line += lineOffset
	}
	return d
}

func typeMsg(key, msg string) string {
	msg = strings.Replace(msg, "incompatible types: ", "", 1)
	if key != "" {
		return fmt.Sprintf("key %q has the wrong kind of value (%s)", key, msg)
	}
	return msg
}
