#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# fuzz_reloc.sh [SECONDS]: build the libFuzzer target of the core's checks
# of livepatch relocation sections (kernel/reloc_check.c; clang-14, ASan,
# UBSan), check that each seed of mkseed_reloc.py gets the verdict its
# name says (accepted-*, refused-*), then run it for SECONDS (default 25)
# seeded with those and with the post-linked test patch modules when they
# are built. Corpus, log and crash files go to build/tests/fuzz/;
# `fuzz_reloc.sh 0` only checks the seeds and replays the corpus and
# earlier crash files.
set -euo pipefail

secs=${1:-25}
top=$(cd "$(dirname "$0")/../.." && pwd)
out=$top/build/tests/fuzz
clang=${CLANG:-clang-14}
bin=$out/fuzz_reloc
corpus=$out/corpus/fuzz_reloc
seeds=$out/seeds-reloc

mkdir -p "$out" "$corpus" "$seeds"
"$clang" -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
	-fno-omit-frame-pointer -g -O1 -Wall -Wextra -Werror -std=gnu11 \
	-D_GNU_SOURCE -o "$bin" "$top/tests/fuzz/fuzz_reloc.c" \
	"$top/kernel/reloc_check.c"

rm -f "$seeds"/*
python3 "$top/tests/fuzz/mkseed_reloc.py" "$seeds"
bad=0
for f in "$seeds"/*; do
	name=${f##*/}
	# a crash (the checker accepted what the harness knows is wrong) says so
	got=$(FUZZ_RELOC_VERDICT=1 "$bin" -runs=1 "$f" 2>&1 |
		sed -n 's/^verdict: //p') || got="crashed (exit $?)"
	case $name:$got in
	accepted-*:accepted|refused-*:refused:*) ;;
	*) echo "fuzz: fuzz_reloc: seed $name: $got"; bad=1 ;;
	esac
done
[ "$bad" -eq 0 ] || { echo "fuzz: fuzz_reloc: seed verdicts FAILED"; exit 1; }
cp "$seeds"/* "$corpus/"
for ko in "$top"/tests/fixtures/hp_patch_klp*.ko; do
	[ -f "$ko" ] && cp "$ko" "$corpus/"
done

exec "$top/tests/fuzz/run-target.sh" fuzz_reloc "$secs"
