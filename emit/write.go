package emit

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
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

// writeFiles writes the files under dir, each with its mode.
func writeFiles(dir string, files []*File) error {
	made := map[string]bool{}
	for _, f := range files {
		if f.Path == "" || strings.HasPrefix(f.Path, "/") || strings.Contains("/"+f.Path+"/", "/../") {
			return fmt.Errorf("refusing to write %q outside the output folder", f.Path)
		}
		p := filepath.Join(dir, filepath.FromSlash(f.Path))
		d := filepath.Dir(p)
		if !made[d] {
			if err := os.MkdirAll(d, 0o755); err != nil {
				return err
			}
			made[d] = true
		}
		w, err := os.OpenFile(p, os.O_WRONLY|os.O_CREATE|os.O_EXCL, f.Mode.Perm())
		if err != nil {
			return err
		}
		_, werr := w.Write(f.Data)
		cerr := w.Close()
		if err := errors.Join(werr, cerr, os.Chmod(p, f.Mode.Perm())); err != nil {
			return err
		}
	}
	return nil
}
