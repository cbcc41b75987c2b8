package build

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/coachbook/coachbook/site/access"
	"github.com/coachbook/coachbook/site/civil"
	"github.com/coachbook/coachbook/site/config"
	"github.com/coachbook/coachbook/site/render"
	"github.com/coachbook/coachbook/site/report"
)

// An incremental build to disk. The manifest of the output folder records
// a key for each file the build wrote: a sum of the inputs of its page (see
// render/key.go), and the site key, a sum of what every page depends on
// (coachbook's version and binary, coachbook.toml, the theme, the build's
// options). The next build into the same folder still renders into a fresh
// folder and swaps it in; but a page whose key is the one the manifest
// records, under the same site key, is not rendered: its files are hard
// linked from the previous output (copied where a link fails). A manifest
// that is missing, unreadable or written under another site key makes a
// full build.

// manifest is what a manifest file says.
type manifest struct {
	site uint64 // the site key; 0 for a manifest without one
	// reports says what the build publishes of the rep data: reportsClear,
	// reportsSealed or reportsNone; "" (a manifest of an earlier
	// coachbook) may be any.
	reports string
	files   map[string]fileEntry
}

// What a build publishes of the rep data, as its manifest records it.
const (
	reportsClear  = "clear"
	reportsSealed = "sealed"
	reportsNone   = "none"
)

// fileEntry is one file of a build: its key (0: not keyed, never carried
// over) and its size.
type fileEntry struct {
	key  uint64
	size int64
}

// manifestBuild starts the line that holds the site key, manifestReports
// the one that says what the build publishes of the rep data.
const (
	manifestBuild   = "# build "
	manifestReports = "# reports "
)

// readManifest reads a manifest. ok is false when the file is not one that
// coachbook wrote. A manifest of an earlier coachbook (one path a line,
// no site key) reads with keys of 0.
func readManifest(r io.Reader) (m manifest, ok bool, err error) {
	m.files = map[string]fileEntry{}
	sc := bufio.NewScanner(r)
	sc.Buffer(nil, 1<<20)
	keyed := false
	for n := 0; sc.Scan(); n++ {
		line := sc.Text()
		if n == 0 {
			ok = line == manifestHeader
			continue
		}
		if n == 1 {
			if hex, found := strings.CutPrefix(line, manifestBuild); found {
				m.site, _ = strconv.ParseUint(hex, 16, 64)
				keyed = true
				continue
			}
		}
		if n == 2 && keyed {
			if mode, found := strings.CutPrefix(line, manifestReports); found {
				m.reports = mode
				continue
			}
		}
		if !keyed {
			if !recordable(line) {
				return m, false, nil
			}
			m.files[line] = fileEntry{}
			continue
		}
		key, rest, ok1 := strings.Cut(line, " ")
		size, p, ok2 := strings.Cut(rest, " ")
		k, err1 := strconv.ParseUint(key, 16, 64)
		sz, err2 := strconv.ParseInt(size, 10, 64)
		if !ok1 || !ok2 || err1 != nil || err2 != nil {
			// Damaged: its paths still say which files are the build's,
			// but nothing is carried over.
			m.site = 0
			if !ok2 {
				p = line
			}
			k = 0
		}
		if !recordable(p) {
			// No build writes such a path: the manifest is not ours.
			return m, false, nil
		}
		m.files[p] = fileEntry{k, sz}
	}
	return m, ok, sc.Err()
}

// recordable reports whether p is a path a build may write and record: a
// clean relative path inside the output, with no control character.
func recordable(p string) bool {
	clean, err := SafePath(p)
	return err == nil && clean == p && p != "."
}

// writeManifest lists the files of the build in the folder root, with
// their keys and sizes, under the site key, and says what the build
// publishes of the rep data (reports).
func writeManifest(root string, site uint64, reports string, files map[string]fileEntry) error {
	paths := make([]string, 0, len(files))
	for p := range files {
		paths = append(paths, p)
	}
	slices.Sort(paths)
	var b strings.Builder
	b.Grow(len(paths) * 80)
	b.WriteString(manifestHeader + "\n")
	fmt.Fprintf(&b, "%s%016x\n", manifestBuild, site)
	b.WriteString(manifestReports + reports + "\n")
	for _, p := range paths {
		if !recordable(p) {
			return fmt.Errorf("refusing to record %q in %s: not a path inside the output", p, Manifest)
		}
		e := files[p]
		fmt.Fprintf(&b, "%016x %d %s\n", e.key, e.size, p)
	}
	return os.WriteFile(filepath.Join(root, Manifest), []byte(b.String()), 0o644)
}

