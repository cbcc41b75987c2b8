package build

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os/exec"
	"path"
	"slices"
	"strings"

	"github.com/coachbook/coachbook/site/access"
	"github.com/coachbook/coachbook/site/config"
	"github.com/coachbook/coachbook/site/data"
	"github.com/coachbook/coachbook/site/diag"
	"github.com/coachbook/coachbook/site/render"
	"github.com/coachbook/coachbook/site/report"
	"github.com/coachbook/coachbook/site/seal"
)

// readKeys decides, for a build meant for publishing (Options.Keys set),
// whether its reports are encrypted and for whom: every audience whose
// passphrase is found in the environment or the keys file. With
// encryption on and no passphrase at all, the reports are left out, so a
// build for a public host never publishes rep data in the clear.
func (b *Builder) readKeys() diag.List {
	b.readers = nil
	cfg := b.cfg
	if b.opts.Keys != nil {
		if msg := cfg.ClearOnPublicHost(); msg != "" {
			var diags diag.List
			diags.Errorf(config.File, cfg.Access.EncryptLine, "%s", msg)
			return diags
		}
	}
	if b.opts.Keys == nil || !cfg.Reports.On() || !cfg.EncryptReports() {
		return nil
	}
	var diags diag.List
	file := keysFile(cfg)
	fromFile, fd := readKeysFile(b.root, b.opts.SiteDir, file)
	diags.Add(fd...)
	var missing []string
	for _, au := range cfg.Access.Audience {
		pass := b.opts.Keys(au.KeyEnv)
		if pass == "" {
			pass = fromFile[au.KeyEnv]
		}
		if pass == "" {
			missing = append(missing, au.KeyEnv)
			continue
		}
		b.readers = append(b.readers, access.Reader{Name: au.Name, Scope: au.Scope, Passphrase: pass})
	}
	switch {
	case len(cfg.Access.Audience) == 0:
		diags.Warnf(config.File, cfg.Access.Line, "reports are left out: base_url %s is a public address and [access] names no audience to encrypt them for; add [[access.audience]] entries (see the README), or set encrypt_reports = false only if the host is private", cfg.AbsURL(""))
	case len(b.readers) == 0:
		diags.Warnf(config.File, cfg.Access.Line, "reports are left out: no passphrase is set for any audience (%s); set them in the environment or in %s, or build with --no-reports", strings.Join(missing, ", "), file)
	case len(missing) > 0:
		diags.Warnf(config.File, cfg.Access.Line, "no passphrase in %s: those audiences open nothing in this build", strings.Join(missing, ", "))
	}
	if len(b.readers) == 0 {
		off := false
		cfg.Reports.Enabled = &off
	}
	return diags
}

// KeysFileValues names the keys file of the site (read from site, the
// folder dir on disk) and which variables it sets, for `coachbook keys
// check`; it never returns a passphrase.
func KeysFileValues(site fs.FS, dir string, cfg *config.Config) (string, map[string]bool) {
	file := keysFile(cfg)
	vals, _ := readKeysFile(site, dir, file)
	set := map[string]bool{}
	for k := range vals {
		set[k] = true
	}
	return file, set
}

// Passphrase is an audience's passphrase as a build finds it: in the
// environment, else in the keys file (of site, the folder dir on disk);
// "" when neither sets it.
func Passphrase(site fs.FS, dir string, cfg *config.Config, keyEnv string, getenv func(string) string) (string, diag.List) {
	if pass := getenv(keyEnv); pass != "" {
		return pass, nil
	}
	fromFile, diags := readKeysFile(site, dir, keysFile(cfg))
	return fromFile[keyEnv], diags
}

func keysFile(cfg *config.Config) string {
	if cfg.Access.KeysFile == "" {
		return config.DefaultKeysFile
	}
	return cfg.Access.KeysFile
}

