package render

import (
	"slices"
	"strings"

	"github.com/coachbook/coachbook/site/diag"
	"github.com/coachbook/coachbook/site/internal/par"
	"github.com/coachbook/coachbook/site/search"
)

// The dev server renders a whole playbook again after a layout edit. With
// thousands of guides that takes most of a second, so it renders first the
// pages open in a browser, lets them reload, and renders the rest
// afterwards, or when one is asked for. The files left for later wait here;
// ChangedFirst keeps them waiting (with the guides as they are then) unless
// their own inputs changed, in which case it renders them at once.

// deferJobs keeps for later the jobs whose path first does not accept and
// returns the others, to render now.
func (r *Renderer) deferJobs(jobs []job, first func(path string) bool) []job {
	r.pending = nil
	if first == nil {
		return jobs
	}
	var now []job
	r.pending = make(map[string]job, len(jobs))
	for _, j := range jobs {
		if first(j.path) {
			now = append(now, j)
		} else {
			r.pending[j.path] = j
		}
	}
	return now
}

// WaitKey is the name under which the file path waits in Pending: its own,
// or search.Dir for every file of the search index, made together.
func WaitKey(path string) string {
	if strings.HasPrefix(path, search.Dir) {
		return search.Dir
	}
	return path
}

// Pending lists, sorted, the files that wait to be rendered.
func (r *Renderer) Pending() []string {
	out := make([]string, 0, len(r.pending))
	for p := range r.pending {
		out = append(out, p)
	}
	slices.Sort(out)
	return out
}

// RenderPending renders those of paths that wait to be rendered, and no
// longer keeps them waiting. A path that does not wait is skipped.
func (r *Renderer) RenderPending(paths []string, sink Sink) diag.List {
	var todo []job
	for _, p := range paths {
		if j, ok := r.pending[p]; ok {
			todo = append(todo, j)
			delete(r.pending, p)
		}
	}
	errs := make([]error, len(todo))
	par.Do(len(todo), func(i int) { errs[i] = todo[i].render(sink) })
	var diags diag.List
	for _, err := range errs {
		if err != nil {
			diags.Add(diag.From(err))
		}
	}
	if diags.HasErrors() {
		r.Forget()
	}
	return diags
}
