#!/bin/sh
# Stress: on 4 CPUs, a kthread (hp_stress.ko) calls hp_target_show(), which
# calls both functions of hp_target, and a process (hp-getppid-loop) calls
# getppid() in tight loops, while hp_patch_stress, a patch of all three,
# is reverted and applied over and over (through enabled, in direct and in
# ops mode, and by unloading and loading its module). Every result is the
# old or the new behaviour; one call of hp_target_show() never sees the
# two functions of the patch in different states (with the kernel's
# default voluntary preemption; with preempt=full a task preempted between
# the two calls, in a function the patch does not replace, can); both are
# seen at every switch; no transition fails; at the end nothing is left
# behind. The harness fails the scenario on any warning or oops in the
# guest log.
#
# Every transition rewrites the ftrace sites of all three functions
# (getppid's included) while other vCPUs execute them. QEMU 7.2's TCG
# could leave a vCPU re-executing a stale int3 after such a rewrite, for
# ever (docs/consistency.md, "QEMU"); the harness therefore needs QEMU 8
# or later (scripts/deps.sh installs it from bookworm-backports).
# qemu: -smp 4
# timeout: 900
# requires: kernel/hotpatch.ko tests/fixtures/hp_stress.ko
# requires: tests/fixtures/hp_patch_stress.ko
# requires: build/test-bin/hp-getppid-loop
# shellcheck source=../lib/functions.sh
. /lib/hotpatch/tests/lib/functions.sh
# shellcheck source=../lib/hotpatch.sh
. /lib/hotpatch/tests/lib/hotpatch.sh

plan 28

P=$HP_SYSFS/patches/hp_patch_stress
MODE=/sys/module/hotpatch/parameters/mode
LOOP_OUT=/tmp/getppid-loop.out
# 202 transitions: revert + apply rounds in direct mode, unload + load
# rounds alternating the modes, then revert + apply rounds in ops mode
# (cheaper: no direct call to re-point).
DIRECT_ROUNDS=30
RELOADS=6
OPS_ROUNDS=64

# field NAME TEXT: the number after NAME in TEXT ("calls 3 old 2 ...").
field() {
	echo "$2" | awk -v k="$1" '{ for (i = 1; i < NF; i++) if ($i == k) { print $(i + 1); exit } }'
}

# module_allocs: code allocations of modules and ftrace trampolines.
module_allocs() {
	grep -c 'module_alloc' /proc/vmallocinfo
}

transitions=0
errors=""
# transition 0|1: revert or apply hp_patch_stress through enabled.
transition() {
	_now=""
	echo "$1" 2>/dev/null >"$P/enabled" && read -r _now <"$P/enabled"
	if [ "$_now" = "$1" ]; then
		transitions=$((transitions + 1))
	else
		errors="$errors
enabled=$1 failed: state $(cat "$P/state"), last_error $(cat "$P/last_error")"
	fi
}

# rounds N: revert and apply N times.
rounds() {
	_i=0
	while [ $_i -lt "$1" ]; do
		transition 0
		transition 1
		_i=$((_i + 1))
	done
}

allocs0=$(module_allocs)
load_core require_signature=0 timeout_ms=10000
load_mod "$FIXTURES/hp_target.ko" || bail_out "cannot load hp_target"
dmesg_mark
check "the kthreads start" load_mod "$FIXTURES/hp_stress.ko" threads=1
hp-getppid-loop -n 1 >$LOOP_OUT &
loop=$!
check "the getppid loop starts" wait_for "grep -q '^running 1' $LOOP_OUT" 20
s0=$(head -n 1 /proc/hp_stress)
sleep 1
s1=$(head -n 1 /proc/hp_stress)
check "the kthreads call hp_target_show()" \
	test "$(field calls "$s1")" -gt "$(field calls "$s0")"
check_eq "before the patch they see only the old code" \
	"$(field calls "$s1") $(field calls "$s1")" \
	"$(field calls "$s1") $(field old "$s1")"

