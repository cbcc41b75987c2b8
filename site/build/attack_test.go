package build

import (
	"fmt"
	"github.com/coachbook/coachbook/site/diag"
	"github.com/coachbook/coachbook/site/internal/sitetest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
)

// Issue 23, case 1: a content folder whose name holds a newline and a
// fake manifest line ("x\n0000000000000000 1 ..") must never put a path
// outside the output in the manifest, and no build may remove a file
// outside the folder it prunes.
func TestNewlineInNameDeletesNothingOutside(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	site := writeSite(t, filepath.Join(dir, "site"), smallSite+"-- data/team.toml --\n[[reps]]\nid = \"jdoe\"\n")
	evil := filepath.Join(site, "content", "x\n0000000000000000 1 ..")
	for _, f := range []string{"coachbook.toml", "data/team.toml"} {
		src, _ := os.ReadFile(filepath.Join(site, f))
		p := filepath.Join(evil, filepath.FromSlash(f))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, src, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	out := filepath.Join(site, "public")
	var got string
	for range 3 {
		got = toDir(t, site, out, Options{Overwrite: true})
	}
	if !strings.Contains(got, `content/x\x0a0000000000000000 1 ..: the name holds a control character (U+000A)`) {
		t.Errorf("got %q", got)
	}
	for _, f := range []string{"coachbook.toml", "data/team.toml"} {
		if _, err := os.Stat(filepath.Join(site, f)); err != nil {
			t.Errorf("the site's own %s: %v", f, err)
		}
	}
}

// Issue 23, case 1: a manifest that lists a path outside its folder is
// not coachbook's, and pruning never removes such a path.
func TestPruneStaysInside(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	spare := filepath.Join(dir, "spare")
	writeSite(t, dir, "-- keep.txt --\nmine\n-- spare/a.html --\nx\n")
	src := manifestHeader + "\n" + manifestBuild + "0000000000000001\n" +
		"0000000000000000 1 ../keep.txt\n0000000000000000 1 a.html\n"
	if _, ok, _ := readManifest(strings.NewReader(src)); ok {
		t.Error("a manifest listing ../keep.txt was taken for one coachbook wrote")
	}
	held := manifest{files: map[string]fileEntry{"../keep.txt": {}, "a.html": {}, "/etc/x": {}}}
	if err := pruneSpare(spare, held, map[string]int64{}); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "keep.txt")); err != nil {
		t.Errorf("pruning removed a file outside the spare: %v", err)
	}
	if _, err := os.Stat(filepath.Join(spare, "a.html")); err == nil {
		t.Error("a.html, held and not built, must be pruned")
	}
	if err := writeManifest(spare, 1, reportsNone, map[string]fileEntry{"x\n0 1 ../keep.txt": {}}); err == nil {
		t.Error("a path with a newline was recorded")
	}
}

// sealedSite is a small site with reports and one audience, so that a
// build for a public address encrypts them.
var sealedSite = sitetest.Archive("testdata/sealed.txtar")

// besideOutput reads every file in dir but those under out, with its path.
func besideOutput(t *testing.T, dir, out string) map[string][]byte {
	files := map[string][]byte{}
	eachFile(t, dir, func(rel, full string) error {
		if !within(full, out) {
			b, err := os.ReadFile(full)
			files[rel] = b
			return err
		}
		return nil
	})
	return files
}

// Issue 23, case 2: after a build with reports in the clear, an encrypted
// build or a playbook-only one leaves no clear report beside the output
// (the previous output must not become the spare folder).
func TestNoClearReportsBesideSealedOutput(t *testing.T) {
	t.Parallel()
	for _, second := range []Options{
		{BaseURL: "https://acme.github.io/playbook/", Keys: lookup(map[string]string{"K_LEAD": "a passphrase"})},
		{NoReports: true},
	} {
		dir := t.TempDir()
		site := writeSite(t, filepath.Join(dir, "site"), sealedSite)
		out := filepath.Join(dir, "pub", "playbook")
		for _, opts := range []Options{{}, {}, second} {
			if got := toDir(t, site, out, opts); got != "" {
				t.Fatal(got)
			}
		}
		for rel, b := range besideOutput(t, filepath.Join(dir, "pub"), out) {
			if strings.Contains(string(b), "Jane Doe") {
				t.Errorf("%+v: %s beside the output holds a rep's name", second, rel)
			}
		}
		if got := readTree(t, out); strings.Contains(string(got["reports/index.html"]), "Jane Doe") {
			t.Error("the output holds clear reports")
		}
	}
}

