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
// and the images it needs, from one `inspect` of the containers the
// listing did not describe and one listing of the images.
type snapshot struct {
	// listed is false when ps could not be asked (no runtime in a dry run,
	// or an error): discovery then asks per name.
	listed bool
	ps     []psLine
	// inspected is true when the runtime answered for every container and
	// image asked: containers and imageIDs are then complete, and nothing
	// is asked per container or image. Otherwise they hold what it found,
	// and the apply asks about the rest.
	inspected  bool
	containers map[string]*inspected
	imageIDs   map[string]string
	// imagesListed is true when the runtime listed its images: an image
	// named in full (registry and tag) that the listing lacks is absent,
	// with no need to ask about it again.
	imagesListed bool
}

// psLine is one container of the listing. podman's listing also gives
// what apply compares (the image id and the config_data label), so that
// a container it lists need not be inspected; docker's ps has no image
// id, and those two are "".
type psLine struct{ name, managedBy, configID, containerName, imageID, configData string }

// psArgv lists every container with the labels apply reads, one per line,
// tab-separated (a label's JSON cannot hold a tab or a newline).
func (rt Runtime) psArgv() []string {
	format := "{{.Names}}\t" + rt.labelFormat("managed_by") + "\t" + rt.labelFormat("config_id") + "\t" + rt.labelFormat("container_name")
	if rt == Podman {
		return []string{string(rt), "ps", "-a", "--no-trunc", "--format", format + "\t{{.ImageID}}\t" + rt.labelFormat("config_data")}
	}
	return []string{string(rt), "ps", "-a", "--format", format}
}

// inspectAllArgv inspects containers in one call.
func (rt Runtime) inspectAllArgv(names []string) []string {
	return append([]string{string(rt), "inspect", "--type", "container"}, names...)
}

// imagesArgv lists every image with its id and name, tab-separated.
func (rt Runtime) imagesArgv() []string {
	return []string{string(rt), "images", "--no-trunc", "--format", "{{.ID}}\t{{.Repository}}:{{.Tag}}"}
}

func parsePS(out []byte) []psLine {
	var res []psLine
	for _, l := range strings.Split(string(out), "\n") {
		f := strings.SplitN(l, "\t", 6)
		if len(f) != 4 && len(f) != 6 || f[0] == "" {
			continue
		}
		for i := range f {
			if f[i] == "<no value>" {
				f[i] = ""
			}
		}
		pl := psLine{name: f[0], managedBy: f[1], configID: f[2], containerName: f[3]}
		if len(f) == 6 {
			pl.imageID, pl.configData = f[4], f[5]
		}
		res = append(res, pl)
	}
	return res
}

// described is the container as the listing describes it, when the
// listing says all that apply compares.
func (s *snapshot) described(name string) *inspected {
	for _, l := range s.ps {
		if l.name != name {
			continue
		}
		if l.imageID == "" || l.configData == "" {
			return nil
		}
		c := &inspected{Name: name, Image: l.imageID}
		c.Config.Labels = map[string]string{"managed_by": l.managedBy, "config_id": l.configID,
			"container_name": l.containerName, "config_data": l.configData}
		return c
	}
	return nil
}

// seen is what the runtime answered, kept as long as nothing can have
// changed it: for the whole of a dry run, which changes nothing, and in a
// real run until hoist's next command that changes something (mutate
// forgets it). It holds the listing and every container and image found;
// a name not found is asked again.
type seen struct {
	listed     bool
	ps         []psLine
	containers map[string]*inspected
	imageIDs   map[string]string
	// imagesListed says the runtime listed its images, images.
	imagesListed bool
	images       []imageTag
}

// imageTag is one line of the images listing.
type imageTag struct{ id, tag string }

// known returns what is seen (creating it), under x.mu.
func (x *Executor) known() *seen {
	if x.seen == nil {
		x.seen = &seen{containers: map[string]*inspected{}, imageIDs: map[string]string{}}
	}
	return x.seen
}

// forget drops what was seen: the runtime has changed.
func (x *Executor) forget() {
	x.mu.Lock()
	x.seen = nil
	x.mu.Unlock()
}

