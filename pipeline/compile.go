package pipeline

import (
	"net/netip"
	"strconv"
	"strings"

	"hoist/compiler/deploy"
	"hoist/config"
	"hoist/diag"
	"hoist/release"
	"hoist/source"
)

// DeployFlags are the values of the command-line flags that describe a
// deployment's inputs (hoist build, plan and params): an empty string or
// list is a flag not given.
type DeployFlags struct {
	// Deployment names the deployment block of hoist.hcl (--deployment).
	Deployment string
	// Templates, Release, RolesFile and NetworkFile replace the block's
	// (--templates, --release, -r, -n).
	Templates, Release, RolesFile, NetworkFile string
	// Environments come after the block's (-e).
	Environments []string
	// Counts are Role=N (--count); one replaces the block's count of the
	// role.
	Counts []string
	// CtlplaneSubnets are CIDRs (--ctlplane-subnet); given, they replace
	// the block's.
	CtlplaneSubnets []string
	// StackName replaces the block's name (--stack-name).
	StackName string
	// AllowMissing compiles parameters without a value as unknowns.
	AllowMissing bool
	// Aggregation is how each role's services are merged: auto (also
	// when empty), native or template (--aggregation).
	Aggregation string
}

// LoadConfig loads the hoist.hcl at path or, when path is empty, the one
// found from the current folder up (config.Find); none found is a nil
// file and no error. version is hoist's, for the file's required_version.
func LoadConfig(path, version string) (*config.File, error) {
	if path == "" {
		found, err := config.Find(".")
		if err != nil || found == "" {
			return nil, err
		}
		path = found
	}
	return config.Load(path, version)
}

// Inputs returns the compiler's inputs that a deployment block of cfg
// (nil: no hoist.hcl) and the flag values f describe, the flags taking
// precedence: the block is f.Deployment, or the file's only one (none
// when it has several and f.Templates is given); its inputs are
// DeployInputs'; then the flags replace or extend them. A mistake in the
// flags, or a deployment that cannot be chosen, is a UsageError; no
// templates at all is one too.
func Inputs(cfg *config.File, f DeployFlags) (deploy.Inputs, error) {
	var in deploy.Inputs
	if cfg != nil && len(cfg.Deployments) > 0 {
		var dep *config.Deployment
		names := make([]string, len(cfg.Deployments))
		for i, d := range cfg.Deployments {
			names[i] = d.Name
		}
		switch {
		case f.Deployment != "":
			d, ok := cfg.Deployment(f.Deployment)
			if !ok {
				return in, usagef("%s has no deployment %q; it has %s", cfg.Path, f.Deployment, diag.QuoteList(names))
			}
			dep = d
		case len(cfg.Deployments) == 1:
			dep = cfg.Deployments[0]
		case f.Templates == "":
			return in, usagef("%s has %d deployments (%s): choose one with --deployment", cfg.Path, len(names), strings.Join(names, ", "))
		}
		if dep != nil {
			in = DeployInputs(dep)
		}
	} else if f.Deployment != "" {
		return in, usagef("--deployment %q: no hoist.hcl with deployment blocks was found", f.Deployment)
	}
	cl := source.Range{File: "<command line>"}
	if f.Templates != "" {
		in.Templates = deploy.Path{Path: f.Templates, At: cl}
	}
	if f.Release != "" {
		if _, ok := release.Lookup(f.Release); !ok {
			return in, usagef("unknown --release %q: expected %s", f.Release, diag.QuoteList(release.Names()))
		}
		in.Release = deploy.Path{Path: f.Release, At: cl}
	}
	if f.RolesFile != "" {
		in.RolesFile = deploy.Path{Path: f.RolesFile, At: cl}
	}
	if f.NetworkFile != "" {
		in.NetworkFile = deploy.Path{Path: f.NetworkFile, At: cl}
	}
	for _, e := range f.Environments {
		in.Environments = append(in.Environments, deploy.Path{Path: e, At: cl})
	}
	for _, c := range f.Counts {
		role, count, err := parseCount(c)
		if err != nil {
			return in, err
		}
		replaced := false
		for i := range in.Counts {
			if in.Counts[i].Role == role {
				in.Counts[i] = deploy.Count{Role: role, N: count, At: cl}
				replaced = true
			}
		}
		if !replaced {
			in.Counts = append(in.Counts, deploy.Count{Role: role, N: count, At: cl})
		}
	}
	if f.StackName != "" {
		in.Name = f.StackName
	}
	if len(f.CtlplaneSubnets) > 0 {
		in.CtlplaneSubnets = nil
		for _, c := range f.CtlplaneSubnets {
			p, err := netip.ParsePrefix(c)
			if err != nil {
				return in, usagef("--ctlplane-subnet %q: expected a CIDR such as 192.168.24.0/24", c)
			}
			in.CtlplaneSubnets = append(in.CtlplaneSubnets, p.Masked().String())
		}
	}
	in.AllowMissing = f.AllowMissing
	if in.Templates.Path == "" {
		return in, usagef("no templates: give --templates DIR, or a deployment block with templates in hoist.hcl")
	}
	return in, nil
}

// parseCount reads a --count value, Role=N.
func parseCount(c string) (string, int, error) {
	role, n, ok := strings.Cut(c, "=")
	count, err := strconv.Atoi(n)
	if !ok || role == "" || err != nil || count < 0 {
		return "", 0, usagef("--count %q: expected Role=N with N a number of nodes (0 or more)", c)
	}
	return role, count, nil
}

// aggregations are the values of DeployFlags.Aggregation.
var aggregations = map[string]deploy.Aggregation{"": deploy.Auto, "auto": deploy.Auto, "native": deploy.Native, "template": deploy.Template}

// Compile compiles the deployment that cfg and f describe (Inputs), with
// the options o and f's aggregation. Its errors are Inputs' usage errors,
// an unknown aggregation (a UsageError too), and the compiler's
// diagnostics, whose files o.Sources (when set) holds for snippets.
func Compile(cfg *config.File, f DeployFlags, o deploy.Options) (*deploy.Deployment, error) {
	in, err := Inputs(cfg, f)
	if err != nil {
		return nil, err
	}
	how, ok := aggregations[f.Aggregation]
	if !ok {
		return nil, usagef("unknown --aggregation %q: expected %s", f.Aggregation, diag.QuoteList([]string{"auto", "native", "template"}))
	}
	o.Aggregation = how
	return deploy.Compile(in, o)
}