// readKeysFile reads NAME=passphrase lines. The file holds secrets, so git
// must ignore it; a file that is not ignored is refused. dir is the site
// folder on disk ("" when there is none to ask git about).
func readKeysFile(site fs.FS, dir, file string) (map[string]string, diag.List) {
	var diags diag.List
	src, err := fs.ReadFile(site, file)
	if err != nil {
		return nil, nil // no keys file: the environment alone
	}
	if !gitIgnored(site, dir, file) {
		diags.Errorf(file, 0, "%s holds passphrases but the site's .gitignore does not list it; add the line /%s so it never reaches the repository", file, file)
		return nil, diags
	}
	keys := map[string]string{}
	sc := bufio.NewScanner(bytes.NewReader(src))
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || line[0] == '#' {
			continue
		}
		name, val, ok := strings.Cut(line, "=")
		name, val = strings.TrimSpace(strings.TrimPrefix(name, "export ")), strings.TrimSpace(val)
		if len(val) >= 2 && (val[0] == '"' || val[0] == '\'') && val[len(val)-1] == val[0] {
			val = val[1 : len(val)-1]
		}
		if !ok || name == "" || val == "" {
			diags.Errorf(file, n, "write each passphrase as NAME=passphrase, where NAME is an audience's key_env")
			continue
		}
		keys[name] = val
	}
	return keys, diags
}

// gitIgnored reports whether git ignores the file. Where git is installed
// and dir is in a repository, git itself is asked (git check-ignore: it
// knows every .gitignore, negations, and whether the file is tracked
// already). Otherwise the site's .gitignore is read: the last line that
// matches the file decides, a line starting with ! un-ignoring it.
func gitIgnored(site fs.FS, dir, file string) bool {
	if ignored, ok := gitCheckIgnore(dir, file); ok {
		return ignored
	}
	src, err := fs.ReadFile(site, ".gitignore")
	if err != nil {
		return false
	}
	ignored := false
	for _, line := range strings.Split(string(src), "\n") {
		line = strings.TrimSpace(line)
		neg := strings.HasPrefix(line, "!")
		line = strings.TrimPrefix(line, "!")
		if line == "" || strings.HasPrefix(line, "#") || strings.HasSuffix(line, "/") {
			continue
		}
		pat := strings.TrimPrefix(line, "/")
		name := file
		if pat == line && !strings.Contains(pat, "/") {
			name = path.Base(file) // a name alone matches at any depth
		}
		if ok, _ := path.Match(pat, name); ok {
			ignored = !neg
		}
	}
	return ignored
}

// gitCheckIgnore asks git whether it ignores file in the folder dir; ok is
// false when git cannot say (no git, not a repository).
func gitCheckIgnore(dir, file string) (ignored, ok bool) {
	if dir == "" {
		return false, false
	}
	git, err := exec.LookPath("git")
	if err != nil {
		return false, false
	}
	err = exec.Command(git, "-C", dir, "check-ignore", "-q", "--", file).Run()
	var exit *exec.ExitError
	switch {
	case err == nil:
		return true, true
	case errors.As(err, &exit) && exit.ExitCode() == 1:
		return false, true
	}
	return false, false
}

// checkScopes reports every audience whose scope names a manager, team or
// rep that data/team.toml does not have.
func checkScopes(cfg *config.Config, team *data.Team) diag.List {
	var diags diag.List
	for _, au := range cfg.Access.Audience {
		kind, id, ok := config.ParseScope(au.Scope)
		if !ok || kind == config.ScopeAll {
			continue
		}
		var known []string
		switch kind {
		case config.ScopeManager:
			for _, m := range team.Managers {
				known = append(known, m.ID)
			}
		case config.ScopeTeam:
			known = team.Teams
		case config.ScopeRep:
			for _, r := range team.Reps {
				known = append(known, r.ID)
			}
		}
		switch {
		case slices.Contains(known, id):
		case cfg.SiteName != "":
			diags.Errorf(config.File, au.Line, "audience %q has scope %q, but [[sites]] %q publishes no %s %q; list the audience in the site that does", au.Name, au.Scope, cfg.SiteName, kind, id)
		default:
			diags.Errorf(config.File, au.Line, "audience %q has scope %q, but data/team.toml has no %s %q; use an id from it", au.Name, au.Scope, kind, id)
		}
	}
	return diags
}

