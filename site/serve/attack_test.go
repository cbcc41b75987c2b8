package serve

import (
	"bufio"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

// request sends a GET to url with the given headers.
func request(t *testing.T, url string, header map[string]string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, url, nil)
	for k, v := range header {
		if k == "Host" {
			req.Host = v
			continue
		}
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var b strings.Builder
	buf := make([]byte, 4096)
	for {
		n, err := resp.Body.Read(buf)
		b.Write(buf[:n])
		if err != nil {
			break
		}
	}
	return resp.StatusCode, b.String()
}

// Issue 23, case 7: the dev server answers only to its own host names
// (DNS rebinding), and gives report data to no other site's page.
func TestOwnHostsAndOriginOnly(t *testing.T) {
	_, base := startServer(t, map[string]string{
		"content/a.md":        guide,
		"data/team.toml":      "[[reps]]\nid = \"jdoe\"\nname = \"Jane Doe\"\n",
		"data/activities.csv": "date,rep,type\n2026-11-16,jdoe,calls\n",
	})
	metrics := base + "reports/reps/jdoe/week/2026-W47/metrics.json"
	for _, tt := range []struct {
		name   string
		url    string
		header map[string]string
		code   int
	}{
		{"plain", metrics, nil, 200},
		{"localhost", metrics, map[string]string{"Host": "localhost:1313"}, 200},
		{"ipv6", metrics, map[string]string{"Host": "[::1]:1313"}, 200},
		{"rebound name", metrics, map[string]string{"Host": "attacker.example"}, 421},
		{"rebound page", base, map[string]string{"Host": "attacker.example:1313"}, 421},
		{"cross-site fetch", metrics, map[string]string{"Sec-Fetch-Site": "cross-site", "Sec-Fetch-Mode": "cors"}, 403},
		{"cross-site script", base + "reports/", map[string]string{"Sec-Fetch-Site": "cross-site", "Sec-Fetch-Mode": "no-cors"}, 403},
		{"foreign origin", metrics, map[string]string{"Origin": "http://attacker.example"}, 403},
		{"dev script", origin(t, base) + Prefix + "reload.js", map[string]string{"Sec-Fetch-Site": "cross-site", "Sec-Fetch-Mode": "no-cors"}, 403},
		{"link followed", base + "reports/", map[string]string{"Sec-Fetch-Site": "cross-site", "Sec-Fetch-Mode": "navigate"}, 200},
		{"own page's fetch", metrics, map[string]string{"Sec-Fetch-Site": "same-origin", "Sec-Fetch-Mode": "cors"}, 200},
	} {
		code, body := request(t, tt.url, tt.header)
		if code != tt.code {
			t.Errorf("%s: %d, want %d", tt.name, code, tt.code)
		}
		if code != 200 && strings.Contains(body, "jdoe") {
			t.Errorf("%s: refused but showed the data", tt.name)
		}
	}
}

// origin is the scheme and host of a URL.
func origin(t *testing.T, u string) string {
	p, err := url.Parse(u)
	if err != nil {
		t.Fatal(err)
	}
	return p.Scheme + "://" + p.Host
}

// flakyFS fails the next opens (fails) with "too many open files".
type flakyFS struct {
	fsys  fs.FS
	fails *atomic.Int32
}

func (f flakyFS) Open(name string) (fs.File, error) {
	if f.fails.Add(-1) >= 0 {
		return nil, &fs.PathError{Op: "open", Path: name, Err: syscall.EMFILE}
	}
	f.fails.Store(0)
	return f.fsys.Open(name)
}

// Issue 23, case 8: a read that fails for a reason other than the file
// (too many open files) is tried again; when it keeps failing, the server
// reads the site again by itself once the machine recovers, with no file
// to save again.
func TestFailedReadDoesNotStick(t *testing.T) {
	var fails atomic.Int32
	dir, base := startServerWith(t, map[string]string{"content/a.md": guide, "content/b.md": guide}, func(s *Server, dir string) {
		s.fsys = flakyFS{os.DirFS(dir), &fails}
	})
	ch := events(t, base)
	// A few failures: tried again, the edit goes through.
	fails.Store(2)
	writeFile(t, filepath.Join(dir, "content", "a.md"), strings.Replace(guide, "First version.", "Second version.", 1))
	waitEvent(t, ch, "reload")
	if code, body := get(t, base+"a/"); code != 200 || !strings.Contains(body, "Second version.") {
		t.Fatalf("after two failed opens: %d %.200s", code, body)
	}
	// Failures that outlast the tries: the build fails, then recovers.
	fails.Store(1 << 20)
	writeFile(t, filepath.Join(dir, "content", "a.md"), strings.Replace(guide, "First version.", "Third version.", 1))
	waitEvent(t, ch, "reload")
	if code, body := get(t, base+"a/"); code == 200 && strings.Contains(body, "Third version.") {
		t.Fatal("with every open failing, the edit was read")
	}
	fails.Store(0)
	deadline := time.Now().Add(20 * time.Second)
	for {
		code, body := get(t, base+"a/")
		if code == 200 && strings.Contains(body, "Third version.") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the failed read stuck: %d %.300s", code, body)
		}
		time.Sleep(100 * time.Millisecond)
	}
	if code, _ := get(t, base+"b/"); code != 200 {
		t.Errorf("b: %d", code)
	}
}

// Issue 23, case 8: a kept-alive connection that sends nothing more is
// closed after IdleTimeout.
func TestIdleConnectionsClosed(t *testing.T) {
	_, base := startServerWith(t, map[string]string{"content/a.md": guide}, func(s *Server, _ string) {
		s.IdleTimeout = 200 * time.Millisecond
	})
	u, _ := url.Parse(base)
	conn, err := net.Dial("tcp", u.Host)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprintf(conn, "GET %s HTTP/1.1\r\nHost: %s\r\n\r\n", u.Path, u.Host)
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	if _, err := conn.Read(make([]byte, 1)); err != io.EOF {
		t.Errorf("the idle connection is still open: %v", err)
	}
}
