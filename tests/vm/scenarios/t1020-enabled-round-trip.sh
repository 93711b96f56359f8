#!/bin/sh
# Writing 0 and 1 to patches/<name>/enabled reverts and re-applies the
# patch; state, transition and the per-function files follow; the patch
# module can only be removed once reverted.
# shellcheck source=../lib/functions.sh
. /lib/hotpatch/tests/lib/functions.sh
# shellcheck source=../lib/hotpatch.sh
. /lib/hotpatch/tests/lib/hotpatch.sh

plan 21

load_core
load_mod "$FIXTURES/hp_target.ko"
load_mod "$FIXTURES/hp_patch_target.ko"
p="$HP_SYSFS"/patches/hp_patch_target
f="$p/hp_target/hp_target_message,0"

check_eq "applied after load" applied "$(cat "$p"/state)"
check_eq "no transition in progress" 0 "$(cat "$p"/transition)"
check_eq "stack order is 1" 1 "$(cat "$p"/stack_order)"
check_eq "target is the running kernel" "$(uname -r)" "$(cat "$p"/target)"
check "applied_at is set" test "$(cat "$p"/applied_at)" -gt 0
check "patch module cannot be removed while applied" not rmmod hp_patch_target

for round in 1 2; do
	echo 0 > "$p"/enabled
	check_eq "round $round: reverted after enabled=0" reverted "$(cat "$p"/state)"
	check_eq "round $round: function not patched" 0 "$(cat "$f"/patched)"
	check_eq "round $round: original result" "original 42" "$(cat /proc/hp_target)"
	echo 1 > "$p"/enabled
	check_eq "round $round: applied after enabled=1" applied "$(cat "$p"/state)"
	check_eq "round $round: patched result" "patched 43" "$(cat /proc/hp_target)"
	check_eq "round $round: object patched" 1 "$(cat "$p"/hp_target/patched)"
done

echo 1 > "$p"/enabled
check "enabled=1 on an applied patch is a no-op" test "$(cat "$p"/state)" = applied
echo 0 > "$p"/enabled
check "patch module can be removed once reverted" rmmod hp_patch_target
check "its sysfs directory is gone" test ! -e $p
unload_mod hp_target
unload_core
