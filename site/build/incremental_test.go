package build

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/coachbook/coachbook/site/orggen"
)

// orgSite writes a site of the repository's guides and a generated org of
// 20 reps with two years of data and a pipeline change log, as of
// 2026-11-19, into dir.
func orgSite(t *testing.T, dir string) string {
	t.Helper()
	eachFile(t, "../../content", func(rel, full string) error {
		src, err := os.ReadFile(full)
		if err != nil {
			return err
		}
		dst := filepath.Join(dir, "content", rel)
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return err
		}
		return os.WriteFile(dst, src, 0o644)
	})
	o := orggen.Options{Reps: 20, Months: 24, AsOf: testDay, Seed: 1}
	if err := orggen.GenerateWith(filepath.Join(dir, "data"), o); err != nil {
		t.Fatal(err)
	}
	cfg := "title = \"Org\"\nbase_url = \"/\"\n[calendar]\nas_of = 2026-11-19\n"
	if err := os.WriteFile(filepath.Join(dir, "coachbook.toml"), []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

// eachFile calls f with the slash path under dir and the path on disk of
// every file under dir.
func eachFile(t *testing.T, dir string, f func(rel, full string) error) {
	t.Helper()
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		return f(filepath.ToSlash(rel), p)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// readTree reads every file under dir, by slash path.
func readTree(t *testing.T, dir string) map[string][]byte {
	files := map[string][]byte{}
	eachFile(t, dir, func(rel, full string) (err error) {
		files[rel], err = os.ReadFile(full)
		return err
	})
	return files
}

// statTree notes the identity of every file under dir, to tell the files a
// later build wrote from those it carried over (hard links: the same file).
func statTree(t *testing.T, dir string) map[string]os.FileInfo {
	infos := map[string]os.FileInfo{}
	eachFile(t, dir, func(rel, full string) (err error) {
		infos[rel], err = os.Stat(full)
		return err
	})
	return infos
}

// rewritten counts the files of dir that are not the files before listed.
func rewritten(t *testing.T, before map[string]os.FileInfo, dir string) int {
	n := 0
	for p, fi := range statTree(t, dir) {
		if old, ok := before[p]; !ok || !os.SameFile(old, fi) {
			n++
		}
	}
	return n
}

func sameTree(a, b map[string][]byte) bool {
	if len(a) != len(b) {
		return false
	}
	for p, x := range a {
		if y, ok := b[p]; !ok || !bytes.Equal(x, y) {
			return false
		}
	}
	return true
}

// dropRep removes a rep from the team and every row that names them.
func dropRep(t *testing.T, site, id string) {
	t.Helper()
	rewriteFile(t, filepath.Join(site, "data/team.toml"), func(s string) string {
		return regexp.MustCompile(`(?s)\[\[reps\]\]\nid = "`+id+`".*?\n\n`).ReplaceAllString(s+"\n", "")
	})
	if err := os.Remove(filepath.Join(site, "data/plans", id+".toml")); err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	deals := map[string]bool{}
	for _, f := range []string{"activities.csv", "coaching.csv", "forecasts.csv", "opportunities.csv", "history.csv"} {
		rewriteFile(t, filepath.Join(site, "data", f), func(s string) string {
			var keep []string
			for _, line := range strings.Split(s, "\n") {
				deal, _, _ := strings.Cut(line, ",")
				switch {
				case strings.Contains(line, ","+id+","):
					deals[deal] = f == "opportunities.csv"
				case !deals[deal]:
					keep = append(keep, line)
				}
			}
			return strings.Join(keep, "\n")
		})
	}
}

// addRep adds a rep to the team with a copy of rep from's activities.
func addRep(t *testing.T, site, from string) {
	t.Helper()
	rewriteFile(t, filepath.Join(site, "data/team.toml"), func(s string) string {
		return s + "\n[[reps]]\nid = \"znew\"\nname = \"Zoe New\"\nemail = \"znew@acme.example\"\nmanager = \"mgarcia\"\nteam = \"north\"\nstart = 2026-06-01\nquota = { quarterly = 90000 }\n"
	})
	rewriteFile(t, filepath.Join(site, "data/activities.csv"), func(s string) string {
		var add []string
		for _, line := range strings.Split(s, "\n") {
			if strings.Contains(line, ","+from+",") && line >= "2026-06-01" {
				add = append(add, strings.Replace(line, ","+from+",", ",znew,", 1))
			}
		}
		return s + strings.Join(add, "\n") + "\n"
	})
}

// The output of a build over the previous output is, byte for byte and
// file for file, the output of a clean build of the same site, whatever
// changed; and it rewrites only what the change touches.
func TestIncrementalBuildIsTheCleanBuild(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("builds a generated org 42 times")
	}
	cases := []struct {
		name   string
		change func(t *testing.T, site string)
		// most is the largest share of the files the build may write;
		// least the smallest (1: a full build).
		least, most float64
	}{
		{"guide edit", func(t *testing.T, site string) {
			rewriteFile(t, filepath.Join(site, "content/weekly/activity-meeting.md"), func(s string) string {
				return s + "\nOne more paragraph for the guide.\n"
			})
		}, 0, 0.01},
		// A team's period pages are carried over or rendered together (by
		// their inputs' key): a team's files of the periods in progress
		// are rewritten with its reps' pages, the same or not.
		{"data append", func(t *testing.T, site string) { appendDayFiles(t, site) }, 0, 0.07},
		{"rep added", func(t *testing.T, site string) { addRep(t, site, "jdoe") }, 0, 0.5},
		{"rep removed", func(t *testing.T, site string) { dropRep(t, site, "mrossi") }, 0, 0.5},
		{"config change", func(t *testing.T, site string) {
			rewriteFile(t, filepath.Join(site, "coachbook.toml"), func(s string) string {
				return strings.Replace(s, `title = "Org"`, `title = "Acme Coaching"`, 1)
			})
		}, 1, 1},
		{"theme change", func(t *testing.T, site string) {
			src, err := fs.ReadFile(os.DirFS("../../themes/default"), "layouts/base.html")
			if err != nil {
				t.Fatal(err)
			}
			edited := bytes.Replace(src, []byte(`<footer class="footer">`), []byte(`<footer class="footer site-footer">`), 1)
			if bytes.Equal(edited, src) {
				t.Fatal("base.html has no footer to edit")
			}
			src = edited
			dst := filepath.Join(site, "themes/default/layouts/base.html")
			if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(dst, src, 0o644); err != nil {
				t.Fatal(err)
			}
		}, 1, 1},
	}
	// Each change is built over a previous output (carrying files over by
	// links into a fresh folder), and over one with a spare folder beside
	// it (the build before: it renders into that folder). The org and its
	// first builds are made once for each and copied for every change.
	bases := map[bool]string{false: orgBuilt(t), true: incrementalBase(t, filepath.Join(t.TempDir(), "base"), true)}
	for _, c := range cases {
		for _, spare := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/spare=%v", c.name, spare), func(t *testing.T) {
				t.Parallel()
				checkIncremental(t, bases[spare], c.change, spare, c.least, c.most)
			})
		}
	}
}

