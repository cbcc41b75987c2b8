package access

import (
	"bytes"
	"compress/flate"
	"crypto/aes"
	"crypto/cipher"
	"crypto/pbkdf2"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"regexp"
	"slices"
)

// Iterations is the PBKDF2-SHA256 work factor that turns a passphrase into
// a key-encryption key: OWASP's 2023 figure, so each guess of an offline
// attacker costs as much as one unlock in a browser.
const Iterations = 600_000

// KeySize is the size of every AES key: AES-256.
const KeySize = 32

// Sealed is one encrypted file as published: a page's ciphertext inside its
// shell page, or a metrics.json in place of the original. The browser reads
// the same fields. The plaintext is compressed (raw DEFLATE, which the
// browser's DecompressionStream("deflate-raw") reads) before it is
// encrypted: pages shrink several times, so there is less to encrypt,
// encode, write and download. A metrics.json is small and shrinks only by
// half, for twenty times the work of its page: it goes in DEFLATE's stored
// blocks, which the same reader opens.
//
// The ciphertext is bound to the file's published path (AES-GCM's
// additional data), so a file copied over another does not open. Which
// unit's key opens it is in Route, encrypted under the build's route key
// (in every bundle) with the same nonce and path: the host cannot tell
// which files belong to one unit, a reader learns only an id that means
// nothing outside this build.
type Sealed struct {
	Version int    `json:"v"`
	Build   string `json:"b"`           // the build the content key belongs to
	Route   string `json:"r"`           // base64: the unit's id, sealed under the route key
	Nonce   string `json:"n"`           // base64, 12 bytes
	Data    string `json:"c"`           // base64 AES-256-GCM ciphertext with its tag
	Index   bool   `json:"i,omitempty"` // the reports index: list the reader's pages when it is not theirs
}

// Version is the format of sealed files and the key file.
const Version = 2

// KeyFile is reports/keyring.json. For each audience it holds a Wrapped
// entry: the key and address of the audience's bundle file, encrypted
// under the key derived from the audience's passphrase with the
// audience's own salt. Entries carry no audience name and are all the
// same size; the browser tries its key on each.
type KeyFile struct {
	Version    int       `json:"v"`
	Build      string    `json:"b"`
	KDF        string    `json:"kdf"` // "PBKDF2-SHA256"
	Iterations int       `json:"iter"`
	Bundles    []Wrapped `json:"bundles"`
}

// Wrapped is one audience's entry in the key file.
type Wrapped struct {
	Salt  string `json:"s"` // base64, 16 bytes
	Hint  string `json:"h"` // 8 hex digits: which entry a generated passphrase opens (HintOf)
	Nonce string `json:"n"` // base64, 12 bytes
	Data  string `json:"c"` // base64: bundle key (32 bytes) and bundle file id (10 bytes), sealed
}

// Bundle is what one audience's passphrase opens: the content keys of
// every unit its scope covers, the route key, and the pages to start
// from. It is published as its own file, reports/<id>.json, padded so
// that every audience's bundle file has the same size.
type Bundle struct {
	Keys  map[string]string `json:"keys"`  // unit id of this build -> base64 key
	Route string            `json:"route"` // base64 route key
	Pages []Entry           `json:"pages"`
}

// Entry is one page an audience can start from, listed after unlocking.
type Entry struct {
	Group string `json:"g"`
	Title string `json:"t"`
	URL   string `json:"u"`

	period string // for team pages: keep the latest
}

// DeriveKey turns a passphrase into a key-encryption key the way the
// browser's WebCrypto deriveBits does: PBKDF2 with HMAC-SHA256.
func DeriveKey(passphrase string, salt []byte, iterations int) ([]byte, error) {
	return pbkdf2.Key(sha256.New, passphrase, salt, iterations, KeySize)
}

