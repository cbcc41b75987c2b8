package build

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Issue 23, case 1: a content folder whose name holds a newline and a
// fake manifest line ("x\n0000000000000000 1 ..") must never put a path
// outside the output in the manifest, and no build may remove a file
// outside the folder it prunes.
func TestNewlineInNameDeletesNothingOutside(t *testing.T) {
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
	if err := writeManifest(spare, 1, map[string]fileEntry{"x\n0 1 ../keep.txt": {}}); err == nil {
		t.Error("a path with a newline was recorded")
	}
}
