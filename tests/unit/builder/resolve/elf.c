// SPDX-License-Identifier: GPL-2.0
/*
 * resolve tests: "elf.c", which compat_elf.c compiles a second time
 * (fs/binfmt_elf.c and fs/compat_binfmt_elf.c): the same statics twice,
 * with the same neighbours; only the vmlinux's FILE symbols tell them apart.
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
	return elf_note(x) + elf_size(x);
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
