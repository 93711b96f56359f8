#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# t0001: the test kernel boots in the harness with what hotpatch needs:
# proc, sysfs, debugfs and tracefs mounted, kallsyms readable, ftrace direct
# calls built in, and the kernel log helpers of functions.sh working.
# timeout: 60
# shellcheck source=../lib/functions.sh
. /lib/hotpatch/tests/lib/functions.sh

plan 9

check "proc is mounted" grep -q '^proc /proc proc' /proc/mounts
check "sysfs is mounted" grep -q '^sysfs /sys sysfs' /proc/mounts
check "debugfs is mounted" grep -q ' /sys/kernel/debug debugfs' /proc/mounts
check "tracefs is mounted at /sys/kernel/tracing" \
	test -f /sys/kernel/tracing/available_filter_functions
check "/proc/kallsyms shows real addresses" \
	sh -c "grep ' [Tt] _stext\$' /proc/kallsyms | grep -qv '^0000000000000000'"
check "register_ftrace_direct is in kallsyms" \
	grep -q ' register_ftrace_direct$' /proc/kallsyms
# Every module in the guest was built for the running kernel.
mods=$(find /lib/hotpatch -name '*.ko' | sort)
if [ -z "$mods" ]; then
	skip "modules match the running kernel" "no modules built yet"
else
	wrong=""
	for m in $mods; do
		v=$(modinfo -F vermagic "$m" | cut -d' ' -f1)
		[ "$v" = "$(uname -r)" ] || wrong="$wrong $m($v)"
	done
	check_eq "modules match the running kernel $(uname -r)" "" "$wrong"
fi

dmesg_mark
echo "hp-selfcheck: one" >/dev/kmsg
echo "hp-selfcheck: two 0x1234" >/dev/kmsg
check_dmesg "check_dmesg compares kernel-log lines since the mark" '^hp-selfcheck' <<'E'
hp-selfcheck: one
hp-selfcheck: two 0x1234
E
check_dmesg -g "check_dmesg -g matches globs" '^hp-selfcheck' <<'E'
hp-selfcheck: o*
hp-selfcheck: two 0x[0-9]*
E
