package serve

import (
	"net/url"
	"strings"

	"github.com/coachbook/coachbook/site/build"
	"github.com/coachbook/coachbook/site/diag"
	"github.com/coachbook/coachbook/site/render"
)

// After the first build, a rebuild renders of the files it changes only the
// pages open in a browser, and sends the reload; the other files wait in
// s.pending: after a layout edit, every other page; after a new title, the
// section's pages; after any guide edit, the search index. A request for a
// waiting file renders it before it is served, so an old page is never
// served, and renderRest renders the others in the background, a batch at
// a time, so that a save or a request waits for the builder only briefly.

// restBatch is how many waiting files renderRest renders per turn: a few
// milliseconds of work.
const restBatch = 32

// openFiles returns whether an output file is a page open in a browser.
func (s *Server) openFiles() func(path string) bool {
	base := s.base()
	open := map[string]bool{}
	for _, p := range s.hub.pages() {
		if dec, err := url.PathUnescape(p); err == nil {
			p = dec
		}
		rel, ok := strings.CutPrefix(p, base)
		if !ok {
			continue
		}
		if rel == "" || strings.HasSuffix(rel, "/") {
			rel += "index.html"
		}
		open[rel] = true
	}
	return func(path string) bool { return open[path] }
}

// notePending records, after a good build, the files it left for later.
// s.mu must be held.
func (s *Server) notePending() {
	s.pending = nil
	if p := s.builder.Pending(); len(p) > 0 {
		s.pending = make(map[string]bool, len(p))
		for _, f := range p {
			s.pending[f] = true
		}
	}
}

// waiting reports whether the file rel (a path like "weekly/index.html")
// waits to be rendered.
func (s *Server) waiting(rel string) bool {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.pending[render.WaitKey(rel)] && !s.failed
}

// renderNow renders rel if it still waits to be rendered.
func (s *Server) renderNow(rel string) {
	s.building.Lock()
	defer s.building.Unlock()
	if s.waiting(rel) {
		s.renderPending([]string{render.WaitKey(rel)})
	}
}

// renderRest renders the waiting files in the background until none is
// left. One runs at a time; it looks again for waiting files when its list
// is done, so the files of a rebuild made meanwhile are rendered too.
func (s *Server) renderRest() {
	if !s.rest.CompareAndSwap(false, true) {
		return
	}
	var todo []string
	for {
		select {
		case <-s.done:
			s.rest.Store(false)
			return
		default:
		}
		s.building.Lock()
		s.mu.RLock()
		failed := s.failed
		s.mu.RUnlock()
		if failed {
			todo = nil // the fix's build renders them
		} else if len(todo) == 0 {
			todo = s.builder.Pending()
		}
		if len(todo) == 0 {
			s.rest.Store(false) // under the lock: a rebuild after it starts another
			s.building.Unlock()
			go s.release()
			return
		}
		n := min(len(todo), restBatch)
		ok := s.renderPending(todo[:n])
		todo = todo[n:]
		s.building.Unlock()
		if !ok {
			s.rest.Store(false)
			return
		}
	}
}

// renderPending renders those of paths that wait and lays them over the
// served files; s.building must be held. A layout mistake that only these
// pages meet fails the site like a failed build: every page shows it until
// the next save. It returns false then.
func (s *Server) renderPending(paths []string) bool {
	sink := &build.MemSink{}
	diags := s.builder.RenderPending(paths, sink)
	var page []byte
	if diags.HasErrors() {
		page = s.renderError(diags)
	}
	s.mu.Lock()
	for _, p := range paths {
		delete(s.pending, p)
	}
	if page != nil {
		s.failed, s.errPage, s.pending = true, page, nil
		s.diags = append(diag.List(nil), diags...)
		s.mu.Unlock()
		s.printNew(diags)
		s.Log.Error("a page failed to render; the last good site is still served", "errors", len(diags))
		s.hub.send("reload")
		return false
	}
	pb := s.files[build.PlaybookFiles]
	if pb == nil {
		pb = map[string][]byte{}
		s.files[build.PlaybookFiles] = pb
	}
	for k, v := range sink.Files {
		pb[k] = v
	}
	s.mu.Unlock()
	return true
}

// ensure renders the site file rel ("weekly/" is "weekly/index.html") when
// it waits to be rendered, and reports whether it did.
func (s *Server) ensure(rel string) bool {
	if rel == "" || strings.HasSuffix(rel, "/") {
		rel += "index.html"
	}
	if !s.waiting(rel) {
		return false
	}
	s.renderNow(rel)
	return true
}
