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
#include <stdint.h>
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
	/* the resolve pass (resolve.c) */
	HP_REFUSE_UNKNOWN_SYMBOL,	/* "unknown-symbol" */
	HP_REFUSE_AMBIGUOUS_SYMBOL,	/* "ambiguous-symbol" */
	HP_REFUSE_LOAD_TIME_REFERENCE,	/* "load-time-reference" */
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
	/*
	 * Externals only, once the resolve pass ran (NULL before): "exported"
	 * (stays an undefined symbol: obj is the exporting module), "patch"
	 * (defined by another object of the patch: stays undefined), "deferred"
	 * (a .hotpatch.klp_relocs record: obj, ksym, sympos) or "refused".
	 */
	const char *resolution;
	const char *obj;
	const char *ksym;	/* the name in kallsyms (renumbered statics) */
	unsigned int sympos;
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
	 * Changed functions without an fentry call that the patch carries but
	 * does not redirect: their callers (in funcs) are redirected instead.
	 */
	struct hp_verdict_sym *carried;
	size_t nr_carried;
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
	/* resolve pass: namespaces of the exports the patch uses (sorted) */
	char **import_ns;
	size_t nr_import_ns;
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

/*
 * ---- The target kernel's symbols (target.c) ----------------------------
 *
 *   struct hp_ksyms *k;
 *   hp_ksyms_new(&k, &err);
 *   hp_ksyms_load_kallsyms(k, "kallsyms.txt", &err);   // or a System.map
 *   hp_ksyms_load_module(k, "ext4.ko", "ext4", &err);  // module targets
 *   hp_ksyms_load_symvers(k, "Module.symvers", &err);
 *   hp_ksyms_lookup(k, "vmlinux", "show_val_kb", 2, &info, &err);
 *
 * Objects are "vmlinux" (NULL means the same) or module names. sympos counts
 * as the core's hotpatch_find_symbol() does: 1-based rank among same-named
 * symbols of the object in kallsyms order (vmlinux: address order; a module:
 * its symtab order); 0 when the name is unique. Sizes are what
 * kallsyms_lookup_size_offset() reports in the running kernel.
 */
struct hp_ksyms;

struct hp_ksym_info {
	const char *name;	/* as in kallsyms */
	const char *obj;
	uint64_t addr;		/* module objects: offset in the module layout */
	uint64_t size;
	/*
	 * false: size is an estimate (the last function of a module read from
	 * a dump: give the .ko) or unknown (0: data of a module, the last
	 * vmlinux symbol)
	 */
	bool size_exact;
	char type;		/* kallsyms letter: t/T code, d/D data ... */
	unsigned int sympos;	/* 0 when unique in obj */
	unsigned int count;	/* symbols of that name in obj */
	size_t index;		/* position in the object's kallsyms order */
	/* the source file (STT_FILE) of a vmlinux local, NULL when unknown */
	const char *file;
};

struct hp_export_info {
	const char *name;
	const char *module;	/* "vmlinux" or the exporting module */
	const char *type;	/* EXPORT_SYMBOL, EXPORT_SYMBOL_GPL */
	const char *ns;		/* namespace, or NULL */
};

int hp_ksyms_new(struct hp_ksyms **out, struct hp_error *err);
void hp_ksyms_free(struct hp_ksyms *k);
/* A /proc/kallsyms dump (as root) or a System.map. Once per table. */
int hp_ksyms_load_kallsyms(struct hp_ksyms *k, const char *path,
			   struct hp_error *err);
int hp_ksyms_load_kallsyms_file(struct hp_ksyms *k, FILE *f, const char *path,
				struct hp_error *err);
/*
 * The target's unstripped vmlinux (linux-image-RELEASE-dbg): the source
 * file of each local vmlinux symbol already loaded, from its STT_FILE
 * symbols. After hp_ksyms_load_kallsyms().
 */
int hp_ksyms_load_vmlinux_files(struct hp_ksyms *k, const char *path,
				struct hp_error *err);
bool hp_ksyms_have_files(const struct hp_ksyms *k, const char *obj);
/* A module object: replaces what a dump said about module modname. */
int hp_ksyms_load_module(struct hp_ksyms *k, const char *path,
			 const char *modname, struct hp_error *err);
