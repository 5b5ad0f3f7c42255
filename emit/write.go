package emit

import (
	"errors"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"strings"
	"sync"

	"hoist/internal/oncemap"
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

// writeFiles writes the files under dir (treeWriter), a node's files
// together.
func writeFiles(dir string, files []*File) error {
	w := newTreeWriter(dir, len(files))
	host := ""
	var batch []*File
	for _, f := range files {
		h, _, _ := NodeOf(f.Path)
		if h != host && len(batch) > 0 {
			w.send(batch)
			batch = nil
		}
		host = h
		batch = append(batch, f)
	}
	w.send(batch)
	return w.close()
}

// treeWriter writes files under dir as they are sent, on writers
// goroutines, a batch (one node's files) at a time, so that a node's
// folders are made together: each folder once; each distinct content of
// the node files once, as an object (ObjectPath: its sha256 and mode),
// and each node file as a hard link to its object; the files of OUT
// itself as they are. The build sends each node's files as soon as they
// are rendered, so that the file system works while the other nodes and
// the manifest are rendered. A file's sha256 must be computed before it is
// sent.
type treeWriter struct {
	dir   string
	queue chan []*File
	wg    sync.WaitGroup
	// made are the folders and objects made or being made, by their
	// slash path relative to dir.
	made oncemap.Map[string, struct{}]
	mu   sync.Mutex
	err  error
}

// newTreeWriter starts the writers; up to batches batches are queued
// without blocking the sender.
func newTreeWriter(dir string, batches int) *treeWriter {
	w := &treeWriter{dir: dir, queue: make(chan []*File, batches)}
	for range writers {
		w.wg.Add(1)
		go func() {
			defer w.wg.Done()
			for batch := range w.queue {
				if w.failed() {
					continue // the tree is thrown away: drain the queue
				}
				for _, f := range batch {
					if err := w.put(f); err != nil {
						w.fail(err)
						break
					}
				}
			}
		}()
	}
	return w
}

// send queues files to be written.
func (w *treeWriter) send(files []*File) {
	if len(files) > 0 {
		w.queue <- files
	}
}

// close waits for the queued files to be written and returns the first
// error met.
func (w *treeWriter) close() error {
	close(w.queue)
	w.wg.Wait()
	return w.err
}

func (w *treeWriter) fail(err error) {
	w.mu.Lock()
	if w.err == nil {
		w.err = err
	}
	w.mu.Unlock()
}

func (w *treeWriter) failed() bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.err != nil
}

func (w *treeWriter) abs(rel string) string { return filepath.Join(w.dir, filepath.FromSlash(rel)) }

func (w *treeWriter) put(f *File) error {
	if f.Path == "" || strings.HasPrefix(f.Path, "/") || strings.Contains("/"+f.Path+"/", "/../") {
		return fmt.Errorf("refusing to write %q outside the output folder", f.Path)
	}
	if err := w.folder(path.Dir(f.Path)); err != nil {
		return err
	}
	dst := w.abs(f.Path)
	if _, _, ok := NodeOf(f.Path); !ok {
		return writeFile(dst, f)
	}
	obj := ObjectPath(f.SHA256(), f.Mode)
	if err := w.once(obj, func() error {
		if err := w.folder(path.Dir(obj)); err != nil {
			return err
		}
		return writeFile(w.abs(obj), f)
	}); err != nil {
		return err
	}
	lerr := os.Link(w.abs(obj), dst)
	if lerr == nil {
		return nil
	}
	// A file system without hard links gets a copy: the same tree, only
	// larger.
	if werr := writeFile(dst, f); werr != nil {
		return errors.Join(lerr, werr)
	}
	return nil
}

// folder makes the folder d (a slash path relative to dir) and the
// folders above it, each once.
func (w *treeWriter) folder(d string) error {
	if d == "." {
		return nil
	}
	return w.once(d, func() error {
		if err := w.folder(path.Dir(d)); err != nil {
			return err
		}
		if err := os.Mkdir(w.abs(d), 0o755); err != nil {
			return err
		}
		if d == NodesDir {
			spreadSubfolders(w.abs(d))
		}
		return nil
	})
}

// once runs do for the folder or object rel the first time it is asked,
// and returns its error every time.
func (w *treeWriter) once(rel string, do func() error) error {
	_, err := w.made.Do(rel, func() (struct{}, error) { return struct{}{}, do() })
	return err
}

// writers is how many nodes' files (folders, objects, links) are made at
// once: more contend for the file system's locks (measured: 8 took more
// system time than 2 on the project's machines).
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
