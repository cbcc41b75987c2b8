// Package build runs coachbook's stages in order: config (coachbook.toml),
// content (guides), render (pages into a Sink), then write. It is the only
// package that knows all the others, and the only engine package that
// touches the disk, and only in ToDir.
//
// A build with errors writes nothing. ToDir renders into a fresh folder
// beside the output folder and swaps it in only when every page rendered,
// so a failed build leaves the previous output exactly as it was.
package build

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/coachbook/coachbook/site/config"
	"github.com/coachbook/coachbook/site/content"
	"github.com/coachbook/coachbook/site/diag"
	"github.com/coachbook/coachbook/site/render"
)

// Options are the command-line settings of a build.
type Options struct {
	BaseURL   string    // overrides base_url when not empty
	NoReports bool      // build the playbook only
	Drafts    bool      // include guides marked draft
	Version   string    // shown in the generator meta tag and footer
	Today     time.Time // the build date shown in the footer; zero means now
}

// Stats describes a finished build.
type Stats struct {
	Guides   int
	Files    int
	Bytes    int64
	Duration time.Duration
}

// Result is what a build produced, for callers that need the model too
// (the dev server maps changed files to pages with it).
type Result struct {
	Config  *config.Config
	Content *content.Site
	Stats   Stats
}

// Run builds the site read from site into sink. It returns every diagnostic;
// when any is an error the sink may hold a partial site and must be thrown
// away.
func Run(site fs.FS, opts Options, sink render.Sink) (*Result, diag.List) {
	start := time.Now()
	var diags diag.List
	// Stage 1: config.
	cfg, d := config.Load(site)
	diags.Add(d...)
	diags.Add(cfg.Override(opts.BaseURL, opts.NoReports)...)
	if diags.HasErrors() {
		// Go on with the defaults so content problems are reported too,
		// but never render with a configuration the user did not write.
		sink = discard{}
	}
	res := &Result{Config: cfg}
	// Report pages are not rendered yet; until they are, nothing may link to them.
	off := false
	cfg.Reports.Enabled = &off
	// Stage 2: content.
	s, d := content.Load(site, content.Options{
		BasePath: cfg.BasePath, RawHTML: cfg.Markdown.RawHTML, ReportsOn: cfg.Reports.On(), Drafts: opts.Drafts,
	})
	diags.Add(d...)
	res.Content = s
	// Stage 3: render.
	today := opts.Today
	if today.IsZero() {
		today = time.Now()
	}
	r, d := render.New(cfg, site, opts.Version, today)
	diags.Add(d...)
	if r == nil || diags.HasErrors() {
		diags.Sort()
		return res, diags
	}
	counted := &countingSink{next: sink}
	diags.Add(r.Playbook(s, counted)...)
	res.Stats = Stats{Guides: len(s.Pages), Files: counted.files, Bytes: counted.bytes, Duration: time.Since(start)}
	diags.Sort()
	return res, diags
}

// ToDir builds the site into the folder out, replacing its previous content
// only when the build succeeds.
func ToDir(site fs.FS, siteDir, out string, opts Options) (*Result, diag.List) {
	var diags diag.List
	if err := checkOutDir(siteDir, out); err != nil {
		diags.Errorf("", 0, "%v", err)
		return nil, diags
	}
	tmp, err := os.MkdirTemp(filepath.Dir(filepath.Clean(out)), "."+filepath.Base(out)+".new-")
	if err != nil {
		diags.Errorf("", 0, "cannot create the output folder next to %s: %v", out, err)
		return nil, diags
	}
	defer os.RemoveAll(tmp) // gone after a successful swap; cleans up on failure
	res, diags := Run(site, opts, &DirSink{Root: tmp})
	if diags.HasErrors() {
		return res, diags
	}
	if err := os.Chmod(tmp, 0o755); err != nil {
		diags.Errorf("", 0, "%v", err)
		return res, diags
	}
	if err := swap(tmp, out); err != nil {
		diags.Errorf("", 0, "cannot replace %s with the new build: %v", out, err)
	}
	return res, diags
}

