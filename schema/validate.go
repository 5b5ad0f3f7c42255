package schema

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"cuelang.org/go/cue"
	"cuelang.org/go/cue/cuecontext"
	"cuelang.org/go/cue/errors"
	"cuelang.org/go/cue/literal"

	"hoist/diag"
	"hoist/source"
	"hoist/value"
)

// Options configure a validation.
type Options struct {
	// Raw says the value is as written, before evaluation: a template, or
	// role data taken from a template's outputs. An intrinsic function call
	// then stands for a value not known yet, which the schema accepts in
	// place of any type. In a template, functions count only where Heat
	// evaluates them: under resources, outputs and conditions. Environments,
	// roles_data and network_data have no functions.
	Raw bool
	// Base is the path of the value within its document; the paths named
	// in messages (and Diagnostic.Path) start with it.
	Base value.Path
}

// maxRounds bounds how often a value is validated again: CUE reports the
// errors of a map's entries and hides the map's own errors (an unknown
// key, a missing one) until those are fixed, so each round patches the
// reported values out and validates again.
const maxRounds = 8

// Validate checks v against the definition of kind k and returns one
// diagnostic per violation, sorted, each at the range of the offending
// value (or, for a missing key, of the key that names the map lacking it).
// A nil or empty result means v is valid.
func (s *Schema) Validate(k Kind, v *value.Value, o Options) []*diag.Diagnostic {
	return s.validate(k, v, o, true)
}

// validate is Validate, with or without the native check first.
func (s *Schema) validate(k Kind, v *value.Value, o Options, native bool) []*diag.Diagnostic {
	def, err := s.definition(k)
	if err != nil {
		return []*diag.Diagnostic{{Severity: diag.Error, Rule: RuleType, Range: rangeOf(v), Message: err.Error()}}
	}
	switch k {
	case Environment, RolesData, NetworkData, HoistConfig:
		o.Raw = false // Heat evaluates no functions in these
	}
	template := k == Template || k == ServiceTemplate || k == RoleTemplate
	if native {
		clean, parts := s.nativeLocate(k, v, o, template)
		if clean {
			return nil
		}
		if parts != nil {
			// Only parts (a container, a kolla config, a list item) are
			// faulty: CUE validates each of them alone.
			var out []*diag.Diagnostic
			for _, u := range parts {
				po := o
				po.Base = append(append(value.Path(nil), o.Base...), dataPathOf(u.path)...)
				vd := &validation{s: s, kind: k, def: u.n.v, root: u.v, o: po, template: template,
					base: u.path, rootKey: u.key, scope0: u.sc, part: true}
				out = append(out, vd.run()...)
			}
			return diag.Sort(out)
		}
	}
	vd := &validation{s: s, kind: k, def: def, root: v, o: o, template: template}
	return diag.Sort(vd.run())
}

type validation struct {
	s        *Schema
	kind     Kind
	def      cue.Value
	root     *value.Value
	o        Options
	template bool
	// part is set when root is a part of a larger value (the whole is
	// valid elsewhere): base is its data path in the whole, rootKey the
	// key that names it (nil for a list item), scope0 its function scope.
	part    bool
	base    []string
	rootKey *value.Value
	scope0  scope
}

// shapeAt returns the shape at data path p of the validated value.
func (vd *validation) shapeAt(p []string) *shape {
	if len(vd.base) == 0 {
		return vd.s.shapeAt(vd.kind, p)
	}
	return vd.s.shapeAt(vd.kind, append(append([]string(nil), vd.base...), p...))
}

// defPrefix is the path of a part's definition in the schema (a map
// pattern's value, #Deployment.role.Controller), which CUE's error paths
// start with; nil for a whole value, whose definition is a top-level one.
func (vd *validation) defPrefix() []string {
	if !vd.part {
		return nil
	}
	var out []string
	for _, sel := range vd.def.Path().Selectors() {
		out = append(out, sel.String())
	}
	return out
}

