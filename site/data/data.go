// Package data owns the team's data: data/team.toml, the CSV exports
// (activities, opportunities, forecasts, coaching) and the quarterly plans in
// data/plans/*.toml, and the commitments made in meetings
// (data/commitments.csv), read into typed rows through the column mapping of
// coachbook.toml.
//
// Each CSV file is read row by row (memory grows with the rows kept, not the
// file's text). A column is found by the header named in
// [data.<kind>.columns], else by the preset's headers (salesforce, hubspot,
// pipedrive), else by the field's own name; headers match ignoring case,
// surrounding spaces and a UTF-8 byte-order mark. Dates are civil dates; with
// date_format = "auto" each column's layout (ISO, month-first or day-first)
// is decided from its values, and a column that reads both ways everywhere is
// an error asking for date_format. Amounts accept currency signs, thousands
// separators and, with decimal = ",", a decimal comma.
//
// Every row is accounted for. The rule for errors and warnings:
//
//   - a row that cannot be used (unknown rep, a date or amount that does not
//     parse, a negative count, a won deal without a close date, a close before
//     its creation, a duplicate deal id) is an error at its file:line:col; it
//     is left out and listed on the data-health page. `check` fails on it;
//     `build` still publishes, so one bad export row never blocks the reports;
//   - a row that is used but looks wrong (a won deal with no amount, an
//     activity outside the rep's employment dates) is a warning;
//   - a file that cannot be read at all (a required column missing, an
//     ambiguous date column, a broken team.toml) is an error that stops the
//     build, since every report would be wrong.
package data

import (
	"fmt"
	"io/fs"
	"math"
	"path"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/coachbook/coachbook/site/civil"
	"github.com/coachbook/coachbook/site/config"
	"github.com/coachbook/coachbook/site/diag"
	"github.com/coachbook/coachbook/site/metric"
)

// Outcome is where a deal stands.
type Outcome uint8

// Deal outcomes.
const (
	Open Outcome = iota
	Won
	Lost
)

func (o Outcome) String() string { return [...]string{"open", "won", "lost"}[o] }

// Fields tagged key:"-" say where a row is (its line, its rep's index in
// Team.Reps): pages do not show them, so the keys of report pages leave
// them out, and an edit above a row does not rewrite the pages it feeds
// (the data-health page, which shows lines, keys them all).

// Activity is one row of activities.csv.
type Activity struct {
	Date  civil.Date
	Rep   int32  `key:"-"` // index in Team.Reps
	Type  uint16 // index in Data.ActivityTypes
	File  uint16 `key:"-"` // index in Data.Files
	Count int32
	Line  int32 `key:"-"`
}

// Opportunity is one row of opportunities.csv.
type Opportunity struct {
	ID, Account, Name, Stage, ForecastCategory string
	Rep                                        int32  `key:"-"`
	File                                       uint16 `key:"-"` // index in Data.Files
	Outcome                                    Outcome
	Amount                                     float64 // in Data.Currency (converted)
	HasAmount                                  bool
	// Currency is the deal's own currency when it is not Data.Currency,
	// and Original its amount in it.
	Currency     string
	Original     float64
	Created      civil.Date // civil.None when blank
	Close        civil.Date // actual close (won/lost) or expected close (open); None when blank
	LastActivity civil.Date
	StageChanged civil.Date
	Line         int32 `key:"-"`
}

// Forecast is one row of forecasts.csv: a forecast submission.
type Forecast struct {
	Date     civil.Date
	Rep      int32  `key:"-"`
	Period   string // "2026-11" or "2026-Q4"
	File     uint16 `key:"-"` // index in Data.Files
	Commit   float64
	BestCase float64
	HasBest  bool
	Line     int32 `key:"-"`
}

// Meeting is one row of coaching.csv: a coaching meeting that happened.
type Meeting struct {
	Date    civil.Date
	Manager int32  `key:"-"` // index in Team.Managers, -1 when blank
	Rep     int32  `key:"-"`
	Kind    string // weekly, monthly, one-on-one, quarterly, ride-along
	File    uint16 `key:"-"` // index in Data.Files
	Guide   string
	Line    int32 `key:"-"`
}

// MeetingKinds are the kinds of coaching meeting.
var MeetingKinds = []string{"weekly", "monthly", "one-on-one", "quarterly", "ride-along"}

// Plan is one quarterly territory plan from data/plans/*.toml.
type Plan struct {
	File        string
	Rep         int32 `key:"-"`
	Quarter     string
	Goals       map[string]float64
	Strengths   []string
	Improve     []string
	KeyAccounts []string
	Actions     []PlanAction
}

// PlanAction is one action of a plan.
type PlanAction struct {
	What   string
	Due    civil.Date
	Status string // open, in progress, done, dropped
	Line   int    `key:"-"`
}

