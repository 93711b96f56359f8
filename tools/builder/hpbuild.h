/* SPDX-License-Identifier: GPL-2.0 */
/*
 * libhpbuild: the vendor-side builder library behind hotpatch-build.
 *
 * Every function returns 0 or -errno and never exits; the message that goes
 * with an error is in the struct hp_error the caller passed (may be NULL).
 *
 *   struct hp_diff *d;
 *   hp_diff_new(&opts, &d, &err);
 *   hp_diff_load(d, "a.orig.o", "a.patched.o", &err);
 *   hp_diff_run(d, &err);                 // correlate, compare, include, verify
 *   v = hp_diff_verdict(d);               // what changed, what was refused
 *   hp_verdict_print(v, stdout) / hp_verdict_to_json(v)
 *   hp_diff_free(d);
 */
#ifndef HP_BUILDER_HPBUILD_H
#define HP_BUILDER_HPBUILD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct json_object;

struct hp_error {
	int code;		/* -errno, 0 when no error */
	char msg[512];
};

int hp_error_set(struct hp_error *err, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

enum hp_status {
	HP_SAME = 0,
	HP_CHANGED,
	HP_NEW,
};
const char *hp_status_name(enum hp_status s);

/* Why a patch cannot be made: one stable id per rule (docs/builder.md). */
enum hp_refusal_kind {
	HP_REFUSE_CHANGED_DATA,		/* "changed-data" */
	HP_REFUSE_CHANGED_INIT,		/* "changed-init" */
	HP_REFUSE_NO_FENTRY,		/* "no-fentry" */
	HP_REFUSE_STRUCT_LAYOUT,	/* "struct-layout" */
	HP_REFUSE_MODULE_JUMP_LABEL,	/* "module-jump-label" */
	HP_REFUSE_MODULE_STATIC_CALL,	/* "module-static-call" */
	HP_REFUSE_UNSUPPORTED,		/* "unsupported" */
	HP_REFUSE__NR,
};
const char *hp_refusal_id(enum hp_refusal_kind k);
const char *hp_refusal_workaround(enum hp_refusal_kind k);

struct hp_diff_opts {
	/* "vmlinux" (default) or the name of the module the object is part of */
	const char *target;
	bool no_dwarf;		/* skip libdwarf (source lines, struct layouts) */
};

/* One function or data object in the verdict. */
struct hp_verdict_sym {
	const char *name;
	enum hp_status status;
	bool is_func;
	const char *why;	/* short reason it is listed, may be NULL */
};

struct hp_refusal {
	enum hp_refusal_kind kind;
	char *symbol;		/* symbol (or struct / section) it is about */
	char *file;		/* source file from DWARF, or NULL */
	unsigned int line;	/* source line from DWARF, 0 if unknown */
	char *reason;		/* one sentence */
};

struct hp_special_count {
	const char *section;
	size_t kept, total;
};

struct hp_verdict {
	struct hp_verdict_sym *funcs;	/* CHANGED and NEW functions */
	size_t nr_funcs;
	struct hp_verdict_sym *data;	/* included data (new, or fresh copies) */
	size_t nr_data;
	struct hp_verdict_sym *children;/* included .cold/.part children */
	size_t nr_children;
	/*
	 * What included code uses from the running kernel: functions and data
	 * that stay where they are. why is "local" (a static of the original
	 * object: resolved by name and sympos, klp relocation) or "global".
	 */
	struct hp_verdict_sym *externals;
	size_t nr_externals;
	struct hp_refusal *refusals;
	size_t nr_refusals;
	struct hp_special_count *special;
	size_t nr_special;
	char **notes;			/* decisions worth knowing, never silent */
	size_t nr_notes;
};

struct hp_diff;
struct hp_elf;

int hp_diff_new(const struct hp_diff_opts *opts, struct hp_diff **out,
		struct hp_error *err);
int hp_diff_load(struct hp_diff *d, const char *orig, const char *patched,
		 struct hp_error *err);
int hp_diff_load_mem(struct hp_diff *d, const void *orig, size_t orig_len,
		     const void *patched, size_t patched_len,
		     struct hp_error *err);
/* Runs every pass. 0 even when the patch is refused: see the verdict. */
int hp_diff_run(struct hp_diff *d, struct hp_error *err);
const struct hp_verdict *hp_diff_verdict(const struct hp_diff *d);
/*
 * Write the patch object (only included sections, special sections cut to
 * the kept entries, references to everything else as undefined symbols).
 * -ENOEXEC if the verdict refused the patch, -ENODATA if it is empty.
 */
int hp_diff_write(struct hp_diff *d, const char *path, struct hp_error *err);
struct hp_elf *hp_diff_orig(struct hp_diff *d);
struct hp_elf *hp_diff_patched(struct hp_diff *d);
void hp_diff_free(struct hp_diff *d);

static inline bool hp_verdict_eligible(const struct hp_verdict *v)
{
	return v->nr_refusals == 0;
}
static inline bool hp_verdict_empty(const struct hp_verdict *v)
{
	return v->nr_funcs == 0;
}
const struct hp_verdict_sym *hp_verdict_find_func(const struct hp_verdict *v,
						  const char *name);
const struct hp_refusal *hp_verdict_find_refusal(const struct hp_verdict *v,
						 const char *id,
						 const char *symbol);

int hp_verdict_print(const struct hp_verdict *v, FILE *f);
/* New reference; NULL on allocation failure. */
struct json_object *hp_verdict_to_json(const struct hp_verdict *v);

#endif
