#!/bin/sh
# t3330: a task asleep deep in the stack is walked like any other. With a
# task parked 80 calls down in hp_deep (some 90 frames with the system
# call and the scheduler), the apply and the revert of hp_patch_cmdline,
# which has nothing to do with it, go through at once; at 200 calls the
# stack does not fit the walk's 100 entries and reads as "not reliably
# walkable" (which blocks, as it must).
# Before "core: stack walks of 100 entries, every blocked task counted and
# the first eight listed, whole copies of last_error and blocking" the walk
# held 64: the 80-deep task blocked the apply (points 2 to 4 failed on
# main's core, 9154da3).
# requires: /usr/bin/hotpatch tests/fixtures/hp_deep.ko
# shellcheck source=../lib/functions.sh
. /lib/hotpatch/tests/lib/functions.sh
# shellcheck source=../lib/hotpatch.sh
. /lib/hotpatch/tests/lib/hotpatch.sh

plan 10

load_core timeout_ms=500
load_mod "$FIXTURES/hp_deep.ko" || bail_out "cannot load hp_deep"
cmdline=$(cat /proc/cmdline)

echo 80 >/proc/hp_deep &
sleeper=$!
# shellcheck disable=SC2016 # wait_for evaluates it
wait_for '[ "$(cat /proc/hp_deep)" = "1 80" ]' 10
check_eq "a task sleeps 80 calls deep" "1 80" "$(cat /proc/hp_deep)"
check "the apply goes through" hotpatch load "$FIXTURES/hp_patch_cmdline.ko"
check_eq "the new code runs" "this has been live patched by hotpatch" "$(cat /proc/cmdline)"
check "the revert goes through" hotpatch unload hp_patch_cmdline
check_eq "the old code runs" "$cmdline" "$(cat /proc/cmdline)"
echo release >/proc/hp_deep
wait "$sleeper"

echo 200 >/proc/hp_deep &
sleeper=$!
# shellcheck disable=SC2016 # wait_for evaluates it
wait_for '[ "$(cat /proc/hp_deep)" = "1 200" ]' 10
check_fails "200 calls deep: the apply is refused" \
	hotpatch load "$FIXTURES/hp_patch_cmdline.ko"
check_grep "that task's stack is not reliably walkable" \
	"$sleeper sh (stack not reliably walkable)" "$(cat "$HP_SYSFS"/blocking)"
check_eq "the old code runs" "$cmdline" "$(cat /proc/cmdline)"
echo release >/proc/hp_deep
wait "$sleeper"
check "once it has left, the apply goes through" \
	hotpatch load "$FIXTURES/hp_patch_cmdline.ko"
check "and the patch unloads" hotpatch unload hp_patch_cmdline
unload_mod hp_deep
unload_core
