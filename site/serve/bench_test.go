package serve

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/coachbook/coachbook/site/build"
)

// copyTree copies the example site's inputs into dir.
func copyTree(b *testing.B, from, to string) {
	b.Helper()
	err := filepath.WalkDir(from, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(from, p)
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		dst := filepath.Join(to, rel)
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return err
		}
		return os.WriteFile(dst, data, 0o644)
	})
	if err != nil {
		b.Fatal(err)
	}
}

// benchEdit measures the time from writing a guide to the reload event
// and to its page showing the edit.
func benchEdit(b *testing.B, files map[string]string, guideFile, page string) {
	b.Helper()
	benchEdits(b, files, editKind{
		edit: func(dir string, i int) string {
			writeFile(b, filepath.Join(dir, guideFile), files[guideFile]+fmt.Sprintf("\nEdit %d.\n", i))
			return "reload"
		},
		shows: func(i int) (string, func(string) bool) { return page, has(fmt.Sprintf("Edit %d.", i)) },
	})
}

// openPage is the page the author has open in a browser while editing.
const openPage = "s7/g777/"

// benchEdits serves the site with a browser on openPage, then times each
// edit k.edit(i) until the event it expects arrives (the watcher's
// debounce, the rebuild and the swap: reload-ms) and until a request for
// the page that shows the edit returns it (shows-ms: what the author
// sees, a reload and the request that follows it), as medians. Edits are
// 1.5 s apart.
func benchEdits(b *testing.B, files map[string]string, k editKind) {
	b.Helper()
	dir, base := startServer(b, files)
	ch := eventsOf(b, base, "/"+openPage)
	time.Sleep(2 * time.Second) // the server settles after its first build, as before an author's first save
	cpu := cpuTime()
	var reload, shows []time.Duration
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		start := time.Now()
		waitEvent(b, ch, k.edit(dir, i))
		reload = append(reload, time.Since(start))
		if k.shows != nil {
			page, done := k.shows(i)
			poll(b, base+page, done)
		}
		shows = append(shows, time.Since(start))
		// An author does not save again at once: let the server finish
		// (the pages a layout edit left for later, the memory handed
		// back after a second without a build), so the CPU per edit
		// counts that work too.
		time.Sleep(1500 * time.Millisecond)
	}
	// Medians: one edit that waited for another program says little.
	b.ReportMetric(median(reload), "reload-ms")
	b.ReportMetric(median(shows), "shows-ms")
	// The CPU time the process spent per edit, on all cores: on a shared
	// machine the wall time also counts other programs' turns.
	b.ReportMetric(float64((cpuTime()-cpu).Milliseconds())/float64(b.N), "cpu-ms/edit")
}

// median returns the median of ds in milliseconds.
func median(ds []time.Duration) float64 {
	slices.Sort(ds)
	return float64(ds[len(ds)/2].Microseconds()) / 1000
}

// poll requests url every 10 ms until done accepts its body.
func poll(b *testing.B, url string, done func(body string) bool) {
	b.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		if _, body := get(b, url); done(body) {
			return
		}
		if time.Now().After(deadline) {
			b.Fatalf("%s does not show the edit within 10s", url)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// has and lacks make the tests of poll.
func has(s string) func(string) bool {
	return func(body string) bool { return strings.Contains(body, s) }
}
func lacks(s string) func(string) bool {
	return func(body string) bool { return !strings.Contains(body, s) }
}

func BenchmarkEditToReloadExample(b *testing.B) {
	files := map[string]string{}
	tmp := b.TempDir()
	for _, sub := range []string{"content"} {
		copyTree(b, filepath.Join("../..", sub), filepath.Join(tmp, sub))
	}
	filepath.WalkDir(tmp, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			data, _ := os.ReadFile(p)
			rel, _ := filepath.Rel(tmp, p)
			files[filepath.ToSlash(rel)] = string(data)
		}
		return err
	})
	benchEdit(b, files, "content/weekly/activity-meeting.md", "weekly/activity-meeting/")
}

// bigGuide is guide i of a generated playbook: front matter, an agenda, a
// coached section, about 600 words and most a link to the previous guide.
func bigGuide(i int, title string, weight int) string {
	para := strings.Repeat("The rep sets meetings, holds them, and moves deals forward with a clear next step agreed. ", 11)
	var b strings.Builder
	fmt.Fprintf(&b, "+++\ntitle = %q\ncadence = \"weekly\"\nduration = \"30m\"\nweight = %d\nprepare = [\"Open the report\"]\n", title, weight)
	b.WriteString("[[agenda]]\nitem = \"Numbers\"\nminutes = 10\n[[agenda]]\nitem = \"Plan\"\nminutes = 20\n")
	b.WriteString("[[coaches]]\nmetric = \"activity.calls\"\nsection = \"calls\"\n+++\n")
	fmt.Fprintf(&b, "## Calls\n\n%s\n\n- How many calls?\n- Which worked?\n\n## Meetings\n\n%s\n\n## Next steps\n\n%s\n\n", para, para, para)
	if i%10 != 0 { // guides 9, 19, 29… have no link to them, so they can be deleted
		fmt.Fprintf(&b, "See [the previous guide](/s%d/g%d.md#meetings).\n", (i-1)/100, i-1)
	}
	return b.String()
}

