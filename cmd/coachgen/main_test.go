package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/coachbook/coachbook/site/orggen"
)

// TestExampleDataIsGenerated regenerates the example data and compares it
// with the committed files, so data/ never drifts from its generator (and
// the generator stays deterministic).
func TestExampleDataIsGenerated(t *testing.T) {
	dir := t.TempDir()
	end := time.Date(2026, 11, 19, 0, 0, 0, 0, time.UTC)
	if err := orggen.Generate(dir, 10, 15, end, 1); err != nil {
		t.Fatal(err)
	}
	n := 0
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		want, err := os.ReadFile(filepath.Join("../../data", rel))
		if err != nil {
			t.Errorf("data/%s: %v", rel, err)
			return nil
		}
		got, _ := os.ReadFile(p)
		if !bytes.Equal(got, want) {
			t.Errorf("data/%s differs from the generator's output; run go run ./cmd/coachgen", rel)
		}
		n++
		return nil
	})
	if err != nil || n < 15 {
		t.Fatalf("%d files compared, %v", n, err)
	}
}
