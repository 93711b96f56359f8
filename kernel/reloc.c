// SPDX-License-Identifier: GPL-2.0
/*
 * reloc.c - livepatch relocations of a patch module
 *
 * A patch module may use symbols the module loader cannot resolve:
 * non-exported or local symbols of vmlinux and of the modules it patches.
 * hotpatch-build writes those references in the livepatch module ELF
 * format (Documentation/livepatch/module-elf-format.rst, docs/relocations.md):
 * sections ".klp.rela.<obj>.<section>" flagged SHF_RELA_LIVEPATCH, whose
 * relocations name symbols ".klp.sym.<obj>.<name>,<sympos>" with st_shndx
 * SHN_LIVEPATCH, plus MODULE_INFO(livepatch, "Y") so that the loader keeps
 * the ELF headers in mod->klp_info.
 *
 * Who applies what, on the 6.1 kernel:
 *
 *  - vmlinux: the module loader itself (apply_relocations() calls
 *    klp_apply_section_relocs() for ".klp.rela.vmlinux.*" sections, with
 *    the same sympos rules as ours) before the module is formed; a symbol
 *    it cannot resolve fails the load with its own message. The core only
 *    checks the format of those sections.
 *  - a target module: the core, with apply_relocate_add(), when the object
 *    is patched: at registration (or a later enable) if the module is
 *    loaded, else in the COMING notifier of the module, before any of its
 *    functions is redirected. When the module goes, the locations are
 *    zeroed again (text_poke under text_mutex), so that the next load of
 *    the module can apply them afresh: apply_relocate_add() refuses a
 *    location that is not zero.
 *
 * All or nothing per object: every symbol is resolved before anything is
 * written, and a failed apply zeroes whatever it wrote. Caller holds
 * hotpatch_mutex for everything here.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/elf.h>
#include <linux/kallsyms.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/moduleloader.h>
#include <linux/rcupdate.h>
#include <linux/string.h>
#include "core.h"
#include "reloc.h"
#include "symbols.h"
#include "transition.h"

#define HP_KLP_RELA	".klp.rela."
#define HP_KLP_SYM	".klp.sym."
#define HP_KLP_RECORDS	".hotpatch.klp_relocs"

static bool hp_is_klp_rela(const Elf_Shdr *s)
{
	return s->sh_flags & SHF_RELA_LIVEPATCH;
}

/* The object name of ".klp.rela.<obj>.<section>" into @obj; false if malformed. */
static bool hp_rela_objname(const char *secname, char *obj, size_t len)
{
	const char *p, *dot;

	if (!str_has_prefix(secname, HP_KLP_RELA))
		return false;
	p = secname + strlen(HP_KLP_RELA);
	dot = strchr(p, '.');
	if (!dot || dot == p || dot - p >= len || !dot[1])
		return false;
	memcpy(obj, p, dot - p);
	obj[dot - p] = '\0';
	return true;
}

/*
 * Parse ".klp.sym.<obj>.<name>,<sympos>". @name gets the symbol name; the
 * object name must be @obj (the section's object: a module's section may
 * only use that module's symbols, a vmlinux section vmlinux's).
 */
static int hp_parse_sym(const char *full, const char *obj, char *name,
			size_t len, unsigned long *sympos)
{
	const char *p, *comma;
	size_t olen = strlen(obj);

	if (!str_has_prefix(full, HP_KLP_SYM))
		return -EINVAL;
	p = full + strlen(HP_KLP_SYM);
	if (strncmp(p, obj, olen) || p[olen] != '.')
		return -EINVAL;
	p += olen + 1;
	comma = strrchr(p, ',');
	if (!comma || comma == p || comma - p >= len)
		return -EINVAL;
	memcpy(name, p, comma - p);
	name[comma - p] = '\0';
	if (strchr(name, ',') || kstrtoul(comma + 1, 10, sympos))
		return -EINVAL;
	return 0;
}

static unsigned int hp_reloc_width(unsigned int type)
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

static Elf_Sym *hp_symtab(struct module *mod)
{
	return (Elf_Sym *)mod->klp_info->sechdrs[mod->klp_info->symndx].sh_addr;
}

/*
 * Check one .klp.rela section against the module it lives in: every index
 * and offset in range, symbols in the livepatch format and of the
 * section's object. @why gets the reason on failure.
 */
