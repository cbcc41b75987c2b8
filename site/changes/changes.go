// Package changes owns when each guide last changed and why. When the site
// is a git repository, one `git log` over content/ gives every guide's last
// commit (its day and subject) and the day it was first committed; a guide
// git does not know (not committed yet, or no repository at all) has its
// file's modification day and no subject.
//
// Days are calendar days: a commit's in its committer's time zone, a
// file's modification time in UTC, so that a build's pages do not depend
// on the machine's time zone.
package changes

import (
	"bufio"
	"bytes"
	"fmt"
	"io/fs"
	"os/exec"
	"strings"
	"time"
)

// Change is the last change of one guide.
type Change struct {
	// Date is the day of the last change, at midnight UTC.
	Date time.Time
	// Subject is the subject line of the last commit that changed the
	// guide; empty when the day comes from the file.
	Subject string
	// Added is the day the guide was first committed; zero when git
	// does not know it.
	Added time.Time
	// Seq orders changes of the same day: 1 for the newest commit, 2 for
	// the one before...; 0 for a file git does not know (not committed
	// yet, so newer than any commit).
	Seq int
}

// Log is the history git knows, by site path ("content/weekly/x.md").
type Log map[string]Change

// recordSep and fieldSep mark a commit's header in the log: neither can
// appear in a date or a subject line.
const (
	recordSep = "\x1e"
	fieldSep  = "\x1f"
)

// Git runs one `git log` in dir (the site folder) over its content/ and
// returns what it says of each file. A folder that is not in a git work
// tree, or a machine without git, gives an empty log and no error.
func Git(dir string) (Log, error) {
	if _, err := exec.LookPath("git"); err != nil {
		return nil, nil
	}
	cmd := exec.Command("git", "-C", dir, "-c", "core.quotePath=false", "log",
		"--no-renames", "--relative", "--name-only", "--format="+recordSep+"%cs"+fieldSep+"%s", "--", "content")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		msg := stderr.String()
		if strings.Contains(msg, "not a git repository") || strings.Contains(msg, "does not have any commits") {
			return nil, nil
		}
		return nil, fmt.Errorf("git log: %v: %s", err, strings.TrimSpace(msg))
	}
	return Parse(out)
}

// Parse reads the output of Git's `git log` command, newest commit first.
func Parse(out []byte) (Log, error) {
	log := Log{}
	var day time.Time
	var subject string
	seq := 0
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if head, ok := strings.CutPrefix(line, recordSep); ok {
			d, s, _ := strings.Cut(head, fieldSep)
			t, err := time.Parse(time.DateOnly, d)
			if err != nil {
				return nil, fmt.Errorf("git log: commit date %q: %v", d, err)
			}
			day, subject = t, s
			seq++
			continue
		}
		if line == "" || day.IsZero() {
			continue
		}
		c, seen := log[line]
		if !seen {
			c = Change{Date: day, Subject: subject, Seq: seq}
		}
		c.Added = day // the oldest commit is read last
		log[line] = c
	}
	return log, sc.Err()
}

// For returns the change of each of files (site paths): git's when the log
// has it, else the day the file was last modified. A file that cannot be
// read has no entry.
func For(site fs.FS, log Log, files []string) map[string]Change {
	out := make(map[string]Change, len(files))
	for _, f := range files {
		if c, ok := log[f]; ok {
			out[f] = c
			continue
		}
		if st, err := fs.Stat(site, f); err == nil && !st.ModTime().IsZero() {
			out[f] = Change{Date: Day(st.ModTime())}
		}
	}
	return out
}

// Day is t's calendar day in UTC, at midnight.
func Day(t time.Time) time.Time {
	y, m, d := t.UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}
