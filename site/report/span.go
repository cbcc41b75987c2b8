package report

import (
	"fmt"

	"github.com/coachbook/coachbook/site/civil"
	"github.com/coachbook/coachbook/site/config"
	"github.com/coachbook/coachbook/site/data"
	"github.com/coachbook/coachbook/site/diag"
)

// MaxYears bounds the reported range: reports reach back at most this
// many years before the data cut-off. With it, the work and memory of the
// report stage grow with the rows and at most MaxYears of days, never with
// the span of the dates written in the data (one row dated 0001-01-01 or
// 9999-12-31 costs one row).
const MaxYears = 10

// lateDays is how far after the cut-off a date may be before it is taken
// for a mistake: planned activities and expected closes lie ahead, but not
// by more than a year.
const lateDays = 366

// maxListed is how many rows of one file far outside the reported range
// are listed one by one; the rest are summed up in one warning.
const maxListed = 3

// floorOf is the earliest day the reports can cover for a cut-off.
func floorOf(asOf civil.Date) civil.Date {
	y, m, d := asOf.YMD()
	return civil.New(y-MaxYears, m, d)
}

// rowDate is the date that places a row of a data file in time, for the
// reported range: an activity's, forecast's or meeting's date, a deal's
// creation (else its close).
type rowDate struct {
	file string
	line int32
	date civil.Date
	// happened: the date records something that happened (not a lost
	// deal's close date, which may be the expected one left as it was).
	happened bool
}

// eachRow calls f with the dated rows of every data file.
func eachRow(d *data.Data, f func(r rowDate)) {
	for _, a := range d.Activities {
		f(rowDate{d.FileOf(a.File), a.Line, a.Date, true})
	}
	for i := range d.Opportunities {
		o := &d.Opportunities[i]
		if date := placed(o); date.Valid() {
			f(rowDate{d.FileOf(o.File), o.Line, date, o.Created.Valid() || o.Outcome == data.Won})
		}
	}
	for _, x := range d.Forecasts {
		f(rowDate{d.FileOf(x.File), x.Line, x.Date, true})
	}
	for _, m := range d.Meetings {
		f(rowDate{d.FileOf(m.File), m.Line, m.Date, true})
	}
	for _, c := range d.Commitments {
		f(rowDate{d.FileOf(c.File), c.Line, c.Date, true})
	}
}

