#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# interop.sh OUTDIR: our appended module signature is the kernel's own.
#
# For the same unsigned module and the same throwaway key, hotpatch-sign and
# the kernel's scripts/sign-file must give modules for which modinfo (kmod)
# reports the same signer, sig_key, sig_hashalgo and signature - and in
# fact the same bytes. Needs sign-file: $SIGN_FILE, or the one from the
# cached kernel (scripts/fetch-kernel.sh), or an installed linux-kbuild;
# skips with a message when there is none. With kernel headers (KDIR,
# build/kernel.mk or the cache) a kbuild-made module is checked too.
# Prints TAP.
set -euo pipefail

out=${1:?usage: interop.sh OUTDIR}
build=$(dirname "$out")
sign=${HOTPATCH_SIGN:-$build/hotpatch-sign}
testmod=$build/testmod.ko
corpus=$build/corpus
cache=${HOTPATCH_CACHE:-$HOME/.cache/hotpatch}

find_sign_file() {
	local f
	if [ -n "${SIGN_FILE:-}" ]; then
		echo "$SIGN_FILE"
		return
	fi
	for f in "$cache"/kernels/*/root/usr/lib/linux-kbuild-*/scripts/sign-file \
		/usr/lib/linux-kbuild-*/scripts/sign-file \
		"/usr/src/linux-headers-$(uname -r)/scripts/sign-file"; do
		if [ -x "$f" ]; then
			echo "$f"
			return
		fi
	done
}

sign_file=$(find_sign_file)
if [ -z "$sign_file" ] || [ ! -x "$sign_file" ]; then
	echo "1..0 # SKIP interop: the kernel's sign-file not found (set SIGN_FILE, or run scripts/fetch-kernel.sh)"
	exit 0
fi
command -v modinfo >/dev/null || { echo "1..0 # SKIP interop: modinfo (kmod) not installed"; exit 0; }

rm -rf "$out"
mkdir -p "$out"
cd "$out"

n=0
failed=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"; }
check() { local what=$1; shift; if "$@"; then ok "$what"; else not_ok "$what"; fi; }

# the fields modinfo prints about a signature, one per line
sigfields() {
	local f
	for f in sig_id signer sig_key sig_hashalgo signature; do
		printf '%s: %s\n' "$f" "$(modinfo -F "$f" "$1")"
	done
}

same_sigfields() {
	sigfields "$1" >"$1.sig"
	sigfields "$2" >"$2.sig"
	grep -q '^signer: hotpatch interop' "$1.sig" && diff -u "$1.sig" "$2.sig"
}

# a real kernel module too, when kernel headers are at hand
kdir=${KDIR:-}
if [ -z "$kdir" ] && [ -f "$build/../../../kernel.mk" ]; then
	kdir=$(sed -n 's/^HP_KDIR := //p' "$build/../../../kernel.mk")
