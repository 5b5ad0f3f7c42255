// The container images of the example deployment, as
// `openstack overcloud container image prepare` would list them: the
// Docker*Image parameter of every service of the example, from one registry
// and one tag. Written in Jsonnet
// to say once what THT's generated environments repeat on every line.
local registry = 'registry.example:8787/tripleo';
local tag = 'queens';

// Parameter name (without Docker and Image) → the image that holds it.
local images = {
  HAProxy: 'haproxy',
  Mysql: 'mariadb',
  Rabbitmq: 'rabbitmq',
  Keystone: 'keystone',
  GlanceApi: 'glance-api',
  NovaApi: 'nova-api',
  NovaCompute: 'nova-compute',
  NovaLibvirt: 'nova-libvirt',
  Crond: 'cron',
};

// The services whose configuration is generated with their own image
// (Docker<Name>ConfigImage); the nova services share nova-api's.
local configImages = {
  HAProxy: 'haproxy',
  Mysql: 'mariadb',
  Rabbitmq: 'rabbitmq',
  Keystone: 'keystone',
  GlanceApi: 'glance-api',
  Nova: 'nova-api',
  NovaLibvirt: 'nova-compute',
  Crond: 'cron',
};

local ref(image) = '%s/centos-binary-%s:%s' % [registry, image, tag];

{
  parameter_defaults:
    { ['Docker%sImage' % name]: ref(images[name]) for name in std.objectFields(images) }
    + { ['Docker%sConfigImage' % name]: ref(configImages[name]) for name in std.objectFields(configImages) },
}
