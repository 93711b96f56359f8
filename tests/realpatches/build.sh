#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Build the real patches: every tests/realpatches/NAME.patch (a unified diff
# against Debian's linux-source of the test kernel) goes through
# `hotpatch-build build` into build/realpatches/hp_real_NAME.ko, signed with
# the test key (build/keys). Called by `make realpatches` (part of `make`).
#
# Inputs, fetched and cached on first use (idempotent):
#   linux-source-6.1 of the test kernel   scripts/fetch-kernel.sh --source-tarball
#   its -dbg vmlinux (FILE symbols)       scripts/fetch-kernel.sh --dbg
#   its prepared tree                     ~/.cache/hotpatch/trees (hotpatch-build)
#   the facts of the test kernel          build/facts/target (tests/fixtures/sign.sh)
# A module is rebuilt only when its diff, the facts, the key or
# hotpatch-build changed. Reports (JSON) go to build/realpatches/NAME.json.
# Every patch is built with --vmlinux (the -dbg vmlinux): binfmt_elf_core
# needs its FILE symbols to tell fs/binfmt_elf.c's two copies apart; the
# others then check that they agree with kallsyms neighbours.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
build=${HP_BUILD:-$top/build}
out=$build/realpatches
hb=$build/bin/hotpatch-build
facts=$build/facts/target
keys=$build/keys

die() { echo "${0##*/}: $*" >&2; exit 1; }

[ -x "$hb" ] || die "$hb missing (make tools)"
[ -f "$facts/kallsyms" ] || die "no facts in $facts (make fixtures boots the test kernel for them)"
[ -f "$keys/signing_key.pem" ] || die "no test key in $keys (make fixtures)"

"$top/scripts/fetch-kernel.sh" --source-tarball --dbg "$build/kernel.mk"
# shellcheck source=/dev/null
. "$build/kernel.env"
[ -f "${HP_KSRC_TAR:-}" ] || die "no linux-source tarball after fetch-kernel.sh"
[ -f "${HP_KDBG_VMLINUX:-}" ] || die "no -dbg vmlinux after fetch-kernel.sh --dbg"

mkdir -p "$out"
# What every module depends on besides its diff.
common=$( { sha256sum "$hb" "$facts/kallsyms" "$facts/build-id" "$facts/release" \
	"$keys/signing_cert.pem" "$HP_KDIR/.config"; echo "$HP_KSRC_TAR $HP_KDBG_VMLINUX"; } |
	sha256sum | cut -d' ' -f1)

for p in "$here"/*.patch; do
	base=$(basename "$p" .patch)
	name=hp_real_$base
	ko=$out/$name.ko
	key=$( { echo "$common"; sha256sum "$p"; } | sha256sum | cut -d' ' -f1)
	if [ -f "$ko" ] && [ "$(cat "$out/$name.key" 2>/dev/null)" = "$key" ]; then
		continue
	fi
	echo "  BUILD   $name.ko from tests/realpatches/$base.patch"
	rm -f "$ko" "$out/$name.key"
	t0=$SECONDS
	rc=0
	"$hb" build --json --src "$HP_KSRC_TAR" --kdir "$HP_KDIR" --facts "$facts" \
		--vmlinux "$HP_KDBG_VMLINUX" \
		--modules "$HP_KROOT/lib/modules/$HP_KVER" --name "$name" -o "$ko" \
		--key "$keys/signing_key.pem" --cert "$keys/signing_cert.pem" \
		"$p" >"$out/$name.json" 2>"$out/$name.log" || rc=$?
	if [ $rc -ne 0 ]; then
		cat "$out/$name.log" >&2
		die "hotpatch-build build $base.patch failed (exit $rc; report: $out/$name.json)"
	fi
	echo "          $((SECONDS - t0)) s"
	echo "$key" >"$out/$name.key"
done
