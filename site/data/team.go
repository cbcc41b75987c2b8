package data

import (
	"errors"
	"fmt"
	"io/fs"
	"math"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/coachbook/coachbook/site/civil"
	"github.com/coachbook/coachbook/site/config"
	"github.com/coachbook/coachbook/site/diag"
	"github.com/coachbook/coachbook/site/metric"
)

// TeamFile is where the team is described.
const TeamFile = "data/team.toml"

// Team is data/team.toml: managers, reps and the weekly expectations.
type Team struct {
	Managers []*Manager
	Reps     []*Rep
	// Teams lists the team ids the reps name, sorted.
	Teams []string
	// Targets are the team-wide weekly expectations by metric id.
	Targets map[string]float64
	// TargetLines records where each target is set ("file:line" key order
	// does not matter): metric id -> line in team.toml of the first setting.
	TargetLines map[string]int
	// Unread: data/team.toml is there but could not be read or parsed, so
	// no row can be matched to a rep and the data files are not read.
	Unread bool

	byKey  map[string]int // lower-cased id, name, email, alias -> rep index
	mgrKey map[string]int // lower-cased id, name, email -> manager index
}

// Manager is one [[managers]] entry.
type Manager struct {
	ID, Name, Email string
	Line            int `key:"-"`
}

// Rep is one [[reps]] entry.
type Rep struct {
	Index   int `key:"-"` // position in Team.Reps
	ID      string
	Name    string
	Email   string
	Aliases []string
	Manager string // manager id
	Team    string
	Start   civil.Date // civil.None when not set
	End     civil.Date // civil.None when still on the team
	Quota   Quota
	// Targets are the rep's weekly expectations: the team's, overridden by
	// the rep's own [reps.targets].
	Targets map[string]float64
	Line    int `key:"-"`
}

// Quota is a rep's quota per period. Missing periods are derived evenly from
// the ones given: annual = 4 × quarterly = 12 × monthly.
type Quota struct {
	Monthly, Quarterly, Annual float64
	Set                        bool // any quota was given
	// Currency is the quota's own currency when the rep gives one other
	// than the reports' (quota = { quarterly = 900000, currency = "MXN" }),
	// and Rates its rates into the reports' currency; the amounts above
	// are in it. Without Currency the quota is in the reports' currency.
	Currency string
	Rates    []config.Rate
	Line     int `key:"-"` // where the quota is in team.toml
}

// In is the quota amount q (one of Monthly, Quarterly, Annual) in the
// reports' currency at the rate of day, rounded to the cent, with the rate
// and the day it is dated (rate 1 and civil.None when the quota is in the
// reports' currency).
func (qt Quota) In(q float64, day civil.Date) (amount, rate float64, from civil.Date) {
	if qt.Currency == "" || len(qt.Rates) == 0 {
		return q, 1, civil.None
	}
	rate, from = config.RateOn(qt.Rates, day)
	return math.Round(q*rate*100) / 100, rate, from
}

// teamFile is data/team.toml as written.
type teamFile struct {
	Managers []teamManager
	Reps     []teamRep
	Targets  map[string]float64
}

// teamManager is one [[managers]] entry as written.
type teamManager struct {
	ID, Name, Email string
}

// teamRep is one [[reps]] entry as written.
type teamRep struct {
	ID, Name, Email string
	Aliases         []string
	Manager, Team   string
	Start, End      *time.Time
	Quota           struct {
		Monthly, Quarterly, Annual *float64
		Currency                   string
	}
	Targets map[string]float64
}

