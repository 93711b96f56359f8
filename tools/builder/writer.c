// SPDX-License-Identifier: GPL-2.0
/*
 * Write the patch object: a relocatable ELF holding only what the include
 * pass marked, with special sections cut down to the kept entries (their
 * relocations moved along) and a fresh symbol table.
 *
 * Symbols that included code references but that stay in the running kernel
 * (unchanged functions, existing variables, kernel exports) become undefined
 * globals named as in the object. Turning the local ones into livepatch
 * symbols (.klp.sym.<obj>.<name>,<sympos>) and their relocations into
 * .klp.rela.<obj>.<sec> sections is the next pass (issue 5 item 4); this file
 * records in hp_write_stats which ones those are.
 *
 * Last comes .hotpatch.funcs (funcs.c): the included functions, which of
 * them replace a function of the running kernel and under which name, so
 * that the module generator needs nothing but this object.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "internal.h"

struct strtab {
	char *buf;
	size_t len, cap;
};

static size_t str_add(struct strtab *t, const char *s)
{
	size_t n = strlen(s) + 1, off = t->len;

	if (t->len + n > t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 4096;
		char *nb;

		while (cap < t->len + n)
			cap *= 2;
		nb = realloc(t->buf, cap);
		if (!nb)
			return (size_t)-1;
		t->buf = nb;
		t->cap = cap;
	}
	memcpy(t->buf + off, s, n);
	t->len += n;
	return off;
}

/* bytes [old, old + size) of the source land at [new, new + size) */
struct range {
	uint64_t old, new, size;
};

struct out_sec {
	struct hp_section *src;
	size_t index, rela_index;
	struct range *ranges;		/* sorted by old offset */
	size_t nr_ranges;
	bool whole;			/* one range covering everything */
	unsigned char *buf;		/* compacted copy, or NULL: src data */
	size_t size;
	Elf64_Rela *relas;
	size_t nr_relas;
};

struct writer {
	struct hp_diff *d;
	struct out_sec *secs;
	size_t nr_secs;
	long *secmap;			/* src section index -> out index, 0 none */
	long *symmap;			/* src symbol index -> out symbol index */
	Elf64_Sym *syms;
	size_t nr_syms, first_global;
	struct strtab strs, shstrs;
	size_t nr_external;
	unsigned char *funcs;		/* .hotpatch.funcs */
	size_t funcs_len;
};

static bool wanted(const struct hp_section *s)
{
	return s->include && !hp_section_is_rela(s) &&
	       (s->sh.sh_type == SHT_PROGBITS || s->sh.sh_type == SHT_NOBITS ||
		s->sh.sh_type == SHT_INIT_ARRAY || s->sh.sh_type == SHT_FINI_ARRAY);
}

/* entry keep bitmap for a special section or its companion */
static const bool *keep_of(struct hp_diff *d, const struct hp_section *s,
			   unsigned int *entsize)
{
	const struct hp_special_kind *k = s->special;

	if (!k)
		return NULL;
	if (!strcmp(s->name, k->name)) {
		*entsize = k->entsize;
		return s->keep;
	}
	if (k->companion && !strcmp(s->name, k->companion)) {
		struct hp_section *p = hp_elf_find_section(d->patched, k->name);

		*entsize = k->companion_entsize;
		return p ? p->keep : NULL;
	}
	return NULL;
}

static struct out_sec *out_of(struct writer *w, const struct hp_section *s)
{
	long i = s ? w->secmap[s->index] : 0;

	return i ? &w->secs[i - 1] : NULL;
}

/* Where byte 'off' (and the 'width' after it) of o->src lands, if kept. */
static bool map_offset(const struct out_sec *o, uint64_t off, uint64_t width,
		       uint64_t *out)
{
	size_t lo = 0, hi = o->nr_ranges;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct range *r = &o->ranges[mid];

		if (off < r->old) {
			hi = mid;
		} else if (off - r->old > r->size || width > r->size - (off - r->old) ||
			   (off - r->old == r->size && r->size)) {
			lo = mid + 1;
		} else {
			*out = r->new + (off - r->old);
			return true;
		}
	}
	return false;
}

