package serve

import (
	"path/filepath"
	"testing"

	"github.com/coachbook/coachbook/site/build"
)

// TestClassifySealedData: an edit of the sealed data (data.age) reloads
// the data, as an edit under data/ does.
func TestClassifySealedData(t *testing.T) {
	w := &watcher{dir: "/site"}
	for p, want := range map[string]build.Change{
		"data.age":           build.ChangeData,
		"data/team.toml":     build.ChangeData,
		"coachbook.toml":     build.ChangeConfig,
		"content/a.md":       build.ChangeContent,
		"notes/data.age.txt": 0,
		"other.age":          0,
	} {
		if got, _ := w.classify(filepath.Join("/site", p)); got != want {
			t.Errorf("%s: %v, want %v", p, got, want)
		}
	}
}
