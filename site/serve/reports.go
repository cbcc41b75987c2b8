package serve

import (
	"strings"
	"sync"

	"github.com/coachbook/coachbook/site/build"
	"github.com/coachbook/coachbook/site/internal/par"
	"github.com/coachbook/coachbook/site/report"
)

// reportCacheBytes bounds the report pages kept after they were rendered
// for a request: the rest of an org's pages are rendered again when asked.
const reportCacheBytes = 32 << 20

// reportPages renders report pages when the browser asks for them, so the
// server's memory does not grow with the org. After each build that
// changes them it finds, in the background, which task makes which file
// (running the tasks without rendering); a request renders the task of its
// file and keeps the result in a small cache, emptied by the next change.
type reportPages struct {
	mu    sync.Mutex
	gen   int            // changes at each reset
	tasks []report.Task  // of the last build that changed the reports
	index map[string]int // output file -> task, once ready is closed
	ready chan struct{}
	cache map[int]map[string][]byte
	order []int // cached tasks, oldest first
	size  int
}

// reset forgets every rendered page and indexes the new tasks.
func (rp *reportPages) reset(tasks []report.Task) {
	rp.mu.Lock()
	rp.gen++
	gen := rp.gen
	rp.tasks, rp.index, rp.cache, rp.order, rp.size = tasks, nil, map[int]map[string][]byte{}, nil, 0
	ready := make(chan struct{})
	rp.ready = ready
	rp.mu.Unlock()
	go func() {
		defer close(ready)
		files := make([][]string, len(tasks))
		par.Do(len(tasks), func(i int) {
			tasks[i](func(p report.Page) {
				files[i] = append(files[i], pageFiles(p)...)
			})
		})
		index := map[string]int{}
		for i, fs := range files {
			for _, f := range fs {
				index[f] = i
			}
		}
		rp.mu.Lock()
		if rp.gen == gen {
			rp.index = index
		}
		rp.mu.Unlock()
	}()
}

// pageFiles names the files of a report page, as render writes them.
func pageFiles(p report.Page) []string {
	dir := strings.TrimPrefix(p.URL, "/")
	if p.JSON == nil {
		return []string{dir + "index.html"}
	}
	return []string{dir + "index.html", dir + "metrics.json"}
}

// get returns a report file, rendering the task that makes it with render
// when it is not cached.
func (rp *reportPages) get(name string, render func(report.Task) *build.MemSink) ([]byte, bool) {
	rp.mu.Lock()
	ready, gen := rp.ready, rp.gen
	rp.mu.Unlock()
	if ready == nil {
		return nil, false
	}
	<-ready
	rp.mu.Lock()
	i, ok := rp.index[name]
	cached := rp.cache[i]
	var task report.Task
	if ok {
		task = rp.tasks[i]
	}
	rp.mu.Unlock()
	if !ok || gen != rp.generation() {
		return nil, false
	}
	if cached != nil {
		data, ok := cached[name]
		return data, ok
	}
	sink := render(task)
	if sink == nil {
		return nil, false
	}
	rp.mu.Lock()
	defer rp.mu.Unlock()
	if rp.gen == gen && rp.cache[i] == nil {
		for _, d := range sink.Files {
			rp.size += len(d)
		}
		rp.cache[i] = sink.Files
		rp.order = append(rp.order, i)
		for rp.size > reportCacheBytes && len(rp.order) > 1 {
			old := rp.order[0]
			for _, d := range rp.cache[old] {
				rp.size -= len(d)
			}
			delete(rp.cache, old)
			rp.order = rp.order[1:]
		}
	}
	data, ok := sink.Files[name]
	return data, ok
}

func (rp *reportPages) generation() int {
	rp.mu.Lock()
	defer rp.mu.Unlock()
	return rp.gen
}
