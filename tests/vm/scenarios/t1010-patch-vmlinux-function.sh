#!/bin/sh
# A patch for a vmlinux function (cmdline_proc_show, behind /proc/cmdline)
# takes effect on load and is undone on unload, in both redirect modes.
# requires: /usr/bin/hotpatch
# shellcheck source=../lib/functions.sh
. /lib/hotpatch/tests/lib/functions.sh
# shellcheck source=../lib/hotpatch.sh
. /lib/hotpatch/tests/lib/hotpatch.sh

plan 14

orig=$(cat /proc/cmdline)
for mode in direct ops; do
	load_core "mode=$mode"
	hotpatch load "$FIXTURES/hp_patch_cmdline.ko" >/dev/null
	check "[$mode] hotpatch load succeeds" test $? -eq 0
	check_eq "[$mode] /proc/cmdline shows the patched text" \
		"this has been live patched by hotpatch" "$(cat /proc/cmdline)"
	f="$HP_SYSFS/patches/hp_patch_cmdline/vmlinux/cmdline_proc_show,0"
	check_eq "[$mode] function is patched" 1 "$(cat "$f/patched")"
	check "[$mode] old address is a kernel address" \
		grep -q '^0xffffffff' "$f/old_addr"
	check "[$mode] ftrace lists the redirected function" \
		grep -q '^cmdline_proc_show' /sys/kernel/tracing/enabled_functions
	hotpatch unload hp_patch_cmdline
	check_eq "[$mode] /proc/cmdline is back" "$orig" "$(cat /proc/cmdline)"
	check "[$mode] ftrace no longer redirects it" \
		not grep -q '^cmdline_proc_show' /sys/kernel/tracing/enabled_functions
	unload_core
done
