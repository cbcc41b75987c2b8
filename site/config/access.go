package config

import (
	"fmt"
	"net"
	"regexp"
	"strconv"
	"strings"

	"github.com/coachbook/coachbook/site/diag"
)

// Access is the [access] table: who may open which report pages when the
// reports are published encrypted.
//
//	[access]
//	encrypt_reports = true            # default: true when base_url names a host other than this machine
//	keys_file = "coachbook.keys"      # git-ignored NAME=passphrase lines, read when the variable is not set
//	private_host = false              # true: only people cleared for every report can reach base_url's host
//	[[access.audience]]
//	name = "leadership"               # shown to nobody; names the audience in messages
//	scope = "all"                     # all | manager:<id> | team:<id> | rep:<id>
//	key_env = "COACHBOOK_KEY_LEADERSHIP"
//
// Passphrases never live in coachbook.toml: only the name of the
// environment variable that holds one.
type Access struct {
	EncryptReports *bool  `toml:"encrypt_reports"`
	KeysFile       string `toml:"keys_file"`
	// PrivateHost declares that base_url's host is reachable only by people
	// who may read every report (an intranet, a host behind single
	// sign-on): the one case where reports may be published in the clear
	// to an address that is not this machine.
	PrivateHost bool       `toml:"private_host"`
	Audience    []Audience `toml:"audience"`
	// Line is where [access] starts, for messages; EncryptLine is the line
	// of encrypt_reports, or Line.
	Line        int `toml:"-"`
	EncryptLine int `toml:"-"`

	// Secret-looking keys are decoded only to be refused.
	Passphrase string `toml:"passphrase"`
	Password   string `toml:"password"`
	Key        string `toml:"key"`
}

// Audience is one [[access.audience]]: a group of readers sharing a
// passphrase that opens the reports of its scope.
type Audience struct {
	Name   string
	Scope  string
	KeyEnv string `toml:"key_env"`
	Line   int    `toml:"-"`

	Passphrase string `toml:"passphrase"`
	Password   string `toml:"password"`
	Key        string `toml:"key"`
}

// DefaultKeysFile is where passphrases are read from when their variable
// is not set. It must be listed in the site's .gitignore.
const DefaultKeysFile = "coachbook.keys"

// Scope kinds an audience may have.
const (
	ScopeAll     = "all"
	ScopeManager = "manager"
	ScopeTeam    = "team"
	ScopeRep     = "rep"
)

// ParseScope splits "manager:mgarcia" into its kind and id; "all" has no
// id. ok is false for anything else.
func ParseScope(s string) (kind, id string, ok bool) {
	if s == ScopeAll {
		return ScopeAll, "", true
	}
	kind, id, found := strings.Cut(s, ":")
	switch kind {
	case ScopeManager, ScopeTeam, ScopeRep:
		return kind, id, found && id != ""
	}
	return "", "", false
}

// EncryptReports reports whether report pages are published encrypted:
// as set, or by default whenever base_url names a host that is not this
// machine (a base_url that is only a path counts as local).
func (c *Config) EncryptReports() bool {
	if c.Access.EncryptReports != nil {
		return *c.Access.EncryptReports
	}
	return !isLocalOrigin(c.Origin)
}

func isLocalOrigin(origin string) bool {
	if origin == "" {
		return true
	}
	host := origin[strings.Index(origin, "://")+3:]
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	host = strings.Trim(host, "[]")
	if host == "localhost" || strings.HasSuffix(host, ".localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// publicSuffixes are hosts of static-site services where anyone can read
// what is published.
var publicSuffixes = []string{"github.io", "gitlab.io", "pages.dev", "netlify.app", "vercel.app"}

// PublicHost reports whether base_url names an address anyone may reach:
// a host of a public static-site service, or any https:// address, unless
// [access] private_host declares it private. A local address (a bare path,
// localhost, a loopback IP) is never public; neither is a plain http://
// address elsewhere, which no public host serves.
func (c *Config) PublicHost() bool {
	if isLocalOrigin(c.Origin) || c.Access.PrivateHost {
		return false
	}
	scheme, host, _ := strings.Cut(c.Origin, "://")
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	host = strings.ToLower(host)
	for _, s := range publicSuffixes {
		if host == s || strings.HasSuffix(host, "."+s) {
			return true
		}
	}
	return scheme == "https"
}

// ClearOnPublicHost is the problem of a build that would publish its
// reports in the clear at a public address, or "" when there is none.
func (c *Config) ClearOnPublicHost() string {
	if !c.Reports.On() || c.EncryptReports() || !c.PublicHost() {
		return ""
	}
	host := c.Origin[strings.Index(c.Origin, "://")+3:]
	return fmt.Sprintf("encrypt_reports = false would publish every rep's report readable by anyone at %s, a public address; "+
		"either encrypt them (remove encrypt_reports = false, add [[access.audience]] entries and set their passphrases: see the README, \"Private reports on a public host\"), "+
		"or, if only people cleared to see every report can reach %s, declare it with private_host = true under [access]; "+
		"--no-reports builds the playbook alone", c.AbsURL(""), host)
}

var envNameRE = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// validateAccess checks [access] on its own; whether the scopes name real
// managers, teams and reps is checked once the team is loaded.
func (c *Config) validateAccess(lines map[string]int) diag.List {
	var diags diag.List
	a := &c.Access
	a.Line = lines["access"]
	a.EncryptLine = firstLine(lines, "access.encrypt_reports", "access")
	if a.KeysFile == "" {
		a.KeysFile = DefaultKeysFile
	}
	secret := func(line int, where string, vals ...string) {
		for _, v := range vals {
			if v != "" {
				diags.Errorf(File, line, "%s holds a passphrase, and coachbook.toml is kept in the repository: remove it, and set key_env to the name of an environment variable (or of a line in the git-ignored %s) that holds it", where, a.KeysFile)
				return
			}
		}
	}
	secret(firstLine(lines, "access.passphrase", "access.password", "access.key"), "[access]", a.Passphrase, a.Password, a.Key)
	names := map[string]bool{}
	for i := range a.Audience {
		au := &a.Audience[i]
		pre := "access.audience." + strconv.Itoa(i)
		au.Line = lines[pre]
		secret(firstLine(lines, pre+".passphrase", pre+".password", pre+".key"), fmt.Sprintf("audience %q", au.Name), au.Passphrase, au.Password, au.Key)
		switch {
		case au.Name == "":
			diags.Errorf(File, au.Line, `[[access.audience]] needs a name, like name = "leadership"`)
		case names[au.Name]:
			diags.Errorf(File, firstLine(lines, pre+".name", pre), "two audiences are named %q; give each its own name", au.Name)
		}
		names[au.Name] = true
		if _, _, ok := ParseScope(au.Scope); !ok {
			diags.Errorf(File, firstLine(lines, pre+".scope", pre), `audience %q has scope %q; use "all", "manager:<id>", "team:<id>" or "rep:<id>" with an id from data/team.toml`, au.Name, au.Scope)
		}
		if !envNameRE.MatchString(au.KeyEnv) {
			diags.Errorf(File, firstLine(lines, pre+".key_env", pre), "audience %q needs key_env, the name of the environment variable that holds its passphrase, like key_env = %q", au.Name, "COACHBOOK_KEY_"+strings.ToUpper(envSafe(au.Name)))
		}
	}
	return diags
}

func firstLine(lines map[string]int, keys ...string) int {
	for _, k := range keys {
		if n := lines[k]; n > 0 {
			return n
		}
	}
	return 0
}

func envSafe(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' {
			return r
		}
		return '_'
	}, s)
}
