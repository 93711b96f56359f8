#!/bin/sh
# A patch whose manifest is signed by a key the core does not trust is
# refused with ENOKEY before anything is applied.
# requires: /usr/bin/hotpatch /usr/bin/insmod1
# shellcheck source=../lib/functions.sh
. /lib/hotpatch/tests/lib/functions.sh
# shellcheck source=../lib/hotpatch.sh
. /lib/hotpatch/tests/lib/hotpatch.sh
# shellcheck source=../lib/stage.sh
. /lib/hotpatch/tests/lib/stage.sh

plan 7

# shellcheck disable=SC2119 # load_core takes optional core parameters
load_core
refused "signed by an unknown key" "$FIXTURES/hp_sig_otherkey.ko" \
	hp_patch_cmdline 126 \
	"the manifest is signed by a key the hotpatch keyring does not trust"
check_grep "keys does not list that key" "hotpatch build test key" \
	"$(cat $HP_SYSFS/keys)"
unload_core
