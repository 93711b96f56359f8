// SPDX-License-Identifier: GPL-2.0
/*
 * The command and option tables, and the parser that turns argv into
 * struct cli_opts. The bash completion and the man page are checked
 * against these tables by tests/unit/cli/test_options.c.
 */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

const struct cli_cmd cli_cmds[] = {
	{ "load", do_load, "FILE.ko", 1, 1,
	  "insert a patch module (a file, or an installed patch) and "
	  "confirm that it is applied", NULL },
	{ "unload", do_unload, "NAME", 1, 1,
	  "revert a patch and remove its module", NULL },
	{ "enable", do_enable, "NAME", 1, 1,
	  "apply a loaded patch again", NULL },
	{ "disable", do_disable, "NAME", 1, 1,
	  "revert a patch, keeping its module loaded", NULL },
	{ "list", do_list, "", 0, 0,
	  "one line per patch", NULL },
	{ "status", do_status, "[NAME]", 0, 1,
	  "the core and every patch in detail, or one patch", NULL },
	{ "keys", do_keys, "list | add CERT | lock", 1, 2,
	  "list, add or lock the certificates the core trusts",
	  cli_keys_cmds },
	{ "verify", do_verify, "FILE.ko", 1, 1,
	  "check a patch module offline: signatures, manifest, fit to "
	  "this kernel", NULL },
	{ "install", do_install, "FILE.ko", 1, 1,
	  "verify a patch module and install it: loaded at every boot of "
	  "its kernel", NULL },
	{ "uninstall", do_uninstall, "NAME", 1, 1,
	  "remove an installed patch (it stays loaded until unloaded)",
	  NULL },
	{ "upgrade", do_upgrade, "FILE.ko", 1, 1,
	  "verify, install and apply a newer version of a cumulative patch "
	  "series; unload and uninstall its older versions", NULL },
	{ "check", do_check, "", 0, 0,
	  "exit 0 when every installed patch is applied, 8 otherwise",
	  NULL },
	{ "metrics", do_metrics, "", 0, 0,
	  "write the Prometheus node_exporter textfile of the patches "
	  "(applied, forced, version, when; installed but not loaded)",
	  NULL },
	{ "version", do_version, "", 0, 0,
	  "versions of this tool and of the loaded core", NULL },
	{ "help", do_help, "[COMMAND]", 0, 1,
	  "help on all commands or on one", NULL },
	{ NULL, NULL, NULL, 0, 0, NULL, NULL },
};

const struct cli_cmd cli_keys_cmds[] = {
	{ "list", do_keys_list, "", 0, 0,
	  "one line per trusted certificate", NULL },
	{ "add", do_keys_add, "CERT", 1, 1,
	  "add a certificate (DER or PEM) to the core's keyring", NULL },
	{ "lock", do_keys_lock, "", 0, 0,
	  "refuse further certificates until the core is reloaded", NULL },
	{ NULL, NULL, NULL, 0, 0, NULL, NULL },
};

static const char *const cmds_timeout[] = {
	"load", "unload", "enable", "disable", "upgrade", NULL
};
static const char *const cmds_core[] = { "load", NULL };
static const char *const cmds_all[] = { "load", "unload", NULL };
static const char *const cmds_boot[] = { "load", NULL };
static const char *const cmds_force[] = {
	"unload", "enable", "disable", NULL
};
static const char *const cmds_cert[] = {
	"verify", "install", "upgrade", NULL
};
static const char *const cmds_output[] = { "metrics", NULL };

