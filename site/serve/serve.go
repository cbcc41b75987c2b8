// Package serve is coachbook's dev server: it builds the site in memory,
// serves it on 127.0.0.1, watches the site's files, rebuilds what a change
// affects, and tells open pages to reload.
//
// Pages are served under the path of base_url, as they will be published.
// Into every HTML page it injects one script tag (never present in `build`
// output) that listens to Server-Sent Events at /__coachbook/events: a
// "reload" event reloads the page keeping its scroll position; a "css"
// event swaps the stylesheets without a reload. Each page opens the
// stream with its own path (?page=), so a rebuild renders the open pages
// before the reload and the other files it changes after it, or when one
// is requested (later.go).
//
// Report pages are not rendered with the rest: the server renders a report
// page when it is requested, keeps a bounded cache, and empties it when a
// change affects the reports, so its memory does not grow with the org.
//
// A failed rebuild never stops the server: the last good site stays in
// memory, every page shows an error page naming file and line with the
// offending lines, and the page reloads by itself when the file is fixed.
// Problems are logged once per build, not once per request.
package serve

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"mime"
	"net"
	"net/http"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"runtime/debug"
	"runtime/metrics"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/coachbook/coachbook/site/build"
	"github.com/coachbook/coachbook/site/diag"
	"github.com/coachbook/coachbook/site/internal/linkfs"
	"github.com/coachbook/coachbook/site/render"
	"github.com/coachbook/coachbook/site/report"
)

// Prefix is the URL path of the dev server's own endpoints.
const Prefix = "/__coachbook/"

// Server serves one site directory.
type Server struct {
	Dir  string        // the site folder
	Opts build.Options // build settings (drafts, version)
	Log  *slog.Logger
	// Out receives the build's problems, printed once per build.
	Out io.Writer
	// Ready, when set, is called with the site's address once it is served.
	Ready func(url string)
	// Debounce is how long the watcher waits after the last change of a
	// burst before rebuilding (an editor's save is several events).
	Debounce time.Duration
	// Hosts are the host names the server answers to besides localhost
	// and IP addresses (the host of --addr): a request naming any other
	// host is refused, so a web page whose name is made to resolve to
	// this machine (DNS rebinding) reads nothing.
	Hosts []string
	// IdleTimeout closes a kept-alive connection that sent no request
	// for this long, so idle connections cannot pile up until the
	// server has no file descriptor left to read the site with.
	IdleTimeout time.Duration

	builder *build.Builder
	site    fs.FS
	// fsys is the site folder as read (os.DirFS of Dir unless a test
	// sets it); site reads it through retryFS, which sets readFailed
	// when a read failed for a reason other than the file. rereads
	// counts the whole-site rebuilds made for that in a row.
	fsys       fs.FS
	readFailed atomic.Bool
	rereads    int
	// building is held while the builder runs: a rebuild, or the rendering
	// of a report page for a request.
	building     sync.Mutex
	releasing    sync.Mutex // held while release runs
	releaseAgain atomic.Bool
	releasedAt   atomic.Uint64 // heap bytes allocated as of the last release
	idleMu       sync.Mutex
	idle         *time.Timer // releases once no build came for a second
	reports      reportPages

	mu       sync.RWMutex
	files    map[build.FileSet]map[string][]byte
	diags    diag.List // the last build's problems
	failed   bool      // the last build had errors
	basePath string
	gen      int             // builds so far
	printed  map[string]bool // problems already printed to the terminal
	errPage  []byte          // the error page of the last failed build, rendered once
	// pending are the playbook files the last build left for later (see
	// later.go); rest is set while renderRest renders them.
	pending map[string]bool
	rest    atomic.Bool
	done    <-chan struct{} // closed when the server stops

	queue queue
	hub   hub
}

// queue hands changes to the one goroutine that builds. A change that
// arrives during a build stops it (its sink writes fail) and is built
// together with it, so the newest files always win.
type queue struct {
	mu     sync.Mutex
	change build.Change
	files  []string
	stop   chan struct{} // closed to stop the build under way
	kick   chan struct{}
}

// request asks for a build of a change, stopping the one under way.
func (s *Server) request(c build.Change, files []string) {
	q := &s.queue
	q.mu.Lock()
	q.change |= c
	for _, f := range files {
		if !slices.Contains(q.files, f) {
			q.files = append(q.files, f)
		}
	}
	if q.stop != nil {
		close(q.stop)
		q.stop = nil
	}
	q.mu.Unlock()
	select {
	case q.kick <- struct{}{}:
	default:
	}
}