// Data is everything under data/.
type Data struct {
	Team          *Team
	Activities    []Activity
	ActivityTypes []string
	Opportunities []Opportunity
	Forecasts     []Forecast
	Meetings      []Meeting
	Commitments   []Commitment
	Plans         []Plan
	// Files accounts for the lines of each CSV file, in config.DataKinds order.
	Files []FileStats
	// Latest is the latest date in the data that records something that
	// happened, or civil.None; LatestAt says where it was read. See seen.
	Latest   civil.Date
	LatestAt DateAt
	// Problems are the diagnostics of the data files, for the data-health page.
	Problems diag.List
	// Withheld counts the problems at rows a part of the org (ForSite) does
	// not publish: they are in `coachbook check`, not on its pages.
	Withheld int
	// History is each deal's state over time, or nil without pipeline history.
	History *History
	// Currency is the currency every amount is in: [currency] corporate,
	// else the first currency an export names, else "" (none named).
	Currency string
	// CurrencyAt is where Currency was first read from the data, when
	// coachbook.toml does not name it.
	CurrencyAt DateAt
	// leftOut is the file:line of each deal id the opportunities export
	// rejected, so the history can say why it leaves the deal out.
	leftOut map[string]string
	rates   *config.Currency
	// oppIDs is where each deal id was read, across the opportunities files.
	oppIDs map[string]dealAt
}

// dealAt is a deal row's file (index in Files) and line.
type dealAt struct {
	file uint16
	line int32
}

// Bounds on activity data, so no count or type index can wrap: a row's count
// is at most MaxCount, the counts of a whole file add up to less than 2³¹
// (so any sum of them fits an int32), and a file has at most
// MaxActivityTypes types.
const (
	MaxCount         = 1_000_000
	MaxActivityTypes = 1000
)

var (
	activityFields = []fieldSpec{{name: "date", required: true, date: true}, {name: "rep", required: true}, {name: "type", required: true, firstOf: true}, {name: "count"}}
	oppFields      = []fieldSpec{
		{name: "id"}, {name: "rep", required: true}, {name: "account"}, {name: "name"}, {name: "stage"},
		{name: "amount", feeds: []string{"attainment", "deal_size", "pipeline.open", "pipeline.coverage", "won and lost amounts"}},
		{name: "created", date: true, feeds: []string{"pipeline.created", "pipeline.open", "cycle_days"}},
		{name: "close_date", date: true, feeds: []string{"attainment", "win_rate", "pipeline.coverage", "pipeline.past_due"}},
		{name: "forecast_category"},
		{name: "last_activity", date: true}, {name: "stage_changed", date: true},
		{name: "status"},
		{name: "won_date", date: true, feeds: []string{"attainment", "cycle_days"}},
		{name: "lost_date", date: true, feeds: []string{"win_rate"}},
		{name: "currency"}, {name: "amount_converted"},
	}
	forecastFields = []fieldSpec{{name: "date", required: true, date: true}, {name: "rep", required: true}, {name: "period", required: true}, {name: "commit", required: true}, {name: "best_case"}, {name: "currency"}}
	coachingFields = []fieldSpec{{name: "date", required: true, date: true}, {name: "manager"}, {name: "rep", required: true}, {name: "kind", required: true}, {name: "guide"}}
)

// Load reads every data file. The returned Data is usable even with
// diagnostics; see the package comment for which problems are fatal.
func Load(site fs.FS, cfg *config.Config) (*Data, diag.List) {
	var diags diag.List
	team, d := loadTeam(site)
	data := &Data{Team: team, Latest: civil.None, Currency: cfg.Currency.Corporate, rates: &cfg.Currency}
	if team.Unread {
		// Every row would be "not in data/team.toml": the one mistake
		// would be buried under thousands. The build stops on it anyway.
		for i := range d {
			d[i].Msg += "; the data files are read once it is fixed (no row can be matched to a rep without it)"
		}
		data.Problems = d
		return data, d
	}
	diags.Add(d...)
	typeIdx := map[string]uint16{}
	for _, kind := range config.DataKinds {
		files, fd := SourceFiles(site, kind, cfg.Data[kind])
		diags.Add(fd...)
		for _, src := range files {
			if len(data.Files) >= MaxFiles {
				diags.Errorf(config.File, src.Line, "[data.%s] %s would be data file number %d; coachbook reads at most %d", kind, src.Path, MaxFiles+1, MaxFiles)
				break
			}
			stats := FileStats{}
			var kd diag.List
			switch kind {
			case "activities":
				data.loadActivities(site, src, &kd, &stats, typeIdx)
			case "opportunities":
				data.loadOpportunities(site, src, &kd, &stats)
			case "forecasts":
				data.loadForecasts(site, src, &kd, &stats)
			case "coaching":
				data.loadMeetings(site, src, &kd, &stats)
			case "commitments":
				data.loadCommitments(site, src, &kd, &stats)
			}
			data.Files = append(data.Files, stats)
			if stats.Present {
				data.seenInName(stats.Path)
			}
			diags.Add(kd...)
		}
	}
	data.oppIDs = nil // needed while the opportunities files are read
	if cfg.Currency.Corporate == "" && data.Currency != "" && !(data.Currency == "USD" && cfg.Reports.Currency == "$") {
		at := data.CurrencyAt
		diags.Add(diag.Diagnostic{File: at.File, Line: at.Line, Severity: diag.Warning, Row: true,
			Msg: fmt.Sprintf("the deals' amounts are in %s (column %q) but coachbook.toml names no corporate currency; set [currency] corporate = %q so the pages show it, and give [currency.rates] for deals in other currencies", data.Currency, at.Column, data.Currency)})
	}
	diags.Add(data.quotaRates(&cfg.Currency)...)
	diags.Add(data.loadHistory(site, cfg)...)
	diags.Add(data.loadPlans(site)...)
	diags.Sort()
	data.Problems = diags
	return data, diags
}

