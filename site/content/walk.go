package content

import (
	"cmp"
	"errors"
	"io/fs"
	"strings"

	"github.com/coachbook/coachbook/site/diag"
	"github.com/coachbook/coachbook/site/internal/linkfs"
)

// walk lists the files under content/: the markdown files (the guides and
// sections' _index.md) as paths in the site, in walk order, and the other
// files as site paths ("img/x.png"), with the problems of names and
// links it leaves out.
func walk(site fs.FS, opts Options) (md, files []string, diags diag.List) {
	err := fs.WalkDir(site, Dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if p == Dir && errors.Is(err, fs.ErrNotExist) {
				return fs.SkipAll
			}
			diags.Errorf(p, 0, "cannot read: %v", err)
			return nil
		}
		name := d.Name()
		if p != Dir && Ignored(name) {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if r, bad := diag.Control(name); bad {
			diags.Errorf(p, 0, "the name holds a control character (%U), which no published address may; rename it", r)
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			return nil
		}
		if d.Type()&fs.ModeSymlink != 0 && !opts.LinksOutside {
			if target, outside := linkOutside(site, p); outside {
				diags.Errorf(p, 0, "is a symbolic link to %s, outside the site; coachbook does not publish files from outside the site: copy the file into content/, or set [content] allow_links_outside = true in coachbook.toml", target)
				return nil
			}
		}
		if strings.HasSuffix(name, ".md") {
			md = append(md, p)
		} else {
			files = append(files, strings.TrimPrefix(p, Dir+"/"))
		}
		return nil
	})
	if err != nil {
		diags.Errorf(Dir, 0, "cannot read the content folder: %v", err)
	}
	return md, files, diags
}

// linkOutside reports whether the symbolic link at p (a site path) points
// outside the site, and where. A link that cannot be read counts as
// outside.
func linkOutside(site fs.FS, p string) (string, bool) {
	return linkfs.Outside(site, p)
}

// walkOrder orders site paths as fs.WalkDir visits them: element by element,
// so that a folder's files come in name order and an incremental update
// lays the site out exactly as a full load does.
func walkOrder(a, b string) int {
	for {
		ea, ra, moreA := strings.Cut(a, "/")
		eb, rb, moreB := strings.Cut(b, "/")
		if c := cmp.Compare(ea, eb); c != 0 {
			return c
		}
		if !moreA || !moreB {
			return cmp.Compare(len(a), len(b))
		}
		a, b = ra, rb
	}
}

// Ignored reports whether a file or folder is left out: hidden files and the
// backup and swap files editors leave behind.
func Ignored(name string) bool {
	return strings.HasPrefix(name, ".") || strings.HasPrefix(name, "#") ||
		strings.HasSuffix(name, "~") || strings.HasSuffix(name, ".swp") ||
		strings.HasSuffix(name, ".swx") || strings.HasSuffix(name, ".tmp") ||
		name == "4913" // vim writes and deletes it to test the folder
}

func exists(site fs.FS, f string) bool {
	_, err := fs.Stat(site, f)
	return err == nil
}
