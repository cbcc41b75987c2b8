package main

import (
	"crypto/rand"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/coachbook/coachbook/site/access"
	"github.com/coachbook/coachbook/site/build"
	"github.com/coachbook/coachbook/site/config"
	"github.com/coachbook/coachbook/site/seal"
)

// runKeys is `coachbook keys new` (a random passphrase to give an
// audience), `coachbook keys check` (which audiences have theirs set,
// never printing one) and `coachbook keys link NAME` (an audience's
// sign-in link). check exits 0 when at least one audience has its
// passphrase, so the publishing workflow can choose between encrypted
// reports and a playbook-only site.
func runKeys(args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, "usage: coachbook keys new | coachbook keys check [-s DIR] | coachbook keys link [-s DIR] [--base-url URL] NAME\n")
		return 2
	}
	switch args[0] {
	case "new":
		fs := newFlags("keys new", stderr)
		if help, ok := parse(fs, args[1:]); !ok {
			return usageStatus(help)
		}
		fmt.Fprintln(stdout, newPassphrase())
		return 0
	case "check":
		fs := newFlags("keys check", stderr)
		src := fs.String("s", ".", "site `DIR`")
		baseURL := fs.String("base-url", "", "the `URL` the build will publish to, overriding base_url")
		part := fs.String("part", "", "check the [[sites]] entry `NAME` (its address and audiences), as build --part does")
		if help, ok := parse(fs, args[1:]); !ok {
			return usageStatus(help)
		}
		if !isDir(*src, stderr) {
			return 1
		}
		return keysCheck(*src, *part, *baseURL, getenv, stdout, stderr)
	case "link":
		fs := newFlags("keys link", stderr)
		src := fs.String("s", ".", "site `DIR`")
		baseURL := fs.String("base-url", "", "published `URL` of the site, overriding base_url (as the build is given it)")
		part := fs.String("part", "", "the link to the [[sites]] entry `NAME`'s site, as build --part publishes it")
		// NAME may come before, between or after the flags.
		var names []string
		for rest := args[1:]; ; {
			if err := fs.Parse(rest); err != nil {
				return usageStatus(errors.Is(err, flag.ErrHelp))
			}
			if fs.NArg() == 0 {
				break
			}
			names, rest = append(names, fs.Arg(0)), fs.Args()[1:]
		}
		if len(names) != 1 {
			fmt.Fprint(stderr, "usage: coachbook keys link [-s DIR] [--base-url URL] NAME, where NAME is an audience's name in coachbook.toml\n")
			return 2
		}
		if !isDir(*src, stderr) {
			return 1
		}
		return keysLink(*src, *part, *baseURL, names[0], getenv, stdout, stderr)
	}
	fmt.Fprintf(stderr, "coachbook keys: unknown command %q; use new, check or link\n", args[0])
	return 2
}

// newPassphrase is 26 random base32 letters and digits (130 bits) in
// groups of five or six, easy to read out and to paste.
func newPassphrase() string {
	t := strings.ToLower(rand.Text())
	return t[:5] + "-" + t[5:10] + "-" + t[10:15] + "-" + t[15:20] + "-" + t[20:]
}

// keysCheck says which audiences have their passphrase and then what a
// build for the site's address will publish. It exits 0 when that build
// publishes reports (encrypted, or in the clear at a private address), 1
// when it publishes the playbook only or would fail.
func keysCheck(dir, part, baseURL string, getenv func(string) string, stdout, stderr io.Writer) int {
	cfg, diags := config.Load(os.DirFS(dir))
	diags.Add(cfg.SelectSite(part, false)...)
	diags.Add(cfg.Override(baseURL, false)...)
	printDiags(stderr, diags)
	if diags.Fatal() {
		return 1
	}
	file, set := build.KeysFileValues(os.DirFS(dir), dir, cfg)
	var open, missing []string
	for _, au := range cfg.Access.Audience {
		state := "not set"
		switch {
		case getenv(au.KeyEnv) != "":
			state = "set in the environment"
		case set[au.KeyEnv]:
			state = "set in " + file
		default:
			missing = append(missing, au.KeyEnv)
		}
		if state != "not set" {
			open = append(open, fmt.Sprintf("%s (%s)", au.Name, au.Scope))
		}
		fmt.Fprintf(stdout, "%s (%s): %s %s\n", au.Name, au.Scope, au.KeyEnv, state)
	}
	if _, err := os.Stat(filepath.Join(dir, seal.File)); err == nil {
		state := "not set: a build with reports fails"
		switch {
		case getenv(cfg.Seal.KeyEnv) != "":
			state = "set in the environment"
		case set[cfg.Seal.KeyEnv]:
			state = "set in " + file
		}
		fmt.Fprintf(stdout, "sealed rep data (%s): %s %s\n", seal.File, cfg.Seal.KeyEnv, state)
	}
	where := cfg.AbsURL("")
	switch {
	case !cfg.Reports.On():
		fmt.Fprintf(stdout, "a build for %s publishes the playbook only: reports.enabled = false\n", where)
		return 1
	case cfg.ClearOnPublicHost() != "":
		fmt.Fprintf(stdout, "a build for %s fails: %s\n", where, cfg.ClearOnPublicHost())
		return 1
	case !cfg.EncryptReports():
		fmt.Fprintf(stdout, "a build for %s publishes every report in the clear (%s)\n", where, clearReason(cfg))
		return 0
	case len(open) == 0:
		fmt.Fprintf(stdout, "a build for %s publishes the playbook only: no audience has a passphrase, so the reports are left out\n", where)
		return 1
	}
	fmt.Fprintf(stdout, "a build for %s publishes the reports encrypted; %d of %d audiences can open theirs: %s\n",
		where, len(open), len(cfg.Access.Audience), strings.Join(open, ", "))
	if len(missing) > 0 {
		fmt.Fprintf(stdout, "not set, so those audiences open nothing: %s\n", strings.Join(missing, ", "))
	}
	return 0
}

