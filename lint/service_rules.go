package lint

import (
	"fmt"
	gomaps "maps"
	"path/filepath"
	"regexp"
	"strings"

	"hoist/diag"
	"hoist/release"
	"hoist/value"
)

// containerized tells whether a service runs containers: it has
// docker_config or puppet_config (tht.md §2.4).
func containerized(s *Service) bool {
	return value.Get(s.RoleData, "docker_config") != nil || value.Get(s.RoleData, "puppet_config") != nil
}

// serviceNameMismatch: a literal service_name should be the file name with
// "-" written "_" (check 11).
type serviceNameMismatch struct{}

func (serviceNameMismatch) Meta() Meta {
	return Meta{ID: "service/name-mismatch", Severity: diag.Info, Presets: strictOnly,
		Summary: "a literal service_name is not the file name with - written _"}
}

func (serviceNameMismatch) CheckService(s *Service, r *Reporter) {
	v, p := s.Key("service_name")
	name, ok := value.StringOf(v)
	if !ok {
		return
	}
	base := strings.TrimSuffix(strings.TrimSuffix(filepath.Base(s.File.Path), ".yaml"), ".yml")
	want := strings.ReplaceAll(base, "-", "_")
	if name == want {
		return
	}
	r.ReportAt(v, p, fmt.Sprintf("service_name %q differs from the file name %q; by convention a service named %q lives in %s.yaml, so that readers find it by the name hiera and service_config_settings use", name, filepath.Base(s.File.Path), name, strings.ReplaceAll(name, "_", "-")))
}

// standardParams: a service template that declares parameters must declare
// the parameters the ResourceChain passes (check 14; the six of
// release.Params.Service). In the release's service folders
// (release.ServiceDirs: deployment/ from stein), the templates TripleO's
// registry gives roles, that is an error: the role that enables the
// service fails. Elsewhere (ci/, environments/) a template is a service
// only through an environment that registers it, so the failure waits for
// that deployment, and the finding is a warning, as THT's own check looks
// only at the service folders.
type standardParams struct{}

func (standardParams) Meta() Meta {
	return Meta{ID: "service/standard-parameters", Severity: diag.Error, Lower: diag.Warning, Presets: recommended,
		Summary: "a service template lacks one of the six parameters every role passes to its services"}
}

func (standardParams) CheckService(s *Service, r *Reporter) {
	t := s.Template
	if t.Parameters == nil {
		return
	}
	want := s.File.Release.Params.Service
	var missing []string
	for _, p := range want {
		if value.Get(t.Parameters, p) == nil {
			missing = append(missing, p)
		}
	}
	if len(missing) == 0 {
		return
	}
	key := keyOf(t.Root, "parameters")
	msg := fmt.Sprintf("the service template does not declare %s; the role's ResourceChain passes all %s of %s to every service, and Heat fails with \"Unknown Property\" for each one missing",
		andList(missing), numberWord(len(want)), andList(want))
	sev := diag.Error
	if !s.File.inServiceDir() {
		sev = diag.Warning
		msg += ", in every deployment whose environment registers this template as a service"
	}
	r.ReportAs(sev, key.Range, value.Path{}.Key("parameters"), msg, viaSites(key)...)
}

// numberWord spells small counts as words ("six").
func numberWord(n int) string {
	words := []string{"zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"}
	if n >= 0 && n < len(words) {
		return words[n]
	}
	return fmt.Sprint(n)
}

// keyOf returns the key value of m's entry k (for its position).
func keyOf(m *value.Value, k string) *value.Value {
	if m == nil || m.Kind != value.Map {
		return m
	}
	e, ok := m.Map.Entry(k)
	if !ok {
		return m
	}
	return e.Key
}

// requiredKeys: a containerized service needs the keys its release's
// THT required of container services (check 18,
// release.RoleData.RequiredContainerKeys: service_name, docker_config,
// puppet_config and config_settings in queens and rocky; none from stein,
// whose trees configure some container services by Ansible alone and some
// services only generate configuration).
type requiredKeys struct{}

