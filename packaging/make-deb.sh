#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# make deb: the Debian packages from a copy of the source (the files git
# knows, committed or not), so that dpkg-buildpackage's clean never touches
# the working tree's build/. Then lintian on the result.
#   packaging/make-deb.sh OUTDIR
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
out=${1:?usage: make-deb.sh OUTDIR}
ver=$(sed -n 's/^#define HOTPATCH_VERSION[[:space:]]*"\(.*\)"/\1/p' "$top/include/hotpatch/version.h")
src=$out/src/hotpatch-$ver
rm -rf "$out"
mkdir -p "$src"
(cd "$top" && git ls-files -co --exclude-standard -z |
	while IFS= read -r -d '' f; do [ -e "$f" ] && printf '%s\0' "$f"; done |
	xargs -0 cp --parents -t "$src")
cd "$src"
dpkg-buildpackage -us -uc -b >"$out/build.log" 2>&1 || {
	tail -40 "$out/build.log" >&2
	echo "make deb: dpkg-buildpackage failed; log: $out/build.log" >&2
	exit 1
}
cd "$out"
mv src/*.deb src/*.changes src/*.buildinfo . 2>/dev/null || true
ls -1 ./*.deb
if command -v lintian >/dev/null; then
	lintian --fail-on error ./*.changes | tee lintian.log
fi
