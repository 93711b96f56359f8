// SPDX-License-Identifier: GPL-2.0
/*
 * reloc_check.c - format checks of livepatch relocation sections
 *
 * Everything the core checks in a patch module's ".klp.rela.<obj>.<section>"
 * sections before it applies any of them (reloc.c), as plain code over the
 * section headers and symbol table the module loader kept: the core builds
 * it, and tests/fuzz/fuzz_reloc.c builds it for userspace with arbitrary
 * section headers, relocations and symbols.
 *
 * The sections a relocation may write (hp_rela_target_ok()): the patch's
 * own code (SHF_EXECINSTR), its ".rodata*" and its ".data*" (not
 * ".data..percpu", a template the loader copies away), never one named
 * as a section the loader or the core reads (below, whatever its flags
 * say); for vmlinux also
 * the load-time tables the module loader reads after it applied the
 * vmlinux relocations itself (docs/relocations.md). Never the module's
 * struct module (".gnu.linkonce.this_module"), its signed manifest and
 * signature (".hotpatch.*"), its notes, export or parameter tables, or
 * anything else the core or the loader trusts as written by the build;
 * and never, whatever the flags, ".data..percpu" or the ".init*" and
 * ".exit*" sections, which the loader places by name and frees or copies
 * away (a relocation there could not be undone in place).
 */
#ifdef __KERNEL__
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/string.h>
#else
#include <stdlib.h>
#endif

#include "reloc_check.h"

#ifndef __KERNEL__
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

static bool str_has_prefix(const char *s, const char *prefix)
{
	return !strncmp(s, prefix, strlen(prefix));
}

static int kstrtoul(const char *s, unsigned int base, unsigned long *res)
{
	char *end;

	if (!*s || *s < '0' || *s > '9')
		return -EINVAL;
	errno = 0;
	*res = strtoul(s, &end, base);
	if (errno || *end)
		return -EINVAL;
	return 0;
}
#endif

/* Name of section @i, "" when its sh_name is past the string table. */
static const char *hp_secname(const struct hotpatch_rela_elf *e,
			      unsigned int i)
{
	u32 off = e->sechdrs[i].sh_name;

	return off < e->secstrings_len ? e->secstrings + off : "";
}

/**
 * hotpatch_rela_objname() - object of a ".klp.rela.<obj>.<section>" name
 * @secname:	the section name
 * @obj:	result: the object name
 * @len:	size of @obj
 *
 * Return: false when @secname does not name an object.
 */
bool hotpatch_rela_objname(const char *secname, char *obj, size_t len)
{
	const char *p, *dot;

	if (!str_has_prefix(secname, HOTPATCH_KLP_RELA))
		return false;
	p = secname + strlen(HOTPATCH_KLP_RELA);
	dot = strchr(p, '.');
	if (!dot || dot == p || (size_t)(dot - p) >= len || !dot[1])
		return false;
	memcpy(obj, p, dot - p);
	obj[dot - p] = '\0';
	return true;
}

/**
 * hotpatch_rela_parse_sym() - parse ".klp.sym.<obj>.<name>,<sympos>"
 * @full:	the symbol's name
 * @obj:	the object it must name (the section's: a module's section
 *		may only use that module's symbols, a vmlinux section
 *		vmlinux's)
 * @name:	result: the symbol name
 * @len:	size of @name
 * @sympos:	result: the position
 *
 * Return: 0, or -EINVAL when @full is not a livepatch symbol of @obj.
 */
int hotpatch_rela_parse_sym(const char *full, const char *obj, char *name,
			    size_t len, unsigned long *sympos)
{
	const char *p, *comma;
	size_t olen = strlen(obj);

	if (!str_has_prefix(full, HOTPATCH_KLP_SYM))
		return -EINVAL;
	p = full + strlen(HOTPATCH_KLP_SYM);
	if (strncmp(p, obj, olen) || p[olen] != '.')
		return -EINVAL;
	p += olen + 1;
	comma = strrchr(p, ',');
	if (!comma || comma == p || (size_t)(comma - p) >= len)
		return -EINVAL;
	memcpy(name, p, comma - p);
	name[comma - p] = '\0';
	if (strchr(name, ',') || kstrtoul(comma + 1, 10, sympos))
		return -EINVAL;
	return 0;
}

