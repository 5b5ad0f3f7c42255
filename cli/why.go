package cli

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/spf13/pflag"

	"hoist/compiler/deploy"
	"hoist/diag"
	"hoist/emit"
	"hoist/pipeline"
	"hoist/provenance"
	"hoist/pyyaml"
	"hoist/source"
	"hoist/value"
)

var whyFormats = []string{"text", "json"}

func whyCommand() *command {
	return &command{
		name:    "why",
		summary: "trace a value of a node's file to the template, parameter and environment lines that made it",
		usage:   "why OUT NODE FILE [PATH] | why --role ROLE [-c hoist.hcl] [--templates DIR] [-e ENV]... [--count Role=N]... [--allow-missing] FILE [PATH] [--format text|json]",
		long: `Says where a value of an artifact came from, the first step first: the
template line of its literal (or of the function that computed it), the YAML
aliases it was copied through, each get_param (the parameter's declaration and
the line that set its value: its default, a parameter_defaults entry of an
environment file, a property of the resource that instantiated the template),
each get_attr out of a nested template (the output's definition), the joins,
map_merge and yaql calls that built it (with the contributors they kept and
discarded), the role aggregation that merged the role's services (yaql
mergeWith, with the service that gave each key), the hiera merge of
service_configs.json across roles, and the file of the node it is written to.

hoist why OUT NODE FILE PATH traces a value of a tree written by hoist build
-o OUT: it compiles the deployment again from the inputs manifest.json
records (the tree, the roles and network files, the -e files, the counts),
with provenance recorded, and says so when the file it makes differs from the
one in OUT (the inputs changed since). FILE is the path in the node folder
(var/lib/tripleo-config/docker-container-startup-config-step_4.json,
etc/puppet/hieradata/service_configs.json); PATH is a JSON path in it
(nova_api.image, nova_api.volumes[2]); a hiera key may be written as it is
(tripleo::profile::base::database::mysql::client_package). Without PATH the
whole file's value is traced.

hoist why --role ROLE FILE PATH does the same from the inputs (the build flags
or hoist.hcl's deployment block), on the role's first node.

--format json gives the steps for tools: kind, note, place (file, line,
column, source line), declaration, setting place, merge key, depth.

Exit codes: 0 traced, 2 usage or input error (no such node, file or path).`,
		setup: func(fs *pflag.FlagSet) func(*Env, []string) int {
			df := deployFlags(fs)
			role := fs.String("role", "", "trace a value of this role's first node, compiled from the inputs (no built tree)")
			format := fs.String("format", "text", "output format: text or json")
			return func(env *Env, args []string) int {
				if !slices.Contains(whyFormats, *format) {
					return usageError(env, "why", "unknown format %q: expected %s", *format, diag.QuoteList(whyFormats))
				}
				var d *deploy.Deployment
				var node, file, path, out string
				var wantSum string
				if *role == "" {
					if len(args) < 3 || len(args) > 4 {
						return usageError(env, "why", "expected OUT NODE FILE [PATH], or --role ROLE FILE [PATH]; got %d arguments", len(args))
					}
					out, node, file = args[0], args[1], args[2]
					if len(args) == 4 {
						path = args[3]
					}
					flags, sum, err := manifestInputs(out, node, file)
					if err != nil {
						fmt.Fprintf(env.Err, "hoist why: %v\n", err)
						return ExitUsage
					}
					wantSum = sum
					flags.Deployment = ""
					src := source.NewCache()
					d, err = pipeline.Compile(nil, flags, deploy.Options{Provenance: true, Sources: src})
					var u pipeline.UsageError
					if errors.As(err, &u) {
						return usageError(env, "why", "%s (the inputs %s records)", u, filepath.Join(out, emit.ManifestFile))
					}
					if err != nil {
						reportDeployError(env, "why", err, src, *df.noSnippet)
						return ExitUsage
					}
				} else {
					if len(args) < 1 || len(args) > 2 {
						return usageError(env, "why", "with --role: expected FILE [PATH], got %d arguments", len(args))
					}
					file = args[0]
					if len(args) == 2 {
						path = args[1]
					}
					var code int
					if d, code = compileDeployment(env, "why", df, deploy.Options{Provenance: true}); d == nil {
						return code
					}
				}
				in := pipeline.Compiled(d)
				p := in.Plan()
				roleOf := map[string]string{}
				for _, rp := range p.Roles {
					for _, n := range rp.Nodes {
						roleOf[n.Hostname] = rp.Role.Name
					}
					if *role != "" && rp.Role.Name == *role {
						if len(rp.Nodes) == 0 {
							return usageError(env, "why", "role %s has no nodes: give it one with --count %s=1", *role, *role)
						}
						node = rp.Nodes[0].Hostname
					}
				}
				if *role != "" && node == "" {
					return usageError(env, "why", "no role %q: the roles are %s", *role, diag.QuoteList(in.RoleNames()))
				}
				if _, ok := roleOf[node]; !ok {
					return usageError(env, "why", "no node %q in the deployment compiled from %s", node, filepath.Join(out, emit.ManifestFile))
				}
				tree, ds := emit.Build(p, emit.Options{})
				if tree == nil {
					in.Locate(ds...)
					_ = diag.WriteText(env.Err, ds, diag.TextOptions{NoSnippet: *df.noSnippet, Sources: in.Sources})
					return ExitUsage
				}
				rel := strings.TrimPrefix(filepath.ToSlash(file), "/")
				f := treeFile(tree, node, rel)
				if f == nil {
					return usageError(env, "why", "node %s has no file %s%s", node, rel, similarFiles(tree, node, rel))
				}
				if f.Value == nil {
					return usageError(env, "why", "%s is written by hoist itself, not from a compiled value", rel)
				}
				if wantSum != "" && f.SHA256() != wantSum {
					fmt.Fprintf(env.Err, "hoist why: note: %s of %s differs from what its inputs give now (they changed since it was built); this is the way of the value they give now\n", rel, out)
				}
				t, err := provenance.Of(f.Value, path)
				if err != nil {
					fmt.Fprintf(env.Err, "hoist why: %s: %v\n", rel, err)
					return ExitUsage
				}
				withinRole(t, d, roleOf[node], node, rel, f)
				t.Relocate(d.Placer(in.Sources))
				if *format == "json" {
					v := t.JSON(in.Sources)
					v.Map.SetString("node", value.NewString(node, source.Range{}))
					v.Map.SetString("file", value.NewString(rel, source.Range{}))
					_, err = fmt.Fprintf(env.Out, "%s\n", value.MarshalIndent(v))
				} else {
					fmt.Fprintf(env.Out, "%s %s %s = %s\n", node, rel, t.Path, value.Clip(t.Value, 200))
					err = t.WriteText(env.Out, in.Sources)
				}
				if err != nil {
					fmt.Fprintf(env.Err, "hoist why: %v\n", err)
					return ExitInternal
				}
				return ExitOK
			}
		},
	}
}