start=$(date +%s)
check "hp_patch_stress loads under load" load_mod "$FIXTURES/hp_patch_stress.ko"
check_eq "it is applied, every function in direct mode" \
	"applied direct direct direct" \
	"$(cat "$P/state") $(cat "$P/hp_target/hp_target_message,0/mode") $(cat "$P/hp_target/hp_target_answer,0/mode") $(cat "$P/vmlinux/__x64_sys_getppid,0/mode")"
rounds $DIRECT_ROUNDS
mid=$(head -n 1 /proc/hp_stress)
check "the kthreads keep running during the transitions" \
	test "$(field calls "$mid")" -gt "$(field calls "$s1")"

# Unload and load the patch module: its code goes away under the callers.
i=0
while [ $i -lt $RELOADS ]; do
	if [ $((i % 2)) -eq 0 ]; then mode=ops; else mode=direct; fi
	transition 0
	rmmod hp_patch_stress 2>/dev/null || errors="$errors
rmmod hp_patch_stress failed (reload $i)"
	echo $mode >$MODE
	if insmod "$FIXTURES/hp_patch_stress.ko" 2>/dev/null; then
		transitions=$((transitions + 1))
	else
		errors="$errors
insmod hp_patch_stress ($mode) failed: $(cat "$HP_SYSFS/last_error")"
	fi
	i=$((i + 1))
done
# The last reload was in direct mode; now the same rounds in ops mode.
transition 0
rmmod hp_patch_stress 2>/dev/null
echo ops >$MODE
load_mod "$FIXTURES/hp_patch_stress.ko" || errors="$errors
insmod hp_patch_stress (ops) failed"
check_eq "it is applied in ops mode" "applied ops" \
	"$(cat "$P/state") $(cat "$P/mode")"
rounds $OPS_ROUNDS
echo direct >$MODE
end=$(date +%s)

check_eq "no transition failed" "" "$errors"
check "at least 100 reverts and 100 applies" test $transitions -ge 200
diag "$transitions transitions in $((end - start)) s under load"

# What the callers saw (the kernel preempts voluntarily: in a call of
# hp_target_show(), no switch can happen between its two calls).
k=$(head -n 1 /proc/hp_stress)
diag "kthreads: $k" "kthreads: $(tail -n 1 /proc/hp_stress)"
check_eq "the kthreads saw no mixed result (one call, two patch states)" \
	0 "$(field mixed "$k")"
check_eq "the kthreads saw no result other than old or new" \
	0 "$(field other "$k")"
check "the kthreads saw the old code" test "$(field old "$k")" -gt 0
check "the kthreads saw the new code" test "$(field new "$k")" -gt 0
check "the kthreads saw it change many times" test "$(field flips "$k")" -ge 20

kill -TERM $loop
wait $loop
u=$(tail -n 2 $LOOP_OUT | grep '^calls')
diag "getppid loop: $u"
check_eq "getppid() returned nothing but the old or the new value" \
	0 "$(field other "$u")"
check "the loop saw the old getppid()" test "$(field old "$u")" -gt 0
check "the loop saw the new getppid()" test "$(field new "$u")" -gt 0
check "the loop saw it change many times" test "$(field flips "$u")" -ge 20

transition 0
check_eq "reverted at the end" reverted "$(cat "$P/state")"
check_eq "/proc/hp_target is original" "original 42" "$(cat /proc/hp_target)"
check "the kthreads stop" unload_mod hp_stress
check "the patch module unloads" unload_mod hp_patch_stress
check_eq "ftrace redirects nothing" "" "$(cat /sys/kernel/tracing/enabled_functions)"
check_eq "the core logged nothing but applies and reverts" "" \
	"$(dmesg_since | grep '^hotpatch' |
		grep -vE "'hp_patch_stress': (applied|reverted|no manifest; accepted because require_signature=0)$")"
check "hp_target unloads" unload_mod hp_target
check "the core unloads" unload_mod hotpatch
check "no module or ftrace trampoline memory is left" \
	wait_for "[ \"\$(module_allocs)\" -eq $allocs0 ]" 10
