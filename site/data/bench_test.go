package data

import (
	"fmt"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/coachbook/coachbook/site/config"
)

// bigSite makes 1,000,000 activity rows and 100,000 opportunities for 500 reps.
func bigSite() fstest.MapFS {
	var team strings.Builder
	team.WriteString("[[managers]]\nid = \"m\"\n")
	for r := range 500 {
		fmt.Fprintf(&team, "[[reps]]\nid = \"r%d\"\nname = \"Rep %d\"\nmanager = \"m\"\n", r, r)
	}
	var acts strings.Builder
	acts.WriteString("date,rep,type,count\n")
	types := []string{"calls", "meetings_set", "meetings_held", "proposals"}
	for i := range 1_000_000 {
		day := i / 2000 % 700
		fmt.Fprintf(&acts, "%s,Rep %d,%s,%d\n", dayString(day), i%500, types[i%4], i%9+1)
	}
	var opps strings.Builder
	opps.WriteString("id,rep,account,name,stage,amount,created,close_date,forecast_category\n")
	stages := []string{"Prospecting", "Closed Won", "Closed Lost", "Proposal"}
	for i := range 100_000 {
		c := i / 150 % 600
		fmt.Fprintf(&opps, "D-%d,r%d,\"Account %d, Inc.\",Deal %d,%s,\"$%d,500.00\",%s,%s,Pipeline\n", i, i%500, i%3000, i, stages[i%4], i%90+1, dayString(c), dayString(c+40))
	}
	return fstest.MapFS{
		"data/team.toml":         {Data: []byte(team.String())},
		"data/activities.csv":    {Data: []byte(acts.String())},
		"data/opportunities.csv": {Data: []byte(opps.String())},
	}
}

func dayString(n int) string {
	y, m, d := 2025, 1, 1+n
	for d > 28 {
		d -= 28
		m++
		if m > 12 {
			m, y = 1, y+1
		}
	}
	return fmt.Sprintf("%04d-%02d-%02d", y, m, d)
}

func BenchmarkLoad1MActivities100kDeals(b *testing.B) {
	site := bigSite()
	cfg := config.Default()
	rows := 1_100_000
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		d, diags := Load(site, cfg)
		if diags.HasErrors() || len(d.Activities) != 1_000_000 || len(d.Opportunities) != 100_000 {
			b.Fatalf("%d activities, %d deals, %v", len(d.Activities), len(d.Opportunities), diags.Err())
		}
	}
	b.ReportMetric(float64(rows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}
