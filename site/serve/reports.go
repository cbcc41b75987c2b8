package serve

import (
	"strings"
	"sync"

	"github.com/coachbook/coachbook/site/build"
	"github.com/coachbook/coachbook/site/report"
)

// reportCacheBytes bounds the report pages kept after they were rendered
// for a request: the rest of an org's pages are rendered again when asked.
const reportCacheBytes = 32 << 20

// reportPages renders report pages when the browser asks for them, so the
// server's memory and start-up time do not grow with the org. A request
// asks the last build which task makes its file (working out no other
// page), renders that task, and keeps the files it made in a small cache,
// emptied by the next change.
type reportPages struct {
	mu    sync.Mutex
	gen   int // changes at each reset
	find  func(url string) (report.Task, bool)
	cache map[string][]byte
	order [][]string // the files of each rendering kept, oldest first
	size  int
}

// reset forgets every rendered page; find finds the task of a page of the
// new build (nil: no reports).
func (rp *reportPages) reset(find func(url string) (report.Task, bool)) {
	rp.mu.Lock()
	rp.gen++
	rp.find, rp.cache, rp.order, rp.size = find, map[string][]byte{}, nil, 0
	rp.mu.Unlock()
}

// pageURL is the address of the report page a file (index.html or
// metrics.json) belongs to.
func pageURL(name string) (string, bool) {
	dir, file := "", name
	if i := strings.LastIndexByte(name, '/'); i >= 0 {
		dir, file = name[:i+1], name[i+1:]
	}
	return "/" + dir, file == "index.html" || file == "metrics.json"
}

// get returns a report file, rendering the task that makes it with render
// when it is not cached.
func (rp *reportPages) get(name string, render func(report.Task) *build.MemSink) ([]byte, bool) {
	rp.mu.Lock()
	data, cached := rp.cache[name]
	find, gen := rp.find, rp.gen
	rp.mu.Unlock()
	if cached {
		return data, true
	}
	url, ok := pageURL(name)
	if find == nil || !ok {
		return nil, false
	}
	task, ok := find(url)
	if !ok {
		return nil, false
	}
	sink := render(task)
	if sink == nil {
		return nil, false
	}
	rp.mu.Lock()
	defer rp.mu.Unlock()
	if rp.gen == gen {
		var names []string
		for f, d := range sink.Files {
			if _, ok := rp.cache[f]; !ok {
				rp.cache[f] = d
				rp.size += len(d)
				names = append(names, f)
			}
		}
		rp.order = append(rp.order, names)
		for rp.size > reportCacheBytes && len(rp.order) > 1 {
			for _, f := range rp.order[0] {
				rp.size -= len(rp.cache[f])
				delete(rp.cache, f)
			}
			rp.order = rp.order[1:]
		}
	}
	data, ok = sink.Files[name]
	return data, ok
}
