// Package access seals the report pages of a build for a public host, so
// that the host and its visitors only ever hold ciphertext of rep data and
// each audience's passphrase opens exactly the pages of its scope.
//
// The site's report pages fall into units: "all" (the reports index and
// data health), "shared" (the metrics page, which holds no rep data),
// "rep:<id>", "team:<id>" and "manager:<id>", decided from a page's path.
// Each unit gets a random AES-256 content key per build. Every page and
// metrics.json under reports/ is encrypted with its unit's key
// (AES-256-GCM, a fresh nonce each) and published at an opaque address
// derived with HMAC-SHA256 from its original path; a page becomes a shell
// page (generic title, unlock form, ciphertext). Every link to a report
// page, in report pages and playbook pages alike, is rewritten to the
// opaque address before encryption.
//
// Each audience's passphrase is stretched with PBKDF2-SHA256 (Iterations
// rounds, one per-site salt) into a key-encryption key; the audience's
// bundle (the content keys of every unit its scope covers, and the pages to
// start from) is encrypted under it into reports/keyring.json. The unlock
// script in the browser does the same steps with WebCrypto; Unlock and
// Bundle.OpenWith are the Go mirror of it that the tests use.
//
// The key that makes addresses opaque is derived from the audiences'
// key-encryption keys, so addresses stay the same from build to build
// while the audiences and passphrases do, and guessing them costs an
// attacker the full PBKDF2 work per guess.
package access

import (
	"compress/flate"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/coachbook/coachbook/site/config"
)

// Writer is where sealed files go: the build's render.Sink.
type Writer interface {
	Write(path string, data []byte) error
}

// Reader is an audience with the passphrase read for it.
type Reader struct {
	Name, Scope, Passphrase string
}

// Member is a rep as far as scopes need to know.
type Member struct {
	ID, Team, Manager string
}

// Options configure a Sealer.
type Options struct {
	Readers []Reader
	Reps    []Member
	// Site names the site for its salt: its absolute base address.
	Site       string
	BasePath   string // "/" or "/playbook/"
	Origin     string // "https://org.github.io" or ""
	Iterations int    // 0 means Iterations
	// Shell is the rendered locked page; it holds Slot once, where each
	// page's ciphertext goes.
	Shell []byte
	// Script is the HTML that loads the unlock script; it is added to every
	// page before encryption so an opened page has its lock button.
	Script string
	// Homes maps a scope to the output path of its reports index
	// ("manager:mgarcia" -> "reports/managers/mgarcia/overview/index.html").
	Homes map[string]string
}

// Slot is the element of the shell page that each sealed page fills.
const Slot = `<script type="application/json" id="cb-sealed">null</script>`

// KeyringPath is where the key file is published, relative to the output.
const KeyringPath = "reports/keyring.json"

// Sealer encrypts report files on their way to a Writer. It is safe for
// concurrent use; Finish must be called once every file was written.
type Sealer struct {
	next     Writer
	opts     Options
	readers  []Reader
	keks     [][]byte
	salt     []byte
	urlKey   []byte
	build    string
	prefix   []byte // shell before and after the slot
	suffix   []byte
	repTeam  map[string]string
	repMgr   map[string]string
	mgrTeams map[string]bool // "manager\x00team" for every team a manager has a rep in

	mu      sync.Mutex
	keys    map[string][]byte           // unit -> content key
	entries map[string]map[string]Entry // unit -> key -> page to start from
	opaque  sync.Map                    // original dir -> opaque dir
	pages   flaters                     // compressors for HTML pages
	files   flaters                     // "compressors" that store: for metrics.json and other small files
	scratch buffers                     // for the ciphertext of a page
}

