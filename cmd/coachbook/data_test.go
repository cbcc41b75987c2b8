package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestDataSealRoundTrip: data key, then data seal, then a build from
// data.age alone with the key, then data unseal back to the same files.
func TestDataSealRoundTrip(t *testing.T) {
	code, out, _ := runCLI("data", "key")
	m := regexp.MustCompile(`(?m)^to = \["(age1[a-z0-9]+)"\]\nverify`).FindStringSubmatch(strings.Replace(out, "\n\n", "\nverify", 1))
	secret := regexp.MustCompile(`(?m)^COACHBOOK_DATA_KEY=(AGE-SECRET-KEY-1[A-Z0-9]+)$`).FindStringSubmatch(out)
	if code != 0 || m == nil || secret == nil {
		t.Fatalf("data key = %d:\n%s", code, out)
	}
	team := "[[managers]]\nid = \"mgr\"\nname = \"Maria Manager\"\n[[reps]]\nid = \"jdoe\"\nname = \"Jane Doe\"\nmanager = \"mgr\"\nteam = \"west\"\n"
	dir := writeSite(t, map[string]string{
		"coachbook.toml":       "title = \"T\"\n[seal]\nto = [\"" + m[1] + "\"]\n",
		"content/_index.md":    "Hi.\n",
		"data/team.toml":       team,
		"data/plans/jdoe.toml": "rep = \"jdoe\"\nquarter = \"2026-Q4\"\n",
		"data/activities.csv":  "date,rep,type,count\n2026-11-16,jdoe,calls,12\n",
	})
	env := map[string]string{"COACHBOOK_DATA_KEY": secret[1]}
	getenv := func(k string) string { return env[k] }
	var o, e bytes.Buffer
	if code := runData([]string{"seal", "-s", dir}, getenv, &o, &e); code != 0 || !strings.Contains(o.String(), "sealed 3 data files into data.age") {
		t.Fatalf("data seal = %d:\n%s%s", code, o.String(), e.String())
	}
	sealed, err := os.ReadFile(filepath.Join(dir, "data.age"))
	if err != nil || bytes.Contains(sealed, []byte("Jane Doe")) || bytes.Contains(sealed, []byte("jdoe")) {
		t.Fatalf("data.age: %v, or shows its content", err)
	}
	o.Reset()
	if code := runData([]string{"seal", "-s", dir}, getenv, &o, &e); code != 0 || !strings.Contains(o.String(), "data.age is up to date: 3 data files") {
		t.Errorf("sealing again = %d:\n%s", code, o.String())
	}
	again, _ := os.ReadFile(filepath.Join(dir, "data.age"))
	if !bytes.Equal(again, sealed) {
		t.Error("sealing the same data again changed data.age")
	}

	// The repository without the clear files: the build reads data.age.
	clear := map[string][]byte{}
	for _, f := range []string{"data/team.toml", "data/plans/jdoe.toml", "data/activities.csv"} {
		clear[f], _ = os.ReadFile(filepath.Join(dir, f))
	}
	if err := os.RemoveAll(filepath.Join(dir, "data")); err != nil {
		t.Fatal(err)
	}
	t.Setenv("COACHBOOK_DATA_KEY", secret[1])
	out1 := filepath.Join(t.TempDir(), "public")
	if code, _, errs := runCLI("build", "-s", dir, "-o", out1); code != 0 {
		t.Fatalf("build from data.age = %d: %s", code, errs)
	}
	home, err := os.ReadFile(filepath.Join(out1, "reports/reps/jdoe/index.html"))
	if err != nil || !bytes.Contains(home, []byte("Jane Doe")) {
		t.Fatalf("the build did not read the sealed team: %v", err)
	}
	t.Setenv("COACHBOOK_DATA_KEY", "")
	if code, _, errs := runCLI("build", "-s", dir, "-o", filepath.Join(t.TempDir(), "p")); code != 1 || !strings.Contains(errs, "data.age: the rep data is sealed in data.age and no data key; set COACHBOOK_DATA_KEY") {
		t.Errorf("build without the key = %d: %s", code, errs)
	}

	o.Reset()
	e.Reset()
	if code := runData([]string{"unseal", "-s", dir}, getenv, &o, &e); code != 0 || !strings.Contains(o.String(), "unsealed 3 data files") {
		t.Fatalf("data unseal = %d:\n%s%s", code, o.String(), e.String())
	}
	for f, want := range clear {
		if got, _ := os.ReadFile(filepath.Join(dir, f)); !bytes.Equal(got, want) {
			t.Errorf("%s = %q after unseal, want %q", f, got, want)
		}
	}
	os.WriteFile(filepath.Join(dir, "data/team.toml"), []byte("# edited\n"), 0o644)
	e.Reset()
	if code := runData([]string{"unseal", "-s", dir}, getenv, &o, &e); code != 1 || !strings.Contains(e.String(), "data/team.toml: differs from its sealed copy; kept as it is") {
		t.Errorf("unseal over an edit = %d: %s", code, e.String())
	}
	if got, _ := os.ReadFile(filepath.Join(dir, "data/team.toml")); string(got) != "# edited\n" {
		t.Error("unseal replaced an edited file")
	}
	// Sealing a partial data/ keeps what only the sealed copy holds.
	os.Remove(filepath.Join(dir, "data/activities.csv"))
	o.Reset()
	if code := runData([]string{"seal", "-s", dir}, getenv, &o, &e); code != 0 || !strings.Contains(o.String(), "kept 1 that only the sealed copy holds") {
		t.Errorf("partial seal = %d:\n%s", code, o.String())
	}
	if code := runData([]string{"seal", "-s", dir}, func(string) string { return "" }, &o, &e); code != 1 {
		t.Error("sealed over data.age without the key to keep its files")
	}
}

// TestCheckWarnsOfTrackedData: check warns when git tracks rep data in the
// clear while the reports are to be encrypted.
func TestCheckWarnsOfTrackedData(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("no git")
	}
	dir := writeSite(t, map[string]string{
		"coachbook.toml":    "base_url = \"https://acme.github.io/pb/\"\n",
		"content/_index.md": "Hi.\n",
		"data/team.toml":    "[[reps]]\nid = \"jdoe\"\nname = \"Jane Doe\"\n",
	})
	git := func(args ...string) {
		cmd := exec.Command("git", append([]string{"-c", "user.email=t@example.com", "-c", "user.name=t"}, args...)...)
		cmd.Dir = dir
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	git("init", "-q")
	_, out, _ := runCLI("check", "-s", dir)
	if strings.Contains(out, "tracked by git") {
		t.Fatalf("warned of untracked data:\n%s", out)
	}
	git("add", ".")
	_, out, _ = runCLI("check", "-s", dir)
	if !strings.Contains(out, "data: warning: rep data is tracked by git in the clear while the reports are published encrypted, so anyone who can read the repository reads it (data/team.toml)") {
		t.Errorf("check did not warn:\n%s", out)
	}
	git("rm", "-q", "--cached", "data/team.toml")
	if _, out, _ = runCLI("check", "-s", dir); strings.Contains(out, "tracked by git") {
		t.Errorf("warned once the data is no longer tracked:\n%s", out)
	}
}