// list returns the runtime's containers: from what was seen, or from one
// ps. The snapshot is the caller's own copy.
func (x *Executor) list(ctx context.Context) (*snapshot, error) {
	x.mu.Lock()
	if k := x.known(); k.listed {
		s := &snapshot{listed: true, ps: slices.Clone(k.ps)}
		x.mu.Unlock()
		return s, nil
	}
	x.mu.Unlock()
	s := &snapshot{}
	res, ok, err := x.query(ctx, x.Runtime.psArgv())
	if err != nil {
		return nil, err
	}
	if ok && res.ExitCode == 0 {
		s.listed, s.ps = true, parsePS(res.Stdout)
		x.mu.Lock()
		k := x.known()
		k.listed, k.ps = true, slices.Clone(s.ps)
		x.mu.Unlock()
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
	s.ps = append(s.ps, psLine{name: name, managedBy: managedBy, configID: configID, containerName: label})
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

// inspectAll finds the containers the apply may keep and the images it
// needs, but for those already seen: the containers from the listing
// where it says enough (podman), else from one inspect of them all; the
// images from one listing of the images. When the runtime answers for
// every name, the snapshot is complete. When it does not (an image to
// pull, a container gone meanwhile), what it found is kept and the apply
// asks only about the rest, one by one.
func (x *Executor) inspectAll(ctx context.Context, s *snapshot, containers, images []string) error {
	s.containers, s.imageIDs = map[string]*inspected{}, map[string]string{}
	var askC, askI []string
	x.mu.Lock()
	k := x.known()
	for _, c := range containers {
		if info := k.containers[c]; info != nil {
			s.containers[c] = info
		} else if info := s.described(c); info != nil {
			s.containers[c] = info
		} else if !slices.Contains(askC, c) {
			askC = append(askC, c)
		}
	}
	for _, img := range images {
		if id := k.imageIDs[img]; id != "" {
			s.imageIDs[img] = id
		} else if !slices.Contains(askI, img) {
			askI = append(askI, img)
		}
	}
	s.imagesListed = k.imagesListed
	x.mu.Unlock()
	complete := true
	if len(askC) > 0 {
		found, err := x.inspectContainers(ctx, askC)
		if err != nil {
			return err
		}
		for name, info := range found {
			s.containers[name] = info
		}
		complete = len(found) == len(askC)
	}
	if len(askI) > 0 {
		found, listed, err := x.findImages(ctx, askI)
		if err != nil {
			return err
		}
		for img, id := range found {
			s.imageIDs[img] = id
		}
		s.imagesListed = listed
		complete = complete && len(found) == len(askI)
	}
	s.inspected = complete
	x.mu.Lock()
	k = x.known()
	for name, info := range s.containers {
		k.containers[name] = info
	}
	for img, id := range s.imageIDs {
		k.imageIDs[img] = id
	}
	x.mu.Unlock()
	return nil
}

// inspectContainers inspects containers in one call and returns those
// the runtime knows, by the name asked.
func (x *Executor) inspectContainers(ctx context.Context, names []string) (map[string]*inspected, error) {
	found := map[string]*inspected{}
	res, ok, err := x.query(ctx, x.Runtime.inspectAllArgv(names))
	if err != nil || !ok {
		return found, err
	}
	var all []inspected
	if json.Unmarshal(res.Stdout, &all) != nil {
		return found, nil
	}
	inOrder := res.ExitCode == 0 && len(all) == len(names)
	for i := range all {
		c := &all[i]
		c.Name = strings.TrimPrefix(c.Name, "/")
		if inOrder {
			found[names[i]] = c
		} else if slices.Contains(names, c.Name) {
			found[c.Name] = c
		}
	}
	return found, nil
}

// findImages returns the ids of the images asked that the runtime has
// (names compared as sameImage does), from its listing of its images:
// the one already seen, or one asked now. listed says whether the
// runtime gave its listing.
func (x *Executor) findImages(ctx context.Context, images []string) (found map[string]string, listed bool, err error) {
	found = map[string]string{}
	x.mu.Lock()
	k := x.known()
	listed, all := k.imagesListed, k.images
	x.mu.Unlock()
	if !listed {
		res, ok, err := x.query(ctx, x.Runtime.imagesArgv())
		if err != nil || !ok || res.ExitCode != 0 {
			return found, false, err
		}
		for _, l := range strings.Split(string(res.Stdout), "\n") {
			id, tag, ok := strings.Cut(strings.TrimSpace(l), "\t")
			if ok && !strings.Contains(tag, "<none>") {
				all = append(all, imageTag{id, tag})
			}
		}
		listed = true
		x.mu.Lock()
		k = x.known()
		k.imagesListed, k.images = true, all
		x.mu.Unlock()
	}
	for _, it := range all {
		for _, img := range images {
			if found[img] == "" && sameImage(it.tag, img) {
				found[img] = it.id
			}
		}
	}
	return found, listed, nil
}

// fullyNamed tells whether an image is named with its registry and a tag
// (not a digest): a name the runtime does not resolve through search
// registries, which its images listing shows as written.
func fullyNamed(img string) bool {
	if strings.Contains(img, "@") {
		return false
	}
	first, rest, ok := strings.Cut(img, "/")
	if !ok || !(strings.ContainsAny(first, ".:") || first == "localhost") {
		return false
	}
	return strings.Contains(rest[strings.LastIndex(rest, "/")+1:], ":")
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
