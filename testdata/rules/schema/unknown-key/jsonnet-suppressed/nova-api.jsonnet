local hoist = import 'hoist/service.libsonnet';

hoist.service(
  name='nova_api',
  description='Nova API',
  roleData={
    docker_config: {
      step_4: {
        nova_api: hoist.container(hoist.param('DockerNovaApiImage'), volumes=[]) + {
          // hoist:ignore=schema/unknown-key -- read by our own paunch fork
          restrat: 'always',
          healthcheck: {
            testt: '/openstack/healthcheck',  // hoist:ignore=schema/unknown-key -- the same, on the line
          },
          log_tagg: 'nova-api',  # hoist:ignore=schema/unknown-key -- Jsonnet's other line comment
          labelz: { a: 'b' },
        },
      },
    },
  },
)