static int hp_check_section(struct hp_patch *patch, unsigned int i,
			    const char *obj)
{
	struct klp_modinfo *info = patch->mod->klp_info;
	const char *secname = info->secstrings + info->sechdrs[i].sh_name;
	const char *strtab = patch->mod->core_kallsyms.strtab;
	unsigned int nsyms = patch->mod->core_kallsyms.num_symtab;
	Elf_Shdr *sec = &info->sechdrs[i], *dst;
	char name[KSYM_NAME_LEN];
	unsigned long sympos;
	unsigned int n, k;
	Elf_Rela *relas;
	Elf_Sym *sym;

	/* not sh_entsize: the loader keeps a layout offset there */
	if (sec->sh_type != SHT_RELA ||
	    sec->sh_size % sizeof(Elf_Rela) || !(sec->sh_flags & SHF_ALLOC) ||
	    sec->sh_link != info->symndx || !sec->sh_info ||
	    sec->sh_info >= info->hdr.e_shnum)
		goto bad_section;
	dst = &info->sechdrs[sec->sh_info];
	if (!(dst->sh_flags & SHF_ALLOC) || dst->sh_type == SHT_NOBITS ||
	    !dst->sh_addr)
		goto bad_section;
	if (str_has_prefix(info->secstrings + dst->sh_name, ".init") ||
	    str_has_prefix(info->secstrings + dst->sh_name, ".exit")) {
		hotpatch_set_error(patch, -ENOEXEC,
				   "livepatch relocation section '%s' applies to init or exit code, which does not stay loaded",
				   secname);
		return -ENOEXEC;
	}
	relas = (Elf_Rela *)sec->sh_addr;
	n = sec->sh_size / sizeof(Elf_Rela);
	for (k = 0; k < n; k++) {
		unsigned int type = ELF64_R_TYPE(relas[k].r_info);
		unsigned long symi = ELF64_R_SYM(relas[k].r_info);
		unsigned int w = hp_reloc_width(type);

		if (!w || relas[k].r_offset > dst->sh_size ||
		    w > dst->sh_size - relas[k].r_offset || !symi ||
		    symi >= nsyms)
			goto bad_section;
		sym = &hp_symtab(patch->mod)[symi];
		if (sym->st_shndx != SHN_LIVEPATCH ||
		    hp_parse_sym(strtab + sym->st_name, obj, name, sizeof(name),
				 &sympos)) {
			hotpatch_set_error(patch, -ENOEXEC,
					   "livepatch relocation section '%s' uses symbol '%s', which is not a livepatch symbol of '%s'",
					   secname, strtab + sym->st_name, obj);
			return -ENOEXEC;
		}
	}
	return 0;

bad_section:
	hotpatch_set_error(patch, -ENOEXEC,
			   "malformed livepatch relocation section '%s'",
			   secname);
	return -ENOEXEC;
}

static struct hp_object *hp_reloc_object(struct hp_patch *patch,
					 const char *name)
{
	struct hp_object *obj;

	hotpatch_for_each_object(patch, obj)
		if (!strcmp(obj->name, name))
			return obj;
	return NULL;
}

/*
 * A patch module without MODULE_INFO(livepatch, "Y"): the loader kept no
 * ELF headers, so nothing could apply its relocations for modules. Its
 * livepatch symbols are still in the full symbol table the module has
 * while its init runs (which is where hotpatch_register() comes from).
 */
static int hp_check_not_klp(struct hp_patch *patch)
{
	struct mod_kallsyms *ks;
	const char *found = NULL;
	unsigned int i;

	preempt_disable();
	ks = rcu_dereference_sched(patch->mod->kallsyms);
	for (i = 1; ks && i < ks->num_symtab && !found; i++)
		if (ks->symtab[i].st_shndx == SHN_LIVEPATCH ||
		    str_has_prefix(ks->strtab + ks->symtab[i].st_name,
				   HP_KLP_SYM))
			found = ks->strtab + ks->symtab[i].st_name;
	preempt_enable();
	if (!found)
		return 0;
	hotpatch_set_error(patch, -ENOEXEC,
			   "the patch module has livepatch symbols ('%s') but no MODULE_INFO(livepatch, \"Y\"): its relocations would not be applied; rebuild it with hotpatch-build",
			   found);
	return -ENOEXEC;
}

