package data

import (
	"cmp"
	"fmt"
	"io/fs"
	"math"
	"path"
	"slices"
	"strconv"
	"strings"

	"github.com/coachbook/coachbook/site/civil"
	"github.com/coachbook/coachbook/site/config"
	"github.com/coachbook/coachbook/site/diag"
)

// Pipeline history turns a change log ([data.history]) and dated pipeline
// exports ([data.snapshots]) into one timeline per deal: the deal's state
// from each day it changed. Only changes are kept, so memory grows with the
// number of changes, not with deals times snapshots: a deal that looks the
// same in fifty weekly snapshots costs one state.

// DealState is what a deal looked like from day From until its next state.
// It is kept small (32 bytes): labels and file names are indexes into the
// History's tables.
type DealState struct {
	Amount    float64
	From      civil.Date
	Close     civil.Date // expected close (open) or actual close (won, lost)
	Line      int32      `key:"-"` // where the state was read, for messages
	Stage     Label
	Category  Label // forecast category
	File      Label // the file the state was read from ("" for the export)
	Outcome   Outcome
	Gone      bool // left the snapshots while open, without being won or lost
	HasAmount bool
}

// Label is an index into History.Labels: a stage, a forecast category or a
// file name, each stored once.
type Label uint16

// same reports whether two states describe the deal identically.
func (s DealState) same(o DealState) bool {
	return s.Stage == o.Stage && s.Category == o.Category && s.Outcome == o.Outcome && s.Gone == o.Gone &&
		s.HasAmount == o.HasAmount && s.Amount == o.Amount && s.Close == o.Close
}

// Timeline is one deal's states, oldest first.
type Timeline struct {
	ID      string
	Rep     int32      `key:"-"`
	Created civil.Date // the first day the deal existed
	Opp     int32      `key:"-"` // index in Data.Opportunities, -1 when the current export lacks the deal
	States  []DealState
	// Observed is false for a deal the history never mentions: its
	// timeline is made from the current export alone.
	Observed bool
}

// At returns the deal's state at the end of day d; ok is false before the
// deal existed.
func (t *Timeline) At(d civil.Date) (DealState, bool) {
	i, _ := slices.BinarySearchFunc(t.States, d+1, func(s DealState, x civil.Date) int { return cmp.Compare(s.From, x) })
	if i == 0 {
		return DealState{}, false
	}
	return t.States[i-1], true
}

// History is every deal's timeline, from the change log, the snapshots, or
// both.
type History struct {
	Deals []Timeline
	// Labels holds the text of every Label; Labels[0] is "".
	Labels []string
	// From is the first day the history covers; periods that start before
	// it have no flow.
	From civil.Date
	// Snapshots are the dates of the snapshots, oldest first.
	Snapshots []civil.Date
	// SnapshotFiles names the file of each snapshot date (a folder of snapshots).
	SnapshotFiles map[civil.Date]string
	// Sources names what the history was read from, for the pages.
	Sources []string
}

// Text is the text of a label.
func (h *History) Text(l Label) string { return h.Labels[l] }

var (
	historyFields = []fieldSpec{
		{name: "id", required: true}, {name: "date", required: true, date: true}, {name: "rep"},
		{name: "stage"}, {name: "amount"}, {name: "close_date", date: true}, {name: "forecast_category"},
		{name: "created", date: true}, {name: "property"}, {name: "value"}, {name: "currency"},
	}
	snapshotFields = append(slices.Clone(oppFields), fieldSpec{name: "snapshot_date", date: true})
)

// historyProperty maps the properties of a long change log (one property
// per row, HubSpot's property history) onto fields: internal names and labels.
var historyProperty = map[string]string{
	"dealstage": "stage", "deal stage": "stage", "stage": "stage", "stagename": "stage",
	"amount": "amount", "amount in company currency": "amount",
	"closedate": "close_date", "close date": "close_date", "close_date": "close_date",
	"hs_forecast_category": "forecast_category", "forecast category": "forecast_category", "forecast_category": "forecast_category", "forecastcategoryname": "forecast_category",
}

// partial is one change-log row before it is folded into full states: set
// says which fields the row gives.
type partial struct {
	state DealState
	set   uint8
	// timed says the row's date carries a time of day; stamp is then its
	// milliseconds since midnight UTC (see TimeOfDay), which orders the
	// changes of one day. Rows of one day without a time keep file order.
	timed bool
	stamp int64
}

