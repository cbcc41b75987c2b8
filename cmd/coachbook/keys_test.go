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
