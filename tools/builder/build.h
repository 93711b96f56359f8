/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The source pipeline of hotpatch-build (`hotpatch-build build`): a unified
 * diff against a kernel source tree in, a signed patch module out.
 *
 *   prepare  a private copy of the tree, `make olddefconfig prepare` with the
 *            target's config, cached by tree + config (build_tree.c)
 *   files    the files the diff touches (build_patch.c)
 *   compile  each touched .c original and patched, the tree restored after
 *   objects  vmlinux or which module each file belongs to (build_syms.c)
 *   diff     `hotpatch-build diff` + resolve per file
 *   module   `hotpatch-build module`: link, post-link, manifest, sign
 *
 * Like the rest of the library, nothing here exits: functions return 0 or
 * -errno with the message in a struct hp_error. A refusal (the diff cannot
 * be turned into a patch) is not an error: it is in the report.
 */
#ifndef HP_BUILDER_BUILD_H
#define HP_BUILDER_BUILD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "hpbuild.h"

struct json_object;

/* Exit codes of `hotpatch-build build` (same meaning as `diff`'s). */
enum {
	HP_BUILD_OK = 0,
	HP_BUILD_ERROR = 1,
	HP_BUILD_REFUSED = 2,
	HP_BUILD_NOTHING = 3,
	HP_BUILD_INTERRUPTED = 130,
};

struct hp_build_opts {
	const char *src;	/* kernel tree (directory) or its .tar.* */
	const char *config;	/* target .config (default KDIR/.config) */
	const char *kdir;	/* target headers (module link, Module.symvers) */
	const char *const *diffs; /* unified diffs, -p1, applied in order */
	size_t nr_diffs;
	const char *name;	/* patch module name (default: from diffs[0]) */
	const char *output;	/* OUT.ko (default NAME.ko) */
	const char *facts;	/* directory: release, build-id, kallsyms */
	const char *release;	/* uname -r of the target */
	const char *build_id;	/* vmlinux GNU build-id, hex */
	const char *symbols;	/* /proc/kallsyms dump (or System.map) */
	const char *vmlinux;	/* unstripped vmlinux: FILE symbols (optional) */
	const char *symvers;	/* Module.symvers (default KDIR/Module.symvers) */
	const char *modules_dir;/* where to look for MOD.ko by name */
	const char *key, *cert;	/* signing key and certificate */
	const char *mode;	/* redirect mode for `module` */
	const char *cache;	/* prepared trees (default $HOTPATCH_CACHE/trees) */
	const char *workdir;	/* default: a temporary directory */
	const char *self;	/* the hotpatch-build binary (for diff, module) */
	const char *cc;		/* compiler (default: the config's, if present) */
	char **module_objects;	/* MOD=PATH.ko */
	size_t nr_module_objects;
	char **object_overrides;/* FILE=OBJECT */
	size_t nr_object_overrides;
	char **sympos;		/* NAME=N, passed to diff */
	size_t nr_sympos;
	const char *const *prepare_objs; /* internal: objects (path/file.o)
				 * to build along with a new tree's prepare */
	size_t nr_prepare_objs;
	int jobs;		/* make -j (0: number of CPUs) */
	bool replace;		/* atomic replace */
	const char *description;/* manifest metadata, passed to module */
	const char *series;
	const char *patch_version;
	const char *cves;	/* space-separated CVE ids */
	bool keep;		/* keep the work directory */
	bool skip_compiler_check;
	bool quiet;		/* no progress lines */
	FILE *progress;		/* progress lines (default stderr) */
};

/*
 * Run the pipeline. Returns an exit code (HP_BUILD_*) and a report (new
 * reference) in *report: the steps, per file its object and the differ's
 * verdict, the refusals, the module. On HP_BUILD_ERROR err says why.
 */
int hp_build_run(const struct hp_build_opts *opts,
		 struct json_object **report, struct hp_error *err);
/* Human-readable summary of a report. */
void hp_build_report_print(struct json_object *report, FILE *f);
/*
 * A module name from a diff's file name: "hp_" + its base name without
 * .patch/.diff, lowercased, anything but [a-z0-9_] made '_', at most 55
 * characters ("0001-Fix-Foo.patch" -> "hp_0001_fix_foo"). Malloc'ed.
 */
