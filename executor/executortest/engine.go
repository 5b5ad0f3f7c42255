// Package executortest provides a recording fake of a container runtime for
// tests of the executor: an executor.Runner that keeps images and
// containers in memory and answers the docker and podman commands hoist
// sends (inspect, ps, pull, run, create, start, stop, rm, exec) the way
// the real programs do, and systemctl.
package executortest

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"
	"sync"

	"hoist/executor"
)

// Instance is a container the fake runtime holds: a runtime instance,
// not a paunch container definition (that is model.Container).
type Instance struct {
	Name    string
	Image   string // image id
	Labels  map[string]string
	Running bool
	Created bool // created but never started
	Argv    []string
}

// Engine is the fake runtime. Its fields may be set before use; its
// methods are safe for concurrent use.
type Engine struct {
	mu sync.Mutex
	// Images maps present image names to their ids.
	Images map[string]string
	// PullFailures is how many more pulls of an image fail.
	PullFailures map[string]int
	// Unpullable images always fail to pull.
	Unpullable map[string]bool
	// ExitCodes is the exit code of a foreground container, by its name
	// (default 0).
	ExitCodes map[string]int
	// ExecExitCodes is the exit code of an exec, by target container.
	ExecExitCodes map[string]int
	// Hook, when set, is called before every command; when it returns
	// handled, its result is used instead of the fake's.
	Hook func(ctx context.Context, argv []string) (res executor.Result, err error, handled bool)
	// NotInstalled makes every command fail as if the program were
	// missing.
	NotInstalled bool

	containers []*Instance
	calls      [][]string
	nextID     int
}

// NewEngine returns an empty fake runtime.
func NewEngine() *Engine {
	return &Engine{Images: map[string]string{}, PullFailures: map[string]int{}, Unpullable: map[string]bool{},
		ExitCodes: map[string]int{}, ExecExitCodes: map[string]int{}}
}

// Calls returns every argv run so far, in order.
func (e *Engine) Calls() [][]string {
	e.mu.Lock()
	defer e.mu.Unlock()
	return slices.Clone(e.calls)
}

// Reset forgets the recorded calls (not the state).
func (e *Engine) Reset() {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.calls = nil
}

// Mutations returns the recorded calls that change something: every call
// but inspect, ps, images, `image exists` and `container exists`.
func (e *Engine) Mutations() [][]string {
	var out [][]string
	for _, c := range e.Calls() {
		if len(c) > 1 && c[0] != "systemctl" {
			switch c[1] {
			case "inspect", "ps", "images":
				continue
			case "image", "container":
				if len(c) > 2 && c[2] == "exists" {
					continue
				}
			}
		}
		out = append(out, c)
	}
	return out
}

// Container returns a container by name, or nil.
func (e *Engine) Container(name string) *Instance {
	e.mu.Lock()
	defer e.mu.Unlock()
	if c := e.find(name); c != nil {
		cp := *c
		return &cp
	}
	return nil
}

// Containers returns the names of all containers, sorted.
func (e *Engine) Containers() []string {
	e.mu.Lock()
	defer e.mu.Unlock()
	var out []string
	for _, c := range e.containers {
		out = append(out, c.Name)
	}
	slices.Sort(out)
	return out
}

// AddContainer puts a container in the fake runtime.
func (e *Engine) AddContainer(c Instance) {
	e.mu.Lock()
	defer e.mu.Unlock()
	cp := c
	if cp.Labels == nil {
		cp.Labels = map[string]string{}
	}
	e.containers = append(e.containers, &cp)
}

func (e *Engine) find(name string) *Instance {
	for _, c := range e.containers {
		if c.Name == name {
			return c
		}
	}
	return nil
}

func (e *Engine) remove(name string) {
	e.containers = slices.DeleteFunc(e.containers, func(c *Instance) bool { return c.Name == name })
}

func fail(code int, format string, args ...any) (executor.Result, error) {
	return executor.Result{ExitCode: code, Stderr: []byte("Error: " + fmt.Sprintf(format, args...) + "\n")}, nil
}

func ok(out string) (executor.Result, error) {
	return executor.Result{Stdout: []byte(out)}, nil
}

