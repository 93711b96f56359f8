// SPDX-License-Identifier: GPL-2.0
/* tools/cli/cli.c: the error function, exit codes and dispatch. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "testlib.h"

/* A struct cli writing into memory, on the fake tree. */
struct capture {
	struct cli cli;
	char *out, *err;
	size_t outlen, errlen;
};

static void capture_open(struct capture *c, bool json)
{
	memset(c, 0, sizeof(*c));
	c->cli.out = open_memstream(&c->out, &c->outlen);
	c->cli.err = open_memstream(&c->err, &c->errlen);
	c->cli.o.json = json;
	hp_sysfs_new(NULL, &c->cli.sys);
}

static void capture_close(struct capture *c)
{
	fclose(c->cli.out);
	fclose(c->cli.err);
	hp_sysfs_free(c->cli.sys);
}

static void capture_free(struct capture *c)
{
	free(c->out);
	free(c->err);
}

static const char *jstr(json_object *o, const char *key)
{
	json_object *v = NULL;

	if (!json_object_object_get_ex(o, key, &v))
		return NULL;
	return json_object_get_string(v);
}

static int jint(json_object *o, const char *key)
{
	json_object *v = NULL;

	json_object_object_get_ex(o, key, &v);
	return json_object_get_int(v);
}

static void test_errors_print_message_errno_reason_and_hint_as_text(void)
{
	struct capture c;

	capture_open(&c, false);
	CU_ASSERT_EQUAL(cli_error(&c.cli, HP_EXIT_REFUSED, -EBUSY, "owned",
				  "do this", "cannot %s", "load"),
			HP_EXIT_REFUSED);
	capture_close(&c);
	CU_ASSERT_STRING_EQUAL(c.out, "");
	CU_ASSERT_STRING_EQUAL(c.err,
		"hotpatch: cannot load: Device or resource busy (EBUSY)\n"
		"  reason: owned\n"
		"  hint: do this\n");
	capture_free(&c);
}

static void test_errors_without_errno_print_just_the_message(void)
{
	struct capture c;

	capture_open(&c, false);
	cli_error(&c.cli, HP_EXIT_USAGE, 0, "", NULL, "bad");
	capture_close(&c);
	CU_ASSERT_STRING_EQUAL(c.err, "hotpatch: bad\n");
	capture_free(&c);
}

static void test_errors_print_one_json_object_on_stdout_with_json(void)
{
	struct capture c;
	json_object *j;

	capture_open(&c, true);
	cli_error(&c.cli, HP_EXIT_NOTFOUND, -ENOENT, NULL, "see list",
		  "no patch named '%s'", "x");
	capture_close(&c);
	CU_ASSERT_STRING_EQUAL(c.err, "");
	j = json_tokener_parse(c.out);
	CU_ASSERT_PTR_NOT_NULL_FATAL(j);
	CU_ASSERT_STRING_EQUAL(jstr(j, "error"), "no patch named 'x'");
	CU_ASSERT_EQUAL(jint(j, "errno"), ENOENT);
	CU_ASSERT_STRING_EQUAL(jstr(j, "errno_name"), "ENOENT");
	CU_ASSERT_STRING_EQUAL(jstr(j, "hint"), "see list");
	CU_ASSERT_PTR_NULL(jstr(j, "reason"));
	json_object_put(j);
	capture_free(&c);
}

static void test_exit_codes_are_distinct_and_stable(void)
{
	CU_ASSERT_EQUAL(HP_EXIT_OK, 0);
	CU_ASSERT_EQUAL(HP_EXIT_USAGE, 1);
	CU_ASSERT_EQUAL(HP_EXIT_REFUSED, 2);
	CU_ASSERT_EQUAL(HP_EXIT_NOTFOUND, 3);
	CU_ASSERT_EQUAL(HP_EXIT_ENV, 4);
	CU_ASSERT_EQUAL(HP_EXIT_TIMEOUT, 5);
	CU_ASSERT_EQUAL(HP_EXIT_ERROR, 6);
}

