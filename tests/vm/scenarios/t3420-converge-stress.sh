#!/bin/sh
# Stress of convergence: 20 threads read from pipes that a writer feeds a
# byte every 10 ms (hp-sleepers -l), so they wake and sleep in pipe_read()
# all the time, while hp_patch_sleepers (pipe_read() among the functions
# it replaces) is reverted and applied 200 times, 100 in each redirect
# mode. Every transition converges (the readers asleep in the function are
# parked and their reads restarted); every byte each thread reads is the
# next of its pipe's sequence, no read fails or returns early, and each
# thread sees the end of file when the writer closes its pipe.
# timeout: 1800
# requires: /usr/bin/hotpatch /usr/bin/hp-sleepers
# shellcheck source=../lib/functions.sh
. /lib/hotpatch/tests/lib/functions.sh
# shellcheck source=../lib/hotpatch.sh
. /lib/hotpatch/tests/lib/hotpatch.sh

N=20
ROUNDS=50	# revert + apply in each mode: 200 transitions in all
P=$HP_SYSFS/patches/hp_patch_sleepers
CALLS=/sys/module/hp_patch_sleepers/parameters/calls
OUT=/tmp/sleepers.out

plan 13

field() {
	echo "$2" | awk -v k="$1" '{ for (i = 1; i < NF; i++) if ($i == k) { print $(i + 1); exit } }'
}

pipe_calls() {
	awk '$1 == "pipe_read" { print $2 }' "$CALLS"
}

now() {
	awk '{ split($1, a, "."); print a[1] * 100 + a[2] }' /proc/uptime
}

load_core timeout_ms=30000
hp-sleepers -k pipe -l -n $N >$OUT &
pid=$!
check "$N threads read their pipes under load" \
	wait_for "grep -q '^ready' $OUT" 300

for mode in direct ops; do
	echo $mode >/sys/module/hotpatch/parameters/mode
	check "[$mode] the patch applies under load" \
		insmod "$FIXTURES/hp_patch_sleepers.ko"
	failed=0 i=0 t0=$(now)
	while [ $i -lt $ROUNDS ]; do
		echo 0 >$P/enabled || { failed=$((failed + 1)); diag "[$mode] revert $i: $(cat $P/last_error)"; }
		echo 1 >$P/enabled || { failed=$((failed + 1)); diag "[$mode] apply $i: $(cat $P/last_error)"; }
		i=$((i + 1))
		[ $((i % 10)) != 0 ] || diag "[$mode] $((2 * i)) transitions, $failed failed"
	done
	t=$(($(now) - t0))
	diag "[$mode] $((2 * ROUNDS)) transitions in $((t / 100)).$((t % 100 / 10)) s"
	check_eq "[$mode] all $((2 * ROUNDS)) transitions succeeded" 0 $failed
	check_eq "[$mode] it is applied" "applied $mode" \
		"$(cat $P/state) $(cat $P/mode)"
	c=$(pipe_calls)
	check "[$mode] the readers keep calling the new pipe_read()" \
		wait_for "[ \$(pipe_calls) -gt $c ]" 10
	check "[$mode] it reverts and unloads" hotpatch unload hp_patch_sleepers
done

kill -TERM $pid
wait $pid
rc=$?
r=$(tail -n 1 $OUT)
diag "$r"
check_eq "every byte read was the next of its sequence, every end of file seen" \
	"0 0 0 $N" "$rc $(field early "$r") $(field bad "$r") $(field ok "$r")"
check_eq "no read failed with EINTR" 0 "$(field eintr "$r")"
unload_core
