local hoist = import 'hoist/service.libsonnet';

hoist.service(
  name='glance_api',
  description='Glance API',
  roleData={
    config_settings: {
      'glance::api::bind_port': port,
    },
  },
)
