package release

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"

	"hoist/internal/testenv"
)

// TestDetectCorpus detects the release of every corpus tree, rendered or
// not, from its files alone.
func TestDetectCorpus(t *testing.T) {
	for _, tc := range []struct{ tree, want string }{
		{"queens", "queens"}, {"queens-rendered", "queens"},
		{"rocky", "rocky"},
		{"stein", "stein"}, {"stein-rendered", "stein"},
		{"train", "train"},
	} {
		t.Run(tc.tree, func(t *testing.T) {
			root := testenv.Tree(t, tc.tree)
			d, err := Detect(root)
			if err != nil {
				t.Fatal(err)
			}
			if d.Name != tc.want || d.Release == nil || d.Release.Name != tc.want {
				t.Fatalf("detected %q (%s), want %s", d.Name, d.Why(), tc.want)
			}
			t.Logf("%s: %s (%s)", tc.tree, d.Name, d.Why())
		})
	}
}

// TestDetectUnsupported names the release of trees hoist does not support,
// from the same evidence.
func TestDetectUnsupported(t *testing.T) {
	for _, tc := range []struct{ tree, want, evidence string }{
		{"pike", "pike", "heat_template_version pike"},
		{"master", "wallaby", "heat_template_version wallaby"},
		{"ussuri", "ussuri", "releasenotes/source/train.rst"},
	} {
		t.Run(tc.tree, func(t *testing.T) {
			d, err := Detect(filepath.Join(testenv.RepoRoot(t), "testdata", "releases", tc.tree))
			if err != nil {
				t.Fatal(err)
			}
			if d.Name != tc.want || d.Supported() {
				t.Fatalf("detected %q (supported %v), want the unsupported %s", d.Name, d.Supported(), tc.want)
			}
			if !strings.Contains(d.Why(), tc.evidence) {
				t.Errorf("evidence %q does not say %q", d.Why(), tc.evidence)
			}
			msg := (&UnsupportedError{Root: tc.tree, Detection: d}).Error()
			for _, want := range []string{tc.want, "queens to train", "--release"} {
				if !strings.Contains(msg, want) {
					t.Errorf("message %q does not say %q", msg, want)
				}
			}
		})
	}
}

func TestDetectNotATree(t *testing.T) {
	_, err := Detect(t.TempDir())
	if !errors.Is(err, ErrNotATree) {
		t.Fatalf("err = %v, want ErrNotATree", err)
	}
}

// TestConfigImageParameter holds the names against what each release's
// tools/yaml-validate.py computes (to_camel_case with
// PREFERRED_CAMEL_CASE, Docker or Container).
func TestConfigImageParameter(t *testing.T) {
	for _, tc := range []struct{ release, volume, want string }{
		{"queens", "nova_libvirt", "DockerNovaLibvirtConfigImage"},
		{"queens", "haproxy", "DockerHAProxyConfigImage"},
		{"queens", "tripleo-ui", "DockerTripleo-uiConfigImage"},
		{"rocky", "tripleo-ui", "DockerTripleoUIConfigImage"},
		{"rocky", "metrics-qdr", "DockerMetricsQdrConfigImage"},
		{"stein", "swift_ringbuilder", "DockerSwiftRingbuilderConfigImage"},
		{"train", "keystone", "ContainerKeystoneConfigImage"},
		{"train", "ec2api", "ContainerEc2ApiConfigImage"},
		{"train", "nova__x", "ContainerNova_XConfigImage"},
		{"train", "NEUTRON", "ContainerNeutronConfigImage"},
	} {
		r, _ := Lookup(tc.release)
		if got := r.ConfigImageParameter(tc.volume); got != tc.want {
			t.Errorf("%s %q: %s, want %s", tc.release, tc.volume, got, tc.want)
		}
	}
}

