#!/bin/sh
# Guest side of `make bench`: instructions per call of hp_bench_target,
# unpatched and redirected each way. Needs -icount shift=0,sleep=off, where
# a guest nanosecond is one instruction. Prints a markdown table.
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
