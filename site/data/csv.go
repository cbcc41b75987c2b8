package data

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"slices"
	"strings"

	"github.com/coachbook/coachbook/site/civil"
	"github.com/coachbook/coachbook/site/config"
	"github.com/coachbook/coachbook/site/diag"
)

// fieldSpec describes one canonical field of a kind of CSV file.
type fieldSpec struct {
	name     string
	required bool
	date     bool
	// firstOf: every header of the preset's list that the file has is
	// read, in order, and the first non-blank value is the field's.
	firstOf bool
	feeds   []string // the metrics that need the field, named when a preset's column is missing
}

// FileStats accounts for every line of a data file.
type FileStats struct {
	Kind    string
	Path    string
	Present bool
	Lines   int // physical lines in the file, header included
	Rows    int // data rows read (header, blank and footer lines excluded)
	Used    int // rows that feed the reports
	// Elsewhere counts the rows of reps another site of the org publishes
	// (a part's data, see Data.ForSite): read, and not used here.
	Elsewhere int
	Rejected  int // rows left out, each with a diagnostic
	Footer    int // report footer lines skipped (Salesforce's, after a blank line)
	Blank     int // rows with every field empty
	// Continued counts the lines that continue a quoted value of the row
	// above, so Lines = 1 + Rows + Blank + Footer + Continued.
	Continued int
	Columns   map[string]string // canonical field -> header used
}

// table reads one CSV file row by row through the column mapping.
type table struct {
	file    string
	kind    string
	src     *config.Source
	decimal byte
	col     map[string]int // canonical field -> column index
	// alts are further columns of a field, read in order when the first
	// is blank ([data.<kind>.columns] field = ["A", "B"], or a firstOf field).
	alts    map[string][]int
	header  []string
	layouts map[string]DateLayout
	stats   *FileStats
	diags   *diag.List

	rec  []string
	line int
	cr   rowReader
	// sheet is the worksheet of an .xlsx file ("" for CSV); mark is where
	// the file's diagnostics start in diags, to name the sheet in them.
	sheet string
	mark  int
	// afterBlank: the last row was blank; footer: Salesforce's report
	// footer has begun (a blank line, then "Grand Totals" and the like).
	afterBlank, footer bool
	// repCache remembers how each raw rep value resolved (-1: unknown), so
	// a million rows cost a million map look-ups, not a million ToLower calls.
	repCache map[string]int
	unknown  map[string]*unknownRep
	encoding string
	// recoded is set once a value that was not UTF-8 has been read as
	// Windows-1252 (with encoding auto), so the warning comes once per file.
	recoded bool
}

// unknownRep counts the rows that name one rep who is not in the team.
type unknownRep struct {
	value            string
	col              int
	rows, more, last int // more: line of the first row not listed
}

// maxPerUnknownRep is how many rows naming the same unknown rep are listed
// one by one; the rest are summed up in one line.
const maxPerUnknownRep = 3

func normHeader(s string) string {
	s = strings.TrimPrefix(s, "\ufeff")
	return strings.ToLower(strings.Join(strings.Fields(s), " "))
}

// newReader returns a CSV reader over the file decoded to UTF-8 (see
// decoder: byte-order marks, UTF-16, Windows-1252).
func newReader(r io.Reader, encoding string) *recordReader {
	return newRecordReader(decoder(r, encoding))
}

