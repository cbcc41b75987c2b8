package data

import (
	"fmt"
	"math"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/coachbook/coachbook/site/internal/sitetest"
)

// Counts and types never wrap: a count past MaxCount, a sum past 2³¹ and a
// type past MaxActivityTypes are errors at their row.
func TestActivityBounds(t *testing.T) {
	var b strings.Builder
	b.WriteString("date,rep,type,count\n2026-11-16,jdoe,calls,3000000000\n")
	for i := 0; i < 2200; i++ {
		fmt.Fprintf(&b, "2026-11-16,jdoe,calls,%d\n", MaxCount)
	}
	fsys := sitetest.FS("-- data/team.toml --\n" + team)
	fsys["data/activities.csv"] = &fstest.MapFile{Data: []byte(b.String())}
	d, msgs := loadSite(t, fsys)
	var sum int64
	for _, a := range d.Activities {
		sum += int64(a.Count)
		if a.Count < 0 {
			t.Fatalf("count wrapped: %+v", a)
		}
	}
	if sum > math.MaxInt32 || d.Files[0].Used != 2147 || d.Files[0].Rejected != 2200-2147+1 {
		t.Errorf("sum %d, %+v", sum, d.Files[0])
	}
	if msgs[0] != "data/activities.csv:2:23: count 3000000000 is more than 1000000; one row counts one rep's activities of one day; the row is left out" ||
		!strings.HasPrefix(msgs[1], "data/activities.csv:2150:23: the counts of this file add up to more than 2147483647 here") {
		t.Errorf("%v", msgs[:2])
	}

	b.Reset()
	b.WriteString("date,rep,type\n")
	for i := 0; i <= MaxActivityTypes; i++ {
		fmt.Fprintf(&b, "2026-11-16,jdoe,t%05d\n", i)
	}
	fsys["data/activities.csv"] = &fstest.MapFile{Data: []byte(b.String())}
	d, msgs = loadSite(t, fsys)
	if len(d.ActivityTypes) != MaxActivityTypes || len(msgs) != 1 || !strings.HasPrefix(msgs[0], `data/activities.csv:1002:17: type "t01000" would be activity type number 1001; coachbook reads at most 1000 types: map`) {
		t.Errorf("%d types; %v", len(d.ActivityTypes), msgs)
	}
}

// Quotas, targets and goals must be finite, not negative and not absurd;
// amounts too large to add up are errors at their line and column.
func TestAbsurdNumbers(t *testing.T) {
	fsys := sitetest.FS(`-- data/team.toml --
[targets]
"activity.calls" = nan
win_rate = 1e-320

[[reps]]
id = "a"
quota = { quarterly = inf }

[[reps]]
id = "b"
quota = { monthly = -5 }
[reps.targets]
"activity.calls" = 1e300
-- data/opportunities.csv --
id,rep,stage,close_date,amount
1,a,Won,2026-11-02,"170000000000000000000000000000000000000000000000000000000000"
2,a,Won,2026-11-02,"$1,000,000,000,001"
3,a,Won,2026-11-02,12k
4,a,Won,2026-11-02,"1,000"
-- data/plans/a.toml --
rep = "a"
quarter = "2026-Q4"
[goals]
win_rate = -inf
`)
	d, msgs := loadSite(t, fsys)
	want := []string{
		`data/opportunities.csv:2:20: amount: "170000000000000000000000000000000000000000000000000000000000" is more than 1,000,000,000,000; check the value (or its decimal mark); the row is left out`,
		`data/opportunities.csv:3:20: amount: "$1,000,000,000,001" is more than 1,000,000,000,000; check the value (or its decimal mark); the row is left out`,
		`data/opportunities.csv:4:20: amount: "12k" is not an amount: only a currency symbol or code (like $, €, USD) may stand beside the number; the row is left out`,
		`data/plans/a.toml:4: goal win_rate: -Inf is not a number; write a value like 150000`,
		`data/team.toml:2: [targets] activity.calls: NaN is not a number; write a value like 150000`,
		`data/team.toml:3: [targets] win_rate: 1e-320 is too small to measure against; use 0 or at least 0.001`,
		`data/team.toml:7: rep "a": quota +Inf is not a number; write a value like 150000`,
		`data/team.toml:11: rep "b": quota -5 is negative`,
		`data/team.toml:13: rep "b": target activity.calls: 1e+300 is more than 1,000,000,000,000`,
	}
	if strings.Join(msgs, "\n") != strings.Join(want, "\n") {
		t.Errorf("got:\n%s\nwant:\n%s", strings.Join(msgs, "\n"), strings.Join(want, "\n"))
	}
	if len(d.Opportunities) != 1 || d.Team.Reps[0].Quota.Set || len(d.Team.Targets) != 0 {
		t.Errorf("%+v %+v %v", d.Opportunities, d.Team.Reps[0].Quota, d.Team.Targets)
	}
}

