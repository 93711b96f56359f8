#!/bin/sh
# t5110: a patch that hotpatch-build built from a source fix of Debian's
# fs/proc/version.c (tests/realpatches/proc_version.patch: a second line in
# /proc/version; the code reads linux_proc_banner, which vmlinux does not
# export) changes /proc/version exactly, and reverts.
# requires: build/realpatches/hp_real_proc_version.ko /usr/bin/hotpatch /usr/bin/jsonq
# shellcheck source=../lib/functions.sh
. /lib/hotpatch/tests/lib/functions.sh
# shellcheck source=../lib/hotpatch.sh
. /lib/hotpatch/tests/lib/hotpatch.sh

plan 10
P=hp_real_proc_version

# shellcheck disable=SC2119 # load_core takes optional core parameters
load_core
before=$(cat /proc/version)
check_eq "before: one line" 1 "$(wc -l </proc/version)"
check_grep "before: the banner" "Linux version $(uname -r) " "$before"

check "the built patch loads" hotpatch load "$(mod_path $P)"
check_eq "patched: the banner, then the new line" \
	"$before
hotpatch: this kernel is live patched" "$(cat /proc/version)"
hotpatch status --json $P >/tmp/st.json
check_eq "status: applied" applied "$(jsonq .state </tmp/st.json)"
check_eq "status: the function" version_proc_show \
	"$(jsonq .objects.0.functions.0.name </tmp/st.json)"

check "disable reverts it" hotpatch disable $P
check_eq "disabled: as before" "$before" "$(cat /proc/version)"
check "unload" hotpatch unload $P
check_eq "unloaded: as before" "$before" "$(cat /proc/version)"
