/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hotpatch: the admin CLI. main.c only calls cli_main(); everything else
 * takes its streams from struct cli, so the unit tests can run commands
 * in-process against a fake sysfs tree.
 */
#ifndef _HOTPATCH_CLI_H
#define _HOTPATCH_CLI_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <hotpatch/version.h>

#include "libhotpatch.h"

#define CLI_DEFAULT_TIMEOUT_MS	30000

/* Exit codes: part of the interface, documented in hotpatch(8). */
enum cli_exit {
	HP_EXIT_OK = 0,
	HP_EXIT_USAGE = 1,	/* bad command line */
	HP_EXIT_REFUSED = 2,	/* the core refused or failed the operation */
	HP_EXIT_NOTFOUND = 3,	/* no such patch, no such file */
	HP_EXIT_ENV = 4,	/* core not loaded, not root, locked down */
	HP_EXIT_TIMEOUT = 5,	/* state not reached within --timeout */
	HP_EXIT_ERROR = 6,	/* anything else: I/O, memory, bad sysfs */
	HP_EXIT_INVALID = 7,	/* verify, install: the file would be refused */
	HP_EXIT_NOT_APPLIED = 8, /* check: an installed patch is not applied;
				  * load --all: one was skipped (marker) */
};
#define HP_EXIT_MAX HP_EXIT_NOT_APPLIED

struct cli;

struct cli_cmd {
	const char *name;
	int (*fn)(struct cli *cli);
	const char *args;	/* for usage: "FILE.ko", "[NAME]" */
	int min_args, max_args;
	const char *summary;
	/* An object with subcommands ("keys list"): its own table; the
	 * first argument picks the entry, whose fn runs with the rest. */
	const struct cli_cmd *subcmds;
};

/* Options; cmds lists the commands (by name) that take it, NULL: all. */
struct cli_option {
	const char *name;
	int has_arg;		/* no_argument / required_argument */
	int val;		/* short option letter, or >= 256 */
	const char *argname;
	const char *const *cmds;
	const char *help;
};

enum {
	OPT_CORE = 256,
	OPT_FORCE,
	OPT_CERT,
	OPT_ALL,
	OPT_BOOT,
	OPT_RETRY,
	OPT_RETRY_DELAY,
	OPT_OUTPUT,
};

extern const struct cli_cmd cli_cmds[];
extern const struct cli_cmd cli_keys_cmds[];
extern const struct cli_option cli_options[];

struct cli_opts {
	bool json;
	bool pretty;
	bool verbose;
	bool help;
	bool version;
	unsigned int timeout_ms;
	const char *core_path;
	bool force;
	const char *cert;
	bool all;			/* load/unload --all */
	bool boot;			/* load --boot (implies --all) */
	unsigned int retry;		/* --retry N after a timeout */
	unsigned int retry_delay_ms;
	const char *output;		/* metrics --output FILE ("-": stdout) */
	const struct cli_cmd *cmd;	/* NULL: no command (--help/--version) */
	const struct cli_cmd *sub;	/* subcommand of cmd, or NULL */
	int nargs;			/* after the subcommand's name */
	char **args;
};

/*
 * What the CLI asks of the module loader. kmod.c implements it with
 * libkmod; the unit tests substitute a fake that edits a fake sysfs tree.
 * Each returns 0 or -errno.
 */
struct cli_module_ops {
	/* the name the kernel will give the module in file path */
	int (*name)(struct cli *cli, const char *path, char *buf, size_t size);
	int (*insert)(struct cli *cli, const char *path);
	int (*remove)(struct cli *cli, const char *name);
	/* insert the core from path, or like 'modprobe hotpatch' when
	 * path is NULL (-ENOENT: no such module installed) */
	int (*load_core)(struct cli *cli, const char *path);
	/* add_key(2) "asymmetric" with a NULL description: DER into the
	 * keyring of that serial; the new key's serial or -errno */
	long (*add_key)(struct cli *cli, int32_t keyring, const void *der,
			size_t len);
	/* release mod_data (may be NULL) */
	void (*cleanup)(struct cli *cli);
};

extern const struct cli_module_ops cli_kmod_ops;

struct cli {
	struct cli_opts o;
	FILE *out;
	FILE *err;
	struct hp_sysfs *sys;
	const struct cli_module_ops *mod;
	void *mod_data;			/* the module ops' own state */
	bool warned;			/* sysfs problems reported once */
	char log_name[256];		/* the patch an action was about */
	bool unchanged;			/* the action found nothing to do */
	/* the first error reported, for the action log */
	int log_err;
	char log_why[512];
};

/* options.c */
const struct cli_cmd *cli_cmd_find(const char *name);
const struct cli_cmd *cli_subcmd_find(const struct cli_cmd *cmd,
				      const char *name);
bool cli_option_applies(const struct cli_option *opt,
			const struct cli_cmd *cmd);
/* Parse argv into o. 0, or -EINVAL with a message in msg. */
int cli_parse(int argc, char **argv, struct cli_opts *o, char *msg,
	      size_t msgsz);
void cli_usage(FILE *f, const struct cli_cmd *cmd);

/* cli.c */
int cli_main(int argc, char **argv, FILE *out, FILE *err);
/* cli_main() with other module ops (unit tests). */
int cli_run(int argc, char **argv, FILE *out, FILE *err,
	    const struct cli_module_ops *mod, void *mod_data);
/*
 * Report an error and return exit: on err as text, or on out as
 * {"error": ..., "errno": ...} with --json. reason (the core's words) and
 * hint (what to do) may be NULL.
 */
int cli_error(struct cli *cli, int exit, int err, const char *reason,
	      const char *hint, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));
