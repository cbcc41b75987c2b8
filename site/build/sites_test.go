package build

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/coachbook/coachbook/site/access"
	"github.com/coachbook/coachbook/site/config"
	"github.com/coachbook/coachbook/site/data"
	"github.com/coachbook/coachbook/site/internal/sitetest"
	"github.com/coachbook/coachbook/site/orggen"
)

// sitesConfig splits a generated 12-rep org (teams north, central and
// south, of one manager each) into two sites, each with its own audience
// beside the leadership's.
const sitesConfig = `title = "Acme"
base_url = "https://acme.github.io/playbook/"
[[access.audience]]
name = "leadership"
scope = "all"
key_env = "K_LEAD"
[[access.audience]]
name = "east"
scope = "team:north"
key_env = "K_EAST"
[[access.audience]]
name = "west"
scope = "team:south"
key_env = "K_WEST"

[[sites]]
name = "one"
base_url = "https://acme.github.io/playbook-one/"
teams = ["north", "central"]
audiences = ["leadership", "east"]

[[sites]]
name = "two"
title = "Acme West"
base_url = "https://acme.github.io/playbook-two/"
teams = ["s*"]
audiences = ["leadership", "west"]
`

// An org published as two sites: each part's output holds its reps'
// reports alone (built in the clear to look), opens with its own
// audiences' keys and not the other part's, and the leadership site links
// both with no rep data.
func TestOrgAsSeveralSites(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	o := orggen.Options{Reps: 12, Months: 4, AsOf: time.Date(2026, 11, 19, 0, 0, 0, 0, time.UTC), Seed: 1, History: orggen.HistoryLog}
	if err := orggen.GenerateWith(filepath.Join(dir, "data"), o); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "coachbook.toml"), []byte(sitesConfig), 0o644); err != nil {
		t.Fatal(err)
	}
	site := os.DirFS(dir)
	keys := map[string]string{"K_LEAD": "lead passphrase 0123456789", "K_EAST": "east passphrase 0123456789", "K_WEST": "west passphrase 0123456789"}
	build := func(opts Options) map[string][]byte {
		t.Helper()
		opts.Today, opts.Version = testDay, "test"
		sink := &MemSink{}
		_, diags := Run(site, opts, sink)
		if diags.Fatal() {
			t.Fatalf("%+v: %v", opts, diags.Err())
		}
		return sink.Files
	}
	cfg, cd := config.Load(site)
	if cd.HasErrors() {
		t.Fatal(cd.Err())
	}
	full, _ := data.Load(site, cfg)
	inOne := func(r *data.Rep) bool { return r.Team == "north" || r.Team == "central" }
	var one, two []*data.Rep
	for _, r := range full.Team.Reps {
		if inOne(r) {
			one = append(one, r)
		} else {
			two = append(two, r)
		}
	}
	if len(one) == 0 || len(two) == 0 {
		t.Fatalf("the generated org does not split: %d and %d reps", len(one), len(two))
	}
	// In the clear (a local address), to read what each part publishes.
	for _, c := range []struct {
		part       string
		own, other []*data.Rep
		title      string
	}{{"one", one, two, "Acme · one"}, {"two", two, one, "Acme West"}} {
		files := build(Options{Site: c.part, BaseURL: "http://127.0.0.1:8000/"})
		for _, r := range c.own {
			if _, ok := files["reports/reps/"+r.ID+"/index.html"]; !ok {
				t.Errorf("part %s lacks its rep %s", c.part, r.ID)
			}
		}
		var blob strings.Builder
		for p, b := range files {
			blob.WriteString(p + "\n")
			blob.Write(b)
		}
		otherIDs := map[int32]bool{}
		for _, r := range c.other {
			otherIDs[int32(r.Index)] = true
			for _, s := range []string{"/reps/" + r.ID + "/", r.Name, r.Email} {
				if strings.Contains(blob.String(), s) {
					t.Errorf("part %s publishes %q of the other part's rep %s", c.part, s, r.ID)
				}
			}
		}
		for _, d := range full.Opportunities {
			if otherIDs[d.Rep] && strings.Contains(blob.String(), d.ID) {
				t.Errorf("part %s publishes deal %s of the other part", c.part, d.ID)
				break
			}
		}
		if home := string(files["index.html"]); !strings.Contains(home, "<h1>"+c.title+"</h1>") {
			t.Errorf("part %s's home page is not titled %q", c.part, c.title)
		}
		health := string(files["reports/data-health/index.html"])
		if !strings.Contains(health, "rows are of reps other sites of the org publish.") {
			t.Errorf("part %s's data health does not count the other part's rows", c.part)
		}
	}
	// Encrypted: each part opens with its own audience and the
	// leadership's, never with the other part's.
	for _, c := range []struct{ part, own, other string }{{"one", "K_EAST", "K_WEST"}, {"two", "K_WEST", "K_EAST"}} {
		files := build(Options{Site: c.part, Keys: func(k string) string { return keys[k] }})
		for _, k := range []string{c.own, "K_LEAD"} {
			if _, err := access.Unlock(reader(files), keys[k]); err != nil {
				t.Errorf("part %s does not open with %s: %v", c.part, k, err)
			}
		}
		if _, err := access.Unlock(reader(files), keys[c.other]); err == nil {
			t.Errorf("part %s opens with the other part's %s", c.part, c.other)
		}
	}
	lead := build(Options{Leadership: true, Keys: func(k string) string { return keys[k] }})
	home := string(lead["index.html"])
	for _, want := range []string{`<a href="https://acme.github.io/playbook-one/">Acme · one</a>`, `<a href="https://acme.github.io/playbook-two/">Acme West</a>`} {
		if !strings.Contains(home, want) {
			t.Errorf("the leadership home page lacks %s", want)
		}
	}
	for p := range lead {
		if strings.HasPrefix(p, "reports/") {
			t.Errorf("the leadership site publishes %s", p)
			break
		}
	}
}

// A rep two sites would publish is an error, and one no site publishes a
// warning, each at the rep's line in team.toml.
func TestEveryRepInOneSite(t *testing.T) {
	t.Parallel()
	site := strings.Replace(smallSite, "base_url = \"https://example.github.io/pb/\"\n", `base_url = "http://127.0.0.1/"
[[sites]]
name = "a"
base_url = "https://acme.github.io/a/"
managers = ["mgr"]
[[sites]]
name = "b"
base_url = "https://acme.github.io/b/"
teams = ["north"]
`, 1) + strings.Replace(exportTeam, `aliases = ["0055e000001LuisAA"]`, "aliases = [\"0055e000001LuisAA\"]\nteam = \"north\"", 1) + `
[[reps]]
id = "eva"
team = "south"
-- data/activities.csv --
date,rep,type
2023-09-01,ana,calls
`
	var got []string
	_, diags := Run(sitetest.FS(site), Options{Today: testDay, Version: "test"}, &MemSink{})
	for _, d := range diags {
		if strings.Contains(d.Msg, "[[sites]]") {
			got = append(got, d.Error())
		}
	}
	want := []string{
		`data/team.toml:12: rep "luis" (manager "mgr", team "north") is in [[sites]] a and b: give each rep's manager or team to one site only, so that one site and its audiences hold the rep's reports`,
		`data/team.toml:20: warning: rep "eva" (manager "", team "south") is in no [[sites]] of coachbook.toml: no site publishes their reports; add the manager or team to one`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
