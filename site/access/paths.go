package access

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"path"
	"strings"
)

// OpaqueDir is the published folder of a folder under reports/: the
// reports index stays at reports/, every other folder becomes
// reports/<20 hex digits>/, the same in every build with the same keys.
func (s *Sealer) OpaqueDir(dir string) string {
	if dir == "reports/" {
		return dir
	}
	if v, ok := s.opaque.Load(dir); ok {
		return v.(string)
	}
	mac := hmac.New(sha256.New, s.urlKey)
	mac.Write([]byte("page\x00" + dir))
	o := "reports/" + hex.EncodeToString(mac.Sum(nil)[:10]) + "/"
	s.opaque.Store(dir, o)
	return o
}

// MapPath is the published path of an output path under reports/; other
// paths are unchanged.
func (s *Sealer) MapPath(p string) string {
	if !strings.HasPrefix(p, "reports/") {
		return p
	}
	dir, file := path.Split(p)
	return s.OpaqueDir(dir) + file
}

// rewrite points every href and src of an HTML file that leads under
// reports/ at its published address. page is the file's original path,
// against which relative links are resolved.
//
// The result is a new slice with room for extra more bytes, or b itself
// when extra is 0 and no link changed.
func (s *Sealer) rewrite(page string, b []byte, extra int) []byte {
	pageDir, _ := path.Split(page)
	var out []byte
	last := 0
	for i := 0; ; {
		k := bytes.Index(b[i:], []byte(`="`))
		if k < 0 {
			break
		}
		k += i
		start := k + 2
		end := bytes.IndexByte(b[start:], '"')
		if end < 0 {
			break
		}
		end += start
		i = end + 1
		name := b[:k]
		if !bytes.HasSuffix(name, []byte(" href")) && !bytes.HasSuffix(name, []byte(" src")) {
			continue
		}
		if v, ok := s.mapLink(pageDir, string(b[start:end])); ok {
			if out == nil {
				out = make([]byte, 0, len(b)+extra+1024)
			}
			out = append(append(out, b[last:start]...), v...)
			last = end
		}
	}
	if out == nil {
		if extra == 0 {
			return b
		}
		out = make([]byte, 0, len(b)+extra)
	}
	return append(out, b[last:]...)
}

// mapLink returns the published form of a link found on a page in
// pageDir, and whether it leads under reports/ at all.
func (s *Sealer) mapLink(pageDir, v string) (string, bool) {
	rest := ""
	if i := strings.IndexAny(v, "?#"); i >= 0 {
		v, rest = v[:i], v[i:]
	}
	reports := s.opts.BasePath + "reports/"
	var p, host string
	switch {
	case strings.HasPrefix(v, reports):
		p = v[len(s.opts.BasePath):]
	case s.opts.Origin != "" && strings.HasPrefix(v, s.opts.Origin+reports):
		host, p = s.opts.Origin, v[len(s.opts.Origin)+len(s.opts.BasePath):]
	case v != "" && strings.HasPrefix(pageDir, "reports/") && !strings.HasPrefix(v, "/") && !strings.Contains(v, ":"):
		p = path.Join(pageDir, v)
		if strings.HasSuffix(v, "/") || v == "." || v == ".." {
			p += "/"
		}
		if !strings.HasPrefix(p, "reports/") {
			return "", false
		}
	default:
		return "", false
	}
	return host + s.opts.BasePath + s.MapPath(p) + rest, true
}