// MaxFiles is how many data files coachbook reads (a row names its file
// by a 16-bit index).
const MaxFiles = 60000

// fileIndex is the index in Files of the file being read: it is appended
// when read.
func (d *Data) fileIndex() uint16 { return uint16(len(d.Files)) }

// FileOf is the path of the file a row was read from.
func (d *Data) FileOf(i uint16) string {
	if int(i) < len(d.Files) {
		return d.Files[i].Path
	}
	return ""
}

// SourceFiles lists the files of a kind, one Source each: every path of
// every [[data.<kind>]] entry, globs ("data/activities/*.csv") expanded in
// name order. A glob that matches nothing is an error when the path was
// configured.
func SourceFiles(site fs.FS, kind string, src *config.Source) ([]*config.Source, diag.List) {
	var out []*config.Source
	var diags diag.List
	if src == nil {
		return nil, nil
	}
	for _, s := range src.Each() {
		paths := s.Paths
		if len(paths) == 0 {
			paths = []string{s.Path}
		}
		for _, p := range paths {
			names := []string{p}
			if strings.ContainsAny(p, "*?[") {
				var err error
				names, err = fs.Glob(site, p)
				if err != nil {
					diags.Errorf(config.File, s.Line, "[data.%s] path %q is not a valid pattern: %v", kind, p, err)
					continue
				}
				if len(names) == 0 && s.Line > 0 {
					diags.Errorf(config.File, s.Line, "[data.%s] path %q matches no file in the site", kind, p)
				}
			}
			for _, name := range names {
				one := *s
				one.Path, one.Paths, one.Also = name, []string{name}, nil
				out = append(out, &one)
			}
		}
	}
	return out, diags
}

// DateAt says where a date was read: a file, a line (0 for the file's
// name) and the column.
type DateAt struct {
	File   string
	Line   int
	Column string
}

// seen notes a date that records something that happened, for the default
// cut-off: an activity, a forecast or a meeting, a deal's creation, last
// activity, last stage change or win, a change in the pipeline history, a
// snapshot, or the export's own date in its file name. An expected close
// date never counts, nor the close date of a lost deal: a deal marked lost
// often keeps the close date it was expected on (its lost date, when the
// export has one, counts).
func (d *Data) seen(t *table, field string, date civil.Date) {
	if date.Valid() && date > d.Latest {
		d.Latest = date
		d.LatestAt = DateAt{File: t.file, Line: t.line, Column: t.stats.Columns[field]}
	}
}

// seenInName notes the date an export's file name carries
// (Opportunity-2023-09-01.csv): the day it was taken.
func (d *Data) seenInName(file string) {
	if date, ok := snapshotDate(path.Base(file)); ok && date > d.Latest {
		d.Latest, d.LatestAt = date, DateAt{File: file}
	}
}

// currencyOf is the currency of the current row's amounts: its currency
// column, upper-cased, else the reports' currency. The first currency the
// data names becomes the reports' when coachbook.toml names none.
func (d *Data) currencyOf(t *table) (string, bool) {
	cur := strings.ToUpper(t.get("currency"))
	if cur == "" {
		return d.Currency, true
	}
	if !config.IsCode(cur) {
		t.reject(t.colOf("currency"), "currency %q is not an ISO code like USD or EUR", t.get("currency"))
		return "", false
	}
	if d.Currency == "" {
		d.Currency = strings.Clone(cur)
		d.CurrencyAt = DateAt{File: t.file, Line: t.line, Column: t.stats.Columns["currency"]}
	}
	return cur, true
}