static int add_range(struct out_sec *o, size_t *alloc, uint64_t old, uint64_t size,
		     uint64_t align)
{
	struct range *r;
	uint64_t at = o->size;

	/* merge with the previous range when they touch or overlap */
	if (o->nr_ranges) {
		struct range *prev = &o->ranges[o->nr_ranges - 1];

		if (old <= prev->old + prev->size) {
			uint64_t end = old + size > prev->old + prev->size ?
				       old + size : prev->old + prev->size;

			o->size += end - (prev->old + prev->size);
			prev->size = end - prev->old;
			return 0;
		}
	}
	if (align > 1)
		at = (at + align - 1) / align * align;
	r = hp_array_push((void **)&o->ranges, &o->nr_ranges, alloc, sizeof(*r));
	if (!r)
		return -ENOMEM;
	r->old = old;
	r->new = at;
	r->size = size;
	o->size = at + size;
	return 0;
}

/*
 * Which bytes of a section go out: kept entries of a special section; the
 * included functions/objects of a section shared with others (.sched.text,
 * .data.once, __dyndbg, .data..percpu …); otherwise all of it.
 */
static int plan_ranges(struct writer *w, struct out_sec *o)
{
	struct hp_section *s = o->src;
	unsigned int entsize = 1;
	const bool *keep = keep_of(w->d, s, &entsize);
	uint64_t align = s->sh.sh_addralign > 64 ? 64 : s->sh.sh_addralign;
	size_t alloc = 0, i;
	bool partial = false;
	int ret = 0;

	if (keep) {
		size_t n = s->size / entsize;

		for (i = 0; !ret && i < n; i++)
			if (keep[i])
				ret = add_range(o, &alloc, (uint64_t)i * entsize, entsize, 1);
		return ret;
	}
	/*
	 * Code goes out whole: calls and jumps between functions of one section
	 * carry no relocation, so cutting it up would break them. Functions
	 * that are not included come along as dead code without symbols.
	 */
	if (!s->sym && !(s->sh.sh_flags & SHF_EXECINSTR))
		for (i = 0; i < s->nr_syms; i++)
			if (!s->syms[i]->alias_of && !s->syms[i]->include)
				partial = true;
	if (!partial) {
		o->whole = true;
		return add_range(o, &alloc, 0, s->size, 1);
	}
	for (i = 0; !ret && i < s->nr_syms; i++) {
		struct hp_symbol *sym = s->syms[i];

		if (sym->alias_of || !sym->include)
			continue;
		ret = add_range(o, &alloc, sym->sym.st_value, sym->sym.st_size, align);
	}
	return ret;
}

static int build_sections(struct writer *w)
{
	struct hp_elf *pe = w->d->patched;
	struct hp_section *s;
	size_t i;
	int ret;

	w->secmap = calloc(pe->nr_sections, sizeof(*w->secmap));
	w->secs = calloc(pe->nr_sections, sizeof(*w->secs));
	if (!w->secmap || !w->secs)
		return -ENOMEM;
	hp_for_each_section(pe, s) {
		struct out_sec *o;

		if (!wanted(s))
			continue;
		o = &w->secs[w->nr_secs++];
		o->src = s;
		o->index = w->nr_secs;		/* 1-based, in order */
		w->secmap[s->index] = (long)o->index;
		ret = plan_ranges(w, o);
		if (ret)
			return ret;
		if (o->whole || s->sh.sh_type == SHT_NOBITS || !s->data)
			continue;
		o->buf = calloc(1, o->size ? o->size : 1);
		if (!o->buf)
			return -ENOMEM;
		for (i = 0; i < o->nr_ranges; i++)
			memcpy(o->buf + o->ranges[i].new, s->data + o->ranges[i].old,
			       o->ranges[i].size);
	}
	return 0;
}

static int push_sym(struct writer *w, const char *name, unsigned char info,
		    size_t shndx, uint64_t value, uint64_t size)
{
	Elf64_Sym *n = realloc(w->syms, (w->nr_syms + 1) * sizeof(*n));
	size_t off;

	if (!n)
		return -ENOMEM;
	w->syms = n;
	off = str_add(&w->strs, name);
	if (off == (size_t)-1)
		return -ENOMEM;
	n = &w->syms[w->nr_syms++];
	memset(n, 0, sizeof(*n));
	n->st_name = (Elf64_Word)off;
	n->st_info = info;
	n->st_shndx = (Elf64_Half)shndx;
	n->st_value = value;
	n->st_size = size;
	return 0;
}

/*
 * A compiler label (.LC0: STT_NOTYPE, local, kept in the symbol table because
 * a relocation names it, e.g. the file name of a bug table entry in
 * .rodata.<fn>.str1.1) whose section the patch carries is defined by the
 * patch, at its new place: never a symbol of the running kernel.
 */
static bool is_label(const struct hp_symbol *s)
{
	return s->type == STT_NOTYPE && s->bind == STB_LOCAL && s->sec && s->name[0];
}