// bigPlaybook is a generated playbook of n guides in sections of 100, with
// the default theme's stylesheet and guide layout copied into the site so
// that edits to them can be timed.
func bigPlaybook(b *testing.B, n int) map[string]string {
	files := map[string]string{"coachbook.toml": "title = \"Bench\"\n"}
	for i := range n {
		files[bigFile(i)] = bigGuide(i, fmt.Sprintf("Guide %d", i), i%100+1)
		if i%100 == 0 {
			files[fmt.Sprintf("content/s%d/_index.md", i/100)] = fmt.Sprintf("+++\ntitle = \"Section %d\"\nweight = %d\n+++\nIntro.\n", i/100, i/100+1)
		}
	}
	for _, f := range []string{"static/css/style.css", "layouts/guide.html"} {
		data, err := os.ReadFile(filepath.Join("../../themes/default", f))
		if err != nil {
			b.Fatal(err)
		}
		files["themes/default/"+f] = string(data)
	}
	return files
}

func bigFile(i int) string { return fmt.Sprintf("content/s%d/g%d.md", i/100, i) }

func BenchmarkEditToReload5000Guides(b *testing.B) {
	benchEdit(b, bigPlaybook(b, 5000), bigFile(777), openPage)
}

// editKind is one kind of edit an author makes: edit changes the site's
// files for the i-th time and returns the event the browser gets; shows
// names a page that shows edit i, and tells whether a body of it does.
type editKind struct {
	name  string
	edit  func(dir string, i int) string
	shows func(i int) (page string, done func(body string) bool)
}

// editKinds are the edits timed on a generated playbook made by bigPlaybook.
func editKinds(b *testing.B, files map[string]string) []editKind {
	write := func(dir, name, body string) { writeFile(b, filepath.Join(dir, name), body) }
	deleted := func(i int) int { return 1009 + 10*(i%300) } // no guide links to it
	const layout = "themes/default/layouts/guide.html"
	return []editKind{
		{"body", func(dir string, i int) string {
			write(dir, bigFile(777), files[bigFile(777)]+fmt.Sprintf("\nEdit %d.\n", i))
			return "reload"
		}, func(i int) (string, func(string) bool) { return openPage, has(fmt.Sprintf("Edit %d.", i)) }},
		{"title", func(dir string, i int) string {
			write(dir, bigFile(777), bigGuide(777, fmt.Sprintf("Guide 777, take %d", i), 78))
			return "reload"
		}, func(i int) (string, func(string) bool) { return "s7/g778/", has(fmt.Sprintf("Guide 777, take %d", i)) }},
		{"weight", func(dir string, i int) string {
			write(dir, bigFile(777), bigGuide(777, "Guide 777", 78+(i%2)*50))
			return "reload"
		}, func(i int) (string, func(string) bool) {
			// Weight 128 makes it the section's last guide, after g799.
			next := `class="next" href="/s7/g777/"`
			if i%2 == 1 {
				return "s7/g799/", has(next)
			}
			return "s7/g799/", lacks(next)
		}},
		{"new", func(dir string, i int) string {
			write(dir, fmt.Sprintf("content/s7/new%d.md", i), bigGuide(0, fmt.Sprintf("New guide %d", i), 50))
			return "reload"
		}, func(i int) (string, func(string) bool) { return "s7/", has(fmt.Sprintf("New guide %d", i)) }},
		{"rename", func(dir string, i int) string {
			from, to := "g779.md", "g779-renamed.md" // no guide links to it
			if i%2 == 1 {
				from, to = to, from
			}
			if err := os.Rename(filepath.Join(dir, "content/s7", from), filepath.Join(dir, "content/s7", to)); err != nil {
				b.Fatal(err)
			}
			return "reload"
		}, func(i int) (string, func(string) bool) {
			if i%2 == 1 {
				return "s7/g780/", has(`class="prev" href="/s7/g779/"`)
			}
			return "s7/g780/", has(`class="prev" href="/s7/g779-renamed/"`)
		}},
		{"delete", func(dir string, i int) string {
			if err := os.Remove(filepath.Join(dir, bigFile(deleted(i)))); err != nil {
				b.Fatal(err)
			}
			return "reload"
		}, func(i int) (string, func(string) bool) {
			n := deleted(i)
			return fmt.Sprintf("s%d/", n/100), lacks(fmt.Sprintf(`href="/s%d/g%d/"`, n/100, n))
		}},
		{"stylesheet", func(dir string, i int) string {
			write(dir, "themes/default/static/css/style.css", files["themes/default/static/css/style.css"]+fmt.Sprintf("\n/* %d */\n", i))
			return "css"
		}, func(i int) (string, func(string) bool) { return "css/style.css", has(fmt.Sprintf("/* %d */", i)) }},
		{"template", func(dir string, i int) string {
			write(dir, layout, strings.Replace(files[layout], `{{define "main"}}`, fmt.Sprintf(`{{define "main"}}<i class="edit-%d"></i>`, i), 1))
			return "reload"
		}, func(i int) (string, func(string) bool) { return openPage, has(fmt.Sprintf(`class="edit-%d"`, i)) }},
	}
}

