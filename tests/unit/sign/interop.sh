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
# skips with a message when there is none. Prints TAP.
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

echo "1..7"
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
	"$sign" inspect --json "$1" >"$1.json"
	python3 - "$1.json" "$1.sig" <<'PY'
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

[ "$failed" -eq 0 ]
