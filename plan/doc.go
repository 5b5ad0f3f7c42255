// Package plan turns a deployment (model.Deployment) into the ordered
// operations of a TripleO deployment, per role and per step (tht.md
// §6.4), and computes what the checks of the plan/ lint rules and the
// per-node artifacts of package emit need: the nodes of each role, their
// hostnames and bootstrap node, and every container (model.Container) in
// paunch's order with what it depends on.
package plan