/**
 * hotpatch_reloc_init() - check the livepatch relocations of a patch
 * @patch:	the patch being registered (objects copied)
 *
 * Counts the relocations of each target object into hp_object.nr_relocs.
 * Refuses (-ENOEXEC) a module whose livepatch parts are malformed or
 * inconsistent: symbols without MODULE_INFO(livepatch, "Y"), that mark
 * without any relocation section (or with deferred relocations that were
 * never post-linked), a section for a module the patch does not target.
 *
 * Return: 0 or -errno, with the patch's error set.
 */
int hotpatch_reloc_init(struct hp_patch *patch)
{
	struct klp_modinfo *info = patch->mod->klp_info;
	char obj[MODULE_NAME_LEN];
	struct hp_object *o;
	unsigned int i, nsec = 0;
	int ret;

	if (!is_livepatch_module(patch->mod))
		return hp_check_not_klp(patch);
	if (WARN_ON_ONCE(!info))
		return -EINVAL;

	for (i = 1; i < info->hdr.e_shnum; i++) {
		Elf_Shdr *sec = &info->sechdrs[i];
		const char *secname = info->secstrings + sec->sh_name;

		if (!strcmp(secname, HP_KLP_RECORDS)) {
			hotpatch_set_error(patch, -ENOEXEC,
					   "the patch module still has deferred relocations ('%s'): run 'hotpatch-build post-link' on it before signing",
					   HP_KLP_RECORDS);
			return -ENOEXEC;
		}
		if (!hp_is_klp_rela(sec))
			continue;
		if (!hp_rela_objname(secname, obj, sizeof(obj))) {
			hotpatch_set_error(patch, -ENOEXEC,
					   "livepatch relocation section '%s' does not name an object",
					   secname);
			return -ENOEXEC;
		}
		ret = hp_check_section(patch, i, obj);
		if (ret)
			return ret;
		nsec++;
		if (!strcmp(obj, "vmlinux"))
			continue;
		o = hp_reloc_object(patch, obj);
		if (!o) {
			hotpatch_set_error(patch, -ENOEXEC,
					   "livepatch relocation section '%s' is for module '%s', which the patch does not target",
					   secname, obj);
			return -ENOEXEC;
		}
		o->nr_relocs += sec->sh_size / sizeof(Elf_Rela);
	}
	if (!nsec) {
		hotpatch_set_error(patch, -ENOEXEC,
				   "the patch module is marked MODULE_INFO(livepatch, \"Y\") but has no livepatch relocations: remove the mark, or post-link it with hotpatch-build");
		return -ENOEXEC;
	}
	return 0;
}

typedef int (*hp_section_fn)(struct hp_patch *patch, struct hp_object *obj,
			     unsigned int i);

/* Call @fn for each .klp.rela section of object @obj. */
static int hp_klp_sections_call(struct hp_patch *patch, struct hp_object *obj,
			       hp_section_fn fn)
{
	struct klp_modinfo *info = patch->mod->klp_info;
	char name[MODULE_NAME_LEN];
	unsigned int i;
	int ret;

	for (i = 1; i < info->hdr.e_shnum; i++) {
		if (!hp_is_klp_rela(&info->sechdrs[i]) ||
		    !hp_rela_objname(info->secstrings +
				     info->sechdrs[i].sh_name,
				     name, sizeof(name)) ||
		    strcmp(name, obj->name))
			continue;
		ret = fn(patch, obj, i);
		if (ret)
			return ret;
	}
	return 0;
}

/* Resolve every symbol one section uses (format checked at registration). */
static int hp_resolve_section(struct hp_patch *patch, struct hp_object *obj,
			      unsigned int i)
{
	struct klp_modinfo *info = patch->mod->klp_info;
	Elf_Rela *relas = (Elf_Rela *)info->sechdrs[i].sh_addr;
	unsigned int n = info->sechdrs[i].sh_size / sizeof(Elf_Rela), k;
	const char *strtab = patch->mod->core_kallsyms.strtab;
	char name[KSYM_NAME_LEN], why[HP_ERR_LEN];
	unsigned long sympos, addr;
	Elf_Sym *sym;
	int ret;

	for (k = 0; k < n; k++) {
		sym = &hp_symtab(patch->mod)[ELF64_R_SYM(relas[k].r_info)];
		if (hp_parse_sym(strtab + sym->st_name, obj->name, name,
				 sizeof(name), &sympos))
			return -EINVAL;	/* checked at registration */
		ret = hotpatch_find_symbol(obj->name, name, sympos, &addr, why,
					   sizeof(why));
		if (ret) {
			hotpatch_set_error(patch, ret,
					   "livepatch relocation: %s (symbol '%s')",
					   why, strtab + sym->st_name);
			return ret;
		}
		sym->st_value = addr;
	}
	return 0;
}

