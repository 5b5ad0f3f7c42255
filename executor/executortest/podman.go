package executortest

import (
	"archive/tar"
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// Podman is a podman of a test's own: Debian's podman with runc, a
// containers.conf (runc, cgroupfs, no default ulimits, its own tmp_dir,
// volumes and events file) and a storage (vfs, graphroot and runroot) in
// a temporary folder, so that the test never sees or touches any other
// container of the machine. Its Env goes into the environment of every
// podman the test runs (CONTAINERS_CONF, CONTAINERS_STORAGE_CONF).
//
// The static dir stays in the graphroot: set apart, every `podman run`
// waits 20 seconds for an exit code its cleanup process cannot record.
type Podman struct {
	Dir string
	Env []string
}

// NewPodman sets up an isolated podman, or skips the test where podman,
// runc or busybox-static is missing or podman does not work. Everything
// is removed when the test ends (set HOIST_PODMAN_KEEP to keep it).
func NewPodman(t testing.TB) *Podman {
	t.Helper()
	if _, err := exec.LookPath("podman"); err != nil {
		t.Skip("skipping: podman is not installed (apt-get install podman runc busybox-static)")
	}
	if _, err := os.Stat("/bin/busybox"); err != nil {
		t.Skip("skipping: /bin/busybox is missing (apt-get install busybox-static)")
	}
	runc, _ := exec.LookPath("runc")
	for _, p := range []string{"/usr/sbin/runc", "/usr/bin/runc"} {
		if _, err := os.Stat(p); err == nil && runc == "" {
			runc = p
		}
	}
	if runc == "" {
		t.Skip("skipping: runc is not installed")
	}
	dir, err := os.MkdirTemp("", "hoist-podman-")
	if err != nil {
		t.Fatal(err)
	}
	conf := fmt.Sprintf(`[containers]
default_ulimits = []
[engine]
cgroup_manager = "cgroupfs"
runtime = "runc"
tmp_dir = %[1]q
volume_path = %[2]q
events_logger = "file"
events_logfile_path = %[3]q
[engine.runtimes]
runc = [%[4]q]
`, filepath.Join(dir, "tmp"), filepath.Join(dir, "volumes"), filepath.Join(dir, "events.log"), runc)
	storage := fmt.Sprintf("[storage]\ndriver = \"vfs\"\ngraphroot = %q\nrunroot = %q\n", filepath.Join(dir, "graph"), filepath.Join(dir, "run"))
	for name, text := range map[string]string{"containers.conf": conf, "storage.conf": storage} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	p := &Podman{Dir: dir, Env: []string{
		"CONTAINERS_CONF=" + filepath.Join(dir, "containers.conf"),
		"CONTAINERS_STORAGE_CONF=" + filepath.Join(dir, "storage.conf"),
	}}
	t.Cleanup(func() {
		if os.Getenv("HOIST_PODMAN_KEEP") != "" {
			t.Logf("kept %s (CONTAINERS_CONF=%s/containers.conf CONTAINERS_STORAGE_CONF=%s/storage.conf)", dir, dir, dir)
			return
		}
		p.Run("rm", "--all", "--force", "--time", "0")
		p.Run("volume", "rm", "--all", "--force")
		p.Run("rmi", "--all", "--force")
		os.RemoveAll(dir)
	})
	if out, err := p.Run("info"); err != nil {
		t.Skipf("skipping: podman does not work here: %v\n%s", err, out)
	}
	return p
}

// Run runs podman in the isolated environment (an argv: no shell) and
// returns its combined output.
func (p *Podman) Run(args ...string) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "podman", args...)
	cmd.Env = append(os.Environ(), p.Env...)
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// MustRun is Run that fails the test on an error.
func (p *Podman) MustRun(t testing.TB, args ...string) string {
	t.Helper()
	out, err := p.Run(args...)
	if err != nil {
		t.Fatalf("podman %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return out
}

// BuildImage makes an image offline: Debian's busybox-static with its
// applets in /bin, the passwd and group files podman needs for --user
// root, and the extra executable files given (path in the image →
// content), written as a tar and loaded with `podman import`.
func (p *Podman) BuildImage(t testing.TB, name string, extra map[string]string) {
	t.Helper()
	bb, err := os.ReadFile("/bin/busybox")
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	dir := func(name string) {
		tw.WriteHeader(&tar.Header{Typeflag: tar.TypeDir, Name: name + "/", Mode: 0o755})
	}
	file := func(name string, mode int64, data []byte) {
		tw.WriteHeader(&tar.Header{Typeflag: tar.TypeReg, Name: name, Mode: mode, Size: int64(len(data))})
		tw.Write(data)
	}
	for _, d := range []string{"bin", "etc", "root", "tmp", "usr", "usr/bin", "var", "var/lib", "var/log", "var/run"} {
		dir(d)
	}
	file("bin/busybox", 0o755, bb)
	for _, applet := range strings.Fields("sh cat cp cut date dirname echo env false find grep ls md5sum mkdir mv printf readlink rm sed sleep sort stat sync test touch tr true [") {
		tw.WriteHeader(&tar.Header{Typeflag: tar.TypeSymlink, Name: "bin/" + applet, Linkname: "busybox", Mode: 0o777})
	}
	file("etc/passwd", 0o644, []byte("root:x:0:0:root:/root:/bin/sh\n"))
	file("etc/group", 0o644, []byte("root:x:0:\n"))
	for path, content := range extra {
		file(strings.TrimPrefix(path, "/"), 0o755, []byte(content))
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	tarPath := filepath.Join(p.Dir, "image.tar")
	if err := os.WriteFile(tarPath, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	p.MustRun(t, "import", "--change", `CMD ["/bin/sh"]`, tarPath, name)
}

// ContainerIDs maps the name of every container, running or not, to its
// id, from podman ps.
func (p *Podman) ContainerIDs(t testing.TB) map[string]string {
	t.Helper()
	out := p.MustRun(t, "ps", "-a", "--no-trunc", "--format", "{{.Names}} {{.ID}}")
	ids := map[string]string{}
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		if name, id, ok := strings.Cut(line, " "); ok {
			ids[name] = id
		}
	}
	return ids
}
