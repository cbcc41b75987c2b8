// Package config owns coachbook.toml: every key, its default, and the checks
// that can be made on the file alone. All keys are optional; a site with no
// coachbook.toml at all builds with the defaults below.
//
//	title = "Sales Coaching Playbook"  # shown in the header and <title>
//	description = ""                   # home page meta description
//	base_url = "/"                     # where the site is published; a path
//	                                   # such as https://org.github.io/playbook/
//	                                   # is honoured by every link
//	theme = "default"                  # themes/<name>/ overrides the built-in
//	                                   # default theme file by file
//	language = "en"                    # the theme's words, formats and search stemmer;
//	                                   # themes/<name>/i18n/<language>.toml
//
//	[markdown]
//	raw_html = false                   # let HTML written in guides through
//
//	[content]
//	allow_links_outside = false        # publish files that symbolic links in
//	                                   # content/ point to outside the site
//
//	[calendar]
//	week_start = "monday"              # monday (ISO weeks) | sunday
//	fiscal_year_start = 1              # month the fiscal year starts, 1-12
//	as_of = 2026-11-19                 # data cut-off; default: the latest date in the data
//	                                   # that records something that happened
//
//	[reports]
//	enabled = true                     # false builds the playbook only
//	pattern_after = 3                  # consecutive missed weeks that make a pattern
//	stale_days = 30                    # open deal with no activity for this long is stale
//	currency = "$"                     # written before amounts ("€", "CHF ")
//
//	[currency]                         # see currency.go
//	corporate = "USD"                  # what the reports sum and show
//	[currency.rates]                   # MXN = 0.05, or [currency.rates.COP] dated
//
//	[data.<kind>]                      # kind: activities, opportunities, forecasts, coaching, commitments
//	path = "data/<kind>.csv"           # a file, a list of files, or a glob; .csv or .xlsx
//	                                   # ([[data.<kind>]] entries: several files mapped apart)
//	sheet = ""                         # the worksheet of an .xlsx file (default: the first)
//	type = ""                          # activities: the type of every row of a file
//	                                   # without a type column (type = "calls")
//	preset = ""                        # salesforce | hubspot | pipedrive
//	date_format = "auto"               # auto, or a Go layout such as "1/2/2006"
//	decimal = "."                      # "," for amounts written 1.234,50
//	encoding = "auto"                  # utf-8 | windows-1252; auto reads UTF-16 by its mark
//	[data.<kind>.columns]              # canonical field = header in the file, or a list
//	                                   # of headers whose first non-blank value is used
//	[data.opportunities.stages]        # won = [...], lost = [...] (case-insensitive)
//	[data.activities.types]            # calls = ["Call", "Call*"]: labels of each type (* any run)
//
// Keys the file sets but coachbook does not know are reported as warnings at
// their line, so a misspelt key is never silently ignored.
package config

import (
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/BurntSushi/toml"
	"github.com/coachbook/coachbook/site/civil"
	"github.com/coachbook/coachbook/site/diag"
)

// File is the name of the site configuration file.
const File = "coachbook.toml"

// Config is the typed, defaulted content of coachbook.toml.
type Config struct {
	Title       string
	Description string
	BaseURL     string `toml:"base_url"`
	Theme       string
	Language    string
	Markdown    Markdown
	Content     Content
	Calendar    Calendar
	Reports     Reports
	// Data maps each kind of data file to its source: [data.<kind>], or
	// the first of [[data.<kind>]] with the others in its Also.
	Data map[string]*Source `toml:"-"`
	// RawData is the [data] table as written, read into Data by Load.
	RawData map[string]toml.Primitive `toml:"data"`
	Access  Access                    // [access]: see access.go
	Seal    Seal                      // [seal]: see seal.go
	// Currency is [currency]: see currency.go.
	Currency Currency
	// Sites are the parts of an org published as sites of their own
	// ([[sites]]: see sites.go); SiteName names the one this build publishes
	// (SelectSite), "" for the whole org or the leadership site.
	Sites    []Site `toml:"sites"`
	SiteName string `toml:"-"`

	// BasePath is the path part of BaseURL, always starting and ending with
	// "/": "/" or "/playbook/". Every internal link starts with it.
	BasePath string `toml:"-"`
	// Origin is the scheme and host of BaseURL ("https://org.github.io"), or
	// "" when base_url is only a path; sitemap.xml needs it.
	Origin string `toml:"-"`
}

