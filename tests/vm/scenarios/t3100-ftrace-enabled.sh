#!/bin/sh
# ftrace and hotpatch (upstream test-ftrace.sh), in both redirect modes:
# while the sysctl kernel.ftrace_enabled is 0 no patch can be applied and
# the refusal says why; while a patch is applied, switching ftrace off is
# refused (EBUSY) and the patch keeps working. The function tracer on the
# patched function, switched on before or after the patch, leaves the
# patch in effect and records the calls.
# requires: /usr/bin/hotpatch
# shellcheck source=../lib/functions.sh
. /lib/hotpatch/tests/lib/functions.sh
# shellcheck source=../lib/hotpatch.sh
. /lib/hotpatch/tests/lib/hotpatch.sh

plan 40

FE=/proc/sys/kernel/ftrace_enabled
T=/sys/kernel/tracing
PATCHED="this has been live patched by hotpatch"
orig=$(cat /proc/cmdline)

# set_ftrace_enabled 0|1: write the sysctl; fails as the write fails
set_ftrace_enabled() {
	sh -c "echo $1 > $FE" 2>&1
}

for mode in direct ops; do
	load_core "mode=$mode"

	check "[$mode] ftrace can be switched off without patches" \
		set_ftrace_enabled 0
	dmesg_mark
	out=$(hotpatch load "$FIXTURES/hp_patch_cmdline.ko" 2>&1)
	check "[$mode] no patch loads while ftrace is off" test $? -ne 0
	check_grep "[$mode] the CLI says why" \
		"ftrace is switched off (sysctl kernel.ftrace_enabled = 0); switch it on and retry" "$out"
	check_dmesg "[$mode] the kernel log says why" <<'LOG'
hotpatch: 'hp_patch_cmdline': cannot redirect 'cmdline_proc_show': ftrace is switched off (sysctl kernel.ftrace_enabled = 0); switch it on and retry
hotpatch: 'hp_patch_cmdline': refused (-16)
LOG
	check_eq "[$mode] the original function runs" "$orig" "$(cat /proc/cmdline)"

	check "[$mode] ftrace is switched on again" set_ftrace_enabled 1
	check "[$mode] the patch loads" hotpatch load "$FIXTURES/hp_patch_cmdline.ko"
	check_eq "[$mode] the patched function runs" "$PATCHED" "$(cat /proc/cmdline)"
	out=$(set_ftrace_enabled 0)
	check "[$mode] ftrace cannot be switched off while a patch is applied" \
		test $? -ne 0
	check_grep "[$mode] the sysctl fails with EBUSY" \
		"Device or resource busy" "$out"
	check_eq "[$mode] ftrace_enabled still reads 1" 1 "$(cat $FE)"
	check_eq "[$mode] the patched function still runs" "$PATCHED" \
		"$(cat /proc/cmdline)"
	hotpatch unload hp_patch_cmdline >/dev/null
	check "[$mode] after the revert ftrace can be switched off" \
		set_ftrace_enabled 0
	set_ftrace_enabled 1 >/dev/null

	# The function tracer first, then the patch, then the tracer again.
	echo cmdline_proc_show >$T/set_ftrace_filter
	echo function >$T/current_tracer
	echo >$T/trace
	check "[$mode] a traced function can be patched" \
		hotpatch load "$FIXTURES/hp_patch_cmdline.ko"
	check_eq "[$mode] the patch is in effect under the tracer" "$PATCHED" \
		"$(cat /proc/cmdline)"
	check_grep "[$mode] the tracer records the call" "cmdline_proc_show" \
		"$(grep -v '^#' $T/trace)"
	echo nop >$T/current_tracer
	check_eq "[$mode] the patch stays when the tracer stops" "$PATCHED" \
		"$(cat /proc/cmdline)"
	echo function >$T/current_tracer
	echo >$T/trace
	check_eq "[$mode] the patched function can be traced" "$PATCHED" \
		"$(cat /proc/cmdline)"
	check_grep "[$mode] the tracer records the call again" "cmdline_proc_show" \
		"$(grep -v '^#' $T/trace)"
	echo nop >$T/current_tracer
	echo >$T/set_ftrace_filter
	hotpatch unload hp_patch_cmdline >/dev/null
	unload_core
done
check_eq "everything is original" "$orig" "$(cat /proc/cmdline)"
check_eq "ftrace redirects nothing" "" "$(cat $T/enabled_functions)"
