// Package themes holds coachbook's default theme, embedded in the binary, and
// the overlay that lets a site replace any of its files with its own: a
// site's themes/<name>/layouts/guide.html wins over the built-in one, and
// every file the site does not have comes from the default.
package themes

import (
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"slices"
	"strings"
)

//go:embed default
var embedded embed.FS

// Default returns the built-in theme: layouts/ and static/ at its root.
func Default() fs.FS {
	sub, err := fs.Sub(embedded, "default")
	if err != nil {
		panic(err) // the embed directive guarantees the folder
	}
	return sub
}

// Resolve returns the theme a site uses: the site's themes/<name>/ laid over
// the built-in default. A theme other than "default" must exist in the site.
func Resolve(site fs.FS, name string) (fs.FS, error) {
	dir := "themes/" + name
	own, err := fs.Sub(site, dir)
	if err != nil {
		return nil, err
	}
	if _, err := fs.Stat(site, dir); err != nil {
		if name != "default" {
			return nil, fmt.Errorf("theme %q not found: there is no folder %s/ in the site; create it or set theme = \"default\"", name, dir)
		}
		return Default(), nil
	}
	return Overlay{own, Default()}, nil
}

// Overlay is a stack of file systems read top first: a file comes from the
// first layer that has it, and a folder lists the union of the layers.
type Overlay []fs.FS

// Open opens name from the first layer that has it.
func (o Overlay) Open(name string) (fs.File, error) {
	var first error
	for _, layer := range o {
		f, err := layer.Open(name)
		if err == nil {
			return f, nil
		}
		if first == nil || !errors.Is(err, fs.ErrNotExist) {
			first = err
		}
	}
	if first == nil {
		first = &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
	}
	return nil, first
}

// ReadDir lists the union of name in every layer, sorted by name.
func (o Overlay) ReadDir(name string) ([]fs.DirEntry, error) {
	seen := map[string]bool{}
	var out []fs.DirEntry
	found := false
	for _, layer := range o {
		entries, err := fs.ReadDir(layer, name)
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				continue
			}
			return nil, err
		}
		found = true
		for _, e := range entries {
			if !seen[e.Name()] {
				seen[e.Name()] = true
				out = append(out, e)
			}
		}
	}
	if !found {
		return nil, &fs.PathError{Op: "readdir", Path: name, Err: fs.ErrNotExist}
	}
	slices.SortFunc(out, func(a, b fs.DirEntry) int { return strings.Compare(a.Name(), b.Name()) })
	return out, nil
}

// Origin says where a theme file comes from, for messages: the site's path
// when the site overrides it, else "built-in theme: <file>".
func Origin(site fs.FS, name, file string) string {
	own := "themes/" + name + "/" + file
	if _, err := fs.Stat(site, own); err == nil {
		return own
	}
	return "built-in theme: " + file
}