// idRE is what an id may look like: ids become folder names in report
// URLs, so no slashes, spaces or leading dots, and at most MaxIDLen
// characters, well under any file system's limit on a name.
var idRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$`)

// MaxIDLen is the longest id of a manager, rep or team.
const MaxIDLen = 64

// idProblem says what is wrong with an id, or "" when it is fine.
func idProblem(kind, id string) string {
	if len(id) > MaxIDLen && idRE.MatchString(id[:MaxIDLen]) {
		return fmt.Sprintf("%s id %q is %d characters long; use at most %d (it becomes part of a web address and a folder name)", kind, id, len(id), MaxIDLen)
	}
	if !idRE.MatchString(id) {
		return fmt.Sprintf("%s id %q must be letters, digits, '-', '_' or '.' (it becomes part of a web address)", kind, id)
	}
	return ""
}

// numberProblem says what is wrong with a quota or target, or "" when it
// is fine: it must be a finite number from 0 to data.MaxAmount, and not so
// small that dividing by it makes nonsense.
func numberProblem(v float64) string {
	switch {
	case math.IsNaN(v) || math.IsInf(v, 0):
		return fmt.Sprintf("%v is not a number; write a value like 150000", v)
	case v < 0:
		return fmt.Sprintf("%v is negative", v)
	case v > MaxAmount:
		return fmt.Sprintf("%v is more than 1,000,000,000,000", v)
	case v > 0 && v < 0.001:
		return fmt.Sprintf("%v is too small to measure against; use 0 or at least 0.001", v)
	}
	return ""
}

// loadTeam reads data/team.toml. A missing file is an empty team.
func loadTeam(site fs.FS) (*Team, diag.List) {
	t := &Team{Targets: map[string]float64{}, TargetLines: map[string]int{}, byKey: map[string]int{}, mgrKey: map[string]int{}}
	src, err := fs.ReadFile(site, TeamFile)
	if errors.Is(err, fs.ErrNotExist) {
		return t, nil
	}
	tf, lines, diags := readTeamFile(src, err)
	if tf == nil {
		t.Unread = true
		return t, diags
	}
	diags.Add(t.addTargets(tf.Targets, lines)...)
	for i, m := range tf.Managers {
		diags.Add(t.addManager(m, lines[fmt.Sprintf("managers.%d", i)])...)
	}
	teams := map[string]bool{}
	for i, r := range tf.Reps {
		rep, d := t.newRep(i, r, lines)
		diags.Add(d...)
		if rep == nil {
			continue
		}
		d, ok := t.addRep(rep)
		diags.Add(d...)
		if !ok {
			continue
		}
		teams[rep.Team] = true
	}
	for id := range teams {
		t.Teams = append(t.Teams, id)
	}
	sort.Strings(t.Teams)
	return t, diags
}

// readTeamFile decodes the team file (src, as reading it went: err) and
// warns of its unknown keys; it returns the file line of each key too. A
// file that cannot be read or decoded is nil.
func readTeamFile(src []byte, err error) (*teamFile, map[string]int, diag.List) {
	var diags diag.List
	if err != nil {
		diags.Errorf(TeamFile, 0, "cannot read: %v", err)
		return nil, nil, diags
	}
	var tf teamFile
	md, err := diag.DecodeTOML(string(src), &tf)
	if err != nil {
		diags.Add(diag.FromTOML(TeamFile, 0, err))
		return nil, nil, diags
	}
	lines := diag.KeyLines(string(src))
	for _, k := range md.Undecoded() {
		if len(k) > 1 && (k[len(k)-2] == "targets") {
			continue
		}
		diags.Warnf(TeamFile, lines[k.String()], "unknown key %q is ignored; see the README for the keys of team.toml", k.String())
	}
	return &tf, lines, diags
}

// addTargets checks the team-wide [targets] and keeps the good ones.
func (t *Team) addTargets(targets map[string]float64, lines map[string]int) diag.List {
	var diags diag.List
	for metricID, v := range targets {
		if _, ok := metric.Lookup(metricID); !ok {
			diags.Errorf(TeamFile, lines["targets."+metricID], "[targets] names unknown metric %q; use activity.<type> or a metric from the README", metricID)
			continue
		}
		if p := numberProblem(v); p != "" {
			diags.Errorf(TeamFile, lines["targets."+metricID], "[targets] %s: %s", metricID, p)
			continue
		}
		t.Targets[metricID] = v
		t.TargetLines[metricID] = lines["targets."+metricID]
	}
	return diags
}

// addManager checks a [[managers]] entry (at line) and adds it unless its
// id is bad or it clashes with a manager before it.
func (t *Team) addManager(m teamManager, line int) diag.List {
	var diags diag.List
	mgr := &Manager{ID: strings.TrimSpace(m.ID), Name: strings.TrimSpace(m.Name), Email: strings.TrimSpace(m.Email), Line: line}
	if p := idProblem("manager", mgr.ID); p != "" {
		diags.Errorf(TeamFile, line, "%s", p)
		return diags
	}
	if mgr.Name == "" {
		mgr.Name = mgr.ID
	}
	if other, k, ok := t.mgrClash(mgr); ok {
		if strings.EqualFold(other.ID, mgr.ID) {
			diags.Errorf(TeamFile, line, "manager id %q is used twice (ids ignore case: %q is on line %d); give each manager a different id", mgr.ID, other.ID, other.Line)
		} else {
			diags.Errorf(TeamFile, line, "manager %q and manager %q (line %d) are both called %q; rows could not tell them apart, so give one a different id, name or email", mgr.ID, other.ID, other.Line, k)
		}
		return diags
	}
	idx := len(t.Managers)
	t.Managers = append(t.Managers, mgr)
	for _, k := range []string{mgr.ID, mgr.Name, mgr.Email} {
		if k != "" {
			t.mgrKey[strings.ToLower(k)] = idx
		}
	}
	return diags
}

// newRep checks the i-th [[reps]] entry against the managers: its id,
// dates, manager, team, quota and targets. It is nil when the entry
// cannot be a rep (a bad id or team, or an id that is a manager's).
func (t *Team) newRep(i int, r teamRep, lines map[string]int) (*Rep, diag.List) {
	var diags diag.List
	line := lines[fmt.Sprintf("reps.%d", i)]
	rep := &Rep{
		ID: strings.TrimSpace(r.ID), Name: strings.TrimSpace(r.Name), Email: strings.TrimSpace(r.Email),
		Aliases: r.Aliases, Manager: strings.TrimSpace(r.Manager), Team: strings.TrimSpace(r.Team),
		Start: civil.None, End: civil.None, Line: line,
	}
	if p := idProblem("rep", rep.ID); p != "" {
		diags.Errorf(TeamFile, line, "%s", p)
		return nil, diags
	}
	if m, k, ok := t.managerNamed(rep.ID, rep.Email); ok {
		diags.Errorf(TeamFile, line, "rep %q: %q is already manager %q's id or email (ids and emails are unique across managers and reps, ignoring case); give the rep a different id or email", rep.ID, k, m.ID)
		return nil, diags
	}
	if rep.Name == "" {
		rep.Name = rep.ID
	}
	if r.Start != nil {
		rep.Start = civil.FromTime(*r.Start)
	}
	if r.End != nil {
		rep.End = civil.FromTime(*r.End)
	}
	if rep.Start.Valid() && rep.End.Valid() && rep.End < rep.Start {
		diags.Errorf(TeamFile, lines[fmt.Sprintf("reps.%d.end", i)], "rep %q ends (%s) before starting (%s)", rep.ID, rep.End, rep.Start)
	}
	if rep.Manager != "" {
		if _, ok := t.mgrKey[strings.ToLower(rep.Manager)]; !ok {
			diags.Errorf(TeamFile, lines[fmt.Sprintf("reps.%d.manager", i)], "rep %q has manager %q, who is not in [[managers]]; add the manager or fix the id", rep.ID, rep.Manager)
		} else {
			rep.Manager = t.Managers[t.mgrKey[strings.ToLower(rep.Manager)]].ID
		}
	}
	if rep.Team == "" {
		rep.Team = rep.Manager
	}
	if rep.Team == "" {
		rep.Team = "team"
	}
	if p := idProblem("team", rep.Team); p != "" {
		diags.Errorf(TeamFile, lines[fmt.Sprintf("reps.%d.team", i)], "%s", p)
		return nil, diags
	}
	diags.Add(t.repQuota(rep, i, r, lines)...)
	diags.Add(t.repTargets(rep, i, r.Targets, lines)...)
	return rep, diags
}

// repQuota checks the i-th rep's quota and sets it.
func (t *Team) repQuota(rep *Rep, i int, r teamRep, lines map[string]int) diag.List {
	var diags diag.List
	q, qerr := quota(r.Quota.Monthly, r.Quota.Quarterly, r.Quota.Annual)
	if qerr != "" {
		diags.Errorf(TeamFile, lines[fmt.Sprintf("reps.%d.quota", i)], "rep %q: %s", rep.ID, qerr)
	}
	q.Currency, q.Line = strings.ToUpper(strings.TrimSpace(r.Quota.Currency)), lines[fmt.Sprintf("reps.%d.quota", i)]
	if q.Currency != "" && !config.IsCode(q.Currency) {
		diags.Errorf(TeamFile, q.Line, "rep %q: quota currency %q is not an ISO code; write it like \"MXN\" or \"EUR\"", rep.ID, r.Quota.Currency)
		q.Set = false
	}
	rep.Quota = q
	return diags
}

// repTargets sets the i-th rep's targets: the team's, overridden by the
// rep's own good ones. A metric first given a target here has its line
// noted in TargetLines.
func (t *Team) repTargets(rep *Rep, i int, own map[string]float64, lines map[string]int) diag.List {
	var diags diag.List
	rep.Targets = map[string]float64{}
	for k, v := range t.Targets {
		rep.Targets[k] = v
	}
	for metricID, v := range own {
		if _, ok := metric.Lookup(metricID); !ok {
			diags.Errorf(TeamFile, lines[fmt.Sprintf("reps.%d.targets.%s", i, metricID)], "rep %q: target for unknown metric %q", rep.ID, metricID)
			continue
		}
		if p := numberProblem(v); p != "" {
			diags.Errorf(TeamFile, lines[fmt.Sprintf("reps.%d.targets.%s", i, metricID)], "rep %q: target %s: %s", rep.ID, metricID, p)
			continue
		}
		rep.Targets[metricID] = v
		if _, seen := t.TargetLines[metricID]; !seen {
			t.TargetLines[metricID] = lines[fmt.Sprintf("reps.%d.targets.%s", i, metricID)]
		}
	}
	return diags
}

// addRep adds rep to the team, unless one of its id, name, email and
// aliases is another rep's (ignoring case): then ok is false and diags
// says why.
func (t *Team) addRep(rep *Rep) (diags diag.List, ok bool) {
	keys := append([]string{rep.ID, rep.Name, rep.Email}, rep.Aliases...)
	for _, k := range keys {
		k = strings.ToLower(strings.TrimSpace(k))
		if k == "" {
			continue
		}
		if other, ok := t.byKey[k]; ok && other != len(t.Reps) {
			if strings.EqualFold(k, rep.ID) && strings.EqualFold(k, t.Reps[other].ID) {
				diags.Errorf(TeamFile, rep.Line, "rep id %q is used twice; give each rep a different id", rep.ID)
			} else {
				diags.Errorf(TeamFile, rep.Line, "rep %q and rep %q are both called %q; CSV rows could not tell them apart, so give one a different name, email or alias", t.Reps[other].ID, rep.ID, k)
			}
			return diags, false
		}
	}
	rep.Index = len(t.Reps)
	for _, k := range keys {
		if k = strings.ToLower(strings.TrimSpace(k)); k != "" {
			t.byKey[k] = rep.Index
		}
	}
	t.Reps = append(t.Reps, rep)
	return nil, true
}

// quota derives the missing periods of a quota evenly.
func quota(m, q, a *float64) (Quota, string) {
	var out Quota
	for _, v := range []*float64{m, q, a} {
		if v == nil {
			continue
		}
		if p := numberProblem(*v); p != "" {
			return out, "quota " + p
		}
	}
	switch {
	case a != nil:
		out.Annual = *a
	case q != nil:
		out.Annual = *q * 4
	case m != nil:
		out.Annual = *m * 12
	default:
		return out, ""
	}
	out.Set = true
	out.Quarterly, out.Monthly = out.Annual/4, out.Annual/12
	if q != nil {
		out.Quarterly = *q
	}
	if m != nil {
		out.Monthly = *m
	}
	return out, ""
}

// mgrClash finds an earlier manager that one of m's id, name or email
// already names.
func (t *Team) mgrClash(m *Manager) (*Manager, string, bool) {
	for _, k := range []string{m.ID, m.Name, m.Email} {
		if i, ok := t.mgrKey[strings.ToLower(k)]; ok && k != "" {
			return t.Managers[i], k, true
		}
	}
	return nil, "", false
}

// managerNamed finds a manager whose id or email is one of keys.
func (t *Team) managerNamed(keys ...string) (*Manager, string, bool) {
	for _, k := range keys {
		for _, m := range t.Managers {
			if k != "" && (strings.EqualFold(k, m.ID) || strings.EqualFold(k, m.Email)) {
				return m, k, true
			}
		}
	}
	return nil, "", false
}

// Rep finds a rep by id, name, email or alias, ignoring case; -1 when none.
func (t *Team) Rep(key string) int {
	if i, ok := t.byKey[strings.ToLower(strings.TrimSpace(key))]; ok {
		return i
	}
	return -1
}

// Manager finds a manager by id, name or email, ignoring case; -1 when none.
func (t *Team) Manager(key string) int {
	if i, ok := t.mgrKey[strings.ToLower(strings.TrimSpace(key))]; ok {
		return i
	}
	return -1
}
