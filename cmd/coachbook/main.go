// Command coachbook builds a sales-coaching playbook and team reports from
// markdown guides and CRM exports. See the README for the full reference.
//
//	coachbook build [-s DIR] [-o DIR] [--base-url URL] [--no-reports] [--drafts] [--verbose] [--overwrite] [--part NAME | --leadership]
//	coachbook serve [-s DIR] [--addr 127.0.0.1:1313]
//	coachbook check [-s DIR] [--strict]
//	coachbook new site [--title TITLE] DIR
//	coachbook new guide [-s DIR] [--cadence CADENCE] PATH
//	coachbook keys new | keys check [-s DIR] [--base-url URL] | keys link [-s DIR] [--base-url URL] NAME
//	coachbook data key | data seal [-s DIR] [--exact] | data unseal [-s DIR] [--overwrite]
//	coachbook sites [-s DIR]
//	coachbook version
//
// Exit status: 0 success, 1 the site has errors, 2 bad usage, 130 stopped
// by Ctrl-C or SIGTERM.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	iofs "io/fs"
	"os"
	"os/signal"
	"runtime/debug"
	"runtime/metrics"
	"runtime/pprof"
	"syscall"
	"time"

	"github.com/coachbook/coachbook/site/build"
	"github.com/coachbook/coachbook/site/changes"
	"github.com/coachbook/coachbook/site/diag"
)

// version is set at release time with -ldflags "-X main.version=v1.2.3";
// otherwise the module version from the build info is used.
var version = ""

// softMemoryLimit is the heap size past which the garbage collector works
// harder instead of letting the heap grow to twice the live data (Go's
// default). A large playbook then needs about what it really holds. The
// GOMEMLIMIT environment variable overrides it; past it, Go still uses what
// it must.
const softMemoryLimit = 448 << 20