/* cli_error() with the tasks that blocked a transition (may be NULL):
 * listed under the reason, or as "blocking" in JSON. */
int cli_error_blocked(struct cli *cli, int exit, int err, const char *reason,
		      const char *hint, const struct hp_blocking *bl,
		      const char *fmt, ...)
	__attribute__((format(printf, 7, 8)));
/* Print the blocking tasks, indented, as a table (text output). */
void cli_print_blocking(FILE *f, const char *indent,
			const struct hp_blocking *bl);
void cli_info(struct cli *cli, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Print and release a JSON document; HP_EXIT_ERROR if doc is NULL. */
int cli_print_json(struct cli *cli, json_object *doc);
/* HP_EXIT_ENV with a message when the core is not loaded. */
int cli_need_core(struct cli *cli);
/* Exit code for a refusal by the kernel with err (sign ignored). */
int cli_exit_for_refusal(int err);
/* Report a failed operation on patch name: the core's reason from
 * last_error when it is about name (else fallback_reason, may be NULL),
 * and the advice for the errno; after a timed-out transition, the tasks
 * that blocked it (the patch's blocking file, else the global one).
 * Returns the exit code. */
int cli_report_refusal(struct cli *cli, const char *name, int err,
		       const char *fallback_reason, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

/* cmd_show.c */
int do_list(struct cli *cli);
int do_status(struct cli *cli);
int do_version(struct cli *cli);
int do_help(struct cli *cli);
void cli_print_patch(struct cli *cli, const struct hp_patch *p);
int cli_read_patch(struct cli *cli, const char *name, struct hp_patch **p);

/* cmd_patch.c */
int do_load(struct cli *cli);
int do_unload(struct cli *cli);
int do_enable(struct cli *cli);
int do_disable(struct cli *cli);

/* cmd_keys.c */
int do_keys(struct cli *cli);
int do_keys_list(struct cli *cli);
int do_keys_add(struct cli *cli);
int do_keys_lock(struct cli *cli);
/* A certificate file (DER or PEM) as DER; *der is malloc'ed. -ENOENT,
 * -EBADMSG (not an X.509 certificate), -ENOMEM, -errno; msg says why. */
int cli_cert_der(const char *path, uint8_t **der, size_t *len, char *msg,
		 size_t msgsz);

/* cmd_verify.c */
int do_verify(struct cli *cli);
struct hp_verify_opts;
/* This machine's facts for hp_verify() (release, build-id, symbols, the
 * core's module signature policy); the strings stay valid until the next
 * call. */
void cli_verify_machine(struct cli *cli, struct hp_verify_opts *vo);

/* cmd_patch.c: the steps of load/unload, for load --all and unload --all.
 * name: the module name of path (NULL: asked of the loader). */
/* Load the core if it is not (errors reported); HP_EXIT_*. */
int cli_ensure_core(struct cli *cli);
int cli_load_path(struct cli *cli, const char *path, const char *name);
int cli_unload_name(struct cli *cli, const char *name);

/* cmd_install.c: installed patches, boot, host compliance */
#define HP_STATE_DIR_DEFAULT	"/var/lib/hotpatch"
#define HP_RUN_DIR_DEFAULT	"/run/hotpatch"
#define HP_KEYS_DIR_DEFAULT	"/etc/hotpatch/keys.d"
int do_install(struct cli *cli);
int do_uninstall(struct cli *cli);
int do_upgrade(struct cli *cli);
int do_check(struct cli *cli);
int do_load_all(struct cli *cli);
int do_unload_all(struct cli *cli);
/* The running kernel's release (HOTPATCH_KERNEL_RELEASE overrides). */
const char *cli_release(void);
/* STATE_DIR/<release>/<name>.ko when installed (0), else -ENOENT. */
int cli_installed_path(const char *name, char *buf, size_t size);
/* Is name installed for the running kernel? */
bool cli_is_installed(const char *name);
/* Load an installed patch by name, explicitly: clears its marker. */
int cli_load_installed(struct cli *cli, const char *name, const char *path);
/* Names installed for the running release, sorted; *n of them. */
int cli_installed_list(char ***names, size_t *n);
void cli_names_free(char **names, size_t n);
/* status --json: {"host": .., "summary": ..} to start the document */
json_object *cli_host_json(struct cli *cli, const struct hp_patch_list *l);
/* Write a file atomically: PATH.tmp.PID beside it, fsync, rename; 0 or
 * -errno (the temporary file removed). */
int cli_write_atomic(const char *path, const void *buf, size_t len);
/* sha256 of a file, hex; 0 or -errno */
int cli_file_sha256(const char *path, char *hex, size_t size);
/* Remember what was loaded as name (RUN_DIR/<name>.sha256). */
void cli_record_loaded(const char *name, const char *path);
/* Is path the very file loaded as name? */
bool cli_same_as_loaded(const char *name, const char *path);
/* To the journal (syslog), or HOTPATCH_LOG when set: the action, the
 * patch, the result and who asked. */
void cli_log(struct cli *cli, const char *action, const char *name,
	     const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* cmd_meta.c: metadata for monitoring */
#define HP_METRICS_DEFAULT	"/var/lib/prometheus/node-exporter/hotpatch.prom"
int do_metrics(struct cli *cli);
/* The node_exporter textfile of this host's patches into *out (malloc'ed):
 * the core (l NULL: not loaded), each loaded patch, each installed one. */
int cli_metrics_text(const struct hp_patch_list *l, char **names, size_t n,
		     char **out, size_t *len);

#endif /* _HOTPATCH_CLI_H */
