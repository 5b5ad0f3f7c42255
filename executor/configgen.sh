#!/bin/sh
# hoist config generation, run inside a service's config image (as the
# entrypoint of a docker-puppet-<volume> container). It applies the
# volume's puppet manifest (/etc/config.pp) with the volume's tags and,
# unless NO_ARCHIVE is set, archives the files puppet wrote:
#   /var/lib/config-data/$NAME                  the whole configuration
#   /var/lib/config-data/puppet-generated/$NAME the files this run wrote
#   /var/lib/config-data/$NAME.md5sum and
#   /var/lib/config-data/puppet-generated/$NAME.md5sum, content hashes the
#   executor turns into TRIPLEO_CONFIG_HASH.
# Environment: NAME, PUPPET_TAGS, STEP, HOSTNAME, NO_ARCHIVE.
# Written for POSIX sh: it runs in any image with sh, cp, find, sort, sed,
# md5sum and puppet.
set -eu

: "${NAME:?NAME is not set}"
data=/var/lib/config-data

# The node's hieradata, plus the step docker-puppet.py set for config runs.
mkdir -p /etc/puppet
cp -a /tmp/puppet-etc/. /etc/puppet/
rm -rf /etc/puppet/ssl
mkdir -p /etc/puppet/hieradata
printf '{"step": %s}\n' "${STEP:-6}" > /etc/puppet/hieradata/docker_puppet.json

origin="$data/$NAME.origin_of_time"
mkdir -p "$data"
touch "$origin"
sync
sleep 1

rc=0
FACTER_hostname="${HOSTNAME:-}" FACTER_uuid=docker FACTER_deployment_type=containers \
	puppet apply --verbose --detailed-exitcodes --color=false --logdest console \
	--tags "${PUPPET_TAGS:-}" /etc/config.pp || rc=$?
# --detailed-exitcodes: 2 means "changes applied", which is success.
if [ "$rc" -ne 0 ] && [ "$rc" -ne 2 ]; then
	echo "puppet apply failed with exit code $rc" >&2
	exit "$rc"
fi

if [ -n "${NO_ARCHIVE:-}" ]; then
	exit 0
fi

# The trees a service's configuration lives in.
srcs=""
for d in /etc /root /opt /var/lib/ironic/tftpboot /var/lib/ironic/httpboot /var/www /var/spool/cron /var/lib/nova/.ssh; do
	[ -d "$d" ] && srcs="$srcs $d"
done

# Files bind-mounted read-only from the host are not configuration.
drop_host_files() {
	rm -rf "$1/etc/hosts" "$1/etc/localtime" "$1/etc/pki/ca-trust/extracted" \
		"$1/etc/pki/tls/certs/ca-bundle.crt" "$1/etc/pki/tls/certs/ca-bundle.trust.crt" \
		"$1/etc/pki/tls/cert.pem" "$1/etc/config.pp"
}

# Build each archive beside its final place and swap it in, so a reader
# never sees half of one and files puppet no longer writes disappear.
stage="$data/.$NAME.new"
rm -rf "$stage"
mkdir -p "$stage"
for d in $srcs; do
	mkdir -p "$stage$d"
	cp -a "$d/." "$stage$d/"
done
drop_host_files "$stage"

gen="$data/puppet-generated"
gstage="$gen/.$NAME.new"
rm -rf "$gstage"
mkdir -p "$gstage"
for d in $srcs; do
	find "$d" -newer "$origin" ! -type d ! -path '/etc/puppet/*' | while IFS= read -r f; do
		mkdir -p "$gstage$(dirname "$f")"
		cp -a "$f" "$gstage$f"
	done
done
drop_host_files "$gstage"

# Containers bind-mount these folders: update them in place (same
# folder, files rewritten, stale entries deleted) rather than replacing
# them, or running containers would keep seeing the old, deleted folder.
kind() {
	if [ -d "$1" ] && [ ! -L "$1" ]; then echo dir; else echo file; fi
}
sync_into() {
	mkdir -p "$2"
	(cd "$2" && find . -depth ! -name .) | while IFS= read -r f; do
		if [ ! -e "$1/$f" ] && [ ! -L "$1/$f" ]; then
			rm -rf "$2/$f"
		elif [ -L "$2/$f" ] || [ "$(kind "$1/$f")" != "$(kind "$2/$f")" ]; then
			rm -rf "$2/$f" # cp does not replace links, nor files by folders
		fi
	done
	cp -a "$1/." "$2/"
	rm -rf "$1"
}
sync_into "$stage" "$data/$NAME"
sync_into "$gstage" "$gen/$NAME"

# A content hash of a tree: its paths, modes and owners and file contents,
# without the lines puppet stamps with the time ("# HEADER: ..."), and
# without swift rings and their backups, which change on every run.
tree_hash() {
	(
		cd "$1"
		find . ! -type d | LC_ALL=C sort | while IFS= read -r f; do
			case "$f" in
			*.ring.gz | *.builder | */backups/* | */libvirt/passwd.db) continue ;;
			esac
			printf '%s %s\n' "$f" "$(stat -c '%a %u %g' "$f")"
			if [ -L "$f" ]; then
				readlink "$f"
			else
				sed '/^#.*HEADER.*/d' "$f"
			fi
		done
	) | md5sum | cut -d' ' -f1
}

tree_hash "$data/$NAME" > "$data/$NAME.md5sum"
tree_hash "$gen/$NAME" > "$gen/$NAME.md5sum"
