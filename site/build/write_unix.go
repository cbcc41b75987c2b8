//go:build unix

package build

import (
	"errors"
	"io/fs"
	"syscall"
)

// createFile writes data into a new file, failing with fs.ErrExist when
// one is there. It asks the system for three things only (open, write,
// close): os.OpenFile also tries to register each file with the runtime's
// poller and switches it to non-blocking and back, five more system calls
// a file that a build of a large org pays a hundred thousand times over.
func createFile(name string, data []byte) error {
	var fd int
	var err error
	for {
		fd, err = syscall.Open(name, syscall.O_WRONLY|syscall.O_CREAT|syscall.O_EXCL|syscall.O_CLOEXEC, 0o644)
		if err != syscall.EINTR {
			break
		}
	}
	if err != nil {
		return &fs.PathError{Op: "open", Path: name, Err: err}
	}
	for len(data) > 0 && err == nil {
		var n int
		n, err = syscall.Write(fd, data)
		if err == syscall.EINTR {
			err = nil
			continue
		}
		if n == 0 && err == nil {
			err = syscall.EIO
		}
		data = data[max(n, 0):]
	}
	if err != nil {
		err = &fs.PathError{Op: "write", Path: name, Err: err}
	}
	if cerr := syscall.Close(fd); cerr != nil {
		err = errors.Join(err, &fs.PathError{Op: "close", Path: name, Err: cerr})
	}
	return err
}