const (
	setStage uint8 = 1 << iota
	setCategory
	setAmount
	setClose
)

// historyReader builds the timelines.
type historyReader struct {
	d        *Data
	h        *History
	byID     map[string]int32 // deal id -> index in h.Deals
	oppByID  map[string]int32
	labels   map[string]Label // the label of each text in h.Labels
	raw      map[int32][]partial
	unsorted map[int32]bool
	seen     []snapSeen // per deal, its presence in the snapshots
	diags    *diag.List
}

// snapSeen is where a deal appeared in the snapshot series.
type snapSeen struct {
	first, last civil.Date
	n           int32
	file        Label
	line        int32
}

// intern returns the label of a text, adding it when new.
func (r *historyReader) intern(s string) Label {
	if l, ok := r.labels[s]; ok {
		return l
	}
	if len(r.h.Labels) > math.MaxUint16 {
		return 0 // more distinct stages, categories and files than anyone has
	}
	l := Label(len(r.h.Labels))
	s = strings.Clone(s)
	r.h.Labels = append(r.h.Labels, s)
	r.labels[s] = l
	return l
}

// deal returns the index of the deal's timeline, making it when new; the
// rep comes from the current export, else from the row. ok is false after
// rejecting the row.
func (r *historyReader) deal(t *table, id string) (int32, bool) {
	if i, ok := r.byID[id]; ok {
		return i, true
	}
	tl := Timeline{ID: id, Opp: -1, Created: civil.None, Observed: true}
	if oi, ok := r.oppByID[id]; ok {
		tl.ID, tl.Opp = r.d.Opportunities[oi].ID, oi // the export's copy of the id
		tl.Rep = r.d.Opportunities[oi].Rep
	} else {
		tl.ID = strings.Clone(id)
		if line, ok := r.d.leftOut[id]; ok {
			t.reject(t.colOf("id"), "deal %q is left out of the opportunities export (%s has a problem, listed there); its history is left out with it: fix that row", id, line)
			return 0, false
		}
		if t.get("rep") == "" {
			t.reject(t.colOf("id"), "deal %q is not in the current opportunities export and the row names no rep; add a rep column or the deal to the export", id)
			return 0, false
		}
		rep, ok := t.rep(r.d.Team, "rep")
		if !ok {
			return 0, false
		}
		tl.Rep = int32(rep)
	}
	i := int32(len(r.h.Deals))
	r.h.Deals = append(r.h.Deals, tl)
	r.byID[tl.ID] = i
	return i, true
}

// loadHistory reads [data.history] and [data.snapshots] when present.
func (d *Data) loadHistory(site fs.FS, cfg *config.Config) diag.List {
	var diags diag.List
	r := &historyReader{d: d, h: &History{From: civil.None, SnapshotFiles: map[civil.Date]string{}, Labels: []string{""}}, byID: map[string]int32{}, oppByID: map[string]int32{},
		labels: map[string]Label{"": 0}, raw: map[int32][]partial{}, unsorted: map[int32]bool{}, diags: &diags}
	for i := range d.Opportunities {
		if id := d.Opportunities[i].ID; id != "" {
			r.oppByID[id] = int32(i)
		}
	}
	logs, ld := SourceFiles(site, "history", cfg.Data["history"])
	diags.Add(ld...)
	for _, src := range logs {
		var st FileStats
		r.readLog(site, src, &st)
		if st.Present {
			d.Files = append(d.Files, st)
			r.h.Sources = append(r.h.Sources, st.Path)
		}
	}
	if src := cfg.Data["snapshots"]; src != nil {
		var st FileStats
		r.readSnapshots(site, src, &st)
		if st.Present {
			d.Files = append(d.Files, st)
			r.h.Sources = append(r.h.Sources, st.Path)
		}
	}
	if len(r.h.Sources) == 0 {
		return diags
	}
	r.finish()
	d.History = r.h
	return diags
}

