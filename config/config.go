// Package config reads hoist.hcl, hoist's configuration file, with
// hashicorp/hcl/v2 the way tflint reads .tflint.hcl: first a partial decode
// of the `hoist { required_version }` gate alone, so that a file written for
// a newer hoist fails on its version and not on an attribute this hoist
// does not know; then a full decode with gohcl into typed blocks. Errors are
// HCL's own diagnostics, with file, line and column.
//
//	hoist { required_version = ">= 0.1" }
//
//	release = "stein"                # the TripleO release of the templates
//	                                 # (default: detected from the tree)
//
//	lint {
//	  preset       = "recommended"   # recommended, strict or all
//	  fail_level   = "warning"       # error, warning or info
//	  evaluate     = true            # rules on evaluated role_data (the default)
//	  environments = ["overcloud-resource-registry-puppet.yaml"]
//	  policies     = "policies"      # the project's CUE rules, policy/<name>
//	}
//
//	rule "template/unused-parameter" {
//	  enabled  = true
//	  severity = "info"
//	  ignore   = ["ServiceNetMap"]   # options of the rule: any other attribute
//	}
//
//	deployment "overcloud" {
//	  templates    = "../shared/corpus/tht-queens"
//	  release      = "queens"          # overrides the top-level release
//	  roles_file   = "roles_data.yaml"
//	  network_file = "network_data.yaml"
//	  environments = ["environments/docker.yaml"]
//	  ctlplane_subnets = ["192.168.24.0/24"] # the undercloud's provisioning subnets
//	  role "Controller" { count = 3 }
//	}
//
// The package only decodes: which rule names exist, and what a deployment
// means, are for the packages that consume the blocks (lint, the compiler).
// A file ending in .json is read as HCL's JSON syntax.
package config

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/hashicorp/go-version"
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/gohcl"
	"github.com/hashicorp/hcl/v2/hclparse"

	"hoist/release"
)

// FileName is the name hoist looks for.
const FileName = "hoist.hcl"

// File is a decoded hoist.hcl.
type File struct {
	// Path is the file's name as it was read.
	Path string
	// Dir is the folder holding the file: relative paths in it (the
	// deployment's templates) are relative to Dir.
	Dir string

	// Release names the TripleO release of the templates every command
	// reads (lint, build, plan): one of release.Names(). Unset, hoist
	// detects it from the tree.
	Release     *string       `hcl:"release,optional"`
	Hoist       *HoistBlock   `hcl:"hoist,block"`
	Lint        *LintBlock    `hcl:"lint,block"`
	Rules       []*RuleBlock  `hcl:"rule,block"`
	Deployments []*Deployment `hcl:"deployment,block"`

	// ReleaseRange locates the release attribute, when set.
	ReleaseRange hcl.Range

	// Src is the file's contents.
	Src []byte
	// Files holds the parsed source, for rendering diagnostics of later
	// stages (a rule block naming an unknown rule) with snippets.
	Files map[string]*hcl.File
}

// HoistBlock is `hoist { required_version = "..." }`.
type HoistBlock struct {
	// RequiredVersion is a version constraint such as ">= 0.2, < 1.0"
	// (hashicorp/go-version syntax).
	RequiredVersion *string `hcl:"required_version,optional"`
}

// LintBlock is `lint { preset, fail_level, evaluate, environments }`.
type LintBlock struct {
	Preset    *string `hcl:"preset,optional"`
	FailLevel *string `hcl:"fail_level,optional"`
	// Evaluate runs the service rules on evaluated role_data (unset:
	// true, hoist lint's default; false is --no-evaluate), with the
	// Environments (relative to the config file's folder unless
	// absolute) merged after each tree's registry and default
	// environments.
	Evaluate     *bool    `hcl:"evaluate,optional"`
	Environments []string `hcl:"environments,optional"`
	// Policies is the folder of the project's CUE policies (relative to
	// the config file's folder unless absolute): each *.cue file is the
	// rule policy/<name> (package policy).
	Policies *string `hcl:"policies,optional"`

	DeclRange hcl.Range `hcl:",def_range"`
	// PresetRange and FailLevelRange locate the attributes, when set.
	PresetRange, FailLevelRange hcl.Range
}