// builds runs the requested builds one after the other until ctx is done;
// first is closed after the first build that was not stopped.
func (s *Server) builds(ctx context.Context, first chan<- struct{}) {
	q := &s.queue
	go func() { // on shutdown, stop the build under way too
		<-ctx.Done()
		q.mu.Lock()
		if q.stop != nil {
			close(q.stop)
			q.stop = nil
		}
		q.mu.Unlock()
	}()
	for {
		select {
		case <-ctx.Done():
			return
		case <-q.kick:
		}
		if ctx.Err() != nil {
			return
		}
		q.mu.Lock()
		c, files := q.change, q.files
		q.change, q.files = 0, nil
		stop := make(chan struct{})
		q.stop = stop
		q.mu.Unlock()
		if c == 0 {
			continue
		}
		s.readFailed.Store(false)
		if s.rebuild(c, files, stop) {
			s.Log.Info("build stopped by a newer change")
			s.builder.Restart()
			s.request(c, files) // again, with the change that stopped it
			continue
		}
		s.rereadLater()
		if first != nil {
			close(first)
			first = nil
		}
	}
}

// New returns a server for the site in dir.
func New(dir string, opts build.Options, log *slog.Logger) *Server {
	if log == nil {
		log = slog.New(slog.NewTextHandler(os.Stderr, nil))
	}
	return &Server{Dir: dir, Opts: opts, Log: log, Out: os.Stderr, Debounce: 40 * time.Millisecond, IdleTimeout: 30 * time.Second,
		files: map[build.FileSet]map[string][]byte{}, hub: hub{clients: map[chan string]string{}}}
}

// Listen binds addr, or the next free port after it when it is taken.
func Listen(addr string, log *slog.Logger) (net.Listener, error) {
	host, portStr, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, fmt.Errorf("--addr %q is not host:port (like 127.0.0.1:1313): %v", addr, err)
	}
	port, err := strconv.Atoi(portStr)
	if err != nil {
		return nil, fmt.Errorf("--addr %q: the port must be a number", addr)
	}
	for i := 0; i < 20; i++ {
		l, err := net.Listen("tcp", net.JoinHostPort(host, strconv.Itoa(port+i)))
		if err == nil {
			if i > 0 {
				log.Warn("port busy, using the next free one", "busy", port, "using", port+i)
			}
			return l, nil
		}
		if !errors.Is(err, syscall.EADDRINUSE) || port == 0 {
			return nil, err
		}
	}
	return nil, fmt.Errorf("ports %d to %d are all in use; choose another with --addr", port, port+19)
}

// Serve builds the site, serves it on l and watches for changes until ctx
// is done. It returns nil on a clean shutdown.
func (s *Server) Serve(ctx context.Context, l net.Listener) error {
	if s.fsys == nil {
		s.fsys = os.DirFS(s.Dir)
	}
	s.site = retryFS{s.fsys, &s.readFailed}
	s.builder = build.NewBuilder(s.site, s.Opts)
	s.builder.ReportsOnRequest()
	s.queue.kick = make(chan struct{}, 1)
	s.done = ctx.Done()
	first := make(chan struct{})
	go s.builds(ctx, first)
	s.request(build.ChangeAll, nil)
	select {
	case <-first:
	case <-ctx.Done():
		return nil // stopped during the first build
	}

	w, err := newWatcher(s.Dir, s.Log)
	if err != nil {
		return err
	}
	defer w.Close()

	srv := &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second, IdleTimeout: s.IdleTimeout}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(l) }()
	if s.Ready != nil {
		s.Ready("http://" + l.Addr().String() + s.base())
	}

	go w.run(ctx, s.Debounce, func(c build.Change, files []string) {
		if c == build.ChangeTheme && s.swapStylesheets(files) {
			return
		}
		s.request(c, files)
	})

	select {
	case <-ctx.Done():
		s.hub.closeAll()
		s.idleMu.Lock()
		if s.idle != nil {
			s.idle.Stop()
		}
		s.idleMu.Unlock()
		shutdown, cancel := context.WithTimeout(context.Background(), 3*time.Second)
		defer cancel()
		_ = srv.Shutdown(shutdown)
		return nil
	case err := <-errc:
		return err
	}
}

func (s *Server) base() string {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.basePath == "" {
		return "/"
	}
	return s.basePath
}