// readLog reads the change log: wide rows (a column per field) or long
// rows (property and value), each the deal's values after one change.
func (r *historyReader) readLog(site fs.FS, src *config.Source, stats *FileStats) {
	t, closeFn := openTable(site, "history", src, historyFields, r.diags, stats)
	if t == nil {
		return
	}
	defer closeFn()
	_, long := t.col["property"]
	if _, hasValue := t.col["value"]; long != hasValue {
		r.diags.Errorf(t.file, 1, "a change log with one property per row needs both a property and a value column; the headers are: %s", quoteList(t.header))
		return
	}
	outcomes := stageOutcome(src)
	for t.next() {
		date, ok := t.date("date", true)
		if !ok {
			continue
		}
		id := t.get("id")
		if id == "" {
			t.reject(t.colOf("id"), "id is blank")
			continue
		}
		p := partial{state: DealState{From: date, File: r.intern(t.file), Line: int32(t.line)}}
		p.stamp, p.timed = TimeOfDay(t.get("date"))
		if long {
			if !r.property(t, &p, outcomes) {
				continue
			}
		} else if !r.wide(t, &p, outcomes) {
			continue
		}
		created, ok := t.date("created", false)
		if !ok {
			continue
		}
		if p.set&setAmount != 0 && p.state.HasAmount && !r.convert(t, id, &p.state.Amount, p.state.From) {
			continue
		}
		di, ok := r.deal(t, id)
		if !ok {
			continue
		}
		if created.Valid() && (!r.h.Deals[di].Created.Valid() || created < r.h.Deals[di].Created) {
			r.h.Deals[di].Created = created
		}
		r.raw[di] = append(r.raw[di], p)
		r.h.From = minDate(r.h.From, date)
		r.d.seen(t, "date", date)
		stats.Used++
	}
}

// convert puts a change's (or a snapshot row's) amount in the reports'
// currency: the deal's currency is the row's currency column, else the
// export's for the deal. A deal's amounts are converted at one rate, the
// export's (at its close, else its creation), so a dated rate never shows
// as a change of the deal's amount; a deal the export lacks converts at
// day, the row's own date.
func (r *historyReader) convert(t *table, id string, amount *float64, day civil.Date) bool {
	cur := strings.ToUpper(t.get("currency"))
	if oi, ok := r.oppByID[id]; ok {
		o := &r.d.Opportunities[oi]
		if cur == "" {
			cur = o.Currency
		}
		if day = o.Close; !day.Valid() {
			day = o.Created
		}
	}
	if cur == "" || cur == r.d.Currency {
		return true
	}
	rate, ok := r.d.rates.RateOf(cur, day)
	if !ok {
		t.reject(t.colOf("amount"), "amount is in %s and the reports are in %s, with no rate between them: %s", cur, r.d.Currency, r.d.rates.HowToRate(cur))
		return false
	}
	*amount = math.Round(*amount*rate*100) / 100
	return true
}

func minDate(a, b civil.Date) civil.Date {
	if !a.Valid() || (b.Valid() && b < a) {
		return b
	}
	return a
}

// wide reads the fields of a change-log row with a column per field; a
// blank value leaves the field as it was.
func (r *historyReader) wide(t *table, p *partial, outcomes map[string]Outcome) bool {
	if s := t.get("stage"); s != "" {
		p.state.Stage, p.state.Outcome = r.intern(s), outcomes[strings.ToLower(s)]
		p.set |= setStage
	}
	if c := t.get("forecast_category"); c != "" {
		p.state.Category = r.intern(c)
		p.set |= setCategory
	}
	amount, set, ok := t.amount("amount")
	if !ok {
		return false
	}
	if set {
		if amount < 0 {
			t.reject(t.colOf("amount"), "amount %s is negative", t.get("amount"))
			return false
		}
		p.state.Amount, p.state.HasAmount = amount, true
		p.set |= setAmount
	}
	closeDate, ok := t.date("close_date", false)
	if !ok {
		return false
	}
	if closeDate.Valid() {
		p.state.Close = closeDate
		p.set |= setClose
	}
	if p.set == 0 {
		t.reject(t.colOf("stage"), "the row changes nothing: stage, amount, close date and forecast category are all blank")
		return false
	}
	return true
}

