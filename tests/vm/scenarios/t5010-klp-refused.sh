#!/bin/sh
# Livepatch relocations that cannot be applied are refused with a message
# naming the symbol and the object, and change nothing: a symbol hp_target
# does not have, a position of hp_dup_name it does not have (at
# registration, and when hp_target loads after the patch: then hp_target's
# load is refused), a vmlinux symbol that does not exist (refused by the
# module loader itself, which applies vmlinux relocations), and patch
# modules whose livepatch parts do not fit together: relocations without
# MODULE_INFO(livepatch, "Y"), deferred records never post-linked, the
# livepatch mark without any relocation section.
# requires: /usr/bin/hotpatch /usr/bin/insmod1 tests/fixtures/hp_patch_klp.ko
# requires: tests/fixtures/hp_sig_klp_nolivepatch.ko
# shellcheck source=../lib/functions.sh
. /lib/hotpatch/tests/lib/functions.sh
# shellcheck source=../lib/hotpatch.sh
. /lib/hotpatch/tests/lib/hotpatch.sh
# shellcheck source=../lib/stage.sh
. /lib/hotpatch/tests/lib/stage.sh

ENABLED_FUNCS=/sys/kernel/tracing/enabled_functions

# shellcheck disable=SC2119 # load_core takes optional core parameters
load_core
load_mod "$FIXTURES/hp_target.ko" || bail_out "cannot load hp_target"

refused "unknown symbol of hp_target" "$FIXTURES/hp_patch_klp_nosym.ko" \
	hp_patch_klp_nosym 2 \
	"livepatch relocation: symbol 'hp_no_such_symbol' not found in 'hp_target' (symbol '.klp.sym.hp_target.hp_no_such_symbol,2')"
check_eq "unknown symbol: hp_target runs its own code" "original 42" \
	"$(cat /proc/hp_target)"
refused "wrong sympos" "$FIXTURES/hp_patch_klp_badpos.ko" \
	hp_patch_klp_badpos 2 \
	"livepatch relocation: symbol 'hp_dup_name' has no position 3 in 'hp_target' (2 found) (symbol '.klp.sym.hp_target.hp_dup_name,3')"
check_eq "wrong sympos: hp_target runs its own code" "original 42" \
	"$(cat /proc/hp_target)"

out=$(hotpatch load "$FIXTURES/hp_patch_klp_nosym.ko" 2>&1)
rc=$?
check "the CLI fails on the unknown symbol" test $rc -ne 0
check_grep "the CLI names the symbol" "'hp_no_such_symbol' not found in 'hp_target'" "$out"

# Refused when hp_target loads after the patch.
check "hp_target unloads" unload_mod hp_target
check "a patch with a wrong sympos for a module not loaded loads" \
	hotpatch load "$FIXTURES/hp_patch_klp_badpos.ko"
dmesg_mark
check_fails "hp_target's load is refused" insmod1 "$FIXTURES/hp_target.ko"
check "hp_target is not loaded" not_loaded hp_target
check_dmesg "the kernel log names symbol and object" <<'LOG'
hotpatch: 'hp_patch_klp_badpos': livepatch relocation: symbol 'hp_dup_name' has no position 3 in 'hp_target' (2 found) (symbol '.klp.sym.hp_target.hp_dup_name,3')
hotpatch: 'hp_patch_klp_badpos': refusing to load module 'hp_target': it cannot be patched (-2)
LOG
check_eq "nothing is redirected" "" "$(cat "$ENABLED_FUNCS")"
check "the patch unloads" hotpatch unload hp_patch_klp_badpos
check "hp_target loads without it" load_mod "$FIXTURES/hp_target.ko"
check_eq "and runs its own code" "original 42" "$(cat /proc/hp_target)"

# The module loader applies vmlinux relocations itself, before the core
# sees the module: its own message, and the core has nothing to record.
last=$(cat "$HP_SYSFS/last_error")
dmesg_mark
check_fails "an unknown vmlinux symbol fails the load" \
	insmod1 "$FIXTURES/hp_patch_klp_novmsym.ko"
check_dmesg "the module loader names the symbol" '^livepatch:' <<'LOG'
livepatch: symbol 'hp_no_such_vmlinux_symbol' not found in symbol table
LOG
check "unknown vmlinux symbol: the module is not loaded" \
	not_loaded hp_patch_klp_novmsym
check "unknown vmlinux symbol: no patch directory" \
	test ! -e "$HP_SYSFS/patches/hp_patch_klp_novmsym"
check_eq "unknown vmlinux symbol: last_error unchanged" "$last" \
	"$(cat "$HP_SYSFS/last_error")"

# Livepatch parts that do not fit together.
refused "relocations without the livepatch mark" \
	"$FIXTURES/hp_sig_klp_nolivepatch.ko" hp_patch_klp 8 \
	"the patch module has livepatch symbols ('.klp.sym.vmlinux.kallsyms_lookup_name,0') but no MODULE_INFO(livepatch, \"Y\"): its relocations would not be applied; rebuild it with hotpatch-build"
refused "records never post-linked" \
	"$FIXTURES/hp_sig_klp_notpostlinked.ko" hp_patch_klp 8 \
	"the patch module still has deferred relocations ('.hotpatch.klp_relocs'): run 'hotpatch-build post-link' on it before signing"
refused "the livepatch mark without relocations" \
	"$FIXTURES/hp_sig_klp_norela.ko" hp_patch_klp 8 \
	"the patch module is marked MODULE_INFO(livepatch, \"Y\") but has no livepatch relocations: remove the mark, or post-link it with hotpatch-build"
check_eq "after every refusal hp_target runs its own code" "original 42" \
	"$(cat /proc/hp_target)"
check_eq "and ftrace redirects nothing" "" "$(cat "$ENABLED_FUNCS")"
check "hp_target unloads" unload_mod hp_target
unload_core