// swap puts the folder tmp in the place of out.
func swap(tmp, out string) error {
	old := ""
	if _, err := os.Stat(out); err == nil {
		old = tmp + ".old"
		if err := os.Rename(out, old); err != nil {
			return err
		}
	}
	if err := os.Rename(tmp, out); err != nil {
		if old != "" {
			_ = os.Rename(old, out)
		}
		return err
	}
	if old != "" {
		return os.RemoveAll(old)
	}
	return nil
}

// checkOutDir refuses output folders whose replacement would destroy the
// site itself or a folder that is not a previous build.
func checkOutDir(siteDir, out string) error {
	absSite, err1 := filepath.Abs(siteDir)
	absOut, err2 := filepath.Abs(out)
	if err := errors.Join(err1, err2); err != nil {
		return err
	}
	if absOut == absSite || strings.HasPrefix(absSite+string(filepath.Separator), absOut+string(filepath.Separator)) {
		return fmt.Errorf("the output folder %s holds the site itself; choose another folder with -o", out)
	}
	for _, keep := range []string{content.Dir, "data", "themes", "cmd", "site", ".git"} {
		if absOut == filepath.Join(absSite, keep) {
			return fmt.Errorf("the output folder %s is the site's %s/ folder; choose another folder with -o (public is the default)", out, keep)
		}
	}
	entries, err := os.ReadDir(out)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil
		}
		return err
	}
	if len(entries) == 0 {
		return nil
	}
	if _, err := os.Stat(filepath.Join(out, ".nojekyll")); err != nil {
		return fmt.Errorf("the output folder %s already exists and is not a coachbook build; empty it, delete it, or choose another folder with -o", out)
	}
	return nil
}

// DirSink writes files under Root, refusing any path that would land
// outside it.
type DirSink struct {
	Root string
	mu   sync.Mutex
	dirs map[string]bool
}

// Write implements render.Sink.
func (d *DirSink) Write(p string, data []byte) error {
	clean, err := SafePath(p)
	if err != nil {
		return err
	}
	full := filepath.Join(d.Root, filepath.FromSlash(clean))
	dir := filepath.Dir(full)
	d.mu.Lock()
	if d.dirs == nil {
		d.dirs = map[string]bool{}
	}
	known := d.dirs[dir]
	d.dirs[dir] = true
	d.mu.Unlock()
	if !known {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return err
		}
	}
	return os.WriteFile(full, data, 0o644)
}

// SafePath cleans an output path and rejects one that is absolute or climbs
// out of the output folder, whatever an id or file name in the input says.
func SafePath(p string) (string, error) {
	p = strings.ReplaceAll(p, "\\", "/")
	bad := p == "" || strings.HasPrefix(p, "/")
	for _, el := range strings.Split(p, "/") {
		bad = bad || el == ".."
	}
	if bad {
		return "", fmt.Errorf("refusing to write %q: output paths must stay inside the output folder", p)
	}
	return path.Clean(p), nil
}

// MemSink keeps files in memory; the dev server serves from it.
type MemSink struct {
	mu    sync.Mutex
	Files map[string][]byte
}

// Write implements render.Sink.
func (m *MemSink) Write(p string, data []byte) error {
	clean, err := SafePath(p)
	if err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.Files == nil {
		m.Files = map[string][]byte{}
	}
	m.Files[clean] = data
	return nil
}

type discard struct{}

func (discard) Write(string, []byte) error { return nil }

// Discard is a Sink that keeps nothing; `check` renders into it so template
// errors are found without writing.
var Discard render.Sink = discard{}

type countingSink struct {
	next  render.Sink
	mu    sync.Mutex
	files int
	bytes int64
}

func (c *countingSink) Write(p string, data []byte) error {
	c.mu.Lock()
	c.files++
	c.bytes += int64(len(data))
	c.mu.Unlock()
	return c.next.Write(p, data)
}
