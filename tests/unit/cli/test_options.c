// SPDX-License-Identifier: GPL-2.0
/*
 * tools/cli/options.c: the command table, option parsing, and the checks
 * that keep bash completion and the man page in step with the table.
 */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "testlib.h"

#define COMPLETION TOP_DIR "/tools/cli/bash-completion/hotpatch"
#define MANPAGE TOP_DIR "/docs/man/hotpatch.8"

static struct cli_opts o;
static char msg[256];
static char *argv_store[32];

/* cli_parse() on "hotpatch args..." */
static int parse(const char *first, ...)
{
	const char *a;
	va_list ap;
	int argc = 0;

	while (argv_store[argc])
		free(argv_store[argc++]);
	argc = 0;
	argv_store[argc++] = strdup("hotpatch");
	va_start(ap, first);
	for (a = first; a && argc < 31; a = va_arg(ap, const char *))
		argv_store[argc++] = strdup(a);
	va_end(ap);
	argv_store[argc] = NULL;
	return cli_parse(argc, argv_store, &o, msg, sizeof(msg));
}

static void test_each_command_parses_with_its_arguments(void)
{
	CU_ASSERT_EQUAL(parse("load", "fix.ko", NULL), 0);
	CU_ASSERT_STRING_EQUAL(o.cmd->name, "load");
	CU_ASSERT_EQUAL_FATAL(o.nargs, 1);
	CU_ASSERT_STRING_EQUAL(o.args[0], "fix.ko");
	CU_ASSERT_EQUAL(o.timeout_ms, CLI_DEFAULT_TIMEOUT_MS);
	CU_ASSERT_PTR_NULL(o.core_path);

	CU_ASSERT_EQUAL(parse("unload", "fix", NULL), 0);
	CU_ASSERT_STRING_EQUAL(o.cmd->name, "unload");
	CU_ASSERT_EQUAL(parse("enable", "fix", NULL), 0);
	CU_ASSERT_STRING_EQUAL(o.cmd->name, "enable");
	CU_ASSERT_EQUAL(parse("disable", "fix", NULL), 0);
	CU_ASSERT_STRING_EQUAL(o.cmd->name, "disable");
	CU_ASSERT_EQUAL(parse("list", NULL), 0);
	CU_ASSERT_EQUAL(o.nargs, 0);
	CU_ASSERT_EQUAL(parse("status", NULL), 0);
	CU_ASSERT_EQUAL(o.nargs, 0);
	CU_ASSERT_EQUAL(parse("status", "fix", NULL), 0);
	CU_ASSERT_EQUAL(o.nargs, 1);
	CU_ASSERT_EQUAL(parse("version", NULL), 0);
	CU_ASSERT_EQUAL(parse("help", "load", NULL), 0);
	CU_ASSERT_STRING_EQUAL(o.cmd->name, "help");
	CU_ASSERT_EQUAL(parse("verify", "--cert", "c.pem", "fix.ko", NULL), 0);
	CU_ASSERT_STRING_EQUAL(o.cmd->name, "verify");
	CU_ASSERT_STRING_EQUAL(o.cert, "c.pem");
	CU_ASSERT_EQUAL(parse("disable", "--force", "fix", NULL), 0);
	CU_ASSERT_TRUE(o.force);
}

