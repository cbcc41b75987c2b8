package build

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/coachbook/coachbook/site/metric"
	"github.com/coachbook/coachbook/site/orggen"
	"github.com/coachbook/coachbook/site/report"
)

// A place is one spot of a built site where a quantity shows: its value,
// its verdict and the colour it is drawn in.
type place struct {
	file, value, verdict, colour string
}

var (
	markedTag  = regexp.MustCompile(`<[a-z]+\b[^>]*\bdata-k="[^"]*"[^>]*>`)
	markAttrRE = regexp.MustCompile(`\b(data-k|data-v|data-s|class)="([^"]*)"`)
)

// colourOf is the status colour an element's classes draw it in: good,
// warn, bad or none, or "" for an element with no status colour.
func colourOf(class string) string {
	for _, c := range strings.Fields(class) {
		switch c {
		case "good", "warn", "bad", "none":
			return c
		case "v-good", "v-warn", "v-bad", "v-none":
			return strings.TrimPrefix(c, "v-")
		case "off", "below":
			return "bad"
		}
	}
	return ""
}

// verdictColour is the colour of a verdict on the one scale.
var verdictColour = map[string]string{"on track": "good", "close": "warn", "off track": "bad", "not judged": "none"}

// checkOneTruth reads every report page and metrics.json of a built site,
// collects each quantity under its key (rep/period/metric) wherever it is
// shown, and fails when two places show different values or verdicts, or
// when a place is coloured otherwise than its verdict says. It returns
// how many keys were seen in more than one place.
// idAttr finds the id attributes of a page's elements.
var idAttr = regexp.MustCompile(`<[a-z][a-z0-9]*\s[^>]*?\bid="([^"]+)"`)

