package stack

import (
	"bytes"
	"encoding/json"
	"testing"
)

// TestPluginAttributesFromProperties: a subnet's cidr and a ctlplane port's
// network tags and subnet CIDRs are known; everything else a live cloud
// creates stays unknown.
func TestPluginAttributesFromProperties(t *testing.T) {
	fs := vfs{"top.yaml": `heat_template_version: rocky
resources:
  Net:
    type: OS::Neutron::Net
  Subnet:
    type: OS::Neutron::Subnet
    properties:
      network: {get_resource: Net}
      cidr: 172.16.2.9/24
  Subnet6:
    type: OS::Neutron::Subnet
    properties:
      network: {get_resource: Net}
      cidr: FD00:FD00:FD00:2000::1/64
  VIP:
    type: OS::Neutron::Port
    properties:
      network: ctlplane
  Other:
    type: OS::Neutron::Port
    properties:
      network: tenant
outputs:
  cidr: {value: {get_attr: [Subnet, cidr]}}
  cidr6: {value: {get_attr: [Subnet6, cidr]}}
  tags: {value: {get_attr: [VIP, network, tags]}}
  first: {value: {get_attr: [VIP, subnets, 0, cidr]}}
  beyond: {value: {get_attr: [VIP, subnets, 3, cidr]}}
  ip: {value: {get_attr: [VIP, fixed_ips, 0, ip_address]}}
  other: {value: {get_attr: [Other, network, tags]}}
  gateway: {value: {get_attr: [Subnet, gateway_ip]}}
`}
	for _, tc := range []struct {
		nets Networks
		want string
	}{
		{nil, `{"beyond":{"<unknown>":"attribute subnets of resource VIP (OS::Neutron::Port), known when deployed"},"cidr":"172.16.2.0/24","cidr6":"fd00:fd00:fd00:2000::/64","first":{"<unknown>":"attribute subnets of resource VIP (OS::Neutron::Port), known when deployed"},"gateway":{"<unknown>":"attribute gateway_ip of resource Subnet (OS::Neutron::Subnet), known when deployed"},"ip":{"<unknown>":"attribute fixed_ips of resource VIP (OS::Neutron::Port), known when deployed"},"other":{"<unknown>":"attribute network of resource Other (OS::Neutron::Port), known when deployed"},"tags":{"<unknown>":"attribute network of resource VIP (OS::Neutron::Port), known when deployed"}}`},
		{Networks{"ctlplane": DefaultCtlplane}, `{"beyond":{"<unknown>":"attribute subnets of resource VIP (OS::Neutron::Port), known when deployed"},"cidr":"172.16.2.0/24","cidr6":"fd00:fd00:fd00:2000::/64","first":"192.168.24.0/24","gateway":{"<unknown>":"attribute gateway_ip of resource Subnet (OS::Neutron::Subnet), known when deployed"},"ip":{"<unknown>":"attribute fixed_ips of resource VIP (OS::Neutron::Port), known when deployed"},"other":{"<unknown>":"attribute network of resource Other (OS::Neutron::Port), known when deployed"},"tags":["192.168.24.0/24"]}`},
	} {
		st, err := Top("/t/top.yaml", Options{Loader: &Loader{ReadFile: fs.read, Base: "/t"}, Networks: tc.nets})
		if err != nil {
			t.Fatal(err)
		}
		out, err := st.Outputs()
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		if err := json.Compact(&buf, []byte(js(out))); err != nil {
			t.Fatal(err)
		}
		if got := buf.String(); got != tc.want {
			t.Errorf("networks %v:\n got %s\nwant %s", tc.nets, got, tc.want)
		}
	}
}
