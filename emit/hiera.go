package emit

import "strings"

// hieraYAML is /etc/puppet/hiera.yaml: the release's hierarchy (queens
// puppet/role.role.j2.yaml's, "%s" the role's name in lower case), in
// hiera 3's form, as the hiera hook wrote it.
func hieraYAML(hierarchy []string, role string) string {
	lower := strings.ToLower(role)
	var b strings.Builder
	b.WriteString("---\n:backends:\n  - json\n:json:\n  :datadir: /etc/puppet/hieradata\n:hierarchy:\n")
	for _, l := range hierarchy {
		b.WriteString("  - " + strings.ReplaceAll(l, "%s", lower) + "\n")
	}
	b.WriteString(":merge_behavior: deeper\n")
	return b.String()
}