// keysLink prints the sign-in link of the audience name: the site's
// address with the key derived from its passphrase in the fragment, which
// browsers never send to the host.
func keysLink(dir, part, baseURL, name string, getenv func(string) string, stdout, stderr io.Writer) int {
	site := os.DirFS(dir)
	cfg, diags := config.Load(site)
	if !diags.Fatal() {
		diags.Add(cfg.SelectSite(part, false)...)
		diags.Add(cfg.Override(baseURL, false)...)
	}
	printDiags(stderr, diags)
	if diags.Fatal() {
		return 1
	}
	var au *config.Audience
	var names []string
	for i := range cfg.Access.Audience {
		names = append(names, cfg.Access.Audience[i].Name)
		if cfg.Access.Audience[i].Name == name {
			au = &cfg.Access.Audience[i]
		}
	}
	switch {
	case au == nil:
		fmt.Fprintf(stderr, "coachbook keys link: %s names no audience %q; use one of: %s\n", config.File, name, strings.Join(names, ", "))
		return 1
	case !cfg.EncryptReports():
		fmt.Fprintf(stderr, "coachbook keys link: reports for %s are not encrypted (a local base_url or encrypt_reports = false), so there is nothing to sign in to; pass the published address with --base-url\n", cfg.AbsURL(""))
		return 1
	}
	pass, d := build.Passphrase(site, dir, cfg, au.KeyEnv, getenv)
	printDiags(stderr, d)
	if pass == "" {
		fmt.Fprintf(stderr, "coachbook keys link: no passphrase for %q: set %s in the environment or in the keys file\n", name, au.KeyEnv)
		return 1
	}
	key, err := access.SignInKey(cfg.AbsURL(""), au.Name, pass, 0)
	if err != nil {
		fmt.Fprintf(stderr, "coachbook keys link: %v\n", err)
		return 1
	}
	fmt.Fprintln(stdout, cfg.AbsURL("")+"#k="+key)
	fmt.Fprintf(stderr, "Anyone with this link reads what %s's passphrase opens, until that passphrase changes: send it as you would the passphrase.\n", name)
	return 0
}

// clearReason says why a build publishes its reports in the clear.
func clearReason(cfg *config.Config) string {
	switch {
	case cfg.Access.EncryptReports == nil:
		return "a local address"
	case cfg.Access.PrivateHost:
		return "the host is declared private: private_host = true"
	}
	return "encrypt_reports = false, at an address that is not public"
}

// reportsLine says in the build log what happened to the reports.
func reportsLine(res *build.Result) string {
	switch {
	case len(res.Stats.Audiences) > 8:
		a := res.Stats.Audiences
		return fmt.Sprintf("reports: encrypted for %d audiences: %s and %d more", len(a), strings.Join(a[:8], ", "), len(a)-8)
	case len(res.Stats.Audiences) > 0:
		return "reports: encrypted for " + strings.Join(res.Stats.Audiences, ", ")
	case res.Config != nil && res.Config.Reports.On():
		return fmt.Sprintf("reports: published in the clear at %s (%s)", res.Config.AbsURL(""), clearReason(res.Config))
	}
	return "reports: left out (playbook only)"
}
