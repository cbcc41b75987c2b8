package serve

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coachbook/coachbook/site/build"
)

// Case 15: turning reports off drops every report page and file.
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

// Case 20: thousands of problems make one error page, rendered once per
// build, listing at most maxShown of them.
func TestErrorPageBounded(t *testing.T) {
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

// Case 21: a change during a build stops it; the newest files win.
func TestNewerChangeStopsBuild(t *testing.T) {
	// Long guides: a new coachbook.toml reads them all again, and that
	// must outlast the wait below (the pages themselves are rendered after
	// the reload, see later.go).
	files := map[string]string{}
	long := guide + strings.Repeat("\nMore text for the parser to read, with *emphasis* and `code`.\n", 60)
	for i := 0; i < 1500; i++ {
		files[fmt.Sprintf("content/g/p%04d.md", i)] = long
	}
	dir := t.TempDir()
	for name, body := range files {
		writeFile(t, filepath.Join(dir, name), body)
	}
	var log strings.Builder
	var mu sync.Mutex
	s := New(dir, build.Options{Version: "test"}, slog.New(slog.NewTextHandler(lockedWriter{&mu, &log}, nil)))
	s.Out = io.Discard
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ready := make(chan string, 1)
	s.Ready = func(url string) { ready <- url }
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go s.Serve(ctx, l)
	base := <-ready
	writeFile(t, filepath.Join(dir, "coachbook.toml"), "title = \"First\"\n")
	time.Sleep(150 * time.Millisecond) // the rebuild of every page is under way
	writeFile(t, filepath.Join(dir, "coachbook.toml"), "title = \"Second\"\n")
	deadline := time.Now().Add(60 * time.Second) // slow under the race detector
	for time.Now().Before(deadline) {
		if _, body := get(t, base); strings.Contains(body, "Second") {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if _, body := get(t, base); !strings.Contains(body, "Second") {
		t.Errorf("the newest title is not served")
	}
	mu.Lock()
	defer mu.Unlock()
	if !strings.Contains(log.String(), "build stopped by a newer change") {
		t.Errorf("the first rebuild was not stopped:\n%s", log.String())
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

// Case 8: Ctrl-C (a cancelled context) during the first build stops the
// server at once.
func TestStopDuringFirstBuild(t *testing.T) {
	dir := t.TempDir()
	for i := 0; i < 1500; i++ {
		writeFile(t, filepath.Join(dir, fmt.Sprintf("content/g/p%04d.md", i)), guide)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := New(dir, build.Options{Version: "test"}, slog.New(slog.NewTextHandler(io.Discard, nil)))
	s.Out = io.Discard
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Serve(ctx, l) }()
	time.Sleep(20 * time.Millisecond)
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
