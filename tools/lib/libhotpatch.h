/* SPDX-License-Identifier: GPL-2.0 */
/*
 * libhotpatch: small internal library shared by the hotpatch tools.
 *
 * Conventions (as in kmod's libkmod):
 *  - objects are opaque; hp_<object>_new()/_read() create them, _free()
 *    releases them (NULL is accepted everywhere a free takes a pointer);
 *  - actions return 0 or a negative errno and never exit or print;
 *  - accessors return plain values; "unknown" is spelt out per accessor
 *    (NULL string, HP_STATE_UNKNOWN, -1).
 *
 * The sysfs layout read here is documented in docs/sysfs-abi.md.
 */
#ifndef _HOTPATCH_LIBHOTPATCH_H
#define _HOTPATCH_LIBHOTPATCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <json-c/json.h>

#define HP_SYSFS_DEFAULT	"/sys/kernel/hotpatch"
#define HP_SYSFS_ENV		"HOTPATCH_SYSFS"

/* ---- states and modes (state.c) ------------------------------------- */

/* Values of patches/<name>/state, in lifecycle order. */
enum hp_state {
	HP_STATE_UNKNOWN = 0,	/* missing or not one of the names below */
	HP_STATE_STAGED,
	HP_STATE_VERIFIED,
	HP_STATE_APPLYING,
	HP_STATE_APPLIED,
	HP_STATE_REVERTING,
	HP_STATE_REVERTED,
	HP_STATE_REJECTED,
	HP_STATE_FAILED,
};

enum hp_mode {
	HP_MODE_UNKNOWN = 0,
	HP_MODE_DIRECT,
	HP_MODE_OPS,
};

/* Returns -EINVAL for a name that is not a state; "applied\n" is accepted. */
int hp_state_from_string(const char *s, enum hp_state *out);
/* Never NULL: "unknown" for HP_STATE_UNKNOWN or out-of-range values. */
const char *hp_state_to_string(enum hp_state st);
/* A state no transition will leave on its own (applied, reverted, ...). */
bool hp_state_is_settled(enum hp_state st);
int hp_mode_from_string(const char *s, enum hp_mode *out);
const char *hp_mode_to_string(enum hp_mode m);

/* ---- value parsing (util.c) ------------------------------------------ */

/* Each parser accepts one value with an optional trailing newline and
 * returns -EINVAL for anything else (empty, trailing garbage, ...) and
 * -ERANGE for out-of-range numbers. */
int hp_parse_bool(const char *s, bool *out);		/* "0" or "1" */
int hp_parse_u64(const char *s, uint64_t *out);		/* decimal */
int hp_parse_int(const char *s, int *out);		/* decimal, signed */
int hp_parse_addr(const char *s, uint64_t *out);	/* "0x" + hex */
/* "5" (seconds), "2.5", "500ms", "3s", "1m"; result in milliseconds. */
int hp_parse_duration(const char *s, unsigned int *out_ms);

/* Module names: the kernel treats '-' and '_' alike and shows '_'.
 * Copies name into buf (size bytes) with '-' turned into '_'.
 * -ENAMETOOLONG if it does not fit, -EINVAL for an empty name or one
 * containing '/' (it is used as a path component). */
int hp_name_normalize(const char *name, char *buf, size_t size);

/* ---- errno names and advice (advice.c) -------------------------------- */

/* "EBUSY" for EBUSY or -EBUSY; NULL when unknown. */
const char *hp_errno_name(int err);
/* Inverse of hp_errno_name(): returns the positive errno or -EINVAL. */
int hp_errno_from_name(const char *name);
/* One sentence telling an administrator what to do next after the core
 * refused a patch operation with err (sign ignored); NULL when there is
 * no specific advice. */
const char *hp_errno_advice(int err);

/* ---- last_error (last_error.c) ------------------------------------------ */

/* One parsed line of last_error: "<patch>\t<errno>\t<reason>". */
struct hp_last_error;

/*
 * Parse one line. The errno may be written as a number (either sign) or a
 * symbolic name ("EBUSY"); it is stored positive. A line with no reason
 * ("<patch>\t<errno>") is accepted with an empty reason.
 * Returns -ENODATA for an empty line (no error recorded), -EINVAL when the
 * line is malformed, -ENOMEM.
 */
