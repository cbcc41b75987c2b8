package build

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"

	"github.com/coachbook/coachbook/site/content"
)

// Manifest is the file coachbook writes at the root of every build it
// publishes: a header line, then every file of the build, one per line.
// Only a folder holding it (and no file it does not list) is replaced by a
// later build, so a hand-written folder is never taken for a build.
const Manifest = ".coachbook-manifest"

const manifestHeader = "# written by coachbook build: every file of this folder; a later build replaces the folder only when it holds nothing else"

// tmpPrefix names the folders a build renders into beside the output:
// ".OUT.coachbook-PID-random". Only coachbook makes such names, and the PID
// says whether the build that made one is still running.
func tmpPrefix(out string) string {
	return "." + filepath.Base(out) + ".coachbook-"
}

// lockFile is the file beside out that a build into out holds locked.
func lockFile(out string) string {
	return filepath.Join(filepath.Dir(filepath.Clean(out)), tmpPrefix(out)+"lock")
}

// siteFolders are the site's own folders that no output may be, hold, or
// sit inside.
var siteFolders = []string{content.Dir, "data", "themes"}

// realPath resolves symbolic links in p, also when p (or some of its
// parents) does not exist yet: the part that exists is resolved and the
// rest appended.
func realPath(p string) (string, error) {
	abs, err := filepath.Abs(p)
	if err != nil {
		return "", err
	}
	rest := ""
	for cur := abs; ; {
		if r, err := filepath.EvalSymlinks(cur); err == nil {
			return filepath.Join(r, rest), nil
		}
		parent := filepath.Dir(cur)
		if parent == cur {
			return abs, nil
		}
		rest = filepath.Join(filepath.Base(cur), rest)
		cur = parent
	}
}

// within reports whether p is dir or inside it.
func within(p, dir string) bool {
	return p == dir || strings.HasPrefix(p, dir+string(filepath.Separator))
}

// checkOutDir refuses an output folder whose replacement would destroy the
// site, its content, data or themes (compared by real path, through
// symbolic links), or a folder that is not a previous build unless
// overwrite is set.
func checkOutDir(siteDir, out string, overwrite bool, stop <-chan struct{}) error {
	realSite, err1 := realPath(siteDir)
	realOut, err2 := realPath(out)
	if err := errors.Join(err1, err2); err != nil {
		return err
	}
	if within(realSite, realOut) {
		return fmt.Errorf("the output folder %s holds the site itself; choose another folder with -o", out)
	}
	for _, keep := range append(slices.Clone(siteFolders), "cmd", "site", ".git") {
		k := filepath.Join(realSite, keep)
		inside := slices.Contains(siteFolders, keep) && within(realOut, k)
		if realOut == k || inside || within(k, realOut) {
			return fmt.Errorf("the output folder %s is, or is inside, the site's %s/ folder; choose a folder outside %s/ with -o (public is the default)", out, keep, keep)
		}
	}
	entries, err := os.ReadDir(out)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil
		}
		return err
	}
	if len(entries) == 0 || overwrite {
		return nil
	}
	return ownBuild(out, stop)
}

// ownBuild checks that the folder out was written by coachbook: it holds
// the manifest, and every file in it is listed there.
func ownBuild(out string, stop <-chan struct{}) error {
	notOurs := func(why string) error {
		return fmt.Errorf("the output folder %s %s, so coachbook will not replace it; choose another folder with -o, empty it, or pass --overwrite to replace it with the build", out, why)
	}
	f, err := os.Open(filepath.Join(out, Manifest))
	if err != nil {
		return notOurs("is not a coachbook build (it has no " + Manifest + ")")
	}
	defer f.Close()
	m, ok, err := readManifest(f)
	if err != nil || !ok {
		return notOurs("has a " + Manifest + " that coachbook did not write")
	}
	listed := m.files
	var extra string
	err = filepath.WalkDir(out, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		select {
		case <-stop:
			return ErrStopped
		default:
		}
		rel, _ := filepath.Rel(out, p)
		if _, ok := listed[filepath.ToSlash(rel)]; !ok && rel != Manifest {
			extra = filepath.ToSlash(rel)
			return fs.SkipAll
		}
		return nil
	})
	if err != nil {
		return err
	}
	if extra != "" {
		return notOurs(fmt.Sprintf("holds %s, which no coachbook build wrote", extra))
	}
	return nil
}

// cleanStale removes the render folders that earlier builds of out left
// behind when they were killed: folders beside out named by tmpPrefix whose
// process is gone.
func cleanStale(out string) {
	parent, prefix := filepath.Dir(out), tmpPrefix(out)
	entries, err := os.ReadDir(parent)
	if err != nil {
		return
	}
	for _, e := range entries {
		rest, ok := strings.CutPrefix(e.Name(), prefix)
		if !ok || !e.IsDir() {
			continue
		}
		pidText, _, _ := strings.Cut(rest, "-")
		pid, err := strconv.Atoi(pidText)
		if err != nil || pid == os.Getpid() || processAlive(pid) {
			continue // not ours, or a build running now
		}
		_ = os.RemoveAll(filepath.Join(parent, e.Name()))
	}
}

// followOut returns the folder the output out names: out itself, or the
// folder it is a symbolic link to (the build replaces that folder, beside
// it, and the link stays a link).
func followOut(out string) (string, error) {
	st, err := os.Lstat(out)
	if err != nil || st.Mode()&fs.ModeSymlink == 0 {
		return out, nil
	}
	target, err := filepath.EvalSymlinks(out)
	if err != nil {
		return "", fmt.Errorf("the output %s is a symbolic link that leads to no folder (%v); point it at a folder, or choose another with -o", out, err)
	}
	if st, err := os.Stat(target); err != nil || !st.IsDir() {
		return "", fmt.Errorf("the output %s is a symbolic link to %s, which is not a folder; choose a folder with -o", out, target)
	}
	return target, nil
}

// swap puts the folder tmp in the place of out. Where the system can
// exchange two names at once (Linux's renameat2), out always exists: a
// reader sees the old site or the new one, never neither; elsewhere out is
// missing between two renames, for as long as a rename takes. The old
// build ends up in tmp, which the caller removes.
func swap(tmp, out string) error {
	if _, err := os.Lstat(out); errors.Is(err, fs.ErrNotExist) {
		return os.Rename(tmp, out)
	}
	if exchange(tmp, out) == nil {
		return nil
	}
	old := tmp + ".old"
	if err := os.Rename(out, old); err != nil {
		if errors.Is(err, syscall.EBUSY) || errors.Is(err, syscall.EXDEV) {
			return replaceContents(tmp, out) // a mount point
		}
		return err
	}
	if err := os.Rename(tmp, out); err != nil {
		_ = os.Rename(old, out)
		return err
	}
	return os.Rename(old, tmp)
}

// replaceContents is swap for an output folder that cannot be renamed (a
// mount point): the files of the previous build are removed from it and
// those of tmp copied in, and tmp is removed. Unlike a swap, a reader may
// see the folder half filled for as long as the copy takes.
func replaceContents(tmp, out string) error {
	entries, err := os.ReadDir(out)
	if err != nil {
		return err
	}
	for _, e := range entries {
		if err := os.RemoveAll(filepath.Join(out, e.Name())); err != nil {
			return err
		}
	}
	if err := os.CopyFS(out, os.DirFS(tmp)); err != nil {
		return err
	}
	return os.RemoveAll(tmp)
}
