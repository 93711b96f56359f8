// SPDX-License-Identifier: GPL-2.0
/* Dispatch, and the one place errors are printed. */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

/* Long lines of a garbled report are cut in the text output. */
#define BLOCKING_LINE_MAX 160

void cli_print_blocking(FILE *f, const char *indent,
			const struct hp_blocking *bl)
{
	static const char *const hdr[] = { "PID", "COMM", "FUNCTION" };
	const struct hp_blocker *b;
	struct hp_table *t = NULL;
	char pid[24], line[BLOCKING_LINE_MAX + 4];
	char *buf = NULL, *p, *nl;
	size_t i, len = 0;
	FILE *mem;
	int ret;

	ret = hp_table_new(3, hdr, &t);
	for (i = 0; !ret && i < hp_blocking_count(bl); i++) {
		b = hp_blocking_get(bl, i);
		if (b->pid < 0)
			continue;
		snprintf(pid, sizeof(pid), "%ld", b->pid);
		ret = hp_table_add_row(t, (const char *const[]){
			pid, b->comm, b->function });
	}
	mem = ret ? NULL : open_memstream(&buf, &len);
	if (mem && hp_table_rows(t))
		hp_table_print(t, mem);
	if (mem)
		fclose(mem);
	for (p = buf; p && *p; p = nl + 1) {
		nl = strchr(p, '\n');
		if (!nl)
			break;
		fprintf(f, "%s%.*s\n", indent, (int)(nl - p), p);
	}
	free(buf);
	hp_table_free(t);
	/* what did not parse, as the kernel wrote it */
	for (i = 0; i < hp_blocking_count(bl); i++) {
		b = hp_blocking_get(bl, i);
		if (b->pid >= 0)
			continue;
		snprintf(line, sizeof(line), "%.*s%s", BLOCKING_LINE_MAX,
			 b->line,
			 strlen(b->line) > BLOCKING_LINE_MAX ? "..." : "");
		fprintf(f, "%s? %s\n", indent, line);
	}
}

static void vreport(struct cli *cli, int err, const char *reason,
		    const char *hint, const struct hp_blocking *bl,
		    const char *fmt, va_list ap)
{
	char msg[1024];
	json_object *doc, *jb;

	vsnprintf(msg, sizeof(msg), fmt, ap);
	if (!cli->log_why[0]) {
		cli->log_err = abs(err);
		snprintf(cli->log_why, sizeof(cli->log_why), "%.300s%s%.200s", msg,
			 reason && reason[0] ? ": " : "",
			 reason && reason[0] ? reason : "");
	}
	if (cli->o.json) {
		doc = hp_error_to_json(msg, err, reason, hint);
		if (doc && bl) {
			jb = hp_blocking_to_json(bl);
			if (!jb || json_object_object_add(doc, "blocking", jb)) {
				json_object_put(jb);
				json_object_put(doc);
				doc = NULL;
			}
		}
		if (doc) {
			cli_print_json(cli, doc);
			return;
		}
		/* out of memory: fall back to text */
	}
	if (err)
		fprintf(cli->err, "hotpatch: %s: %s (%s)\n", msg,
			strerror(abs(err)),
			hp_errno_name(err) ? hp_errno_name(err) : "?");
	else
		fprintf(cli->err, "hotpatch: %s\n", msg);
	if (reason && reason[0])
		fprintf(cli->err, "  reason: %s\n", reason);
	if (bl && hp_blocking_count(bl)) {
		fprintf(cli->err, "  blocking: %zu task(s) inside the code "
			"being replaced:\n", hp_blocking_count(bl));
		cli_print_blocking(cli->err, "    ", bl);
	} else if (bl) {
		fprintf(cli->err, "  blocking: the core listed no task\n");
	}
	if (hint)
		fprintf(cli->err, "  hint: %s\n", hint);
}

int cli_error(struct cli *cli, int exit, int err, const char *reason,
	      const char *hint, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport(cli, err, reason, hint, NULL, fmt, ap);
	va_end(ap);
	return exit;
}

int cli_error_blocked(struct cli *cli, int exit, int err, const char *reason,
		      const char *hint, const struct hp_blocking *bl,
		      const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport(cli, err, reason, hint, bl, fmt, ap);
	va_end(ap);
	return exit;
}