// quotaRates gives each quota set in a currency of its own that
// currency's rates. A quota in a currency without a rate is an error at
// its line in team.toml, and the rep carries no quota rather than one
// measured in the wrong currency.
func (d *Data) quotaRates(c *config.Currency) diag.List {
	var diags diag.List
	for _, r := range d.Team.Reps {
		q := &r.Quota
		if !q.Set || q.Currency == "" {
			continue
		}
		if q.Currency == d.Currency {
			q.Currency = ""
			continue
		}
		if d.Currency != "" {
			q.Rates = c.Rates[q.Currency]
		}
		if len(q.Rates) == 0 {
			in := "the reports name no currency"
			if d.Currency != "" {
				in = "the reports are in " + d.Currency
			}
			diags.Errorf(TeamFile, q.Line, "rep %q: the quota is in %s and %s, with no rate between them: %s, or give the quota in the reports' currency", r.ID, q.Currency, in, c.RateHint(q.Currency))
			q.Set = false
		}
	}
	return diags
}

// convert puts a deal's amount in the reports' currency: the export's
// converted amount when it has one, else the amount times the rate of the
// deal's currency on its close date (else its creation). A deal in another
// currency without a rate is left out, never added as if it were the same
// currency.
func (d *Data) convert(t *table, o *Opportunity) bool {
	if t.col["amount"] == t.col["amount_converted"] && t.has("amount_converted") {
		return true // the amount column is the converted one
	}
	cur, ok := d.currencyOf(t)
	if !ok {
		return false
	}
	if cur == d.Currency || !o.HasAmount {
		if cur != d.Currency {
			o.Currency = strings.Clone(cur)
		}
		return true
	}
	o.Currency, o.Original = strings.Clone(cur), o.Amount
	if conv, set, ok := t.amount("amount_converted"); !ok {
		return false
	} else if set {
		o.Amount = conv
		return true
	}
	day := o.Close
	if !day.Valid() {
		day = o.Created
	}
	rate, ok := d.rates.RateOf(cur, day)
	if !ok {
		t.reject(t.colOf("currency"), "amount %s is in %s and the reports are in %s, with no rate between them: %s", t.get("amount"), cur, d.Currency, d.rates.HowToRate(cur))
		return false
	}
	o.Amount = math.Round(o.Amount*rate*100) / 100
	return true
}

// convertForecast puts a forecast's commit and best case in the reports'
// currency at the rate of the day it was submitted. A forecast in a
// currency without a rate is left out, with a message naming the currency.
func (d *Data) convertForecast(t *table, day civil.Date, commit, best float64) (float64, float64, bool) {
	cur, ok := d.currencyOf(t)
	if !ok {
		return 0, 0, false
	}
	if cur == d.Currency {
		return commit, best, true
	}
	rate, ok := d.rates.RateOf(cur, day)
	if !ok {
		t.reject(t.colOf("currency"), "commit %s is in %s and the reports are in %s, with no rate between them: %s", t.get("commit"), cur, d.Currency, d.rates.RateHint(cur))
		return 0, 0, false
	}
	return math.Round(commit*rate*100) / 100, math.Round(best*rate*100) / 100, true
}

// checkEmployment warns about a row dated outside the rep's time on the team.
func (d *Data) checkEmployment(t *table, rep int, date civil.Date, field string) {
	r := d.Team.Reps[rep]
	if (r.Start.Valid() && date < r.Start) || (r.End.Valid() && date > r.End) {
		t.warn(field, "%s is outside %s's time on the team (%s to %s); the reports leave the row out (fix the date, or the rep's start or end in data/team.toml)", date, r.ID, orDash(r.Start), orDash(r.End))
	}
}

func orDash(d civil.Date) string {
	if d.Valid() {
		return d.String()
	}
	return "…"
}

// datedRows reads a CSV file whose rows each have a date and a rep, and
// calls row for every row whose date parses and whose rep is known (the
// others are rejected and reported).
func (d *Data) datedRows(site fs.FS, kind string, src *config.Source, fields []fieldSpec, diags *diag.List, stats *FileStats, row func(t *table, date civil.Date, rep int)) {
	t, closeFn := openTable(site, kind, src, fields, diags, stats)
	if t == nil {
		return
	}
	defer closeFn()
	for t.next() {
		date, ok := t.date("date", true)
		if !ok {
			continue
		}
		if rep, ok := t.rep(d.Team, "rep"); ok {
			row(t, date, rep)
		}
	}
}

