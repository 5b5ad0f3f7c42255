#!/bin/sh
# Measures, side by side in one run, THT's own tools/yaml-validate.py and
# hoist lint on the queens tree (docs/perf.md, "The gate"): each command
# RUNS times, alternating, with /usr/bin/time; prints wall and user CPU.
#
# Usage: bench/gate.sh HOIST [SHARED] [RUNS]
# HOIST is the hoist binary; SHARED the shared folder (default ../shared).
# With BEFORE=BINARY in the environment, that hoist's lint (an older build,
# the literal lint before the gate issue) is measured beside them.
# queens' own tools/ are placeholders in the corpus, so rocky's
# yaml-validate.py (the nearest branch's) runs on the rendered queens tree
# (process-templates output: what tox checks after rendering).
set -eu
hoist=$(realpath "$1")
shared=$(realpath "${2:-../shared}")
runs=${3:-5}
here=$(dirname "$(realpath "$0")")
queens=$shared/corpus/tht-queens
rendered=$shared/corpus/tht-queens-rendered
script=$shared/corpus/tht-rocky/tools/yaml-validate.py
cache=$(mktemp -d)
copy=$(mktemp -d)
trap 'rm -rf "$cache" "$copy"' EXIT
cp -r "$queens/." "$copy/"
# Stamps are recorded for files older than 2 s (lint/stamp.go): let the
# copy settle, as a checkout does long before it is linted.
sleep 3
measure() { # label, dir, command...
	label=$1 dir=$2
	shift 2
	( cd "$dir" && /usr/bin/time -a -o "$cache/times" -f "$label	%e	%U" "$@" >/dev/null 2>&1 ) || true
}
: >"$cache/times"
i=0
while [ "$i" -lt "$runs" ]; do
	measure "yaml-validate.py (rocky's, rendered queens)" "$rendered" /usr/bin/python3 "$here/yaml_validate.py" "$script"
	measure "hoist lint --no-cache (default: evaluate, render)" "$queens" "$hoist" lint --no-cache .
	measure "hoist lint --no-cache --no-evaluate" "$queens" "$hoist" lint --no-cache --no-evaluate .
	if [ -n "${BEFORE:-}" ]; then
		measure "BEFORE: hoist lint --no-cache" "$queens" "$BEFORE" lint --no-cache .
	fi
	rm -rf "$cache/c"
	(cd "$copy" && HOIST_CACHE_DIR="$cache/c" "$hoist" lint . >/dev/null 2>&1) || true
	measure "hoist lint, warm cache" "$copy" env HOIST_CACHE_DIR="$cache/c" "$hoist" lint .
	echo "# $i" >>"$copy/docker/services/keystone.yaml"
	measure "hoist lint, warm cache, one file changed" "$copy" env HOIST_CACHE_DIR="$cache/c" "$hoist" lint .
	sleep 3
	i=$((i + 1))
done
awk -F"\t" 'NF==3 { n[$1]++; w[$1]=w[$1]" "$2; u[$1]=u[$1]" "$3 } END { for (k in n) printf "%s | wall:%s | user:%s\n", k, w[k], u[k] }' "$cache/times" | sort
