#!/bin/sh
# One flipped byte in the signed manifest, or in its signature, and the
# patch is refused with EKEYREJECTED before anything is applied.
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
refused "a byte of the manifest flipped" "$FIXTURES/hp_sig_mfflip.ko" \
	hp_patch_cmdline 129 "the manifest signature does not match the manifest"
refused "a byte of the signature flipped" "$FIXTURES/hp_sig_sigflip.ko" \
	hp_patch_cmdline 129 "the manifest signature does not match the manifest"
unload_core
