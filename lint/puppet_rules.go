package lint

import (
	"fmt"
	"path/filepath"
	"strings"

	"hoist/diag"
	"hoist/source"
	"hoist/value"
)

// configImageMismatch: entries of one config_volume must use one config
// image; docker-puppet.py keeps the first and only logs a warning
// (paunch-kolla.md §8, tht.md §8).
type configImageMismatch struct{}

func (configImageMismatch) Meta() Meta {
	return Meta{ID: "puppet/config-image-mismatch", Severity: diag.Warning, Presets: recommended,
		Summary: "services sharing a config_volume give it different config images; docker-puppet.py uses the first one"}
}

type volumeImage struct {
	Volume string
	Image  string // "get_param X" or the literal
	Line   int32
	Col    int32
}

func imageText(v *value.Value) (string, bool) {
	if s, ok := value.StringOf(v); ok {
		return s, s != ""
	}
	if name, args, ok := fnCall(v); ok && name == "get_param" {
		if s, ok := value.StringOf(args); ok {
			return "get_param " + s, true
		}
	}
	return "", false
}

func (configImageMismatch) Collect(f *File) any {
	s := ServiceOf(f)
	if s == nil {
		return nil
	}
	pc, _ := s.Key("puppet_config")
	vol, ok := value.StringOf(value.Get(pc, "config_volume"))
	if !ok || vol == "" {
		return nil
	}
	img := value.Get(pc, "config_image")
	text, ok := imageText(img)
	if !ok {
		return nil
	}
	return volumeImage{Volume: vol, Image: text, Line: img.Range.Start.Line, Col: img.Range.Start.Col}
}

func (configImageMismatch) CheckTree(facts []Facts, r *Reporter) {
	type site struct {
		file string
		vi   volumeImage
	}
	by := map[string][]site{}
	var order []string
	for _, f := range facts {
		var vi volumeImage
		if f.Decode(&vi) != nil {
			continue
		}
		if _, ok := by[vi.Volume]; !ok {
			order = append(order, vi.Volume)
		}
		by[vi.Volume] = append(by[vi.Volume], site{f.File, vi})
	}
	for _, vol := range order {
		sites := by[vol]
		count := map[string]int{}
		ref := ""
		for _, s := range sites {
			count[s.vi.Image]++
			if ref == "" || count[s.vi.Image] > count[ref] {
				ref = s.vi.Image
			}
		}
		if len(count) < 2 {
			continue
		}
		var refSite site
		for _, s := range sites {
			if s.vi.Image == ref {
				refSite = s
				break
			}
		}
		for _, s := range sites {
			if s.vi.Image == ref {
				continue
			}
			r.Report(source.Range{File: s.file, Start: source.Pos{Line: s.vi.Line, Col: s.vi.Col}}, value.Path{}.Key("outputs").Key("role_data").Key("value").Key("puppet_config").Key("config_image"),
				fmt.Sprintf("config_volume %q takes its config image from %s here but from %s in %d other service(s); docker-puppet.py generates a volume once, with the image of the first service in role order, and only logs the difference", vol, s.vi.Image, ref, count[ref]),
				diag.Related{Range: source.Range{File: refSite.file, Start: source.Pos{Line: refSite.vi.Line, Col: refSite.vi.Col}}, Message: "config_volume " + fmt.Sprintf("%q", vol) + " uses " + ref + " here"})
		}
	}
}

// mysqlClient: a containerized service whose hiera uses the MySQL endpoint
// must include the MySQL client profile (check 21).
type mysqlClient struct{}

func (mysqlClient) Meta() Meta {
	return Meta{ID: "service/mysql-client", Severity: diag.Warning, Presets: recommended,
		Summary: "a containerized service uses MySQL but does not include mysql-client.yaml in its puppet step_config"}
}

type mysqlFacts struct {
	// Uses is set when the file's own config_settings read the MySQL
	// endpoint.
	Uses bool
	// Nested lists the templates whose role_data.config_settings this
	// file's config_settings read (paths as the run names files).
	Nested []string
	// Containerized files carry the rest.
	Containerized  bool
	Client         string // the resource of type .../mysql-client.yaml
	StepConfigRefs bool   // puppet_config.step_config reads Client's step_config
	// ConfigFrom lists the templates whose puppet_config (or its
	// step_config) this file's puppet_config takes, with get_attr
	// [Res, role_data, puppet_config(, step_config)] (stein's pacemaker
	// cinder-backup, train's nova-manager): the client may come from there.
	ConfigFrom []string
	Line, Col  int32
}