// carry keeps, for one build to disk, the previous output and the keys of
// the files of this one, and carries unchanged files over.
type carry struct {
	old  string   // the previous output folder
	to   *DirSink // the new one
	prev manifest // the previous manifest; no files for a full build
	// prevReports is what the previous output publishes of the rep data,
	// as its manifest says ("" when unknown).
	prevReports string
	site        uint64 // this build's site key, once known
	// spare, when the new folder is the spare (see spareFolder), is what
	// it held: the build before the previous one. Its folders are kept,
	// and each of its files that the new build would write the same.
	spare manifest

	mu           sync.Mutex
	keys         map[string]uint64
	carried      int
	carriedBytes int64
}

// newCarry reads the manifest of the previous output out (when there is
// one) for a build that renders into to.
func newCarry(out string, to *DirSink) *carry {
	c := &carry{old: out, to: to, keys: map[string]uint64{}}
	f, err := os.Open(filepath.Join(out, Manifest))
	if err != nil {
		return c
	}
	defer f.Close()
	m, ok, err := readManifest(f)
	if ok && err == nil {
		c.prevReports = m.reports
	}
	if ok && err == nil && m.site != 0 {
		c.prev = m
	}
	return c
}

// start sets the site key of this build: a previous output written under
// another one is not carried over at all.
func (c *carry) start(site uint64) {
	c.site = site
	if c.prev.site != site {
		c.prev = manifest{}
	}
	if c.spare.site != site {
		c.spare.site, c.spare.files = 0, nil // its folders are still of use
	}
}

// reuser is the render.Reuser of one file set of the build: files carried
// over are claimed in the path guard like the files written.
type reuser struct {
	c     *carry
	guard *pathGuard
	set   FileSet
}

// Reuse implements render.Reuser.
func (r reuser) Reuse(key uint64, paths ...string) bool {
	c := r.c
	c.mu.Lock()
	for _, p := range paths {
		c.keys[p] = key
	}
	c.mu.Unlock()
	for _, p := range paths {
		if e, ok := c.prev.files[p]; !ok || e.key != key || key == 0 {
			return false
		}
	}
	if !r.guard.claim(r.set, paths) {
		return false // rendering it reports the clash
	}
	var size int64
	for i, p := range paths {
		e := c.prev.files[p]
		if s, ok := c.spare.files[p]; ok && s.key == key {
			// The spare folder holds this file already.
			c.to.Keep(p, e.size)
			size += e.size
			continue
		}
		if err := c.to.Link(p, filepath.Join(c.old, filepath.FromSlash(p)), e.size); err != nil {
			// Render them all instead: no file of the new folder may stay
			// a link that a write would go through.
			for _, q := range paths[:i] {
				_ = os.Remove(filepath.Join(c.to.Root, filepath.FromSlash(q)))
			}
			r.guard.release(paths)
			return false
		}
		size += e.size
	}
	c.mu.Lock()
	c.carried += len(paths)
	c.carriedBytes += size
	c.mu.Unlock()
	return true
}

// files lists every file of the new folder with its key and size.
func (c *carry) files() map[string]fileEntry {
	out := make(map[string]fileEntry, len(c.keys))
	for p, size := range c.to.Sizes() {
		out[p] = fileEntry{c.keys[p], size}
	}
	return out
}

// siteKey sums up what every file of the build depends on besides its own
// inputs. binary identifies the coachbook program itself; sealer, in an
// encrypted build, makes the addresses of the report pages, which the
// guides link to: they change with the audiences and their passphrases.
func (b *Builder) siteKey(binary string, sealer *access.Sealer) uint64 {
	// The configuration as read, but for the data cut-off: the views of
	// the report pages show as_of where it matters, and a daily data drop
	// that moves it must not rewrite every page.
	cfg := *b.cfg
	cfg.Calendar.AsOf, cfg.Calendar.AsOfRaw, cfg.Calendar.AsOfLine = civil.None, time.Time{}, 0
	cfgKey, ok := render.ValueKey(&cfg)
	if !ok {
		src, _ := fs.ReadFile(b.root, config.File)
		cfgKey = render.SiteKey(string(src))
	}
	parts := []string{b.opts.Version, binary, strconv.FormatUint(cfgKey, 16),
		b.opts.BaseURL, strconv.FormatBool(b.opts.NoReports), strconv.FormatBool(b.opts.Drafts),
		strconv.FormatBool(b.cfg.Reports.On())}
	parts = append(parts, b.renderer.ThemeKey())
	if sealer != nil {
		// The address of a report folder stands for all of them (the
		// key that makes them is derived from the passphrases; the
		// address itself is published, the key is not).
		parts = append(parts, "sealed", sealer.MapPath(report.MetricsDocURL[1:]+"index.html"))
	}
	return render.SiteKey(parts...)
}

