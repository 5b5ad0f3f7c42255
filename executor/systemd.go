package executor

import (
	"fmt"
	"path"
	"strconv"
	"strings"

	"hoist/model"
	"hoist/value"
)

// Podman has no daemon to restart containers: paunch (stein and later)
// created a podman container whose restart is set (and not "none") with
// `podman create` and handed it to a systemd unit, tripleo_<name>.service,
// plus a healthcheck service and timer when it has a healthcheck
// (paunch-kolla.md §4.2). hoist writes the same units when it runs with
// systemd; without it, it starts such a container with `podman start`.

// SystemdDir is where the units go, under the node root.
const SystemdDir = "etc/systemd/system"

func serviceName(name string) string       { return "tripleo_" + name + ".service" }
func healthService(name string) string     { return "tripleo_" + name + "_healthcheck.service" }
func healthTimer(name string) string       { return "tripleo_" + name + "_healthcheck.timer" }
func unitPath(root, unit string) string    { return path.Join(rootOr(root), SystemdDir, unit) }
func systemctl(args ...string) []string    { return append([]string{"systemctl"}, args...) }
func podmanBin() string                    { return "/usr/bin/podman" }
func requiresDir(root, name string) string { return unitPath(root, serviceName(name)+".requires") }

// unitFile is one unit's name and text.
type unitFile struct{ name, text string }

// containerUnits returns the units of a systemd-managed container: its
// service and, with a healthcheck (unless disabled), the healthcheck
// service and timer.
func containerUnits(c *model.Container, name, root string, healthDisabled bool) ([]unitFile, error) {
	py := func(key, def string) (string, error) {
		v, ok := c.Raw.Map.Get(key)
		if !ok {
			return def, nil
		}
		s, ok := pyStr(v, false)
		if !ok {
			return "", fmt.Errorf("container %q: %s must be a string or a number, not a %s", c.Name, key, value.KindOf(v))
		}
		return s, nil
	}
	restart, err := py("restart", "no")
	if err != nil {
		return nil, err
	}
	if restart == "unless-stopped" {
		restart = "always"
	}
	grace, err := py("stop_grace_period", "10")
	if err != nil {
		return nil, err
	}
	var b strings.Builder
	fmt.Fprintf(&b, "[Unit]\nDescription=%s container\nAfter=paunch-container-shutdown.service\n", name)
	if deps := c.Option("depends_on"); deps != nil {
		var wants []string
		if deps.Kind != value.List {
			return nil, fmt.Errorf("container %q: depends_on must be a list of container names, not a %s", c.Name, value.KindOf(deps))
		}
		for _, d := range deps.List {
			if d.Kind != value.String {
				return nil, fmt.Errorf("container %q: depends_on must hold container names, not %s", c.Name, show(d))
			}
			wants = append(wants, d.Str+".service")
		}
		if len(wants) > 0 {
			fmt.Fprintf(&b, "Wants=%s\n", strings.Join(wants, " "))
		}
	}
	fmt.Fprintf(&b, "[Service]\nRestart=%s\n", restart)
	fmt.Fprintf(&b, "ExecStart=%s start %s\n", podmanBin(), name)
	fmt.Fprintf(&b, "ExecReload=%s kill --signal HUP %s\n", podmanBin(), name)
	fmt.Fprintf(&b, "ExecStop=%s stop -t %s %s\n", podmanBin(), grace, name)
	fmt.Fprintf(&b, "ExecStopPost=%s stop -t %s %s\n", podmanBin(), grace, name)
	b.WriteString("SuccessExitStatus=137 142 143\nKillMode=none\nType=forking\n")
	fmt.Fprintf(&b, "PIDFile=%s\n", PidFile(root, name))
	if flags := c.Option("systemd_exec_flags"); flags != nil {
		if flags.Kind != value.Map {
			return nil, fmt.Errorf("container %q: systemd_exec_flags must be a mapping, not a %s", c.Name, value.KindOf(flags))
		}
		for _, e := range flags.Map.Entries() {
			v, ok := pyStr(e.Val, false)
			if !ok {
				return nil, fmt.Errorf("container %q: systemd_exec_flags values must be strings, not a %s", c.Name, value.KindOf(e.Val))
			}
			fmt.Fprintf(&b, "%s=%s\n", value.Str(e.Key), v)
		}
	}
	b.WriteString("[Install]\nWantedBy=multi-user.target\n")
	units := []unitFile{{serviceName(name), b.String()}}

	h := c.Option("healthcheck")
	if healthDisabled || h == nil || h.Kind != value.Map {
		return units, nil
	}
	t, ok := h.Map.Get("test")
	if !ok {
		return units, nil
	}
	test, ok := pyStr(t, false)
	if !ok {
		return nil, fmt.Errorf("container %q: healthcheck test must be a string, not a %s", c.Name, value.KindOf(t))
	}
	interval, err := py("check_interval", "60")
	if err != nil {
		return nil, err
	}
	delay := 45
	if n, err := strconv.ParseFloat(interval, 64); err == nil {
		delay = int(n) * 3 / 4
	}
	units = append(units,
		unitFile{healthService(name), fmt.Sprintf("[Unit]\nDescription=%s healthcheck\nAfter=paunch-container-shutdown.service %s\nRequisite=%s\n"+
			"[Service]\nType=oneshot\nExecStart=%s exec --user root %s %s\nSyslogIdentifier=healthcheck_%s\n"+
			"[Install]\nWantedBy=multi-user.target\n",
			name, serviceName(name), serviceName(name), podmanBin(), name, test, name)},
		unitFile{healthTimer(name), fmt.Sprintf("[Unit]\nDescription=%s container healthcheck\nPartOf=%s\n"+
			"[Timer]\nOnActiveSec=120\nOnUnitActiveSec=%s\nRandomizedDelaySec=%d\n"+
			"[Install]\nWantedBy=timers.target\n",
			name, serviceName(name), interval, delay)})
	return units, nil
}