func (requiredKeys) Meta() Meta {
	return Meta{ID: "service/required-keys", Severity: diag.Warning, Presets: recommended,
		Summary: "a containerized service's role_data lacks docker_config, puppet_config or config_settings (queens, rocky)"}
}

func (requiredKeys) CheckService(s *Service, r *Reporter) {
	if s.RoleData == nil || s.RoleData.Kind != value.Map || !containerized(s) {
		return
	}
	var missing []string
	for _, k := range s.File.Release.RoleData.RequiredContainerKeys {
		if s.RoleData.Map.Has(k) || k == "service_name" {
			// A missing service_name is schema/required's.
			continue
		}
		if k == "docker_config" {
			// A service configured by host puppet only (ceph-nfs) has a
			// step_config instead.
			if sc := value.Get(s.RoleData, "step_config"); sc != nil {
				if t, ok := value.StringOf(sc); !ok || t != "" {
					continue
				}
			}
		}
		missing = append(missing, k)
	}
	if len(missing) > 0 {
		r.ReportAt(s.RoleData, s.Path, fmt.Sprintf("the containerized service's role_data lacks %s, which %s THT validator required of every container service", andList(missing), possessive(s.File.Release.Name)))
	}
}

// configImageParameter: a service declares the config image parameter of
// its config volume, <ImagePrefix><CamelCase(volume)>ConfigImage
// (release.ConfigImageParameter: Docker up to stein, Container in train;
// check 23 of THT's tools/yaml-validate.py up to rocky, which stein's and
// train's never ran outside docker/services).
//
// The missing declaration alone breaks nothing: image preparation
// (tripleo-common's kolla_builder) writes the parameters its image map
// names into parameter_defaults without reading the templates, and Heat
// ignores parameter_defaults a template does not declare. What breaks a
// deployment is a config_image that reads a parameter no one gives a
// value: so the finding is an error when config_image reads a declared
// parameter without a default whose name is not one image preparation
// writes (the release's prefix, and a config volume's CamelCase
// spelling: "DockerHaproxyConfigImage" where queens writes
// "DockerHAProxyConfigImage", "DockerKeystoneConfigImage" in train), and
// an info otherwise: the image comes from another image parameter (stein's
// swift_ringbuilder uses DockerSwiftConfigImage, the swift volume's), a
// default or a literal, and only THT's naming is in question.
type configImageParameter struct {
	opts struct {
		// Names maps a config_volume to the CamelCase spelling of its
		// parameter name, over the release's own exceptions
		// (release.Params.ConfigImageCamelCase).
		Names map[string]string `hcl:"names,optional"`
	}
}

func (*configImageParameter) Meta() Meta {
	return Meta{ID: "service/config-image-parameter", Severity: diag.Error, Lower: diag.Info, Presets: recommended,
		Summary: "the template does not declare the <Docker|Container><Volume>ConfigImage parameter of its config_volume"}
}

func (r *configImageParameter) Options() any { return &r.opts }

// overrides returns the release's CamelCase exceptions with the
// configured ones over them.
func (r *configImageParameter) overrides(rel *release.Release) map[string]string {
	if len(r.opts.Names) == 0 {
		return rel.Params.ConfigImageCamelCase
	}
	m := gomaps.Clone(rel.Params.ConfigImageCamelCase)
	if m == nil {
		m = map[string]string{}
	}
	gomaps.Copy(m, r.opts.Names)
	return m
}

// parameter is the config image parameter of vol in rel.
func (r *configImageParameter) parameter(rel *release.Release, vol string) string {
	return rel.Params.ImagePrefix + release.CamelCase(vol, r.overrides(rel)) + "ConfigImage"
}

