package build

import (
	"encoding/csv"
	"encoding/json"
	"math"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/BurntSushi/toml"
)

// TestMetricsJSONRecomputed checks the pinned fields of every rep's
// metrics.json in the example site against a second, deliberately simple
// computation straight from the CSV files: string dates, no shared code.
func TestMetricsJSONRecomputed(t *testing.T) {
	t.Parallel()
	sink := &MemSink{Files: clearExample(t)}
	const asOf = "2026-11-19" // calendar.as_of of the example

	var team struct {
		Reps []struct {
			ID, Name, Email string
			Aliases         []string
			Start, End      time.Time
			Quota           struct{ Quarterly float64 }
		}
	}
	if _, err := toml.DecodeFile("../../data/team.toml", &team); err != nil {
		t.Fatal(err)
	}
	who := map[string]string{}
	quarterly := map[string]float64{}
	starts, ends := map[string]string{}, map[string]string{}
	for _, r := range team.Reps {
		if !r.Start.IsZero() {
			starts[r.ID] = r.Start.Format("2006-01-02")
		}
		if !r.End.IsZero() {
			ends[r.ID] = r.End.Format("2006-01-02")
		}
		for _, k := range append([]string{r.ID, r.Name, r.Email}, r.Aliases...) {
			who[strings.ToLower(k)] = r.ID
		}
		quarterly[r.ID] = r.Quota.Quarterly
	}
	read := func(name string) ([]string, [][]string) {
		f, err := os.Open("../../data/" + name)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		rows, err := csv.NewReader(f).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		return rows[0], rows[1:]
	}
	col := func(header []string, name string) int {
		for i, h := range header {
			if h == name {
				return i
			}
		}
		t.Fatalf("no column %s", name)
		return -1
	}
	ah, acts := read("activities.csv")
	oh, opps := read("opportunities.csv")
	aDate, aRep, aType, aCount := col(ah, "date"), col(ah, "rep"), col(ah, "type"), col(ah, "count")
	oRep, oStage, oAmount, oCreated, oClose := col(oh, "rep"), col(oh, "stage"), col(oh, "amount"), col(oh, "created"), col(oh, "close_date")

	type ca struct {
		Count  int     `json:"count"`
		Amount float64 `json:"amount"`
	}
	type pinned struct {
		Rep, Cadence, Period, Start, End string
		Activities                       map[string]int
		Created, Won, Lost               ca
		OpenPipeline                     ca `json:"open_pipeline"`
		Quota, Attainment                *float64
	}
	checked := 0
	for name, b := range sink.Files {
		if !strings.HasPrefix(name, "reports/reps/") || !strings.HasSuffix(name, "/metrics.json") {
			continue
		}
		var got pinned
		if err := json.Unmarshal(b, &got); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		// Rows count only while the rep is on the team; quota is prorated
		// by the calendar days of the period the rep was on it.
		start, end := got.Start, got.End
		from, to := max(start, starts[got.Rep]), end
		if e, ok := ends[got.Rep]; ok {
			to = min(to, e)
		}
		day := func(s string) time.Time { t, _ := time.Parse("2006-01-02", s); return t }
		share := (day(to).Sub(day(from)).Hours()/24 + 1) / (day(end).Sub(day(start)).Hours()/24 + 1)
		start = from
		cut := min(to, asOf)
		want := pinned{Activities: map[string]int{}}
		for _, a := range acts {
			if who[strings.ToLower(a[aRep])] == got.Rep && a[aDate] >= start && a[aDate] <= cut {
				n := 1
				if a[aCount] != "" {
					n, _ = strconv.Atoi(a[aCount])
				}
				want.Activities[a[aType]] += n
			}
		}
		for _, o := range opps {
			if who[strings.ToLower(o[oRep])] != got.Rep {
				continue
			}
			amount, _ := strconv.ParseFloat(o[oAmount], 64)
			created, closed, stage := o[oCreated], o[oClose], o[oStage]
			if created != "" && created >= start && created <= cut {
				want.Created.Count++
				want.Created.Amount += amount
			}
			won, lost := stage == "Closed Won", stage == "Closed Lost"
			if won && closed >= start && closed <= cut {
				want.Won.Count++
				want.Won.Amount += amount
			}
			if lost && closed >= start && closed <= cut {
				want.Lost.Count++
				want.Lost.Amount += amount
			}
			if created != "" && created <= min(end, asOf) && ((!won && !lost) || closed > min(end, asOf)) {
				want.OpenPipeline.Count++
				want.OpenPipeline.Amount += amount
			}
		}
		same := func(field string, a, b ca) {
			if a.Count != b.Count || math.Abs(a.Amount-b.Amount) > 0.005 {
				t.Errorf("%s: %s = %+v, recomputed %+v", name, field, a, b)
			}
		}
		same("created", got.Created, want.Created)
		same("won", got.Won, want.Won)
		same("lost", got.Lost, want.Lost)
		same("open_pipeline", got.OpenPipeline, want.OpenPipeline)
		if len(got.Activities) != len(want.Activities) {
			t.Errorf("%s: activities %v, recomputed %v", name, got.Activities, want.Activities)
		}
		for k, v := range want.Activities {
			if got.Activities[k] != v {
				t.Errorf("%s: activities.%s = %d, recomputed %d", name, k, got.Activities[k], v)
			}
		}
		var quota *float64
		switch got.Cadence {
		case "month":
			q := quarterly[got.Rep] / 3 * share
			quota = &q
		case "quarter":
			q := quarterly[got.Rep] * share
			quota = &q
		}
		if (quota == nil) != (got.Quota == nil) || (quota != nil && math.Abs(*quota-*got.Quota) > 1e-6) {
			t.Errorf("%s: quota %v, recomputed %v", name, got.Quota, quota)
		}
		if quota != nil {
			att := want.Won.Amount / *quota
			if got.Attainment == nil || *got.Attainment != att {
				t.Errorf("%s: attainment %v, recomputed %v", name, got.Attainment, att)
			}
		} else if got.Attainment != nil {
			t.Errorf("%s: a week has no attainment", name)
		}
		if !strings.Contains(name, "/"+got.Cadence+"/"+got.Period+"/") || !strings.Contains(name, "/"+got.Rep+"/") {
			t.Errorf("%s: rep %s cadence %s period %s do not match the address", name, got.Rep, got.Cadence, got.Period)
		}
		checked++
	}
	if checked < 800 {
		t.Errorf("only %d metrics.json files checked", checked)
	}
}
