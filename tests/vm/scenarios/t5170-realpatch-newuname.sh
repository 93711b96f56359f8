#!/bin/sh
# t5170: a fix inside a SYSCALL_DEFINE body that the compiler keeps out of
# line (tests/realpatches/newuname.patch: uname() reports "(none)" for an
# empty node name). The body, __do_sys_newuname, is a static inline, so
# notrace, with no fentry call; hotpatch-build carried it and redirected its
# callers __x64_sys_newuname and __ia32_sys_newuname instead. In both
# redirect modes: the new behaviour through both syscall entries (hp-uname:
# uname(2) and int $0x80), the node name itself unchanged
# (/proc/sys/kernel/hostname), disable brings the old behaviour back,
# enable the new one, unload the old one.
# requires: build/realpatches/hp_real_newuname.ko /usr/bin/hotpatch /usr/bin/jsonq /usr/bin/hp-uname
# shellcheck source=../lib/functions.sh
. /lib/hotpatch/tests/lib/functions.sh
# shellcheck source=../lib/hotpatch.sh
. /lib/hotpatch/tests/lib/hotpatch.sh

plan 33
P=hp_real_newuname
OLD="x64 
ia32 "
NEW="x64 (none)
ia32 (none)"

# shellcheck disable=SC2119 # load_core takes optional core parameters
load_core
check "an empty host name is accepted" hostname ""
check_eq "before: uname reports it empty, through both entries" "$OLD" "$(hp-uname)"

for mode in direct ops; do
	echo $mode >/sys/module/hotpatch/parameters/mode
	check "[$mode] the built patch loads" hotpatch load "$(mod_path $P)"
	hotpatch status --json $P >/tmp/st.json
	check_eq "[$mode] status: applied" "applied $mode" \
		"$(jsonq .state </tmp/st.json) $(cat $HP_SYSFS/patches/$P/mode)"
	check_eq "[$mode] status: it patches vmlinux" vmlinux \
		"$(jsonq .objects.0.name </tmp/st.json)"
	funcs=$(hotpatch status $P)
	check_grep "[$mode] status lists the 64-bit entry" __x64_sys_newuname "$funcs"
	check_grep "[$mode] and the 32-bit one" __ia32_sys_newuname "$funcs"
	check_eq "[$mode] patched: uname reports (none), through both entries" \
		"$NEW" "$(hp-uname)"
	check_eq "[$mode] busybox uname -n too" "(none)" "$(uname -n)"
	check_eq "[$mode] the node name itself stays empty" "" \
		"$(cat /proc/sys/kernel/hostname)"
	check "[$mode] disable reverts it" hotpatch disable $P
	check_eq "[$mode] disabled: empty again" "$OLD" "$(hp-uname)"
	check "[$mode] enable applies it again" hotpatch enable $P
	check_eq "[$mode] enabled: (none) again" "$NEW" "$(hp-uname)"
	check "[$mode] unload" hotpatch unload $P
	check "[$mode] the module is gone" not_loaded $P
done

check_eq "unloaded: empty, the old code" "$OLD" "$(hp-uname)"
check "a host name set after all that" hostname plain
check_eq "is reported as it is" "x64 plain
ia32 plain" "$(hp-uname)"
