# The example deployment of hoist: `hoist build` compiles it, `hoist lint`
# checks it, `hoist plan` shows what each node runs, step by step.

lint {
  preset     = "recommended"
  fail_level = "warning"
  # The service rules also run on each service's role data as evaluated
  # with these environments (images and passwords filled in).
  evaluate     = true
  environments = ["environments/images.jsonnet", "environments/passwords.yaml", "environments/site.yaml"]
  # The project's own rules, in CUE: policy/privileged and
  # policy/trusted-registry.
  policies = "policies"
}

deployment "overcloud" {
  templates    = "."
  environments = ["environments/images.jsonnet", "environments/passwords.yaml", "environments/site.yaml"]
  role "Controller" { count = 1 }
  role "Compute"    { count = 2 }
}
