package emit

import (
	"strings"

	"hoist/model"
)

// secrets tells which files hold a secret: the value of a secret
// parameter, or an unknown value standing for one.
type secrets struct {
	values []string
	params []string
}

// minSecret is the shortest value treated as a secret: shorter ones would
// match by chance.
const minSecret = 4

func newSecrets(d *model.Deployment) *secrets {
	s := &secrets{params: d.SecretParameters}
	for _, v := range d.Secrets {
		if len(v) >= minSecret {
			s.values = append(s.values, v)
		}
	}
	return s
}

func (s *secrets) inString(v string) bool {
	if len(v) < minSecret {
		return false
	}
	for _, x := range s.values {
		if strings.Contains(v, x) {
			return true
		}
	}
	return false
}

// inReason tells whether an unknown value's reason names a secret
// parameter.
func (s *secrets) inReason(reason string) bool {
	for _, p := range s.params {
		if strings.Contains(reason, p) {
			return true
		}
	}
	return false
}
