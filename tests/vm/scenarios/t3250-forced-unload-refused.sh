#!/bin/sh
# rmmod -f (the test kernel has MODULE_FORCE_UNLOAD) of an applied or a
# forced patch is refused like a plain rmmod: the core is a user of the
# patch module while it is applied, and the kernel never removes a module
# that has users. Once reverted, the module goes.
# Failed before the fix of commit "core: an applied or forced patch's
# module has the core as a user, so rmmod -f is refused" (the forced
# unload went through, hotpatch_unregister() warned and freed redirects
# that were live).
# requires: /usr/bin/hotpatch
# shellcheck source=../lib/functions.sh
. /lib/hotpatch/tests/lib/functions.sh
# shellcheck source=../lib/hotpatch.sh
. /lib/hotpatch/tests/lib/hotpatch.sh

plan 14

load_core
load_mod "$FIXTURES/hp_target.ko"
p="$HP_SYSFS"/patches/hp_patch_target
hotpatch load "$FIXTURES/hp_patch_target.ko" >/dev/null
check_eq "the patch is applied" "patched 43" "$(cat /proc/hp_target)"
check_grep "the core is listed as a user of its module" "hotpatch" \
	"$(grep '^hp_patch_target ' /proc/modules)"

check_fails "rmmod -f of the applied patch is refused" rmmod -f hp_patch_target
check "its module is still loaded" is_loaded hp_patch_target
check_eq "it is still applied" applied "$(cat "$p"/state)"
check_eq "and still runs" "patched 43" "$(cat /proc/hp_target)"
check_eq "the kernel is not tainted by a forced removal" 0 \
	$(($(cat /proc/sys/kernel/tainted) & 8))

check "once reverted" hotpatch disable hp_patch_target
check "rmmod -f removes it" rmmod -f hp_patch_target
check_eq "the old code runs" "original 42" "$(cat /proc/hp_target)"

# A patch whose revert was forced stays pinned, rmmod -f included.
hotpatch load "$FIXTURES/hp_patch_cmdline.ko" >/dev/null
check "a forced revert" hotpatch disable --force hp_patch_cmdline
check_eq "reverted" reverted "$(cat "$HP_SYSFS"/patches/hp_patch_cmdline/state)"
check_fails "rmmod -f of the forced patch is refused" rmmod -f hp_patch_cmdline
check "its module is still loaded" is_loaded hp_patch_cmdline
unload_mod hp_target
