package model

import (
	"regexp"
	"slices"
)

// hieraParameters are the overcloud parameters the hieradata read.
var hieraParameters = []string{
	"CloudDomain", "DeployIdentifier", "UpdateIdentifier", "StackUpdateType", "EnableInternalTLS",
	"CloudName", "CloudNameInternal", "CloudNameStorage", "CloudNameStorageManagement", "CloudNameCtlplane",
	"CloudNameManagement", "CloudNameTenant", "CloudNameStorageNFS",
}

// environmentParameters are the parameters the hieradata read from the
// environments even where no template of the tree declares them, besides
// <Network>VirtualFixedIPs and <Role>IPs (EnvironmentParameters).
var environmentParameters = []string{"ControlFixedIPs", "PublicVirtualFixedIPs", "RedisVirtualFixedIPs", "ControlPlaneSubnetCidr", "ContainerCli"}

// EnvironmentParameters lists the parameters the hieradata read from a
// deployment's environments whether or not a template declares them (the
// predictable IPs, the virtual IPs), for the roles and networks given: a
// setting of one of them is read by hoist build.
func EnvironmentParameters(roles, networks []string) []string {
	out := append([]string(nil), environmentParameters...)
	for _, n := range networks {
		out = append(out, n+"VirtualFixedIPs")
	}
	for _, r := range roles {
		out = append(out, r+"IPs")
	}
	return out
}

// HieraParameters lists the overcloud parameters the hieradata read.
func HieraParameters() []string { return slices.Clone(hieraParameters) }

// secretName matches the names of THT's secret parameters: passwords,
// secrets, keys, tokens, credentials, cookies (AdminPassword,
// NeutronMetadataProxySharedSecret, KeystoneFernetKeys, AdminToken,
// KeystoneCredential0, RabbitCookie, PacemakerRemoteAuthkey,
// SwiftHashSuffix).
var secretName = regexp.MustCompile(`(Password|Secret|Keys?|Token|Credential\d*|Cookie|Authkey|HashSuffix)$`)

// IsSecretParameter tells whether a parameter holds a secret: it is
// declared hidden, or its name says so. Files holding the value of one are
// written with mode 0600.
func IsSecretParameter(name string, hidden bool) bool {
	return hidden || secretName.MatchString(name)
}