int hp_last_error_parse(const char *line, struct hp_last_error **out);
void hp_last_error_free(struct hp_last_error *le);
const char *hp_last_error_patch(const struct hp_last_error *le);
int hp_last_error_errno(const struct hp_last_error *le);	/* > 0 */
const char *hp_last_error_reason(const struct hp_last_error *le);
/* True when le is about patch name (names compared after normalising). */
bool hp_last_error_matches(const struct hp_last_error *le, const char *name);

/* ---- blocking tasks (blocking.c) --------------------------------------- */

/* Tasks that kept a transition from happening: the core's "blocking"
 * report, one line per task: "<pid> <comm> <function+off/size [module]>". */
struct hp_blocking;

struct hp_blocker {
	long pid;		/* -1: the line did not parse */
	const char *comm;	/* NULL when the line did not parse */
	const char *function;	/* "f+0x1c/0x60 [mod]"; NULL likewise */
	const char *line;	/* the line as read, without its newline */
};

/* Parse the whole file; empty lines are skipped, malformed ones kept with
 * pid -1 (and counted). Only -ENOMEM fails. text NULL: empty report. */
int hp_blocking_parse(const char *text, struct hp_blocking **out);
void hp_blocking_free(struct hp_blocking *bl);
size_t hp_blocking_count(const struct hp_blocking *bl);	/* NULL: 0 */
size_t hp_blocking_bad_lines(const struct hp_blocking *bl);
const struct hp_blocker *hp_blocking_get(const struct hp_blocking *bl,
					 size_t i);

/* ---- trusted keys (keys.c) --------------------------------------------- */

/* The core's trusted certificates (global file "keys"), one per line:
 * "<CN>: <key id>\t<builtin|added>". */
struct hp_keys;

struct hp_key {
	const char *description; /* the kernel's name of the key */
	const char *signer;	/* its CN; NULL when it cannot be told */
	const char *key_id;	/* hex; NULL likewise */
	const char *origin;	/* "builtin", "added"; NULL when absent */
	const char *line;	/* as read */
};

/* Only -ENOMEM fails; text NULL: no keys. */
int hp_keys_parse(const char *text, struct hp_keys **out);
void hp_keys_free(struct hp_keys *ks);
size_t hp_keys_count(const struct hp_keys *ks);		/* NULL: 0 */
const struct hp_key *hp_keys_get(const struct hp_keys *ks, size_t i);

/* ---- the sysfs tree (sysfs.c) ------------------------------------------ */

struct hp_sysfs;	/* a handle on the tree's root directory */
struct hp_core;		/* global files */
struct hp_patch;	/* patches/<name>/ with its objects and functions */
struct hp_object;	/* patches/<name>/<object>/ */
struct hp_func;		/* patches/<name>/<object>/<function>,<sympos>/ */
struct hp_patch_list;

/* root NULL: $HOTPATCH_SYSFS if set and non-empty, else HP_SYSFS_DEFAULT. */
int hp_sysfs_new(const char *root, struct hp_sysfs **out);
void hp_sysfs_free(struct hp_sysfs *sys);
const char *hp_sysfs_root(const struct hp_sysfs *sys);
/* True when the root is the real one (neither argument nor environment
 * pointed elsewhere): only then may a tool try to load the core. */
bool hp_sysfs_is_default(const struct hp_sysfs *sys);
/* 0 when the core is loaded (root is a directory), -ENOENT when it is not,
 * -ENOTDIR, or another -errno from stat(). */
int hp_sysfs_probe(const struct hp_sysfs *sys);
/* 0 when patches/<name>/ exists, -ENOENT when not, -EINVAL for bad names. */
int hp_sysfs_patch_exists(const struct hp_sysfs *sys, const char *name);

/*
 * Read one attribute, relative to the root ("version",
 * "patches/foo/state"), with the trailing newline removed.
 * Returns the length, -ENOENT, -EFBIG when it does not fit in size, or
 * another -errno.
 */
int hp_sysfs_read_attr(const struct hp_sysfs *sys, const char *rel,
		       char *buf, size_t size);

/* Read the global last_error: 0 and *out set, -ENODATA when empty,
 * -ENOENT when the file is missing, -EINVAL when malformed. */
int hp_sysfs_read_last_error(const struct hp_sysfs *sys,
			     struct hp_last_error **out);

/* Write patches/<name>/enabled. Returns the write's -errno: the core
 * fails the write with the transition's errno. */
int hp_sysfs_set_enabled(const struct hp_sysfs *sys, const char *name,
			 bool enabled);
