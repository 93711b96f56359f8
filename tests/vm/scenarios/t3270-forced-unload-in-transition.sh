#!/bin/sh
# rmmod -f of a patch module whose apply is waiting between attempts (a
# task sleeps in the code it replaces; the core has let go of its lock) is
# refused at once, like rmmod -f of an applied patch (t3250): the core is
# a user of the patch module for the whole transition. Before, the forced
# unload went ahead and ran the module's exit, which waited for the
# transition and then freed the patch, applied or not.
# Failed before the fix of commit "core: a patch in transition has the
# core as a user of its module, so rmmod -f waits for nothing" (rmmod -f
# blocked until the apply timed out, then removed the module).
# requires: /usr/bin/hotpatch
# timeout: 120
# shellcheck source=../lib/functions.sh
. /lib/hotpatch/tests/lib/functions.sh
# shellcheck source=../lib/hotpatch.sh
. /lib/hotpatch/tests/lib/hotpatch.sh

plan 12

load_core timeout_ms=8000
load_mod "$FIXTURES/hp_target.ko"
p="$HP_SYSFS"/patches/hp_patch_wait
hotpatch load "$FIXTURES/hp_patch_wait.ko" >/dev/null
hotpatch disable hp_patch_wait >/dev/null
check_eq "a reverted patch" reverted "$(cat "$p"/state)"

# Park a task inside the old hp_target_wait(), then apply again.
echo wait > /proc/hp_target_wait &
waiter=$!
# shellcheck disable=SC2016 # wait_for evaluates it
wait_for '[ "$(cut -d" " -f1 /proc/hp_target_wait)" = 1 ]' 5
sh -c "echo 1 > $p/enabled" 2>/dev/null &
apply=$!
# shellcheck disable=SC2016 # wait_for evaluates it
check "the apply is retrying" wait_for '[ "$(cat $p/state)" = applying ]' 5
check_grep "the core is a user of the module meanwhile" hotpatch \
	"$(grep '^hp_patch_wait ' /proc/modules)"

start=$(date +%s)
check_fails "rmmod -f while the apply waits is refused" rmmod -f hp_patch_wait
check "... at once" test $(($(date +%s) - start)) -le 2
check "the module is still loaded" is_loaded hp_patch_wait
check_eq "the apply is still retrying" applying "$(cat "$p"/state 2>&1)"
check_eq "the kernel is not tainted by a forced removal" 0 \
	$(($(cat /proc/sys/kernel/tainted) & 8))

echo release > /proc/hp_target_wait
wait "$waiter"
wait "$apply"
check "once the task has left, the apply succeeds" test $? -eq 0
check_eq "the patch is applied" applied "$(cat "$p"/state 2>&1)"
check "... ftrace redirects hp_target_wait" \
	grep -q '^hp_target_wait' /sys/kernel/tracing/enabled_functions
check "it reverts and unloads" hotpatch unload hp_patch_wait
unload_mod hp_target
