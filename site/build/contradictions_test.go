package build

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/coachbook/coachbook/site/metric"
	"github.com/coachbook/coachbook/site/orggen"
)

// repJSON is what the contradiction checks read of a rep's metrics.json.
type repJSON struct {
	Cadence      string              `json:"cadence"`
	InProgress   bool                `json:"in_progress"`
	Quota        *float64            `json:"quota"`
	Attainment   *float64            `json:"attainment"`
	Prorated     float64             `json:"prorated"`
	OpenPipeline struct{ Count int } `json:"open_pipeline"`
	Metrics      map[string]*float64 `json:"metrics"`
	OffTarget    []string            `json:"off_target"`
}

// checkNoContradictions scans every rep page of a built site against the
// metrics.json beside it for the contradictions a manager would notice:
// a verdict that its own numbers deny, a table under a sentence that says
// it cannot be known, a metric judged where the catalog says it is not.
func checkNoContradictions(t *testing.T, files map[string][]byte) int {
	t.Helper()
	pages := 0
	for name, b := range files {
		if !strings.HasPrefix(name, "reports/reps/") || !strings.HasSuffix(name, "/metrics.json") {
			continue
		}
		var m repJSON
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		dir := strings.TrimSuffix(name, "metrics.json")
		html := string(files[dir+"index.html"])
		pages++
		fail := func(format string, args ...any) {
			t.Helper()
			t.Errorf("%s: "+format, append([]any{dir}, args...)...)
		}
		onTarget := strings.Contains(html, "Nothing judged on this page is off target")
		if html != "" && onTarget != (len(m.OffTarget) == 0) {
			fail("the page says on target = %v but metrics.json lists off target %v", onTarget, m.OffTarget)
		}
		if strings.Contains(html, "No deal was open on") && m.OpenPipeline.Count > 0 {
			fail("no open deals listed above %d open deals", m.OpenPipeline.Count)
		}
		if v, ok := m.Metrics["coaching.held"]; ok && v == nil && strings.Contains(html, "held of") {
			fail("meetings counted held or missing where coaching.held is unknown")
		}
		if strings.Contains(html, "known only for the month in progress") &&
			(strings.Contains(html, `id="past-due-deals"`) || strings.Contains(html, `id="stalled-deals"`)) {
			fail("a past-due or stalled table under the note that they cannot be known")
		}
		if !m.InProgress && strings.Contains(html, "In progress ·") {
			fail("a complete period marked in progress")
		}
		judged := func(id string) bool {
			for _, x := range m.OffTarget {
				if x == id {
					return true
				}
			}
			return false
		}
		if !m.InProgress && m.Cadence != "week" && m.Attainment != nil && *m.Attainment < 1 && !judged("attainment") {
			fail("a complete %s at %.0f%% of quota is not off target", m.Cadence, *m.Attainment*100)
		}
		for id := range m.Metrics {
			def, ok := metric.Lookup(id)
			if !ok {
				fail("metric %q is not in the catalog", id)
			} else if !def.JudgedIn(m.Cadence) {
				fail("metric %q is on a %s page but the catalog judges it on %v", id, m.Cadence, def.Cadences)
			}
		}
		for _, id := range m.OffTarget {
			if def, ok := metric.Lookup(id); !ok || !def.JudgedIn(m.Cadence) {
				fail("off target %q is not judged on %s pages", id, m.Cadence)
			}
		}
		for _, def := range metric.Named() {
			if _, ok := m.Metrics[def.ID]; def.JudgedIn(m.Cadence) && !ok {
				fail("%s is judged on %s pages but not computed", def.ID, m.Cadence)
			}
		}
	}
	return pages
}

func TestExamplePagesDoNotContradictThemselves(t *testing.T) {
	t.Parallel()
	sink := &MemSink{Files: clearExample(t)}
	if n := checkNoContradictions(t, sink.Files); n < 800 {
		t.Errorf("only %d pages checked", n)
	}
}

// A generated org cut off on a quarter's last day: every period that ends
// then is complete and must be judged.
func TestGeneratedOrgPagesDoNotContradictThemselves(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	if err := orggen.Generate(filepath.Join(dir, "data"), 12, 14, time.Date(2026, 9, 30, 0, 0, 0, 0, time.UTC), 7); err != nil {
		t.Fatal(err)
	}
	cfg := "title = \"Generated\"\n[calendar]\nas_of = 2026-09-30\n"
	if err := os.WriteFile(filepath.Join(dir, "coachbook.toml"), []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.CopyFS(filepath.Join(dir, "content"), os.DirFS("../../content")); err != nil {
		t.Fatal(err)
	}
	sink := &MemSink{}
	if _, diags := Run(os.DirFS(dir), Options{Today: testDay}, sink); diags.Fatal() {
		t.Fatal(diags.Err())
	}
	if n := checkNoContradictions(t, sink.Files); n < 500 {
		t.Errorf("only %d pages checked", n)
	}
	// The quarter that ends on as_of is judged on every rep's page.
	for name, b := range sink.Files {
		if strings.HasSuffix(name, "/quarter/2026-Q3/metrics.json") && strings.Contains(string(b), `"in_progress":true`) {
			t.Errorf("%s: Q3 ends on as_of and must be complete", name)
		}
	}
}