// BenchmarkServeEdit5000Guides times every kind of edit an author makes to a
// 5,000-guide playbook, from the file's write to the browser's reload (or
// stylesheet swap) event.
func BenchmarkServeEdit5000Guides(b *testing.B) {
	files := bigPlaybook(b, 5000)
	for _, k := range editKinds(b, files) {
		b.Run(k.name, func(b *testing.B) { benchEdits(b, files, k) })
	}
}

// BenchmarkServeMemory5000Guides serves a 5,000-guide playbook, makes 100
// edits of every kind, and reports the process's resident memory after the
// first build and after the edits (a goal: within 10%).
func BenchmarkServeMemory5000Guides(b *testing.B) {
	const edits = 100
	files := bigPlaybook(b, 5000)
	for b.Loop() {
		dir, base := startServer(b, files)
		ch := events(b, base)
		first := restingRSS(b)
		for _, k := range editKinds(b, files) {
			for i := range edits {
				waitEvent(b, ch, k.edit(dir, i))
			}
			b.Logf("after 100 %s edits: %.0f MiB", k.name, restingRSS(b))
		}
		after := restingRSS(b)
		b.ReportMetric(first, "first-MiB")
		b.ReportMetric(after, "after-MiB")
		b.ReportMetric(after/first, "after/first")
	}
}

// restingRSS is the resident memory once the server has had two seconds
// without an edit, the same wait after the first build as after the last
// edit: the server hands memory back to the system after a build.
func restingRSS(b *testing.B) float64 {
	time.Sleep(2 * time.Second)
	return rss(b)
}

// rss is the process's resident memory in MiB, from /proc.
func rss(b *testing.B) float64 {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		b.Skip("no /proc: resident memory is measured on Linux")
	}
	for _, line := range strings.Split(string(data), "\n") {
		if v, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			var kb float64
			fmt.Sscanf(strings.TrimSpace(v), "%f", &kb)
			return kb / 1024
		}
	}
	b.Fatal("no VmRSS in /proc/self/status")
	return 0
}

// BenchmarkServeEditBody20000Guides times a body edit of one guide of a
// 20,000-guide playbook, from the file's write to the reload event.
func BenchmarkServeEditBody20000Guides(b *testing.B) {
	files := bigPlaybook(b, 20000)
	benchEdits(b, files, editKinds(b, files)[0])
}

// BenchmarkRebuildBody20000Guides is the rebuild of a body edit of a
// 20,000-guide playbook alone, in this goroutine, without the watcher's
// debounce or the event stream, with the edited guide open in a browser:
// reload-cpu-ms is the CPU time up to the reload, cpu-ms/edit adds the
// files rendered after it (the search index).
func BenchmarkRebuildBody20000Guides(b *testing.B) {
	files := bigPlaybook(b, 20000)
	dir := b.TempDir()
	for name, body := range files {
		writeFile(b, filepath.Join(dir, name), body)
	}
	s := serverFor(b, dir)
	s.hub.clients[make(chan string, 4)] = "/" + openPage
	name := bigFile(777)
	var reload time.Duration
	cpu := cpuTime()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		writeFile(b, filepath.Join(dir, name), files[name]+fmt.Sprintf("\nEdit %d.\n", i))
		start := cpuTime()
		s.rebuild(build.ChangeContent, []string{name}, nil)
		reload += cpuTime() - start
		s.rest.Store(false)
		s.renderRest()
		s.rest.Store(true)
	}
	if s.failed {
		b.Fatal(s.diags)
	}
	b.ReportMetric(float64(reload.Microseconds())/1000/float64(b.N), "reload-cpu-ms")
	b.ReportMetric(float64((cpuTime()-cpu).Microseconds())/1000/float64(b.N), "cpu-ms/edit")
}
