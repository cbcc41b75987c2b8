// Package metric owns the catalog of metric ids: the names guides use in
// [[coaches]] and team.toml uses in [targets], with the words that explain
// each one. It is the single list of known metrics; the content checks, the
// report computations and the /reports/metrics/ page all read it, so a metric
// documented here is a metric the reports compute, and the other way round.
//
// Activity metrics are open-ended: any activity type found in the data, such
// as "calls" or "meetings_set", is metric "activity.<type>".
package metric

import (
	"iter"
	"regexp"
	"slices"
	"strings"
	"sync"
)

// Direction says which way a metric should move.
type Direction int

const (
	// HigherIsBetter: at or above target is on target.
	HigherIsBetter Direction = iota
	// LowerIsBetter: at or below target is on target.
	LowerIsBetter
)

// Unit says how a metric's value is written.
type Unit string

// Units of metric values.
const (
	Count    Unit = "count"
	Money    Unit = "money"
	Ratio    Unit = "ratio" // written as a percentage
	Days     Unit = "days"
	Multiple Unit = "multiple" // written as 2.5×
)

// Def describes one metric: the single entry that the content checks, the
// report computations, the report pages and the /reports/metrics/ page all
// read. The function that computes each metric lives with the reports
// (report.Measures), keyed by the same id; a test there checks that every
// entry here is computed and every judged number is an entry here.
type Def struct {
	ID        string
	Name      string
	Unit      Unit
	Direction Direction
	// Cadences are the reports where the metric is judged against its
	// target: "week", "month", "quarter". A page of another cadence never
	// marks it off target.
	// Cadences and Formula are fixed by ID in each binary, whose
	// build the page keys include: tagged key:"-", the render stage
	// leaves them out of a report page's key (see render.valueKey).
	Cadences []string `key:"-"`
	// Formula states how the number is computed, in words a manager can
	// check. The metrics page shows exactly this text.
	Formula string `key:"-"`
	// WholePeriod marks a metric that accumulates over its period (a count,
	// an amount won): it is judged against its target only once the period
	// is over, never while it is still in progress.
	WholePeriod bool
	// DefaultTarget is the target when team.toml sets none (0: no target).
	DefaultTarget float64
	// Window marks a metric that adds up over any span of days (a count of
	// activities, an amount of pipeline created): a commitment may name it
	// and is then checked over its own window, the meeting to the due date.
	Window bool
}

// JudgedIn reports whether the metric is judged in reports of cadence c.
func (d Def) JudgedIn(c string) bool { return slices.Contains(d.Cadences, c) }

// ActivityPrefix starts every activity metric id.
const ActivityPrefix = "activity."

var activityTypeRE = regexp.MustCompile(`^[a-z0-9][a-z0-9_]*$`)

// monthQuarter are the cadences of the pipeline meetings.
var monthQuarter = []string{"month", "quarter"}

