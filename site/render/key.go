package render

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"hash"
	"io/fs"
	"reflect"
	"strings"

	"github.com/coachbook/coachbook/site/internal/vkey"
	"github.com/coachbook/coachbook/site/report"
)

// Keys are sums of SHA-256 (FNV-1a for the playbook's small inputs), the
// same in every process, so that a build can compare them with the keys a
// previous build wrote into its manifest.

// Reuser lets a build keep the files of the previous output whose inputs
// have not changed. The Renderer asks it, with a file's key, before it
// renders a keyed file; every keyed file is asked about once per build, so
// the Reuser also learns every key to record.
type Reuser interface {
	// Reuse reports whether the files at paths (output paths), with their
	// inputs summed up by key, were carried over from the previous output.
	// When it was not, the caller renders and writes the files.
	// A page written as several files (a report page and its
	// metrics.json) names them all: they are carried over together or
	// not at all.
	Reuse(key uint64, paths ...string) bool
}

// valueKey sums up a value the way a template sees it (see vkey.Sum).
type valueKey = vkey.Sum

const flushAt = vkey.FlushAt

// keyState is what reportKey sums a page with, kept between pages.
type keyState struct {
	buf, spare []byte
	h          hash.Hash
}

// sum64 is the first 8 bytes of the SHA-256 of b: faster than FNV on the
// tens of kilobytes a report page's view sums to (SHA extensions), and
// collisions need not be thought about.
func sum64(b []byte) uint64 {
	s := sha256.Sum256(b)
	return binary.LittleEndian.Uint64(s[:8])
}

// reportKey sums up everything a report page's file shows: the page (its
// address, layout, title, breadcrumbs, view and metrics.json) and what the
// renderer adds to every report page, the sidebar and the guide sections
// its numbers link to (shared, summed once by sharedKey). The reports'
// index also shows the build date. ok is false when the page cannot be
// summed.
func (r *Renderer) reportKey(p report.Page, shared uint64) (uint64, bool) {
	st, _ := r.keyBufs.Get().(*keyState)
	if st == nil {
		st = &keyState{buf: make([]byte, 0, flushAt+4<<10), h: sha256.New()}
	}
	st.h.Reset()
	k := valueKey{Buf: st.buf[:0], Spare: st.spare, H: st.h, All: p.URL == report.HealthURL, Skips: &r.keyFields}
	k.U64(shared)
	if p.URL == report.IndexURL {
		k.Str(r.Meta.Built)
	}
	k.Value(reflect.ValueOf(p))
	k.H.Write(k.Buf)
	var s [sha256.Size]byte
	sum := binary.LittleEndian.Uint64(k.H.Sum(s[:0])[:8])
	st.buf, st.spare = k.Buf, k.Spare
	r.keyBufs.Put(st)
	return sum, !k.Bad
}

// sharedKey sums up what every report page shows of the playbook: the
// sidebar, and sig (ReportLinks).
func (r *Renderer) sharedKey(sig string) uint64 {
	var k valueKey
	k.Str(sig)
	if t := r.navReports; t != nil {
		k.Str(t.HTML)
	}
	return sum64(k.Buf)
}

// ValueKey sums up any value the way report pages are keyed: every field,
// exported or not. ok is false for a value that cannot be summed.
func ValueKey(v any) (uint64, bool) {
	k := valueKey{All: true}
	k.Value(reflect.ValueOf(v))
	return sum64(k.Buf), !k.Bad
}

// SiteKey sums up what every file of a build depends on besides its own
// inputs: the binary's version, the configuration, the theme's files and
// the build's options, each given as a string. A build whose site key
// differs from the previous one's renders everything.
func SiteKey(parts ...string) uint64 {
	var k valueKey
	for _, s := range parts {
		k.Str(s)
	}
	return sum64(k.Buf)
}

// ThemeKey sums up the theme's files. A theme that shows the build date on
// pages other than the two that mark it (Base.ShowBuilt) has the date in
// its key, so that every page is rewritten each day.
func (r *Renderer) ThemeKey() string {
	h := sha256.New()
	dated := false
	err := fs.WalkDir(r.theme, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		src, err := fs.ReadFile(r.theme, p)
		if err != nil {
			return err
		}
		fmt.Fprintf(h, "%s\x00%d\x00", p, len(src))
		h.Write(src)
		text := string(src)
		if strings.Contains(text, "Site.Built") && !(p == "layouts/base.html" && strings.Contains(text, "ShowBuilt")) {
			dated = true
		}
		return nil
	})
	if err != nil {
		return "unreadable theme: " + err.Error()
	}
	if dated {
		fmt.Fprintf(h, "built %s", r.Meta.Built)
	}
	return hex.EncodeToString(h.Sum(nil))
}
