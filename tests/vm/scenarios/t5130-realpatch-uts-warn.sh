#!/bin/sh
# t5130: a patch that hotpatch-build built from a source fix of Debian's
# kernel/utsname_sysctl.c (tests/realpatches/uts_warn.patch:
# proc_do_uts_string() refuses a name with a '/' written through
# /proc/sys/kernel, with WARN_ON_ONCE and a pr_debug) loads; writing such a
# name fails and the kernel warns once, from the patch's code at the fix's
# own file:line (the bug table entry and its file name string came along in
# the patch); the pr_debug, turned on under the patch's name, prints each
# time; disable and unload bring the old behaviour back.
# requires: build/realpatches/hp_real_uts_warn.ko /usr/bin/hotpatch /usr/bin/jsonq
# kernel-log-allow: WARNING: CPU: [0-9]+ PID: [0-9]+ at kernel/utsname_sysctl\.c:56 proc_do_uts_string\+0x[0-9a-f]+/0x[0-9a-f]+ \[hp_real_uts_warn\]
# kernel-log-allow: Call Trace:
# shellcheck source=../lib/functions.sh
. /lib/hotpatch/tests/lib/functions.sh
# shellcheck source=../lib/hotpatch.sh
. /lib/hotpatch/tests/lib/hotpatch.sh

plan 20
P=hp_real_uts_warn
D=/proc/sys/kernel/domainname
C=/sys/kernel/debug/dynamic_debug/control

# warnings since the mark: WARN lines, and those naming the fix's line
warnings() { dmesg_since | grep -c '^WARNING: '; }
fix_warnings() {
	dmesg_since | grep -cE "^WARNING: CPU: [0-9]+ PID: [0-9]+ at kernel/utsname_sysctl\.c:56 proc_do_uts_string\+0x[0-9a-f]+/0x[0-9a-f]+ \[$P\]$"
}

# shellcheck disable=SC2119 # load_core takes optional core parameters
load_core
dmesg_mark
check "before: a domain name with a slash is accepted" sh -c "echo a/b >$D"
check_eq "and set" "a/b" "$(cat $D)"

check "the built patch loads" hotpatch load "$(mod_path $P)"
hotpatch status --json $P >/tmp/st.json
check_eq "status: applied" applied "$(jsonq .state </tmp/st.json)"
check_eq "status: it patches vmlinux" vmlinux "$(jsonq .objects.0.name </tmp/st.json)"
check_grep "status lists proc_do_uts_string" "proc_do_uts_string" "$(hotpatch status $P)"
grep -q ' /sys/kernel/debug ' /proc/mounts || mount -t debugfs none /sys/kernel/debug
check "turn on the patch's pr_debug" sh -c "echo 'module $P +p' >$C"
check_grep "dynamic debug lists it, on, under the patch's name" \
	"kernel/utsname_sysctl.c:57 [$P]proc_do_uts_string =p \"%s: a name with a '/' refused" \
	"$(grep "\[$P\]" $C)"

check_fails "patched: a name with a slash is refused" sh -c "echo c/d >$D"
check_eq "patched: the name stayed" "a/b" "$(cat $D)"
sleep 0.2
check_eq "patched: the kernel warned, at kernel/utsname_sysctl.c:56 in the patch" \
	"1 1" "$(warnings) $(fix_warnings)"
check_fails "patched: refused again" sh -c "echo e/f >$D"
sleep 0.2
check_eq "patched: WARN_ON_ONCE warned only once" 1 "$(warnings)"
check_eq "patched: the pr_debug printed both times" 2 \
	"$(dmesg_since | grep -c "^domainname: a name with a '/' refused$")"
check "patched: a name without a slash is accepted" sh -c "echo plain >$D"
check_eq "and set" "plain" "$(cat $D)"

check "disable reverts it" hotpatch disable $P
check "disabled: a slash is accepted again" sh -c "echo g/h >$D"
check "unload" hotpatch unload $P
check_eq "no other warning" 1 "$(warnings)"
