#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# fuzz_manifest.sh [SECONDS]: build the manifest parser's libFuzzer target
# (clang-14, ASan, UBSan) and run it for SECONDS (default 25), seeded with
# the manifest corpus. Corpus, log and crash files go to build/tests/fuzz/;
# `fuzz_manifest.sh 0` only replays the corpus and earlier crash files.
set -euo pipefail

secs=${1:-25}
top=$(cd "$(dirname "$0")/../.." && pwd)
out=$top/build/tests/fuzz
clang=${CLANG:-clang-14}
bin=$out/fuzz_manifest
corpus=$out/corpus/fuzz_manifest

mkdir -p "$out" "$corpus"
"$clang" -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
	-fno-omit-frame-pointer -g -O1 -Wall -Wextra -Werror -std=gnu11 \
	-D_GNU_SOURCE -I"$top/include" -I"$top/tools/sign" \
	-o "$bin" "$top/tests/fuzz/fuzz_manifest.c" "$top/kernel/manifest.c"

python3 "$top/tests/manifest-corpus/gen-corpus.py" "$out/seeds-manifest" >/dev/null
cp "$out"/seeds-manifest/*.bin "$corpus/"
# a PKCS#7 as hotpatch-sign and sign-file make it, for the signer reader
if command -v openssl >/dev/null; then
	seed=$out/seeds-manifest
	openssl req -x509 -newkey rsa:2048 -nodes -subj "/CN=fuzz seed" \
		-keyout "$seed/key.pem" -out "$seed/cert.pem" -days 1 2>/dev/null
	openssl cms -sign -binary -noattr -nocerts -nosmimecap -md sha256 \
		-outform DER -signer "$seed/cert.pem" -inkey "$seed/key.pem" \
		-in "$seed/good-baseline.bin" -out "$corpus/pkcs7-seed.der"
fi

exec "$top/tests/fuzz/run-target.sh" fuzz_manifest "$secs"
