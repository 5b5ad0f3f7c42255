package lint

import (
	"strconv"
	"strings"
	"sync"

	"hoist/model"
	"hoist/source"
	"hoist/value"
)

// Service is one service template's role_data as rules see it.
//
// On a template as written (Evaluated false), role_data still holds the
// intrinsic function calls: the helpers below look through map_merge, if
// and list_concat where the parts are written out, and leave alone what
// only evaluation knows (get_param, get_attr). On evaluated data
// (Evaluated true) every function is resolved and values carry the range
// where they were written, possibly in another file.
type Service struct {
	File     *File
	Template *Template
	// RoleData is outputs.role_data.value.
	RoleData *value.Value
	// Path is the path of RoleData in its document.
	Path      value.Path
	Evaluated bool

	// containers is Containers' result, read once: the rules of a service
	// each read them.
	containersOnce sync.Once
	containers     []*model.Container
}

// ServiceChecker is a rule that looks at a service's role_data.
type ServiceChecker interface {
	Rule
	CheckService(s *Service, r *Reporter)
}

// ServiceOf returns the service view of f, nil when f is not a service
// template: a template with outputs.role_data that is not a role's
// aggregate (schema.Detect's ServiceTemplate).
func ServiceOf(f *File) *Service {
	t := TemplateOf(f)
	if t == nil {
		return nil
	}
	rd := value.Get(t.Outputs, "role_data")
	if rd == nil {
		return nil
	}
	v := value.Get(rd, "value")
	if v != nil && v.Kind == value.Map && v.Map.Has("service_names") {
		return nil // a role template
	}
	return &Service{File: f, Template: t, RoleData: v, Path: value.Path{}.Key("outputs").Key("role_data").Key("value")}
}

// Key returns role_data[k] and its path.
func (s *Service) Key(k string) (*value.Value, value.Path) {
	return value.Get(s.RoleData, k), s.Path.Key(k)
}

// located is a value with its path.
type located struct {
	V *value.Value
	P value.Path
}

// maps returns the literal mappings v stands for: v itself, or the parts
// of a map_merge, or the branches of an if, recursively. Parts that are
// other function calls (get_attr of another template) are left out.
func maps(v *value.Value, p value.Path) []located {
	if v == nil {
		return nil
	}
	if name, args, ok := fnCall(v); ok {
		fp := p.Key(name)
		switch name {
		case "map_merge":
			var out []located
			if args.Kind == value.List {
				for i, it := range args.List {
					out = append(out, maps(it, fp.Index(i))...)
				}
			}
			return out
		case "if":
			if args.Kind == value.List && len(args.List) == 3 {
				return append(maps(args.List[1], fp.Index(1)), maps(args.List[2], fp.Index(2))...)
			}
		}
		return nil
	}
	if v.Kind == value.Map {
		return []located{{v, p}}
	}
	return nil
}

// listItems returns the items of a list written out, through list_concat.
// complete is false when some part is only known after evaluation (a
// get_param, an if), so that absence cannot be concluded.
func listItems(v *value.Value, p value.Path) (items []located, complete bool) {
	complete = true
	var add func(v *value.Value, p value.Path)
	add = func(v *value.Value, p value.Path) {
		if v.IsNull() {
			return
		}
		if name, args, ok := fnCall(v); ok {
			if (name == "list_concat" || name == "list_concat_unique") && args.Kind == value.List {
				for i, it := range args.List {
					add(it, p.Key(name).Index(i))
				}
				return
			}
			complete = false
			return
		}
		if v.Kind != value.List {
			complete = false
			return
		}
		for i, it := range v.List {
			items = append(items, located{it, p.Index(i)})
		}
	}
	add(v, p)
	return items, complete
}

// Containers returns the containers written out in docker_config.
func (s *Service) Containers() []*model.Container {
	s.containersOnce.Do(func() { s.containers = s.readContainers() })
	return s.containers
}