// trimPrefix removes prefix from the selectors of an error path.
func trimPrefix(sels, prefix []string) []string {
	if len(prefix) == 0 || len(sels) < len(prefix) {
		return sels
	}
	for i, p := range prefix {
		if sels[i] != p {
			return sels
		}
	}
	return sels[len(prefix):]
}

// depth0 is the depth of the validated value in its document.
func (vd *validation) depth0() int { return len(vd.base) }

// dataPathOf renders data path elements as a YAML path.
func dataPathOf(p []string) value.Path {
	var out value.Path
	for _, el := range p {
		if el[0] == 'i' {
			n, _ := strconv.Atoi(el[1:])
			out = out.Index(n)
		} else {
			out = out.Key(el[1:])
		}
	}
	return out
}

func (vd *validation) run() []*diag.Diagnostic {
	ctx := cuecontext.New()
	conv := &converter{s: vd.s, raw: vd.o.Raw, template: vd.template}
	root := vd.shapeAt(nil)
	seen := map[string]bool{}
	var out []*diag.Diagnostic
	for round := 0; round < maxRounds; round++ {
		conv.path = conv.path[:0]
		data := ctx.BuildExpr(conv.convert(vd.root, vd.rootScope(), vd.depth0(), root))
		if err := data.Err(); err != nil {
			out = append(out, &diag.Diagnostic{Severity: diag.Error, Rule: RuleType, Range: rangeOf(vd.root),
				Message: "cannot convert the value for validation: " + err.Error()})
			break
		}
		err := vd.def.Unify(data).Validate(cue.Final())
		if err == nil {
			break
		}
		progress := false
		for _, g := range groupErrors(errors.Errors(err), vd.defPrefix()) {
			if conv.omitted[pathKey(g.path)] {
				continue // a required key whose value is not known yet
			}
			f := vd.finding(g)
			if f == nil {
				continue
			}
			if f.patch != 0 {
				if conv.patches == nil {
					conv.patches = map[string]patch{}
					conv.adds = map[string][]string{}
				}
				key := pathKey(f.patchPath)
				switch f.patch {
				case patchAdd:
					parent := pathKey(f.patchPath[:len(f.patchPath)-1])
					name := f.patchPath[len(f.patchPath)-1][1:]
					if !slices.Contains(conv.adds[parent], name) {
						conv.adds[parent] = append(conv.adds[parent], name)
						progress = true
					}
				default:
					if conv.patches[key] == 0 {
						conv.patches[key] = f.patch
						progress = true
					}
				}
			}
			if f.diag == nil {
				continue
			}
			id := f.diag.Rule + "\x00" + pathKey(f.patchPath) + "\x00" + f.diag.Message
			if seen[id] {
				continue
			}
			seen[id] = true
			out = append(out, f.diag)
			progress = true
		}
		if !progress {
			break
		}
	}
	return misspeltRequired(out)
}

// misspeltRequired merges a missing required key with the unknown key of
// the same map that misspells it (imagee where image is required): one
// finding at the line the author slipped on, with the severity of the
// missing key, rather than an error at the map and a lesser finding at
// the key.
func misspeltRequired(ds []*diag.Diagnostic) []*diag.Diagnostic {
	type missing struct {
		d   *diag.Diagnostic
		key string
	}
	var req []missing
	for _, d := range ds {
		if d.Rule == RuleRequired {
			if k, ok := requiredKey(d.Message); ok {
				req = append(req, missing{d, k})
			}
		}
	}
	if len(req) == 0 {
		return ds
	}
	drop := map[*diag.Diagnostic]bool{}
	for _, d := range ds {
		if d.Rule != RuleUnknownKey {
			continue
		}
		parent, key, ok := cutLastKey(d.Path)
		if !ok {
			continue
		}
		for _, m := range req {
			if drop[m.d] || m.d.Path != parent || suggest(key, []string{m.key}) != m.key {
				continue
			}
			if m.d.Severity > d.Severity {
				d.Severity = m.d.Severity
			}
			d.Message = fmt.Sprintf("unknown key %q in %s: did you mean %q? That key is required there and missing", key, parentText(parent), m.key)
			if why, ok := strings.CutPrefix(m.d.Message, fmt.Sprintf("missing required key %q in %s: ", m.key, parentText(parent))); ok {
				d.Message += ": " + why
			}
			drop[m.d] = true
			break
		}
	}
	if len(drop) == 0 {
		return ds
	}
	out := ds[:0]
	for _, d := range ds {
		if !drop[d] {
			out = append(out, d)
		}
	}
	return out
}

