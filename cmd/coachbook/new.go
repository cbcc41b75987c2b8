package main

import (
	"bytes"
	"embed"
	"errors"
	"flag"
	"fmt"
	"io"
	iofs "io/fs"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"text/template"
	"time"

	"github.com/coachbook/coachbook"
	"github.com/coachbook/coachbook/site/config"
	"github.com/coachbook/coachbook/site/content"
	"github.com/coachbook/coachbook/site/orggen"
)

// starter holds the files `coachbook new` writes besides the guides: the
// commented configuration, .gitignore, the Pages workflow, a README and
// the template of a new guide.
//
//go:embed starter
var starter embed.FS

// sampleReps and sampleMonths size the made-up data of a new site: enough
// for every report page to have something to show, small enough to read.
const (
	sampleReps   = 4
	sampleMonths = 4
)

func runNew(args []string, today time.Time, stdout, stderr io.Writer) int {
	if len(args) == 0 || (args[0] != "site" && args[0] != "guide") {
		fmt.Fprint(stderr, "usage:\n  coachbook new site DIR\n  coachbook new guide [-s DIR] [--cadence weekly|monthly|quarterly|as-needed] PATH\n")
		return 2
	}
	if args[0] == "site" {
		return runNewSite(args[1:], today, stdout, stderr)
	}
	return runNewGuide(args[1:], stdout, stderr)
}

func runNewSite(args []string, today time.Time, stdout, stderr io.Writer) int {
	fs := newFlags("new site", stderr)
	title := fs.String("title", "Sales Coaching Playbook", "the site's `title`")
	if err := fs.Parse(args); err != nil {
		return usageStatus(errors.Is(err, flag.ErrHelp))
	}
	if fs.NArg() != 1 {
		fmt.Fprintln(stderr, "usage: coachbook new site [--title TITLE] DIR")
		return 2
	}
	dir := fs.Arg(0)
	if entries, err := os.ReadDir(dir); err == nil && len(entries) > 0 {
		fmt.Fprintf(stderr, "coachbook: %s is not empty; new site writes only into a new or empty folder, so nothing of yours is overwritten\n", dir)
		return 1
	} else if err != nil && !errors.Is(err, iofs.ErrNotExist) {
		fmt.Fprintf(stderr, "coachbook: %v\n", err)
		return 1
	}
	files, err := starterSite(*title, getVersion(), runtime.Version())
	if err == nil {
		err = writeNew(dir, files)
	}
	if err == nil {
		err = sampleData(filepath.Join(dir, "data"), today)
	}
	if err != nil {
		fmt.Fprintf(stderr, "coachbook: new site: %v\n", err)
		return 1
	}
	fmt.Fprintf(stdout, "a new site is in %s: the default guides, sample data and a GitHub Pages workflow\n", dir)
	if pinned := releaseOf(getVersion()); pinned == "latest" {
		fmt.Fprintln(stdout, "this coachbook is a development build, so the workflow installs coachbook@latest; pin a release in .github/workflows/pages.yml")
	}
	fmt.Fprintf(stdout, "next:\n  cd %s\n  coachbook serve          # preview at http://127.0.0.1:1313/\n  coachbook new guide weekly/my-meeting.md\n", dir)
	return 0
}

// starterSite returns the files of a new site but its sample data, by
// slash-separated path.
func starterSite(title, version, goVersion string) (map[string][]byte, error) {
	vars := struct{ Title, Version, GoVersion string }{title, releaseOf(version), goMinor(goVersion)}
	files := map[string][]byte{}
	for name, out := range map[string]string{
		"coachbook.toml": "coachbook.toml",
		"gitignore":      ".gitignore",
		"pages.yml":      ".github/workflows/pages.yml",
		"README.md":      "README.md",
	} {
		b, err := expand(name, vars)
		if err != nil {
			return nil, err
		}
		files[out] = b
	}
	err := iofs.WalkDir(coachbook.Guides, content.Dir, func(p string, d iofs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := iofs.ReadFile(coachbook.Guides, p)
		files[p] = b
		return err
	})
	return files, err
}

// expand runs one starter file as a template; its quote function escapes a
// value for a TOML string.
func expand(name string, vars any) ([]byte, error) {
	src, err := starter.ReadFile("starter/" + name)
	if err != nil {
		return nil, err
	}
	t, err := template.New(name).Funcs(template.FuncMap{"quote": quote}).Parse(string(src))
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	err = t.Execute(&b, vars)
	return b.Bytes(), err
}