const struct cli_option cli_options[] = {
	{ "json", no_argument, 'j', NULL, NULL,
	  "print JSON (errors too, on standard output)" },
	{ "pretty", no_argument, 'p', NULL, NULL,
	  "print indented JSON (implies --json)" },
	{ "verbose", no_argument, 'v', NULL, NULL,
	  "say what is done, and list unreadable sysfs values" },
	{ "help", no_argument, 'h', NULL, NULL,
	  "show help and exit" },
	{ "version", no_argument, 'V', NULL, NULL,
	  "show the version and exit" },
	{ "timeout", required_argument, 't', "SECONDS", cmds_timeout,
	  "how long to wait for the patch to reach its state (default 30; "
	  "units ms, s, m accepted)" },
	{ "core", required_argument, OPT_CORE, "PATH", cmds_core,
	  "if the core is not loaded, insert this hotpatch.ko "
	  "instead of 'modprobe hotpatch'" },
	{ "force", no_argument, OPT_FORCE, NULL, cmds_force,
	  "skip the core's check for tasks inside the code being replaced "
	  "(dangerous; the patch module then stays loaded until reboot)" },
	{ "cert", required_argument, OPT_CERT, "CERT", cmds_cert,
	  "check the signatures against this certificate (DER or PEM; "
	  "install: default every file in " HP_KEYS_DIR_DEFAULT ")" },
	{ "all", no_argument, OPT_ALL, NULL, cmds_all,
	  "every installed patch of the running kernel (load), every "
	  "loaded patch, newest first (unload)" },
	{ "boot", no_argument, OPT_BOOT, NULL, cmds_boot,
	  "what hotpatch.service runs: --all, the core even with nothing "
	  "installed, nothing with hotpatch.enable=0 on the kernel command "
	  "line" },
	{ "retry", required_argument, OPT_RETRY, "N", cmds_timeout,
	  "after a transition timed out (exit 5), try again up to N times" },
	{ "retry-delay", required_argument, OPT_RETRY_DELAY, "SECONDS",
	  cmds_timeout,
	  "wait this long before each retry (default 1; units ms, s, m)" },
	{ "output", required_argument, OPT_OUTPUT, "FILE", cmds_output,
	  "write here (atomically: a temporary file renamed), '-' for "
	  "standard output (default " HP_METRICS_DEFAULT ", or "
	  "$HOTPATCH_METRICS)" },
	{ NULL, 0, 0, NULL, NULL, NULL },
};

const struct cli_cmd *cli_cmd_find(const char *name)
{
	const struct cli_cmd *c;

	for (c = cli_cmds; c->name; c++)
		if (!strcmp(c->name, name))
			return c;
	return NULL;
}

const struct cli_cmd *cli_subcmd_find(const struct cli_cmd *cmd,
				      const char *name)
{
	const struct cli_cmd *c;

	for (c = cmd->subcmds; c && c->name; c++)
		if (!strcmp(c->name, name))
			return c;
	return NULL;
}

bool cli_option_applies(const struct cli_option *opt,
			const struct cli_cmd *cmd)
{
	const char *const *n;

	if (!opt->cmds)
		return true;
	if (!cmd)
		return false;
	for (n = opt->cmds; *n; n++)
		if (!strcmp(*n, cmd->name))
			return true;
	return false;
}

#define MAX_OPTS 16

/* getopt tables for cmd (NULL: global options only). */
static void build_getopt(const struct cli_cmd *cmd, struct option *lo,
			 char *so)
{
	const struct cli_option *opt;
	size_t n = 0;

	*so++ = ':';	/* report a missing argument as ':' */
	for (opt = cli_options; opt->name && n < MAX_OPTS; opt++) {
		if (!cli_option_applies(opt, cmd))
			continue;
		lo[n].name = opt->name;
		lo[n].has_arg = opt->has_arg;
		lo[n].flag = NULL;
		lo[n].val = opt->val;
		n++;
		if (opt->val < 256) {
			*so++ = (char)opt->val;
			if (opt->has_arg == required_argument)
				*so++ = ':';
		}
	}
	memset(&lo[n], 0, sizeof(lo[n]));
	*so = '\0';
}

