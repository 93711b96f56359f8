#!/bin/sh
# When ftrace refuses to take a redirect off (unregister a site, or
# re-point it to the patch below), the patch is not reported reverted and
# its module is not let go: the site stays as it was (its gate, or the ops
# handler, passes calls on to what ran before), the function still reads
# patched, the patch is "failed" with a reason, its module is pinned
# against rmmod and rmmod -f, and the patch is never switched again. The
# refusal is injected with the test-only core parameter fail_teardown=N
# (the next N such ftrace calls fail with EIO): a revert (direct mode, one
# site), the revert of a patch stacked on another (direct mode, re-point),
# and an apply that fails and rolls back as the patch module loads (ops
# mode), which then leaves the module loaded rather than freed under the
# redirect.
# Failed before the fix of commit "core: a redirect ftrace will not take
# off keeps its patch module pinned and the patch failed" (no
# fail_teardown hook, and the core warned, freed the site, marked the
# function unpatched, reported "reverted" and let the module go).
# requires: /usr/bin/hotpatch
# timeout: 150
# shellcheck source=../lib/functions.sh
. /lib/hotpatch/tests/lib/functions.sh
# shellcheck source=../lib/hotpatch.sh
. /lib/hotpatch/tests/lib/hotpatch.sh

plan 40

FT=/sys/module/hotpatch/parameters/fail_teardown
FS=/sys/module/hotpatch/parameters/fail_step
EF=/sys/kernel/tracing/enabled_functions
load_core
check_eq "fail_teardown is off by default" 0 "$(cat $FT 2>&1)"
cmdline=$(cat /proc/cmdline)

# 1. A revert whose site ftrace will not unregister.
p="$HP_SYSFS"/patches/hp_patch_cmdline
hotpatch load "$FIXTURES/hp_patch_cmdline.ko" >/dev/null
echo 1 >$FT
dmesg_mark
check_fails "[unregister] the revert fails" sh -c "echo 0 > $p/enabled"
check_eq "[unregister] the injected refusal is used up" 0 "$(cat $FT)"
check_eq "[unregister] the patch is failed" failed "$(cat "$p"/state)"
check_eq "[unregister] ... says why" \
	"ftrace refused to take the redirect of 'cmdline_proc_show' off (-5): the patch module stays loaded until reboot" \
	"$(cat "$p"/last_error)"
check_eq "[unregister] the old code runs" "$cmdline" "$(cat /proc/cmdline)"
check_eq "[unregister] the function still reads patched" 1 \
	"$(cat "$p"/vmlinux/cmdline_proc_show,0/patched)"
check "[unregister] ftrace still has the redirect" grep -q '^cmdline_proc_show' $EF
check_grep "[unregister] the core is a user of the module" hotpatch \
	"$(grep '^hp_patch_cmdline ' /proc/modules)"
check_fails "[unregister] rmmod is refused" rmmod hp_patch_cmdline
check_fails "[unregister] rmmod -f is refused" rmmod -f hp_patch_cmdline
check "[unregister] the module is loaded" is_loaded hp_patch_cmdline
check_fails "[unregister] it cannot be applied again" sh -c "echo 1 > $p/enabled"
check_grep "[unregister] ... and says why" "it cannot be switched again" \
	"$(cat "$p"/last_error)"
check_dmesg -g "[unregister] the kernel log says so" "reverted" <<LOG
hotpatch: 'hp_patch_cmdline': reverted, but a redirect stays that ftrace will not take off; the patch module stays loaded until reboot
LOG

# 2. The revert of a patch stacked on another: the site cannot be
# re-pointed to the patch below.
load_mod "$FIXTURES/hp_target.ko"
hotpatch load "$FIXTURES/hp_patch_target.ko" >/dev/null
hotpatch load "$FIXTURES/hp_patch_stacked.ko" >/dev/null
s="$HP_SYSFS"/patches/hp_patch_stacked
check_eq "[repoint] the stacked patch runs" "stacked 44" "$(cat /proc/hp_target)"
echo 1 >$FT
check_fails "[repoint] its revert fails" sh -c "echo 0 > $s/enabled"
check_eq "[repoint] it is failed" failed "$(cat "$s"/state)"
check_grep "[repoint] ... says why" "ftrace refused to take the redirect of 'hp_target_" \
	"$(cat "$s"/last_error)"
