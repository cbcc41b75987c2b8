// Package orggen generates a realistic, deterministic sales organisation:
// data/team.toml, the CSV exports and quarterly plans. cmd/coachgen writes the
// example site's data with it; benchmarks make large orgs with it.
package orggen

import (
	"bufio"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// Generate writes an org of reps with months of history ending on asOf into
// the folder out (the site's data/ folder). The same arguments always write
// the same files.
// The pipeline history is written as a change log, data/history.csv.
func Generate(out string, reps, months int, asOf time.Time, seed uint64) error {
	return GenerateWith(out, Options{Reps: reps, Months: months, AsOf: asOf, Seed: seed})
}

// profile shapes one rep's behaviour.
type profile struct {
	label      string
	activity   float64 // multiplier on the team's activity expectations
	winRate    float64
	dealSize   float64
	cycleDays  int
	commitBias float64 // commit submitted ÷ what the rep really expects
	stale      bool    // stops working part of the pipeline
	slump      bool    // misses meeting targets for the last weeks
	ramp       bool    // new hire: activity grows over the first months
	alias      bool    // the CRM spells the rep's name "J. Doe"
	meetings   int     // the rep's own weekly meetings_set target (0: the team's)
	strength   string  // for the territory plan; a default when empty
	improve    string
}

var profiles = []profile{
	{label: "top performer", activity: 1.25, winRate: 0.38, dealSize: 42000, cycleDays: 48, commitBias: 1.0,
		strength: "Executive conversations: gets to the economic buyer early"},
	{label: "steady", activity: 1.0, winRate: 0.27, dealSize: 30000, cycleDays: 60, commitBias: 1.0},
	{label: "missed-target pattern", activity: 1.0, winRate: 0.25, dealSize: 28000, cycleDays: 62, commitBias: 1.05, slump: true,
		improve: "Protect two prospecting blocks a week, whatever the deal load"},
	{label: "stale pipeline", activity: 0.9, winRate: 0.22, dealSize: 35000, cycleDays: 75, commitBias: 1.2, stale: true,
		improve: "Weekly pipeline clean-up: every open deal has a next step and a real close date"},
	{label: "sandbagger", activity: 1.05, winRate: 0.31, dealSize: 33000, cycleDays: 55, commitBias: 0.6,
		strength: "Deep relationships in the three largest accounts", improve: "Commit what the evidence supports, not what is safe"},
	{label: "ramping new hire", activity: 0.9, winRate: 0.2, dealSize: 22000, cycleDays: 70, commitBias: 1.1, ramp: true,
		improve: "Discovery questions: find the business problem before demoing"},
	{label: "steady", activity: 0.95, winRate: 0.26, dealSize: 31000, cycleDays: 58, commitBias: 0.95},
	{label: "big-deal hunter", activity: 0.8, winRate: 0.18, dealSize: 65000, cycleDays: 90, commitBias: 1.0, alias: true, meetings: 4,
		strength: "Multi-threading large, complex deals"},
	{label: "steady", activity: 1.0, winRate: 0.28, dealSize: 27000, cycleDays: 52, commitBias: 1.0},
	{label: "high activity, low conversion", activity: 1.3, winRate: 0.15, dealSize: 24000, cycleDays: 65, commitBias: 1.15,
		improve: "Qualify harder before proposing: budget, authority, timing"},
}

var (
	firstNames = []string{"Jane", "Marcus", "Priya", "Tom", "Aisha", "Lena", "Diego", "Sofia", "Kenji", "Olivia", "Noah", "Fatima", "Erik", "Grace", "Mateo", "Hannah", "Ravi", "Chloe", "Sam", "Nadia"}
	lastNames  = []string{"Doe", "Webb", "Nair", "Brennan", "Okafor", "Fischer", "Alvarez", "Rossi", "Tanaka", "Grant", "Patel", "Haddad", "Lund", "Kim", "Silva", "Novak", "Iyer", "Dubois", "Moreau", "Berg"}
	accounts   = []string{"Northwind", "Globex", "Initech", "Umbrella Health", "Stark Logistics", "Wayne Foods", "Hooli", "Vandelay Imports", "Soylent", "Cyberdyne", "Tyrell Labs", "Wonka Retail", "Acme Freight", "Oceanic Air", "Pied Piper", "Massive Dynamic", "Gringotts Bank", "Monarch Energy", "Blue Sun", "Aperture Science", "Dunder Paper", "Prestige Worldwide", "Sterling Cooper", "Bluth Homes"}
	products   = []string{"platform rollout", "renewal", "expansion", "pilot", "add-on seats", "analytics module", "multi-year deal", "new region"}
)

var openStages = []string{"Prospecting", "Qualification", "Discovery", "Proposal", "Negotiation"}

type gen struct {
	r          *rand.Rand
	start, end time.Time
	out        string
	reps       []rep
	managers   []string
	seed       uint64
	history    History
	paths      []path // every deal's history
	// counts are each rep's activity counts by day since start and type
	// (calls, meetings_set, meetings_held, proposals), and meetings the
	// coaching log's rows: the commitments are written from both.
	counts   map[string][][4]int32
	meetings []meeting
}

// meeting is one row of the coaching log.
type meeting struct {
	day       time.Time
	rep, kind string
}

type rep struct {
	id, name, email, manager, team string
	start                          time.Time
	p                              profile
	quotaQ                         float64
}

func (g *gen) run(n int) error {
	if err := os.MkdirAll(filepath.Join(g.out, "plans"), 0o755); err != nil {
		return err
	}
	nMgr := max(1, (n+3)/4)
	if n <= 12 {
		nMgr = 3
	}
	mgrNames := []string{"Maria Garcia", "Tom Chen", "Olu Keller", "Anna Petrov", "Raj Mehta", "Julia Stone"}
	var team strings.Builder
	team.WriteString("# The example sales team. Generated by `go run ./cmd/coachgen`; edit freely.\n\n")
	team.WriteString("# Team-wide weekly expectations (each passes the Thursday-afternoon test).\n[targets]\n")
	team.WriteString("\"activity.calls\" = 40\n\"activity.meetings_set\" = 6\n\"activity.meetings_held\" = 5\n\"activity.proposals\" = 2\n\"pipeline.coverage\" = 3\n\"win_rate\" = 0.25\n\"forecast.accuracy\" = 0.85\n\"coaching.held\" = 0.9\n\"pipeline.past_due\" = 0\n\"pipeline.stalled\" = 2\n")
	team.WriteString("# With pipeline history: deals pushed out of a month, coverage on its first day, days in stage.\n\"pipeline.slipped\" = 2\n\"pipeline.start_coverage\" = 2.5\n\"pipeline.stage_age\" = 21\n\n")
	for i := range nMgr {
		name := mgrNames[i%len(mgrNames)]
		if i >= len(mgrNames) {
			name = fmt.Sprintf("%s %d", name, i/len(mgrNames)+1)
		}
		id := idOf(name)
		g.managers = append(g.managers, id)
		fmt.Fprintf(&team, "[[managers]]\nid = %q\nname = %q\nemail = %q\n\n", id, name, id+"@acme.example")
	}
	for i := range n {
		p := profiles[i%len(profiles)]
		name := firstNames[i%len(firstNames)] + " " + lastNames[(i*7+i/len(firstNames))%len(lastNames)]
		if n > len(firstNames) {
			name = fmt.Sprintf("%s %d", name, i+1) // unique in a large org
		}
		r := rep{id: idOf(name), name: name, email: idOf(name) + "@acme.example", manager: g.managers[i%nMgr], team: teamName(i % nMgr), p: p, start: g.start}
		r.quotaQ = math.Round(p.dealSize*p.winRate*20/5000) * 5000 // about what the profile can close
		if p.ramp {
			r.start = g.end.AddDate(0, -5, 0)
			r.quotaQ = 90000
		}
		g.reps = append(g.reps, r)
		fmt.Fprintf(&team, "[[reps]]\nid = %q\nname = %q\nemail = %q\nmanager = %q\nteam = %q\nstart = %s\nquota = { quarterly = %.0f }\n", r.id, r.name, r.email, r.manager, r.team, r.start.Format("2006-01-02"), r.quotaQ)
		if p.alias {
			first, rest, _ := strings.Cut(name, " ")
			fmt.Fprintf(&team, "aliases = [%q]\n", first[:1]+". "+rest)
		}
		if p.meetings > 0 {
			fmt.Fprintf(&team, "[reps.targets]\n\"activity.meetings_set\" = %d\n", p.meetings)
		}
		team.WriteString("\n")
	}
	if err := os.WriteFile(filepath.Join(g.out, "team.toml"), []byte(team.String()), 0o644); err != nil {
		return err
	}
	for _, step := range []func() error{g.activities, g.opportunities, g.coaching, g.plans, g.writeHistory, g.commitments} {
		if err := step(); err != nil {
			return err
		}
	}
	return nil
}

// teamName names the team of the i-th manager.
func teamName(i int) string {
	names := []string{"north", "central", "south", "east", "west", "enterprise"}
	if i < len(names) {
		return names[i]
	}
	return fmt.Sprintf("team-%d", i+1)
}

func idOf(name string) string {
	parts := strings.Fields(strings.ToLower(name))
	id := parts[0][:1] + parts[1]
	if len(parts) > 2 {
		id += parts[2]
	}
	return id
}

func (g *gen) create(name string) (*bufio.Writer, func() error, error) {
	f, err := os.Create(filepath.Join(g.out, name))
	if err != nil {
		return nil, nil, err
	}
	w := bufio.NewWriterSize(f, 1<<16)
	return w, func() error {
		if err := w.Flush(); err != nil {
			return err
		}
		return f.Close()
	}, nil
}

// poisson draws a count with mean m.
func (g *gen) poisson(m float64) int {
	if m <= 0 {
		return 0
	}
	if m > 30 {
		return max(0, int(math.Round(m+g.r.NormFloat64()*math.Sqrt(m))))
	}
	l, k, p := math.Exp(-m), 0, 1.0
	for {
		p *= g.r.Float64()
		if p <= l {
			return k
		}
		k++
	}
}

// level is how active a rep is on a day, relative to the expectations.
func (g *gen) level(r rep, day time.Time) float64 {
	v := r.p.activity
	if r.p.ramp {
		months := day.Sub(r.start).Hours() / 24 / 30
		v *= math.Min(1, 0.35+0.18*months)
	}
	if r.p.slump && g.end.Sub(day) < 5*7*24*time.Hour {
		v *= 0.55
	}
	return v
}

func (g *gen) activities() error {
	w, done, err := g.create("activities.csv")
	if err != nil {
		return err
	}
	w.WriteString("date,rep,type,count\n")
	daily := []struct {
		typ  string
		mean float64
	}{{"calls", 8}, {"meetings_set", 1.25}, {"meetings_held", 1.05}, {"proposals", 0.42}}
	days := int(g.end.Sub(g.start).Hours()/24) + 1
	g.counts = map[string][][4]int32{}
	for _, r := range g.reps {
		g.counts[r.id] = make([][4]int32, days)
	}
	for day := g.start; !day.After(g.end); day = day.AddDate(0, 0, 1) {
		if wd := day.Weekday(); wd == time.Saturday || wd == time.Sunday {
			continue
		}
		for _, r := range g.reps {
			if day.Before(r.start) {
				continue
			}
			if g.r.Float64() < 0.04 { // a day off
				continue
			}
			lv := g.level(r, day)
			for i, a := range daily {
				if c := g.poisson(a.mean * lv); c > 0 {
					g.counts[r.id][g.dayIndex(day)][i] += int32(c)
					fmt.Fprintf(w, "%s,%s,%s,%d\n", day.Format("2006-01-02"), r.id, a.typ, c)
				}
			}
		}
	}
	return done()
}

func (g *gen) opportunities() error {
	w, done, err := g.create("opportunities.csv")
	if err != nil {
		return err
	}
	fw, fdone, err := g.create("forecasts.csv")
	if err != nil {
		return err
	}
	w.WriteString("id,rep,account,name,stage,amount,created,close_date,forecast_category,last_activity,stage_changed\n")
	fw.WriteString("date,rep,period,commit,best_case\n")
	id := 1000
	for _, r := range g.reps {
		deals := g.repDeals(r)
		g.forecasts(fw, r, deals)
		for _, d := range deals {
			id++
			g.writeDeal(w, r, d, id)
		}
	}
	if err := fdone(); err != nil {
		return err
	}
	return done()
}

// deal is a generated opportunity before it is written: when it was
// created and closes, and how it ended.
type deal struct {
	amount       float64
	created, cls time.Time
	won, lost    bool
}

// repDeals draws a rep's deals, week by week from the rep's start.
func (g *gen) repDeals(r rep) []deal {
	var deals []deal
	for day := r.start; !day.After(g.end); day = day.AddDate(0, 0, 7) {
		for range g.poisson(1.6 * g.level(r, day)) {
			created := day.AddDate(0, 0, g.r.IntN(5))
			if created.After(g.end) {
				continue
			}
			amount := math.Round(r.p.dealSize*math.Exp(g.r.NormFloat64()*0.45)/100) * 100
			cycle := max(7, int(float64(r.p.cycleDays)*math.Exp(g.r.NormFloat64()*0.35)))
			d := deal{amount: amount, created: created, cls: created.AddDate(0, 0, cycle)}
			// Deals that reach their close date resolve. A few recent
			// ones linger open past it (past due), more for a rep who
			// has stopped working the pipeline.
			if !d.cls.After(g.end) {
				linger := 0.12
				if r.p.stale {
					linger = 0.45
				}
				recent := g.end.Sub(d.cls) < 45*24*time.Hour
				switch {
				case recent && g.r.Float64() < linger:
				case g.r.Float64() < r.p.winRate:
					d.won = true
				default:
					d.lost = true
				}
			}
			deals = append(deals, d)
		}
	}
	return deals
}

// forecasts writes a rep's forecast submissions: on the first working
// day of each month, for that month, near what the rep went on to win.
func (g *gen) forecasts(fw *bufio.Writer, r rep, deals []deal) {
	wonBy := map[string]float64{}
	for _, d := range deals {
		if d.won {
			wonBy[d.cls.Format("2006-01")] += d.amount
		}
	}
	for m := time.Date(r.start.Year(), r.start.Month(), 1, 0, 0, 0, 0, time.UTC); !m.After(g.end); m = m.AddDate(0, 1, 0) {
		sub := m
		for sub.Weekday() == time.Saturday || sub.Weekday() == time.Sunday {
			sub = sub.AddDate(0, 0, 1)
		}
		if sub.After(g.end) || sub.Before(r.start) {
			continue
		}
		period := m.Format("2006-01")
		expect := wonBy[period] * (0.8 + 0.4*g.r.Float64())
		commit := math.Round(expect*r.p.commitBias/1000) * 1000
		best := math.Round(expect*1.35/1000) * 1000
		fmt.Fprintf(fw, "%s,%s,%s,%.0f,%.0f\n", sub.Format("2006-01-02"), r.id, period, commit, best)
	}
}

// writeDeal writes one deal's row of opportunities.csv as the CRM would
// show it at the cut-off, and draws its history.
func (g *gen) writeDeal(w *bufio.Writer, r rep, d deal, id int) {
	acct := accounts[g.r.IntN(len(accounts))]
	name := acct + " " + products[g.r.IntN(len(products))]
	stage, cat := "", ""
	var lastAct, changed time.Time
	closeStr := d.cls.Format("2006-01-02")
	switch {
	case d.won:
		stage, cat = "Closed Won", "Closed"
		lastAct, changed = d.cls, d.cls
	case d.lost:
		stage, cat = "Closed Lost", "Omitted"
		lastAct, changed = d.cls.AddDate(0, 0, -g.r.IntN(10)), d.cls
	default:
		age := g.end.Sub(d.created).Hours() / 24
		progress := math.Min(0.99, age/float64(r.p.cycleDays))
		stage = openStages[min(len(openStages)-1, int(progress*float64(len(openStages))))]
		switch stage {
		case "Negotiation":
			cat = "Commit"
		case "Proposal":
			cat = "Best Case"
		default:
			cat = "Pipeline"
		}
		changed = d.created.AddDate(0, 0, int(age*progress*0.8))
		lastAct = g.end.AddDate(0, 0, -g.r.IntN(12))
		if r.p.stale && g.r.Float64() < 0.6 {
			lastAct = g.end.AddDate(0, 0, -35-g.r.IntN(60))
			changed = lastAct
		}
		if g.r.Float64() < 0.05 {
			closeStr = "" // a missing field for the data-health page
		}
	}
	if lastAct.Before(d.created) {
		lastAct = d.created
	}
	if changed.Before(d.created) {
		changed = d.created
	}
	amount := fmt.Sprintf("%.0f", d.amount)
	if !d.won && !d.lost && g.r.Float64() < 0.03 {
		amount = ""
	}
	fmt.Fprintf(w, "D-%d,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s\n", id, r.id, acct, name, stage, amount,
		d.created.Format("2006-01-02"), closeStr, cat, lastAct.Format("2006-01-02"), changed.Format("2006-01-02"))
	if g.history != HistoryNone {
		g.paths = append(g.paths, g.dealPath(final{id: fmt.Sprintf("D-%d", id), rep: r.id, account: acct, name: name, stage: stage, category: cat, amount: amount, closeDay: closeStr,
			created: d.created, cls: d.cls, changed: changed, won: d.won, lost: d.lost, stale: r.p.stale}, id))
	}
}

func (g *gen) coaching() error {
	w, done, err := g.create("coaching.csv")
	if err != nil {
		return err
	}
	w.WriteString("date,manager,rep,kind,guide\n")
	// Each manager has a habit: how often the rhythm actually happens.
	habit := map[string]float64{}
	for i, m := range g.managers {
		habit[m] = []float64{0.93, 0.78, 0.62}[i%3]
	}
	for _, r := range g.reps {
		h := habit[r.manager]
		for day := r.start; !day.After(g.end); day = day.AddDate(0, 0, 1) {
			wd := day.Weekday()
			ds := day.Format("2006-01-02")
			if wd == time.Tuesday && g.r.Float64() < h {
				fmt.Fprintf(w, "%s,%s,%s,weekly,weekly/activity-meeting\n", ds, r.manager, r.id)
				g.meetings = append(g.meetings, meeting{day, r.id, "weekly"})
			}
			if day.Day() >= 8 && day.Day() <= 14 && wd == time.Wednesday && g.r.Float64() < h {
				fmt.Fprintf(w, "%s,%s,%s,monthly,monthly/pipeline-forecast\n", ds, r.manager, r.id)
				g.meetings = append(g.meetings, meeting{day, r.id, "monthly"})
			}
			if day.Day() >= 15 && day.Day() <= 21 && wd == time.Thursday && g.r.Float64() < h {
				fmt.Fprintf(w, "%s,%s,%s,one-on-one,monthly/one-on-one\n", ds, r.manager, r.id)
				g.meetings = append(g.meetings, meeting{day, r.id, "one-on-one"})
			}
			if (day.Month()-1)%3 == 0 && day.Day() >= 8 && day.Day() <= 14 && wd == time.Friday && g.r.Float64() < h+0.05 {
				fmt.Fprintf(w, "%s,%s,%s,quarterly,quarterly/territory-plan-review\n", ds, r.manager, r.id)
				g.meetings = append(g.meetings, meeting{day, r.id, "quarterly"})
			}
			if wd == time.Monday && g.r.Float64() < h*0.08 {
				fmt.Fprintf(w, "%s,%s,%s,ride-along,skills/ride-alongs\n", ds, r.manager, r.id)
				g.meetings = append(g.meetings, meeting{day, r.id, "ride-along"})
			}
		}
	}
	return done()
}

func (g *gen) plans() error {
	y, m, _ := g.end.Date()
	q := (int(m)-1)/3 + 1
	quarter := fmt.Sprintf("%d-Q%d", y, q)
	qStart := time.Date(y, time.Month((q-1)*3+1), 1, 0, 0, 0, 0, time.UTC)
	for i, r := range g.reps {
		if i >= 40 { // plans for the first reps are enough for benchmarks
			break
		}
		var b strings.Builder
		fmt.Fprintf(&b, "# %s's territory plan for %s, agreed at the quarterly review.\nrep = %q\nquarter = %q\n", r.name, quarter, r.id, quarter)
		strength, improve := r.p.strength, r.p.improve
		if strength == "" {
			strength = "Consistent weekly activity and quick follow-up"
		}
		if improve == "" {
			improve = "Raise average deal size by proposing the whole solution"
		}
		fmt.Fprintf(&b, "strengths = [%q]\nimprove = [%q]\nkey_accounts = [%q, %q]\n\n", strength, improve, accounts[i%len(accounts)], accounts[(i+5)%len(accounts)])
		fmt.Fprintf(&b, "[goals]\n\"activity.meetings_set\" = 6\n\"pipeline.coverage\" = 3\nwin_rate = %.2f\nattainment = 1.0\n\n", math.Max(0.25, r.p.winRate))
		actions := []struct {
			what   string
			due    time.Time
			status string
		}{
			{"Book the quarter's prospecting blocks in the calendar", qStart.AddDate(0, 0, 10), "done"},
			{"Review every open deal's close date with the manager", qStart.AddDate(0, 1, 0), []string{"done", "in progress", "open"}[i%3]},
			{"Run a joint account plan with " + accounts[i%len(accounts)], qStart.AddDate(0, 1, 20), []string{"in progress", "open", "done"}[i%3]},
			{"Present one customer story at the Friday team meeting", qStart.AddDate(0, 2, 25), "open"},
		}
		for _, a := range actions {
			fmt.Fprintf(&b, "[[actions]]\nwhat = %q\ndue = %s\nstatus = %q\n\n", a.what, a.due.Format("2006-01-02"), a.status)
		}
		if err := os.WriteFile(filepath.Join(g.out, "plans", r.id+".toml"), []byte(b.String()), 0o644); err != nil {
			return err
		}
	}
	return nil
}
