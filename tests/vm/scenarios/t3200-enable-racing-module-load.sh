#!/bin/sh
# An enable that races a target module's load: while the module is coming
# but ftrace has not enabled its records yet (held there by hp_delay_load,
# a kprobe on ftrace_module_enable), the module does not count as loaded;
# the core patches it from its COMING notifier instead, so the new code
# runs and ftrace stays intact. Failed before the fix of commit "core: a
# target module counts as present only once the core's COMING notifier ran
# for it" (the enable armed redirects on disabled ftrace records: applied,
# patched=1, the module ran the old code, and ftrace warned in
# referenced_filters()).
# requires: /usr/bin/hotpatch
# timeout: 120
# shellcheck source=../lib/functions.sh
. /lib/hotpatch/tests/lib/functions.sh
# shellcheck source=../lib/hotpatch.sh
. /lib/hotpatch/tests/lib/hotpatch.sh

plan 11

load_core
p="$HP_SYSFS"/patches/hp_patch_target
d=/sys/module/hp_delay_load/parameters
check "the delaying kprobe loads" load_mod "$FIXTURES/hp_delay_load.ko" delay_ms=3000
check "a patch for hp_target loads" hotpatch load "$FIXTURES/hp_patch_target.ko"
check "and is disabled again" hotpatch disable hp_patch_target

dmesg_mark
insmod "$FIXTURES/hp_target.ko" &
loader=$!
# shellcheck disable=SC2016 # wait_for evaluates it
check "the load is held before ftrace enables its records" \
	wait_for '[ "$(cat $d/in_window)" = 1 ]' 10
echo 1 > "$p"/enabled
check_eq "the enable ran inside the window" 1 "$(cat $d/hits)"
wait "$loader"
check_eq "the patch is applied" applied "$(cat "$p"/state)"
check_eq "the module runs the new code" "patched 43" "$(cat /proc/hp_target)"
check_eq "its function is patched" 1 "$(cat "$p/hp_target/hp_target_answer,0/patched")"
check_dmesg "the core patched the module as it loaded" <<'LOG'
hotpatch: 'hp_patch_target': applied
hotpatch: 'hp_patch_target': patched module 'hp_target' as it loads
LOG

check "the revert succeeds" hotpatch disable hp_patch_target
check_eq "the old code runs again" "original 42" "$(cat /proc/hp_target)"
hotpatch unload hp_patch_target
unload_mod hp_target
unload_mod hp_delay_load
unload_core
