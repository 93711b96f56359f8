#!/bin/sh
# t5150: a patch that hotpatch-build built from a source fix of Debian's
# fs/exec.c (tests/realpatches/task_comm.patch: __set_task_comm() turns a
# control character of a new task name into '?') changes a vmlinux function
# with a tracepoint whose key vmlinux does not export: its jump label
# (__tracepoint_task_rename, R_X86_64_PC64) and static call sites
# (__SCK__tp_func_task_rename, __SCK__preempt_schedule_notrace) are
# livepatch relocations for vmlinux, which the module loader applies before
# it sets up the patch's jump labels and static calls. The task_rename
# event fires from the new code (its newcomm is the sanitised name): when it
# was on before the patch loaded, after it is turned off and on again while
# patched, and not while it is off; disabling the patch brings the old code
# (and its event) back.
# requires: build/realpatches/hp_real_task_comm.ko /usr/bin/hotpatch /usr/bin/jsonq
# shellcheck source=../lib/functions.sh
. /lib/hotpatch/tests/lib/functions.sh
# shellcheck source=../lib/hotpatch.sh
. /lib/hotpatch/tests/lib/hotpatch.sh

plan 22
P=hp_real_task_comm
TP=/sys/kernel/tracing
EV=$TP/events/task/task_rename/enable
TAB=$(printf '\t')

# A shell names itself "A<TAB>B" through /proc/PID/comm and says its name
# (builtins only: the shell would exec a last external command).
rename() {
	# shellcheck disable=SC2016 # expanded by the inner shell
	sh -c 'printf "%s\t%s" "$1" "$2" >/proc/$$/comm; IFS= read -r n </proc/$$/comm; printf "%s" "$n"' \
		rn "$1" "$2"
}
events() {
	grep 'task_rename:' $TP/trace
}

# shellcheck disable=SC2119 # load_core takes optional core parameters
load_core
[ -d $TP/events ] || mount -t tracefs nodev $TP
check "the task_rename event exists" test -w $EV
echo 1 >$EV
: >$TP/trace
check_eq "before: a tab stays in the name" "a${TAB}b" "$(rename a b)"
check_grep "before: the event shows it" "newcomm=a${TAB}b " "$(events)"

check "the built patch loads (the event on)" hotpatch load "$(mod_path $P)"
hotpatch status --json $P >/tmp/st.json
check_eq "status: applied" applied "$(jsonq .state </tmp/st.json)"
check_eq "status: it patches vmlinux" vmlinux "$(jsonq .objects.0.name </tmp/st.json)"
check_grep "status lists __set_task_comm" "__set_task_comm" "$(hotpatch status $P)"

: >$TP/trace
check_eq "patched: the tab becomes '?'" "x?y" "$(rename x y)"
check_grep "patched: the event fires from the new code" "newcomm=x?y " "$(events)"

echo 0 >$EV
: >$TP/trace
check_eq "event off: still '?'" "p?q" "$(rename p q)"
check "event off: it does not fire" not grep -q 'newcomm=p' $TP/trace

echo 1 >$EV
: >$TP/trace
check_eq "event on again: '?'" "m?n" "$(rename m n)"
check_grep "event on again: it fires from the new code" "newcomm=m?n " "$(events)"

check "disable reverts it" hotpatch disable $P
: >$TP/trace
check_eq "disabled: a tab stays in the name" "u${TAB}v" "$(rename u v)"
check_grep "disabled: the old code's event" "newcomm=u${TAB}v " "$(events)"

check "enable applies it again" hotpatch enable $P
: >$TP/trace
check_eq "enabled: '?' again" "r?s" "$(rename r s)"
check_grep "enabled: the event from the new code" "newcomm=r?s " "$(events)"

echo 0 >$EV
check "unload" hotpatch unload $P
check_eq "unloaded: the tab stays" "c${TAB}d" "$(rename c d)"
check "nothing redirected" not grep -q '__set_task_comm' $TP/enabled_functions