// Content holds the [content] table.
type Content struct {
	AllowLinksOutside bool `toml:"allow_links_outside"`
}

// Markdown holds the [markdown] table.
type Markdown struct {
	RawHTML bool `toml:"raw_html"`
}

// Calendar holds the [calendar] table.
type Calendar struct {
	WeekStart       string    `toml:"week_start"`
	FiscalYearStart int       `toml:"fiscal_year_start"`
	AsOfRaw         time.Time `toml:"as_of"`
	// AsOf is the data cut-off, or civil.None when the data decides.
	AsOf civil.Date `toml:"-"`
	// AsOfLine is the line of as_of in coachbook.toml, for messages.
	AsOfLine int `toml:"-"`
}

// Reports holds the [reports] table.
type Reports struct {
	Enabled      *bool `toml:"enabled"`
	PatternAfter int   `toml:"pattern_after"`
	StaleDays    int   `toml:"stale_days"`
	// Currency is written before amounts in the reports.
	Currency string `toml:"currency"`
	// Keep says how many of the latest weeks, months and quarters get their
	// own report pages; older periods keep their metrics.json and their
	// line in each rep's history.
	Keep Keep `toml:"keep"`
}

// Keep holds [reports.keep].
type Keep struct {
	Weeks    int `toml:"weeks"`
	Months   int `toml:"months"`
	Quarters int `toml:"quarters"`
}

// Default numbers of periods with pages: two months of weekly meetings,
// half a year of monthly ones, a year of quarterly reviews. Older periods
// keep their metrics.json and their place in each rep's history, and the
// charts still reach back (13 weeks, 8 quarters). So a 500-rep org with two
// years of data and pipeline history publishes about 350 MB, well under
// GitHub Pages' 1 GB.
const (
	DefaultKeepWeeks    = 8
	DefaultKeepMonths   = 6
	DefaultKeepQuarters = 4
)

// On reports whether report pages are built.
func (r Reports) On() bool { return r.Enabled == nil || *r.Enabled }

// Source maps one data file (a CRM export, usually) onto coachbook's
// fields; or several files mapped alike (path is a list, or a glob such as
// "data/activities/*.csv"). A kind whose files are mapped differently is
// written as [[data.<kind>]] entries: the first is the Source, the others
// are in its Also.
type Source struct {
	// Path is the first of Paths; Paths are the files or globs path names.
	Path       string   `toml:"-"`
	Paths      []string `toml:"-"`
	PathRaw    any      `toml:"path"`
	Preset     string
	DateFormat string `toml:"date_format"`
	Decimal    string
	Encoding   string
	// Columns maps a field to the header that holds it; Fallbacks to
	// further headers, read in order when the first is blank (columns
	// type = ["Type", "TaskSubtype", "Subject"]).
	Columns    map[string]string   `toml:"-"`
	Fallbacks  map[string][]string `toml:"-"`
	ColumnsRaw map[string]any      `toml:"columns"`
	Stages     map[string][]string
	// Types maps activity types to the labels the export uses for them
	// (activities only): calls = ["Call", "Outbound call"]; a label with
	// * matches any run of characters ("Call*" matches "Call: follow-up").
	Types map[string][]string
	// Sheet names the worksheet of an .xlsx file (default: the first).
	Sheet string
	// Type is the activity type of every row of a file without a type
	// column (a HubSpot calls export): type = "calls".
	Type string
	// Line is where [data.<kind>] starts in coachbook.toml, for messages.
	Line int `toml:"-"`
	// Also are the further [[data.<kind>]] entries of the kind.
	Also []*Source `toml:"-"`
}

// Each returns the source and its Also entries.
func (s *Source) Each() []*Source {
	return append([]*Source{s}, s.Also...)
}

