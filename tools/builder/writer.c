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

struct out_sec {
	struct hp_section *src;
	size_t index, rela_index;
	unsigned char *buf;		/* filtered copy, or NULL: use src data */
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

static bool rela_kept(const bool *keep, unsigned int entsize, size_t nr_entries,
		      uint64_t off)
{
	size_t i = off / entsize;

	return !keep || (i < nr_entries && keep[i]);
}

/* where a kept entry's byte lands in the filtered copy */
static uint64_t new_offset(const bool *keep, unsigned int entsize, uint64_t off)
{
	size_t i, before = 0, e = off / entsize;

	if (!keep)
		return off;
	for (i = 0; i < e; i++)
		before += keep[i];
	return before * entsize + off % entsize;
}

static int build_sections(struct writer *w)
{
	struct hp_elf *pe = w->d->patched;
	struct hp_section *s;

	w->secmap = calloc(pe->nr_sections, sizeof(*w->secmap));
	w->secs = calloc(pe->nr_sections, sizeof(*w->secs));
	if (!w->secmap || !w->secs)
		return -ENOMEM;
	hp_for_each_section(pe, s) {
		struct out_sec *o;
		unsigned int entsize = 1;
		const bool *keep;

		if (!wanted(s))
			continue;
		o = &w->secs[w->nr_secs++];
		o->src = s;
		o->index = w->nr_secs;		/* 1-based, in order */
		w->secmap[s->index] = (long)o->index;
		o->size = s->size;
		keep = keep_of(w->d, s, &entsize);
		if (keep && s->data) {
			size_t i, n = s->size / entsize;

			o->buf = malloc(s->size ? s->size : 1);
			if (!o->buf)
				return -ENOMEM;
			o->size = 0;
			for (i = 0; i < n; i++)
				if (keep[i]) {
					memcpy(o->buf + o->size, s->data + i * entsize, entsize);
					o->size += entsize;
				}
		}
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

/* the symbol a relocation should name in the output, and its addend */
static struct hp_symbol *out_target(struct writer *w, const struct hp_rela *r,
				    int64_t *addend)
{
	if (r->sym->type == STT_SECTION && r->sym->sec && w->secmap[r->sym->sec->index]) {
		*addend = r->addend;
		return r->sym;
	}
	*addend = r->taddend;
	return r->tsym;
}

static bool defined_here(struct writer *w, const struct hp_symbol *s)
{
	return s->sec && s->include && w->secmap[s->sec->index] &&
	       (hp_symbol_is_func(s) || hp_symbol_is_object(s));
}

static int build_symbols(struct writer *w)
{
	struct hp_elf *pe = w->d->patched;
	struct hp_symbol *s;
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
		if (ret || !defined_here(w, s) || s->bind != STB_LOCAL)
			continue;
		ret = push_sym(w, s->name, s->sym.st_info, w->secmap[s->sec->index],
			       s->sym.st_value, s->sym.st_size);
		w->symmap[s->index] = (long)(w->nr_syms - 1);
	}
	w->first_global = w->nr_syms;
	hp_for_each_symbol(pe, s) {
		if (ret || !defined_here(w, s) || s->bind == STB_LOCAL)
			continue;
		ret = push_sym(w, s->name, s->sym.st_info, w->secmap[s->sec->index],
			       s->sym.st_value, s->sym.st_size);
		w->symmap[s->index] = (long)(w->nr_syms - 1);
	}
	/* everything else included code points at: resolved at load time */
	for (i = 0; !ret && i < w->nr_secs; i++) {
		struct hp_section *src = w->secs[i].src;
		unsigned int entsize = 1;
		const bool *keep = keep_of(w->d, src, &entsize);
		struct hp_rela *r;

		hp_for_each_rela(src, r) {
			struct hp_symbol *t;
			int64_t addend;

			if (!rela_kept(keep, entsize, src->nr_entries, r->offset))
				continue;
			t = out_target(w, r, &addend);
			if (!t || w->symmap[t->index])
				continue;
			if (!t->name[0]) {
				/* a section we did not carry and no symbol inside it */
				return hp_refuse(w->d, HP_REFUSE_UNSUPPORTED, src->name,
						 "'%s' refers into section '%s', which is not "
						 "in the patch", src->name,
						 t->sec ? t->sec->name : "?") ?: -ENOEXEC;
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
		unsigned int entsize = 1;
		const bool *keep = keep_of(w->d, o->src, &entsize);
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

			if (!rela_kept(keep, entsize, o->src->nr_entries, r->offset))
				continue;
			t = out_target(w, r, &addend);
			if (!t || !w->symmap[t->index])
				return -EINVAL;
			o->relas[n].r_offset = new_offset(keep, entsize, r->offset);
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
	symtab_index = w->nr_secs + nr_rela + 1;
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
		scn = elf_newscn(elf);
		if (!scn)
			goto elf_fail;
		{
			Elf_Data *data = elf_newdata(scn);

			if (!data || !gelf_getshdr(scn, &sh))
				goto elf_fail;
			data->d_buf = w->shstrs.buf;
			data->d_size = w->shstrs.len;
			data->d_type = ELF_T_BYTE;
			data->d_align = 1;
			sh.sh_type = SHT_STRTAB;
			sh.sh_name = (Elf64_Word)(w->shstrs.len - sizeof(".shstrtab"));
			sh.sh_addralign = 1;
			sh.sh_size = w->shstrs.len;
			if (!gelf_update_shdr(scn, &sh))
				goto elf_fail;
		}
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

	for (i = 0; i < w->nr_secs; i++) {
		free(w->secs[i].buf);
		free(w->secs[i].relas);
	}
	free(w->secs);
	free(w->secmap);
	free(w->symmap);
	free(w->syms);
	free(w->strs.buf);
	free(w->shstrs.buf);
}

int hp_diff_write(struct hp_diff *d, const char *path, struct hp_error *err)
{
	struct writer w = { .d = d };
	int ret;

	if (!d->ran)
		return hp_error_set(err, -EINVAL, "run the differ first");
	if (!hp_verdict_eligible(&d->v))
		return hp_error_set(err, -ENOEXEC, "the patch was refused: nothing written");
	if (hp_verdict_empty(&d->v))
		return hp_error_set(err, -ENODATA, "nothing to patch: nothing written");
	ret = build_sections(&w);
	if (!ret)
		ret = build_symbols(&w);
	if (!ret)
		ret = build_relas(&w);
	if (ret)
		hp_error_set(err, ret, "cannot lay out the patch object");
	else
		ret = emit(&w, path, err);
	writer_free(&w);
	return ret;
}