// RuleBlock is `rule "<id>" { enabled, severity, ...options }`.
type RuleBlock struct {
	Name     string  `hcl:"name,label"`
	Enabled  *bool   `hcl:"enabled,optional"`
	Severity *string `hcl:"severity,optional"`
	// Options is the rest of the block: the rule decodes it against its
	// own schema.
	Options hcl.Body `hcl:",remain"`

	DeclRange hcl.Range `hcl:",def_range"`
	// LabelRange locates the rule name; SeverityRange the severity.
	LabelRange, SeverityRange hcl.Range
}

// Deployment is `deployment "<name>" { ... }`: the inputs of a whole
// deployment compile (hoist build). Paths are as written; resolve them with
// the methods below.
type Deployment struct {
	Name string `hcl:"name,label"`
	// Templates is the THT tree, relative to the config file's folder
	// unless absolute.
	Templates *string `hcl:"templates,optional"`
	// Release is the TripleO release of the templates, overriding the
	// file's top-level release.
	Release *string `hcl:"release,optional"`
	// RolesFile and NetworkFile are relative to Templates unless absolute.
	RolesFile   *string `hcl:"roles_file,optional"`
	NetworkFile *string `hcl:"network_file,optional"`
	// Environments are relative to Templates unless absolute, in order.
	Environments []string `hcl:"environments,optional"`
	// CtlplaneSubnets are the CIDRs of the undercloud's provisioning
	// network, as undercloud.conf configured its subnets (default
	// 192.168.24.0/24).
	CtlplaneSubnets []string          `hcl:"ctlplane_subnets,optional"`
	Roles           []*DeploymentRole `hcl:"role,block"`

	DeclRange hcl.Range `hcl:",def_range"`
	// dir is the config file's folder.
	dir string
	// attrRanges locate the attributes set; envRanges each environment.
	attrRanges map[string]hcl.Range
	envRanges  []hcl.Range
}

// AttrRange returns where attribute name (templates, release, roles_file,
// network_file, environments) is set, else the block's range.
func (d *Deployment) AttrRange(name string) hcl.Range {
	if r, ok := d.attrRanges[name]; ok {
		return r
	}
	return d.DeclRange
}

// EnvironmentRange returns where the i-th environment is written, else
// the environments attribute's range.
func (d *Deployment) EnvironmentRange(i int) hcl.Range {
	if i >= 0 && i < len(d.envRanges) {
		return d.envRanges[i]
	}
	return d.AttrRange("environments")
}

// DeploymentRole is `role "<Name>" { count = N }`.
type DeploymentRole struct {
	Name  string `hcl:"name,label"`
	Count int    `hcl:"count"`

	DeclRange hcl.Range `hcl:",def_range"`
	// labelRange locates the role's name.
	labelRange hcl.Range
}

// LabelRange returns where the role's name is written, else the block's
// range.
func (r *DeploymentRole) LabelRange() hcl.Range {
	if r.labelRange.Filename != "" {
		return r.labelRange
	}
	return r.DeclRange
}

// TemplatesDir returns the templates folder resolved against the config
// file's folder ("" when unset).
func (d *Deployment) TemplatesDir() string {
	if d.Templates == nil {
		return ""
	}
	return resolve(d.dir, *d.Templates)
}

// Resolve returns a path of the deployment (roles_file, network_file, an
// environment) resolved against the templates folder unless absolute.
func (d *Deployment) Resolve(p string) string {
	return resolve(d.TemplatesDir(), p)
}

func resolve(dir, p string) string {
	if p == "" || filepath.IsAbs(p) || dir == "" {
		return p
	}
	return filepath.Join(dir, p)
}

// ReleaseOf returns the release a deployment block names, else the file's
// top-level release, with where it is written; "" when neither is set. d
// may be nil (lint, with no deployment).
func (f *File) ReleaseOf(d *Deployment) (string, hcl.Range) {
	if d != nil && d.Release != nil {
		return *d.Release, d.AttrRange("release")
	}
	if f != nil && f.Release != nil {
		return *f.Release, f.ReleaseRange
	}
	return "", hcl.Range{}
}

