package build

import (
	"github.com/coachbook/coachbook/site/diag"
	"github.com/coachbook/coachbook/site/render"
)

// RenderFirst makes a build render, of the playbook files it would
// render, only those whose output path first accepts; the others wait,
// listed by Pending, until RenderPending renders them. The dev server
// passes the pages open in a browser, so they reload before the rest is
// rendered. Nil renders every file at once.
func (b *Builder) RenderFirst(first func(path string) bool) { b.first = first }

// Pending lists, sorted, the playbook files that wait to be rendered.
func (b *Builder) Pending() []string {
	if b.renderer == nil {
		return nil
	}
	return b.renderer.Pending()
}

// RenderPending renders into sink those of paths that wait to be rendered.
// With errors, the next build renders every page again.
func (b *Builder) RenderPending(paths []string, sink render.Sink) diag.List {
	if b.renderer == nil {
		return nil
	}
	return b.renderer.RenderPending(paths, sink)
}