// rebuild runs the builder for a change and swaps in the file sets it
// rendered, or keeps the last good site when the build has errors. It
// returns true, changing nothing, when stop was closed during the build.
func (s *Server) rebuild(c build.Change, files []string, stop <-chan struct{}) (stopped bool) {
	start := time.Now()
	s.building.Lock()
	defer s.building.Unlock()
	if s.gen > 0 {
		// After the first build, render the open pages first and leave
		// the rest for later (see later.go).
		s.builder.RenderFirst(s.openFiles())
	}
	sinks := map[build.FileSet]*build.MemSink{}
	res := s.builder.BuildFiles(c, files, func(p build.FileSet) render.Sink {
		sinks[p] = &build.MemSink{}
		return build.Stoppable(stop, sinks[p])
	})
	sets, diags := res.FileSets, res.Diags
	select {
	case <-stop:
		return true
	default:
	}
	elapsed := time.Since(start)
	failed := diags.Fatal()
	var page []byte
	if failed {
		page = s.renderError(diags)
	}
	s.mu.Lock()
	wasFailed := s.failed
	s.failed, s.errPage = failed, page
	s.diags = diags
	if cfg := s.builder.Config(); cfg != nil {
		s.basePath = cfg.BasePath
	}
	if s.failed {
		if len(sets) > 0 {
			s.builder.Forget() // what was rendered is thrown away
		}
	} else {
		if slices.Contains(sets, build.ReportFiles) || s.builder.ReportFinder() == nil {
			s.reports.reset(s.builder.ReportFinder()) // new report pages, or none any more
		}
		for _, p := range sets {
			if p == build.ReportFiles {
				continue
			}
			if !res.Partial || s.files[p] == nil {
				s.files[p] = sinks[p].Files
				continue
			}
			// Only the pages whose inputs changed were rendered: lay them
			// over the rest.
			for k, v := range sinks[p].Files {
				s.files[p][k] = v
			}
			for _, k := range res.Gone {
				delete(s.files[p], k)
			}
		}
		s.notePending()
		// Drop the file sets the configuration no longer produces (reports
		// turned off), so none of their pages is served.
		for p := range s.files {
			if !s.builder.Produces(p) {
				delete(s.files, p)
			}
		}
	}
	s.gen++
	later := len(s.pending) > 0
	s.mu.Unlock()

	s.printNew(diags)
	if failed {
		errs, _ := diags.Count()
		s.Log.Error("build failed; the last good site is still served", "errors", errs)
	} else {
		msg := "rebuilt"
		if s.gen == 1 {
			msg = "built"
		}
		if wasFailed {
			msg = "fixed; rebuilt"
		}
		s.Log.Info(msg, "pages", res.Stats.Files, "took", elapsed.Round(time.Millisecond))
	}
	s.hub.send("reload")
	if !failed && later {
		go s.renderRest()
	} else {
		go s.release()
	}
	return false
}

// maxRereads bounds the whole-site rebuilds made in a row after reads
// that failed for a reason other than the file (see rereadLater).
const maxRereads = 8

// rereadLater, after a build in which a read failed for a reason other
// than the file itself (too many open files), reads the whole site again
// a moment later, waiting longer each time: once the machine recovers,
// the site does too, with no file to save again.
func (s *Server) rereadLater() {
	if !s.readFailed.Load() {
		s.rereads = 0
		return
	}
	if s.rereads >= maxRereads {
		s.Log.Error("reading the site keeps failing; save a file to try again")
		s.rereads = 0
		return
	}
	s.rereads++
	wait := time.Duration(s.rereads) * 500 * time.Millisecond
	s.Log.Warn("a read failed for a reason other than the file; reading the site again", "in", wait)
	time.AfterFunc(wait, func() {
		select {
		case <-s.done:
		default:
			s.request(build.ChangeAll, nil)
		}
	})
}

// release hands the memory the last rebuild let go of back to the system,
// once the pages have been told to reload: without it the Go heap keeps
// room for twice what it holds, and the server's memory would climb with
// the first edits and after each layout edit (which renders every page
// while the old ones are still served). Handing memory back collects the
// whole heap (a tenth of a second of CPU with 20,000 guides), so it is
// done at once only when the builds since the last time allocated half
// the live heap or more, and otherwise after a second without a build: a
// run of quick saves does not pay it at each one.
func (s *Server) release() {
	allocs, live := heapStats()
	if allocs-s.releasedAt.Load() >= live/2 {
		s.releaseNow()
		return
	}
	s.idleMu.Lock()
	defer s.idleMu.Unlock()
	if s.idle == nil {
		s.idle = time.AfterFunc(time.Second, s.releaseNow)
	} else {
		s.idle.Reset(time.Second)
	}
}

