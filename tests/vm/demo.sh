#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Guest side of `make demo`: live patch the running Debian kernel and a
# module, show what changed and what sysfs says, then revert. tests/vm/demo
# boots the test kernel and runs this as /lib/hotpatch/demo.sh.
# shellcheck source=lib/demo.sh
. /lib/hotpatch/tests/lib/demo.sh

F=/lib/hotpatch/fixtures
S=/sys/kernel/hotpatch

title "hotpatch: live patching a running $(uname -r) kernel"

say "Load the core. It redirects functions with ftrace direct-call trampolines."
run insmod /lib/hotpatch/hotpatch.ko
run cat $S/version $S/default_mode $S/require_signature
kmsg

say "Before: /proc/cmdline is printed by vmlinux's cmdline_proc_show()."
run cat /proc/cmdline

say "Load a signed patch module that replaces cmdline_proc_show()."
run hotpatch load $F/hp_patch_cmdline.ko
kmsg

say "After: the same file, the new code, no reboot."
run cat /proc/cmdline

say "What sysfs says, for SREs and scripts:"
run cat $S/patches/hp_patch_cmdline/state $S/patches/hp_patch_cmdline/signer
run cat "$S/patches/hp_patch_cmdline/vmlinux/cmdline_proc_show,0/mode"
run hotpatch list
run hotpatch status --json hp_patch_cmdline

say "The module hotpatch-build made from the vendor's diff (shown before the boot):"
run cat /proc/version
run hotpatch load /lib/hotpatch/realpatches/hp_real_proc_version.ko
run cat /proc/version
run cat "$S/patches/hp_real_proc_version/vmlinux/version_proc_show,0/patched"
run hotpatch unload hp_real_proc_version
run cat /proc/version

say "A module's functions too: hp_target prints '<message> <answer>'."
run insmod $F/hp_target.ko
run cat /proc/hp_target
run hotpatch load $F/hp_patch_target.ko
run cat /proc/hp_target

say "A patch naming a function this kernel does not have is refused, and leaves nothing behind."
run_fails hotpatch load $F/hp_patch_missing.ko
run hotpatch list

say "Revert: disable keeps the module loaded, unload removes it."
run hotpatch disable hp_patch_cmdline
run cat /proc/cmdline
run hotpatch enable hp_patch_cmdline
run cat /proc/cmdline
run hotpatch unload hp_patch_cmdline
run hotpatch unload hp_patch_target
run cat /proc/cmdline /proc/hp_target
kmsg

say "Done: the kernel was patched and restored without a reboot."
