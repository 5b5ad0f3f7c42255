// Nova API in a container, served by Apache: the compute service's API.
// Its two databases (nova_api and nova) are synchronised once, in order,
// on the bootstrap node at step 3; the API starts at step 4.
local hoist = import 'hoist/service.libsonnet';

local image = hoist.param('DockerNovaApiImage');

// A Nova database on the cloud's MySQL: what nova::*database_connection
// take.
local database(name) = {
  make_url: {
    scheme: hoist.param(['EndpointMap', 'MysqlInternal', 'protocol']),
    username: 'nova',
    password: hoist.param('NovaPassword'),
    host: hoist.param(['EndpointMap', 'MysqlInternal', 'host']),
    path: '/' + name,
    query: {
      read_default_file: '/etc/my.cnf.d/tripleo.cnf',
      read_default_group: 'tripleo',
    },
  },
};

// The database syncs read nova.conf as docker-puppet.py generated it.
local syncVolumes = [
  hoist.configVolume('nova', '/etc/my.cnf.d/'),
  hoist.configVolume('nova', '/etc/nova/'),
  hoist.logVolume('nova'),
];

// nova-manage as the nova user, on the bootstrap node only.
local manage(args) = ['su', 'nova', '-s', '/bin/bash', '-c', '/usr/bin/nova-manage ' + args];

hoist.service(
  name='nova_api',
  description='Nova API in a container: the API of the compute service, and the synchronisation of its databases.',
  // The nova config_volume, which the other Nova services of a role share,
  // is generated with DockerNovaConfigImage.
  parameters=hoist.imageParameters('NovaApi', config=false) + hoist.configImageParameter('Nova') + {
    NovaPassword: hoist.passwordParameter("The password of Nova's database and service users."),
  },
  resources={
    ContainersCommon: { type: './containers-common.yaml' },
    MySQLClient: { type: './database/mysql-client.yaml' },
    NovaLogging: {
      type: './logging/files.yaml',
      properties: {
        LogDirectory: 'nova',
        LogOwner: 'nova:nova',
        LogImage: image,
      },
    },
  },
  roleData={
    config_settings: {
      'nova::database_connection': database('nova'),
      'nova::api_database_connection': database('nova_api'),
      'nova::api::enabled': true,
      'nova::api::api_bind_address': hoist.replace("%{hiera('fqdn_$NETWORK')}", {
        '$NETWORK': hoist.param(['ServiceNetMap', 'NovaApiNetwork']),
      }),
      'nova::api::sync_db': false,
      'nova::api::sync_db_api': false,
      'nova::keystone::authtoken::password': hoist.param('NovaPassword'),
      'nova::keystone::authtoken::auth_url': hoist.param(['EndpointMap', 'KeystoneInternal', 'uri_no_suffix']),
      'nova::wsgi::apache_api::ssl': false,
    },
    service_config_settings: {
      mysql: {
        'nova::db::mysql::password': hoist.param('NovaPassword'),
        'nova::db::mysql::user': 'nova',
        'nova::db::mysql::host': '%',
        'nova::db::mysql::dbname': 'nova',
        'nova::db::mysql_api::password': hoist.param('NovaPassword'),
        'nova::db::mysql_api::user': 'nova_api',
        'nova::db::mysql_api::host': '%',
        'nova::db::mysql_api::dbname': 'nova_api',
      },
      keystone: {
        'nova::keystone::auth::public_url': hoist.param(['EndpointMap', 'NovaPublic', 'uri']),
        'nova::keystone::auth::internal_url': hoist.param(['EndpointMap', 'NovaInternal', 'uri']),
        'nova::keystone::auth::admin_url': hoist.param(['EndpointMap', 'NovaAdmin', 'uri']),
        'nova::keystone::auth::password': hoist.param('NovaPassword'),
      },
    },
    puppet_config: hoist.puppetConfig(
      'nova',
      ['nova_config'],
      hoist.join('\n', [
        'include ::tripleo::profile::base::nova::api',
        hoist.attr('MySQLClient', 'role_data', ['step_config']),
      ]),
      hoist.param('DockerNovaConfigImage'),
    ),
    kolla_config: {
      '/var/lib/kolla/config_files/nova_api.json': hoist.kollaConfig(
        '/usr/sbin/httpd -DFOREGROUND',
        permissions=[hoist.owner('/var/log/nova', 'nova:nova')],
      ),
    },
    docker_config: {
      step_2: {
        nova_init_logs: hoist.attr('NovaLogging', 'init_container'),
      },
      step_3: {
        nova_api_db_sync: hoist.bootstrapContainer(image, 'nova_api', manage('api_db sync'), syncVolumes, environment=[])
                          + { start_order: 0 },
        nova_api_map_cell0: hoist.bootstrapContainer(image, 'nova_api', manage('cell_v2 map_cell0'), syncVolumes, environment=[])
                            + { start_order: 1 },
        nova_db_sync: hoist.bootstrapContainer(image, 'nova_api', manage('db sync'), syncVolumes, environment=[])
                      + { start_order: 2 },
      },
      step_4: {
        nova_api: hoist.container(image, hoist.kollaVolumes('nova_api', 'nova') + [hoist.logVolume('nova')])
                  + { start_order: 2 },
      },
    },
    host_prep_tasks: hoist.attr('NovaLogging', 'host_prep_tasks'),
    upgrade_tasks: [],
  },
)
