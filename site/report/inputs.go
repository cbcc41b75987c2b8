package report

import (
	"math"
	"reflect"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/coachbook/coachbook/site/civil"
	"github.com/coachbook/coachbook/site/data"
	"github.com/coachbook/coachbook/site/internal/vkey"
)

// Page keys from inputs. A build that carries unchanged pages over from the
// previous output (see render.Reuser) needs a key for each page that
// changes whenever the page would. Summing the page's view is sure but
// costs the view; a team's period pages (its reps' pages and its own) are
// the most of a large org's pages, and a day's data leaves nearly all of
// them as they were. So a team's period task sums its inputs instead,
// without working out a view:
//
//   - what every page reads: the managers and team-wide targets of the
//     team file and the team's own reps (their entries), the activity types, the
//     reported range's first day, which files exist, the pipeline history's
//     stage order and span (the model key, summed once per build);
//   - the period, and the cut-off where the pages show it: the cut-off
//     itself up to the period's last day, and past it only that the period
//     is over (a completed period's pages read the cut-off nowhere else:
//     see asOfFact); and which periods have pages ([reports.keep]) up to
//     a quarter after the period's end, where its pages link;
//   - each of its reps' rows as the model holds them (activities, deals as
//     they stood at the cut-off, forecasts, coaching meetings, judged
//     commitments, plans, pipeline history), each dated by the earliest day
//     it names, summed up to the period's last day: a page of a period
//     reads no row that names only later days. A row's sum covers all of
//     it, later days included (a deal open at the period's end and won
//     since, a commitment made in the period and judged after it), so a
//     row that changes changes the pages of every period from its first
//     day.
//
// An input added to the model or read by a view must be added here too:
// TestInputKeysFollowViews (site/build) checks on generated data that two
// cut-offs or data sets whose keys match give the same pages.

// Inputs says, for a task that knows them before it runs, which files it
// writes and a sum of everything they show.
type Inputs struct {
	// Key sums up the inputs of the task's pages (not what the renderer
	// adds to every page: the caller adds that).
	Key func() uint64
	// Pages are the pages the task emits, in order.
	Pages []PageFiles
}

// PageFiles names the files of one report page: its address, and whether
// the page itself is written (a period older than [reports.keep] has only
// its metrics.json) and its metrics.json.
type PageFiles struct {
	URL        string
	Page, JSON bool
}

// KeyedTask is a task with its inputs, when it knows them (In nil: its
// pages are keyed by their views).
type KeyedTask struct {
	Run Task
	In  *Inputs
}

// inputKeys holds, per build, the model key and each rep's sums of rows by
// day, worked out once when a task first needs them.
type inputKeys struct {
	once  sync.Once
	model uint64
	reps  []repSums
	// bad is set when a row could not be summed (nested too deep, or
	// holding a function): then no key is given, and every page is
	// rendered.
	bad atomic.Bool
}

// repSums is one rep's rows summed by day: the days that date a row, in
// order, and the sum of the rows dated up to each.
type repSums struct {
	once  sync.Once
	dates []civil.Date
	cum   []uint64
}

// upTo is the sum of the rows dated on or before d.
func (s *repSums) upTo(d civil.Date) uint64 {
	i, found := slices.BinarySearch(s.dates, d)
	if found {
		i++
	}
	if i == 0 {
		return 0
	}
	return s.cum[i-1]
}

// mix folds x into h (splitmix64's finaliser over the pair): the same in
// every process.
func mix(h, x uint64) uint64 {
	h ^= x + 0x9e3779b97f4a7c15 + (h << 6) + (h >> 2)
	h ^= h >> 30
	h *= 0xbf58476d1ce4e5b9
	h ^= h >> 27
	h *= 0x94d049bb133111eb
	h ^= h >> 31
	return h
}

func mixStr(h uint64, s string) uint64 { return mix(h, fnvStr(s)) }

func fnvStr(s string) uint64 { return mix(vkey.FNV(s), uint64(len(s))) }

