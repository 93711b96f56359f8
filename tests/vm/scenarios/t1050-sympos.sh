#!/bin/sh
# A local function name that occurs twice in a module is picked by its
# sympos (kallsyms order, as livepatch counts it); without a sympos the
# patch is refused as ambiguous and nothing is redirected.
# requires: /usr/bin/hotpatch
# shellcheck source=../lib/functions.sh
. /lib/hotpatch/tests/lib/functions.sh
# shellcheck source=../lib/hotpatch.sh
. /lib/hotpatch/tests/lib/hotpatch.sh

plan 8

load_core
load_mod "$FIXTURES/hp_target.ko"
check_eq "both local functions answer" "first second" "$(cat /proc/hp_target_dup)"

# The module's kallsyms lists hp_dup_name twice, in sympos order.
second=$(grep ' hp_dup_name	\[hp_target\]' /proc/kallsyms | sed -n 2p | cut -d' ' -f1)

dmesg_mark
check_fails "a patch without sympos is refused" hotpatch load "$FIXTURES/hp_patch_ambiguous.ko"
check_eq "nothing changed" "first second" "$(cat /proc/hp_target_dup)"
check_dmesg "the refusal names the ambiguity" <<'LOG'
hotpatch: 'hp_patch_ambiguous': symbol 'hp_dup_name' is not unique in 'hp_target': give its sympos
hotpatch: 'hp_patch_ambiguous': refused (-22)
LOG

check "sympos 2 loads" hotpatch load "$FIXTURES/hp_patch_sympos.ko"
check_eq "only the second function changed" "first patched" "$(cat /proc/hp_target_dup)"
f="$HP_SYSFS/patches/hp_patch_sympos/hp_target/hp_dup_name,2"
check_eq "sysfs old_addr is the second kallsyms entry" \
	"0x$second" "$(cat "$f/old_addr")"
echo 0 > "$HP_SYSFS/patches/hp_patch_sympos/enabled"
check_eq "revert restores it" "first second" "$(cat /proc/hp_target_dup)"
unload_mod hp_patch_sympos
unload_mod hp_target
unload_core
