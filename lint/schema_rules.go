package lint

import (
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"weak"

	"hoist/compiler/hot"
	"hoist/diag"
	"hoist/pyyaml"
	"hoist/schema"
	"hoist/source"
	"hoist/value"
)

// The schema rules report what the CUE definitions of package schema find
// in a raw file: a HOT template (with the role_data shape of service and
// role templates), an environment, roles_data.yaml or network_data.yaml,
// recognised by schema.Detect. One rule per kind of violation, so that each
// can be configured and suppressed on its own; the file is validated once
// and each rule reports its share.

type schemaUnknownKey struct{}

func (schemaUnknownKey) Meta() Meta {
	return Meta{ID: schema.RuleUnknownKey, Severity: diag.Error, Lower: diag.Warning, Presets: recommended,
		Summary: "a key the format does not have (a misspelling, or a key of another format or release)"}
}

func (schemaUnknownKey) CheckFile(f *File, r *Reporter) { reportSchema(f, r, schema.RuleUnknownKey) }

type schemaRequired struct{}

func (schemaRequired) Meta() Meta {
	return Meta{ID: schema.RuleRequired, Severity: diag.Error, Lower: diag.Warning, Presets: recommended,
		Summary: "a key the format requires is missing"}
}

func (schemaRequired) CheckFile(f *File, r *Reporter) { reportSchema(f, r, schema.RuleRequired) }

type schemaType struct{}

func (schemaType) Meta() Meta {
	return Meta{ID: schema.RuleType, Severity: diag.Error, Lower: diag.Info, Presets: recommended,
		Summary: "a value of the wrong type, such as a string where a list is needed"}
}

func (schemaType) CheckFile(f *File, r *Reporter) { reportSchema(f, r, schema.RuleType) }

type schemaValue struct{}

func (schemaValue) Meta() Meta {
	return Meta{ID: schema.RuleValue, Severity: diag.Error, Lower: diag.Warning, Presets: recommended,
		Summary: "a value of the right type that the consumer does not accept, such as a perm that is not an octal string"}
}

func (schemaValue) CheckFile(f *File, r *Reporter) { reportSchema(f, r, schema.RuleValue) }

// reportSchema reports the findings of rule among the schema findings of
// f.
func reportSchema(f *File, r *Reporter, rule string) {
	for _, d := range schemaFindings(f) {
		if d.Rule != rule {
			continue
		}
		r.ReportAs(d.Severity, d.Range, nil, d.Message, d.Related...)
		ds := r.Diagnostics()
		ds[len(ds)-1].Path = d.Path
	}
}

// schemaMemo holds the schema findings of each loaded document, so that
// the four rules validate a file once. Entries go when the document is
// garbage collected.
var schemaMemo sync.Map // weak.Pointer[pyyaml.Document] → *schemaResult

type schemaResult struct {
	once  sync.Once
	diags []*diag.Diagnostic
}

func schemaFindings(f *File) []*diag.Diagnostic {
	if f.Doc == nil {
		return nil
	}
	key := weak.Make(f.Doc)
	res, loaded := schemaMemo.LoadOrStore(key, &schemaResult{})
	if !loaded {
		runtime.AddCleanup(f.Doc, func(k weak.Pointer[pyyaml.Document]) { schemaMemo.Delete(k) }, key)
	}
	sr := res.(*schemaResult)
	sr.once.Do(func() {
		kind, ok := schema.Detect(f.Path, f.Doc.Root)
		if !ok {
			return
		}
		sr.diags = f.Schema().Validate(kind, f.Doc.Root, schema.Options{Raw: true})
		if f.evaluated != nil {
			sr.diags = append(sr.diags, evaluatedFindings(f.evaluated, sr.diags)...)
		}
	})
	return sr.diags
}

