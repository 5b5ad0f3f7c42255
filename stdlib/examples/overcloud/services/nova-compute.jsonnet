// nova-compute in a container: the agent that runs instances through the
// libvirt of nova-libvirt.yaml, with which it shares the nova_libvirt
// config_volume. It must see the host's devices, so it runs privileged
// (policies/privileged.cue lists it).
local hoist = import 'hoist/service.libsonnet';

local image = hoist.param('DockerNovaComputeImage');

hoist.service(
  name='nova_compute',
  description='nova-compute in a container: the compute agent of a hypervisor node.',
  parameters=hoist.imageParameters('NovaCompute', config=false) + hoist.configImageParameter('NovaLibvirt') + {
    NovaPassword: hoist.passwordParameter("The password of Nova's service user."),
    NovaComputeLibvirtType: {
      type: 'string',
      default: 'kvm',
      description: 'The hypervisor libvirt drives.',
      constraints: [{ allowed_values: ['kvm', 'qemu'] }],
    },
    NovaReservedHostMemory: {
      type: 'number',
      default: 4096,
      description: 'Memory (MiB) kept for the host, never given to instances.',
    },
    DockerNovaComputeUlimit: {
      type: 'comma_delimited_list',
      default: ['nofile=1024'],
      description: 'The ulimits of the nova_compute container.',
    },
  },
  resources={
    ContainersCommon: { type: './containers-common.yaml' },
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
      'nova::compute::libvirt::virt_type': hoist.param('NovaComputeLibvirtType'),
      'nova::compute::reserved_host_memory': hoist.param('NovaReservedHostMemory'),
      'nova::compute::vncserver_proxyclient_address': hoist.replace("%{hiera('$NETWORK')}", {
        '$NETWORK': hoist.param(['ServiceNetMap', 'NovaLibvirtNetwork']),
      }),
      'nova::my_ip': hoist.replace("%{hiera('$NETWORK')}", {
        '$NETWORK': hoist.param(['ServiceNetMap', 'NovaLibvirtNetwork']),
      }),
      'nova::keystone::authtoken::password': hoist.param('NovaPassword'),
      'nova::compute::instance_usage_audit': true,
    },
    puppet_config: hoist.puppetConfig(
      'nova_libvirt',
      ['nova_config', 'nova_paste_api_ini'],
      'include ::tripleo::profile::base::nova::compute::libvirt',
      hoist.param('DockerNovaLibvirtConfigImage'),
    ),
    kolla_config: {
      '/var/lib/kolla/config_files/nova_compute.json': hoist.kollaConfig(
        '/usr/bin/nova-compute',
        permissions=[hoist.owner('/var/log/nova', 'nova:nova')],
      ),
    },
    docker_config: {
      step_2: {
        nova_compute_init_logs: hoist.attr('NovaLogging', 'init_container'),
      },
      step_3: {
        // Instances' files belong to the nova user of the image.
        nova_statedir_owner: {
          image: image,
          user: 'root',
          privileged: false,
          detach: false,
          net: 'none',
          volumes: ['/var/lib/nova:/var/lib/nova:shared'],
          command: ['/bin/bash', '-c', 'chown -R nova:nova /var/lib/nova'],
        },
      },
      step_4: {
        nova_compute: hoist.container(image, hoist.kollaVolumes('nova_compute', 'nova_libvirt') + [
          hoist.logVolume('nova'),
          '/dev:/dev',
          '/lib/modules:/lib/modules:ro',
          '/run:/run',
          '/var/lib/nova:/var/lib/nova:shared',
          '/var/lib/libvirt:/var/lib/libvirt',
          '/sys/class/net:/sys/class/net',
          '/sys/bus/pci:/sys/bus/pci',
        ], environment=['LIBGUESTFS_BACKEND=direct'], user='nova', privileged=true) + {
          start_order: 3,
          ipc: 'host',
          ulimit: hoist.param('DockerNovaComputeUlimit'),
        },
      },
    },
    host_prep_tasks: hoist.concat([
      hoist.attr('NovaLogging', 'host_prep_tasks'),
      [{
        name: 'create the folders of instances and libvirt',
        file: { path: '{{ item }}', state: 'directory', setype: 'svirt_sandbox_file_t' },
        with_items: ['/var/lib/nova', '/var/lib/libvirt'],
      }],
    ]),
    upgrade_tasks: [],
  },
)
