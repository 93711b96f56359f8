#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# check-core-params.sh KDIR: the core's fault injection (fail_step,
# fail_teardown) is made of test-build parameters only. Builds a copy of
# kernel/ as the packages do (packaging/dkms-build.sh: plain kbuild, no
# HOTPATCH_FAULT_INJECTION) into build/prod-core, and checks that its
# hotpatch.ko has every parameter of the test build (kernel/hotpatch.ko,
# `make core`) except those, which the test build must have (the VM
# scenarios use them).
set -euo pipefail

kdir=${1:?usage: check-core-params.sh KDIR}
top=$(cd "$(dirname "$0")/../.." && pwd)
out=$top/build/prod-core

params() { modinfo -F parm "$1" | sed 's/:.*//' | sort; }

[ -f "$top/kernel/hotpatch.ko" ] || { echo "check-core-params: make core first" >&2; exit 1; }
rm -rf "$out" && mkdir -p "$out"
cp -r "$top/kernel" "$top/include" "$out/"
rm -f "$out"/kernel/*.o "$out"/kernel/*.ko "$out"/kernel/.*.cmd
make -C "$kdir" M="$out/kernel" modules >"$out/build.log" 2>&1 ||
	{ tail -20 "$out/build.log"; echo "check-core-params: the package build failed"; exit 1; }
test_params=$(params "$top/kernel/hotpatch.ko")
prod_params=$(params "$out/kernel/hotpatch.ko")
faults="fail_step fail_teardown stop_delay_ms"
fail=0
others=$test_params
for p in $faults; do
	if ! grep -qx "$p" <<<"$test_params"; then
		echo "check-core-params: the test build has no $p"; fail=1
	fi
	if grep -qx "$p" <<<"$prod_params"; then
		echo "check-core-params: the package build has $p"; fail=1
	fi
	others=$(grep -vx "$p" <<<"$others" || true)
done
if [ "$others" != "$prod_params" ]; then
	echo "check-core-params: other parameters differ:"
	diff <(echo "$others") <(echo "$prod_params") || true
	fail=1
fi
[ "$fail" -eq 0 ] || exit 1
echo "check-core-params: $faults in the test build only; $(wc -l <<<"$prod_params") other parameters in both"