// AudienceSalt is the PBKDF2 salt of one audience of a site: its own, so
// that one stretched guess tests one audience, not all of them. It is the
// same from build to build, so sign-in links keep working until the
// passphrase changes.
func AudienceSalt(site, audience string) []byte {
	sum := sha256.Sum256([]byte("coachbook audience salt\x00" + site + "\x00" + audience))
	return sum[:16]
}

// SignInKey is what an audience's sign-in link carries in its fragment:
// the key derived from its passphrase, base64url. It opens what the
// passphrase opens, without the slow stretching, until the passphrase
// changes.
func SignInKey(site, audience, passphrase string, iterations int) (string, error) {
	if iterations == 0 {
		iterations = Iterations
	}
	k, err := DeriveKey(passphrase, AudienceSalt(site, audience), iterations)
	if err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(k), nil
}

// generated matches the passphrases `coachbook keys new` makes.
var generated = regexp.MustCompile(`^[a-z2-7]{5}-[a-z2-7]{5}-[a-z2-7]{5}-[a-z2-7]{5}-[a-z2-7]{6}$`)

// HintOf tells the browser which key file entry to stretch a typed
// passphrase for first, so that a site with many audiences opens with one
// stretch instead of one per audience. For a generated passphrase it is
// a hash of the salt and the passphrase's first group of five letters: a
// random part of it, 25 of its 130 bits, which the hint gives away to
// anyone who tries 2^25 hashes; the 105 bits left are as far out of reach.
// Any other passphrase gets a random hint, which gives nothing away and
// helps nothing (every entry is tried in turn).
func HintOf(salt []byte, passphrase string) string {
	if !generated.MatchString(passphrase) {
		return hex.EncodeToString(random(4))
	}
	sum := sha256.Sum256(append(append([]byte("coachbook hint\x00"), salt...), passphrase[:5]...))
	return hex.EncodeToString(sum[:4])
}

// NewKey returns a fresh random AES-256 key.
func NewKey() []byte {
	return random(KeySize)
}

func random(n int) []byte {
	b := make([]byte, n)
	rand.Read(b) // crypto/rand.Read never fails
	return b
}

// flaters keeps compressors of one level for reuse: each holds about a
// megabyte of state, too much to allocate per page. (A sync.Pool is
// emptied by every garbage collection, which a build of many pages runs
// often.) Without free, a new compressor is made each time.
type flaters struct {
	level int
	free  chan *flate.Writer
}

func newFlaters(level int) flaters { return flaters{level, make(chan *flate.Writer, 32)} }

func (f flaters) get(w io.Writer) *flate.Writer {
	select {
	case fw := <-f.free:
		fw.Reset(w)
		return fw
	default:
		fw, _ := flate.NewWriter(w, f.level)
		return fw
	}
}

func (f flaters) put(fw *flate.Writer) {
	select {
	case f.free <- fw:
	default:
	}
}

// compress appends the raw DEFLATE of plain to dst.
func compress(dst, plain []byte, pool flaters) ([]byte, error) {
	z := bytes.NewBuffer(dst)
	if pool.level == flate.NoCompression {
		z.Grow(len(plain) + len(plain)/(1<<14) + 64) // stored blocks add 5 bytes in 64 KB; then the tag
	} else {
		z.Grow(len(plain)/3 + 64)
	}
	fw := pool.get(z)
	_, err := fw.Write(plain)
	if err == nil {
		err = fw.Close()
	}
	pool.put(fw)
	return z.Bytes(), err
}

// seal compresses plain with a compressor from pool and encrypts it for
// the published path aad, writing the ciphertext over scratch (a buffer
// to reuse, may be nil).
func seal(scratch, key, plain []byte, pool flaters, aad string) (nonce, ct []byte, err error) {
	aead, err := newGCM(key)
	if err != nil {
		return nil, nil, err
	}
	z, err := compress(scratch[:0], plain, pool)
	if err != nil {
		return nil, nil, err
	}
	nonce = random(aead.NonceSize())
	return nonce, aead.Seal(z[:0], nonce, z, []byte(aad)), nil
}

