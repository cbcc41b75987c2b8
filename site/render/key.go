package render

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"hash"
	"io/fs"
	"math"
	"reflect"
	"strings"
	"sync"

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

// valueKey sums up a value the way a template sees it: every field,
// exported or not, followed through pointers, slices and maps (whose
// entries are summed in any order). ok is false for a value it cannot sum
// (a function or channel, or a structure nested too deep): such a page is
// always rendered.
type valueKey struct {
	buf []byte
	bad bool
	// all sums every field; otherwise fields tagged key:"-" (where a row
	// is in its file, which pages other than data health do not show, and
	// what a metric's id and the binary fix) are left out. skips caches
	// which fields of a type those are.
	all   bool
	skips *sync.Map
	// spare is a buffer for the entries of maps.
	spare []byte
	// h, when set, takes buf's bytes whenever it passes flushAt, so that
	// a large view is summed through a small buffer instead of one that
	// grows to its whole size (the sum is the same).
	h hash.Hash
}

const flushAt = 16 << 10

// keyState is what reportKey sums a page with, kept between pages.
type keyState struct {
	buf, spare []byte
	h          hash.Hash
}

// fnv64a is the FNV-1a sum of b, without the hash.Hash around it.
func fnv64a(b []byte) uint64 {
	h := uint64(14695981039346656037)
	for _, c := range b {
		h ^= uint64(c)
		h *= 1099511628211
	}
	return h
}

// skipped lists, for a struct type, which of its fields are tagged key:"-".
func (k *valueKey) skipped(t reflect.Type) []bool {
	if k.skips != nil {
		if s, ok := k.skips.Load(t); ok {
			return s.([]bool)
		}
	}
	s := make([]bool, t.NumField())
	for i := range s {
		s[i] = t.Field(i).Tag.Get("key") == "-"
	}
	if k.skips != nil {
		k.skips.Store(t, s)
	}
	return s
}

// u64 appends n as a varint: most numbers on a page are small.
func (k *valueKey) u64(n uint64) { k.buf = binary.AppendUvarint(k.buf, n) }

func (k *valueKey) str(s string) {
	k.u64(uint64(len(s)))
	k.buf = append(k.buf, s...)
}

func (k *valueKey) value(v reflect.Value, depth int) {
	if k.h != nil && len(k.buf) >= flushAt {
		k.h.Write(k.buf)
		k.buf = k.buf[:0]
	}
	if depth > 40 {
		k.bad = true
		return
	}
	k.buf = append(k.buf, byte(v.Kind()))
	switch v.Kind() {
	case reflect.Invalid:
	case reflect.Bool:
		if v.Bool() {
			k.buf = append(k.buf, 1)
		} else {
			k.buf = append(k.buf, 0)
		}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		k.u64(uint64(v.Int()))
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		k.u64(v.Uint())
	case reflect.Float32, reflect.Float64:
		k.buf = binary.LittleEndian.AppendUint64(k.buf, math.Float64bits(v.Float()))
	case reflect.String:
		k.str(v.String())
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			k.u64(0)
			return
		}
		k.u64(1)
		if v.Kind() == reflect.Interface {
			k.str(v.Elem().Type().String())
		}
		k.value(v.Elem(), depth+1)
	case reflect.Slice, reflect.Array:
		if v.Kind() == reflect.Slice && v.IsNil() {
			k.u64(0)
			return
		}
		k.u64(uint64(v.Len()) + 1)
		for i := range v.Len() {
			k.value(v.Index(i), depth+1)
		}
	case reflect.Struct:
		var skip []bool
		if !k.all {
			skip = k.skipped(v.Type())
		}
		for i := range v.NumField() {
			if skip == nil || !skip[i] {
				k.value(v.Field(i), depth+1)
			}
		}
	case reflect.Map:
		k.u64(uint64(v.Len()))
		// Each entry is summed on its own and the sums added, so the
		// map's order does not matter.
		// An entry is a few bytes: FNV-1a sums it with no set-up, where
		// SHA-256 costs its whole padding and finish each time.
		var sum uint64
		it := v.MapRange()
		sub := valueKey{all: k.all, skips: k.skips, buf: k.spare[:0]}
		// One key and one value, set in place at each entry (reflect
		// allows it only for a map reached through exported fields).
		inPlace := v.CanInterface()
		var key, val reflect.Value
		if inPlace {
			key, val = reflect.New(v.Type().Key()).Elem(), reflect.New(v.Type().Elem()).Elem()
		}
		for it.Next() {
			sub.buf = sub.buf[:0]
			if inPlace {
				key.SetIterKey(it)
				val.SetIterValue(it)
			} else {
				key, val = it.Key(), it.Value()
			}
			sub.value(key, depth+1)
			sub.value(val, depth+1)
			sum += fnv64a(sub.buf)
		}
		k.spare = sub.buf
		k.bad = k.bad || sub.bad
		k.u64(sum)
	default:
		k.bad = true
	}
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
	k := valueKey{buf: st.buf[:0], spare: st.spare, h: st.h, all: p.URL == report.HealthURL, skips: &r.keyFields}
	k.u64(shared)
	if p.URL == report.IndexURL {
		k.str(r.Meta.Built)
	}
	k.value(reflect.ValueOf(p), 0)
	k.h.Write(k.buf)
	var s [sha256.Size]byte
	sum := binary.LittleEndian.Uint64(k.h.Sum(s[:0])[:8])
	st.buf, st.spare = k.buf, k.spare
	r.keyBufs.Put(st)
	return sum, !k.bad
}

// sharedKey sums up what every report page shows of the playbook: the
// sidebar, and sig (ReportLinks).
func (r *Renderer) sharedKey(sig string) uint64 {
	var k valueKey
	k.str(sig)
	if t := r.navReports; t != nil {
		k.str(t.HTML)
	}
	return sum64(k.buf)
}

// ValueKey sums up any value the way report pages are keyed: every field,
// exported or not. ok is false for a value that cannot be summed.
func ValueKey(v any) (uint64, bool) {
	k := valueKey{all: true}
	k.value(reflect.ValueOf(v), 0)
	return sum64(k.buf), !k.bad
}

// SiteKey sums up what every file of a build depends on besides its own
// inputs: the binary's version, the configuration, the theme's files and
// the build's options, each given as a string. A build whose site key
// differs from the previous one's renders everything.
func SiteKey(parts ...string) uint64 {
	var k valueKey
	for _, s := range parts {
		k.str(s)
	}
	return sum64(k.buf)
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