func (mysqlClient) Collect(f *File) any {
	s := ServiceOf(f)
	if s == nil {
		return nil
	}
	var mf mysqlFacts
	cs, _ := s.Key("config_settings")
	mf.Uses = usesMysqlEndpoint(cs)
	res := s.Template.Resources
	walk(cs, func(v *value.Value) bool {
		if name, args, ok := fnCall(v); ok && name == "get_attr" && args.Kind == value.List && len(args.List) >= 3 {
			rn, _ := value.StringOf(args.List[0])
			a, _ := value.StringOf(args.List[1])
			b, _ := value.StringOf(args.List[2])
			if a == "role_data" && b == "config_settings" {
				if typ, ok := value.StringOf(value.Get(value.Get(res, rn), "type")); ok && isYAML(typ) {
					mf.Nested = append(mf.Nested, filepath.Join(filepath.Dir(f.Path), typ))
				}
			}
		}
		return true
	})
	pc, _ := s.Key("puppet_config")
	nestedConfig := func(v *value.Value) {
		walk(v, func(x *value.Value) bool {
			if name, args, ok := fnCall(x); ok && name == "get_attr" && args.Kind == value.List && len(args.List) >= 3 {
				rn, _ := value.StringOf(args.List[0])
				a, _ := value.StringOf(args.List[1])
				b, _ := value.StringOf(args.List[2])
				if a == "role_data" && b == "puppet_config" {
					if typ, ok := value.StringOf(value.Get(value.Get(res, rn), "type")); ok && isYAML(typ) {
						mf.ConfigFrom = append(mf.ConfigFrom, filepath.Join(filepath.Dir(f.Path), typ))
					}
				}
			}
			return true
		})
	}
	if pc != nil {
		nestedConfig(pc)
	}
	if pc != nil {
		mf.Containerized = true
		k := keyOf(s.RoleData, "puppet_config")
		mf.Line, mf.Col = k.Range.Start.Line, k.Range.Start.Col
		for _, e := range mapEntries(res) {
			if typ, _ := value.StringOf(value.Get(e.Val, "type")); strings.HasSuffix(typ, "mysql-client.yaml") {
				mf.Client = keyString(e.Key)
			}
		}
		walk(value.Get(pc, "step_config"), func(v *value.Value) bool {
			if name, args, ok := fnCall(v); ok && name == "get_attr" && args.Kind == value.List && len(args.List) >= 3 {
				rn, _ := value.StringOf(args.List[0])
				b, _ := value.StringOf(args.List[2])
				if rn == mf.Client && mf.Client != "" && b == "step_config" {
					mf.StepConfigRefs = true
				}
			}
			return true
		})
	}
	if !mf.Uses && len(mf.Nested) == 0 && !mf.Containerized {
		return nil
	}
	return mf
}