// orgBuilt is incrementalBase without a spare folder, made once for the
// package's tests in the folder TestMain removes: copy it (copyTree) to
// change it.
func orgBuilt(t *testing.T) string {
	t.Helper()
	shared.org.Do(func() {
		dir := filepath.Join(shared.dir, "org")
		ok := t.Run("build the org", func(t *testing.T) { incrementalBase(t, dir, false) })
		if ok {
			shared.orgDir = dir
		}
	})
	if shared.orgDir == "" {
		t.Fatal("building the org failed")
	}
	return shared.orgDir
}

// incrementalBase writes the org into dir/site and builds it into
// dir/public; when spare is set, it builds it first without the last weeks
// of activities, so that a spare folder beside the output holds pages the
// output does not.
func incrementalBase(t *testing.T, dir string, spare bool) string {
	t.Helper()
	site := orgSite(t, filepath.Join(dir, "site"))
	out := filepath.Join(dir, "public")
	acts := filepath.Join(site, "data/activities.csv")
	all, err := os.ReadFile(acts)
	if err != nil {
		t.Fatal(err)
	}
	if spare {
		// The build before the previous one lacked the last weeks of
		// activities: the spare folder holds pages the previous output
		// does not.
		rewriteFile(t, acts, func(s string) string { return s[:strings.LastIndex(s, "\n2026-10-")+1] })
		if _, diags := ToDir(os.DirFS(site), site, out, Options{Today: testDay}); diags.Fatal() {
			t.Fatal(diags.Err())
		}
		if err := os.WriteFile(acts, all, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if _, diags := ToDir(os.DirFS(site), site, out, Options{Today: testDay}); diags.Fatal() {
		t.Fatal(diags.Err())
	}
	return dir
}

// copyTree copies the files and folders under src into dst, with their
// modification times (a guide's date is its file's), and with the files
// that are one file under two names (an output and its spare folder share
// the pages they both hold) linked again.
func copyTree(t *testing.T, src, dst string) {
	t.Helper()
	type copied struct {
		info os.FileInfo
		to   string
	}
	seen := map[int64][]copied{} // by size
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		to := filepath.Join(dst, rel)
		info, err := d.Info()
		if err != nil {
			return err
		}
		switch {
		case d.IsDir():
			return os.MkdirAll(to, 0o755)
		case !d.Type().IsRegular():
			return fmt.Errorf("%s: not a regular file", p)
		}
		for _, c := range seen[info.Size()] {
			if os.SameFile(c.info, info) {
				return os.Link(c.to, to)
			}
		}
		seen[info.Size()] = append(seen[info.Size()], copied{info, to})
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if err := os.WriteFile(to, b, info.Mode().Perm()); err != nil {
			return err
		}
		return os.Chtimes(to, info.ModTime(), info.ModTime())
	})
	if err != nil {
		t.Fatal(err)
	}
}

