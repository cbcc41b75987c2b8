package data

import (
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/coachbook/coachbook/site/config"

	"github.com/coachbook/coachbook/site/civil"
	"github.com/coachbook/coachbook/site/internal/sitetest"
)

// Every row of a commitments file is used or reported at its line and
// column, with what to do.
func TestCommitmentRows(t *testing.T) {
	d, msgs := loadSite(t, sitetest.FS(`-- data/team.toml --
`+team+`
-- data/coaching.csv --
date,manager,rep,kind
2026-11-10,mgarcia,jdoe,weekly
2026-11-19,mgarcia,jdoe,one-on-one
2026-11-19,mgarcia,jdoe,monthly
-- data/commitments.csv --
date,rep,manager,text,metric,number,due,status
2026-11-10,J. Doe,mgarcia,Set 6 first meetings,activity.meetings_set,6,,
2026-11-10,jdoe,,"Ask Globex, politely, for the CFO",,,2026-11-14,Done
2026-11-19,jdoe,mgarcia,Agree a close plan,,,,
2026-11-10,jdoe,mgarcia,,,,,
2026-11-10,jdoe,mgarcia,Win everything,win_rate,1,,
2026-11-10,jdoe,mgarcia,Set meetings,activity.meetings_set,,,
2026-11-10,jdoe,mgarcia,Calls,activity.calls,-4,,
2026-11-10,jdoe,mgarcia,Early,,,2026-11-01,
2026-11-10,jdoe,mgarcia,Someday,,,,maybe
2026-11-10,jdoe,nobody,Who,,,,
2026-11-10,jdoe,mgarcia,Just a number,,7,,
`))
	want := []string{
		"data/commitments.csv:4:1: warning: kind is blank and the coaching log has one-on-one and monthly meetings with jdoe on 2026-11-19; taken as one-on-one: fill in kind to say which meeting it was",
		"data/commitments.csv:5:25: the commitment's text is blank; write what the rep committed to; the row is left out",
		"data/commitments.csv:6:40: metric win_rate cannot be checked over a commitment's days; name an activity (activity.<type>) or pipeline.created, or leave metric blank and fill in status; the row is left out",
		"data/commitments.csv:7:60: metric activity.meetings_set is given without a number; write the number committed to (like 6); the row is left out",
		"data/commitments.csv:8:46: number -4 is negative; the row is left out",
		"data/commitments.csv:9:33: due 2026-11-01 is before the meeting (2026-11-10); fix one of the two dates; the row is left out",
		"data/commitments.csv:10:36: status \"maybe\": leave it blank or use one of done, missed, dropped; the row is left out",
		"data/commitments.csv:11:17: manager \"nobody\" is not in data/team.toml [[managers]]; the row is left out",
		"data/commitments.csv:12:40: warning: number \"7\" is ignored without a metric; name the metric it counts (like activity.meetings_set)",
	}
	if !slices.Equal(msgs, want) {
		t.Errorf("diagnostics:\n%s\nwant:\n%s", strings.Join(msgs, "\n"), strings.Join(want, "\n"))
	}
	if len(d.Commitments) != 4 {
		t.Fatalf("%d commitments kept, want 4: %+v", len(d.Commitments), d.Commitments)
	}
	c := d.Commitments[0]
	if c.Rep != 0 || c.Manager != 0 || c.Kind != "weekly" || c.Metric != "activity.meetings_set" || c.Number != 6 || c.Due != civil.None || c.Status != "" {
		t.Errorf("first row: %+v", c)
	}
	c = d.Commitments[1]
	if c.Text != "Ask Globex, politely, for the CFO" || c.Manager != -1 || c.Status != "done" || c.Due.String() != "2026-11-14" || c.Metric != "" {
		t.Errorf("second row: %+v", c)
	}
	if k := d.Commitments[2].Kind; k != "one-on-one" {
		t.Errorf("kind from the coaching log = %q", k)
	}
	var stats FileStats
	for _, f := range d.Files {
		if f.Kind == "commitments" {
			stats = f
		}
	}
	if stats.Rows != 11 || stats.Used != 4 || stats.Rejected != 7 {
		t.Errorf("stats %+v: every row is used or rejected", stats)
	}
}

// The spreadsheet template the example ships reads without a problem.
func TestCommitmentsTemplate(t *testing.T) {
	site := os.DirFS("../..")
	cfg, cd := config.Load(site)
	if cd.HasErrors() {
		t.Fatal(cd.Err())
	}
	src := cfg.Data["commitments"]
	src.Path, src.Paths = "data/templates/commitments.csv", []string{"data/templates/commitments.csv"}
	d, diags := Load(site, cfg)
	for _, x := range diags {
		if strings.Contains(x.File, "commitments") {
			t.Errorf("%v", x)
		}
	}
	if len(d.Commitments) != 2 || d.Commitments[0].Metric != "activity.meetings_set" || d.Commitments[1].Metric != "" {
		t.Errorf("template rows: %+v", d.Commitments)
	}
}

// [data.commitments] maps a sheet's own headers, like every data file.
func TestCommitmentsColumns(t *testing.T) {
	d, msgs := loadSite(t, sitetest.FS(`-- coachbook.toml --
[data.commitments]
path = "sheets/Commitments.csv"
date_format = "1/2/2006"
[data.commitments.columns]
date = "Meeting date"
text = "Commitment"
due = "By"
-- data/team.toml --
`+team+`
-- sheets/Commitments.csv --
Meeting date,Rep,Commitment,Metric,Number,By
11/10/2026,Jane Doe,Set 6 first meetings,activity.meetings_set,6,11/16/2026
`))
	if len(msgs) != 0 {
		t.Fatal(msgs)
	}
	if len(d.Commitments) != 1 || d.Commitments[0].Text != "Set 6 first meetings" || d.Commitments[0].Due.String() != "2026-11-16" || d.Commitments[0].Date.String() != "2026-11-10" {
		t.Errorf("%+v", d.Commitments)
	}
}
