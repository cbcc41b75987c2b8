package build

import (
	"slices"
	"testing"

	"github.com/coachbook/coachbook/site/render"
)

// Each kind of change re-runs the stages it feeds, and only those.
func TestStagesRerunByChange(t *testing.T) {
	b := NewBuilder(exampleFS(), Options{Today: testDay})
	sink := func(Part) render.Sink { return Discard }
	ran := func(c Change) ([]string, []Part) {
		t.Helper()
		res := b.Build(c, sink)
		if res.Diags.Fatal() {
			t.Fatal(res.Diags.Err())
		}
		var names []string
		for _, s := range res.Stats.Stages {
			names = append(names, s.Name)
		}
		return names, res.Parts
	}
	every := StageNames()
	every = every[:len(every)-1] // write is ToDir's
	if got, _ := ran(ChangeData); !slices.Equal(got, every) {
		t.Errorf("first build ran %v, want every stage %v", got, every)
	}
	cases := []struct {
		change Change
		stages []string
		parts  []Part
	}{
		{ChangeContent, []string{"content", "checks", "render playbook"}, []Part{PartPlaybook}},
		{ChangeData, []string{"data", "checks", "model", "render reports"}, []Part{PartReports}},
		{ChangeTheme, []string{"theme", "checks", "render playbook", "render reports"}, []Part{PartPlaybook, PartReports}},
		{ChangeConfig, every, []Part{PartPlaybook, PartReports}},
		{ChangeContent | ChangeData, []string{"content", "data", "checks", "model", "render playbook", "render reports"}, []Part{PartPlaybook, PartReports}},
	}
	for _, c := range cases {
		got, parts := ran(c.change)
		if !slices.Equal(got, c.stages) || !slices.Equal(parts, c.parts) {
			t.Errorf("change %04b ran %v rendering %v, want %v rendering %v", c.change, got, parts, c.stages, c.parts)
		}
	}
}