char *hp_build_default_name(const char *diff_path);
/*
 * S with every invalid or cut UTF-8 sequence replaced by U+FFFD (malloc'ed):
 * compiler output is not always valid UTF-8, a JSON report must be.
 */
char *hp_utf8_clean(const char *s);
/* The same for every string of a JSON tree, in place. */
void hp_json_utf8_clean(struct json_object *o);

/* ---- build_patch.c: what a unified diff touches ---- */

enum hp_patch_file_kind {
	HP_PF_C,		/* a .c file: compiled twice */
	HP_PF_IGNORED,		/* documentation: nothing to build */
	HP_PF_HEADER,		/* a header */
	HP_PF_OTHER,		/* Makefile, Kconfig, assembly, …: refused */
};

struct hp_patch_file {
	char *path;		/* relative to the tree (-p1 applied) */
	enum hp_patch_file_kind kind;
	bool created, deleted;
};

struct hp_patch_files {
	struct hp_patch_file *files;
	size_t nr, alloc;
};

/* Parse a unified diff (git or diff -u, -p1); no files is -ENODATA. */
int hp_patch_files_parse(const char *text, struct hp_patch_files *out,
			 struct hp_error *err);
void hp_patch_files_free(struct hp_patch_files *pf);

/* ---- build_syms.c: which object a compiled file belongs to ---- */

struct hp_symset;

/* A kallsyms dump ("addr type name [module]") or a System.map. */
int hp_kallsyms_load(const char *path, struct hp_symset **out,
		     struct hp_error *err);
/* Defined function names of an ELF object (a .o or a .ko). */
int hp_symset_from_elf(const char *path, bool funcs_only,
		       struct hp_symset **out, struct hp_error *err);
/* Add the symbols of module MOD (its .ko) to S, under that name. */
int hp_symset_add_module(struct hp_symset *s, const char *mod,
			 const char *ko_path, struct hp_error *err);
/* Does object OBJ ("vmlinux" or a module) define NAME? */
bool hp_symset_has(const struct hp_symset *s, const char *obj,
		   const char *name);
/* Is there any symbol of OBJ in the set? */
bool hp_symset_has_object(const struct hp_symset *s, const char *obj);
void hp_symset_free(struct hp_symset *s);

/* Read the flags kbuild compiled an object with (its .cmd file). */
struct hp_kbuild_cmd {
	bool module;		/* -DMODULE: part of a module */
	char modname[128];	/* KBUILD_MODNAME */
	char *cmdline;		/* the command, make's escapes undone (malloc'ed) */
};
int hp_kbuild_cmd_read(const char *cmd_path, struct hp_kbuild_cmd *out,
		       struct hp_error *err);
void hp_kbuild_cmd_free(struct hp_kbuild_cmd *kc);
/*
 * Can CMDLINE (from OBJ's .cmd) compile OBJ from SRC again without make:
 * it compiles SRC into OBJ with the pipeline's flags (-ffunction-sections
 * -fdata-sections), and nothing else (objtool on OBJ is fine)?
 */
bool hp_kbuild_cmd_reusable(const char *cmdline, const char *obj,
			    const char *src);

/*
 * What kbuild's Makefiles say about OBJ (path/file.o) with the tree's
 * config, from OUTPUT of the query make (see build_tree.c): lines
 * "y <objs>", "m <objs>", "lib <objs>", "sub <dirs>" of one directory.
 */
enum hp_kbuild_in {
	HP_KB_NO,		/* not listed */
	HP_KB_BUILTIN,		/* obj-y (or lib-y); a directory: descended into */
	HP_KB_MODULE,		/* obj-m */
};
enum hp_kbuild_in hp_kbuild_lists(const char *output, const char *obj);

/*
 * How many of the functions defined in OBJ_PATH does SYMS have for object
 * OBJ? *total is the number of functions considered.
 */
int hp_symset_match(const struct hp_symset *syms, const char *obj,
		    const char *obj_path, size_t *matched, size_t *total,
		    struct hp_error *err);

/* ---- build_tree.c: processes, the prepared tree, apply and restore ---- */

/* Set by the signal handlers of hp_build_run(): stop, restore, exit 130. */
extern volatile int hp_build_interrupted;

