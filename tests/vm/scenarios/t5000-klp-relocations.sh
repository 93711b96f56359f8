#!/bin/sh
# Livepatch relocations (docs/relocations.md): hp_patch_klp reaches what the
# module loader cannot resolve, through .klp.rela sections that
# hotpatch-build post-link made from hand-written records: a call to a
# non-exported vmlinux function (kallsyms_lookup_name), a non-exported
# vmlinux variable read through code and through data (pid_max), and the
# local hp_dup_name of hp_target by position (sympos 2 by a call, sympos 1
# by a data pointer). /proc/hp_target then prints what the new code got
# through each of them. The vmlinux ones are applied by the module loader;
# those of hp_target by the core: at registration when hp_target is
# loaded, as it loads when it comes later (before its functions are
# redirected), zeroed when it goes and applied afresh when it comes back.
# With fail_step, every step of the registration and of the late load
# fails in turn and leaves nothing behind; the next load then applies
# cleanly (apply_relocate_add refuses a place that is not zero).
# timeout: 300
# requires: /usr/bin/hotpatch /usr/bin/insmod1 tests/fixtures/hp_patch_klp.ko
# shellcheck source=../lib/functions.sh
. /lib/hotpatch/tests/lib/functions.sh
# shellcheck source=../lib/hotpatch.sh
. /lib/hotpatch/tests/lib/hotpatch.sh

FAIL_STEP=/sys/module/hotpatch/parameters/fail_step
ENABLED_FUNCS=/sys/kernel/tracing/enabled_functions
MAX_STEPS=20
tab=$(printf '\t')
p=$HP_SYSFS/patches/hp_patch_klp
want="klp first second pid_max=$(cat /proc/sys/kernel/pid_max) lookup=ok 42"

# shellcheck disable=SC2119 # load_core takes optional core parameters
load_core

# 1. hp_target is loaded before the patch.
load_mod "$FIXTURES/hp_target.ko" || bail_out "cannot load hp_target"
check_eq "hp_target runs its own code" "original 42" "$(cat /proc/hp_target)"
dmesg_mark
check "the patch with livepatch relocations loads" \
	hotpatch load "$FIXTURES/hp_patch_klp.ko"
check_eq "the new code reaches every symbol through its relocations" \
	"$want" "$(cat /proc/hp_target)"
check_dmesg "the core applied the relocations for hp_target, then the patch" <<'LOG'
hotpatch: 'hp_patch_klp': applied 2 livepatch relocations for 'hp_target'
hotpatch: 'hp_patch_klp': applied
LOG
check "the kernel is tainted K (a livepatch module is loaded)" \
	test $(( $(cat /proc/sys/kernel/tainted) >> 15 & 1 )) -eq 1

echo 0 >"$p/enabled"
check_eq "reverted: the old code runs" "original 42" "$(cat /proc/hp_target)"
dmesg_mark
echo 1 >"$p/enabled"
check_eq "applied again: the relocations are still in place" \
	"$want" "$(cat /proc/hp_target)"
check_dmesg "they are not applied twice" <<'LOG'
hotpatch: 'hp_patch_klp': applied
LOG

for round in 1 2; do
	dmesg_mark
	check "round $round: hp_target can be removed under the patch" \
		unload_mod hp_target
	check_dmesg "round $round: its relocations are zeroed as it goes" <<'LOG'
hotpatch: 'hp_patch_klp': module 'hp_target' is going; its functions are no longer patched
hotpatch: 'hp_patch_klp': cleared 2 livepatch relocations for 'hp_target'
LOG
	dmesg_mark
	check "round $round: hp_target loads again" load_mod "$FIXTURES/hp_target.ko"
	check_dmesg "round $round: they are applied afresh before it is patched" <<'LOG'
hotpatch: 'hp_patch_klp': applied 2 livepatch relocations for 'hp_target'
hotpatch: 'hp_patch_klp': patched module 'hp_target' as it loads
LOG
	check_eq "round $round: the reloaded module runs the new code, relocated to its new place" \
		"$want" "$(cat /proc/hp_target)"
done
check "the patch unloads" hotpatch unload hp_patch_klp
check_eq "hp_target runs its own code again" "original 42" "$(cat /proc/hp_target)"
check "hp_target unloads" unload_mod hp_target