// releaseNow hands freed memory back to the system; calls made while one
// runs make it run once more.
func (s *Server) releaseNow() {
	s.releaseAgain.Store(true)
	if !s.releasing.TryLock() {
		return // the one under way runs again for this build
	}
	defer s.releasing.Unlock()
	for s.releaseAgain.Swap(false) {
		debug.FreeOSMemory()
		allocs, _ := heapStats()
		s.releasedAt.Store(allocs)
	}
}

// heapStats returns the bytes allocated on the heap since the start, and
// the live heap as of the last collection.
func heapStats() (allocs, live uint64) {
	samples := []metrics.Sample{{Name: "/gc/heap/allocs:bytes"}, {Name: "/gc/heap/live:bytes"}}
	metrics.Read(samples)
	return samples[0].Value.Uint64(), samples[1].Value.Uint64()
}

// printNew prints the problems the previous build did not have, so a
// known bad export row is not printed again at every save.
func (s *Server) printNew(diags diag.List) {
	now := make(map[string]bool, len(diags))
	for _, d := range diags {
		msg := d.Error()
		now[msg] = true
		if !s.printed[msg] {
			fmt.Fprintln(s.Out, "  "+msg)
		}
	}
	s.printed = now
}

// swapStylesheets handles a change to stylesheets of the active theme's
// static folder alone: it replaces them in memory and tells pages to swap
// their stylesheets without reloading. It returns false, changing nothing,
// for any other change (which then needs a rebuild).
func (s *Server) swapStylesheets(files []string) bool {
	cfg := s.builder.Config()
	if cfg == nil || len(files) == 0 {
		return false
	}
	staticDir := "themes/" + cfg.Theme + "/static/"
	sheets := map[string][]byte{}
	for _, f := range files {
		rel, ok := strings.CutPrefix(f, staticDir)
		if !ok || !strings.HasSuffix(f, ".css") {
			return false
		}
		if _, out := linkfs.Outside(s.site, f); out {
			return false // the rebuild refuses it
		}
		data, err := fs.ReadFile(s.site, f)
		if err != nil {
			return false // deleted or unreadable: rebuild
		}
		sheets[rel] = data
	}
	s.mu.Lock()
	pb := s.files[build.PlaybookFiles]
	if pb == nil || s.failed {
		s.mu.Unlock()
		return false
	}
	for rel, data := range sheets {
		pb[rel] = data
	}
	s.mu.Unlock()
	s.Log.Info("stylesheet changed", "files", len(files))
	s.hub.send("css")
	go s.release() // the stylesheets replaced
	return true
}

// ServeHTTP serves the dev endpoints, the error page, and the site.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if !s.ownHost(r.Host) {
		_, port, _ := net.SplitHostPort(r.Host)
		http.Error(w, "this dev server answers to localhost, IP addresses and the host of --addr only; open http://localhost:"+port+"/", http.StatusMisdirectedRequest)
		return
	}
	if crossOrigin(r) && (strings.HasPrefix(r.URL.Path, Prefix) || strings.Contains(r.URL.Path, report.IndexURL)) {
		http.Error(w, "the dev server does not hand report data or its events to another site's page", http.StatusForbidden)
		return
	}
	if strings.HasPrefix(r.URL.Path, Prefix) {
		s.serveDev(w, r)
		return
	}
	s.mu.RLock()
	base := s.basePath
	failed := s.failed
	errPage := s.errPage
	s.mu.RUnlock()
	if base == "" {
		base = "/"
	}
	if !strings.HasPrefix(r.URL.Path, base) {
		if r.URL.Path == "/" || r.URL.Path+"/" == base {
			http.Redirect(w, r, base, http.StatusFound)
			return
		}
		http.Error(w, "not found: this site is served under "+base, http.StatusNotFound)
		return
	}
	rel := strings.TrimPrefix(r.URL.Path, base)
	if s.ensure(rel) {
		s.mu.RLock()
		failed, errPage = s.failed, s.errPage
		s.mu.RUnlock()
	}
	if failed && (rel == "" || strings.HasSuffix(rel, "/") || strings.HasSuffix(rel, ".html")) {
		serveError(w, errPage)
		return
	}
	data, name, ok := s.lookup(rel)
	if !ok && strings.HasPrefix("/"+rel, report.IndexURL) {
		var diags diag.List
		if data, name, ok, diags = s.reportFile(rel); diags.HasErrors() {
			serveError(w, s.renderError(diags))
			return
		}
	}
	if !ok && !strings.HasSuffix(rel, "/") && rel != "" {
		_, _, dir := s.lookup(rel + "/")
		if !dir && strings.HasPrefix("/"+rel, report.IndexURL) {
			_, _, dir, _ = s.reportFile(rel + "/")
		}
		if dir {
			http.Redirect(w, r, r.URL.Path+"/", http.StatusMovedPermanently)
			return
		}
	}
	status := http.StatusOK
	if !ok {
		status = http.StatusNotFound
		data, name, ok = s.lookup("404.html")
		if !ok {
			http.NotFound(w, r)
			return
		}
	}
	ctype := mime.TypeByExtension(path.Ext(name))
	if ctype == "" {
		ctype = http.DetectContentType(data)
	}
	w.Header().Set("Content-Type", ctype)
	w.Header().Set("Cache-Control", "no-store")
	if strings.HasSuffix(name, ".html") {
		data = inject(data)
	}
	w.WriteHeader(status)
	if r.Method != http.MethodHead {
		_, _ = w.Write(data)
	}
}

