// Package access seals the report pages of a build for a public host, so
// that the host and its visitors only ever hold ciphertext of rep data and
// each audience's passphrase opens exactly the pages of its scope.
//
// The site's report pages fall into units: "all" (the reports index and
// data health), "shared" (the metrics page, which holds no rep data),
// "rep:<id>", "team:<id>" and "manager:<id>", decided from a page's path.
// Each unit gets a random AES-256 content key and a random id per build.
// Every page and metrics.json under reports/ is encrypted with its unit's
// key (AES-256-GCM, a fresh nonce each, its published path as additional
// data) and published at an opaque address derived with HMAC-SHA256 from
// its original path; a page becomes a shell page (generic title, unlock
// form, ciphertext). The unit's id travels encrypted under the build's
// route key, so files of one unit cannot be told apart from others. Every
// link to a report page, in report pages and playbook pages alike, is
// rewritten to the opaque address before encryption.
//
// Each audience's passphrase is stretched with PBKDF2-SHA256 (Iterations
// rounds, a salt of its own) into a key-encryption key. The audience's
// bundle (the content keys of every unit its scope covers, the route key,
// and the pages to start from) is a file of its own, padded to the size
// of the largest bundle and encrypted under a random bundle key; the key
// file, reports/keyring.json, holds each bundle key and file id wrapped
// under the audience's key-encryption key. The unlock script in the
// browser does the same steps with WebCrypto; Unlock and Bundle.Open are
// the Go mirror of it that the tests use.
//
// The key that makes addresses opaque is derived from the audiences'
// key-encryption keys, so addresses stay the same from build to build
// while the audiences and passphrases do, and guessing them costs an
// attacker the full PBKDF2 work per guess.
package access

import (
	"compress/flate"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
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
}

// Slot is the element of the shell page that each sealed page fills.
const Slot = `<script type="application/json" id="cb-sealed">null</script>`

// KeyringPath is where the key file is published, relative to the output.
const KeyringPath = "reports/keyring.json"

// Sealer encrypts report files on their way to a Writer. It is safe for
// concurrent use; Finish must be called once every file was written.
type Sealer struct {
	opts     Options
	readers  []Reader
	keks     [][]byte
	urlKey   []byte
	routeKey []byte
	build    string
	prefix   []byte // shell before and after the slot
	suffix   []byte
	repTeam  map[string]string
	repMgr   map[string]string
	mgrTeams map[string]bool // "manager\x00team" for every team a manager has a rep in

	mu      sync.Mutex
	keys    map[string][]byte           // unit -> content key
	ids     map[string][]byte           // unit -> its random id in this build
	entries map[string]map[string]Entry // unit -> key -> page to start from
	opaque  sync.Map                    // original dir -> opaque dir
	own     sync.Map                    // paths Finish writes, passed through as they are
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
	for i := range readers {
		for j := range i {
			if readers[i].Passphrase == readers[j].Passphrase {
				return nil, fmt.Errorf("audiences %q and %q have the same passphrase; give each its own (coachbook keys new)", readers[j].Name, readers[i].Name)
			}
		}
	}
	s := &Sealer{
		opts: opts, readers: readers, routeKey: NewKey(), build: hex.EncodeToString(random(8)),
		prefix: []byte(before), suffix: []byte(after),
		repTeam: map[string]string{}, repMgr: map[string]string{}, mgrTeams: map[string]bool{},
		keys: map[string][]byte{}, ids: map[string][]byte{}, entries: map[string]map[string]Entry{},
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
		wg.Go(func() { s.keks[i], errs[i] = DeriveKey(r.Passphrase, AudienceSalt(opts.Site, r.Name), opts.Iterations) })
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	mac := hmac.New(sha256.New, []byte("coachbook address key"))
	for _, k := range s.keks {
		mac.Write(k)
	}
	s.urlKey = mac.Sum(nil)
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

// key returns the unit's content key and id, made on first use.
func (s *Sealer) key(unit string) (key, id []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	k, ok := s.keys[unit]
	if !ok {
		k = NewKey()
		s.keys[unit], s.ids[unit] = k, random(8)
	}
	return k, s.ids[unit]
}

// Finish writes the key file and the bundle files to w (a Writer from To
// passes them through unchanged): for each audience, the keys of the
// units its scope covers and the pages it can start from.
func (s *Sealer) Finish(w Writer) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	units := make([]string, 0, len(s.keys))
	for u := range s.keys {
		units = append(units, u)
	}
	slices.Sort(units)
	kf := KeyFile{Version: Version, Build: s.build, KDF: "PBKDF2-SHA256", Iterations: s.opts.Iterations}
	zs := make([][]byte, len(s.readers))
	size := 0
	for i, r := range s.readers {
		b := Bundle{Keys: map[string]string{}, Route: base64.StdEncoding.EncodeToString(s.routeKey)}
		for _, u := range units {
			if !s.covers(r.Scope, u) {
				continue
			}
			b.Keys[hex.EncodeToString(s.ids[u])] = base64.StdEncoding.EncodeToString(s.keys[u])
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
		// Framed as length, DEFLATE, padding: the padding must not be
		// compressed away.
		z, err := compress(make([]byte, 4, len(plain)/2), plain, s.pages)
		if err != nil {
			return err
		}
		binary.BigEndian.PutUint32(z, uint32(len(z)-4))
		zs[i], size = z, max(size, len(z))
	}
	// Every bundle file has the size of the largest, rounded up, so that
	// no size tells how much an audience may read.
	size = (size + 1023) / 1024 * 1024
	for i, z := range zs {
		bundleKey, id := NewKey(), random(bundleIDSize)
		p := bundlePath(id)
		s.own.Store(p, true)
		nonce, ct, err := sealWith(bundleKey, append(z, make([]byte, size-len(z))...), p)
		if err != nil {
			return err
		}
		if err := w.Write(p, appendSealed(nil, s.build, nil, false, nonce, ct)); err != nil {
			return err
		}
		nonce, ct, err = sealWith(s.keks[i], append(bundleKey, id...), keyringAAD(s.build))
		if err != nil {
			return err
		}
		salt := AudienceSalt(s.opts.Site, s.readers[i].Name)
		kf.Bundles = append(kf.Bundles, Wrapped{Salt: base64.StdEncoding.EncodeToString(salt), Hint: HintOf(salt, s.readers[i].Passphrase),
			Nonce: base64.StdEncoding.EncodeToString(nonce), Data: base64.StdEncoding.EncodeToString(ct)})
	}
	// The order of entries must not tell which audience is which.
	slices.SortFunc(kf.Bundles, func(x, y Wrapped) int { return strings.Compare(x.Data, y.Data) })
	out, err := json.Marshal(kf)
	if err != nil {
		return err
	}
	s.own.Store(KeyringPath, true)
	return w.Write(KeyringPath, out)
}

// Groups of the start pages, in the order the unlock script lists them.
var groups = []string{"All reports", "Managers", "Teams", "Reps", "Reference"}

func groupOrder(g string) string {
	return fmt.Sprintf("%02d", slices.Index(groups, g)+1)
}
