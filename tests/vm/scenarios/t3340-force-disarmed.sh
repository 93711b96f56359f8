#!/bin/sh
# t3340: force is for the next transition, and an enabled write that
# changes nothing is that transition: it turns force off again, says so,
# and the next real transition checks stacks as usual. Here a task sleeps
# in the new hp_target_wait() of hp_patch_wait: after "force=1, enabled=1"
# on the applied patch, the revert is refused (not forced) and the patch
# module is not pinned.
# Before "sysfs: an enabled write that changes nothing disarms force"
# force stayed 1 and the revert was forced past the sleeping task, which
# pinned the module for good: points 3 to 7 and 9 failed on main's core
# (9154da3).
# requires: /usr/bin/hotpatch
# shellcheck source=../lib/functions.sh
. /lib/hotpatch/tests/lib/functions.sh
# shellcheck source=../lib/hotpatch.sh
. /lib/hotpatch/tests/lib/hotpatch.sh

plan 9

load_core timeout_ms=500
load_mod "$FIXTURES/hp_target.ko" || bail_out "cannot load hp_target"
p=$HP_SYSFS/patches/hp_patch_wait
check "the patch applies" hotpatch load "$FIXTURES/hp_patch_wait.ko"
echo 1 >"$p/force"
check_eq "force is armed" 1 "$(cat "$p/force")"
dmesg_mark
echo 1 >"$p/enabled"
check_eq "enabling the enabled patch disarms it" 0 "$(cat "$p/force")"
check_dmesg "and says so" <<'LOG'
hotpatch: 'hp_patch_wait': already enabled: nothing was forced, force is off again
LOG

echo wait >/proc/hp_target_wait &
waiter=$!
# shellcheck disable=SC2016 # wait_for evaluates it
wait_for '[ "$(cut -d" " -f1 /proc/hp_target_wait)" = 1 ]' 5
check_fails "the revert is not forced: the sleeper blocks it" \
	sh -c "echo 0 >$p/enabled"
check_eq "the patch stays applied" applied "$(cat "$p/state")"
check_eq "and was never forced" 0 "$(cat "$p/force")"
echo release >/proc/hp_target_wait
wait "$waiter"
check "now the revert goes through" sh -c "echo 0 >$p/enabled"
check "and the module unloads (it was not pinned)" hotpatch unload hp_patch_wait
unload_mod hp_target
unload_core
