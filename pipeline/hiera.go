package pipeline

import (
	"hoist/compiler/deploy"
	"hoist/model"
	"hoist/source"
	"hoist/value"
)

// MergeHiera sets, on every role of d whose ConfigSettings is unset (a
// plan read from a role-data document rather than compiled), the hiera
// overcloud.yaml's <Role>ServiceConfigSettings gives it: the role's
// config_settings, every role's global_config_settings and the
// service_config_settings of the role's services across roles, computed
// by the compiler's one implementation (deploy.ServiceConfigs). emit then
// writes it as it is.
func MergeHiera(d *model.Deployment) error {
	need := false
	for _, r := range d.Roles {
		if r.ConfigSettings == nil {
			need = true
		}
	}
	if !need {
		return nil
	}
	data := make([]*value.Value, len(d.Roles))
	at := make([]source.Range, len(d.Roles))
	for i, r := range d.Roles {
		data[i], at[i] = r.Data, r.Range
	}
	cs, err := deploy.ServiceConfigs(data, at)
	if err != nil {
		return err
	}
	for i, r := range d.Roles {
		if r.ConfigSettings == nil {
			r.ConfigSettings = cs[i]
		}
	}
	return nil
}