// imageParameter reports whether name is one image preparation writes in
// rel, by its naming: <prefix>...Image, and for a config image the
// CamelCase spelling of some config volume.
func (r *configImageParameter) imageParameter(rel *release.Release, name string) bool {
	rest, ok := strings.CutPrefix(name, rel.Params.ImagePrefix)
	if !ok || !strings.HasSuffix(rest, "Image") || rest == "Image" {
		return false
	}
	x, ok := strings.CutSuffix(rest, "ConfigImage")
	if !ok {
		return true // a runtime image
	}
	over := r.overrides(rel)
	for _, c := range over {
		if c == x {
			return true
		}
	}
	// The volume whose CamelCase spelling x would be: its words lower-cased
	// and joined by "_".
	var parts []string
	start := 0
	for i, c := range x {
		if i > 0 && c >= 'A' && c <= 'Z' {
			parts = append(parts, strings.ToLower(x[start:i]))
			start = i
		}
	}
	parts = append(parts, strings.ToLower(x[start:]))
	vol := strings.Join(parts, "_")
	if _, ok := over[vol]; ok {
		return false
	}
	return x != "" && release.CamelCase(vol, over) == x
}

func (r *configImageParameter) CheckService(s *Service, rep *Reporter) {
	if s.Evaluated {
		// The rule is about how the template is written (which
		// parameter config_image reads), which evaluation resolves away.
		if lit := ServiceOf(s.File); lit != nil {
			s = lit
		}
	}
	pc, p := s.Key("puppet_config")
	cv := value.Get(pc, "config_volume")
	vol, ok := value.StringOf(cv)
	if !ok || vol == "" {
		return
	}
	rel := s.File.Release
	want := r.parameter(rel, vol)
	if value.Get(s.Template.Parameters, want) != nil {
		return
	}
	img := value.Get(pc, "config_image")
	from := ""
	if name, args, ok := fnCall(img); ok && name == "get_param" {
		from, _ = value.StringOf(args)
		if args.Kind == value.List && len(args.List) == 1 {
			from, _ = value.StringOf(args.List[0])
		}
	}
	if from == want {
		// It reads the parameter without declaring it:
		// template/undefined-parameter's finding.
		return
	}
	decl := value.Get(s.Template.Parameters, from)
	if from != "" && decl == nil {
		return // template/undefined-parameter's too
	}
	msg := fmt.Sprintf("config_volume %q has no %q parameter in this template, the name image preparation gives the config image of that volume in %s", vol, want, rel.Name)
	if from != "" && value.Get(decl, "default") == nil && !r.imageParameter(rel, from) {
		rep.ReportAt(cv, p.Key("config_volume"), msg+fmt.Sprintf("; config_image reads %q instead, which has no default and is not a name image preparation writes (%s<Name>Image), so Heat fails with \"The Parameter (%s) was not provided\" unless an environment sets it", from, rel.Params.ImagePrefix, from))
		return
	}
	how := "a value that is not a get_param"
	switch {
	case from != "" && value.Get(decl, "default") != nil:
		how = fmt.Sprintf("%q, which has a default", from)
	case from != "":
		how = fmt.Sprintf("%q, another parameter image preparation writes", from)
	case img == nil:
		how = "nowhere (config_image is missing)"
	default:
		if _, ok := value.StringOf(img); ok {
			how = "a literal image"
		}
	}
	rep.ReportAs(diag.Info, cv.Range, p.Key("config_volume"), msg+fmt.Sprintf("; its config image comes from %s, which deploys all the same (image preparation writes parameter_defaults without reading the templates): only THT's naming convention (tools/yaml-validate.py) is in question", how), viaSites(cv)...)
}

// stepConfigDropped: a service with docker_config has its step_config
// dropped by the aggregator (tht.md §6.2, §11.1 item 8).
type stepConfigDropped struct{}

func (stepConfigDropped) Meta() Meta {
	return Meta{ID: "service/step-config-dropped", Severity: diag.Warning, Presets: recommended,
		Summary: "a service with docker_config also sets step_config, which the aggregator drops"}
}

