package build

import (
	"errors"
	"io/fs"
	"os"
	"time"

	"github.com/coachbook/coachbook/site/diag"
	"github.com/coachbook/coachbook/site/render"
)

// ErrStopped is what every sink write returns once the build was told to
// stop (Options.Stop closed), so the render stage ends at its next file.
var ErrStopped = errors.New("the build was stopped")

// stopSink refuses writes once stop is closed.
type stopSink struct {
	stop <-chan struct{}
	next render.Sink
}

func (s stopSink) Write(p string, data []byte) error {
	if stopped(s.stop) {
		return ErrStopped
	}
	return s.next.Write(p, data)
}

// runStoppable is Run that returns as soon as opts.Stop is closed, with an
// error saying the build was stopped. Stages that do not write keep running
// in the background until they end; the sink refuses their writes, and
// closing sink (when it is a *DirSink) waits for writes under way, so the
// caller can remove what was written.
func runStoppable(b *Builder, sink render.Sink) (*Result, diag.List) {
	opts := b.opts
	if opts.Stop == nil {
		return b.runOnce(sink)
	}
	type result struct {
		res   *Result
		diags diag.List
	}
	done := make(chan result, 1)
	go func() {
		res, diags := b.runOnce(stopSink{opts.Stop, sink})
		done <- result{res, diags}
	}()
	select {
	case r := <-done:
		return r.res, r.diags
	case <-opts.Stop:
		if d, ok := sink.(*DirSink); ok {
			d.Close()
		}
		var diags diag.List
		diags.Errorf("", 0, "%v", ErrStopped)
		return &Result{}, diags
	}
}

// stopGrace is how long a stopped build spends removing what it wrote.
// What is left then (a slow disk, thousands of files) is removed by the
// next build of the same output, since the process that made it is gone.
const stopGrace = 500 * time.Millisecond

// stopped reports whether stop is closed.
func stopped(stop <-chan struct{}) bool {
	select {
	case <-stop:
		return true
	default:
		return false
	}
}

// removeFor removes the folder dir, giving up waiting after d.
func removeFor(dir string, d time.Duration) {
	done := make(chan struct{})
	go func() {
		_ = os.RemoveAll(dir)
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(d):
	}
}

// Check builds the site into nothing, to find every problem; it returns as
// soon as opts.Stop is closed.
func Check(site fs.FS, opts Options) diag.List {
	b := NewBuilder(site, opts)
	b.once = true
	_, diags := runStoppable(b, Discard)
	return diags
}

// Stoppable returns a sink that refuses every write once stop is closed,
// so a render under way ends at its next file.
func Stoppable(stop <-chan struct{}, next render.Sink) render.Sink {
	return stopSink{stop, next}
}

// Restart makes the next Build render every file set its change touches
// again, after a build whose writes were stopped: what that build rendered
// was thrown away, and its "stopped" errors must not outlive it.
func (b *Builder) Restart() {
	b.linked = ""
	b.diagsOf[stPlaybook], b.diagsOf[stReports] = nil, nil
}

// Produces reports whether the configuration of the last build renders
// file set p: without reports, no report page may be kept from an earlier one.
func (b *Builder) Produces(p FileSet) bool {
	return p != ReportFiles || (b.cfg != nil && b.cfg.Reports.On())
}
