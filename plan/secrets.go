package plan

import "regexp"

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
