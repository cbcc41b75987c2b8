// Package seal keeps a site's rep data encrypted in its repository, so a
// public repository (GitHub Pages on a free plan needs one) holds no
// readable name, email, account or amount.
//
// Every file under data/ (team.toml, the CRM exports, plans, whatever a
// site adds there) is sealed into one file, data.age at the site's root: a
// tar archive of the folder in the age format (filippo.io/age), encrypted
// to one or more X25519 public keys ("age1…", listed in coachbook.toml's
// [seal] to). One file, so that not even the names of the files (a plan is
// named after its rep) or their number and sizes show. Only the holder of
// a matching secret key ("AGE-SECRET-KEY-1…", kept in a repository secret
// and the team's password manager) can open it.
//
// FS is the site as the build reads it: data/ with the sealed files added
// under their own names, so every stage reads data/ as if it were in the
// clear. A file present in data/ wins over its sealed copy (the working
// copy while editing).
package seal

import (
	"archive/tar"
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"slices"
	"strings"
	"time"

	"filippo.io/age"
)

// File is the sealed copy of data/, at the site's root.
const File = "data.age"

// Dir is the folder whose files are sealed.
const Dir = "data"

// IsData reports whether a site path is under data/, where sealing applies.
func IsData(name string) bool { return strings.HasPrefix(name, Dir+"/") }

// NewKey makes a secret key and its public key.
func NewKey() (secret, public string, err error) {
	id, err := age.GenerateX25519Identity()
	if err != nil {
		return "", "", err
	}
	return id.String(), id.Recipient().String(), nil
}

// PublicKey is the public key of each secret key in keys (one a line).
func PublicKey(keys string) ([]string, error) {
	ids, err := parseKeys(keys)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, id := range ids {
		if x, ok := id.(*age.X25519Identity); ok {
			out = append(out, x.Recipient().String())
		}
	}
	return out, nil
}