// Run implements executor.Runner.
func (e *Engine) Run(ctx context.Context, argv []string) (executor.Result, error) {
	e.mu.Lock()
	e.calls = append(e.calls, slices.Clone(argv))
	hook, missing := e.Hook, e.NotInstalled
	e.mu.Unlock()
	if missing {
		return executor.Result{}, fmt.Errorf("exec: %q: %w", argv[0], executor.ErrNotFound)
	}
	if hook != nil {
		if res, err, handled := hook(ctx, argv); handled {
			return res, err
		}
	}
	if err := ctx.Err(); err != nil {
		return executor.Result{ExitCode: -1}, err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if argv[0] == "systemctl" {
		return ok("")
	}
	if len(argv) < 2 {
		return fail(125, "no command")
	}
	args := argv[2:]
	switch argv[1] {
	case "inspect":
		return e.inspect(args)
	case "image":
		if len(args) == 2 && args[0] == "exists" {
			if _, has := e.Images[args[1]]; has {
				return ok("")
			}
			return executor.Result{ExitCode: 1}, nil
		}
	case "container":
		if len(args) == 2 && args[0] == "exists" {
			if e.find(args[1]) != nil {
				return ok("")
			}
			return executor.Result{ExitCode: 1}, nil
		}
	case "ps":
		return e.ps(args)
	case "images":
		return e.images(args)
	case "pull":
		img := args[len(args)-1]
		if e.Unpullable[img] {
			return fail(1, "pulling %s: manifest unknown", img)
		}
		if e.PullFailures[img] > 0 {
			e.PullFailures[img]--
			return fail(1, "pulling %s: connection reset", img)
		}
		if _, has := e.Images[img]; !has {
			e.nextID++
			e.Images[img] = fmt.Sprintf("%064x", e.nextID)
		}
		return ok(e.Images[img] + "\n")
	case "run", "create":
		return e.run(argv[1], argv, args)
	case "start":
		c := e.find(args[0])
		if c == nil {
			return fail(125, "no container with name or ID %q found", args[0])
		}
		c.Running, c.Created = true, false
		return ok(c.Name + "\n")
	case "stop":
		c := e.find(args[len(args)-1])
		if c == nil {
			return fail(125, "no container with name or ID %q found", args[len(args)-1])
		}
		c.Running = false
		return ok(c.Name + "\n")
	case "rm":
		force := slices.Contains(args, "-f") || slices.Contains(args, "--force")
		name := args[len(args)-1]
		c := e.find(name)
		if c == nil {
			return fail(1, "no container with name or ID %q found", name)
		}
		if c.Running && !force {
			return fail(2, "cannot remove container %s as it is running", name)
		}
		e.remove(name)
		return ok(name + "\n")
	case "exec":
		i := 0
		for i < len(args) && strings.HasPrefix(args[i], "--") {
			i++
		}
		if i == len(args) {
			return fail(125, "exec needs a container")
		}
		c := e.find(args[i])
		if c == nil {
			return fail(125, "no container with name or ID %q found", args[i])
		}
		if !c.Running {
			return fail(125, "can only create exec sessions on running containers")
		}
		return executor.Result{ExitCode: e.ExecExitCodes[c.Name]}, nil
	}
	return fail(125, "the fake runtime does not know %q", strings.Join(argv, " "))
}

// twoElementFlags are the flags hoist writes as two argv elements.
var twoElementFlags = map[string]bool{
	"--name": true, "--label": true, "--health-cmd": true, "--log-driver": true, "--log-opt": true,
	"--user": true, "--env": true, "--volume": true, "--entrypoint": true, "--net": true, "--security-opt": true,
}

func (e *Engine) run(verb string, argv, args []string) (executor.Result, error) {
	c := &Instance{Labels: map[string]string{}, Argv: slices.Clone(argv)}
	detach, remove := false, false
	i := 0
	for ; i < len(args); i++ {
		a := args[i]
		if !strings.HasPrefix(a, "--") {
			break
		}
		if strings.Contains(a, "=") {
			if a == "--detach=true" {
				if verb == "create" {
					return fail(125, "unknown flag: --detach")
				}
				detach = true
			}
			continue
		}
		if a == "--rm" {
			remove = true
		}
		if twoElementFlags[a] && i+1 < len(args) {
			i++
			switch a {
			case "--name":
				c.Name = args[i]
			case "--label":
				k, v, _ := strings.Cut(args[i], "=")
				c.Labels[k] = v
			}
		}
	}
	if i >= len(args) {
		return fail(125, "no image given")
	}
	img := args[i]
	id, has := e.Images[img]
	if !has {
		return fail(125, "%s: image not known", img)
	}
	c.Image = id
	if c.Name == "" {
		e.nextID++
		c.Name = fmt.Sprintf("fake_%d", e.nextID)
	}
	if e.find(c.Name) != nil {
		return fail(125, "the container name %q is already in use", c.Name)
	}
	switch {
	case verb == "create":
		c.Created = true
	case detach:
		c.Running = true
	}
	code := 0
	if verb == "run" && !detach {
		code = e.ExitCodes[c.Name]
	}
	if !(verb == "run" && !detach && remove) {
		e.containers = append(e.containers, c)
	}
	return executor.Result{ExitCode: code, Stdout: []byte(c.Name + "\n")}, nil
}

func (e *Engine) inspect(args []string) (executor.Result, error) {
	typ, format := "", ""
	var names []string
	for i := 0; i < len(args); i++ {
		switch args[i] {
		case "--type":
			i++
			typ = args[i]
		case "--format":
			i++
			format = args[i]
		default:
			names = append(names, args[i])
		}
	}
	if format == "" && (typ == "" || typ == "container") {
		return e.inspectAll(names, typ)
	}
	if len(names) != 1 {
		return fail(125, "inspect needs one name")
	}
	name := names[0]
	if typ == "image" {
		id, has := e.Images[name]
		if !has {
			return fail(1, "%s: image not known", name)
		}
		switch format {
		case "exists":
			return ok("exists\n")
		case "{{.Id}}":
			return ok(id + "\n")
		}
		return fail(125, "unknown image format %q", format)
	}
	c := e.find(name)
	if c == nil {
		return fail(125, "no such container %s", name)
	}
	switch format {
	case "":
		out, _ := json.Marshal([]any{containerJSON(c)})
		return ok(string(out))
	case "{{.State.Running}}":
		return ok(fmt.Sprintf("%t\n", c.Running))
	case "exists":
		return ok("exists\n")
	}
	return fail(125, "unknown container format %q", format)
}

// images is `images --format "{{.ID}}\t{{.Repository}}:{{.Tag}}"`, the
// one format hoist asks for, in name order; ids as given (docker and
// podman print them with "sha256:" when --no-trunc).
func (e *Engine) images(args []string) (executor.Result, error) {
	i := slices.Index(args, "--format")
	if i < 0 || i+1 >= len(args) || args[i+1] != "{{.ID}}\t{{.Repository}}:{{.Tag}}" {
		return fail(125, "the fake runtime lists images only as {{.ID}}\\t{{.Repository}}:{{.Tag}}: %q", args)
	}
	names := slices.Sorted(maps.Keys(e.Images))
	var b strings.Builder
	for _, name := range names {
		tagged := name
		if !strings.Contains(name[strings.LastIndex(name, "/")+1:], ":") {
			tagged += ":latest"
		}
		fmt.Fprintf(&b, "sha256:%s\t%s\n", strings.TrimPrefix(e.Images[name], "sha256:"), tagged)
	}
	return ok(b.String())
}

var missingLabel = regexp.MustCompile(`\{\{\.Labels?[^}]*\}\}`)

// inspectAll is `inspect NAME...` of any kind (typ "") or of containers,
// as docker and podman answer it: a JSON array of the containers (by
// name) and images found, in the order asked, and exit code 125 when one
// is not found.
func (e *Engine) inspectAll(names []string, typ string) (executor.Result, error) {
	var all []any
	code := 0
	for _, name := range names {
		if c := e.find(name); c != nil {
			all = append(all, containerJSON(c))
		} else if id, has := e.Images[name]; has && typ == "" {
			all = append(all, map[string]any{"Id": id, "RepoTags": []string{name}})
		} else {
			code = 125
		}
	}
	out, _ := json.Marshal(all)
	return executor.Result{ExitCode: code, Stdout: out}, nil
}

func containerJSON(c *Instance) map[string]any {
	status := "exited"
	switch {
	case c.Running:
		status = "running"
	case c.Created:
		status = "created"
	}
	return map[string]any{
		"Name":   c.Name,
		"Image":  c.Image,
		"Config": map[string]any{"Labels": c.Labels},
		"State":  map[string]any{"Running": c.Running, "Status": status},
	}
}

func (e *Engine) ps(args []string) (executor.Result, error) {
	var filters []string
	format := "{{.Names}}"
	for i := 0; i < len(args); i++ {
		switch args[i] {
		case "--filter":
			i++
			filters = append(filters, args[i])
		case "--format":
			i++
			format = args[i]
		}
	}
	var b strings.Builder
	for _, c := range e.containers {
		match := true
		for _, f := range filters {
			kv, isLabel := strings.CutPrefix(f, "label=")
			k, v, _ := strings.Cut(kv, "=")
			if !isLabel || c.Labels[k] != v {
				match = false
			}
		}
		if !match {
			continue
		}
		line := strings.ReplaceAll(format, "{{.Names}}", c.Name)
		line = strings.ReplaceAll(line, "{{.ImageID}}", c.Image)
		for k, v := range c.Labels {
			line = strings.ReplaceAll(line, `{{.Label "`+k+`"}}`, v)
			line = strings.ReplaceAll(line, "{{.Labels."+k+"}}", v)
		}
		// A label the container does not have: docker prints "" for
		// {{.Label "x"}}, podman "<no value>" for {{.Labels.x}}.
		line = missingLabel.ReplaceAllStringFunc(line, func(m string) string {
			if strings.HasPrefix(m, "{{.Labels.") {
				return "<no value>"
			}
			return ""
		})
		b.WriteString(line + "\n")
	}
	return ok(b.String())
}