// openTable opens the file of kind, maps its header and decides its date
// layouts. It returns nil when the file is absent or cannot be used at all
// (the reason is in diags, as a fatal error).
func openTable(site fs.FS, kind string, src *config.Source, fields []fieldSpec, diags *diag.List, stats *FileStats) (*table, func()) {
	file := src.Path
	stats.Kind, stats.Path = kind, file
	f, err := site.Open(file)
	if errors.Is(err, fs.ErrNotExist) {
		if src.Line > 0 { // configured explicitly: say that it is missing
			diags.Errorf(config.File, src.Line, "[data.%s] path %q: no such file in the site", kind, file)
		}
		return nil, nil
	}
	if err != nil {
		diags.Errorf(file, 0, "cannot read: %v", err)
		return nil, nil
	}
	stats.Present = true
	opened := false
	defer func() {
		if !opened {
			f.Close()
		}
	}()
	t := &table{file: file, kind: kind, src: src, col: map[string]int{}, layouts: map[string]DateLayout{}, stats: stats, diags: diags,
		decimal: src.Decimal[0], encoding: src.Encoding, mark: len(*diags)} // both checked by config
	defer func() {
		if !opened {
			t.nameSheet()
		}
	}()
	if IsXLSX(file) {
		x, err := openXLSX(site, file, src.Sheet)
		if err != nil {
			diags.Errorf(file, 0, "%v", err)
			return nil, nil
		}
		t.cr, t.sheet = x, x.Sheet
	} else {
		t.cr = newReader(f, t.encoding)
	}
	header, err := t.cr.Read()
	if err == io.EOF {
		return nil, nil // an empty file has no rows to account for
	}
	if err != nil {
		diags.Add(csvDiag(file, err, false))
		return nil, nil
	}
	_, stats.Lines = t.cr.lineSpan()
	t.cr.setWidth(len(header))
	t.header = slices.Clone(header)
	for i, h := range t.header {
		if !validText(h) {
			t.header[i] = fromWindows1252(h)
		}
	}
	if !t.mapColumns(fields) || !t.decideLayouts(site, fields) {
		return nil, nil
	}
	opened = true
	return t, func() { t.finish(); t.nameSheet(); f.Close() }
}

// nameSheet puts the worksheet's name in the diagnostics of an .xlsx
// file, so they read data/Deals.xlsx:Sheet1!F12.
func (t *table) nameSheet() {
	if t.sheet == "" {
		return
	}
	for i := t.mark; i < len(*t.diags); i++ {
		if d := &(*t.diags)[i]; d.File == t.file && d.Sheet == "" {
			d.Sheet = t.sheet
		}
	}
}

// reread returns a reader of the file's rows from the start, after the
// header, for a second pass.
func (t *table) reread(site fs.FS) (rowReader, func(), error) {
	if x, ok := t.cr.(*xlsxReader); ok {
		again := &xlsxReader{rows: x.rows, Sheet: x.Sheet, width: len(t.header)}
		_, _ = again.Read()
		return again, func() {}, nil
	}
	f, err := site.Open(t.file)
	if err != nil {
		return nil, nil, err
	}
	cr := newReader(f, t.encoding)
	_, _ = cr.Read() // header
	cr.setWidth(len(t.header))
	return cr, func() { f.Close() }, nil
}

// finish sums up the rows that were not listed one by one.
func (t *table) finish() {
	for _, u := range t.unknown {
		more := u.rows - maxPerUnknownRep
		if more == 1 {
			t.diags.Add(diag.Diagnostic{File: t.file, Line: u.more, Col: u.col, Severity: diag.Error, Row: true,
				Msg: fmt.Sprintf("rep %q is not in data/team.toml; add them to [[reps]] or add %q to an existing rep's aliases; the row is left out", u.value, u.value)})
		}
		if more > 1 {
			t.diags.Add(diag.Diagnostic{File: t.file, Line: u.more, Col: u.col, Severity: diag.Error, Row: true,
				Msg: fmt.Sprintf("this row and %d more up to line %d name rep %q, who is not in data/team.toml; they are left out too", more-1, u.last, u.value)})
		}
	}
}

