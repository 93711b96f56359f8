#!/bin/sh
# t3300: livepatch relocations write only code and data of the patch
# module, and what they wrote is taken back only where it is still there.
# A signed patch whose relocation for hp_target would write its own struct
# module (.gnu.linkonce.this_module) or its signed manifest
# (.hotpatch.manifest) is refused at registration, naming the section,
# before anything is written. A patch whose own code changed a relocated
# data pointer (hp_patch_klp_rewrite) keeps that value when hp_target goes:
# the core says so and leaves it; hp_target's next load is then refused,
# since apply_relocate_add() does not write over a value it did not leave
# (and the undo of that failed apply leaves the location alone again).
# Before "core: livepatch relocations write only text, rodata and data of
# the patch; what they wrote is checked before it is zeroed" the core went
# on to apply both into struct module and the manifest (refused only
# because apply_relocate_add() found those places not zero, which the undo
# then zeroed), and zeroed the rewritten pointer behind the patch's back:
# points 2, 3, 8, 9, 19 to 21 and 23 failed on main's core (9154da3).
# requires: /usr/bin/hotpatch /usr/bin/insmod1
# requires: tests/fixtures/hp_sig_klp_thismod.ko tests/fixtures/hp_sig_klp_manifest.ko
# requires: tests/fixtures/hp_patch_klp_rewrite.ko
# shellcheck source=../lib/functions.sh
. /lib/hotpatch/tests/lib/functions.sh
# shellcheck source=../lib/hotpatch.sh
. /lib/hotpatch/tests/lib/hotpatch.sh
# shellcheck source=../lib/stage.sh
. /lib/hotpatch/tests/lib/stage.sh

ENABLED_FUNCS=/sys/kernel/tracing/enabled_functions
plan 25

# shellcheck disable=SC2119 # load_core takes optional core parameters
load_core
load_mod "$FIXTURES/hp_target.ko" || bail_out "cannot load hp_target"

refused "a relocation of struct module" "$FIXTURES/hp_sig_klp_thismod.ko" \
	hp_patch_klp 8 \
	"livepatch relocation section '.klp.rela.hp_target..data' writes section '.gnu.linkonce.this_module', which is not code or data of the patch: rebuild the patch with hotpatch-build"
refused "a relocation of the signed manifest" \
	"$FIXTURES/hp_sig_klp_manifest.ko" hp_patch_klp 8 \
	"livepatch relocation section '.klp.rela.hp_target..data' writes section '.hotpatch.manifest', which is not code or data of the patch: rebuild the patch with hotpatch-build"
check_eq "after both refusals hp_target runs its own code" "original 42" \
	"$(cat /proc/hp_target)"
check_eq "and ftrace redirects nothing" "" "$(cat "$ENABLED_FUNCS")"

# The patch's own code changes a relocated location.
pid_max=$(cat /proc/sys/kernel/pid_max)
check "the rewriting patch loads" \
	hotpatch load "$FIXTURES/hp_patch_klp_rewrite.ko"
check_eq "its first run reaches hp_dup_name through the relocated pointer" \
	"klp first second pid_max=$pid_max lookup=ok 42" "$(cat /proc/hp_target)"
check_eq "then the pointer is its own" \
	"klp own second pid_max=$pid_max lookup=ok 42" "$(cat /proc/hp_target)"
dmesg_mark
check "hp_target can be removed under the patch" unload_mod hp_target
check_dmesg "the changed location is left as it is, and said so" <<'LOG'
hotpatch: 'hp_patch_klp_rewrite': module 'hp_target' is going; its functions are no longer patched
hotpatch: 'hp_patch_klp_rewrite': livepatch relocation 0 of section '.klp.rela.hp_target..data' for 'hp_target': its location (offset 248) no longer holds the value written there: left as it is
hotpatch: 'hp_patch_klp_rewrite': cleared 1 livepatch relocations for 'hp_target', left 1 as they are: its next load will be refused
LOG
dmesg_mark
check_fails "hp_target's next load is refused" insmod1 "$FIXTURES/hp_target.ko"
check_dmesg -g "the kernel log says why" <<'LOG'
hotpatch: 'hp_patch_klp_rewrite': cannot apply livepatch relocation section '.klp.rela.hp_target..data' for 'hp_target' (-8)
hotpatch: 'hp_patch_klp_rewrite': livepatch relocation 0 of section '.klp.rela.hp_target..data' for 'hp_target': its location (offset 248) no longer holds the value written there: left as it is
hotpatch: 'hp_patch_klp_rewrite': refusing to load module 'hp_target': it cannot be patched (-8)
LOG
check "the patch unloads" hotpatch unload hp_patch_klp_rewrite
check "hp_target loads without it" load_mod "$FIXTURES/hp_target.ko"
check_eq "and runs its own code" "original 42" "$(cat /proc/hp_target)"
check "hp_target unloads" unload_mod hp_target
unload_core
