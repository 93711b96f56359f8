// SPDX-License-Identifier: GPL-2.0
/*
 * The target's symbols, as the module generator needs them: name -> sympos
 * and the size kallsyms reports, for the functions a patch replaces.
 *
 * The tables are target.c's (hp_ksyms: a kallsyms dump or System.map for
 * vmlinux, module objects for modules). What this adds: a local name found
 * several times in a module is told apart by the source file the patch
 * object names (.hotpatch.funcs), through the STT_FILE symbols of the .ko,
 * since `module` has no original object to compare neighbourhoods with.
 */
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "internal.h"
#include "gen.h"

struct hp_gen_syms {
	struct hp_ksyms *k;
	const char *symbols;
	const struct hp_gen_modobj *mods;
	size_t nr_mods;
};

void hp_gen_syms_free(struct hp_gen_syms *s)
{
	if (!s)
		return;
	hp_ksyms_free(s->k);
	free(s);
}

int hp_gen_syms_new(const char *symbols, const struct hp_gen_modobj *mods,
		    size_t nr_mods, struct hp_gen_syms **out, struct hp_error *err)
{
	struct hp_gen_syms *s = calloc(1, sizeof(*s));
	size_t i;
	int ret;

	*out = NULL;
	if (!s)
		return hp_error_set(err, -ENOMEM, "out of memory");
	s->symbols = symbols;
	s->mods = mods;
	s->nr_mods = nr_mods;
	ret = hp_ksyms_new(&s->k, err);
	if (!ret && symbols)
		ret = hp_ksyms_load_kallsyms(s->k, symbols, err);
	for (i = 0; !ret && i < nr_mods; i++)
		ret = hp_ksyms_load_module(s->k, mods[i].path, mods[i].name, err);
	if (ret) {
		hp_gen_syms_free(s);
		return ret;
	}
	*out = s;
	return 0;
}

static bool init_section(const char *name)
{
	return !strncmp(name, ".init", 5);
}

/*
 * The sympos of the local 'name' that follows the STT_FILE symbol 'file'
 * in the module's symbol table, counting as target.c (is_core_symbol()) and
 * the kernel's module kallsyms do; 0 when not exactly one matches.
 */
static unsigned int rank_by_file(const char *path, const char *name, const char *file)
{
	const char *cur = NULL, *sname, *secname;
	unsigned int count = 0, hit = 0, hits = 0;
	Elf_Scn *scn = NULL, *symscn = NULL;
	GElf_Shdr sh, symsh = { 0 };
	size_t shnum, shstrndx, i;
	Elf_Data *data;
	Elf *elf;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	elf = elf_begin(fd, ELF_C_READ, NULL);
	if (!elf || elf_getshdrnum(elf, &shnum) || elf_getshdrstrndx(elf, &shstrndx))
		goto out;
	while ((scn = elf_nextscn(elf, scn)))
		if (gelf_getshdr(scn, &sh) && sh.sh_type == SHT_SYMTAB) {
			symscn = scn;
			symsh = sh;
		}
	if (!symscn || symsh.sh_entsize != sizeof(Elf64_Sym) ||
	    !(data = elf_getdata(symscn, NULL)))
		goto out;
	for (i = 1; i < symsh.sh_size / sizeof(Elf64_Sym); i++) {
		GElf_Sym sym;

		if (!gelf_getsym(data, (int)i, &sym))
			break;
		sname = elf_strptr(elf, symsh.sh_link, sym.st_name);
		if (GELF_ST_TYPE(sym.st_info) == STT_FILE) {
			cur = sname;
			continue;
		}
		if (sym.st_shndx == SHN_UNDEF || sym.st_shndx >= shnum || !sym.st_name ||
		    !sname || strcmp(sname, name) ||
		    !(scn = elf_getscn(elf, sym.st_shndx)) || !gelf_getshdr(scn, &sh) ||
		    !(secname = elf_strptr(elf, shstrndx, sh.sh_name)) ||
		    (!(sh.sh_flags & SHF_ALLOC) && strcmp(secname, ".data..percpu")) ||
		    init_section(secname))
			continue;
		count++;
		if (GELF_ST_BIND(sym.st_info) == STB_LOCAL && cur && !strcmp(cur, file)) {
			hit = count;
			hits++;
		}
	}
out:
	if (elf)
		elf_end(elf);
	close(fd);
	return hits == 1 ? hit : 0;
}

int hp_gen_syms_find(struct hp_gen_syms *s, const char *obj, const char *name,
		     const char *file, uint32_t want, uint32_t resolved,
		     uint32_t *sympos, uint32_t *size, struct hp_error *err)
{
	bool vmlinux = !strcmp(obj, "vmlinux");
	struct hp_error lerr = { 0 };
	struct hp_ksym_info info;
	unsigned int count;
	size_t i;
	int ret;

	if (!hp_ksyms_has_object(s->k, obj)) {
		if (vmlinux)
			return hp_error_set(err, -ENOENT, "no symbols for vmlinux: give "
					    "--symbols with the target's /proc/kallsyms "
					    "(read as root) or System.map");
		return hp_error_set(err, -ENOENT, "no symbols for module '%s': give "
				    "--module-object %s=%s.ko (the module as the target "
				    "runs it), or --symbols with a kallsyms dump taken "
				    "while it is loaded", obj, obj, obj);
	}
	count = hp_ksyms_count(s->k, obj, name);
	if (!want && count > 1 && !vmlinux && file && file[0])
		for (i = 0; i < s->nr_mods && !want; i++)
			if (!strcmp(s->mods[i].name, obj))
				want = rank_by_file(s->mods[i].path, name, file);
	/* what the resolve stage found by kallsyms neighbourhood (the diff's
	 * .hotpatch.funcs), when nothing more certain said */
	if (!want && count > 1)
		want = resolved;
	ret = hp_ksyms_lookup(s->k, obj, name, want, &info, &lerr);
	switch (ret) {
	case 0:
		break;
	case -ENOENT:
		return hp_error_set(err, ret, "'%s' not found in %s (%s): is this the "
				    "target's symbol table?", name, obj,
				    vmlinux ? s->symbols : "its module object");
	case -ENOTUNIQ:
		if (vmlinux)
			return hp_error_set(err, ret, "'%s' is not unique in vmlinux and "
					    "%s has no file names to tell which (diff "
					    "the file with the resolve options, which tell "
					    "by kallsyms neighbours): give --sympos "
					    "vmlinux:%s=N", name, s->symbols, name);
		return hp_error_set(err, ret, "'%s' is in module '%s' %u times and the "
				    "source file '%s' does not tell which: give "
				    "--sympos %s:%s=N", name, obj, count,
				    file && file[0] ? file : "?", obj, name);
	case -ERANGE:
		return hp_error_set(err, ret, "'%s' has no position %u in %s (%u found)",
				    name, want, obj, count);
	default:
		return hp_error_set(err, ret, "%s", lerr.msg);
	}
	if (!info.size || info.size > UINT32_MAX)
		return hp_error_set(err, -EINVAL, "the size of '%s' in %s is not known "
				    "from %s (addresses hidden? read /proc/kallsyms as "
				    "root)", name, obj, vmlinux ? s->symbols : "the dump");
	if (!info.size_exact)
		return hp_error_set(err, -EINVAL, "the size of '%s' in module '%s' is "
				    "only an estimate from the kallsyms dump: give "
				    "--module-object %s=%s.ko", name, obj, obj, obj);
	*sympos = info.sympos;
	*size = (uint32_t)info.size;
	return 0;
}
