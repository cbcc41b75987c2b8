package build

import (
	"fmt"
	"io/fs"
	"sync"

	"github.com/coachbook/coachbook/site/content"
	"github.com/coachbook/coachbook/site/diag"
	"github.com/coachbook/coachbook/site/render"
)

// pathGuard makes two sources for one output path an error, instead of one
// silently replacing the other: a file under content/ beside a guide that
// publishes at the same address, or a page of the playbook where a report
// page goes. It remembers which file set wrote each path across rebuilds, so a
// set rendered again is checked against the sets that were not.
type pathGuard struct {
	site  fs.FS
	mu    sync.Mutex
	owner map[string]FileSet
}

// sink returns a sink for file set p that refuses a path already written in
// this build, forgetting first what p wrote before.
func (g *pathGuard) sink(p FileSet, next render.Sink) render.Sink {
	g.mu.Lock()
	if g.owner == nil {
		g.owner = map[string]FileSet{}
	}
	for path, owner := range g.owner {
		if owner == p {
			delete(g.owner, path)
		}
	}
	g.mu.Unlock()
	return &guardedSink{g: g, set: p, next: next}
}

type guardedSink struct {
	g    *pathGuard
	set  FileSet
	next render.Sink
}

func (s *guardedSink) Write(p string, data []byte) error {
	clean, err := SafePath(p)
	if err != nil {
		return err
	}
	s.g.mu.Lock()
	_, taken := s.g.owner[clean]
	s.g.owner[clean] = s.set
	s.g.mu.Unlock()
	if taken {
		return s.g.clash(clean)
	}
	return s.next.Write(p, data)
}

// clash explains two sources for one output path, at the content file when
// one of them is a file under content/.
func (g *pathGuard) clash(p string) error {
	file := content.Dir + "/" + p
	if st, err := fs.Stat(g.site, file); err == nil && !st.IsDir() {
		return diag.Diagnostic{File: file, Severity: diag.Error,
			Msg: fmt.Sprintf("this file publishes at /%s, where coachbook also writes a page it generates; rename or move the file", p)}
	}
	return diag.Diagnostic{Severity: diag.Error,
		Msg: fmt.Sprintf("two pages of the site would be written to /%s; rename one of the guides or ids that publish there", p)}
}

// claim takes paths for file set p without writing them (files carried over
// from the previous output); it reports false, taking none, when one is
// taken already.
func (g *pathGuard) claim(p FileSet, paths []string) bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.owner == nil {
		g.owner = map[string]FileSet{}
	}
	for _, path := range paths {
		if _, taken := g.owner[path]; taken {
			return false
		}
	}
	for _, path := range paths {
		g.owner[path] = p
	}
	return true
}

// release gives back paths taken by claim.
func (g *pathGuard) release(paths []string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	for _, path := range paths {
		delete(g.owner, path)
	}
}