// catalog lists the named metrics, in the order the metrics page shows them.
var catalog = []Def{
	{ID: "pipeline.created", Name: "Pipeline created", Unit: Money, Cadences: []string{"week"}, WholePeriod: true, Window: true,
		Formula: "Sum of the amounts of the deals whose created date falls in the week, against the weekly target (prorated for a rep who joined or left during the week)."},
	{ID: "pipeline.open", Name: "Open pipeline", Unit: Money, Cadences: monthQuarter,
		Formula: "Sum of the amounts of the deals open at the end of the period (or at the data cut-off for the period in progress): created on or before that day, and either still open or closed after it."},
	{ID: "pipeline.coverage", Name: "Pipeline coverage", Unit: Multiple, Cadences: monthQuarter,
		Formula: "Amount of the deals open at the data cut-off whose expected close date falls in the period, divided by the quota still to close in the period (the period's quota minus what was won in it so far). Shown for the period in progress and for the next period; a finished period has no coverage (with pipeline history, see coverage at the start), and a period whose quota is already met has nothing left to cover."},
	{ID: "pipeline.past_due", Name: "Past-due deals", Unit: Count, Direction: LowerIsBetter, Cadences: []string{"month"},
		Formula: "Open deals whose expected close date is before the data cut-off. Judged only for the month in progress: the data keeps each deal's current close date, not the dates it had in past months; with pipeline history a finished month is judged too, on the deals as they were on its last day."},
	{ID: "pipeline.stalled", Name: "Stalled deals", Unit: Count, Direction: LowerIsBetter, Cadences: []string{"month"},
		Formula: "Open deals whose latest sign of work (last activity, last stage change or creation) is more than stale_days days (30 by default) before the data cut-off. Judged only for the month in progress, for the same reason as past-due deals; with pipeline history a finished month is judged too: open deals on its last day with no recorded change for more than stale_days days."},
	{ID: "win_rate", Name: "Win rate", Unit: Ratio, Cadences: monthQuarter,
		Formula: "Deals won divided by deals won plus deals lost, by count, among the deals closed in the period."},
	{ID: "deal_size", Name: "Average deal size", Unit: Money, Cadences: monthQuarter,
		Formula: "Won amount divided by the number of deals won in the period (the mean)."},
	{ID: "cycle_days", Name: "Sales cycle", Unit: Days, Direction: LowerIsBetter, Cadences: monthQuarter,
		Formula: "Average (mean) number of days from created date to close date of the deals won in the period; the median is shown beside it, since one old deal can pull the mean up."},
	{ID: "forecast.accuracy", Name: "Forecast accuracy", Unit: Ratio, Cadences: monthQuarter, WholePeriod: true,
		Formula: "One minus the gap between the won amount and the commit, divided by the commit; 100% is a perfect call and a miss either way lowers it, never below 0. Only commits submitted on or before the period's last day count. The commit judged is the last one submitted on or before the period's seventh day (an early call, made while it still means something), else the first one submitted later in the period. Judged when the period is over."},
	{ID: "attainment", Name: "Quota attainment", Unit: Ratio, Cadences: monthQuarter, WholePeriod: true, DefaultTarget: 1,
		Formula: "Won amount in the period divided by the rep's quota for the period (monthly or quarterly; weeks have none), the quota prorated by the calendar days the rep was on the team in the period. Year to date: the won amounts of the fiscal year's quarters up to this one, divided by the same quarters' quotas."},
	{ID: "coaching.held", Name: "Coaching meetings held", Unit: Ratio, Cadences: monthQuarter,
		Formula: "Coaching meetings logged for the rep divided by the meetings the rhythm expects: one weekly meeting for each week that starts in the period, one pipeline meeting and one one-on-one a month (monthly pages), one territory review a quarter (quarterly pages). Each kind counts at most as many meetings as expected, ride-alongs are extra, and meetings are due by the end of the week before the data cut-off. Unknown without a coaching log."},
	{ID: "commitments.kept", Name: "Commitments kept", Unit: Ratio, Cadences: monthQuarter,
		Formula: "Of the commitments due in the period (on or before the data cut-off) whose outcome is known, the share kept: kept ÷ (kept + missed). A commitment that names a metric and a number is kept when the data reaches the number between the meeting and the due date, whatever its status says; one without a metric is kept or missed by the status the manager wrote (done or missed). Commitments with no status to ask about, dropped ones, and ones not yet due are not counted. The due date defaults to one period of the meeting's cadence after it: the day before the same weekday next week for a weekly meeting, the day before the same date next month for a monthly one or a one-on-one, three months for a territory review."},
	// Known only with pipeline history ([data.history] or [data.snapshots]).
	{ID: "pipeline.start_coverage", Name: "Coverage at the start", Unit: Multiple, Cadences: monthQuarter,
		Formula: "Open pipeline on the day before the period began whose expected close date fell in the period (the flow's start), divided by the rep's quota for the period. Needs pipeline history; known for finished periods too."},
	{ID: "pipeline.slipped", Name: "Slipped deals", Unit: Count, Direction: LowerIsBetter, Cadences: monthQuarter, WholePeriod: true,
		Formula: "Deals expected to close in the period whose close date was moved past the period's end during it (pushed out). Each is listed with its push count: how many times, up to the period's end, its expected close date moved into a later month."},
	{ID: "pipeline.stage_age", Name: "Days in current stage", Unit: Days, Direction: LowerIsBetter, Cadences: monthQuarter,
		Formula: "Average number of days the deals open at the end of the period had spent in their stage, counted from the day the history shows them entering it. The stage-aging table gives each stage's count, average and longest."},
	{ID: "pipeline.conversion", Name: "Stage conversion", Unit: Ratio, Cadences: monthQuarter,
		Formula: "Of the deals that left an open stage in the twelve months up to the end of the period, the share that moved on to a later stage or were won (the rest were lost, left the pipeline or went back a stage). Stages are ordered by how many days after creation deals first reach them; the table gives the rate out of each stage."},
	{ID: "sales_velocity", Name: "Sales velocity per day", Unit: Money, Cadences: monthQuarter,
		Formula: "Open deals at the end of the period × win rate × average won deal size ÷ average sales cycle in days, with win rate, deal size and cycle over the deals closed in the twelve months up to the end of the period: what the pipeline turns into revenue per day."},
	{ID: "pipeline.flow", Name: "Pipeline flow", Unit: Money, Cadences: monthQuarter,
		Formula: "The deals open the day before the period began with an expected close date in the period (start), plus deals created into it, plus deals whose close date moved into it (pulled in), minus deals whose close date moved out of it (pushed out), plus amount increases, minus amount decreases, minus won, minus lost (also a deal that vanished from the snapshots), equals the deals still open at the end with a close date in the period (end). A deal closed in the period from outside it was first pulled in (or created). The forecast trend shows won so far, commit and best case at the end of each week. Needs pipeline history."},
}