// property reads a long change-log row: one property and its new value.
// Rows about properties coachbook does not follow are used for nothing
// but counted as read.
func (r *historyReader) property(t *table, p *partial, outcomes map[string]Outcome) bool {
	prop := strings.ToLower(strings.TrimSpace(t.get("property")))
	field, known := historyProperty[prop]
	if !known {
		t.stats.Used++ // a property coachbook has no use for (owner, probability…): read, not needed
		return false
	}
	v := t.get("value")
	switch field {
	case "stage":
		p.state.Stage, p.state.Outcome = r.intern(v), outcomes[strings.ToLower(v)]
		p.set |= setStage
	case "forecast_category":
		p.state.Category = r.intern(v)
		p.set |= setCategory
	case "amount":
		if v != "" {
			a, err := ParseAmount(v, t.decimal)
			if err != nil || a < 0 {
				t.reject(t.colOf("value"), "amount %q is not an amount of 0 or more", v)
				return false
			}
			p.state.Amount, p.state.HasAmount = a, true
		}
		p.set |= setAmount
	case "close_date":
		if v != "" {
			d, err := propertyDate(v, t.layouts["date"])
			if err != nil {
				t.reject(t.colOf("value"), "close date: %v", err)
				return false
			}
			p.state.Close = d
		}
		p.set |= setClose
	}
	return true
}

// propertyDate reads a date value of a long change log: in the layout of
// the date column, ISO, or milliseconds since 1970 (HubSpot's raw values).
func propertyDate(v string, l DateLayout) (civil.Date, error) {
	if len(v) >= 11 && strings.Trim(v, "0123456789") == "" {
		ms, err := strconv.ParseInt(v, 10, 64)
		if err == nil {
			return civil.Date(ms / 86400000), nil
		}
	}
	if d, err := ParseDate(v, l); err == nil {
		return d, nil
	}
	return ParseDate(v, isoLayout)
}

// readSnapshots reads the snapshot series: every file of a folder, dated
// by its name, or one file with a snapshot_date column.
func (r *historyReader) readSnapshots(site fs.FS, src *config.Source, stats *FileStats) {
	info, err := fs.Stat(site, src.Path)
	if err != nil {
		if src.Line > 0 {
			r.diags.Errorf(config.File, src.Line, "[data.snapshots] path %q: no such file or folder in the site", src.Path)
		}
		return
	}
	outcomes := stageOutcome(src)
	if !info.IsDir() {
		r.readSnapshotFile(site, src, src.Path, civil.None, outcomes, stats)
		return
	}
	entries, err := fs.ReadDir(site, src.Path)
	if err != nil {
		r.diags.Errorf(src.Path, 0, "cannot list the snapshots: %v", err)
		return
	}
	stats.Kind, stats.Path, stats.Present = "snapshots", src.Path, true
	type dated struct {
		date civil.Date
		name string
	}
	var files []dated
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || strings.HasPrefix(name, ".") || !strings.EqualFold(path.Ext(name), ".csv") {
			continue
		}
		date, ok := snapshotDate(name)
		if !ok {
			r.diags.Errorf(path.Join(src.Path, name), 0, "the file name carries no date; name each snapshot by the day it was taken, like 2026-11-16.csv or pipeline-2026-11-16.csv")
			continue
		}
		files = append(files, dated{date, name})
	}
	slices.SortFunc(files, func(a, b dated) int { return cmp.Compare(a.date, b.date) })
	for i, f := range files {
		if i > 0 && f.date == files[i-1].date {
			r.diags.Errorf(path.Join(src.Path, f.name), 0, "a second snapshot for %s (the other is %s); keep one file per day", f.date, files[i-1].name)
			continue
		}
		var one FileStats
		r.h.SnapshotFiles[f.date] = path.Join(src.Path, f.name)
		r.readSnapshotFile(site, src, path.Join(src.Path, f.name), f.date, outcomes, &one)
		stats.Rows += one.Rows
		stats.Used += one.Used
		stats.Rejected += one.Rejected
		stats.Footer += one.Footer
		stats.Blank += one.Blank
		stats.Columns = one.Columns
	}
}

// snapshotDate finds the date in a snapshot's file name: the last run of
// the form 2026-11-16 (or 20261116).
func snapshotDate(name string) (civil.Date, bool) {
	base := strings.TrimSuffix(name, path.Ext(name))
	for i := len(base) - 8; i >= 0; i-- {
		if i+10 <= len(base) {
			if d, err := civil.Parse(base[i : i+10]); err == nil {
				return d, true
			}
		}
		s := base[i : i+8]
		if strings.Trim(s, "0123456789") == "" && (i == 0 || base[i-1] < '0' || base[i-1] > '9') {
			if d, err := civil.Parse(s[:4] + "-" + s[4:6] + "-" + s[6:]); err == nil {
				return d, true
			}
		}
	}
	return civil.None, false
}

