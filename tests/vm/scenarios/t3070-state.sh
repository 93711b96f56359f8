#!/bin/sh
# System states (upstream test-state.sh): a cumulative patch must carry
# every installed state at the same or a higher version; it can take over
# the state of the patch it replaces; a downgrade or a dropped state is
# refused with a clear message and changes nothing.
# requires: /usr/bin/hotpatch
# shellcheck source=../lib/functions.sh
. /lib/hotpatch/tests/lib/functions.sh
# shellcheck source=../lib/hotpatch.sh
. /lib/hotpatch/tests/lib/hotpatch.sh

DMESG_FILTER='^(hotpatch|hp_patch_cumul_[a-z0-9]*):'
plan 12

load_core
load_mod "$FIXTURES/hp_target.ko"

dmesg_mark
check "v1 installs state 1" hotpatch load "$FIXTURES/hp_patch_cumul_v1.ko"
check "v2 replaces it" hotpatch load "$FIXTURES/hp_patch_cumul_v2.ko"
check_eq "v2 runs" "original 102" "$(cat /proc/hp_target)"
check_dmesg "v2 takes over v1's state" <<'LOG'
hp_patch_cumul_v1: no state 1 installed
hotpatch: 'hp_patch_cumul_v1': applied
hp_patch_cumul_v2: taking over state 1 version 1
hotpatch: 'hp_patch_cumul_v1': replaced by 'hp_patch_cumul_v2'
hotpatch: 'hp_patch_cumul_v2': applied
LOG
rmmod hp_patch_cumul_v1

dmesg_mark
out=$(hotpatch load "$FIXTURES/hp_patch_cumul_v1.ko" 2>&1)
check "a downgrade of the state is refused" test $? -ne 0
check_grep "the CLI says why" "would downgrade version 2" "$out"
check_dmesg "the kernel log says why" <<'LOG'
hotpatch: 'hp_patch_cumul_v1': state 1: version 1 would downgrade version 2 installed by 'hp_patch_cumul_v2'
hotpatch: 'hp_patch_cumul_v1': refused (-22)
LOG

out=$(hotpatch load "$FIXTURES/hp_patch_cumul_none.ko" 2>&1)
check "a cumulative patch without the state is refused" test $? -ne 0
check_grep "the CLI says why" "drops state 1 (version 2) installed by 'hp_patch_cumul_v2'" "$out"
check_eq "v2 still runs" "original 102" "$(cat /proc/hp_target)"
check_eq "v2 is still applied" applied "$(cat "$HP_SYSFS"/patches/hp_patch_cumul_v2/state)"

check "v2 unloads" hotpatch unload hp_patch_cumul_v2
unload_mod hp_target
unload_core