int hp_ksyms_load_symvers(struct hp_ksyms *k, const char *path,
			  struct hp_error *err);
int hp_ksyms_load_symvers_file(struct hp_ksyms *k, FILE *f, const char *path,
			       struct hp_error *err);
bool hp_ksyms_has_object(const struct hp_ksyms *k, const char *obj);
bool hp_ksyms_have_symvers(const struct hp_ksyms *k);
unsigned int hp_ksyms_count(const struct hp_ksyms *k, const char *obj,
			    const char *name);
/*
 * name at sympos in obj: 0, or -ENOENT (no such object or name), -ENOTUNIQ
 * (sympos 0 but several), -ERANGE (sympos too big); err says which.
 */
int hp_ksyms_lookup(const struct hp_ksyms *k, const char *obj,
		    const char *name, unsigned int sympos,
		    struct hp_ksym_info *out, struct hp_error *err);
/* Is name exported (Module.symvers)? out may be NULL. */
bool hp_ksyms_export(const struct hp_ksyms *k, const char *name,
		     struct hp_export_info *out);

/*
 * ---- The resolve pass (resolve.c) ---------------------------------------
 *
 * Every reference of the patch object to a symbol the module loader cannot
 * resolve (not exported by vmlinux; or any symbol of the target module)
 * becomes a record in .hotpatch.klp_relocs (docs/builder.md, "Resolve"),
 * its location zeroed; exports stay undefined symbols.
 *
 *   struct hp_resolve_opts o = { .target = "vmlinux", .symbols = "kallsyms",
 *                                .symvers = "Module.symvers", .orig = "a.o" };
 *   hp_resolve_new(&o, &r, &err);
 *   hp_resolve_symbol(r, "show_val_kb", &info, &err);   // sympos, size
 *   hp_resolve_object(r, "patch.o", "patch.resolved.o", &err);  // standalone
 *   // or, after hp_diff_run(): hp_diff_write_resolved(d, r, "out.o", &err)
 *   v = hp_resolve_verdict(r);   // refusals, externals with resolution
 *   hp_resolve_free(r);
 */
struct hp_resolve_opts {
	const char *target;		/* "vmlinux" (default) or a module name */
	const char *symbols;		/* /proc/kallsyms dump or System.map */
	/*
	 * The target's unstripped vmlinux (optional): its STT_FILE symbols
	 * tell same-named vmlinux statics of two source files apart.
	 */
	const char *vmlinux;
	const char *module_object;	/* the target module's .ko (optional) */
	const char *symvers;		/* Module.symvers (required) */
	/*
	 * The original object: neighbourhoods for duplicate names, which
	 * names are statics. Required by hp_resolve_object(); with
	 * hp_diff_write_resolved() the differ's original is used.
	 */
	const char *orig;
	const char *const *sympos;	/* "NAME=N" overrides */
	size_t nr_sympos;
	bool no_dwarf;
	/*
	 * The other patch objects of the same patch module: what they define
	 * (new functions, new data) stays an undefined symbol here, for the
	 * module's link (resolution "patch").
	 */
	const char *const *siblings;
	size_t nr_siblings;
};

struct hp_resolve;

int hp_resolve_new(const struct hp_resolve_opts *opts, struct hp_resolve **out,
		   struct hp_error *err);
void hp_resolve_free(struct hp_resolve *r);
/* The symbol tables it loaded (to query them directly). */
const struct hp_ksyms *hp_resolve_ksyms(const struct hp_resolve *r);
/*
 * A symbol defined in the original object (a function the patch replaces,
 * a static it uses), found in the target object: its name in kallsyms,
 * sympos (0 when unique) and size. Duplicates are told apart by their
 * kallsyms neighbours (symbols of the original object) or --sympos;
 * -ENOENT unknown, -ENOTUNIQ ambiguous (err lists the candidates).
 */
int hp_resolve_symbol(struct hp_resolve *r, const char *name,
		      struct hp_ksym_info *out, struct hp_error *err);
/*
 * Resolve a patch object (as hp_diff_write() writes it) into out. 0 when
 * written; -ENOEXEC when refused (see hp_resolve_verdict(); nothing
 * written); other -errno on errors.
 */
