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
 *    location that is not zero. Only a location that still holds what
 *    apply_relocate_add() wrote is zeroed; one changed since (by the
 *    patch's own code) is left, and the module's next load refused.
 *
 * Relocations may write only the patch's code, rodata and data (and, for
 * vmlinux, the load-time tables): reloc_check.c, which also has every
 * other format check.
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
#include "reloc_check.h"
#include "symbols.h"
#include "transition.h"

static Elf_Sym *hp_symtab(struct module *mod)
{
	return (Elf_Sym *)mod->klp_info->sechdrs[mod->klp_info->symndx].sh_addr;
}

/* The patch module as reloc_check.c sees it. */
static void hp_rela_elf(struct hp_patch *patch, struct hotpatch_rela_elf *e)
{
	struct klp_modinfo *info = patch->mod->klp_info;

	e->sechdrs = info->sechdrs;
	e->shnum = info->hdr.e_shnum;
	e->secstrings = info->secstrings;
	e->secstrings_len = info->sechdrs[info->hdr.e_shstrndx].sh_size;
	e->symndx = info->symndx;
	e->syms = hp_symtab(patch->mod);
	e->nsyms = patch->mod->core_kallsyms.num_symtab;
	e->strtab = patch->mod->core_kallsyms.strtab;
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

static bool hp_reloc_targets(const char *name, void *patch)
{
	return hp_reloc_object(patch, name);
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
				   HOTPATCH_KLP_SYM))
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
	struct hotpatch_rela_elf e;
	char obj[MODULE_NAME_LEN], why[HP_ERR_LEN];
	struct hp_object *o;
	unsigned int i, nsec;
	int ret;

	if (!is_livepatch_module(patch->mod))
		return hp_check_not_klp(patch);
	if (WARN_ON_ONCE(!info))
		return -EINVAL;

	hp_rela_elf(patch, &e);
	ret = hotpatch_rela_check_module(&e, hp_reloc_targets, patch, &nsec,
					 why, sizeof(why));
	if (ret) {
		hotpatch_set_error(patch, ret, "%s", why);
		return ret;
	}
	if (!nsec) {
		hotpatch_set_error(patch, -ENOEXEC,
				   "the patch module is marked MODULE_INFO(livepatch, \"Y\") but has no livepatch relocations: remove the mark, or post-link it with hotpatch-build");
		return -ENOEXEC;
	}
	for (i = 1; i < info->hdr.e_shnum; i++) {
		if (!(info->sechdrs[i].sh_flags & SHF_RELA_LIVEPATCH) ||
		    !hotpatch_rela_objname(info->secstrings +
					   info->sechdrs[i].sh_name,
					   obj, sizeof(obj)))
			continue;
		/* the module loader applied vmlinux's (see the top) */
		if (!strcmp(obj, "vmlinux"))
			continue;
		o = hp_reloc_object(patch, obj);
		if (o)
			o->nr_relocs += info->sechdrs[i].sh_size /
					sizeof(Elf_Rela);
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
		if (!(info->sechdrs[i].sh_flags & SHF_RELA_LIVEPATCH) ||
		    !hotpatch_rela_objname(info->secstrings +
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
		if (hotpatch_rela_parse_sym(strtab + sym->st_name, obj->name,
					    name, sizeof(name), &sympos))
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

/*
 * Zero every location one section wrote, last first. A location that
 * holds neither zero nor the value apply_relocate_add() wrote there was
 * changed since by someone else: it is left alone, and said so. Caller
 * holds text_mutex; the symbols keep their values for the other sections
 * (hp_forget_section()). Return: the number of locations left alone.
 */
static unsigned int hp_clear_section(struct hp_patch *patch,
				     struct hp_object *obj, unsigned int i)
{
	static const u8 zero[8];
	struct klp_modinfo *info = patch->mod->klp_info;
	Elf_Shdr *sec = &info->sechdrs[i];
	Elf_Rela *relas = (Elf_Rela *)sec->sh_addr;
	unsigned long base = info->sechdrs[sec->sh_info].sh_addr;
	unsigned int n = sec->sh_size / sizeof(Elf_Rela), k;
	unsigned int type, w, kept = 0;
	Elf_Sym *sym;
	u64 val;

	for (k = n; k-- > 0;) {
		void *loc = (void *)(base + relas[k].r_offset);

		type = ELF64_R_TYPE(relas[k].r_info);
		w = hotpatch_reloc_width(type);
		sym = &hp_symtab(patch->mod)[ELF64_R_SYM(relas[k].r_info)];
		if (!w || !memcmp(loc, zero, w))
			continue;
		if (!hotpatch_reloc_value(type, sym->st_value,
					  relas[k].r_addend,
					  (unsigned long)loc, &val) ||
		    memcmp(loc, &val, w)) {
			pr_warn("'%s': livepatch relocation %u of section '%s' for '%s': its location (offset %llu) no longer holds the value written there: left as it is\n",
				patch->name, k, info->secstrings + sec->sh_name,
				obj->name, (unsigned long long)relas[k].r_offset);
			kept++;
			continue;
		}
		hotpatch_text_poke(loc, zero, w);
	}
	return kept;
}

/* Forget the symbol values of one section, once every location is clear. */
static int hp_forget_section(struct hp_patch *patch, struct hp_object *obj,
			     unsigned int i)
{
	struct klp_modinfo *info = patch->mod->klp_info;
	Elf_Rela *relas = (Elf_Rela *)info->sechdrs[i].sh_addr;
	unsigned int n = info->sechdrs[i].sh_size / sizeof(Elf_Rela), k;

	for (k = 0; k < n; k++)
		hp_symtab(patch->mod)[ELF64_R_SYM(relas[k].r_info)].st_value = 0;
	return 0;
}

/* Return: the number of locations left alone (see hp_clear_section()). */
static unsigned int hp_clear_object(struct hp_patch *patch,
				    struct hp_object *obj)
{
	struct klp_modinfo *info = patch->mod->klp_info;
	char name[MODULE_NAME_LEN];
	unsigned int i, kept = 0;

	hotpatch_text_lock();
	for (i = 1; i < info->hdr.e_shnum; i++)
		if (info->sechdrs[i].sh_flags & SHF_RELA_LIVEPATCH &&
		    hotpatch_rela_objname(info->secstrings +
					  info->sechdrs[i].sh_name,
					  name, sizeof(name)) &&
		    !strcmp(name, obj->name))
			kept += hp_clear_section(patch, obj, i);
	hotpatch_text_unlock();
	hp_klp_sections_call(patch, obj, hp_forget_section);
	return kept;
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
	unsigned int kept;

	if (!obj->relocated)
		return;
	kept = hp_clear_object(patch, obj);
	obj->relocated = false;
	if (kept)
		pr_warn("'%s': cleared %u livepatch relocations for '%s', left %u as they are: its next load will be refused\n",
			patch->name, obj->nr_relocs - kept, obj->name, kept);
	else
		pr_info("'%s': cleared %u livepatch relocations for '%s'\n",
			patch->name, obj->nr_relocs, obj->name);
}
