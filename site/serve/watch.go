package serve

import (
	"context"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/coachbook/coachbook/site/build"
	"github.com/coachbook/coachbook/site/config"
	"github.com/coachbook/coachbook/site/content"
	"github.com/coachbook/coachbook/site/seal"
	"github.com/fsnotify/fsnotify"
)

// watched are the site folders whose changes trigger a rebuild.
var watched = []string{content.Dir, "data", "themes"}

// watcher turns file events into debounced rebuilds.
type watcher struct {
	dir string
	fw  *fsnotify.Watcher
	log *slog.Logger
	// commits are the git files a commit or checkout writes (HEAD and
	// logs/HEAD of the repository holding the site), when there is one.
	commits []string
}

func newWatcher(dir string, log *slog.Logger) (*watcher, error) {
	fw, err := fsnotify.NewWatcher()
	if err != nil {
		return nil, err
	}
	w := &watcher{dir: dir, fw: fw, log: log}
	// The site folder itself, for coachbook.toml and for content/, data/ or
	// themes/ created after the server started.
	if err := fw.Add(dir); err != nil {
		fw.Close()
		return nil, err
	}
	for _, sub := range watched {
		w.addTree(filepath.Join(dir, sub))
	}
	w.watchGit()
	return w, nil
}

// watchGit watches the folders of the two files a commit, amend, reset or
// checkout writes, so that the guides' last commits are read again after
// one and only then (git log runs on a new commit, never per request).
func (w *watcher) watchGit() {
	gd := gitDir(w.dir)
	if gd == "" {
		return
	}
	for _, sub := range []string{"", "logs"} {
		if err := w.fw.Add(filepath.Join(gd, sub)); err == nil {
			w.commits = append(w.commits, filepath.Join(gd, sub, "HEAD"))
		}
	}
}

// gitDir finds the git folder of the repository holding dir: a .git
// folder in dir or above, or the folder a .git file (a worktree's) names.
// It is "" outside a repository.
func gitDir(dir string) string {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return ""
	}
	for {
		p := filepath.Join(dir, ".git")
		if st, err := os.Stat(p); err == nil {
			if st.IsDir() {
				return p
			}
			b, err := os.ReadFile(p)
			if rest, ok := strings.CutPrefix(strings.TrimSpace(string(b)), "gitdir:"); err == nil && ok {
				gd := strings.TrimSpace(rest)
				if !filepath.IsAbs(gd) {
					gd = filepath.Join(dir, gd)
				}
				return gd
			}
			return ""
		}
		up := filepath.Dir(dir)
		if up == dir {
			return ""
		}
		dir = up
	}
}

func (w *watcher) Close() error { return w.fw.Close() }

// addTree watches a folder and every folder below it.
func (w *watcher) addTree(root string) {
	_ = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil // gone or unreadable: nothing to watch
		}
		if d.IsDir() {
			if p != root && content.Ignored(d.Name()) {
				return filepath.SkipDir
			}
			if err := w.fw.Add(p); err != nil {
				w.log.Warn("cannot watch folder", "folder", p, "err", err)
			}
		}
		return nil
	})
}

// classify maps a changed path to the stage it feeds, or 0 to ignore it.
func (w *watcher) classify(p string) (build.Change, string) {
	if slices.Contains(w.commits, p) {
		return build.ChangeHistory, ""
	}
	rel, err := filepath.Rel(w.dir, p)
	if err != nil {
		return 0, ""
	}
	rel = filepath.ToSlash(rel)
	if content.Ignored(filepath.Base(rel)) {
		return 0, rel
	}
	top, _, _ := strings.Cut(rel, "/")
	switch {
	case rel == config.File:
		return build.ChangeConfig, rel
	case top == content.Dir:
		return build.ChangeContent, rel
	case top == seal.Dir, rel == seal.File:
		return build.ChangeData, rel
	case top == "themes":
		return build.ChangeTheme, rel
	}
	return 0, rel
}

// run collects events until the burst has been quiet for debounce, then
// calls rebuild once with what changed: the stages and the files (site
// paths, each once).
func (w *watcher) run(ctx context.Context, debounce time.Duration, rebuild func(build.Change, []string)) {
	var pending build.Change
	var files []string
	timer := time.NewTimer(time.Hour)
	timer.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case ev, ok := <-w.fw.Events:
			if !ok {
				return
			}
			change, rel := w.classify(ev.Name)
			if change == 0 {
				continue
			}
			if ev.Has(fsnotify.Create) {
				if st, err := os.Stat(ev.Name); err == nil && st.IsDir() {
					w.addTree(ev.Name)
				}
			}
			pending |= change
			if rel != "" && !slices.Contains(files, rel) {
				files = append(files, rel)
			}
			timer.Reset(debounce)
		case err, ok := <-w.fw.Errors:
			if !ok {
				return
			}
			w.log.Warn("file watcher", "err", err)
		case <-timer.C:
			if pending != 0 {
				rebuild(pending, files)
			}
			pending, files = 0, nil
		}
	}
}
