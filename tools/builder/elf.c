// SPDX-License-Identifier: GPL-2.0
/*
 * Load a relocatable x86_64 object into the hp_elf model.
 *
 * Nothing from the file is trusted: section indices, symbol indices, string
 * offsets, sizes and relocation offsets are all checked before use, and any
 * inconsistency is an error with a message (-EINVAL), not a crash.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"

/* Far beyond any real object; keeps allocations bounded on hostile input. */
#define HP_MAX_SECTIONS (1u << 20)
#define HP_MAX_OBJECT_SIZE (1ull << 32)

static const char *elf_errmsg_now(void)
{
	const char *m = elf_errmsg(-1);

	return m ? m : "unknown libelf error";
}

int hp_rela_width(uint32_t type)
{
	switch (type) {
	case R_X86_64_NONE:
		return 0;
	case R_X86_64_8:
	case R_X86_64_PC8:
		return 1;
	case R_X86_64_16:
	case R_X86_64_PC16:
		return 2;
	case R_X86_64_PC32:
	case R_X86_64_PLT32:
	case R_X86_64_32:
	case R_X86_64_32S:
	case R_X86_64_GOT32:
	case R_X86_64_GOTPCREL:
	case R_X86_64_GOTPCRELX:
	case R_X86_64_REX_GOTPCRELX:
	case R_X86_64_SIZE32:
		return 4;
	case R_X86_64_64:
	case R_X86_64_PC64:
	case R_X86_64_SIZE64:
		return 8;
	}
	return -ENOTSUP;
}

bool hp_rela_is_pcrel(uint32_t type)
{
	switch (type) {
	case R_X86_64_PC8:
	case R_X86_64_PC16:
	case R_X86_64_PC32:
	case R_X86_64_PLT32:
	case R_X86_64_PC64:
	case R_X86_64_GOTPCREL:
	case R_X86_64_GOTPCRELX:
	case R_X86_64_REX_GOTPCRELX:
		return true;
	}
	return false;
}

int hp_elf_add_shstrtab(Elf *elf, void *buf, size_t len)
{
	Elf_Scn *scn = elf_newscn(elf);
	Elf_Data *data = scn ? elf_newdata(scn) : NULL;
	GElf_Shdr sh;

	if (!data || !gelf_getshdr(scn, &sh))
		return -1;
	data->d_buf = buf;
	data->d_size = len;
	data->d_type = ELF_T_BYTE;
	data->d_align = 1;
	sh.sh_type = SHT_STRTAB;
	sh.sh_name = (Elf64_Word)(len - sizeof(".shstrtab"));
	sh.sh_addralign = 1;
	sh.sh_size = len;
	return gelf_update_shdr(scn, &sh) ? 0 : -1;
}

void hp_elf_free(struct hp_elf *e)
{
	size_t i;

	if (!e)
		return;
	hp_dwarf_free(e->dwarf);
	if (e->sections) {
		for (i = 0; i < e->nr_sections; i++) {
			free(e->sections[i].relas);
			free(e->sections[i].syms);
			free(e->sections[i].keep);
		}
	}
	if (e->symbols)
		for (i = 0; i < e->nr_symbols; i++)
			free(e->symbols[i].norm);
	free(e->sections);
	free(e->symbols);
	if (e->elf)
		elf_end(e->elf);
	free(e->image);
	free(e->path);
	free(e);
}

static int load_sections(struct hp_elf *e, struct hp_error *err)
{
	size_t n, i;

	if (elf_getshdrnum(e->elf, &n) || elf_getshdrstrndx(e->elf, &e->shstrndx))
		return hp_error_set(err, -EINVAL, "%s: bad section header table: %s",
				    e->path, elf_errmsg_now());
	if (n == 0 || n > HP_MAX_SECTIONS)
		return hp_error_set(err, -EINVAL, "%s: implausible section count %zu",
				    e->path, n);
	if (e->shstrndx == 0 || e->shstrndx >= n)
		return hp_error_set(err, -EINVAL, "%s: bad section name table index %zu",
				    e->path, e->shstrndx);
	e->sections = calloc(n, sizeof(*e->sections));
	if (!e->sections)
		return hp_error_set(err, -ENOMEM, "out of memory");
	e->nr_sections = n;
	e->sections[0].name = "";

	for (i = 1; i < n; i++) {
		struct hp_section *s = &e->sections[i];
		Elf_Scn *scn = elf_getscn(e->elf, i);
		Elf_Data *data;

		s->index = i;
		if (!scn || !gelf_getshdr(scn, &s->sh))
			return hp_error_set(err, -EINVAL, "%s: section %zu: %s",
					    e->path, i, elf_errmsg_now());
		s->name = elf_strptr(e->elf, e->shstrndx, s->sh.sh_name);
		if (!s->name)
			return hp_error_set(err, -EINVAL, "%s: section %zu has no valid name",
					    e->path, i);
		s->size = s->sh.sh_size;
		if (s->sh.sh_type == SHT_NOBITS || s->sh.sh_type == SHT_NULL ||
		    s->size == 0)
			continue;
		if (s->size > e->image_size)
			return hp_error_set(err, -EINVAL,
					    "%s: section '%s' is larger than the file",
					    e->path, s->name);
		data = elf_getdata(scn, NULL);
		if (!data || !data->d_buf || data->d_size != s->size ||
		    elf_getdata(scn, data))
			return hp_error_set(err, -EINVAL,
					    "%s: section '%s' data unreadable: %s",
					    e->path, s->name, elf_errmsg_now());
		s->data = data->d_buf;
	}
	return 0;
}