func (stepConfigDropped) CheckService(s *Service, r *Reporter) {
	if value.Get(s.RoleData, "docker_config") == nil {
		return
	}
	sc, p := s.Key("step_config")
	if sc == nil || sc.IsNull() {
		return
	}
	if t, ok := value.StringOf(sc); ok && t == "" {
		return
	}
	r.ReportAt(sc, p, "step_config is set on a service with docker_config; the role aggregator takes host puppet step_config only from services whose docker_config is null, so this manifest never runs (put it in puppet_config.step_config)")
}

// mysqlBindAddress: a MySQL connection URI from EndpointMap must carry the
// read_default_file and read_default_group options (check 12).
type mysqlBindAddress struct{}

func (mysqlBindAddress) Meta() Meta {
	return Meta{ID: "service/mysql-bind-address", Severity: diag.Warning, Presets: recommended,
		Summary: "a MySQL connection setting lacks the read_default_file/read_default_group options that set bind_address"}
}

func usesMysqlEndpoint(v *value.Value) bool {
	found := false
	walk(v, func(x *value.Value) bool {
		if name, args, ok := fnCall(x); ok && name == "get_param" && args.Kind == value.List && len(args.List) >= 3 {
			a, _ := value.StringOf(args.List[0])
			b, _ := value.StringOf(args.List[1])
			c, _ := value.StringOf(args.List[2])
			if a == "EndpointMap" && b == "MysqlInternal" && c == "protocol" {
				found = true
			}
		}
		return !found
	})
	return found
}

func (mysqlBindAddress) CheckService(s *Service, r *Reporter) {
	cs, p := s.Key("config_settings")
	for _, m := range maps(cs, p) {
		for _, e := range m.V.Map.Entries() {
			k := keyString(e.Key)
			if !strings.HasSuffix(k, "connection") || !usesMysqlEndpoint(e.Val) {
				continue
			}
			ok := false
			walk(e.Val, func(x *value.Value) bool {
				switch x.Kind {
				case value.Map:
					ok = x.Map.Has("read_default_file") && x.Map.Has("read_default_group")
				case value.String:
					ok = strings.Contains(x.Str, "read_default_file") && strings.Contains(x.Str, "read_default_group")
				}
				return !ok
			})
			if !ok {
				r.ReportAt(e.Key, m.P.Key(k), fmt.Sprintf("%s builds a MySQL URI from EndpointMap MysqlInternal without the query options read_default_file and read_default_group; without them the client ignores the bind_address of /etc/my.cnf.d/tripleo.cnf", k))
			}
		}
	}
}

var (
	hieraCall = regexp.MustCompile(`%\{hiera\('([^']*)'\)\}`)
	// hieraCommand is the hiera command line tool's lookup: hiera [-c
	// FILE] KEY.
	hieraCommand = regexp.MustCompile(`\bhiera\s+(?:-c\s+\S+\s+)?['"]?([^\s'")]+)`)
	netNameKey   = regexp.MustCompile(`(?i)net`)
	addressWord  = regexp.MustCompile(`(?i)ip|cidr|addr|bind|host`)
)

// hieraInterpolation: a ServiceNetMap lookup yields a network *name*; where
// an address is wanted it must go through str_replace into
// %{hiera('fqdn_$NETWORK')} or similar (check 15).
type hieraInterpolation struct{}

func (hieraInterpolation) Meta() Meta {
	return Meta{ID: "service/hiera-interpolation", Severity: diag.Error, Presets: recommended,
		Summary: "a network name from ServiceNetMap is used as a value instead of being interpolated into a hiera lookup"}
}