// Lookup returns the definition of id. Activity metrics get a definition made
// from their type.
func Lookup(id string) (Def, bool) {
	if t, ok := strings.CutPrefix(id, ActivityPrefix); ok {
		if d, ok := activityDefs.Load(id); ok {
			return d.(Def), true
		}
		if !activityTypeRE.MatchString(t) {
			return Def{}, false
		}
		d := activityDef(id, t)
		activityDefs.Store(id, d)
		return d, true
	}
	i := slices.IndexFunc(catalog, func(d Def) bool { return d.ID == id })
	if i < 0 {
		return Def{}, false
	}
	return catalog[i], true
}

// activityDefs memoizes activityDef by id: every judged activity value
// and every commitment on one holds its definition, and one text of the
// formula shared by all of them keeps a large org's memory down. The
// definitions never change; only the set of types seen grows.
var activityDefs sync.Map

// activityDef is the definition of activity metric id, of type t.
func activityDef(id, t string) Def {
	return Def{
		ID: id, Name: ActivityName(t), Unit: Count, Cadences: []string{"week", "quarter"}, WholePeriod: true, Window: true,
		Formula: "Sum of the count column of the activity rows of type \"" + t + "\" dated in the week (a blank count is 1), against the weekly target, prorated for a rep who joined or left during the week. A week in progress shows what is still needed; a completed week below target is a miss, and pattern_after misses in a row (3 by default) are a pattern. Quarterly pages judge the average per week over the quarter's completed weeks.",
	}
}

// Named returns the named (non-activity) metrics in catalog order.
func Named() []Def { return slices.Clone(catalog) }

// All yields the named metrics in catalog order without copying the
// catalog, for loops that run on every page. A Def yielded shares its
// Cadences with the catalog: do not change them.
func All() iter.Seq[Def] {
	return func(yield func(Def) bool) {
		for _, d := range catalog {
			if !yield(d) {
				return
			}
		}
	}
}

// IDs lists the named metric ids, for "did you mean" messages.
func IDs() []string {
	ids := make([]string, len(catalog))
	for i, d := range catalog {
		ids[i] = d.ID
	}
	return ids
}

// ActivityName turns an activity type into a label: "meetings_set" becomes
// "Meetings set".
func ActivityName(t string) string {
	s := strings.ReplaceAll(t, "_", " ")
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
