package main

import (
	"bytes"
	"regexp"
	"strings"
	"testing"

	"github.com/coachbook/coachbook/site/access"
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
		code := runKeys([]string{"check", "-s", dir}, func(k string) string { return env[k] }, &o, &e)
		return code, o.String() + e.String()
	}
	code, out := check(map[string]string{"K_LEAD": "secret passphrase"})
	for _, want := range []string{"lead (all): K_LEAD set in the environment", "m (manager:m): K_M set in coachbook.keys", "2 of 2 audiences have a passphrase"} {
		if code != 0 || !strings.Contains(out, want) {
			t.Errorf("keys check = %d, lacks %q:\n%s", code, want, out)
		}
	}
	if strings.Contains(out, "secret passphrase") || strings.Contains(out, "from the file") {
		t.Errorf("keys check printed a passphrase:\n%s", out)
	}
	empty := writeSite(t, map[string]string{"coachbook.toml": "[access]\n[[access.audience]]\nname = \"lead\"\nscope = \"all\"\nkey_env = \"K_LEAD\"\n"})
	var o, e bytes.Buffer
	if code := runKeys([]string{"check", "-s", empty}, func(string) string { return "" }, &o, &e); code != 1 || !strings.Contains(o.String(), "K_LEAD not set") {
		t.Errorf("keys check without passphrases = %d:\n%s", code, o.String())
	}
}

// TestKeysLink: the link is the published address with the key derived
// from the audience's passphrase (environment or keys file) in the
// fragment; a new passphrase gives another link; an unknown audience or a
// site whose reports are not encrypted gets no link.
func TestKeysLink(t *testing.T) {
	dir := writeSite(t, map[string]string{
		"coachbook.toml": "base_url = \"/\"\n[access]\n[[access.audience]]\nname = \"lead\"\nscope = \"all\"\nkey_env = \"K_LEAD\"\n[[access.audience]]\nname = \"m\"\nscope = \"manager:m\"\nkey_env = \"K_M\"\n",
		".gitignore":     "/coachbook.keys\n",
		"coachbook.keys": "K_M=from the file\n",
	})
	link := func(env map[string]string, args ...string) (int, string, string) {
		var o, e bytes.Buffer
		code := runKeys(append([]string{"link", "-s", dir}, args...), func(k string) string { return env[k] }, &o, &e)
		return code, o.String(), e.String()
	}
	const site = "https://acme.github.io/playbook/"
	code, out, errs := link(nil, "--base-url", site, "m")
	want, _ := access.SignInKey(site, "m", "from the file", 0)
	if code != 0 || out != site+"#k="+want+"\n" || !strings.Contains(errs, "Anyone with this link") {
		t.Fatalf("keys link m = %d, %q (%s); want %s#k=%s", code, out, errs, site, want)
	}
	if _, first, _ := link(nil, "m", "--base-url", site); first != out {
		t.Errorf("keys link m --base-url … = %q, want %q", first, out)
	}
	if _, again, _ := link(map[string]string{"K_M": "a new passphrase"}, "--base-url", site, "m"); again == out {
		t.Error("a new passphrase gives the same link")
	}
	if code, _, errs := link(nil, "--base-url", site, "nobody"); code != 1 || !strings.Contains(errs, `names no audience "nobody"; use one of: lead, m`) {
		t.Errorf("keys link nobody = %d: %s", code, errs)
	}
	if code, _, errs := link(nil, "--base-url", site, "lead"); code != 1 || !strings.Contains(errs, "no passphrase for \"lead\": set K_LEAD") {
		t.Errorf("keys link without a passphrase = %d: %s", code, errs)
	}
	if code, _, errs := link(nil, "m"); code != 1 || !strings.Contains(errs, "not encrypted") {
		t.Errorf("keys link for a local site = %d: %s", code, errs)
	}
}
