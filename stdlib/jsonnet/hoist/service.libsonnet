// hoist/service.libsonnet: helpers for TripleO service templates written in
// Jsonnet. A template built with them is an ordinary HOT template (queens
// dialect): hoist evaluates the Jsonnet, and the JSON it yields goes through
// the same pipeline as a YAML template. Documented in docs/stdlib.md.
//
//   local hoist = import 'hoist/service.libsonnet';
//
// Every helper is a hidden field, so importing the library adds nothing to
// a document. Helpers that take an image or a value Heat computes take it
// as a HOT function call (hoist.param('DockerGlanceApiImage')), exactly as
// it would be written in YAML.

// The layout of kolla's config.json mount and of docker-puppet.py's output
// on the host (paunch-kolla.md).
local kollaDir = '/var/lib/kolla/config_files';
local configData = '/var/lib/config-data';

// Volumes every container of a containerized service mounts: host name
// resolution, time zone, the trusted CAs, the syslog socket, known SSH hosts
// and the host's puppet tree (bootstrap_host_exec reads hiera from it).
local commonVolumes = [
  '/etc/hosts:/etc/hosts:ro',
  '/etc/localtime:/etc/localtime:ro',
  '/etc/pki/ca-trust/extracted:/etc/pki/ca-trust/extracted:ro',
  '/etc/pki/ca-trust/source/anchors:/etc/pki/ca-trust/source/anchors:ro',
  '/etc/pki/tls/certs/ca-bundle.crt:/etc/pki/tls/certs/ca-bundle.crt:ro',
  '/etc/pki/tls/certs/ca-bundle.trust.crt:/etc/pki/tls/certs/ca-bundle.trust.crt:ro',
  '/etc/pki/tls/cert.pem:/etc/pki/tls/cert.pem:ro',
  '/dev/log:/dev/log',
  '/etc/ssh/ssh_known_hosts:/etc/ssh/ssh_known_hosts:ro',
  '/etc/puppet:/etc/puppet:ro',
];

// The common volumes followed by volumes: a list, or a HOT function that
// yields one (a get_attr of a helper template's volumes, a list_concat).
local withCommon(volumes) =
  if std.isArray(volumes) then commonVolumes + volumes
  else { list_concat: [commonVolumes, volumes] };

// The six parameters the role aggregation passes to every service
// (tht.md §2.2).
local standardParameters = {
  EndpointMap: {
    type: 'json',
    default: {},
    description: 'Endpoint of every service by name: protocol, host, port and URI.',
  },
  ServiceData: {
    type: 'json',
    default: {},
    description: 'Data about the deployment that services share (net_cidr_map, net_vip_map).',
  },
  ServiceNetMap: {
    type: 'json',
    default: {},
    description: 'Network each service binds to, by service, with the role-specific overrides applied.',
  },
  DefaultPasswords: {
    type: 'json',
    default: {},
    description: 'Passwords generated for the deployment, by name.',
  },
  RoleName: {
    type: 'string',
    default: '',
    description: 'Name of the role the service is deployed on.',
  },
  RoleParameters: {
    type: 'json',
    default: {},
    description: 'Parameters given to this role only.',
  },
};

// Docker<name>ConfigImage: the image docker-puppet.py generates a
// config_volume's files with.
local configImageParameter(name) = {
  ['Docker%sConfigImage' % name]: {
    type: 'string',
    description: 'The container image that generates the configuration of %s.' % name,
  },
};

// str: the name of a parameter, or a path into one.
local param(path) = { get_param: path };

