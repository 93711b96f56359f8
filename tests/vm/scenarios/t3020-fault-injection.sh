#!/bin/sh
# All or nothing: a transition that fails at any one of its steps leaves
# the kernel exactly as it was. With the core parameter fail_step=N (fail
# the Nth step of each transition with -EIO), N = 1, 2, ... until the load
# succeeds (so every step was reached): a patch of two functions of a
# module, one of a vmlinux function, one of two objects (a module and
# vmlinux), and a patch stacked on another patch of the same functions;
# then the same for the revert, which must leave the patch applied and
# working. In both redirect modes. "The same" is compared as a snapshot:
# what the patched functions return, the module list and refcounts, the
# patch directories with their states, and all of ftrace's
# enabled_functions. last_error names the injected step.
# timeout: 300
# requires: kernel/hotpatch.ko tests/fixtures/hp_patch_stacked.ko
# requires: tests/fixtures/hp_patch_stress.ko build/test-bin/hp-getppid-loop
# shellcheck source=../lib/functions.sh
. /lib/hotpatch/tests/lib/functions.sh
# shellcheck source=../lib/hotpatch.sh
. /lib/hotpatch/tests/lib/hotpatch.sh

FAIL_STEP=/sys/module/hotpatch/parameters/fail_step
MODE=/sys/module/hotpatch/parameters/mode
ENABLED_FUNCS=/sys/kernel/tracing/enabled_functions
MAX_STEPS=30
tab=$(printf '\t')
total_steps=0

# Everything a failed transition must leave as it was.
snapshot() {
	echo "/proc/hp_target: $(cat /proc/hp_target)"
	echo "/proc/cmdline: $(cat /proc/cmdline)"
	echo "getppid: $(hp-getppid-loop -c 1 | tail -n 1)"
	for m in hotpatch hp_target hp_patch_target hp_patch_cmdline \
		hp_patch_stress hp_patch_stacked; do
		echo "refcnt $m: $(cat "/sys/module/$m/refcnt" 2>/dev/null || echo -)"
	done
	echo "modules: $(cut -d' ' -f1,3,5 /proc/modules | sort | tr '\n' ' ')"
	for p in "$HP_SYSFS"/patches/*; do
		[ -d "$p" ] || continue
		echo "patch ${p##*/}: $(cat "$p/state") enabled=$(cat "$p/enabled") transition=$(cat "$p/transition") stack_order=$(cat "$p/stack_order")"
		for f in "$p"/*/patched "$p"/*/*/patched; do
			[ -f "$f" ] && echo "  ${f#"$p"/} $(cat "$f")"
		done
	done
	echo "enabled_functions:"
	cat "$ENABLED_FUNCS"
}

# Leave fault injection off whatever happens.
inject() {
	echo "$1" >"$FAIL_STEP"
}

# fault_load TAG NAME MIN_STEPS EXPECTED: load patch NAME with each step
# failing in turn, then without a failure; EXPECTED is /proc/hp_target or
# /proc/cmdline once it is applied (whichever the patch changes first).
fault_load() {
	_tag=$1 _name=$2 _min=$3
	_before=$(snapshot)
	_n=1 _steps=""
	while [ $_n -le $MAX_STEPS ]; do
		inject $_n
		if insmod "$FIXTURES/$_name.ko" 2>/dev/null; then
			inject 0
			break
		fi
		inject 0
		_err=$(cat "$HP_SYSFS/last_error")
		case $_err in
		"$_name${tab}5${tab}injected failure at step $_n ("*")") ;;
		*)
			fail "$_tag load of $_name with fail_step=$_n fails at the injected step" \
				"last_error: $_err"
			return 1
			;;
		esac
		_step=${_err##*"step $_n ("}
		_step=${_step%)}
		_steps="$_steps $_step"
		check_eq "$_tag load of $_name, failure at step $_n ($_step): nothing changed" \
			"$_before" "$(snapshot)"
		_n=$((_n + 1))
	done
	_n=$((_n - 1))
	total_steps=$((total_steps + _n))
	diag "$_tag load of $_name: $_n steps:$_steps"
	check "$_tag load of $_name: at least $_min steps (one per function and the switch), all failed on demand" \
		test "$_n" -ge "$_min" -a "$_n" -lt $MAX_STEPS
	check_eq "$_tag load of $_name succeeds when no step fails" applied \
		"$(cat "$HP_SYSFS/patches/$_name/state" 2>&1)"
}

