package data

import (
	"io"
	"runtime"
	"strings"
	"testing"
)

// Issue 23, case 10: a stray opening quote in a file of long lines costs
// memory in proportion to the file, not to its lines times their length
// (the reader used to glue each next line to all the ones before it).
func TestStrayQuoteLinear(t *testing.T) {
	const lines, width = 1200, 4 << 10
	var b strings.Builder
	b.WriteString("date,rep,note\n2026-11-16,jdoe,\"never closed\n")
	row := "2026-11-16,jdoe," + strings.Repeat("x", width) + "\n"
	for range lines {
		b.WriteString(row)
	}
	src := b.String()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	r := newRecordReader(strings.NewReader(src))
	rows, bad := 0, 0
	for {
		_, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			bad++
			continue
		}
		rows++
	}
	runtime.ReadMemStats(&after)
	if rows != lines+1 || bad != 1 {
		t.Errorf("%d rows and %d bad, want %d and 1", rows, bad, lines+1)
	}
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > uint64(12*len(src)) {
		t.Errorf("reading %d bytes allocated %d MB", len(src), alloc>>20)
	}
}