// readSnapshotFile reads one snapshot (taken on day, or dated row by row by
// its snapshot_date column when day is None).
func (r *historyReader) readSnapshotFile(site fs.FS, src *config.Source, file string, day civil.Date, outcomes map[string]Outcome, stats *FileStats) {
	fileSrc := *src
	fileSrc.Path = file
	t, closeFn := openTable(site, "snapshots", &fileSrc, snapshotFields, r.diags, stats)
	if t == nil {
		return
	}
	defer closeFn()
	if _, ok := t.col["snapshot_date"]; !ok && !day.Valid() {
		r.diags.Errorf(file, 1, "a single snapshot file needs a snapshot_date column saying when each row was taken; or put one file per day in a folder (data/snapshots/2026-11-16.csv)")
		return
	}
	fileLabel := r.intern(file)
	for t.next() {
		date := day
		if !day.Valid() {
			var ok bool
			if date, ok = t.date("snapshot_date", true); !ok {
				continue
			}
		}
		id := t.get("id")
		if id == "" {
			t.reject(t.colOf("id"), "id is blank; a snapshot row needs the deal id to follow the deal over time")
			continue
		}
		st, created, ok := r.snapshotState(t, id, date, fileLabel, outcomes)
		if !ok {
			continue
		}
		di, ok := r.deal(t, id)
		if !ok {
			continue
		}
		tl := &r.h.Deals[di]
		if created.Valid() && (!tl.Created.Valid() || created < tl.Created) {
			tl.Created = created
		}
		// A closed deal's change is dated by its close, when that falls
		// between the snapshot before and this one.
		if st.Outcome != Open && st.Close.Valid() && st.Close < date {
			if n := len(tl.States); n == 0 || st.Close > tl.States[n-1].From {
				st.From = st.Close
			}
		}
		r.addState(di, st)
		r.sawSnapshot(di, date, fileLabel, int32(t.line))
		r.h.From = minDate(r.h.From, date)
		if day.Valid() {
			r.d.seenInName(file)
		} else {
			r.d.seen(t, "snapshot_date", date)
		}
		if k, found := slices.BinarySearch(r.h.Snapshots, date); !found {
			r.h.Snapshots = slices.Insert(r.h.Snapshots, k, date)
		}
		stats.Used++
	}
}

// snapshotState reads the state of deal id in one snapshot row taken on
// date, and the created date the row gives; ok is false when the row was
// rejected.
func (r *historyReader) snapshotState(t *table, id string, date civil.Date, file Label, outcomes map[string]Outcome) (st DealState, created civil.Date, ok bool) {
	st = DealState{From: date, File: file, Line: int32(t.line)}
	st.Stage = r.intern(t.get("stage"))
	status := t.get("status")
	if status == "" {
		status = t.get("stage")
	}
	st.Outcome = outcomes[strings.ToLower(status)]
	st.Category = r.intern(t.get("forecast_category"))
	amount, set, ok := t.amount("amount")
	if !ok {
		return st, created, false
	}
	st.Amount, st.HasAmount = amount, set
	if st.Close, ok = t.date("close_date", false); !ok {
		return st, created, false
	}
	if set {
		if conv, has, ok := t.amount("amount_converted"); !ok {
			return st, created, false
		} else if has {
			st.Amount = conv
		} else if t.col["amount"] != t.col["amount_converted"] || !t.has("amount_converted") {
			if !r.convert(t, id, &st.Amount, st.Close) {
				return st, created, false
			}
		}
	}
	created, ok = t.date("created", false)
	return st, created, ok
}

// sawSnapshot notes that deal di was in the snapshot taken on date, for
// telling later which deals vanished from the snapshots.
func (r *historyReader) sawSnapshot(di int32, date civil.Date, file Label, line int32) {
	for int(di) >= len(r.seen) {
		r.seen = append(r.seen, snapSeen{})
	}
	sn := &r.seen[di]
	if sn.n == 0 || date < sn.first {
		sn.first = date
	}
	if date >= sn.last {
		sn.last, sn.file, sn.line = date, file, line
	}
	sn.n++
}

