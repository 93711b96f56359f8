#!/bin/sh
# QEMU check (make qemu-check): the hotpatch-free reproducer of QEMU 7.2's
# TCG bug must finish 100 ftrace register/unregister rounds while three
# processes call getppid() on the other vCPUs. Under QEMU 7.2 the guest
# soft-locks within a few rounds and the harness reports a timeout and the
# soft lockups (run it there with HP_QEMU_ANY=1).
# qemu: -smp 4
# timeout: 600
# requires: tests/vm/qemu-check/hp_qemu_repro.ko build/test-bin/hp-getppid-loop
# shellcheck source=../lib/functions.sh
. /lib/hotpatch/tests/lib/functions.sh

plan 2
hp-getppid-loop -n 3 >/tmp/loop.out &
loop=$!
check "the getppid loops run" wait_for "grep -q '^running 3' /tmp/loop.out" 20
check "100 rewrites of getppid's site under load finish" \
	insmod /lib/hotpatch/qemu-check/hp_qemu_repro.ko iters=100
kill -TERM $loop
wait $loop