static void test_keys_takes_a_command_of_its_own(void)
{
	CU_ASSERT_EQUAL(parse("keys", "list", "--json", NULL), 0);
	CU_ASSERT_STRING_EQUAL(o.cmd->name, "keys");
	CU_ASSERT_STRING_EQUAL(o.sub->name, "list");
	CU_ASSERT_EQUAL(o.nargs, 0);
	CU_ASSERT_TRUE(o.json);
	CU_ASSERT_EQUAL(parse("keys", "add", "v.pem", NULL), 0);
	CU_ASSERT_STRING_EQUAL(o.sub->name, "add");
	CU_ASSERT_EQUAL_FATAL(o.nargs, 1);
	CU_ASSERT_STRING_EQUAL(o.args[0], "v.pem");
	CU_ASSERT_EQUAL(parse("keys", "lock", NULL), 0);
	CU_ASSERT_STRING_EQUAL(o.sub->name, "lock");

	CU_ASSERT_EQUAL(parse("keys", NULL), -EINVAL);
	CU_ASSERT_STRING_EQUAL(msg, "'keys' needs list | add CERT | lock");
	CU_ASSERT_EQUAL(parse("keys", "drop", NULL), -EINVAL);
	CU_ASSERT_PTR_NOT_NULL(strstr(msg, "unknown 'keys' command 'drop'"));
	CU_ASSERT_EQUAL(parse("keys", "add", NULL), -EINVAL);
	CU_ASSERT_STRING_EQUAL(msg, "'keys add' needs CERT");
	CU_ASSERT_EQUAL(parse("keys", "list", "x", NULL), -EINVAL);
	CU_ASSERT_STRING_EQUAL(msg, "too many arguments for 'keys list': 'x'");
	CU_ASSERT_EQUAL(parse("keys", "--help", NULL), 0);
	CU_ASSERT_TRUE(o.help);
}

static void test_force_and_cert_belong_to_their_commands(void)
{
	CU_ASSERT_EQUAL(parse("load", "--force", "a.ko", NULL), -EINVAL);
	CU_ASSERT_STRING_EQUAL(msg, "unknown option '--force' for 'load'");
	CU_ASSERT_EQUAL(parse("list", "--cert", "c", NULL), -EINVAL);
	CU_ASSERT_EQUAL(parse("verify", "a.ko", "--cert", NULL), -EINVAL);
	CU_ASSERT_STRING_EQUAL(msg, "option '--cert' needs an argument");
}

static void test_global_options_go_before_or_after_the_command(void)
{
	CU_ASSERT_EQUAL(parse("--json", "list", NULL), 0);
	CU_ASSERT_TRUE(o.json);
	CU_ASSERT_EQUAL(parse("list", "-j", NULL), 0);
	CU_ASSERT_TRUE(o.json);
	CU_ASSERT_EQUAL(parse("-v", "status", "fix", "--verbose", NULL), 0);
	CU_ASSERT_TRUE(o.verbose);
	CU_ASSERT_EQUAL(o.nargs, 1);
	CU_ASSERT_EQUAL(parse("status", "-p", NULL), 0);
	CU_ASSERT_TRUE(o.pretty);
	CU_ASSERT_TRUE(o.json);	/* --pretty implies --json */
}

static void test_command_options_may_follow_the_arguments(void)
{
	CU_ASSERT_EQUAL(parse("load", "--timeout", "5", "a.ko", NULL), 0);
	CU_ASSERT_EQUAL(o.timeout_ms, 5000);
	CU_ASSERT_EQUAL(parse("load", "a.ko", "-t", "250ms", NULL), 0);
	CU_ASSERT_EQUAL(o.timeout_ms, 250);
	CU_ASSERT_STRING_EQUAL(o.args[0], "a.ko");
	CU_ASSERT_EQUAL(parse("load", "--timeout=1.5", "--core=/x/hotpatch.ko",
			      "a.ko", NULL), 0);
	CU_ASSERT_EQUAL(o.timeout_ms, 1500);
	CU_ASSERT_STRING_EQUAL(o.core_path, "/x/hotpatch.ko");
	CU_ASSERT_EQUAL(parse("unload", "fix", "--timeout", "0", NULL), 0);
	CU_ASSERT_EQUAL(o.timeout_ms, 0);
}

static void test_a_double_dash_ends_the_options(void)
{
	CU_ASSERT_EQUAL(parse("status", "--", "-odd", NULL), 0);
	CU_ASSERT_EQUAL_FATAL(o.nargs, 1);
	CU_ASSERT_STRING_EQUAL(o.args[0], "-odd");
}