func treeFile(t *emit.Tree, node, rel string) *emit.File {
	want := emit.NodesDir + "/" + node + "/" + rel
	for _, f := range t.Files {
		if f.Path == want {
			return f
		}
	}
	return nil
}

// similarFiles names the node's files with the same base name, or says
// how to list them.
func similarFiles(t *emit.Tree, node, rel string) string {
	prefix := emit.NodesDir + "/" + node + "/"
	var same []string
	for _, f := range t.Files {
		if r, ok := strings.CutPrefix(f.Path, prefix); ok && filepath.Base(r) == filepath.Base(rel) {
			same = append(same, r)
		}
	}
	if len(same) > 0 {
		return "; did you mean " + diag.QuoteList(same) + "?"
	}
	return " (hoist build -o OUT writes them under OUT/" + prefix + ")"
}

// manifestInputs reads what OUT was built from (manifest.json's inputs)
// as build flags, checks that NODE is a node of OUT and returns the
// sha256 OUT's manifest has for the node's FILE ("" when OUT has no such
// file).
func manifestInputs(out, node, file string) (pipeline.DeployFlags, string, error) {
	var f pipeline.DeployFlags
	name := filepath.Join(out, emit.ManifestFile)
	data, err := os.ReadFile(name)
	if err != nil {
		return f, "", fmt.Errorf("%s is not the output of hoist build -o (it has no %s)", out, emit.ManifestFile)
	}
	doc, err := pyyaml.Load(name, data, pyyaml.DefaultLimits)
	if err != nil {
		return f, "", err
	}
	m := doc.Root
	if node != "" && value.Get(value.Get(m, "nodes"), node) == nil {
		return f, "", fmt.Errorf("%s has no node %q; its nodes: %s", out, node, diag.QuoteList(keysOf(value.Get(m, "nodes"))))
	}
	in := value.Get(m, "inputs")
	if in == nil {
		return f, "", fmt.Errorf("%s does not record the inputs it was built from (it was written by an older hoist, or is the embedded example's, whose copy is gone): build it again, or use hoist why --role ROLE with the build's flags", name)
	}
	str := func(k string) string { s, _ := value.StringOf(value.Get(in, k)); return s }
	f.Templates, f.Release, f.RolesFile, f.NetworkFile = str("templates"), str("release"), str("roles_file"), str("networks_file")
	f.StackName, f.Aggregation = str("stack"), str("aggregation")
	f.Environments = value.StringItems(value.Get(in, "environments"))
	f.CtlplaneSubnets = value.StringItems(value.Get(in, "ctlplane_subnets"))
	if b := value.Get(in, "allow_missing"); b != nil && b.Kind == value.Bool {
		f.AllowMissing = b.Bool
	}
	if c := value.Get(in, "counts"); c != nil && c.Kind == value.Map {
		for _, e := range c.Map.Entries() {
			f.Counts = append(f.Counts, fmt.Sprintf("%s=%s", value.Str(e.Key), value.Str(e.Val)))
		}
	}
	if f.Templates == "" {
		return f, "", fmt.Errorf("%s: its inputs name no templates", name)
	}
	rel := strings.TrimPrefix(filepath.ToSlash(file), "/")
	sum, _ := value.StringOf(value.Get(value.Get(value.Get(m, "files"), emit.NodesDir+"/"+node+"/"+rel), "sha256"))
	return f, sum, nil
}

