package access

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// memWriter keeps what a Sealer writes.
type memWriter map[string][]byte

func (m memWriter) Write(p string, b []byte) error { m[p] = b; return nil }

func (m memWriter) read(p string) ([]byte, error) {
	if b, ok := m[p]; ok {
		return b, nil
	}
	return nil, fs.ErrNotExist
}

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

func TestEnvelopeRoundTrip(t *testing.T) {
	key := NewKey()
	plain := []byte("Jane Doe: $12,500 won")
	nonce, ct, err := sealWith(key, plain, "reports/a/index.html")
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(ct, []byte("Jane")) {
		t.Fatal("ciphertext holds the plaintext")
	}
	n64, c64 := base64.StdEncoding.EncodeToString(nonce), base64.StdEncoding.EncodeToString(ct)
	got, err := open(key, n64, c64, "reports/a/index.html")
	if err != nil || !bytes.Equal(got, plain) {
		t.Fatalf("open = %q, %v; want the plaintext", got, err)
	}
	again, _, _ := sealWith(key, plain, "reports/a/index.html")
	if bytes.Equal(again, nonce) {
		t.Error("two seals of the same page share a nonce")
	}
	if _, err := open(NewKey(), n64, c64, "reports/a/index.html"); !errors.Is(err, ErrWrongKey) {
		t.Errorf("another key opened the page: %v", err)
	}
	if _, err := open(key, n64, c64, "reports/b/index.html"); !errors.Is(err, ErrWrongKey) {
		t.Errorf("the page opened at another address: %v", err)
	}
	tampered := "A" + c64[1:]
	if c64[0] == 'A' {
		tampered = "B" + c64[1:]
	}
	if _, err := open(key, n64, tampered, "reports/a/index.html"); !errors.Is(err, ErrWrongKey) {
		t.Errorf("an altered ciphertext opened: %v", err)
	}
}

