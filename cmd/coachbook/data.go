package main

import (
	"bytes"
	"fmt"
	"io"
	iofs "io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"

	"github.com/coachbook/coachbook/site/build"
	"github.com/coachbook/coachbook/site/config"
	"github.com/coachbook/coachbook/site/diag"
	"github.com/coachbook/coachbook/site/seal"
)

// runData is `coachbook data key | seal | unseal`: keeping the rep data
// encrypted in the repository (see package seal).
func runData(args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, "usage: coachbook data key | coachbook data seal [-s DIR] [--exact] | coachbook data unseal [-s DIR] [--overwrite]\n")
		return 2
	}
	fs := newFlags("data "+args[0], stderr)
	switch args[0] {
	case "key":
		if help, ok := parse(fs, args[1:]); !ok {
			return usageStatus(help)
		}
		secret, public, err := seal.NewKey()
		if err != nil {
			fmt.Fprintf(stderr, "coachbook data key: %v\n", err)
			return 1
		}
		fmt.Fprintf(stdout, `# The public key: add it to coachbook.toml. It can only seal.
[seal]
to = [%q]

# The secret key opens the sealed data. Never commit it: store it as the
# repository secret %s (Settings > Secrets and variables >
# Actions) and in your password manager; on this computer, put this line in
# the git-ignored coachbook.keys:
%s=%s
`, public, config.DefaultDataKeyEnv, config.DefaultDataKeyEnv, secret)
		return 0
	case "seal", "unseal":
		src := fs.String("s", ".", "site `DIR`")
		overwrite, exact := false, false
		if args[0] == "unseal" {
			fs.BoolVar(&overwrite, "overwrite", false, "replace clear files that differ from their sealed copy")
		} else {
			fs.BoolVar(&exact, "exact", false, "seal data/ as it is, dropping files only the sealed copy holds")
		}
		if help, ok := parse(fs, args[1:]); !ok {
			return usageStatus(help)
		}
		if !isDir(*src, stderr) {
			return 1
		}
		site := os.DirFS(*src)
		cfg, diags := config.Load(site)
		printDiags(stderr, diags)
		if diags.Fatal() {
			return 1
		}
		key := build.DataKey(site, *src, cfg, getenv)
		if args[0] == "seal" {
			return dataSeal(*src, cfg, key, exact, stdout, stderr)
		}
		return dataUnseal(*src, cfg, key, overwrite, stdout, stderr)
	}
	fmt.Fprintf(stderr, "coachbook data: unknown command %q; use key, seal or unseal\n", args[0])
	return 2
}

// dataSeal seals every file under data/ into data.age. Files only in the
// sealed copy are kept unless exact is set; a data.age that already holds
// the same files is left alone, so the repository changes only with the
// data.
func dataSeal(dir string, cfg *config.Config, key string, exact bool, stdout, stderr io.Writer) int {
	if len(cfg.Seal.To) == 0 {
		fmt.Fprintf(stderr, "coachbook data seal: coachbook.toml has no public key to seal to; run coachbook data key and add the [seal] it prints\n")
		return 1
	}
	site := os.DirFS(dir)
	clear, err := seal.ReadClear(site)
	if err != nil {
		fmt.Fprintf(stderr, "coachbook data seal: %v\n", err)
		return 1
	}
	old, err := seal.ReadSealed(site, key, cfg.Seal.KeyEnv)
	if err != nil && !exact {
		fmt.Fprintf(stderr, "coachbook data seal: %v; it is needed to keep what only the sealed copy holds (or pass --exact to seal data/ as it is)\n", err)
		return 1
	}
	files := map[string][]byte{}
	kept := 0
	if !exact {
		for p, b := range old {
			if _, ok := clear[p]; !ok {
				files[p] = b
				kept++
			}
		}
	}
	for p, b := range clear {
		files[p] = b
	}
	if len(files) == 0 {
		fmt.Fprintf(stderr, "coachbook data seal: %s has no files to seal\n", filepath.Join(dir, seal.Dir))
		return 1
	}
	target := filepath.Join(dir, seal.File)
	if old != nil && bytes.Equal(seal.Pack(old), seal.Pack(files)) {
		fmt.Fprintf(stdout, "%s is up to date: %s\n", seal.File, plural(len(files), "data file"))
		return 0
	}
	out, err := seal.Seal(seal.Pack(files), cfg.Seal.To)
	if err == nil {
		err = writeReplace(target, out)
	}
	if err != nil {
		fmt.Fprintf(stderr, "coachbook data seal: %v\n", err)
		return 1
	}
	fmt.Fprintf(stdout, "sealed %s into %s", plural(len(clear), "data file"), seal.File)
	if kept > 0 {
		fmt.Fprintf(stdout, ", and kept %d that only the sealed copy holds (--exact drops them)", kept)
	}
	fmt.Fprintln(stdout)
	if tracked := gitTrackedClear(dir); len(tracked) > 0 {
		fmt.Fprintf(stdout, `
git tracks %s in the clear. Commit the sealed copy instead:
    echo /data/ >> .gitignore
    git rm -r --cached --quiet data
    git add .gitignore %s
The clear files stay in the repository's history: see the README, "Rep
data in a public repository", for removing them from it.
`, plural(len(tracked), "data file"), seal.File)
	}
	return 0
}