/* Zero every location one section writes. Caller holds text_mutex. */
static int hp_clear_section(struct hp_patch *patch, struct hp_object *obj,
			    unsigned int i)
{
	static const u8 zero[8];
	struct klp_modinfo *info = patch->mod->klp_info;
	Elf_Shdr *sec = &info->sechdrs[i];
	Elf_Rela *relas = (Elf_Rela *)sec->sh_addr;
	unsigned long base = info->sechdrs[sec->sh_info].sh_addr;
	unsigned int n = sec->sh_size / sizeof(Elf_Rela), k;
	Elf_Sym *sym;

	for (k = 0; k < n; k++) {
		void *loc = (void *)(base + relas[k].r_offset);
		unsigned int w = hp_reloc_width(ELF64_R_TYPE(relas[k].r_info));

		if (w && memcmp(loc, zero, w))
			hotpatch_text_poke(loc, zero, w);
		sym = &hp_symtab(patch->mod)[ELF64_R_SYM(relas[k].r_info)];
		sym->st_value = 0;
	}
	return 0;
}

static void hp_clear_object(struct hp_patch *patch, struct hp_object *obj)
{
	hotpatch_text_lock();
	hp_klp_sections_call(patch, obj, hp_clear_section);
	hotpatch_text_unlock();
}

static int hp_apply_section(struct hp_patch *patch, struct hp_object *obj,
			    unsigned int i)
{
	struct klp_modinfo *info = patch->mod->klp_info;
	int ret;

	ret = hotpatch_fault(patch, "relocate");
	if (ret)
		return ret;
	ret = hotpatch_apply_relocate_add(info->sechdrs,
					  patch->mod->core_kallsyms.strtab,
					  info->symndx, i, patch->mod);
	if (ret)
		hotpatch_set_error(patch, ret,
				   "cannot apply livepatch relocation section '%s' for '%s' (%d)",
				   info->secstrings + info->sechdrs[i].sh_name,
				   obj->name, ret);
	return ret;
}

/**
 * __hotpatch_reloc_apply() - apply the relocations of one target module
 * @patch:	the patch
 * @obj:	a module object of @patch whose module is loaded (or coming)
 *
 * Resolves every symbol first, then applies every section; on failure
 * the locations are zeroed again. No-op for vmlinux (the module loader
 * did it), for an object without relocations and for one already applied.
 *
 * Return: 0 or -errno, with the patch's error set.
 */
int __hotpatch_reloc_apply(struct hp_patch *patch, struct hp_object *obj)
{
	int ret;

	if (!obj->nr_relocs || obj->relocated)
		return 0;
	ret = hp_klp_sections_call(patch, obj, hp_resolve_section);
	if (!ret)
		ret = hp_klp_sections_call(patch, obj, hp_apply_section);
	if (ret) {
		hp_clear_object(patch, obj);
		return ret;
	}
	obj->relocated = true;
	pr_info("'%s': applied %u livepatch relocations for '%s'\n",
		patch->name, obj->nr_relocs, obj->name);
	return 0;
}

/**
 * __hotpatch_reloc_clear() - zero the relocations of one target module
 * @patch:	the patch
 * @obj:	a module object whose relocations were applied
 *
 * For the module's GOING, after its functions were unpatched, and to undo
 * a failed apply.
 */
void __hotpatch_reloc_clear(struct hp_patch *patch, struct hp_object *obj)
{
	if (!obj->relocated)
		return;
	hp_clear_object(patch, obj);
	obj->relocated = false;
	pr_info("'%s': cleared %u livepatch relocations for '%s'\n",
		patch->name, obj->nr_relocs, obj->name);
}
