#!/bin/sh
# t5120: a patch that hotpatch-build built from a source fix of Debian's
# fs/binfmt_misc.c (tests/realpatches/binfmt_misc.patch: the status
# file counts the entries, reading the module's statics entries,
# entries_lock and enabled) patches the Debian module binfmt_misc.ko: the
# status file changes, follows registrations, and reverts.
# requires: build/realpatches/hp_real_binfmt_misc.ko /usr/bin/hotpatch /usr/bin/jsonq
# shellcheck source=../lib/functions.sh
. /lib/hotpatch/tests/lib/functions.sh
# shellcheck source=../lib/hotpatch.sh
. /lib/hotpatch/tests/lib/hotpatch.sh

plan 14
P=hp_real_binfmt_misc
B=/tmp/binfmt

# shellcheck disable=SC2119 # load_core takes optional core parameters
load_core
check "Debian's binfmt_misc.ko loads" load_mod binfmt_misc
mkdir -p $B
check "binfmt_misc mounts" mount -t binfmt_misc none $B
check_eq "before: status" "enabled" "$(cat $B/status)"

check "the built patch loads" hotpatch load "$(mod_path $P)"
check_eq "patched: status counts the entries" "enabled (0 entries)" \
	"$(cat $B/status)"
echo ':hptest:E::hptest::/bin/true:' >$B/register
check_eq "patched: an entry registered" "enabled (1 entries)" "$(cat $B/status)"
echo 0 >$B/status
check_eq "patched: disabled" "disabled (1 entries)" "$(cat $B/status)"
echo 1 >$B/status
hotpatch status --json $P >/tmp/st.json
check_eq "status: applied" applied "$(jsonq .state </tmp/st.json)"
check_eq "status: it patches binfmt_misc" binfmt_misc \
	"$(jsonq .objects.0.name </tmp/st.json)"

check "disable reverts it" hotpatch disable $P
check_eq "disabled: status as before" "enabled" "$(cat $B/status)"
check "unload" hotpatch unload $P
echo -1 >$B/hptest
check_eq "unloaded: status as before" "enabled" "$(cat $B/status)"
umount $B
check "binfmt_misc unloads" unload_mod binfmt_misc
