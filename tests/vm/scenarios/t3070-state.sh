#!/bin/sh
# System states (upstream test-state.sh, all four tests): the callbacks of
# a patch see its state and change the system with it (the console
# loglevel, as upstream); a cumulative patch takes the state over from the
# patch it replaces, whose unpatch callbacks do not run; same or higher
# versions are accepted; a downgrade or a dropped state is refused with a
# clear message and changes nothing.
# requires: /usr/bin/hotpatch
# shellcheck source=../lib/functions.sh
. /lib/hotpatch/tests/lib/functions.sh
# shellcheck source=../lib/hotpatch.sh
. /lib/hotpatch/tests/lib/hotpatch.sh

DMESG_FILTER='^(hotpatch|hp_patch_cumul_[a-z0-9]*):'
plan 31

loglevel() {
	awk '{ print $1 }' /proc/sys/kernel/printk
}

load_core
load_mod "$FIXTURES/hp_target.ko"
level0=$(loglevel)
[ "$level0" != 15 ] || bail_out "the console loglevel is 15 already"

# upstream: system state modification
dmesg_mark
check "v1 loads" hotpatch load "$FIXTURES/hp_patch_cumul_v1.ko"
check_eq "v1 runs" "original 101" "$(cat /proc/hp_target)"
check_eq "its post-patch callback raised the console loglevel" 15 "$(loglevel)"
check "v1 unloads" hotpatch unload hp_patch_cumul_v1
check_eq "its pre-unpatch callback restored the console loglevel" \
	"$level0" "$(loglevel)"
check_dmesg "the callbacks allocate, fix, restore and free their state" <<'LOG'
hp_patch_cumul_v1: pre_patch_callback: vmlinux
hp_patch_cumul_v1: allocate_loglevel_state: allocating space to store console_loglevel
hp_patch_cumul_v1: post_patch_callback: vmlinux
hp_patch_cumul_v1: fix_console_loglevel: fixing console_loglevel
hotpatch: 'hp_patch_cumul_v1': applied
hp_patch_cumul_v1: pre_unpatch_callback: vmlinux
hp_patch_cumul_v1: restore_console_loglevel: restoring console_loglevel
hp_patch_cumul_v1: post_unpatch_callback: vmlinux
hp_patch_cumul_v1: free_loglevel_state: freeing space for the stored console_loglevel
hotpatch: 'hp_patch_cumul_v1': reverted
LOG

# upstream: taking over system state modification
dmesg_mark
check "v1 installs state 1" hotpatch load "$FIXTURES/hp_patch_cumul_v1.ko"
check "v2 replaces it" hotpatch load "$FIXTURES/hp_patch_cumul_v2.ko"
check_eq "v2 runs" "original 102" "$(cat /proc/hp_target)"
check_eq "the console loglevel stays raised" 15 "$(loglevel)"
check "the replaced v1 unloads" rmmod hp_patch_cumul_v1
check "v2 unloads" hotpatch unload hp_patch_cumul_v2
check_eq "v2 restored the level v1 saved" "$level0" "$(loglevel)"
check_dmesg "v2 takes over v1's state; v1's unpatch callbacks never run" <<'LOG'
hp_patch_cumul_v1: pre_patch_callback: vmlinux
hp_patch_cumul_v1: allocate_loglevel_state: allocating space to store console_loglevel
hp_patch_cumul_v1: post_patch_callback: vmlinux
hp_patch_cumul_v1: fix_console_loglevel: fixing console_loglevel
hotpatch: 'hp_patch_cumul_v1': applied
hp_patch_cumul_v2: pre_patch_callback: vmlinux
hp_patch_cumul_v2: allocate_loglevel_state: space to store console_loglevel already allocated
hotpatch: 'hp_patch_cumul_v1': replaced by 'hp_patch_cumul_v2'
hp_patch_cumul_v2: post_patch_callback: vmlinux
hp_patch_cumul_v2: fix_console_loglevel: taking over the console_loglevel change
hotpatch: 'hp_patch_cumul_v2': applied
hp_patch_cumul_v2: pre_unpatch_callback: vmlinux
hp_patch_cumul_v2: restore_console_loglevel: restoring console_loglevel
hp_patch_cumul_v2: post_unpatch_callback: vmlinux
hp_patch_cumul_v2: free_loglevel_state: freeing space for the stored console_loglevel
hotpatch: 'hp_patch_cumul_v2': reverted
LOG

