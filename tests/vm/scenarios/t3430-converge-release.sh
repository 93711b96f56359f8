#!/bin/sh
# Parked tasks never outlive their transition, and stay killable. 200
# threads read empty pipes (pipe_read) while hp_patch_parkfail, a patch of
# pipe_read() and of hp_target_wait(), is loaded:
#  - with a task in hp_target_wait() (a killable sleep: it cannot be
#    moved), the readers are parked in the core's callback for the whole
#    timeout; the apply times out naming only that task, and the readers
#    go back to sleep in pipe_read(), every result right;
#  - a parked process dies at once of SIGKILL while the transition waits;
#  - with no unmovable task but a failure injected at the switch (core
#    parameter fail_step, stepped up until it hits the switch), the apply
#    fails with EIO and the parked readers are let go all the same.
# timeout: 400
# requires: /usr/bin/hotpatch /usr/bin/hp-sleepers
# shellcheck source=../lib/functions.sh
. /lib/hotpatch/tests/lib/functions.sh
# shellcheck source=../lib/hotpatch.sh
. /lib/hotpatch/tests/lib/hotpatch.sh

N=200
OUT=/tmp/sleepers.out
FAIL_STEP=/sys/module/hotpatch/parameters/fail_step

plan 17

field() {
	echo "$2" | awk -v k="$1" '{ for (i = 1; i < NF; i++) if ($i == k) { print $(i + 1); exit } }'
}

# in PID FUNC: how many threads of PID sleep in FUNC (their wchan)
in_func() {
	_n=0
	for _w in /proc/"$1"/task/*/wchan; do
		# no fork per thread: wchan has no newline, read fails but sets _c
		_c=
		read -r _c <"$_w" 2>/dev/null
		[ "$_c" = "$2" ] && _n=$((_n + 1))
	done
	echo $_n
}

# dead PID: PID has exited (a zombie until the shell reaps it)
dead() {
	[ ! -d "/proc/$1" ] || grep -q '^State:.*Z' "/proc/$1/status"
}

# sleepers: start $N pipe readers, leave their pid in $pid
sleepers() {
	hp-sleepers -k pipe -n $N >$OUT 2>&1 &
	pid=$!
}

load_core timeout_ms=4000
load_mod "$FIXTURES/hp_target.ko"
echo wait >/proc/hp_target_wait &
waiter=$!
# shellcheck disable=SC2016 # wait_for evaluates it
wait_for '[ "$(cut -d" " -f1 /proc/hp_target_wait)" = 1 ]' 5

sleepers
check "$N readers sleep in pipe_read" \
	wait_for "grep -q '^ready' $OUT" 120
hotpatch load "$FIXTURES/hp_patch_parkfail.ko" >/tmp/load.out 2>&1 &
load=$!
check "the readers are parked in the core's callback while it waits" \
	wait_for "[ \$(in_func $pid hp_park_cb) = $N ]" 3
wait $load
check "the apply fails: a task cannot be moved" test $? -ne 0
check_grep "it timed out" "timed out" "$(cat /tmp/load.out)"
check_eq "the blocking report names only that task" \
	"$waiter sh hp_target_wait" "$(awk '{ print $1, $2, substr($3, 1, index($3, "+") - 1) }' "$HP_SYSFS"/blocking)"
check "the readers are let go: all asleep in pipe_read again" \
	wait_for "[ \$(in_func $pid pipe_read) = $N ]" 10
kill -TERM "$pid"
wait "$pid"
r=$(tail -n 1 $OUT)
diag "$r"
check_eq "every read right, none early, none EINTR" "0 0 0 0 $N" \
	"$(field eintr "$r") $(field early "$r") $(field bad "$r") $(($(field calls "$r") - N)) $(field ok "$r")"

sleepers
check "$N readers sleep in pipe_read again" \
	wait_for "grep -q '^ready' $OUT" 120
hotpatch load "$FIXTURES/hp_patch_parkfail.ko" >/tmp/load.out 2>&1 &
load=$!
check "they are parked" wait_for "[ \$(in_func $pid hp_park_cb) = $N ]" 3
kill -KILL "$pid"
check "a parked process dies of SIGKILL at once" \
	wait_for "dead $pid" 2
check "while the transition still waits" test -d /proc/$load
wait "$pid"
wait $load
check "that apply times out too" test $? -ne 0

echo release >/proc/hp_target_wait
wait "$waiter"
sleepers
check "$N readers sleep in pipe_read once more" \
	wait_for "grep -q '^ready' $OUT" 120
# The step of the switch: after the pre-patch and arm steps of each object.
n=0
while [ $n -lt 10 ]; do
	n=$((n + 1))
	echo $n >$FAIL_STEP
	dmesg_mark
	out=$(hotpatch load "$FIXTURES/hp_patch_parkfail.ko" 2>&1)
	case $out in *"step $n (switch)"*) break ;; esac
done
echo 0 >$FAIL_STEP
check_grep "with a failure injected at the switch (step $n), the apply fails" \
	"injected failure at step $n (switch)" "$out"
check_dmesg -g "the readers were parked, then the failure at the switch" \
	'^hotpatch:.*(parked|injected)' <<LOG
hotpatch: 'hp_patch_parkfail': injected failure at step $n (switch)
hotpatch: 'hp_patch_parkfail': apply: * task(s) parked outside the code it replaces, 0 kernel thread(s) woken
LOG
check "the readers are let go" \
	wait_for "[ \$(in_func $pid pipe_read) = $N ]" 10
kill -TERM "$pid"
wait "$pid"
r=$(tail -n 1 $OUT)
diag "$r"
check_eq "every read right, none early, none EINTR" "0 0 0 0 $N" \
	"$(field eintr "$r") $(field early "$r") $(field bad "$r") $(($(field calls "$r") - N)) $(field ok "$r")"
unload_mod hp_target
unload_core
