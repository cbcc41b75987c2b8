package config

import (
	"fmt"
	"net/url"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/coachbook/coachbook/site/diag"
)

// An org too large for one published site (GitHub Pages publishes at most
// 1 GB per site) is published as several from one configuration, each
// with the reports of some managers' or teams' reps:
//
//	[[sites]]
//	name = "north"                       # build --part north
//	title = "Acme North"                 # default: title, then the name
//	base_url = "https://acme.github.io/playbook-north/"
//	repository = "acme/playbook-north"   # whose Pages publish it (the workflow's matrix)
//	managers = ["mgarcia", "tchen"]      # the reps of these managers,
//	teams = ["north-*"]                  # and of these teams (* matches any run of characters)
//	audiences = ["north-leads", "leadership"]   # the [[access.audience]] whose keys open it
//
// A build without --part is then the leadership site: the playbook with a
// link to each part, and no rep data.

// Site is one [[sites]] entry.
type Site struct {
	Name       string
	Title      string
	BaseURL    string `toml:"base_url"`
	Repository string
	Managers   []string
	Teams      []string
	Audiences  []string
	Line       int `toml:"-"`
}

var siteNameRE = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]{0,39}$`)

// Selects reports whether the site publishes the reports of a rep with
// this manager and team (ids as team.toml writes them, matched ignoring
// case).
func (s *Site) Selects(manager, team string) bool {
	match := func(pats []string, id string) bool {
		for _, p := range pats {
			if ok, _ := path.Match(strings.ToLower(p), strings.ToLower(id)); ok && id != "" {
				return true
			}
		}
		return false
	}
	return match(s.Managers, manager) || match(s.Teams, team)
}

func (c *Config) validateSites(lines map[string]int) diag.List {
	var diags diag.List
	names := map[string]bool{}
	audiences := map[string]bool{}
	for _, a := range c.Access.Audience {
		audiences[a.Name] = true
	}
	for i := range c.Sites {
		s := &c.Sites[i]
		pre := "sites." + strconv.Itoa(i)
		s.Line = lines[pre]
		switch {
		case !siteNameRE.MatchString(s.Name):
			diags.Errorf(File, firstLine(lines, pre+".name", pre), "[[sites]] name %q: use lower-case letters, digits, '-' and '_' (it is the name --part takes and a job's name in the workflow)", s.Name)
		case names[s.Name]:
			diags.Errorf(File, firstLine(lines, pre+".name", pre), "two [[sites]] are named %q; give each its own name", s.Name)
		}
		names[s.Name] = true
		if len(s.Managers) == 0 && len(s.Teams) == 0 {
			diags.Errorf(File, s.Line, "[[sites]] %q selects no reps: give managers = [\"<manager id>\", …] or teams = [\"<team id or pattern>\", …]", s.Name)
		}
		for _, p := range append(slices.Clone(s.Managers), s.Teams...) {
			if _, err := path.Match(p, ""); err != nil {
				diags.Errorf(File, s.Line, "[[sites]] %q: %q is not a valid pattern (* matches any run of characters)", s.Name, p)
			}
		}
		if u, err := url.Parse(s.BaseURL); s.BaseURL == "" || err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			diags.Errorf(File, firstLine(lines, pre+".base_url", pre), "[[sites]] %q needs base_url, the address it is published at, like base_url = \"https://acme.github.io/playbook-%s/\"", s.Name, s.Name)
		}
		for _, a := range s.Audiences {
			if !audiences[a] {
				diags.Errorf(File, firstLine(lines, pre+".audiences", pre), "[[sites]] %q names audience %q, which is not in [[access.audience]]", s.Name, a)
			}
		}
	}
	return diags
}

// SelectedSite is the [[sites]] entry a build publishes (SelectSite), or nil for
// the whole org or, with [[sites]], the leadership site.
func (c *Config) SelectedSite() *Site {
	for i := range c.Sites {
		if c.Sites[i].Name == c.SiteName && c.SiteName != "" {
			return &c.Sites[i]
		}
	}
	return nil
}

// SelectSite makes the configuration the one of a part of the org
// (build --part name): its title and base_url, and only its audiences.
// With no name, leadership (build --leadership) with [[sites]] is the
// leadership site: no reports, which the parts publish, and a link to each
// part; without [[sites]] it changes nothing. Call it before Override, so
// that --base-url still wins.
func (c *Config) SelectSite(name string, leadership bool) diag.List {
	var diags diag.List
	if name == "" {
		if leadership && len(c.Sites) > 0 {
			off := false
			c.Reports.Enabled = &off
		}
		return nil
	}
	c.SiteName = name
	s := c.SelectedSite()
	if s == nil {
		var have []string
		for _, x := range c.Sites {
			have = append(have, x.Name)
		}
		if len(have) == 0 {
			diags.Errorf(File, 0, "--part %s: coachbook.toml has no [[sites]]; add one per part of the org (see the README, \"Orgs larger than one site\")", name)
		} else {
			diags.Errorf(File, 0, "--part %s: no [[sites]] has that name; the sites are %s", name, strings.Join(have, ", "))
		}
		return diags
	}
	if s.Title != "" {
		c.Title = s.Title
	} else {
		c.Title = fmt.Sprintf("%s · %s", c.Title, s.Name)
	}
	c.BaseURL = s.BaseURL
	diags.Add(c.parseBaseURL(File, s.Line)...)
	var keep []Audience
	for _, a := range c.Access.Audience {
		if slices.Contains(s.Audiences, a.Name) {
			keep = append(keep, a)
		}
	}
	c.Access.Audience = keep
	return diags
}
