// Package executor is hoist's thin executor: it applies one node's
// artifacts (the node folder `hoist build -o OUT` writes to
// OUT/nodes/<host>/) step by step with podman or docker, as TripleO's
// deploy steps did with paunch, docker-puppet.py and kolla.
//
// Executor.ApplyNode runs a node's steps in order: at step 1 it installs
// the folder's files under the node root, runs the config generation
// (docker-puppet.py's job, one container per config volume) and writes the
// startup configs with their config hashes; at every step it writes
// config_step.json, applies the step's startup config and runs the step's
// one-shot puppet tasks on the bootstrap node.
// Executor.Apply applies one startup config under a config id as `paunch
// apply` does: images pulled first, containers of the config id it no
// longer holds removed, the others created, recreated or left alone in
// start_order, their argv in the paunch dialect of the node's release
// (Dialect, held to paunch's own test vectors).
//
// Everything that touches the host goes through a Runner (real commands,
// or a recording fake in tests), and DryRun reports the commands that
// would change something instead of running them, writing no file. The
// folder's layout per release (queens' docker-puppet files, stein's
// container-puppet ones, train's per-container startup configs) is read
// by OpenNode.
package executor
