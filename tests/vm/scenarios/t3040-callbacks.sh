#!/bin/sh
# Callbacks, ported from upstream's selftests test-callbacks.sh: pre/post
# patch and unpatch callbacks run per object in order, for objects loaded
# before and after the patch; a pre-patch callback can veto the patch (its
# errno reaches the CLI) or a module's load; unpatch callbacks run only
# after a successful pre-patch callback.
# requires: /usr/bin/hotpatch /usr/bin/insmod1
# shellcheck source=../lib/functions.sh
. /lib/hotpatch/tests/lib/functions.sh
# shellcheck source=../lib/hotpatch.sh
. /lib/hotpatch/tests/lib/hotpatch.sh

DMESG_FILTER='^(hotpatch|hp_callbacks_demo):'
plan 13

load_core
demo="$FIXTURES"/hp_callbacks_demo.ko

# test 1 upstream: target module loaded before the patch
load_mod "$FIXTURES/hp_target.ko"
dmesg_mark
check "the patch loads" hotpatch load "$demo"
check_eq "its function runs" "callbacks 42" "$(cat /proc/hp_target)"
check "the patch reverts" hotpatch unload hp_callbacks_demo
check_dmesg "callbacks run per object, around the switch" <<'LOG'
hp_callbacks_demo: pre_patch_callback: vmlinux
hp_callbacks_demo: pre_patch_callback: hp_target
hp_callbacks_demo: post_patch_callback: vmlinux
hp_callbacks_demo: post_patch_callback: hp_target
hotpatch: 'hp_callbacks_demo': applied
hp_callbacks_demo: pre_unpatch_callback: vmlinux
hp_callbacks_demo: pre_unpatch_callback: hp_target
hp_callbacks_demo: post_unpatch_callback: vmlinux
hp_callbacks_demo: post_unpatch_callback: hp_target
hotpatch: 'hp_callbacks_demo': reverted
LOG
unload_mod hp_target

# test 2 upstream: target module loaded after the patch, then removed
hotpatch load "$demo" >/dev/null
dmesg_mark
load_mod "$FIXTURES/hp_target.ko"
check_eq "the late module runs the new function" "callbacks 42" "$(cat /proc/hp_target)"
unload_mod hp_target
check_dmesg "the module's callbacks run as it comes and goes" <<'LOG'
hp_callbacks_demo: pre_patch_callback: hp_target
hotpatch: 'hp_callbacks_demo': patched module 'hp_target' as it loads
hp_callbacks_demo: post_patch_callback: hp_target
hp_callbacks_demo: pre_unpatch_callback: hp_target
hotpatch: 'hp_callbacks_demo': module 'hp_target' is going; its functions are no longer patched
hp_callbacks_demo: post_unpatch_callback: hp_target
LOG

# test 7 upstream: a pre-patch callback vetoes a module's load
echo -19 > /sys/module/hp_callbacks_demo/parameters/pre_patch_ret
dmesg_mark
check_fails "the veto refuses the target module's load" insmod1 "$FIXTURES/hp_target.ko"
check "the target module is not loaded" not_loaded hp_target
check_dmesg "no unpatch callback runs after a veto" <<'LOG'
hp_callbacks_demo: pre_patch_callback: hp_target
hotpatch: 'hp_callbacks_demo': the pre-patch callback of 'hp_target' refused (-19)
hotpatch: 'hp_callbacks_demo': refusing to load module 'hp_target': it cannot be patched (-19)
LOG
hotpatch unload hp_callbacks_demo >/dev/null

# test 6 upstream: a pre-patch callback vetoes the patch
dmesg_mark
check_fails "the vetoed patch does not load" insmod1 "$demo" pre_patch_ret=-19
check_grep "the CLI's status shows the callback's errno" "refused (-19)" \
	"$(hotpatch status 2>&1)"
check "the patch module is not loaded" not_loaded hp_callbacks_demo
check_dmesg "the veto is logged, nothing else runs" <<'LOG'
hp_callbacks_demo: pre_patch_callback: vmlinux
hotpatch: 'hp_callbacks_demo': the pre-patch callback of 'vmlinux' refused (-19)
hotpatch: 'hp_callbacks_demo': refused (-19)
LOG
unload_core