// sealWith encrypts plain under key for aad with a fresh nonce.
func sealWith(key, plain []byte, aad string) (nonce, ct []byte, err error) {
	aead, err := newGCM(key)
	if err != nil {
		return nil, nil, err
	}
	nonce = random(aead.NonceSize())
	return nonce, aead.Seal(nil, nonce, plain, []byte(aad)), nil
}

// appendSealed writes the JSON of a Sealed without building its strings
// twice: the base64 goes straight into buf (it needs no escaping).
func appendSealed(buf []byte, build string, route []byte, index bool, nonce, ct []byte) []byte {
	buf = append(buf, `{"v":2,"b":"`...)
	buf = append(buf, build...)
	buf = append(buf, `","r":"`...)
	buf = base64.StdEncoding.AppendEncode(buf, route)
	buf = append(buf, `","n":"`...)
	buf = base64.StdEncoding.AppendEncode(buf, nonce)
	buf = append(buf, `","c":"`...)
	buf = base64.StdEncoding.AppendEncode(buf, ct)
	buf = append(buf, '"')
	if index {
		buf = append(buf, `,"i":true`...)
	}
	return append(buf, '}')
}

// ErrWrongKey is returned when a key does not open a file (or the file
// was altered, or copied from another address).
var ErrWrongKey = errors.New("the key does not open this file")

// open decrypts base64 nonce and ciphertext under key for aad.
func open(key []byte, nonce64, data64, aad string) ([]byte, error) {
	nonce, err1 := base64.StdEncoding.DecodeString(nonce64)
	ct, err2 := base64.StdEncoding.DecodeString(data64)
	if err := errors.Join(err1, err2); err != nil {
		return nil, err
	}
	aead, err := newGCM(key)
	if err != nil {
		return nil, err
	}
	if len(nonce) != aead.NonceSize() {
		return nil, fmt.Errorf("nonce of %d bytes, want %d", len(nonce), aead.NonceSize())
	}
	plain, err := aead.Open(nil, nonce, ct, []byte(aad))
	if err != nil {
		return nil, ErrWrongKey
	}
	return plain, nil
}

func newGCM(key []byte) (cipher.AEAD, error) {
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(block)
}

// Unlock does what the unlock script does with a passphrase: derive a key
// with each entry's salt and iterations until one opens an entry of the
// key file, then open that audience's bundle. read returns a published
// file by its path under the output.
func Unlock(read func(string) ([]byte, error), passphrase string) (*Bundle, error) {
	kf, err := readKeyFile(read)
	if err != nil {
		return nil, err
	}
	entries := slices.Clone(kf.Bundles)
	slices.SortStableFunc(entries, func(a, b Wrapped) int { return hinted(b, passphrase) - hinted(a, passphrase) })
	for _, w := range entries {
		salt, err := base64.StdEncoding.DecodeString(w.Salt)
		if err != nil {
			return nil, err
		}
		kek, err := DeriveKey(passphrase, salt, kf.Iterations)
		if err != nil {
			return nil, err
		}
		if b, err := openBundle(read, kf, w, kek); !errors.Is(err, ErrWrongKey) {
			return b, err
		}
	}
	return nil, ErrWrongKey
}

// hinted is 1 when the entry's hint matches the passphrase, else 0.
func hinted(w Wrapped, passphrase string) int {
	salt, err := base64.StdEncoding.DecodeString(w.Salt)
	if err == nil && generated.MatchString(passphrase) && HintOf(salt, passphrase) == w.Hint {
		return 1
	}
	return 0
}

// UnlockWith opens the bundle with a key from a sign-in link (SignInKey),
// as the browser does with the link's fragment.
func UnlockWith(read func(string) ([]byte, error), signIn string) (*Bundle, error) {
	kek, err := base64.RawURLEncoding.DecodeString(signIn)
	if err != nil {
		return nil, err
	}
	kf, err := readKeyFile(read)
	if err != nil {
		return nil, err
	}
	for _, w := range kf.Bundles {
		if b, err := openBundle(read, kf, w, kek); !errors.Is(err, ErrWrongKey) {
			return b, err
		}
	}
	return nil, ErrWrongKey
}

