package model

import (
	"strconv"
	"strings"

	"hoist/value"
)

// DefaultHostnameFormat is TripleO's hostname format for a role whose
// roles_data entry has no HostnameFormatDefault.
func DefaultHostnameFormat(role string) string {
	return "%stackname%-" + strings.ToLower(role) + "-%index%"
}

// Hostname is the hostname of a role's node index (0-based), as Heat named
// the servers: the format (DefaultHostnameFormat when "") with
// %stackname% and %index% replaced, looked up in the HostnameMap parameter
// (a mapping of generated names to wanted ones; nil for none), in lower
// case.
func Hostname(stack, format, role string, index int, hostnameMap *value.Value) string {
	if format == "" {
		format = DefaultHostnameFormat(role)
	}
	h := strings.ReplaceAll(format, "%stackname%", stack)
	h = strings.ReplaceAll(h, "%index%", strconv.Itoa(index))
	if v, ok := value.StringOf(value.Get(hostnameMap, h)); ok {
		h = v
	}
	return strings.ToLower(h)
}
