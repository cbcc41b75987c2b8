package serve

import (
	"fmt"
	"net/http"
	"sync"
	"time"
)

// hub fans build events out to the pages listening on the event stream.
// Each page says which it is (its path, in the stream's "page" query), so a
// rebuild can render the open pages before the others.
type hub struct {
	mu      sync.Mutex
	clients map[chan string]string // the page's URL path
}

// pages lists the URL paths of the pages listening.
func (h *hub) pages() []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	out := make([]string, 0, len(h.clients))
	for _, p := range h.clients {
		if p != "" {
			out = append(out, p)
		}
	}
	return out
}

func (h *hub) send(event string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for c := range h.clients {
		select {
		case c <- event:
		default: // a client that is not reading misses nothing important: the next event reloads it
		}
	}
}

func (h *hub) closeAll() {
	h.mu.Lock()
	defer h.mu.Unlock()
	for c := range h.clients {
		close(c)
		delete(h.clients, c)
	}
}

// serve streams events to one page until it goes away.
func (h *hub) serve(w http.ResponseWriter, r *http.Request) {
	flusher, ok := w.(http.Flusher)
	if !ok {
		http.Error(w, "streaming unsupported", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Connection", "keep-alive")
	c := make(chan string, 4)
	h.mu.Lock()
	h.clients[c] = r.URL.Query().Get("page")
	h.mu.Unlock()
	defer func() {
		h.mu.Lock()
		delete(h.clients, c)
		h.mu.Unlock()
	}()
	fmt.Fprint(w, "retry: 500\n: connected\n\n")
	flusher.Flush()
	ping := time.NewTicker(20 * time.Second)
	defer ping.Stop()
	for {
		select {
		case <-r.Context().Done():
			return
		case ev, ok := <-c:
			if !ok {
				return
			}
			fmt.Fprintf(w, "event: %s\ndata: %d\n\n", ev, time.Now().UnixMilli())
			flusher.Flush()
		case <-ping.C:
			fmt.Fprint(w, ": ping\n\n")
			flusher.Flush()
		}
	}
}

// reloadJS is the script the dev server adds to every page.
const reloadJS = `(function () {
  "use strict";
  var key = "coachbook-scroll:" + location.pathname;
  try {
    var saved = sessionStorage.getItem(key);
    if (saved !== null) {
      sessionStorage.removeItem(key);
      var y = +saved;
      var restore = function () { window.scrollTo(0, y); };
      if (document.readyState === "complete") restore(); else addEventListener("load", restore);
    }
  } catch (e) {}
  var es = new EventSource("` + Prefix + `events?page=" + encodeURIComponent(location.pathname));
  es.addEventListener("reload", function () {
    try { sessionStorage.setItem(key, String(window.scrollY)); } catch (e) {}
    location.reload();
  });
  es.addEventListener("css", function () {
    document.querySelectorAll('link[rel="stylesheet"]').forEach(function (link) {
      var url = new URL(link.href);
      url.searchParams.set("dev", Date.now());
      var next = link.cloneNode();
      next.href = url.toString();
      next.onload = function () { link.remove(); };
      link.after(next);
    });
  });
  // After the server restarts, the stream reconnects; reload to pick up the new build.
  var opened = false;
  es.addEventListener("open", function () { if (opened) location.reload(); opened = true; });
})();
`