// addState appends a full state to a deal's timeline, keeping only changes
// while the rows come in date order.
func (r *historyReader) addState(di int32, st DealState) {
	tl := &r.h.Deals[di]
	n := len(tl.States)
	switch {
	case n == 0 || st.From > tl.States[n-1].From:
		if n > 0 && tl.States[n-1].same(st) {
			return
		}
		tl.States = append(tl.States, st)
	case st.From == tl.States[n-1].From:
		tl.States[n-1] = st
	default:
		tl.States = append(tl.States, st)
		r.unsorted[di] = true
	}
}

// finish folds the change log into full states, merges it with the
// snapshots, marks deals that left the snapshots, adds the deals the
// history never mentions from the current export, and checks the history
// against the export.
func (r *historyReader) finish() {
	untimed := map[Label]*sameDay{}
	for di, rows := range r.raw {
		r.mergeRows(di, rows, untimed)
	}
	r.settle()
	r.reportSameDay(untimed)
	r.vanished()
	r.addExportOnly(r.dateCreated())
	r.compact()
	r.gaps()
	r.diags.Sort()
}

// mergeRows turns the change-log rows of deal di into its states, in time
// order: by day, then by time of day; rows of one day with the same time
// (or none) keep their order in the file. A field first given on a later
// row is taken to have had that value from the start.
func (r *historyReader) mergeRows(di int32, rows []partial, untimed map[Label]*sameDay) {
	h := r.h
	slices.SortStableFunc(rows, func(a, b partial) int {
		return cmp.Or(cmp.Compare(a.state.From, b.state.From), cmp.Compare(a.stamp, b.stamp))
	})
	r.sameDayClash(h.Deals[di].ID, rows, untimed)
	var cur DealState
	var have uint8
	for _, p := range rows {
		fill(&cur, p, &have, true)
	}
	snap := h.Deals[di].States
	merged := make([]DealState, 0, len(rows)+len(snap))
	for _, p := range rows {
		fill(&cur, p, &have, false)
		cur.From, cur.File, cur.Line = p.state.From, p.state.File, p.state.Line
		merged = append(merged, cur)
	}
	h.Deals[di].States = append(merged, snap...)
	r.unsorted[di] = true
}

// settle sorts the states of every deal that got new ones by day, keeps
// the last state of a day, and drops a state that changes nothing.
func (r *historyReader) settle() {
	for di := range r.unsorted {
		tl := &r.h.Deals[di]
		slices.SortStableFunc(tl.States, func(a, b DealState) int { return cmp.Compare(a.From, b.From) })
		out := tl.States[:0]
		for _, s := range tl.States {
			switch n := len(out); {
			case n > 0 && out[n-1].From == s.From:
				out[n-1] = s
			case n > 0 && out[n-1].same(s):
			default:
				out = append(out, s)
			}
		}
		tl.States = slices.Clip(out)
	}
}

// dateCreated gives each deal of the history its created date (the
// export's when it is earlier, else its first state's) and starts its
// first state there. It returns which rows of the export the history
// names.
func (r *historyReader) dateCreated() (inHistory []bool) {
	h := r.h
	inHistory = make([]bool, len(r.d.Opportunities))
	for i := range h.Deals {
		tl := &h.Deals[i]
		if tl.Opp >= 0 {
			inHistory[tl.Opp] = true
			if o := &r.d.Opportunities[tl.Opp]; o.Created.Valid() && (!tl.Created.Valid() || o.Created < tl.Created) {
				tl.Created = o.Created
			}
		}
		if len(tl.States) > 0 {
			if !tl.Created.Valid() || tl.Created > tl.States[0].From {
				tl.Created = tl.States[0].From
			}
			tl.States[0].From = tl.Created
		}
	}
	return inHistory
}

