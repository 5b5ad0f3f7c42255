// Glance API in a container: the image service, written in Jsonnet with
// hoist's library (docs/stdlib.md). hoist evaluates this file and reads the
// JSON it yields as a HOT template, exactly as if it were YAML: compare
// with keystone.yaml, written the THT way.
local hoist = import 'hoist/service.libsonnet';

local image = hoist.param('DockerGlanceApiImage');
local configImage = hoist.param('DockerGlanceApiConfigImage');

// What the API containers mount besides the common volumes: the kolla
// configuration, the logs and the image store.
local volumes = hoist.kollaVolumes('glance_api', 'glance_api') + [
  hoist.logVolume('glance'),
  '/var/lib/glance:/var/lib/glance',
];

hoist.service(
  name='glance_api',
  description='Glance API in a container: the image service, with its images on the local disk of the controllers.',
  parameters=hoist.imageParameters('GlanceApi') + {
    GlancePassword: hoist.passwordParameter("The password of Glance's database and service users."),
  },
  resources={
    ContainersCommon: { type: './containers-common.yaml' },
    MySQLClient: { type: './database/mysql-client.yaml' },
    GlanceLogging: {
      type: './logging/files.yaml',
      properties: {
        LogDirectory: 'glance',
        LogOwner: 'glance:glance',
        LogImage: image,
      },
    },
  },
  roleData={
    config_settings: {
      'glance::api::database_connection': {
        make_url: {
          scheme: hoist.param(['EndpointMap', 'MysqlInternal', 'protocol']),
          username: 'glance',
          password: hoist.param('GlancePassword'),
          host: hoist.param(['EndpointMap', 'MysqlInternal', 'host']),
          path: '/glance',
          query: {
            read_default_file: '/etc/my.cnf.d/tripleo.cnf',
            read_default_group: 'tripleo',
          },
        },
      },
      'glance::api::bind_host': hoist.replace("%{hiera('fqdn_$NETWORK')}", {
        '$NETWORK': hoist.param(['ServiceNetMap', 'GlanceApiNetwork']),
      }),
      'glance::api::bind_port': 9292,
      'glance::api::authtoken::password': hoist.param('GlancePassword'),
      'glance::api::authtoken::www_authenticate_uri': hoist.param(['EndpointMap', 'KeystoneInternal', 'uri']),
      'glance::backend::file::filesystem_store_datadir': '/var/lib/glance/images/',
      'glance::api::stores': ['http', 'file'],
      'glance::api::default_store': 'file',
    },
    service_config_settings: {
      mysql: {
        'glance::db::mysql::password': hoist.param('GlancePassword'),
        'glance::db::mysql::user': 'glance',
        'glance::db::mysql::host': '%',
        'glance::db::mysql::dbname': 'glance',
      },
      keystone: {
        'glance::keystone::auth::public_url': hoist.param(['EndpointMap', 'GlancePublic', 'uri']),
        'glance::keystone::auth::internal_url': hoist.param(['EndpointMap', 'GlanceInternal', 'uri']),
        'glance::keystone::auth::admin_url': hoist.param(['EndpointMap', 'GlanceAdmin', 'uri']),
        'glance::keystone::auth::password': hoist.param('GlancePassword'),
      },
    },
    puppet_config: hoist.puppetConfig(
      'glance_api',
      ['glance_api_config', 'glance_api_paste_ini', 'glance_swift_config', 'glance_cache_config'],
      hoist.join('\n', [
        'include ::tripleo::profile::base::glance::api',
        hoist.attr('MySQLClient', 'role_data', ['step_config']),
      ]),
      configImage,
    ),
    kolla_config: {
      '/var/lib/kolla/config_files/glance_api.json': hoist.kollaConfig(
        '/usr/bin/glance-api --config-file /usr/share/glance/glance-api-dist.conf --config-file /etc/glance/glance-api.conf',
        permissions=[hoist.owner('/var/lib/glance', 'glance:glance')],
      ),
    },
    docker_config: {
      step_2: {
        glance_init_logs: hoist.attr('GlanceLogging', 'init_container'),
      },
      step_3: {
        glance_api_db_sync: hoist.bootstrapContainer(
          image,
          'glance_api',
          "/usr/local/bin/kolla_start",
          volumes,
        ) + {
          environment+: ['GLANCE_DB_SYNC=True'],
        },
      },
      step_4: {
        glance_api: hoist.container(image, volumes) + { start_order: 2 },
      },
    },
    host_prep_tasks: hoist.concat([
      hoist.attr('GlanceLogging', 'host_prep_tasks'),
      [{
        name: 'create the folder of the image store',
        file: { path: '/var/lib/glance', state: 'directory', setype: 'svirt_sandbox_file_t' },
      }],
    ]),
    upgrade_tasks: [],
  },
)