static bool label_here(struct writer *w, const struct hp_symbol *s, uint64_t *value)
{
	struct out_sec *o = is_label(s) ? out_of(w, s->sec) : NULL;

	return o && map_offset(o, s->sym.st_value, 0, value);
}

/*
 * The symbol a relocation names in the output, and its addend: the section
 * symbol when that section goes out whole, else the function or object the
 * reference lands in (defined here or not). NULL: a reference into a part
 * of a section that is not carried and that no symbol names.
 */
static struct hp_symbol *out_target(struct writer *w, const struct hp_rela *r,
				    int64_t *addend)
{
	struct out_sec *o;
	uint64_t value;

	/* a compiler label (.LC0) in a carried section is the patch's own */
	if (label_here(w, r->sym, &value)) {
		*addend = r->addend;
		return r->sym;
	}
	if (r->sym->type == STT_SECTION) {
		o = out_of(w, r->sym->sec);
		if (o && o->whole) {
			*addend = r->addend;
			return r->sym;
		}
	}
	*addend = r->taddend;
	if (r->tsym->type == STT_SECTION)
		return NULL;
	return r->tsym;
}

static bool defined_here(struct writer *w, const struct hp_symbol *s, uint64_t *value)
{
	struct out_sec *o = out_of(w, s->sec);

	if (!o || !s->include || !(hp_symbol_is_func(s) || hp_symbol_is_object(s)))
		return false;
	return map_offset(o, s->sym.st_value, s->sym.st_size, value);
}

static int build_symbols(struct writer *w)
{
	struct hp_elf *pe = w->d->patched;
	struct hp_symbol *s;
	uint64_t value;
	size_t i;
	int ret;

	w->symmap = calloc(pe->nr_symbols, sizeof(*w->symmap));
	if (!w->symmap || str_add(&w->strs, "") == (size_t)-1)
		return -ENOMEM;
	ret = push_sym(w, "", 0, SHN_UNDEF, 0, 0);
	/* section symbols, then included locals */
	for (i = 0; !ret && i < w->nr_secs; i++) {
		struct hp_section *src = w->secs[i].src;

		ret = push_sym(w, "", GELF_ST_INFO(STB_LOCAL, STT_SECTION),
			       w->secs[i].index, 0, 0);
		if (src->secsym)
			w->symmap[src->secsym->index] = (long)(w->nr_syms - 1);
	}
	hp_for_each_symbol(pe, s) {
		if (ret || s->bind != STB_LOCAL ||
		    (!defined_here(w, s, &value) && !label_here(w, s, &value)))
			continue;
		ret = push_sym(w, s->name, s->sym.st_info, w->secmap[s->sec->index],
			       value, s->sym.st_size);
		w->symmap[s->index] = (long)(w->nr_syms - 1);
	}
	w->first_global = w->nr_syms;
	hp_for_each_symbol(pe, s) {
		if (ret || s->bind == STB_LOCAL || !defined_here(w, s, &value))
			continue;
		ret = push_sym(w, s->name, s->sym.st_info, w->secmap[s->sec->index],
			       value, s->sym.st_size);
		w->symmap[s->index] = (long)(w->nr_syms - 1);
	}
	/* everything else carried code points at: resolved at load time */
	for (i = 0; !ret && i < w->nr_secs; i++) {
		struct out_sec *o = &w->secs[i];
		struct hp_rela *r;

		hp_for_each_rela(o->src, r) {
			struct hp_symbol *t;
			int64_t addend;
			uint64_t at;

			if (!map_offset(o, r->offset, r->width, &at))
				continue;
			t = out_target(w, r, &addend);
			if (!t) {
				ret = hp_refuse(w->d, HP_REFUSE_UNSUPPORTED, o->src->name,
						"'%s' refers to a part of '%s' that is neither "
						"carried nor named by a symbol", o->src->name,
						r->tsym->sec ? r->tsym->sec->name : "?");
				return ret ? ret : -ENOEXEC;
			}
			if (w->symmap[t->index])
				continue;
			if (is_label(t) && !strncmp(t->name, ".L", 2)) {
				/* a compiler label is never a symbol of the running kernel */
				ret = hp_refuse(w->d, HP_REFUSE_UNSUPPORTED, t->name,
						"'%s' refers to the label '%s' in '%s', which "
						"the patch does not carry", o->src->name,
						t->name, t->sec->name);
				return ret ? ret : -ENOEXEC;
			}
			ret = push_sym(w, t->name,
				       GELF_ST_INFO(STB_GLOBAL,
						    t->type == STT_FUNC || t->type == STT_OBJECT ?
						    t->type : STT_NOTYPE),
				       SHN_UNDEF, 0, 0);
			w->symmap[t->index] = (long)(w->nr_syms - 1);
			w->nr_external++;
			if (ret)
				break;
		}
	}
	return ret;
}

