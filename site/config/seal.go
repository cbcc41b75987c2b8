package config

import (
	"strings"

	"github.com/coachbook/coachbook/site/diag"
)

// Seal is the [seal] table: how the data files kept in the repository are
// sealed (see `coachbook data seal` and the README, "Rep data in a public
// repository").
//
//	[seal]
//	to = ["age1…"]                 # public keys data files are sealed to
//	key_env = "COACHBOOK_DATA_KEY" # the variable holding the secret key that opens them
//
// The secret key never lives in coachbook.toml: only the name of the
// environment variable (or line of the git-ignored keys file) that holds it.
type Seal struct {
	To     []string `toml:"to"`
	KeyEnv string   `toml:"key_env"`
	Line   int      `toml:"-"`
}

// DefaultDataKeyEnv holds the secret key of sealed data files by default.
const DefaultDataKeyEnv = "COACHBOOK_DATA_KEY"

func (c *Config) validateSeal(lines map[string]int) diag.List {
	var diags diag.List
	s := &c.Seal
	s.Line = lines["seal"]
	if s.KeyEnv == "" {
		s.KeyEnv = DefaultDataKeyEnv
	}
	if !envNameRE.MatchString(s.KeyEnv) {
		diags.Errorf(File, firstLine(lines, "seal.key_env", "seal"), "[seal] key_env %q must be the name of an environment variable, like %q", s.KeyEnv, DefaultDataKeyEnv)
	}
	for _, to := range s.To {
		switch {
		case strings.HasPrefix(to, "AGE-SECRET-KEY-"):
			diags.Errorf(File, firstLine(lines, "seal.to", "seal"), "[seal] to holds a secret key, and coachbook.toml is kept in the repository: remove it at once, make a new key (coachbook data key) and list only its public key (age1…) here")
		case !strings.HasPrefix(to, "age1"):
			diags.Errorf(File, firstLine(lines, "seal.to", "seal"), "[seal] to = %q is not an age public key; list the age1… lines coachbook data key printed", to)
		}
	}
	return diags
}
