#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# run-target.sh NAME SECONDS: the last step of fuzz_manifest.sh and
# fuzz_reloc.sh, once their target build/tests/fuzz/NAME is built and its
# corpus build/tests/fuzz/corpus/NAME seeded: replay the earlier crash
# files (crash-NAME-*) and, with SECONDS 0, only the corpus; else fuzz for
# SECONDS, failing with the log's tail on a crash. Prints the run's figures.
set -euo pipefail

name=${1:?usage: $0 NAME SECONDS}
secs=${2:?usage: $0 NAME SECONDS}
out=$(cd "$(dirname "$0")/../.." && pwd)/build/tests/fuzz
bin=$out/$name
corpus=$out/corpus/$name

crashes=()
for f in "$out/crash-$name-"*; do
	[ -e "$f" ] && crashes+=("$f")
done
if [ "${#crashes[@]}" -gt 0 ]; then
	"$bin" -runs=0 "${crashes[@]}"
fi
if [ "$secs" -eq 0 ]; then
	exec "$bin" -runs=0 "$corpus"
fi
echo "fuzz: $name for ${secs}s"
cd "$out"
if ! "$bin" -max_total_time="$secs" -timeout=10 -max_len=65536 \
	-print_final_stats=1 -artifact_prefix="$out/crash-$name-" \
	"$corpus" 2>"$out/$name.log"; then
	tail -60 "$out/$name.log"
	echo "fuzz: $name FAILED (log: $out/$name.log)"
	exit 1
fi
grep -E "stat::number_of_executed_units|stat::new_units_added" \
	"$out/$name.log" | sed "s/^/fuzz: $name: /"
