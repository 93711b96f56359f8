#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# candidates.sh OLD NEW OUTDIR: the single-file fixes between two Debian
# linux-source-6.1 versions (e.g. 6.1.170-3 6.1.176-1), as -p1 unified diffs
# (a/PATH, b/PATH) that hotpatch-build build takes, one per changed .c file
# of the corpus directories, when the change is small: at most MAX_LINES
# (default 40) changed lines in at most MAX_HUNKS (default 3) hunks.
#
# Writes OUTDIR/NNNN.patch (NNNN in sorted path order) and OUTDIR/INDEX, one
# line per candidate: "NNNN PATH HUNKS LINES OLD NEW". Files new or deleted
# in NEW are left out. The unpacked directories are cached under
# $HP_CORPUS_SRC (default build/corpus/src/VERSION).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
die() { echo "${0##*/}: error: $*" >&2; exit 1; }
[ $# -eq 3 ] || die "usage: $0 OLD NEW OUTDIR"
old=$1 new=$2 outdir=$3
max_lines=${MAX_LINES:-40}
max_hunks=${MAX_HUNKS:-3}
# The corpus: the core, the usual subsystems, a few driver directories a
# cloud kernel builds.
dirs=${CORPUS_DIRS:-"kernel mm fs net ipc security block crypto lib
	drivers/net drivers/block drivers/scsi drivers/md drivers/char
	drivers/virtio drivers/nvme drivers/tty"}
srcroot=${HP_CORPUS_SRC:-$top/build/corpus/src}
t=linux-source-6.1

# unpack VERSION: the corpus directories of VERSION's tarball, once.
unpack() {
	local ver=$1 tar d paths=()
	d=$srcroot/$ver
	[ -f "$d/.ok" ] && return 0
	tar=$("$here/fetch-source.sh" "$ver")
	for p in $dirs; do paths+=("$t/$p"); done
	echo "${0##*/}: unpacking ${paths[*]#"$t/"} of $ver" >&2
	rm -rf "$d"
	mkdir -p "$d"
	tar -xJf "$tar" -C "$d" "${paths[@]}"
	touch "$d/.ok"
}

unpack "$old"
unpack "$new"
a=$srcroot/$old/$t b=$srcroot/$new/$t

rm -rf "$outdir"
mkdir -p "$outdir"
n=0
# Changed files present in both trees, sorted (LC_ALL=C: deterministic).
for p in $dirs; do
	(cd "$a" && find "$p" -name '*.c' -type f)
done | LC_ALL=C sort -u | while read -r f; do
	[ -f "$b/$f" ] || continue
	cmp -s "$a/$f" "$b/$f" && continue
	d=$(diff -u --label "a/$f" --label "b/$f" "$a/$f" "$b/$f" || true)
	hunks=$(grep -c '^@@ ' <<<"$d" || true)
	lines=$(tail -n +3 <<<"$d" | grep -c '^[-+]' || true)
	if [ "$hunks" -gt "$max_hunks" ] || [ "$lines" -gt "$max_lines" ]; then
		continue
	fi
	n=$((n + 1))
	id=$(printf '%04d' "$n")
	printf '%s\n' "$d" >"$outdir/$id.patch"
	echo "$id $f $hunks $lines $old $new"
done >"$outdir/INDEX"
echo "${0##*/}: $(wc -l <"$outdir/INDEX") candidates $old -> $new in $outdir" >&2
