package release

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"regexp"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
)

// series lists OpenStack's release series in order, from the first with a
// HOT alias to the present. Detection names a tree's release with it even
// where hoist does not support that release.
var series = []string{
	"newton", "ocata", "pike", "queens", "rocky", "stein", "train", "ussuri", "victoria",
	"wallaby", "xena", "yoga", "zed", "antelope", "bobcat", "caracal", "dalmatian", "epoxy",
	"flamingo", "gazpacho",
}

// templateVersionAliases maps the heat_template_version dates that have a
// release alias to it (Heat's own aliases); detection reads either form.
var templateVersionAliases = map[string]string{
	"2016-10-14": "newton", "2017-02-24": "ocata", "2017-09-01": "pike",
	"2018-03-02": "queens", "2018-08-31": "rocky", "2021-04-16": "wallaby",
}

// Detection is what Detect found about a tree.
type Detection struct {
	// Name is the release detected: a supported one, or the name of an
	// unsupported one ("pike", "ussuri or later").
	Name string
	// Release is the supported release detected, nil when it is not
	// supported.
	Release *Release
	// Evidence says what decided, for messages: "templates declare
	// heat_template_version rocky (396 of 397), deployment/ holds the
	// services, common/container-puppet.py".
	Evidence []string
}

// Supported reports whether the release detected is supported.
func (d *Detection) Supported() bool { return d.Release != nil }

// Why joins the evidence.
func (d *Detection) Why() string { return strings.Join(d.Evidence, ", ") }

// UnsupportedError is the one error of a tree whose release hoist does not
// support.
type UnsupportedError struct {
	Root      string
	Detection *Detection
}

func (e *UnsupportedError) Error() string {
	return fmt.Sprintf("%s is a tripleo-heat-templates tree of %s (%s); hoist supports the releases %s (%s): use the tree of one of them, or --release NAME (release = \"NAME\" in hoist.hcl) to read it as one",
		e.Root, e.Detection.Name, e.Detection.Why(), Supported(), strings.Join(Names(), ", "))
}

// ErrNotATree is returned (wrapped) when a folder holds no Heat templates.
var ErrNotATree = errors.New("no Heat template declares a heat_template_version")

// headBytes is how much of each YAML file detection reads at most: the
// heat_template_version line is at the top of every THT template, usually
// within the first firstRead bytes.
const (
	headBytes = 4096
	firstRead = 512
)

var versionLine = regexp.MustCompile(`(?m)^heat_template_version:[ \t]*['"]?([A-Za-z0-9-]+)`)

// Detect tells the release of the THT tree at root from its files: the
// heat_template_version its templates declare (the branch alias: queens
// for queens, rocky for rocky, stein and train, which Heat gave no later
// alias), then, within the rocky alias, the branch that tox.ini's
// constraints or the release notes name, else the layout: docker/services
// (rocky), deployment/ with common/container-puppet.py (stein) and with
// common/container-puppet.sh (train).
func Detect(root string) (*Detection, error) {
	return DetectFS(os.DirFS(root))
}

// DetectFS is Detect on a file system whose root is the tree's.
func DetectFS(fsys fs.FS) (*Detection, error) { return DetectFrom(fsys, Source{}) }

// Source tells DetectFrom what a caller already knows of the tree, so
// that a tool checking it again need not walk it nor read every file's
// head: the answer is the same as DetectFS's.
type Source struct {
	// Names lists the tree's files and the Jinja2 templates (slash paths
	// from its root, hidden folders left out, as a walk finds them); nil
	// to walk the tree.
	Names []string
	// Known gives the heat_template_version a file declares when the
	// caller knows it ("" for none); false to read it.
	Known func(name string) (version string, ok bool)
	// Read, when set, is told the version of each file read (called on
	// several goroutines).
	Read func(name, version string)
}

