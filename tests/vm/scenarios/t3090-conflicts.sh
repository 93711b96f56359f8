#!/bin/sh
# Conflicts: a function already owned by upstream livepatch or by a kprobe
# with a post handler is refused in both redirect modes, with a message
# that names the owner; nothing is overridden and nothing of the patch
# stays. The other way round, upstream livepatch cannot take a function
# hotpatch owns, and the hotpatch keeps working.
# requires: /usr/bin/hotpatch /usr/bin/insmod1
# shellcheck source=../lib/functions.sh
. /lib/hotpatch/tests/lib/functions.sh
# shellcheck source=../lib/hotpatch.sh
. /lib/hotpatch/tests/lib/hotpatch.sh

plan 17

KLP=/sys/kernel/livepatch/hp_klp_cmdline
orig=$(cat /proc/cmdline)

check "the upstream livepatch patch loads" insmod1 "$FIXTURES/hp_klp_cmdline.ko"
check "its transition completes" wait_for "[ \"\$(cat $KLP/transition)\" = 0 ]" 30
for mode in direct ops; do
	load_core "mode=$mode"
	out=$(hotpatch load "$FIXTURES/hp_patch_cmdline.ko" 2>&1)
	check "[$mode] hotpatch refuses the function livepatch owns" test $? -ne 0
	check_grep "[$mode] and names the owner" \
		"cmdline_proc_show' in $mode mode: it is owned by the upstream livepatch patch 'hp_klp_cmdline'" "$out"
	check_eq "[$mode] livepatch's code still runs" \
		"this has been live patched by upstream livepatch" "$(cat /proc/cmdline)"
	check "[$mode] the patch module is not loaded" not_loaded hp_patch_cmdline
	unload_core
done
echo 0 > $KLP/enabled
wait_for "[ ! -e $KLP ]" 30
rmmod hp_klp_cmdline
check_eq "livepatch reverted: the original runs" "$orig" "$(cat /proc/cmdline)"

load_core
check "a kprobe with a post handler loads" insmod1 "$FIXTURES/hp_kprobe.ko"
out=$(hotpatch load "$FIXTURES/hp_patch_cmdline.ko" 2>&1)
check "hotpatch refuses the function the kprobe holds" test $? -ne 0
check_grep "and names a kprobe with a post handler" \
	"it is owned by a kprobe with a post handler" "$out"
rmmod hp_kprobe

check "with the kprobe gone, the patch loads" hotpatch load "$FIXTURES/hp_patch_cmdline.ko"
check_fails "upstream livepatch cannot take the function hotpatch owns" \
	insmod1 "$FIXTURES/hp_klp_cmdline.ko"
check_eq "the hotpatch still runs" "this has been live patched by hotpatch" \
	"$(cat /proc/cmdline)"
hotpatch unload hp_patch_cmdline
unload_core
