// Package policy holds a project's own rules written in CUE: every *.cue
// file of the folder hoist.hcl names (`lint { policies = "policies" }`)
// is a policy, and each policy becomes the lint rule policy/<file name>.
//
// A policy constrains one or more kinds of data through top-level fields
// named after them:
//
//	service      the role_data of each service template (as written, or
//	             evaluated with `lint { evaluate = true }`)
//	template     each HOT template, as written
//	environment  each environment file
//	roles_data   roles_data.yaml
//	network_data network_data.yaml
//
// For example, policies/images.cue:
//
//	// Every image comes from the site's registry.
//	service: docker_config?: [string]: [string]: {
//		image?: =~"^registry\\.example:8787/" @expect("an image of registry.example:8787")
//	}
//
// The constraints are unified with the data the way the built-in schemas
// are (package schema does the work: function calls and unknown values
// stand for anything, and each violation is reported at the line and
// column of the offending value), and a finding's message ends with the
// policy's summary, the first sentence of the file's leading comment.
// Helpers of a policy are hidden fields (_allowed), definitions (#Allowed)
// or let clauses; any other top-level field is an error.
package policy

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"cuelang.org/go/cue"
	"cuelang.org/go/cue/ast"
	"cuelang.org/go/cue/cuecontext"
	cueerrors "cuelang.org/go/cue/errors"
	"cuelang.org/go/cue/parser"
	"cuelang.org/go/cue/token"

	"hoist/diag"
	"hoist/schema"
	"hoist/source"
	"hoist/value"
)

// RulePrefix is the family of policy rule ids: policy/<name>.
const RulePrefix = "policy/"

// RuleLoad is the id of errors in the policy files themselves.
const RuleLoad = "policy/invalid"

// Targets are the top-level fields a policy may constrain, and the kind
// of data each stands for.
var Targets = map[string]schema.Kind{
	"service":      schema.RoleData,
	"template":     schema.Template,
	"environment":  schema.Environment,
	"roles_data":   schema.RolesData,
	"network_data": schema.NetworkData,
}