static void test_permission_refusals_are_environment_errors(void)
{
	CU_ASSERT_EQUAL(cli_exit_for_refusal(-EPERM), HP_EXIT_ENV);
	CU_ASSERT_EQUAL(cli_exit_for_refusal(EACCES), HP_EXIT_ENV);
	CU_ASSERT_EQUAL(cli_exit_for_refusal(-EROFS), HP_EXIT_ENV);
}

static void test_other_refusals_are_patch_refusals(void)
{
	CU_ASSERT_EQUAL(cli_exit_for_refusal(-EBUSY), HP_EXIT_REFUSED);
	CU_ASSERT_EQUAL(cli_exit_for_refusal(-ENOENT), HP_EXIT_REFUSED);
	CU_ASSERT_EQUAL(cli_exit_for_refusal(-EKEYREJECTED), HP_EXIT_REFUSED);
	CU_ASSERT_EQUAL(cli_exit_for_refusal(-EEXIST), HP_EXIT_REFUSED);
	CU_ASSERT_EQUAL(cli_exit_for_refusal(-ENOMEM), HP_EXIT_ERROR);
}

static void test_a_refusal_quotes_the_cores_reason_for_this_patch(void)
{
	struct capture c;
	json_object *j;

	fake_setup();
	fake_write("last_error", "fix_foo\t-126\tsigned by unknown key 'X'\n");
	capture_open(&c, true);
	CU_ASSERT_EQUAL(cli_report_refusal(&c.cli, "fix-foo", -EBADMSG, NULL,
					   "cannot load patch '%s'", "fix_foo"),
			HP_EXIT_REFUSED);
	capture_close(&c);
	j = json_tokener_parse(c.out);
	CU_ASSERT_PTR_NOT_NULL_FATAL(j);
	CU_ASSERT_EQUAL(jint(j, "errno"), EBADMSG);
	CU_ASSERT_STRING_EQUAL(jstr(j, "reason"), "signed by unknown key 'X'");
	/* the advice follows the core's errno */
	CU_ASSERT_STRING_EQUAL(jstr(j, "hint"), hp_errno_advice(ENOKEY));
	json_object_put(j);
	capture_free(&c);
}

static void test_a_refusal_ignores_last_error_about_another_patch(void)
{
	struct capture c;
	json_object *j;

	fake_setup();
	fake_write("last_error", "fix_other\t16\tnot you\n");
	capture_open(&c, true);
	CU_ASSERT_EQUAL(cli_report_refusal(&c.cli, "fix_foo", -EPERM, "mine",
					   "cannot load"), HP_EXIT_ENV);
	capture_close(&c);
	j = json_tokener_parse(c.out);
	CU_ASSERT_PTR_NOT_NULL_FATAL(j);
	CU_ASSERT_STRING_EQUAL(jstr(j, "reason"), "mine");
	CU_ASSERT_STRING_EQUAL(jstr(j, "hint"), hp_errno_advice(EPERM));
	json_object_put(j);
	capture_free(&c);
}

static void test_a_refusal_survives_a_missing_or_malformed_last_error(void)
{
	struct capture c;

	fake_setup();
	fake_write("last_error", NULL);
	capture_open(&c, false);
	c.cli.o.verbose = true;
	CU_ASSERT_EQUAL(cli_report_refusal(&c.cli, "fix_foo", -EEXIST, NULL,
					   "cannot load"), HP_EXIT_REFUSED);
	fake_write("last_error", "junk\n");
	CU_ASSERT_EQUAL(cli_report_refusal(&c.cli, "fix_foo", -EEXIST, NULL,
					   "cannot load"), HP_EXIT_REFUSED);
	capture_close(&c);
	CU_ASSERT_PTR_NOT_NULL(strstr(c.err, "cannot read last_error"));
	CU_ASSERT_PTR_NULL(strstr(c.err, "reason:"));
	CU_ASSERT_PTR_NOT_NULL(strstr(c.err, "already loaded"));
	capture_free(&c);
}