/* Write patches/<name>/force (arm or disarm forcing the next transition).
 * -ENOENT when the patch or the file (older core) is missing. */
int hp_sysfs_set_force(const struct hp_sysfs *sys, const char *name,
		       bool force);
/* Write val (a newline is added) to rel, relative to the root. */
int hp_sysfs_write_attr(const struct hp_sysfs *sys, const char *rel,
			const char *val);

/* patches/<name>/blocking, or the global blocking file for name NULL.
 * -ENOENT when missing (older core, or no such patch). */
int hp_sysfs_read_blocking(const struct hp_sysfs *sys, const char *name,
			   struct hp_blocking **out);
/* The global keys file; -ENOENT when missing (core without signing). */
int hp_sysfs_read_keys(const struct hp_sysfs *sys, struct hp_keys **out);

/*
 * Poll patches/<name>/state until it reads want, for at most timeout_ms
 * (0: look once). *seen (may be NULL) gets the last state read.
 * Returns 0 when reached; -ENOENT when the patch is (or went) away;
 * -ECANCELED when the patch is "failed" or "rejected" (no transition
 * leaves those); -ETIMEDOUT.
 */
int hp_sysfs_wait_state(const struct hp_sysfs *sys, const char *name,
			enum hp_state want, unsigned int timeout_ms,
			enum hp_state *seen);

/*
 * Global files. Missing or unreadable values become unknown (NULL / -1)
 * and are listed as problems; only -ENOENT (core not loaded) and -ENOMEM
 * fail the call.
 */
int hp_core_read(const struct hp_sysfs *sys, struct hp_core **out);
void hp_core_free(struct hp_core *core);
const char *hp_core_version(const struct hp_core *core);
enum hp_mode hp_core_default_mode(const struct hp_core *core);
long hp_core_count(const struct hp_core *core);			/* -1 unknown */
/* NULL when empty, missing or malformed (malformed is a problem). */
const struct hp_last_error *hp_core_last_error(const struct hp_core *core);
/* Signing policy and keyring (files an older core lacks read as
 * unknown, -1, without a problem). */
int64_t hp_core_keyring(const struct hp_core *core);	/* serial, -1 */
int hp_core_keys_locked(const struct hp_core *core);	/* 0, 1, -1 */
int hp_core_require_signature(const struct hp_core *core); /* 0, 1, -1 */
int hp_core_require_module_sig(const struct hp_core *core); /* 0, 1, -1 */
/* Global blocking report (last timed-out transition); NULL unknown. */
const struct hp_blocking *hp_core_blocking(const struct hp_core *core);
size_t hp_core_problem_count(const struct hp_core *core);
const char *hp_core_problem(const struct hp_core *core, size_t i);

/*
 * Read one patch with its objects and functions. Like hp_core_read(),
 * bad or missing attributes become unknown values plus a problem
 * ("state: missing", "enabled: invalid value 'x'"), so one damaged file
 * does not hide the rest. Returns -ENOENT when there is no such patch,
 * -EINVAL for a bad name, -ENOMEM, or -errno when a directory of the patch
 * cannot be listed.
 */
int hp_patch_read(const struct hp_sysfs *sys, const char *name,
		  struct hp_patch **out);
void hp_patch_free(struct hp_patch *p);

const char *hp_patch_name(const struct hp_patch *p);
enum hp_state hp_patch_state(const struct hp_patch *p);
int hp_patch_enabled(const struct hp_patch *p);		/* 0, 1, -1 unknown */
int hp_patch_transition(const struct hp_patch *p);	/* 0, 1, -1 unknown */
enum hp_mode hp_patch_mode(const struct hp_patch *p);
const char *hp_patch_target(const struct hp_patch *p);	/* NULL unknown */
int64_t hp_patch_applied_at(const struct hp_patch *p);	/* -1 unknown */
const char *hp_patch_last_error(const struct hp_patch *p); /* NULL unknown */
long hp_patch_stack_order(const struct hp_patch *p);	/* -1 unknown */
/* Consistency model and signing: files an older core lacks read as
 * unknown without a problem; a garbled value is a problem. */
int64_t hp_patch_last_stop_ns(const struct hp_patch *p);	/* -1 unknown */
int64_t hp_patch_last_walked(const struct hp_patch *p);	/* -1 unknown */
/* 0 not armed, 1 armed for the next transition, 2 has been forced
 * (module pinned until reboot); -1 unknown */
