#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# t3061: a patch adds a read counter to existing objects with shadow
# variables (hp_patch_conns on hp_target_conns): objects made before the
# patch get one on first use, the patched release frees it, counters
# survive a revert and re-apply, and the patch module's exit frees what is
# left, including the counter of an object released while reverted.
# timeout: 90
# requires: kernel/hotpatch.ko tests/fixtures/hp_target_conns.ko
# requires: tests/fixtures/hp_patch_conns.ko
# shellcheck source=../lib/functions.sh
. /lib/hotpatch/tests/lib/functions.sh
# shellcheck source=../lib/hotpatch.sh
. /lib/hotpatch/tests/lib/hotpatch.sh

plan 14

# shellcheck disable=SC2119 # no core parameters
load_core
load_mod hp_target_conns
C=/proc/hp_target_conns
p=$HP_SYSFS/patches/hp_patch_conns
nl='
'

echo "open a" >$C
echo "open b" >$C
check_eq "unpatched: one name per connection" "a${nl}b" "$(cat $C)"

dmesg_mark
check "the patch applies" load_mod hp_patch_conns
check_eq "first read: every connection gets a counter" \
	"a reads=1${nl}b reads=1" "$(cat $C)"
check_eq "second read: the counters count" \
	"a reads=2${nl}b reads=2" "$(cat $C)"
echo "close a" >$C
echo "open c" >$C
check_eq "a new connection starts at 1" "b reads=3${nl}c reads=1" "$(cat $C)"

echo 0 >$p/enabled
check_eq "reverted: the original output" "b${nl}c" "$(cat $C)"
echo 1 >$p/enabled
check_eq "re-applied: the counters kept their values" \
	"b reads=4${nl}c reads=2" "$(cat $C)"

# Released by the original code: the counter of b stays attached.
echo 0 >$p/enabled
echo "close b" >$C
check "the patch module unloads once reverted" unload_mod hp_patch_conns
check_dmesg "release logs the count, exit frees the rest (b's too)" \
	"^hp_patch_conns: " <<'EOF'
hp_patch_conns: 'a' closed after 2 reads
hp_patch_conns: freed 2 counters left attached
EOF

dmesg_mark
check "the patch loads again" load_mod hp_patch_conns
check_eq "a new patch module starts from scratch" "c reads=1" "$(cat $C)"
echo 0 >$p/enabled
check "and unloads" unload_mod hp_patch_conns
check_dmesg "its exit frees the one counter" "^hp_patch_conns: " <<'EOF'
hp_patch_conns: freed 1 counters left attached
EOF
check_eq "the target is back to names" "c" "$(cat $C)"
unload_mod hp_target_conns
unload_core
