/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _HOTPATCH_RELOC_CHECK_H
#define _HOTPATCH_RELOC_CHECK_H

/*
 * The format checks of a patch module's livepatch relocation sections
 * (reloc_check.c): plain code over the section headers and the symbol
 * table the module loader kept, built into the core and, for
 * tests/fuzz/fuzz_reloc.c, into a userspace program.
 */
#ifdef __KERNEL__
#include <linux/elf.h>
#include <linux/types.h>
#else
#include <elf.h>
#include "../tools/sign/kcompat.h"
#endif

#define HOTPATCH_KLP_RELA	".klp.rela."
#define HOTPATCH_KLP_SYM	".klp.sym."
#define HOTPATCH_KLP_RECORDS	".hotpatch.klp_relocs"
#define HOTPATCH_RELA_OBJ_LEN	56	/* MODULE_NAME_LEN on x86_64 */
#define HOTPATCH_RELA_SYM_LEN	512	/* KSYM_NAME_LEN */

#ifndef SHF_RELA_LIVEPATCH
#define SHF_RELA_LIVEPATCH	0x00100000
#endif
#ifndef SHN_LIVEPATCH
#define SHN_LIVEPATCH		0xff20
#endif

/*
 * What the module loader leaves of a livepatch module (mod->klp_info and
 * its symbol table). Contents of a section are at its sh_addr. Guarantees
 * the checks rely on (the loader's, or the fuzz target's): @secstrings
 * ends with a NUL (a name past it reads as ""); the contents of every
 * SHF_ALLOC section that is not SHT_NOBITS are at its sh_addr, sh_size
 * bytes; @syms has @nsyms entries (@symndx is the symbol table's
 * section), each st_name a NUL-terminated string of @strtab.
 */
struct hotpatch_rela_elf {
	const Elf64_Shdr *sechdrs;
	unsigned int shnum;
	const char *secstrings;
	size_t secstrings_len;
	unsigned int symndx;
	const Elf64_Sym *syms;
	unsigned int nsyms;
	const char *strtab;
};

/* Which objects the patch targets (other than vmlinux). */
typedef bool (*hotpatch_rela_target_fn)(const char *obj, void *arg);

bool hotpatch_rela_objname(const char *secname, char *obj, size_t len);
int hotpatch_rela_parse_sym(const char *full, const char *obj, char *name,
			    size_t len, unsigned long *sympos);
unsigned int hotpatch_reloc_width(unsigned int type);
bool hotpatch_reloc_value(unsigned int type, u64 s, s64 a, u64 p, u64 *val);
int hotpatch_rela_check_section(const struct hotpatch_rela_elf *e,
				unsigned int i, const char *obj, char *why,
				size_t len);
int hotpatch_rela_check_module(const struct hotpatch_rela_elf *e,
			       hotpatch_rela_target_fn targets, void *arg,
			       unsigned int *nsec, char *why, size_t len);

#endif /* _HOTPATCH_RELOC_CHECK_H */