// requiredKey returns the key a schema/required message names.
func requiredKey(msg string) (string, bool) {
	rest, ok := strings.CutPrefix(msg, "missing required key ")
	if !ok {
		return "", false
	}
	k, err := strconv.QuotedPrefix(rest)
	if err != nil {
		return "", false
	}
	u, err := strconv.Unquote(k)
	return u, err == nil
}

// cutLastKey splits a YAML path "a.b.key" into "a.b" and "key"; a path
// ending in an index, or a quoted key, is not split.
func cutLastKey(p string) (parent, key string, ok bool) {
	i := strings.LastIndexByte(p, '.')
	if i < 0 || strings.HasSuffix(p, "]") || strings.HasSuffix(p, "\"") {
		return "", "", false
	}
	return p[:i], p[i+1:], true
}

// parentText is a path as messages name it.
func parentText(p string) string {
	if p == "" {
		return "the top level"
	}
	return p
}

func (vd *validation) rootScope() scope {
	if vd.part {
		return vd.scope0
	}
	if !vd.o.Raw {
		return scopeData
	}
	if vd.template {
		return scopeData // the converter opens scopes below resources and outputs
	}
	return scopeFunctions
}

// errGroup is the errors CUE reports at one path.
type errGroup struct {
	path []string // CUE selectors, definitions removed
	errs []errors.Error
}

// errKind classifies one CUE error by its message format.
type errKind uint8

const (
	ekOther      errKind = iota // a conflict or bound: the value is wrong
	ekNotAllowed                // field not allowed
	ekRequired                  // required field missing
	ekIncomplete                // not concrete: a placeholder met a constraint
)

func classify(e errors.Error) errKind {
	format, _ := e.Msg()
	switch {
	case strings.Contains(format, "not allowed"):
		return ekNotAllowed
	case strings.Contains(format, "required but not present"):
		return ekRequired
	case strings.HasPrefix(format, "incomplete"), strings.Contains(format, "non-concrete"),
		strings.HasPrefix(format, "unresolved disjunction"), strings.Contains(format, "cannot reference optional"),
		strings.Contains(format, "undecided"):
		return ekIncomplete
	}
	return ekOther
}

// groupErrors groups CUE's errors by path, drops the headers of failed
// disjunctions, and drops the errors a failed disjunction reports at its
// own path when an alternative failed deeper down: the deeper error is the
// real one ("privileged" is not a bool), the shallow one only says that
// the map is not null either.
func groupErrors(errs []errors.Error, prefix []string) []*errGroup {
	byPath := map[string]*errGroup{}
	var order []*errGroup
	for _, e := range errs {
		if format, _ := e.Msg(); strings.Contains(format, "errors in empty disjunction") {
			continue
		}
		p := dataPath(trimPrefix(e.Path(), prefix))
		k := strings.Join(p, "\x00")
		g := byPath[k]
		if g == nil {
			g = &errGroup{path: p}
			byPath[k] = g
			order = append(order, g)
		}
		g.errs = append(g.errs, e)
	}
	var out []*errGroup
	for _, g := range order {
		if onlyKind(g, ekOther) && hasDeeper(g, order) || belowNotAllowed(g, order) {
			continue
		}
		out = append(out, g)
	}
	return out
}

