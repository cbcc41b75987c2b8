package data

import (
	"io/fs"
	"slices"
	"strings"

	"github.com/coachbook/coachbook/site/civil"
	"github.com/coachbook/coachbook/site/config"
	"github.com/coachbook/coachbook/site/diag"
	"github.com/coachbook/coachbook/site/metric"
)

// Commitment is one row of commitments.csv: something a rep committed to at
// the close of a coaching meeting, to be checked at the next one.
type Commitment struct {
	Date    civil.Date // the meeting's date
	Rep     int32      `key:"-"`
	Manager int32      `key:"-"` // index in Team.Managers, -1 when blank
	// Kind is the meeting's kind (one of MeetingKinds): the row's own, else
	// the coaching log's meeting with the rep that day, else weekly.
	Kind string
	Text string
	// Metric and Number make the commitment checkable against the data
	// ("set 6 first meetings": activity.meetings_set, 6); Metric is "" for
	// a commitment only the manager can judge.
	Metric string
	Number float64
	// Due is the last day of the commitment's window; civil.None when the
	// row leaves it blank (the reports then give one period of the
	// meeting's cadence).
	Due civil.Date
	// Status is what the manager wrote: "", done, missed or dropped.
	Status string
	Line   int32  `key:"-"`
	File   uint16 `key:"-"` // index in Data.Files
}

// CommitmentStatuses are the statuses a manager may write on a commitment.
var CommitmentStatuses = []string{"done", "missed", "dropped"}

var commitmentFields = []fieldSpec{
	{name: "date", required: true, date: true}, {name: "rep", required: true}, {name: "manager"}, {name: "kind"},
	{name: "text", required: true}, {name: "metric"}, {name: "number"}, {name: "due", date: true}, {name: "status"},
}

// commitmentStatus reads a status cell: blank, or one of
// CommitmentStatuses in any case, with a few spellings spreadsheets use.
func commitmentStatus(s string) (string, bool) {
	s = strings.ToLower(strings.TrimSpace(s))
	switch s {
	case "", "open", "-":
		return "", true
	case "done", "kept", "yes", "complete", "completed":
		return "done", true
	case "missed", "not done", "no":
		return "missed", true
	case "dropped", "cancelled", "canceled":
		return "dropped", true
	}
	return "", false
}

// loadCommitments reads the commitments file. It is read through the same
// table as every CSV export, so a spreadsheet format that table learns to
// read (.xlsx) serves commitments too.
func (d *Data) loadCommitments(site fs.FS, src *config.Source, diags *diag.List, stats *FileStats) {
	logged := d.loggedKinds()
	d.datedRows(site, "commitments", src, commitmentFields, diags, stats, func(t *table, date civil.Date, rep int) {
		c := Commitment{Date: date, Rep: int32(rep), Manager: -1, Due: civil.None, Line: int32(t.line), File: d.fileIndex()}
		if m := t.get("manager"); m != "" {
			if c.Manager = int32(d.Team.Manager(m)); c.Manager < 0 {
				t.reject(t.colOf("manager"), "manager %q is not in data/team.toml [[managers]]", m)
				return
			}
		}
		c.Text = strings.Clone(t.get("text"))
		if c.Text == "" {
			t.reject(t.colOf("text"), "the commitment's text is blank; write what the rep committed to")
			return
		}
		if !d.commitmentKind(t, &c, logged) {
			return
		}
		status, ok := commitmentStatus(t.get("status"))
		if !ok {
			t.reject(t.colOf("status"), "status %q: leave it blank or use one of %s", t.get("status"), strings.Join(CommitmentStatuses, ", "))
			return
		}
		c.Status = status
		if !commitmentMetric(t, &c) {
			return
		}
		due, ok := t.date("due", false)
		if !ok {
			return
		}
		if due.Valid() && due < date {
			t.reject(t.colOf("due"), "due %s is before the meeting (%s); fix one of the two dates", due, date)
			return
		}
		c.Due = due
		d.checkEmployment(t, rep, date, "date")
		d.Commitments = append(d.Commitments, c)
		d.seen(t, "date", date)
		stats.Used++
	})
}