func (d *Data) loadActivities(site fs.FS, src *config.Source, diags *diag.List, stats *FileStats, typeIdx map[string]uint16) {
	types, ok := newActivityTypes(src, diags)
	if !ok {
		return
	}
	var total int64 // every count of the file, kept below 2³¹
	d.datedRows(site, "activities", src, activityFields, diags, stats, func(t *table, date civil.Date, rep int) {
		ti, ok := d.activityType(t, types, typeIdx)
		if !ok {
			return
		}
		count, ok := activityCount(t)
		if !ok {
			return
		}
		if total+int64(count) > math.MaxInt32 {
			t.reject(t.colOf("count"), "the counts of this file add up to more than %d here; split the data or check the counts", int64(math.MaxInt32))
			return
		}
		total += int64(count)
		d.checkEmployment(t, rep, date, "date")
		d.Activities = append(d.Activities, Activity{Date: date, Rep: int32(rep), Type: ti, Count: int32(count), Line: int32(t.line), File: d.fileIndex()})
		d.seen(t, "date", date)
		stats.Used++
	})
}

// activityTypes is how an activities file's type labels become activity
// types: [data.activities.types] names the type of each label the export
// uses, exact labels and patterns with * (tried in the order of the
// types' names); fixed is [data.activities] type, for a file of one
// type; raw remembers each label's type as it is met.
type activityTypes struct {
	labels   map[string]string
	patterns []typePattern
	fixed    string
	raw      map[string]uint16
}

// newActivityTypes reads the types of src; ok is false when its fixed
// type is not an activity type, and the file is not read.
func newActivityTypes(src *config.Source, diags *diag.List) (at *activityTypes, ok bool) {
	at = &activityTypes{labels: map[string]string{}, raw: map[string]uint16{}}
	typeNames := make([]string, 0, len(src.Types))
	for typ := range src.Types {
		typeNames = append(typeNames, typ)
	}
	slices.Sort(typeNames)
	for _, typ := range typeNames {
		if _, ok := metric.Lookup(metric.ActivityPrefix + typ); !ok {
			diags.Errorf(config.File, src.Line, "[data.activities.types] %q is not an activity type; use a word of lower-case letters, digits and _ (like meetings_set)", typ)
			continue
		}
		for _, l := range src.Types[typ] {
			l = strings.ToLower(strings.TrimSpace(l))
			if strings.Contains(l, "*") {
				at.patterns = append(at.patterns, typePattern{l, typ})
			} else {
				at.labels[l] = typ
			}
		}
	}
	at.fixed = strings.TrimSpace(src.Type)
	if at.fixed != "" {
		if _, ok := metric.Lookup(metric.ActivityPrefix + at.fixed); !ok {
			diags.Errorf(config.File, src.Line, "[data.activities] type = %q is not an activity type; use a word of lower-case letters, digits and _ (like calls)", at.fixed)
			return at, false
		}
	}
	return at, true
}

// activityType is the index in d.ActivityTypes of the type of t's current
// row (typeIdx: by type, across every activities file), adding the type
// when it is new; ok is false when the row is rejected.
func (d *Data) activityType(t *table, at *activityTypes, typeIdx map[string]uint16) (uint16, bool) {
	raw := t.get("type")
	if raw == "" && at.fixed != "" {
		raw = at.fixed
	}
	if ti, ok := at.raw[raw]; ok {
		return ti, true
	}
	low := strings.ToLower(strings.TrimSpace(raw))
	typ, mapped := at.labels[low]
	for i := 0; !mapped && i < len(at.patterns); i++ {
		if wildMatch(at.patterns[i].pattern, low) {
			typ, mapped = at.patterns[i].typ, true
		}
	}
	if !mapped {
		typ = strings.ToLower(strings.Join(strings.FieldsFunc(raw, func(r rune) bool { return r == ' ' || r == '-' || r == '_' }), "_"))
	}
	if typ == "" {
		t.reject(t.colOf("type"), "type is blank; if the type is in another column (Salesforce: TaskSubtype or the Subject), list the columns in [data.activities.columns] type = [\"Type\", \"Subject\"]")
		return 0, false
	}
	if _, ok := metric.Lookup(metric.ActivityPrefix + typ); !ok {
		t.reject(t.colOf("type"), "type %q must be a word of letters and digits (like meetings_set); map the label to a type with [data.activities.types] (a label may end in *, like \"Call*\")", raw)
		return 0, false
	}
	ti, ok := typeIdx[typ]
	if !ok {
		if len(d.ActivityTypes) >= MaxActivityTypes {
			t.reject(t.colOf("type"), "type %q would be activity type number %d; coachbook reads at most %d types: map the export's labels to fewer types with [data.activities.types] in coachbook.toml", raw, MaxActivityTypes+1, MaxActivityTypes)
			return 0, false
		}
		ti = uint16(len(d.ActivityTypes))
		typeIdx[typ] = ti
		d.ActivityTypes = append(d.ActivityTypes, typ)
	}
	at.raw[strings.Clone(raw)] = ti
	return ti, true
}