// checkIncremental copies the org and its output built by incrementalBase
// (with a spare folder beside it, from a build before, when spare is set),
// changes the org, builds it again over the copied output, and checks the
// output against a clean build's, and the share of files rewritten against
// least and most.
func checkIncremental(t *testing.T, from string, change func(t *testing.T, site string), spare bool, least, most float64) {
	dir := t.TempDir()
	copyTree(t, from, dir)
	site := filepath.Join(dir, "site")
	out, clean := filepath.Join(dir, "public"), filepath.Join(dir, "clean")
	if _, err := os.Stat(spareFolder(out)); (err == nil) != spare {
		t.Fatalf("spare folder there: %v, want %v", err == nil, spare)
	}
	before, base := statTree(t, out), readTree(t, out)
	change(t, site)
	next := Options{Today: testDay.AddDate(0, 0, 1)}
	res, diags := ToDir(os.DirFS(site), site, out, next)
	if diags.Fatal() {
		t.Fatal(diags.Err())
	}
	if _, diags := ToDir(os.DirFS(site), site, clean, next); diags.Fatal() {
		t.Fatal(diags.Err())
	}
	got, want := readTree(t, out), readTree(t, clean)
	if sameTree(base, want) {
		t.Fatal("the change changed no file")
	}
	for p, w := range want {
		if g, ok := got[p]; !ok {
			t.Errorf("%s: missing from the incremental build", p)
		} else if !bytes.Equal(g, w) {
			t.Errorf("%s differs from the clean build's", p)
		}
	}
	for p := range got {
		if _, ok := want[p]; !ok {
			t.Errorf("%s: in the incremental build only", p)
		}
	}
	n := rewritten(t, before, out)
	share := float64(n) / float64(len(got))
	t.Logf("%d of %d files rewritten (%.1f%%); the build says %d written", n, len(got), 100*share, res.Stats.Written)
	if share < least || share > most {
		t.Errorf("rewrote %.1f%% of the files, want %.0f%% to %.0f%%", 100*share, 100*least, 100*most)
	}
	if res.Stats.Written != n-1 { // the manifest is written too, outside the count
		t.Errorf("the build says it wrote %d files; %d changed", res.Stats.Written, n-1)
	}
}

// A build that fails after carrying files over leaves the previous output
// exactly as it was: no file written through a link, no folder left.
func TestFailedIncrementalBuildLeavesOutputUntouched(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("builds a generated org twice")
	}
	dir := t.TempDir()
	copyTree(t, orgBuilt(t), dir)
	site, out := filepath.Join(dir, "site"), filepath.Join(dir, "public")
	before := snapshot(t, out)
	// A day of data rewrites some report pages; a file under content/
	// where the data-health page goes fails the build once most report
	// pages are carried over.
	appendDayFiles(t, site)
	clash := filepath.Join(site, "content/reports/data-health/index.html")
	if err := os.MkdirAll(filepath.Dir(clash), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(clash, []byte("<p>mine</p>"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, diags := ToDir(os.DirFS(site), site, out, Options{Today: testDay.AddDate(0, 0, 1)})
	if err := diags.Err(); err == nil || !strings.Contains(err.Error(), "content/reports/data-health/index.html: this file publishes at /reports/data-health/index.html") {
		t.Fatalf("want the clash at content/reports/data-health/index.html, got %v", err)
	}
	untouched(t, dir, out, before)
}

// A manifest that is damaged, or written by another version, gives a full
// build, with the same output.
func TestUnusableManifestGivesAFullBuild(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	site := writeSite(t, filepath.Join(dir, "site"), smallSite)
	out := filepath.Join(dir, "public")
	build := func(version string) Stats {
		t.Helper()
		res, diags := ToDir(os.DirFS(site), site, out, Options{Today: testDay, Version: version})
		if diags.Fatal() {
			t.Fatal(diags.Err())
		}
		return res.Stats
	}
	build("1")
	first := readTree(t, out)
	if st := build("1"); st.Written != 0 {
		t.Fatalf("a build of an unchanged site wrote %d files", st.Written)
	}
	damage := map[string]func(string) string{
		"keys": func(s string) string {
			return regexp.MustCompile(`(?m)^[0-9a-f]{16} `).ReplaceAllString(s, "zzzzzzzzzzzzzzzz ")
		},
		"site key": func(s string) string { return strings.Replace(s, "\n# build ", "\n# build zz", 1) },
		"sizes": func(s string) string {
			return regexp.MustCompile(`(?m)^([0-9a-f]{16}) \d+ `).ReplaceAllString(s, "$1 x ")
		},
	}
	for name, f := range damage {
		rewriteFile(t, filepath.Join(out, Manifest), f)
		if st := build("1"); st.Written != st.Files {
			t.Errorf("damaged %s: wrote %d of %d files, want all", name, st.Written, st.Files)
		}
		if got := readTree(t, out); !sameTree(got, first) {
			t.Errorf("damaged %s: the output differs from the first build's", name)
		}
	}
	if st := build("2"); st.Written != st.Files {
		t.Errorf("another version: wrote %d of %d files, want all", st.Written, st.Files)
	}
}