/**
 * hotpatch_reloc_width() - bytes a relocation type writes
 * @type:	an x86_64 relocation type
 *
 * Return: 8 or 4; 0 for a type the core does not apply.
 */
unsigned int hotpatch_reloc_width(unsigned int type)
{
	switch (type) {
	case R_X86_64_64:
	case R_X86_64_PC64:
		return 8;
	case R_X86_64_PC32:
	case R_X86_64_PLT32:
	case R_X86_64_32:
	case R_X86_64_32S:
		return 4;
	}
	return 0;
}

/**
 * hotpatch_reloc_value() - what apply_relocate_add() writes for a relocation
 * @type:	the relocation type
 * @s:		the symbol's value
 * @a:		the addend
 * @p:		the address of the location
 * @val:	result: the value; its low hotpatch_reloc_width() bytes are
 *		what the location holds once applied
 *
 * As arch/x86/kernel/module.c computes it.
 *
 * Return: false for a type hotpatch_reloc_width() does not know.
 */
bool hotpatch_reloc_value(unsigned int type, u64 s, s64 a, u64 p, u64 *val)
{
	u64 v = s + (u64)a;

	switch (type) {
	case R_X86_64_64:
	case R_X86_64_32:
	case R_X86_64_32S:
		break;
	case R_X86_64_PC32:
	case R_X86_64_PLT32:
	case R_X86_64_PC64:
		v -= p;
		break;
	default:
		return false;
	}
	*val = v;
	return true;
}

static bool hp_name_is(const char *name, const char *prefix)
{
	size_t n = strlen(prefix);

	return !strncmp(name, prefix, n) && (!name[n] || name[n] == '.');
}

/*
 * May a relocation of object @obj write section @dst (named @name)? See
 * the comment at the top.
 */
static bool hp_rela_target_ok(const Elf64_Shdr *dst, const char *name,
			      const char *obj)
{
	static const char * const vmlinux_tables[] = {
		"__jump_table", ".static_call_sites", ".altinstructions",
		".altinstr_replacement", ".parainstructions", "__ex_table",
	};
	/* never these, whatever their flags say */
	static const char * const denied[] = {
		".gnu.linkonce.this_module", ".hotpatch", ".note", "__ksymtab",
		"__kcrctab", "__param", "__versions", ".modinfo",
		".data..percpu", ".init", ".exit",
	};
	unsigned int i;

	/* no name: sh_name past the string table (the loader refuses that) */
	if (dst->sh_type != SHT_PROGBITS || !name[0])
		return false;
	for (i = 0; i < ARRAY_SIZE(denied); i++)
		if (str_has_prefix(name, denied[i]))
			return false;
	if (dst->sh_flags & SHF_EXECINSTR)
		return true;
	if (hp_name_is(name, ".rodata"))
		return true;
	if (hp_name_is(name, ".data") && !hp_name_is(name, ".data..percpu"))
		return true;
	if (strcmp(obj, "vmlinux"))
		return false;
	for (i = 0; i < ARRAY_SIZE(vmlinux_tables); i++)
		if (!strcmp(name, vmlinux_tables[i]))
			return true;
	return false;
}

/**
 * hotpatch_rela_check_section() - check one .klp.rela section
 * @e:		the patch module
 * @i:		the section's index (an SHF_RELA_LIVEPATCH section)
 * @obj:	its object (hotpatch_rela_objname())
 * @why:	result: the reason, on failure
 * @len:	size of @why
 *
 * Every index and offset in range, the section it writes code or data of
 * the patch (hp_rela_target_ok()), the symbols in the livepatch format
 * and of the section's object.
 *
 * Return: 0 or -ENOEXEC.
 */
