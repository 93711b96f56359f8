#!/bin/sh
# An administrator adds a certificate to the core's keyring at run time
# (add_key on the serial in sysfs) and its patches load; once the keyring
# is locked, adding one fails with EPERM, is logged, and the lock cannot
# be undone.
# requires: /usr/bin/hp-addkey
# requires: /usr/bin/hotpatch /usr/bin/insmod1
# shellcheck source=../lib/functions.sh
. /lib/hotpatch/tests/lib/functions.sh
# shellcheck source=../lib/hotpatch.sh
. /lib/hotpatch/tests/lib/hotpatch.sh
# shellcheck source=../lib/stage.sh
. /lib/hotpatch/tests/lib/stage.sh

plan 16

# shellcheck disable=SC2119 # load_core takes optional core parameters
load_core
serial=$(cat $HP_SYSFS/keyring)
dmesg_mark
check "a certificate is added before the lock" hp-addkey "$serial"
keys=$(cat $HP_SYSFS/keys)
check_grep "keys lists it as added" "hotpatch untrusted test key: " "$keys"
check_grep "keys lists it as added, not built in" "	added" "$keys"
check_dmesg -g "the addition is logged" <<'LOG'
hotpatch: certificate * added to the keyring by pid * (hp-addkey)
LOG
check "a patch signed with that key now loads" \
	hotpatch load "$FIXTURES/hp_sig_otherkey.ko"
check_eq "its signer is the added certificate" "hotpatch untrusted test key" \
	"$(cat $HP_SYSFS/patches/hp_patch_cmdline/signer)"
check "it reverts" hotpatch unload hp_patch_cmdline

dmesg_mark
check "the keyring locks" sh -c "echo 1 >$HP_SYSFS/keys_locked"
check_eq "keys_locked says so" "1" "$(cat $HP_SYSFS/keys_locked)"
out=$(hp-addkey "$serial" 2>/dev/null)
check_eq "adding a certificate after the lock fails with EPERM" "EPERM" "$out"
check_dmesg -g "the lock and the refusal are logged" <<'LOG'
hotpatch: keyring locked by pid * (sh): no certificate can be added until the core is reloaded
hotpatch: keyring is locked: refused certificate * from pid * (hp-addkey)
LOG
check_fails "the lock cannot be undone" sh -c "echo 0 >$HP_SYSFS/keys_locked"
check_eq "keys_locked stays 1" "1" "$(cat $HP_SYSFS/keys_locked)"
check_eq "keys still lists both certificates" "2" \
	"$(grep -c "test key: " $HP_SYSFS/keys)"
check "patches signed by either key still load" sh -c \
	"hotpatch load $FIXTURES/hp_sig_otherkey.ko && hotpatch unload hp_patch_cmdline && hotpatch load $FIXTURES/hp_patch_cmdline.ko"
check "and unload" hotpatch unload hp_patch_cmdline
unload_core