// addExportOnly gives every deal of the export that the history never
// names a timeline from its row alone, with a warning when the history
// should have known it (it was open while the history runs).
func (r *historyReader) addExportOnly(inHistory []bool) {
	h := r.h
	last := civil.None
	for _, tl := range h.Deals {
		if n := len(tl.States); n > 0 && tl.States[n-1].From > last {
			last = tl.States[n-1].From
		}
	}
	if len(h.Snapshots) > 0 {
		last = max(last, h.Snapshots[len(h.Snapshots)-1])
	}
	for i := range r.d.Opportunities {
		if inHistory[i] {
			continue
		}
		o := &r.d.Opportunities[i]
		if !o.Created.Valid() {
			continue
		}
		tl := r.exportTimeline(o, int32(i))
		if o.ID != "" && o.Created <= last && (o.Outcome == Open || o.Close > h.From) {
			r.diags.Add(diag.Diagnostic{File: r.d.FileOf(o.File), Line: int(o.Line), Severity: diag.Warning, Row: true,
				Msg: fmt.Sprintf("deal %q was open while the pipeline history runs (%s to %s) but the history never mentions it; its past is taken from this row alone", o.ID, h.From, last)})
		}
		h.Deals = append(h.Deals, tl)
	}
}

// compact moves every deal's states into one array, so appends leave no
// slack behind.
func (r *historyReader) compact() {
	h := r.h
	total := 0
	for i := range h.Deals {
		total += len(h.Deals[i].States)
	}
	arena := make([]DealState, 0, total)
	for i := range h.Deals {
		tl := &h.Deals[i]
		n := len(arena)
		arena = append(arena, tl.States...)
		tl.States = arena[n:len(arena):len(arena)]
	}
}

// sameDay counts, in one change log, the deals with two changes of one
// field on one day that the file cannot order (its dates have no time).
type sameDay struct {
	deals       int
	id          string
	first, last int32
}

// sameDayClash notes a deal whose change log sets one field to two values
// on one day in rows without a time of day: which came last is a guess
// (the later line in the file).
func (r *historyReader) sameDayClash(id string, rows []partial, clash map[Label]*sameDay) {
	for i := 1; i < len(rows); i++ {
		a, b := rows[i-1], rows[i]
		if a.state.From != b.state.From || a.timed || b.timed || a.state.File != b.state.File {
			continue
		}
		both := a.set & b.set
		differ := (both&setStage != 0 && a.state.Stage != b.state.Stage) ||
			(both&setCategory != 0 && a.state.Category != b.state.Category) ||
			(both&setAmount != 0 && (a.state.Amount != b.state.Amount || a.state.HasAmount != b.state.HasAmount)) ||
			(both&setClose != 0 && a.state.Close != b.state.Close)
		if !differ {
			continue
		}
		c := clash[a.state.File]
		if c == nil {
			c = &sameDay{}
			clash[a.state.File] = c
		}
		c.deals++
		if c.id == "" || min(a.state.Line, b.state.Line) < c.first {
			c.id, c.first, c.last = id, min(a.state.Line, b.state.Line), max(a.state.Line, b.state.Line)
		}
		return
	}
}

// reportSameDay warns, once per change log, about the same-day changes
// whose order the file does not give.
func (r *historyReader) reportSameDay(clash map[Label]*sameDay) {
	for file, c := range clash {
		r.diags.Add(diag.Diagnostic{File: r.h.Text(file), Line: int(c.first), Severity: diag.Warning, Row: true,
			Msg: fmt.Sprintf("%d deals change one field to two values on one day and this file's dates have no time of day (deal %q, lines %d and %d); the later line in the file is taken as the day's last change: export the change date with its time (Salesforce's OpportunityHistory: CreatedDate) so the order is known", c.deals, c.id, c.first, c.last)})
	}
}

// fill applies a partial row to the current state. With first set it only
// fills fields not yet known (the values a deal had before its first change
// of that field).
func fill(cur *DealState, p partial, have *uint8, first bool) {
	apply := func(bit uint8) bool {
		if p.set&bit == 0 || (first && *have&bit != 0) {
			return false
		}
		*have |= bit
		return true
	}
	if apply(setStage) {
		cur.Stage, cur.Outcome = p.state.Stage, p.state.Outcome
	}
	if apply(setCategory) {
		cur.Category = p.state.Category
	}
	if apply(setAmount) {
		cur.Amount, cur.HasAmount = p.state.Amount, p.state.HasAmount
	}
	if apply(setClose) {
		cur.Close = p.state.Close
	}
}

