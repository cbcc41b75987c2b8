// Command coachbook builds a sales-coaching playbook and team reports from
// markdown guides and CRM exports. See the README for the full reference.
//
//	coachbook build [-s DIR] [-o DIR] [--base-url URL] [--no-reports] [--drafts]
//	coachbook serve [-s DIR] [--addr 127.0.0.1:1313]
//	coachbook check [-s DIR] [--strict]
//	coachbook keys new | keys check [-s DIR]
//	coachbook version
//
// Exit status: 0 success, 1 the site has errors, 2 bad usage.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/debug"
	"syscall"

	"github.com/coachbook/coachbook/site/build"
	"github.com/coachbook/coachbook/site/diag"
)

// version is set at release time with -ldflags "-X main.version=v1.2.3";
// otherwise the module version from the build info is used.
var version = ""

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

const usage = `coachbook builds a sales-coaching playbook and team reports.

Usage:
  coachbook build [-s DIR] [-o DIR] [--base-url URL] [--no-reports] [--drafts]
  coachbook serve [-s DIR] [--addr 127.0.0.1:1313] [--drafts]
  coachbook check [-s DIR] [--strict]
  coachbook keys new              print a new random passphrase for an audience
  coachbook keys check [-s DIR]   say which audiences have their passphrase set
  coachbook version

Run "coachbook <command> -h" for a command's flags.
`

// run is main without the process: it returns the exit status.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	cmd, args := args[0], args[1:]
	switch cmd {
	case "build":
		return runBuild(args, stdout, stderr)
	case "check":
		return runCheck(args, stdout, stderr)
	case "serve":
		return runServe(ctx, args, stdout, stderr)
	case "keys":
		return runKeys(args, os.Getenv, stdout, stderr)
	case "version", "-version", "--version":
		fmt.Fprintln(stdout, "coachbook", getVersion())
		return 0
	case "help", "-h", "-help", "--help":
		fmt.Fprint(stdout, usage)
		return 0
	default:
		fmt.Fprintf(stderr, "coachbook: unknown command %q\n\n%s", cmd, usage)
		return 2
	}
}

func getVersion() string {
	if version != "" {
		return version
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "dev"
}

// newFlags returns a flag set that reports errors instead of exiting.
func newFlags(name string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("coachbook "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	return fs
}

// parse parses flags and rejects stray arguments; ok is false on bad usage.
func parse(fs *flag.FlagSet, args []string) (help, ok bool) {
	if err := fs.Parse(args); err != nil {
		return errors.Is(err, flag.ErrHelp), false
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(fs.Output(), "%s: unexpected argument %q\n", fs.Name(), fs.Arg(0))
		return false, false
	}
	return false, true
}

func usageStatus(help bool) int {
	if help {
		return 0
	}
	return 2
}

func runBuild(args []string, stdout, stderr io.Writer) int {
	fs := newFlags("build", stderr)
	src := fs.String("s", ".", "site `DIR` to build")
	out := fs.String("o", "public", "output `DIR`; replaced only when the build succeeds")
	baseURL := fs.String("base-url", "", "published `URL` of the site, overriding base_url")
	noReports := fs.Bool("no-reports", false, "build the playbook only, with no rep data (as reports.enabled = false)")
	drafts := fs.Bool("drafts", false, "include guides marked draft = true")
	if help, ok := parse(fs, args); !ok {
		return usageStatus(help)
	}
	if !isDir(*src, stderr) {
		return 1
	}
	opts := build.Options{BaseURL: *baseURL, NoReports: *noReports, Drafts: *drafts, Version: getVersion(), Keys: os.Getenv}
	res, diags := build.ToDir(os.DirFS(*src), *src, *out, opts)
	printDiags(stderr, diags)
	if diags.Fatal() {
		fmt.Fprintf(stderr, "build failed: %s; %s was left as it was\n", diags.Summary(), *out)
		return 1
	}
	st := res.Stats
	fmt.Fprintf(stdout, "built %d guides, %d files (%.1f MB) into %s in %v\n",
		st.Guides, st.Files, float64(st.Bytes)/1e6, *out, st.Duration.Round(1e6))
	fmt.Fprintln(stdout, reportsLine(res))
	if errs, _ := diags.Count(); errs > 0 {
		fmt.Fprintf(stdout, "%s left out of the reports: see /reports/data-health/ (coachbook check fails until fixed)\n", plural(errs, "data row"))
	}
	return 0
}

func runCheck(args []string, stdout, stderr io.Writer) int {
	fs := newFlags("check", stderr)
	src := fs.String("s", ".", "site `DIR` to check")
	strict := fs.Bool("strict", false, "treat warnings as errors")
	if help, ok := parse(fs, args); !ok {
		return usageStatus(help)
	}
	if !isDir(*src, stderr) {
		return 1
	}
	_, diags := build.Run(os.DirFS(*src), build.Options{Version: getVersion()}, build.Discard)
	printDiags(stdout, diags)
	errs, warns := diags.Count()
	if errs > 0 || (*strict && warns > 0) {
		fmt.Fprintf(stdout, "check: %s\n", diags.Summary())
		return 1
	}
	fmt.Fprintf(stdout, "check: no errors, %s\n", plural(warns, "warning"))
	return 0
}

// isDir reports whether the site folder exists, explaining when it does not.
func isDir(dir string, stderr io.Writer) bool {
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		fmt.Fprintf(stderr, "coachbook: %s is not a folder; pass the site folder with -s (it holds content/ and coachbook.toml)\n", dir)
		return false
	}
	return true
}

func plural(n int, w string) string {
	if n == 1 {
		return "1 " + w
	}
	return fmt.Sprintf("%d %ss", n, w)
}

func printDiags(w io.Writer, diags diag.List) {
	for _, d := range diags {
		fmt.Fprintln(w, d.Error())
	}
}
