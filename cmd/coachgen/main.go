// Command coachgen writes a realistic, deterministic sales organisation into
// a site's data/ folder: team.toml, activities, opportunities, forecasts, the
// coaching log, quarterly plans and the pipeline history. The repository's
// example data is its output with the defaults; larger orgs make benchmark
// fixtures.
//
//	go run ./cmd/coachgen                          # the example: 3 managers, 10 reps, 15 months
//	go run ./cmd/coachgen -reps 500 -months 24 -o /tmp/big/data
//	go run ./cmd/coachgen -reps 0 -guides 20000 -content /tmp/big/content
//	go run ./cmd/coachgen -history snapshots       # weekly data/snapshots/ instead of data/history.csv
//
// The same flags and seed always produce the same files.
package main

import (
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/coachbook/coachbook/site/orggen"
)

func main() {
	out := flag.String("o", "data", "the site's data `folder` to write")
	reps := flag.Int("reps", 10, "number of reps")
	months := flag.Int("months", 15, "months of history up to -asof")
	asOf := flag.String("asof", "2026-11-19", "last day of data (YYYY-MM-DD)")
	seed := flag.Uint64("seed", 1, "random seed")
	guides := flag.Int("guides", 0, "also write this many 600-900-word guides into -content")
	contentDir := flag.String("content", "content", "the site's content `folder` for -guides")
	history := flag.String("history", "log", "pipeline history: `log` (data/history.csv), snapshots (weekly data/snapshots/) or none")
	flag.Parse()
	h := orggen.History(*history)
	if h != orggen.HistoryLog && h != orggen.HistorySnapshots && h != orggen.HistoryNone {
		fmt.Fprintln(os.Stderr, "coachgen: -history: use log, snapshots or none")
		os.Exit(2)
	}
	end, err := time.Parse("2006-01-02", *asOf)
	if err != nil {
		fmt.Fprintln(os.Stderr, "coachgen: -asof:", err)
		os.Exit(2)
	}
	if *guides > 0 {
		if err := orggen.GenerateGuides(*contentDir, *guides, *seed); err != nil {
			fmt.Fprintln(os.Stderr, "coachgen:", err)
			os.Exit(1)
		}
	}
	if *reps == 0 {
		return
	}
	if err := orggen.GenerateWith(*out, orggen.Options{Reps: *reps, Months: *months, AsOf: end, Seed: *seed, History: h}); err != nil {
		fmt.Fprintln(os.Stderr, "coachgen:", err)
		os.Exit(1)
	}
}
