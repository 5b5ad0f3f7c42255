package emit

import (
	"errors"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"strings"

	"hoist/internal/workers"
)

// Write writes the tree to the folder out, atomically: everything goes to
// a temporary folder beside out, which then takes out's place (an atomic
// exchange where the system has one), so a reader sees the old tree or the
// new one and a failed write leaves the old one untouched. out must be
// absent, empty, or an earlier build's output (it holds manifest.json):
// hoist never replaces a folder it did not write.
func Write(t *Tree, out string) error {
	return write(out, func(tmp string) error { return writeFiles(tmp, t.Files) })
}

// write makes out hold what fill writes into a temporary folder beside
// it, atomically (Write).
func write(out string, fill func(tmp string) error) error {
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
	if err := fill(tmp); err != nil {
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

// writeFiles writes the files under dir: the folders first; then each
// distinct content of the node files once, as an object
// (ObjectPath: its sha256 and mode), and each node file as a hard link to
// its object; then the files of OUT itself. Objects and files are written
// by several workers (opening a file is the cost on most file systems).
func writeFiles(dir string, files []*File) error {
	// The folders, each once, by depth: they are made a level at a time
	// by several workers (making a folder is the cost here).
	// Folders are kept as slash paths relative to dir ("." is dir).
	depth := map[string]int{".": 0}
	var levels [][]string
	var need func(d string) int
	need = func(d string) int {
		if n, ok := depth[d]; ok {
			return n
		}
		n := need(path.Dir(d)) + 1
		depth[d] = n
		for len(levels) <= n {
			levels = append(levels, nil)
		}
		levels[n] = append(levels[n], filepath.Join(dir, filepath.FromSlash(d)))
		return n
	}
	folderOf := func(p string) { need(path.Dir(p)) }
	var objects, direct []*File
	objectOf := make([]string, len(files))
	seen := map[string]bool{}
	for i, f := range files {
		if f.Path == "" || strings.HasPrefix(f.Path, "/") || strings.Contains("/"+f.Path+"/", "/../") {
			return fmt.Errorf("refusing to write %q outside the output folder", f.Path)
		}
		folderOf(f.Path)
		if _, _, ok := NodeOf(f.Path); !ok {
			direct = append(direct, f)
			continue
		}
		obj := ObjectPath(f.SHA256(), f.Mode)
		objectOf[i] = obj
		if !seen[obj] {
			seen[obj] = true
			folderOf(obj)
			objects = append(objects, &File{Path: obj, Data: f.Data, Mode: f.Mode})
		}
	}
	for _, ds := range levels {
		if err := workers.Run(workers.Indexes(len(ds)), 1, func(i int) error { return os.Mkdir(ds[i], 0o755) }); err != nil {
			return err
		}
	}
	if err := parallel(len(objects), func(i int) error {
		return writeFile(filepath.Join(dir, filepath.FromSlash(objects[i].Path)), objects[i])
	}); err != nil {
		return err
	}
	if err := parallel(len(files), func(i int) error {
		if objectOf[i] == "" {
			return nil
		}
		dst := filepath.Join(dir, filepath.FromSlash(files[i].Path))
		lerr := os.Link(filepath.Join(dir, filepath.FromSlash(objectOf[i])), dst)
		if lerr == nil {
			return nil
		}
		// A file system without hard links gets a copy: the same tree,
		// only larger.
		if werr := writeFile(dst, files[i]); werr != nil {
			return errors.Join(lerr, werr)
		}
		return nil
	}); err != nil {
		return err
	}
	return parallel(len(direct), func(i int) error { return writeFile(filepath.Join(dir, filepath.FromSlash(direct[i].Path)), direct[i]) })
}

// parallel runs fn for 0 ... n-1 on writers goroutines.
func parallel(n int, fn func(i int) error) error {
	return workers.Run(workers.Indexes(n), writers, fn)
}

// writers is how many files (and folders, and links) are made at once:
// more contend for the file system's locks (measured: 8 took more system
// time than 2 on the project's machines).
const writers = 2

func writeFile(p string, f *File) error {
	w, err := os.OpenFile(p, os.O_WRONLY|os.O_CREATE|os.O_EXCL, f.Mode.Perm())
	if err != nil {
		return err
	}
	_, werr := w.Write(f.Data)
	merr := w.Chmod(f.Mode.Perm()) // the umask may have cleared bits
	return errors.Join(werr, merr, w.Close())
}
