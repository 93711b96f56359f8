/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ELF model of one relocatable object (kpatch-elf style).
 *
 * Every section, symbol and relocation carries a twin pointer (original <->
 * patched), a status and an include flag, so later passes (klp relocations,
 * module generation) work on the same objects the differ marked.
 *
 * The loader validates everything it indexes: a hostile object gets -EINVAL /
 * -ENOTSUP / -ENOMEM with a message, never a crash.
 */
#ifndef HP_BUILDER_ELF_H
#define HP_BUILDER_ELF_H

#include <gelf.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hpbuild.h"

struct hp_section;
struct hp_symbol;

struct hp_rela {
	uint64_t offset;		/* within the section it applies to */
	uint32_t type;
	unsigned int width;		/* bytes the relocation writes */
	int64_t addend;			/* as in the object */
	struct hp_symbol *sym;		/* target as in the object */
	/*
	 * The target resolved through section symbols: a reference to
	 * ".text.foo + 0x1a" becomes foo + 0x1a, ".bss.counter - 4" counter - 4.
	 * Strings and anonymous sections keep the section symbol.
	 */
	struct hp_symbol *tsym;
	int64_t taddend;		/* addend relative to tsym */
	struct hp_rela *twin;
};

struct hp_section {
	unsigned int index;
	const char *name;
	GElf_Shdr sh;
	const unsigned char *data;	/* NULL for NOBITS or empty */
	size_t size;			/* sh_size (NOBITS: logical size) */

	struct hp_section *base;	/* rela section: what it applies to */
	struct hp_section *rela;	/* section: its rela section, if any */
	struct hp_rela *relas;		/* rela section: sorted by offset */
	size_t nr_relas;

	struct hp_symbol *secsym;	/* its STT_SECTION symbol */
	struct hp_symbol *sym;		/* the one function/object it holds */
	struct hp_symbol **syms;	/* its functions/objects, by value */
	size_t nr_syms;
	const struct hp_special_kind *special;

	struct hp_section *twin;
	enum hp_status status;
	bool include;
	signed char eq;			/* compare cache: 0 ?, 1 same, 2 differs, 3 busy */
	bool *keep;			/* special section: entries kept */
	size_t nr_entries, nr_kept;
};

struct hp_symbol {
	unsigned int index;
	const char *name;
	char *norm;			/* name without compiler number suffixes */
	GElf_Sym sym;
	unsigned char type, bind;
	struct hp_section *sec;		/* NULL: undefined, absolute, common */

	struct hp_symbol *twin;
	struct hp_symbol *parent;	/* foo.cold / foo.part.N -> foo */
	struct hp_symbol *alias_of;	/* same place, size and type: one function */
	enum hp_status status;
	bool include;
	bool special_static;		/* __already_done, __warned, __func__ … */
	bool has_fentry;		/* starts with call __fentry__ */
	bool carried;			/* no fentry: carried, not redirected (notrace.c) */
	bool line_only;			/* differs only by __LINE__ constants */
	signed char eq;			/* compare cache, as for sections */
	const char *why;		/* why status/include was chosen */
};

struct hp_elf {
	char *path;
	Elf *elf;
	int fd;
	void *image;			/* private copy for in-memory objects */
	size_t image_size;
	size_t shstrndx;
	size_t nr_sections;
	struct hp_section *sections;	/* indexed by ELF section index */
	size_t nr_symbols;
	struct hp_symbol *symbols;	/* indexed by symbol table index */
	struct hp_section *symtab;
	struct hp_dwarf *dwarf;		/* lazily loaded, may stay NULL */
	bool dwarf_tried;
};

#define hp_for_each_section(e, s) \
	for ((s) = (e)->sections + 1; (s) < (e)->sections + (e)->nr_sections; (s)++)
#define hp_for_each_symbol(e, s) \
	for ((s) = (e)->symbols + 1; (s) < (e)->symbols + (e)->nr_symbols; (s)++)
#define hp_for_each_rela(sec, r) \
	for ((r) = (sec)->rela ? (sec)->rela->relas : NULL; \
	     (r) && (r) < (sec)->rela->relas + (sec)->rela->nr_relas; (r)++)

int hp_elf_open(const char *path, struct hp_elf **out, struct hp_error *err);
int hp_elf_open_mem(const void *buf, size_t len, const char *name,
		    struct hp_elf **out, struct hp_error *err);
void hp_elf_free(struct hp_elf *e);

struct hp_section *hp_elf_find_section(struct hp_elf *e, const char *name);
struct hp_symbol *hp_elf_find_symbol(struct hp_elf *e, const char *name);
struct hp_symbol *hp_section_symbol_at(struct hp_section *sec, uint64_t off);
const struct hp_rela *hp_section_rela_at(struct hp_section *sec, uint64_t off);

static inline bool hp_section_is_text(const struct hp_section *s)
{
	return s->sh.sh_type == SHT_PROGBITS && (s->sh.sh_flags & SHF_EXECINSTR);
}
static inline bool hp_section_is_rela(const struct hp_section *s)
{
	return s->sh.sh_type == SHT_RELA;
}
static inline bool hp_section_is_string(const struct hp_section *s)
{
	return (s->sh.sh_flags & SHF_STRINGS) != 0;
}
static inline bool hp_symbol_is_func(const struct hp_symbol *s)
{
	return s->type == STT_FUNC;
}
static inline bool hp_symbol_is_object(const struct hp_symbol *s)
{
	return s->type == STT_OBJECT || s->type == STT_TLS;
}
/*
 * A compiler label in merged constants (".LC6" in .rodata.cst2, kept in the
 * symbol table because a relocation names it): a place in the section, not
 * a variable. Its number changes with every constant added before it, so it
 * compares, and goes into the patch, like a section symbol + offset.
 */
static inline bool hp_symbol_is_merge_label(const struct hp_symbol *s)
{
	return s->type == STT_NOTYPE && s->bind == STB_LOCAL && s->sec &&
	       (s->sec->sh.sh_flags & SHF_MERGE);
}
bool hp_rela_is_pcrel(uint32_t type);
/*
 * The writers' last section: the section-name string table, whose buffer
 * (len bytes, kept by the caller until elf_update()) ends with its own
 * name ".shstrtab". 0, or -1 with the libelf error pending.
 */
int hp_elf_add_shstrtab(Elf *elf, void *buf, size_t len);
int hp_rela_width(uint32_t type);

#endif
