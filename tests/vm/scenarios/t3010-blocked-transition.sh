#!/bin/sh
# Activeness safety: a task sleeping inside a function being replaced
# blocks the apply; the report names the task and the function; nothing
# changes; once the task has left, the apply succeeds. The same for a
# task sleeping inside the new function on revert: the patch stays applied.
# requires: /usr/bin/hotpatch
# shellcheck source=../lib/functions.sh
. /lib/hotpatch/tests/lib/functions.sh
# shellcheck source=../lib/hotpatch.sh
. /lib/hotpatch/tests/lib/hotpatch.sh

plan 21

load_core timeout_ms=1000
load_mod "$FIXTURES/hp_target.ko"
p="$HP_SYSFS"/patches/hp_patch_wait

# Park a task inside the old hp_target_wait().
echo wait > /proc/hp_target_wait &
waiter=$!
# shellcheck disable=SC2016 # wait_for evaluates it
wait_for '[ "$(cut -d" " -f1 /proc/hp_target_wait)" = 1 ]' 5
check_eq "a task sleeps in hp_target_wait" "1 0" "$(cat /proc/hp_target_wait)"

dmesg_mark
out=$(hotpatch load "$FIXTURES/hp_patch_wait.ko" 2>&1)
check "the apply is refused while the task is inside" test $? -ne 0
check_grep "the CLI says it timed out" "timed out" "$out"
check "the patch module is not loaded" not_loaded hp_patch_wait
check_grep "the global blocking report names the task" "$waiter sh " "$(cat "$HP_SYSFS"/blocking)"
check_grep "... and the function it is in" "hp_target_wait+" "$(cat "$HP_SYSFS"/blocking)"
check_dmesg -g "the kernel log names the blocker" <<LOG
hotpatch: 'hp_patch_wait': task $waiter (sh) is in hp_target_wait+0x*/0x* \[hp_target\]
hotpatch: 'hp_patch_wait': apply timed out after 1000 ms: 1 task(s) inside the code it replaces (see blocking)
hotpatch: 'hp_patch_wait': refused (-110)
LOG
check "ftrace redirects nothing" not grep -q '^hp_target_wait' /sys/kernel/tracing/enabled_functions

echo release > /proc/hp_target_wait
wait "$waiter"
check_eq "the old function ran to the end" "0 1" "$(cat /proc/hp_target_wait)"

check "once the task has left, the apply succeeds" hotpatch load "$FIXTURES/hp_patch_wait.ko"
check "the machine was stopped for a measured time" test "$(cat "$p"/last_stop_ns)" -gt 0

# Park a task inside the new function: the revert must wait for it.
echo wait > /proc/hp_target_wait &
waiter=$!
# shellcheck disable=SC2016 # wait_for evaluates it
wait_for '[ "$(cut -d" " -f1 /proc/hp_target_wait)" = 1 ]' 5
check "a task sleeps in the new function" test "$(cut -d' ' -f1 /proc/hp_target_wait)" = 1
out=$(hotpatch disable hp_patch_wait 2>&1)
check "the revert is refused while the task is inside" test $? -ne 0
check_eq "the patch is still applied" applied "$(cat "$p"/state)"
check_eq "and enabled" 1 "$(cat "$p"/enabled)"
check_grep "its blocking file names the new function" "hp_patch_wait_wait+" "$(cat "$p"/blocking)"
check_grep "its last_error says why" "revert timed out" "$(cat "$p"/last_error)"

echo release > /proc/hp_target_wait
wait "$waiter"
check_eq "the new function ran to the end" "0 2" "$(cat /proc/hp_target_wait)"
check "now the revert succeeds" hotpatch disable hp_patch_wait
check_eq "reverted" reverted "$(cat "$p"/state)"
check "and the module unloads" hotpatch unload hp_patch_wait
unload_mod hp_target
unload_core
