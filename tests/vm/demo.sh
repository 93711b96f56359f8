#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Guest side of `make demo` (tests/vm/demo boots the test kernel and runs
# this as /lib/hotpatch/demo.sh). PLACEHOLDER: the real hotpatch steps go
# here. Helpers: tests/vm/lib/demo.sh (title, say, run, run_fails, kmsg).
# shellcheck source=lib/demo.sh
. /lib/hotpatch/tests/lib/demo.sh

title "hotpatch demo"
say "The test kernel is up:"
run uname -r
say "ftrace direct calls are available:"
run grep -m1 ' register_ftrace_direct$' /proc/kallsyms
say "The hotpatch core and tools in this guest:"
run ls /lib/hotpatch
kmsg
say "Done."
