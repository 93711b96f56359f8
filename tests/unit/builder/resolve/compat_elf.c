// SPDX-License-Identifier: GPL-2.0
/* resolve tests: elf.c compiled again, as fs/compat_binfmt_elf.c does */
#define ELF_BITS 32
#define elf_entry elf32_entry
#include "elf.c"
