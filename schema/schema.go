// Package schema validates templates, role data and artifacts against CUE
// definitions, and reports violations at the YAML line and column of the
// offending value.
//
// The definitions are the .cue files of cue/, embedded in the binary and
// compiled once per process and release. Every structural rule of the
// formats (which keys a container, a kolla config.json or an environment
// may have, their types and allowed values, which keys are required) lives
// there; this package converts hoist values to CUE, unifies them with a
// definition, and turns CUE's errors into diagnostics. A CUE error names
// the path of the offending value in the data; the path is walked in the
// value tree, whose nodes carry their source range, so a diagnostic points
// at the file and line the value came from, also for evaluated data whose
// values come from many files.
//
// Two modes exist. Raw values are templates as written: where Heat would
// evaluate intrinsic functions (a template's resources, outputs and
// conditions), a one-key map whose key names a function of the release
// stands for a value not known yet, which the schema accepts in place of any
// type. Evaluated values are concrete; an unknown value (one only a live
// cloud knows) is accepted anywhere.
//
// Schemas are safe for concurrent use: cuelang.org/go v0.17 values are
// immutable and may be used from several goroutines.
package schema

import (
	"embed"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strconv"
	"strings"
	"sync"

	"cuelang.org/go/cue"
	"cuelang.org/go/cue/ast"
	"cuelang.org/go/cue/build"
	"cuelang.org/go/cue/cuecontext"
	"cuelang.org/go/cue/parser"
)

// Rule ids of schema findings. Each kind of violation is a lint rule.
const (
	// RuleUnknownKey: a key the definition does not know (a misspelling, or
	// a key of another format or release).
	RuleUnknownKey = "schema/unknown-key"
	// RuleRequired: a required key is missing.
	RuleRequired = "schema/required"
	// RuleType: a value of the wrong type (a string where a list is needed).
	RuleType = "schema/type"
	// RuleValue: a value of the right type that is not allowed (a restart
	// policy docker does not know, a perm that is not an octal string).
	RuleValue = "schema/value"
)

// Rules lists the rule ids, in the order of their documentation.
var Rules = []string{RuleUnknownKey, RuleRequired, RuleType, RuleValue}

// Release names a TripleO release whose formats a schema describes.
type Release string

// The releases that have a schema (schema/cue/<name>.cue), the names of
// package release's table.
const (
	Queens Release = "queens"
	Rocky  Release = "rocky"
	Stein  Release = "stein"
	Train  Release = "train"
)

// Releases lists the releases that have a schema.
func Releases() []Release { return []Release{Queens, Rocky, Stein, Train} }

// Kind names a format, that is, the definition a value is validated
// against.
type Kind uint8

// The kinds of document and data.
const (
	// Template is any HOT template (#Template).
	Template Kind = iota + 1
	// ServiceTemplate is a template whose role_data output holds one
	// service's role data (#ServiceTemplate).
	ServiceTemplate
	// RoleTemplate is a role template whose role_data output aggregates a
	// role's services (#RoleTemplate).
	RoleTemplate
	// Environment is a Heat environment file (#Environment).
	Environment
	// RolesData is roles_data.yaml, a list of roles (#RolesData).
	RolesData
	// NetworkData is network_data.yaml, a list of networks (#NetworkData).
	NetworkData
	// RoleData is one service's role data (#RoleData).
	RoleData
	// RoleAggregate is a role's role data, its services merged
	// (#RoleAggregate).
	RoleAggregate
	// StartupConfig is one step's containers: name → options
	// (#StartupConfig), as paunch reads them.
	StartupConfig
	// Container is one container's options (#Container).
	Container
	// KollaConfig is a kolla config.json (#KollaConfig).
	KollaConfig
	// DockerPuppetEntry is one docker-puppet.py entry (#DockerPuppetEntry).
	DockerPuppetEntry
	// DockerPuppetJSON is docker-puppet.json, a list of entries
	// (#DockerPuppetJSON).
	DockerPuppetJSON
	// HoistConfig is hoist.hcl, decoded into data (#HoistConfig).
	HoistConfig
	kindEnd
)

var kindInfo = [...]struct{ name, def string }{
	Template:          {"template", "#Template"},
	ServiceTemplate:   {"service-template", "#ServiceTemplate"},
	RoleTemplate:      {"role-template", "#RoleTemplate"},
	Environment:       {"environment", "#Environment"},
	RolesData:         {"roles-data", "#RolesData"},
	NetworkData:       {"network-data", "#NetworkData"},
	RoleData:          {"role-data", "#RoleData"},
	RoleAggregate:     {"role-aggregate", "#RoleAggregate"},
	StartupConfig:     {"startup-config", "#StartupConfig"},
	Container:         {"container", "#Container"},
	KollaConfig:       {"kolla-config", "#KollaConfig"},
	DockerPuppetEntry: {"docker-puppet-entry", "#DockerPuppetEntry"},
	DockerPuppetJSON:  {"docker-puppet-json", "#DockerPuppetJSON"},
	HoistConfig:       {"hoist-config", "#HoistConfig"},
}