int hotpatch_rela_check_section(const struct hotpatch_rela_elf *e,
				unsigned int i, const char *obj, char *why,
				size_t len)
{
	const char *secname = hp_secname(e, i), *dstname, *symname;
	const Elf64_Shdr *sec = &e->sechdrs[i], *dst;
	char name[HOTPATCH_RELA_SYM_LEN];
	const Elf64_Rela *relas;
	const Elf64_Sym *sym;
	unsigned long sympos;
	u64 n, k;

	/* not sh_entsize: the loader keeps a layout offset there */
	if (sec->sh_type != SHT_RELA ||
	    sec->sh_size % sizeof(Elf64_Rela) || !(sec->sh_flags & SHF_ALLOC) ||
	    sec->sh_link != e->symndx || !sec->sh_info ||
	    sec->sh_info >= e->shnum)
		goto bad_section;
	dst = &e->sechdrs[sec->sh_info];
	if (!(dst->sh_flags & SHF_ALLOC) || dst->sh_type == SHT_NOBITS ||
	    !dst->sh_addr)
		goto bad_section;
	dstname = hp_secname(e, sec->sh_info);
	if (str_has_prefix(dstname, ".init") ||
	    str_has_prefix(dstname, ".exit")) {
		snprintf(why, len,
			 "livepatch relocation section '%s' applies to init or exit code, which does not stay loaded",
			 secname);
		return -ENOEXEC;
	}
	if (!hp_rela_target_ok(dst, dstname, obj)) {
		snprintf(why, len,
			 "livepatch relocation section '%s' writes section '%s', which is not code or data of the patch: rebuild the patch with hotpatch-build",
			 secname, dstname);
		return -ENOEXEC;
	}
	relas = (const Elf64_Rela *)(unsigned long)sec->sh_addr;
	n = sec->sh_size / sizeof(Elf64_Rela);
	for (k = 0; k < n; k++) {
		unsigned int type = ELF64_R_TYPE(relas[k].r_info);
		u64 symi = ELF64_R_SYM(relas[k].r_info);
		unsigned int w = hotpatch_reloc_width(type);

		if (!w || relas[k].r_offset > dst->sh_size ||
		    w > dst->sh_size - relas[k].r_offset || !symi ||
		    symi >= e->nsyms)
			goto bad_section;
		sym = &e->syms[symi];
		symname = e->strtab + sym->st_name;
		if (sym->st_shndx != SHN_LIVEPATCH ||
		    hotpatch_rela_parse_sym(symname, obj, name, sizeof(name),
					    &sympos)) {
			snprintf(why, len,
				 "livepatch relocation section '%s' uses symbol '%s', which is not a livepatch symbol of '%s'",
				 secname, symname, obj);
			return -ENOEXEC;
		}
	}
	return 0;

bad_section:
	snprintf(why, len, "malformed livepatch relocation section '%s'",
		 secname);
	return -ENOEXEC;
}

/**
 * hotpatch_rela_check_module() - check every .klp.rela section of a module
 * @e:		the patch module (marked MODULE_INFO(livepatch, "Y"))
 * @targets:	whether the patch targets a module
 * @arg:	for @targets
 * @nsec:	result: the number of .klp.rela sections
 * @why:	result: the reason, on failure
 * @len:	size of @why
 *
 * Refuses deferred relocations never post-linked, a section that does not
 * name an object or is for a module the patch does not target, and each
 * case of hotpatch_rela_check_section(). No section at all is for the
 * caller to judge (@nsec 0).
 *
 * Return: 0 or -ENOEXEC.
 */
int hotpatch_rela_check_module(const struct hotpatch_rela_elf *e,
			       hotpatch_rela_target_fn targets, void *arg,
			       unsigned int *nsec, char *why, size_t len)
{
	char obj[HOTPATCH_RELA_OBJ_LEN];
	unsigned int i;
	int ret;

	*nsec = 0;
	for (i = 1; i < e->shnum; i++) {
		const char *secname = hp_secname(e, i);

		if (!strcmp(secname, HOTPATCH_KLP_RECORDS)) {
			snprintf(why, len,
				 "the patch module still has deferred relocations ('%s'): run 'hotpatch-build post-link' on it before signing",
				 HOTPATCH_KLP_RECORDS);
			return -ENOEXEC;
		}
		if (!(e->sechdrs[i].sh_flags & SHF_RELA_LIVEPATCH))
			continue;
		if (!hotpatch_rela_objname(secname, obj, sizeof(obj))) {
			snprintf(why, len,
				 "livepatch relocation section '%s' does not name an object",
				 secname);
			return -ENOEXEC;
		}
		ret = hotpatch_rela_check_section(e, i, obj, why, len);
		if (ret)
			return ret;
		(*nsec)++;
		if (strcmp(obj, "vmlinux") && !targets(obj, arg)) {
			snprintf(why, len,
				 "livepatch relocation section '%s' is for module '%s', which the patch does not target",
				 secname, obj);
			return -ENOEXEC;
		}
	}
	return 0;
}
