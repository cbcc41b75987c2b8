package goldentest

import (
	"strings"
	"testing"
)

// Two changes far apart are two stretches, each with three equal lines
// around it; the lines between are left out.
func TestDiffShowsEachStretchThatDiffers(t *testing.T) {
	want := "a\nb\nc\nd\ne\nf\ng\nh\ni\nj\nk\nl\nm"
	got := "a\nB\nc\nd\ne\nf\ng\nh\ni\nj\nk\nl\nm\nn"
	if diff := Diff(want, got); diff != "      1  a\n-     2  b\n+     2  B\n      3  c\n      4  d\n      5  e\n  ...\n     11  k\n     12  l\n     13  m\n+    14  n\n" {
		t.Errorf("got\n%s", diff)
	}
}

// A long line, like a page's sidebar on one line, is shown around the
// column where it changed, not whole.
func TestDiffCutsLongLinesAroundTheChange(t *testing.T) {
	long := strings.Repeat("<li>guide</li>", 100)
	got := Diff("<nav>"+long+"</nav>\n", "<nav>"+long[:700]+"<li>new</li>"+long[700:]+"</nav>\n")
	lines := strings.Split(got, "\n")[:2]
	if !strings.HasPrefix(lines[0], "-     1  …(from column 630) ") || !strings.Contains(lines[1], "<li>new</li>") {
		t.Fatalf("diff:\n%s", got)
	}
	for _, l := range lines {
		if len(l) > width+40 || !strings.HasSuffix(l, "…") {
			t.Errorf("line not cut to the change: %q", l)
		}
	}
}
