package stdlib

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
)

// ExampleName is the example deployment hoist init writes and hoist build
// builds when it is given nothing else.
const ExampleName = "overcloud"

// ExampleFiles returns the paths (slash-separated, relative to the
// example's folder) of the files of example name, sorted.
func ExampleFiles(name string) ([]string, error) {
	root := path.Join("examples", name)
	if _, err := fs.Stat(Examples, root); err != nil {
		return nil, fmt.Errorf("no example %q; hoist has %q", name, ExampleName)
	}
	var out []string
	err := fs.WalkDir(Examples, root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() {
			rel := p[len(root)+1:]
			out = append(out, rel)
		}
		return nil
	})
	sort.Strings(out)
	return out, err
}

// WriteExample writes example name into dir, which must not exist or be
// empty unless force is set. The files are first written to a new folder
// beside dir; then that folder becomes dir (a rename) when dir is absent or
// empty, or, with force, each file replaces its namesake in dir (renames
// too): a failure leaves dir as it was, or with whole files only. It
// returns the files written.
func WriteExample(name, dir string, force bool) ([]string, error) {
	files, err := ExampleFiles(name)
	if err != nil {
		return nil, err
	}
	empty, exists, err := emptyDir(dir)
	if err != nil {
		return nil, err
	}
	if exists && !empty && !force {
		return nil, fmt.Errorf("%s is not empty: choose a new folder, or give --force to write the example's files over the ones there", dir)
	}
	parent := filepath.Dir(filepath.Clean(dir))
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return nil, err
	}
	tmp, err := os.MkdirTemp(parent, "."+filepath.Base(dir)+".hoist-init-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)
	for _, f := range files {
		data, err := fs.ReadFile(Examples, path.Join("examples", name, f))
		if err != nil {
			return nil, err
		}
		p := filepath.Join(tmp, filepath.FromSlash(f))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return nil, err
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			return nil, err
		}
	}
	if err := os.Chmod(tmp, 0o755); err != nil {
		return nil, err
	}
	if !exists || empty {
		if exists {
			if err := os.Remove(dir); err != nil {
				return nil, err
			}
		}
		if err := os.Rename(tmp, dir); err != nil {
			return nil, err
		}
		return files, nil
	}
	for _, f := range files {
		dst := filepath.Join(dir, filepath.FromSlash(f))
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return nil, err
		}
		if st, err := os.Stat(dst); err == nil && st.IsDir() {
			return nil, fmt.Errorf("%s is a folder, where the example has a file", dst)
		}
		if err := os.Rename(filepath.Join(tmp, filepath.FromSlash(f)), dst); err != nil {
			return nil, err
		}
	}
	return files, nil
}

// emptyDir reports whether dir exists and whether it is empty.
func emptyDir(dir string) (empty, exists bool, err error) {
	st, err := os.Stat(dir)
	if errors.Is(err, os.ErrNotExist) {
		return false, false, nil
	}
	if err != nil {
		return false, false, err
	}
	if !st.IsDir() {
		return false, true, fmt.Errorf("%s exists and is not a folder", dir)
	}
	ents, err := os.ReadDir(dir)
	if err != nil {
		return false, true, err
	}
	return len(ents) == 0, true, nil
}