func keysOf(v *value.Value) []string {
	var out []string
	if v != nil && v.Kind == value.Map {
		for _, e := range v.Map.Entries() {
			out = append(out, value.Str(e.Key))
		}
	}
	return out
}

// withinRole adds to t the steps of the role_data or hiera values around
// the file's value, and the step that wrote the file.
func withinRole(t *provenance.Trace, d *deploy.Deployment, role, node, rel string, f *emit.File) {
	from := ""
	for _, r := range d.Roles {
		if r.Name != role {
			continue
		}
		for _, doc := range []struct {
			name string
			v    *value.Value
		}{{"role_data", r.Data}, {r.Name + "ServiceConfigSettings", r.ServiceConfigs}} {
			if prefix, ok := provenance.Locate(doc.v, f.Value, 2); ok && from == "" {
				t.Within(doc.v, prefix)
				from = fmt.Sprintf(" from %s's %s", r.Name, doc.name)
				if len(prefix) > 0 {
					from += " " + prefix.String()
				}
			}
		}
	}
	t.Steps = append(t.Steps, provenance.Step{Kind: "file",
		Note: fmt.Sprintf("written to nodes/%s/%s%s, a file of every node of role %s", node, rel, from, role)})
}

// treeWhy compiles the deployment a built tree records, with provenance,
// to trace its values (hoist diff --why).
type treeWhy struct {
	d      *deploy.Deployment
	in     *pipeline.Input
	tree   *emit.Tree
	roleOf map[string]string
}

func newTreeWhy(out string) (*treeWhy, error) {
	flags, _, err := manifestInputs(out, "", "")
	if err != nil {
		return nil, err
	}
	d, err := pipeline.Compile(nil, flags, deploy.Options{Provenance: true})
	if err != nil {
		return nil, fmt.Errorf("compiling the inputs of %s: %v", out, err)
	}
	w := &treeWhy{d: d, in: pipeline.Compiled(d), roleOf: map[string]string{}}
	p := w.in.Plan()
	for _, rp := range p.Roles {
		for _, n := range rp.Nodes {
			w.roleOf[n.Hostname] = rp.Role.Name
		}
	}
	tree, ds := emit.Build(p, emit.Options{})
	if tree == nil {
		return nil, fmt.Errorf("the inputs of %s do not build: %v", out, ds[0])
	}
	w.tree = tree
	return w, nil
}

// trace traces one value of a node's file; nil when the file has no
// such value.
func (w *treeWhy) trace(node, rel, path string) *provenance.Trace {
	if w == nil {
		return nil
	}
	f := treeFile(w.tree, node, rel)
	if f == nil || f.Value == nil {
		return nil
	}
	t, err := provenance.Of(f.Value, path)
	if err != nil {
		return nil
	}
	withinRole(t, w.d, w.roleOf[node], node, rel, f)
	t.Relocate(w.d.Placer(w.in.Sources))
	return t
}

// steps is trace's steps for tools, nil when there is no such value.
func (w *treeWhy) steps(node, rel, path string) *value.Value {
	t := w.trace(node, rel, path)
	if t == nil {
		return nil
	}
	return value.Get(t.JSON(w.in.Sources), "steps")
}