// activityCount is the count of t's current row, 1 when it has none; ok
// is false when the row is rejected.
func activityCount(t *table) (int, bool) {
	c := t.get("count")
	if c == "" {
		return 1, true
	}
	n, err := strconv.Atoi(c)
	if err != nil {
		f, ferr := ParseAmount(c, t.decimal)
		if ferr != nil || f != float64(int(f)) {
			t.reject(t.colOf("count"), "count %q is not a whole number", c)
			return 0, false
		}
		n = int(f)
	}
	if n < 0 {
		t.reject(t.colOf("count"), "count %d is negative; write corrections as a smaller count on the original row", n)
		return 0, false
	}
	if n > MaxCount {
		t.reject(t.colOf("count"), "count %d is more than %d; one row counts one rep's activities of one day", n, MaxCount)
		return 0, false
	}
	return n, true
}

// typePattern is an activity-type label with * in it.
type typePattern struct{ pattern, typ string }

// wildMatch reports whether s matches pattern, where * stands for any run
// of characters (both already lower-case).
func wildMatch(pattern, s string) bool {
	parts := strings.Split(pattern, "*")
	if !strings.HasPrefix(s, parts[0]) {
		return false
	}
	s = s[len(parts[0]):]
	last := parts[len(parts)-1]
	for _, p := range parts[1 : len(parts)-1] {
		i := strings.Index(s, p)
		if i < 0 {
			return false
		}
		s = s[i+len(p):]
	}
	return len(parts) == 1 && s == "" || len(parts) > 1 && strings.HasSuffix(s, last)
}

// stageOutcome maps stage labels to outcomes: the configured lists, else
// the preset's, else "won"/"closed won" and "lost"/"closed lost".
func stageOutcome(src *config.Source) map[string]Outcome {
	m := map[string]Outcome{}
	p := presets[strings.ToLower(src.Preset)]
	won, lost := src.Stages["won"], src.Stages["lost"]
	if won == nil {
		won = append(slices.Clone(p.won), "Won", "Closed Won")
	}
	if lost == nil {
		lost = append(slices.Clone(p.lost), "Lost", "Closed Lost")
	}
	for _, s := range won {
		m[strings.ToLower(strings.TrimSpace(s))] = Won
	}
	for _, s := range lost {
		m[strings.ToLower(strings.TrimSpace(s))] = Lost
	}
	return m
}

func (d *Data) loadOpportunities(site fs.FS, src *config.Source, diags *diag.List, stats *FileStats) {
	t, closeFn := openTable(site, "opportunities", src, oppFields, diags, stats)
	if t == nil {
		return
	}
	defer closeFn()
	if _, ok := t.col["stage"]; !ok {
		if _, ok := t.col["status"]; !ok {
			diags.Errorf(t.file, 1, "no column for stage (or status); the headers are: %s; add [data.opportunities.columns] stage = \"<header>\" to coachbook.toml", quoteList(t.header))
			return
		}
	}
	outcomes := stageOutcome(src)
	if d.oppIDs == nil {
		d.oppIDs = map[string]dealAt{}
	}
	// Stages, categories and accounts repeat from row to row: one copy of
	// each text, where a copy per row cost 39 MB in a 2,000-rep org.
	texts := map[string]string{}
	once := func(s string) string {
		if c, ok := texts[s]; ok {
			return c
		}
		c := strings.Clone(s)
		texts[c] = c
		return c
	}
	for t.next() {
		before := stats.Rejected
		if o, won, lost, ok := d.readOpportunity(t, outcomes, once); ok && d.checkOpportunity(t, &o) {
			d.addOpportunity(t, o, won, lost)
			stats.Used++
		}
		// The pipeline history names the deals it leaves out with this row.
		if id := t.get("id"); id != "" && stats.Rejected > before {
			if d.leftOut == nil {
				d.leftOut = map[string]string{}
			}
			if _, seen := d.leftOut[id]; !seen {
				d.leftOut[strings.Clone(id)] = fmt.Sprintf("%s:%d", t.file, t.line)
			}
		}
	}
}

