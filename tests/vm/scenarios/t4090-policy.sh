#!/bin/sh
# Policy: require_module_sig=1 refuses a patch whose module signature the
# kernel did not verify (EKEYREJECTED); require_signature=0, a load-time
# parameter only, is logged and lets unsigned patches in, but never one
# with a signature that fails.
# requires: /usr/bin/hotpatch /usr/bin/insmod1
# shellcheck source=../lib/functions.sh
. /lib/hotpatch/tests/lib/functions.sh
# shellcheck source=../lib/hotpatch.sh
. /lib/hotpatch/tests/lib/hotpatch.sh
# shellcheck source=../lib/stage.sh
. /lib/hotpatch/tests/lib/stage.sh

plan 17

load_core require_module_sig=1
check_eq "require_module_sig shows the policy" "1" \
	"$(cat $HP_SYSFS/require_module_sig)"
refused "module signature not verified by the kernel" \
	"$FIXTURES/hp_patch_cmdline.ko" hp_patch_cmdline 129 \
	"the kernel did not verify the module signature (require_module_sig=1)"
unload_core

dmesg_mark
load_core require_signature=0
check_eq "require_signature shows the policy" "0" \
	"$(cat $HP_SYSFS/require_signature)"
check_dmesg -g "turning it off is logged" <<'LOG'
hotpatch: require_signature=0: patch modules with an unsigned manifest, or none, are accepted
hotpatch: built-in certificate 'hotpatch build test key: *'
hotpatch: version *, default mode direct
LOG
check_fails "it cannot be changed at run time" \
	sh -c "echo 1 >/sys/module/hotpatch/parameters/require_signature"
check "a patch without a manifest loads" insmod1 "$FIXTURES/hp_sig_nomanifest.ko"
check_eq "its signer is empty" "" \
	"$(cat $HP_SYSFS/patches/hp_patch_cmdline/signer)"
check "it unloads" hotpatch unload hp_patch_cmdline
check "a patch with an unsigned manifest loads" \
	insmod1 "$FIXTURES/hp_sig_unsigned.ko"
check "it unloads" hotpatch unload hp_patch_cmdline
check_fails "a patch signed by an unknown key is still refused" \
	insmod1 "$FIXTURES/hp_sig_otherkey.ko"
check_fails "a tampered one too" insmod1 "$FIXTURES/hp_sig_mfflip.ko"
unload_core