// quote writes s as the inside of a double-quoted TOML or YAML string.
func quote(s string) string {
	return strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", " ", "\r", " ", "\t", " ").Replace(s)
}

// releaseOf is the version the workflow installs: this binary's when it is
// a release (or a pseudo-version go install understands), else latest.
func releaseOf(v string) string {
	if strings.HasPrefix(v, "v") {
		return v
	}
	return "latest"
}

// goMinor turns runtime.Version's "go1.26.1" into "1.26" for setup-go.
func goMinor(v string) string {
	v = strings.TrimPrefix(v, "go")
	if parts := strings.SplitN(v, ".", 3); len(parts) >= 2 {
		return parts[0] + "." + strings.TrimFunc(parts[1], func(r rune) bool { return r < '0' || r > '9' })
	}
	return "stable"
}

// writeNew writes files under dir, each created afresh: an existing file
// is an error, never overwritten.
func writeNew(dir string, files map[string][]byte) error {
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	slices.Sort(names)
	for _, n := range names {
		p := filepath.Join(dir, filepath.FromSlash(n))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		f, err := os.OpenFile(p, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
		if err != nil {
			return err
		}
		_, err = f.Write(files[n])
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// sampleData writes a small made-up team into data/, ending today, and
// marks team.toml as sample data.
func sampleData(dir string, today time.Time) error {
	if err := orggen.GenerateWith(dir, orggen.Options{Reps: sampleReps, Months: sampleMonths, AsOf: today, Seed: 1, History: orggen.HistoryLog}); err != nil {
		return err
	}
	team := filepath.Join(dir, "team.toml")
	b, err := os.ReadFile(team)
	if err != nil {
		return err
	}
	note := "# SAMPLE DATA: a made-up team, so that the reports have something to show.\n" +
		"# Replace these files with your CRM's exports (see \"Team data\" in coachbook's README).\n"
	return os.WriteFile(team, append([]byte(note), b...), 0o644)
}

// cadenceGuide is what a new guide of each cadence starts with: its
// meeting's length and an agenda that adds up to it.
var cadenceGuide = map[string]struct {
	duration string
	prepare  []string
	agenda   []agendaItem
}{
	"weekly": {"30m", []string{"Open the rep's weekly report", "Re-read last week's commitments"},
		[]agendaItem{{"Last week's commitments", 5}, {"This week's numbers against target", 10}, {"What to do differently", 10}, {"Commitments for next week", 5}}},
	"monthly": {"1h", []string{"Open the rep's monthly report", "Pick the deals to review"},
		[]agendaItem{{"The month against target", 15}, {"Pipeline and forecast", 25}, {"Deals in play", 15}, {"Actions", 5}}},
	"quarterly": {"2h", []string{"Open the rep's quarterly report", "Read the territory plan of the quarter"},
		[]agendaItem{{"Year to date", 30}, {"Strengths to leverage", 30}, {"Areas to improve", 30}, {"The plan for the next quarter", 30}}},
	"as-needed": {"", []string{"Read the rep's latest report"}, nil},
}

// germanGuide is cadenceGuide's checklist and agenda in German, for a
// site with language = "de" (written from starter/guide.de.md).
var germanGuide = map[string]struct {
	prepare []string
	agenda  []agendaItem
}{
	"weekly": {[]string{"Den Wochenbericht der Person öffnen", "Die Zusagen der letzten Woche noch einmal lesen"},
		[]agendaItem{{"Zusagen der letzten Woche", 5}, {"Die Zahlen dieser Woche gegenüber dem Ziel", 10}, {"Was anders laufen soll", 10}, {"Zusagen für nächste Woche", 5}}},
	"monthly": {[]string{"Den Monatsbericht der Person öffnen", "Die Deals für die Durchsicht auswählen"},
		[]agendaItem{{"Der Monat gegenüber dem Ziel", 15}, {"Pipeline und Forecast", 25}, {"Laufende Deals", 15}, {"Maßnahmen", 5}}},
	"quarterly": {[]string{"Den Quartalsbericht der Person öffnen", "Den Gebietsplan des Quartals lesen"},
		[]agendaItem{{"Seit Jahresbeginn", 30}, {"Stärken, die zu nutzen sind", 30}, {"Verbesserungsfelder", 30}, {"Der Plan für das nächste Quartal", 30}}},
	"as-needed": {[]string{"Den neuesten Bericht der Person lesen"}, nil},
}

type agendaItem struct {
	Item    string
	Minutes int
}

func runNewGuide(args []string, stdout, stderr io.Writer) int {
	fs := newFlags("new guide", stderr)
	src := fs.String("s", ".", "site `DIR`")
	cadence := fs.String("cadence", "", "the guide's `cadence` (weekly, monthly, quarterly, as-needed); default: the folder's name when it is one, else as-needed")
	if err := fs.Parse(args); err != nil {
		return usageStatus(errors.Is(err, flag.ErrHelp))
	}
	if fs.NArg() > 1 {
		// Flags after the path, as in "new guide x.md --cadence monthly".
		path := fs.Arg(0)
		if err := fs.Parse(fs.Args()[1:]); err != nil {
			return usageStatus(errors.Is(err, flag.ErrHelp))
		}
		if fs.NArg() == 0 {
			fs.Parse([]string{path})
		}
	}
	if fs.NArg() != 1 {
		fmt.Fprintln(stderr, "usage: coachbook new guide [-s DIR] [--cadence CADENCE] PATH   (PATH under content/, such as weekly/my-meeting.md)")
		return 2
	}
	rel, err := guidePath(fs.Arg(0))
	if err != nil {
		fmt.Fprintf(stderr, "coachbook: new guide: %v\n", err)
		return 2
	}
	c := *cadence
	if c == "" {
		c = "as-needed"
		if dir := path.Base(path.Dir(rel)); slices.Contains(content.Cadences, dir) {
			c = dir
		}
	}
	g, ok := cadenceGuide[c]
	if !ok {
		fmt.Fprintf(stderr, "coachbook: new guide: --cadence %q: use one of %s\n", c, strings.Join(content.Cadences, ", "))
		return 2
	}
	if !isDir(*src, stderr) {
		return 1
	}
	// A German site's new guide is written in German.
	file, prepare, agenda := "guide.md", g.prepare, g.agenda
	if cfg, _ := config.Load(os.DirFS(*src)); cfg != nil && cfg.Language == "de" {
		de := germanGuide[c]
		file, prepare, agenda = "guide.de.md", de.prepare, de.agenda
	}
	b, err := expand(file, struct {
		Title, Cadence, Duration string
		Prepare                  []string
		Agenda                   []agendaItem
	}{titleOf(rel), c, g.duration, prepare, agenda})
	if err == nil {
		err = writeNew(*src, map[string][]byte{content.Dir + "/" + rel: b})
	}
	if errors.Is(err, iofs.ErrExist) {
		fmt.Fprintf(stderr, "coachbook: new guide: %s already exists; it was left as it is\n", filepath.Join(*src, content.Dir, rel))
		return 1
	}
	if err != nil {
		fmt.Fprintf(stderr, "coachbook: new guide: %v\n", err)
		return 1
	}
	fmt.Fprintf(stdout, "wrote %s (cadence %s)\n", filepath.Join(*src, content.Dir, rel), c)
	return 0
}

// guidePath turns the command line's PATH into a path under content/:
// "weekly/x.md", "content/weekly/x.md" and "weekly/x" all name
// content/weekly/x.md.
func guidePath(arg string) (string, error) {
	p := path.Clean(filepath.ToSlash(arg))
	p = strings.TrimPrefix(p, content.Dir+"/")
	if !strings.HasSuffix(p, ".md") {
		p += ".md"
	}
	if !iofs.ValidPath(p) || strings.HasPrefix(path.Base(p), "_") || path.Base(p) == ".md" {
		return "", fmt.Errorf("%q is not a guide path under content/; write it like weekly/my-meeting.md", arg)
	}
	return p, nil
}

// titleOf makes a title from a file name: "deal-reviews.md" is
// "Deal reviews".
func titleOf(rel string) string {
	name := strings.TrimSuffix(path.Base(rel), ".md")
	name = strings.TrimSpace(strings.NewReplacer("-", " ", "_", " ").Replace(name))
	if name == "" {
		return "New guide"
	}
	return strings.ToUpper(name[:1]) + name[1:]
}
