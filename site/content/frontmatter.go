package content

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/coachbook/coachbook/site/diag"
	"github.com/coachbook/coachbook/site/metric"
)

// Delim is the line that opens and closes a guide's TOML front matter.
const Delim = "+++"

// ErrUnclosed is returned by SplitFrontMatter when the opening "+++" line has
// no closing partner.
var ErrUnclosed = errors.New(`front matter opened with "+++" on line 1 is never closed; add a line with just +++ after the last key`)

// SplitFrontMatter separates TOML front matter from the markdown body.
//
// The front matter is the text between a first line of exactly "+++" and the
// next line of exactly "+++" (trailing spaces and a CR allowed; a UTF-8 BOM
// before the first line is skipped). The body is returned with every
// front-matter line, delimiters included, replaced by an empty line, so a
// byte of the body sits on the same line number as in the file and markdown
// positions need no correction. Front matter line 1 is file line 2.
//
// A file that does not start with "+++" has no front matter: fm is nil and
// body is the whole file.
func SplitFrontMatter(src []byte) (fm, body []byte, err error) {
	src = bytes.TrimPrefix(src, []byte("\xef\xbb\xbf"))
	first, rest, ok := cutLine(src)
	if !isDelim(first) {
		return nil, src, nil
	}
	start := len(src) - len(rest)
	lines := 1
	for pos := start; ok || pos < len(src); {
		var line []byte
		line, rest, ok = cutLine(src[pos:])
		lines++
		if isDelim(line) {
			fm = src[start:pos]
			end := len(src) - len(rest)
			if !ok {
				end = len(src)
			}
			body = make([]byte, 0, lines+len(src)-end)
			body = append(body, bytes.Repeat([]byte{'\n'}, lines)...)
			body = append(body, src[end:]...)
			if !ok { // the closing delimiter was the last line, with no newline
				body = body[:lines-1]
			}
			return fm, body, nil
		}
		if !ok {
			break
		}
		pos = len(src) - len(rest)
	}
	return nil, nil, ErrUnclosed
}

// cutLine returns the first line of b without its "\n", the remainder after
// it, and whether a newline was found.
func cutLine(b []byte) (line, rest []byte, found bool) {
	line, rest, found = bytes.Cut(b, []byte{'\n'})
	return line, rest, found
}

func isDelim(line []byte) bool {
	return string(bytes.TrimRight(line, " \t\r")) == Delim
}

// reportCadence maps a cadence word of a guide or a [[coaches]] entry to
// the report cadence it serves ("" for as-needed or blank: any report).
func reportCadence(c string) (string, bool) {
	switch strings.ToLower(strings.TrimSpace(c)) {
	case "week", "weekly":
		return "week", true
	case "month", "monthly":
		return "month", true
	case "quarter", "quarterly":
		return "quarter", true
	case "", "as-needed", "any":
		return "", true
	}
	return "", false
}

// frontMatter is the TOML between a guide's "+++" lines, as written.
type frontMatter struct {
	Title    string
	Cadence  string
	Duration string
	Weight   int
	Summary  string
	Prepare  []string
	Draft    bool
	Agenda   []struct {
		Item    string
		Minutes int
	}
	Coaches []struct {
		Metric  string
		Section string
		Cadence string
		Pattern bool
	}
}

// applyFrontMatter checks the front matter and fills p's fields from it;
// keys gives the file line of each key (see diag.KeyLines), for the
// problems.
func (p *Page) applyFrontMatter(fm frontMatter, keys map[string]int) diag.List {
	var diags diag.List
	f := p.File
	p.Title = strings.TrimSpace(fm.Title)
	p.Weight = fm.Weight
	p.Summary = strings.TrimSpace(fm.Summary)
	p.Draft = fm.Draft
	for i, item := range fm.Prepare {
		if item = strings.TrimSpace(item); item == "" {
			diags.Warnf(f, keys["prepare"], "prepare item %d is empty; remove it or write what to prepare", i+1)
			continue
		}
		p.Prepare = append(p.Prepare, item)
	}
	p.Cadence = strings.ToLower(strings.TrimSpace(fm.Cadence))
	if p.Cadence != "" && !slices.Contains(Cadences, p.Cadence) {
		diags.Errorf(f, keys["cadence"], "unknown cadence %q; use one of %s", fm.Cadence, strings.Join(Cadences, ", "))
	}
	if fm.Duration != "" {
		d, err := time.ParseDuration(strings.ReplaceAll(fm.Duration, " ", ""))
		if err != nil || d <= 0 || d%time.Minute != 0 {
			diags.Errorf(f, keys["duration"], "duration %q is not a length of time; write it like \"30m\", \"45m\" or \"1h30m\"", fm.Duration)
		} else {
			p.Duration = d
		}
	}
	start := 0
	for i, a := range fm.Agenda {
		line := keys[fmt.Sprintf("agenda.%d", i)]
		item := strings.TrimSpace(a.Item)
		if item == "" {
			diags.Errorf(f, line, "agenda entry %d has no item; add item = \"what is discussed\"", i+1)
		}
		if a.Minutes < 0 {
			diags.Errorf(f, keys[fmt.Sprintf("agenda.%d.minutes", i)], "agenda entry %d has negative minutes (%d)", i+1, a.Minutes)
		}
		p.Agenda = append(p.Agenda, AgendaItem{Item: item, Minutes: a.Minutes, Start: start})
		start += max(a.Minutes, 0)
	}
	if len(p.Agenda) > 0 && p.Duration > 0 && start != p.Minutes() {
		diags.Warnf(f, keys["duration"], "the agenda adds up to %d minutes but the duration is %d minutes; change the agenda's minutes or the duration so they agree", start, p.Minutes())
	}
	for i, c := range fm.Coaches {
		line := keys[fmt.Sprintf("coaches.%d.metric", i)]
		if line == 0 {
			line = keys[fmt.Sprintf("coaches.%d", i)]
		}
		def, ok := metric.Lookup(strings.TrimSpace(c.Metric))
		if !ok {
			diags.Errorf(f, line, "unknown metric %q; use activity.<type> (like activity.meetings_set) or one of %s", c.Metric, strings.Join(metric.IDs(), ", "))
		}
		cad, ok := reportCadence(c.Cadence)
		if c.Cadence == "" {
			cad, _ = reportCadence(p.Cadence)
		} else if !ok {
			diags.Errorf(f, keys[fmt.Sprintf("coaches.%d.cadence", i)], "unknown cadence %q in [[coaches]]; use week, month or quarter (the report whose meeting the section serves), or leave it out", c.Cadence)
		}
		sectionLine := keys[fmt.Sprintf("coaches.%d.section", i)]
		if sectionLine == 0 {
			sectionLine = keys[fmt.Sprintf("coaches.%d", i)]
		}
		p.coachLines = append(p.coachLines, sectionLine)
		p.Coaches = append(p.Coaches, Coach{Metric: strings.TrimSpace(c.Metric), Section: strings.TrimSpace(c.Section), Cadence: cad, Pattern: c.Pattern, Def: def})
	}
	return diags
}