func checkOneTruth(t *testing.T, files map[string][]byte) int {
	t.Helper()
	seen := map[string][]place{}
	type offList struct {
		file, rep, period string
		ids               []string
	}
	var offLists []offList
	inProgress := map[string]bool{} // rep/period/ of the periods in progress
	for name, b := range files {
		if !strings.HasPrefix(name, "reports/") {
			continue
		}
		switch {
		case strings.HasSuffix(name, ".html"):
			// Each thing once: a quantity shown twice on one page gives
			// its row or card's id twice.
			ids := map[string]bool{}
			for _, m := range idAttr.FindAllSubmatch(b, -1) {
				if ids[string(m[1])] {
					t.Errorf("%s: the id %q is on the page twice", name, m[1])
				}
				ids[string(m[1])] = true
			}
			for _, tag := range markedTag.FindAllString(string(b), -1) {
				a := map[string]string{}
				for _, m := range markAttrRE.FindAllStringSubmatch(tag, -1) {
					a[m[1]] = m[2]
				}
				p := place{file: name, value: a["data-v"], verdict: a["data-s"], colour: colourOf(a["class"])}
				if p.colour != "" && p.verdict != "" && verdictColour[p.verdict] != p.colour {
					t.Errorf("%s: %s is %q but drawn %s: %s", name, a["data-k"], p.verdict, p.colour, tag)
				}
				seen[a["data-k"]] = append(seen[a["data-k"]], p)
			}
		case strings.HasPrefix(name, "reports/teams/") && strings.HasSuffix(name, "/metrics.json"):
			// Concentration needs a sample: a share of one or two deals
			// says nothing.
			var m struct {
				Won           struct{ Count int } `json:"won"`
				Concentration struct{ Share *float64 }
			}
			if err := json.Unmarshal(b, &m); err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			if m.Concentration.Share != nil && m.Won.Count < report.MinDeals {
				t.Errorf("%s: revenue concentration %.2f from %d won deals", name, *m.Concentration.Share, m.Won.Count)
			}
		case strings.HasPrefix(name, "reports/reps/") && strings.HasSuffix(name, "/metrics.json"):
			var m struct {
				Rep        string              `json:"rep"`
				Period     string              `json:"period"`
				Metrics    map[string]*float64 `json:"metrics"`
				Verdicts   map[string]string   `json:"verdicts"`
				OffTarget  []string            `json:"off_target"`
				InProgress bool                `json:"in_progress"`
			}
			if err := json.Unmarshal(b, &m); err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			offLists = append(offLists, offList{name, m.Rep, m.Period, m.OffTarget})
			if m.InProgress {
				inProgress[m.Rep+"/"+m.Period+"/"] = true
			}
			for id, v := range m.Metrics {
				p := place{file: name, verdict: m.Verdicts[id]}
				if v != nil {
					p.value = strconv.FormatFloat(math.Round(*v*1e6)/1e6, 'f', -1, 64)
				}
				k := m.Rep + "/" + m.Period + "/" + id
				seen[k] = append(seen[k], p)
			}
			for id, v := range m.Verdicts {
				if _, ok := m.Metrics[id]; !ok {
					k := m.Rep + "/" + m.Period + "/" + id
					seen[k] = append(seen[k], place{file: name, verdict: v})
				}
			}
		}
	}
	// What a page lists to coach is what it judged missed in its own
	// period (or, for a look ahead, the next period's coverage, the year
	// to date, a weekly average): never another period's misses.
	for _, o := range offLists {
		for _, id := range o.ids {
			missed := false
			for _, k := range []string{o.rep + "/" + o.period + "/" + id, o.rep + "/" + o.period + "/ytd." + id, o.rep + "/" + o.period + "/" + id + ".per_week"} {
				for _, p := range seen[k] {
					missed = missed || p.verdict == "close" || p.verdict == "off track"
				}
			}
			if !missed && id == "pipeline.coverage" {
				missed = true // the next period's coverage, on the latest page
			}
			if !missed {
				t.Errorf("%s: lists %s to coach, but no place shows it missed in %s", o.file, id, o.period)
			}
		}
	}
	// A number that adds up over its period is judged nowhere while the
	// period is in progress: not in a plan's goals, not on a card.
	for k, ps := range seen {
		i := strings.LastIndex(k, "/")
		if i < 0 || !inProgress[k[:i+1]] {
			continue
		}
		id := strings.TrimPrefix(strings.TrimPrefix(k[i+1:], "plan:"), "ytd.")
		if def, ok := metric.Lookup(id); !ok || !def.WholePeriod || strings.HasSuffix(id, ".per_week") {
			continue
		}
		for _, p := range ps {
			if p.verdict != "" && p.verdict != "not judged" {
				t.Errorf("%s: %s says %q while the period is in progress", k, p.file, p.verdict)
			}
		}
	}
	shared := 0
	keys := make([]string, 0, len(seen))
	for k := range seen {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	failed := 0
	for _, k := range keys {
		ps := seen[k]
		if len(ps) > 1 {
			shared++
		}
		var first place
		firstV, firstS := false, false
		for _, p := range ps {
			// A blank value is a place that shows no number (an undefined
			// one): only the places that show one are compared.
			if p.value != "" {
				if !firstV {
					first.value, first.file, firstV = p.value, p.file, true
				} else if !sameNumber(p.value, first.value) && failed < 40 {
					failed++
					t.Errorf("%s: %s shows %s, %s shows %s", k, first.file, first.value, p.file, p.value)
				}
			}
			if p.verdict != "" {
				if !firstS {
					first.verdict, firstS = p.verdict, true
					first.colour = p.file
				} else if p.verdict != first.verdict && failed < 40 {
					failed++
					t.Errorf("%s: %s says %q, %s says %q", k, first.colour, first.verdict, p.file, p.verdict)
				}
			}
		}
	}
	return shared
}

// truthOrg generates an org of reps cut off on asOf, with the example's
// guides, edited by edit (nil for none), and builds it.
func truthOrg(t *testing.T, reps, months int, asOf time.Time, edit func(team string) string) map[string][]byte {
	t.Helper()
	dir := t.TempDir()
	if err := orggen.Generate(filepath.Join(dir, "data"), reps, months, asOf, 11); err != nil {
		t.Fatal(err)
	}
	if edit != nil {
		file := filepath.Join(dir, "data", "team.toml")
		b, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(file, []byte(edit(string(b))), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cfg := fmt.Sprintf("title = \"Generated\"\n[calendar]\nas_of = %s\n", asOf.Format("2006-01-02"))
	if err := os.WriteFile(filepath.Join(dir, "coachbook.toml"), []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.CopyFS(filepath.Join(dir, "content"), os.DirFS("../../content")); err != nil {
		t.Fatal(err)
	}
	sink := &MemSink{}
	if _, diags := Run(os.DirFS(dir), Options{Today: asOf}, sink); diags.Fatal() {
		t.Fatal(diags.Err())
	}
	return sink.Files
}

// Every quantity agrees wherever it is shown: the example, and generated
// orgs cut off mid-week, on a month's last day, on a quarter's last day,
// and with reps who join and leave inside the periods.
func TestOneTruthOnEveryPage(t *testing.T) {
	t.Parallel()
	day := func(s string) time.Time {
		d, err := time.Parse("2006-01-02", s)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	t.Run("example", func(t *testing.T) {
		sink := &MemSink{Files: clearExample(t)}
		if n := checkOneTruth(t, sink.Files); n < 1000 {
			t.Errorf("only %d quantities shown in more than one place", n)
		}
	})
	if testing.Short() {
		return
	}
	for _, c := range []struct {
		name string
		asOf string
		edit func(string) string
	}{
		{"mid-week", "2026-11-18", nil},
		{"month's last day", "2026-10-31", nil},
		{"quarter's last day", "2026-09-30", nil},
		{"reps join and leave inside periods", "2026-11-18", func(team string) string {
			// The first rep leaves mid-month, mid-week; reps who start five
			// months before the cut-off join inside a month already.
			return strings.Replace(team, "\nquota = ", "\nend = 2026-10-14\nquota = ", 1)
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			files := truthOrg(t, 8, 8, day(c.asOf), c.edit)
			if n := checkOneTruth(t, files); n < 500 {
				t.Errorf("only %d quantities shown in more than one place", n)
			}
		})
	}
}

// sameNumber says two shown values are the same number, but for the last
// digit of rounding (metrics.json rounds to 1e-9, the pages to 1e-6).
func sameNumber(a, b string) bool {
	x, err1 := strconv.ParseFloat(a, 64)
	y, err2 := strconv.ParseFloat(b, 64)
	if err1 != nil || err2 != nil {
		return a == b
	}
	return math.Abs(x-y) <= 2e-6*math.Max(1, math.Abs(x))
}

// The meetings that count toward the cadence are said in the same words
// wherever a month's meetings are counted: Jane Doe held three weekly
// meetings in November by the cut-off, where two were due; two count, and
// the rep's month page, the manager's page and the team's page say so
// (the manager's page read "3/2" beside 100%, the month page "3 held of 2
// expected").
func TestMeetingsCountedAlike(t *testing.T) {
	t.Parallel()
	sink := &MemSink{Files: clearExample(t)}
	text := func(p string) string {
		s := regexp.MustCompile(`<[^>]*>`).ReplaceAllString(page(t, sink.Files, p), "")
		return strings.Join(strings.Fields(s), " ")
	}
	const weekly = "Weekly meetings: 3 held, 2 expected: all 2 count"
	const total = "Counting toward the cadence: 4 of 4"
	for _, p := range []string{"reports/reps/jdoe/month/2026-11/", "reports/managers/mgarcia/"} {
		s := text(p)
		for _, want := range []string{weekly, total} {
			if !strings.Contains(s, want) {
				t.Errorf("/%s does not say %q", p, want)
			}
		}
		if strings.Contains(s, "3 held of 2 expected") {
			t.Errorf("/%s says 3 held of 2 expected", p)
		}
	}
	if s := text("reports/teams/north/month/2026-11/"); !strings.Contains(s, "Jane Doe") || !regexp.MustCompile(`100% 4 of 4 count`).MatchString(s) {
		t.Errorf("the team page's coaching cell for Jane Doe does not say 100%% 4 of 4 count")
	}
}