// belowNotAllowed reports whether g is inside a key that is not allowed:
// CUE reports the entries of an unknown map too.
func belowNotAllowed(g *errGroup, all []*errGroup) bool {
	for _, o := range all {
		if len(o.path) < len(g.path) && slices.Equal(g.path[:len(o.path)], o.path) && !onlyKind(o, ekOther) {
			for _, e := range o.errs {
				if classify(e) == ekNotAllowed {
					return true
				}
			}
		}
	}
	return false
}

func onlyKind(g *errGroup, k errKind) bool {
	for _, e := range g.errs {
		if classify(e) != k {
			return false
		}
	}
	return true
}

func hasDeeper(g *errGroup, all []*errGroup) bool {
	for _, o := range all {
		if len(o.path) > len(g.path) && slices.Equal(o.path[:len(g.path)], g.path) {
			return true
		}
	}
	return false
}

// dataPath turns CUE selectors into data path elements: the leading
// definition names go, quoted labels are unquoted.
func dataPath(sels []string) []string {
	i := 0
	for i < len(sels) && strings.HasPrefix(sels[i], "#") {
		i++
	}
	out := make([]string, 0, len(sels)-i)
	for _, s := range sels[i:] {
		if strings.HasPrefix(s, `"`) || strings.HasPrefix(s, "#\"") {
			if u, err := literal.Unquote(s); err == nil {
				out = append(out, keyElem(u))
				continue
			}
		}
		if n, err := strconv.Atoi(s); err == nil && n >= 0 {
			out = append(out, indexElem(n))
			continue
		}
		out = append(out, keyElem(strings.TrimSuffix(strings.TrimSuffix(s, "?"), "!")))
	}
	return out
}

// found is the outcome of one error group.
type found struct {
	diag      *diag.Diagnostic
	patch     patch
	patchPath []string
}

// step is one node reached while walking the value tree along a path.
type step struct {
	v   *value.Value
	key *value.Value // the map key that led here, nil for list items and the root
	sc  scope
}

// walk follows path from the root. It returns the nodes reached (the root
// first) and whether the walk passed through a placeholder: then the
// error is about a value not known yet, and is dropped.
func (vd *validation) walk(path []string) (steps []step, throughPlaceholder bool) {
	conv := converter{s: vd.s, raw: vd.o.Raw, template: vd.template}
	cur := step{v: vd.root, key: vd.rootKey, sc: vd.rootScope()}
	steps = append(steps, cur)
	for depth, el := range path {
		if conv.placeholder(cur.v, cur.sc) || vd.nullAccepted(cur.v, path[:depth]) {
			return steps, true
		}
		var next step
		switch {
		case el[0] == 'i' && value.KindOf(cur.v) == value.List:
			n, _ := strconv.Atoi(el[1:])
			if n >= len(cur.v.List) {
				return steps, false
			}
			next = step{v: cur.v.List[n], sc: cur.sc}
		case value.KindOf(cur.v) == value.Map:
			k := el[1:]
			e, ok := findEntry(cur.v.Map, k)
			if !ok {
				return steps, false
			}
			next = step{v: e.Val, key: e.Key, sc: conv.childScope(cur.sc, vd.depth0()+depth, k)}
		default:
			return steps, false
		}
		cur = next
		steps = append(steps, cur)
	}
	return steps, conv.placeholder(cur.v, cur.sc) || vd.nullAccepted(cur.v, path)
}

// nullAccepted reports whether v is a null where the schema allows one (the
// converter turned it into _, so errors CUE reports there are not real).
func (vd *validation) nullAccepted(v *value.Value, p []string) bool {
	if value.KindOf(v) != value.Null {
		return false
	}
	sh := vd.shapeAt(p)
	return sh != nil && sh.nullable
}

func findEntry(m *value.Mapping, k string) (value.Entry, bool) {
	if e, ok := m.Entry(k); ok {
		return e, true
	}
	for _, e := range m.Entries() {
		if e.Key.Kind != value.String && value.JSONKey(e.Key) == k {
			return e, true
		}
	}
	return value.Entry{}, false
}