static void test_help_needs_no_arguments_anywhere(void)
{
	CU_ASSERT_EQUAL(parse("--help", NULL), 0);
	CU_ASSERT_TRUE(o.help);
	CU_ASSERT_PTR_NULL(o.cmd);
	CU_ASSERT_EQUAL(parse("load", "--help", NULL), 0);
	CU_ASSERT_TRUE(o.help);
	CU_ASSERT_STRING_EQUAL(o.cmd->name, "load");
	CU_ASSERT_EQUAL(parse("unload", "-h", NULL), 0);
	CU_ASSERT_TRUE(o.help);
	CU_ASSERT_EQUAL(parse("-V", NULL), 0);
	CU_ASSERT_TRUE(o.version);
}

/* "load -V x.ko" used to print the version and load nothing, exit 0 */
static void test_version_after_a_command_is_a_usage_error(void)
{
	CU_ASSERT_EQUAL(parse("load", "-V", "x.ko", NULL), -EINVAL);
	CU_ASSERT_FALSE(o.version);
	CU_ASSERT_PTR_NOT_NULL(strstr(msg, "--version goes before the command"));
	CU_ASSERT_EQUAL(parse("list", "--version", NULL), -EINVAL);
	CU_ASSERT_EQUAL(parse("-V", "list", NULL), 0);
	CU_ASSERT_TRUE(o.version);
}

static void test_unknown_options_are_usage_errors(void)
{
	CU_ASSERT_EQUAL(parse("--bogus", "list", NULL), -EINVAL);
	CU_ASSERT_STRING_EQUAL(msg, "unknown option '--bogus'");
	CU_ASSERT_EQUAL(parse("list", "-x", NULL), -EINVAL);
	CU_ASSERT_STRING_EQUAL(msg, "unknown option '-x' for 'list'");
}

static void test_options_of_other_commands_are_refused(void)
{
	CU_ASSERT_EQUAL(parse("list", "--timeout", "3", NULL), -EINVAL);
	CU_ASSERT_STRING_EQUAL(msg, "unknown option '--timeout' for 'list'");
	CU_ASSERT_EQUAL(parse("unload", "--core", "x", "fix", NULL), -EINVAL);
	CU_ASSERT_EQUAL(parse("--timeout", "3", "load", "a.ko", NULL), -EINVAL);
}

static void test_missing_option_arguments_are_usage_errors(void)
{
	CU_ASSERT_EQUAL(parse("load", "a.ko", "-t", NULL), -EINVAL);
	CU_ASSERT_STRING_EQUAL(msg, "option '-t' needs an argument");
	CU_ASSERT_EQUAL(parse("load", "a.ko", "--core", NULL), -EINVAL);
	CU_ASSERT_STRING_EQUAL(msg, "option '--core' needs an argument");
	CU_ASSERT_EQUAL(parse("load", "a.ko", "--timeout", NULL), -EINVAL);
	CU_ASSERT_STRING_EQUAL(msg, "option '--timeout' needs an argument");
}

static void test_bad_timeouts_are_usage_errors(void)
{
	CU_ASSERT_EQUAL(parse("load", "-t", "soon", "a.ko", NULL), -EINVAL);
	CU_ASSERT_PTR_NOT_NULL(strstr(msg, "invalid --timeout 'soon'"));
	CU_ASSERT_EQUAL(parse("load", "-t", "-1", "a.ko", NULL), -EINVAL);
}

static void test_wrong_argument_counts_are_usage_errors(void)
{
	CU_ASSERT_EQUAL(parse("load", NULL), -EINVAL);
	CU_ASSERT_STRING_EQUAL(msg, "'load' needs FILE.ko");
	CU_ASSERT_EQUAL(parse("unload", NULL), -EINVAL);
	CU_ASSERT_STRING_EQUAL(msg, "'unload' needs NAME");
	CU_ASSERT_EQUAL(parse("enable", "a", "b", NULL), -EINVAL);
	CU_ASSERT_STRING_EQUAL(msg, "too many arguments for 'enable': 'b'");
	CU_ASSERT_EQUAL(parse("list", "x", NULL), -EINVAL);
	CU_ASSERT_EQUAL(parse("status", "a", "b", NULL), -EINVAL);
}

