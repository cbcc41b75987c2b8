package build

import (
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/coachbook/coachbook/site/internal/sitetest"
	"github.com/coachbook/coachbook/site/render"
)

// Each kind of change re-runs the stages it feeds, and only those (on a
// small site with reports: the stages are the example's).
func TestStagesRerunByChange(t *testing.T) {
	t.Parallel()
	b := NewBuilder(sitetest.FS(dataSite), Options{Today: testDay})
	sink := func(FileSet) render.Sink { return Discard }
	ran := func(c Change) ([]string, []FileSet) {
		t.Helper()
		res := b.Build(c, sink)
		if res.Diags.Fatal() {
			t.Fatal(res.Diags.Err())
		}
		var names []string
		for _, s := range res.Stats.Stages {
			names = append(names, s.Name)
		}
		return names, res.FileSets
	}
	every := StageNames()
	every = every[:len(every)-1] // write is ToDir's
	if got, _ := ran(ChangeData); !slices.Equal(got, every) {
		t.Errorf("first build ran %v, want every stage %v", got, every)
	}
	cases := []struct {
		change Change
		stages []string
		parts  []FileSet
	}{
		{ChangeContent, []string{"content", "checks", "render playbook"}, []FileSet{PlaybookFiles}},
		{ChangeData, []string{"data", "checks", "model", "render reports"}, []FileSet{ReportFiles}},
		// A new commit reads the guides' history again; no report is made.
		{ChangeHistory, []string{"content", "checks", "render playbook"}, []FileSet{PlaybookFiles}},
		{ChangeTheme, []string{"theme", "checks", "render playbook", "render reports"}, []FileSet{PlaybookFiles, ReportFiles}},
		{ChangeConfig, every, []FileSet{PlaybookFiles, ReportFiles}},
		{ChangeContent | ChangeData, []string{"content", "data", "checks", "model", "render playbook", "render reports"}, []FileSet{PlaybookFiles, ReportFiles}},
	}
	for _, c := range cases {
		got, parts := ran(c.change)
		if !slices.Equal(got, c.stages) || !slices.Equal(parts, c.parts) {
			t.Errorf("change %04b ran %v rendering %v, want %v rendering %v", c.change, got, parts, c.stages, c.parts)
		}
	}
}

// The table's own decisions, beyond a change's inputs: a guide edit that
// changes what report pages link to re-renders them (stale), one that does
// not leaves them; turning reports off drops the data, the model and their
// diagnostics (needs), and turning them on again reads the data anew
// (missing); a fatal content error stops the build at the model (gate).
func TestStageTableDecisions(t *testing.T) {
	t.Parallel()
	// A small site with reports, whose report pages link to the guide that
	// coaches calls.
	site := sitetest.FS(dataSite + "-- coachbook.toml --\ntitle = \"Test\"\nbase_url = \"/\"\n[reports]\nenabled = true\n")
	b := NewBuilder(site, Options{Today: testDay})
	sink := func(FileSet) render.Sink { return Discard }
	const guide = "content/weekly/activity-meeting.md"
	original := string(site[guide].Data)
	cfg := string(site["coachbook.toml"].Data)
	if !strings.Contains(original, "title = \"Activity meeting\"") || !strings.Contains(cfg, "enabled = true") {
		t.Fatalf("the test expects %s's title line and reports enabled in coachbook.toml", guide)
	}
	cases := []struct {
		name   string
		change Change
		files  map[string]string
		stages []string
		fatal  bool
	}{
		{"first build", ChangeAll, nil, StageNames()[:8], false},
		{"guide body edit", ChangeContent, map[string]string{guide: original + "\nOne more line.\n"},
			[]string{"content", "checks", "render playbook"}, false},
		{"guide title edit: report pages link to it", ChangeContent,
			map[string]string{guide: strings.Replace(original, "Activity meeting", "Weekly activity meeting", 1)},
			[]string{"content", "checks", "render playbook", "render reports"}, false},
		{"reports off", ChangeConfig, map[string]string{"coachbook.toml": strings.Replace(cfg, "enabled = true", "enabled = false", 1)},
			[]string{"config", "theme", "content", "checks", "render playbook"}, false},
		{"reports on again", ChangeConfig, map[string]string{"coachbook.toml": cfg},
			StageNames()[:8], false},
		{"broken front matter stops at the model", ChangeContent, map[string]string{guide: "+++\ntitle = \n+++\n"},
			[]string{"content", "checks"}, true},
	}
	for _, c := range cases {
		for name, body := range c.files {
			site[name] = &fstest.MapFile{Data: []byte(body), Mode: 0o644}
		}
		res := b.Build(c.change, sink)
		var got []string
		for _, s := range res.Stats.Stages {
			got = append(got, s.Name)
		}
		if !slices.Equal(got, c.stages) {
			t.Errorf("%s: ran %v, want %v", c.name, got, c.stages)
		}
		if res.Diags.Fatal() != c.fatal {
			t.Errorf("%s: fatal = %v, want %v (%v)", c.name, res.Diags.Fatal(), c.fatal, res.Diags.Err())
		}
		if c.name == "reports off" && (b.data != nil || b.model != nil || b.diagsOf[stData] != nil) {
			t.Errorf("reports off: the data stage's result is kept")
		}
	}
}
