#!/bin/sh
# Measures hoist build at scale, side by side in one run (docs/perf.md,
# "Scale"): the queens tree with --allow-missing, 3 controllers, 5 block
# storage nodes and 100 or 1,000 computes. For each size, RUNS times
# alternating: the compile alone (--dump role-data) and the build with -o;
# prints wall time and peak memory (/usr/bin/time), and the tree's size on
# disk (du -s: hard links counted once) and its files.
#
# Each build writes a new folder, and the trees are deleted only after the
# last measurement: on ext4 without a journal (these machines' disks) the
# kernel skips the inodes freed in the last 60 seconds (360 while their
# table block is not written back) when it allocates new ones, so a build
# right after deleting a 1,000-node tree pays for scanning its 45,000
# inodes (docs/perf.md, "Scale"). For the same reason, run it when no large
# tree was deleted on the disk in the last minutes.
#
# Usage: bench/scale.sh HOIST [SHARED] [RUNS] [OUTDIR]
# OUTDIR (default: a temporary folder) is where the trees are written.
set -eu
hoist=$(realpath "$1")
shared=$(realpath "${2:-../shared}")
runs=${3:-3}
work=${4:-$(mktemp -d)}
mkdir -p "$work"
tht=$shared/corpus/tht-queens
run() { # label, command...
	label=$1
	shift
	/usr/bin/time -f "$label %e s %M KB" "$@" >/dev/null 2>"$work/err" || { cat "$work/err"; exit 1; }
	tail -1 "$work/err"
}
for i in $(seq "$runs"); do
	for computes in 100 1000; do
		nodes=$((computes + 8))
		counts="--count Controller=3 --count Compute=$computes --count BlockStorage=5"
		# shellcheck disable=SC2086
		run "dump nodes=$nodes" "$hoist" build --templates "$tht" --allow-missing $counts --dump role-data
		# shellcheck disable=SC2086
		run "build nodes=$nodes" "$hoist" build --templates "$tht" --allow-missing $counts -o "$work/run$i/out$nodes"
	done
done
for nodes in 108 1008; do
	echo "disk nodes=$nodes $(du -sk "$work/run$runs/out$nodes" | cut -f1) KB $(find "$work/run$runs/out$nodes" -type f | wc -l) files"
done
for i in $(seq "$runs"); do
	rm -rf "$work/run$i"
done
