// Package sitetest builds whole test sites from txtar-style archives: a
// comment, then files each introduced by a line "-- path --".
//
//	-- coachbook.toml --
//	title = "T"
//	-- content/weekly/a.md --
//	+++
//	title = "A"
//	+++
//	# Hello
//
// The archives a package's tests share live in its testdata/*.txtar
// files, read with Archive.
package sitetest

import (
	"fmt"
	"os"
	"os/exec"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
)

// Git runs git in dir as a test author would (a fixed name and email, no
// signing), with env added to the environment (commit dates, say). A
// machine without git, or a git command that fails, fails the test with
// git's output.
func Git(t testing.TB, dir string, env []string, args ...string) {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Fatal("git is needed for this test")
	}
	cmd := exec.Command("git", append([]string{"-c", "user.name=Test", "-c", "user.email=test@example.com", "-c", "commit.gpgsign=false"}, args...)...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("git %v: %v\n%s", args, err, out)
	}
}

// Archive returns the text of the archive in the file name (a path under
// the test's package folder, like testdata/small.txtar), for a package
// variable: it panics when the file cannot be read, which fails the test
// binary at once with the file's name.
func Archive(name string) string {
	b, err := os.ReadFile(name)
	if err != nil {
		panic(fmt.Sprintf("sitetest: reading an archive: %v", err))
	}
	return string(b)
}

// FS parses an archive into an in-memory file system.
func FS(archive string) fstest.MapFS {
	fsys := fstest.MapFS{}
	var name string
	var body strings.Builder
	flush := func() {
		if name != "" {
			fsys[name] = &fstest.MapFile{Data: []byte(body.String()), Mode: 0o644}
		}
		body.Reset()
	}
	for _, line := range strings.SplitAfter(archive, "\n") {
		trimmed := strings.TrimRight(line, "\r\n")
		if strings.HasPrefix(trimmed, "-- ") && strings.HasSuffix(trimmed, " --") && len(trimmed) > 6 {
			flush()
			name = strings.TrimSpace(trimmed[3 : len(trimmed)-3])
			continue
		}
		if name != "" {
			body.WriteString(line)
		}
	}
	flush()
	return fsys
}

// Edit writes the given files into fsys, deleting those whose new content
// is "", and returns their names, sorted: what a watcher would report.
func Edit(fsys fstest.MapFS, files map[string]string) []string {
	var names []string
	for name, body := range files {
		names = append(names, name)
		if body == "" {
			delete(fsys, name)
		} else {
			fsys[name] = &fstest.MapFile{Data: []byte(body), Mode: 0o644}
		}
	}
	slices.Sort(names)
	return names
}
