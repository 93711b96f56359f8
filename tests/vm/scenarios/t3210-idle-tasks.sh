#!/bin/sh
# The per-CPU idle tasks are stack-checked like every other task: a patch
# of schedule_idle(), which every idle task that is off its CPU is inside,
# can never be switched; the core refuses it and names the idle tasks. An
# ordinary patch still applies and reverts with the idle tasks walked.
# Failed before the fix of commit "transition: walk the idle task of every
# online CPU; wait for idle CPUs before freeing" (the patch of
# schedule_idle applied at once: for_each_process_thread() skips the idle
# tasks; its revert and removal then left swapper/N in freed code).
# requires: /usr/bin/hotpatch
# timeout: 120
# shellcheck source=../lib/functions.sh
. /lib/hotpatch/tests/lib/functions.sh
# shellcheck source=../lib/hotpatch.sh
. /lib/hotpatch/tests/lib/hotpatch.sh

plan 8

load_core timeout_ms=1000
# Keep CPU 1 busy now and then, so its idle task is switched out too.
(while :; do i=0; while [ $i -lt 2000 ]; do i=$((i + 1)); done; sleep 0.05; done) &
spinner=$!

dmesg_mark
out=$(hotpatch load "$FIXTURES/hp_patch_idle.ko" 2>&1)
check "a patch of schedule_idle is refused" test $? -ne 0
check_grep "the CLI says it timed out" "timed out" "$out"
check "the patch module is not loaded" not_loaded hp_patch_idle
check_grep "the blocking report names an idle task" "swapper/" "$(cat "$HP_SYSFS"/blocking)"
check_grep "... inside schedule_idle" "schedule_idle+" "$(cat "$HP_SYSFS"/blocking)"
check "ftrace redirects nothing there" not grep -q '^schedule_idle' /sys/kernel/tracing/enabled_functions

check "an ordinary patch applies" hotpatch load "$FIXTURES/hp_patch_cmdline.ko"
check "and reverts and unloads" hotpatch unload hp_patch_cmdline
kill "$spinner"
wait "$spinner" 2>/dev/null
unload_core
