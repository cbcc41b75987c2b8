package main

import (
	"crypto/rand"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/coachbook/coachbook/site/build"
	"github.com/coachbook/coachbook/site/config"
)

// runKeys is `coachbook keys new` (a random passphrase to give an
// audience) and `coachbook keys check` (which audiences have theirs set,
// never printing one). check exits 0 when at least one audience has its
// passphrase, so the publishing workflow can choose between encrypted
// reports and a playbook-only site.
func runKeys(args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, "usage: coachbook keys new | coachbook keys check [-s DIR]\n")
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
		if help, ok := parse(fs, args[1:]); !ok {
			return usageStatus(help)
		}
		if !isDir(*src, stderr) {
			return 1
		}
		return keysCheck(*src, getenv, stdout, stderr)
	}
	fmt.Fprintf(stderr, "coachbook keys: unknown command %q; use new or check\n", args[0])
	return 2
}

// newPassphrase is 26 random base32 letters and digits (130 bits) in
// groups of five or six, easy to read out and to paste.
func newPassphrase() string {
	t := strings.ToLower(rand.Text())
	return t[:5] + "-" + t[5:10] + "-" + t[10:15] + "-" + t[15:20] + "-" + t[20:]
}

func keysCheck(dir string, getenv func(string) string, stdout, stderr io.Writer) int {
	cfg, diags := config.Load(os.DirFS(dir))
	printDiags(stderr, diags)
	if diags.Fatal() {
		return 1
	}
	file, set := build.KeysFileValues(os.DirFS(dir), dir, cfg)
	n := 0
	for _, au := range cfg.Access.Audience {
		state := "not set"
		switch {
		case getenv(au.KeyEnv) != "":
			state, n = "set in the environment", n+1
		case set[au.KeyEnv]:
			state, n = "set in "+file, n+1
		}
		fmt.Fprintf(stdout, "%s (%s): %s %s\n", au.Name, au.Scope, au.KeyEnv, state)
	}
	if n == 0 {
		fmt.Fprintln(stdout, "no audience has a passphrase: a build for a public address leaves the reports out")
		return 1
	}
	fmt.Fprintf(stdout, "%d of %d audiences have a passphrase\n", n, len(cfg.Access.Audience))
	return 0
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
		return "reports: published in the clear (base_url is local or encrypt_reports = false)"
	}
	return "reports: left out (playbook only)"
}