// mapColumns finds each canonical field's column: the header named in
// [data.<kind>.columns], else the preset's headers, else the field's own name.
func (t *table) mapColumns(fields []fieldSpec) bool {
	idx := map[string]int{}
	for i, h := range t.header {
		if _, dup := idx[normHeader(h)]; !dup {
			idx[normHeader(h)] = i
		}
	}
	known := map[string]bool{}
	for _, f := range fields {
		known[f.name] = true
	}
	for field := range t.src.Columns {
		if !known[field] {
			names := make([]string, len(fields))
			for i, f := range fields {
				names[i] = f.name
			}
			t.diags.Errorf(config.File, t.src.Line, "[data.%s.columns] maps %q, which is not a field of %s; the fields are %s (write field = \"Header in your file\")", t.kind, field, t.kind, strings.Join(names, ", "))
			return false
		}
	}
	preset, ok := presets[strings.ToLower(t.src.Preset)]
	if t.src.Preset != "" && !ok {
		t.diags.Errorf(config.File, t.src.Line, "[data.%s] preset %q is not known; use salesforce, hubspot or pipedrive, or map the headers with [data.%s.columns]", t.kind, t.src.Preset, t.kind)
		return false
	}
	t.stats.Columns = map[string]string{}
	okAll := true
	for _, f := range fields {
		var candidates []string
		if h, set := t.src.Columns[f.name]; set {
			candidates = []string{h}
		} else {
			candidates = append(candidates, preset.columns[t.kind][f.name]...)
			candidates = append(candidates, f.name)
			if spaced := strings.ReplaceAll(f.name, "_", " "); spaced != f.name {
				candidates = append(candidates, spaced)
			}
		}
		found := -1
		for _, c := range candidates {
			if i, ok := idx[normHeader(c)]; ok {
				if found < 0 {
					found = i
					if !f.firstOf {
						break
					}
				} else if i != found && !slices.Contains(t.alts[f.name], i) {
					t.addAlt(f.name, i)
				}
			}
		}
		if found >= 0 {
			for _, h := range t.src.Fallbacks[f.name] {
				i, ok := idx[normHeader(h)]
				if !ok {
					t.diags.Errorf(t.file, 1, "column %q (mapped to %s in coachbook.toml) is not in the header; the headers are: %s", h, f.name, quoteList(t.header))
					okAll = false
					continue
				}
				t.addAlt(f.name, i)
			}
			t.col[f.name] = found
			t.stats.Columns[f.name] = t.header[found]
			continue
		}
		if _, set := t.src.Columns[f.name]; set {
			t.diags.Errorf(t.file, 1, "column %q (mapped to %s in coachbook.toml) is not in the header; the headers are: %s", t.src.Columns[f.name], f.name, quoteList(t.header))
			okAll = false
		} else if len(f.feeds) > 0 && len(preset.columns[t.kind][f.name]) > 0 {
			// The preset's export has this column: a view exported without
			// it would silently change numbers.
			t.diags.Errorf(t.file, 1, "no column for %s, which the %s preset expects; tried the headers %s; it feeds %s; the headers are: %s; export the column, or map it with [data.%s.columns] %s = \"<header>\"", f.name, t.src.Preset, quoteList(candidates), strings.Join(f.feeds, ", "), quoteList(t.header), t.kind, f.name)
			okAll = false
		} else if f.required && !(f.name == "type" && t.src.Type != "") {
			t.diags.Errorf(t.file, 1, "no column for %s; the headers are: %s; add [data.%s.columns] %s = \"<header>\" to coachbook.toml", f.name, quoteList(t.header), t.kind, f.name)
			okAll = false
		}
	}
	return okAll
}

// addAlt adds a further column to a field.
func (t *table) addAlt(field string, i int) {
	if t.alts == nil {
		t.alts = map[string][]int{}
	}
	t.alts[field] = append(t.alts[field], i)
}

func quoteList(hs []string) string {
	q := make([]string, len(hs))
	for i, h := range hs {
		q[i] = fmt.Sprintf("%q", strings.TrimPrefix(h, "\ufeff"))
	}
	return strings.Join(q, ", ")
}

