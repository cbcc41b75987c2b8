// Package browsertest starts Debian's Chromium for tests that need a real
// browser (the dev server's live reload, the page checks of the built
// site). `make test` installs Chromium; without it a test fails, except
// under -short, where it is skipped.
package browsertest

import (
	"context"
	"os/exec"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// Chromium returns the path of Chromium (or another Chrome).
func Chromium(t testing.TB) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if testing.Short() {
		t.Skip("no Chromium; the browser test runs without -short (make test installs Chromium)")
	}
	t.Fatal("Chromium not found: install Debian's chromium package (make test does it)")
	return ""
}

// Page skips a test that checks built pages in the browser under -short
// (`make test-short`), then finds Chromium like Chromium.
func Page(t testing.TB) {
	t.Helper()
	if testing.Short() {
		t.Skip("checks pages in Chromium; runs without -short (make test)")
	}
	Chromium(t)
}

// New starts a headless Chromium with a fresh profile and no background
// traffic, and returns a tab's context that ends after timeout or with the
// test. Extra options are added to the browser's command line.
func New(t testing.TB, timeout time.Duration, extra ...chromedp.ExecAllocatorOption) context.Context {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(Chromium(t)),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1200, 800),
	)
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
