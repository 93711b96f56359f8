// SPDX-License-Identifier: GPL-2.0
/*
 * resolve tests: elf.c with elf_dump() changed (in both copies, through
 * compat_elf.patched.c)
 */
#include "kernelish.h"

#ifndef ELF_BITS
#define ELF_BITS 64
#define elf_entry elf64_entry
#endif

int elf_entry(int x);

static int elf_count;

static noinline int elf_pad(int x)
{
	return x | ELF_BITS;
}

static noinline int elf_size(int x)
{
	return x + ELF_BITS;
}

static noinline int elf_note(int x)
{
	elf_count += x;
	return x * ELF_BITS;
}

static noinline int elf_dump(int x)
{
	return elf_note(x) + elf_size(x) + 1;
}

static noinline int elf_phdrs(int x)
{
	return x - ELF_BITS;
}

static noinline int elf_lib(int x)
{
	return x ^ ELF_BITS;
}

int elf_entry(int x)
{
	return elf_dump(x) + elf_pad(x) + elf_phdrs(x) + elf_lib(x);
}
