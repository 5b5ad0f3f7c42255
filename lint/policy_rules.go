package lint

import (
	"crypto/sha256"
	"encoding/hex"
	"os"

	"hoist/config"
	"hoist/diag"
	"hoist/policy"
	"hoist/schema"
	"hoist/source"
)

// A project's policies (package policy: the *.cue files of the folder
// hoist.hcl's lint block names) are rules too, policy/<name>, added to the
// registry's by Configure. Each checks the files whose kind it constrains
// (templates, environments, roles and network data, as schema.Detect
// recognises them) and the role_data of every service, as written or, with
// --evaluate, evaluated. They are on in every preset; a rule block
// configures them like any rule (enabled, severity).

// policyRule is one policy as a rule.
type policyRule struct {
	p *policy.Policy
	// fingerprint is the hash of the policy's source, for cache keys.
	fingerprint string
}

func (r *policyRule) Meta() Meta {
	summary := r.p.Summary
	if summary == "" {
		summary = "the project's policy " + r.p.File
	}
	return Meta{ID: r.p.ID(), Severity: diag.Error, Presets: recommended, Summary: summary}
}

// Fingerprint identifies the policy's content in the settings' cache key.
func (r *policyRule) Fingerprint() string { return r.fingerprint }

func (r *policyRule) CheckFile(f *File, rep *Reporter) {
	if f.Doc == nil {
		return
	}
	k, ok := schema.Detect(f.Path, f.Doc.Root)
	if !ok {
		return
	}
	raw := false
	switch k {
	case schema.Template, schema.ServiceTemplate, schema.RoleTemplate:
		k, raw = schema.Template, true
	}
	r.report(r.p.Check(k, f.Doc.Root, raw, nil), f.Path, rep)
}

func (r *policyRule) CheckService(s *Service, rep *Reporter) {
	r.report(r.p.Check(schema.RoleData, s.RoleData, !s.Evaluated, s.Path), s.File.Path, rep)
}

// report reports the policy's findings on the data of file; a finding
// at a value written in another file (an environment's parameter, in
// evaluated role data) names the file whose data holds it.
func (r *policyRule) report(ds []*diag.Diagnostic, file string, rep *Reporter) {
	for _, d := range ds {
		rel := d.Related
		if d.Range.File != file {
			rel = append(rel, diag.Related{Range: source.Range{File: file, Start: source.Pos{Line: 1, Col: 1}},
				Message: "the value is in the evaluated role data of this service"})
		}
		rep.Report(d.Range, nil, d.Message, rel...)
		out := rep.Diagnostics()
		out[len(out)-1].Path = d.Path
	}
}

// PolicyRules compiles the policies of cfg's lint block (none without a
// policies attribute). An error in a policy file is a *diag.Diagnostic at
// its position.
func PolicyRules(cfg *config.File) ([]Rule, error) {
	dir := cfg.PoliciesDir()
	if dir == "" {
		return nil, nil
	}
	ps, err := policy.LoadDir(dir)
	if err != nil {
		return nil, err
	}
	out := make([]Rule, 0, len(ps))
	for _, p := range ps {
		src, _ := os.ReadFile(p.File)
		h := sha256.Sum256(src)
		out = append(out, &policyRule{p: p, fingerprint: p.File + "@" + hex.EncodeToString(h[:8])})
	}
	return out, nil
}