// repDay is a rep's day.
type repDay struct {
	rep  int32
	date civil.Date
}

// loggedKinds lists the kinds of meeting the coaching log has for each
// rep and day, for commitments that leave kind blank.
func (d *Data) loggedKinds() map[repDay][]string {
	logged := map[repDay][]string{}
	for _, m := range d.Meetings {
		k := repDay{m.Rep, m.Date}
		if !slices.Contains(logged[k], m.Kind) {
			logged[k] = append(logged[k], m.Kind)
		}
	}
	return logged
}

// commitmentKind sets the kind of meeting of the commitment c on t's
// current row: as written, or else the coaching log's meeting with the rep
// that day (the first, with a warning, when it has several; weekly when
// none). It is false when the row is rejected.
func (d *Data) commitmentKind(t *table, c *Commitment, logged map[repDay][]string) bool {
	if raw := t.get("kind"); raw != "" {
		kind, ok := meetingKind(raw)
		if !ok {
			t.reject(t.colOf("kind"), "kind %q is not one of %s", raw, strings.Join(MeetingKinds, ", "))
			return false
		}
		c.Kind = kind
		return true
	}
	switch kinds := logged[repDay{c.Rep, c.Date}]; len(kinds) {
	case 0:
		c.Kind = "weekly"
	case 1:
		c.Kind = kinds[0]
	default:
		c.Kind = kinds[0]
		t.warn("date", "kind is blank and the coaching log has %s meetings with %s on %s; taken as %s: fill in kind to say which meeting it was", strings.Join(kinds, " and "), d.Team.Reps[c.Rep].ID, c.Date, c.Kind)
	}
	return true
}

// commitmentMetric sets the metric and number a commitment on t's current
// row is checked by, when it names one; it is false when the row is
// rejected.
func commitmentMetric(t *table, c *Commitment) bool {
	id := strings.ToLower(t.get("metric"))
	if id == "" {
		if t.get("number") != "" {
			t.warn("number", "number %q is ignored without a metric; name the metric it counts (like activity.meetings_set)", t.get("number"))
		}
		return true
	}
	def, known := metric.Lookup(id)
	switch {
	case !known:
		t.reject(t.colOf("metric"), "metric %q is not known; use activity.<type> (like activity.meetings_set) or pipeline.created, or leave it blank for a commitment the manager judges", t.get("metric"))
		return false
	case !def.Window:
		t.reject(t.colOf("metric"), "metric %s cannot be checked over a commitment's days; name an activity (activity.<type>) or pipeline.created, or leave metric blank and fill in status", id)
		return false
	}
	c.Metric = def.ID
	n, set, ok := t.amount("number")
	if !ok {
		return false
	}
	if !set {
		t.reject(t.colOf("number"), "metric %s is given without a number; write the number committed to (like 6)", id)
		return false
	}
	if p := numberProblem(n); p != "" {
		t.reject(t.colOf("number"), "number %s", p)
		return false
	}
	c.Number = n
	return true
}

// meetingKind reads a meeting kind, with the spellings logs use for
// one-on-ones and ride-alongs.
func meetingKind(raw string) (string, bool) {
	kind := strings.ToLower(strings.ReplaceAll(strings.TrimSpace(raw), " ", "-"))
	switch kind {
	case "1:1", "one-to-one", "1-on-1", "oneonone":
		kind = "one-on-one"
	case "ride-along", "ridealong", "ride":
		kind = "ride-along"
	}
	// The list's own string, not the row's: a kept substring of a row
	// would keep its whole line in memory (30 MB in a 2,000-rep org).
	if i := slices.Index(MeetingKinds, kind); i >= 0 {
		return MeetingKinds[i], true
	}
	return kind, false
}