// LintEnvironments returns the lint block's environments resolved against
// the config file's folder.
func (f *File) LintEnvironments() []string {
	if f == nil || f.Lint == nil {
		return nil
	}
	var out []string
	for _, e := range f.Lint.Environments {
		out = append(out, resolve(f.Dir, e))
	}
	return out
}

// PoliciesDir returns the lint block's policies folder resolved against
// the config file's folder, "" when unset.
func (f *File) PoliciesDir() string {
	if f == nil || f.Lint == nil || f.Lint.Policies == nil {
		return ""
	}
	return resolve(f.Dir, *f.Lint.Policies)
}

// Deployment returns the deployment block with the given name.
func (f *File) Deployment(name string) (*Deployment, bool) {
	for _, d := range f.Deployments {
		if d.Name == name {
			return d, true
		}
	}
	return nil, false
}

// Error is a configuration error: HCL diagnostics with the sources to
// render them.
type Error struct {
	Diags hcl.Diagnostics
	Files map[string]*hcl.File
}

func (e *Error) Error() string { return e.Diags.Error() }

// Write renders the diagnostics as HCL does: the summary, the source lines
// with the subject marked, and the detail.
func (e *Error) Write(w io.Writer) error {
	tw := hcl.NewDiagnosticTextWriter(w, e.Files, 100, false)
	return tw.WriteDiagnostics(e.Diags)
}

// Errorf returns a configuration error at rng, for checks made by the
// consumers of the blocks (an unknown rule name).
func (f *File) Errorf(rng hcl.Range, summary, detail string) *hcl.Diagnostic {
	return &hcl.Diagnostic{Severity: hcl.DiagError, Summary: summary, Detail: detail, Subject: rng.Ptr()}
}

// WrapDiagnostics turns diagnostics about f into an *Error, nil when there
// are no errors among them.
func (f *File) WrapDiagnostics(diags hcl.Diagnostics) error {
	if !diags.HasErrors() {
		return nil
	}
	files := map[string]*hcl.File{}
	if f != nil {
		files = f.Files
	}
	return &Error{Diags: diags, Files: files}
}

// Load reads and decodes the file at path. version is the running hoist's
// version, checked against required_version.
func Load(path, hoistVersion string) (*File, error) {
	src, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, unwrapPathError(err))
	}
	return Parse(path, src, hoistVersion)
}

// Parse decodes src, named path in diagnostics.
func Parse(path string, src []byte, hoistVersion string) (*File, error) {
	p := hclparse.NewParser()
	var hf *hcl.File
	var diags hcl.Diagnostics
	if strings.HasSuffix(path, ".json") {
		hf, diags = p.ParseJSON(src, path)
	} else {
		hf, diags = p.ParseHCL(src, path)
	}
	cfg := &File{Path: path, Dir: filepath.Dir(path), Src: src, Files: p.Files()}
	if diags.HasErrors() {
		return nil, &Error{Diags: diags, Files: p.Files()}
	}
	// Phase 1: the version gate alone.
	if d := checkVersion(hf.Body, hoistVersion); d.HasErrors() {
		return nil, &Error{Diags: d, Files: p.Files()}
	}
	// Phase 2: everything.
	diags = append(diags, gohcl.DecodeBody(hf.Body, nil, cfg)...)
	if diags.HasErrors() {
		return nil, &Error{Diags: diags, Files: p.Files()}
	}
	diags = append(diags, cfg.locate(hf.Body)...)
	diags = append(diags, cfg.validate()...)
	if diags.HasErrors() {
		return nil, &Error{Diags: diags, Files: p.Files()}
	}
	for _, d := range cfg.Deployments {
		d.dir = cfg.Dir
		if d.Release == nil && cfg.Release != nil {
			// A deployment inherits the top-level release, located there.
			d.Release = cfg.Release
			d.attrRanges["release"] = cfg.ReleaseRange
		}
	}
	return cfg, nil
}

var versionSchema = &hcl.BodySchema{Blocks: []hcl.BlockHeaderSchema{{Type: "hoist"}}}
var requiredVersionSchema = &hcl.BodySchema{Attributes: []hcl.AttributeSchema{{Name: "required_version"}}}

