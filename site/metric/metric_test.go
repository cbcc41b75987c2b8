package metric

import (
	"strings"
	"testing"
	"unsafe"
)

func TestLookup(t *testing.T) {
	for id, ok := range map[string]bool{
		"activity.meetings_set": true, "activity.calls": true, "win_rate": true,
		"pipeline.coverage": true, "forecast.accuracy": true,
		"activity.": false, "activity.Meetings Set": false, "winrate": false, "": false,
	} {
		if _, got := Lookup(id); got != ok {
			t.Errorf("Lookup(%q) = %v, want %v", id, got, ok)
		}
	}
	d, _ := Lookup("activity.meetings_set")
	if d.Name != "Meetings set" || !d.JudgedIn("week") {
		t.Errorf("%+v", d)
	}
	for _, d := range Named() {
		if d.Name == "" || d.Formula == "" || len(d.Cadences) == 0 {
			t.Errorf("%s is not fully documented", d.ID)
		}
	}
}

// An activity metric's definition is made once: every value and
// commitment on it shares the one text of its formula.
func TestLookupSharesActivityDefinitions(t *testing.T) {
	a, ok1 := Lookup("activity.calls")
	b, ok2 := Lookup("activity.calls")
	if !ok1 || !ok2 || a.Name != "Calls" || !strings.Contains(a.Formula, `type "calls"`) {
		t.Fatalf("activity.calls: %+v %v %v", a, ok1, ok2)
	}
	if unsafe.StringData(a.Formula) != unsafe.StringData(b.Formula) {
		t.Error("two lookups of activity.calls made two copies of its formula")
	}
	if _, ok := Lookup("activity.Bad-Type"); ok {
		t.Error("an activity type that is not a word was accepted")
	}
}

// All yields the catalog as Named lists it, in order, and stops when asked.
func TestAllIsNamed(t *testing.T) {
	var ids []string
	for d := range All() {
		ids = append(ids, d.ID)
	}
	if got, want := strings.Join(ids, " "), strings.Join(IDs(), " "); got != want {
		t.Errorf("All yields %s\nNamed lists %s", got, want)
	}
	n := 0
	for range All() {
		n++
		break
	}
	if n != 1 {
		t.Errorf("a loop that stops after one metric ran %d times", n)
	}
}