void cli_info(struct cli *cli, const char *fmt, ...)
{
	va_list ap;

	if (!cli->o.verbose)
		return;
	fputs("hotpatch: ", cli->err);
	va_start(ap, fmt);
	vfprintf(cli->err, fmt, ap);
	va_end(ap);
	fputc('\n', cli->err);
}

int cli_print_json(struct cli *cli, json_object *doc)
{
	int flags = JSON_C_TO_STRING_NOSLASHESCAPE;

	if (!doc) {
		fprintf(cli->err, "hotpatch: %s\n", strerror(ENOMEM));
		return HP_EXIT_ERROR;
	}
	flags |= cli->o.pretty ? JSON_C_TO_STRING_PRETTY |
				 JSON_C_TO_STRING_SPACED :
				 JSON_C_TO_STRING_PLAIN;
	fprintf(cli->out, "%s\n", json_object_to_json_string_ext(doc, flags));
	json_object_put(doc);
	return HP_EXIT_OK;
}

int cli_need_core(struct cli *cli)
{
	int ret = hp_sysfs_probe(cli->sys);

	if (!ret)
		return HP_EXIT_OK;
	if (ret == -ENOENT)
		return cli_error(cli, HP_EXIT_ENV, ret, NULL,
				 "load it with 'modprobe hotpatch' (or "
				 "'hotpatch load --core PATH FILE.ko')",
				 "the hotpatch core is not loaded (%s does "
				 "not exist)", hp_sysfs_root(cli->sys));
	return cli_error(cli, HP_EXIT_ENV, ret, NULL, NULL,
			 "cannot use %s", hp_sysfs_root(cli->sys));
}

int cli_exit_for_refusal(int err)
{
	switch (abs(err)) {
	case EPERM:
	case EACCES:
	case EROFS:
		return HP_EXIT_ENV;
	case ENOMEM:
		return HP_EXIT_ERROR;
	case ETIMEDOUT:		/* tasks blocked the transition: retry later */
		return HP_EXIT_TIMEOUT;
	default:
		return HP_EXIT_REFUSED;
	}
}

/*
 * The tasks that blocked the last transition of name: its own blocking
 * file, else the global one (a failed load leaves no patch directory).
 * NULL when neither can be read.
 */
static struct hp_blocking *read_blocking(struct cli *cli, const char *name)
{
	struct hp_blocking *bl = NULL;
	int ret;

	ret = hp_sysfs_read_blocking(cli->sys, name, &bl);
	if (!ret && hp_blocking_count(bl))
		return bl;
	hp_blocking_free(bl);
	bl = NULL;
	ret = hp_sysfs_read_blocking(cli->sys, NULL, &bl);
	if (ret)
		cli_info(cli, "cannot read %s/blocking: %s",
			 hp_sysfs_root(cli->sys), strerror(-ret));
	return ret ? NULL : bl;
}

/*
 * What to do, when the reason says more than the errno: a revert refused
 * because a newer patch replaces the same function names that patch.
 */
static const char *hint_for(int err, const char *reason, char *buf,
			    size_t size)
{
	char newer[128];

	if (err == EBUSY && reason &&
	    sscanf(reason, "revert '%127[^']' first", newer) == 1) {
		snprintf(buf, size, "patches that replace the same function "
			 "are reverted newest first: 'hotpatch disable %s' "
			 "(or unload it), then retry", newer);
		return buf;
	}
	return hp_errno_advice(err);
}

int cli_report_refusal(struct cli *cli, const char *name, int err,
		       const char *fallback_reason, const char *fmt, ...)
{
	struct hp_last_error *le = NULL;
	struct hp_blocking *bl = NULL;
	const char *reason = fallback_reason;
	int advice_err = abs(err);
	char hint[512];
	va_list ap;
	int ret;

	ret = hp_sysfs_read_last_error(cli->sys, &le);
	if (!ret && hp_last_error_matches(le, name)) {
		reason = hp_last_error_reason(le);
		advice_err = hp_last_error_errno(le);
	} else if (!ret) {
		cli_info(cli, "last_error is about '%s', not '%s'",
			 hp_last_error_patch(le), name);
	} else if (ret != -ENODATA) {
		cli_info(cli, "cannot read last_error: %s", strerror(-ret));
	}
	if (advice_err == ETIMEDOUT)
		bl = read_blocking(cli, name);
	va_start(ap, fmt);
	vreport(cli, err, reason, hint_for(advice_err, reason, hint,
					   sizeof(hint)), bl, fmt, ap);
	va_end(ap);
	hp_blocking_free(bl);
	hp_last_error_free(le);
	return cli_exit_for_refusal(err);
}

