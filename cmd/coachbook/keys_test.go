package main

import (
	"bytes"
	"regexp"
	"strings"
	"testing"
)

func TestKeysNew(t *testing.T) {
	code, out, _ := runCLI("keys", "new")
	if code != 0 || !regexp.MustCompile(`^[a-z2-7]{5}(-[a-z2-7]{5}){3}-[a-z2-7]{6}\n$`).MatchString(out) {
		t.Fatalf("keys new = %d, %q", code, out)
	}
	if _, again, _ := runCLI("keys", "new"); again == out {
		t.Error("two passphrases are the same")
	}
}

func TestKeysCheck(t *testing.T) {
	dir := writeSite(t, map[string]string{
		"coachbook.toml": "[access]\n[[access.audience]]\nname = \"lead\"\nscope = \"all\"\nkey_env = \"K_LEAD\"\n[[access.audience]]\nname = \"m\"\nscope = \"manager:m\"\nkey_env = \"K_M\"\n",
		".gitignore":     "/coachbook.keys\n",
		"coachbook.keys": "K_M=from the file\n",
	})
	check := func(env map[string]string) (int, string) {
		var o, e bytes.Buffer
		code := runKeys([]string{"check", "-s", dir, "--base-url", "https://acme.github.io/"}, func(k string) string { return env[k] }, &o, &e)
		return code, o.String() + e.String()
	}
	code, out := check(map[string]string{"K_LEAD": "secret passphrase"})
	for _, want := range []string{"lead (all): K_LEAD set in the environment", "m (manager:m): K_M set in coachbook.keys",
		"a build for https://acme.github.io/ publishes the reports encrypted; 2 of 2 audiences can open theirs: lead (all), m (manager:m)"} {
		if code != 0 || !strings.Contains(out, want) {
			t.Errorf("keys check = %d, lacks %q:\n%s", code, want, out)
		}
	}
	if strings.Contains(out, "secret passphrase") || strings.Contains(out, "from the file") {
		t.Errorf("keys check printed a passphrase:\n%s", out)
	}
	empty := writeSite(t, map[string]string{"coachbook.toml": "[access]\n[[access.audience]]\nname = \"lead\"\nscope = \"all\"\nkey_env = \"K_LEAD\"\n"})
	var o, e bytes.Buffer
	if code := runKeys([]string{"check", "-s", empty, "--base-url", "https://acme.github.io/"}, func(string) string { return "" }, &o, &e); code != 1 || !strings.Contains(o.String(), "K_LEAD not set") {
		t.Errorf("keys check without passphrases = %d:\n%s", code, o.String())
	}
}

// TestKeysCheckSaysWhatIsPublished: keys check names the address and what
// a build for it publishes, and fails for reports in the clear at a public
// address.
func TestKeysCheckSaysWhatIsPublished(t *testing.T) {
	aud := "[[access.audience]]\nname = \"lead\"\nscope = \"all\"\nkey_env = \"K_LEAD\"\n"
	cases := []struct {
		name, toml, base string
		env              map[string]string
		code             int
		want             string
	}{
		{"encrypted", "[access]\n" + aud, "https://acme.github.io/pb/", map[string]string{"K_LEAD": "x"}, 0,
			"a build for https://acme.github.io/pb/ publishes the reports encrypted; 1 of 1 audiences can open theirs: lead (all)"},
		{"no passphrase", "[access]\n" + aud, "https://acme.github.io/pb/", nil, 1,
			"a build for https://acme.github.io/pb/ publishes the playbook only: no audience has a passphrase"},
		{"clear on a public host", "[access]\nencrypt_reports = false\n" + aud, "https://acme.github.io/pb/", map[string]string{"K_LEAD": "x"}, 1,
			"a build for https://acme.github.io/pb/ fails: encrypt_reports = false would publish every rep's report readable by anyone"},
		{"declared private", "[access]\nencrypt_reports = false\nprivate_host = true\n", "https://wiki.acme.example/", nil, 0,
			"a build for https://wiki.acme.example/ publishes every report in the clear (the host is declared private: private_host = true)"},
		{"local", "", "", nil, 0, "a build for / publishes every report in the clear (a local address)"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := writeSite(t, map[string]string{"coachbook.toml": c.toml})
			var o, e bytes.Buffer
			args := []string{"check", "-s", dir}
			if c.base != "" {
				args = append(args, "--base-url", c.base)
			}
			code := runKeys(args, func(k string) string { return c.env[k] }, &o, &e)
			if code != c.code || !strings.Contains(o.String(), c.want) {
				t.Errorf("keys check = %d, want %d and %q:\n%s%s", code, c.code, c.want, o.String(), e.String())
			}
		})
	}
}
