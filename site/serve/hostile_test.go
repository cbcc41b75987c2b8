package serve

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coachbook/coachbook/site/build"
)

// Turning reports off in coachbook.toml drops every report page and
// file: each is then 404 and names no rep.
func TestReportsOffDropsReportPages(t *testing.T) {
	dir, base := startServer(t, map[string]string{
		"content/a.md":        guide,
		"data/team.toml":      "[[reps]]\nid = \"jdoe\"\n",
		"data/activities.csv": "date,rep,type\n2026-11-16,jdoe,calls\n",
	})
	pages := []string{"reports/", "reports/data-health/", "reports/reps/jdoe/week/2026-W47/metrics.json"}
	for _, p := range pages {
		if code, _ := get(t, base+p); code != 200 {
			t.Fatalf("%s: %d", p, code)
		}
	}
	ch := events(t, base)
	writeFile(t, filepath.Join(dir, "coachbook.toml"), "[reports]\nenabled = false\n")
	waitEvent(t, ch, "reload")
	for _, p := range pages {
		if code, body := get(t, base+p); code != 404 || strings.Contains(body, "jdoe") {
			t.Errorf("%s is still served: %d", p, code)
		}
	}
}

// Thousands of problems make one error page, rendered once per build and
// the same for every request, listing at most maxShown of them.
func TestErrorPageShowsAtMostMaxShownProblems(t *testing.T) {
	var csv strings.Builder
	csv.WriteString("date,rep,type\n")
	for i := 0; i < 5000; i++ {
		fmt.Fprintf(&csv, "2026-11-%02d,ghost%d,calls\n", i%28+1, i)
	}
	_, base := startServer(t, map[string]string{
		"content/a.md":        guide + "\n[broken](nowhere.md)\n",
		"data/team.toml":      "[[reps]]\nid = \"jdoe\"\n",
		"data/activities.csv": csv.String(),
	})
	start := time.Now()
	code, body := get(t, base)
	if code != 500 || !strings.Contains(body, "content/a.md:9") || !strings.Contains(body, "more problems: the terminal, and <code>coachbook check</code>, list every one") {
		t.Fatalf("%d %.300s", code, body)
	}
	if len(body) > 400_000 || strings.Count(body, `<section class="problem`) != maxShown {
		t.Errorf("error page: %d bytes, %d problems", len(body), strings.Count(body, `<section class="problem`))
	}
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, again := get(t, base+"a/"); again != body {
				t.Error("the error page differs between requests")
			}
		}()
	}
	wg.Wait()
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("9 requests took %v", d)
	}
}

// TestNewerChangeStopsBuild saves coachbook.toml twice: the second save
// stops the rebuild the first started, and the newest file wins.
func TestNewerChangeStopsBuild(t *testing.T) {
	// The rebuild for the first save waits, once it has opened
	// coachbook.toml, until the second save has reached the server.
	gate := newGate("coachbook.toml")
	var log strings.Builder
	var mu sync.Mutex
	var s *Server
	dir, base := startServerWith(t, map[string]string{"content/g/a.md": guide, "content/g/b.md": guide}, func(srv *Server, dir string) {
		s = srv
		s.fsys = gate.fs(os.DirFS(dir))
		s.Log = slog.New(slog.NewTextHandler(lockedWriter{&mu, &log}, nil))
	})
	ch := events(t, base)
	writeFile(t, filepath.Join(dir, "coachbook.toml"), "title = \"First\"\n")
	gate.waitOpened(t)
	writeFile(t, filepath.Join(dir, "coachbook.toml"), "title = \"Second\"\n")
	waitUntil(t, "the second save did not reach the server", func() bool {
		s.queue.mu.Lock()
		defer s.queue.mu.Unlock()
		return s.queue.change != 0
	})
	gate.release()
	waitEvent(t, ch, "reload")
	if _, body := get(t, base); !strings.Contains(body, "Second") {
		t.Errorf("the newest title is not served")
	}
	mu.Lock()
	defer mu.Unlock()
	if !strings.Contains(log.String(), "build stopped by a newer change") {
		t.Errorf("the first rebuild was not stopped:\n%s", log.String())
	}
}

// gate holds up a build: the first time the build opens name, the read
// waits until the test calls release (or ends).
type gate struct {
	name     string
	once     sync.Once
	opened   chan struct{}
	released chan struct{}
	free     sync.Once
}

func newGate(name string) *gate {
	return &gate{name: name, opened: make(chan struct{}), released: make(chan struct{})}
}

// fs is fsys read through the gate.
func (g *gate) fs(fsys fs.FS) fs.FS { return gateFS{fsys, g} }

// waitOpened waits until the build has opened the gate's file.
func (g *gate) waitOpened(t *testing.T) {
	t.Helper()
	t.Cleanup(g.release)
	select {
	case <-g.opened:
	case <-time.After(time.Minute):
		t.Fatalf("the build did not open %s within a minute", g.name)
	}
}

// release lets the build go on.
func (g *gate) release() { g.free.Do(func() { close(g.released) }) }

type gateFS struct {
	fsys fs.FS
	g    *gate
}

func (f gateFS) Open(name string) (fs.File, error) {
	file, err := f.fsys.Open(name)
	if err == nil && name == f.g.name {
		f.g.once.Do(func() {
			close(f.g.opened)
			<-f.g.released
		})
	}
	return file, err
}

func (f gateFS) ReadLink(name string) (string, error)   { return fs.ReadLink(f.fsys, name) }
func (f gateFS) Lstat(name string) (fs.FileInfo, error) { return fs.Lstat(f.fsys, name) }

// waitUntil polls cond until it is true, for up to a minute.
func waitUntil(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(time.Minute); !cond(); time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal(what)
		}
	}
}

type lockedWriter struct {
	mu *sync.Mutex
	w  io.Writer
}

func (l lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

// Ctrl-C (a cancelled context) during the first build stops the server
// at once, without waiting for the build.
func TestCancelDuringFirstBuildReturnsAtOnce(t *testing.T) {
	dir := t.TempDir()
	for i := 0; i < 20; i++ {
		writeFile(t, filepath.Join(dir, fmt.Sprintf("content/g/p%04d.md", i)), guide)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := New(dir, build.Options{Version: "test"}, slog.New(slog.NewTextHandler(io.Discard, nil)))
	s.Out = io.Discard
	// The first build stops on its way, in the middle of the guides.
	gate := newGate("content/g/p0010.md")
	s.fsys = gate.fs(os.DirFS(dir))
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Serve(ctx, l) }()
	gate.waitOpened(t)
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Error(err)
		}
	case <-time.After(time.Second):
		t.Error("Serve did not return within a second of the cancel")
	}
}
