//go:build !linux

package emit

import "errors"

// exchange is not available: Write falls back to two renames.
func exchange(a, b string) error { return errors.New("no atomic exchange on this system") }
