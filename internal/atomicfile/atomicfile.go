// Package atomicfile writes a file whole or not at all: through a temporary
// file in the same folder and a rename, so that a reader never sees half
// of it and a failure leaves the previous file in place.
package atomicfile

import (
	"errors"
	"os"
	"path/filepath"
)

// Write writes data to path with the permissions perm. The folder must
// exist: a mistyped output path is an error, not a new folder.
func Write(path string, data []byte, perm os.FileMode) error {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	_, werr := f.Write(data)
	cerr := f.Close()
	if err := errors.Join(werr, cerr, os.Chmod(tmp, perm)); err != nil {
		os.Remove(tmp)
		return err
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return err
	}
	return nil
}
