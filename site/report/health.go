// Package report owns what the report pages say: periods (weeks, months,
// fiscal quarters), every metric as a pure function of the typed rows and a
// period, targets and verdicts, streaks, pacing, rollups, pipeline history,
// and the data-health checks.
//
// It is the stage that decides which report pages exist: Model.Tasks
// yields every page as a Page (its URL, made here and nowhere else, its
// layout, and a typed view: WeekView, MonthView, QuarterView, TeamView,
// ManagerView, RepHomeView, IndexView) with the metrics.json value beside
// it. Metrics are one table: the catalog in site/metric and the measure
// that computes each entry (measures.go), judged only on the cadences the
// catalog names. Guide sections are not joined here; render links a value
// to the sections that coach it by its metric id. Nothing here renders or
// reads files.
package report

import (
	"slices"

	"github.com/coachbook/coachbook/site/civil"
	"github.com/coachbook/coachbook/site/config"
	"github.com/coachbook/coachbook/site/data"
	"github.com/coachbook/coachbook/site/diag"
)

// CutOff is the data cut-off and what set it.
type CutOff struct {
	Date civil.Date
	// By is "config" (calendar.as_of), "data" (the latest date that
	// records something that happened, read At) or "today" (no such date).
	By string
	At data.DateAt
}

// AsOf is the data cut-off (see CutOffOf).
func AsOf(cfg *config.Config, d *data.Data, today civil.Date) civil.Date {
	return CutOffOf(cfg, d, today).Date
}

// CutOffOf decides the data cut-off: calendar.as_of when set, else the
// latest date in the data that records something that happened (see
// data.Data.Latest: never an expected close date), as long as it is not
// more than a year after today (a row dated 9999-12-31 is a mistake, not
// the cut-off), else today.
func CutOffOf(cfg *config.Config, d *data.Data, today civil.Date) CutOff {
	if cfg.Calendar.AsOf.Valid() {
		return CutOff{Date: cfg.Calendar.AsOf, By: "config", At: data.DateAt{File: config.File, Line: cfg.Calendar.AsOfLine, Column: "calendar.as_of"}}
	}
	limit := today.AddDays(lateDays)
	if d.Latest.Valid() && d.Latest <= limit {
		return CutOff{Date: d.Latest, By: "data", At: d.LatestAt}
	}
	latest := CutOff{Date: civil.None, By: "data"}
	if d.Latest.Valid() {
		eachRow(d, func(r rowDate) {
			if r.date <= limit && r.date > latest.Date && r.happened {
				latest.Date, latest.At = r.date, data.DateAt{File: r.file, Line: int(r.line)}
			}
		})
	}
	if latest.Date.Valid() {
		return latest
	}
	return CutOff{Date: today, By: "today"}
}

// DealIssue is one open deal on the data-health page.
type DealIssue struct {
	Deal *data.Opportunity
	Rep  *data.Rep
	// Days is how long the deal has been quiet (stale) or how far past its
	// close date it is (past due).
	Days    int
	Missing []string // fields that are blank
}

// RepIssue is one rep on the data-health page.
type RepIssue struct {
	Rep    *data.Rep
	Reason Msg
}

// Health is the data-health page: every row that was left out, and the
// things in the CRM that make the numbers untrustworthy.
type Health struct {
	AsOf civil.Date
	// CutOff says what set AsOf.
	CutOff    CutOff
	StaleDays int
	// StaleUnknown: no date says when open deals were last touched, so
	// stale deals are not judged (see TouchKnown).
	StaleUnknown bool
	Files        []data.FileStats
	// First is the first day of the reported range (see ReportRange), and
	// Outside counts, per file, the rows dated outside First..AsOf: read,
	// but used by no report.
	First    civil.Date
	Outside  []int
	Problems diag.List // row and file problems of the data files, errors first, at most MaxProblems
	// More is how many problems were left off the page (check lists them all).
	More int
	// Withheld counts the problems at rows this site of a larger org does
	// not publish (data.Data.Withheld).
	Withheld int
	Stale    []DealIssue
	PastDue  []DealIssue
	Missing  []DealIssue
	Quiet    []RepIssue
}

// MaxProblems is how many data problems the data-health page lists.
const MaxProblems = 500

// LastTouch is the latest of an open deal's last activity, last stage
// change and creation: the last time anyone visibly worked on it.
func LastTouch(o *data.Opportunity) civil.Date {
	return max(o.LastActivity, o.StageChanged, o.Created)
}

// TouchKnown reports whether the data says when open deals were last
// touched: an opportunities export with a last-activity or
// last-stage-change column, or pipeline history.
func TouchKnown(d *data.Data) bool {
	if d.History != nil {
		return true
	}
	for _, f := range d.Files {
		if f.Kind != "opportunities" {
			continue
		}
		if _, ok := f.Columns["last_activity"]; ok {
			return true
		}
		if _, ok := f.Columns["stage_changed"]; ok {
			return true
		}
	}
	return false
}

