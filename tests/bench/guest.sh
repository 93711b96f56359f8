#!/bin/sh
# Guest side of `make bench`: instructions per call of hp_bench_target,
# unpatched and redirected each way. Needs -icount shift=0,sleep=off, where
# a guest nanosecond is one instruction. Prints markdown tables: the
# per-call cost, the pause by patch size and thread count beside upstream
# livepatch's transition, and the time to converge with threads asleep in
# the patched function.
set -u
B=/lib/hotpatch/bench
N=100000

# run: instructions per call, averaged over N calls, best of 3 runs
run() {
	best=
	for _ in 1 2 3; do
		echo $N > /proc/hp_bench
		read -r insns calls _ </proc/hp_bench
		v=$(( (insns * 100) / calls ))
		if [ -z "$best" ] || [ "$v" -lt "$best" ]; then best=$v; fi
	done
	echo "$best"
}

fmt() { # hundredths -> d.dd
	printf '%d.%02d' $(($1 / 100)) $(($1 % 100))
}

row() { # name, hundredths, base hundredths
	d=$(( $2 - $3 ))
	sign=+
	[ $d -lt 0 ] && { sign=-; d=$(( -d )); }
	printf '| %s | %s | %s%s |\n' "$1" "$(fmt "$2")" "$sign" "$(fmt $d)"
}

insmod $B/hp_bench.ko || exit 1
base=$(run)

echo '| redirect | instructions per call (incl. loop) | extra per call |'
echo '| --- | --- | --- |'
row "unpatched" "$base" "$base"

for mode in direct ops; do
	insmod /lib/hotpatch/hotpatch.ko mode=$mode || exit 1
	insmod $B/hp_bench_patch.ko || exit 1
	row "hotpatch, $mode" "$(run)" "$base"
	echo 0 > /sys/kernel/hotpatch/patches/hp_bench_patch/enabled
	rmmod hp_bench_patch
	rmmod hotpatch
done

insmod $B/hp_bench_klp.ko || exit 1
i=0
while [ "$(cat /sys/kernel/livepatch/hp_bench_klp/transition)" != 0 ] && [ $i -lt 100 ]; do
	sleep 0.1; i=$((i + 1))
done
row "upstream livepatch (klp_enable_patch)" "$(run)" "$base"

# ---- The pause, and upstream livepatch's transition, by patch size and
# number of sleeping threads.
H=/sys/kernel/hotpatch/patches
L=/sys/kernel/livepatch

now() { # guest nanoseconds: instructions under -icount shift=0,sleep=off
	read -r _t </proc/hp_bench_clock
	echo "$_t"
}

ms() { # nanoseconds -> milliseconds, d.dd
	fmt $(($1 / 10000))
}

us() { # nanoseconds -> microseconds, d.dd
	fmt $(($1 / 10))
}

# klp_wait NAME: until its transition is over (at most 120 s of guest time)
klp_wait() {
	_i=0
	while read -r _v <"$L/$1/transition" && [ "$_v" != 0 ]; do
		_i=$((_i + 1))
		[ $_i -lt 120000 ] || return 1
		sleep 0.001
	done
}

# klp_off NAME: disable, wait for the transition, unload
klp_off() {
	echo 0 >"$L/$1/enabled" || return 1
	_i=0
	while [ -d "$L/$1" ]; do
		_i=$((_i + 1))
		[ $_i -lt 120000 ] || return 1
		sleep 0.001
	done
	rmmod "$1"
}

# threads_start N [ARGS]: N sleeping threads; false when they do not fit
threads_start() {
	rm -f /tmp/threads.out
	hp-threads "$@" >/tmp/threads.out 2>&1 &
	threads_pid=$!
	while ! grep -q '^ready' /tmp/threads.out 2>/dev/null; do
		kill -0 "$threads_pid" 2>/dev/null || { wait "$threads_pid"; return 1; }
		sleep 0.1
	done
}

threads_stop() {
	kill -9 "$threads_pid"
	wait "$threads_pid" 2>/dev/null
	# the threads are reaped: the task count is back
	while [ -d "/proc/$threads_pid" ]; do sleep 0.1; done
}

count_tasks() {
	set -- /proc/[0-9]*/task/[0-9]*
	echo $#
}

klp_off hp_bench_klp || exit 1
echo 4194304 >/proc/sys/kernel/pid_max
echo 1000000 >/proc/sys/kernel/threads-max
echo 1000000 >/proc/sys/vm/max_map_count
insmod $B/hp_bench_many.ko || exit 1
insmod /lib/hotpatch/hotpatch.ko || exit 1
echo 1 >/proc/hp_bench_many || exit 1

cat <<'EOF'

## Pause by patch size and sleeping threads

