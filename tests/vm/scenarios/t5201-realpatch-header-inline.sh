#!/bin/sh
# t5201: a patch that hotpatch-build built from a fix of a header
# (tests/realpatches/ipc_semmni.patch: sem_check_semmni(), a static inline
# of ipc/util.h, takes SEMMNI in [0, IPCMNI) instead of [0, IPCMNI]): every
# built ipc/ file that includes it was compiled and diffed, and the one
# whose code changed (ipc/ipc_sysctl.c: proc_ipc_sem_dointvec() inlines it)
# is patched. Writing SEMMNI = IPCMNI (32768) to /proc/sys/kernel/sem is
# accepted before, refused by the new code while applied (SEMMNI put back),
# accepted again when disabled and unloaded.
# requires: build/realpatches/hp_real_ipc_semmni.ko /usr/bin/hotpatch /usr/bin/jsonq
# shellcheck source=../lib/functions.sh
. /lib/hotpatch/tests/lib/functions.sh
# shellcheck source=../lib/hotpatch.sh
. /lib/hotpatch/tests/lib/hotpatch.sh

plan 16
P=hp_real_ipc_semmni
S=/proc/sys/kernel/sem
F=/sys/kernel/hotpatch/patches/$P/vmlinux

orig=$(cat $S)
# the default values with SEMMNI set to $1
with_semmni() { echo "$orig" | awk -v n="$1" '{print $1, $2, $3, n}'; }
# sem VALUES: write them to /proc/sys/kernel/sem (fails when refused)
sem() { sh -c "echo '$1' >$S" 2>/dev/null; }
semmni() { awk '{print $4}' $S; }

# shellcheck disable=SC2119 # load_core takes optional core parameters
load_core
check "before: SEMMNI 32768 is accepted" sem "$(with_semmni 32768)"
check_eq "and set" 32768 "$(semmni)"
check "back to the default" sem "$orig"

check "the built patch loads" hotpatch load "$(mod_path $P)"
hotpatch status --json $P >/tmp/st.json
check_eq "status: applied" applied "$(jsonq .state </tmp/st.json)"
check "the includer whose code changed is patched (proc_ipc_sem_dointvec)" \
	test -d "$F/proc_ipc_sem_dointvec,0"
check_eq "and nothing else" "1 proc_ipc_sem_dointvec" \
	"$(jsonq .objects.0.functions.length </tmp/st.json) $(jsonq .objects.0.functions.0.name </tmp/st.json)"
check_fails "patched: SEMMNI 32768 is refused" sem "$(with_semmni 32768)"
check_eq "patched: SEMMNI put back" "$(echo "$orig" | awk '{print $4}')" "$(semmni)"
check "patched: SEMMNI 32767 is accepted" sem "$(with_semmni 32767)"
check_eq "patched: and set" 32767 "$(semmni)"
sem "$orig"

check "disable reverts it" hotpatch disable $P
check "disabled: SEMMNI 32768 is accepted again" sem "$(with_semmni 32768)"
check_eq "and set" 32768 "$(semmni)"
sem "$orig"
check "unload" hotpatch unload $P
check "unloaded: still the old behaviour" sem "$(with_semmni 32768)"
sem "$orig"
