#!/bin/sh
# A signed patch naming a symbol the kernel does not have is refused with
# ENOENT at staging (the module notifier), before its init runs.
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
refused "a missing symbol" "$FIXTURES/hp_patch_missing.ko" hp_patch_missing 2 \
	"symbol 'hotpatch_no_such_function' not found in 'vmlinux'"
check "ftrace redirects nothing" \
	not grep -q "^cmdline_proc_show" /sys/kernel/tracing/enabled_functions
unload_core
