package value

import (
	"strconv"
	"strings"
)

// PathElem is one step into a document: a map key, or a list index when
// IsIndex is set.
type PathElem struct {
	Key     string
	Index   int
	IsIndex bool
}

// Path locates a node within a document, for example
// outputs.role_data.value.docker_config.step_3.keystone.volumes[2].
type Path []PathElem

// Key returns p extended by a map key. It never modifies p's storage.
func (p Path) Key(k string) Path {
	return append(p[:len(p):len(p)], PathElem{Key: k})
}

// Index returns p extended by a list index.
func (p Path) Index(i int) Path {
	return append(p[:len(p):len(p)], PathElem{Index: i, IsIndex: true})
}

// String renders the path: keys joined by dots, indexes in brackets, and
// keys that are not plain words quoted in brackets
// (config_settings["tripleo::profile::base::x"]).
func (p Path) String() string {
	var b strings.Builder
	for i, e := range p {
		switch {
		case e.IsIndex:
			b.WriteByte('[')
			b.WriteString(strconv.Itoa(e.Index))
			b.WriteByte(']')
		case plainKey(e.Key):
			if i > 0 {
				b.WriteByte('.')
			}
			b.WriteString(e.Key)
		default:
			b.WriteByte('[')
			b.WriteString(strconv.Quote(e.Key))
			b.WriteByte(']')
		}
	}
	return b.String()
}

func plainKey(k string) bool {
	if k == "" {
		return false
	}
	for i := 0; i < len(k); i++ {
		c := k[i]
		if !(c == '_' || c == '-' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}