// modelKey sums up what every keyed page reads besides its reps' rows.
func (m *Model) modelKey() uint64 {
	m.keys.once.Do(func() {
		d := m.Data
		h := mixStr(0, "inputs v1")
		// Of the team file, a team's pages read its own reps (see
		// teamInputs), the managers and the team-wide targets.
		h = mix(h, m.sumValue(d.Team.Managers))
		h = mix(h, m.sumValue(d.Team.Targets))
		h = mix(h, boolBit(d.Team.Unread))
		h = mix(h, m.sumValue(d.ActivityTypes))
		h = mixStr(h, d.Currency)
		h = mix(h, uint64(m.First))
		for _, b := range []bool{m.HasLog, m.HasCommitments, m.TouchKnown, m.hist != nil} {
			h = mix(h, boolBit(b))
		}
		if x := m.hist; x != nil {
			h = mix(h, m.sumValue(x.stages))
			h = mix(h, uint64(x.h.From))
			h = mix(h, m.sumValue(x.h.Snapshots))
			h = mix(h, m.sumValue(x.h.SnapshotFiles))
			h = mix(h, m.sumValue(x.h.Sources))
		}
		m.keys.model = h
		m.keys.reps = make([]repSums, len(m.reps))
	})
	return m.keys.model
}

func boolBit(b bool) uint64 {
	if b {
		return 1
	}
	return 0
}

// asOfFact is what a page of p can tell of the cut-off: the cut-off itself
// while it is on or before the period's last day, and only "over" (the day
// after the last) once it is past.
func (m *Model) asOfFact(p Period) civil.Date { return min(m.AsOf, p.End+1) }

// periodKey sums up the period and what its pages read of the cut-off and
// of [reports.keep].
func (m *Model) periodKey(p Period) uint64 {
	h := mix(m.modelKey(), uint64(p.Cadence))
	h = mixStr(h, p.ID)
	h = mix(h, uint64(p.Start))
	h = mix(h, uint64(p.End))
	h = mix(h, uint64(m.asOfFact(p)))
	// A page links to its neighbours and charts periods before it, each
	// linked to its page or to the history page: which periods have
	// pages, up to well past the next quarter.
	for _, from := range m.keepFrom {
		h = mix(h, uint64(min(from, p.End+100)))
	}
	return h
}

// sums returns the rep's sums of rows by day.
func (m *Model) sums(rep *data.Rep) *repSums {
	m.modelKey()
	s := &m.keys.reps[rep.Index]
	s.once.Do(func() { m.sumRows(rep, s) })
	return s
}

// dated is one row's sum and the earliest day it names.
type dated struct {
	day civil.Date
	sum uint64
}

// sumRows sums every row the model holds for the rep, by the earliest day
// each names.
func (m *Model) sumRows(rep *data.Rep, s *repSums) {
	ri := &m.reps[rep.Index]
	var rows []dated
	for t, ser := range ri.acts {
		if ser == nil {
			continue
		}
		th := fnvStr(m.Data.ActivityTypes[t])
		for i, d := range ser.dates {
			rows = append(rows, dated{d, mix(mix(mix(th, uint64(d)), uint64(ser.at(i+1)-ser.at(i))), 1)})
		}
	}
	sk := m.sumKey()
	for _, o := range ri.opps {
		rows = append(rows, dated{earliest(o.Created, o.Close, o.LastActivity, o.StageChanged), mix(sk.sum(o), 2)})
	}
	for _, f := range ri.forecasts {
		rows = append(rows, dated{f.Date, mix(sk.sum(f), 3)})
	}
	for _, x := range ri.meetings {
		rows = append(rows, dated{x.Date, mix(sk.sum(x), 4)})
	}
	for i := range ri.commitments {
		c := &ri.commitments[i]
		rows = append(rows, dated{earliest(c.Date, c.Due, c.Commitment.Due), mix(sk.sum(c), 5)})
	}
	if x := m.hist; x != nil {
		for _, tl := range x.byRep[rep.Index] {
			h := mixStr(mix(uint64(tl.Created), 7), tl.ID)
			h = mix(h, boolBit(tl.Observed))
			// The first day the deal existed (a state's close date may
			// be unset, and is no day of the deal's).
			day := tl.Created
			for _, st := range tl.States {
				day = earliest(day, st.From)
				h = mix(h, uint64(st.From))
				h = mix(h, uint64(st.Close))
				h = mix(h, math.Float64bits(st.Amount))
				h = mixStr(h, x.h.Text(st.Stage))
				h = mixStr(h, x.h.Text(st.Category))
				h = mixStr(h, x.h.Text(st.File))
				h = mix(h, uint64(st.Outcome))
				h = mix(h, boolBit(st.Gone)|boolBit(st.HasAmount)<<1)
			}
			if tl.Opp >= 0 {
				// The deal as the current export has it.
				h = mix(h, sk.sum(&m.Data.Opportunities[tl.Opp]))
			}
			rows = append(rows, dated{day, h})
		}
	}
	slices.SortFunc(rows, func(a, b dated) int {
		if a.day != b.day {
			if a.day < b.day {
				return -1
			}
			return 1
		}
		return 0
	})
	var sum uint64
	for i, r := range rows {
		// Rows are added, so their order within a day does not matter.
		sum += r.sum
		if i+1 < len(rows) && rows[i+1].day == r.day {
			continue
		}
		s.dates = append(s.dates, r.day)
		s.cum = append(s.cum, sum)
	}
}

