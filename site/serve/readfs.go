package serve

import (
	"errors"
	"io/fs"
	"sync/atomic"
	"syscall"
	"time"
)

// retryFS reads the site, trying a read again when it failed for a reason
// that has nothing to do with the file (too many open files, memory, an
// interrupted call): such a failure must not make a guide look broken
// until it is saved again. A read that still fails is noted (failed), so
// the server reads the whole site again a moment later.
type retryFS struct {
	fsys   fs.FS
	failed *atomic.Bool
}

// retryDelays are the waits before each new try.
var retryDelays = []time.Duration{5 * time.Millisecond, 20 * time.Millisecond, 80 * time.Millisecond, 250 * time.Millisecond}

// transient reports whether err says nothing about the file itself.
func transient(err error) bool {
	for _, e := range []error{syscall.EMFILE, syscall.ENFILE, syscall.EINTR, syscall.EAGAIN, syscall.ENOMEM, syscall.ENOBUFS} {
		if errors.Is(err, e) {
			return true
		}
	}
	return false
}

// retry runs read until it succeeds, fails for the file's own reason, or
// the tries are used up.
func retry[T any](r retryFS, read func() (T, error)) (T, error) {
	v, err := read()
	for _, d := range retryDelays {
		if err == nil || !transient(err) {
			return v, err
		}
		time.Sleep(d)
		v, err = read()
	}
	if err != nil && transient(err) {
		r.failed.Store(true)
	}
	return v, err
}

func (r retryFS) Open(name string) (fs.File, error) {
	return retry(r, func() (fs.File, error) { return r.fsys.Open(name) })
}

func (r retryFS) ReadFile(name string) ([]byte, error) {
	return retry(r, func() ([]byte, error) { return fs.ReadFile(r.fsys, name) })
}

func (r retryFS) ReadDir(name string) ([]fs.DirEntry, error) {
	return retry(r, func() ([]fs.DirEntry, error) { return fs.ReadDir(r.fsys, name) })
}

func (r retryFS) Stat(name string) (fs.FileInfo, error) {
	return retry(r, func() (fs.FileInfo, error) { return fs.Stat(r.fsys, name) })
}

func (r retryFS) Lstat(name string) (fs.FileInfo, error) {
	return retry(r, func() (fs.FileInfo, error) { return fs.Lstat(r.fsys, name) })
}

func (r retryFS) ReadLink(name string) (string, error) {
	return retry(r, func() (string, error) { return fs.ReadLink(r.fsys, name) })
}
