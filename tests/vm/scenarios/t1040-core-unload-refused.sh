#!/bin/sh
# The core cannot be removed while a patch is applied (or loaded at all):
# patch modules depend on it. Once they are gone, it unloads cleanly.
# shellcheck source=../lib/functions.sh
. /lib/hotpatch/tests/lib/functions.sh
# shellcheck source=../lib/hotpatch.sh
. /lib/hotpatch/tests/lib/hotpatch.sh

plan 5

load_core
load_mod "$FIXTURES/hp_patch_cmdline.ko"
check "rmmod hotpatch is refused while a patch is applied" not rmmod hotpatch
check "the core is still loaded" test -d $HP_SYSFS
check_eq "the patch is still applied" applied "$(cat "$HP_SYSFS"/patches/hp_patch_cmdline/state)"
echo 0 > "$HP_SYSFS"/patches/hp_patch_cmdline/enabled
rmmod hp_patch_cmdline
check "rmmod hotpatch succeeds once no patch is loaded" rmmod hotpatch
check "sysfs root is gone" test ! -e $HP_SYSFS