// planSum sums up the rep's plan for quarter p, which only that quarter's
// page shows, with which of its actions are overdue by the cut-off; 0 for
// none.
func (m *Model) planSum(rep *data.Rep, p Period) uint64 {
	pl := m.plans[planKey{rep.Index, p.ID}]
	if pl == nil {
		return 0
	}
	sk := m.sumKey()
	h := mix(sk.sum(pl), 6)
	for _, a := range pl.Actions {
		h = mix(h, boolBit(a.Due.Valid() && a.Due < m.AsOf))
	}
	return h
}

// earliest is the earliest valid day of ds; civil.Date(0) (before every
// period) when none is valid.
func earliest(ds ...civil.Date) civil.Date {
	out, any := civil.Date(0), false
	for _, d := range ds {
		if d.Valid() && (!any || d < out) {
			out, any = d, true
		}
	}
	return out
}

// teamInputs are the inputs of a team's period task (see teamPages): the
// pages it writes and, as their key, the period's and each active rep's
// rows up to the period's end.
func (m *Model) teamInputs(team string, reps []*data.Rep, p Period) *Inputs {
	var active []*data.Rep
	for _, rep := range reps {
		from, to := m.Active(rep)
		if p.End < from || p.Start > to {
			continue
		}
		active = append(active, rep)
	}
	if len(active) == 0 {
		return &Inputs{Key: func() uint64 { return 0 }}
	}
	hasPage := m.HasPage(p)
	in := &Inputs{Pages: make([]PageFiles, 0, len(active)+1)}
	for _, rep := range active {
		in.Pages = append(in.Pages, PageFiles{URL: RepURL(rep.ID, p), Page: hasPage, JSON: true})
	}
	in.Pages = append(in.Pages, PageFiles{URL: TeamURL(team, p), Page: hasPage, JSON: true})
	in.Key = func() uint64 {
		h := mixStr(m.periodKey(p), team)
		sk := m.sumKey()
		for _, rep := range reps {
			h = mix(h, sk.sum(rep))
		}
		for _, rep := range active {
			h = mixStr(h, rep.ID)
			h = mix(h, m.sums(rep).upTo(p.End))
			if p.Cadence == Quarter {
				h = mix(h, m.planSum(rep, p))
			}
		}
		if m.keys.bad.Load() || h == 0 {
			return 0 // never carried over
		}
		return h
	}
	return in
}

// sumKey sums rows the way render's page keys sum a view (vkey.Sum): every
// field, followed through pointers, slices and maps, but for those tagged
// key:"-" (where a row is in its file). Its buffer is kept between rows; a
// row it cannot sum marks the model's keys bad (never carried over).
type sumKey struct {
	s   vkey.Sum
	bad *atomic.Bool
}

// skipFields caches, by struct type, the fields tagged key:"-".
var skipFields sync.Map

func (m *Model) sumKey() *sumKey {
	return &sumKey{s: vkey.Sum{Skips: &skipFields}, bad: &m.keys.bad}
}

// sumValue sums any value (see sumKey).
func (m *Model) sumValue(v any) uint64 { return m.sumKey().sum(v) }

func (k *sumKey) sum(v any) uint64 {
	k.s.Buf = k.s.Buf[:0]
	k.s.Value(reflect.ValueOf(v))
	if k.s.Bad {
		k.bad.Store(true)
	}
	return mix(vkey.FNV(k.s.Buf), uint64(len(k.s.Buf)))
}