static void test_missing_and_unknown_commands_are_usage_errors(void)
{
	CU_ASSERT_EQUAL(parse(NULL), -EINVAL);
	CU_ASSERT_STRING_EQUAL(msg, "no command given");
	CU_ASSERT_EQUAL(parse("-j", NULL), -EINVAL);
	CU_ASSERT_EQUAL(parse("lst", NULL), -EINVAL);
	CU_ASSERT_STRING_EQUAL(msg, "unknown command 'lst'");
}

static void test_every_command_is_complete_in_the_table(void)
{
	const struct cli_cmd *c;

	for (c = cli_cmds; c->name; c++) {
		CU_ASSERT_PTR_NOT_NULL(c->fn);
		CU_ASSERT_PTR_NOT_NULL(c->args);
		CU_ASSERT_PTR_NOT_NULL(c->summary);
		CU_ASSERT(c->min_args <= c->max_args);
		CU_ASSERT_PTR_EQUAL(cli_cmd_find(c->name), c);
	}
	CU_ASSERT_PTR_NULL(cli_cmd_find("nope"));
}

static void test_usage_lists_every_command_and_option(void)
{
	const struct cli_option *opt;
	const struct cli_cmd *c;
	char *buf = NULL, want[64];
	size_t len;
	FILE *f = open_memstream(&buf, &len);

	cli_usage(f, NULL);
	for (c = cli_cmds; c->name; c++)
		cli_usage(f, c);
	fclose(f);
	for (c = cli_cmds; c->name; c++) {
		snprintf(want, sizeof(want), "  %s ", c->name);
		CU_ASSERT_PTR_NOT_NULL(strstr(buf, want));
	}
	for (opt = cli_options; opt->name; opt++) {
		snprintf(want, sizeof(want), "--%s", opt->name);
		CU_ASSERT_PTR_NOT_NULL(strstr(buf, want));
	}
	free(buf);
}

/* ---- bash completion and man page against the table ---- */

static char *slurp(const char *path)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = fopen(path, "r");

	if (!f)
		return NULL;
	if (getdelim(&buf, &len, '\0', f) < 0) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	return buf;
}

/* Words of `local <var>="..."` in the completion script, space-padded:
 * " load unload ". */
static bool completion_words(const char *script, const char *var, char *out,
			     size_t size)
{
	char key[64];
	const char *p, *end;

	snprintf(key, sizeof(key), "local %s=\"", var);
	p = strstr(script, key);
	if (!p)
		return false;
	p += strlen(key);
	end = strchr(p, '"');
	if (!end || (size_t)(end - p) + 3 > size)
		return false;
	snprintf(out, size, " %.*s ", (int)(end - p), p);
	return true;
}

static size_t count_words(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		if (*s != ' ' && (s[1] == ' ' || !s[1]))
			n++;
	return n;
}

static void test_bash_completion_offers_exactly_the_commands(void)
{
	char *script = slurp(COMPLETION), words[512], want[64];
	const struct cli_cmd *c;
	size_t n = 0;

	CU_ASSERT_PTR_NOT_NULL_FATAL(script);
	CU_ASSERT_FATAL(completion_words(script, "cmds", words, sizeof(words)));
	for (c = cli_cmds; c->name; c++, n++) {
		snprintf(want, sizeof(want), " %s ", c->name);
		CU_ASSERT_PTR_NOT_NULL(strstr(words, want));
	}
	CU_ASSERT_EQUAL(count_words(words), n);

	CU_ASSERT_FATAL(completion_words(script, "keys_cmds", words,
					 sizeof(words)));
	for (n = 0, c = cli_keys_cmds; c->name; c++, n++) {
		snprintf(want, sizeof(want), " %s ", c->name);
		CU_ASSERT_PTR_NOT_NULL(strstr(words, want));
	}
	CU_ASSERT_EQUAL(count_words(words), n);
	free(script);
}

