//go:build !linux

package build

import "errors"

// exchange is not available here: swap falls back to two renames.
func exchange(a, b string) error { return errors.ErrUnsupported }

// processAlive cannot tell here, so stale render folders are kept rather
// than risk removing a running build's.
func processAlive(pid int) bool { return true }
