package seal

import (
	"bytes"
	"errors"
	"io/fs"
	"strings"
	"testing"
	"testing/fstest"
)

func TestSealOpenRoundTrip(t *testing.T) {
	secret, public, err := NewKey()
	if err != nil {
		t.Fatal(err)
	}
	plain := []byte("id,rep,account,amount\nO-1,jdoe,Globex,45000\n")
	sealed, err := Seal(plain, []string{public})
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(sealed, []byte("Globex")) || bytes.Contains(sealed, []byte("jdoe")) {
		t.Fatal("the sealed file shows its content")
	}
	got, err := Open(sealed, secret)
	if err != nil || !bytes.Equal(got, plain) {
		t.Fatalf("Open = %q, %v", got, err)
	}
	other, _, _ := NewKey()
	if _, err := Open(sealed, other); err == nil || !strings.Contains(err.Error(), "sealed to another key") {
		t.Errorf("another key: %v", err)
	}
	if pub, _ := PublicKey(secret); len(pub) != 1 || pub[0] != public {
		t.Errorf("PublicKey = %v, want %s", pub, public)
	}
}

// TestFS reads the sealed data files under their own names, lists them
// once, and prefers the file in the clear.
func TestFS(t *testing.T) {
	secret, public, _ := NewKey()
	archive := Pack(map[string][]byte{
		"data/team.toml":       []byte("[[reps]]\nid = \"jdoe\"\n"),
		"data/plans/jdoe.toml": []byte("quarter = \"2026-Q4\"\n"),
		"data/activities.csv":  []byte("older sealed copy\n"),
	})
	sealed, err := Seal(archive, []string{public})
	if err != nil {
		t.Fatal(err)
	}
	site := fstest.MapFS{
		"coachbook.toml":         {Data: []byte("title = 'x'\n")},
		File:                     {Data: sealed},
		"data/plans/asmith.toml": {Data: []byte("clear plan\n")},
		"data/activities.csv":    {Data: []byte("working copy\n")},
	}
	if _, err := ReadSealed(site, "", "COACHBOOK_DATA_KEY"); err == nil || !strings.Contains(err.Error(), "the rep data is sealed in data.age and no data key; set COACHBOOK_DATA_KEY") {
		t.Errorf("without the key: %v", err)
	}
	other, _, _ := NewKey()
	if _, err := ReadSealed(site, other, "K"); err == nil || !strings.Contains(err.Error(), "sealed to another key") {
		t.Errorf("another key: %v", err)
	}
	if files, err := ReadSealed(fstest.MapFS{}, "", "K"); files != nil || err != nil {
		t.Errorf("no data.age: %v, %v", files, err)
	}
	files, err := ReadSealed(site, secret, "K")
	if err != nil {
		t.Fatal(err)
	}
	u := FS(site, files)
	for name, want := range map[string]string{
		"data/team.toml":       "[[reps]]\nid = \"jdoe\"\n",
		"data/plans/jdoe.toml": "quarter = \"2026-Q4\"\n",
		"data/activities.csv":  "working copy\n",
		"coachbook.toml":       "title = 'x'\n",
	} {
		got, err := fs.ReadFile(u, name)
		if err != nil || string(got) != want {
			t.Errorf("%s = %q, %v; want %q", name, got, err, want)
		}
	}
	if _, err := fs.ReadFile(u, "data/forecasts.csv"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("an absent file: %v", err)
	}
	plans, err := fs.Glob(u, "data/plans/*.toml")
	if err != nil || strings.Join(plans, " ") != "data/plans/asmith.toml data/plans/jdoe.toml" {
		t.Errorf("plans = %v, %v", plans, err)
	}
	es, _ := fs.ReadDir(u, "data")
	var names []string
	for _, e := range es {
		names = append(names, e.Name())
	}
	if got := strings.Join(names, " "); got != "activities.csv plans team.toml" {
		t.Errorf("data/ lists %s", got)
	}
	if info, err := fs.Stat(u, "data/team.toml"); err != nil || info.Size() != int64(len("[[reps]]\nid = \"jdoe\"\n")) {
		t.Errorf("Stat = %v, %v", info, err)
	}
	// Only the sealed files: data/ itself comes from the archive.
	only := FS(fstest.MapFS{}, files)
	if info, err := fs.Stat(only, "data/plans"); err != nil || !info.IsDir() {
		t.Errorf("data/plans = %v, %v", info, err)
	}
	if got, _ := fs.Glob(only, "data/plans/*.toml"); len(got) != 1 {
		t.Errorf("plans = %v", got)
	}
}

func TestPackIsStableAndChecked(t *testing.T) {
	files := map[string][]byte{"data/b.csv": []byte("b"), "data/a/x.toml": []byte("x")}
	if !bytes.Equal(Pack(files), Pack(map[string][]byte{"data/a/x.toml": []byte("x"), "data/b.csv": []byte("b")})) {
		t.Error("the same files pack differently")
	}
	got, err := Unpack(Pack(files))
	if err != nil || len(got) != 2 || string(got["data/a/x.toml"]) != "x" {
		t.Errorf("Unpack = %v, %v", got, err)
	}
	for _, bad := range []string{"../etc/passwd", "content/x.md", "data/../../x"} {
		if _, err := Unpack(Pack(map[string][]byte{bad: []byte("x")})); err == nil {
			t.Errorf("%s was unpacked", bad)
		}
	}
}

func TestReadClear(t *testing.T) {
	site := fstest.MapFS{
		"data/team.toml":        {Data: []byte("x")},
		"data/plans/a.toml":     {Data: []byte("y")},
		"data/.DS_Store":        {Data: []byte("x")},
		"data/.cache/notes.txt": {Data: []byte("x")},
		"content/x.md":          {Data: []byte("x")},
	}
	got, err := ReadClear(site)
	if err != nil || len(got) != 2 || got["data/plans/a.toml"] == nil {
		t.Errorf("ReadClear = %v, %v", got, err)
	}
	if got, err := ReadClear(fstest.MapFS{}); err != nil || len(got) != 0 {
		t.Errorf("no data/: %v, %v", got, err)
	}
}