func (hieraInterpolation) CheckService(s *Service, r *Reporter) {
	at := append(pathStack(nil), s.Path...)
	p := &at
	var visit func(v *value.Value, key string, tmpl *value.Value, paramName string, inLookup bool)
	visit = func(v *value.Value, key string, tmpl *value.Value, paramName string, inLookup bool) {
		if v == nil {
			return
		}
		if name, args, ok := fnCall(v); ok {
			p.key(name)
			defer p.pop()
			switch name {
			case "get_param":
				if args.Kind == value.List && len(args.List) > 0 {
					if h, _ := value.StringOf(args.List[0]); h == "ServiceNetMap" {
						p.index(0)
						switch {
						case tmpl != nil:
							if t, ok := value.StringOf(tmpl); ok && !interpolates(t, paramName) {
								r.ReportAt(args.List[0], p.path(), fmt.Sprintf("str_replace param %q holds a network name from ServiceNetMap, but the template %q has no %%{hiera('...%s...')} (or hiera command) to turn it into an address", paramName, t, paramName))
							}
						case inLookup:
						case netNameKey.MatchString(key) && !addressWord.MatchString(key):
						case strings.HasSuffix(key, "Map") || strings.HasSuffix(key, "_map"):
						default:
							r.ReportAt(args.List[0], p.path(), fmt.Sprintf("%q gets the network name from ServiceNetMap (such as \"internal_api\"), not an address; interpolate it with str_replace into a hiera lookup such as \"%%{hiera('fqdn_$NETWORK')}\"", key))
						}
						p.pop()
					}
					for i, it := range args.List[1:] {
						p.index(i + 1)
						visit(it, key, nil, "", true)
						p.pop()
					}
				}
				return
			case "str_replace":
				t := value.Get(args, "template")
				p.key("params")
				for _, e := range mapEntries(value.Get(args, "params")) {
					pn := keyString(e.Key)
					p.key(pn)
					visit(e.Val, key, t, pn, inLookup)
					p.pop()
				}
				p.pop()
				return
			}
			visit(args, key, tmpl, paramName, inLookup)
			return
		}
		switch v.Kind {
		case value.List:
			for i, it := range v.List {
				p.index(i)
				visit(it, key, tmpl, paramName, inLookup)
				p.pop()
			}
		case value.Map:
			for _, e := range v.Map.Entries() {
				k := keyString(e.Key)
				p.key(k)
				visit(e.Val, k, tmpl, paramName, inLookup)
				p.pop()
			}
		}
	}
	visit(s.RoleData, "", nil, "", false)
}

// interpolates reports whether a str_replace template turns param into an
// address by a hiera lookup of a key containing it: puppet's
// %{hiera('fqdn_$NETWORK')}, or the hiera command in a shell command line,
// $(hiera fqdn_$NETWORK) (train's redis_tls_proxy kolla command, which
// resolves it in the container when it starts).
func interpolates(tmpl, param string) bool {
	for _, re := range []*regexp.Regexp{hieraCall, hieraCommand} {
		for _, m := range re.FindAllStringSubmatch(tmpl, -1) {
			if strings.Contains(m[1], param) {
				return true
			}
		}
	}
	return false
}

// loggingOutputs: the logging helpers (release.LoggingHelpers:
// docker/services/logging up to rocky, deployment/logging from stein) must
// give the outputs their users read (check 16).
type loggingOutputs struct{}

var loggingHelperOutputs = []string{"config_settings", "docker_config", "volumes", "host_prep_tasks"}

func (loggingOutputs) Meta() Meta {
	return Meta{ID: "service/logging-outputs", Severity: diag.Error, Presets: recommended,
		Summary: "a logging helper (docker/services/logging, deployment/logging) lacks one of the outputs its users read"}
}

func (loggingOutputs) CheckFile(f *File, r *Reporter) {
	if !f.inDir(f.Release.LoggingHelpers) {
		return
	}
	t := TemplateOf(f)
	if t == nil {
		return
	}
	var missing []string
	for _, k := range loggingHelperOutputs {
		if value.Get(t.Outputs, k) == nil {
			missing = append(missing, k)
		}
	}
	if len(missing) > 0 {
		at := keyOf(t.Root, "outputs")
		r.ReportAt(at, value.Path{}.Key("outputs"), fmt.Sprintf("the logging helper lacks the output(s) %s; every service that uses a logging helper reads %s from it", andList(missing), andList(loggingHelperOutputs)))
	}
}
