#!/bin/sh
# A transition that retries while a task sleeps in the code it replaces
# does not hold the core's lock between attempts: module loads and
# removals go on meanwhile; a target module that comes during the wait
# makes it give up cleanly; a signal ends the wait; timeout_ms is bounded.
# Failed before the fix of commit "transition: let go of hotpatch_mutex
# between attempts; a signal ends the wait; timeout_ms at most 60000" (a
# module load waited for the whole timeout, the signal was ignored, and
# timeout_ms took any value).
# requires: /usr/bin/hotpatch /usr/bin/insmod1
# timeout: 150
# shellcheck source=../lib/functions.sh
. /lib/hotpatch/tests/lib/functions.sh
# shellcheck source=../lib/hotpatch.sh
. /lib/hotpatch/tests/lib/hotpatch.sh

plan 20

t=/sys/module/hotpatch/parameters/timeout_ms
load_core timeout_ms=20000
check_fails "timeout_ms refuses more than a minute" sh -c "echo 4000000000 > $t"
check_eq "... and keeps its value" 20000 "$(cat $t)"
check "60000 is accepted" sh -c "echo 60000 > $t"
echo 20000 > $t
load_mod "$FIXTURES/hp_target.ko"

# Park a task inside the old hp_target_wait().
echo wait > /proc/hp_target_wait &
waiter=$!
# shellcheck disable=SC2016 # wait_for evaluates it
wait_for '[ "$(cut -d" " -f1 /proc/hp_target_wait)" = 1 ]' 5

insmod1 "$FIXTURES/hp_patch_wait.ko" 2>/tmp/apply.err &
apply=$!
# shellcheck disable=SC2016 # wait_for evaluates it
check "the apply is retrying" wait_for '[ "$(cat $HP_SYSFS/patches/hp_patch_wait/state 2>/dev/null)" = applying ]' 5

# Another module comes and goes meanwhile, without waiting for the timeout.
insmod "$FIXTURES/hp_kprobe.ko" has_post_handler=0 &
other=$!
check "a module loads while the apply retries" wait_for "is_loaded hp_kprobe" 4
wait "$other"
check "and unloads" timeout 4 rmmod hp_kprobe
check "the apply is still retrying" test "$(cat $HP_SYSFS/patches/hp_patch_wait/state)" = applying
check_fails "another enable waits for it, and a signal ends that wait" \
	timeout -s INT 1 sh -c "echo 0 > $HP_SYSFS/patches/hp_patch_wait/enabled"

dmesg_mark
# (SIGTERM: a background job of a script ignores SIGINT)
kill -TERM "$apply"
check "a signal ends the apply's wait" wait_for "[ ! -d $HP_SYSFS/patches/hp_patch_wait ]" 4
wait "$apply"
check "the load failed" not_loaded hp_patch_wait
check_dmesg -g "the kernel log says why" "interrupted|refused" <<LOG
hotpatch: 'hp_patch_wait': apply interrupted by a signal: 1 task(s) inside the code it replaces (see blocking)
hotpatch: 'hp_patch_wait': refused (-4)
LOG
check "ftrace redirects nothing" not grep -q '^hp_target_wait' /sys/kernel/tracing/enabled_functions

# A target module that comes, or goes, while an apply waits: the apply
# gives up at its next attempt, nothing of it stays, the module is intact.
w="$HP_SYSFS"/patches/hp_patch_wait_conns
for how in comes goes; do
	insmod1 "$FIXTURES/hp_patch_wait_conns.ko" 2>/dev/null &
	apply=$!
	# shellcheck disable=SC2016 # wait_for evaluates it
	wait_for '[ "$(cat $w/state 2>/dev/null)" = applying ]' 5
	if [ $how = comes ]; then
		load_mod "$FIXTURES/hp_target_conns.ko"
	else
		rmmod hp_target_conns
	fi
	check "[$how] the target module $how meanwhile; the apply ends" \
		wait_for "[ ! -d $w ]" 4
	wait "$apply"
	check_grep "[$how] ... and says why" \
		"apply abandoned: module 'hp_target_conns' came or went while it waited; try again" \
		"$(cat "$HP_SYSFS"/last_error)"
	check "[$how] nothing of it is redirected" \
		not grep -q 'hp_target_wait\|hp_conn_show' /sys/kernel/tracing/enabled_functions
	if [ $how = comes ]; then
		echo "open c1" > /proc/hp_target_conns
		check_eq "[comes] the module runs its own code" c1 "$(cat /proc/hp_target_conns)"
		echo "close c1" > /proc/hp_target_conns
	fi
done

echo release > /proc/hp_target_wait
wait "$waiter"
check "once the task has left, the apply succeeds" hotpatch load "$FIXTURES/hp_patch_wait.ko"
hotpatch unload hp_patch_wait >/dev/null
unload_mod hp_target
unload_core