static int cmp_sym_value(const void *a, const void *b)
{
	const struct hp_symbol *x = *(struct hp_symbol *const *)a;
	const struct hp_symbol *y = *(struct hp_symbol *const *)b;

	if (x->sym.st_value != y->sym.st_value)
		return x->sym.st_value < y->sym.st_value ? -1 : 1;
	return x->index < y->index ? -1 : (x->index > y->index);
}

/*
 * Symbols at the same place with the same size and type are one function
 * or object under several names (SYSCALL_DEFINE's __x64_sys_foo and
 * __ia32_sys_foo aliases of __do_sys_foo). The first global one is
 * canonical; the others point at it.
 */
static void link_aliases(struct hp_section *s)
{
	size_t i = 0;

	while (i < s->nr_syms) {
		struct hp_symbol *canon = s->syms[i];
		size_t j = i + 1, k;

		while (j < s->nr_syms &&
		       s->syms[j]->sym.st_value == canon->sym.st_value &&
		       s->syms[j]->sym.st_size == canon->sym.st_size &&
		       s->syms[j]->type == canon->type)
			j++;
		/* deterministic: a global over a local, then the smallest name */
		for (k = i; k < j; k++) {
			struct hp_symbol *c = s->syms[k];

			if ((c->bind != STB_LOCAL) != (canon->bind != STB_LOCAL) ?
			    c->bind != STB_LOCAL : strcmp(c->name, canon->name) < 0)
				canon = c;
		}
		for (k = i; k < j; k++)
			if (s->syms[k] != canon)
				s->syms[k]->alias_of = canon;
		i = j;
	}
}

static size_t count_canonical(const struct hp_section *s)
{
	size_t i, n = 0;

	for (i = 0; i < s->nr_syms; i++)
		n += !s->syms[i]->alias_of;
	return n;
}