// String returns the kind's name, e.g. "service-template".
func (k Kind) String() string {
	if k > 0 && k < kindEnd {
		return kindInfo[k].name
	}
	return fmt.Sprintf("kind(%d)", k)
}

// Definition returns the CUE definition of the kind, e.g. "#Container".
func (k Kind) Definition() string {
	if k > 0 && k < kindEnd {
		return kindInfo[k].def
	}
	return ""
}

// ParseKind returns the kind named s (as String returns it).
func ParseKind(s string) (Kind, error) {
	var names []string
	for k := Template; k < kindEnd; k++ {
		if kindInfo[k].name == s {
			return k, nil
		}
		names = append(names, kindInfo[k].name)
	}
	return 0, fmt.Errorf("unknown kind %q: expected one of %s", s, strings.Join(names, ", "))
}

// Kinds returns every kind.
func Kinds() []Kind {
	var out []Kind
	for k := Template; k < kindEnd; k++ {
		out = append(out, k)
	}
	return out
}

//go:embed cue/*.cue
var cueFiles embed.FS

// Schema is the compiled definitions of one release.
type Schema struct {
	release Release
	root    cue.Value
	defs    [kindEnd]cue.Value
	// functions are the intrinsic function names of the release's HOT
	// version; conditionFunctions those valid in condition contexts.
	functions          map[string]bool
	conditionFunctions map[string]bool
	paunchKeys         []string
	templateVersions   []string
	// environmentMap tells whether #ContainerEnvironment accepts a map.
	environmentMap bool
	heatVersions   []string
	// shapes caches *shape by schema location (shape.go).
	shapes sync.Map
	// syntax is the parsed .cue files; native the native check
	// (native.go).
	syntax []*ast.File
	native nativeState
}

var (
	compileMu sync.Mutex
	compiled  = map[Release]func() (*Schema, error){}
)

// For returns the schema of a release, compiling it on first use. The
// result is shared: later calls return the same *Schema.
func For(r Release) (*Schema, error) {
	compileMu.Lock()
	f, ok := compiled[r]
	if !ok {
		if !slices.Contains(Releases(), r) {
			compileMu.Unlock()
			names := make([]string, 0, len(Releases()))
			for _, x := range Releases() {
				names = append(names, fmt.Sprintf("%q", x))
			}
			return nil, fmt.Errorf("no schema for release %q: known releases are %s", r, strings.Join(names, ", "))
		}
		f = sync.OnceValues(func() (*Schema, error) { return compile(r) })
		compiled[r] = f
	}
	compileMu.Unlock()
	return f()
}

// Default returns the schema of the default release, queens (what hoist
// assumes where nothing tells the release, release.Default). The embedded
// definitions are part of the binary, so failing to compile them is a bug
// in hoist: Default panics then, and a test makes sure it does not.
func Default() *Schema {
	s, err := For(Queens)
	if err != nil {
		panic(err)
	}
	return s
}

// Release returns the release the schema describes.
func (s *Schema) Release() Release { return s.release }

// releaseFile is the file that holds what is specific to r; every other
// file is shared by all releases.
func releaseFile(r Release) string { return string(r) + ".cue" }

func isReleaseFile(name string) bool {
	for _, r := range Releases() {
		if name == releaseFile(r) {
			return true
		}
	}
	return false
}

// Source returns the CUE source of the definitions of release r, file by
// file, as embedded (for documentation and for "hoist schema" style
// commands).
func Source(r Release) (map[string]string, error) {
	out := map[string]string{}
	ents, err := fs.ReadDir(cueFiles, "cue")
	if err != nil {
		return nil, err
	}
	for _, e := range ents {
		n := e.Name()
		if isReleaseFile(n) && n != releaseFile(r) {
			continue
		}
		b, err := cueFiles.ReadFile(path.Join("cue", n))
		if err != nil {
			return nil, err
		}
		out[n] = string(b)
	}
	return out, nil
}

