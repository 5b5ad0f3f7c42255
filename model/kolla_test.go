package model_test

import (
	"testing"

	"hoist/model"
)

func TestKollaConfigs(t *testing.T) {
	kc := load(t, `
/var/lib/kolla/config_files/keystone.json:
  command: /usr/sbin/httpd -DFOREGROUND
  config_files:
    - {source: /var/lib/kolla/config_files/src/*, dest: /, merge: true, preserve_properties: true}
  permissions:
    - {path: /var/log/keystone, owner: "keystone:keystone", recurse: true}
/var/lib/kolla/config_files/cron.json:
  config_files: []
`)
	ks, known := model.KollaConfigs(kc)
	if !known || len(ks) != 2 {
		t.Fatalf("%d configs, known %v", len(ks), known)
	}
	k := ks[0]
	if k.Path != "/var/lib/kolla/config_files/keystone.json" || k.PathAt().Start.Line != 2 || k.Command.V != "/usr/sbin/httpd -DFOREGROUND" {
		t.Errorf("keystone: %+v", k)
	}
	if len(k.ConfigFiles) != 1 || k.ConfigFiles[0].Dest.V != "/" || !k.ConfigFiles[0].Merge.V || !k.ConfigFiles[0].PreserveProperties.V || k.ConfigFiles[0].Optional.Set() {
		t.Errorf("config_files: %+v", k.ConfigFiles)
	}
	if len(k.Permissions) != 1 || k.Permissions[0].Owner.V != "keystone:keystone" || !k.Permissions[0].Recurse.V {
		t.Errorf("permissions: %+v", k.Permissions)
	}
	if ks[1].Command.Set() {
		t.Error("cron has no command")
	}
	if _, known := model.KollaConfigs(load(t, `"<unknown: x>"`)); known {
		t.Error("a kolla_config that is not a mapping is not known")
	}
	if ks, known := model.KollaConfigs(nil); !known || ks != nil {
		t.Error("no kolla_config is known and empty")
	}
}
