// SPDX-License-Identifier: GPL-2.0
/* resolve tests: compat_elf.c with elf.c's elf_dump() changed */
#define ELF_BITS 32
#define elf_entry elf32_entry
#include "elf.patched.c"
