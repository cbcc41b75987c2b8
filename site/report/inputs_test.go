package report

import (
	"os"
	"slices"
	"testing"

	"github.com/coachbook/coachbook/site/civil"
	"github.com/coachbook/coachbook/site/config"
	"github.com/coachbook/coachbook/site/data"
)

// A keyed task names, before it runs, exactly the pages it then emits:
// the files a build carries over by the task's key are those a clean build
// writes.
func TestKeyedTasksNameTheirPages(t *testing.T) {
	m := exampleModel(t)
	keyed := 0
	for _, task := range m.KeyedTasks(nil) {
		if task.In == nil {
			continue
		}
		keyed++
		var made []PageFiles
		task.Run(func(p Page) { made = append(made, PageFiles{URL: p.URL, Page: p.Kind != "", JSON: p.JSON != nil}) })
		if !slices.Equal(made, task.In.Pages) {
			t.Errorf("task names %v, emits %v", task.In.Pages, made)
		}
		if len(made) > 0 && task.In.Key() == 0 {
			t.Errorf("%s: no key", made[0].URL)
		}
	}
	if keyed == 0 {
		t.Fatal("no keyed task")
	}
}

// A period's key moves with a row dated up to its end, and with the
// cut-off while the period is not over; not with a row dated after it,
// nor with the cut-off once it is over.
func TestInputKeyFollowsRowsAndCutOff(t *testing.T) {
	site := os.DirFS("../..")
	cfg, diags := config.Load(site)
	if diags.Fatal() {
		t.Fatal(diags.Err())
	}
	keyOf := func(edit func(d *data.Data), asOf civil.Date, url string) uint64 {
		d, diags := data.Load(site, cfg)
		if diags.Fatal() {
			t.Fatal(diags.Err())
		}
		if edit != nil {
			edit(d)
		}
		if asOf == 0 {
			asOf = AsOf(cfg, d, civil.Date(0))
		}
		m := NewModel(cfg, d, asOf)
		for _, task := range m.KeyedTasks(nil) {
			if task.In != nil && slices.ContainsFunc(task.In.Pages, func(p PageFiles) bool { return p.URL == url }) {
				return task.In.Key()
			}
		}
		t.Fatalf("no task makes %s", url)
		return 0
	}
	m := exampleModel(t)
	rep := m.Data.Team.Reps[0]
	week := m.Cal.Of(Week, m.AsOf.AddDays(-140))
	url := RepURL(rep.ID, week)
	base := keyOf(nil, 0, url)
	// A later activity of the rep's moved to the week's last day, then to
	// the cut-off (the week's commitments were due long before).
	bump := func(day civil.Date) func(d *data.Data) {
		return func(d *data.Data) {
			for i := range d.Activities {
				if a := &d.Activities[i]; int(a.Rep) == rep.Index && a.Date > week.End+7 && a.Date < m.AsOf {
					a.Date, a.Count = day, a.Count+5
					return
				}
			}
			t.Fatal("no activity to move")
		}
	}
	if keyOf(bump(week.End), 0, url) == base {
		t.Error("an activity in the week leaves its key")
	}
	if keyOf(bump(m.AsOf), 0, url) != base {
		t.Error("an activity after the week moves its key")
	}
	if keyOf(nil, m.AsOf+1, url) != base {
		t.Error("a later cut-off moves a completed week's key")
	}
	now := m.Cal.Of(Week, m.AsOf)
	if m.InProgress(now) {
		url := RepURL(rep.ID, now)
		if keyOf(nil, m.AsOf+1, url) == keyOf(nil, 0, url) {
			t.Error("a later cut-off leaves the week in progress's key")
		}
	}
}
