package stack

import (
	"slices"
	"sort"
	"strings"

	"hoist/compiler/environment"
	"hoist/compiler/hot"
	"hoist/value"
)

// Missing is a parameter that has no usable value: no default (or a
// default that violates its own constraints) and none in
// parameter_defaults.
type Missing struct {
	Param *hot.Param
	// Template is the template declaring it.
	Template *hot.Template
}

// Closure returns the template at path and every template reachable from
// it through resource types written as paths and registry aliases that map
// to templates, each once, in the order first met.
func Closure(path string, o Options) ([]*hot.Template, error) {
	ctx := newContext(o)
	reg := registryOf(o)
	seen := map[string]bool{}
	var out []*hot.Template
	var walk func(abs string) error
	walk = func(abs string) error {
		if seen[abs] {
			return nil
		}
		seen[abs] = true
		t, err := ctx.loader.Template(abs)
		if err != nil {
			return err
		}
		out = append(out, t)
		for _, r := range t.Resources {
			typ := r.Type
			if environment.IsTemplatePath(typ) {
				st := &Stack{Path: abs}
				typ = st.templatePath(typ)
			}
			res, err := reg.Resolve(typ, r.Name)
			if err != nil || res.Template == "" {
				continue
			}
			if err := walk(res.Template); err != nil {
				return err
			}
		}
		return nil
	}
	if err := walk(Abs(path)); err != nil {
		return nil, err
	}
	return out, nil
}

// MissingParams returns the parameters of the templates in path's closure
// that have no usable value: no default, or a default that is not valid
// for the parameter's type and constraints, and nothing in
// parameter_defaults. Each name appears once, sorted by name. Parameters
// named in skip (those the caller passes as properties) are left out of
// the top template only.
func MissingParams(path string, skip []string, o Options) ([]Missing, error) {
	ts, err := Closure(path, o)
	if err != nil {
		return nil, err
	}
	var pdefs *value.Mapping
	if o.Env != nil {
		pdefs = o.Env.ParameterDefaults()
	}
	found := map[string]Missing{}
	for i, t := range ts {
		for _, p := range t.Params {
			if i == 0 && slices.Contains(skip, p.Name) {
				continue
			}
			if v, ok := pdefs.Get(p.Name); ok && v.Kind != value.Null {
				continue
			}
			if p.Default != nil && p.ValidateValue(p.Default) == "" {
				continue
			}
			if _, ok := found[p.Name]; !ok {
				found[p.Name] = Missing{Param: p, Template: t}
			}
		}
	}
	out := make([]Missing, 0, len(found))
	for _, m := range found {
		out = append(out, m)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Param.Name < out[j].Param.Name })
	return out, nil
}

// Placeholder returns a stand-in value for a parameter that has none, the
// way the Heat oracle fills them: a string is its own name (a password
// too), an image parameter (Docker*Image) the name as an image reference
// registry.example:8787/tripleo/<Name>:latest, a number 0 (or the range
// minimum), json {}, comma_delimited_list [], boolean false; allowed_values
// give the first allowed value, a length constraint pads or cuts the name,
// a pattern takes the first of a few candidates that matches.
func Placeholder(p *hot.Param) *value.Value {
	r := p.NameRange
	var cands []*value.Value
	minLen, maxLen := -1, -1
	for _, c := range p.Constraints {
		switch c.Kind {
		case "allowed_values":
			if len(c.Allowed) > 0 {
				cands = append(cands, c.Allowed[0])
			}
		case "range":
			if c.Min != nil {
				cands = append(cands, c.Min)
			}
		case "length":
			if c.Min != nil && c.Min.Kind == value.Int {
				minLen = int(c.Min.Int)
			}
			if c.Max != nil && c.Max.Kind == value.Int {
				maxLen = int(c.Max.Int)
			}
		}
	}
	switch p.Type {
	case hot.TypeString:
		name := p.Name
		if strings.HasPrefix(name, "Docker") && strings.HasSuffix(name, "Image") {
			cands = append(cands, value.NewString("registry.example:8787/tripleo/"+name+":latest", r))
		}
		if minLen > len(name) {
			name += strings.Repeat("x", minLen-len(name))
		}
		if maxLen >= 0 && maxLen < len(name) {
			name = name[:maxLen]
		}
		cands = append(cands, value.NewString(name, r))
		clean := strings.Map(func(c rune) rune {
			if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' {
				return c
			}
			return -1
		}, name)
		key := "AQ" + strings.Repeat("A", 36) + "=="
		cands = append(cands, value.NewString(clean, r), value.NewString(key, r), value.NewString("0", r), value.NewString("", r))
	case hot.TypeNumber:
		cands = append(cands, value.NewInt(0, r), value.NewInt(1, r))
	case hot.TypeJSON:
		m := value.NewMapping(1)
		m.Set(value.NewString(p.Name, r), value.NewString(p.Name, r))
		cands = append(cands, value.NewMap(nil, r), value.NewMap(m, r))
	case hot.TypeList:
		cands = append(cands, value.NewList(nil, r), value.NewList([]*value.Value{value.NewString(p.Name, r)}, r))
	case hot.TypeBoolean:
		cands = append(cands, value.NewBool(false, r))
	}
	for _, c := range cands {
		check := c
		if p.Type == hot.TypeString && c.Kind != value.String {
			check = value.NewString(value.Str(c), r)
		}
		if p.ValidateValue(check) == "" {
			return check
		}
	}
	return cands[len(cands)-1]
}