// dataUnseal writes the clear data files back from data.age, for editing
// on a computer that has only the repository.
func dataUnseal(dir string, cfg *config.Config, key string, overwrite bool, stdout, stderr io.Writer) int {
	site := os.DirFS(dir)
	files, err := seal.ReadSealed(site, key, cfg.Seal.KeyEnv)
	if err != nil {
		fmt.Fprintf(stderr, "coachbook data unseal: %v\n", err)
		return 1
	}
	if files == nil {
		fmt.Fprintf(stderr, "coachbook data unseal: %s has no %s to unseal\n", dir, seal.File)
		return 1
	}
	names := make([]string, 0, len(files))
	for p := range files {
		names = append(names, p)
	}
	slices.Sort(names)
	wrote, same, failed := 0, 0, 0
	for _, p := range names {
		target := filepath.Join(dir, filepath.FromSlash(p))
		if old, err := os.ReadFile(target); err == nil {
			if bytes.Equal(old, files[p]) {
				same++
				continue
			}
			if !overwrite {
				fmt.Fprintf(stderr, "%s: differs from its sealed copy; kept as it is (pass --overwrite to replace it, or run coachbook data seal to seal it)\n", p)
				failed++
				continue
			}
		}
		err := os.MkdirAll(filepath.Dir(target), 0o755)
		if err == nil {
			err = writeReplace(target, files[p])
		}
		if err != nil {
			fmt.Fprintf(stderr, "%s: %v\n", p, err)
			failed++
			continue
		}
		wrote++
	}
	fmt.Fprintf(stdout, "unsealed %s into %s, %d unchanged\n", plural(wrote, "data file"), filepath.Join(dir, seal.Dir), same)
	if failed > 0 {
		return 1
	}
	return 0
}

// writeReplace writes a file through a temporary file beside it, so an
// interrupted write never leaves half a file.
func writeReplace(target string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(target), "."+filepath.Base(target)+".*.tmp")
	if err != nil {
		return err
	}
	_, err = tmp.Write(data)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), target)
	}
	if err != nil {
		os.Remove(tmp.Name())
	}
	return err
}

// gitTrackedClear lists the data files git tracks in the clear in the
// site's repository; none when the site is not in a git work tree or git
// is not installed.
func gitTrackedClear(dir string) []string {
	cmd := exec.Command("git", "ls-files", "-z", "--", seal.Dir)
	cmd.Dir = dir
	out, err := cmd.Output()
	if err != nil {
		return nil
	}
	var files []string
	for _, f := range strings.Split(string(out), "\x00") {
		if f != "" && !strings.HasPrefix(filepath.Base(f), ".") {
			files = append(files, f)
		}
	}
	return files
}

// trackedData warns, for a site whose reports are to be published
// encrypted, of every data file git tracks in the clear.
func trackedData(dir string, site iofs.FS) diag.List {
	cfg, diags := config.Load(site)
	if diags.Fatal() || !cfg.Reports.On() || (!cfg.EncryptReports() && len(cfg.Access.Audience) == 0) {
		return nil
	}
	var out diag.List
	files := gitTrackedClear(dir)
	if len(files) == 0 {
		return nil
	}
	list := strings.Join(files, ", ")
	if len(files) > 4 {
		list = fmt.Sprintf("%s and %d more", strings.Join(files[:4], ", "), len(files)-4)
	}
	out.Warnf(seal.Dir, 0, "rep data is tracked by git in the clear while the reports are published encrypted, so anyone who can read the repository reads it (%s); seal it with coachbook data seal, which says how to stop tracking the clear files: see the README, \"Rep data in a public repository\"", list)
	return out
}