// DetectFrom is DetectFS with what src says of the tree.
func DetectFrom(fsys fs.FS, src Source) (*Detection, error) {
	counts, err := templateVersions(fsys, src)
	if err != nil {
		return nil, err
	}
	if len(counts) == 0 {
		return nil, ErrNotATree
	}
	version, n, total := majority(counts)
	d := &Detection{}
	alias := version
	if a, ok := templateVersionAliases[version]; ok {
		alias = a
	}
	d.Evidence = append(d.Evidence, fmt.Sprintf("templates declare heat_template_version %s (%d of %d)", version, n, total))
	switch {
	case alias == "queens":
		d.Name = "queens"
	case alias == "rocky":
		d.Name = rockyFamily(fsys, d)
	case slices.Contains(series, alias):
		// An alias before queens (pike, ocata, newton) or after rocky
		// (wallaby): the release of that name.
		d.Name = alias
	case isDate(version) && version < "2018-03-02":
		d.Name = "a release before queens"
	case isDate(version):
		d.Name = "a release after train"
	default:
		d.Name = "an unknown release"
	}
	d.Release, _ = Lookup(d.Name)
	return d, nil
}

func isDate(s string) bool {
	return len(s) == 10 && s[4] == '-' && s[7] == '-'
}

// rockyFamily tells rocky, stein, train and later apart: Heat's newest
// alias stayed "rocky" from rocky to victoria.
func rockyFamily(fsys fs.FS, d *Detection) string {
	if b := toxBranch(fsys); b != "" {
		d.Evidence = append(d.Evidence, "tox.ini's constraints name stable/"+b)
		return b
	}
	if prev := newestReleaseNotes(fsys); prev != "" {
		if i := slices.Index(series, prev); i >= 0 && i+1 < len(series) {
			d.Evidence = append(d.Evidence, fmt.Sprintf("releasenotes/source/%s.rst is the newest release page", prev))
			return series[i+1]
		}
	}
	switch {
	case isDir(fsys, "docker/services") && !isDir(fsys, "deployment"):
		d.Evidence = append(d.Evidence, "docker/services holds the container services")
		return "rocky"
	case isDir(fsys, "deployment") && isFile(fsys, "common/container-puppet.sh"):
		d.Evidence = append(d.Evidence, "deployment/ holds the services", "common/container-puppet.sh")
		return "train"
	case isDir(fsys, "deployment") && isFile(fsys, "common/container-puppet.py"):
		d.Evidence = append(d.Evidence, "deployment/ holds the services", "common/container-puppet.py without container-puppet.sh")
		return "stein"
	case isDir(fsys, "deployment"):
		d.Evidence = append(d.Evidence, "deployment/ holds the services", "no common/container-puppet.py")
		return "ussuri or later"
	}
	d.Evidence = append(d.Evidence, "neither docker/services nor deployment/")
	return "rocky"
}

var toxConstraint = regexp.MustCompile(`(?:h=stable/|constraints/upper/)([a-z]+)`)

// toxBranch returns the branch whose upper constraints tox.ini installs.
func toxBranch(fsys fs.FS) string {
	b, err := fs.ReadFile(fsys, "tox.ini")
	if err != nil {
		return ""
	}
	m := toxConstraint.FindSubmatch(b)
	if m == nil || !slices.Contains(series, string(m[1])) {
		return ""
	}
	return string(m[1])
}

// newestReleaseNotes returns the newest release that has a page under
// releasenotes/source/: the branch is the release after it (a branch adds
// the page of the release before it when it opens).
func newestReleaseNotes(fsys fs.FS) string {
	es, err := fs.ReadDir(fsys, "releasenotes/source")
	if err != nil {
		return ""
	}
	newest := -1
	for _, e := range es {
		name, ok := strings.CutSuffix(e.Name(), ".rst")
		if i := slices.Index(series, name); ok && i > newest {
			newest = i
		}
	}
	if newest < 0 {
		return ""
	}
	return series[newest]
}