// ReportRange decides the first day of the reported range: the earliest
// row date (an activity's, a deal's creation, a forecast's or a meeting's)
// that is not more than MaxYears before asOf nor more than a year after
// it, else asOf. It warns, at
// their line, about rows dated before that floor (they are left out of the
// reports: see InRange) and rows dated more than a year after asOf, and
// about an as_of far from every date in the data.
//
// The report model must be built from InRange(d, first), and no period
// before first reported; then nothing in the report stage grows with the
// span of the dates.
func ReportRange(cfg *config.Config, d *data.Data, asOf civil.Date) (civil.Date, diag.List) {
	var diags diag.List
	floor := floorOf(asOf)
	first, earliest, latest := civil.None, civil.None, civil.None
	type tally struct {
		listed, more int
		lastLine     int32
		firstMore    int32
	}
	early, late := map[string]*tally{}, map[string]*tally{}
	note := func(m map[string]*tally, r rowDate, msg string) {
		t := m[r.file]
		if t == nil {
			t = &tally{}
			m[r.file] = t
		}
		if t.listed < maxListed {
			t.listed++
			diags.Add(diag.Diagnostic{File: r.file, Line: int(r.line), Severity: diag.Warning, Row: true, Msg: msg})
			return
		}
		if t.more == 0 {
			t.firstMore = r.line
		}
		t.more++
		t.lastLine = max(t.lastLine, r.line)
	}
	eachRow(d, func(r rowDate) {
		if !earliest.Valid() || r.date < earliest {
			earliest = r.date
		}
		latest = max(latest, r.date)
		switch {
		case r.date < floor:
			note(early, r, fmt.Sprintf("dated %s, more than %d years before the data cut-off (%s); the reports leave it out (check the date)", r.date, MaxYears, asOf))
		case r.date > asOf.AddDays(lateDays):
			note(late, r, fmt.Sprintf("dated %s, more than a year after the data cut-off (%s); the reports leave it out (check the date, or calendar.as_of)", r.date, asOf))
		case !first.Valid() || r.date < first:
			first = r.date
		}
	})
	// A lost deal's close date after a cut-off the data decided is the
	// expected close it kept when it was marked lost: by the cut-off it
	// was lost (see Model.cut).
	lostAfter := map[string]*tally{}
	if !cfg.Calendar.AsOf.Valid() {
		for i := range d.Opportunities {
			if o := &d.Opportunities[i]; o.Outcome == data.Lost && o.Close > asOf {
				note(lostAfter, rowDate{file: d.FileOf(o.File), line: o.Line, date: o.Close}, fmt.Sprintf("lost deal %q closes %s, after the data cut-off (%s): it counts as lost on the cut-off, not as open pipeline (a deal marked lost often keeps its expected close date; export a lost date, or set calendar.as_of)", o.ID, o.Close, asOf))
			}
		}
	}
	for _, k := range []struct {
		m    map[string]*tally
		what string
	}{
		{early, "are dated as far from the data cut-off (%s) as the rows listed above; the reports leave them out"},
		{late, "are dated as far from the data cut-off (%s) as the rows listed above; the reports leave them out"},
		{lostAfter, "are lost deals closing after the data cut-off (%s), like the rows listed above: each counts as lost on the cut-off, not as open pipeline"},
	} {
		for file, t := range k.m {
			if t.more > 0 {
				diags.Add(diag.Diagnostic{File: file, Line: int(t.firstMore), Severity: diag.Warning, Row: true,
					Msg: fmt.Sprintf("this row and %d more up to line %d "+k.what, t.more-1, t.lastLine, asOf)})
			}
		}
	}
	if cfg.Calendar.AsOf.Valid() && earliest.Valid() {
		switch {
		case latest < asOf.AddDays(-lateDays):
			diags.Warnf(config.File, cfg.Calendar.AsOfLine, "calendar.as_of %s is more than a year after the latest date in the data (%s); the reports cover at most the %d years up to as_of", asOf, latest, MaxYears)
		case asOf < earliest:
			diags.Warnf(config.File, cfg.Calendar.AsOfLine, "calendar.as_of %s is before every date in the data (the earliest is %s); no row is reported", asOf, earliest)
		}
	}
	if !first.Valid() || first > asOf {
		first = asOf
	}
	diags.Sort()
	return first, diags
}

// InRange returns the data without the rows ReportRange leaves out: dated
// before first, or more than a year after asOf. These are the rows the
// report model may index by day.
func InRange(d *data.Data, first, asOf civil.Date) *data.Data {
	last := asOf.AddDays(lateDays)
	in := func(date civil.Date) bool { return !date.Valid() || (date >= first && date <= last) }
	out := *d
	out.Activities = keep(d.Activities, func(a *data.Activity) bool { return in(a.Date) })
	out.Opportunities = keep(d.Opportunities, func(o *data.Opportunity) bool { return in(placed(o)) })
	out.Forecasts = keep(d.Forecasts, func(f *data.Forecast) bool { return in(f.Date) })
	out.Meetings = keep(d.Meetings, func(m *data.Meeting) bool { return in(m.Date) })
	out.Commitments = keep(d.Commitments, func(c *data.Commitment) bool { return in(c.Date) })
	return &out
}

// placed is the date that places a deal in time: its creation, else the
// close of a won or lost deal, else none.
func placed(o *data.Opportunity) civil.Date {
	if !o.Created.Valid() && o.Outcome != data.Open {
		return o.Close
	}
	return o.Created
}

// keep returns the rows ok accepts; the slice itself when it accepts all.
func keep[T any](rows []T, ok func(*T) bool) []T {
	for i := range rows {
		if !ok(&rows[i]) {
			out := make([]T, 0, len(rows))
			for j := range rows {
				if ok(&rows[j]) {
					out = append(out, rows[j])
				}
			}
			return out
		}
	}
	return rows
}

// Outside counts, per data file (in d.Files order), the rows outside the
// reported range first..asOf: not used by any report.
func Outside(d *data.Data, first, asOf civil.Date) []int {
	byPath := map[string]int{}
	eachRow(d, func(r rowDate) {
		if r.date < first || r.date > asOf {
			byPath[r.file]++
		}
	})
	out := make([]int, len(d.Files))
	for i, f := range d.Files {
		out[i] = byPath[f.Path]
	}
	return out
}