func readKeyFile(read func(string) ([]byte, error)) (KeyFile, error) {
	var kf KeyFile
	raw, err := read(KeyringPath)
	if err == nil {
		err = json.Unmarshal(raw, &kf)
	}
	if err == nil && kf.Version != Version {
		err = fmt.Errorf("key file version %d is not known", kf.Version)
	}
	return kf, err
}

// openBundle opens a key file entry with kek, then the bundle file it
// names; ErrWrongKey means the entry is another audience's.
func openBundle(read func(string) ([]byte, error), kf KeyFile, w Wrapped, kek []byte) (*Bundle, error) {
	plain, err := open(kek, w.Nonce, w.Data, keyringAAD(kf.Build))
	if err != nil {
		return nil, err
	}
	if len(plain) != KeySize+bundleIDSize {
		return nil, fmt.Errorf("key file entry of %d bytes", len(plain))
	}
	p := bundlePath(plain[KeySize:])
	raw, err := read(p)
	if err != nil {
		return nil, err
	}
	var s Sealed
	if err := json.Unmarshal(raw, &s); err != nil {
		return nil, fmt.Errorf("%s: %v", p, err)
	}
	framed, err := open(plain[:KeySize], s.Nonce, s.Data, p)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", p, err)
	}
	if len(framed) < 4 || int(binary.BigEndian.Uint32(framed)) > len(framed)-4 {
		return nil, fmt.Errorf("%s: bad length", p)
	}
	z := framed[4 : 4+binary.BigEndian.Uint32(framed)]
	js, err := io.ReadAll(flate.NewReader(bytes.NewReader(z)))
	if err != nil {
		return nil, fmt.Errorf("%s: %v", p, err)
	}
	var b Bundle
	if err := json.Unmarshal(js, &b); err != nil {
		return nil, fmt.Errorf("%s: %v", p, err)
	}
	return &b, nil
}

func keyringAAD(build string) string { return "coachbook keyring\x00" + build }

// bundleIDSize is the size of the random id that names a bundle file.
const bundleIDSize = 10

func bundlePath(id []byte) string { return "reports/" + hex.EncodeToString(id) + ".json" }

// Open decrypts a published file (a shell page or a sealed JSON file)
// found at path under the output, with the bundle's key for its unit;
// ErrWrongKey means the bundle lacks that unit or the file belongs at
// another address.
func (b *Bundle) Open(path string, file []byte) ([]byte, error) {
	s, err := SealedIn(file)
	if err != nil {
		return nil, err
	}
	if s.Version != Version {
		return nil, fmt.Errorf("sealed file version %d is not known", s.Version)
	}
	route, err := base64.StdEncoding.DecodeString(b.Route)
	if err != nil {
		return nil, err
	}
	id, err := open(route, s.Nonce, s.Route, path)
	if err != nil {
		return nil, err
	}
	k, ok := b.Keys[hex.EncodeToString(id)]
	if !ok {
		return nil, ErrWrongKey
	}
	key, err := base64.StdEncoding.DecodeString(k)
	if err != nil {
		return nil, err
	}
	z, err := open(key, s.Nonce, s.Data, path)
	if err != nil {
		return nil, err
	}
	return io.ReadAll(flate.NewReader(bytes.NewReader(z)))
}

// SealedIn reads the Sealed of a published file: the JSON in a shell
// page's slot, or the whole file.
func SealedIn(file []byte) (Sealed, error) {
	var s Sealed
	const open = `<script type="application/json" id="cb-sealed">`
	if i := bytes.Index(file, []byte(open)); i >= 0 {
		file = file[i+len(open):]
		j := bytes.Index(file, []byte("</script>"))
		if j < 0 {
			return s, errors.New("the sealed data is not closed")
		}
		file = file[:j]
	}
	err := json.Unmarshal(file, &s)
	return s, err
}