// readOpportunity reads the deal on t's current row: its rep, fields,
// outcome (from status, or the stage), dates and amount, in the reports'
// currency. won and lost are the row's won_date and lost_date, which set
// the close of a deal won or lost. ok is false when the row is rejected.
// once gives the shared copy of a text that repeats from row to row.
func (d *Data) readOpportunity(t *table, outcomes map[string]Outcome, once func(string) string) (o Opportunity, won, lost civil.Date, ok bool) {
	rep, ok := t.rep(d.Team, "rep")
	if !ok {
		return o, won, lost, false
	}
	o = Opportunity{Rep: int32(rep), Line: int32(t.line), File: d.fileIndex(),
		ID: strings.Clone(t.get("id")), Account: once(t.get("account")), Name: strings.Clone(t.get("name")),
		Stage: once(t.get("stage")), ForecastCategory: once(t.get("forecast_category"))}
	status := t.get("status")
	if status == "" {
		status = o.Stage
	}
	o.Outcome = outcomes[strings.ToLower(status)]
	for _, f := range []struct {
		name string
		dst  *civil.Date
	}{{"created", &o.Created}, {"close_date", &o.Close}, {"last_activity", &o.LastActivity}, {"stage_changed", &o.StageChanged}, {"won_date", &won}, {"lost_date", &lost}} {
		v, ok := t.date(f.name, false)
		if !ok {
			return o, won, lost, false
		}
		*f.dst = v
	}
	if o.Outcome == Won && won.Valid() {
		o.Close = won
	}
	if o.Outcome == Lost && lost.Valid() {
		o.Close = lost
	}
	amount, set, ok := t.amount("amount")
	if !ok {
		return o, won, lost, false
	}
	o.Amount, o.HasAmount = amount, set
	if amount < 0 {
		t.reject(t.colOf("amount"), "amount %s is negative", t.get("amount"))
		return o, won, lost, false
	}
	if !d.convert(t, &o) {
		return o, won, lost, false
	}
	return o, won, lost, true
}

// checkOpportunity checks a deal read from t's current row against the
// deals before it (its id, across every opportunities file) and its own
// dates, and reports whether it is kept; a won deal without an amount is
// kept with a warning.
func (d *Data) checkOpportunity(t *table, o *Opportunity) bool {
	if o.ID != "" {
		if first, dup := d.oppIDs[o.ID]; dup && first.file == o.File {
			t.reject(t.colOf("id"), "deal id %q already appears on line %d; remove the duplicate row", o.ID, first.line)
			return false
		} else if dup {
			t.reject(t.colOf("id"), "deal id %q already appears in %s, line %d; remove the duplicate row (or keep one export of each deal)", o.ID, d.FileOf(first.file), first.line)
			return false
		}
		d.oppIDs[o.ID] = dealAt{o.File, o.Line}
	}
	if o.Outcome != Open && !o.Close.Valid() {
		t.reject(t.colOf("close_date"), "%s deal has no close date; fill in the date it closed", o.Outcome)
		return false
	}
	if o.Created.Valid() && o.Close.Valid() && o.Close < o.Created && o.Outcome != Open {
		t.reject(t.colOf("close_date"), "closed %s, before it was created (%s); fix one of the two dates", o.Close, o.Created)
		return false
	}
	if o.Outcome == Won && !o.HasAmount {
		t.warn("amount", "won deal has no amount; it counts as a win worth 0")
	}
	if o.Outcome != Open {
		d.checkEmployment(t, int(o.Rep), o.Close, "close_date")
	}
	return true
}

// addOpportunity keeps a deal, and notes the days of its dates for the
// reported range.
func (d *Data) addOpportunity(t *table, o Opportunity, won, lost civil.Date) {
	d.Opportunities = append(d.Opportunities, o)
	d.seen(t, "created", o.Created)
	d.seen(t, "last_activity", o.LastActivity)
	d.seen(t, "stage_changed", o.StageChanged)
	if o.Outcome == Won {
		d.seen(t, "won_date", won)
		d.seen(t, "close_date", o.Close)
	}
	if o.Outcome == Lost {
		d.seen(t, "lost_date", lost)
	}
}

// ParsePeriod checks a forecast period: a month "2026-11" or a fiscal
// quarter "2026-Q4".
func ParsePeriod(s string) (string, bool) {
	s = strings.ToUpper(strings.TrimSpace(s))
	if len(s) == 7 && s[4] == '-' {
		if _, err := time.Parse("2006-01", s); err == nil {
			return s, true
		}
		if s[5] == 'Q' && s[6] >= '1' && s[6] <= '4' {
			if _, err := strconv.Atoi(s[:4]); err == nil {
				return s, true
			}
		}
	}
	return "", false
}

func (d *Data) loadForecasts(site fs.FS, src *config.Source, diags *diag.List, stats *FileStats) {
	d.datedRows(site, "forecasts", src, forecastFields, diags, stats, func(t *table, date civil.Date, rep int) {
		period, ok := ParsePeriod(t.get("period"))
		if !ok {
			t.reject(t.colOf("period"), "period %q is not a month like 2026-11 or a quarter like 2026-Q4", t.get("period"))
			return
		}
		commit, set, ok := t.amount("commit")
		if !ok {
			return
		}
		if !set {
			t.reject(t.colOf("commit"), "commit is blank")
			return
		}
		best, hasBest, ok := t.amount("best_case")
		if !ok {
			return
		}
		if commit, best, ok = d.convertForecast(t, date, commit, best); !ok {
			return
		}
		d.Forecasts = append(d.Forecasts, Forecast{Date: date, Rep: int32(rep), Period: period, Commit: commit, BestCase: best, HasBest: hasBest, Line: int32(t.line), File: d.fileIndex()})
		d.seen(t, "date", date)
		stats.Used++
	})
}

