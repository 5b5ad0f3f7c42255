package executor

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
)

// snapshot is what one apply of a startup config knows of the runtime,
// asked at most twice (paunch-kolla.md §3.1 asked more): every container
// with its labels, from one `ps`, and the containers the apply may keep
// and the images it needs, from one `inspect` of them all.
type snapshot struct {
	// listed is false when ps could not be asked (no runtime in a dry run,
	// or an error): discovery then asks per name.
	listed bool
	ps     []psLine
	// inspected is true when the one inspect answered for every name:
	// containers and imageIDs are then complete, and nothing is asked per
	// container or image. Otherwise they hold what it found, and the
	// apply asks about the rest.
	inspected  bool
	containers map[string]*inspected
	imageIDs   map[string]string
}

// psLine is one container of the listing.
type psLine struct{ name, managedBy, configID, containerName string }

// psArgv lists every container with the labels apply reads, one per line,
// tab-separated.
func (rt Runtime) psArgv() []string {
	return []string{string(rt), "ps", "-a", "--format",
		"{{.Names}}\t" + rt.labelFormat("managed_by") + "\t" + rt.labelFormat("config_id") + "\t" + rt.labelFormat("container_name")}
}

// inspectAllArgv inspects containers and images in one call.
func (rt Runtime) inspectAllArgv(names []string) []string {
	return append([]string{string(rt), "inspect"}, names...)
}

func parsePS(out []byte) []psLine {
	var res []psLine
	for _, l := range strings.Split(string(out), "\n") {
		f := strings.Split(l, "\t")
		if len(f) != 4 || f[0] == "" {
			continue
		}
		for i := range f {
			if f[i] == "<no value>" {
				f[i] = ""
			}
		}
		res = append(res, psLine{f[0], f[1], f[2], f[3]})
	}
	return res
}

// list asks the runtime for its containers once.
func (x *Executor) list(ctx context.Context) (*snapshot, error) {
	s := &snapshot{}
	res, ok, err := x.query(ctx, x.Runtime.psArgv())
	if err != nil {
		return nil, err
	}
	if ok && res.ExitCode == 0 {
		s.listed, s.ps = true, parsePS(res.Stdout)
	}
	return s, nil
}

// names are the containers of configID managed by managedBy, as
// "<name> <container_name label>".
func (s *snapshot) names(managedBy, configID string) []nameLabel {
	var out []nameLabel
	for _, l := range s.ps {
		if l.managedBy == managedBy && l.configID == configID {
			out = append(out, nameLabel{l.name, l.containerName})
		}
	}
	return out
}

// discover returns the name of the container labelled label in configID,
// or in any config, or "".
func (s *snapshot) discover(label, configID string) string {
	for _, anyConfig := range []bool{false, true} {
		for _, l := range s.ps {
			if l.containerName == label && (anyConfig || l.configID == configID) {
				return l.name
			}
		}
	}
	return ""
}

// created and removed keep the listing true to what the apply did.
func (s *snapshot) created(name, managedBy, configID, label string) {
	s.removed(name)
	s.ps = append(s.ps, psLine{name, managedBy, configID, label})
}

func (s *snapshot) removed(name string) {
	var keep []psLine
	for _, l := range s.ps {
		if l.name != name {
			keep = append(keep, l)
		}
	}
	s.ps = keep
}

// inspectAll asks, in one call, for the containers the apply may keep and
// the images it needs. When the runtime answers for every name (the
// answer is then in the order asked), the snapshot is complete. When it
// does not (an image to pull, a container gone meanwhile), what it found
// is kept (containers by name, images by their tags) and the apply asks
// only about the rest, one by one.
func (x *Executor) inspectAll(ctx context.Context, s *snapshot, containers, images []string) error {
	s.containers, s.imageIDs = map[string]*inspected{}, map[string]string{}
	names := append(append([]string(nil), containers...), images...)
	if len(names) == 0 {
		s.inspected = true
		return nil
	}
	res, ok, err := x.query(ctx, x.Runtime.inspectAllArgv(names))
	if err != nil || !ok {
		return err
	}
	var all []struct {
		inspected
		ID       string `json:"Id"`
		RepoTags []string
		State    *struct {
			Running bool
			Status  string
		}
	}
	if json.Unmarshal(res.Stdout, &all) != nil {
		return nil
	}
	inOrder := res.ExitCode == 0 && len(all) == len(names)
	for i, o := range all {
		if o.State != nil {
			c := o.inspected
			c.Name = strings.TrimPrefix(c.Name, "/")
			c.State.Running, c.State.Status = o.State.Running, o.State.Status
			if inOrder && i < len(containers) {
				s.containers[containers[i]] = &c
			} else if slices.Contains(containers, c.Name) {
				s.containers[c.Name] = &c
			}
			continue
		}
		if inOrder && i >= len(containers) {
			s.imageIDs[images[i-len(containers)]] = o.ID
			continue
		}
		for _, img := range images {
			if slices.ContainsFunc(o.RepoTags, func(t string) bool { return sameImage(t, img) }) {
				s.imageIDs[img] = o.ID
			}
		}
	}
	s.inspected = inOrder
	return nil
}

// sameImage tells whether a tag the runtime lists names the image a
// startup config names: the same, or the same once the runtime's defaults
// are written out (docker.io, library/, :latest; podman's localhost/).
func sameImage(tag, name string) bool {
	norm := func(s string) string {
		s = strings.TrimPrefix(s, "localhost/")
		s = strings.TrimPrefix(s, "docker.io/")
		s = strings.TrimPrefix(s, "library/")
		if i := strings.LastIndex(s, "/"); !strings.Contains(s[i+1:], ":") && !strings.Contains(s, "@") {
			s += ":latest"
		}
		return s
	}
	return tag == name || norm(tag) == norm(name)
}
