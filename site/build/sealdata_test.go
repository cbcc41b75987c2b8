package build

import (
	"bytes"
	"io/fs"
	"os"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/coachbook/coachbook/site/config"
	"github.com/coachbook/coachbook/site/data"
	"github.com/coachbook/coachbook/site/seal"
)

// sealedRepo is the example site as a public repository holds it once its
// data is sealed (coachbook data seal, and the clear files no longer
// tracked): every file the Pages workflow builds from, with data/ only in
// data.age. It returns the secret key that opens them.
func sealedRepo(t *testing.T) (fstest.MapFS, string) {
	t.Helper()
	secret, public, err := seal.NewKey()
	if err != nil {
		t.Fatal(err)
	}
	repo := fstest.MapFS{}
	clear := map[string][]byte{}
	root := os.DirFS("../..")
	for _, top := range []string{"coachbook.toml", "content", "data", "themes", ".github/workflows"} {
		err := fs.WalkDir(root, top, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			if strings.HasSuffix(p, ".go") {
				return nil // the theme's embedding code: not site content
			}
			b, err := fs.ReadFile(root, p)
			if err != nil {
				return err
			}
			if seal.IsData(p) {
				clear[p] = b
				return nil
			}
			info, err := d.Info()
			if err != nil {
				return err
			}
			// The file's time too: a guide outside git is dated by it.
			repo[p] = &fstest.MapFile{Data: b, ModTime: info.ModTime()}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if clear["data/team.toml"] == nil || clear["data/plans/jdoe.toml"] == nil {
		t.Fatal("the example's data was not found")
	}
	sealed, err := seal.Seal(seal.Pack(clear), []string{public})
	if err != nil {
		t.Fatal(err)
	}
	repo[seal.File] = &fstest.MapFile{Data: sealed}
	return repo, secret
}

// TestBuildReadsSealedData builds the example from sealed data with the
// data key: the site is the one built from the clear files. Without the
// key the build fails and says what to set.
func TestBuildReadsSealedData(t *testing.T) {
	t.Parallel()
	repo, secret := sealedRepo(t)
	clear, sealed := &MemSink{Files: clearExample(t)}, &MemSink{}
	env := func(name string) string {
		if name == config.DefaultDataKeyEnv {
			return secret
		}
		return ""
	}
	if _, diags := Run(repo, Options{Today: testDay, Env: env}, sealed); diags.HasErrors() {
		t.Fatal(diags.Err())
	}
	if len(clear.Files) < 500 || len(sealed.Files) != len(clear.Files) {
		t.Fatalf("%d files from sealed data, %d from clear data", len(sealed.Files), len(clear.Files))
	}
	for p, b := range clear.Files {
		if !bytes.Equal(sealed.Files[p], b) {
			t.Fatalf("%s differs when built from sealed data", p)
		}
	}

	_, diags := Run(repo, Options{Today: testDay}, &MemSink{})
	if err := diags.Err(); err == nil || !strings.Contains(err.Error(), "data.age: the rep data is sealed in data.age and no data key; set COACHBOOK_DATA_KEY") {
		t.Errorf("without the key: %v", err)
	}
}

// TestSealedRepoLeaksNothing scans what the public repository holds when
// its data is sealed — the files the Pages workflow builds from — and the
// site that workflow publishes, for every name, id, email, account, deal and
// amount of the example team. Manager ids are not looked for in the
// repository: the audiences in coachbook.toml name the manager whose reps
// each may open, and the workflow names their secrets after them.
func TestSealedRepoLeaksNothing(t *testing.T) {
	t.Parallel()
	repo, _ := sealedRepo(t)
	words := exampleSecrets(t)
	site := os.DirFS("../..")
	cfg, _ := config.Load(site)
	d, _ := data.Load(site, cfg)
	var mgrIDs []string
	for _, m := range d.Team.Managers {
		mgrIDs = append(mgrIDs, m.ID)
	}
	repoWords := slices.DeleteFunc(slices.Clone(words), func(w string) bool { return slices.Contains(mgrIDs, w) })
	files := map[string][]byte{}
	for p, f := range repo {
		files[p] = f.Data
	}
	// The scan would find the data in the clear files...
	if n := len(leaks(map[string][]byte{"data/team.toml": mustReadFile(t, "../../data/team.toml")}, repoWords)); n == 0 {
		t.Fatal("the scan finds nothing in data/team.toml")
	}
	// ...and finds none in the repository once they are sealed.
	if found := leaks(files, repoWords); len(found) > 0 {
		t.Errorf("the repository shows rep data:\n%s", strings.Join(found[:min(20, len(found))], "\n"))
	}
	if found := leaks(sealedExample(t), words); len(found) > 0 {
		t.Errorf("the published site shows rep data:\n%s", strings.Join(found[:min(20, len(found))], "\n"))
	}
}

func mustReadFile(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