// decideLayouts fixes the layout of each date column. With date_format
// "auto" it reads the column until a value proves ISO, day-first or
// month-first; a column whose every value reads both ways is an error that
// asks for date_format. It never guesses row by row.
func (t *table) decideLayouts(site fs.FS, fields []fieldSpec) bool {
	var pending []string
	fixed, isFixed := layoutFor(t.src.DateFormat)
	for _, f := range fields {
		if _, mapped := t.col[f.name]; !mapped || !f.date {
			continue
		}
		if isFixed {
			t.layouts[f.name] = fixed
		} else {
			pending = append(pending, f.name)
		}
	}
	if len(pending) == 0 {
		return true
	}
	cr, done, err := t.reread(site)
	if err != nil {
		t.diags.Errorf(t.file, 0, "cannot read: %v", err)
		return false
	}
	defer done()
	ambiguous := map[string]string{}
	for len(pending) > 0 {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			continue // reported as a row problem in the real pass
		}
		pending = slices.DeleteFunc(pending, func(name string) bool {
			i := t.col[name]
			if i >= len(rec) || strings.TrimSpace(rec[i]) == "" {
				return false
			}
			l, err := guessLayout(rec[i])
			switch {
			case err == nil:
				t.layouts[name] = l
				return true
			case errors.Is(err, errAmbiguous):
				if _, seen := ambiguous[name]; !seen {
					ambiguous[name] = strings.TrimSpace(rec[i])
				}
			}
			return false
		})
	}
	ok := true
	for _, name := range pending {
		if example, amb := ambiguous[name]; amb {
			t.diags.Errorf(t.file, 1, "column %q (%s): every date, like %q, reads both as month/day and as day/month; set date_format = \"1/2/2006\" (month first) or \"2/1/2006\" (day first) in [data.%s] of coachbook.toml", t.header[t.col[name]], name, example, t.kind)
			ok = false
			continue
		}
		t.layouts[name] = isoLayout // no usable value: each row reports its own
	}
	return ok
}

// next reads the next data row. It returns false at the end of the file.
func (t *table) next() bool {
	for {
		rec, err := t.cr.Read()
		if err == io.EOF {
			return false
		}
		line, span := t.cr.lineSpan()
		t.stats.Lines += span
		t.stats.Continued += span - 1
		t.line = line
		if err != nil {
			var ce *csvError
			if !errors.As(err, &ce) {
				t.diags.Errorf(t.file, t.line, "cannot read: %v", err)
				return false
			}
			t.stats.Rows++
			t.stats.Rejected++
			t.diags.Add(csvDiag(t.file, err, true))
			t.afterBlank = false
			continue
		}
		blank := true
		for _, v := range rec {
			blank = blank && strings.TrimSpace(v) == ""
		}
		if blank {
			t.stats.Blank++
			t.afterBlank = true
			continue
		}
		// A footer is only what a CRM writes after the data: a blank line,
		// then "Grand Totals" or the confidentiality lines, then lines
		// shorter than a row. A full row is always data.
		if (t.afterBlank && isFooter(rec, len(t.header))) || (t.footer && len(rec) < len(t.header)) {
			t.footer = true
			t.stats.Footer++
			continue
		}
		t.afterBlank = false
		t.stats.Rows++
		if !t.fixText(rec) {
			continue
		}
		if len(rec) != len(t.header) {
			t.reject(0, "has %d fields but the header has %d; check for an unquoted comma in a value", len(rec), len(t.header))
			continue
		}
		t.rec = rec
		return true
	}
}

// fixText makes every value of the row UTF-8: with encoding auto, a value
// that is not is read as Windows-1252 (Excel's default on Windows) and the
// file gets one warning; with utf-8 the row is rejected.
func (t *table) fixText(rec []string) bool {
	for i, v := range rec {
		if validText(v) {
			continue
		}
		if t.encoding == config.EncodingUTF8 {
			_, col := t.cr.FieldPos(i)
			t.reject(col, "value %d is not UTF-8 text; save the file as UTF-8 or set encoding = \"windows-1252\" in [data.%s]", i+1, t.kind)
			return false
		}
		rec[i] = fromWindows1252(v)
		if !t.recoded {
			t.recoded = true
			t.diags.Add(diag.Diagnostic{File: t.file, Line: t.line, Severity: diag.Warning, Row: true,
				Msg: fmt.Sprintf("this file is not UTF-8; values like %q were read as Windows-1252 (Excel's default); set encoding = \"windows-1252\" in [data.%s] to say so, or save the file as UTF-8", rec[i], t.kind)})
		}
	}
	return true
}

// isFooter recognises the first line of the footer a CRM report adds
// after the data and a blank line: Salesforce's "Grand Totals (N records)",
// or a confidentiality or copyright line.
func isFooter(rec []string, width int) bool {
	first := strings.TrimSpace(rec[0])
	if strings.HasPrefix(first, "Grand Totals") {
		return true
	}
	if width > 1 && len(rec) == 1 {
		l := strings.ToLower(first)
		return strings.HasPrefix(l, "confidential") || strings.HasPrefix(l, "copyright")
	}
	return false
}

