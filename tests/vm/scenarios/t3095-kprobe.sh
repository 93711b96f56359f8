#!/bin/sh
# kprobes and hotpatch (upstream test-kprobe.sh), in both redirect modes.
# A kprobe with a post handler (an IPMODIFY ftrace_ops) and a patch of the
# same function exclude each other, in both orders: the second one is
# refused and the first keeps working; hotpatch names the kprobe. A kprobe
# without a post handler shares the function with a patch, in both orders:
# the patch applies and runs, and the kprobe keeps firing, before and after
# the revert.
# requires: /usr/bin/hotpatch /usr/bin/insmod1
# shellcheck source=../lib/functions.sh
. /lib/hotpatch/tests/lib/functions.sh
# shellcheck source=../lib/hotpatch.sh
. /lib/hotpatch/tests/lib/hotpatch.sh

plan 38

KP=$FIXTURES/hp_kprobe.ko
PATCH=$FIXTURES/hp_patch_cmdline.ko
PATCHED="this has been live patched by hotpatch"
orig=$(cat /proc/cmdline)

pre_hits() {
	cat /sys/module/hp_kprobe/parameters/pre_hits
}

# fires: reading /proc/cmdline calls the kprobe's pre handler
fires() {
	_h=$(pre_hits)
	cat /proc/cmdline >/dev/null
	[ "$(pre_hits)" -gt "$_h" ]
}

for mode in direct ops; do
	load_core "mode=$mode"

	# upstream: kprobed function with post_handler
	insmod1 "$KP" >/dev/null || bail_out "cannot load hp_kprobe"
	out=$(hotpatch load "$PATCH" 2>&1)
	check "[$mode] a kprobe with a post handler: the patch is refused" \
		test $? -ne 0
	check_grep "[$mode] the refusal names the kprobe" \
		"cmdline_proc_show' in $mode mode: it is owned by a kprobe with a post handler" "$out"
	check "[$mode] the kprobe still fires" fires
	rmmod hp_kprobe

	# the other order
	check "[$mode] the patch loads" hotpatch load "$PATCH"
	check_fails "[$mode] a kprobe with a post handler is refused now" \
		insmod1 "$KP"
	check_eq "[$mode] the patch still runs" "$PATCHED" "$(cat /proc/cmdline)"
	hotpatch unload hp_patch_cmdline >/dev/null

	# upstream: kprobed function without post_handler
	check "[$mode] a kprobe without a post handler loads" \
		insmod1 "$KP" has_post_handler=0
	check "[$mode] the patch loads on the kprobed function" \
		hotpatch load "$PATCH"
	check_eq "[$mode] the patch runs" "$PATCHED" "$(cat /proc/cmdline)"
	check "[$mode] the kprobe fires" fires
	check "[$mode] the kprobe unloads under the patch" rmmod hp_kprobe
	check_eq "[$mode] the patch still runs" "$PATCHED" "$(cat /proc/cmdline)"
	hotpatch unload hp_patch_cmdline >/dev/null

	# the other order
	hotpatch load "$PATCH" >/dev/null
	check "[$mode] a kprobe without a post handler loads on the patched function" \
		insmod1 "$KP" has_post_handler=0
	check_eq "[$mode] the patch runs" "$PATCHED" "$(cat /proc/cmdline)"
	check "[$mode] the kprobe fires" fires
	check "[$mode] the patch reverts under the kprobe" \
		hotpatch unload hp_patch_cmdline
	check_eq "[$mode] the original runs" "$orig" "$(cat /proc/cmdline)"
	check "[$mode] the kprobe still fires" fires
	rmmod hp_kprobe
	unload_core
done
check_eq "ftrace redirects nothing" "" "$(cat /sys/kernel/tracing/enabled_functions)"
check_eq "no test module is left" "" \
	"$(grep -E 'hp_kprobe|hp_patch_cmdline' /proc/modules)"