// checkVersion decodes only `hoist { required_version }` and compares it
// with the running version. A development build ("dev", or a version that
// is not semantic, such as a bare commit id) satisfies every constraint:
// it is built from the newest sources.
func checkVersion(body hcl.Body, hoistVersion string) hcl.Diagnostics {
	content, _, diags := body.PartialContent(versionSchema)
	if diags.HasErrors() {
		return diags
	}
	for _, b := range content.Blocks {
		attrs, _, d := b.Body.PartialContent(requiredVersionSchema)
		if d.HasErrors() {
			return d
		}
		attr, ok := attrs.Attributes["required_version"]
		if !ok {
			continue
		}
		var s string
		if d := gohcl.DecodeExpression(attr.Expr, nil, &s); d.HasErrors() {
			return d
		}
		cons, err := version.NewConstraint(s)
		if err != nil {
			return hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Invalid version constraint",
				Detail: fmt.Sprintf("required_version %q is not a version constraint such as \">= 0.2, < 1.0\": %v.", s, err), Subject: attr.Expr.Range().Ptr()}}
		}
		v, err := version.NewVersion(strings.TrimPrefix(strings.Fields(hoistVersion + " ")[0], "v"))
		if err != nil {
			continue // development build
		}
		if !cons.Check(v) {
			return hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Unsupported hoist version",
				Detail:  fmt.Sprintf("This configuration requires hoist %s, but this is hoist %s. Install a hoist that satisfies the constraint, or change required_version.", s, v),
				Subject: attr.Expr.Range().Ptr()}}
		}
	}
	return nil
}

// locate records the ranges of attributes that later stages report on.
func (f *File) locate(body hcl.Body) hcl.Diagnostics {
	content, _, _ := body.PartialContent(&hcl.BodySchema{
		Attributes: []hcl.AttributeSchema{{Name: "release"}},
		Blocks: []hcl.BlockHeaderSchema{
			{Type: "lint"}, {Type: "rule", LabelNames: []string{"name"}}, {Type: "deployment", LabelNames: []string{"name"}}}})
	if a, ok := content.Attributes["release"]; ok {
		f.ReleaseRange = a.Expr.Range()
	}
	ri, di := 0, 0
	for _, b := range content.Blocks {
		if b.Type == "deployment" {
			if di < len(f.Deployments) {
				f.Deployments[di].locate(b.Body)
			}
			di++
			continue
		}
		attrs, _ := b.Body.JustAttributes()
		switch b.Type {
		case "lint":
			if f.Lint == nil {
				continue
			}
			if a, ok := attrs["preset"]; ok {
				f.Lint.PresetRange = a.Expr.Range()
			}
			if a, ok := attrs["fail_level"]; ok {
				f.Lint.FailLevelRange = a.Expr.Range()
			}
		case "rule":
			if ri >= len(f.Rules) {
				continue
			}
			r := f.Rules[ri]
			ri++
			if len(b.LabelRanges) > 0 {
				r.LabelRange = b.LabelRanges[0]
			}
			if a, ok := attrs["severity"]; ok {
				r.SeverityRange = a.Expr.Range()
			} else {
				r.SeverityRange = r.DeclRange
			}
		}
	}
	return nil
}

var deploymentSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{{Name: "templates"}, {Name: "release"}, {Name: "roles_file"}, {Name: "network_file"}, {Name: "environments"}, {Name: "ctlplane_subnets"}},
	Blocks:     []hcl.BlockHeaderSchema{{Type: "role", LabelNames: []string{"name"}}},
}

// locate records where a deployment block's attributes, environments and
// role names are written, for the compile's errors.
func (d *Deployment) locate(body hcl.Body) {
	content, _, _ := body.PartialContent(deploymentSchema)
	d.attrRanges = map[string]hcl.Range{}
	for name, a := range content.Attributes {
		d.attrRanges[name] = a.Expr.Range()
		if name == "environments" {
			if items, diags := hcl.ExprList(a.Expr); !diags.HasErrors() {
				for _, it := range items {
					d.envRanges = append(d.envRanges, it.Range())
				}
			}
		}
	}
	ri := 0
	for _, b := range content.Blocks {
		if ri < len(d.Roles) && len(b.LabelRanges) > 0 {
			d.Roles[ri].labelRange = b.LabelRanges[0]
		}
		ri++
	}
}