static int load_symbols(struct hp_elf *e, struct hp_error *err)
{
	struct hp_section *symtab = NULL, *xndx = NULL, *s;
	Elf_Data *data, *xdata = NULL;
	size_t i, n;

	hp_for_each_section(e, s) {
		if (s->sh.sh_type == SHT_SYMTAB) {
			if (symtab)
				return hp_error_set(err, -EINVAL, "%s: more than one symbol table",
						    e->path);
			symtab = s;
		} else if (s->sh.sh_type == SHT_SYMTAB_SHNDX) {
			xndx = s;
		}
	}
	if (!symtab)
		return hp_error_set(err, -EINVAL, "%s: no symbol table", e->path);
	if (symtab->sh.sh_entsize != sizeof(Elf64_Sym) || !symtab->data ||
	    symtab->size % sizeof(Elf64_Sym))
		return hp_error_set(err, -EINVAL, "%s: malformed symbol table", e->path);
	if (symtab->sh.sh_link == 0 || symtab->sh.sh_link >= e->nr_sections ||
	    e->sections[symtab->sh.sh_link].sh.sh_type != SHT_STRTAB)
		return hp_error_set(err, -EINVAL, "%s: symbol table has no string table",
				    e->path);
	e->symtab = symtab;
	n = symtab->size / sizeof(Elf64_Sym);
	if (n == 0)
		return hp_error_set(err, -EINVAL, "%s: empty symbol table", e->path);
	e->symbols = calloc(n, sizeof(*e->symbols));
	if (!e->symbols)
		return hp_error_set(err, -ENOMEM, "out of memory");
	e->nr_symbols = n;
	data = elf_getdata(elf_getscn(e->elf, symtab->index), NULL);
	if (xndx && xndx->sh.sh_link == symtab->index)
		xdata = elf_getdata(elf_getscn(e->elf, xndx->index), NULL);

	for (i = 0; i < n; i++) {
		struct hp_symbol *sym = &e->symbols[i];
		Elf32_Word shndx_x = 0;
		size_t shndx;

		sym->index = i;
		if (!gelf_getsymshndx(data, xdata, i, &sym->sym, &shndx_x))
			return hp_error_set(err, -EINVAL, "%s: symbol %zu unreadable",
					    e->path, i);
		sym->name = elf_strptr(e->elf, symtab->sh.sh_link, sym->sym.st_name);
		if (!sym->name)
			return hp_error_set(err, -EINVAL, "%s: symbol %zu has no valid name",
					    e->path, i);
		sym->type = GELF_ST_TYPE(sym->sym.st_info);
		sym->bind = GELF_ST_BIND(sym->sym.st_info);
		shndx = sym->sym.st_shndx;
		if (shndx == SHN_XINDEX) {
			if (!xdata)
				return hp_error_set(err, -EINVAL,
						    "%s: symbol '%s' needs SHT_SYMTAB_SHNDX",
						    e->path, sym->name);
			shndx = shndx_x;
		} else if (shndx >= SHN_LORESERVE) {
			shndx = SHN_UNDEF;	/* ABS, COMMON, SHN_LIVEPATCH … */
		}
		if (i == 0 || shndx == SHN_UNDEF)
			continue;
		if (shndx >= e->nr_sections)
			return hp_error_set(err, -EINVAL,
					    "%s: symbol '%s' in bogus section %zu",
					    e->path, sym->name, shndx);
		sym->sec = &e->sections[shndx];
		if (sym->type == STT_SECTION) {
			if (!sym->sec->secsym)
				sym->sec->secsym = sym;
			continue;
		}
		if (sym->type == STT_FUNC || sym->type == STT_OBJECT ||
		    sym->type == STT_TLS) {
			uint64_t v = sym->sym.st_value, sz = sym->sym.st_size;

			if (v > sym->sec->size || sz > sym->sec->size - v)
				return hp_error_set(err, -EINVAL,
						    "%s: symbol '%s' lies outside its section '%s'",
						    e->path, sym->name, sym->sec->name);
			sym->sec->nr_syms++;
		}
	}

	/* per-section symbol lists, sorted by address */
	hp_for_each_section(e, s) {
		if (!s->nr_syms)
			continue;
		s->syms = calloc(s->nr_syms, sizeof(*s->syms));
		if (!s->syms)
			return hp_error_set(err, -ENOMEM, "out of memory");
		s->nr_syms = 0;
	}
	for (i = 1; i < n; i++) {
		struct hp_symbol *sym = &e->symbols[i];

		if (sym->sec && (hp_symbol_is_func(sym) || hp_symbol_is_object(sym)))
			sym->sec->syms[sym->sec->nr_syms++] = sym;
	}
	hp_for_each_section(e, s) {
		if (!s->nr_syms)
			continue;
		qsort(s->syms, s->nr_syms, sizeof(*s->syms), cmp_sym_value);
		link_aliases(s);
		/* -ffunction-sections / -fdata-sections: one symbol at 0 */
		if (count_canonical(s) == 1 && s->syms[0]->sym.st_value == 0)
			s->sym = s->syms[0]->alias_of ? s->syms[0]->alias_of : s->syms[0];
	}
	return 0;
}

static int cmp_rela_offset(const void *a, const void *b)
{
	const struct hp_rela *x = a, *y = b;

	return x->offset < y->offset ? -1 : (x->offset > y->offset);
}

struct hp_symbol *hp_section_symbol_at(struct hp_section *sec, uint64_t off)
{
	size_t lo = 0, hi = sec->nr_syms;

	/* last symbol starting at or before off */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (sec->syms[mid]->sym.st_value <= off)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0)
		return NULL;
	{
		struct hp_symbol *s = sec->syms[lo - 1];
		uint64_t end = s->sym.st_value + s->sym.st_size;

		if (off < end || (s->sym.st_size == 0 && off == s->sym.st_value))
			return s->alias_of ? s->alias_of : s;
	}
	return NULL;
}

