package diag

import "strings"

// SourceLine is one line of an input file shown around a problem.
type SourceLine struct {
	Line int    // 1-based
	Text string // without its line end
	Bad  bool   // the line the problem is on
}

// SplitLines splits a file into its lines; "\r\n", "\n" and "\r" each end
// one, as the CSV reader counts them.
func SplitLines(src []byte) []string {
	if src == nil {
		return nil
	}
	return strings.Split(strings.ReplaceAll(strings.ReplaceAll(string(src), "\r\n", "\n"), "\r", "\n"), "\n")
}

// Around returns the lines around line (1-based) of a file split by
// SplitLines, context either side.
func Around(lines []string, line, context int) []SourceLine {
	var out []SourceLine
	for n := max(1, line-context); n <= min(len(lines), line+context); n++ {
		out = append(out, SourceLine{Line: n, Text: lines[n-1], Bad: n == line})
	}
	return out
}
