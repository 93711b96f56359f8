#!/bin/sh
# A patch module whose manifest is signed by a certificate built into the
# core loads and applies; sysfs shows the keyring, the policy and who
# signed the patch.
# requires: /usr/bin/hotpatch
# shellcheck source=../lib/functions.sh
. /lib/hotpatch/tests/lib/functions.sh
# shellcheck source=../lib/hotpatch.sh
. /lib/hotpatch/tests/lib/hotpatch.sh

plan 15

# shellcheck disable=SC2119 # load_core takes optional core parameters
load_core
serial=$(cat $HP_SYSFS/keyring)
check "keyring shows the keyring's serial" test "$serial" -gt 0
keys=$(cat $HP_SYSFS/keys)
check_grep "keys lists the built-in certificate" \
	"hotpatch build test key: " "$keys"
check_grep "keys says it is built in" "	builtin" "$keys"
check_eq "the keyring is not locked" "0" "$(cat $HP_SYSFS/keys_locked)"
check_eq "signatures are required" "1" "$(cat $HP_SYSFS/require_signature)"
check_eq "module signatures are not (the kernel does not enforce them)" \
	"0" "$(cat $HP_SYSFS/require_module_sig)"

check "the signed patch loads" hotpatch load "$FIXTURES/hp_patch_cmdline.ko"
check_eq "and applies" "this has been live patched by hotpatch" \
	"$(cat /proc/cmdline)"
p=$HP_SYSFS/patches/hp_patch_cmdline
check_eq "signer names the certificate" "hotpatch build test key" \
	"$(cat $p/signer)"
kid=$(cat $p/key_id)
check_grep "key_id is the key that keys lists" \
	"hotpatch build test key: $kid	builtin" "$keys"
check_eq "module_sig_ok: the kernel did not verify the module signature" \
	"0" "$(cat $p/module_sig_ok)"
check "it reverts" hotpatch unload hp_patch_cmdline

check "the target module loads" insmod "$FIXTURES/hp_target.ko"
check "a signed patch of a module target loads" \
	hotpatch load "$FIXTURES/hp_patch_target.ko"
check_eq "and applies" "patched 43" "$(cat /proc/hp_target)"
hotpatch unload hp_patch_target
rmmod hp_target
unload_core