func isDir(fsys fs.FS, name string) bool {
	st, err := fs.Stat(fsys, name)
	return err == nil && st.IsDir()
}

func isFile(fsys fs.FS, name string) bool {
	st, err := fs.Stat(fsys, name)
	return err == nil && !st.IsDir()
}

// skipDirs are the top folders of a tree that hold no templates of the
// release (ci/ holds test templates of other versions; the others hold
// environments, roles, release notes and tools).
var skipDirs = map[string]bool{"ci": true, "releasenotes": true, "environments": true, "roles": true,
	"sample-env-generator": true, "plan-samples": true, "tools": true, "zuul.d": true, "doc": true}

// templateVersions counts the heat_template_version values of the tree's
// YAML files (Jinja2 templates included), leaving out the folders that
// hold no templates of the release (skipDirs) and hidden ones.
func templateVersions(fsys fs.FS, src Source) (map[string]int, error) {
	var names []string
	if src.Names != nil {
		for _, p := range src.Names {
			if counted(p) {
				names = append(names, p)
			}
		}
	} else {
		err := fs.WalkDir(fsys, ".", func(p string, e fs.DirEntry, err error) error {
			if err != nil {
				if p == "." {
					return err
				}
				return nil
			}
			if e.IsDir() {
				if p != "." && (strings.HasPrefix(e.Name(), ".") || skipDirs[p]) {
					return fs.SkipDir
				}
				return nil
			}
			if counted(p) {
				names = append(names, p)
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	// The heads not known are read on every CPU: a tree has a thousand
	// templates, and each costs an open, a read and a close.
	versions := make([]string, len(names))
	var todo []int
	for i, n := range names {
		if src.Known != nil {
			if v, ok := src.Known(n); ok {
				versions[i] = v
				continue
			}
		}
		todo = append(todo, i)
	}
	workers := min(runtime.GOMAXPROCS(0), len(todo))
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			buf := make([]byte, headBytes)
			for k := w; k < len(todo); k += workers {
				i := todo[k]
				versions[i] = headVersion(fsys, names[i], buf)
				if src.Read != nil {
					src.Read(names[i], versions[i])
				}
			}
		}()
	}
	wg.Wait()
	counts := map[string]int{}
	for _, v := range versions {
		if v != "" {
			counts[v]++
		}
	}
	return counts, nil
}

// counted tells the files whose heads detection counts: YAML files (and
// Jinja2 templates) outside the top folders that hold no templates of the
// release (skipDirs).
func counted(p string) bool {
	if ext := path.Ext(p); ext != ".yaml" && ext != ".yml" {
		return false
	}
	top, _, _ := strings.Cut(p, "/")
	return !skipDirs[top]
}

// headVersion returns the heat_template_version a YAML file declares on
// its first lines, "" when none; buf holds headBytes.
func headVersion(fsys fs.FS, name string, buf []byte) string {
	f, err := fsys.Open(name)
	if err != nil {
		return ""
	}
	defer f.Close()
	// The version is on the first lines: read a little first, the rest
	// of the head only for a file that opens with comments.
	n, _ := io.ReadFull(f, buf[:firstRead])
	m := versionLine.FindSubmatch(buf[:n])
	if m == nil && n == firstRead {
		k, _ := io.ReadFull(f, buf[firstRead:])
		m = versionLine.FindSubmatch(buf[:n+k])
	}
	if m == nil {
		return ""
	}
	return string(bytes.TrimSpace(m[1]))
}

// majority returns the most frequent version, its count and the total
// (ties broken by the newer version, then the name).
func majority(counts map[string]int) (string, int, int) {
	names := make([]string, 0, len(counts))
	total := 0
	for v, n := range counts {
		names = append(names, v)
		total += n
	}
	sort.Slice(names, func(i, j int) bool {
		if counts[names[i]] != counts[names[j]] {
			return counts[names[i]] > counts[names[j]]
		}
		return names[i] > names[j]
	})
	return names[0], counts[names[0]], total
}
