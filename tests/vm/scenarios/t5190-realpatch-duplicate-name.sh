#!/bin/sh
# t5190: a patch that hotpatch-build built from a source fix of a static
# function whose name vmlinux has twice (tests/realpatches/proc_fdinfo.patch:
# seq_show() of fs/proc/fd.c, the other is net/netfilter/nf_log.c's) replaces
# the right one: /proc/<pid>/fdinfo/<fd> gains its line and nothing else
# changes; the sympos the resolve stage found by kallsyms neighbours is in the
# manifest (1, fs/proc/fd.c's; without it the module step needed --sympos).
# requires: build/realpatches/hp_real_proc_fdinfo.ko /usr/bin/hotpatch /usr/bin/jsonq
# shellcheck source=../lib/functions.sh
. /lib/hotpatch/tests/lib/functions.sh
# shellcheck source=../lib/hotpatch.sh
. /lib/hotpatch/tests/lib/hotpatch.sh

plan 13
P=hp_real_proc_fdinfo
F=/sys/kernel/hotpatch/patches/$P/vmlinux

# shellcheck disable=SC2119 # load_core takes optional core parameters
load_core
before=$(cat /proc/self/fdinfo/0)
check_grep "before: fdinfo has its fields" "flags:" "$before"
check "before: no hotpatch line" sh -c '! grep -q "^hotpatch:" /proc/self/fdinfo/0'
check_eq "two seq_show in kallsyms" 2 "$(grep -c ' seq_show$' /proc/kallsyms)"

check "the built patch loads" hotpatch load "$(mod_path $P)"
check_eq "patched: fdinfo, then the new line" \
	"$before
hotpatch:	live patched" "$(cat /proc/self/fdinfo/0)"
check "the replaced function is seq_show,1" test -d "$F/seq_show,1"
hotpatch status --json $P >/tmp/st.json
check_eq "status: applied" applied "$(jsonq .state </tmp/st.json)"
check_eq "status: sympos 1" 1 "$(jsonq .objects.0.functions.0.sympos </tmp/st.json)"
# fs/proc/fd.c's is the first in kallsyms (address order: fs before net)
first=$(grep ' seq_show$' /proc/kallsyms | head -n1 | cut -d' ' -f1)
check_eq "old address: the first seq_show" "$first" \
	"$(sed 's/^0x//' "$F/seq_show,1/old_addr")"

check "disable reverts it" hotpatch disable $P
check_eq "disabled: as before" "$before" "$(cat /proc/self/fdinfo/0)"
check "unload" hotpatch unload $P
check_eq "unloaded: as before" "$before" "$(cat /proc/self/fdinfo/0)"
