#!/bin/sh
# A correctly signed patch for another build of a loaded target module
# (its GNU build-id differs from the manifest's) is refused with EINVAL at
# staging, before anything is applied.
# requires: /usr/bin/hotpatch /usr/bin/insmod1
# shellcheck source=../lib/functions.sh
. /lib/hotpatch/tests/lib/functions.sh
# shellcheck source=../lib/hotpatch.sh
. /lib/hotpatch/tests/lib/hotpatch.sh
# shellcheck source=../lib/stage.sh
. /lib/hotpatch/tests/lib/stage.sh

plan 8

# shellcheck disable=SC2119 # load_core takes optional core parameters
load_core
check "the target module loads" insmod "$FIXTURES/hp_target.ko"
refused "another build of hp_target" "$FIXTURES/hp_sig_modbuild.ko" \
	hp_patch_target 22 \
	"module 'hp_target': built for build-id 00112233445566778899aabbccddeeff00112233, found [0-9a-f]*"
check_eq "the target runs its own code" "original 42" "$(cat /proc/hp_target)"
rmmod hp_target
unload_core
