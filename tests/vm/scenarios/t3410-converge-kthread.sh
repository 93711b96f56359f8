#!/bin/sh
# Convergence with a kernel thread asleep in the code being replaced: the
# thread of hp_target_kthread sleeps interruptibly in hp_kthread_nap(),
# which hp_patch_kthread replaces. The apply wakes it (as upstream's
# klp_send_signals() does), it leaves the function, and the switch is made
# while it pauses outside; the revert wakes it out of the new function the
# same way. With stubborn=1 the thread goes back to sleep in the same
# place when woken: the apply times out and names it, nothing changes.
# requires: /usr/bin/hotpatch
# shellcheck source=../lib/functions.sh
. /lib/hotpatch/tests/lib/functions.sh
# shellcheck source=../lib/hotpatch.sh
. /lib/hotpatch/tests/lib/hotpatch.sh

DMESG_FILTER='^hotpatch:'
plan 16

P=$HP_SYSFS/patches/hp_patch_kthread
OLD=/sys/module/hp_target_kthread/parameters/rounds
NEW=/sys/module/hp_patch_kthread/parameters/rounds

# asleep [FUNC]: the thread hp_kthread sleeps in FUNC (default
# hp_kthread_nap), as its wchan says
asleep() {
	for _s in /proc/[0-9]*/comm; do
		[ "$(cat "$_s" 2>/dev/null)" = hp_kthread ] || continue
		[ "$(cat "${_s%comm}wchan")" = "${1:-hp_kthread_nap}" ]
		return
	done
	return 1
}

load_core timeout_ms=3000
load_mod "$FIXTURES/hp_target_kthread.ko"
check "the thread sleeps in hp_kthread_nap()" wait_for asleep 10
dmesg_mark
check "the patch applies over it" insmod "$FIXTURES/hp_patch_kthread.ko"
check_eq "it is applied" applied "$(cat $P/state)"
check_eq "the thread was woken once in the old function" 1 "$(cat $OLD)"
check_dmesg "the apply says it woke one kernel thread" <<'LOG'
hotpatch: 'hp_patch_kthread': apply: 0 task(s) parked outside the code it replaces, 1 kernel thread(s) woken
hotpatch: 'hp_patch_kthread': applied
LOG
check "the thread sleeps in the new function" wait_for "asleep hp_patch_kthread_nap" 10
dmesg_mark
check "the patch reverts under it" sh -c "echo 0 > $P/enabled"
check_eq "the thread was woken once in the new function" 1 "$(cat $NEW)"
check_dmesg "the revert says it woke one kernel thread" <<'LOG'
hotpatch: 'hp_patch_kthread': revert: 0 task(s) parked outside the code it replaces, 1 kernel thread(s) woken
hotpatch: 'hp_patch_kthread': reverted
LOG
check "the patch module unloads" unload_mod hp_patch_kthread
check "the target unloads" unload_mod hp_target_kthread

# A thread that goes back to sleep where it was cannot be moved.
load_mod "$FIXTURES/hp_target_kthread.ko" stubborn=1
check "the stubborn thread sleeps in hp_kthread_nap()" wait_for asleep 10
out=$(hotpatch load "$FIXTURES/hp_patch_kthread.ko" 2>&1)
check "the apply is refused" test $? -ne 0
check_grep "it timed out" "timed out" "$out"
check_grep "the blocking report names the thread and the function" \
	"hp_kthread hp_kthread_nap+" "$(cat "$HP_SYSFS"/blocking)"
check "the patch module is not loaded" not_loaded hp_patch_kthread
unload_mod hp_target_kthread
unload_core
