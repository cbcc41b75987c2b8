package access

import (
	"bytes"
	"html"
	"strings"
)

// buffers keeps byte slices for reuse: one a page being sealed.
type buffers chan []byte

func (b buffers) get() []byte {
	select {
	case buf := <-b:
		return buf
	default:
		return nil
	}
}

func (b buffers) put(buf []byte) {
	select {
	case b <- buf:
	default:
	}
}

// To returns a Writer that seals what it is given on its way to next.
func (s *Sealer) To(next Writer) Writer { return &sink{s, next} }

type sink struct {
	s    *Sealer
	next Writer
}

// Write implements the build's Sink: a file under reports/ is encrypted
// with its unit's key and written at its opaque path (a page inside a
// shell page, any other file as a Sealed JSON document); an HTML file
// elsewhere only has its links to reports rewritten.
func (w *sink) Write(p string, data []byte) error {
	s := w.s
	isHTML := strings.HasSuffix(p, ".html")
	if _, own := s.own.Load(p); !strings.HasPrefix(p, "reports/") || own {
		if p == "index.html" {
			// The site's address is where a sign-in link leads: its
			// home page passes the link on to the reports.
			data = s.withScript(s.rewrite(p, data, len(s.opts.Script)))
		} else if isHTML && bytes.Contains(data, []byte("reports/")) {
			data = s.rewrite(p, data, 0)
		}
		return w.next.Write(p, data)
	}
	unit := unitOf(p)
	key, id := s.key(unit)
	addr := s.MapPath(p)
	if isHTML {
		s.note(p, unit, data)
		data = s.withScript(s.rewrite(p, data, len(s.opts.Script)))
	}
	pool := s.files
	if isHTML {
		pool = s.pages
	}
	scratch := s.scratch.get()
	defer func() { s.scratch.put(scratch) }()
	nonce, ct, err := seal(scratch, key, data, pool, addr)
	if err != nil {
		return err
	}
	scratch = ct
	route, err := newGCM(s.routeKey)
	if err != nil {
		return err
	}
	// The same nonce under another key: the route is as bound to the
	// address as the content.
	routed := route.Seal(nil, nonce, id, []byte(addr))
	var out []byte
	if isHTML {
		out = make([]byte, 0, len(s.prefix)+len(s.suffix)+len(ct)*4/3+200)
		out = append(out, s.prefix...)
		out = append(out, `<script type="application/json" id="cb-sealed">`...)
		out = appendSealed(out, s.build, routed, p == "reports/index.html", nonce, ct)
		out = append(out, `</script>`...)
		out = append(out, s.suffix...)
	} else {
		out = appendSealed(make([]byte, 0, len(ct)*4/3+120), s.build, routed, false, nonce, ct)
	}
	return w.next.Write(addr, out)
}

// withScript adds the unlock script before </body>, in the room rewrite
// left for it.
func (s *Sealer) withScript(data []byte) []byte {
	if i := bytes.LastIndex(data, []byte("</body>")); i >= 0 {
		n := len(data)
		data = append(data, s.opts.Script...)
		copy(data[i+len(s.opts.Script):], data[i:n])
		copy(data[i:], s.opts.Script)
	}
	return data
}

// note records the pages an audience starts from: the reports index, each
// rep's and manager's home, the latest week, month and quarter of each
// team, data health and the metrics page. Their titles name people, so
// they are only ever published inside the encrypted bundles.
func (s *Sealer) note(p, unit string, page []byte) {
	parts := strings.Split(p, "/")
	var group, key string
	switch {
	case p == "reports/index.html":
		group, key = "All reports", p
	case len(parts) == 3 && (parts[1] == "data-health" || parts[1] == "metrics"):
		group, key = "Reference", p
	case len(parts) == 4 && parts[1] == "reps":
		group, key = "Reps", p
	case len(parts) == 4 && parts[1] == "managers":
		group, key = "Managers", p
	case len(parts) == 6 && parts[1] == "teams":
		group, key = "Teams", parts[3] // one entry per cadence: the latest period
	default:
		return
	}
	e := Entry{Group: group, Title: pageTitle(page), URL: s.opts.BasePath + s.MapPath(strings.TrimSuffix(p, "index.html"))}
	s.mu.Lock()
	defer s.mu.Unlock()
	m := s.entries[unit]
	if m == nil {
		m = map[string]Entry{}
		s.entries[unit] = m
	}
	if old, ok := m[key]; ok && group == "Teams" && old.period > parts[4] {
		return
	}
	e.period = ""
	if group == "Teams" {
		e.period = parts[4]
	}
	m[key] = e
}

// pageTitle is the page's <title> without the site's name after it.
func pageTitle(page []byte) string {
	i := bytes.Index(page, []byte("<title>"))
	j := bytes.Index(page, []byte("</title>"))
	if i < 0 || j < i {
		return "Report"
	}
	t := html.UnescapeString(string(page[i+len("<title>") : j]))
	if k := strings.LastIndex(t, " · "); k > 0 {
		t = t[:k]
	}
	return t
}
