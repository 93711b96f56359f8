#!/bin/sh
# t5200: a patch that hotpatch-build built from a source fix of
# fs/binfmt_elf.c (tests/realpatches/binfmt_elf_core.patch: elf_core_dump()
# logs every core dump with its ELF class), a file vmlinux has twice
# (fs/compat_binfmt_elf.c includes it for 32-bit processes: every static of
# it twice, with the same kallsyms neighbours), replaces both copies, each
# with its own new code: a 64-bit process's core dump logs "ELF64", a
# 32-bit one's (a hand-made i386 ELF, through the compat copy) "ELF32".
# The copies were told apart by the -dbg vmlinux's FILE symbols (--vmlinux):
# binfmt_elf.c's is sympos 1, compat_binfmt_elf.c's 2 (link order), and the
# statics the new code calls (writenote() ...) are each copy's own.
# Disabled and unloaded, core dumps log nothing.
# requires: build/realpatches/hp_real_binfmt_elf_core.ko /usr/bin/hotpatch /usr/bin/jsonq
# shellcheck source=../lib/functions.sh
. /lib/hotpatch/tests/lib/functions.sh
# shellcheck source=../lib/hotpatch.sh
. /lib/hotpatch/tests/lib/hotpatch.sh

plan 22
P=hp_real_binfmt_elf_core
F=/sys/kernel/hotpatch/patches/$P/vmlinux

# An i386 ELF executable (86 bytes: ELF header, one PT_LOAD, ud2): SIGILL,
# so a core dump written by compat_binfmt_elf.c's elf_core_dump().
printf '\177\105\114\106\001\001\001\000\000\000\000\000\000\000\000\000\002\000\003\000\001\000\000\000\124\200\004\010\064\000\000\000\000\000\000\000\000\000\000\000\064\000\040\000\001\000\000\000\000\000\000\000\001\000\000\000\000\000\000\000\000\200\004\010\000\200\004\010\126\000\000\000\126\000\000\000\005\000\000\000\000\020\000\000\017\013' >/tmp/elf32
chmod +x /tmp/elf32
mkdir -p /tmp/cores
echo '/tmp/cores/core.%e.%p' >/proc/sys/kernel/core_pattern

# dump64 / dump32: one core dump of a 64-bit shell (SIGSEGV) or of the
# i386 program (SIGILL); prints the ELF class byte of the core (1 or 2)
dump64() {
	rm -f /tmp/cores/*
	sh -c 'ulimit -c unlimited; kill -SEGV $$' 2>/dev/null
	od -An -tu1 -j4 -N1 /tmp/cores/core.* 2>/dev/null | tr -d ' '
}
dump32() {
	rm -f /tmp/cores/*
	sh -c 'ulimit -c unlimited; exec /tmp/elf32' 2>/dev/null
	od -An -tu1 -j4 -N1 /tmp/cores/core.* 2>/dev/null | tr -d ' '
}
logged() { dmesg_since | grep -cE "^[^ ]+\[[0-9]+\]: writing an ELF$1 core dump \([0-9]+ segments\)$"; }

# shellcheck disable=SC2119 # load_core takes optional core parameters
load_core
check_eq "two elf_core_dump in kallsyms" 2 "$(grep -c ' elf_core_dump$' /proc/kallsyms)"
check_eq "two writenote in kallsyms" 2 "$(grep -c ' writenote$' /proc/kallsyms)"
dmesg_mark
check_eq "before: a 64-bit core dump (ELFCLASS64)" 2 "$(dump64)"
check_eq "before: a 32-bit core dump (ELFCLASS32)" 1 "$(dump32)"
check_eq "before: nothing logged" "0 0" "$(logged 64) $(logged 32)"

check "the built patch loads" hotpatch load "$(mod_path $P)"
hotpatch status --json $P >/tmp/st.json
check_eq "status: applied" applied "$(jsonq .state </tmp/st.json)"
check "binfmt_elf.c's copy is replaced (elf_core_dump,1)" test -d "$F/elf_core_dump,1"
check "compat_binfmt_elf.c's copy is replaced (elf_core_dump,2)" test -d "$F/elf_core_dump,2"
first=$(grep ' elf_core_dump$' /proc/kallsyms | sed -n 1p | cut -d' ' -f1)
second=$(grep ' elf_core_dump$' /proc/kallsyms | sed -n 2p | cut -d' ' -f1)
check_eq "sympos 1 is the first in kallsyms" "$first" \
	"$(sed 's/^0x//' "$F/elf_core_dump,1/old_addr")"
check_eq "sympos 2 is the second" "$second" \
	"$(sed 's/^0x//' "$F/elf_core_dump,2/old_addr")"

dmesg_mark
check_eq "patched: a 64-bit core dump, still ELFCLASS64" 2 "$(dump64)"
check_eq "patched: the new code of binfmt_elf.c's copy logged ELF64" "1 0" \
	"$(logged 64) $(logged 32)"
dmesg_mark
check_eq "patched: a 32-bit core dump, still ELFCLASS32" 1 "$(dump32)"
check_eq "patched: the new code of the compat copy logged ELF32" "0 1" \
	"$(logged 64) $(logged 32)"

check "disable reverts it" hotpatch disable $P
dmesg_mark
dump64 >/dev/null
dump32 >/dev/null
check_eq "disabled: core dumps log nothing" "0 0" "$(logged 64) $(logged 32)"
check "enable applies it again" hotpatch enable $P
dmesg_mark
dump32 >/dev/null
check_eq "enabled: the compat copy's new code runs again" 1 "$(logged 32)"
check "unload" hotpatch unload $P
dmesg_mark
check_eq "unloaded: 64-bit core dumps still work" 2 "$(dump64)"
check_eq "unloaded: nothing logged" 0 "$(logged 64)"