func (s *Service) readContainers() []*model.Container {
	dc, p := s.Key("docker_config")
	var out []*model.Container
	for _, steps := range maps(dc, p) {
		for _, se := range steps.V.Map.Entries() {
			step := keyString(se.Key)
			for _, cs := range maps(se.Val, steps.P.Key(step)) {
				for _, ce := range cs.V.Map.Entries() {
					if ce.Val.Kind != value.Map {
						continue
					}
					if _, _, isFn := fnCall(ce.Val); isFn {
						continue
					}
					out = append(out, model.NewContainer(step, ce.Key, ce.Val, cs.P.Key(keyString(ce.Key))))
				}
			}
		}
	}
	return out
}

// KollaEntry is one kolla_config entry: the host path of a config.json
// and its content. An entry written as a map_merge has several parts.
type KollaEntry struct {
	File  string
	Range source.Range
	Path  value.Path
	// Parts are the literal mappings the entry is made of.
	Parts []located
	// Complete is false when some part is only known after evaluation.
	Complete bool
}

// Has reports whether some part of the entry has key k.
func (k KollaEntry) Has(key string) bool {
	for _, p := range k.Parts {
		if p.V.Map.Has(key) {
			return true
		}
	}
	return false
}

// KollaConfigs returns the kolla_config entries written out.
func (s *Service) KollaConfigs() []KollaEntry {
	kc, p := s.Key("kolla_config")
	var out []KollaEntry
	for _, m := range maps(kc, p) {
		for _, e := range m.V.Map.Entries() {
			k := keyString(e.Key)
			parts := maps(e.Val, m.P.Key(k))
			out = append(out, KollaEntry{File: k, Range: e.Key.Range, Path: m.P.Key(k), Parts: parts, Complete: literalParts(e.Val)})
		}
	}
	return out
}

// literalParts reports whether v is a mapping, or a map_merge of
// mappings, all written out.
func literalParts(v *value.Value) bool {
	if name, args, ok := fnCall(v); ok {
		if name != "map_merge" || args.Kind != value.List {
			return false
		}
		for _, it := range args.List {
			if !literalParts(it) {
				return false
			}
		}
		return true
	}
	return v.Kind == value.Map
}

// envEntry is one variable of a container's environment.
type envEntry struct {
	Name string
	// Value is the value as paunch passes it (Python's value.StringOf() of a map's
	// scalar value), and Known whether it is written out.
	Value string
	Known bool
	// At is the item of a list, or the value of a map entry.
	At located
	// Map tells the map form ({KEY: value}), where a false value makes
	// paunch pass a bare --env=KEY (paunch-kolla.md §2.1).
	Map bool
}

// show renders the entry as written: "KOLLA_BOOTSTRAP=false" quoted for a
// list item, KOLLA_BOOTSTRAP: "false" for a map entry.
func (e envEntry) show() string {
	if e.Map {
		return e.Name + ": " + value.Repr(e.At.V)
	}
	return strconv.Quote(e.Name + "=" + e.Value)
}

// envEntries returns a container's environment written out: the KEY=VALUE
// items of a list (through list_concat), or the entries of a map (a
// literal mapping, from stein on), with complete false when part is only
// known later.
func envEntries(c *model.Container) (out []envEntry, complete bool) {
	env, p := c.OptionAt("environment")
	if env == nil {
		return nil, true
	}
	if _, _, isFn := fnCall(env); !isFn && env.Kind == value.Map {
		for _, e := range env.Map.Entries() {
			k := keyString(e.Key)
			ee := envEntry{Name: k, At: located{e.Val, p.Key(k)}, Map: true}
			if _, _, isFn := fnCall(e.Val); !isFn && e.Val.Kind != value.Map && e.Val.Kind != value.List && e.Val.Kind != value.Unknown {
				ee.Value, ee.Known = value.Str(e.Val), true
			}
			out = append(out, ee)
		}
		return out, true
	}
	items, complete := listItems(env, p)
	for _, it := range items {
		s, ok := value.StringOf(it.V)
		if !ok {
			complete = false
			continue
		}
		k, v, _ := strings.Cut(s, "=")
		out = append(out, envEntry{Name: k, Value: v, Known: true, At: it})
	}
	return out, complete
}