// readData reads the [data] table into Data: each kind a table or an
// array of tables; path a string or a list; a column a header or a list.
func (c *Config) readData(md toml.MetaData, lines map[string]int) diag.List {
	var diags diag.List
	c.Data = map[string]*Source{}
	kinds := make([]string, 0, len(c.RawData))
	for k := range c.RawData {
		kinds = append(kinds, k)
	}
	slices.Sort(kinds)
	for _, kind := range kinds {
		var list []*Source
		switch md.Type("data", kind) {
		case "Hash", "": // "" for a table only its sub-tables define
			s := &Source{}
			if err := md.PrimitiveDecode(c.RawData[kind], s); err != nil {
				diags.Errorf(File, lines["data."+kind], "[data.%s]: %v", kind, err)
				continue
			}
			s.Line = lines["data."+kind]
			list = []*Source{s}
		case "ArrayHash":
			if err := md.PrimitiveDecode(c.RawData[kind], &list); err != nil {
				diags.Errorf(File, lines["data."+kind], "[[data.%s]]: %v", kind, err)
				continue
			}
			for i, s := range list {
				s.Line = lines[fmt.Sprintf("data.%s.%d", kind, i)]
				if s.PathRaw == nil {
					diags.Errorf(File, s.Line, "[[data.%s]] entry %d has no path; each entry names its file(s)", kind, i+1)
				}
			}
		default:
			diags.Errorf(File, lines["data."+kind], "data.%s must be a table [data.%s] (or several [[data.%s]])", kind, kind, kind)
			continue
		}
		if len(list) == 0 {
			continue
		}
		for _, s := range list {
			diags.Add(s.readRaw(kind)...)
		}
		list[0].Also = list[1:]
		c.Data[kind] = list[0]
	}
	return diags
}

// readRaw reads path and columns, which may each be a string or a list.
func (s *Source) readRaw(kind string) diag.List {
	var diags diag.List
	switch v := s.PathRaw.(type) {
	case nil:
	case string:
		s.Paths = []string{v}
	case []any:
		for _, p := range v {
			if ps, ok := p.(string); ok && ps != "" {
				s.Paths = append(s.Paths, ps)
			} else {
				diags.Errorf(File, s.Line, "[data.%s] path: give a file name, a list of them, or a glob like \"data/%s/*.csv\"", kind, kind)
			}
		}
	default:
		diags.Errorf(File, s.Line, "[data.%s] path: give a file name, a list of them, or a glob like \"data/%s/*.csv\"", kind, kind)
	}
	if len(s.Paths) > 0 {
		s.Path = s.Paths[0]
	}
	for field, v := range s.ColumnsRaw {
		if s.Columns == nil {
			s.Columns = map[string]string{}
		}
		switch v := v.(type) {
		case string:
			s.Columns[field] = v
			continue
		case []any:
			var hs []string
			for _, h := range v {
				if hs2, ok := h.(string); ok {
					hs = append(hs, hs2)
				}
			}
			if len(hs) == len(v) && len(hs) > 0 {
				s.Columns[field] = hs[0]
				if len(hs) > 1 {
					if s.Fallbacks == nil {
						s.Fallbacks = map[string][]string{}
					}
					s.Fallbacks[field] = hs[1:]
				}
				continue
			}
		}
		diags.Errorf(File, s.Line, "[data.%s.columns] %s: give the header, or a list of headers whose first non-blank value is used", kind, field)
	}
	return diags
}

// Encodings a data file may be read in ([data.<kind>] encoding).
const (
	EncodingAuto    = "auto"         // UTF-8; UTF-16 by its byte-order mark; stray bytes read as Windows-1252
	EncodingUTF8    = "utf-8"        // strictly UTF-8: a value that is not is an error
	EncodingWindows = "windows-1252" // Excel's default on Windows; ISO-8859-1 letters read the same
)

// DataKinds are the CSV files coachbook reads, in load order.
// Commitments come after the coaching log, whose meetings give a
// commitment's kind when its row leaves it blank.
var DataKinds = []string{"activities", "opportunities", "forecasts", "coaching", "commitments"}

// Default returns the configuration of a site without coachbook.toml.
func Default() *Config {
	c := &Config{}
	c.applyDefaults()
	return c
}