func compile(r Release) (*Schema, error) {
	files, err := Source(r)
	if err != nil {
		return nil, err
	}
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	slices.Sort(names)
	inst := build.NewContext().NewInstance("", nil)
	var syntax []*ast.File
	for _, n := range names {
		f, err := parser.ParseFile("schema/cue/"+n, files[n], parser.ParseComments)
		if err != nil {
			return nil, fmt.Errorf("schema: %w", err)
		}
		syntax = append(syntax, f)
		if err := inst.AddSyntax(f); err != nil {
			return nil, fmt.Errorf("schema: %w", err)
		}
	}
	ctx := cuecontext.New()
	root := ctx.BuildInstance(inst)
	if err := root.Err(); err != nil {
		return nil, fmt.Errorf("schema: compiling the %s definitions: %w", r, err)
	}
	if err := root.Validate(); err != nil {
		return nil, fmt.Errorf("schema: the %s definitions are inconsistent: %w", r, err)
	}
	s := &Schema{release: r, root: root, syntax: syntax}
	for k := Template; k < kindEnd; k++ {
		d := root.LookupPath(cue.ParsePath(k.Definition()))
		if !d.Exists() {
			return nil, fmt.Errorf("schema: definition %s of kind %s is missing", k.Definition(), k)
		}
		s.defs[k] = d
	}
	rel := root.LookupPath(cue.ParsePath("#Release"))
	var info struct {
		Name               string   `json:"name"`
		Functions          []string `json:"functions"`
		ConditionFunctions []string `json:"conditionFunctions"`
		PaunchKeys         []string `json:"paunchKeys"`
		TemplateVersions   []string `json:"templateVersions"`
	}
	if err := rel.Decode(&info); err != nil {
		return nil, fmt.Errorf("schema: #Release of %s: %w", r, err)
	}
	if info.Name != string(r) {
		return nil, fmt.Errorf("schema: %s declares release %q", releaseFile(r), info.Name)
	}
	s.functions = setOf(info.Functions)
	s.conditionFunctions = setOf(info.ConditionFunctions)
	s.paunchKeys = info.PaunchKeys
	s.templateVersions = info.TemplateVersions
	for _, v := range enumeration(root.LookupPath(cue.ParsePath("#HeatTemplateVersion"))) {
		if u, err := strconv.Unquote(v); err == nil {
			s.heatVersions = append(s.heatVersions, u)
		}
	}
	if len(s.heatVersions) == 0 {
		return nil, fmt.Errorf("schema: #HeatTemplateVersion of %s lists no version", r)
	}
	env := root.LookupPath(cue.ParsePath("#ContainerEnvironment"))
	s.environmentMap = env.Unify(ctx.CompileString(`{"KEY": "value"}`)).Validate() == nil
	return s, nil
}

func setOf(names []string) map[string]bool {
	m := make(map[string]bool, len(names))
	for _, n := range names {
		m[n] = true
	}
	return m
}

// IsFunction reports whether name is an intrinsic function of the release's
// HOT version (outside condition contexts).
func (s *Schema) IsFunction(name string) bool { return s.functions[name] }

// IsConditionFunction reports whether name is a function in condition
// contexts (the conditions section, the first argument of if).
func (s *Schema) IsConditionFunction(name string) bool { return s.conditionFunctions[name] }

// TemplateVersions returns the heat_template_version values the release's
// Heat accepts, and those of the release itself ("2018-03-02" and its alias
// "queens").
func (s *Schema) TemplateVersions() (known, release []string) {
	return slices.Clone(s.heatVersions), slices.Clone(s.templateVersions)
}

// ContainerKeys returns every container option the schema knows, and
// whether the release's paunch reads it. Options that are known but not
// read (options of later paunch releases, options paunch parses but never
// implemented, THT's own config_volume) are accepted by the schema; lint
// reports them.
func (s *Schema) ContainerKeys() (keys []string, readByPaunch map[string]bool) {
	readByPaunch = setOf(s.paunchKeys)
	it, err := s.defs[Container].Fields(cue.Optional(true))
	if err != nil {
		return nil, readByPaunch
	}
	for it.Next() {
		keys = append(keys, it.Selector().Unquoted())
	}
	keys = append(keys, s.patternKeys(s.defs[Container])...)
	slices.Sort(keys)
	return slices.Compact(keys), readByPaunch
}

// EnvironmentMap reports whether the release's paunch reads a container's
// environment written as a map (#ContainerEnvironment), besides the list
// of "KEY=value" strings every release reads.
func (s *Schema) EnvironmentMap() bool { return s.environmentMap }

// definition returns the compiled definition of k.
func (s *Schema) definition(k Kind) (cue.Value, error) {
	if k <= 0 || k >= kindEnd {
		return cue.Value{}, fmt.Errorf("schema: unknown kind %d", k)
	}
	return s.defs[k], nil
}
