#!/bin/sh
# Two independent patches (upstream test-livepatch.sh "multiple
# livepatches"), in both redirect modes: one of vmlinux (/proc/cmdline),
# one of a module (/proc/hp_target); both run while both are applied;
# reverting the newest first leaves the oldest running, then nothing. What
# /proc shows after each step goes into the kernel log, and the whole
# transcript is compared, as upstream does. Independent patches may also
# be reverted oldest first (docs/consistency.md).
# requires: /usr/bin/hotpatch
# shellcheck source=../lib/functions.sh
. /lib/hotpatch/tests/lib/functions.sh
# shellcheck source=../lib/hotpatch.sh
. /lib/hotpatch/tests/lib/hotpatch.sh

DMESG_FILTER='^(hotpatch|hp-result):'
plan 16

orig=$(cat /proc/cmdline)

# result: what /proc shows, into the kernel log
result() {
	_c=original
	[ "$(cat /proc/cmdline)" = "$orig" ] || _c="'$(cat /proc/cmdline)'"
	echo "hp-result: cmdline $_c, hp_target '$(cat /proc/hp_target)'" >/dev/kmsg
}

load_mod "$FIXTURES/hp_target.ko"
for mode in direct ops; do
	load_core "mode=$mode"
	dmesg_mark
	check "[$mode] the vmlinux patch loads" \
		hotpatch load "$FIXTURES/hp_patch_cmdline.ko"
	result
	check "[$mode] the module patch loads" \
		hotpatch load "$FIXTURES/hp_patch_target.ko"
	result
	check "[$mode] the newest reverts first" hotpatch unload hp_patch_target
	result
	check "[$mode] then the oldest" hotpatch unload hp_patch_cmdline
	result
	check_dmesg "[$mode] both run together; each revert undoes only its own" <<'LOG'
hotpatch: 'hp_patch_cmdline': applied
hp-result: cmdline 'this has been live patched by hotpatch', hp_target 'original 42'
hotpatch: 'hp_patch_target': applied
hp-result: cmdline 'this has been live patched by hotpatch', hp_target 'patched 43'
hotpatch: 'hp_patch_target': reverted
hp-result: cmdline 'this has been live patched by hotpatch', hp_target 'original 42'
hotpatch: 'hp_patch_cmdline': reverted
hp-result: cmdline original, hp_target 'original 42'
LOG

	# the other order, allowed for independent patches
	hotpatch load "$FIXTURES/hp_patch_cmdline.ko" >/dev/null
	hotpatch load "$FIXTURES/hp_patch_target.ko" >/dev/null
	check "[$mode] the oldest may revert first" hotpatch unload hp_patch_cmdline
	check_eq "[$mode] the newest still runs, the oldest not" \
		"$orig patched 43" "$(cat /proc/cmdline) $(cat /proc/hp_target)"
	hotpatch unload hp_patch_target >/dev/null
	check_eq "[$mode] ftrace redirects nothing" "" \
		"$(cat /sys/kernel/tracing/enabled_functions)"
	unload_core
done
unload_mod hp_target
