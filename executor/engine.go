package executor

import (
	"encoding/json"
	"strings"
)

// The argv of the queries and actions hoist sends to the runtime, as paunch
// sent them (paunch-kolla.md §3.11). Format strings are single argv
// elements; podman wants {{.Labels.x}} where docker takes {{.Label "x"}}.

func (rt Runtime) labelFormat(key string) string {
	if rt == Podman {
		return "{{.Labels." + key + "}}"
	}
	return `{{.Label "` + key + `"}}`
}

func (rt Runtime) imageExistsArgv(image string) []string {
	return []string{string(rt), "inspect", "--type", "image", "--format", "exists", image}
}

func (rt Runtime) imageIDArgv(image string) []string {
	return []string{string(rt), "inspect", "--type", "image", "--format", "{{.Id}}", image}
}

func (rt Runtime) pullArgv(image string) []string {
	return []string{string(rt), "pull", image}
}

// namesArgv lists the containers of a config id: "<name> <container_name label>" per line.
func (rt Runtime) namesArgv(managedBy, configID string) []string {
	return []string{string(rt), "ps", "-a",
		"--filter", "label=managed_by=" + managedBy,
		"--filter", "label=config_id=" + configID,
		"--format", "{{.Names}} " + rt.labelFormat("container_name")}
}

// discoverArgv finds the actual name of the container labelled name, in
// configID or (configID "") in any config.
func (rt Runtime) discoverArgv(name, configID string) []string {
	argv := []string{string(rt), "ps", "-a", "--filter", "label=container_name=" + name}
	if configID != "" {
		argv = append(argv, "--filter", "label=config_id="+configID)
	}
	return append(argv, "--format", "{{.Names}}")
}

func (rt Runtime) inspectArgv(name string) []string {
	return []string{string(rt), "inspect", "--type", "container", name}
}

func (rt Runtime) runningArgv(name string) []string {
	return []string{string(rt), "inspect", "--type", "container", "--format", "{{.State.Running}}", name}
}

func (rt Runtime) stopArgv(name string) []string  { return []string{string(rt), "stop", name} }
func (rt Runtime) rmArgv(name string) []string    { return []string{string(rt), "rm", name} }
func (rt Runtime) rmfArgv(name string) []string   { return []string{string(rt), "rm", "-f", name} }
func (rt Runtime) startArgv(name string) []string { return []string{string(rt), "start", name} }

// inspected is the part of `inspect --type container` hoist reads.
type inspected struct {
	Name   string
	Image  string
	Config struct {
		Image  string
		Labels map[string]string
	}
	State struct {
		Running bool
		Status  string
	}
}

func parseInspect(out []byte) (*inspected, bool) {
	var all []inspected
	if err := json.Unmarshal(out, &all); err != nil || len(all) == 0 {
		return nil, false
	}
	c := all[0]
	c.Name = strings.TrimPrefix(c.Name, "/")
	return &c, true
}

// nameLabel is one line of namesArgv's output.
type nameLabel struct{ name, label string }

func parseNames(out []byte) []nameLabel {
	var res []nameLabel
	for _, line := range strings.Split(string(out), "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		name, label, _ := strings.Cut(line, " ")
		if label == "<no value>" {
			label = ""
		}
		res = append(res, nameLabel{name: name, label: strings.TrimSpace(label)})
	}
	return res
}

func firstLine(out []byte) string {
	s, _, _ := strings.Cut(strings.TrimSpace(string(out)), "\n")
	return strings.TrimSpace(s)
}

func imageID(s string) string { return strings.TrimPrefix(strings.TrimSpace(s), "sha256:") }