func (c *Config) applyDefaults() {
	if c.Title == "" {
		c.Title = "Sales Coaching Playbook"
	}
	if c.Theme == "" {
		c.Theme = "default"
	}
	c.BasePath = "/"
	if c.Language == "" {
		c.Language = "en"
	}
	if c.Calendar.WeekStart == "" {
		c.Calendar.WeekStart = "monday"
	}
	if c.Calendar.FiscalYearStart == 0 {
		c.Calendar.FiscalYearStart = 1
	}
	c.Calendar.AsOf = civil.None
	if !c.Calendar.AsOfRaw.IsZero() {
		c.Calendar.AsOf = civil.FromTime(c.Calendar.AsOfRaw)
	}
	if c.Reports.PatternAfter == 0 {
		c.Reports.PatternAfter = 3
	}
	if c.Reports.Currency == "" {
		c.Reports.Currency = "$"
	}
	if c.Reports.StaleDays == 0 {
		c.Reports.StaleDays = 30
	}
	for _, k := range []struct {
		n   *int
		def int
	}{{&c.Reports.Keep.Weeks, DefaultKeepWeeks}, {&c.Reports.Keep.Months, DefaultKeepMonths}, {&c.Reports.Keep.Quarters, DefaultKeepQuarters}} {
		if *k.n == 0 {
			*k.n = k.def
		}
	}
	if c.Data == nil {
		c.Data = map[string]*Source{}
	}
	c.historyPaths()
	for _, k := range append(DataKinds[:len(DataKinds):len(DataKinds)], HistoryKinds...) {
		s := c.Data[k]
		if s == nil {
			s = &Source{}
			c.Data[k] = s
		}
		if s.Path == "" {
			s.Path = "data/" + k + ".csv"
		}
		if len(s.Paths) == 0 {
			s.Paths = []string{s.Path}
		}
	}
	for _, first := range c.Data {
		for _, s := range first.Each() {
			if s.DateFormat == "" {
				s.DateFormat = "auto"
			}
			if s.Decimal == "" {
				s.Decimal = "."
			}
			if s.Encoding == "" {
				s.Encoding = EncodingAuto
			}
		}
	}
}

var themeNameRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.-]*$`)

// Load reads coachbook.toml from the site. A missing file is not an error.
// The returned config is usable (defaulted) even when diagnostics are
// returned, so `check` can go on to report the content's problems too.
func Load(site fs.FS) (*Config, diag.List) {
	var diags diag.List
	src, err := fs.ReadFile(site, File)
	if errors.Is(err, fs.ErrNotExist) {
		return Default(), nil
	}
	if err != nil {
		diags.Errorf(File, 0, "cannot read the site configuration: %v", err)
		return Default(), diags
	}
	c := &Config{}
	md, err := diag.DecodeTOML(string(src), c)
	if err != nil {
		diags.Add(diag.FromTOML(File, 0, err))
		return Default(), diags
	}
	lines := diag.KeyLines(string(src))
	diags.Add(c.readData(md, lines)...)
	for _, k := range md.Undecoded() {
		key := k.String()
		// Inner keys of a table we do not know are covered by the table;
		// the dated rates of [currency.rates.<code>] are read as a map.
		if len(k) > 1 && !md.IsDefined(k[:len(k)-1]...) || len(k) == 4 && k[0] == "currency" && k[1] == "rates" {
			continue
		}
		diags.Warnf(File, keyLine(lines, k), "unknown key %q is ignored; check its spelling against the README's configuration reference", key)
	}
	c.applyDefaults()
	c.Calendar.AsOfLine = lines["calendar.as_of"]
	diags.Add(c.validate(lines)...)
	diags.Add(c.validateAccess(lines)...)
	diags.Add(c.Currency.read(lines)...)
	diags.Add(c.validateSites(lines)...)
	diags.Add(c.validateSeal(lines)...)
	return c, diags
}

// keyLine finds a key's line, also inside an array of tables (whose keys
// do not say which element they are in): the first element that has it.
func keyLine(lines map[string]int, k toml.Key) int {
	if n := lines[k.String()]; n > 0 {
		return n
	}
	for j := 1; j < len(k); j++ {
		for i := 0; ; i++ {
			elem := k[:j].String() + "." + strconv.Itoa(i)
			if _, ok := lines[elem]; !ok {
				break
			}
			if n := lines[elem+"."+k[j:].String()]; n > 0 {
				return n
			}
		}
	}
	return 0
}

// Override applies command-line settings on top of the file.
func (c *Config) Override(baseURL string, noReports bool) diag.List {
	var diags diag.List
	if baseURL != "" {
		c.BaseURL = baseURL
		diags.Add(c.parseBaseURL("--base-url", 0)...)
	}
	if noReports {
		off := false
		c.Reports.Enabled = &off
	}
	return diags
}

func (c *Config) validate(lines map[string]int) diag.List {
	var diags diag.List
	diags.Add(c.parseBaseURL(File, lines["base_url"])...)
	if !themeNameRE.MatchString(c.Theme) {
		diags.Errorf(File, lines["theme"], "theme %q must be a folder name under themes/ (letters, digits, '-', '_' and '.')", c.Theme)
	}
	switch ws := strings.ToLower(c.Calendar.WeekStart); ws {
	case "monday", "sunday":
		c.Calendar.WeekStart = ws
	default:
		diags.Errorf(File, lines["calendar.week_start"], "week_start = %q: use \"monday\" (ISO weeks) or \"sunday\"", c.Calendar.WeekStart)
	}
	if m := c.Calendar.FiscalYearStart; m < 1 || m > 12 {
		diags.Errorf(File, lines["calendar.fiscal_year_start"], "fiscal_year_start = %d: use the number of the month the fiscal year starts, 1 (January) to 12 (December)", m)
	}
	if c.Reports.PatternAfter < 1 {
		diags.Errorf(File, lines["reports.pattern_after"], "pattern_after must be 1 or more consecutive missed weeks")
	}
	if c.Reports.StaleDays < 1 {
		diags.Errorf(File, lines["reports.stale_days"], "stale_days must be 1 or more days")
	}
	for _, k := range []struct {
		key string
		n   int
	}{{"weeks", c.Reports.Keep.Weeks}, {"months", c.Reports.Keep.Months}, {"quarters", c.Reports.Keep.Quarters}} {
		if k.n < 1 {
			diags.Errorf(File, lines["reports.keep."+k.key], "[reports.keep] %s = %d: give how many of the latest %s get their own pages, 1 or more (a large number keeps them all)", k.key, k.n, k.key)
		}
	}
	for kind, first := range c.Data {
		if !slices.Contains(DataKinds, kind) && !slices.Contains(HistoryKinds, kind) {
			diags.Warnf(File, lines["data."+kind], "[data.%s] is not a data file coachbook reads; use one of %s", kind, strings.Join(append(DataKinds[:len(DataKinds):len(DataKinds)], HistoryKinds...), ", "))
		}
		for _, src := range first.Each() {
			diags.Add(src.validate(kind, lines)...)
		}
	}
	return diags
}

// validate checks one source of a kind.
func (src *Source) validate(kind string, lines map[string]int) diag.List {
	var diags diag.List
	for k := range src.Stages {
		if k != "won" && k != "lost" {
			diags.Errorf(File, lines["data."+kind+".stages."+k], "[data.%s.stages] has %q; only won = [...] and lost = [...] are read (every other stage is open)", kind, k)
		}
	}
	if src.Decimal != "." && src.Decimal != "," {
		diags.Errorf(File, lines["data."+kind+".decimal"], "[data.%s] decimal = %q: use \".\" or \",\"", kind, src.Decimal)
	}
	switch enc := strings.ToLower(src.Encoding); enc {
	case "", EncodingAuto:
		src.Encoding = EncodingAuto
	case EncodingUTF8, "utf8":
		src.Encoding = EncodingUTF8
	case EncodingWindows, "cp1252", "latin1", "latin-1", "iso-8859-1":
		src.Encoding = EncodingWindows
	default:
		diags.Errorf(File, lines["data."+kind+".encoding"], "[data.%s] encoding = %q: use \"auto\", \"utf-8\" or \"windows-1252\"", kind, src.Encoding)
	}

	return diags
}

// parseBaseURL fills BasePath and Origin from BaseURL.
func (c *Config) parseBaseURL(file string, line int) diag.List {
	var diags diag.List
	c.BasePath, c.Origin = "/", ""
	raw := strings.TrimSpace(c.BaseURL)
	if raw == "" {
		return nil
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "" && u.Scheme != "http" && u.Scheme != "https") || (u.Scheme != "" && u.Host == "") || u.RawQuery != "" || u.Fragment != "" {
		diags.Errorf(file, line, "base_url %q is not a web address; write it like \"https://org.github.io/playbook/\" or \"/playbook/\"", raw)
		return diags
	}
	if u.Scheme != "" {
		c.Origin = u.Scheme + "://" + u.Host
	}
	p := "/" + strings.Trim(u.Path, "/") + "/"
	if p == "//" {
		p = "/"
	}
	c.BasePath = p
	return nil
}

// AbsURL returns the full address of a site path (as used in sitemap.xml):
// the origin and base path when base_url has them, else the path alone.
func (c *Config) AbsURL(rel string) string {
	return c.Origin + c.BasePath + strings.TrimPrefix(rel, "/")
}

// String describes the configuration briefly, for logs.
func (c *Config) String() string {
	return fmt.Sprintf("%q at %s%s", c.Title, c.Origin, c.BasePath)
}