{
  // --- HOT intrinsic functions, written as data -------------------------

  // {get_param: path}: path is a parameter name or a list (a path into a
  // json parameter, e.g. ['EndpointMap', 'KeystoneInternal', 'uri']).
  param(path):: param(path),
  // {get_attr: [resource, attribute, ...path]}
  attr(resource, attribute, path=[]):: { get_attr: [resource, attribute] + path },
  // {list_join: [separator, items]}
  join(separator, items):: { list_join: [separator, items] },
  // {str_replace: {template, params}}
  replace(template, params):: { str_replace: { template: template, params: params } },
  // {list_concat: lists}
  concat(lists):: { list_concat: lists },
  // {map_merge: maps}
  merge(maps):: { map_merge: maps },
  // {if: [condition, then, else]}
  cond(condition, whenTrue, whenFalse):: { 'if': [condition, whenTrue, whenFalse] },

  // --- parameters --------------------------------------------------------

  // The six parameters every service template declares.
  standardParameters:: standardParameters,

  // The image parameters of a service: Docker<name>Image, and
  // Docker<name>ConfigImage for its config_volume unless config is false.
  // Images have no default: they come from an environment (`openstack
  // overcloud container image prepare` wrote one).
  imageParameters(name, config=true)::
    {
      ['Docker%sImage' % name]: {
        type: 'string',
        description: 'The container image of %s.' % name,
      },
    } + (if config then configImageParameter(name) else {}),

  // Only Docker<name>ConfigImage: for a service whose config_volume is
  // shared with others and named after them (nova_api's is nova).
  configImageParameter(name):: configImageParameter(name),

  // A hidden string parameter (a password) without a default.
  passwordParameter(description):: {
    type: 'string',
    hidden: true,
    description: description,
  },

  // --- volumes -----------------------------------------------------------

  // What every container mounts.
  commonVolumes:: commonVolumes,

  // The common volumes followed by volumes (a list, or a HOT function
  // that yields one).
  withCommonVolumes(volumes):: withCommon(volumes),

  // The two mounts of a kolla container: its config.json, and the
  // configuration docker-puppet.py generated for configVolume.
  kollaVolumes(name, configVolume)::
    [
      '%s/%s.json:%s/config.json:ro' % [kollaDir, name, kollaDir],
      '%s/puppet-generated/%s/:%s/src:ro' % [configData, configVolume, kollaDir],
    ],

  // The configuration docker-puppet.py generated for configVolume, the
  // folder dest of it mounted read-only at dest (for containers that kolla
  // does not start). dest ends with a slash, so that the configuration's
  // hash covers it and a change restarts the container.
  configVolume(configVolume, dest)::
    assert std.endsWith(dest, '/') : 'configVolume: dest %s must end with a slash' % dest;
    '%s/%s%s:%s:ro' % [configData, configVolume, dest, dest],

  // The host folder of a service's logs, mounted where the service writes
  // them: /var/log/containers/<dir> on the host.
  logVolume(dir, dest=null)::
    '/var/log/containers/%s:%s' % [dir, if dest == null then '/var/log/' + dir else dest],

  // --- kolla --------------------------------------------------------------

  // A kolla config.json: the command kolla_start runs, the generated
  // configuration copied over the container's (merged, keeping owners and
  // modes), then extra files, and the permissions to fix.
  kollaConfig(command, permissions=[], files=[])::
    {
      command: command,
      config_files: [{
        source: kollaDir + '/src/*',
        dest: '/',
        merge: true,
        preserve_properties: true,
      }] + files,
    } + (if std.length(permissions) > 0 then { permissions: permissions } else {}),

  // A permissions entry of a kolla config.json.
  owner(path, owner, recurse=true):: { path: path, owner: owner, recurse: recurse },

  // --- puppet -------------------------------------------------------------

  // A puppet_config entry: docker-puppet.py runs stepConfig with the
  // given tags in image and keeps the files under configVolume.
  puppetConfig(configVolume, tags, stepConfig, image)::
    {
      config_volume: configVolume,
      puppet_tags: if std.isArray(tags) then std.join(',', tags) else tags,
      step_config: stepConfig,
      config_image: image,
    },

  // --- containers ---------------------------------------------------------

  // A long-running service container started by kolla: host network,
  // restarted always, the common volumes plus volumes (a list, or a HOT
  // function that yields one), and the healthcheck of TripleO's images
  // unless healthcheck is null.
  container(image, volumes, environment=[], healthcheck='/openstack/healthcheck', user=null, privileged=false)::
    {
      image: image,
      net: 'host',
      privileged: privileged,
      restart: 'always',
      volumes: withCommon(volumes),
      environment: ['KOLLA_CONFIG_STRATEGY=COPY_ALWAYS'] + environment,
    }
    + (if healthcheck != null then { healthcheck: { test: healthcheck } } else {})
    + (if user != null then { user: user } else {}),

  // A one-shot bootstrap container (a database sync) that runs to
  // completion on the bootstrap node only: bootstrap_host_exec runs command
  // (a list, or one program without arguments) there and does nothing on
  // the other nodes, which is why it runs as root (it reads hiera's
  // bootstrap_nodeid). The default environment runs kolla's bootstrap
  // (command /usr/local/bin/kolla_start); a command that does not go
  // through kolla takes environment=[].
  bootstrapContainer(image, service, command, volumes, environment=['KOLLA_BOOTSTRAP=True', 'KOLLA_CONFIG_STRATEGY=COPY_ALWAYS'])::
    {
      image: image,
      net: 'host',
      privileged: false,
      detach: false,
      user: 'root',
      volumes: withCommon(volumes),
      command: ['/usr/bin/bootstrap_host_exec', service] + (if std.isArray(command) then command else [command]),
    } + (if std.length(environment) > 0 then { environment: environment } else {}),

  // A command run in the running container target (paunch's action: exec).
  execContainer(target, command, user='root', environment=[])::
    {
      action: 'exec',
      user: user,
      command: [target] + command,
    } + (if std.length(environment) > 0 then { environment: environment } else {}),

  // --- host tasks ---------------------------------------------------------

  // host_prep_tasks that create the host folders of a service's logs.
  logDirectoryTasks(dirs)::
    [{
      name: 'create persistent logs directory',
      file: { path: '{{ item }}', state: 'directory' },
      with_items: ['/var/log/containers/' + d for d in dirs],
    }],

  // --- the template -------------------------------------------------------

  // A service template: the HOT version, the standard parameters plus
  // parameters, and outputs.role_data whose value is roleData with
  // service_name set.
  service(name, description, roleData, parameters={}, resources={}, conditions={}, version='queens')::
    {
      heat_template_version: version,
      description: description,
      parameters: standardParameters + parameters,
      outputs: {
        role_data: {
          description: 'Role data for the %s service.' % name,
          value: { service_name: name } + roleData,
        },
      },
    }
    + (if std.length(resources) > 0 then { resources: resources } else {})
    + (if std.length(conditions) > 0 then { conditions: conditions } else {}),
}
