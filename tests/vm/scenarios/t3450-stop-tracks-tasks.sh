#!/bin/sh
# The stop walks only the tasks recorded by the sched tracepoint probes,
# and still catches every task that entered the code being replaced after
# the first walk: a task that existed then and ran since, and a task
# created since. The window between the first walk and the stop is
# widened on purpose (stop_delay_ms). With the per-CPU sets overflowed
# (track_max=1), the stop visits every task and catches it too. The
# probes exist only during a transition.
# timeout: 120
# requires: /usr/bin/hotpatch
# shellcheck source=../lib/functions.sh
. /lib/hotpatch/tests/lib/functions.sh
# shellcheck source=../lib/hotpatch.sh
. /lib/hotpatch/tests/lib/hotpatch.sh

plan 31

PARAMS=/sys/module/hotpatch/parameters
p="$HP_SYSFS"/patches/hp_patch_wait
FIFO=/tmp/t3450.fifo

load_core timeout_ms=1000
load_mod "$FIXTURES/hp_target.ko"
check_eq "no probes before any transition" N "$(cat $PARAMS/tracking)"

# wait_window: the transition has walked every stack and sleeps before
# the stop (the test-only log line of stop_delay_ms).
wait_window() {
	# shellcheck disable=SC2016 # wait_for evaluates it
	wait_for 'dmesg_since | grep -q "test: [0-9]* ms between the first walk and the stop"' 20
}

waiting() {
	# shellcheck disable=SC2016 # wait_for evaluates it
	wait_for '[ "$(cut -d" " -f1 /proc/hp_target_wait)" = 1 ]' 10
}

count_tasks() {
	set -- /proc/[0-9]*/task/[0-9]*
	echo $#
}

release() {
	echo release > /proc/hp_target_wait
	wait "$1"
}

# try_existing WHAT: a task that sleeps (in a pipe open, clear of the
# code) through the first walk, then runs and enters hp_target_wait()
# inside the window: the stop must find it.
try_existing() {
	rm -f $FIFO
	mkfifo $FIFO
	( read -r _ <$FIFO; echo wait >/proc/hp_target_wait ) &
	waiter=$!
	sleep 0.3
	dmesg_mark
	echo 2000 > $PARAMS/stop_delay_ms
	hotpatch load "$FIXTURES/hp_patch_wait.ko" >/tmp/t3450.out 2>&1 &
	loader=$!
	check "$1: the first walk found nothing" wait_window
	check_eq "$1: the probes are registered during the transition" Y "$(cat $PARAMS/tracking)"
	echo go > $FIFO
	check "$1: the task now sleeps in hp_target_wait" waiting
	wait "$loader"
	check_eq "$1: the apply times out (exit status 5)" 5 "$?"
	echo 0 > $PARAMS/stop_delay_ms
	check_grep "$1: the stop names the task" "task $waiter (sh) is in hp_target_wait+" "$(dmesg_since)"
	check "$1: the patch module is not loaded" not_loaded hp_patch_wait
	check_eq "$1: the probes are gone after it" N "$(cat $PARAMS/tracking)"
	release "$waiter"
}

# try_new WHAT: a task created inside the window enters hp_target_wait().
try_new() {
	dmesg_mark
	echo 2000 > $PARAMS/stop_delay_ms
	hotpatch load "$FIXTURES/hp_patch_wait.ko" >/tmp/t3450.out 2>&1 &
	loader=$!
	check "$1: the first walk found nothing" wait_window
	echo wait > /proc/hp_target_wait &
	waiter=$!
	check "$1: the new task sleeps in hp_target_wait" waiting
	wait "$loader"
	check_eq "$1: the apply times out (exit status 5)" 5 "$?"
	echo 0 > $PARAMS/stop_delay_ms
	check_grep "$1: the stop names the task" "task $waiter (sh) is in hp_target_wait+" "$(dmesg_since)"
	check_eq "$1: the probes are gone after it" N "$(cat $PARAMS/tracking)"
	release "$waiter"
}

try_existing "tracked, a task that ran"
try_new "tracked, a new task"

# Nothing in the way: the stop looks only at the few tasks that ran.
tasks=$(count_tasks)
check "tracked: the apply succeeds" hotpatch load "$FIXTURES/hp_patch_wait.ko"
visited=$(cat "$p"/last_visited)
diag "tasks: $tasks, visited inside the stop: $visited, walked: $(cat "$p"/last_walked)"
check "tracked: the stop visited fewer tasks than half of all ($visited of $tasks)" \
	test "$visited" -lt $((tasks / 2))
check_eq "tracked: it walked every task it visited" "$visited" "$(cat "$p"/last_walked)"
check "tracked: the revert succeeds" hotpatch unload hp_patch_wait
check_eq "the probes are gone after both" N "$(cat $PARAMS/tracking)"

# One task per CPU at most: the sets overflow (the waiting loops fork
# tasks inside the window), the stop visits every task.
echo 1 > $PARAMS/track_max
try_existing "overflowed, a task that ran"
dmesg_mark
echo 500 > $PARAMS/stop_delay_ms
hotpatch load "$FIXTURES/hp_patch_wait.ko" >/tmp/t3450.out 2>&1 &
loader=$!
wait_window
tasks=$(count_tasks)
wait "$loader"
check_eq "overflowed: the apply succeeds" 0 "$?"
echo 0 > $PARAMS/stop_delay_ms
visited=$(cat "$p"/last_visited)
diag "tasks: $tasks, visited inside the stop: $visited, walked: $(cat "$p"/last_walked)"
check "overflowed: the stop visited every task but a few running ones ($visited of $tasks)" \
	test "$visited" -ge $((tasks - 6))
check "overflowed: the revert succeeds" hotpatch unload hp_patch_wait

check_fails "track_max above 256 is refused" sh -c "echo 257 > $PARAMS/track_max"
check_fails "stop_delay_ms above 10000 is refused" sh -c "echo 10001 > $PARAMS/stop_delay_ms"
unload_mod hp_target
unload_core
sleep 0.2
check "the core is gone and the machine still schedules" not is_loaded hotpatch
