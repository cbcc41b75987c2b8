package diag

import (
	"errors"
	"testing"

	"github.com/BurntSushi/toml"
)

func TestDiagnosticError(t *testing.T) {
	tests := []struct {
		d    Diagnostic
		want string
	}{
		{Diagnostic{File: "a.md", Line: 3, Col: 7, Msg: "bad"}, "a.md:3:7: bad"},
		{Diagnostic{File: "a.md", Line: 3, Msg: "bad"}, "a.md:3: bad"},
		{Diagnostic{File: "a.md", Msg: "bad"}, "a.md: bad"},
		{Diagnostic{File: "d.csv", Line: 9, Severity: Warning, Msg: "odd"}, "d.csv:9: warning: odd"},
	}
	for _, tt := range tests {
		if got := tt.d.Error(); got != tt.want {
			t.Errorf("got %q, want %q", got, tt.want)
		}
	}
}

func TestListErrAndSummary(t *testing.T) {
	var l List
	l.Warnf("b.md", 2, "w")
	if l.HasErrors() || l.Err() != nil {
		t.Fatal("a warning alone must not be an error")
	}
	l.Errorf("a.md", 5, "e%d", 1)
	l.Errorf("a.md", 1, "e%d", 2)
	l.Sort()
	if l[0].Msg != "e2" || l[2].File != "b.md" {
		t.Fatalf("sort order wrong: %v", l)
	}
	if got, want := l.Summary(), "2 errors, 1 warning"; got != want {
		t.Errorf("summary %q, want %q", got, want)
	}
	if err := l.Err(); err == nil || err.Error() != "a.md:1: e2\na.md:5: e1" {
		t.Errorf("Err() = %v", err)
	}
}

func TestFromTOML(t *testing.T) {
	var v struct{ Weight int }
	_, err := toml.Decode("title = \"x\"\nweight = \"ten\"\n", &v)
	if err == nil {
		t.Fatal("want a type error")
	}
	d := FromTOML("g.md", 1, err)
	if d.Line != 3 {
		t.Errorf("line %d, want 3 (line 2 of the front matter + 1)", d.Line)
	}
	_, err = toml.Decode("title = \"x\nweight = 3\n", &v)
	d = FromTOML("g.md", 1, err)
	if d.Line != 2 || d.Col == 0 {
		t.Errorf("syntax error at %d:%d, want line 2 with a column", d.Line, d.Col)
	}
	d = FromTOML("g.md", 0, errors.New("toml: something"))
	if d.Msg != "something" {
		t.Errorf("msg %q", d.Msg)
	}
}

func TestKeyLines(t *testing.T) {
	src := `title = "x"
cadence = "weekly"
desc = """
a = 1
"""
[[agenda]]
item = "a"
minutes = 5

[[agenda]]
item = "b"
  minutes = 10
[data.opportunities]
path = "x.csv"
[data.opportunities.columns]
"Opportunity Owner" = "rep"
rep.name = 'y'
`
	got := KeyLines(src)
	want := map[string]int{
		"title": 1, "cadence": 2, "desc": 3, "agenda": 6, "agenda.0": 6,
		"agenda.0.minutes": 8, "agenda.1.item": 11, "agenda.1.minutes": 12,
		"data.opportunities.path": 14, "data.opportunities.columns.Opportunity Owner": 16,
		"data.opportunities.columns.rep.name": 17,
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s: line %d, want %d", k, got[k], v)
		}
	}
	if _, ok := got["a"]; ok {
		t.Error("a key inside a multi-line string must not be recorded")
	}
}

func TestKeyLinesNestedTableInArray(t *testing.T) {
	src := "[[reps]]\nid = \"a\"\n[[reps]]\nid = \"b\"\n[reps.targets]\ncalls = 5\n"
	got := KeyLines(src)
	if got["reps.1.targets.calls"] != 6 || got["reps.1.id"] != 4 {
		t.Errorf("got %v", got)
	}
}

// Issue 23, case 15: a diagnostic never carries a control character from
// the input to the terminal.
func TestErrorEscapesControlCharacters(t *testing.T) {
	d := Diagnostic{File: "content/x\n0 1 ../a.md", Line: 2, Msg: "unknown key \"x\x1b]0;PWNED\a\u202e\""}
	want := `content/x\x0a0 1 ../a.md:2: unknown key "x\x1b]0;PWNED\x07\u202e"`
	if got := d.Error(); got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	if got := Printable("tab\tand é stay"); got != "tab\tand é stay" {
		t.Errorf("got %q", got)
	}
}