/* Commands that change something: each run is logged. */
static bool logged(const struct cli_cmd *cmd)
{
	static const char *const names[] = {
		"load", "unload", "enable", "disable", "install", "uninstall",
		"upgrade", NULL
	};
	const char *const *n;

	for (n = names; *n; n++)
		if (!strcmp(cmd->name, *n))
			return true;
	return false;
}

static bool retries(const struct cli_cmd *cmd)
{
	return !strcmp(cmd->name, "load") || !strcmp(cmd->name, "unload") ||
	       !strcmp(cmd->name, "enable") || !strcmp(cmd->name, "disable") ||
	       !strcmp(cmd->name, "upgrade");
}

/*
 * Run the command; with --retry, again after a timeout (exit 5), up to N
 * times: each attempt's standard output is kept in memory and only the
 * last one's printed, so --json prints one document.
 */
static int run_cmd(struct cli *cli)
{
	unsigned int attempt, tries = retries(cli->o.cmd) ? cli->o.retry : 0;
	FILE *out = cli->out, *mem;
	char *buf = NULL;
	size_t len = 0;
	int ret = HP_EXIT_ERROR;

	for (attempt = 0; attempt <= tries; attempt++) {
		if (attempt) {
			fprintf(cli->err, "hotpatch: timed out; retry %u of "
				"%u in %.1f s\n", attempt, tries,
				cli->o.retry_delay_ms / 1000.0);
			usleep(cli->o.retry_delay_ms * 1000U);
		}
		free(buf);
		buf = NULL;
		mem = tries ? open_memstream(&buf, &len) : NULL;
		cli->out = mem ? mem : out;
		cli->unchanged = false;
		cli->log_err = 0;
		cli->log_why[0] = '\0';
		ret = cli->o.cmd->fn(cli);
		if (mem)
			fclose(mem);
		cli->out = out;
		if (ret != HP_EXIT_TIMEOUT)
			break;
	}
	if (buf)
		fwrite(buf, 1, len, out);
	free(buf);
	if (logged(cli->o.cmd) && !cli->o.all)
		cli_log(cli, cli->o.cmd->name, cli->log_name[0] ?
			cli->log_name : cli->o.nargs ? cli->o.args[0] : NULL,
			"%s (exit %d, %u retries)%s%s%s%s", ret ? "failed" :
			cli->unchanged ? "unchanged" : "ok", ret,
			attempt > tries ? tries : attempt,
			ret && cli->log_err && hp_errno_name(cli->log_err) ?
			": " : "",
			ret && cli->log_err && hp_errno_name(cli->log_err) ?
			hp_errno_name(cli->log_err) : "",
			ret && cli->log_why[0] ? ": " : "",
			ret ? cli->log_why : "");
	return ret;
}

int cli_main(int argc, char **argv, FILE *out, FILE *err)
{
	return cli_run(argc, argv, out, err, &cli_kmod_ops, NULL);
}

int cli_run(int argc, char **argv, FILE *out, FILE *err,
	    const struct cli_module_ops *mod, void *mod_data)
{
	struct cli cli = {
		.out = out, .err = err, .mod = mod, .mod_data = mod_data,
	};
	char msg[256];
	int ret;

	ret = cli_parse(argc, argv, &cli.o, msg, sizeof(msg));
	if (ret) {
		ret = cli_error(&cli, HP_EXIT_USAGE, 0, NULL,
				"see 'hotpatch --help'", "%s", msg);
		goto out;
	}
	if (cli.o.help) {
		cli_usage(out, cli.o.cmd);
		ret = HP_EXIT_OK;
		goto out;
	}
	ret = hp_sysfs_new(NULL, &cli.sys);
	if (ret) {
		ret = cli_error(&cli, HP_EXIT_ERROR, ret, NULL, NULL,
				"cannot use the sysfs root");
		goto out;
	}
	if (cli.o.version || !cli.o.cmd)
		ret = do_version(&cli);
	else
		ret = run_cmd(&cli);
out:
	if (mod && mod->cleanup)
		mod->cleanup(&cli);
	hp_sysfs_free(cli.sys);
	if (fflush(out) && !ret)
		ret = HP_EXIT_ERROR;
	return ret;
}
