package build

import (
	"strings"
	"testing"
	"time"

	"github.com/coachbook/coachbook/site/internal/sitetest"
)

var spanSite = sitetest.Archive("testdata/span.txtar")

// With as_of before every row, data health says the rows lie outside the
// reported range instead of "every row was used".
func TestDataHealthSaysRowsLieOutsideRange(t *testing.T) {
	t.Parallel()
	m := buildMem(t, spanSite+"-- coachbook.toml --\n[calendar]\nas_of = 1900-01-01\n", Options{Today: testDay})
	page := string(m.Files["reports/data-health/index.html"])
	if strings.Contains(page, "Every row was used") || !strings.Contains(page, "The reports cover 1900-01-01 to 1900-01-01; 2 rows dated outside that range are read but used by no report") {
		t.Errorf("data health:\n%s", page)
	}
}

// Dates and as_of centuries away are warnings, and the build does work
// for the rows, not for the days between them.
func TestFarDatesWarnAndCostOnlyTheirRows(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ extra, want string }{
		{"", ""},
		{"0001-01-01,jdoe,calls,1\n9999-12-31,jdoe,calls,1\n", "data/activities.csv:4: warning: dated 0001-01-01, more than 10 years before the data cut-off (2026-11-17); the reports leave it out (check the date)\n" +
			"data/activities.csv:5: warning: dated 9999-12-31, more than a year after the data cut-off (2026-11-17); the reports leave it out (check the date, or calendar.as_of)"},
		{"-- coachbook.toml --\n[calendar]\nas_of = 9999-12-31\n", "coachbook.toml:2: warning: calendar.as_of 9999-12-31 is more than a year after the latest date in the data (2026-11-17); the reports cover at most the 10 years up to as_of\n" +
			"data/activities.csv:2: warning: dated 2026-11-16, more than 10 years before the data cut-off (9999-12-31); the reports leave it out (check the date)\n" +
			"data/activities.csv:3: warning: dated 2026-11-17, more than 10 years before the data cut-off (9999-12-31); the reports leave it out (check the date)"},
	} {
		start := time.Now()
		_, diags := Run(sitetest.FS(spanSite+tt.extra), Options{Today: testDay}, Discard)
		var msgs []string
		for _, d := range diags {
			msgs = append(msgs, d.Error())
		}
		if got := strings.Join(msgs, "\n"); got != tt.want {
			t.Errorf("got:\n%s\nwant:\n%s", got, tt.want)
		}
		if d := time.Since(start); d > 3*time.Second {
			t.Errorf("took %v", d)
		}
	}
}
