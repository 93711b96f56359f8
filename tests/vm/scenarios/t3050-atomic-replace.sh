#!/bin/sh
# Atomic replace: a cumulative patch replaces every applied patch in one
# transition; functions it does not touch go back to the original code;
# the replaced patch modules become removable. In both redirect modes.
# Ported from upstream's selftests test-livepatch.sh "atomic replace".
# requires: /usr/bin/hotpatch
# shellcheck source=../lib/functions.sh
. /lib/hotpatch/tests/lib/functions.sh
# shellcheck source=../lib/hotpatch.sh
. /lib/hotpatch/tests/lib/hotpatch.sh

plan 26

orig_cmdline=$(cat /proc/cmdline)
load_mod "$FIXTURES/hp_target.ko"
for mode in direct ops; do
	load_core "mode=$mode"
	hotpatch load "$FIXTURES/hp_patch_target.ko" >/dev/null
	hotpatch load "$FIXTURES/hp_patch_cmdline.ko" >/dev/null
	check_eq "[$mode] two patches applied" "patched 43" "$(cat /proc/hp_target)"

	dmesg_mark
	check "[$mode] the cumulative patch loads" \
		hotpatch load "$FIXTURES/hp_patch_cumul_none.ko"
	check_eq "[$mode] its function runs; the untouched one is original again" \
		"original 100" "$(cat /proc/hp_target)"
	check_eq "[$mode] the vmlinux function it does not touch is original" \
		"$orig_cmdline" "$(cat /proc/cmdline)"
	for p in hp_patch_target hp_patch_cmdline; do
		check_eq "[$mode] $p is reverted" reverted \
			"$(cat $HP_SYSFS/patches/$p/state)"
	done
	check_dmesg "[$mode] one transition, the replaced patches named" <<'LOG'
hotpatch: 'hp_patch_target': replaced by 'hp_patch_cumul_none'
hotpatch: 'hp_patch_cmdline': replaced by 'hp_patch_cumul_none'
hotpatch: 'hp_patch_cumul_none': applied
LOG
	check "[$mode] ftrace no longer redirects cmdline_proc_show" \
		not grep -q '^cmdline_proc_show' /sys/kernel/tracing/enabled_functions
	check "[$mode] replaced modules can be removed" \
		rmmod hp_patch_target hp_patch_cmdline
	check_eq "[$mode] the cumulative patch is still the one running" \
		"original 100" "$(cat /proc/hp_target)"
	check "[$mode] it unloads" hotpatch unload hp_patch_cumul_none
	check_eq "[$mode] everything is original" "original 42" "$(cat /proc/hp_target)"
	check "[$mode] nothing stays redirected" \
		not grep -q 'hp_target' /sys/kernel/tracing/enabled_functions
	unload_core
done
unload_mod hp_target
