package build

import (
	"strings"
	"testing"

	"github.com/coachbook/coachbook/site/internal/sitetest"
)

// TestClearReportsOnPublicHost refuses a build that would publish the
// reports in the clear at a public address, and names both ways out.
func TestClearReportsOnPublicHost(t *testing.T) {
	t.Parallel()
	const rest = `
-- data/team.toml --
[[reps]]
id = "r1"
name = "Rep One"
-- content/_index.md --
Hi.
`
	cases := []struct {
		name, base, access string
		fails              bool
	}{
		{"github.io", "https://acme.github.io/playbook/", "encrypt_reports = false", true},
		{"netlify over http", "http://acme.netlify.app/", "encrypt_reports = false", true},
		{"any https address", "https://playbook.acme.example/", "encrypt_reports = false", true},
		{"declared private", "https://playbook.acme.example/", "encrypt_reports = false\nprivate_host = true", false},
		{"plain http intranet", "http://wiki.acme.internal/", "encrypt_reports = false", false},
		{"this machine", "http://localhost:8080/", "encrypt_reports = false", false},
		{"playbook only", "https://acme.github.io/", "encrypt_reports = false\n-- x --", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			src := "-- coachbook.toml --\nbase_url = \"" + c.base + "\"\n[access]\n" + c.access + "\n" + rest
			opts := Options{Today: testDay, Keys: lookup(nil)}
			if c.name == "playbook only" {
				opts.NoReports = true
			}
			sink := &MemSink{}
			_, diags := Run(sitetest.FS(src), opts, sink)
			got := diags.Err()
			if !c.fails {
				if diags.HasErrors() {
					t.Fatalf("refused: %v", got)
				}
				return
			}
			if got == nil {
				t.Fatalf("built %d files with the reports in the clear", len(sink.Files))
			}
			for _, want := range []string{"coachbook.toml:3: encrypt_reports = false would publish every rep's report readable by anyone at " + c.base,
				"[[access.audience]]", "private_host = true", "--no-reports"} {
				if !strings.Contains(got.Error(), want) {
					t.Errorf("message lacks %q:\n%v", want, got)
				}
			}
			if len(sink.Files) != 0 {
				t.Errorf("a refused build wrote %d files", len(sink.Files))
			}
		})
	}
}
