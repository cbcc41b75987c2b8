package serve

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
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

// benchEdit measures the time from writing a guide to the reload event.
func benchEdit(b *testing.B, files map[string]string, guideFile string) {
	dir, base := startServer(b, files)
	ch := events(b, base)
	path := filepath.Join(dir, guideFile)
	orig, err := os.ReadFile(path)
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		writeFile(b, path, string(orig)+fmt.Sprintf("\nEdit %d.\n", i))
		waitEvent(b, ch, "reload")
	}
	b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/edit")
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
	benchEdit(b, files, "content/weekly/activity-meeting.md")
}

func BenchmarkEditToReload5000Guides(b *testing.B) {
	files := map[string]string{}
	para := strings.Repeat("The rep sets meetings and moves deals forward with a clear next step. ", 6)
	for i := range 5000 {
		files[fmt.Sprintf("content/s%d/g%d.md", i/100, i)] = fmt.Sprintf("+++\ntitle = \"Guide %d\"\ncadence = \"weekly\"\nduration = \"30m\"\n[[agenda]]\nitem = \"All\"\nminutes = 30\n+++\n## Calls\n\n%s\n\n## Meetings\n\n%s\n", i, para, para)
	}
	benchEdit(b, files, "content/s7/g777.md")
}