static void test_bash_completion_offers_exactly_each_commands_options(void)
{
	char *script = slurp(COMPLETION), words[512], want[64], var[64];
	const struct cli_option *opt;
	const struct cli_cmd *c;
	size_t n;

	CU_ASSERT_PTR_NOT_NULL_FATAL(script);
	CU_ASSERT_FATAL(completion_words(script, "global_opts", words,
					 sizeof(words)));
	for (n = 0, opt = cli_options; opt->name; opt++) {
		if (opt->cmds)
			continue;
		snprintf(want, sizeof(want), " --%s ", opt->name);
		CU_ASSERT_PTR_NOT_NULL(strstr(words, want));
		n++;
	}
	CU_ASSERT_EQUAL(count_words(words), n);

	for (c = cli_cmds; c->name; c++) {
		snprintf(var, sizeof(var), "opts_%s", c->name);
		CU_ASSERT_FATAL(completion_words(script, var, words,
						 sizeof(words)));
		for (n = 0, opt = cli_options; opt->name; opt++) {
			if (!opt->cmds || !cli_option_applies(opt, c))
				continue;
			snprintf(want, sizeof(want), " --%s ", opt->name);
			CU_ASSERT_PTR_NOT_NULL(strstr(words, want));
			n++;
		}
		CU_ASSERT_EQUAL(count_words(words), n);
	}
	free(script);
}

static void test_the_man_page_documents_commands_options_and_exit_codes(void)
{
	char *man = slurp(MANPAGE), want[64];
	const struct cli_option *opt;
	const struct cli_cmd *c;
	int code;

	CU_ASSERT_PTR_NOT_NULL_FATAL(man);
	for (c = cli_cmds; c->name; c++) {
		snprintf(want, sizeof(want), "\n.SS %s", c->name);
		CU_ASSERT_PTR_NOT_NULL(strstr(man, want));
	}
	for (opt = cli_options; opt->name; opt++) {
		snprintf(want, sizeof(want), "\\-\\-%s", opt->name);
		CU_ASSERT_PTR_NOT_NULL(strstr(man, want));
	}
	for (c = cli_keys_cmds; c->name; c++) {
		snprintf(want, sizeof(want), ".B keys %s", c->name);
		CU_ASSERT_PTR_NOT_NULL(strstr(man, want));
	}
	for (code = HP_EXIT_OK; code <= HP_EXIT_MAX; code++) {
		snprintf(want, sizeof(want), "\n.B %d\n", code);
		CU_ASSERT_PTR_NOT_NULL(strstr(man, want));
	}
	free(man);
}

static int cleanup(void)
{
	int i;

	for (i = 0; argv_store[i]; i++) {
		free(argv_store[i]);
		argv_store[i] = NULL;
	}
	return 0;
}

void suite_options(void)
{
	CU_pSuite s = test_suite("options", NULL, cleanup);

	ADD_TEST(s, test_each_command_parses_with_its_arguments);
	ADD_TEST(s, test_keys_takes_a_command_of_its_own);
	ADD_TEST(s, test_force_and_cert_belong_to_their_commands);
	ADD_TEST(s, test_global_options_go_before_or_after_the_command);
	ADD_TEST(s, test_command_options_may_follow_the_arguments);
	ADD_TEST(s, test_a_double_dash_ends_the_options);
	ADD_TEST(s, test_help_needs_no_arguments_anywhere);
	ADD_TEST(s, test_version_after_a_command_is_a_usage_error);
	ADD_TEST(s, test_unknown_options_are_usage_errors);
	ADD_TEST(s, test_options_of_other_commands_are_refused);
	ADD_TEST(s, test_missing_option_arguments_are_usage_errors);
	ADD_TEST(s, test_bad_timeouts_are_usage_errors);
	ADD_TEST(s, test_wrong_argument_counts_are_usage_errors);
	ADD_TEST(s, test_missing_and_unknown_commands_are_usage_errors);
	ADD_TEST(s, test_every_command_is_complete_in_the_table);
	ADD_TEST(s, test_usage_lists_every_command_and_option);
	ADD_TEST(s, test_bash_completion_offers_exactly_the_commands);
	ADD_TEST(s, test_bash_completion_offers_exactly_each_commands_options);
	ADD_TEST(s, test_the_man_page_documents_commands_options_and_exit_codes);
}