/*
 * How far past a pc-relative field in code the instruction ends, so that
 * "section + addend" can be turned into the byte it really points at. The
 * field is a disp32: either a rel32 right after the opcode (call, jmp, jcc:
 * ends at once) or a RIP-relative ModRM operand (mod 00, r/m 101) that an
 * immediate may follow: cmpb $0, x(%rip) ends 5 bytes after the field.
 */
static int64_t pcrel_bias(const struct hp_section *base, const struct hp_rela *r)
{
	const unsigned char *p;
	unsigned char op, modrm;
	bool opsize = false;
	int imm = 0;

	if (r->width != 4 || !base->data || r->offset < 2)
		return r->width;
	p = base->data + r->offset;
	modrm = p[-1];
	if ((modrm & 0xc7) != 0x05)
		return 4;
	op = p[-2];
	if (r->offset >= 3 && p[-3] == 0x0f) {
		if (op == 0xba)			/* bt/bts/btr/btc $imm8 */
			imm = 1;
	} else if (r->offset >= 4 && p[-4] == 0x0f && p[-3] == 0x3a) {
		imm = 1;			/* SSE4 ops with imm8 */
	} else {
		size_t i;

		/* an operand-size prefix before the opcode (and any REX) */
		for (i = 3; i <= 4 && i <= r->offset; i++)
			if (p[-(ptrdiff_t)i] == 0x66)
				opsize = true;
		switch (op) {
		case 0x80: case 0x82: case 0x83: case 0xc6: case 0x6b:
		case 0xc0: case 0xc1:
			imm = 1;
			break;
		case 0x81: case 0xc7: case 0x69:
			imm = opsize ? 2 : 4;
			break;
		case 0xf6:
			imm = ((modrm >> 3) & 7) <= 1 ? 1 : 0;
			break;
		case 0xf7:
			imm = ((modrm >> 3) & 7) <= 1 ? (opsize ? 2 : 4) : 0;
			break;
		}
	}
	return 4 + imm;
}

/* Turn "section symbol + addend" into "function/object + offset". */
static void resolve_target(struct hp_section *base, struct hp_rela *r)
{
	struct hp_symbol *t = r->sym;
	struct hp_section *ts = t->sec;
	int64_t bias = 0;
	uint64_t off;

	r->tsym = t;
	r->taddend = r->addend;
	/* a label in merged strings (__kstrtab_foo): compare by content */
	if (t->type != STT_SECTION && ts && (ts->sh.sh_flags & SHF_MERGE) &&
	    !hp_symbol_is_func(t) && !hp_symbol_is_object(t) && ts->secsym &&
	    t->sym.st_value <= (uint64_t)INT64_MAX &&
	    r->addend <= INT64_MAX - (int64_t)t->sym.st_value) {
		r->tsym = ts->secsym;
		r->taddend = r->addend + (int64_t)t->sym.st_value;
		return;
	}
	if (t->type != STT_SECTION || !ts)
		return;
	if (ts->sym) {
		r->tsym = ts->sym;
		return;
	}
	if (hp_section_is_string(ts) || (ts->sh.sh_flags & SHF_MERGE))
		return;
	/* code references end at the next instruction: +4 for a disp32 */
	if (hp_rela_is_pcrel(r->type) && (base->sh.sh_flags & SHF_EXECINSTR))
		bias = pcrel_bias(base, r);
	if (r->addend < -bias || r->addend > INT64_MAX - bias)
		return;
	off = (uint64_t)(r->addend + bias);
	{
		struct hp_symbol *s = hp_section_symbol_at(ts, off);

		if (s) {
			r->tsym = s;
			/* st_value <= off, so this cannot wrap past addend */
			r->taddend = (int64_t)((uint64_t)r->addend - s->sym.st_value);
		}
	}
}