int hp_resolve_object(struct hp_resolve *r, const char *patch, const char *out,
		      struct hp_error *err);
/*
 * hp_diff_write() and resolve in one: refusals and each external's
 * resolution go into the differ's verdict. -ENOEXEC when refused.
 */
int hp_diff_write_resolved(struct hp_diff *d, struct hp_resolve *r,
			   const char *out, struct hp_error *err);
/* Standalone hp_resolve_object(): externals, refusals, notes, import_ns. */
const struct hp_verdict *hp_resolve_verdict(const struct hp_resolve *r);
/* "resolve: ok|refused", then each external, refusals and notes. */
int hp_resolve_print(const struct hp_verdict *v, FILE *f);

/*
 * .hotpatch.funcs: the patch object's own list of its functions, written by
 * hp_diff_write() (format: docs/builder.md, "The patch object"). A changed
 * function replaces old_name of the target; a new one is only called.
 */
#define HP_FUNCS_SECTION	".hotpatch.funcs"
#define HP_FUNCS_VERSION	2	/* 1 (no sympos) is still read */
#define HP_FUNCS_CHANGED	1
#define HP_FUNCS_NEW		2

struct hp_funcs_ent {
	enum hp_status status;	/* HP_CHANGED or HP_NEW */
	char *name;		/* symbol in the patch object */
	char *old_name;		/* name in the original object ("" for new) */
	char *file;		/* source file of the original object, or "" */
	uint32_t sympos;	/* the target's sympos of old_name as the resolve
				 * stage found it; 0: unique, or not resolved */
};

struct hp_funcs {
	char *target;		/* --target of the diff: vmlinux or a module */
	struct hp_funcs_ent *ents;
	size_t nr;
};

/* Parse the section's bytes (what: names the object in messages). */
int hp_funcs_decode(const void *data, size_t len, const char *what,
		    struct hp_funcs **out, struct hp_error *err);
/* Read it from a patch object: -ENOENT (with a message) when absent. */
int hp_funcs_read(const char *path, struct hp_funcs **out, struct hp_error *err);
void hp_funcs_free(struct hp_funcs *f);

/*
 * Patch module generation (gen.c): `hotpatch-build module`. From the patch
 * objects of `hotpatch-build diff -o` (one or more per target object):
 * generate main.c (descriptors, init/exit), tramp.S (direct-call
 * trampolines) and a Kbuild file, link them with kbuild against the target
 * kernel's headers, post-link, add the manifest and sign.
 *
 *   struct hp_gen *g;
 *   hp_gen_new(&opts, &g, &err);
 *   hp_gen_plan(g, &err);            // read the objects, look up the symbols
 *   hp_gen_run(g, &err);             // sources, kbuild, manifest, signatures
 *   hp_gen_to_json(g);  hp_gen_free(g);
 */
enum hp_gen_mode {			/* the manifest's mode values */
	HP_GEN_MODE_DEFAULT = 0,
	HP_GEN_MODE_DIRECT = 1,
	HP_GEN_MODE_OPS = 2,
};

struct hp_gen_input {
	const char *object;		/* "vmlinux" or a module name */
	const char *path;		/* patch object (diff -o) */
};

struct hp_gen_modobj {
	const char *name;		/* module name */
	const char *path;		/* the module as the target runs it */
};

struct hp_gen_sympos {
	const char *object;		/* "vmlinux" or a module name */
	const char *name;		/* function (name in the target) */
	unsigned int pos;		/* livepatch sympos, >= 1 */
};