// ownHost reports whether a request's Host names this server: localhost
// (or a name under .localhost), an IP address, or one of Hosts. Ports are
// not compared.
func (s *Server) ownHost(hostport string) bool {
	host := hostport
	if h, _, err := net.SplitHostPort(hostport); err == nil {
		host = h
	}
	host = strings.TrimSuffix(strings.ToLower(strings.Trim(host, "[]")), ".")
	if host == "localhost" || strings.HasSuffix(host, ".localhost") || net.ParseIP(host) != nil {
		return true
	}
	return slices.ContainsFunc(s.Hosts, func(h string) bool { return strings.EqualFold(h, host) })
}

// crossOrigin reports whether a request comes from another site's page
// (a fetch, a script or an image tag, not the reader following a link):
// as the browser's Sec-Fetch-Site says, or its Origin when it does not.
func crossOrigin(r *http.Request) bool {
	if r.Header.Get("Sec-Fetch-Mode") == "navigate" {
		return false
	}
	switch r.Header.Get("Sec-Fetch-Site") {
	case "cross-site", "same-site":
		return true
	case "same-origin", "none":
		return false
	}
	origin := r.Header.Get("Origin")
	if origin == "" {
		return false
	}
	u, err := url.Parse(origin)
	return err != nil || !strings.EqualFold(u.Host, r.Host)
}

// lookup finds a rendered site file: "weekly/" is "weekly/index.html".
func (s *Server) lookup(rel string) ([]byte, string, bool) {
	if rel == "" || strings.HasSuffix(rel, "/") {
		rel += "index.html"
	}
	s.ensure(rel)
	s.mu.RLock()
	for _, files := range s.files {
		if data, ok := files[rel]; ok {
			s.mu.RUnlock()
			return data, rel, true
		}
	}
	s.mu.RUnlock()
	return nil, rel, false
}

// reportFile finds a report file, rendering it when it is not cached; a
// layout's mistake is shown on the page that needs it.
func (s *Server) reportFile(rel string) ([]byte, string, bool, diag.List) {
	if rel == "" || strings.HasSuffix(rel, "/") {
		rel += "index.html"
	}
	var diags diag.List
	data, ok := s.reports.get(rel, func(task report.Task) *build.MemSink {
		s.building.Lock()
		defer s.building.Unlock()
		sink := &build.MemSink{}
		if diags = s.builder.RenderReports([]report.Task{task}, sink); diags.HasErrors() {
			return nil
		}
		return sink
	})
	return data, rel, ok, diags
}

// inject adds the live-reload script before </body>.
func inject(page []byte) []byte {
	tag := []byte(`<script src="` + Prefix + `reload.js"></script>`)
	i := bytes.LastIndex(page, []byte("</body>"))
	if i < 0 {
		return append(page, tag...)
	}
	out := make([]byte, 0, len(page)+len(tag))
	out = append(out, page[:i]...)
	out = append(out, tag...)
	return append(out, page[i:]...)
}

func (s *Server) serveDev(w http.ResponseWriter, r *http.Request) {
	switch strings.TrimPrefix(r.URL.Path, Prefix) {
	case "events":
		s.hub.serve(w, r)
	case "reload.js":
		w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		_, _ = w.Write([]byte(reloadJS))
	default:
		http.NotFound(w, r)
	}
}

// siteFile reads a site file for the error page's excerpts; a path is
// accepted only when it stays inside the site folder.
func (s *Server) siteFile(name string) []byte {
	if !fs.ValidPath(name) {
		return nil
	}
	data, err := fs.ReadFile(s.site, name)
	if err != nil {
		return nil
	}
	return data
}

// abs returns the absolute path of a site file, for editor links.
func (s *Server) abs(name string) string {
	p, err := filepath.Abs(filepath.Join(s.Dir, filepath.FromSlash(name)))
	if err != nil {
		return name
	}
	return p
}