# 2. hp_target loads after the patch.
dmesg_mark
check "the patch loads while hp_target is not loaded" \
	hotpatch load "$FIXTURES/hp_patch_klp.ko"
check_dmesg "nothing is relocated for hp_target yet" <<'LOG'
hotpatch: 'hp_patch_klp': applied
LOG
dmesg_mark
check "hp_target loads" load_mod "$FIXTURES/hp_target.ko"
check_dmesg "its relocations are applied as it loads, before it is patched" <<'LOG'
hotpatch: 'hp_patch_klp': applied 2 livepatch relocations for 'hp_target'
hotpatch: 'hp_patch_klp': patched module 'hp_target' as it loads
LOG
check_eq "the late module runs the new code" "$want" "$(cat /proc/hp_target)"
check "hp_target unloads" unload_mod hp_target
check "and loads again" load_mod "$FIXTURES/hp_target.ko"
check_eq "the reloaded late module runs the new code" "$want" \
	"$(cat /proc/hp_target)"
check "hp_target unloads" unload_mod hp_target

# 3. Every step of a late load fails in turn.
snapshot_late() {
	echo "hp_target: $(grep -c '^hp_target ' /proc/modules)"
	echo "patch: $(cat "$p/state") enabled=$(cat "$p/enabled")"
	echo "hp_target/patched: $(cat "$p/hp_target/patched")"
	echo "enabled_functions:"
	cat "$ENABLED_FUNCS"
}
before=$(snapshot_late)
n=1 steps=""
while [ $n -le $MAX_STEPS ]; do
	echo $n >"$FAIL_STEP"
	if insmod1 "$FIXTURES/hp_target.ko" 2>/dev/null; then
		echo 0 >"$FAIL_STEP"
		break
	fi
	echo 0 >"$FAIL_STEP"
	err=$(cat "$p/last_error")
	case $err in
	"injected failure at step $n ("*")") ;;
	*) fail "late load with fail_step=$n fails at the injected step" \
		"last_error: $err"; break ;;
	esac
	step=${err##*"step $n ("}
	steps="$steps ${step%)}"
	check_eq "late load, failure at step $n (${step%)}): hp_target refused, nothing changed" \
		"$before" "$(snapshot_late)"
	n=$((n + 1))
done
diag "late load: $((n - 1)) steps:$steps"
check_eq "late load: the steps are the two relocation sections, the callbacks and the redirect" \
	" relocate relocate pre_patch arm" "$steps"
check_eq "after every injected failure the relocations apply cleanly" \
	"$want" "$(cat /proc/hp_target)"
check "the patch unloads" hotpatch unload hp_patch_klp

# 4. Every step of the registration fails in turn (hp_target loaded).
snapshot_reg() {
	echo "/proc/hp_target: $(cat /proc/hp_target)"
	echo "modules: $(cut -d' ' -f1,3 /proc/modules | sort | tr '\n' ' ')"
	ls "$HP_SYSFS/patches"
	echo "enabled_functions:"
	cat "$ENABLED_FUNCS"
}
before=$(snapshot_reg)
n=1 steps=""
while [ $n -le $MAX_STEPS ]; do
	echo $n >"$FAIL_STEP"
	if insmod1 "$FIXTURES/hp_patch_klp.ko" 2>/dev/null; then
		echo 0 >"$FAIL_STEP"
		break
	fi
	echo 0 >"$FAIL_STEP"
	err=$(cat "$HP_SYSFS/last_error")
	case $err in
	"hp_patch_klp${tab}5${tab}injected failure at step $n ("*")") ;;
	*) fail "registration with fail_step=$n fails at the injected step" \
		"last_error: $err"; break ;;
	esac
	step=${err##*"step $n ("}
	steps="$steps ${step%)}"
	check_eq "registration, failure at step $n (${step%)}): nothing changed" \
		"$before" "$(snapshot_reg)"
	n=$((n + 1))
done
diag "registration: $((n - 1)) steps:$steps"
check_eq "registration: the relocation steps come before the callbacks, the redirect and the switch" \
	" relocate relocate pre_patch arm switch" "$steps"
check_eq "after every injected failure the patch applies" \
	"$want" "$(cat /proc/hp_target)"
check "the patch unloads" hotpatch unload hp_patch_klp
check "hp_target unloads" unload_mod hp_target
check_eq "ftrace redirects nothing" "" "$(cat "$ENABLED_FUNCS")"
unload_core
