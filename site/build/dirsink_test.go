package build

import (
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
)

// TestDirSinkWritesNewFiles writes many files from several goroutines into
// folders made on the way, and over a hard link to a file outside the
// sink, which must be replaced, never written through.
func TestDirSinkWritesNewFiles(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	outside := filepath.Join(t.TempDir(), "old.html")
	if err := os.WriteFile(outside, []byte("previous build"), 0o644); err != nil {
		t.Fatal(err)
	}
	d := &DirSink{Root: root}
	if err := os.MkdirAll(filepath.Join(root, "a", "b"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Link(outside, filepath.Join(root, "a", "b", "index.html")); err != nil {
		t.Skip("no hard links here:", err)
	}
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Go(func() {
			for i := range 50 {
				p := fmt.Sprintf("reports/reps/r%d/week/w%d/index.html", i%7, g*50+i)
				if err := d.Write(p, []byte(p)); err != nil {
					t.Error(err)
				}
			}
		})
	}
	wg.Wait()
	if err := d.Write("a/b/index.html", []byte("new build")); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(outside); string(b) != "previous build" {
		t.Errorf("the linked file of the previous build was written through: %q", b)
	}
	if b, _ := os.ReadFile(filepath.Join(root, "a", "b", "index.html")); string(b) != "new build" {
		t.Errorf("a/b/index.html = %q, want the new build's", b)
	}
	big := make([]byte, 3<<20)
	for i := range big {
		big[i] = byte(i)
	}
	if err := d.Write("big/file.bin", big); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(filepath.Join(root, "big", "file.bin")); len(b) != len(big) || b[len(b)-1] != big[len(big)-1] {
		t.Errorf("big/file.bin holds %d bytes, want %d", len(b), len(big))
	}
	sizes := d.Sizes()
	if len(sizes) != 202 {
		t.Errorf("Sizes lists %d files, want 202", len(sizes))
	}
	for p, n := range sizes {
		st, err := os.Stat(filepath.Join(root, filepath.FromSlash(p)))
		if err != nil {
			t.Error(err)
		} else if st.Size() != n || st.Mode().Perm()&^0o022 != 0o644&^0o022 {
			t.Errorf("%s: %d bytes, mode %v; Sizes says %d bytes, want mode 0644 (less the umask)", p, st.Size(), st.Mode().Perm(), n)
		}
	}
	if err := d.Write("../escape", nil); err == nil {
		t.Error("a path out of the sink was written")
	}
}