static int load_relas(struct hp_elf *e, struct hp_error *err)
{
	struct hp_section *s;

	hp_for_each_section(e, s) {
		struct hp_section *base;
		Elf_Data *data;
		size_t i, n;

		if (s->sh.sh_type == SHT_REL)
			return hp_error_set(err, -ENOTSUP, "%s: SHT_REL section '%s' not supported",
					    e->path, s->name);
		if (s->sh.sh_type != SHT_RELA)
			continue;
		if (s->sh.sh_link != e->symtab->index)
			return hp_error_set(err, -EINVAL,
					    "%s: '%s' does not use the symbol table",
					    e->path, s->name);
		if (s->sh.sh_info == 0 || s->sh.sh_info >= e->nr_sections ||
		    s->sh.sh_info == s->index)
			return hp_error_set(err, -EINVAL, "%s: '%s' applies to bogus section %u",
					    e->path, s->name, (unsigned int)s->sh.sh_info);
		if (s->sh.sh_entsize != sizeof(Elf64_Rela) || s->size % sizeof(Elf64_Rela))
			return hp_error_set(err, -EINVAL, "%s: '%s' has a bad entry size",
					    e->path, s->name);
		base = &e->sections[s->sh.sh_info];
		if (base->rela)
			return hp_error_set(err, -EINVAL,
					    "%s: section '%s' has two relocation sections",
					    e->path, base->name);
		if (base->sh.sh_type == SHT_RELA || base->sh.sh_type == SHT_NOBITS ||
		    base->sh.sh_type == SHT_SYMTAB || base->sh.sh_type == SHT_STRTAB)
			return hp_error_set(err, -EINVAL,
					    "%s: '%s' relocates a %s section",
					    e->path, s->name,
					    base->sh.sh_type == SHT_NOBITS ? "NOBITS" : "metadata");
		base->rela = s;
		s->base = base;
		n = s->size / sizeof(Elf64_Rela);
		if (!n)
			continue;
		data = elf_getdata(elf_getscn(e->elf, s->index), NULL);
		s->relas = calloc(n, sizeof(*s->relas));
		if (!data || !s->relas)
			return hp_error_set(err, -ENOMEM, "%s: '%s': cannot read relocations",
					    e->path, s->name);
		for (i = 0; i < n; i++) {
			struct hp_rela *r = &s->relas[s->nr_relas];
			size_t symi;
			GElf_Rela gr;
			int w;

			if (!gelf_getrela(data, i, &gr))
				return hp_error_set(err, -EINVAL, "%s: '%s': relocation %zu unreadable",
						    e->path, s->name, i);
			r->type = GELF_R_TYPE(gr.r_info);
			if (r->type == R_X86_64_NONE)
				continue;
			w = hp_rela_width(r->type);
			if (w < 0)
				return hp_error_set(err, -ENOTSUP,
						    "%s: '%s': unsupported relocation type %u",
						    e->path, s->name, r->type);
			symi = GELF_R_SYM(gr.r_info);
			if (symi == 0 || symi >= e->nr_symbols)
				return hp_error_set(err, -EINVAL,
						    "%s: '%s': relocation %zu names bogus symbol %zu",
						    e->path, s->name, i, symi);
			r->width = (unsigned int)w;
			r->offset = gr.r_offset;
			if (r->offset > base->size || r->width > base->size - r->offset)
				return hp_error_set(err, -EINVAL,
						    "%s: '%s': relocation at 0x%llx outside '%s'",
						    e->path, s->name,
						    (unsigned long long)r->offset, base->name);
			r->addend = gr.r_addend;
			r->sym = &e->symbols[symi];
			s->nr_relas++;
		}
		qsort(s->relas, s->nr_relas, sizeof(*s->relas), cmp_rela_offset);
		for (i = 1; i < s->nr_relas; i++)
			if (s->relas[i].offset < s->relas[i - 1].offset + s->relas[i - 1].width)
				return hp_error_set(err, -EINVAL,
						    "%s: '%s': overlapping relocations at 0x%llx",
						    e->path, s->name,
						    (unsigned long long)s->relas[i].offset);
		for (i = 0; i < s->nr_relas; i++)
			resolve_target(base, &s->relas[i]);
	}
	return 0;
}

/*
 * The fentry call opens the function, after its endbr64 with
 * X86_KERNEL_IBT (6.12): ftrace patches it there.
 */
static void mark_fentry(struct hp_elf *e)
{
	static const unsigned char endbr64[] = { 0xf3, 0x0f, 0x1e, 0xfa };
	struct hp_symbol *s;

	hp_for_each_symbol(e, s) {
		const struct hp_rela *r;
		uint64_t at;

		if (!hp_symbol_is_func(s) || !s->sec || !s->sec->data)
			continue;
		at = s->sym.st_value;
		if (at + sizeof(endbr64) + 5 <= s->sec->size &&
		    !memcmp(s->sec->data + at, endbr64, sizeof(endbr64)))
			at += sizeof(endbr64);
		if (at + 5 > s->sec->size)
			continue;
		r = hp_section_rela_at(s->sec, at + 1);
		if (r && !strcmp(r->sym->name, "__fentry__") &&
		    s->sec->data[at] == 0xe8)
			s->has_fentry = true;
	}
}

