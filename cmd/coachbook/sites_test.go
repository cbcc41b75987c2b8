package main

import (
	"strings"
	"testing"
)

// sitesToml is an org in two sites, one with a repository to push to.
const sitesToml = `title = "Acme"
[[access.audience]]
name = "leadership"
scope = "all"
key_env = "K_LEAD"
[[access.audience]]
name = "north"
scope = "team:north"
key_env = "K_NORTH"

[[sites]]
name = "north"
title = "Acme North"
base_url = "https://acme.github.io/playbook-north/"
repository = "acme/playbook-north"
teams = ["north"]
audiences = ["leadership", "north"]

[[sites]]
name = "rest"
base_url = "https://acme.example/rest/"
teams = ["*"]
managers = ["mgr"]
`

// coachbook sites prints the job matrix the Pages workflow builds: each
// part with the environment variables of its own audiences only.
func TestSitesMatrix(t *testing.T) {
	dir := writeSite(t, map[string]string{"coachbook.toml": sitesToml})
	code, out, errOut := runCLI("sites", "-s", dir)
	want := `{"include":[{"part":"north","title":"Acme North","base_url":"https://acme.github.io/playbook-north/","repository":"acme/playbook-north","key_envs":["K_LEAD","K_NORTH"]},{"part":"rest","title":"","base_url":"https://acme.example/rest/","key_envs":[]}]}` + "\n"
	if code != 0 || out != want {
		t.Errorf("exit %d, stdout\n%s\nwant\n%s\nstderr %s", code, out, want, errOut)
	}
	dir = writeSite(t, map[string]string{"coachbook.toml": "title = \"Small\"\n"})
	if code, out, _ := runCLI("sites", "-s", dir); code != 0 || out != "{\"include\":[]}\n" {
		t.Errorf("without [[sites]]: exit %d, %q", code, out)
	}
	bad := strings.Replace(sitesToml, `audiences = ["leadership", "north"]`, `audiences = ["leadership", "nort"]`, 1)
	bad = strings.Replace(bad, `base_url = "https://acme.example/rest/"`, `base_url = "rest"`, 1)
	dir = writeSite(t, map[string]string{"coachbook.toml": bad})
	code, _, errOut = runCLI("sites", "-s", dir)
	for _, want := range []string{
		`coachbook.toml:17: [[sites]] "north" names audience "nort", which is not in [[access.audience]]`,
		`coachbook.toml:21: [[sites]] "rest" needs base_url, the address it is published at, like base_url = "https://acme.github.io/playbook-rest/"`,
	} {
		if code != 1 || !strings.Contains(errOut, want) {
			t.Errorf("exit %d, stderr lacks %q:\n%s", code, want, errOut)
		}
	}
	dir = writeSite(t, map[string]string{"coachbook.toml": sitesToml})
	code, _, errOut = runCLI("build", "-s", dir, "-o", dir+"/out", "--part", "south")
	if want := `coachbook.toml: --part south: no [[sites]] has that name; the sites are north, rest`; code != 1 || !strings.Contains(errOut, want) {
		t.Errorf("exit %d, stderr lacks %q:\n%s", code, want, errOut)
	}
}
