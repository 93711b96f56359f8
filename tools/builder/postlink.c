// SPDX-License-Identifier: GPL-2.0
/*
 * post-link: turn the deferred relocations of a linked patch module into
 * livepatch relocations (Documentation/livepatch/module-elf-format.rst).
 *
 * The resolve stage recorded every reference the module loader cannot
 * resolve in two non-allocated sections (format:
 * docs/builder.md, "Records" and "post-link"):
 *
 *   .hotpatch.klp_relocs	32-byte records; the place each record fixes is
 *				carried by an R_X86_64_64 relocation of the
 *				record's first field, so that it survives the
 *				final link (ld -r, modpost)
 *   .hotpatch.klp_strs		NUL-terminated object and symbol names
 *
 * This pass reads them from the .ko kbuild linked and writes:
 *
 *   .klp.rela.<obj>.<section>	one SHT_RELA section per object and target
 *				section, SHF_ALLOC | SHF_RELA_LIVEPATCH
 *   .klp.sym.<obj>.<name>,<pos> one global symbol per distinct reference,
 *				st_shndx SHN_LIVEPATCH
 *
 * and drops the record sections. Everything else is copied as it is, with
 * section and symbol indices renumbered. The input is read with bounds
 * checks on every index and offset: a malformed module gets -EINVAL /
 * -ENOEXEC with a message, never a crash.
 */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hpbuild.h"
#include "internal.h"

#ifndef SHF_RELA_LIVEPATCH
#define SHF_RELA_LIVEPATCH	0x00100000
#endif
#ifndef SHN_LIVEPATCH
#define SHN_LIVEPATCH		0xff20
#endif

#define RELOCS_SEC	".hotpatch.klp_relocs"
#define STRS_SEC	".hotpatch.klp_strs"
#define RECORD_SIZE	32
/* The kernel parses ".klp.sym.%55[^.].%511[^,],%lu" (livepatch/core.c). */
#define MAX_OBJNAME	55
#define MAX_SYMNAME	511

struct klp_record {
	size_t index;			/* in .hotpatch.klp_relocs */
	unsigned int sec;		/* input index of the section to fix */
	uint64_t offset;		/* in that section */
	int64_t addend;
	uint32_t type;
	uint32_t sympos;
	const char *objname;
	const char *symname;
	size_t sym;			/* index in struct pl.klpsyms */
	size_t group;			/* index in struct pl.groups */
};

struct klp_sym {
	const char *objname, *symname;
	uint32_t sympos;
	char *name;
};

struct klp_group {
	const char *objname;
	unsigned int sec;		/* input index of the target section */
	size_t nr;			/* relocations in it */
	char *name;
};

struct pl {
	const unsigned char *buf;
	size_t len;
	const Elf64_Ehdr *eh;
	const Elf64_Shdr *sh;
	unsigned int shnum;
	const char *shstr;
	size_t shstr_len;
	unsigned int symtab, strtab;
	const Elf64_Sym *syms;
	size_t nr_syms, first_global;
	const char *str;
	size_t str_len;
	unsigned int relocs, strs;	/* input indices; 0: absent */
	bool *drop;			/* sections not written */

	struct klp_record *recs;
	size_t nr_recs;
	struct klp_sym *klpsyms;
	size_t nr_klpsyms, alloc_klpsyms;
	struct klp_group *groups;
	size_t nr_groups, alloc_groups;

	struct hp_error *err;
};