// FuzzTeamNumbers puts arbitrary TOML numbers in quotas and targets: what
// is accepted is finite, not negative and at most MaxAmount.
func FuzzTeamNumbers(f *testing.F) {
	for _, s := range []string{"150000", "nan", "-inf", "+inf", "1e-320", "1e308", "-0.0", "0x7fffffff", "1_000", "0.25"} {
		f.Add(s, s)
	}
	f.Fuzz(func(t *testing.T, quota, target string) {
		fsys := fstest.MapFS{"data/team.toml": {Data: []byte(fmt.Sprintf("[targets]\nwin_rate = %s\n[[reps]]\nid = \"a\"\nquota = { monthly = %s }\n[reps.targets]\n\"activity.calls\" = %s\n", target, quota, target))}}
		tm, _ := loadTeam(fsys)
		check := func(what string, v float64) {
			if math.IsNaN(v) || math.IsInf(v, 0) || v < 0 || v > MaxAmount || (v > 0 && v < 0.001) {
				t.Fatalf("%s %v accepted", what, v)
			}
		}
		for _, v := range tm.Targets {
			check("target", v)
		}
		for _, r := range tm.Reps {
			check("monthly quota", r.Quota.Monthly)
			check("quarterly quota", r.Quota.Quarterly)
			check("annual quota", r.Quota.Annual)
			for _, v := range r.Targets {
				check("rep target", v)
			}
		}
	})
}

// A column the preset expects and the file lacks is an error naming the
// column, the headers tried and the metrics it feeds.
func TestPresetColumnMissing(t *testing.T) {
	fsys := sitetest.FS("-- data/team.toml --\n" + team + `-- coachbook.toml --
[data.opportunities]
path = "data/deals.csv"
preset = "hubspot"
-- data/deals.csv --
Record ID,Deal Name,Deal Stage,Close Date,Deal owner,Amount
9001,Hooli,Closed Won,2026-11-02,Jane Doe,100
`)
	d, msgs := loadSite(t, fsys)
	if len(msgs) != 1 || msgs[0] != `data/deals.csv:1: no column for created, which the hubspot preset expects; tried the headers "Create Date", "Created Date", "created"; it feeds pipeline.created, pipeline.open, cycle_days; the headers are: "Record ID", "Deal Name", "Deal Stage", "Close Date", "Deal owner", "Amount"; export the column, or map it with [data.opportunities.columns] created = "<header>"` {
		t.Errorf("%v", msgs)
	}
	if len(d.Opportunities) != 0 {
		t.Errorf("the file must not be read: %v", d.Opportunities)
	}
}

// Ids and emails are unique across managers and reps, ignoring case; ids
// are at most MaxIDLen characters.
func TestTeamIdentity(t *testing.T) {
	long := strings.Repeat("x", 300)
	_, msgs := loadSite(t, sitetest.FS(`-- data/team.toml --
[[managers]]
id = "mgarcia"
email = "boss@acme.example"

[[managers]]
id = "MGARCIA"

[[managers]]
id = "other"
email = "mgarcia"

[[reps]]
id = "boss@acme.example"

[[reps]]
id = "r1"
email = "MGarcia"

[[reps]]
id = "`+long+`"
`))
	want := []string{
		`data/team.toml:5: manager id "MGARCIA" is used twice (ids ignore case: "mgarcia" is on line 1); give each manager a different id`,
		`data/team.toml:8: manager "other" and manager "mgarcia" (line 1) are both called "mgarcia"; rows could not tell them apart, so give one a different id, name or email`,
		`data/team.toml:12: rep id "boss@acme.example" must be letters, digits, '-', '_' or '.' (it becomes part of a web address)`,
		`data/team.toml:15: rep "r1": "MGarcia" is already manager "mgarcia"'s id or email (ids and emails are unique across managers and reps, ignoring case); give the rep a different id or email`,
		`data/team.toml:19: rep id "` + long + `" is 300 characters long; use at most 64 (it becomes part of a web address and a folder name)`,
	}
	if strings.Join(msgs, "\n") != strings.Join(want, "\n") {
		t.Errorf("got:\n%s\nwant:\n%s", strings.Join(msgs, "\n"), strings.Join(want, "\n"))
	}
}

// Pipedrive's "Deal - Creation date" is not one of the preset's headers:
// the error says which headers were tried, so the user can map it.
func TestPipedriveCreationDateVariant(t *testing.T) {
	fsys := sitetest.FS("-- data/team.toml --\n" + team + `-- coachbook.toml --
[data.opportunities]
path = "data/deals.csv"
preset = "pipedrive"
-- data/deals.csv --
Deal - ID,Deal - Owner,Deal - Status,Deal - Value,Deal - Creation date,Deal - Expected close date,Deal - Won time,Deal - Lost time
17,Jane Doe,won,100,2026-09-01,2026-11-30,2026-11-12,
`)
	_, msgs := loadSite(t, fsys)
	if len(msgs) != 1 || !strings.HasPrefix(msgs[0], `data/deals.csv:1: no column for created, which the pipedrive preset expects; tried the headers "Deal - Deal created", "Deal - Add time", "created"; it feeds pipeline.created, pipeline.open, cycle_days;`) {
		t.Errorf("%v", msgs)
	}
	fsys["coachbook.toml"].Data = append(fsys["coachbook.toml"].Data, []byte("[data.opportunities.columns]\ncreated = \"Deal - Creation date\"\n")...)
	d, msgs := loadSite(t, fsys)
	if len(msgs) != 0 || len(d.Opportunities) != 1 || d.Opportunities[0].Created.String() != "2026-09-01" {
		t.Errorf("mapped: %v %+v", msgs, d.Opportunities)
	}
}
