#!/bin/sh
# A correctly signed manifest that expects another size of the function
# it replaces is refused with EINVAL at staging, before anything runs.
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
refused "a wrong old size" "$FIXTURES/hp_sig_oldsize.ko" hp_patch_cmdline 22 \
	"function 'cmdline_proc_show' in 'vmlinux' is [0-9]* bytes, the manifest expects 4096: built for another kernel?"
unload_core