func (d *Data) loadMeetings(site fs.FS, src *config.Source, diags *diag.List, stats *FileStats) {
	d.datedRows(site, "coaching", src, coachingFields, diags, stats, func(t *table, date civil.Date, rep int) {
		mgr := -1
		if m := t.get("manager"); m != "" {
			if mgr = d.Team.Manager(m); mgr < 0 {
				t.reject(t.colOf("manager"), "manager %q is not in data/team.toml [[managers]]", m)
				return
			}
		}
		kind, ok := meetingKind(t.get("kind"))
		if !ok {
			t.reject(t.colOf("kind"), "kind %q is not one of %s", t.get("kind"), strings.Join(MeetingKinds, ", "))
			return
		}
		d.Meetings = append(d.Meetings, Meeting{Date: date, Manager: int32(mgr), Rep: int32(rep), Kind: kind, Guide: strings.Clone(t.get("guide")), Line: int32(t.line), File: d.fileIndex()})
		d.seen(t, "date", date)
		stats.Used++
	})
}

type planFile struct {
	Rep         string
	Quarter     string
	Goals       map[string]float64
	Strengths   []string
	Improve     []string
	KeyAccounts []string `toml:"key_accounts"`
	Actions     []struct {
		What   string
		Due    *time.Time
		Status string
	}
}

// PlanStatuses are the states of a plan action.
var PlanStatuses = []string{"open", "in progress", "done", "dropped"}

func (d *Data) loadPlans(site fs.FS) diag.List {
	var diags diag.List
	files, err := fs.Glob(site, "data/plans/*.toml")
	if err != nil {
		diags.Errorf("data/plans", 0, "cannot list plans: %v", err)
		return diags
	}
	for _, file := range files {
		src, err := fs.ReadFile(site, file)
		if err != nil {
			diags.Errorf(file, 0, "cannot read: %v", err)
			continue
		}
		var pf planFile
		md, err := diag.DecodeTOML(string(src), &pf)
		if err != nil {
			diags.Add(diag.FromTOML(file, 0, err))
			continue
		}
		lines := diag.KeyLines(string(src))
		for _, k := range md.Undecoded() {
			if len(k) > 1 && k[0] == "goals" {
				continue
			}
			diags.Warnf(file, lines[k.String()], "unknown key %q is ignored; a plan has rep, quarter, strengths, improve, key_accounts, [goals] and [[actions]]", k.String())
		}
		rep := d.Team.Rep(pf.Rep)
		if rep < 0 {
			diags.Errorf(file, lines["rep"], "rep %q is not in data/team.toml; fix the rep or add them to [[reps]]", pf.Rep)
			continue
		}
		q, ok := ParsePeriod(pf.Quarter)
		if !ok || !strings.Contains(q, "Q") {
			diags.Errorf(file, lines["quarter"], "quarter %q is not a fiscal quarter like 2026-Q4", pf.Quarter)
			continue
		}
		p := Plan{File: file, Rep: int32(rep), Quarter: q, Goals: map[string]float64{}, Strengths: pf.Strengths, Improve: pf.Improve, KeyAccounts: pf.KeyAccounts}
		for id, v := range pf.Goals {
			if _, ok := metric.Lookup(id); !ok {
				diags.Errorf(file, lines["goals."+id], "goal for unknown metric %q; use activity.<type> or a metric from the README", id)
				continue
			}
			if p := numberProblem(v); p != "" {
				diags.Errorf(file, lines["goals."+id], "goal %s: %s", id, p)
				continue
			}
			p.Goals[id] = v
		}
		for i, a := range pf.Actions {
			line := lines[fmt.Sprintf("actions.%d", i)]
			act := PlanAction{What: strings.TrimSpace(a.What), Due: civil.None, Status: strings.ToLower(strings.TrimSpace(a.Status)), Line: line}
			if act.Status == "" {
				act.Status = "open"
			}
			if !slices.Contains(PlanStatuses, act.Status) {
				diags.Errorf(file, lines[fmt.Sprintf("actions.%d.status", i)], "status %q: use one of %s", a.Status, strings.Join(PlanStatuses, ", "))
				continue
			}
			if act.What == "" {
				diags.Errorf(file, line, "action %d has no what = \"...\"", i+1)
				continue
			}
			if a.Due != nil {
				act.Due = civil.FromTime(*a.Due)
			}
			p.Actions = append(p.Actions, act)
		}
		d.Plans = append(d.Plans, p)
	}
	return diags
}