// binaryID sums up the running program, so that a build by another
// coachbook (a new version, or a changed one under the same version) does
// not carry over what this one wrote.
func binaryID() string {
	exe, err := os.Executable()
	if err != nil {
		return ""
	}
	f, err := os.Open(exe)
	if err != nil {
		return ""
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return ""
	}
	return hex.EncodeToString(h.Sum(nil))
}

// Keep notes a file already at p in Root (a spare folder's), of the given
// size.
func (d *DirSink) Keep(p string, size int64) {
	if clean, err := SafePath(p); err == nil {
		d.note(clean, size)
	}
}

// Link puts the file from (outside Root) at p, as a hard link, or as a
// copy where the system cannot link it (another device). size is the
// file's size, for Sizes.
func (d *DirSink) Link(p, from string, size int64) error {
	return d.put(p, func(full string) (int64, error) {
		err := os.Link(from, full)
		if errors.Is(err, fs.ErrExist) {
			// A spare folder's older copy: replaced, never written through.
			if err := os.Remove(full); err != nil {
				return 0, err
			}
			err = os.Link(from, full)
		}
		if err == nil {
			return size, nil
		}
		src, err := os.ReadFile(from)
		if err != nil {
			return 0, err
		}
		return int64(len(src)), os.WriteFile(full, src, 0o644)
	})
}

// The spare folder. After a build over a previous output, the previous
// output ends up beside the new one, in spareFolder; instead of removing
// it (tens of thousands of files and folders, as long to remove as to
// make), the build keeps it, and the next build renders into it: its
// folders are there already, and so is every file of the build before the
// previous one that the new build would write the same. Only the files
// that differ are replaced (never written through: a file that is a hard
// link to the output is unlinked first), and those the new build does not
// have are removed. Its manifest is removed before the first change, so a
// build that fails or is stopped leaves a spare folder that the next build
// removes rather than trusts.

// spareFolder is the spare folder of the output out: ".OUT.coachbook-spare"
// beside it (not a name cleanStale removes).
func spareFolder(out string) string {
	return filepath.Join(filepath.Dir(filepath.Clean(out)), tmpPrefix(out)+"spare")
}

// takeSpare returns the spare folder of out, made ready to render into,
// and what it held; ok is false when there is none to use (one that a
// failed build left is removed).
func takeSpare(out string) (dir string, held manifest, ok bool) {
	dir = spareFolder(out)
	f, err := os.Open(filepath.Join(dir, Manifest))
	if err != nil {
		if _, err := os.Lstat(dir); err == nil {
			_ = os.RemoveAll(dir)
		}
		return "", manifest{}, false
	}
	held, ok, err = readManifest(f)
	f.Close()
	if !ok || err != nil || os.Remove(filepath.Join(dir, Manifest)) != nil {
		_ = os.RemoveAll(dir)
		return "", manifest{}, false
	}
	return dir, held, true
}

// pruneSpare removes from the spare folder dir the files it held that the
// new build does not have (built), and the folders that leaves empty.
func pruneSpare(dir string, held manifest, built map[string]int64) error {
	var stale []string
	for p := range held.files {
		if _, ok := built[p]; !ok {
			stale = append(stale, p)
		}
	}
	// Deepest first, so a folder is emptied before it is removed.
	slices.SortFunc(stale, func(a, b string) int { return strings.Count(b, "/") - strings.Count(a, "/") })
	for _, p := range stale {
		full := filepath.Join(dir, filepath.FromSlash(p))
		if !recordable(p) || !within(full, dir) || full == dir {
			continue // never a path outside the spare (readManifest refuses them too)
		}
		if err := os.Remove(full); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
		// Then its folders, up to the first that is not empty.
		d := filepath.Dir(full)
		for d != dir && os.Remove(d) == nil {
			d = filepath.Dir(d)
		}
	}
	return nil
}
