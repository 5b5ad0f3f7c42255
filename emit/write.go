package emit

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
)

// Write writes the tree to the folder out, atomically: everything goes to
// a temporary folder beside out, which then takes out's place (an atomic
// exchange where the system has one), so a reader sees the old tree or the
// new one and a failed write leaves the old one untouched. out must be
// absent, empty, or an earlier build's output (it holds manifest.json):
// hoist never replaces a folder it did not write.
func Write(t *Tree, out string) error {
	out = filepath.Clean(out)
	exists := false
	if st, err := os.Lstat(out); err == nil {
		if !st.IsDir() {
			return fmt.Errorf("%s exists and is not a folder; the output of hoist build is a folder", out)
		}
		ents, err := os.ReadDir(out)
		if err != nil {
			return err
		}
		if len(ents) > 0 {
			if _, err := os.Stat(filepath.Join(out, ManifestFile)); err != nil {
				return fmt.Errorf("%s is not empty and holds no %s: hoist replaces only a folder it wrote (choose another folder, or empty this one)", out, ManifestFile)
			}
		}
		exists = true
	} else if !errors.Is(err, os.ErrNotExist) {
		return err
	}
	parent := filepath.Dir(out)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return err
	}
	tmp, err := os.MkdirTemp(parent, "."+filepath.Base(out)+".tmp-")
	if err != nil {
		return err
	}
	ok := false
	defer func() {
		if !ok {
			os.RemoveAll(tmp)
		}
	}()
	if err := os.Chmod(tmp, 0o755); err != nil {
		return err
	}
	if err := writeFiles(tmp, t.Files); err != nil {
		return err
	}
	if !exists {
		if err := os.Rename(tmp, out); err != nil {
			return err
		}
		ok = true
		return nil
	}
	if err := exchange(tmp, out); err == nil {
		// tmp now holds the previous tree.
		ok = true
		return os.RemoveAll(tmp)
	}
	// No atomic exchange: move the old tree aside, then the new one in.
	old := tmp + ".old"
	if err := os.Rename(out, old); err != nil {
		return err
	}
	if err := os.Rename(tmp, out); err != nil {
		if rerr := os.Rename(old, out); rerr != nil {
			return fmt.Errorf("%w (and the previous tree could not be put back: it is in %s)", err, old)
		}
		return err
	}
	ok = true
	return os.RemoveAll(old)
}

// writeFiles writes the files under dir, each with its mode: the
// folders first, then the files by several workers (opening a file is
// the cost on most file systems).
func writeFiles(dir string, files []*File) error {
	made := map[string]bool{}
	for _, f := range files {
		if f.Path == "" || strings.HasPrefix(f.Path, "/") || strings.Contains("/"+f.Path+"/", "/../") {
			return fmt.Errorf("refusing to write %q outside the output folder", f.Path)
		}
		d := filepath.Dir(filepath.Join(dir, filepath.FromSlash(f.Path)))
		if !made[d] {
			if err := os.MkdirAll(d, 0o755); err != nil {
				return err
			}
			made[d] = true
		}
	}
	errs := make([]error, len(files))
	var wg sync.WaitGroup
	next := make(chan int)
	for w := 0; w < min(writers, len(files)); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				errs[i] = writeFile(filepath.Join(dir, filepath.FromSlash(files[i].Path)), files[i])
			}
		}()
	}
	for i := range files {
		next <- i
	}
	close(next)
	wg.Wait()
	return errors.Join(errs...)
}

// writers is how many files are written at once.
const writers = 8

func writeFile(p string, f *File) error {
	w, err := os.OpenFile(p, os.O_WRONLY|os.O_CREATE|os.O_EXCL, f.Mode.Perm())
	if err != nil {
		return err
	}
	_, werr := w.Write(f.Data)
	merr := w.Chmod(f.Mode.Perm()) // the umask may have cleared bits
	return errors.Join(werr, merr, w.Close())
}
