#!/bin/sh
# Callbacks of several objects and several patches, ported from upstream's
# selftests test-callbacks.sh ("multiple target modules", "multiple
# livepatches", "atomic replace"), compared as kernel-log transcripts: the
# callbacks of each target module run when the patch is applied or when
# the module comes (before its init) and goes (after its exit); stacked
# patches run their own callbacks, each around its own transition; a
# cumulative patch replaces a patch without running the replaced patch's
# unpatch callbacks, and runs its own on revert.
# requires: /usr/bin/hotpatch
# shellcheck source=../lib/functions.sh
. /lib/hotpatch/tests/lib/functions.sh
# shellcheck source=../lib/hotpatch.sh
. /lib/hotpatch/tests/lib/hotpatch.sh

DMESG_FILTER='^(hotpatch|hp_callbacks_demo2?|hp_patch_cumul_none|hp_target|hp_target_conns):'
plan 15

load_core
demo=$FIXTURES/hp_callbacks_demo.ko
demo2=$FIXTURES/hp_callbacks_demo2.ko

# upstream: multiple target modules (hp_target_conns plays the part of
# test_klp_callbacks_busy, loaded before the patch; hp_target the part of
# test_klp_callbacks_mod, loaded after it)
dmesg_mark
load_mod "$FIXTURES/hp_target_conns.ko"
check "the patch loads" hotpatch load "$demo"
load_mod "$FIXTURES/hp_target.ko"
check_eq "the late module runs the new function" "callbacks 42" \
	"$(cat /proc/hp_target)"
unload_mod hp_target
check "the patch reverts" hotpatch disable hp_callbacks_demo
rmmod hp_callbacks_demo
unload_mod hp_target_conns
check_dmesg "every object's callbacks, in order, around each event" <<'LOG'
hp_target_conns: init
hp_callbacks_demo: pre_patch_callback: vmlinux
hp_callbacks_demo: pre_patch_callback: hp_target_conns
hp_callbacks_demo: post_patch_callback: vmlinux
hp_callbacks_demo: post_patch_callback: hp_target_conns
hotpatch: 'hp_callbacks_demo': applied
hp_callbacks_demo: pre_patch_callback: hp_target
hotpatch: 'hp_callbacks_demo': patched module 'hp_target' as it loads
hp_callbacks_demo: post_patch_callback: hp_target
hp_target: init
hp_target: exit
hp_callbacks_demo: pre_unpatch_callback: hp_target
hotpatch: 'hp_callbacks_demo': module 'hp_target' is going; its functions are no longer patched
hp_callbacks_demo: post_unpatch_callback: hp_target
hp_callbacks_demo: pre_unpatch_callback: vmlinux
hp_callbacks_demo: pre_unpatch_callback: hp_target_conns
hp_callbacks_demo: post_unpatch_callback: vmlinux
hp_callbacks_demo: post_unpatch_callback: hp_target_conns
hotpatch: 'hp_callbacks_demo': reverted
hp_target_conns: exit
LOG

# upstream: multiple livepatches
dmesg_mark
check "the first patch loads" hotpatch load "$demo"
check "the second patch loads" hotpatch load "$demo2"
check "the second patch reverts" hotpatch disable hp_callbacks_demo2
check "the first patch reverts" hotpatch disable hp_callbacks_demo
rmmod hp_callbacks_demo2
rmmod hp_callbacks_demo
check_dmesg "each patch runs its own callbacks around its own transition" <<'LOG'
hp_callbacks_demo: pre_patch_callback: vmlinux
hp_callbacks_demo: post_patch_callback: vmlinux
hotpatch: 'hp_callbacks_demo': applied
hp_callbacks_demo2: pre_patch_callback: vmlinux
hp_callbacks_demo2: post_patch_callback: vmlinux
hotpatch: 'hp_callbacks_demo2': applied
hp_callbacks_demo2: pre_unpatch_callback: vmlinux
hp_callbacks_demo2: post_unpatch_callback: vmlinux
hotpatch: 'hp_callbacks_demo2': reverted
hp_callbacks_demo: pre_unpatch_callback: vmlinux
hp_callbacks_demo: post_unpatch_callback: vmlinux
hotpatch: 'hp_callbacks_demo': reverted
LOG

# upstream: atomic replace (hp_patch_cumul_none is the replace=1 patch);
# with hp_target loaded, its callbacks run too, and /proc shows who runs
load_mod "$FIXTURES/hp_target.ko"
dmesg_mark
hotpatch load "$demo" >/dev/null
check_eq "the first patch runs" "callbacks 42" "$(cat /proc/hp_target)"
check "the cumulative patch loads" hotpatch load "$FIXTURES/hp_patch_cumul_none.ko"
check_eq "only the cumulative patch runs" "original 100" "$(cat /proc/hp_target)"
check "the cumulative patch reverts" hotpatch disable hp_patch_cumul_none
check_eq "the original runs" "original 42" "$(cat /proc/hp_target)"
rmmod hp_patch_cumul_none
rmmod hp_callbacks_demo
check_dmesg "the replaced patch's unpatch callbacks never run" <<'LOG'
hp_callbacks_demo: pre_patch_callback: vmlinux
hp_callbacks_demo: pre_patch_callback: hp_target
hp_callbacks_demo: post_patch_callback: vmlinux
hp_callbacks_demo: post_patch_callback: hp_target
hotpatch: 'hp_callbacks_demo': applied
hp_patch_cumul_none: pre_patch_callback: vmlinux
hotpatch: 'hp_callbacks_demo': replaced by 'hp_patch_cumul_none'
hp_patch_cumul_none: post_patch_callback: vmlinux
hotpatch: 'hp_patch_cumul_none': applied
hp_patch_cumul_none: pre_unpatch_callback: vmlinux
hp_patch_cumul_none: post_unpatch_callback: vmlinux
hotpatch: 'hp_patch_cumul_none': reverted
LOG
unload_mod hp_target
unload_core