// New derives every audience's key (the slow part, in parallel).
func New(opts Options) (*Sealer, error) {
	if opts.Iterations == 0 {
		opts.Iterations = Iterations
	}
	if len(opts.Readers) == 0 {
		return nil, errors.New("no audience has a passphrase")
	}
	before, after, ok := strings.Cut(string(opts.Shell), Slot)
	if !ok || strings.Contains(after, Slot) {
		return nil, fmt.Errorf("the locked page layout must hold %s exactly once", Slot)
	}
	readers := slices.Clone(opts.Readers)
	slices.SortFunc(readers, func(a, b Reader) int { return strings.Compare(a.Name, b.Name) })
	salt := sha256.Sum256([]byte("coachbook site salt\x00" + opts.Site))
	s := &Sealer{
		opts: opts, readers: readers, salt: salt[:16],
		prefix: []byte(before), suffix: []byte(after),
		repTeam: map[string]string{}, repMgr: map[string]string{}, mgrTeams: map[string]bool{},
		keys: map[string][]byte{}, entries: map[string]map[string]Entry{},
		pages: newFlaters(flate.BestSpeed), files: newFlaters(flate.NoCompression),
		scratch: make(buffers, 32),
	}
	for _, r := range opts.Reps {
		s.repTeam[r.ID], s.repMgr[r.ID] = r.Team, r.Manager
		s.mgrTeams[r.Manager+"\x00"+r.Team] = true
	}
	s.keks = make([][]byte, len(readers))
	errs := make([]error, len(readers))
	var wg sync.WaitGroup
	for i, r := range readers {
		wg.Go(func() { s.keks[i], errs[i] = DeriveKey(r.Passphrase, s.salt, opts.Iterations) })
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	for i := range readers {
		for j := range i {
			if hmac.Equal(s.keks[i], s.keks[j]) {
				return nil, fmt.Errorf("audiences %q and %q have the same passphrase; give each its own (coachbook keys new)", readers[j].Name, readers[i].Name)
			}
		}
	}
	mac := hmac.New(sha256.New, []byte("coachbook address key"))
	for _, k := range s.keks {
		mac.Write(k)
	}
	s.urlKey = mac.Sum(nil)
	b := make([]byte, 8)
	rand.Read(b)
	s.build = hex.EncodeToString(b)
	return s, nil
}

// unitOf is the unit a file under reports/ belongs to.
func unitOf(p string) string {
	parts := strings.Split(p, "/")
	if len(parts) >= 4 {
		switch parts[1] {
		case "reps":
			return config.ScopeRep + ":" + parts[2]
		case "teams":
			return config.ScopeTeam + ":" + parts[2]
		case "managers":
			return config.ScopeManager + ":" + parts[2]
		}
	}
	if len(parts) >= 3 && parts[1] == "metrics" {
		return "shared"
	}
	return config.ScopeAll
}

// covers reports whether an audience of the scope may open the unit.
func (s *Sealer) covers(scope, unit string) bool {
	kind, id, _ := config.ParseScope(scope)
	if kind == config.ScopeAll || unit == "shared" || unit == scope {
		return true
	}
	ukind, uid, _ := strings.Cut(unit, ":")
	switch {
	case kind == config.ScopeManager && ukind == config.ScopeRep:
		return s.repMgr[uid] == id
	case kind == config.ScopeManager && ukind == config.ScopeTeam:
		return s.mgrTeams[id+"\x00"+uid]
	case kind == config.ScopeTeam && ukind == config.ScopeRep:
		return s.repTeam[uid] == id
	}
	return false
}

// unitID is the published name of a unit's key.
func (s *Sealer) unitID(unit string) string {
	mac := hmac.New(sha256.New, s.urlKey)
	mac.Write([]byte("unit\x00" + unit))
	return hex.EncodeToString(mac.Sum(nil)[:8])
}

// key returns the unit's content key, made on first use.
func (s *Sealer) key(unit string) []byte {
	s.mu.Lock()
	defer s.mu.Unlock()
	k, ok := s.keys[unit]
	if !ok {
		k = NewKey()
		s.keys[unit] = k
	}
	return k
}

// Finish writes the key file to w (a Writer from To passes it through
// unchanged): one bundle per audience with the keys
// of the units its scope covers and the pages it can start from.
func (s *Sealer) Finish(w Writer) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	units := make([]string, 0, len(s.keys))
	for u := range s.keys {
		units = append(units, u)
	}
	slices.Sort(units)
	kf := KeyFile{Version: 1, Build: s.build, KDF: "PBKDF2-SHA256", Iterations: s.opts.Iterations,
		Salt: base64.StdEncoding.EncodeToString(s.salt)}
	for i, r := range s.readers {
		b := Bundle{Keys: map[string]string{}}
		if home, ok := s.opts.Homes[r.Scope]; ok {
			b.Home = s.opts.BasePath + s.MapPath(strings.TrimSuffix(home, "index.html"))
		}
		for _, u := range units {
			if !s.covers(r.Scope, u) {
				continue
			}
			b.Keys[s.unitID(u)] = base64.StdEncoding.EncodeToString(s.keys[u])
			for _, e := range s.entries[u] {
				b.Pages = append(b.Pages, e)
			}
		}
		slices.SortFunc(b.Pages, func(x, y Entry) int {
			if c := strings.Compare(groupOrder(x.Group), groupOrder(y.Group)); c != 0 {
				return c
			}
			return strings.Compare(x.Title, y.Title)
		})
		plain, err := json.Marshal(b)
		if err != nil {
			return err
		}
		sealed, err := Seal(s.keks[i], plain, s.build, "")
		if err != nil {
			return err
		}
		kf.Bundles = append(kf.Bundles, sealed)
	}
	// The order of bundles must not tell which audience is which.
	slices.SortFunc(kf.Bundles, func(x, y Sealed) int { return strings.Compare(x.Data, y.Data) })
	out, err := json.Marshal(kf)
	if err != nil {
		return err
	}
	return w.Write(KeyringPath, out)
}

// Groups of the start pages, in the order the unlock script lists them.
var groups = []string{"All reports", "Managers", "Teams", "Reps", "Reference"}

func groupOrder(g string) string {
	return fmt.Sprintf("%02d", slices.Index(groups, g)+1)
}
