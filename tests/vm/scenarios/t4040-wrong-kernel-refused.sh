#!/bin/sh
# A correctly signed manifest for another vmlinux build-id is refused
# with EINVAL before anything is applied.
# requires: /usr/bin/hotpatch /usr/bin/insmod1
# shellcheck source=../lib/functions.sh
. /lib/hotpatch/tests/lib/functions.sh
# shellcheck source=../lib/hotpatch.sh
. /lib/hotpatch/tests/lib/hotpatch.sh
# shellcheck source=../lib/stage.sh
. /lib/hotpatch/tests/lib/stage.sh

plan 6

# shellcheck disable=SC2119 # load_core takes optional core parameters
load_core
refused "another build-id" "$FIXTURES/hp_sig_buildid.ko" hp_patch_cmdline 22 \
	"built for vmlinux build-id 0123456789abcdef0123456789abcdef01234567, this kernel's is [0-9a-f]*"
unload_core