// Issue 23, case 3: a build into a folder another build is writing is
// refused, naming the process; once that ends, the lock is gone with it.
func TestOneBuildAtATimePerOutput(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	site := writeSite(t, filepath.Join(dir, "site"), smallSite)
	out := filepath.Join(dir, "public")
	unlock, err := lockOutput(out)
	if err != nil {
		t.Fatal(err)
	}
	want := fmt.Sprintf("another coachbook build (process %d) is writing to %s", os.Getpid(), out)
	if got := toDir(t, site, out, Options{}); !strings.Contains(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
	if _, err := os.Stat(out); err == nil {
		t.Error("the refused build wrote the output")
	}
	unlock()
	// Builds at once: each is refused or runs alone, and the output is
	// one build's.
	var wg sync.WaitGroup
	errs := make([]string, 4)
	for i := range errs {
		wg.Go(func() { errs[i] = toDir(t, site, out, Options{}) })
	}
	wg.Wait()
	for _, e := range errs {
		if e != "" && !strings.Contains(e, "is writing to") {
			t.Errorf("a build at the same time failed otherwise: %s", e)
		}
	}
	if err := ownBuild(out, nil); err != nil {
		t.Error(err)
	}
	if _, err := os.Stat(lockFile(out)); err == nil {
		t.Error("the lock file stayed")
	}
}

// Issue 23, case 4: the report addresses of an encrypted build depend on
// the passphrases; after a passphrase changes, every guide page carried
// over links to report pages that exist.
func TestNewPassphraseRelinksGuides(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	site := writeSite(t, filepath.Join(dir, "site"), sealedSite+`-- content/calls.md --
+++
title = "Calls"
[[coaches]]
metric = "activity.calls"
section = "calls"
+++
## Calls

How many calls?
`)
	out := filepath.Join(dir, "public")
	opts := Options{BaseURL: "https://acme.github.io/playbook/"}
	for _, pass := range []string{"first passphrase", "second passphrase"} {
		opts.Keys = lookup(map[string]string{"K_LEAD": pass})
		if got := toDir(t, site, out, opts); got != "" {
			t.Fatal(got)
		}
	}
	page, err := os.ReadFile(filepath.Join(out, "calls", "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	links := regexp.MustCompile(`/playbook/(reports/[0-9a-f]{20}/)`).FindAllStringSubmatch(string(page), -1)
	if len(links) == 0 {
		t.Fatal("the guide links to no report page")
	}
	for _, l := range links {
		if _, err := os.Stat(filepath.Join(out, l[1], "index.html")); err != nil {
			t.Errorf("the guide links to %s, which the build does not have", l[1])
		}
	}
}

// Issue 23, case 5: a symbolic link under themes/ or data/ that leads
// outside the site is refused at its file, as under content/: nothing of
// its target is published or printed.
func TestLinksOutsideRefusedEverywhere(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	secret := filepath.Join(dir, "secret.txt")
	if err := os.WriteFile(secret, []byte("root:x:0:0:TOPSECRET\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	site := writeSite(t, filepath.Join(dir, "site"), sealedSite+"-- themes/default/static/x/ok.txt --\nfine\n")
	links := map[string]string{
		"themes/default/static/x/leak.txt": secret,
		"data/activities.csv":              secret,
		"themes/default/static/x/hop.txt":  "../../../../inside",
		"inside":                           "../secret.txt", // a link inside the site that leads out
	}
	os.Remove(filepath.Join(site, "data", "activities.csv"))
	for name, target := range links {
		if err := os.Symlink(target, filepath.Join(site, filepath.FromSlash(name))); err != nil {
			t.Fatal(err)
		}
	}
	out := filepath.Join(dir, "public")
	got := toDir(t, site, out, Options{})
	for _, want := range []string{
		"themes/default: cannot read the theme's static files: open static/x/hop.txt: is a symbolic link to ../secret.txt, outside the site",
		"data/activities.csv: cannot read: open data/activities.csv: is a symbolic link to " + secret + ", outside the site",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("lacks %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "TOPSECRET") {
		t.Errorf("the target's text was printed:\n%s", got)
	}
	diags := Check(os.DirFS(site), Options{Today: testDay})
	if strings.Contains(diags.Err().Error(), "TOPSECRET") {
		t.Errorf("check printed the target's text")
	}
	os.Remove(filepath.Join(site, "themes/default/static/x/hop.txt"))
	if got := toDir(t, site, out, Options{}); !strings.Contains(got, "static/x/leak.txt: is a symbolic link to "+secret) {
		t.Errorf("got %s", got)
	}
	// The same site allowing links outside publishes them.
	os.Remove(filepath.Join(site, "data", "activities.csv"))
	os.WriteFile(filepath.Join(site, "data", "activities.csv"), []byte("date,rep,type,count\n2026-11-16,jdoe,calls,3\n"), 0o644)
	cfg, _ := os.ReadFile(filepath.Join(site, "coachbook.toml"))
	os.WriteFile(filepath.Join(site, "coachbook.toml"), append([]byte("[content]\nallow_links_outside = true\n"), cfg...), 0o644)
	if got := toDir(t, site, out, Options{}); got != "" {
		t.Fatal(got)
	}
	if b, _ := os.ReadFile(filepath.Join(out, "x", "leak.txt")); !strings.Contains(string(b), "TOPSECRET") {
		t.Error("allow_links_outside must publish the link's target")
	}
}

// Issue 23, case 6: a build that runs out of disk removes what it wrote
// (the spare folder it rendered into too), leaves the output as it was,
// and says so once, with the count.
func TestDiskFullCleansUp(t *testing.T) {
	dir := t.TempDir()
	site := writeSite(t, filepath.Join(dir, "site"), sealedSite)
	out := filepath.Join(dir, "public")
	for range 2 { // the second makes a spare folder
		if got := toDir(t, site, out, Options{}); got != "" {
			t.Fatal(got)
		}
	}
	// A new title: every page is rendered again.
	os.WriteFile(filepath.Join(site, "coachbook.toml"), []byte("title = \"Changed\"\nbase_url = \"/playbook/\"\n"), 0o644)
	before := readTree(t, out)
	var mu sync.Mutex
	written := 0
	writeFile = func(name string, data []byte) error {
		mu.Lock()
		defer mu.Unlock()
		if written++; written > 3 {
			return &os.PathError{Op: "write", Path: name, Err: syscall.ENOSPC}
		}
		return writeNew(name, data)
	}
	defer func() { writeFile = writeNew }()
	_, diags := ToDir(os.DirFS(site), site, out, Options{Today: testDay})
	var errs []string
	for _, d := range diags {
		if d.Severity == diag.Error {
			errs = append(errs, d.Error())
		}
	}
	if len(errs) != 1 || !regexp.MustCompile(`^coachbook: the disk is full: \d\d+ files of the build could not be written \(write .*: no space left on device\); the build removed what it had written and left .*public as it was`).MatchString(errs[0]) {
		t.Errorf("want one error counting the files, got %d:\n%s", len(errs), strings.Join(errs, "\n"))
	}
	if after := readTree(t, out); !sameTree(before, after) {
		t.Error("the output changed")
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 2 {
		t.Errorf("left beside the output: %v", entries)
	}
}

// Issue 23, case 14: a .gitignore that lists the keys file and then
// un-ignores it (!coachbook.keys) does not protect it: the file is
// refused, whether git is asked or the .gitignore is read.
func TestKeysFileUnignoredRefused(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		gitignore string
		ignored   bool
	}{
		{"coachbook.keys\n", true},
		{"/coachbook.keys\n", true},
		{"*.keys\n", true},
		{"coachbook.keys\n!coachbook.keys\n", false},
		{"*.keys\n!/coachbook.keys\n", false},
		{"!coachbook.keys\ncoachbook.keys\n", true},
		{"sub/coachbook.keys\n", false},
	} {
		site := sitetest.FS("-- .gitignore --\n" + tt.gitignore + "-- coachbook.keys --\nK=v\n")
		if got := gitIgnored(site, "", "coachbook.keys"); got != tt.ignored {
			t.Errorf(".gitignore %q: ignored %v, want %v", tt.gitignore, got, tt.ignored)
		}
	}
	git, err := exec.LookPath("git")
	if err != nil {
		t.Skip("no git")
	}
	dir := writeSite(t, t.TempDir(), "-- .gitignore --\n*.keys\n-- sub/.gitignore --\n!coachbook.keys\n-- sub/coachbook.keys --\nK=v\n")
	if out, err := exec.Command(git, "-C", dir, "init", "-q").CombinedOutput(); err != nil {
		t.Fatalf("git init: %v %s", err, out)
	}
	sub := filepath.Join(dir, "sub")
	if gitIgnored(os.DirFS(sub), sub, "coachbook.keys") {
		t.Error("a keys file that a .gitignore of the repository un-ignores was taken as ignored")
	}
	if !gitIgnored(os.DirFS(dir), dir, "sub/x.keys") {
		t.Error("git ignores sub/x.keys")
	}
}

// Issue 23, case 13: -o naming a symbolic link to a previous build
// replaces the folder it leads to, and the link stays a link.
func TestOutputLinkFollowed(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	site := writeSite(t, filepath.Join(dir, "site"), smallSite)
	real := filepath.Join(dir, "builds", "v1")
	if got := toDir(t, site, real, Options{}); got != "" {
		t.Fatal(got)
	}
	link := filepath.Join(dir, "public")
	if err := os.Symlink(filepath.Join("builds", "v1"), link); err != nil {
		t.Fatal(err)
	}
	for i := range 3 {
		os.WriteFile(filepath.Join(site, "content", "_index.md"), []byte(fmt.Sprintf("Build %d.\n", i)), 0o644)
		if got := toDir(t, site, link, Options{}); got != "" {
			t.Fatalf("build %d: %s", i, got)
		}
		if b, _ := os.ReadFile(filepath.Join(real, "index.html")); !strings.Contains(string(b), fmt.Sprintf("Build %d.", i)) {
			t.Errorf("build %d is not in the link's folder", i)
		}
		if st, err := os.Lstat(link); err != nil || st.Mode()&os.ModeSymlink == 0 {
			t.Fatalf("build %d: -o is no longer a link", i)
		}
	}
	os.Remove(link)
	os.Symlink(filepath.Join(dir, "nowhere"), link)
	if got := toDir(t, site, link, Options{}); !strings.Contains(got, "is a symbolic link that leads to no folder") {
		t.Errorf("dangling link: %q", got)
	}
}

// Issue 23, case 13: an output that cannot be renamed (a mount point) has
// its contents replaced.
func TestReplaceContents(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	out := writeSite(t, filepath.Join(dir, "out"), "-- old.html --\nold\n-- a/old.css --\nx\n")
	tmp := writeSite(t, filepath.Join(dir, "tmp"), "-- index.html --\nnew\n-- a/b/c.css --\ny\n")
	if err := replaceContents(tmp, out); err != nil {
		t.Fatal(err)
	}
	got := readTree(t, out)
	if len(got) != 2 || string(got["index.html"]) != "new\n" || string(got["a/b/c.css"]) != "y\n" {
		t.Errorf("out holds %v", got)
	}
	if _, err := os.Stat(tmp); err == nil {
		t.Error("the render folder stayed")
	}
}
