package access

import (
	"bytes"
	"encoding/json"
	"errors"
	"regexp"
	"strings"
	"testing"
)

// memWriter keeps what a Sealer writes.
type memWriter map[string][]byte

func (m memWriter) Write(p string, b []byte) error { m[p] = b; return nil }

const shell = `<!DOCTYPE html><title>Locked report</title><main>` + Slot + `</main></html>`

// testIterations keeps the unit tests fast; the build always uses Iterations.
const testIterations = 1000

func newTestSealer(t *testing.T) *Sealer {
	t.Helper()
	s, err := New(Options{
		Readers: []Reader{
			{Name: "leadership", Scope: "all", Passphrase: "all of it"},
			{Name: "mgarcia", Scope: "manager:mgarcia", Passphrase: "north star"},
			{Name: "south", Scope: "team:south", Passphrase: "southern cross"},
		},
		Reps:     []Member{{ID: "jdoe", Team: "north", Manager: "mgarcia"}, {ID: "twebb", Team: "north", Manager: "mgarcia"}, {ID: "psilva", Team: "south", Manager: "okeller"}},
		Site:     "https://acme.github.io/playbook/",
		BasePath: "/playbook/", Origin: "https://acme.github.io",
		Iterations: testIterations, Shell: []byte(shell), Script: `<script src="/playbook/js/unlock.js" defer></script>`,
		Homes: map[string]string{"all": "reports/index.html", "manager:mgarcia": "reports/managers/mgarcia/overview/index.html", "team:south": "reports/teams/south/index.html"},
	})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func page(title, body string) []byte {
	return []byte("<html><head><title>" + title + " · Acme</title></head><body>" + body + "</body></html>")
}

// sealedOf reads the ciphertext out of a shell page the way unlock.js
// does: the JSON inside #cb-sealed.
func sealedOf(t *testing.T, shellPage []byte) Sealed {
	t.Helper()
	m := regexp.MustCompile(`<script type="application/json" id="cb-sealed">(.*?)</script>`).FindSubmatch(shellPage)
	if m == nil {
		t.Fatalf("no sealed data in %s", shellPage)
	}
	var s Sealed
	if err := json.Unmarshal(m[1], &s); err != nil {
		t.Fatal(err)
	}
	return s
}

func TestEnvelopeRoundTrip(t *testing.T) {
	key := NewKey()
	plain := []byte("Jane Doe: $12,500 won")
	s, err := Seal(key, plain, "b1", "u1")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(s.Data, "Jane") {
		t.Fatal("ciphertext holds the plaintext")
	}
	got, err := Open(key, s)
	if err != nil || !bytes.Equal(got, plain) {
		t.Fatalf("Open = %q, %v; want the plaintext", got, err)
	}
	again, _ := Seal(key, plain, "b1", "u1")
	if again.Nonce == s.Nonce || again.Data == s.Data {
		t.Error("two seals of the same page share a nonce")
	}
	if _, err := Open(NewKey(), s); !errors.Is(err, ErrWrongKey) {
		t.Errorf("another key opened the page: %v", err)
	}
	tampered := s
	tampered.Data = "A" + s.Data[1:]
	if s.Data[0] == 'A' {
		tampered.Data = "B" + s.Data[1:]
	}
	if _, err := Open(key, tampered); !errors.Is(err, ErrWrongKey) {
		t.Errorf("an altered ciphertext opened: %v", err)
	}
}

// TestScopesThroughTheBrowsersSteps seals a small site and opens it the
// way unlock.js does: key file, PBKDF2, the audience's bundle, then the
// page's unit key.
func TestScopesThroughTheBrowsersSteps(t *testing.T) {
	s := newTestSealer(t)
	out := memWriter{}
	w := s.To(out)
	files := map[string][]byte{
		"index.html":                                   page("Acme", `<a href="/playbook/reports/">Team reports</a> <a href="/playbook/reports/metrics/#win_rate">win rate</a>`),
		"reports/index.html":                           page("Team reports", `<a href="/playbook/reports/reps/jdoe/">Jane Doe</a>`),
		"reports/metrics/index.html":                   page("Metrics", "definitions"),
		"reports/reps/jdoe/index.html":                 page("Jane Doe", `<a href="week/2026-W47/">week</a> <a href="https://acme.github.io/playbook/reports/reps/twebb/">Tom Webb</a> <a href="../../teams/north/week/2026-W47/#reps">team</a>`),
		"reports/reps/jdoe/week/2026-W47/metrics.json": []byte(`{"rep":"jdoe","won":{"amount":12500}}`),
		"reports/reps/psilva/index.html":               page("Priya Silva", "south"),
		"reports/teams/north/week/2026-W46/index.html": page("North W46", ""),
		"reports/teams/north/week/2026-W47/index.html": page("North W47", ""),
		"reports/managers/mgarcia/index.html":          page("Maria Garcia", ""),
		"reports/managers/mgarcia/overview/index.html": page("Reports: Maria Garcia", ""),
		"reports/teams/north/index.html":               page("Reports: team north", ""),
	}
	for p, b := range files {
		if err := w.Write(p, b); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Finish(w); err != nil {
		t.Fatal(err)
	}
	for p, b := range out {
		for _, leak := range []string{"jdoe", "Jane", "psilva", "Priya", "twebb", "mgarcia", "12500", "2026-W47"} {
			clean := regexp.MustCompile(`"(c|n|salt)":"[^"]*"`).ReplaceAll(b, nil)
			if bytes.Contains([]byte(p), []byte(leak)) || bytes.Contains(clean, []byte(leak)) {
				t.Errorf("%s shows %q", p, leak)
			}
		}
	}
	home := string(out["index.html"])
	metricsURL := "/playbook/" + s.MapPath("reports/metrics/")
	if !strings.Contains(home, `href="/playbook/reports/"`) || !strings.Contains(home, `href="`+metricsURL+`#win_rate"`) {
		t.Errorf("home page links not rewritten to %s:\n%s", metricsURL, home)
	}
	var kf KeyFile
	if err := json.Unmarshal(out[KeyringPath], &kf); err != nil {
		t.Fatal(err)
	}
	if kf.Iterations != testIterations || len(kf.Bundles) != 3 {
		t.Fatalf("key file: %d iterations, %d bundles", kf.Iterations, len(kf.Bundles))
	}
	if _, err := Unlock(kf, "north sta"); !errors.Is(err, ErrWrongKey) {
		t.Errorf("a wrong passphrase unlocked: %v", err)
	}
	mgr, err := Unlock(kf, "north star")
	if err != nil {
		t.Fatal(err)
	}
	open := func(b *Bundle, p string) (string, error) {
		f, ok := out[s.MapPath(p)]
		if !ok {
			t.Fatalf("%s was not published at %s", p, s.MapPath(p))
		}
		sealed := Sealed{}
		if strings.HasSuffix(p, ".json") {
			if err := json.Unmarshal(f, &sealed); err != nil {
				t.Fatal(err)
			}
		} else {
			sealed = sealedOf(t, f)
		}
		plain, err := b.OpenWith(sealed)
		return string(plain), err
	}
	jdoe, err := open(mgr, "reports/reps/jdoe/index.html")
	if err != nil {
		t.Fatalf("the manager cannot open her rep's page: %v", err)
	}
	for _, want := range []string{
		`href="/playbook/` + s.MapPath("reports/reps/jdoe/week/2026-W47/") + `"`,
		`href="https://acme.github.io/playbook/` + s.MapPath("reports/reps/twebb/") + `"`,
		`href="/playbook/` + s.MapPath("reports/teams/north/week/2026-W47/") + `#reps"`,
		`<script src="/playbook/js/unlock.js" defer></script></body>`,
		"Jane Doe",
	} {
		if !strings.Contains(jdoe, want) {
			t.Errorf("opened page lacks %s:\n%s", want, jdoe)
		}
	}
	if m, err := open(mgr, "reports/reps/jdoe/week/2026-W47/metrics.json"); err != nil || !strings.Contains(m, `"amount":12500`) {
		t.Errorf("metrics.json = %q, %v", m, err)
	}
	for p, want := range map[string]bool{
		"reports/metrics/index.html":                   true,
		"reports/teams/north/week/2026-W47/index.html": true,
		"reports/managers/mgarcia/index.html":          true,
		"reports/reps/psilva/index.html":               false,
		"reports/index.html":                           false,
	} {
		if _, err := open(mgr, p); (err == nil) != want {
			t.Errorf("manager:mgarcia opens %s: %v, want %v", p, err == nil, want)
		}
	}
	south, _ := Unlock(kf, "southern cross")
	if _, err := open(south, "reports/reps/psilva/index.html"); err != nil {
		t.Errorf("team:south cannot open its rep: %v", err)
	}
	if _, err := open(south, "reports/reps/jdoe/index.html"); err == nil {
		t.Error("team:south opens a north rep")
	}
	all, _ := Unlock(kf, "all of it")
	if _, err := open(all, "reports/index.html"); err != nil {
		t.Errorf("leadership cannot open the index: %v", err)
	}
	var titles []string
	for _, e := range mgr.Pages {
		titles = append(titles, e.Group+": "+e.Title)
	}
	if got := strings.Join(titles, "; "); got != "All reports: Reports: Maria Garcia; Managers: Maria Garcia; Teams: Reports: team north; Reps: Jane Doe; Reference: Metrics" {
		t.Errorf("the manager's start pages are %s", got)
	}
	// Each audience's home is its scope's index; leadership's is the index.
	if want := "/playbook/" + s.MapPath("reports/managers/mgarcia/overview/"); mgr.Home != want || !strings.HasPrefix(want, "/playbook/reports/") || strings.Contains(want, "mgarcia") {
		t.Errorf("the manager's home is %q, want %q", mgr.Home, want)
	}
	if all.Home != "/playbook/reports/" {
		t.Errorf("leadership's home is %q", all.Home)
	}
}

func TestSamePassphraseTwiceIsRefused(t *testing.T) {
	_, err := New(Options{Readers: []Reader{{Name: "a", Scope: "all", Passphrase: "same"}, {Name: "b", Scope: "team:x", Passphrase: "same"}},
		Iterations: testIterations, Shell: []byte(shell)})
	if err == nil || !strings.Contains(err.Error(), `audiences "a" and "b" have the same passphrase`) {
		t.Errorf("err = %v", err)
	}
}

func TestAddressesAreStableAndKeyed(t *testing.T) {
	a, b := newTestSealer(t), newTestSealer(t)
	p := "reports/reps/jdoe/week/2026-W47/"
	if a.OpaqueDir(p) != b.OpaqueDir(p) {
		t.Error("two builds with the same keys publish a page at different addresses")
	}
	c, _ := New(Options{Readers: []Reader{{Name: "x", Scope: "all", Passphrase: "other"}}, Iterations: testIterations, Shell: []byte(shell)})
	if c.OpaqueDir(p) == a.OpaqueDir(p) {
		t.Error("the address does not depend on the passphrases")
	}
	if !regexp.MustCompile(`^reports/[0-9a-f]{20}/$`).MatchString(a.OpaqueDir(p)) {
		t.Errorf("address %s", a.OpaqueDir(p))
	}
}