struct hp_gen_opts {
	const char *output;		/* OUT.ko */
	const char *name;		/* patch (= module) name, [A-Za-z0-9_] */
	const char *kdir;		/* the target kernel's build tree/headers */
	const char *release;		/* target `uname -r` */
	const char *build_id;		/* vmlinux GNU build-id, hex */
	const char *symbols;		/* kallsyms dump or System.map */
	const struct hp_gen_modobj *modobjs;
	size_t nr_modobjs;
	const struct hp_gen_input *inputs;
	size_t nr_inputs;
	const struct hp_gen_sympos *sympos;	/* where kallsyms cannot tell */
	size_t nr_sympos;
	const char *key, *cert;		/* both or neither: sign */
	bool replace;			/* cumulative: replaces all other patches */
	/* metadata in the signed manifest (NULL / 0: none; docs/manifest.md) */
	const char *description;	/* one line of printable ASCII */
	const char *series;		/* the vendor's series, [A-Za-z0-9_.-] */
	unsigned int patch_version;	/* >= 1 with a series */
	const char *cves;		/* "CVE-YYYY-NNNN CVE-..." */
	enum hp_gen_mode mode;
	const char *workdir;		/* NULL: a fresh one under $TMPDIR */
	bool keep;			/* keep the work dir */
	const char *include_dir;	/* NULL: $HOTPATCH_INCLUDE or the built-in */
	const char *core_symvers;	/* NULL: $HOTPATCH_CORE_SYMVERS or built-in */
	FILE *progress;			/* one line per step; NULL: quiet */
	FILE *log;			/* kbuild's output on failure; NULL: none */
};

/* One function the patch replaces. */
struct hp_gen_func {
	char *name;			/* in the patch object */
	char *old_name;			/* in the target */
	uint32_t old_sympos, old_size;
	char *new_name;			/* global alias of name in the module */
	char *tramp_name;		/* __hotpatch_tramp_<new_name> */
	size_t input;			/* index in opts.inputs */
};

struct hp_gen_obj {
	char *name;			/* "vmlinux" or a module name */
	struct hp_gen_func *funcs;	/* sorted by (old_name, old_sympos) */
	size_t nr_funcs, alloc_funcs;
	char **new_funcs;		/* new functions carried (not redirected) */
	size_t nr_new, alloc_new;
	char *srcversion;		/* of --module-object, or NULL */
	uint8_t build_id[32];
	size_t build_id_len;
	bool klp_relocs;		/* a patch object has .hotpatch.klp_relocs */
};

struct hp_gen;

int hp_gen_new(const struct hp_gen_opts *opts, struct hp_gen **out,
	       struct hp_error *err);
int hp_gen_plan(struct hp_gen *g, struct hp_error *err);
/* Write main.c, tramp.S, Kbuild and the prepared objects into dir. */
int hp_gen_write_sources(struct hp_gen *g, const char *dir, struct hp_error *err);
/* Everything: plan (if not done), sources, kbuild, post-link, manifest,
 * signatures; OUT appears only when all of it worked. */
int hp_gen_run(struct hp_gen *g, struct hp_error *err);
size_t hp_gen_nr_objs(const struct hp_gen *g);
const struct hp_gen_obj *hp_gen_obj_at(const struct hp_gen *g, size_t i);
bool hp_gen_livepatch(const struct hp_gen *g);
/* Did hp_gen_run() fail in kbuild or objcopy (their output went to log)? */
bool hp_gen_build_failed(const struct hp_gen *g);
/* What was made (new reference; NULL on allocation failure). */
struct json_object *hp_gen_to_json(const struct hp_gen *g);
void hp_gen_free(struct hp_gen *g);

/*
 * post-link (postlink.c): turn the deferred relocations of a linked patch
 * module (.hotpatch.klp_relocs / .hotpatch.klp_strs, written by the
 * resolve stage) into livepatch relocations: .klp.rela.<obj>.<section>
 * sections and .klp.sym.<obj>.<name>,<sympos> symbols; the record sections
 * go. A module without .hotpatch.klp_relocs is copied byte for byte.
 * Refuses (-EINVAL, -ENOEXEC, -EEXIST, -ENOTSUP) a malformed module, a
 * module with records but without MODULE_INFO(livepatch, "Y"), and one
 * that already has livepatch symbols.
 */
struct hp_postlink_stats {
	bool changed;		/* false: no records section, output = input */
	size_t records;		/* deferred relocations converted */
	size_t sections;	/* .klp.rela sections written */
	size_t symbols;		/* .klp.sym symbols written */
};

/* @out NULL: rewrite @in in place (through a temporary file and rename). */
int hp_postlink(const char *in, const char *out, struct hp_postlink_stats *st,
		struct hp_error *err);
/* In memory; on success *out (malloc'ed, caller frees) holds the module. */
int hp_postlink_mem(const void *buf, size_t len, void **out, size_t *out_len,
		    struct hp_postlink_stats *st, struct hp_error *err);

#endif
