package config

import (
	"strings"
	"testing"
	"testing/fstest"
)

func load(t *testing.T, src string) (*Config, []string) {
	t.Helper()
	c, diags := Load(fstest.MapFS{File: {Data: []byte(src)}})
	var msgs []string
	for _, d := range diags {
		msgs = append(msgs, d.Error())
	}
	return c, msgs
}

func TestDefaults(t *testing.T) {
	c, diags := Load(fstest.MapFS{})
	if len(diags) != 0 {
		t.Fatal(diags)
	}
	if c.Title == "" || c.Theme != "default" || c.BasePath != "/" || !c.Reports.On() ||
		c.Reports.PatternAfter != 3 || c.Calendar.FiscalYearStart != 1 || c.Calendar.AsOf.Valid() {
		t.Errorf("bad defaults: %+v", c)
	}
	if c.Data["opportunities"].Path != "data/opportunities.csv" {
		t.Errorf("default path %q", c.Data["opportunities"].Path)
	}
}

func TestPinnedKeys(t *testing.T) {
	c, msgs := load(t, `title = "Acme"
base_url = "https://acme.github.io/playbook/"
[calendar]
week_start = "Sunday"
fiscal_year_start = 2
as_of = 2026-11-19
[reports]
enabled = false
pattern_after = 4
[data.opportunities]
preset = "salesforce"
date_format = "1/2/2006"
[data.opportunities.columns]
rep = "Opportunity Owner"
[data.opportunities.stages]
won = ["Closed Won"]
`)
	if len(msgs) != 0 {
		t.Fatal(msgs)
	}
	if c.BasePath != "/playbook/" || c.Origin != "https://acme.github.io" {
		t.Errorf("base %q %q", c.BasePath, c.Origin)
	}
	if c.AbsURL("/weekly/x/") != "https://acme.github.io/playbook/weekly/x/" {
		t.Errorf("AbsURL %q", c.AbsURL("/weekly/x/"))
	}
	if c.Calendar.WeekStart != "sunday" || c.Calendar.AsOf.String() != "2026-11-19" || c.Reports.On() || c.Reports.PatternAfter != 4 {
		t.Errorf("%+v %+v", c.Calendar, c.Reports)
	}
	o := c.Data["opportunities"]
	if o.Preset != "salesforce" || o.Columns["rep"] != "Opportunity Owner" || o.Stages["won"][0] != "Closed Won" || o.Line != 10 {
		t.Errorf("%+v", o)
	}
}

func TestErrorsHaveLines(t *testing.T) {
	_, msgs := load(t, "title = \"x\"\ntitel = \"y\"\n[calendar]\nfiscal_year_start = 13\nweek_start = \"friday\"\n[reports]\npattern_after = 0\n")
	want := []string{
		`coachbook.toml:2: warning: unknown key "titel" is ignored; check its spelling against the README's configuration reference`,
		`coachbook.toml:5: week_start = "friday": use "monday" (ISO weeks) or "sunday"`,
		`coachbook.toml:4: fiscal_year_start = 13: use the number of the month the fiscal year starts, 1 (January) to 12 (December)`,
	}
	got := strings.Join(msgs, "\n")
	for _, w := range want {
		if !strings.Contains(got, w) {
			t.Errorf("missing %q in\n%s", w, got)
		}
	}
	// pattern_after = 0 reads as "not set" and gets the default: no error.
	if strings.Contains(got, "pattern_after") {
		t.Errorf("unexpected: %s", got)
	}
}

func TestSyntaxError(t *testing.T) {
	c, msgs := load(t, "title = \"x\"\nbase_url = https://x/\n")
	if len(msgs) != 1 || !strings.HasPrefix(msgs[0], "coachbook.toml:2:") {
		t.Fatalf("got %v", msgs)
	}
	if c == nil || c.Title == "" {
		t.Error("a usable default config must come back with the error")
	}
}

