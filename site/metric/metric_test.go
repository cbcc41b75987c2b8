package metric

import "testing"

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
