package lint

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/gob"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sync"
	"time"

	"hoist/compiler/jsonnet"
	"hoist/diag"
	"hoist/internal/atomicfile"
	"hoist/release"
)

// The run memo: a warm run of a tree nobody changed gives the result of
// the last run without decoding the per-file cache or running the tree
// rules. Its key is the cache's (hoist's version, the configuration, the
// arguments); its signature the metadata stamp of every entry of every
// tripleo-heat-templates tree the run touches (files of any kind and
// folders: a file created or removed changes its folder's stamp), of the
// files it checks, and of the environments it merges. Everything a rule,
// a render or an evaluation reads lies there, or in hoist itself. A file
// that changed in the last settleTime (its stamp may not tell) makes the
// run take the ordinary way, and record no memo.

// runMemo is what a run gives, as stored.
type runMemo struct {
	Sig                        [32]byte
	Diagnostics                []*diag.Diagnostic
	Files, Templates, Rendered []string
	Unrendered                 []string
	Releases                   []memoRelease
}

type memoRelease struct {
	Root, Release, Why, Example string
	Files                       int
}

// runSignature stamps the run's inputs. ok is false when the memo cannot
// be used: a file outside any tree (whatever it names could lie
// anywhere), an entry that changed too recently, or an error.
// r finds the trees' roots; the run goes on with it, roots known.
func runSignature(inputs []input, o Options, r *releases, now time.Time) (sig [32]byte, ok bool) {
	h := sha256.New()
	var buf [8]byte
	num := func(v uint64) {
		binary.LittleEndian.PutUint64(buf[:], v)
		h.Write(buf[:])
	}
	stamp := func(name string, fi fs.FileInfo) bool {
		s := stampOf(fi)
		if s == (fileStamp{}) || s.settled(now) == (fileStamp{}) {
			return false
		}
		h.Write([]byte(name))
		h.Write([]byte{0})
		num(uint64(s.Size))
		num(uint64(s.Mtime))
		num(uint64(s.Ctime))
		num(s.Ino)
		num(s.Dev)
		return true
	}
	wd := o.wd
	if wd == "" {
		return sig, false
	}
	var roots []string
	// The inputs by absolute path: their metadata, read here, is also
	// their stamp for the run (dispatchOrder need not read it again).
	byAbs := make(map[string]int, len(inputs))
	for i, in := range inputs {
		if jsonnet.IsJsonnet(in.name) {
			return sig, false // its imports may lie anywhere
		}
		abs := in.name
		if !filepath.IsAbs(abs) {
			abs = filepath.Join(wd, abs)
		}
		byAbs[abs] = i
		root := r.rootOf(abs)
		if root == "" {
			return sig, false
		}
		if !slices.Contains(roots, root) {
			roots = append(roots, root)
		}
	}
	slices.Sort(roots)
	for _, root := range roots {
		// The entries' names first, then their metadata, read in
		// parallel (an lstat each), then hashed in walk order.
		var paths []string
		err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			paths = append(paths, p)
			return nil
		})
		if err != nil {
			return sig, false
		}
		infos := make([]fs.FileInfo, len(paths))
		parallel(len(paths), func(i int) {
			if fi, err := os.Lstat(paths[i]); err == nil {
				infos[i] = fi
			}
		})
		for i, p := range paths {
			// An input that is a regular file (not a link, which Lstat
			// does not follow) has its stamp.
			if j, ok := byAbs[p]; ok && infos[i] != nil && infos[i].Mode().IsRegular() {
				inputs[j].stamp = stampOf(infos[i])
			}
		}
		for i, p := range paths {
			if infos[i] == nil || !stamp(p, infos[i]) {
				return sig, false
			}
		}
	}
	// The inputs (named as the run names them: the result does), and the
	// environments merged after the trees' own.
	for _, in := range inputs {
		h.Write([]byte(in.name))
		h.Write([]byte{0})
	}
	for _, e := range o.Environments {
		fi, err := os.Stat(e)
		if err != nil || !stamp(e, fi) {
			return sig, false
		}
	}
	for _, d := range o.Deployments {
		for _, p := range []string{d.Templates.Path, d.RolesFile.Path, d.NetworkFile.Path} {
			if p == "" {
				continue
			}
			fi, err := os.Stat(p)
			if err != nil || !stamp(p, fi) {
				return sig, false
			}
		}
	}
	h.Write([]byte(wd))
	copy(sig[:], h.Sum(nil))
	return sig, true
}

// parallel calls fn for 0..n-1 on one goroutine per CPU.
func parallel(n int, fn func(i int)) {
	workers := min(runtime.GOMAXPROCS(0), n)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < n; i += workers {
				fn(i)
			}
		}()
	}
	wg.Wait()
}

// memoPath is the file of the run memo beside the cache's pack.
func (c *Cache) memoPath() string { return filepath.Join(c.Dir, "lint-"+c.key+".run.gob") }

// loadMemo returns the stored result of a run whose signature is sig.
func (c *Cache) loadMemo(sig [32]byte) (*Result, bool) {
	if c == nil {
		return nil, false
	}
	b, err := os.ReadFile(c.memoPath())
	if err != nil {
		return nil, false
	}
	var m runMemo
	if gob.NewDecoder(bytes.NewReader(b)).Decode(&m) != nil || m.Sig != sig {
		return nil, false
	}
	res := &Result{Diagnostics: m.Diagnostics, Files: m.Files, Templates: m.Templates, Rendered: m.Rendered, Unrendered: m.Unrendered}
	for _, r := range m.Releases {
		rel, ok := release.Lookup(r.Release)
		if !ok {
			return nil, false
		}
		res.Releases = append(res.Releases, ReleaseChoice{Root: r.Root, Release: rel, Why: r.Why, Files: r.Files, Example: r.Example})
	}
	return res, true
}

// saveMemo stores the result of a run whose signature is sig.
func (c *Cache) saveMemo(sig [32]byte, res *Result) error {
	if c == nil {
		return nil
	}
	m := runMemo{Sig: sig, Diagnostics: res.Diagnostics, Files: res.Files, Templates: res.Templates, Rendered: res.Rendered, Unrendered: res.Unrendered}
	for _, r := range res.Releases {
		name := ""
		if r.Release != nil {
			name = r.Release.Name
		}
		m.Releases = append(m.Releases, memoRelease{Root: r.Root, Release: name, Why: r.Why, Files: r.Files, Example: r.Example})
	}
	var b bytes.Buffer
	if err := gob.NewEncoder(&b).Encode(&m); err != nil {
		return err
	}
	if err := os.MkdirAll(c.Dir, 0o755); err != nil {
		return err
	}
	return atomicfile.Write(c.memoPath(), b.Bytes(), 0o644)
}