// exportTimeline makes the timeline of a deal the history does not know:
// open from its creation, and closed on its close date if it closed.
func (r *historyReader) exportTimeline(o *Opportunity, i int32) Timeline {
	st := DealState{From: o.Created, Stage: r.intern(o.Stage), Category: r.intern(o.ForecastCategory), Amount: o.Amount, HasAmount: o.HasAmount, Close: o.Close, Line: o.Line}
	tl := Timeline{ID: o.ID, Rep: o.Rep, Created: o.Created, Opp: i}
	if o.Outcome == Open {
		tl.States = []DealState{st}
		return tl
	}
	open := st
	open.Stage, open.Category = 0, 0
	closed := st
	closed.Outcome, closed.From = o.Outcome, o.Close
	// A lost deal's close date after every date that records something
	// that happened is the expected close it kept: it was lost by then
	// (the default cut-off; see report.Model.cut).
	if o.Outcome == Lost && r.d.Latest.Valid() && o.Close > r.d.Latest {
		closed.From = max(r.d.Latest, o.Created)
	}
	tl.States = []DealState{open}
	if closed.From > o.Created {
		tl.States = append(tl.States, closed)
	} else {
		tl.States[0] = closed
	}
	return tl
}

// OppFile is the path of the opportunities export, for messages.
func (d *Data) OppFile() string {
	for _, f := range d.Files {
		if f.Kind == "opportunities" {
			return f.Path
		}
	}
	return "data/opportunities.csv"
}

// vanished marks deals that were open in one snapshot and missing from the
// next, without being won or lost: they leave the pipeline on the day of
// the first snapshot that lacks them. A deal missing from a snapshot and
// back later is warned about once.
func (r *historyReader) vanished() {
	snaps := r.h.Snapshots
	for di := range r.seen {
		sn := r.seen[di]
		if sn.n == 0 {
			continue
		}
		tl := &r.h.Deals[di]
		lo, _ := slices.BinarySearch(snaps, sn.first)
		hi, _ := slices.BinarySearch(snaps, sn.last)
		if missing := hi - lo + 1 - int(sn.n); missing > 0 {
			r.diags.Add(diag.Diagnostic{File: r.h.Text(sn.file), Line: int(sn.line), Severity: diag.Warning, Row: true,
				Msg: fmt.Sprintf("deal %q is missing from %d of the snapshots between %s and %s and back in this one; check the exports' filters", tl.ID, missing, sn.first, sn.last)})
		}
		if hi+1 >= len(snaps) {
			continue
		}
		lastState, _ := tl.At(sn.last)
		if lastState.Outcome != Open {
			continue
		}
		gone := lastState
		gone.From, gone.Outcome, gone.Gone = snaps[hi+1], Lost, true
		// Keep any later change-log state after the disappearance.
		i, _ := slices.BinarySearchFunc(tl.States, gone.From, func(s DealState, x civil.Date) int { return cmp.Compare(s.From, x) })
		if i < len(tl.States) {
			continue // the change log says what happened next
		}
		tl.States = append(tl.States, gone)
		r.diags.Add(diag.Diagnostic{File: r.h.Text(sn.file), Line: int(sn.line), Severity: diag.Warning, Row: true,
			Msg: fmt.Sprintf("open deal %q is missing from the snapshot of %s and every one after, without being won or lost; it counts as lost from %s (close it in the CRM, or check the export's filters)", tl.ID, gone.From, gone.From)})
	}
}

// gaps warns about holes in the snapshot series: an interval more than
// twice the usual one (the median), on the snapshot after the hole.
func (r *historyReader) gaps() {
	s := r.h.Snapshots
	if len(s) < 3 {
		return
	}
	steps := make([]int, len(s)-1)
	for i := range steps {
		steps[i] = int(s[i+1] - s[i])
	}
	sorted := slices.Clone(steps)
	slices.Sort(sorted)
	usual := sorted[len(sorted)/2]
	for i, st := range steps {
		if st > 2*usual {
			file := r.h.SnapshotFiles[s[i+1]]
			if file == "" {
				file = r.d.OppFile()
			}
			r.diags.Warnf(file, 0, "the snapshots have a gap: none between %s and %s (%d days; they are usually %d days apart); changes in between are dated to the next snapshot", s[i], s[i+1], st, usual)
		}
	}
}
