#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Vendor CI without booting the target: the real patches built from the
# target's packages alone (the -dbg package's vmlinux for the build-id and
# its FILE symbols, as build.sh passes it too, its System.map for the
# symbols, the image's modules for the module
# targets, the headers for the release) must be the modules built from the
# facts of the booted kernel (build/facts/target, what tests/realpatches/
# build.sh uses): the same manifest, byte for byte, and the same livepatch
# symbols. Prints TAP. Called by `make facts-check` (part of `make check`).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
build=${HP_BUILD:-$top/build}
hb=$build/bin/hotpatch-build
booted=$build/realpatches
out=$build/realpatches-pkgfacts

die() { echo "${0##*/}: $*" >&2; exit 1; }
[ -x "$hb" ] || die "$hb missing (make tools)"
"$top/scripts/fetch-kernel.sh" --source-tarball --dbg "$build/kernel.mk"
# shellcheck source=/dev/null
. "$build/kernel.env"
if [ ! -f "${HP_KDBG_VMLINUX:-}" ] || [ ! -f "${HP_KDBG_SYSTEM_MAP:-}" ]; then
	die "no -dbg vmlinux/System.map after fetch-kernel.sh --dbg"
fi

rm -rf "$out"
mkdir -p "$out"
n=0 failed=0
ok() { n=$((n + 1)); echo "ok $n - $*"; }
not_ok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $*"; }
section() { objcopy -O binary --only-section="$2" "$1" "$3"; }
klp_syms() { readelf -sW "$1" | grep -o '\.klp\.sym\.[^ ]*' | sort; }

patches=("$here"/*.patch)
echo "1..$((${#patches[@]} * 3))"
for p in "${patches[@]}"; do
	base=$(basename "$p" .patch)
	name=hp_real_$base
	ref=$booted/$name.ko
	ko=$out/$name.ko
	rc=0
	"$hb" build -q --src "$HP_KSRC_TAR" --kdir "$HP_KDIR" \
		--build-id "$HP_KDBG_VMLINUX" --symbols "$HP_KDBG_SYSTEM_MAP" \
		--vmlinux "$HP_KDBG_VMLINUX" \
		--modules "$HP_KROOT/lib/modules/$HP_KVER" --name "$name" -o "$ko" \
		"$p" >"$out/$name.log" 2>&1 || rc=$?
	if [ $rc -ne 0 ] || [ ! -f "$ko" ]; then
		not_ok "$base: built from the packages (exit $rc)"
		sed 's/^/# /' "$out/$name.log"
		not_ok "$base: manifest (not built)"
		not_ok "$base: livepatch symbols (not built)"
		continue
	fi
	ok "$base: built from the packages"
	[ -f "$ref" ] || die "$ref missing (make realpatches)"
	section "$ref" .hotpatch.manifest "$out/$name.ref.manifest"
	section "$ko" .hotpatch.manifest "$out/$name.manifest"
	if [ -s "$out/$name.manifest" ] && cmp -s "$out/$name.ref.manifest" "$out/$name.manifest"; then
		ok "$base: manifest identical to the booted facts' ($(stat -c %s "$out/$name.manifest") bytes)"
	else
		not_ok "$base: manifest differs from the booted facts'"
		diff <("$build/bin/hotpatch-sign" inspect "$ref" 2>&1 | sed 1d) \
			<("$build/bin/hotpatch-sign" inspect "$ko" 2>&1 | sed 1d) | sed 's/^/# /' || true
	fi
	if diff <(klp_syms "$ref") <(klp_syms "$ko") >"$out/$name.klp.diff"; then
		ok "$base: the same $(klp_syms "$ko" | wc -l) livepatch symbols (sympos)"
	else
		not_ok "$base: livepatch symbols differ"
		sed 's/^/# /' "$out/$name.klp.diff"
	fi
done
echo "$((n - failed)) passed, $failed failed"
[ "$failed" -eq 0 ]
