#!/bin/sh
# A forced atomic replace skips the stack check for the patches it
# replaces too, so it pins them as it pins itself: a replaced patch whose
# new code a task still sleeps in stays loaded (its force reads 2), and
# the task wakes up into code that is still there.
# Failed before the fix of commit "transition: a forced atomic replace pins
# every patch it replaces" (rmmod of the replaced module was accepted, then
# the sleeping task oopsed at its freed address).
# requires: /usr/bin/hotpatch
# timeout: 120
# shellcheck source=../lib/functions.sh
. /lib/hotpatch/tests/lib/functions.sh
# shellcheck source=../lib/hotpatch.sh
. /lib/hotpatch/tests/lib/hotpatch.sh

plan 10

load_core timeout_ms=500
load_mod "$FIXTURES/hp_target.ko"
c="$HP_SYSFS"/patches/hp_patch_cumul_none
w="$HP_SYSFS"/patches/hp_patch_wait
hotpatch load "$FIXTURES/hp_patch_cumul_none.ko" >/dev/null
hotpatch disable hp_patch_cumul_none >/dev/null
check "a plain patch of hp_target_wait loads on top" hotpatch load "$FIXTURES/hp_patch_wait.ko"

# Park a task inside the new hp_target_wait() of hp_patch_wait.
echo wait > /proc/hp_target_wait &
waiter=$!
# shellcheck disable=SC2016 # wait_for evaluates it
wait_for '[ "$(cut -d" " -f1 /proc/hp_target_wait)" = 1 ]' 5
check_eq "a task sleeps in hp_patch_wait's code" 1 "$(cut -d' ' -f1 /proc/hp_target_wait)"

check_fails "the cumulative patch cannot replace it unforced" hotpatch enable hp_patch_cumul_none
check "with --force it can" hotpatch enable --force hp_patch_cumul_none
check_eq "the replaced patch is reverted" reverted "$(cat "$w"/state)"
check_eq "... and marked forced too" 2 "$(cat "$w"/force)"
check_fails "its module cannot be removed" rmmod hp_patch_wait
check "it is still loaded" is_loaded hp_patch_wait

echo release > /proc/hp_target_wait
wait "$waiter"
check_eq "the task left the replaced code safely" "0 2" "$(cat /proc/hp_target_wait)"
check_eq "the cumulative patch is forced for good" 2 "$(cat "$c"/force)"