# upstream: compatible cumulative livepatches (same version both ways)
dmesg_mark
hotpatch load "$FIXTURES/hp_patch_cumul_v2.ko" >/dev/null
check "v2b (same version) replaces v2" \
	hotpatch load "$FIXTURES/hp_patch_cumul_v2b.ko"
rmmod hp_patch_cumul_v2
check "v2 replaces v2b (same version)" \
	hotpatch load "$FIXTURES/hp_patch_cumul_v2.ko"
check_eq "v2 runs" "original 102" "$(cat /proc/hp_target)"
check_eq "the console loglevel stays raised" 15 "$(loglevel)"
hotpatch unload hp_patch_cumul_v2 >/dev/null
rmmod hp_patch_cumul_v2b
check_eq "the level is restored" "$level0" "$(loglevel)"
check_dmesg "the state passes from patch to patch" <<'LOG'
hp_patch_cumul_v2: pre_patch_callback: vmlinux
hp_patch_cumul_v2: allocate_loglevel_state: allocating space to store console_loglevel
hp_patch_cumul_v2: post_patch_callback: vmlinux
hp_patch_cumul_v2: fix_console_loglevel: fixing console_loglevel
hotpatch: 'hp_patch_cumul_v2': applied
hp_patch_cumul_v2b: pre_patch_callback: vmlinux
hp_patch_cumul_v2b: allocate_loglevel_state: space to store console_loglevel already allocated
hotpatch: 'hp_patch_cumul_v2': replaced by 'hp_patch_cumul_v2b'
hp_patch_cumul_v2b: post_patch_callback: vmlinux
hp_patch_cumul_v2b: fix_console_loglevel: taking over the console_loglevel change
hotpatch: 'hp_patch_cumul_v2b': applied
hp_patch_cumul_v2: pre_patch_callback: vmlinux
hp_patch_cumul_v2: allocate_loglevel_state: space to store console_loglevel already allocated
hotpatch: 'hp_patch_cumul_v2b': replaced by 'hp_patch_cumul_v2'
hp_patch_cumul_v2: post_patch_callback: vmlinux
hp_patch_cumul_v2: fix_console_loglevel: taking over the console_loglevel change
hotpatch: 'hp_patch_cumul_v2': applied
hp_patch_cumul_v2: pre_unpatch_callback: vmlinux
hp_patch_cumul_v2: restore_console_loglevel: restoring console_loglevel
hp_patch_cumul_v2: post_unpatch_callback: vmlinux
hp_patch_cumul_v2: free_loglevel_state: freeing space for the stored console_loglevel
hotpatch: 'hp_patch_cumul_v2': reverted
LOG

# upstream: incompatible cumulative livepatches
hotpatch load "$FIXTURES/hp_patch_cumul_v2.ko" >/dev/null
dmesg_mark
out=$(hotpatch load "$FIXTURES/hp_patch_cumul_v1.ko" 2>&1)
check "a downgrade of the state is refused" test $? -ne 0
check_grep "the CLI says why" "would downgrade version 2" "$out"
check_dmesg "the kernel log says why; no callback runs" <<'LOG'
hotpatch: 'hp_patch_cumul_v1': state 1: version 1 would downgrade version 2 installed by 'hp_patch_cumul_v2'
hotpatch: 'hp_patch_cumul_v1': refused (-22)
LOG

dmesg_mark
out=$(hotpatch load "$FIXTURES/hp_patch_cumul_none.ko" 2>&1)
check "a cumulative patch without the state is refused" test $? -ne 0
check_grep "the CLI says why" "drops state 1 (version 2) installed by 'hp_patch_cumul_v2'" "$out"
check_dmesg "the kernel log says why; no callback runs" <<'LOG'
hotpatch: 'hp_patch_cumul_none': cumulative patch drops state 1 (version 2) installed by 'hp_patch_cumul_v2'
hotpatch: 'hp_patch_cumul_none': refused (-22)
LOG
check_eq "v2 still runs" "original 102" "$(cat /proc/hp_target)"
check_eq "v2 is still applied" applied "$(cat "$HP_SYSFS"/patches/hp_patch_cumul_v2/state)"
check_eq "the console loglevel is still raised" 15 "$(loglevel)"

check "v2 unloads" hotpatch unload hp_patch_cumul_v2
check_eq "the level is restored" "$level0" "$(loglevel)"
unload_mod hp_target
unload_core
