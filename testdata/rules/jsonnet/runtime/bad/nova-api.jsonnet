local hoist = import 'hoist/service.libsonnet';

hoist.service(
  name='nova_api',
  description='Nova API',
  roleData={
    docker_config: {
      step_4: {
        nova_api: hoist.container(hoist.param('DockerNovaApiImage'), volumes=[
          hoist.configVolume('nova', '/etc/nova'),
        ]),
      },
    },
  },
)
