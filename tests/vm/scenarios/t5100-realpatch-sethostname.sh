#!/bin/sh
# t5100: a patch that hotpatch-build built from a source fix of Debian's
# kernel/sys.c (tests/realpatches/sethostname.patch: sethostname()
# refuses a '/') loads with the CLI, changes the syscall's behaviour, shows
# in status, and disable and unload bring the old behaviour back.
# requires: build/realpatches/hp_real_sethostname.ko /usr/bin/hotpatch /usr/bin/jsonq
# shellcheck source=../lib/functions.sh
. /lib/hotpatch/tests/lib/functions.sh
# shellcheck source=../lib/hotpatch.sh
. /lib/hotpatch/tests/lib/hotpatch.sh

plan 17
P=hp_real_sethostname

# shellcheck disable=SC2119 # load_core takes optional core parameters
load_core
check "before: a host name with a slash is accepted" hostname a/b
check_eq "and set" "a/b" "$(hostname)"

check "the built patch loads" hotpatch load "$(mod_path $P)"
hotpatch status --json $P >/tmp/st.json
check_eq "status: applied" applied "$(jsonq .state </tmp/st.json)"
check_eq "status: enabled" true "$(jsonq .enabled </tmp/st.json)"
check_eq "status: it patches vmlinux" vmlinux "$(jsonq .objects.0.name </tmp/st.json)"
check_grep "status lists the syscall" "sys_sethostname" \
	"$(hotpatch status $P)"

out=$(hostname c/d 2>&1)
check_eq "patched: a host name with a slash is refused (EINVAL)" \
	"hostname: sethostname: Invalid argument" "$out"
check_eq "patched: the host name stayed" "a/b" "$(hostname)"
check "patched: a host name without a slash is still accepted" hostname plain
check_eq "and set" "plain" "$(hostname)"

check "disable reverts it" hotpatch disable $P
check "disabled: a slash is accepted again" hostname e/f
check_eq "and set" "e/f" "$(hostname)"

check "enable applies it again" hotpatch enable $P
check_fails "enabled: a slash is refused again" hostname g/h

check "unload" hotpatch unload $P
