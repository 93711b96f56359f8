#!/bin/sh
# A patch naming a symbol the kernel does not have is refused with a clear
# message, and leaves nothing loaded or redirected (its other function,
# which does exist, included).
# requires: /usr/bin/hotpatch
# shellcheck source=../lib/functions.sh
. /lib/hotpatch/tests/lib/functions.sh
# shellcheck source=../lib/hotpatch.sh
. /lib/hotpatch/tests/lib/hotpatch.sh

plan 9

load_core
orig=$(cat /proc/cmdline)
dmesg_mark
out=$(hotpatch load "$FIXTURES/hp_patch_missing.ko" 2>&1)
rc=$?
check "hotpatch load fails" test $rc -ne 0
check_grep "the CLI names the missing symbol" "hotpatch_no_such_function" "$out"
check_grep "the CLI says it was not found" "not found" "$out"
check "the patch module is not loaded" not_loaded hp_patch_missing
check "no sysfs directory remains" test ! -e "$HP_SYSFS"/patches/hp_patch_missing
check_eq "the existing function was not redirected" "$orig" "$(cat /proc/cmdline)"
check "ftrace redirects nothing" not grep -q '^cmdline_proc_show' /sys/kernel/tracing/enabled_functions
check_grep "last_error names patch and reason" \
	"hp_patch_missing	2	symbol 'hotpatch_no_such_function' not found in 'vmlinux'" \
	"$(cat "$HP_SYSFS"/last_error)"
check_dmesg "the kernel log says why" <<'LOG'
hotpatch: 'hp_patch_missing': symbol 'hotpatch_no_such_function' not found in 'vmlinux'
hotpatch: 'hp_patch_missing': refused (-2)
LOG
unload_core