func TestBaseURL(t *testing.T) {
	for in, want := range map[string]string{
		"":                       "/",
		"/":                      "/",
		"/playbook":              "/playbook/",
		"https://x.io":           "/",
		"https://x.io/a/b/":      "/a/b/",
		"http://localhost:1313/": "/",
	} {
		c, msgs := load(t, "base_url = \""+in+"\"\n")
		if len(msgs) != 0 || c.BasePath != want {
			t.Errorf("%q: base path %q (want %q) %v", in, c.BasePath, want, msgs)
		}
	}
	_, msgs := load(t, "base_url = \"ftp://x/\"\n")
	if len(msgs) != 1 || !strings.HasPrefix(msgs[0], "coachbook.toml:1: base_url") {
		t.Errorf("got %v", msgs)
	}
}

func TestThemeNameCannotEscape(t *testing.T) {
	_, msgs := load(t, "theme = \"../../etc\"\n")
	if len(msgs) != 1 || !strings.Contains(msgs[0], "must be a folder name") {
		t.Errorf("got %v", msgs)
	}
}

func TestDataSettingsAreCheckedHere(t *testing.T) {
	c, msgs := load(t, "[data.activities]\ndecimal = \";\"\nencoding = \"ebcdic\"\n[data.coaching]\nencoding = \"Latin1\"\n[data.opportunities.stages]\nwon = [\"W\"]\nwonn = [\"X\"]\n")
	want := []string{
		`coachbook.toml:8: [data.opportunities.stages] has "wonn"; only won = [...] and lost = [...] are read (every other stage is open)`,
		`coachbook.toml:2: [data.activities] decimal = ";": use "." or ","`,
		`coachbook.toml:3: [data.activities] encoding = "ebcdic": use "auto", "utf-8" or "windows-1252"`,
	}
	got := strings.Join(msgs, "\n")
	for _, w := range want {
		if !strings.Contains(got, w) {
			t.Errorf("missing %q in\n%s", w, got)
		}
	}
	if c.Data["coaching"].Encoding != "windows-1252" || c.Data["forecasts"].Encoding != "auto" {
		t.Errorf("encodings normalised: %q %q", c.Data["coaching"].Encoding, c.Data["forecasts"].Encoding)
	}
}

func TestReportsKeep(t *testing.T) {
	c, msgs := load(t, "[reports.keep]\nweeks = 26\nmonths = -1\n")
	if c.Reports.Keep.Weeks != 26 || c.Reports.Keep.Quarters != DefaultKeepQuarters {
		t.Errorf("%+v", c.Reports.Keep)
	}
	want := `coachbook.toml:3: [reports.keep] months = -1: give how many of the latest months get their own pages, 1 or more (a large number keeps them all)`
	if len(msgs) != 1 || msgs[0] != want {
		t.Errorf("got %q", msgs)
	}
}

// Several [[data.<kind>]] entries, a path list and a column list read
// without a warning; a misspelt key inside an entry is still named.
func TestSeveralFilesPerKind(t *testing.T) {
	fsys := fstest.MapFS{File: &fstest.MapFile{Data: []byte(`[[data.activities]]
path = ["data/Task.csv", "data/Task-2.csv"]
preset = "salesforce"
[data.activities.columns]
type = ["Type", "Subject"]

[[data.activities]]
path = "data/Event.csv"
presett = "salesforce"
type = "meetings_held"
`)}}
	c, diags := Load(fsys)
	var got []string
	for _, d := range diags {
		got = append(got, d.Error())
	}
	want := `coachbook.toml:9: warning: unknown key "data.activities.presett" is ignored; check its spelling against the README's configuration reference`
	if len(got) != 1 || got[0] != want {
		t.Errorf("got %q\nwant %q", got, want)
	}
	a := c.Data["activities"]
	if len(a.Also) != 1 || strings.Join(a.Paths, " ") != "data/Task.csv data/Task-2.csv" || a.Columns["type"] != "Type" || a.Fallbacks["type"][0] != "Subject" || a.Also[0].Path != "data/Event.csv" || a.Also[0].Type != "meetings_held" || a.Also[0].Line != 7 {
		t.Errorf("activities: %+v, also %+v", a, a.Also[0])
	}
}