func csvDiag(file string, err error, row bool) diag.Diagnostic {
	d := diag.Diagnostic{File: file, Severity: diag.Error, Msg: err.Error(), Row: row}
	var ce *csvError
	if errors.As(err, &ce) {
		d.Line, d.Col = ce.line, ce.col
		d.Msg = "CSV: " + ce.msg
		if row {
			d.Msg += "; the row is left out"
		}
	}
	return d
}

// has reports whether a field has a column.
func (t *table) has(field string) bool {
	_, ok := t.col[field]
	return ok
}

// get returns a field's trimmed value, or "" when the field is not mapped:
// the first non-blank of its columns.
func (t *table) get(field string) string {
	i, ok := t.col[field]
	if !ok {
		return ""
	}
	v := strings.TrimSpace(t.rec[i])
	if v == "" && t.alts != nil {
		for _, j := range t.alts[field] {
			if v = strings.TrimSpace(t.rec[j]); v != "" {
				break
			}
		}
	}
	return v
}

// colOf returns the 1-based column of a field in the current row, for
// messages: the column its value came from.
func (t *table) colOf(field string) int {
	i, ok := t.col[field]
	if !ok {
		return 0
	}
	if strings.TrimSpace(t.rec[i]) == "" && t.alts != nil {
		for _, j := range t.alts[field] {
			if strings.TrimSpace(t.rec[j]) != "" {
				i = j
				break
			}
		}
	}
	_, c := t.cr.FieldPos(i)
	return c
}

// reject reports the current row as left out.
func (t *table) reject(col int, format string, args ...any) {
	t.stats.Rejected++
	t.diags.Add(diag.Diagnostic{File: t.file, Line: t.line, Col: col, Severity: diag.Error, Row: true,
		Msg: fmt.Sprintf(format, args...) + "; the row is left out"})
}

// warn reports a problem with the current row, which is still used.
func (t *table) warn(field, format string, args ...any) {
	t.diags.Add(diag.Diagnostic{File: t.file, Line: t.line, Col: t.colOf(field), Severity: diag.Warning, Row: true,
		Msg: fmt.Sprintf(format, args...)})
}

// date parses a date field; ok is false after rejecting the row. A blank
// optional date is civil.None.
func (t *table) date(field string, required bool) (civil.Date, bool) {
	v := t.get(field)
	if v == "" {
		if required {
			t.reject(t.colOf(field), "%s is blank", field)
			return civil.None, false
		}
		return civil.None, true
	}
	d, err := ParseDate(v, t.layouts[field])
	if err != nil {
		t.reject(t.colOf(field), "%s: %v", field, err)
		return civil.None, false
	}
	return d, true
}

// amount parses an amount field; blank is (0, false, true).
func (t *table) amount(field string) (v float64, set, ok bool) {
	s := t.get(field)
	if s == "" {
		return 0, false, true
	}
	v, err := ParseAmount(s, t.decimal)
	if err != nil {
		t.reject(t.colOf(field), "%s: %v", field, err)
		return 0, false, false
	}
	return v, true, true
}

// rep resolves the rep field; ok is false after rejecting the row.
func (t *table) rep(team *Team, field string) (int, bool) {
	v := t.get(field)
	if v == "" {
		t.reject(t.colOf(field), "%s is blank", field)
		return -1, false
	}
	i, cached := t.repCache[v]
	if !cached {
		i = team.Rep(v)
		if t.repCache == nil {
			t.repCache = map[string]int{}
		}
		t.repCache[strings.Clone(v)] = i
	}
	if i < 0 {
		u := t.unknown[v]
		if u == nil {
			if t.unknown == nil {
				t.unknown = map[string]*unknownRep{}
			}
			u = &unknownRep{value: strings.Clone(v), col: t.colOf(field)}
			t.unknown[u.value] = u
		}
		u.rows++
		u.last = t.line
		if u.rows <= maxPerUnknownRep {
			t.reject(t.colOf(field), "%s %q is not in data/team.toml; add them to [[reps]] or add %q to an existing rep's aliases", field, v, v)
		} else {
			if u.more == 0 {
				u.more = t.line
			}
			t.stats.Rejected++
		}
		return -1, false
	}
	return i, true
}
