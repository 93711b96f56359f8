#!/bin/sh
# Convergence with tasks asleep in the code being replaced, in both
# redirect modes: 1,000 threads sleep in one of pause(), FUTEX_WAIT,
# epoll_wait(), read() of a pipe, nanosleep(), accept() and wait4() while
# hp_patch_sleepers (the seven functions they sleep in, replaced by
# counting copies) is applied and reverted. Every transition converges:
# the threads are parked outside the code (kernel/park.c) and their calls
# restarted. Each thread's calls are counted and its last result checked
# by hp-sleepers: no call returns early, none fails with EINTR except
# epoll_wait() (which signal(7) lists as failing with EINTR after a stop
# signal; the count is printed), and after the apply every thread but the
# nanosleep ones has re-entered its call through the new function
# (nanosleep() resumes through its restart block, outside it). The time
# each transition took is printed.
# timeout: 1200
# requires: /usr/bin/hotpatch /usr/bin/hp-sleepers
# shellcheck source=../lib/functions.sh
. /lib/hotpatch/tests/lib/functions.sh
# shellcheck source=../lib/hotpatch.sh
. /lib/hotpatch/tests/lib/hotpatch.sh

N=1000
KINDS="pause futex epoll pipe nanosleep accept wait4"
P=$HP_SYSFS/patches/hp_patch_sleepers
CALLS=/sys/module/hp_patch_sleepers/parameters/calls
OUT=/tmp/sleepers.out

plan 113

# func KIND: the function that KIND sleeps in (what the patch replaces)
func() {
	case $1 in
	pause) echo __x64_sys_pause ;;
	futex) echo futex_wait ;;
	epoll) echo do_epoll_wait ;;
	pipe) echo pipe_read ;;
	nanosleep) echo hrtimer_nanosleep ;;
	accept) echo __sys_accept4 ;;
	wait4) echo kernel_wait4 ;;
	esac
}

# calls FUNC: calls of the new FUNC so far
calls() {
	awk -v f="$1" '$1 == f { print $2 }' "$CALLS"
}

# field NAME TEXT: the value after NAME in TEXT
field() {
	echo "$2" | awk -v k="$1" '{ for (i = 1; i < NF; i++) if ($i == k) { print $(i + 1); exit } }'
}

# now: uptime in centiseconds
now() {
	awk '{ split($1, a, "."); print a[1] * 100 + a[2] }' /proc/uptime
}

# timed CMD...: run CMD, leave its duration in $ELAPSED ("S.CC s")
timed() {
	_t0=$(now)
	"$@"
	_rc=$?
	_t=$(($(now) - _t0))
	ELAPSED=$(printf '%d.%02d s' $((_t / 100)) $((_t % 100)))
	return $_rc
}

load_core timeout_ms=30000

for mode in direct ops; do
	echo $mode >/sys/module/hotpatch/parameters/mode
	first=1
	for kind in $KINDS; do
		f=$(func "$kind")
		hp-sleepers -k "$kind" -n $N >$OUT &
		pid=$!
		check "[$mode $kind] $N threads sleep in $f" \
			wait_for "grep -q '^ready' $OUT" 300
		dmesg_mark
		if [ $first = 1 ]; then
			timed insmod "$FIXTURES/hp_patch_sleepers.ko"
		else
			timed sh -c "echo 1 > $P/enabled"
		fi
		check "[$mode $kind] the patch applies over them" test $? = 0
		diag "[$mode $kind] apply with $N threads asleep in $f took $ELAPSED"
		diag "$(dmesg_since | grep "'hp_patch_sleepers': apply:")"
		first=0
		check_eq "[$mode $kind] it is applied" "applied $mode" \
			"$(cat $P/state) $(cat $P/mode)"
		c=$(calls "$f")
		if [ "$kind" = nanosleep ]; then
			check_eq "[$mode $kind] the sleeps resume outside $f (restart block)" \
				0 "$c"
		else
			check "[$mode $kind] every thread re-entered its call through the new $f ($c calls)" \
				wait_for "[ \$(calls $f) -ge $N ]" 60
		fi
		timed sh -c "echo 0 > $P/enabled"
		check "[$mode $kind] the patch reverts under them" test $? = 0
		diag "[$mode $kind] revert with $N threads asleep took $ELAPSED"
		check_eq "[$mode $kind] it is reverted" reverted "$(cat $P/state)"
		kill -TERM $pid
		wait $pid
		rc=$?
		r=$(tail -n 1 $OUT)
		diag "[$mode $kind] $r"
		check_eq "[$mode $kind] every result right, none early" \
			"0 0 0 $N" "$rc $(field early "$r") $(field bad "$r") $(field ok "$r")"
		if [ "$kind" = epoll ]; then
			diag "[$mode $kind] epoll_wait() EINTR: $(field eintr "$r") in $(field calls "$r") calls"
		else
			check_eq "[$mode $kind] no call failed with EINTR" 0 "$(field eintr "$r")"
		fi
	done
	check "[$mode] the patch module unloads" unload_mod hp_patch_sleepers
done
check_eq "no transition timed out (global blocking empty)" "" \
	"$(cat $HP_SYSFS/blocking)"
unload_core
