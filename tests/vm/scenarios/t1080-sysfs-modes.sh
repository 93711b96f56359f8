#!/bin/sh
# sysfs ABI (upstream test-sysfs.sh): every file and directory under
# /sys/kernel/hotpatch and every core parameter has the mode and owner
# docs/sysfs-abi.md gives it (r = -r--r--r--, rw = -rw-r--r--,
# directories drwxr-xr-x, all root:root), nothing more and nothing less;
# read-only files refuse writes, even from root, and keep their value; the
# values upstream checks (enabled, transition, <object>/patched) are right,
# and <object>/patched follows a target module that comes and goes.
# requires: /usr/bin/hotpatch
# shellcheck source=../lib/functions.sh
. /lib/hotpatch/tests/lib/functions.sh
# shellcheck source=../lib/hotpatch.sh
. /lib/hotpatch/tests/lib/hotpatch.sh

plan 12

R=-r--r--r--
RW=-rw-r--r--
D=drwxr-xr-x
P=patches/hp_patch_target
F1=$P/hp_target/hp_target_answer,0
F2=$P/hp_target/hp_target_message,0

# listing DIR: "<path below DIR> <mode> <owner> <group>", sorted
listing() {
	(cd "$1" && find . -mindepth 1 | sed 's|^\./||' | sort |
		while read -r f; do
			# shellcheck disable=SC2012,SC2046 # ls -ld: mode and owner
			set -- $(ls -ld "$f")
			echo "$f $1 $3 $4"
		done)
}

load_core
load_mod "$FIXTURES/hp_target.ko"
hotpatch load "$FIXTURES/hp_patch_target.ko" >/dev/null ||
	bail_out "cannot load hp_patch_target"

check_eq "every file of /sys/kernel/hotpatch has its documented mode and owner" "\
blocking $R root root
count $R root root
default_mode $R root root
keyring $R root root
keys $R root root
keys_locked $RW root root
last_error $R root root
patches $D root root
$P $D root root
$P/applied_at $R root root
$P/blocking $R root root
$P/cves $R root root
$P/description $R root root
$P/enabled $RW root root
$P/force $RW root root
$P/hp_target $D root root
$F1 $D root root
$F1/mode $R root root
$F1/new_addr $R root root
$F1/old_addr $R root root
$F1/patched $R root root
$F2 $D root root
$F2/mode $R root root
$F2/new_addr $R root root
$F2/old_addr $R root root
$F2/patched $R root root
$P/hp_target/patched $R root root
$P/key_id $R root root
$P/last_error $R root root
$P/last_stop_ns $R root root
$P/last_visited $R root root
$P/last_walked $R root root
$P/mode $R root root
$P/module_sig_ok $R root root
$P/patch_version $R root root
$P/series $R root root
$P/signer $R root root
$P/stack_order $R root root
$P/state $R root root
$P/target $R root root
$P/transition $R root root
require_module_sig $R root root
require_signature $R root root
version $R root root" "$(listing $HP_SYSFS)"

check_eq "every core parameter has its documented mode and owner" "\
fail_step $RW root root
fail_teardown $RW root root
mode $RW root root
require_module_sig $R root root
require_signature $R root root
stop_delay_ms $RW root root
timeout_ms $RW root root
track_max $RW root root
tracking $R root root" "$(listing /sys/module/hotpatch/parameters)"

# Every read-only file refuses a write (sysfs checks the mode even for
# root) and reads the same afterwards.
refused=""
n=0
find $HP_SYSFS /sys/module/hotpatch/parameters -type f -perm 0444 >/tmp/ro
while read -r f; do
	n=$((n + 1))
	before=$(cat "$f")
	if sh -c "echo 1 > '$f'" 2>/dev/null; then
		refused="$refused
accepted a write: $f"
	elif [ "$(cat "$f")" != "$before" ]; then
		refused="$refused
changed by a refused write: $f"
	fi
done </tmp/ro
check_eq "every read-only file refuses writes and keeps its value" "" "$refused"
check "all $n of them" test "$n" -eq 39
out=$(sh -c "echo 0 > $HP_SYSFS/$P/transition" 2>&1)
check_grep "the refusal is a permission error" "Permission denied" "$out"

check_eq "enabled reads 1" 1 "$(cat $HP_SYSFS/$P/enabled)"
check_eq "transition reads 0" 0 "$(cat $HP_SYSFS/$P/transition)"
check_eq "hp_target/patched reads 1" 1 "$(cat $HP_SYSFS/$P/hp_target/patched)"
hotpatch unload hp_patch_target >/dev/null

# upstream "sysfs test object/patched": the file follows the module
hotpatch load "$FIXTURES/hp_callbacks_demo.ko" >/dev/null
O=$HP_SYSFS/patches/hp_callbacks_demo/hp_target/patched
check_eq "object patched: 1 while its module is loaded" 1 "$(cat $O)"
unload_mod hp_target
check_eq "object patched: 0 once the module is gone" 0 "$(cat $O)"
load_mod "$FIXTURES/hp_target.ko"
check_eq "object patched: 1 when the module loads again" 1 "$(cat $O)"
check_eq "vmlinux/patched reads 1" 1 \
	"$(cat $HP_SYSFS/patches/hp_callbacks_demo/vmlinux/patched)"
hotpatch unload hp_callbacks_demo >/dev/null
unload_mod hp_target
unload_core