static int build_relas(struct writer *w)
{
	size_t i;

	for (i = 0; i < w->nr_secs; i++) {
		struct out_sec *o = &w->secs[i];
		struct hp_rela *r;
		size_t n = 0;

		if (!o->src->rela || !o->src->rela->nr_relas)
			continue;
		o->relas = calloc(o->src->rela->nr_relas, sizeof(*o->relas));
		if (!o->relas)
			return -ENOMEM;
		hp_for_each_rela(o->src, r) {
			struct hp_symbol *t;
			int64_t addend;
			uint64_t at;

			if (!map_offset(o, r->offset, r->width, &at))
				continue;
			t = out_target(w, r, &addend);
			if (!t || !w->symmap[t->index])
				return -EINVAL;
			o->relas[n].r_offset = at;
			o->relas[n].r_info = ELF64_R_INFO(w->symmap[t->index], r->type);
			o->relas[n].r_addend = addend;
			n++;
		}
		o->nr_relas = n;
	}
	return 0;
}

static Elf_Scn *new_section(Elf *elf, struct strtab *shstrs, const char *name,
			    const GElf_Shdr *tmpl, void *buf, size_t size, Elf_Type type)
{
	Elf_Scn *scn = elf_newscn(elf);
	Elf_Data *data;
	GElf_Shdr sh;
	size_t off;

	if (!scn)
		return NULL;
	data = elf_newdata(scn);
	off = str_add(shstrs, name);
	if (!data || off == (size_t)-1 || !gelf_getshdr(scn, &sh))
		return NULL;
	data->d_buf = buf;
	data->d_size = size;
	data->d_type = type;
	data->d_align = tmpl->sh_addralign ? tmpl->sh_addralign : 1;
	sh = *tmpl;
	sh.sh_name = (Elf64_Word)off;
	sh.sh_size = size;
	sh.sh_offset = 0;
	return gelf_update_shdr(scn, &sh) ? scn : NULL;
}