// finding turns one error group into a diagnostic and a patch.
func (vd *validation) finding(g *errGroup) *found {
	steps, placeholder := vd.walk(g.path)
	kind := ekOther
	for _, e := range g.errs {
		if k := classify(e); k != ekOther && (kind == ekOther || k < kind) {
			kind = k
		}
	}
	reached := len(steps) - 1 // path elements walked
	if placeholder && !(kind == ekNotAllowed && reached == len(g.path)) {
		// The error is about a value not known yet (a function call in a
		// raw template, an unknown in evaluated data): nothing to report.
		// A key the schema does not allow is wrong whatever its value
		// (imagee: {get_param: ...}, imagee: *image where the anchor holds
		// a call): the walk reached it, so it is written in the data.
		return nil
	}
	f := &found{}
	switch kind {
	case ekIncomplete:
		return nil
	case ekNotAllowed:
		if reached < len(g.path) {
			// The key is not in the data (it came from a default): nothing to report.
			return nil
		}
		// CUE may report the entries of an unknown map before the map
		// itself: report the outermost key the schema does not allow.
		p := vd.outermostUnknown(g.path)
		steps = steps[:len(p)+1]
		f.patch, f.patchPath = patchDrop, p
		f.diag = vd.unknownKey(p, steps)
	case ekRequired:
		if reached < len(g.path)-1 || value.KindOf(steps[reached].v) != value.Map {
			// The map that lacks the key is not there, or is not a map
			// (a type error reported on its own).
			return nil
		}
		if reached == len(g.path) {
			// Present after all (a patch added it): nothing to say.
			return nil
		}
		f.patch, f.patchPath = patchAdd, g.path
		f.diag = vd.required(g.path, steps)
	default:
		f.patch, f.patchPath = patchTop, g.path[:reached]
		f.diag = vd.mismatch(g, steps)
	}
	return f
}

// outermostUnknown returns the shortest prefix of p that ends with a key
// its map's schema does not allow, or p.
func (vd *validation) outermostUnknown(p []string) []string {
	v := vd.def
	for i, el := range p[:len(p)-1] {
		if el[0] == 'k' {
			if st, ok := structOf(v, 0); ok && !st.Allows(cue.Str(el[1:])) {
				return p[:i+1]
			}
		}
		n, ok := lookupIn(v, el, 0)
		if !ok {
			break
		}
		v = n
	}
	return p
}

// valuePath renders the data path of the first n elements of p as a YAML
// path, after the base path.
func (vd *validation) valuePath(p []string) value.Path {
	out := append(value.Path(nil), vd.o.Base...)
	for _, el := range p {
		if el[0] == 'i' {
			n, _ := strconv.Atoi(el[1:])
			out = out.Index(n)
		} else {
			out = out.Key(el[1:])
		}
	}
	return out
}

func (vd *validation) pathString(p []string) string {
	s := vd.valuePath(p).String()
	if s == "" {
		return "the top level"
	}
	return s
}

func rangeOf(v *value.Value) source.Range {
	if v == nil {
		return source.Range{}
	}
	return v.Range
}

// related lists the YAML alias sites a value was copied through.
func related(v *value.Value) []diag.Related {
	if v == nil || v.Via == nil {
		return nil
	}
	var out []diag.Related
	for _, site := range v.Via.Sites() {
		out = append(out, diag.Related{Range: site, Message: "the value is used here through a YAML alias"})
	}
	return out
}

// anchorNote names the anchor a value reached through a YAML alias was
// written at, for a finding placed elsewhere (at the key of the alias
// site, imagee: *image): the reader sees both the line at fault and the
// value it copies. Nothing for a value written in place.
func anchorNote(v *value.Value, at source.Range) []diag.Related {
	if v == nil || v.Via == nil || v.Range.File == "" || v.Range.Start == at.Start && v.Range.File == at.File {
		return nil
	}
	return []diag.Related{{Range: v.Range, Message: "the value comes from the anchor here"}}
}