func (mysqlClient) CheckTree(facts []Facts, r *Reporter) {
	all := map[string]*mysqlFacts{}
	var order []string
	for _, f := range facts {
		var mf mysqlFacts
		if f.Decode(&mf) != nil {
			continue
		}
		all[filepath.Clean(f.File)] = &mf
		order = append(order, f.File)
	}
	// hasClient tells whether a file's puppet_config includes the client
	// profile, itself or through the nested templates it takes its
	// configuration from; a nested template outside the run may, so it
	// counts as one that does.
	clientMemo := map[string]int{} // 0 unknown, 1 no, 2 yes, 3 in progress
	var hasClient func(file string) bool
	hasClient = func(file string) bool {
		switch clientMemo[file] {
		case 1, 3:
			return false
		case 2:
			return true
		}
		mf, ok := all[file]
		if !ok {
			clientMemo[file] = 2
			return true
		}
		clientMemo[file] = 3
		res := mf.Client != "" && mf.StepConfigRefs
		for _, n := range mf.ConfigFrom {
			if hasClient(filepath.Clean(n)) {
				res = true
			}
		}
		clientMemo[file] = 1
		if res {
			clientMemo[file] = 2
		}
		return res
	}
	memo := map[string]int{} // 0 unknown, 1 no, 2 yes, 3 in progress
	var uses func(file string) bool
	uses = func(file string) bool {
		switch memo[file] {
		case 1, 3:
			return false
		case 2:
			return true
		}
		mf, ok := all[file]
		if !ok {
			memo[file] = 1
			return false
		}
		memo[file] = 3
		res := mf.Uses
		for _, n := range mf.Nested {
			if uses(filepath.Clean(n)) {
				res = true
			}
		}
		memo[file] = 1
		if res {
			memo[file] = 2
		}
		return res
	}
	for _, file := range order {
		mf := all[filepath.Clean(file)]
		if !mf.Containerized || !uses(filepath.Clean(file)) || hasClient(filepath.Clean(file)) {
			continue
		}
		at := source.Range{File: file, Start: source.Pos{Line: mf.Line, Col: mf.Col}}
		p := value.Path{}.Key("outputs").Key("role_data").Key("value").Key("puppet_config")
		switch {
		case mf.Client == "":
			r.Report(at, p, "the service's hiera uses the MySQL endpoint (EndpointMap MysqlInternal) but the template has no resource of type .../mysql-client.yaml; without ::tripleo::profile::base::database::mysql::client the container's my.cnf lacks the client settings")
		case !mf.StepConfigRefs:
			r.Report(at, p.Key("step_config"), fmt.Sprintf("the service's hiera uses the MySQL endpoint but puppet_config.step_config does not include get_attr [%s, role_data, step_config]; the container's configuration then lacks ::tripleo::profile::base::database::mysql::client", mf.Client))
		}
	}
}

// volumeNeverGenerated: docker-puppet.py skips puppet_config entries with
// an empty step_config or config_image (paunch-kolla.md §8); a volume all
// of whose entries are empty is never generated.
type volumeNeverGenerated struct{}

func (volumeNeverGenerated) Meta() Meta {
	return Meta{ID: "puppet/volume-never-generated", Severity: diag.Warning, Presets: recommended,
		Summary: "a config_volume is named, but every puppet_config naming it has an empty step_config or config_image, so docker-puppet.py never generates it"}
}

type volumeEntry struct {
	Volume    string
	Generates bool
	Empty     string // the empty key, when not Generates
	Line, Col int32
}

func (volumeNeverGenerated) Collect(f *File) any {
	s := ServiceOf(f)
	if s == nil {
		return nil
	}
	pc, _ := s.Key("puppet_config")
	vol, ok := value.StringOf(value.Get(pc, "config_volume"))
	if !ok || vol == "" {
		return nil
	}
	ve := volumeEntry{Volume: vol, Generates: true}
	for _, k := range []string{"step_config", "config_image"} {
		v := value.Get(pc, k)
		if sv, ok := value.StringOf(v); v == nil || ok && sv == "" {
			ve.Generates, ve.Empty = false, k
			if v != nil {
				ve.Line, ve.Col = v.Range.Start.Line, v.Range.Start.Col
			} else {
				ve.Line, ve.Col = pc.Range.Start.Line, pc.Range.Start.Col
			}
			break
		}
	}
	return ve
}

func (volumeNeverGenerated) CheckTree(facts []Facts, r *Reporter) {
	generated := map[string]bool{}
	all := make([]volumeEntry, len(facts))
	for i, f := range facts {
		if f.Decode(&all[i]) == nil && all[i].Generates {
			generated[all[i].Volume] = true
		}
	}
	for i, f := range facts {
		ve := all[i]
		if ve.Generates || ve.Volume == "" || generated[ve.Volume] {
			continue
		}
		r.Report(source.Range{File: f.File, Start: source.Pos{Line: ve.Line, Col: ve.Col}},
			value.Path{}.Key("outputs").Key("role_data").Key("value").Key("puppet_config").Key(ve.Empty),
			fmt.Sprintf("config_volume %q has an empty %s here, and no other service in the checked files generates it; docker-puppet.py skips such entries, so /var/lib/config-data/puppet-generated/%s is never written: give a step_config and config_image, or set config_volume to ''", ve.Volume, ve.Empty, ve.Volume))
	}
}
