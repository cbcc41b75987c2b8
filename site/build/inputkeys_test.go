package build

import (
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// A team's period pages are carried over by a key summed from their
// inputs, without their views (report/inputs.go). Each change below
// touches what an old period's pages read, or what a completed period's
// pages read of the cut-off, and nothing a period in progress would show
// alone: a key that leaves that input out leaves a page stale, and the
// incremental build then differs from the clean one.
func TestIncrementalInputKeysLeaveNoPageStale(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a generated org 12 times")
	}
	// editRow changes the first row of a data file that keep accepts
	// (after its header) with edit, its comma-separated fields.
	editRow := func(t *testing.T, site, file string, keep func(f []string) bool, edit func(f []string)) {
		t.Helper()
		done := false
		rewriteFile(t, filepath.Join(site, "data", file), func(s string) string {
			lines := strings.Split(s, "\n")
			for i, line := range lines[1:] {
				f := strings.Split(line, ",")
				if !done && len(f) > 3 && keep(f) {
					edit(f)
					lines[i+1] = strings.Join(f, ",")
					done = true
				}
			}
			return strings.Join(lines, "\n")
		})
		if !done {
			t.Fatalf("no row of %s to change", file)
		}
	}
	setAsOf := func(t *testing.T, site, day string) {
		rewriteFile(t, filepath.Join(site, "coachbook.toml"), func(s string) string {
			return strings.Replace(s, "as_of = 2026-11-19", "as_of = "+day, 1)
		})
	}
	cases := []struct {
		name   string
		change func(t *testing.T, site string)
	}{
		// A deal won in August, its amount corrected: August's pages and
		// every later one that counts it.
		{"old deal", func(t *testing.T, site string) {
			editRow(t, site, "opportunities.csv", func(f []string) bool {
				return f[4] == "Closed Won" && strings.HasPrefix(f[7], "2026-08-")
			}, func(f []string) { f[5] = "123456" })
		}},
		// A deal created in September and won in October: September's
		// pages show it open at their end.
		{"deal open at an old period's end", func(t *testing.T, site string) {
			editRow(t, site, "opportunities.csv", func(f []string) bool {
				return f[4] == "Closed Won" && strings.HasPrefix(f[6], "2026-09-") && strings.HasPrefix(f[7], "2026-10-")
			}, func(f []string) { f[4] = "Closed Lost" })
		}},
		// A September day's calls: September's weeks, and the trend
		// charts of the weeks after them.
		{"old activity", func(t *testing.T, site string) {
			editRow(t, site, "activities.csv", func(f []string) bool {
				return strings.HasPrefix(f[0], "2026-09-1") && f[2] == "calls"
			}, func(f []string) {
				n, _ := strconv.Atoi(f[3])
				f[3] = strconv.Itoa(n + 17)
			})
		}},
		// A commitment made in October, judged against the data after it.
		{"old commitment", func(t *testing.T, site string) {
			editRow(t, site, "commitments.csv", func(f []string) bool {
				return strings.HasPrefix(f[0], "2026-10-") && f[5] != ""
			}, func(f []string) { f[6] = "1000" })
		}},
		// The cut-off moves into the next week: the last week's pages are
		// complete now and link to the new week.
		{"as_of into a new week", func(t *testing.T, site string) {
			setAsOf(t, site, "2026-11-23")
		}},
		// The cut-off passes a plan action's due date: the quarter's page
		// marks it overdue.
		{"as_of past a plan's action", func(t *testing.T, site string) {
			setAsOf(t, site, "2026-11-22")
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			checkIncremental(t, orgBuilt(t), c.change, false, 0, 1)
		})
	}
}