static int fail(char *msg, size_t msgsz, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail(char *msg, size_t msgsz, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, msgsz, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

/* Name of the option getopt just choked on, for messages. */
static const char *bad_option(char **argv)
{
	static char buf[8];
	const char *last = optind > 0 ? argv[optind - 1] : NULL;

	if (last && (!optopt || optopt >= 256 || !strncmp(last, "--", 2)))
		return last;
	snprintf(buf, sizeof(buf), "-%c", optopt);
	return buf;
}

static int parse_one(struct cli_opts *o, int c, char **argv,
		     const char *cmdname, char *msg, size_t msgsz)
{
	uint64_t u;
	int ret;

	switch (c) {
	case 'j':
		o->json = true;
		break;
	case 'p':
		o->json = o->pretty = true;
		break;
	case 'v':
		o->verbose = true;
		break;
	case 'h':
		o->help = true;
		break;
	case 'V':
		/* after a command it would turn "load -V x.ko" into a no-op */
		if (cmdname)
			return fail(msg, msgsz, "--version goes before the "
				    "command ('hotpatch --version'), not after "
				    "'%s'", cmdname);
		o->version = true;
		break;
	case 't':
		ret = hp_parse_duration(optarg, &o->timeout_ms);
		if (ret)
			return fail(msg, msgsz, "invalid --timeout '%s': "
				    "expected seconds, e.g. 30, 2.5, 500ms",
				    optarg);
		break;
	case OPT_CORE:
		o->core_path = optarg;
		break;
	case OPT_FORCE:
		o->force = true;
		break;
	case OPT_CERT:
		o->cert = optarg;
		break;
	case OPT_ALL:
		o->all = true;
		break;
	case OPT_BOOT:
		o->all = o->boot = true;
		break;
	case OPT_RETRY:
		ret = hp_parse_u64(optarg, &u);
		if (ret || u > 100)
			return fail(msg, msgsz, "invalid --retry '%s': "
				    "expected a count from 0 to 100", optarg);
		o->retry = (unsigned int)u;
		break;
	case OPT_RETRY_DELAY:
		ret = hp_parse_duration(optarg, &o->retry_delay_ms);
		if (ret)
			return fail(msg, msgsz, "invalid --retry-delay '%s': "
				    "expected seconds, e.g. 1, 2.5, 500ms",
				    optarg);
		break;
	case OPT_OUTPUT:
		if (!optarg[0])
			return fail(msg, msgsz, "--output needs a file name, "
				    "or '-' for standard output");
		o->output = optarg;
		break;
	case ':':
		return fail(msg, msgsz, "option '%s' needs an argument",
			    bad_option(argv));
	default:
		if (cmdname)
			return fail(msg, msgsz,
				    "unknown option '%s' for '%s'",
				    bad_option(argv), cmdname);
		return fail(msg, msgsz, "unknown option '%s'",
			    bad_option(argv));
	}
	return 0;
}

int cli_parse(int argc, char **argv, struct cli_opts *o, char *msg,
	      size_t msgsz)
{
	struct option lo[MAX_OPTS + 1];
	char so[2 * MAX_OPTS + 2];
	const struct cli_cmd *cmd;
	int c, ret, first, sub_argc;
	char **sub_argv;

	memset(o, 0, sizeof(*o));
	o->timeout_ms = CLI_DEFAULT_TIMEOUT_MS;
	o->retry_delay_ms = 1000;
	msg[0] = '\0';

	/* global options, up to the command ('+': stop there) */
	build_getopt(NULL, lo, so + 1);
	so[0] = '+';
	opterr = 0;
	optind = 0;
	while ((c = getopt_long(argc, argv, so, lo, NULL)) != -1) {
		ret = parse_one(o, c, argv, NULL, msg, msgsz);
		if (ret)
			return ret;
	}
	first = optind;
	if (first >= argc) {
		if (o->help || o->version)
			return 0;
		return fail(msg, msgsz, "no command given");
	}
	cmd = cli_cmd_find(argv[first]);
	if (!cmd)
		return fail(msg, msgsz, "unknown command '%s'", argv[first]);
	o->cmd = cmd;

	/* the command's options, anywhere after it ("--" ends them) */
	sub_argc = argc - first;
	sub_argv = argv + first;
	build_getopt(cmd, lo, so);
	optind = 0;
	while ((c = getopt_long(sub_argc, sub_argv, so, lo, NULL)) != -1) {
		ret = parse_one(o, c, sub_argv, cmd->name, msg, msgsz);
		if (ret)
			return ret;
	}
	o->args = sub_argv + optind;
	o->nargs = sub_argc - optind;
	if (cmd->subcmds && o->nargs) {
		o->sub = cli_subcmd_find(cmd, o->args[0]);
		if (!o->sub && !o->help)
			return fail(msg, msgsz, "unknown '%s' command '%s': "
				    "expected %s", cmd->name, o->args[0],
				    cmd->args);
		o->args++;
		o->nargs--;
		if (o->sub)
			cmd = o->sub;
	} else if (cmd->subcmds && !o->help && !o->version) {
		return fail(msg, msgsz, "'%s' needs %s", cmd->name, cmd->args);
	}
	if (o->help || o->version)
		return 0;
	if (o->all && o->nargs)
		return fail(msg, msgsz, "'%s --all' takes no %s", cmd->name,
			    strtok(strdupa(cmd->args), " "));
	if (o->all)
		return 0;
	if (o->nargs < cmd->min_args)
		return fail(msg, msgsz, "'%s%s%s' needs %s",
			    o->sub ? o->cmd->name : "", o->sub ? " " : "",
			    cmd->name, cmd->args);
	if (o->nargs > cmd->max_args)
		return fail(msg, msgsz, "too many arguments for '%s%s%s': '%s'",
			    o->sub ? o->cmd->name : "", o->sub ? " " : "",
			    cmd->name, o->args[cmd->max_args]);
	return 0;
}

static void print_options(FILE *f, const struct cli_cmd *cmd, bool global)
{
	const struct cli_option *opt;
	char left[64];

	for (opt = cli_options; opt->name; opt++) {
		if (global != !opt->cmds || !cli_option_applies(opt, cmd))
			continue;
		if (opt->val < 256)
			snprintf(left, sizeof(left), "-%c, --%s%s%s",
				 opt->val, opt->name, opt->argname ? " " : "",
				 opt->argname ? opt->argname : "");
		else
			snprintf(left, sizeof(left), "    --%s%s%s", opt->name,
				 opt->argname ? " " : "",
				 opt->argname ? opt->argname : "");
		fprintf(f, "  %-24s %s\n", left, opt->help);
	}
}

void cli_usage(FILE *f, const struct cli_cmd *cmd)
{
	const struct cli_cmd *c;
	const struct cli_option *opt;
	bool any = false;

	if (cmd) {
		fprintf(f, "Usage: hotpatch %s [OPTIONS]%s%s\n\n%s.\n",
			cmd->name, cmd->args[0] ? " " : "", cmd->args,
			cmd->summary);
		if (cmd->subcmds) {
			fprintf(f, "\nCommands:\n");
			for (c = cmd->subcmds; c->name; c++)
				fprintf(f, "  %s %-6s %-6s %s\n", cmd->name,
					c->name, c->args, c->summary);
		}
		for (opt = cli_options; opt->name; opt++)
			if (opt->cmds && cli_option_applies(opt, cmd))
				any = true;
		if (any) {
			fprintf(f, "\nOptions:\n");
			print_options(f, cmd, false);
		}
		fprintf(f, "\nCommon options:\n");
		print_options(f, cmd, true);
		fprintf(f, "\nSee hotpatch(8) for exit codes.\n");
		return;
	}
	fprintf(f, "Usage: hotpatch [OPTIONS] COMMAND [ARGS]\n\n"
		"Load, apply, revert and inspect live patches of the running "
		"kernel.\n\nCommands:\n");
	for (c = cli_cmds; c->name; c++)
		fprintf(f, "  %-8s %-10s %s\n", c->name,
			c->subcmds ? "COMMAND" : c->args, c->summary);
	fprintf(f, "\nOptions:\n");
	print_options(f, NULL, true);
	fprintf(f, "\n'hotpatch help COMMAND' or 'hotpatch COMMAND --help' "
		"for a command's options.\n"
		"Environment: %s overrides the sysfs root (default %s).\n",
		HP_SYSFS_ENV, HP_SYSFS_DEFAULT);
}