static int bad(struct pl *p, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int bad(struct pl *p, const char *fmt, ...)
{
	char msg[sizeof(p->err->msg)];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return hp_error_set(p->err, -EINVAL, "%s", msg);
}

static bool in_file(const struct pl *p, uint64_t off, uint64_t size)
{
	return off <= p->len && size <= p->len - off;
}

static const char *sec_name(const struct pl *p, unsigned int i)
{
	uint32_t n = p->sh[i].sh_name;

	if (n >= p->shstr_len || !memchr(p->shstr + n, '\0', p->shstr_len - n))
		return NULL;
	return p->shstr + n;
}

/* A section's bytes, or NULL if it has none in the file. */
static const unsigned char *sec_data(const struct pl *p, unsigned int i)
{
	if (!i || p->sh[i].sh_type == SHT_NOBITS || !p->sh[i].sh_size)
		return NULL;
	return p->buf + p->sh[i].sh_offset;
}

static const char *sym_name(const struct pl *p, size_t i)
{
	uint32_t n = p->syms[i].st_name;

	if (n >= p->str_len || !memchr(p->str + n, '\0', p->str_len - n))
		return NULL;
	return p->str + n;
}

static int read_headers(struct pl *p)
{
	unsigned int i, nr_symtab = 0;
	const char *name;

	if (p->len < sizeof(Elf64_Ehdr) || memcmp(p->buf, ELFMAG, SELFMAG))
		return bad(p, "not an ELF file");
	p->eh = (const Elf64_Ehdr *)p->buf;
	if (p->eh->e_ident[EI_CLASS] != ELFCLASS64 ||
	    p->eh->e_ident[EI_DATA] != ELFDATA2LSB ||
	    p->eh->e_type != ET_REL || p->eh->e_machine != EM_X86_64)
		return hp_error_set(p->err, -ENOEXEC,
				    "not an x86-64 relocatable object (a kernel module .ko)");
	if (p->eh->e_shentsize != sizeof(Elf64_Shdr))
		return bad(p, "section header size %u, expected %zu",
			   p->eh->e_shentsize, sizeof(Elf64_Shdr));
	p->shnum = p->eh->e_shnum;
	if (!p->shnum || p->shnum >= SHN_LORESERVE)
		return hp_error_set(p->err, -ENOTSUP,
				    "%u sections: extended section numbering is not supported",
				    p->shnum);
	if (p->eh->e_shoff % 8 ||
	    !in_file(p, p->eh->e_shoff, (uint64_t)p->shnum * sizeof(Elf64_Shdr)))
		return bad(p, "section headers outside the file");
	p->sh = (const Elf64_Shdr *)(p->buf + p->eh->e_shoff);
	if (!p->eh->e_shstrndx || p->eh->e_shstrndx >= p->shnum ||
	    p->sh[p->eh->e_shstrndx].sh_type != SHT_STRTAB)
		return bad(p, "no section name table");

	for (i = 1; i < p->shnum; i++) {
		const Elf64_Shdr *s = &p->sh[i];

		if (s->sh_type != SHT_NOBITS && !in_file(p, s->sh_offset, s->sh_size))
			return bad(p, "section %u lies outside the file", i);
		if (s->sh_addralign > 4096 ||
		    (s->sh_addralign & (s->sh_addralign - 1)))
			return bad(p, "section %u has alignment %llu", i,
				   (unsigned long long)s->sh_addralign);
		if (s->sh_type == SHT_SYMTAB_SHNDX)
			return hp_error_set(p->err, -ENOTSUP,
					    "extended symbol section indices are not supported");
		if (s->sh_type == SHT_SYMTAB) {
			nr_symtab++;
			p->symtab = i;
		}
	}
	p->shstr = (const char *)p->buf + p->sh[p->eh->e_shstrndx].sh_offset;
	p->shstr_len = p->sh[p->eh->e_shstrndx].sh_size;
	for (i = 1; i < p->shnum; i++) {
		name = sec_name(p, i);
		if (!name)
			return bad(p, "section %u has a bad name offset", i);
		if (!strcmp(name, RELOCS_SEC)) {
			if (p->relocs)
				return bad(p, "two %s sections", RELOCS_SEC);
			p->relocs = i;
		} else if (!strcmp(name, STRS_SEC)) {
			if (p->strs)
				return bad(p, "two %s sections", STRS_SEC);
			p->strs = i;
		}
	}
	if (nr_symtab != 1)
		return bad(p, "%u symbol tables, expected one", nr_symtab);
	return 0;
}

static int read_symtab(struct pl *p)
{
	const Elf64_Shdr *s = &p->sh[p->symtab];
	size_t i;

	if (s->sh_entsize != sizeof(Elf64_Sym) || s->sh_size % sizeof(Elf64_Sym) ||
	    s->sh_size < sizeof(Elf64_Sym) || s->sh_offset % 8)
		return bad(p, "malformed symbol table");
	p->syms = (const Elf64_Sym *)(p->buf + s->sh_offset);
	p->nr_syms = s->sh_size / sizeof(Elf64_Sym);
	p->first_global = s->sh_info;
	if (!p->first_global || p->first_global > p->nr_syms)
		return bad(p, "symbol table: first global symbol %zu of %zu",
			   p->first_global, p->nr_syms);
	p->strtab = s->sh_link;
	if (!p->strtab || p->strtab >= p->shnum ||
	    p->sh[p->strtab].sh_type != SHT_STRTAB || !p->sh[p->strtab].sh_size)
		return bad(p, "symbol table without a string table");
	p->str = (const char *)p->buf + p->sh[p->strtab].sh_offset;
	p->str_len = p->sh[p->strtab].sh_size;
	for (i = 1; i < p->nr_syms; i++) {
		const Elf64_Sym *sym = &p->syms[i];

		if (!sym_name(p, i))
			return bad(p, "symbol %zu has a bad name offset", i);
		if (sym->st_shndx >= p->shnum && sym->st_shndx < SHN_LORESERVE)
			return bad(p, "symbol '%s' has section index %u of %u",
				   sym_name(p, i), sym->st_shndx, p->shnum);
		if (sym->st_shndx == SHN_LIVEPATCH ||
		    hp_str_starts(sym_name(p, i), ".klp.sym."))
			return hp_error_set(p->err, -EEXIST,
					    "symbol '%s': the module already has livepatch symbols (post-linked twice?)",
					    sym_name(p, i));
	}
	return 0;
}

static bool has_livepatch_modinfo(const struct pl *p)
{
	unsigned int i;

	for (i = 1; i < p->shnum; i++) {
		const char *d = (const char *)sec_data(p, i);
		size_t n = p->sh[i].sh_size, at = 0;

		if (!d || strcmp(sec_name(p, i), ".modinfo"))
			continue;
		while (at < n) {
			const char *e = memchr(d + at, '\0', n - at);
			size_t len = e ? (size_t)(e - (d + at)) : n - at;

			if (len == strlen("livepatch=Y") &&
			    !memcmp(d + at, "livepatch=Y", len))
				return true;
			at += len + 1;
		}
	}
	return false;
}

static int width_of(uint32_t type)
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

static const char *record_string(struct pl *p, uint32_t off, const char *what,
				 size_t i)
{
	const char *d = (const char *)sec_data(p, p->strs);
	size_t n = p->strs ? p->sh[p->strs].sh_size : 0;

	if (!d || off >= n) {
		bad(p, "record %zu: %s at offset %u is outside %s (%zu bytes)",
		    i, what, off, STRS_SEC, n);
		return NULL;
	}
	if (!memchr(d + off, '\0', n - off)) {
		bad(p, "record %zu: %s at offset %u of %s is not NUL-terminated",
		    i, what, off, STRS_SEC);
		return NULL;
	}
	if (!d[off]) {
		bad(p, "record %zu: empty %s", i, what);
		return NULL;
	}
	return d + off;
}

/* Check the names fit the kernel's ".klp.sym.%55[^.].%511[^,],%lu". */
static int check_names(struct pl *p, const struct klp_record *r)
{
	if (strlen(r->objname) > MAX_OBJNAME || strpbrk(r->objname, ".,/"))
		return bad(p, "record %zu: object name '%s' is not a module name (at most %d characters, no '.' or ',')",
			   r->index, r->objname, MAX_OBJNAME);
	if (strlen(r->symname) > MAX_SYMNAME || strchr(r->symname, ','))
		return bad(p, "record %zu: symbol name '%.64s' cannot be a livepatch symbol (at most %d characters, no ',')",
			   r->index, r->symname, MAX_SYMNAME);
	return 0;
}

/*
 * The place of each record: the R_X86_64_64 relocation of its first field,
 * from every relocation section that applies to .hotpatch.klp_relocs.
 */
static int read_places(struct pl *p)
{
	unsigned int i;
	size_t j;

	for (i = 1; i < p->shnum; i++) {
		const Elf64_Shdr *s = &p->sh[i];
		const Elf64_Rela *ra;

		if ((s->sh_type != SHT_RELA && s->sh_type != SHT_REL) ||
		    s->sh_info != p->relocs)
			continue;
		p->drop[i] = true;
		if (s->sh_type == SHT_REL)
			return bad(p, "%s has REL relocations; x86-64 uses RELA",
				   RELOCS_SEC);
		if (s->sh_link != p->symtab || s->sh_entsize != sizeof(*ra) ||
		    s->sh_size % sizeof(*ra) || s->sh_offset % 8)
			return bad(p, "malformed relocation section '%s'",
				   sec_name(p, i));
		ra = (const Elf64_Rela *)(p->buf + s->sh_offset);
		for (j = 0; j < s->sh_size / sizeof(*ra); j++) {
			uint64_t symi = ELF64_R_SYM(ra[j].r_info);
			struct klp_record *r;
			const Elf64_Sym *sym;
			const char *name;

			if (ra[j].r_offset % RECORD_SIZE ||
			    ra[j].r_offset / RECORD_SIZE >= p->nr_recs)
				return bad(p, "a relocation of %s at offset %llu is not the place field of a record",
					   RELOCS_SEC,
					   (unsigned long long)ra[j].r_offset);
			r = &p->recs[ra[j].r_offset / RECORD_SIZE];
			if (ELF64_R_TYPE(ra[j].r_info) != R_X86_64_64)
				return bad(p, "record %zu: its place relocation has type %llu, expected R_X86_64_64",
					   r->index,
					   (unsigned long long)ELF64_R_TYPE(ra[j].r_info));
			if (r->sec)
				return bad(p, "record %zu: two place relocations",
					   r->index);
			if (!symi || symi >= p->nr_syms)
				return bad(p, "record %zu: place names symbol %llu of %zu",
					   r->index, (unsigned long long)symi,
					   p->nr_syms);
			sym = &p->syms[symi];
			name = sym_name(p, symi);
			if (!sym->st_shndx || sym->st_shndx >= p->shnum)
				return bad(p, "record %zu: its place is relative to '%s', which is not defined in a section",
					   r->index, name);
			if ((int64_t)sym->st_value < 0 || ra[j].r_addend < 0 ||
			    sym->st_value + (uint64_t)ra[j].r_addend < sym->st_value)
				return bad(p, "record %zu: bad place offset", r->index);
			r->sec = sym->st_shndx;
			r->offset = sym->st_value + (uint64_t)ra[j].r_addend;
		}
	}
	return 0;
}

/* The bytes a record fixes lie in an allocated section and are zero. */
static int check_place(struct pl *p, const struct klp_record *r)
{
	const Elf64_Shdr *s;
	const unsigned char *d;
	int w = width_of(r->type);
	const char *name;
	int k;

	if (!r->sec)
		return bad(p, "record %zu (%s '%s'): no relocation gives its place",
			   r->index, r->objname, r->symname);
	s = &p->sh[r->sec];
	name = sec_name(p, r->sec);
	if (p->drop[r->sec] || r->sec == p->relocs || r->sec == p->strs)
		return bad(p, "record %zu: its place is in '%s', which post-link removes",
			   r->index, name);
	if (!(s->sh_flags & SHF_ALLOC) || s->sh_type == SHT_NOBITS ||
	    (s->sh_type != SHT_PROGBITS && s->sh_type != SHT_INIT_ARRAY &&
	     s->sh_type != SHT_FINI_ARRAY))
		return bad(p, "record %zu: its place is in '%s', which is not loaded code or data",
			   r->index, name);
	if (r->offset > s->sh_size || (uint64_t)w > s->sh_size - r->offset)
		return bad(p, "record %zu: place %s+0x%llx (%d bytes) is outside the section (%llu bytes)",
			   r->index, name, (unsigned long long)r->offset, w,
			   (unsigned long long)s->sh_size);
	d = sec_data(p, r->sec) + r->offset;
	for (k = 0; k < w; k++)
		if (d[k])
			return bad(p, "record %zu: the %d bytes at %s+0x%llx are not zero (the kernel refuses to relocate them)",
				   r->index, w, name,
				   (unsigned long long)r->offset);
	return 0;
}

/* No ordinary relocation may write the bytes of a record's place. */
static int check_no_rela_at(struct pl *p)
{
	unsigned int i;
	size_t j, k;

	for (i = 1; i < p->shnum; i++) {
		const Elf64_Shdr *s = &p->sh[i];
		const Elf64_Rela *ra;

		if (s->sh_type != SHT_RELA || p->drop[i] || !s->sh_info ||
		    s->sh_info >= p->shnum)
			continue;
		if (s->sh_entsize != sizeof(*ra) || s->sh_size % sizeof(*ra) ||
		    s->sh_offset % 8)
			return bad(p, "malformed relocation section '%s'",
				   sec_name(p, i));
		ra = (const Elf64_Rela *)(p->buf + s->sh_offset);
		for (k = 0; k < p->nr_recs; k++) {
			const struct klp_record *r = &p->recs[k];
			uint64_t end = r->offset + width_of(r->type);

			if (r->sec != s->sh_info)
				continue;
			for (j = 0; j < s->sh_size / sizeof(*ra); j++)
				if (ra[j].r_offset + 4 > r->offset &&
				    ra[j].r_offset < end)
					return bad(p, "record %zu: %s+0x%llx is also relocated by '%s'",
						   r->index, sec_name(p, r->sec),
						   (unsigned long long)r->offset,
						   sec_name(p, i));
		}
	}
	return 0;
}

static int cmp_place(const void *a, const void *b)
{
	const struct klp_record *x = *(struct klp_record * const *)a;
	const struct klp_record *y = *(struct klp_record * const *)b;

	if (x->sec != y->sec)
		return x->sec < y->sec ? -1 : 1;
	if (x->offset != y->offset)
		return x->offset < y->offset ? -1 : 1;
	return 0;
}

static int check_duplicates(struct pl *p)
{
	struct klp_record **v;
	size_t i;
	int ret = 0;

	if (p->nr_recs < 2)
		return 0;
	v = calloc(p->nr_recs, sizeof(*v));
	if (!v)
		return hp_error_set(p->err, -ENOMEM, "out of memory");
	for (i = 0; i < p->nr_recs; i++)
		v[i] = &p->recs[i];
	qsort(v, p->nr_recs, sizeof(*v), cmp_place);
	for (i = 1; i < p->nr_recs && !ret; i++) {
		if (v[i]->sec != v[i - 1]->sec ||
		    v[i - 1]->offset + width_of(v[i - 1]->type) <= v[i]->offset)
			continue;
		ret = bad(p, "records %zu and %zu both fix %s+0x%llx (duplicate or overlapping records)",
			  v[i - 1]->index, v[i]->index,
			  sec_name(p, v[i]->sec),
			  (unsigned long long)v[i]->offset);
	}
	free(v);
	return ret;
}

static int read_records(struct pl *p)
{
	const Elf64_Shdr *s = &p->sh[p->relocs];
	const unsigned char *d = sec_data(p, p->relocs);
	size_t i;
	int ret;

	if (s->sh_type != SHT_PROGBITS || (s->sh_flags & SHF_ALLOC))
		return bad(p, "%s must be a non-allocated PROGBITS section",
			   RELOCS_SEC);
	if (s->sh_size % RECORD_SIZE)
		return bad(p, "%s is %llu bytes, not a multiple of %d",
			   RELOCS_SEC, (unsigned long long)s->sh_size,
			   RECORD_SIZE);
	if (p->strs && (p->sh[p->strs].sh_type != SHT_PROGBITS ||
			(p->sh[p->strs].sh_flags & SHF_ALLOC)))
		return bad(p, "%s must be a non-allocated PROGBITS section",
			   STRS_SEC);
	p->nr_recs = s->sh_size / RECORD_SIZE;
	if (!p->nr_recs)
		return 0;
	p->recs = calloc(p->nr_recs, sizeof(*p->recs));
	if (!p->recs)
		return hp_error_set(p->err, -ENOMEM, "out of memory");
	for (i = 0; i < p->nr_recs; i++) {
		const unsigned char *e = d + i * RECORD_SIZE;
		struct klp_record *r = &p->recs[i];
		uint32_t objname, symname;
		uint64_t place;

		memcpy(&place, e, 8);
		memcpy(&r->addend, e + 8, 8);
		memcpy(&r->type, e + 16, 4);
		memcpy(&r->sympos, e + 20, 4);
		memcpy(&objname, e + 24, 4);
		memcpy(&symname, e + 28, 4);
		r->index = i;
		if (place)
			return bad(p, "record %zu: its place field is %#llx, expected 0 (the place is in a relocation)",
				   i, (unsigned long long)place);
		if (!width_of(r->type))
			return bad(p, "record %zu: relocation type %u is not supported (PC32, PLT32, 32, 32S, 64, PC64)",
				   i, r->type);
		r->objname = record_string(p, objname, "object name", i);
		if (!r->objname)
			return p->err ? p->err->code : -EINVAL;
		r->symname = record_string(p, symname, "symbol name", i);
		if (!r->symname)
			return p->err ? p->err->code : -EINVAL;
		ret = check_names(p, r);
		if (ret)
			return ret;
	}
	ret = read_places(p);
	for (i = 0; !ret && i < p->nr_recs; i++)
		ret = check_place(p, &p->recs[i]);
	if (!ret)
		ret = check_duplicates(p);
	if (!ret)
		ret = check_no_rela_at(p);
	return ret;
}

/* One .klp.sym per (object, name, sympos); one .klp.rela per (object, section). */
static int group_records(struct pl *p)
{
	size_t i, j;

	for (i = 0; i < p->nr_recs; i++) {
		struct klp_record *r = &p->recs[i];
		struct klp_sym *ks;
		struct klp_group *g;

		for (j = 0; j < p->nr_klpsyms; j++) {
			ks = &p->klpsyms[j];
			if (ks->sympos == r->sympos &&
			    !strcmp(ks->objname, r->objname) &&
			    !strcmp(ks->symname, r->symname))
				break;
		}
		if (j == p->nr_klpsyms) {
			ks = hp_array_push((void **)&p->klpsyms, &p->nr_klpsyms,
					   &p->alloc_klpsyms, sizeof(*ks));
			if (!ks)
				return hp_error_set(p->err, -ENOMEM, "out of memory");
			ks->objname = r->objname;
			ks->symname = r->symname;
			ks->sympos = r->sympos;
			ks->name = hp_asprintf(".klp.sym.%s.%s,%u", r->objname,
					       r->symname, r->sympos);
			if (!ks->name)
				return hp_error_set(p->err, -ENOMEM, "out of memory");
		}
		r->sym = j;

		for (j = 0; j < p->nr_groups; j++) {
			g = &p->groups[j];
			if (g->sec == r->sec && !strcmp(g->objname, r->objname))
				break;
		}
		if (j == p->nr_groups) {
			g = hp_array_push((void **)&p->groups, &p->nr_groups,
					  &p->alloc_groups, sizeof(*g));
			if (!g)
				return hp_error_set(p->err, -ENOMEM, "out of memory");
			g->objname = r->objname;
			g->sec = r->sec;
			g->name = hp_asprintf(".klp.rela.%s.%s", r->objname,
					      sec_name(p, r->sec));
			if (!g->name)
				return hp_error_set(p->err, -ENOMEM, "out of memory");
		}
		p->groups[j].nr++;
		r->group = j;
	}
	return 0;
}

struct outbuf {
	unsigned char *buf;
	size_t len, cap;
};

static int out_grow(struct outbuf *o, size_t want)
{
	unsigned char *n;
	size_t cap = o->cap ? o->cap : 65536;

	if (want <= o->cap)
		return 0;
	while (cap < want)
		cap *= 2;
	n = realloc(o->buf, cap);
	if (!n)
		return -ENOMEM;
	memset(n + o->cap, 0, cap - o->cap);
	o->buf = n;
	o->cap = cap;
	return 0;
}

/* Append @len bytes at the next multiple of @align; returns their offset. */
static int out_put(struct outbuf *o, const void *d, size_t len, size_t align,
		   size_t *at)
{
	size_t off = o->len;

	if (align > 1)
		off = (off + align - 1) / align * align;
	if (out_grow(o, off + len))
		return -ENOMEM;
	memset(o->buf + o->len, 0, off - o->len);
	if (len)
		memcpy(o->buf + off, d, len);
	o->len = off + len;
	*at = off;
	return 0;
}

struct strbuf {
	char *buf;
	size_t len, cap;
};

static int str_append(struct strbuf *t, const char *s, size_t *at)
{
	size_t n = strlen(s) + 1;

	if (t->len + n > t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 4096;
		char *nb;

		while (cap < t->len + n)
			cap *= 2;
		nb = realloc(t->buf, cap);
		if (!nb)
			return -ENOMEM;
		t->buf = nb;
		t->cap = cap;
	}
	memcpy(t->buf + t->len, s, n);
	*at = t->len;
	t->len += n;
	return 0;
}

/*
 * Write the output: the kept sections in their order, then the new
 * .klp.rela sections; symbols of dropped sections go, the .klp.sym symbols
 * are appended as globals; every index is renumbered.
 */
static int write_out(struct pl *p, struct outbuf *o)
{
	unsigned int i, nout = 0, newshstr = 0, gbase;
	long *secmap = NULL, *symmap = NULL;
	Elf64_Shdr *osh = NULL;
	Elf64_Sym *osyms = NULL;
	Elf64_Rela **grelas = NULL;
	size_t *gfill = NULL;
	struct strbuf shstr = { 0 }, str = { 0 };
	size_t nosyms = 0, first_global = 0, j, at, klpsym0;
	Elf64_Ehdr eh;
	int ret = -ENOMEM;

	secmap = calloc(p->shnum, sizeof(*secmap));
	symmap = calloc(p->nr_syms, sizeof(*symmap));
	osh = calloc(p->shnum + p->nr_groups, sizeof(*osh));
	osyms = calloc(p->nr_syms + p->nr_klpsyms, sizeof(*osyms));
	grelas = calloc(p->nr_groups ? p->nr_groups : 1, sizeof(*grelas));
	gfill = calloc(p->nr_groups ? p->nr_groups : 1, sizeof(*gfill));
	if (!secmap || !symmap || !osh || !osyms || !grelas || !gfill)
		goto out;

	/* section numbers */
	for (i = 1; i < p->shnum; i++)
		if (!p->drop[i])
			secmap[i] = ++nout;
	for (i = 1; i < p->shnum; i++) {
		const Elf64_Shdr *s = &p->sh[i];

		if (p->drop[i])
			continue;
		if (s->sh_link && (s->sh_link >= p->shnum || p->drop[s->sh_link])) {
			ret = bad(p, "section '%s' links to a section post-link removes or that does not exist",
				  sec_name(p, i));
			goto out;
		}
		if (s->sh_type == SHT_REL ||
		    (s->sh_type == SHT_RELA && s->sh_link != p->symtab)) {
			ret = bad(p, "relocation section '%s' is not RELA against the symbol table",
				  sec_name(p, i));
			goto out;
		}
		if (s->sh_type == SHT_RELA &&
		    (s->sh_info >= p->shnum || p->drop[s->sh_info])) {
			ret = bad(p, "relocation section '%s' applies to a section post-link removes or that does not exist",
				  sec_name(p, i));
			goto out;
		}
	}

	/* symbols: the null one, locals, globals, then the .klp.sym ones */
	ret = -ENOMEM;
	if (str_append(&str, "", &at))
		goto out;
	nosyms = 1;
	for (j = 1; j < p->nr_syms; j++) {
		const Elf64_Sym *s = &p->syms[j];
		Elf64_Sym *d;

		if (j == p->first_global)
			first_global = nosyms;
		if (s->st_shndx && s->st_shndx < SHN_LORESERVE &&
		    p->drop[s->st_shndx]) {
			symmap[j] = -1;
			continue;
		}
		d = &osyms[nosyms];
		*d = *s;
		if (s->st_shndx && s->st_shndx < SHN_LORESERVE)
			d->st_shndx = secmap[s->st_shndx];
		d->st_name = 0;
		if (s->st_name) {
			if (str_append(&str, sym_name(p, j), &at))
				goto out;
			d->st_name = at;
		}
		symmap[j] = nosyms++;
	}
	if (!first_global)
		first_global = nosyms;
	klpsym0 = nosyms;
	for (j = 0; j < p->nr_klpsyms; j++) {
		Elf64_Sym *d = &osyms[nosyms++];

		if (str_append(&str, p->klpsyms[j].name, &at))
			goto out;
		d->st_name = at;
		d->st_info = ELF64_ST_INFO(STB_GLOBAL, STT_NOTYPE);
		d->st_other = STV_DEFAULT;
		d->st_shndx = SHN_LIVEPATCH;
	}

	/* the new relocation sections' entries */
	for (j = 0; j < p->nr_groups; j++) {
		grelas[j] = calloc(p->groups[j].nr, sizeof(Elf64_Rela));
		if (!grelas[j])
			goto out;
	}
	for (j = 0; j < p->nr_recs; j++) {
		const struct klp_record *r = &p->recs[j];
		Elf64_Rela *ra = &grelas[r->group][gfill[r->group]++];

		ra->r_offset = r->offset;
		ra->r_info = ELF64_R_INFO(klpsym0 + r->sym, r->type);
		ra->r_addend = r->addend;
	}

	/* data */
	o->len = sizeof(Elf64_Ehdr);
	if (out_grow(o, o->len))
		goto out;
	for (i = 1; i < p->shnum; i++) {
		const Elf64_Shdr *s = &p->sh[i];
		Elf64_Shdr *d;
		const void *data = sec_data(p, i);
		size_t size = s->sh_type == SHT_NOBITS ? 0 : s->sh_size;
		void *copy = NULL;

		if (p->drop[i])
			continue;
		d = &osh[secmap[i]];
		*d = *s;
		if (s->sh_link)
			d->sh_link = secmap[s->sh_link];
		if ((s->sh_flags & SHF_INFO_LINK) || s->sh_type == SHT_RELA ||
		    s->sh_type == SHT_REL) {
			if (s->sh_info && s->sh_info < p->shnum)
				d->sh_info = secmap[s->sh_info];
		} else if (s->sh_type == SHT_GROUP) {
			if (s->sh_info >= p->nr_syms || symmap[s->sh_info] < 0) {
				ret = bad(p, "group '%s' has a bad signature symbol",
					  sec_name(p, i));
				goto out;
			}
			d->sh_info = symmap[s->sh_info];
		}
		if (i == p->symtab) {
			data = osyms;
			size = nosyms * sizeof(Elf64_Sym);
			d->sh_info = first_global;
		} else if (i == p->strtab) {
			data = str.buf;
			size = str.len;
		} else if (s->sh_type == SHT_RELA && s->sh_link == p->symtab) {
			Elf64_Rela *ra;
			size_t k;

			if (s->sh_entsize != sizeof(*ra) || s->sh_size % sizeof(*ra)) {
				ret = bad(p, "malformed relocation section '%s'",
					  sec_name(p, i));
				goto out;
			}
			copy = malloc(size ? size : 1);
			if (!copy)
				goto out;
			if (size)
				memcpy(copy, data, size);
			ra = copy;
			for (k = 0; k < size / sizeof(*ra); k++) {
				uint64_t si = ELF64_R_SYM(ra[k].r_info);

				if (si >= p->nr_syms || symmap[si] < 0) {
					ret = bad(p, "relocation %zu of '%s' names %s symbol %llu",
						  k, sec_name(p, i),
						  si >= p->nr_syms ? "a missing" : "a removed",
						  (unsigned long long)si);
					free(copy);
					goto out;
				}
				ra[k].r_info = ELF64_R_INFO(symmap[si],
							    ELF64_R_TYPE(ra[k].r_info));
			}
			data = copy;
		} else if (s->sh_type == SHT_GROUP && size >= 4 && size % 4 == 0) {
			uint32_t *g;
			size_t k;

			copy = malloc(size);
			if (!copy)
				goto out;
			memcpy(copy, data, size);
			g = copy;
			for (k = 1; k < size / 4; k++) {
				if (g[k] >= p->shnum || p->drop[g[k]]) {
					ret = bad(p, "group '%s' holds a removed or missing section",
						  sec_name(p, i));
					free(copy);
					goto out;
				}
				g[k] = secmap[g[k]];
			}
			data = copy;
		}
		if (i == p->eh->e_shstrndx)
			newshstr = secmap[i];
		ret = out_put(o, data, data ? size : 0,
			      s->sh_addralign ? s->sh_addralign : 1, &at);
		free(copy);
		if (ret)
			goto out;
		ret = -ENOMEM;
		d->sh_offset = at;
		d->sh_size = s->sh_type == SHT_NOBITS ? s->sh_size : size;
	}
	gbase = nout + 1;
	for (j = 0; j < p->nr_groups; j++) {
		Elf64_Shdr *d = &osh[++nout];

		if (out_put(o, grelas[j], p->groups[j].nr * sizeof(Elf64_Rela),
			    8, &at))
			goto out;
		d->sh_type = SHT_RELA;
		d->sh_flags = SHF_ALLOC | SHF_RELA_LIVEPATCH;
		d->sh_offset = at;
		d->sh_size = p->groups[j].nr * sizeof(Elf64_Rela);
		d->sh_link = secmap[p->symtab];
		d->sh_info = secmap[p->groups[j].sec];
		d->sh_addralign = 8;
		d->sh_entsize = sizeof(Elf64_Rela);
	}

	/* section names: the section name table is rewritten last */
	if (str_append(&shstr, "", &at))
		goto out;
	for (i = 1; i < p->shnum; i++) {
		if (p->drop[i])
			continue;
		if (str_append(&shstr, sec_name(p, i), &at))
			goto out;
		osh[secmap[i]].sh_name = at;
	}
	for (j = 0; j < p->nr_groups; j++) {
		if (str_append(&shstr, p->groups[j].name, &at))
			goto out;
		osh[gbase + j].sh_name = at;
	}
	if (out_put(o, shstr.buf, shstr.len, 1, &at))
		goto out;
	osh[newshstr].sh_offset = at;
	osh[newshstr].sh_size = shstr.len;

	if (out_put(o, osh, (nout + 1) * sizeof(Elf64_Shdr), 8, &at))
		goto out;
	memcpy(&eh, p->eh, sizeof(eh));
	eh.e_shoff = at;
	eh.e_shnum = nout + 1;
	eh.e_shstrndx = newshstr;
	memcpy(o->buf, &eh, sizeof(eh));
	ret = 0;
out:
	if (ret == -ENOMEM)
		hp_error_set(p->err, ret, "out of memory");
	for (j = 0; grelas && j < p->nr_groups; j++)
		free(grelas[j]);
	free(grelas);
	free(gfill);
	free(secmap);
	free(symmap);
	free(osh);
	free(osyms);
	free(shstr.buf);
	free(str.buf);
	return ret;
}

static void pl_free(struct pl *p)
{
	size_t i;

	for (i = 0; i < p->nr_klpsyms; i++)
		free(p->klpsyms[i].name);
	for (i = 0; i < p->nr_groups; i++)
		free(p->groups[i].name);
	free(p->klpsyms);
	free(p->groups);
	free(p->recs);
	free(p->drop);
}

int hp_postlink_mem(const void *buf, size_t len, void **out, size_t *out_len,
		    struct hp_postlink_stats *st, struct hp_error *err)
{
	struct hp_postlink_stats dummy;
	struct outbuf o = { 0 };
	struct pl p = {
		.buf = buf,
		.len = len,
		.err = err,
	};
	int ret;

	if (!st)
		st = &dummy;
	memset(st, 0, sizeof(*st));
	*out = NULL;
	*out_len = 0;
	ret = read_headers(&p);
	if (ret)
		goto out;
	if (!p.relocs) {
		/* nothing deferred: a byte-identical copy */
		*out = malloc(len ? len : 1);
		if (!*out) {
			ret = hp_error_set(err, -ENOMEM, "out of memory");
			goto out;
		}
		memcpy(*out, buf, len);
		*out_len = len;
		goto out;
	}
	p.drop = calloc(p.shnum, sizeof(*p.drop));
	if (!p.drop) {
		ret = hp_error_set(err, -ENOMEM, "out of memory");
		goto out;
	}
	p.drop[p.relocs] = true;
	if (p.strs)
		p.drop[p.strs] = true;
	ret = read_symtab(&p);
	if (!ret)
		ret = read_records(&p);
	if (ret)
		goto out;
	if (p.nr_recs && !has_livepatch_modinfo(&p)) {
		ret = hp_error_set(err, -ENOEXEC,
				   "the module has %zu deferred relocations but no MODULE_INFO(livepatch, \"Y\"): the kernel would not keep them for the core; add it to the module's main.c",
				   p.nr_recs);
		goto out;
	}
	if (p.drop[p.symtab] || p.drop[p.strtab] || p.drop[p.eh->e_shstrndx]) {
		ret = bad(&p, "the symbol or section name table is one of the record sections");
		goto out;
	}
	ret = group_records(&p);
	if (!ret)
		ret = write_out(&p, &o);
	if (ret) {
		free(o.buf);
		goto out;
	}
	*out = o.buf;
	*out_len = o.len;
	st->changed = true;
	st->records = p.nr_recs;
	st->sections = p.nr_groups;
	st->symbols = p.nr_klpsyms;
out:
	pl_free(&p);
	return ret;
}

static int read_whole(const char *path, void **buf, size_t *len,
		      struct hp_error *err)
{
	struct stat stt;
	ssize_t n;
	size_t got = 0;
	int fd, ret = 0;

	fd = open(path, O_RDONLY);
	if (fd < 0)
		return hp_error_set(err, -errno, "cannot open '%s': %s", path,
				    strerror(errno));
	if (fstat(fd, &stt) || !S_ISREG(stt.st_mode)) {
		close(fd);
		return hp_error_set(err, -EINVAL, "'%s' is not a regular file",
				    path);
	}
	*len = stt.st_size;
	*buf = malloc(*len ? *len : 1);
	if (!*buf) {
		close(fd);
		return hp_error_set(err, -ENOMEM, "out of memory");
	}
	while (got < *len) {
		n = read(fd, (char *)*buf + got, *len - got);
		if (n <= 0) {
			ret = hp_error_set(err, n ? -errno : -EIO,
					   "cannot read '%s'", path);
			break;
		}
		got += n;
	}
	close(fd);
	if (ret) {
		free(*buf);
		*buf = NULL;
	}
	return ret;
}

/* Write through a temporary file in the same directory, then rename. */
static int write_whole(const char *path, const void *buf, size_t len,
		       struct hp_error *err)
{
	char *tmp = hp_asprintf("%s.postlink.XXXXXX", path);
	size_t done = 0;
	ssize_t n;
	int fd, ret = 0;

	if (!tmp)
		return hp_error_set(err, -ENOMEM, "out of memory");
	fd = mkstemp(tmp);
	if (fd < 0) {
		ret = hp_error_set(err, -errno, "cannot create '%s': %s", tmp,
				   strerror(errno));
		free(tmp);
		return ret;
	}
	while (done < len) {
		n = write(fd, (const char *)buf + done, len - done);
		if (n <= 0) {
			ret = hp_error_set(err, n ? -errno : -EIO,
					   "cannot write '%s'", tmp);
			break;
		}
		done += n;
	}
	if (!ret && fchmod(fd, 0644))
		ret = hp_error_set(err, -errno, "cannot chmod '%s'", tmp);
	if (close(fd) && !ret)
		ret = hp_error_set(err, -errno, "cannot write '%s'", tmp);
	if (!ret && rename(tmp, path))
		ret = hp_error_set(err, -errno, "cannot rename '%s' to '%s': %s",
				   tmp, path, strerror(errno));
	if (ret)
		unlink(tmp);
	free(tmp);
	return ret;
}

int hp_postlink(const char *in, const char *out, struct hp_postlink_stats *st,
		struct hp_error *err)
{
	void *ibuf = NULL, *obuf = NULL;
	size_t ilen = 0, olen = 0;
	int ret;

	ret = read_whole(in, &ibuf, &ilen, err);
	if (ret)
		return ret;
	ret = hp_postlink_mem(ibuf, ilen, &obuf, &olen, st, err);
	if (ret && err && !strstr(err->msg, in)) {
		char *msg = hp_asprintf("%s: %s", in, err->msg);

		if (msg) {
			snprintf(err->msg, sizeof(err->msg), "%.*s",
				 (int)sizeof(err->msg) - 1, msg);
			free(msg);
		}
	}
	if (!ret)
		ret = write_whole(out ? out : in, obuf, olen, err);
	free(ibuf);
	free(obuf);
	return ret;
}
