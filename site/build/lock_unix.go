//go:build unix

package build

import (
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"syscall"

	"golang.org/x/sys/unix"
)

// lockOutput takes the lock of the output folder out: a file beside it,
// ".OUT.coachbook-lock", locked with flock and holding the process id.
// Two builds into one folder would otherwise mix their files; the second
// is refused, naming the process that holds the lock. The system drops
// the lock of a process that is killed; unlock removes the file.
func lockOutput(out string) (unlock func(), err error) {
	name := lockFile(out)
	for range 10 {
		f, err := os.OpenFile(name, os.O_RDWR|os.O_CREATE, 0o644)
		if err != nil {
			return nil, fmt.Errorf("cannot lock the output folder %s: %v", out, err)
		}
		if err := unix.Flock(int(f.Fd()), unix.LOCK_EX|unix.LOCK_NB); err != nil {
			held, _ := os.ReadFile(name)
			f.Close()
			if errors.Is(err, syscall.EWOULDBLOCK) {
				return nil, busy(out, strings.TrimSpace(string(held)))
			}
			return nil, fmt.Errorf("cannot lock the output folder %s: %v", out, err)
		}
		// The holder before us may have removed the file between our
		// open and our lock: then the lock is on a file nobody sees.
		st1, err1 := f.Stat()
		st2, err2 := os.Stat(name)
		if err1 != nil || err2 != nil || !os.SameFile(st1, st2) {
			f.Close()
			continue
		}
		_ = f.Truncate(0)
		_, _ = f.WriteString(strconv.Itoa(os.Getpid()) + "\n")
		return func() {
			_ = os.Remove(name)
			f.Close()
		}, nil
	}
	return nil, busy(out, "")
}

func busy(out, pid string) error {
	who := "another coachbook build"
	if _, err := strconv.Atoi(pid); err == nil {
		who += " (process " + pid + ")"
	}
	return fmt.Errorf("%s is writing to %s; wait for it to end, or build into another folder with -o", who, out)
}
