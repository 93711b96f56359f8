#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# t3060: shadow variables: get, alloc, get_or_alloc, free and free_all do
# what upstream's test-shadow-vars.sh expects (kernel-log transcript of
# hp_test_shadow_vars), a failing constructor attaches nothing, and four
# kthreads plus a timer racing on shared objects leave no error, no
# warning and no variable behind (hp_test_shadow_stress).
# timeout: 120
# qemu: -smp 4
# requires: kernel/hotpatch.ko tests/fixtures/hp_test_shadow_vars.ko
# requires: tests/fixtures/hp_test_shadow_stress.ko
# shellcheck source=../lib/functions.sh
. /lib/hotpatch/tests/lib/functions.sh
# shellcheck source=../lib/hotpatch.sh
. /lib/hotpatch/tests/lib/hotpatch.sh

plan 14

# shellcheck disable=SC2119 # no core parameters
load_core

# --- the API, call by call (after upstream's test-shadow-vars.sh) ---

MOD=hp_test_shadow_vars
dmesg_mark
check "$MOD loads (every pass found what it expected)" load_mod $MOD
check "$MOD unloads" unload_mod $MOD
check_dmesg "$MOD: transcript of the API calls" "^$MOD: " <<EOF
$MOD: hotpatch_shadow_get(obj=PTR1, id=0x1234) = PTR0
$MOD:   got expected NULL result
$MOD: shadow_ctor: PTR3 -> PTR2
$MOD: hotpatch_shadow_get_or_alloc(obj=PTR1, id=0x1234, size=8, gfp=GFP_KERNEL, ctor=PTR4, ctor_data=PTR2) = PTR3
$MOD: shadow_ctor: PTR6 -> PTR5
$MOD: hotpatch_shadow_alloc(obj=PTR1, id=0x1235, size=8, gfp=GFP_KERNEL, ctor=PTR4, ctor_data=PTR5) = PTR6
$MOD: shadow_ctor: PTR8 -> PTR7
$MOD: hotpatch_shadow_alloc(obj=PTR9, id=0x1234, size=8, gfp=GFP_KERNEL, ctor=PTR4, ctor_data=PTR7) = PTR8
$MOD: shadow_ctor: PTR11 -> PTR10
$MOD: hotpatch_shadow_alloc(obj=PTR9, id=0x1235, size=8, gfp=GFP_KERNEL, ctor=PTR4, ctor_data=PTR10) = PTR11
$MOD: shadow_ctor: PTR13 -> PTR12
$MOD: hotpatch_shadow_get_or_alloc(obj=PTR14, id=0x1234, size=8, gfp=GFP_KERNEL, ctor=PTR4, ctor_data=PTR12) = PTR13
$MOD: shadow_ctor: PTR16 -> PTR15
$MOD: hotpatch_shadow_alloc(obj=PTR14, id=0x1235, size=8, gfp=GFP_KERNEL, ctor=PTR4, ctor_data=PTR15) = PTR16
$MOD: hotpatch_shadow_get(obj=PTR1, id=0x1234) = PTR3
$MOD:   got expected PTR3 -> PTR2 result
$MOD: hotpatch_shadow_get(obj=PTR1, id=0x1235) = PTR6
$MOD:   got expected PTR6 -> PTR5 result
$MOD: hotpatch_shadow_get(obj=PTR9, id=0x1234) = PTR8
$MOD:   got expected PTR8 -> PTR7 result
$MOD: hotpatch_shadow_get(obj=PTR9, id=0x1235) = PTR11
$MOD:   got expected PTR11 -> PTR10 result
$MOD: hotpatch_shadow_get(obj=PTR14, id=0x1234) = PTR13
$MOD:   got expected PTR13 -> PTR12 result
$MOD: hotpatch_shadow_get(obj=PTR14, id=0x1235) = PTR16
$MOD:   got expected PTR16 -> PTR15 result
$MOD: hotpatch_shadow_get_or_alloc(obj=PTR1, id=0x1234, size=8, gfp=GFP_KERNEL, ctor=PTR4, ctor_data=PTR2) = PTR3
$MOD:   got expected PTR3 -> PTR2 result
$MOD: hotpatch_shadow_get_or_alloc(obj=PTR9, id=0x1234, size=8, gfp=GFP_KERNEL, ctor=PTR4, ctor_data=PTR7) = PTR8
$MOD:   got expected PTR8 -> PTR7 result
$MOD: hotpatch_shadow_get_or_alloc(obj=PTR14, id=0x1234, size=8, gfp=GFP_KERNEL, ctor=PTR4, ctor_data=PTR12) = PTR13
$MOD:   got expected PTR13 -> PTR12 result
$MOD: shadow_dtor(obj=PTR1, shadow_data=PTR3)
$MOD: hotpatch_shadow_free(obj=PTR1, id=0x1234, dtor=PTR17)
$MOD: hotpatch_shadow_get(obj=PTR1, id=0x1234) = PTR0
$MOD:   got expected NULL result
$MOD: shadow_dtor(obj=PTR9, shadow_data=PTR8)
$MOD: hotpatch_shadow_free(obj=PTR9, id=0x1234, dtor=PTR17)
$MOD: hotpatch_shadow_get(obj=PTR9, id=0x1234) = PTR0
$MOD:   got expected NULL result
$MOD: shadow_dtor(obj=PTR14, shadow_data=PTR13)
$MOD: hotpatch_shadow_free(obj=PTR14, id=0x1234, dtor=PTR17)
$MOD: hotpatch_shadow_get(obj=PTR14, id=0x1234) = PTR0
$MOD:   got expected NULL result
$MOD: hotpatch_shadow_get(obj=PTR1, id=0x1235) = PTR6
$MOD:   got expected PTR6 -> PTR5 result
$MOD: hotpatch_shadow_get(obj=PTR9, id=0x1235) = PTR11
$MOD:   got expected PTR11 -> PTR10 result
$MOD: hotpatch_shadow_get(obj=PTR14, id=0x1235) = PTR16
$MOD:   got expected PTR16 -> PTR15 result
$MOD: hotpatch_shadow_free_all(id=0x1235, dtor=PTR0)
$MOD: hotpatch_shadow_get(obj=PTR1, id=0x1235) = PTR0
$MOD:   got expected NULL result
$MOD: hotpatch_shadow_get(obj=PTR9, id=0x1235) = PTR0
$MOD:   got expected NULL result
$MOD: hotpatch_shadow_get(obj=PTR14, id=0x1235) = PTR0
$MOD:   got expected NULL result
$MOD: hotpatch_shadow_get_or_alloc(obj=PTR1, id=0x1236, size=8, gfp=GFP_KERNEL, ctor=PTR4, ctor_data=PTR0) = PTR0
$MOD:   got expected NULL result
$MOD: hotpatch_shadow_get(obj=PTR1, id=0x1236) = PTR0
$MOD:   got expected NULL result
$MOD: hotpatch_shadow_alloc(obj=PTR1, id=0x1236, size=40, gfp=GFP_KERNEL, ctor=PTR0, ctor_data=PTR0) = PTR18
$MOD:   got expected 64 zero bytes
$MOD: hotpatch_shadow_free(obj=PTR1, id=0x1236, dtor=PTR0)
EOF
# The object's address is hashed (%p): any value will do.
check_dmesg -g "the core names the constructor that failed" "^hotpatch: " <<EOF
hotpatch: shadow variable <*, 0x1236>: constructor shadow_ctor \[$MOD\] failed: -22
EOF

# --- concurrency: threads and a timer on shared objects ---

MOD=hp_test_shadow_stress
dmesg_mark
check "$MOD runs 4 threads for 2 s" load_mod $MOD threads=4 ms=2000
P=/sys/module/$MOD/parameters
check_eq "$MOD: no error" 0 "$(cat $P/errors)"
check "$MOD: calls were made" test "$(cat $P/ops)" -gt 1000
check "$MOD: variables were constructed" test "$(cat $P/constructed)" -gt 0
check_eq "$MOD: every variable constructed was destroyed once" \
	"$(cat $P/constructed)" "$(cat $P/destroyed)"
check_eq "$MOD: free_all left nothing" 0 "$(cat $P/left)"
check_dmesg -g "$MOD: summary, no error logged" "^($MOD|hotpatch): " <<EOF
$MOD: 4 threads, 2000 ms: * calls, * constructed, * destroyed, 0 left, 0 errors
EOF
check "$MOD unloads" unload_mod $MOD

dmesg_mark
check "the core unloads" rmmod hotpatch
check_dmesg "the core freed no leftover shadow variable" "shadow" </dev/null
