/* SPDX-License-Identifier: GPL-2.0 */
/* Internal interfaces between the builder passes. */
#ifndef HP_BUILDER_INTERNAL_H
#define HP_BUILDER_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hpelf.h"
#include "hpbuild.h"

#define HP_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* util.c */
char *hp_strdup(const char *s);
char *hp_asprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
bool hp_str_starts(const char *s, const char *prefix);
/* The length of the longest prefix of S, at most MAX bytes, that does not
 * end inside a UTF-8 character. */
size_t hp_utf8_cut(const char *s, size_t max);
void *hp_array_push(void **arr, size_t *nr, size_t *alloc, size_t elsize);

/* names.c */
char *hp_name_normalize(const char *name);
bool hp_name_is_special_static(const char *name);
bool hp_name_child_parent(const char *name, char *parent, size_t len);
bool hp_section_is_ignored(const char *name);

/* special.c: one row per kind of special section */
struct hp_special_kind {
	const char *name;
	unsigned int entsize;		/* fixed size of one entry */
	unsigned int owner_off;		/* field whose relocation names the code */
	int key_off;			/* jump label / static call key, or -1 */
	enum hp_refusal_kind key_refusal;
	const char *pulls;		/* section the entries point into */
	const char *companion;		/* parallel table without relocations */
	unsigned int companion_entsize;
	const char *what;		/* for messages */
};
const struct hp_special_kind *hp_special_lookup(const char *name);
bool hp_special_is_companion(const char *name);
bool hp_special_is_reference_table(const char *name);
size_t hp_special_nr_kinds(void);
const struct hp_special_kind *hp_special_kind_at(size_t i);

/* dwarf.c */
struct hp_dwarf;
struct hp_dwarf_struct {
	const char *name;
	uint64_t size;
	char *members;			/* "a@0,b@8,…" */
};
int hp_dwarf_load(struct hp_elf *e);
bool hp_dwarf_decl(struct hp_elf *e, const char *name, const char **file,
		   unsigned int *line);
size_t hp_dwarf_nr_structs(struct hp_elf *e);
const struct hp_dwarf_struct *hp_dwarf_struct_at(struct hp_elf *e, size_t i);
const struct hp_dwarf_struct *hp_dwarf_find_struct(struct hp_elf *e,
						   const char *name);
void hp_dwarf_free(struct hp_dwarf *dw);

/* The differ's state: two models and the verdict being built. */
struct hp_diff {
	struct hp_diff_opts opts;
	char *target;
	struct hp_elf *orig, *patched;
	struct hp_verdict v;
	size_t alloc_funcs, alloc_data, alloc_children, alloc_refusals,
	       alloc_special, alloc_notes, alloc_externals,
	       alloc_carried;
	void *work;			/* include.c's work list */
	size_t nr_work, alloc_work;
	bool ran;
	char **owned;			/* strings the verdict points to (resolve.c) */
	size_t nr_owned, alloc_owned;
	/*
	 * The target's sympos of each changed function (index as v.funcs), set
	 * by hp_diff_write_resolved() before it writes .hotpatch.funcs; NULL
	 * when not resolved (0 = unique or unknown).
	 */
	uint32_t *func_sympos;
};

/* correlate.c */
int hp_correlate(struct hp_diff *d, struct hp_error *err);
/* compare.c */
int hp_compare(struct hp_diff *d, struct hp_error *err);
bool hp_relas_equal(const struct hp_rela *a, const struct hp_rela *b,
		    int depth);
/* notrace.c: callers redirected for bodies without fentry, exit code */
int hp_notrace(struct hp_diff *d);
bool hp_section_is_exit(const struct hp_section *s);
/* include.c */
int hp_include(struct hp_diff *d, struct hp_error *err);
int hp_include_symbol(struct hp_diff *d, struct hp_symbol *s, const char *why);
int hp_include_section(struct hp_diff *d, struct hp_section *s);
/* special.c */
int hp_special_process(struct hp_diff *d, struct hp_error *err);
/* verify.c */
int hp_verify(struct hp_diff *d, struct hp_error *err);
bool hp_section_is_init(const struct hp_section *s);
int hp_refuse(struct hp_diff *d, enum hp_refusal_kind kind,
	      const char *symbol, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
int hp_note(struct hp_diff *d, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* target.c: what the resolver needs beyond hpbuild.h */
size_t hp_ksyms_candidates(const struct hp_ksyms *k, const char *obj,
			   const char *name, bool normalized, size_t *out,
			   size_t max);
const char *hp_ksyms_neighbour(const struct hp_ksyms *k, size_t at, long delta);
void hp_ksyms_info_at(const struct hp_ksyms *k, size_t at,
		      struct hp_ksym_info *out);
/*
 * writer.c: hp_diff_write() is hp_diff_writable() (the differ ran, the
 * verdict is eligible and not empty), then hp_diff_write_object(); a caller
 * that adds refusals of its own after the check (resolve.c) calls the two.
 */
int hp_diff_writable(struct hp_diff *d, struct hp_error *err);
int hp_diff_write_object(struct hp_diff *d, const char *path, struct hp_error *err);
/* funcs.c: .hotpatch.funcs of the verdict's functions (malloc'ed) */
int hp_funcs_encode(struct hp_diff *d, unsigned char **out, size_t *out_len);
/* report.c */
int hp_verdict_build(struct hp_diff *d);
void hp_verdict_release(struct hp_verdict *v);

#endif
