#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# cli.sh OUTDIR: hotpatch-sign's command line - exit codes, --json output
# (read back with a real JSON parser), --help. Needs no kernel. Prints TAP.
set -euo pipefail

out=${1:?usage: cli.sh OUTDIR}
build=$(dirname "$out")
sign=${HOTPATCH_SIGN:-$build/hotpatch-sign}
testmod=$build/testmod.ko
corpus=$build/corpus

rm -rf "$out"
mkdir -p "$out"
cd "$out"

n=0
failed=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"; }
# expect_rc RC WHAT CMD...: CMD exits with RC
expect_rc() {
	local want=$1 what=$2 rc=0
	shift 2
	"$@" >"$n.out" 2>"$n.err" || rc=$?
	if [ "$rc" -eq "$want" ]; then ok "$what"; else not_ok "$what (exit $rc, expected $want)"; fi
}
# json_check FILE PYTHON-EXPR: the expression holds for j = json.load(FILE)
json_check() {
	python3 -c 'import json, sys; j = json.load(open(sys.argv[1])); sys.exit(0 if eval(sys.argv[2]) else 1)' "$1" "$2"
}

echo "1..14"
"$sign" keygen --out keys --bits 2048 --cn "cli test" --json >keygen.json
if json_check keygen.json 'j["cert_der"].endswith("signing_cert.der")'; then
	ok "keygen --json names the files"
else
	not_ok "keygen --json names the files"
fi
expect_rc 3 "keygen refuses to overwrite a key" "$sign" keygen --out keys --bits 2048
expect_rc 2 "usage error: no command" "$sign"
expect_rc 2 "usage error: unknown command" "$sign" frobnicate
expect_rc 2 "usage error: verify without --cert" "$sign" verify "$testmod"
expect_rc 0 "--help per command" "$sign" verify --help
expect_rc 3 "signing a module without a manifest is an error" \
	"$sign" sign --key keys/signing_key.pem --cert keys/signing_cert.pem \
	"$testmod" -o plain.ko
expect_rc 3 "set-manifest refuses an invalid manifest" \
	"$sign" set-manifest "$testmod" "$corpus/bad-version-2.bin" -o bad.ko
"$sign" set-manifest "$testmod" "$corpus/good-baseline.bin" -o patch.ko
expect_rc 0 "sign a patch module" \
	"$sign" sign --key keys/signing_key.pem --cert keys/signing_cert.pem patch.ko
expect_rc 0 "verify a signed patch module" \
	"$sign" verify patch.ko --cert keys/signing_cert.pem \
	--kernel-release 6.1.0-56-cloud-amd64 \
	--build-id 101112131415161718191a1b1c1d1e1f20212223
expect_rc 1 "verify fails for another kernel, with --json" \
	"$sign" verify patch.ko --cert keys/signing_cert.pem \
	--kernel-release 6.1.0-1-cloud-amd64 --json
if json_check "$((n - 1)).out" \
	'not j["ok"] and any(c["check"] == "kernel-release" and c["status"] == "fail" for c in j["checks"])'; then
	ok "verify --json reports the failed check"
else
	not_ok "verify --json reports the failed check"
fi
"$sign" inspect patch.ko --cert keys/signing_cert.pem --json >inspect.json
if json_check inspect.json \
	'j["manifest"]["objects"][0]["functions"][2]["old_sympos"] == 2 and j["manifest_signature"]["valid"] and j["module_signature"]["signer"] == "cli test"'; then
	ok "inspect --json shows the manifest and both signatures"
else
	not_ok "inspect --json shows the manifest and both signatures"
fi
expect_rc 3 "errors speak JSON when asked" "$sign" inspect nosuch.ko --json
if ! json_check "$((n - 1)).out" 'j["exit_code"] == 3 and "nosuch.ko" in j["error"]'; then
	failed=$((failed + 1))
	echo "# the error above was not JSON"
fi

[ "$failed" -eq 0 ]