// Seal encrypts data to every public key in to.
func Seal(data []byte, to []string) ([]byte, error) {
	if len(to) == 0 {
		return nil, errors.New("no public key to seal to")
	}
	var rs []age.Recipient
	for _, s := range to {
		r, err := age.ParseX25519Recipient(strings.TrimSpace(s))
		if err != nil {
			return nil, fmt.Errorf("public key %q: %v", s, err)
		}
		rs = append(rs, r)
	}
	var buf bytes.Buffer
	w, err := age.Encrypt(&buf, rs...)
	if err != nil {
		return nil, err
	}
	if _, err := w.Write(data); err != nil {
		return nil, err
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// Open decrypts a sealed file with any of the secret keys in keys.
func Open(sealed []byte, keys string) ([]byte, error) {
	ids, err := parseKeys(keys)
	if err != nil {
		return nil, err
	}
	r, err := age.Decrypt(bytes.NewReader(sealed), ids...)
	if err != nil {
		var none *age.NoIdentityMatchError
		if errors.As(err, &none) {
			return nil, errors.New("the data key does not open it: it was sealed to another key")
		}
		return nil, err
	}
	return io.ReadAll(r)
}

func parseKeys(keys string) ([]age.Identity, error) {
	keys = strings.TrimSpace(keys)
	if keys == "" {
		return nil, errors.New("no data key")
	}
	ids, err := age.ParseIdentities(strings.NewReader(keys))
	if err != nil {
		return nil, errors.New("the data key is not an age secret key (AGE-SECRET-KEY-1…); coachbook data key makes one")
	}
	return ids, nil
}

// Pack writes data files (path under data/ -> content) as a tar archive,
// the same bytes for the same files: sorted, with no dates or owners.
func Pack(files map[string][]byte) []byte {
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	slices.Sort(names)
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for _, n := range names {
		tw.WriteHeader(&tar.Header{Name: n, Mode: 0o644, Size: int64(len(files[n])), Typeflag: tar.TypeReg, Format: tar.FormatPAX})
		tw.Write(files[n])
	}
	tw.Close()
	return buf.Bytes()
}

// Unpack reads an archive Pack wrote. Every name must be a clean path
// under data/.
func Unpack(b []byte) (map[string][]byte, error) {
	out := map[string][]byte{}
	tr := tar.NewReader(bytes.NewReader(b))
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		if h.Typeflag != tar.TypeReg || !fs.ValidPath(h.Name) || !IsData(h.Name) || out[h.Name] != nil {
			return nil, fmt.Errorf("the sealed archive holds %q, which is not a data file", h.Name)
		}
		data, err := io.ReadAll(tr)
		if err != nil {
			return nil, err
		}
		out[h.Name] = data
	}
}

// ReadClear reads every file under data/ but hidden ones (a name starting
// with "."): what `coachbook data seal` seals.
func ReadClear(site fs.FS) (map[string][]byte, error) {
	out := map[string][]byte{}
	err := fs.WalkDir(site, Dir, func(p string, d fs.DirEntry, err error) error {
		if errors.Is(err, fs.ErrNotExist) && p == Dir {
			return fs.SkipAll
		}
		if err != nil {
			return err
		}
		if p != Dir && strings.HasPrefix(d.Name(), ".") {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if !d.Type().IsRegular() {
			return nil
		}
		b, err := fs.ReadFile(site, p)
		out[p] = b
		return err
	})
	return out, err
}

// ReadSealed opens the site's data.age with keys: nil (and no error) when
// the site has none.
func ReadSealed(site fs.FS, keys, env string) (map[string][]byte, error) {
	b, err := fs.ReadFile(site, File)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	plain, err := Open(b, keys)
	if err != nil {
		return nil, &KeyError{Env: env, Err: err}
	}
	return Unpack(plain)
}

// KeyError is the error of opening data.age without a key that opens it.
type KeyError struct {
	Env string
	Err error
}

func (e *KeyError) Error() string {
	return fmt.Sprintf("the rep data is sealed in %s and %v; set %s to the data key (the AGE-SECRET-KEY-1… line coachbook data key printed): a repository secret in the Pages workflow, or a line %s=… in the git-ignored keys file",
		File, e.Err, e.Env, e.Env)
}

// FS is the site with the sealed data files added under data/, where the
// site has no file of that name itself.
func FS(site fs.FS, sealed map[string][]byte) fs.FS {
	dirs := map[string]bool{}
	for p := range sealed {
		for d := path.Dir(p); d != "."; d = path.Dir(d) {
			dirs[d] = true
		}
	}
	return &unsealFS{site: site, files: sealed, dirs: dirs}
}

type unsealFS struct {
	site  fs.FS
	files map[string][]byte
	dirs  map[string]bool
}

func (u *unsealFS) Open(name string) (fs.File, error) {
	f, err := u.site.Open(name)
	if err == nil || !errors.Is(err, fs.ErrNotExist) {
		return f, err
	}
	if b, ok := u.files[name]; ok {
		return &memFile{Reader: bytes.NewReader(b), info: fileInfo{name: path.Base(name), size: int64(len(b))}}, nil
	}
	if u.dirs[name] {
		return &memFile{Reader: bytes.NewReader(nil), info: fileInfo{name: path.Base(name), dir: true}}, nil
	}
	return nil, err
}

// ReadDir lists a folder with the sealed files and folders in it added.
func (u *unsealFS) ReadDir(name string) ([]fs.DirEntry, error) {
	es, err := fs.ReadDir(u.site, name)
	if err != nil && (!errors.Is(err, fs.ErrNotExist) || !u.dirs[name]) {
		return es, err
	}
	have := map[string]bool{}
	for _, e := range es {
		have[e.Name()] = true
	}
	out := slices.Clone(es)
	add := func(p string, info fileInfo) {
		if path.Dir(p) == name && !have[info.name] {
			have[info.name] = true
			out = append(out, fs.FileInfoToDirEntry(info))
		}
	}
	for p, b := range u.files {
		add(p, fileInfo{name: path.Base(p), size: int64(len(b))})
	}
	for d := range u.dirs {
		add(d, fileInfo{name: path.Base(d), dir: true})
	}
	slices.SortFunc(out, func(a, b fs.DirEntry) int { return strings.Compare(a.Name(), b.Name()) })
	return out, nil
}

func (u *unsealFS) Stat(name string) (fs.FileInfo, error) {
	info, err := fs.Stat(u.site, name)
	if err == nil || !errors.Is(err, fs.ErrNotExist) {
		return info, err
	}
	f, oerr := u.Open(name)
	if oerr != nil {
		return nil, oerr
	}
	return f.Stat()
}

// ReadLink and Lstat show the site's own files as they are, so checks on
// symbolic links see them; sealed files are never links.
func (u *unsealFS) ReadLink(name string) (string, error) { return fs.ReadLink(u.site, name) }

func (u *unsealFS) Lstat(name string) (fs.FileInfo, error) {
	info, err := fs.Lstat(u.site, name)
	if err == nil || !errors.Is(err, fs.ErrNotExist) {
		return info, err
	}
	return u.Stat(name)
}

type memFile struct {
	*bytes.Reader
	info fileInfo
}

func (f *memFile) Stat() (fs.FileInfo, error) { return f.info, nil }
func (f *memFile) Close() error               { return nil }

type fileInfo struct {
	name string
	size int64
	dir  bool
}

func (i fileInfo) Name() string { return i.name }
func (i fileInfo) Size() int64  { return i.size }
func (i fileInfo) Mode() fs.FileMode {
	if i.dir {
		return fs.ModeDir | 0o555
	}
	return 0o444
}
func (i fileInfo) ModTime() time.Time { return time.Time{} }
func (i fileInfo) IsDir() bool        { return i.dir }
func (i fileInfo) Sys() any           { return nil }
