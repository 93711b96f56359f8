#!/bin/sh
# A patch for a module that is not loaded applies to what is loaded and
# waits for the rest: the module is patched as it loads, before its init
# runs; unpatched when it goes (it is not pinned); patched again when it
# comes back. A module that cannot be patched as it loads is refused.
# requires: /usr/bin/hotpatch /usr/bin/insmod1
# shellcheck source=../lib/functions.sh
. /lib/hotpatch/tests/lib/functions.sh
# shellcheck source=../lib/hotpatch.sh
. /lib/hotpatch/tests/lib/hotpatch.sh

plan 19

load_core
p="$HP_SYSFS"/patches/hp_patch_target
check "a patch for a module that is not loaded loads" \
	hotpatch load "$FIXTURES/hp_patch_target.ko"
check_eq "it is applied" applied "$(cat "$p"/state)"
check_eq "its object is not patched yet" 0 "$(cat "$p"/hp_target/patched)"
check_eq "its functions are not patched yet" 0 "$(cat "$p/hp_target/hp_target_answer,0/patched")"

dmesg_mark
load_mod "$FIXTURES/hp_target.ko"
check_eq "the module runs the new code from the start" "patched 43" "$(cat /proc/hp_target)"
check_eq "its object is patched" 1 "$(cat "$p"/hp_target/patched)"
check_eq "its function is patched" 1 "$(cat "$p/hp_target/hp_target_answer,0/patched")"
check_dmesg "the kernel log says so" <<'LOG'
hotpatch: 'hp_patch_target': patched module 'hp_target' as it loads
LOG

dmesg_mark
check "the target module can be removed (it is not pinned)" rmmod hp_target
check_eq "its object is no longer patched" 0 "$(cat "$p"/hp_target/patched)"
check_eq "the patch stays applied" applied "$(cat "$p"/state)"
check_dmesg "the kernel log says so" <<'LOG'
hotpatch: 'hp_patch_target': module 'hp_target' is going; its functions are no longer patched
LOG

load_mod "$FIXTURES/hp_target.ko"
check_eq "it is patched again when it comes back" "patched 43" "$(cat /proc/hp_target)"
hotpatch unload hp_patch_target
check_eq "revert restores it" "original 42" "$(cat /proc/hp_target)"
unload_mod hp_target

# A patch whose checks fail only once the module is there.
check "a patch with a wrong size for a module not loaded loads" \
	hotpatch load "$FIXTURES/hp_patch_badsize.ko"
dmesg_mark
check_fails "the module's load is refused" insmod1 "$FIXTURES/hp_target.ko"
check "the module is not loaded" not_loaded hp_target
check_dmesg -g "the kernel log says why" <<'LOG'
hotpatch: 'hp_patch_badsize': function 'hp_target_answer' in 'hp_target' is * bytes, the patch expects 1: built for another kernel?
hotpatch: 'hp_patch_badsize': refusing to load module 'hp_target': it cannot be patched (-22)
LOG
check "nothing of hp_target is redirected" not grep -q 'hp_target' /sys/kernel/tracing/enabled_functions
hotpatch unload hp_patch_badsize
unload_core
