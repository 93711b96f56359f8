#!/bin/sh
# t1070: the CLI reports a timed-out load with the tasks in the way (text
# and --json, exit 5), and a refused out-of-order revert with the core's
# reason and the patch to revert first (exit 2); a timed-out revert lists
# the patch's own blocking tasks, and --force gets it through, loudly, with
# the module pinned (so this scenario leaves the core loaded).
# requires: /usr/bin/hotpatch /usr/bin/jsonq
# shellcheck source=../lib/functions.sh
. /lib/hotpatch/tests/lib/functions.sh
# shellcheck source=../lib/hotpatch.sh
. /lib/hotpatch/tests/lib/hotpatch.sh

plan 43

load_core timeout_ms=500
load_mod "$FIXTURES/hp_target.ko"

# ---- a load that times out: a task sleeps in the function it replaces ----
echo wait > /proc/hp_target_wait &
waiter=$!
# shellcheck disable=SC2016 # wait_for evaluates it
wait_for '[ "$(cut -d" " -f1 /proc/hp_target_wait)" = 1 ]' 5
check_eq "a task sleeps in hp_target_wait" "1 0" "$(cat /proc/hp_target_wait)"

hotpatch load "$FIXTURES/hp_patch_wait.ko" >/tmp/out 2>/tmp/err
check_eq "a timed-out load exits 5" 5 "$?"
err=$(cat /tmp/err)
check_grep "it names the errno" \
	"hotpatch: cannot load patch 'hp_patch_wait': Connection timed out (ETIMEDOUT)" "$err"
check_grep "it quotes the core's reason" \
	"  reason: apply timed out after 500 ms: 1 task(s) inside the code it replaces (see blocking)" "$err"
check_grep "it announces the blocking tasks" \
	"  blocking: 1 task(s) inside the code being replaced:" "$err"
check "it lists them under a header" grep -qE '^    PID +COMM +FUNCTION$' /tmp/err
check "the task: pid, comm and the function it sleeps in" \
	grep -qE "^    $waiter +sh +hp_target_wait\+0x[0-9a-f]+/0x[0-9a-f]+ \[hp_target\]\$" /tmp/err
check_grep "the hint says what to do" "parameters/timeout_ms" "$err"
check_grep "... and names the last resort" "--force" "$err"
check "nothing goes to standard output" test ! -s /tmp/out
check "the patch module is not loaded" not_loaded hp_patch_wait

hotpatch load --json "$FIXTURES/hp_patch_wait.ko" >/tmp/err.json 2>/tmp/err
check_eq "with --json it exits 5 too" 5 "$?"
check "the error is JSON" jsonq . < /tmp/err.json
check_eq "errno_name" ETIMEDOUT "$(jsonq .errno_name < /tmp/err.json)"
check_eq "errno" 110 "$(jsonq .errno < /tmp/err.json)"
check_eq "reason" \
	"apply timed out after 500 ms: 1 task(s) inside the code it replaces (see blocking)" \
	"$(jsonq .reason < /tmp/err.json)"
check_eq "blocking is an array of one task" 1 "$(jsonq .blocking.length < /tmp/err.json)"
check_eq "its pid is a number" "$waiter" "$(jsonq .blocking.0.pid < /tmp/err.json)"
check_eq "its comm" sh "$(jsonq .blocking.0.comm < /tmp/err.json)"
fn=$(jsonq .blocking.0.function < /tmp/err.json)
check_grep "its function, with the module" "hp_target_wait+" "$fn"
check_grep "... and the module" "[hp_target]" "$fn"

check_grep "status shows the global report" "blocking (last timed-out transition): 1 task(s)" \
	"$(hotpatch status 2>&1)"

echo release > /proc/hp_target_wait
wait "$waiter"

# ---- two patches of one function: reverts go newest first ----
check "a first patch of hp_target_message loads" \
	hotpatch load "$FIXTURES/hp_patch_target.ko"
check "a second one loads on top" hotpatch load "$FIXTURES/hp_patch_target2.ko"
check_eq "the newest wins" "patched2 43" "$(cat /proc/hp_target)"

hotpatch disable hp_patch_target >/tmp/out 2>/tmp/err
check_eq "reverting the older one first exits 2" 2 "$?"
err=$(cat /tmp/err)
check_grep "the CLI quotes the core's reason" \
	"  reason: revert 'hp_patch_target2' first: it replaces 'hp_target_message' too" "$err"
check_grep "the hint gives the command to run first" "'hotpatch disable hp_patch_target2'" "$err"

hotpatch unload --json hp_patch_target >/tmp/err.json 2>/dev/null
check_eq "unload --json of the older one: errno EBUSY" EBUSY "$(jsonq .errno_name < /tmp/err.json)"
check_eq "... with the reason" "revert 'hp_patch_target2' first: it replaces 'hp_target_message' too" \
	"$(jsonq .reason < /tmp/err.json)"

hotpatch unload hp_patch_target2 >/dev/null && hotpatch unload hp_patch_target >/dev/null
check_eq "newest first, both unload" "original 42" "$(cat /proc/hp_target)"

# ---- a revert that times out, then --force ----
check "the waiting patch loads now" hotpatch load "$FIXTURES/hp_patch_wait.ko"
p=$HP_SYSFS/patches/hp_patch_wait
echo wait > /proc/hp_target_wait &
waiter=$!
# shellcheck disable=SC2016 # wait_for evaluates it
wait_for '[ "$(cut -d" " -f1 /proc/hp_target_wait)" = 1 ]' 5
hotpatch disable hp_patch_wait >/tmp/out 2>/tmp/err
check_eq "a timed-out revert exits 5" 5 "$?"
check "it lists the task inside the new function" \
	grep -qE "^    $waiter +sh +hp_patch_wait_wait\+0x[0-9a-f]+/0x[0-9a-f]+ \[hp_patch_wait\]\$" /tmp/err
check_eq "the patch is still applied" applied "$(cat "$p/state")"
check_eq "status --json has the patch's blocking task" "$waiter" \
	"$(hotpatch status --json hp_patch_wait | jsonq .blocking.0.pid)"

hotpatch disable --force hp_patch_wait >/tmp/out 2>/tmp/err
check_eq "disable --force gets through" 0 "$?"
check_grep "with a warning" "hotpatch: warning: forcing the revert of patch 'hp_patch_wait'" \
	"$(cat /tmp/err)"
check_eq "the patch is reverted" reverted "$(cat "$p/state")"
check_eq "force reads 2: has been forced" 2 "$(cat "$p/force")"
check_eq "status --json says so" 2 "$(hotpatch status --json hp_patch_wait | jsonq .force)"
hotpatch unload hp_patch_wait >/tmp/out 2>/tmp/err
check_eq "its module cannot be unloaded: exit 2" 2 "$?"
check_grep "and the CLI says why" "was forced" "$(cat /tmp/err)"

echo release > /proc/hp_target_wait
wait "$waiter"
# the forced patch pins its module, and so hp_target and the core: the
# guest goes away with them loaded