static int emit(struct writer *w, const char *path, struct hp_error *err)
{
	size_t i, nr_rela = 0, symtab_index, strtab_index, shstrtab_index;
	GElf_Ehdr eh;
	Elf_Scn *scn;
	Elf *elf;
	int fd, ret = 0;

	for (i = 0; i < w->nr_secs; i++)
		if (w->secs[i].nr_relas)
			w->secs[i].rela_index = w->nr_secs + 1 + nr_rela++;
	/* then .hotpatch.funcs, then the symbol and string tables */
	symtab_index = w->nr_secs + nr_rela + 2;
	strtab_index = symtab_index + 1;
	shstrtab_index = strtab_index + 1;
	if (str_add(&w->shstrs, "") == (size_t)-1)
		return hp_error_set(err, -ENOMEM, "out of memory");

	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return hp_error_set(err, -errno, "%s: %s", path, strerror(errno));
	elf = elf_begin(fd, ELF_C_WRITE, NULL);
	if (!elf || !gelf_newehdr(elf, ELFCLASS64) || !gelf_getehdr(elf, &eh)) {
		ret = hp_error_set(err, -EIO, "%s: %s", path, elf_errmsg(-1));
		goto out;
	}
	eh.e_ident[EI_DATA] = ELFDATA2LSB;
	eh.e_ident[EI_OSABI] = ELFOSABI_NONE;
	eh.e_type = ET_REL;
	eh.e_machine = EM_X86_64;
	eh.e_version = EV_CURRENT;
	eh.e_shstrndx = (Elf64_Half)shstrtab_index;
	if (!gelf_update_ehdr(elf, &eh)) {
		ret = hp_error_set(err, -EIO, "%s: %s", path, elf_errmsg(-1));
		goto out;
	}
	for (i = 0; i < w->nr_secs; i++) {
		struct out_sec *o = &w->secs[i];
		GElf_Shdr sh = o->src->sh;
		void *buf = o->buf ? o->buf : (void *)o->src->data;

		sh.sh_link = 0;
		sh.sh_info = 0;
		/* no groups or link-order partners are carried over */
		sh.sh_flags &= ~(uint64_t)(SHF_GROUP | SHF_LINK_ORDER);
		if (o->src->sh.sh_type == SHT_NOBITS)
			buf = NULL;
		if (!new_section(elf, &w->shstrs, o->src->name, &sh, buf, o->size, ELF_T_BYTE))
			goto elf_fail;
	}
	for (i = 0; i < w->nr_secs; i++) {
		struct out_sec *o = &w->secs[i];
		GElf_Shdr sh = { 0 };
		char *name;

		if (!o->nr_relas)
			continue;
		sh.sh_type = SHT_RELA;
		sh.sh_flags = SHF_INFO_LINK;
		sh.sh_link = (Elf64_Word)symtab_index;
		sh.sh_info = (Elf64_Word)o->index;
		sh.sh_entsize = sizeof(Elf64_Rela);
		sh.sh_addralign = 8;
		name = hp_asprintf(".rela%s", o->src->name);
		if (!name)
			goto elf_fail;
		scn = new_section(elf, &w->shstrs, name, &sh, o->relas,
				  o->nr_relas * sizeof(Elf64_Rela), ELF_T_RELA);
		free(name);
		if (!scn)
			goto elf_fail;
	}
	{
		GElf_Shdr sh = { 0 };

		/* the functions, for `hotpatch-build module` (funcs.c) */
		sh.sh_type = SHT_PROGBITS;
		sh.sh_addralign = 8;
		if (!new_section(elf, &w->shstrs, HP_FUNCS_SECTION, &sh, w->funcs,
				 w->funcs_len, ELF_T_BYTE))
			goto elf_fail;
	}
	{
		GElf_Shdr sh = { 0 };

		sh.sh_type = SHT_SYMTAB;
		sh.sh_link = (Elf64_Word)strtab_index;
		sh.sh_info = (Elf64_Word)w->first_global;
		sh.sh_entsize = sizeof(Elf64_Sym);
		sh.sh_addralign = 8;
		if (!new_section(elf, &w->shstrs, ".symtab", &sh, w->syms,
				 w->nr_syms * sizeof(Elf64_Sym), ELF_T_SYM))
			goto elf_fail;
		memset(&sh, 0, sizeof(sh));
		sh.sh_type = SHT_STRTAB;
		sh.sh_addralign = 1;
		if (!new_section(elf, &w->shstrs, ".strtab", &sh, w->strs.buf, w->strs.len,
				 ELF_T_BYTE))
			goto elf_fail;
		/* name first: the table must contain its own name when written */
		if (str_add(&w->shstrs, ".shstrtab") == (size_t)-1)
			goto elf_fail;
		if (hp_elf_add_shstrtab(elf, w->shstrs.buf, w->shstrs.len))
			goto elf_fail;
	}
	if (elf_update(elf, ELF_C_WRITE) < 0)
		goto elf_fail;
	goto out;
elf_fail:
	ret = hp_error_set(err, -EIO, "%s: cannot write object: %s", path, elf_errmsg(-1));
out:
	if (elf)
		elf_end(elf);
	if (close(fd) && !ret)
		ret = hp_error_set(err, -errno, "%s: %s", path, strerror(errno));
	if (ret)
		unlink(path);
	return ret;
}

static void writer_free(struct writer *w)
{
	size_t i;

	for (i = 0; w->secs && i < w->nr_secs; i++) {
		free(w->secs[i].buf);
		free(w->secs[i].relas);
		free(w->secs[i].ranges);
	}
	free(w->secs);
	free(w->secmap);
	free(w->symmap);
	free(w->syms);
	free(w->strs.buf);
	free(w->shstrs.buf);
	free(w->funcs);
}

int hp_diff_writable(struct hp_diff *d, struct hp_error *err)
{
	if (!d->ran)
		return hp_error_set(err, -EINVAL, "run the differ first");
	if (!hp_verdict_eligible(&d->v))
		return hp_error_set(err, -ENOEXEC, "the patch was refused: nothing written");
	if (hp_verdict_empty(&d->v))
		return hp_error_set(err, -ENODATA, "nothing to patch: nothing written");
	return 0;
}

int hp_diff_write(struct hp_diff *d, const char *path, struct hp_error *err)
{
	int ret = hp_diff_writable(d, err);

	return ret ? ret : hp_diff_write_object(d, path, err);
}

int hp_diff_write_object(struct hp_diff *d, const char *path, struct hp_error *err)
{
	struct writer w = { .d = d };
	int ret;

	ret = build_sections(&w);
	if (!ret)
		ret = build_symbols(&w);
	if (!ret)
		ret = build_relas(&w);
	if (!ret)
		ret = hp_funcs_encode(d, &w.funcs, &w.funcs_len);
	if (ret)
		hp_error_set(err, ret, "cannot lay out the patch object");
	else
		ret = emit(&w, path, err);
	writer_free(&w);
	return ret;
}
