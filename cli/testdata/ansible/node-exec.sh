#!/bin/sh
# node-exec.sh ROOT COMMAND ARGS...
# What `chroot ROOT COMMAND...` does, for cli's Ansible test (its
# ansible_chroot_exe), run inside in-nodes.sh's namespace: COMMAND runs in
# a mount namespace of its own whose root is ROOT (pivot_root), not in a
# chroot of this machine's namespace. The difference matters to podman:
# runc enters a running container (podman exec) by joining its mount
# namespace, whose root would be this machine's / under a chroot, so the
# command would not be found in the container.
set -eu
root=$1
shift
exec unshare --mount --propagation private /bin/sh -c '
set -e
cd "$1"
mkdir -p .old-root
pivot_root . .old-root
cd /
umount -l /.old-root
shift
exec "$@"' node-exec "$root" "$@"
