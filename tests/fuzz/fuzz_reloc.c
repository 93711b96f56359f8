// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for the core's checks of livepatch relocation sections
 * (kernel/reloc_check.c, the same source the core builds). The input is
 * an ELF64 file; it is laid out as the module loader leaves a livepatch
 * module (every section's contents at its sh_addr, aligned; the section
 * name table NUL-terminated; each symbol name inside the string table),
 * and inputs that the loader would refuse for those reasons are skipped.
 * Everything else is arbitrary: section types, flags, links and sizes,
 * relocation types, offsets and symbol indexes, symbol sections and names.
 *
 * The checks must accept or refuse (-ENOEXEC, with a reason), never read
 * out of bounds, and give the same answer twice. When they accept, every
 * relocation of every .klp.rela section must be one the core can apply
 * and undo: a known type, inside the section it writes, a symbol of the
 * section's object, and that section code or data of the patch, never its
 * struct module, manifest, signature, notes or tables.
 * With FUZZ_RELOC_VERDICT set it prints its verdict on each input
 * (fuzz_reloc.sh checks the seeds with it). Run with tests/fuzz/fuzz_reloc.sh
 * (seeds: mkseed_reloc.py and the post-linked test patch modules).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../kernel/reloc_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool fz_targets(const char *obj, void *arg)
{
	(void)arg;
	return !strcmp(obj, "hp_target") || !strcmp(obj, "m");
}

struct fz_elf {
	struct hotpatch_rela_elf e;
	Elf64_Shdr *sechdrs;
	void **copies;
	unsigned int n;
};

static void fz_free(struct fz_elf *f)
{
	unsigned int i;

	for (i = 0; f->copies && i < f->n; i++)
		free(f->copies[i]);
	free(f->copies);
	free(f->sechdrs);
}

/* Lay out @data as the loader would; false for what it refuses. */
static bool fz_load(const uint8_t *data, size_t size, struct fz_elf *f)
{
	const Elf64_Ehdr *eh = (const void *)data;
	Elf64_Ehdr hdr;
	const Elf64_Shdr *ss;
	Elf64_Shdr *s;
	unsigned int i;

	memset(f, 0, sizeof(*f));
	if (size < sizeof(hdr))
		return false;
	memcpy(&hdr, eh, sizeof(hdr));
	if (hdr.e_shentsize != sizeof(Elf64_Shdr) || hdr.e_shnum < 2 ||
	    hdr.e_shoff > size ||
	    (size - hdr.e_shoff) / sizeof(Elf64_Shdr) < hdr.e_shnum ||
	    !hdr.e_shstrndx || hdr.e_shstrndx >= hdr.e_shnum)
		return false;
	f->n = hdr.e_shnum;
	f->sechdrs = calloc(f->n, sizeof(*f->sechdrs));
	f->copies = calloc(f->n, sizeof(*f->copies));
	if (!f->sechdrs || !f->copies)
		return false;
	ss = (const void *)(data + hdr.e_shoff);
	memcpy(f->sechdrs, ss, f->n * sizeof(*f->sechdrs));
	for (i = 1; i < f->n; i++) {
		s = &f->sechdrs[i];
		if (s->sh_type == SHT_NOBITS || !s->sh_size) {
			s->sh_addr = s->sh_type == SHT_NOBITS ? s->sh_addr : 0;
			continue;
		}
		if (s->sh_offset > size || s->sh_size > size - s->sh_offset)
			return false;
		/* own allocation: aligned, and ASan sees its end */
		f->copies[i] = malloc(s->sh_size);
		if (!f->copies[i])
			return false;
		memcpy(f->copies[i], data + s->sh_offset, s->sh_size);
		s->sh_addr = (unsigned long)f->copies[i];
	}
	s = &f->sechdrs[hdr.e_shstrndx];
	if (s->sh_type == SHT_NOBITS || !s->sh_addr ||
	    ((char *)f->copies[hdr.e_shstrndx])[s->sh_size - 1])
		return false;
	f->e.sechdrs = f->sechdrs;
	f->e.shnum = f->n;
	f->e.secstrings = f->copies[hdr.e_shstrndx];
	f->e.secstrings_len = s->sh_size;
	f->e.strtab = "";
	for (i = 1; i < f->n; i++) {
		const Elf64_Shdr *str;
		const Elf64_Sym *sym;
		unsigned int k;

		s = &f->sechdrs[i];
		if (s->sh_type != SHT_SYMTAB)
			continue;
		if (!s->sh_addr || s->sh_size % sizeof(Elf64_Sym) ||
		    s->sh_link == 0 || s->sh_link >= f->n)
			return false;
		str = &f->sechdrs[s->sh_link];
		if (str->sh_type != SHT_STRTAB || !str->sh_addr ||
		    ((char *)f->copies[s->sh_link])[str->sh_size - 1])
			return false;
		sym = (const Elf64_Sym *)(unsigned long)s->sh_addr;
		for (k = 0; k < s->sh_size / sizeof(Elf64_Sym); k++)
			if (sym[k].st_name >= str->sh_size)
				return false;
		f->e.symndx = i;
		f->e.syms = sym;
		f->e.nsyms = s->sh_size / sizeof(Elf64_Sym);
		f->e.strtab = f->copies[s->sh_link];
		break;
	}
	return true;
}

