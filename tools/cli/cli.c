// SPDX-License-Identifier: GPL-2.0
/* Dispatch, and the one place errors are printed. */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static void vreport(struct cli *cli, int err, const char *reason,
		    const char *hint, const char *fmt, va_list ap)
{
	char msg[1024];
	json_object *doc;

	vsnprintf(msg, sizeof(msg), fmt, ap);
	if (cli->o.json) {
		doc = hp_error_to_json(msg, err, reason, hint);
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
	if (hint)
		fprintf(cli->err, "  hint: %s\n", hint);
}

int cli_error(struct cli *cli, int exit, int err, const char *reason,
	      const char *hint, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport(cli, err, reason, hint, fmt, ap);
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
	default:
		return HP_EXIT_REFUSED;
	}
}

int cli_report_refusal(struct cli *cli, const char *name, int err,
		       const char *fallback_reason, const char *fmt, ...)
{
	struct hp_last_error *le = NULL;
	const char *reason = fallback_reason;
	int advice_err = err;
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
	va_start(ap, fmt);
	vreport(cli, err, reason, hp_errno_advice(advice_err), fmt, ap);
	va_end(ap);
	hp_last_error_free(le);
	return cli_exit_for_refusal(err);
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
		ret = cli.o.cmd->fn(&cli);
out:
	if (mod && mod->cleanup)
		mod->cleanup(&cli);
	hp_sysfs_free(cli.sys);
	if (fflush(out) && !ret)
		ret = HP_EXIT_ERROR;
	return ret;
}
