package executor_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"hoist/executor"
	"hoist/release"
)

// TestPodmanTrainNode applies a node folder in train's layout with real
// podman: one startup config per container under step_N/, a mapping
// environment, config generation as container-puppet-<volume> (uid 0, no
// SELinux labels), the hash found by get_config_base (the service mounts
// its config volume without a trailing slash, which queens' rule would
// miss) and set as a key of the environment in step_1/hashed-svc.json,
// and the step's puppet task of the service this node is the bootstrap
// node of.
func TestPodmanTrainNode(t *testing.T) {
	if testing.Short() {
		t.Skip("skipping the podman integration test in -short mode")
	}
	p := newPodmanEnv(t)
	p.buildImage(t)
	train, _ := release.Lookup("train")
	ln := train.Node

	node, root, prefix, data := p.folders()
	write := func(rel string, v any) {
		t.Helper()
		b, _ := json.MarshalIndent(v, "", "  ")
		f := filepath.Join(node, filepath.FromSlash(rel))
		os.MkdirAll(filepath.Dir(f), 0o755)
		if err := os.WriteFile(f, b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	forever := []string{"sh", "-c", "trap 'exit 0' TERM; while true; do sleep 1; done"}
	write(ln.ContainerConfigFile(1, "svc"), map[string]any{"image": testImage, "restart": "always", "net": "host",
		"environment": map[string]any{"SVC": "1"}, "command": forever,
		"volumes": []string{prefix + "/puppet-generated/svc:/etc/svc:ro", data + ":/data"}})
	write(ln.ContainerConfigFile(2, "svc_read"), map[string]any{"action": "exec", "user": "root",
		"command": []string{"svc", "sh", "-c", "cat /etc/svc/etc/hoist-test/svc.conf > /data/exec.txt"}})
	write(ln.PuppetConfig, []any{map[string]any{"config_volume": "svc", "puppet_tags": "svc_config",
		"config_image": testImage, "step_config": "class { 'svc': value => 1 }"}})
	write(ln.PuppetTasksFile(2), []any{map[string]any{"config_volume": "svc_init", "service_name": "svc",
		"puppet_tags": "svc_user", "config_image": testImage, "step_config": "include svc::init"}})
	write(executor.BootstrapNodeFile, map[string]any{"bootstrap_nodeid": "node-0"})
	write(executor.AllNodesFile, map[string]any{"svc_short_bootstrap_node_name": "node-0", "container_cli": "podman"})

	var events []executor.Event
	var log syncBuffer
	x := &executor.Executor{
		Runtime: executor.Podman, Dialect: executor.LookupDialect(train.Containers.Paunch["podman"]),
		Runner: timedRunner{&executor.ExecRunner{Env: p.Env}, &log}, Root: root,
		ConfigVolumePrefix: prefix, HostPathExists: func(s string) bool { _, err := os.Stat(s); return err == nil },
		Log: &log, Emit: func(ev executor.Event) { events = append(events, ev) },
	}
	n, err := executor.OpenNode(node, "")
	if err != nil {
		t.Fatal(err)
	}
	if n.Release != train {
		t.Fatalf("release %v (%s)", n.Release, n.ReleaseWhy)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	if err := x.ApplyNode(ctx, n, []int{1, 2}); err != nil {
		t.Fatalf("apply: %v\n%s", err, log.String())
	}
	if testing.Verbose() {
		t.Log(log.String())
	}

	var configs []string
	for _, ev := range events {
		if ev.ConfigID == "container-puppet" && (ev.Action == executor.ActConfig || ev.Action == executor.ActTask) {
			configs = append(configs, ev.Container)
		}
	}
	if strings.Join(configs, " ") != "container-puppet-svc container-puppet-svc_init" {
		t.Errorf("config containers %q", configs)
	}
	if b, _ := os.ReadFile(filepath.Join(prefix, "puppet-ran-svc_init")); string(b) != "step=2 no_archive=true\n" {
		t.Errorf("the puppet task of svc: %q", b)
	}
	// The hashed twin: the environment mapping with the hash as a key.
	var hashed struct{ Environment map[string]any }
	b, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(ln.HashedContainerConfigFile(1, "svc"))))
	if err != nil || json.Unmarshal(b, &hashed) != nil {
		t.Fatalf("hashed-svc.json: %v\n%s", err, b)
	}
	hash, _ := hashed.Environment["TRIPLEO_CONFIG_HASH"].(string)
	if len(hash) != 32 || hashed.Environment["SVC"] != "1" {
		t.Errorf("hashed-svc.json's environment %v", hashed.Environment)
	}
	svc := p.inspect(t, "svc")
	if !svc.State.Running || svc.Config.Labels["config_id"] != "tripleo_step1" {
		t.Errorf("svc: %+v", svc)
	}
	found := false
	for _, e := range svc.Config.Env {
		found = found || e == "TRIPLEO_CONFIG_HASH="+hash
	}
	if !found {
		t.Errorf("svc runs without TRIPLEO_CONFIG_HASH=%s: %q", hash, svc.Config.Env)
	}
	if b, _ := os.ReadFile(filepath.Join(data, "exec.txt")); !strings.Contains(string(b), "class { 'svc': value => 1 }") {
		t.Errorf("the generated config seen from svc: %q", b)
	}
	if got := keys(p.containerIDs(t)); !sameSet(got, []string{"svc"}) {
		t.Errorf("containers %q: config containers should be gone", got)
	}
}
