#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# `make bench-build`: how long `hotpatch-build build` takes for a one-file
# fix (tests/realpatches/sethostname.patch, kernel/sys.c) on this machine:
#   cold  an empty --cache in a temporary directory: unpack linux-source,
#         olddefconfig + prepare, compile the file original and patched,
#         diff, module
#   warm  the same build again (the prepared tree and the original object
#         cached): RUNS times
# Wall seconds and CPU seconds (user + sys of the build and every process
# it waited for: less sensitive to the machine's other load than wall
# time). The table goes into docs/benchmarks.md, section "Building a patch
# from a source fix", with the command, the machine's CPUs and its load.
#
# usage: tests/bench/build.sh [--runs N] [--out FILE] [--no-write]
set -euo pipefail

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)
build=${HP_BUILD:-$top/build}
hb=$build/bin/hotpatch-build
facts=$build/facts/target
out=$top/docs/benchmarks.md
write=1
runs=3
while [ $# -gt 0 ]; do
	case $1 in
	--runs) runs=${2:?}; shift ;;
	--out) out=${2:?}; shift ;;
	--no-write) write="" ;;
	-h|--help) sed -n '4,16s/^# \{0,1\}//p' "$0"; exit 0 ;;
	*) echo "${0##*/}: unknown argument '$1' (see --help)" >&2; exit 1 ;;
	esac
	shift
done
# shellcheck source=/dev/null
. "$build/kernel.env"
[ -x "$hb" ] || { echo "${0##*/}: no $hb (make tools)" >&2; exit 1; }
[ -f "$facts/kallsyms" ] || { echo "${0##*/}: no facts in $facts (make)" >&2; exit 1; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/hp-bench-build.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
patch=tests/realpatches/sethostname.patch
cmd=("$hb" build -q --cache "$tmp/trees" --src "$HP_KSRC_TAR" --kdir "$HP_KDIR"
	--facts "$facts" --name hp_bench_build -o "$tmp/hp_bench_build.ko" "$top/$patch")

# measure LABEL: one build; appends "| LABEL | wall | cpu | load |" to rows
rows=""
measure() {
	local t rc=0 load
	load=$(cut -d' ' -f1 /proc/loadavg)
	TIMEFORMAT='%R %U %S'
	{ time "${cmd[@]}" >/dev/null 2>"$tmp/err"; } 2>"$tmp/time" || rc=$?
	t=$(cat "$tmp/time")
	if [ "$rc" -ne 0 ]; then
		cat "$tmp/err" >&2
		echo "${0##*/}: the $1 build failed (exit $rc)" >&2
		exit 1
	fi
	read -r wall user sys <<<"$t"
	row=$(awk -v l="$1" -v w="$wall" -v u="$user" -v s="$sys" -v a="$load" \
		'BEGIN { printf "| %s | %.1f | %.1f | %s |", l, w, u + s, a }')
	echo "$row"
	rows+="$row"$'\n'
}
echo "bench-build: $patch, cold then warm ×$runs" >&2
measure "cold (empty cache)"
for i in $(seq "$runs"); do
	measure "warm, run $i"
done

shown=()
for a in "${cmd[@]}"; do
	a=${a//"$tmp"/\$TMP}
	a=${a//"$top"\//}
	shown+=("$a")
done
section=$(
	echo "## Building a patch from a source fix"
	echo
	echo "Written by \`make bench-build\` (tests/bench/build.sh); do not edit by hand."
	echo "\`hotpatch-build build\` of a one-file fix ($patch): cold is a new"
	echo "cache (unpack the tarball, olddefconfig + prepare, compile the file original"
	echo "and patched, diff, module), warm the same build again. CPU is user + sys of"
	echo "the build and all it ran; load is the 1-minute load average when the run"
	echo "started (other work on the machine makes wall time longer, CPU time much"
	echo "less so)."
	echo
	echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC')"
	echo "- CPUs: $(nproc), $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n1)"
	echo "- source: $(basename "$HP_KSRC_TAR") (Debian ${HP_KVERSION:-?}), config of $HP_KVER"
	echo "- command (\$TMP: an empty temporary directory):"
	echo
	echo '```'
	echo "${shown[*]}"
	echo '```'
	echo
	echo "| run | wall s | CPU s | load |"
	echo "| --- | --- | --- | --- |"
	printf '%s' "$rows"
)
[ -n "$write" ] || exit 0
# The section replaces its old self; the rest of the file is make bench's.
marker="## Building a patch from a source fix"
{
	if [ -f "$out" ]; then
		awk -v m="$marker" '$0 == m { exit } { print }' "$out" | sed -e :a -e '/^\n*$/{$d;N;ba' -e '}'
		echo
	fi
	printf '%s\n' "$section"
} >"$out.tmp"
mv "$out.tmp" "$out"
echo "bench-build: wrote ${out#"$top"/}" >&2
