#!/bin/sh
# An unsigned patch module is refused with ENOKEY before anything is
# applied: a manifest without a signature at staging (its init never
# runs), a module without any manifest when it registers.
# requires: /usr/bin/hotpatch /usr/bin/insmod1
# shellcheck source=../lib/functions.sh
. /lib/hotpatch/tests/lib/functions.sh
# shellcheck source=../lib/hotpatch.sh
. /lib/hotpatch/tests/lib/hotpatch.sh
# shellcheck source=../lib/stage.sh
. /lib/hotpatch/tests/lib/stage.sh

plan 12

# shellcheck disable=SC2119 # load_core takes optional core parameters
load_core
refused "manifest without signature" "$FIXTURES/hp_sig_unsigned.ko" \
	hp_patch_cmdline 126 "the manifest is not signed"
refused "no manifest" "$FIXTURES/hp_sig_nomanifest.ko" \
	hp_patch_cmdline 126 "the patch module has no manifest: it is not signed"
unload_core