// Presets are the valid lint presets; Severities the valid severities.
var (
	Presets    = []string{"recommended", "strict", "all"}
	Severities = []string{"error", "warning", "info"}
)

// validate checks what gohcl cannot: enumerations, duplicates, counts.
func (f *File) validate() hcl.Diagnostics {
	var diags hcl.Diagnostics
	bad := func(rng hcl.Range, summary, detail string) {
		diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: summary, Detail: detail, Subject: rng.Ptr()})
	}
	if l := f.Lint; l != nil {
		if l.Preset != nil && !oneOf(*l.Preset, Presets) {
			bad(l.PresetRange, "Unknown preset", fmt.Sprintf("preset %q is not one of %s.", *l.Preset, quoteList(Presets)))
		}
		if l.FailLevel != nil && !oneOf(*l.FailLevel, Severities) {
			bad(l.FailLevelRange, "Unknown severity", fmt.Sprintf("fail_level %q is not one of %s.", *l.FailLevel, quoteList(Severities)))
		}
	}
	badRelease := func(name string, rng hcl.Range) {
		if _, ok := release.Lookup(name); !ok {
			bad(rng, "Unsupported release", fmt.Sprintf("release %q is not one hoist supports: %s.", name, quoteList(release.Names())))
		}
	}
	if f.Release != nil {
		badRelease(*f.Release, f.ReleaseRange)
	}
	for _, d := range f.Deployments {
		if d.Release != nil {
			badRelease(*d.Release, d.AttrRange("release"))
		}
	}
	seen := map[string]hcl.Range{}
	for _, r := range f.Rules {
		if first, ok := seen[r.Name]; ok {
			bad(r.LabelRange, "Duplicate rule block", fmt.Sprintf("rule %q is already configured at %s.", r.Name, first))
		}
		seen[r.Name] = r.DeclRange
		if r.Severity != nil && !oneOf(*r.Severity, Severities) {
			bad(r.SeverityRange, "Unknown severity", fmt.Sprintf("severity %q of rule %q is not one of %s.", *r.Severity, r.Name, quoteList(Severities)))
		}
	}
	deps := map[string]hcl.Range{}
	for _, d := range f.Deployments {
		if first, ok := deps[d.Name]; ok {
			bad(d.DeclRange, "Duplicate deployment block", fmt.Sprintf("deployment %q is already defined at %s.", d.Name, first))
		}
		deps[d.Name] = d.DeclRange
		roles := map[string]bool{}
		for _, r := range d.Roles {
			if roles[r.Name] {
				bad(r.DeclRange, "Duplicate role block", fmt.Sprintf("role %q appears twice in deployment %q.", r.Name, d.Name))
			}
			roles[r.Name] = true
			if r.Count < 0 {
				bad(r.DeclRange, "Invalid role count", fmt.Sprintf("role %q has count %d; a count is 0 or more.", r.Name, r.Count))
			}
		}
	}
	return diags
}

func oneOf(s string, list []string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func quoteList(items []string) string {
	q := make([]string, len(items))
	for i, s := range items {
		q[i] = fmt.Sprintf("%q", s)
	}
	if len(q) == 1 {
		return q[0]
	}
	return strings.Join(q[:len(q)-1], ", ") + " or " + q[len(q)-1]
}

// Find looks for hoist.hcl in dir and its parents, up to the repository
// root (the first folder holding .git, included) or the filesystem root.
// It returns "" when there is none.
func Find(dir string) (string, error) {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	for {
		p := filepath.Join(dir, FileName)
		if st, err := os.Stat(p); err == nil && !st.IsDir() {
			return p, nil
		} else if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return "", err
		}
		if _, err := os.Stat(filepath.Join(dir, ".git")); err == nil {
			return "", nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", nil
		}
		dir = parent
	}
}

func unwrapPathError(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// Fingerprint returns the file's contents, which decide everything it
// configures: cache keys include it, so that any edit of the file
// invalidates cached lint results.
func (f *File) Fingerprint() string {
	if f == nil {
		return ""
	}
	return string(f.Src)
}
