#!/bin/sh
# A patch for a function of a loaded module changes its result on
# `hotpatch load` and restores it on `hotpatch unload`, in both redirect
# modes; the sysfs tree reflects each step.
# requires: /usr/bin/hotpatch
# shellcheck source=../lib/functions.sh
. /lib/hotpatch/tests/lib/functions.sh
# shellcheck source=../lib/hotpatch.sh
. /lib/hotpatch/tests/lib/hotpatch.sh

plan 25

load_mod "$FIXTURES/hp_target.ko"
check_eq "target module answers the original" "original 42" "$(cat /proc/hp_target)"

for mode in direct ops; do
	load_core "mode=$mode"
	check_eq "core reports default mode $mode" "$mode" "$(cat "$HP_SYSFS"/default_mode)"

	out=$(hotpatch load "$FIXTURES/hp_patch_target.ko" 2>&1)
	check "[$mode] hotpatch load succeeds" test $? -eq 0
	check_eq "[$mode] both functions run the new code" "patched 43" "$(cat /proc/hp_target)"
	check_grep "[$mode] load prints the patched function" "hp_target_message" "$out"

	p="$HP_SYSFS"/patches/hp_patch_target
	check_eq "[$mode] state is applied" applied "$(cat "$p"/state)"
	check_eq "[$mode] enabled is 1" 1 "$(cat "$p"/enabled)"
	check_eq "[$mode] patch mode is $mode" "$mode" "$(cat "$p"/mode)"
	check_eq "[$mode] object is patched" 1 "$(cat "$p"/hp_target/patched)"
	check_eq "[$mode] function mode is $mode" "$mode" \
		"$(cat "$p/hp_target/hp_target_answer,0/mode")"

	hotpatch unload hp_patch_target
	check "[$mode] hotpatch unload succeeds" test $? -eq 0
	check_eq "[$mode] original code runs again" "original 42" "$(cat /proc/hp_target)"
	check "[$mode] patch module is gone" not_loaded hp_patch_target

	unload_core
done

unload_mod hp_target
