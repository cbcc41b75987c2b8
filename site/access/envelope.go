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
	"encoding/json"
	"errors"
	"fmt"
	"io"
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
type Sealed struct {
	Version int    `json:"v"`
	Build   string `json:"b"`           // the build the content key belongs to
	Unit    string `json:"u"`           // the opaque id of the content key
	Nonce   string `json:"n"`           // base64, 12 bytes
	Data    string `json:"c"`           // base64 AES-256-GCM ciphertext with its tag
	Index   bool   `json:"i,omitempty"` // the reports index: list the reader's pages when it is not theirs
}

// KeyFile is reports/keyring.json: the per-site salt and, for each
// audience, its bundle of content keys encrypted under the key derived from
// its passphrase. Entries carry no audience name; the browser tries each.
type KeyFile struct {
	Version    int      `json:"v"`
	Build      string   `json:"b"`
	KDF        string   `json:"kdf"` // "PBKDF2-SHA256"
	Iterations int      `json:"iter"`
	Salt       string   `json:"salt"` // base64
	Bundles    []Sealed `json:"bundles"`
}

// Bundle is what one audience's passphrase opens: the content keys of
// every unit its scope covers, and the pages to start from.
type Bundle struct {
	Keys  map[string]string `json:"keys"` // opaque unit id -> base64 key
	Pages []Entry           `json:"pages"`
	// Home is the audience's reports index: the at-a-glance table of its
	// scope, where unlocking on the site's reports index leads.
	Home string `json:"home,omitempty"`
}

// Entry is one page an audience can start from, listed after unlocking.
type Entry struct {
	Group string `json:"g"`
	Title string `json:"t"`
	URL   string `json:"u"`
}

// DeriveKey turns a passphrase into a key-encryption key the way the
// browser's WebCrypto deriveBits does: PBKDF2 with HMAC-SHA256.
func DeriveKey(passphrase string, salt []byte, iterations int) ([]byte, error) {
	return pbkdf2.Key(sha256.New, passphrase, salt, iterations, KeySize)
}

// NewKey returns a fresh random AES-256 key.
func NewKey() []byte {
	k := make([]byte, KeySize)
	rand.Read(k) // crypto/rand.Read never fails
	return k
}

// Seal compresses plain and encrypts it under key with AES-256-GCM and a
// fresh random nonce.
func Seal(key, plain []byte, build, unit string) (Sealed, error) {
	nonce, ct, err := seal(nil, key, plain, flaters{level: flate.BestSpeed})
	if err != nil {
		return Sealed{}, err
	}
	return Sealed{Version: 1, Build: build, Unit: unit,
		Nonce: base64.StdEncoding.EncodeToString(nonce), Data: base64.StdEncoding.EncodeToString(ct)}, nil
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

// seal compresses plain with a compressor from pool and encrypts it,
// writing the ciphertext over scratch (a buffer to reuse, may be nil).
func seal(scratch, key, plain []byte, pool flaters) (nonce, ct []byte, err error) {
	aead, err := newGCM(key)
	if err != nil {
		return nil, nil, err
	}
	z := bytes.NewBuffer(scratch[:0])
	if pool.level == flate.NoCompression {
		z.Grow(len(plain) + len(plain)/(1<<14) + 64) // stored blocks add 5 bytes in 64 KB; then the tag
	} else {
		z.Grow(len(plain)/3 + 64)
	}
	fw := pool.get(z)
	_, err = fw.Write(plain)
	if err == nil {
		err = fw.Close()
	}
	pool.put(fw)
	if err != nil {
		return nil, nil, err
	}
	nonce = make([]byte, aead.NonceSize())
	rand.Read(nonce)
	return nonce, aead.Seal(z.Bytes()[:0], nonce, z.Bytes(), nil), nil
}

// appendSealed writes the JSON of a Sealed without building its strings
// twice: the base64 goes straight into buf (it needs no escaping).
func appendSealed(buf []byte, build, unit string, index bool, nonce, ct []byte) []byte {
	buf = append(buf, `{"v":1,"b":"`...)
	buf = append(buf, build...)
	buf = append(buf, `","u":"`...)
	buf = append(buf, unit...)
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

// ErrWrongKey is returned by Open when the key does not open the data
// (or the data was altered).
var ErrWrongKey = errors.New("the key does not open this file")

// Open decrypts a Sealed, checking its tag.
func Open(key []byte, s Sealed) ([]byte, error) {
	if s.Version != 1 {
		return nil, fmt.Errorf("sealed file version %d is not known", s.Version)
	}
	nonce, err1 := base64.StdEncoding.DecodeString(s.Nonce)
	ct, err2 := base64.StdEncoding.DecodeString(s.Data)
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
	z, err := aead.Open(nil, nonce, ct, nil)
	if err != nil {
		return nil, ErrWrongKey
	}
	return io.ReadAll(flate.NewReader(bytes.NewReader(z)))
}

func newGCM(key []byte) (cipher.AEAD, error) {
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(block)
}

// Unlock does what the unlock script does with a passphrase: derive the
// key-encryption key with the key file's salt and iterations, then try
// every bundle. It returns the first bundle the passphrase opens.
func Unlock(kf KeyFile, passphrase string) (*Bundle, error) {
	salt, err := base64.StdEncoding.DecodeString(kf.Salt)
	if err != nil {
		return nil, err
	}
	kek, err := DeriveKey(passphrase, salt, kf.Iterations)
	if err != nil {
		return nil, err
	}
	for _, s := range kf.Bundles {
		plain, err := Open(kek, s)
		if err != nil {
			continue
		}
		var b Bundle
		if err := json.Unmarshal(plain, &b); err != nil {
			return nil, err
		}
		return &b, nil
	}
	return nil, ErrWrongKey
}

// OpenWith opens a sealed file with the bundle's key for its unit, as the
// browser does on a page; ErrWrongKey means the bundle lacks that unit.
func (b *Bundle) OpenWith(s Sealed) ([]byte, error) {
	k, ok := b.Keys[s.Unit]
	if !ok {
		return nil, ErrWrongKey
	}
	key, err := base64.StdEncoding.DecodeString(k)
	if err != nil {
		return nil, err
	}
	return Open(key, s)
}