func main() {
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(softMemoryLimit)
		go followLiveHeap(softMemoryLimit, time.Second/4, nil)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// followLiveHeap raises the soft memory limit with the data the program
// really holds, to 1.75 times as much (and lowers it back, never under
// floor). A limit close to the live heap makes the collector run again and
// again for little: a 2,000-rep org holds about 500 MiB while its pages
// render, and under a fixed 448 MiB limit collecting took 37% of the
// build's CPU (about 5% at 500 reps), so the cost per rep grew with the
// org. Go's default, twice the live heap, costs the most memory; measured
// side by side on that org (same load), 1.75 times used 5% more CPU and
// 20% less peak memory (960 against 1,207 MiB), 1.5 times 16% more CPU
// for 765 MiB.
func followLiveHeap(floor int64, every time.Duration, stop <-chan struct{}) {
	sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	tick := time.NewTicker(every)
	defer tick.Stop()
	for {
		select {
		case <-stop:
			return
		case <-tick.C:
		}
		metrics.Read(sample)
		if sample[0].Value.Kind() != metrics.KindUint64 {
			return
		}
		live := int64(sample[0].Value.Uint64())
		debug.SetMemoryLimit(max(floor, live+live*3/4))
	}
}

const usage = `coachbook builds a sales-coaching playbook and team reports.

Usage:
  coachbook build [-s DIR] [-o DIR] [--base-url URL] [--no-reports] [--drafts] [--overwrite]
                  [--part NAME | --leadership]
  coachbook serve [-s DIR] [--addr 127.0.0.1:1313] [--drafts]
  coachbook check [-s DIR] [--strict]
  coachbook new site DIR          start a new site: guides, sample data, Pages workflow
  coachbook new guide PATH        add a guide under content/ (weekly/my-meeting.md)
  coachbook keys new              print a new random passphrase for an audience
  coachbook keys check [-s DIR] [--base-url URL] [--part NAME]
                                  say which audiences have their passphrase set, and what a build publishes
  coachbook keys link [-s DIR] [--base-url URL] [--part NAME] NAME
                                  print an audience's sign-in link (its key in the fragment)
  coachbook data key              print a new key pair for sealing data files
  coachbook data seal [-s DIR]    encrypt every file under data/ into data.age, for the repository
  coachbook data unseal [-s DIR]  write data/ back from data.age
  coachbook sites [-s DIR]        print the [[sites]] of coachbook.toml as a job matrix (JSON)
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
		return runBuild(ctx, args, stdout, stderr)
	case "check":
		return runCheck(ctx, args, stdout, stderr)
	case "serve":
		return runServe(ctx, args, stdout, stderr)
	case "new":
		return runNew(args, time.Now(), stdout, stderr)
	case "keys":
		return runKeys(args, os.Getenv, stdout, stderr)
	case "data":
		return runData(args, os.Getenv, stdout, stderr)
	case "sites":
		return runSites(args, stdout, stderr)
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

// interrupted tells a stopped command from one that failed: exit status
// 130, as shells report Ctrl-C.
const interrupted = 130

func runBuild(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlags("build", stderr)
	src := fs.String("s", ".", "site `DIR` to build")
	out := fs.String("o", "public", "output `DIR`; replaced only when the build succeeds")
	baseURL := fs.String("base-url", "", "published `URL` of the site, overriding base_url")
	noReports := fs.Bool("no-reports", false, "build the playbook only, with no rep data (as reports.enabled = false)")
	part := fs.String("part", "", "build the [[sites]] entry `NAME` of an org published as several sites: its reps' reports alone")
	leadership := fs.Bool("leadership", false, "with [[sites]], build the leadership site: the playbook and a link to each part's site, no reports")
	drafts := fs.Bool("drafts", false, "include guides marked draft = true")
	overwrite := fs.Bool("overwrite", false, "replace the output folder even when it is not a previous coachbook build")
	verbose := fs.Bool("verbose", false, "print how long each stage of the build took")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile of the build to `FILE` (read it with go tool pprof)")
	memProfile := fs.String("memprofile", "", "write a heap profile taken at the build's largest live heap to `FILE`")
	if help, ok := parse(fs, args); !ok {
		return usageStatus(help)
	}
	if !isDir(*src, stderr) {
		return 1
	}
	if *cpuProfile != "" {
		stop, err := startProfile(*cpuProfile)
		if err != nil {
			fmt.Fprintf(stderr, "coachbook: %v\n", err)
			return 1
		}
		defer stop()
	}
	if *memProfile != "" {
		stop := make(chan struct{})
		done := make(chan error, 1)
		go func() { done <- profilePeakHeap(*memProfile, time.Second/4, stop) }()
		defer func() {
			close(stop)
			if err := <-done; err != nil {
				fmt.Fprintf(stderr, "coachbook: heap profile: %v\n", err)
			}
		}()
	}
	if *part != "" && *leadership {
		fmt.Fprintln(stderr, "coachbook build: --part and --leadership build different sites; give one")
		return 2
	}
	opts := build.Options{BaseURL: *baseURL, NoReports: *noReports, Site: *part, Leadership: *leadership, Drafts: *drafts, Overwrite: *overwrite, Version: getVersion(), Stop: ctx.Done(), Keys: os.Getenv, Env: os.Getenv, History: gitHistory(*src)}
	res, diags := build.ToDir(os.DirFS(*src), *src, *out, opts)
	if ctx.Err() != nil {
		fmt.Fprintf(stderr, "build stopped; %s was left as it was\n", *out)
		return interrupted
	}
	printDiags(stderr, diags)
	if diags.Fatal() {
		fmt.Fprintf(stderr, "build failed: %s; %s was left as it was\n", diags.Summary(), *out)
		return 1
	}
	st := res.Stats
	fmt.Fprintf(stdout, "built %d guides, %d files (%.1f MB) into %s in %v\n",
		st.Guides, st.Files, float64(st.Bytes)/1e6, *out, st.Duration.Round(1e6))
	if st.Written < st.Files {
		fmt.Fprintf(stdout, "incremental: %d files written, %d unchanged carried over from the previous build\n", st.Written, st.Files-st.Written)
	}
	fmt.Fprintln(stdout, reportsLine(res))
	if *verbose {
		for _, st := range st.Stages {
			fmt.Fprintf(stdout, "  %-28s %v\n", st.Name, st.Took.Round(time.Millisecond))
		}
	}
	if errs, _ := diags.Count(); errs > 0 {
		fmt.Fprintf(stdout, "%s left out of the reports: see /reports/data-health/ (coachbook check fails until fixed)\n", plural(errs, "data row"))
	}
	return 0
}

func runCheck(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlags("check", stderr)
	src := fs.String("s", ".", "site `DIR` to check")
	strict := fs.Bool("strict", false, "treat warnings as errors")
	if help, ok := parse(fs, args); !ok {
		return usageStatus(help)
	}
	if !isDir(*src, stderr) {
		return 1
	}
	diags := build.Check(os.DirFS(*src), build.Options{Version: getVersion(), Stop: ctx.Done(), SiteDir: *src, Env: os.Getenv})
	if ctx.Err() != nil {
		fmt.Fprintln(stderr, "check stopped")
		return interrupted
	}
	diags.Add(trackedData(*src, os.DirFS(*src))...)
	printWithSource(stdout, os.DirFS(*src), diags)
	errs, warns := diags.Count()
	if errs > 0 || (*strict && warns > 0) {
		fmt.Fprintf(stdout, "check: %s\n", diags.Summary())
		return 1
	}
	fmt.Fprintf(stdout, "check: no errors, %s\n", plural(warns, "warning"))
	return 0
}

// gitHistory reads the guides' history from git, once per reading of the
// guides.
func gitHistory(dir string) func() (changes.Log, error) {
	return func() (changes.Log, error) { return changes.Git(dir) }
}

// startProfile starts a CPU profile into file and returns what stops it.
func startProfile(file string) (stop func(), err error) {
	f, err := os.Create(file)
	if err != nil {
		return nil, fmt.Errorf("cpu profile: %w", err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, fmt.Errorf("cpu profile: %w", err)
	}
	return func() { pprof.StopCPUProfile(); f.Close() }, nil
}

// profilePeakHeap writes a heap profile to file each time the live heap
// grows past the largest seen by a tenth, so that when stop is closed the
// file holds what the build kept at about its peak: where the memory went,
// not only where it was allocated.
func profilePeakHeap(file string, every time.Duration, stop <-chan struct{}) error {
	sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	tick := time.NewTicker(every)
	defer tick.Stop()
	var peak uint64
	for {
		select {
		case <-stop:
			if peak == 0 {
				return writeHeapProfile(file)
			}
			return nil
		case <-tick.C:
		}
		metrics.Read(sample)
		if sample[0].Value.Kind() != metrics.KindUint64 {
			continue
		}
		if live := sample[0].Value.Uint64(); live > peak+peak/10 {
			peak = live
			if err := writeHeapProfile(file); err != nil {
				return err
			}
		}
	}
}

func writeHeapProfile(file string) error {
	f, err := os.Create(file)
	if err != nil {
		return err
	}
	if err := pprof.Lookup("heap").WriteTo(f, 0); err != nil {
		f.Close()
		return err
	}
	return f.Close()
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

// maxExcerpts is how many problems `check` shows with their lines; the
// rest are printed one line each.
const maxExcerpts = 50

// printWithSource prints every problem, and under each of the first
// maxExcerpts that is not a single data row the lines around it, as the dev
// server's error page shows them. Each file is read once.
func printWithSource(w io.Writer, site iofs.FS, diags diag.List) {
	files := map[string][]string{}
	shown := 0
	for _, d := range diags {
		fmt.Fprintln(w, d.Error())
		if d.Row || d.Line == 0 || d.File == "" || d.Sheet != "" || !iofs.ValidPath(d.File) || shown >= maxExcerpts {
			continue
		}
		lines, ok := files[d.File]
		if !ok {
			src, _ := iofs.ReadFile(site, d.File)
			lines = diag.SplitLines(src)
			files[d.File] = lines
		}
		around := diag.Around(lines, d.Line, 2)
		if len(around) > 0 {
			shown++
		}
		for _, l := range around {
			mark := "  "
			if l.Bad {
				mark = "> "
			}
			fmt.Fprintf(w, "    %s%5d | %s\n", mark, l.Line, diag.Printable(l.Text))
		}
	}
}

// shownRepeats is how many places of one repeated warning `build` prints;
// the others are counted on one line (`check` prints every one).
const shownRepeats = 3

// printDiags prints a build's problems. A warning (or a data row left
// out) whose message repeats on many places is printed at its first
// shownRepeats places, then counted: 20,000 guides with the same warning
// make four lines, not 20,000.
func printDiags(w io.Writer, diags diag.List) {
	type repeat struct {
		d diag.Diagnostic
		n int
	}
	seen := map[string]*repeat{}
	var order []*repeat
	for _, d := range diags {
		if d.Severity == diag.Error && !d.Row {
			fmt.Fprintln(w, d.Error())
			continue
		}
		key := d.Severity.String() + "\x00" + d.Msg
		r := seen[key]
		if r == nil {
			r = &repeat{d: d}
			seen[key] = r
			order = append(order, r)
		}
		if r.n++; r.n <= shownRepeats {
			fmt.Fprintln(w, d.Error())
		}
	}
	for _, r := range order {
		if more := r.n - shownRepeats; more > 0 {
			fmt.Fprintf(w, "%s: and %d more places with this %s (coachbook check lists every one)\n", r.d.Msg, more, r.d.Severity)
		}
	}
}