The same patches applied by hotpatch (pause: `last_stop_ns`; tasks
visited and walked inside the stop: `last_visited`, `last_walked`;
apply: the whole `insmod` of the patch module) and by upstream
livepatch (`insmod` with `klp_enable_patch()` until `transition` reads
0). The extra threads sleep in `pause()` (tests/tools/hp-threads.c);
tasks counts every task of the guest. 1 function: `hp_bench_target`;
100 and 1000: generated `hp_bench_f0000`... (tests/bench/gen.sh).

EOF
echo '| functions | extra threads | tasks | hotpatch pause µs | visited | walked | hotpatch apply ms | livepatch transition ms |'
echo '| --- | --- | --- | --- | --- | --- | --- | --- |'
# the sizes tests/bench/run asks for (--funcs, --threads)
arg() {
	read -r _cl </proc/cmdline
	# shellcheck disable=SC2086 # the words of the command line
	for _a in $_cl; do
		case $_a in
		hp.$1=*) echo "${_a#*=}" | tr , ' ' ;;
		esac
	done
}
bench_funcs=$(arg bench_funcs)
bench_threads=$(arg bench_threads)
unfit=""
# shellcheck disable=SC2086 # lists of numbers
for threads in ${bench_threads:-0 1000 10000 50000}; do
	if [ "$threads" -gt 0 ] && ! threads_start "$threads"; then
		unfit="$threads: $(tail -n 1 /tmp/threads.out)"
		break
	fi
	tasks=$(count_tasks)
	# shellcheck disable=SC2086 # a list of numbers
	for funcs in ${bench_funcs:-1 100 1000}; do
		case $funcs in
		1) hp=hp_bench_patch klp=hp_bench_klp ;;
		*) hp=hp_bench_p$funcs klp=hp_bench_klp$funcs ;;
		esac
		t0=$(now)
		insmod $B/$hp.ko || exit 1
		t1=$(now)
		stop=$(cat $H/$hp/last_stop_ns)
		visited=$(cat $H/$hp/last_visited)
		walked=$(cat $H/$hp/last_walked)
		echo 1 >/proc/hp_bench_many || exit 1
		echo 0 >$H/$hp/enabled || exit 1
		rmmod $hp || exit 1
		k0=$(now)
		insmod $B/$klp.ko || exit 1
		klp_wait $klp || exit 1
		k1=$(now)
		echo 1 >/proc/hp_bench_many || exit 1
		klp_off $klp || exit 1
		printf '| %s | %s | %s | %s | %s | %s | %s | %s |\n' "$funcs" \
			"$threads" "$tasks" "$(us "$stop")" "$visited" "$walked" \
			"$(ms $((t1 - t0)))" "$(ms $((k1 - k0)))"
	done
	[ "$threads" -eq 0 ] || threads_stop
done
if [ -n "$unfit" ]; then
	echo
	echo "Not measured: $unfit (guest memory $(sed -n 's/^MemTotal: *//p' /proc/meminfo))."
fi

cat <<'EOF'

## Convergence with 1000 threads sleeping in the patched function

1000 threads sleep interruptibly in `hp_bench_sleep_wait()` (a read of
/proc/hp_bench_sleep) while a patch replaces that function; time from
the `insmod` of the patch module until the patch is applied (hotpatch)
or `transition` reads 0 (livepatch), and until it is reverted again.

EOF
echo '| patcher | apply | apply ms | revert ms |'
echo '| --- | --- | --- | --- |'
threads_start --read /proc/hp_bench_sleep 1000 || exit 1
sleep 1
t0=$(now)
if insmod $B/hp_bench_psleep.ko 2>/tmp/psleep.err; then
	t1=$(now)
	echo 0 >$H/hp_bench_psleep/enabled
	t2=$(now)
	rmmod hp_bench_psleep
	printf '| hotpatch | applied | %s | %s |\n' "$(ms $((t1 - t0)))" \
		"$(ms $((t2 - t1)))"
else
	t1=$(now)
	printf '| hotpatch | not applied: %s | %s | - |\n' \
		"$(sed -n 's/.*: \([^:]*\)$/\1/p' /tmp/psleep.err | head -n 1), timeout_ms $(cat /sys/module/hotpatch/parameters/timeout_ms)" \
		"$(ms $((t1 - t0)))"
fi
k0=$(now)
insmod $B/hp_bench_klpsleep.ko || exit 1
klp_wait hp_bench_klpsleep || exit 1
k1=$(now)
klp_off hp_bench_klpsleep || exit 1
k2=$(now)
printf '| upstream livepatch | applied | %s | %s |\n' "$(ms $((k1 - k0)))" \
	"$(ms $((k2 - k1)))"
threads_stop