static bool fz_forbidden(const char *name)
{
	return !strcmp(name, ".gnu.linkonce.this_module") ||
	       !strncmp(name, ".hotpatch", 9) || !strncmp(name, ".note", 5) ||
	       !strncmp(name, "__ksymtab", 9) || !strncmp(name, "__param", 7) ||
	       !strncmp(name, "__kcrctab", 9) || !strcmp(name, "__versions") ||
	       !strcmp(name, ".modinfo") ||
	       !strcmp(name, ".data..percpu") || !strncmp(name, ".init", 5) ||
	       !strncmp(name, ".exit", 5);
}

/* An accepted module: every relocation must be one the core can undo. */
static void fz_accepted(const struct hotpatch_rela_elf *e)
{
	char obj[HOTPATCH_RELA_OBJ_LEN], name[HOTPATCH_RELA_SYM_LEN];
	unsigned long sympos;
	unsigned int i;
	u64 k, val;

	for (i = 1; i < e->shnum; i++) {
		const Elf64_Shdr *sec = &e->sechdrs[i], *dst;
		const Elf64_Rela *r;

		if (!(sec->sh_flags & SHF_RELA_LIVEPATCH))
			continue;
		if (sec->sh_name >= e->secstrings_len ||
		    !hotpatch_rela_objname(e->secstrings + sec->sh_name, obj,
					   sizeof(obj)) ||
		    sec->sh_type != SHT_RELA || sec->sh_info >= e->shnum ||
		    sec->sh_link != e->symndx)
			abort();
		dst = &e->sechdrs[sec->sh_info];
		if (!(dst->sh_flags & SHF_ALLOC) || dst->sh_type != SHT_PROGBITS ||
		    dst->sh_name >= e->secstrings_len ||
		    fz_forbidden(e->secstrings + dst->sh_name))
			abort();
		if (strcmp(obj, "vmlinux") && !fz_targets(obj, NULL))
			abort();
		r = (const Elf64_Rela *)(unsigned long)sec->sh_addr;
		for (k = 0; k < sec->sh_size / sizeof(*r); k++) {
			unsigned int type = ELF64_R_TYPE(r[k].r_info);
			unsigned int w = hotpatch_reloc_width(type);
			const Elf64_Sym *sym;

			if (!w || r[k].r_offset + w > dst->sh_size ||
			    r[k].r_offset + w < r[k].r_offset ||
			    !hotpatch_reloc_value(type, 0, r[k].r_addend, 0, &val) ||
			    !ELF64_R_SYM(r[k].r_info) ||
			    ELF64_R_SYM(r[k].r_info) >= e->nsyms)
				abort();
			sym = &e->syms[ELF64_R_SYM(r[k].r_info)];
			if (sym->st_shndx != SHN_LIVEPATCH ||
			    hotpatch_rela_parse_sym(e->strtab + sym->st_name, obj,
						    name, sizeof(name), &sympos))
				abort();
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char why[256], why2[256];
	unsigned int nsec, nsec2;
	struct fz_elf f;
	int ret, ret2;

	if (!fz_load(data, size, &f))
		goto out;
	why[0] = '\0';
	ret = hotpatch_rela_check_module(&f.e, fz_targets, NULL, &nsec, why,
					 sizeof(why));
	if (ret != 0 && ret != -ENOEXEC)
		abort();
	if (ret && (!why[0] || !memchr(why, '\0', sizeof(why))))
		abort();
	/* deterministic */
	why2[0] = '\0';
	ret2 = hotpatch_rela_check_module(&f.e, fz_targets, NULL, &nsec2, why2,
					  sizeof(why2));
	if (ret2 != ret || (ret && strcmp(why, why2)) || (!ret && nsec != nsec2))
		abort();
	if (!ret)
		fz_accepted(&f.e);
	if (getenv("FUZZ_RELOC_VERDICT"))
		fprintf(stderr, "verdict: %s%s\n", ret ? "refused: " : "accepted",
			ret ? why : "");
out:
	fz_free(&f);
	return 0;
}
