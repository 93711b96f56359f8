#!/bin/sh
# A patch module made by `hotpatch-build module` whose new code uses what
# the module loader cannot resolve (vmlinux's saved_command_line, not
# exported; hp_target's static hp_target_message and non-exported
# hp_target_answer): the resolve stage deferred those references, post-link
# made them livepatch relocations, and the core applies them, in both
# redirect modes, and for hp_target also when it is loaded after the patch.
# requires: /usr/bin/hotpatch
# shellcheck source=../lib/functions.sh
. /lib/hotpatch/tests/lib/functions.sh
# shellcheck source=../lib/hotpatch.sh
. /lib/hotpatch/tests/lib/hotpatch.sh

plan 23

cmdline=$(cat /proc/cmdline)
load_mod "$FIXTURES/hp_target.ko"
check_eq "hp_target answers the original" "original 42" "$(cat /proc/hp_target)"

for mode in direct ops; do
	load_core "mode=$mode"
	hotpatch load "$FIXTURES/hp_gen_klp.ko" >/dev/null 2>&1
	check "[$mode] hotpatch load hp_gen_klp succeeds" test $? -eq 0
	check_eq "[$mode] new cmdline_proc_show reads saved_command_line" \
		"$cmdline [hotpatch-build]" "$(cat /proc/cmdline)"
	check_eq "[$mode] new hp_target_show calls hp_target's own functions" \
		"original 42 klp" "$(cat /proc/hp_target)"
	check_eq "[$mode] functions redirected in mode $mode" "$mode" \
		"$(cat "$HP_SYSFS/patches/hp_gen_klp/hp_target/hp_target_show,0/mode")"
	hotpatch unload hp_gen_klp >/dev/null 2>&1
	check "[$mode] hotpatch unload succeeds" test $? -eq 0
	check_eq "[$mode] /proc/cmdline is the original" "$cmdline" "$(cat /proc/cmdline)"
	check_eq "[$mode] hp_target is the original" "original 42" \
		"$(cat /proc/hp_target)"
	unload_core
done

# hp_target loaded after the patch: its relocations are applied as it loads
unload_mod hp_target
load_core
hotpatch load "$FIXTURES/hp_gen_klp.ko" >/dev/null 2>&1
check "with hp_target not loaded, hotpatch load succeeds" test $? -eq 0
check_eq "vmlinux is patched" "$cmdline [hotpatch-build]" "$(cat /proc/cmdline)"
load_mod "$FIXTURES/hp_target.ko"
check "hp_target loads after the patch" is_loaded hp_target
check_eq "its new hp_target_show runs with its relocations applied" \
	"original 42 klp" "$(cat /proc/hp_target)"
check_eq "the object is patched" 1 "$(cat "$HP_SYSFS/patches/hp_gen_klp/hp_target/patched")"
hotpatch unload hp_gen_klp >/dev/null 2>&1
check "hotpatch unload succeeds" test $? -eq 0
check_eq "hp_target is the original" "original 42" "$(cat /proc/hp_target)"
unload_core
unload_mod hp_target
check "hp_target unloads" not_loaded hp_target
