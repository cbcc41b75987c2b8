// Package goldentest compares what a test made with a file under testdata
// (a golden file), and on a difference prints where the two part, so a
// failing golden test says what changed without a second run.
package goldentest

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Check compares got with the golden file, or, when update is set (a
// test's -update flag), writes got there. A difference fails the test
// with a Diff of the two.
func Check(t testing.TB, file string, got []byte, update bool) {
	t.Helper()
	if update {
		if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(file, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(file)
	if err != nil {
		t.Fatalf("%v (go test -run '^%s$' -update writes it)", err, t.Name())
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from what the test made (- the file, + now); once the change is right, go test -run '^%s$' -update rewrites it:\n%s",
			file, t.Name(), Diff(string(want), string(got)))
	}
}

// width is how much of a long line Diff shows: the part around the
// first column that differs.
const width = 160

// Diff shows how got differs from want, line by line, as a unified diff
// does: each stretch that differs, numbered, with up to three equal lines
// around it, at most 60 lines in all. A changed line longer than width is
// cut to the part around the first column where it changed.
func Diff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	ops := lineOps(w, g)
	// col[k] is where the line of ops[k] differs from its partner: a
	// removed line's partner is the added line at the same place in the
	// run of added lines that follows (and the other way round).
	col := make([]int, len(ops))
	for k := 0; k < len(ops); {
		if ops[k].kind != '-' {
			k++
			continue
		}
		del := k
		for k < len(ops) && ops[k].kind == '-' {
			k++
		}
		add := k
		for k < len(ops) && ops[k].kind == '+' {
			k++
		}
		for d := 0; d < add-del && add+d < k; d++ {
			a, b := w[ops[del+d].i], g[ops[add+d].j]
			c := 0
			for c < len(a) && c < len(b) && a[c] == b[c] {
				c++
			}
			col[del+d], col[add+d] = c, c
		}
	}
	var sb strings.Builder
	shown, last := 0, -1
	for k, op := range ops {
		near := false
		for d := max(0, k-3); d <= min(len(ops)-1, k+3); d++ {
			near = near || ops[d].kind != ' '
		}
		if !near {
			continue
		}
		if shown == 60 {
			sb.WriteString("…\n")
			break
		}
		if last >= 0 && k > last+1 {
			sb.WriteString("  ...\n")
		}
		line, n := "", 0
		switch op.kind {
		case '+':
			line, n = g[op.j], op.j
		default:
			line, n = w[op.i], op.i
		}
		fmt.Fprintf(&sb, "%c %5d  %s\n", op.kind, n+1, cut(line, col[k]))
		shown, last = shown+1, k
	}
	return sb.String()
}

// lineOp is one step from want to got: an equal line (' '), a line of
// want only ('-') or of got only ('+'); i and j index want and got.
type lineOp struct {
	kind rune
	i, j int
}

// lineOps lists the steps from w to g along a longest common subsequence
// of their lines. The common start and end are taken as they are; when
// the rest is too big to compare line by line (a table of more than
// 4 million cells), it is shown as all removed, then all added.
func lineOps(w, g []string) []lineOp {
	var ops []lineOp
	s := 0
	for s < len(w) && s < len(g) && w[s] == g[s] {
		ops = append(ops, lineOp{' ', s, s})
		s++
	}
	ew, eg := len(w), len(g)
	for ew > s && eg > s && w[ew-1] == g[eg-1] {
		ew, eg = ew-1, eg-1
	}
	n, m := ew-s, eg-s
	if n*m <= 4<<20 {
		// lcs[a][b] is the length of a longest common subsequence of
		// w[s+a:ew] and g[s+b:eg].
		lcs := make([][]int32, n+1)
		for a := range lcs {
			lcs[a] = make([]int32, m+1)
		}
		for a := n - 1; a >= 0; a-- {
			for b := m - 1; b >= 0; b-- {
				if w[s+a] == g[s+b] {
					lcs[a][b] = lcs[a+1][b+1] + 1
				} else {
					lcs[a][b] = max(lcs[a+1][b], lcs[a][b+1])
				}
			}
		}
		a, b := 0, 0
		for a < n || b < m {
			switch {
			case a < n && b < m && w[s+a] == g[s+b]:
				ops = append(ops, lineOp{' ', s + a, s + b})
				a, b = a+1, b+1
			case b == m || a < n && lcs[a+1][b] >= lcs[a][b+1]:
				ops = append(ops, lineOp{'-', s + a, s + b})
				a++
			default:
				ops = append(ops, lineOp{'+', s + a, s + b})
				b++
			}
		}
	} else {
		for a := s; a < ew; a++ {
			ops = append(ops, lineOp{'-', a, s})
		}
		for b := s; b < eg; b++ {
			ops = append(ops, lineOp{'+', ew, b})
		}
	}
	for k := 0; ew+k < len(w); k++ {
		ops = append(ops, lineOp{' ', ew + k, eg + k})
	}
	return ops
}

// cut returns line, or, when it is longer than width, the part of it
// around column col, with … where it was cut.
func cut(line string, col int) string {
	if len(line) <= width {
		return line
	}
	from := max(0, min(col-width/2, len(line)-width))
	to := min(len(line), from+width)
	// Whole UTF-8 characters only.
	for from > 0 && from < len(line) && line[from]&0xC0 == 0x80 {
		from--
	}
	for to < len(line) && line[to]&0xC0 == 0x80 {
		to++
	}
	out := line[from:to]
	if from > 0 {
		out = fmt.Sprintf("…(from column %d) %s", from+1, out)
	}
	if to < len(line) {
		out += "…"
	}
	return out
}
