#!/bin/sh
# Patch modules made by `hotpatch-build module` (tests/fixtures/gen/gen.sh:
# real kbuild objects diffed, generated, linked and signed) load with the
# hotpatch CLI and change what a module (two patch objects; a local name
# that exists twice, patched at its sympos) and vmlinux do, in both redirect
# modes; disable reverts, enable re-applies, unload restores. A module made
# with --mode ops patches both objects in ops mode whatever the core's
# default.
# requires: /usr/bin/hotpatch
# shellcheck source=../lib/functions.sh
. /lib/hotpatch/tests/lib/functions.sh
# shellcheck source=../lib/hotpatch.sh
. /lib/hotpatch/tests/lib/hotpatch.sh

plan 49

load_mod "$FIXTURES/hp_target.ko"
cmdline=$(cat /proc/cmdline)
check_eq "hp_target answers the original" "original 42" "$(cat /proc/hp_target)"
check_eq "both hp_dup_name run the original" "first second" "$(cat /proc/hp_target_dup)"

for mode in direct ops; do
	load_core "mode=$mode"

	out=$(hotpatch load "$FIXTURES/hp_gen_target.ko" 2>&1)
	check "[$mode] hotpatch load hp_gen_target succeeds" test $? -eq 0
	check_eq "[$mode] the module's changed functions run" "generated 43" \
		"$(cat /proc/hp_target)"
	check_eq "[$mode] only the second hp_dup_name (sympos 2) is replaced" \
		"first second-gen" "$(cat /proc/hp_target_dup)"
	check_grep "[$mode] load names a replaced function" "hp_target_message" "$out"
	p=$HP_SYSFS/patches/hp_gen_target
	check_eq "[$mode] state is applied" applied "$(cat "$p/state")"
	check_eq "[$mode] function redirected in mode $mode" "$mode" \
		"$(cat "$p/hp_target/hp_dup_name,2/mode")"

	hotpatch load "$FIXTURES/hp_gen_cmdline.ko" >/dev/null 2>&1
	check "[$mode] hotpatch load hp_gen_cmdline succeeds" test $? -eq 0
	check_eq "[$mode] vmlinux's cmdline_proc_show is replaced" \
		"hotpatch-build was here" "$(cat /proc/cmdline)"

	hotpatch disable hp_gen_cmdline >/dev/null 2>&1
	check "[$mode] hotpatch disable succeeds" test $? -eq 0
	check_eq "[$mode] disabled: /proc/cmdline is the original" "$cmdline" \
		"$(cat /proc/cmdline)"
	hotpatch enable hp_gen_cmdline >/dev/null 2>&1
	check "[$mode] hotpatch enable succeeds" test $? -eq 0
	check_eq "[$mode] enabled again: replaced" "hotpatch-build was here" \
		"$(cat /proc/cmdline)"

	hotpatch unload hp_gen_cmdline >/dev/null 2>&1
	check "[$mode] hotpatch unload hp_gen_cmdline succeeds" test $? -eq 0
	check_eq "[$mode] /proc/cmdline is the original" "$cmdline" "$(cat /proc/cmdline)"
	hotpatch unload hp_gen_target >/dev/null 2>&1
	check "[$mode] hotpatch unload hp_gen_target succeeds" test $? -eq 0
	check_eq "[$mode] hp_target answers the original" "original 42" \
		"$(cat /proc/hp_target)"
	check_eq "[$mode] hp_dup_name runs the original" "first second" \
		"$(cat /proc/hp_target_dup)"
	check "[$mode] the patch modules are gone" \
		sh -c '! grep -q "^hp_gen_" /proc/modules'

	unload_core
done

# --mode ops in the manifest and the descriptors: ops, though the core
# would use direct calls
load_core mode=direct
hotpatch load "$FIXTURES/hp_gen_multi.ko" >/dev/null 2>&1
check "hotpatch load hp_gen_multi (vmlinux and hp_target) succeeds" test $? -eq 0
p=$HP_SYSFS/patches/hp_gen_multi
check_eq "the patch's mode is ops" ops "$(cat "$p/mode")"
check_eq "vmlinux function in ops mode" ops "$(cat "$p/vmlinux/cmdline_proc_show,0/mode")"
check_eq "hp_target function in ops mode" ops \
	"$(cat "$p/hp_target/hp_target_answer,0/mode")"
check_eq "vmlinux is patched" "hotpatch-build was here" "$(cat /proc/cmdline)"
check_eq "hp_target is patched" "generated 43" "$(cat /proc/hp_target)"
check_eq "hp_dup_name,2 is patched" "first second-gen" "$(cat /proc/hp_target_dup)"
hotpatch unload hp_gen_multi >/dev/null 2>&1
check "hotpatch unload hp_gen_multi succeeds" test $? -eq 0
check_eq "vmlinux runs the original" "$cmdline" "$(cat /proc/cmdline)"
check_eq "hp_target runs the original" "original 42" "$(cat /proc/hp_target)"
unload_core

unload_mod hp_target
check "hp_target unloads" not_loaded hp_target
