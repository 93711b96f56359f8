#!/bin/sh
# t5131: a patch that hotpatch-build built from a source fix of Debian's
# fs/binfmt_misc.c (tests/realpatches/binfmt_debug.patch: create_entry()
# refuses a name starting with a '.', saying so with pr_debug(), and
# remove_binfmt_handler(), which has three WARN_ON_ONCE(), tells what it
# removes) patches the Debian module binfmt_misc.ko. The changed functions'
# dynamic-debug descriptors are the patch's own: the loader registers them
# under the patch's name, and turning them on shows the messages of the new
# code, jump labels and all (pr_fmt gives them binfmt_misc's prefix); their
# bug table entries are the patch's too.
# requires: build/realpatches/hp_real_binfmt_debug.ko /usr/bin/hotpatch /usr/bin/jsonq
# shellcheck source=../lib/functions.sh
. /lib/hotpatch/tests/lib/functions.sh
# shellcheck source=../lib/hotpatch.sh
. /lib/hotpatch/tests/lib/hotpatch.sh

plan 22
P=hp_real_binfmt_debug
B=/tmp/binfmt
C=/sys/kernel/debug/dynamic_debug/control

reg() { sh -c "echo ':$1:E::$1::/bin/true:' >$B/register" 2>/dev/null; }

# shellcheck disable=SC2119 # load_core takes optional core parameters
load_core
check "Debian's binfmt_misc.ko loads" load_mod binfmt_misc
mkdir -p $B
check "binfmt_misc mounts" mount -t binfmt_misc none $B
grep -q ' /sys/kernel/debug ' /proc/mounts || mount -t debugfs none /sys/kernel/debug
check "before: a name starting with a '.' registers" reg .hpa
check "and is there" test -f $B/.hpa
echo -1 >$B/.hpa

check "the built patch loads" hotpatch load "$(mod_path $P)"
hotpatch status --json $P >/tmp/st.json
check_eq "status: it patches binfmt_misc" binfmt_misc \
	"$(jsonq .objects.0.name </tmp/st.json)"
check "the patch has its own bug table and dynamic-debug descriptors" \
	test -e /sys/module/$P/sections/__bug_table -a -e /sys/module/$P/sections/__dyndbg
check_fails "patched: a name starting with a '.' is refused" reg .hpb
check "patched: another name still registers" reg hpc
echo -1 >$B/hpc

# the patch's own descriptors, under its own name
check_grep "dynamic debug lists the new message under the patch's name" \
	"[$P]create_entry =_ \"register: name {%s} refused: starts with a '.'" \
	"$(grep "\[$P\]" $C)"
check_eq "binfmt_misc's own descriptors are still there" 0 \
	"$(grep "\[binfmt_misc\]" $C | grep -c 'refused: starts with')"
check "turn on the patch's pr_debug" sh -c "echo 'module $P +p' >$C"
check_grep "they are on" "=p \"register: name {%s} refused" "$(grep "\[$P\]" $C)"
dmesg_mark
check_fails "patched: '.hpd' refused" reg .hpd
check_dmesg "the new code's pr_debug printed, once per call site" \
	"^binfmt_misc: register: " <<'EOF2'
binfmt_misc: register: received 26 bytes
binfmt_misc: register: delim: 0x3a {:}
binfmt_misc: register: name {.hpd} refused: starts with a '.'
EOF2
check "patched: 'hpf' registers" reg hpf
dmesg_mark
echo -1 >$B/hpf
check_dmesg "removing it goes through the patched remove_binfmt_handler()" \
	"^binfmt_misc: remove: " <<'EOF2'
binfmt_misc: remove: {hpf}
EOF2

check "disable reverts it" hotpatch disable $P
dmesg_mark
check "disabled: a name starting with a '.' registers again" reg .hpe
check_dmesg "disabled: binfmt_misc's own pr_debug stays off" "register: " </dev/null
echo -1 >$B/.hpe
check "unload" hotpatch unload $P
umount $B
check "binfmt_misc unloads" unload_mod binfmt_misc