// evaluatedFindings validates a service's evaluated role_data (with
// --evaluate), which shows what functions hid from the raw validation: a
// string volumes a parameter gives, a dict environment a map_merge builds.
// A finding the raw validation made already, at the same place, is left
// out.
func evaluatedFindings(s *Service, raw []*diag.Diagnostic) []*diag.Diagnostic {
	type at struct {
		rule string
		rng  source.Range
	}
	seen := map[at]bool{}
	for _, d := range raw {
		seen[at{d.Rule, d.Range}] = true
	}
	var out []*diag.Diagnostic
	for _, d := range s.File.Schema().Validate(schema.RoleData, s.RoleData, schema.Options{Base: s.Path}) {
		if !seen[at{d.Rule, d.Range}] && !underFunctionKey(d.Path) {
			out = append(out, d)
		}
	}
	return out
}

// underFunctionKey reports whether a path goes through a key named after
// an intrinsic function ("map_merge" beside other keys, which Heat passes
// on as data): template/function-key reports that key, and what the
// schema says of the data below it is the same slip again.
func underFunctionKey(path string) bool {
	for _, seg := range strings.Split(path, ".") {
		if len(hot.FunctionSince(seg)) > 0 {
			return true
		}
	}
	return false
}

// roleDataReads returns the role_data keys f reads of the templates it
// nests: get_attr [Res, role_data, key, ...] where Res is a template
// resource (its type a YAML path), by the nested template's absolute path.
func roleDataReads(f *File) []RoleDataRead {
	t := TemplateOf(f)
	if t == nil || t.Resources == nil {
		return nil
	}
	var out []RoleDataRead
	seen := map[RoleDataRead]bool{}
	dir := ""
	for _, sec := range []*value.Value{t.Outputs, t.Resources} {
		walk(sec, func(v *value.Value) bool {
			name, args, ok := fnCall(v)
			if !ok || name != "get_attr" || args.Kind != value.List || len(args.List) < 3 {
				return true
			}
			res, _ := value.StringOf(args.List[0])
			attr, _ := value.StringOf(args.List[1])
			key, ok := value.StringOf(args.List[2])
			typ, isTyp := value.StringOf(value.Get(value.Get(t.Resources, res), "type"))
			if attr != "role_data" || !ok || !isTyp || !isYAML(typ) {
				return true
			}
			if dir == "" {
				d, err := filepath.Abs(filepath.Dir(f.Path))
				if err != nil {
					return false
				}
				dir = d
			}
			r := RoleDataRead{File: filepath.Join(dir, filepath.FromSlash(typ)), Key: key}
			if !seen[r] {
				seen[r] = true
				out = append(out, r)
			}
			return true
		})
	}
	return out
}

// dropReadKeys drops the schema/unknown-key findings on role_data keys
// that another template of the run reads of the file with get_attr: the
// file is then a helper its user nests (train's
// octavia/providers/ovn-provider-config.yaml gives octavia-api
// puppet_tags), whose keys reach the user, not the role aggregator. For
// the same reason a helper needs none of the keys a service's role_data
// requires (service_name): those findings go too. Files are named
// relative to the working folder wd.
func dropReadKeys(ds []*diag.Diagnostic, results []fileResult, wd string) []*diag.Diagnostic {
	read := map[RoleDataRead]bool{}
	helper := map[string]bool{}
	note := func(reads []RoleDataRead) {
		for _, k := range reads {
			read[k] = true
			helper[k.File] = true
		}
	}
	for _, r := range results {
		note(r.RoleDataReads)
		for _, ro := range r.Rendered {
			note(ro.RoleDataReads)
		}
	}
	if len(read) == 0 {
		return ds
	}
	const roleData = "outputs.role_data.value"
	const prefix = roleData + "."
	out := ds[:0]
	for _, d := range ds {
		if d.Rule == schema.RuleUnknownKey && strings.HasPrefix(d.Path, prefix) && !strings.Contains(d.Path[len(prefix):], ".") {
			if read[RoleDataRead{File: absFrom(wd, d.Range.File), Key: d.Path[len(prefix):]}] {
				continue
			}
		}
		if d.Rule == schema.RuleRequired && d.Path == roleData {
			if helper[absFrom(wd, d.Range.File)] {
				continue
			}
		}
		out = append(out, d)
	}
	return out
}