fi
if [ -z "$kdir" ]; then
	for d in "$cache"/kernels/*/root/usr/src/linux-headers-*-amd64; do
		[ -f "$d/Makefile" ] && kdir=$d
	done
fi
plan=7
have_kdir=false
if [ -n "$kdir" ] && [ -f "$kdir/Makefile" ]; then
	have_kdir=true
	plan=10
fi
# and a module the distribution signed, from the cached kernel image
distro_ko=
for f in "$cache"/kernels/*/root/lib/modules/*/kernel/net/key/af_key.ko; do
	[ -f "$f" ] && distro_ko=$f
done
[ -n "$distro_ko" ] && plan=$((plan + 1))

echo "1..$plan"
echo "# sign-file: $sign_file"
"$sign" keygen --out keys --bits 2048 --cn "hotpatch interop test" >/dev/null

# 1-2: a plain module (no manifest), module signature only
cp "$testmod" plain.ko
cp "$testmod" plain-kernel.ko
"$sign_file" sha256 keys/signing_key.pem keys/signing_cert.pem plain-kernel.ko
"$sign" sign --module-only --key keys/signing_key.pem \
	--cert keys/signing_cert.pem plain.ko -o plain-ours.ko
check "modinfo: same signer, sig_key, hash and signature as sign-file (module only)" \
	same_sigfields plain-ours.ko plain-kernel.ko
check "byte-identical to sign-file's output (module only)" \
	cmp -s plain-ours.ko plain-kernel.ko

# 3-4: a patch module: manifest + .hotpatch.sig, then the module signature
"$sign" set-manifest "$testmod" "$corpus/good-baseline.bin" -o patch.ko
"$sign" sign --key keys/signing_key.pem --cert keys/signing_cert.pem \
	patch.ko -o patch-ours.ko
# the same ELF bytes (with our .hotpatch.sig), signed by sign-file
python3 - patch-ours.ko patch-kernel.ko <<'PY'
import struct, sys
d = open(sys.argv[1], "rb").read()
magic = b"~Module signature appended~\n"
assert d.endswith(magic)
n = struct.unpack(">I", d[-len(magic) - 4:-len(magic)])[0]
open(sys.argv[2], "wb").write(d[:len(d) - len(magic) - 12 - n])
PY
"$sign_file" sha256 keys/signing_key.pem keys/signing_cert.pem patch-kernel.ko
check "modinfo: same signer, sig_key, hash and signature as sign-file (patch module)" \
	same_sigfields patch-ours.ko patch-kernel.ko
check "byte-identical to sign-file's output (patch module)" \
	cmp -s patch-ours.ko patch-kernel.ko

# 5: inspect reports what modinfo reports
inspect_matches() {
	inspect_matches_file "$1" "$1.sig"
}
inspect_matches_file() {
	"$sign" inspect --json "$1" >inspect.json
	python3 - inspect.json "$2" <<'PY'
import json, sys
j = json.load(open(sys.argv[1]))["module_signature"]
m = dict(l.rstrip("\n").split(": ", 1) for l in open(sys.argv[2]) if ": " in l)
assert j["signer"] == m["signer"], (j["signer"], m["signer"])
assert j["key_id"] == m["sig_key"], (j["key_id"], m["sig_key"])
assert j["hash"] == m["sig_hashalgo"], (j["hash"], m["sig_hashalgo"])
PY
}
check "inspect --json: signer, key id and hash as modinfo shows them" \
	inspect_matches patch-ours.ko

# 6: our verifier accepts sign-file's module signature
quiet() { "$@" >/dev/null; }
check "verify accepts a module signed by sign-file" \
	quiet "$sign" verify --cert keys/signing_cert.der --require-module-sig \
	patch-kernel.ko

# 7: and refuses it against another key
"$sign" keygen --out other --bits 2048 --cn "other" >/dev/null
refused() { ! "$sign" verify --cert other/signing_cert.pem "$1" >/dev/null; }
check "verify refuses it against another key's certificate" refused patch-kernel.ko

# 8-10: a module built by kbuild against the target's headers
if $have_kdir; then
	echo "# kernel headers: $kdir"
	mkdir -p kmod
	cat >kmod/hp_interop.c <<'C'
// SPDX-License-Identifier: GPL-2.0
#include <linux/module.h>
static int __init hp_interop_init(void) { return 0; }
static void __exit hp_interop_exit(void) { }
module_init(hp_interop_init);
module_exit(hp_interop_exit);
MODULE_LICENSE("GPL");
C
	echo 'obj-m := hp_interop.o' >kmod/Kbuild
	make -s -C "$kdir" M="$out/kmod" modules >kmod/build.log 2>&1 ||
		{ cat kmod/build.log; exit 1; }
	cp kmod/hp_interop.ko real.ko
	"$sign" set-manifest real.ko "$corpus/good-baseline.bin" -o real-mf.ko
	"$sign" sign --key keys/signing_key.pem --cert keys/signing_cert.pem \
		real-mf.ko -o real-ours.ko
	python3 - real-ours.ko real-kernel.ko <<'PY'
import struct, sys
d = open(sys.argv[1], "rb").read()
magic = b"~Module signature appended~\n"
n = struct.unpack(">I", d[-len(magic) - 4:-len(magic)])[0]
open(sys.argv[2], "wb").write(d[:len(d) - len(magic) - 12 - n])
PY
	"$sign_file" sha256 keys/signing_key.pem keys/signing_cert.pem real-kernel.ko
	check "kbuild module: modinfo shows the same signature as sign-file's" \
		same_sigfields real-ours.ko real-kernel.ko
	check "kbuild module: byte-identical to sign-file's output" \
		cmp -s real-ours.ko real-kernel.ko
	# adding sections with libelf keeps every original section's bytes
	same_sections() {
		local s rc=0
		for s in $(readelf -SW "$1" | sed -n 's/^ *\[ *[0-9]*\] \([^ ]*\) .*/\1/p'); do
			case $s in .shstrtab|NULL) continue ;; esac
			objcopy --dump-section "$s=a.sec" "$1" /dev/null 2>/dev/null || continue
			objcopy --dump-section "$s=b.sec" "$2" /dev/null 2>/dev/null || { echo "# lost $s"; rc=1; continue; }
			cmp -s a.sec b.sec || { echo "# changed: $s"; rc=1; }
		done
		[ "$(modinfo -F vermagic "$1")" = "$(modinfo -F vermagic "$2")" ] || rc=1
		# symbols: the old ones unchanged and first, the markers appended
		readelf -sW "$1" | grep -E '^ *[0-9]+:' >a.syms
		readelf -sW "$2" | grep -E '^ *[0-9]+:' >b.syms
		head -n "$(wc -l <a.syms)" b.syms | cmp -s - a.syms || { echo "# symbols changed"; rc=1; }
		grep -q ' OBJECT  GLOBAL DEFAULT .* __hotpatch_manifest$' b.syms || rc=1
		grep -q ' OBJECT  GLOBAL DEFAULT .* __hotpatch_sig$' b.syms || rc=1
		return $rc
	}
	check "kbuild module: every original section and symbol kept, marker symbols added" \
		same_sections real.ko real-ours.ko
fi

# 11 (or 8): what the distribution signed
if [ -n "$distro_ko" ]; then
	sigfields "$distro_ko" >distro.sig
	check "a distribution-signed module: inspect shows what modinfo shows" \
		inspect_matches_file "$distro_ko" distro.sig
fi

[ "$failed" -eq 0 ]