# fault_revert TAG NAME MIN_STEPS: revert patch NAME with each step
# failing in turn (it stays applied and working), then without a failure.
fault_revert() {
	_tag=$1 _name=$2 _min=$3
	_p=$HP_SYSFS/patches/$_name
	_before=$(snapshot)
	_n=1 _steps=""
	while [ $_n -le $MAX_STEPS ]; do
		inject $_n
		if (echo 0 >"$_p/enabled") 2>/dev/null; then
			inject 0
			break
		fi
		inject 0
		_err=$(cat "$_p/last_error")
		_gerr=$(cat "$HP_SYSFS/last_error")
		case $_err in
		"injected failure at step $_n ("*")") ;;
		*)
			fail "$_tag revert of $_name with fail_step=$_n fails at the injected step" \
				"last_error: $_err"
			return 1
			;;
		esac
		_step=${_err##*"step $_n ("}
		_step=${_step%)}
		_steps="$_steps $_step"
		check_eq "$_tag revert of $_name, failure at step $_n ($_step): still applied, nothing changed" \
			"$_before" "$(snapshot)"
		check_eq "$_tag revert of $_name, failure at step $_n: global last_error" \
			"$_name${tab}5${tab}$_err" "$_gerr"
		_n=$((_n + 1))
	done
	_n=$((_n - 1))
	total_steps=$((total_steps + _n))
	diag "$_tag revert of $_name: $_n steps:$_steps"
	check "$_tag revert of $_name: at least $_min steps (one per function and the switch), all failed on demand" \
		test "$_n" -ge "$_min" -a "$_n" -lt $MAX_STEPS
	check_eq "$_tag revert of $_name succeeds when no step fails" reverted \
		"$(cat "$_p/state" 2>&1)"
}

# case_patch TAG NAME FUNCS WHAT EXPECTED: a whole round for patch NAME of
# FUNCS functions; WHAT (shell code) prints what it changes, EXPECTED is
# that once applied.
case_patch() {
	_tag=$1 _name=$2 _funcs=$3 _what=$4 _exp=$5
	_orig=$(eval "$_what")
	_clean=$(snapshot)
	fault_load "$_tag" "$_name" $((_funcs + 1)) || return 1
	check_eq "$_tag $_name is applied and works" "$_exp" "$(eval "$_what")"
	fault_revert "$_tag" "$_name" $((_funcs + 1)) || return 1
	check_eq "$_tag $_name reverted: the old code runs" "$_orig" "$(eval "$_what")"
	check "$_tag $_name: the patch module unloads" unload_mod "$_name"
	check_eq "$_tag after the revert and unload the kernel is as before the load" \
		"$_clean" "$(snapshot)"
}

ppid_of_loop() {
	hp-getppid-loop -c 1 | tail -n 1
}

new_ppid="calls 1 old 0 new 1 other 0 flips 0"

load_core require_signature=0 timeout_ms=5000
load_mod "$FIXTURES/hp_target.ko" || bail_out "cannot load hp_target"
check_eq "fault injection is off by default" 0 "$(cat $FAIL_STEP)"
cmdline=$(cat /proc/cmdline)

for mode in direct ops; do
	echo $mode >$MODE
	tag="[$mode]"
	case_patch "$tag" hp_patch_target 2 "cat /proc/hp_target" "patched 43"
	case_patch "$tag" hp_patch_cmdline 1 "cat /proc/cmdline" \
		"this has been live patched by hotpatch"
	case_patch "$tag" hp_patch_stress 3 \
		"cat /proc/hp_target; ppid_of_loop" "patched 43
$new_ppid"

	# Stacked: hp_patch_stacked goes on top of hp_patch_target.
	load_mod "$FIXTURES/hp_patch_target.ko" ||
		bail_out "cannot load hp_patch_target"
	case_patch "$tag stacked:" hp_patch_stacked 2 "cat /proc/hp_target" \
		"stacked 44"
	check_eq "$tag the patch below works again" "patched 43" \
		"$(cat /proc/hp_target)"
	echo 0 >"$HP_SYSFS/patches/hp_patch_target/enabled"
	check "$tag the patch below reverts and unloads" unload_mod hp_patch_target
	check_eq "$tag nothing is patched any more" "original 42
$cmdline" "$(cat /proc/hp_target /proc/cmdline)"
	check_eq "$tag ftrace redirects nothing" "" "$(cat $ENABLED_FUNCS)"
done

diag "transition steps exercised with an injected failure: $total_steps"
check "hp_target unloads" unload_mod hp_target
check "the core unloads" unload_mod hotpatch