// TestScopesThroughTheBrowsersSteps seals a small site and opens it the
// way unlock.js does: key file, PBKDF2, the audience's bundle, then the
// page's unit key.
func TestScopesThroughTheBrowsersSteps(t *testing.T) {
	s := newTestSealer(t)
	out := sealSite(t, s)
	for p, b := range out {
		for _, leak := range []string{"jdoe", "Jane", "psilva", "Priya", "twebb", "mgarcia", "12500", "2026-W47"} {
			clean := regexp.MustCompile(`"(c|n|r|s)":"[^"]*"`).ReplaceAll(b, nil)
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
	if _, err := Unlock(out.read, "north sta"); !errors.Is(err, ErrWrongKey) {
		t.Errorf("a wrong passphrase unlocked: %v", err)
	}
	mgr, err := Unlock(out.read, "north star")
	if err != nil {
		t.Fatal(err)
	}
	open := func(b *Bundle, p string) (string, error) {
		f, ok := out[s.MapPath(p)]
		if !ok {
			t.Fatalf("%s was not published at %s", p, s.MapPath(p))
		}
		plain, err := b.Open(s.MapPath(p), f)
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
	south, _ := Unlock(out.read, "southern cross")
	if _, err := open(south, "reports/reps/psilva/index.html"); err != nil {
		t.Errorf("team:south cannot open its rep: %v", err)
	}
	if _, err := open(south, "reports/reps/jdoe/index.html"); err == nil {
		t.Error("team:south opens a north rep")
	}
	all, _ := Unlock(out.read, "all of it")
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

// testSite is a small site's output before sealing.
var testSite = map[string][]byte{
	"index.html":                                   page("Acme", `<a href="/playbook/reports/">Team reports</a> <a href="/playbook/reports/metrics/#win_rate">win rate</a>`),
	"reports/index.html":                           page("Team reports", `<a href="/playbook/reports/reps/jdoe/">Jane Doe</a>`),
	"reports/metrics/index.html":                   page("Metrics", "definitions"),
	"reports/reps/jdoe/index.html":                 page("Jane Doe", `<a href="week/2026-W47/">week</a> <a href="https://acme.github.io/playbook/reports/reps/twebb/">Tom Webb</a> <a href="../../teams/north/week/2026-W47/#reps">team</a>`),
	"reports/reps/jdoe/week/2026-W47/index.html":   page("Jane Doe W47", "week 47"),
	"reports/reps/jdoe/week/2026-W47/metrics.json": []byte(`{"rep":"jdoe","won":{"amount":12500}}`),
	"reports/reps/psilva/index.html":               page("Priya Silva", "south"),
	"reports/teams/north/week/2026-W46/index.html": page("North W46", ""),
	"reports/teams/north/week/2026-W47/index.html": page("North W47", ""),
	"reports/managers/mgarcia/index.html":          page("Maria Garcia", ""),
	"reports/managers/mgarcia/overview/index.html": page("Reports: Maria Garcia", ""),
	"reports/teams/north/index.html":               page("Reports: team north", ""),
}

// sealSite seals testSite with s and returns what it published.
func sealSite(t *testing.T, s *Sealer) memWriter {
	t.Helper()
	out := memWriter{}
	w := s.To(out)
	for p, b := range testSite {
		if err := w.Write(p, bytes.Clone(b)); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Finish(w); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestCiphertextTellsLittle: a page copied over another page of the same
// unit does not open; files carry no unit id the host could group them
// by, and the ids inside the bundles change from build to build; every
// bundle file has the same size; each audience has its own salt.
func TestCiphertextTellsLittle(t *testing.T) {
	s := newTestSealer(t)
	out := sealSite(t, s)
	all, err := Unlock(out.read, "all of it")
	if err != nil {
		t.Fatal(err)
	}
	home, week := s.MapPath("reports/reps/jdoe/index.html"), s.MapPath("reports/reps/jdoe/week/2026-W47/index.html")
	if _, err := all.Open(home, out[home]); err != nil {
		t.Fatalf("the page does not open at its own address: %v", err)
	}
	if _, err := all.Open(week, out[home]); !errors.Is(err, ErrWrongKey) {
		t.Errorf("June's page opened at August's address: %v", err)
	}
	bundleFile := regexp.MustCompile(`^reports/[0-9a-f]{20}\.json$`)
	routes := map[string]string{}
	for p, b := range out {
		if p == KeyringPath || !strings.HasPrefix(p, "reports/") || bundleFile.MatchString(p) {
			continue
		}
		sealed, err := SealedIn(b)
		if err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		if other, ok := routes[sealed.Route]; ok {
			t.Errorf("%s and %s show the same route %q", p, other, sealed.Route)
		}
		routes[sealed.Route] = p
	}
	again, err := Unlock(sealSite(t, newTestSealer(t)).read, "all of it")
	if err != nil {
		t.Fatal(err)
	}
	for id := range all.Keys {
		if _, ok := again.Keys[id]; ok {
			t.Errorf("unit id %s is the same in two builds", id)
		}
	}
	var kf KeyFile
	if err := json.Unmarshal(out[KeyringPath], &kf); err != nil {
		t.Fatal(err)
	}
	salts := map[string]bool{}
	for _, w := range kf.Bundles {
		salts[w.Salt] = true
	}
	if len(salts) != 3 {
		t.Errorf("3 audiences share %d salts", len(salts))
	}
	sizes := map[int][]string{}
	for p, b := range out {
		if bundleFile.MatchString(p) {
			sizes[len(b)] = append(sizes[len(b)], p)
		}
	}
	if len(sizes) != 1 || len(out) != len(testSite)+1+3 {
		t.Errorf("bundle files by size: %v (%d files published)", sizes, len(out))
	}
}

// TestSignInKey: the key of a sign-in link opens its audience's bundle
// without the passphrase, and nothing once the passphrase has changed.
func TestSignInKey(t *testing.T) {
	s := newTestSealer(t)
	out := sealSite(t, s)
	link, err := SignInKey("https://acme.github.io/playbook/", "mgarcia", "north star", testIterations)
	if err != nil {
		t.Fatal(err)
	}
	b, err := UnlockWith(out.read, link)
	if err != nil {
		t.Fatalf("the sign-in key opens nothing: %v", err)
	}
	if _, err := b.Open(s.MapPath("reports/managers/mgarcia/index.html"), out[s.MapPath("reports/managers/mgarcia/index.html")]); err != nil {
		t.Errorf("the sign-in key does not open the manager's page: %v", err)
	}
	rotated, err := New(Options{
		Readers:  []Reader{{Name: "leadership", Scope: "all", Passphrase: "all of it"}, {Name: "mgarcia", Scope: "manager:mgarcia", Passphrase: "north star, rotated"}},
		Reps:     []Member{{ID: "jdoe", Team: "north", Manager: "mgarcia"}},
		Site:     "https://acme.github.io/playbook/",
		BasePath: "/playbook/", Iterations: testIterations, Shell: []byte(shell),
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := UnlockWith(sealSite(t, rotated).read, link); !errors.Is(err, ErrWrongKey) {
		t.Errorf("an old sign-in link opens the build after rotation: %v", err)
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

// TestHints: a generated passphrase's hint points at its own entry of the
// key file and no other, so the browser stretches it once; another
// passphrase's hint is random from build to build.
func TestHints(t *testing.T) {
	passes := []string{"k3vq7-mz2ta-aaaaa-bbbbb-cccccc", "mz2ta-k3vq7-aaaaa-bbbbb-cccccc", "a human one"}
	opts := Options{Site: "https://acme.github.io/playbook/", BasePath: "/playbook/", Iterations: testIterations, Shell: []byte(shell)}
	for i, p := range passes {
		opts.Readers = append(opts.Readers, Reader{Name: fmt.Sprintf("a%d", i), Scope: "all", Passphrase: p})
	}
	hints := func() []string {
		s, err := New(opts)
		if err != nil {
			t.Fatal(err)
		}
		out := sealSite(t, s)
		var kf KeyFile
		if err := json.Unmarshal(out[KeyringPath], &kf); err != nil {
			t.Fatal(err)
		}
		var hs []string
		for _, p := range passes[:2] {
			n := 0
			for _, w := range kf.Bundles {
				salt, _ := base64.StdEncoding.DecodeString(w.Salt)
				if hinted(w, p) == 1 {
					n++
					if _, err := openBundle(out.read, kf, w, mustDerive(t, p, salt)); err != nil {
						t.Errorf("the entry hinted for %q does not open with it: %v", p, err)
					}
				}
			}
			if n != 1 {
				t.Errorf("%d entries hinted for %q", n, p)
			}
		}
		for _, w := range kf.Bundles {
			hs = append(hs, w.Hint)
		}
		slices.Sort(hs)
		return hs
	}
	a, b := hints(), hints()
	if same := len(slices.DeleteFunc(slices.Clone(a), func(h string) bool { return !slices.Contains(b, h) })); same != 2 {
		t.Errorf("%d hints are the same in two builds, want the 2 of generated passphrases: %v %v", same, a, b)
	}
}

func mustDerive(t *testing.T, pass string, salt []byte) []byte {
	t.Helper()
	k, err := DeriveKey(pass, salt, testIterations)
	if err != nil {
		t.Fatal(err)
	}
	return k
}