/*
 * Run ARGV (PATH searched) in CWD (NULL: here), in a process group of its
 * own; stdout and stderr appended to LOG (NULL: /dev/null), or, when
 * CAPTURE is not NULL, stdout into *CAPTURE (malloc'ed, NUL-terminated)
 * and stderr to LOG. *STATUS is its exit status, 128+N for signal N.
 * -EINTR when hp_build_interrupted was set meanwhile (the child is killed).
 */
int hp_spawn(char *const argv[], const char *cwd, const char *log,
	     char **capture, int *status, struct hp_error *err);
/* The last LINES lines of FILE, for messages (malloc'ed; "" if none). */
char *hp_file_tail(const char *path, int lines);
int hp_mkdir_p(const char *path, struct hp_error *err);
int hp_copy_file(const char *from, const char *to, struct hp_error *err);
int hp_rm_rf(const char *path, struct hp_error *err);
char *hp_read_text(const char *path, size_t max, struct hp_error *err);

struct hp_tree {
	char *dir;		/* the prepared tree */
	char *root;		/* its cache entry */
	char *cc;		/* CC= for make */
	int lock_fd;
	bool cached;		/* was already prepared */
	char *srcarch;		/* arch/<srcarch> is the config's */
	char **touched;		/* files backed up while the diff is applied */
	size_t nr_touched, alloc_touched;
};

/*
 * Find or make the prepared copy of OPTS->src for OPTS->config (locked
 * until hp_tree_close()). Restores files left patched by an earlier run
 * that was killed.
 */
int hp_tree_open(const struct hp_build_opts *opts, const char *logdir,
		 struct hp_tree **out, struct hp_error *err);
void hp_tree_close(struct hp_tree *t);
/* Save FILES (relative paths) so that hp_tree_restore() can put them back. */
int hp_tree_backup(struct hp_tree *t, const struct hp_patch_files *pf,
		   struct hp_error *err);
/* Put every backed-up file back (created files removed). Idempotent. */
int hp_tree_restore(struct hp_tree *t, struct hp_error *err);
/* `make … KCFLAGS=… REL.o` in the tree, the old object removed first. */
int hp_tree_make(struct hp_tree *t, int jobs, const char *target,
		 const char *log, int *status, struct hp_error *err);
/*
 * Run N commands (argvs[i], NULL-terminated) in CWD, at most JOBS at once,
 * stdout and stderr of each into LOGS[i]; STATUS[i] as for hp_spawn().
 * -EINTR when interrupted (every child is killed).
 */
int hp_spawn_many(char **const argvs[], size_t n, int jobs, const char *cwd,
		  char *const logs[], int status[], struct hp_error *err);
/*
 * Which object builds REL (path/file.c) according to kbuild's Makefiles
 * with the tree's config: HP_KB_BUILTIN, HP_KB_MODULE, or HP_KB_NO with
 * WHY (the Makefile that leaves it out; malloc'ed). A negative -errno when
 * the Makefiles could not be read (the caller carries on without).
 */
int hp_tree_kbuild_object(struct hp_tree *t, const char *rel, const char *logdir,
			  char **why, struct hp_error *err);

/* ---- the include graph (build_incl.c) ---- */
/*
 * The .c files of the tree at ROOT that include any of FILES (paths
 * relative to ROOT), directly or through other files, sorted, into *OUT
 * (malloc'ed, each malloc'ed). FILES themselves are not listed.
 */
int hp_includers(const char *root, const char *const *files, size_t nr_files,
		 char ***out, size_t *nr_out, struct hp_error *err);

/* At most this many built .c files are compiled for a header change, */
#define HP_MAX_DEPENDENTS 64
/* and kbuild is asked about at most this many including .c files. */
#define HP_MAX_INCLUDERS (8 * HP_MAX_DEPENDENTS)

enum hp_dep_bound {
	HP_DEP_OK,		/* rebuild them */
	HP_DEP_INCLUDERS,	/* more than HP_MAX_INCLUDERS include it: refused */
	HP_DEP_BUILT,		/* more than HP_MAX_DEPENDENTS built ones: refused */
};

/* NR_INCLUDERS .c files include a changed file, NR_BUILT of them built. */
enum hp_dep_bound hp_dependents_bound(size_t nr_includers, size_t nr_built);

/* ---- CLI (build_cli.c) ---- */
int hp_build_cli(int argc, char **argv);

#endif