check_eq "[repoint] the patch below runs" "patched 43" "$(cat /proc/hp_target)"
check_fails "[repoint] rmmod -f of the stacked patch is refused" \
	rmmod -f hp_patch_stacked
check_fails "[repoint] the patch below cannot be reverted from under it" \
	sh -c "echo 0 > $HP_SYSFS/patches/hp_patch_target/enabled"
check_eq "[repoint] ... and stays applied" applied \
	"$(cat "$HP_SYSFS"/patches/hp_patch_target/state)"
check_fails "[repoint] no new patch may take the function left on the site" \
	insmod "$FIXTURES/hp_patch_cumul_v1.ko"
check_grep "[repoint] ... and the refusal says why" \
	"cannot redirect 'hp_target_answer': ftrace refused to take an earlier redirect of it off; it cannot be patched again until reboot" \
	"$(cat "$HP_SYSFS"/last_error)"
check_eq "[repoint] the patch below still runs" "patched 43" "$(cat /proc/hp_target)"

# 3. An apply that fails as the patch module loads (here at its switch,
# with fail_step) and whose rollback ftrace refuses: the load succeeds,
# so that the module is not freed under the redirect, and the patch is
# failed. In ops mode (hp_patch_getppid asks for it).
g="$HP_SYSFS"/patches/hp_patch_getppid
n=1 sw=0
while [ $n -le 8 ]; do
	echo $n >$FS
	insmod "$FIXTURES/hp_patch_getppid.ko" 2>/dev/null && break
	case $(cat "$HP_SYSFS"/last_error) in
	*"injected failure at step $n (switch)") sw=$n; break ;;
	esac
	n=$((n + 1))
done
echo 0 >$FS
check "[rollback] the switch is step $sw of the load" test "$sw" -gt 0
check "[rollback] nothing of it stays after a plain failure" \
	not grep -q '__x64_sys_getppid' $EF
echo "$sw" >$FS
echo 1 >$FT
check "[rollback] with the rollback refused, the load succeeds" \
	insmod "$FIXTURES/hp_patch_getppid.ko"
echo 0 >$FS
check_eq "[rollback] the patch is failed" failed "$(cat "$g"/state 2>&1)"
check_eq "[rollback] ... not applied" 0 "$(cat "$g"/enabled 2>&1)"
check_grep "[rollback] ... the reason of the switch's failure comes first" \
	"injected failure at step $sw (switch)" "$(cat "$g"/last_error 2>&1)"
check_grep "[rollback] the ops handler stays on the function" \
	"_sys_getppid (1)" "$(cat $EF)"
check_fails "[rollback] rmmod -f is refused" rmmod -f hp_patch_getppid
check "[rollback] the module is loaded" is_loaded hp_patch_getppid

# 4. A target module goes and ftrace will not take the redirect of one of
# its functions off: the patch is stuck. (Not loaded again here: ftrace
# keeps the address in its direct-call filter, and a module loaded there
# draws a warning from ftrace_module_enable() before the core can refuse
# it; see docs/consistency.md.)
load_mod "$FIXTURES/hp_target_conns.ko"
hotpatch load "$FIXTURES/hp_patch_conns.ko" >/dev/null
c="$HP_SYSFS"/patches/hp_patch_conns
echo 1 >$FT
check "[going] the target module unloads" rmmod hp_target_conns
check_grep "[going] the patch says why" "ftrace refused to take the redirect of 'hp_conn_" \
	"$(cat "$c"/last_error)"
check_fails "[going] rmmod -f of the patch is refused" rmmod -f hp_patch_conns
check_fails "[going] the patch cannot be reverted" sh -c "echo 0 > $c/enabled"
check_grep "[going] ... and says why" "it cannot be switched again" \
	"$(cat "$c"/last_error)"