func (vd *validation) newDiag(sev diag.Severity, rule string, r source.Range, p []string, msg string, rel []diag.Related) *diag.Diagnostic {
	return &diag.Diagnostic{Severity: sev, Rule: rule, Range: r, Message: msg, Related: rel,
		Path: vd.valuePath(p).String()}
}

func (vd *validation) unknownKey(p []string, steps []step) *diag.Diagnostic {
	last := steps[len(steps)-1]
	key := p[len(p)-1][1:]
	parent := p[:len(p)-1]
	r := rangeOf(last.key)
	if last.key == nil {
		r = rangeOf(last.v)
	}
	known, keysDoc := vd.knownKeys(parent)
	where := vd.pathString(parent)
	sev := diag.Error
	why := ""
	if sv, ok := vd.schemaAt(parent); ok {
		if w, ok := ignoredKeys(sv); ok {
			sev, why = diag.Warning, w
		}
	}
	var msg string
	if len(known) == 0 && keysDoc != "" {
		msg = fmt.Sprintf("key %q is not allowed in %s: expected %s", key, where, keysDoc)
	} else {
		msg = fmt.Sprintf("unknown key %q in %s", key, where)
		if s := suggest(key, known); s != "" {
			msg += fmt.Sprintf(": did you mean %q?", s)
			// A misspelling of a key the consumer knows: what the
			// author meant to set is lost, even where the consumer
			// ignores unknown keys.
			sev = diag.Error
		}
		if len(known) > 0 {
			msg += " (known keys: " + diag.QuoteList(known)
			if keysDoc != "" {
				msg += "; other keys: " + keysDoc
			}
			msg += ")"
		}
	}
	if why != "" {
		msg += "; " + vd.s.text(why)
	}
	rel := related(last.key)
	if last.key != nil && last.key.Via == nil {
		rel = append(rel, anchorNote(last.v, r)...)
	}
	return vd.newDiag(sev, RuleUnknownKey, r, p, msg, rel)
}

func (vd *validation) required(p []string, steps []step) *diag.Diagnostic {
	last := steps[len(steps)-1] // the map that lacks the key
	key := p[len(p)-1][1:]
	r := rangeOf(last.v)
	if last.key != nil {
		r = last.key.Range
	}
	msg := fmt.Sprintf("missing required key %q in %s", key, vd.pathString(p[:len(p)-1]))
	sev := diag.Error
	if f, ok := vd.fieldSchema(p); ok {
		sev = fieldSeverity(f, nil)
		if why := attrOf(f, "required", 0); why != "" {
			msg += ": " + why
		} else if exp, _ := vd.expectation(p); exp != "" {
			msg += ": expected " + exp
		}
	}
	return vd.newDiag(sev, RuleRequired, r, p[:len(p)-1], msg, append(related(last.v), anchorNote(last.v, r)...))
}

func (vd *validation) mismatch(g *errGroup, steps []step) *diag.Diagnostic {
	last := steps[len(steps)-1]
	p := g.path[:len(steps)-1]
	exp, kinds := vd.expectation(p)
	actual := last.v
	rule := RuleValue
	if kinds != 0 && !kindAllowed(actual, kinds) {
		rule = RuleType
	}
	where := vd.pathString(p)
	sev := diag.Error
	why := ""
	if sv, ok := vd.fieldSchema(p); ok {
		sev = fieldSeverity(sv, actual)
		why = attrOf(sv, "why", 0)
	}
	var msg string
	if rule == RuleType {
		msg = fmt.Sprintf("%s: expected %s, got %s", where, exp, describe(actual))
	} else {
		msg = fmt.Sprintf("%s: invalid value %s", where, quoteValue(actual))
		if exp != "" {
			msg += ": expected " + exp
		}
	}
	if why != "" {
		msg += "; " + vd.s.text(why)
	}
	return vd.newDiag(sev, rule, rangeOf(actual), p, msg, related(actual))
}
