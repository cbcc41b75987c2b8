// Package linkfs keeps a site's reads inside the site: a symbolic link
// under content/, data/ or themes/ that leads outside the site folder
// (to /etc/passwd, to a secret in the home folder) is not followed unless
// the site allows it, so a shared site folder cannot make coachbook
// publish or print a file from elsewhere on the machine.
package linkfs

import (
	"fmt"
	"io/fs"
	"path"
	"strings"
)

// maxHops bounds the links followed for one name (a loop of links).
const maxHops = 40

// Outside resolves every symbolic link along name (a path in fsys) and
// reports whether one leads outside fsys, with the target that does.
func Outside(fsys fs.FS, name string) (target string, outside bool) {
	parts := strings.Split(name, "/")
	cur := "."
	for hops := 0; len(parts) > 0; {
		next := path.Join(cur, parts[0])
		parts = parts[1:]
		info, err := fs.Lstat(fsys, next)
		if err != nil || info.Mode()&fs.ModeSymlink == 0 {
			cur = next // a missing file fails when it is opened
			continue
		}
		if hops++; hops > maxHops {
			return next + " (a loop of links)", true
		}
		target, err := fs.ReadLink(fsys, next)
		if err != nil {
			return "a place coachbook cannot read", true
		}
		if path.IsAbs(target) {
			return target, true
		}
		joined := path.Join(path.Dir(next), target)
		if joined == ".." || strings.HasPrefix(joined, "../") {
			return target, true
		}
		parts = append(strings.Split(joined, "/"), parts...)
		cur = "."
	}
	return "", false
}

// OutsideError is the error of a read refused by Guard.
type OutsideError struct {
	Target string
}

func (e *OutsideError) Error() string {
	return fmt.Sprintf("is a symbolic link to %s, outside the site; coachbook reads no file from outside the site: copy the file into the site, or set [content] allow_links_outside = true in coachbook.toml", e.Target)
}

// Guard returns fsys refusing to open a file reached through a symbolic
// link that leads outside it (with an *OutsideError).
func Guard(fsys fs.FS) fs.FS { return guard{fsys} }

type guard struct{ fsys fs.FS }

func (g guard) check(op, name string) error {
	if target, out := Outside(g.fsys, name); out {
		return &fs.PathError{Op: op, Path: name, Err: &OutsideError{target}}
	}
	return nil
}

func (g guard) Open(name string) (fs.File, error) {
	if err := g.check("open", name); err != nil {
		return nil, err
	}
	return g.fsys.Open(name)
}

func (g guard) ReadFile(name string) ([]byte, error) {
	if err := g.check("read", name); err != nil {
		return nil, err
	}
	return fs.ReadFile(g.fsys, name)
}

func (g guard) ReadDir(name string) ([]fs.DirEntry, error) {
	if err := g.check("readdir", name); err != nil {
		return nil, err
	}
	return fs.ReadDir(g.fsys, name)
}

func (g guard) Stat(name string) (fs.FileInfo, error) {
	if err := g.check("stat", name); err != nil {
		return nil, err
	}
	return fs.Stat(g.fsys, name)
}

// ReadLink and Lstat look at the link itself, which is inside.
func (g guard) ReadLink(name string) (string, error) { return fs.ReadLink(g.fsys, name) }

func (g guard) Lstat(name string) (fs.FileInfo, error) { return fs.Lstat(g.fsys, name) }
