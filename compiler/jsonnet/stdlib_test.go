package jsonnet

import (
	"path/filepath"
	"strings"
	"testing"

	"hoist/value"
)

// TestServiceLibrary checks every helper of hoist/service.libsonnet
// against the JSON it must yield (docs/stdlib.md shows the same).
func TestServiceLibrary(t *testing.T) {
	for _, c := range []struct{ expr, want string }{
		{`h.param('DockerGlanceApiImage')`, `{"get_param": "DockerGlanceApiImage"}`},
		{`h.param(['EndpointMap', 'KeystoneInternal', 'uri'])`, `{"get_param": ["EndpointMap", "KeystoneInternal", "uri"]}`},
		{`h.attr('MySQLClient', 'role_data', ['step_config'])`, `{"get_attr": ["MySQLClient", "role_data", "step_config"]}`},
		{`h.join(',', ['a', 'b'])`, `{"list_join": [",", ["a", "b"]]}`},
		{`h.replace('%{hiera(\'$N\')}', {'$N': 'x'})`, `{"str_replace": {"params": {"$N": "x"}, "template": "%{hiera('$N')}"}}`},
		{`h.concat([['a'], h.attr('R', 'volumes')])`, `{"list_concat": [["a"], {"get_attr": ["R", "volumes"]}]}`},
		{`h.merge([{a: 1}])`, `{"map_merge": [{"a": 1}]}`},
		{`h.cond('tls', 'a', 'b')`, `{"if": ["tls", "a", "b"]}`},
		{`std.objectFields(h.standardParameters)`, `["DefaultPasswords", "EndpointMap", "RoleName", "RoleParameters", "ServiceData", "ServiceNetMap"]`},
		{`std.objectFields(h.imageParameters('GlanceApi'))`, `["DockerGlanceApiConfigImage", "DockerGlanceApiImage"]`},
		{`std.objectFields(h.imageParameters('NovaCompute', config=false))`, `["DockerNovaComputeImage"]`},
		{`h.configImageParameter('Nova').DockerNovaConfigImage.type`, `"string"`},
		{`h.passwordParameter('p')`, `{"description": "p", "hidden": true, "type": "string"}`},
		{`std.length(h.commonVolumes)`, `10`},
		{`h.withCommonVolumes(['/x:/x'])[10]`, `"/x:/x"`},
		{`std.objectFields(h.withCommonVolumes(h.attr('L', 'volumes')))`, `["list_concat"]`},
		{`h.kollaVolumes('glance_api', 'glance_api')`, `["/var/lib/kolla/config_files/glance_api.json:/var/lib/kolla/config_files/config.json:ro", "/var/lib/config-data/puppet-generated/glance_api/:/var/lib/kolla/config_files/src:ro"]`},
		{`h.configVolume('nova', '/etc/nova/')`, `"/var/lib/config-data/nova/etc/nova/:/etc/nova/:ro"`},
		{`h.logVolume('glance')`, `"/var/log/containers/glance:/var/log/glance"`},
		{`h.logVolume('mysql', '/var/log/mariadb')`, `"/var/log/containers/mysql:/var/log/mariadb"`},
		{`h.kollaConfig('/usr/bin/x')`, `{"command": "/usr/bin/x", "config_files": [{"dest": "/", "merge": true, "preserve_properties": true, "source": "/var/lib/kolla/config_files/src/*"}]}`},
		{`h.kollaConfig('/usr/bin/x', permissions=[h.owner('/var/lib/x', 'x:x')]).permissions`, `[{"owner": "x:x", "path": "/var/lib/x", "recurse": true}]`},
		{`h.puppetConfig('glance_api', ['a', 'b'], 'include x', 'img')`, `{"config_image": "img", "config_volume": "glance_api", "puppet_tags": "a,b", "step_config": "include x"}`},
		{`h.container('img', ['/x:/x'], user='nova', privileged=true, healthcheck=null) { volumes: [] }`, `{"environment": ["KOLLA_CONFIG_STRATEGY=COPY_ALWAYS"], "image": "img", "net": "host", "privileged": true, "restart": "always", "user": "nova", "volumes": []}`},
		{`h.container('img', []).healthcheck`, `{"test": "/openstack/healthcheck"}`},
		{`h.bootstrapContainer('img', 'keystone', '/usr/local/bin/kolla_start', []) { volumes: [] }`, `{"command": ["/usr/bin/bootstrap_host_exec", "keystone", "/usr/local/bin/kolla_start"], "detach": false, "environment": ["KOLLA_BOOTSTRAP=True", "KOLLA_CONFIG_STRATEGY=COPY_ALWAYS"], "image": "img", "net": "host", "privileged": false, "user": "root", "volumes": []}`},
		{`std.objectHas(h.bootstrapContainer('img', 's', ['a', 'b'], [], environment=[]), 'environment')`, `false`},
		{`h.execContainer('keystone', ['keystone-manage', 'bootstrap'])`, `{"action": "exec", "command": ["keystone", "keystone-manage", "bootstrap"], "user": "root"}`},
		{`h.logDirectoryTasks(['glance'])`, `[{"file": {"path": "{{ item }}", "state": "directory"}, "name": "create persistent logs directory", "with_items": ["/var/log/containers/glance"]}]`},
		{`h.service('x', 'X', {config_settings: {}}) { parameters: {} }`, `{"description": "X", "heat_template_version": "queens", "outputs": {"role_data": {"description": "Role data for the x service.", "value": {"config_settings": {}, "service_name": "x"}}}, "parameters": {}}`},
		{`std.objectFields(h.service('x', 'X', {}, resources={R: {type: 'r.yaml'}}, conditions={c: true}))`, `["conditions", "description", "heat_template_version", "outputs", "parameters", "resources"]`},
		{`std.length(h)`, `0`},
	} {
		dir := write(t, map[string]string{"t.jsonnet": "local h = import 'hoist/service.libsonnet';\n" + c.expr + "\n"})
		v, err := EvaluateFile(filepath.Join(dir, "t.jsonnet"), display)
		if err != nil {
			t.Errorf("%s: %v", c.expr, err)
			continue
		}
		if got := value.Dumps(v); got != c.want {
			t.Errorf("%s\n got %s\nwant %s", c.expr, got, c.want)
		}
	}
}

// TestServiceLibraryChecksArguments: helpers refuse arguments that would
// make a wrong template.
func TestServiceLibraryChecksArguments(t *testing.T) {
	dir := write(t, map[string]string{"t.jsonnet": "local h = import 'hoist/service.libsonnet';\nh.configVolume('nova', '/etc/nova')\n"})
	_, err := EvaluateFile(filepath.Join(dir, "t.jsonnet"), display)
	d := diagOf(t, err)
	if d.Range.String() != "t.jsonnet:2:1" || !strings.Contains(d.Message, "must end with a slash") {
		t.Errorf("got %s", d.Line())
	}
}