// checkSites reports, for an org published as several sites, every rep
// that no [[sites]] entry publishes (a warning: their reports are on no
// site) and every rep two of them would publish (an error: one rep's
// reports belong to one site, its audiences and keys).
func checkSites(cfg *config.Config, team *data.Team) diag.List {
	var diags diag.List
	if len(cfg.Sites) == 0 || cfg.SiteName != "" {
		return nil
	}
	for _, r := range team.Reps {
		var in []string
		for i := range cfg.Sites {
			if cfg.Sites[i].Selects(r.Manager, r.Team) {
				in = append(in, cfg.Sites[i].Name)
			}
		}
		switch {
		case len(in) == 0:
			diags.Warnf(data.TeamFile, r.Line, "rep %q (manager %q, team %q) is in no [[sites]] of coachbook.toml: no site publishes their reports; add the manager or team to one", r.ID, r.Manager, r.Team)
		case len(in) > 1:
			diags.Errorf(data.TeamFile, r.Line, "rep %q (manager %q, team %q) is in [[sites]] %s: give each rep's manager or team to one site only, so that one site and its audiences hold the rep's reports", r.ID, r.Manager, r.Team, strings.Join(in, " and "))
		}
	}
	return diags
}

// sealing wraps the sinks of an encrypted build: report files are
// encrypted and moved to opaque addresses, and every link to them is
// rewritten. It returns sinkFor unchanged when the build is not encrypted.
func (b *Builder) sealing(sinkFor func(FileSet) render.Sink) (func(FileSet) render.Sink, *access.Sealer, diag.List) {
	var diags diag.List
	if len(b.readers) == 0 || !b.cfg.Reports.On() || b.data == nil {
		return sinkFor, nil, nil
	}
	shell, script, err := b.renderer.Locked(b.content, access.KeyringPath)
	if err != nil {
		diags.Add(diag.From(err))
		return sinkFor, nil, diags
	}
	var reps []access.Member
	for _, r := range b.data.Team.Reps {
		reps = append(reps, access.Member{ID: r.ID, Team: r.Team, Manager: r.Manager})
	}
	homes := map[string]string{}
	for _, r := range b.readers {
		if u := scopeIndex(r.Scope); u != "" {
			homes[r.Scope] = strings.TrimPrefix(u, "/") + "index.html"
		}
	}
	sealer, err := access.New(access.Options{Readers: b.readers, Reps: reps, Site: b.cfg.AbsURL(""),
		BasePath: b.cfg.BasePath, Origin: b.cfg.Origin, Shell: shell, Script: script, Homes: homes})
	if err != nil {
		diags.Errorf(config.File, b.cfg.Access.Line, "%v", err)
		return sinkFor, nil, diags
	}
	b.stats.Audiences = nil
	for _, r := range b.readers {
		b.stats.Audiences = append(b.stats.Audiences, fmt.Sprintf("%s (%s)", r.Name, r.Scope))
	}
	return func(p FileSet) render.Sink { return sealer.To(sinkFor(p)) }, sealer, diags
}

// dataFS is the site as the data stage reads it: the data files kept
// sealed in the repository (data.age) are opened with the data key from the
// environment or the keys file (see package seal). A sealed copy that does
// not open is an error: the reports would silently lack its data.
func (b *Builder) dataFS() (fs.FS, diag.List) {
	files, err := seal.ReadSealed(b.site, DataKey(b.site, b.opts.SiteDir, b.cfg, b.opts.Env), b.cfg.Seal.KeyEnv)
	if err != nil {
		var diags diag.List
		diags.Errorf(seal.File, 0, "%v", err)
		return b.site, diags
	}
	if files == nil {
		return b.site, nil
	}
	return seal.FS(b.site, files), nil
}

// DataKey is the secret key of the site's sealed data files: from the
// environment ([seal] key_env, when getenv is not nil), else from the keys
// file (of site, the folder dir on disk); "" when neither has it.
func DataKey(site fs.FS, dir string, cfg *config.Config, getenv func(string) string) string {
	env := cfg.Seal.KeyEnv
	if getenv != nil {
		if k := getenv(env); k != "" {
			return k
		}
	}
	vals, _ := readKeysFile(site, dir, keysFile(cfg))
	return vals[env]
}

// scopeIndex is the reports index an audience of the scope starts from:
// the at-a-glance table of the reps it may read.
func scopeIndex(scope string) string {
	kind, id, _ := config.ParseScope(scope)
	switch kind {
	case config.ScopeAll:
		return report.IndexURL
	case config.ScopeManager:
		return report.ManagerIndexURL(id)
	case config.ScopeTeam:
		return report.TeamIndexURL(id)
	case config.ScopeRep:
		return report.RepHomeURL(id)
	}
	return ""
}