func TestTable(t *testing.T) {
	if got := strings.Join(Names(), " "); got != "queens rocky stein train" {
		t.Fatalf("releases %q", got)
	}
	for _, r := range All() {
		n := r.Node
		if (n.StepConfig == "") == (n.ContainerConfig == "") {
			t.Errorf("%s: exactly one of StepConfig and ContainerConfig must be set", r.Name)
		}
		if r.Containers.Paunch[r.Containers.DefaultCli] == "" {
			t.Errorf("%s: no paunch dialect for its default runtime %s", r.Name, r.Containers.DefaultCli)
		}
		if !r.AcceptsTemplateVersion(r.NewestTemplateVersion) || r.AcceptsTemplateVersion("2021-04-16") {
			t.Errorf("%s: template versions", r.Name)
		}
	}
	q, _ := Lookup("queens")
	s, _ := Lookup("stein")
	if q.AtLeast("stein") || !s.AtLeast("stein") || !s.AtLeast("rocky") {
		t.Error("AtLeast")
	}
	if got := s.PuppetTasksKeys(); strings.Join(got, " ") != "container_puppet_tasks docker_puppet_tasks" {
		t.Errorf("stein puppet tasks keys %v", got)
	}
}

// hiding is a tree without some of its files.
type hiding struct {
	fs.FS
	hidden []string
}

func (h hiding) Open(name string) (fs.File, error) {
	for _, p := range h.hidden {
		if name == p || strings.HasPrefix(name, p+"/") {
			return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
		}
	}
	return h.FS.Open(name)
}

// TestDetectByLayout detects rocky, stein and train from their layout alone,
// as in a copy of the templates without tox.ini and release notes.
func TestDetectByLayout(t *testing.T) {
	for _, want := range []string{"queens", "rocky", "stein", "train"} {
		t.Run(want, func(t *testing.T) {
			root := testenv.Tree(t, want)
			d, err := DetectFS(hiding{os.DirFS(root), []string{"tox.ini", "releasenotes"}})
			if err != nil {
				t.Fatal(err)
			}
			if d.Name != want {
				t.Fatalf("detected %q (%s), want %s", d.Name, d.Why(), want)
			}
			if strings.Contains(d.Why(), "tox.ini") {
				t.Errorf("evidence %q names the hidden tox.ini", d.Why())
			}
		})
	}
}

// TestDetectFromWhatIsKnown: told the tree's files (as a walk lists them,
// skipped folders included) and, the second time, the versions the first
// read, DetectFrom gives what Detect gives, and reads no head it was told.
func TestDetectFromWhatIsKnown(t *testing.T) {
	for _, tree := range []string{"queens", "rocky", "stein", "train"} {
		t.Run(tree, func(t *testing.T) {
			root := testenv.Tree(t, tree)
			want, err := Detect(root)
			if err != nil {
				t.Fatal(err)
			}
			var names []string
			err = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
				if err != nil {
					return err
				}
				if d.IsDir() && p != root && strings.HasPrefix(d.Name(), ".") {
					return filepath.SkipDir
				}
				if !d.IsDir() {
					rel, _ := filepath.Rel(root, p)
					names = append(names, filepath.ToSlash(rel))
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			read := map[string]string{}
			var mu sync.Mutex
			got, err := DetectFrom(os.DirFS(root), Source{Names: names, Read: func(n, v string) {
				mu.Lock()
				read[n] = v
				mu.Unlock()
			}})
			if err != nil || !reflect.DeepEqual(got, want) {
				t.Fatalf("told the names: %+v (%v), want %+v", got, err, want)
			}
			if len(read) == 0 || read["ci/environments/scenario001-multinode-containers.yaml"] != "" {
				t.Fatalf("read %d heads, skipped folders included", len(read))
			}
			again, err := DetectFrom(os.DirFS(root), Source{Names: names,
				Known: func(n string) (string, bool) { v, ok := read[n]; return v, ok },
				Read:  func(n, _ string) { t.Errorf("%s read again", n) }})
			if err != nil || !reflect.DeepEqual(again, want) {
				t.Fatalf("told the versions: %+v (%v), want %+v", again, err, want)
			}
		})
	}
}