const struct hp_rela *hp_section_rela_at(struct hp_section *sec, uint64_t off)
{
	size_t lo = 0, hi;

	if (!sec->rela)
		return NULL;
	hi = sec->rela->nr_relas;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct hp_rela *r = &sec->rela->relas[mid];

		if (r->offset == off)
			return r;
		if (r->offset < off)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

static int load_common(struct hp_elf *e, struct hp_error *err)
{
	GElf_Ehdr eh;
	int ret;

	if (elf_version(EV_CURRENT) == EV_NONE)
		return hp_error_set(err, -EINVAL, "libelf too old");
	e->elf = elf_memory(e->image, e->image_size);
	if (!e->elf || elf_kind(e->elf) != ELF_K_ELF)
		return hp_error_set(err, -EINVAL, "%s: not an ELF object", e->path);
	if (!gelf_getehdr(e->elf, &eh))
		return hp_error_set(err, -EINVAL, "%s: bad ELF header: %s",
				    e->path, elf_errmsg_now());
	if (eh.e_ident[EI_CLASS] != ELFCLASS64 || eh.e_ident[EI_DATA] != ELFDATA2LSB ||
	    eh.e_machine != EM_X86_64)
		return hp_error_set(err, -ENOTSUP, "%s: not an x86_64 object", e->path);
	if (eh.e_type != ET_REL)
		return hp_error_set(err, -ENOTSUP, "%s: not a relocatable object (.o)",
				    e->path);
	ret = load_sections(e, err);
	if (!ret)
		ret = load_symbols(e, err);
	if (!ret)
		ret = load_relas(e, err);
	if (!ret) {
		struct hp_symbol *s;

		hp_for_each_symbol(e, s) {
			s->norm = hp_name_normalize(s->name);
			if (!s->norm)
				return hp_error_set(err, -ENOMEM, "out of memory");
		}
		mark_fentry(e);
	}
	return ret;
}

int hp_elf_open_mem(const void *buf, size_t len, const char *name,
		    struct hp_elf **out, struct hp_error *err)
{
	struct hp_elf *e;
	int ret;

	*out = NULL;
	if (len > HP_MAX_OBJECT_SIZE)
		return hp_error_set(err, -EFBIG, "%s: object too large", name);
	e = calloc(1, sizeof(*e));
	if (!e)
		return hp_error_set(err, -ENOMEM, "out of memory");
	e->fd = -1;
	e->path = strdup(name ? name : "<memory>");
	/* private, 8-byte aligned copy: libelf reads structures in place */
	e->image = malloc(len ? len : 1);
	if (!e->path || !e->image) {
		hp_elf_free(e);
		return hp_error_set(err, -ENOMEM, "out of memory");
	}
	if (len)
		memcpy(e->image, buf, len);
	e->image_size = len;
	ret = load_common(e, err);
	if (ret) {
		hp_elf_free(e);
		return ret;
	}
	*out = e;
	return 0;
}

int hp_elf_open(const char *path, struct hp_elf **out, struct hp_error *err)
{
	struct stat st;
	void *buf;
	size_t got = 0;
	int fd, ret;

	*out = NULL;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return hp_error_set(err, -errno, "%s: %s", path, strerror(errno));
	if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		close(fd);
		return hp_error_set(err, -EINVAL, "%s: not a regular file", path);
	}
	if ((unsigned long long)st.st_size > HP_MAX_OBJECT_SIZE) {
		close(fd);
		return hp_error_set(err, -EFBIG, "%s: object too large", path);
	}
	buf = malloc(st.st_size ? st.st_size : 1);
	if (!buf) {
		close(fd);
		return hp_error_set(err, -ENOMEM, "out of memory");
	}
	while (got < (size_t)st.st_size) {
		ssize_t n = read(fd, (char *)buf + got, st.st_size - got);

		if (n <= 0) {
			ret = n < 0 ? -errno : -EIO;
			free(buf);
			close(fd);
			return hp_error_set(err, ret, "%s: read failed", path);
		}
		got += n;
	}
	close(fd);
	ret = hp_elf_open_mem(buf, got, path, out, err);
	free(buf);
	return ret;
}

struct hp_section *hp_elf_find_section(struct hp_elf *e, const char *name)
{
	struct hp_section *s;

	hp_for_each_section(e, s)
		if (!strcmp(s->name, name))
			return s;
	return NULL;
}

struct hp_symbol *hp_elf_find_symbol(struct hp_elf *e, const char *name)
{
	struct hp_symbol *s;

	hp_for_each_symbol(e, s)
		if (!strcmp(s->name, name))
			return s;
	return NULL;
}