// Stalled reports whether an open deal has not been touched for more than
// staleDays before asOf. A deal with no dates at all is not judged.
func Stalled(o *data.Opportunity, asOf civil.Date, staleDays int) bool {
	t := LastTouch(o)
	return o.Outcome == data.Open && t.Valid() && t <= asOf && int(asOf-t) > staleDays
}

// PastDue reports whether an open deal's expected close date is before asOf.
func PastDue(o *data.Opportunity, asOf civil.Date) bool {
	return o.Outcome == data.Open && o.Close.Valid() && o.Close < asOf
}

// SetRange records the reported range on the page: the rows of each file
// outside it, and the range's own warnings (rows far outside it).
func (h *Health) SetRange(d *data.Data, first civil.Date, warnings diag.List) {
	h.First = first
	h.Outside = Outside(d, first, h.AsOf)
	room := max(0, MaxProblems-len(h.Problems))
	h.Problems = append(h.Problems, warnings[:min(room, len(warnings))]...)
	h.More += len(warnings) - min(room, len(warnings))
}

// OutsideOf is how many rows of file i lie outside the reported range.
func (h *Health) OutsideOf(i int) int {
	if i < len(h.Outside) {
		return h.Outside[i]
	}
	return 0
}

// UsedIn is how many rows of file i feed a report: used, and inside the
// reported range.
func (h *Health) UsedIn(i int) int { return h.Files[i].Used - h.OutsideOf(i) }

// OutsideTotal is how many rows of every file lie outside the reported
// range.
func (h *Health) OutsideTotal() int {
	n := 0
	for i := range h.Files {
		n += h.OutsideOf(i)
	}
	return n
}

// CheckHealth computes the data-health page from the loaded data and the
// problems later stages found in it (more: pipeline history's).
func CheckHealth(d *data.Data, more diag.List, asOf civil.Date, staleDays int) *Health {
	h := &Health{AsOf: asOf, StaleDays: staleDays, Files: d.Files, StaleUnknown: !TouchKnown(d), Withheld: d.Withheld}
	h.Problems = append(slices.Clone(d.Problems), more...)
	slices.SortStableFunc(h.Problems, func(a, b diag.Diagnostic) int { return int(a.Severity) - int(b.Severity) })
	if len(h.Problems) > MaxProblems {
		h.More = len(h.Problems) - MaxProblems
		h.Problems = h.Problems[:MaxProblems]
	}
	hasActivity := make([]civil.Date, len(d.Team.Reps))
	hasDeals := make([]bool, len(d.Team.Reps))
	for i := range hasActivity {
		hasActivity[i] = civil.None
	}
	for _, a := range d.Activities {
		if a.Date <= asOf && a.Date > hasActivity[a.Rep] {
			hasActivity[a.Rep] = a.Date
		}
	}
	for i := range d.Opportunities {
		o := &d.Opportunities[i]
		hasDeals[o.Rep] = true
		if o.Outcome != data.Open || (o.Created.Valid() && o.Created > asOf) {
			continue
		}
		rep := d.Team.Reps[o.Rep]
		if !h.StaleUnknown && Stalled(o, asOf, staleDays) {
			h.Stale = append(h.Stale, DealIssue{Deal: o, Rep: rep, Days: int(asOf - LastTouch(o))})
		}
		if PastDue(o, asOf) {
			h.PastDue = append(h.PastDue, DealIssue{Deal: o, Rep: rep, Days: int(asOf - o.Close)})
		}
		var missing []string
		if !o.HasAmount {
			missing = append(missing, "amount")
		}
		if !o.Close.Valid() {
			missing = append(missing, "close date")
		}
		if !o.Created.Valid() {
			missing = append(missing, "created date")
		}
		if len(missing) > 0 {
			h.Missing = append(h.Missing, DealIssue{Deal: o, Rep: rep, Missing: missing})
		}
	}
	byDays := func(a, b DealIssue) int { return b.Days - a.Days }
	slices.SortStableFunc(h.Stale, byDays)
	slices.SortStableFunc(h.PastDue, byDays)
	for i, r := range d.Team.Reps {
		if r.End.Valid() && r.End < asOf {
			continue
		}
		switch {
		case !hasActivity[i].Valid() && !hasDeals[i]:
			h.Quiet = append(h.Quiet, RepIssue{Rep: r, Reason: M("health.quiet_nothing")})
		case !hasActivity[i].Valid():
			h.Quiet = append(h.Quiet, RepIssue{Rep: r, Reason: M("health.quiet_no_activities")})
		case int(asOf-hasActivity[i]) > 14:
			h.Quiet = append(h.Quiet, RepIssue{Rep: r, Reason: M("health.quiet_since", hasActivity[i])})
		case !hasDeals[i]:
			h.Quiet = append(h.Quiet, RepIssue{Rep: r, Reason: M("health.quiet_no_deals")})
		}
	}
	return h
}

// Count is how many problems there are: those on the page and those left
// off it.
func (h *Health) Count() int { return len(h.Problems) + h.More }
