// Package browsertest gives tests that need a real browser (the dev
// server's live reload, the page checks of the built site) a tab of
// Debian's Chromium. One Chromium serves every test of a test binary:
// each Tab is a new tab in a browser context of its own (its own cookies,
// storage and cache, like a fresh profile), so tests may run in parallel.
// `make test` installs Chromium; without it a test fails, except under
// -short, where every browser test is skipped.
//
// A package whose tests use Tab closes the shared Chromium in its
// TestMain:
//
//	func TestMain(m *testing.M) { os.Exit(browsertest.Main(m)) }
package browsertest

import (
	"context"
	"os/exec"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// Chromium returns the path of Chromium (or another Chrome).
func Chromium(t testing.TB) string {
	t.Helper()
	p, ok := chromiumPath()
	if ok {
		return p
	}
	if testing.Short() {
		t.Skip("no Chromium; the browser test runs without -short (make test installs Chromium)")
	}
	t.Fatal("Chromium not found: install Debian's chromium package (make test does it)")
	return ""
}

func chromiumPath() (string, bool) {
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p, true
		}
	}
	return "", false
}

// Page skips a browser test under -short (`make test-short`), then finds
// Chromium like Chromium. Tab calls it; a test calls it first itself when
// it has costly work to do before it opens a tab.
func Page(t testing.TB) {
	t.Helper()
	if testing.Short() {
		t.Skip("runs in Chromium; runs without -short (make test)")
	}
	Chromium(t)
}

// options are Chromium's command line: headless, no sandbox (tests run as
// root in containers), no background traffic.
func options(path string) []chromedp.ExecAllocatorOption {
	return append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.WindowSize(1200, 800),
	)
}

// shared is the test binary's one Chromium, started by the first Tab.
var shared struct {
	mu      sync.Mutex
	started bool
	ctx     context.Context // the browser's first tab; tabs open beside it
	stop    func()
	err     error
}

// browser returns the shared Chromium's first tab, starting Chromium on
// the first call.
func browser(t testing.TB) context.Context {
	t.Helper()
	shared.mu.Lock()
	defer shared.mu.Unlock()
	if !shared.started {
		shared.started = true
		actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), options(Chromium(t))...)
		ctx, cancel := chromedp.NewContext(actx)
		shared.ctx, shared.stop = ctx, func() { cancel(); cancelAlloc() }
		// No deadline here: the first Run binds the browser's life to
		// its context.
		if shared.err = chromedp.Do(ctx); shared.err != nil {
			shared.stop()
		}
	}
	if shared.err != nil {
		t.Fatalf("starting Chromium: %v", shared.err)
	}
	return shared.ctx
}

// Main runs the tests, then closes the shared Chromium and removes its
// profile. Call it from TestMain.
func Main(m *testing.M) int {
	code := m.Run()
	shared.mu.Lock()
	defer shared.mu.Unlock()
	if shared.started && shared.err == nil {
		shared.stop()
	}
	return code
}

// Tab opens a tab of the shared Chromium in a new browser context (an
// empty profile of its own) and returns its context, which ends after
// timeout or with the test. Tabs opened with chromedp.NewContext from it
// share its browser context, as a user's tabs share a profile. Under
// -short the test is skipped.
func Tab(t testing.TB, timeout time.Duration) context.Context {
	t.Helper()
	Page(t)
	tab, closeTab := chromedp.NewContext(browser(t), chromedp.WithNewBrowserContext())
	if err := chromedp.Do(tab); err != nil { // opens it, with no deadline (see browser)
		closeTab()
		t.Fatalf("opening a tab: %v", err)
	}
	ctx, cancel := context.WithTimeout(tab, timeout)
	t.Cleanup(func() { cancel(); closeTab() })
	return ctx
}

// New returns a tab like Tab. With extra command-line options it starts a
// Chromium of its own with them instead, with a fresh profile.
func New(t testing.TB, timeout time.Duration, extra ...chromedp.ExecAllocatorOption) context.Context {
	t.Helper()
	if len(extra) == 0 {
		return Tab(t, timeout)
	}
	Page(t)
	opts := append(options(Chromium(t)), chromedp.UserDataDir(t.TempDir()))
	opts = append(opts, extra...)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(actx)
	ctx, cancelTimeout := context.WithTimeout(ctx, timeout)
	t.Cleanup(func() { cancelTimeout(); cancel(); cancelAlloc() })
	return ctx
}

// WaitFor evaluates js in the page until it is true, for up to 20 s; then
// it fails the test with what and the text the page shows.
func WaitFor(t testing.TB, ctx context.Context, js, what string) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	var last error
	for time.Now().Before(deadline) {
		ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](js))
		if err == nil && ok {
			return
		}
		last = err
		time.Sleep(50 * time.Millisecond)
	}
	text, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`location.pathname + "\n" + (document.getElementById("unlock-status")||{}).textContent + "\n" + (document.querySelector("main") || document.body).innerText`))
	t.Fatalf("%s (last error: %v); the page reads:\n%.800s", what, last, text)
}
