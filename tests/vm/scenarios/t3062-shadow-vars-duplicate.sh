#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# t3062: hotpatch_shadow_alloc() of a <obj, id> that exists already is a
# bug of the caller: the core warns once per call (WARN, with the pair),
# returns NULL without running the constructor and leaves the existing
# variable as it was.
# timeout: 60
# requires: kernel/hotpatch.ko tests/fixtures/hp_test_shadow_vars.ko
# kernel-log-allow: WARNING: CPU: [0-9]+ PID: [0-9]+ at [^ ]*kernel/shadow\.c:[0-9]+ hp_shadow_get_or_alloc
# kernel-log-allow: Call Trace:
# shellcheck source=../lib/functions.sh
. /lib/hotpatch/tests/lib/functions.sh
# shellcheck source=../lib/hotpatch.sh
. /lib/hotpatch/tests/lib/hotpatch.sh

plan 5

# shellcheck disable=SC2119 # no core parameters
load_core
MOD=hp_test_shadow_vars
dmesg_mark
check "$MOD dup=1 loads" load_mod $MOD dup=1
check "$MOD unloads" unload_mod $MOD
check_dmesg "$MOD: the second alloc returns NULL, the first stays" \
	"^$MOD: " <<EOF
$MOD: shadow_ctor: PTR2 -> PTR1
$MOD: hotpatch_shadow_alloc(obj=PTR1, id=0x1234, size=8, gfp=GFP_KERNEL, ctor=PTR3, ctor_data=PTR1) = PTR2
$MOD: hotpatch_shadow_alloc(obj=PTR1, id=0x1234, size=8, gfp=GFP_KERNEL, ctor=PTR3, ctor_data=PTR1) = PTR0
$MOD:   got expected NULL result
$MOD: hotpatch_shadow_get(obj=PTR1, id=0x1234) = PTR2
$MOD:   got expected PTR2 -> PTR1 result
$MOD: shadow_dtor(obj=PTR1, shadow_data=PTR2)
$MOD: hotpatch_shadow_free(obj=PTR1, id=0x1234, dtor=PTR4)
EOF
check_dmesg -g "the core warns with the pair" "^hotpatch: " <<'EOF'
hotpatch: shadow variable <*, 0x1234> already exists
EOF
check_eq "one warning" 1 "$(dmesg_since | grep -c '^WARNING: .*hp_shadow_get_or_alloc')"