static void test_a_missing_core_is_an_environment_error(void)
{
	struct capture c;

	fake_setup();
	fake_teardown();
	capture_open(&c, false);
	CU_ASSERT_EQUAL(cli_need_core(&c.cli), HP_EXIT_ENV);
	capture_close(&c);
	CU_ASSERT_PTR_NOT_NULL(strstr(c.err, "the hotpatch core is not loaded"));
	CU_ASSERT_PTR_NOT_NULL(strstr(c.err, "modprobe hotpatch"));
	capture_free(&c);
	fake_setup();
}

static void test_usage_errors_exit_1_and_speak_json_when_asked(void)
{
	struct run r = run_cli(NULL, "--json", "list", "extra", NULL);

	CU_ASSERT_EQUAL(r.rc, HP_EXIT_USAGE);
	CU_ASSERT_PTR_NOT_NULL_FATAL(r.json);
	CU_ASSERT_STRING_EQUAL(jstr(r.json, "error"),
			       "too many arguments for 'list': 'extra'");
	CU_ASSERT_EQUAL(jint(r.json, "errno"), 0);
	run_free(&r);

	r = run_cli(NULL, "frobnicate", NULL);
	CU_ASSERT_EQUAL(r.rc, HP_EXIT_USAGE);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.err, "unknown command 'frobnicate'"));
	run_free(&r);
}

static void test_help_exits_0_with_usage_on_stdout(void)
{
	struct run r = run_cli(NULL, "--help", NULL);

	CU_ASSERT_EQUAL(r.rc, HP_EXIT_OK);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.out, "Usage: hotpatch [OPTIONS]"));
	CU_ASSERT_STRING_EQUAL(r.err, "");
	run_free(&r);
	r = run_cli(NULL, "unload", "--help", NULL);
	CU_ASSERT_EQUAL(r.rc, HP_EXIT_OK);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.out, "Usage: hotpatch unload"));
	CU_ASSERT_PTR_NOT_NULL(strstr(r.out, "--timeout"));
	run_free(&r);
}

static void test_a_failed_write_to_stdout_is_an_error(void)
{
	FILE *full = fopen("/dev/full", "w");
	FILE *err = fopen("/dev/null", "w");
	char *argv[] = { "hotpatch", "version", NULL };

	CU_ASSERT_PTR_NOT_NULL_FATAL(full);
	CU_ASSERT_EQUAL(cli_run(2, argv, full, err, &fake_mod_ops, NULL),
			HP_EXIT_ERROR);
	fclose(full);
	fclose(err);
}

static int setup(void)
{
	fake_setup();
	return 0;
}

static int teardown(void)
{
	fake_teardown();
	return 0;
}

void suite_cli(void)
{
	CU_pSuite s = test_suite("cli", setup, teardown);

	ADD_TEST(s, test_errors_print_message_errno_reason_and_hint_as_text);
	ADD_TEST(s, test_errors_without_errno_print_just_the_message);
	ADD_TEST(s, test_errors_print_one_json_object_on_stdout_with_json);
	ADD_TEST(s, test_exit_codes_are_distinct_and_stable);
	ADD_TEST(s, test_permission_refusals_are_environment_errors);
	ADD_TEST(s, test_other_refusals_are_patch_refusals);
	ADD_TEST(s, test_a_refusal_quotes_the_cores_reason_for_this_patch);
	ADD_TEST(s, test_a_refusal_ignores_last_error_about_another_patch);
	ADD_TEST(s, test_a_refusal_survives_a_missing_or_malformed_last_error);
	ADD_TEST(s, test_a_missing_core_is_an_environment_error);
	ADD_TEST(s, test_usage_errors_exit_1_and_speak_json_when_asked);
	ADD_TEST(s, test_help_exits_0_with_usage_on_stdout);
	ADD_TEST(s, test_a_failed_write_to_stdout_is_an_error);
}
