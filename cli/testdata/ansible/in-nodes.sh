#!/bin/sh
# in-nodes.sh ROOT... -- COMMAND ARGS...
# Run under `unshare --mount --propagation private` by cli's Ansible test:
# gives each simulated node's root folder the machine's /usr (an overlay:
# what the node writes there stays in ROOT.usr/), /proc and /sys, and a /dev of its own (a tmpfs with the machine's
# device nodes bound in, pts, shm (the node's /run/shm) and the syslog socket's place
# /dev/log, which the example's containers mount), so that `chroot ROOT`
# is a node with its own filesystem (its own /etc, /var, /run and podman
# store) running this machine's programs; then runs COMMAND. The mounts
# vanish with the namespace when COMMAND ends (the containers keep what
# they mounted).
#
# Each root is bind-mounted on itself first: a chroot's / must be a mount
# point for podman's layer extraction.
set -eu
while [ $# -gt 0 ] && [ "$1" != "--" ]; do
	root=$1
	shift
	mount --bind "$root" "$root"
	for d in usr proc sys dev; do
		mkdir -p "$root/$d"
	done
	# The node's /usr: this machine's, with the node's changes (hoist in
	# /usr/local/bin, /usr/lib/modules) in ROOT.usr/upper beside it.
	mkdir -p "$root.usr/upper" "$root.usr/work"
	mount -t overlay overlay -o "lowerdir=/usr,upperdir=$root.usr/upper,workdir=$root.usr/work" "$root/usr"
	mount --rbind /proc "$root/proc"
	mount --rbind /sys "$root/sys"
	mount -t tmpfs -o mode=0755,nosuid tmpfs "$root/dev"
	for n in null zero full random urandom tty; do
		touch "$root/dev/$n"
		mount --bind "/dev/$n" "$root/dev/$n"
	done
	mkdir -p "$root/dev/pts" "$root/dev/shm" "$root/dev/mqueue"
	mount --rbind /dev/pts "$root/dev/pts"
	ln -s pts/ptmx "$root/dev/ptmx"
	# podman's locks live in /dev/shm and must outlive the namespace, as
	# the containers and podman's database that number them do.
	mkdir -p "$root/run/shm"
	chmod 1777 "$root/run/shm"
	mount --bind "$root/run/shm" "$root/dev/shm"
	ln -s /proc/self/fd "$root/dev/fd"
	ln -s /proc/self/fd/0 "$root/dev/stdin"
	ln -s /proc/self/fd/1 "$root/dev/stdout"
	ln -s /proc/self/fd/2 "$root/dev/stderr"
	touch "$root/dev/log"
done
[ $# -gt 0 ] && shift
exec "$@"