// targetNames lists Targets' keys, sorted.
func targetNames() []string {
	var out []string
	for k := range Targets {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// Policy is one compiled policy file.
type Policy struct {
	// Name is the file's name without .cue; the rule id is policy/Name.
	Name string
	// File is the policy file's path.
	File string
	// Summary is the first sentence of the file's leading comment, or "".
	Summary string
	// Kinds are the kinds of data the policy constrains.
	Kinds []schema.Kind

	schema *schema.Schema
}

// ID returns the policy's rule id.
func (p *Policy) ID() string { return RulePrefix + p.Name }

var namePattern = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// LoadDir compiles every *.cue file of dir, in name order.
func LoadDir(dir string) ([]*Policy, error) {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return nil, diag.Newf(diag.Error, RuleLoad, source.Range{File: dir}, "cannot read the policies folder: %v", unwrap(err))
	}
	var out []*Policy
	for _, e := range ents {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".cue") {
			continue
		}
		file := filepath.Join(dir, e.Name())
		src, err := os.ReadFile(file)
		if err != nil {
			return nil, diag.Newf(diag.Error, RuleLoad, source.Range{File: file}, "cannot read policy: %v", unwrap(err))
		}
		p, err := Compile(file, src)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, nil
}

func unwrap(err error) error {
	if pe, ok := err.(*os.PathError); ok {
		return pe.Err
	}
	return err
}

// Compile compiles one policy file.
func Compile(file string, src []byte) (*Policy, error) {
	name := strings.TrimSuffix(filepath.Base(file), ".cue")
	start := source.Range{File: file, Start: source.Pos{Line: 1, Col: 1}}
	if !namePattern.MatchString(name) {
		return nil, diag.Newf(diag.Error, RuleLoad, start, "policy file name %q is not a rule name: use lower-case words joined by \"-\", such as \"trusted-registry.cue\"", filepath.Base(file))
	}
	f, err := parser.ParseFile(file, src, parser.ParseComments)
	if err != nil {
		return nil, cueDiagnostic(file, err)
	}
	p := &Policy{Name: name, File: file, Summary: summary(f)}
	// The targets' constraints, and the declarations they share (imports,
	// hidden fields, definitions, let clauses).
	targets := map[string][]ast.Expr{}
	var shared []ast.Decl
	for _, d := range f.Decls {
		fd, ok := d.(*ast.Field)
		if !ok {
			shared = append(shared, d)
			continue
		}
		label, isIdent, err := ast.LabelName(fd.Label)
		if err != nil || !isIdent && label == "" || strings.HasPrefix(label, "_") || strings.HasPrefix(label, "#") {
			shared = append(shared, d)
			continue
		}
		if _, ok := Targets[label]; !ok {
			return nil, diag.Newf(diag.Error, RuleLoad, cueRange(file, fd.Label.Pos()),
				"policy field %q is not a kind of data: a policy constrains %s; name helpers _%s or #%s",
				label, diag.QuoteList(targetNames()), label, label)
		}
		targets[label] = append(targets[label], fd.Value)
	}
	// The file as a whole first, for its own errors (a conflict between
	// two constraints).
	ctx := cuecontext.New()
	if v := ctx.BuildFile(f); v.Err() != nil {
		return nil, cueDiagnostic(file, v.Err())
	}
	// Then each target as the root of a file of its own (its constraints
	// embedded beside the shared declarations), so that CUE's error paths
	// are paths in the data.
	defs := map[schema.Kind]cue.Value{}
	for _, label := range targetNames() {
		exprs := targets[label]
		if len(exprs) == 0 {
			continue
		}
		tf := &ast.File{Filename: file, Decls: slices.Clone(shared)}
		for _, e := range exprs {
			tf.Decls = append(tf.Decls, &ast.EmbedDecl{Expr: e})
		}
		v := ctx.BuildFile(tf)
		if err := v.Err(); err != nil {
			return nil, cueDiagnostic(file, err)
		}
		k := Targets[label]
		defs[k] = v
		p.Kinds = append(p.Kinds, k)
	}
	if len(p.Kinds) == 0 {
		return nil, diag.Newf(diag.Error, RuleLoad, start, "policy constrains nothing: give one of the fields %s", diag.QuoteList(targetNames()))
	}
	p.schema = schema.Default().Derive(defs)
	return p, nil
}

// summary is the first sentence of the file's leading comment (before
// the package clause or the first declaration), lower-cased.
func summary(f *ast.File) string {
	var text string
	for _, cg := range ast.Comments(f) {
		text = cg.Text()
		break
	}
	if text == "" && len(f.Decls) > 0 {
		for _, cg := range ast.Comments(f.Decls[0]) {
			if cg.Doc {
				text = cg.Text()
				break
			}
		}
	}
	text = strings.Join(strings.Fields(text), " ")
	if i := strings.Index(text, ". "); i >= 0 {
		text = text[:i]
	}
	text = strings.TrimSuffix(text, ".")
	if r, n := utf8.DecodeRuneInString(text); n > 0 && unicode.IsUpper(r) && (len(text) == n || !unicode.IsUpper(rune(text[n]))) {
		text = string(unicode.ToLower(r)) + text[n:]
	}
	return text
}

// Applies reports whether the policy constrains kind k.
func (p *Policy) Applies(k schema.Kind) bool { return slices.Contains(p.Kinds, k) }

// Check validates v, data of kind k, against the policy and returns its
// findings with the policy's rule id (severity error; the caller applies
// the configured one). raw says v is as written (function calls stand for
// anything); base is the path of v in its document.
func (p *Policy) Check(k schema.Kind, v *value.Value, raw bool, base value.Path) []*diag.Diagnostic {
	if !p.Applies(k) || v == nil {
		return nil
	}
	ds := p.schema.Validate(k, v, schema.Options{Raw: raw, Base: base})
	for _, d := range ds {
		d.Rule = p.ID()
		d.Severity = diag.Error
		if p.Summary != "" {
			d.Message += "; " + p.Summary
		} else {
			d.Message += fmt.Sprintf(" (policy %s)", p.Name)
		}
	}
	return ds
}

// cueDiagnostic turns a CUE error into a diagnostic at its first position.
func cueDiagnostic(file string, err error) *diag.Diagnostic {
	errs := cueerrors.Errors(err)
	if len(errs) == 0 {
		return diag.Newf(diag.Error, RuleLoad, source.Range{File: file}, "%v", err)
	}
	e := errs[0]
	r := source.Range{File: file}
	for _, pos := range cueerrors.Positions(e) {
		if pos.Filename() == file {
			r = cueRange(file, pos)
			break
		}
	}
	format, args := e.Msg()
	msg := fmt.Sprintf(format, args...)
	if path := e.Path(); len(path) > 0 {
		msg = strings.Join(path, ".") + ": " + msg
	}
	return diag.Newf(diag.Error, RuleLoad, r, "invalid policy: %s", msg)
}

func cueRange(file string, pos token.Pos) source.Range {
	if !pos.IsValid() {
		return source.Range{File: file}
	}
	return source.Range{File: file, Start: source.Pos{Line: int32(pos.Line()), Col: int32(pos.Column())}}
}