int hp_patch_force(const struct hp_patch *p);
/* NULL unknown; "" when the core recorded none (unsigned) */
const char *hp_patch_signer(const struct hp_patch *p);
const char *hp_patch_key_id(const struct hp_patch *p);
int hp_patch_module_sig_ok(const struct hp_patch *p);	/* 0, 1, -1 */
/* Signed metadata (manifest version 2): NULL unknown (older core), ""
 * when the patch has none; the version is 0 without a series, -1 unknown.
 * cves: ids separated by one space. */
const char *hp_patch_description(const struct hp_patch *p);
const char *hp_patch_series(const struct hp_patch *p);
int64_t hp_patch_version(const struct hp_patch *p);
const char *hp_patch_cves(const struct hp_patch *p);
/* NULL unknown (older core); an empty report when nothing blocked */
const struct hp_blocking *hp_patch_blocking(const struct hp_patch *p);
size_t hp_patch_object_count(const struct hp_patch *p);
const struct hp_object *hp_patch_object(const struct hp_patch *p, size_t i);
size_t hp_patch_func_count(const struct hp_patch *p);	/* all objects */
size_t hp_patch_problem_count(const struct hp_patch *p);
const char *hp_patch_problem(const struct hp_patch *p, size_t i);

const char *hp_object_name(const struct hp_object *o);
int hp_object_patched(const struct hp_object *o);	/* 0, 1, -1 unknown */
size_t hp_object_func_count(const struct hp_object *o);
const struct hp_func *hp_object_func(const struct hp_object *o, size_t i);

const char *hp_func_name(const struct hp_func *f);
unsigned long hp_func_sympos(const struct hp_func *f);
/* false when the address is unknown (missing or garbage). */
bool hp_func_old_addr(const struct hp_func *f, uint64_t *addr);
bool hp_func_new_addr(const struct hp_func *f, uint64_t *addr);
enum hp_mode hp_func_mode(const struct hp_func *f);
int hp_func_patched(const struct hp_func *f);		/* 0, 1, -1 unknown */

/* All patches, oldest in the stack first (unknown order last, then by
 * name). -ENOENT when the core is not loaded; an empty list is fine. */
int hp_patch_list_read(const struct hp_sysfs *sys, struct hp_patch_list **out);
void hp_patch_list_free(struct hp_patch_list *l);
size_t hp_patch_list_count(const struct hp_patch_list *l);
const struct hp_patch *hp_patch_list_get(const struct hp_patch_list *l,
					 size_t i);

/* ---- JSON (json.c) ----------------------------------------------------- */

/*
 * Builders return a new reference (json_object_put() it) or NULL on
 * allocation failure. Unknown values are JSON null; addresses are
 * strings "0x" + 16 hex digits; booleans are JSON booleans.
 */
json_object *hp_patch_to_json(const struct hp_patch *p);
/* "CVE-a CVE-b" -> ["CVE-a", "CVE-b"]; NULL for NULL or out of memory */
json_object *hp_cves_to_json(const char *cves);
json_object *hp_patch_list_to_json(const struct hp_patch_list *l);
json_object *hp_last_error_to_json(const struct hp_last_error *le);
json_object *hp_core_to_json(const struct hp_core *core);
/* {"error": msg, "errno": err(positive)} plus "errno_name", and "reason"
 * / "hint" when not NULL. */
json_object *hp_error_to_json(const char *msg, int err, const char *reason,
			      const char *hint);
/* [{"pid", "comm", "function"}...]; a line that did not parse is
 * {"pid": null, "comm": null, "function": null, "line": "..."}. */
json_object *hp_blocking_to_json(const struct hp_blocking *bl);
/* [{"signer", "key_id", "origin", "description"}...], unknown: null */
json_object *hp_keys_to_json(const struct hp_keys *ks);

/* ---- text tables (table.c) --------------------------------------------- */

struct hp_table;

/* ncols column headers. */
int hp_table_new(size_t ncols, const char *const *headers,
		 struct hp_table **out);
void hp_table_free(struct hp_table *t);
/* Copies ncols cells; a NULL cell prints as "-". */
int hp_table_add_row(struct hp_table *t, const char *const *cells);
size_t hp_table_rows(const struct hp_table *t);
/* Left-aligned columns, two spaces apart, no trailing blanks. */
int hp_table_print(const struct hp_table *t, FILE *f);

#endif /* _HOTPATCH_LIBHOTPATCH_H */
