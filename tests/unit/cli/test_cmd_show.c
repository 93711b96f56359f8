// SPDX-License-Identifier: GPL-2.0
/* tools/cli/cmd_show.c: list, status, version, help on a fake tree. */
#include <errno.h>
#include <string.h>

#include "testlib.h"

static json_object *get(json_object *o, const char *key)
{
	json_object *v = NULL;

	CU_ASSERT_TRUE(json_object_object_get_ex(o, key, &v));
	return v;
}

static void test_list_of_nothing_prints_only_the_header(void)
{
	struct run r;

	fake_setup();
	r = run_cli(NULL, "list", NULL);
	CU_ASSERT_EQUAL(r.rc, HP_EXIT_OK);
	CU_ASSERT_STRING_EQUAL(r.out, "NAME  STATE  ENABLED  MODE  FUNCS  TARGET  "
			       "SIGNER  VERSION  CVES  INSTALLED\n");
	CU_ASSERT_STRING_EQUAL(r.err, "");
	run_free(&r);
}

static void test_list_of_nothing_in_json_is_an_empty_array(void)
{
	struct run r;

	fake_setup();
	r = run_cli(NULL, "list", "--json", NULL);
	CU_ASSERT_EQUAL(r.rc, HP_EXIT_OK);
	CU_ASSERT_PTR_NOT_NULL_FATAL(r.json);
	CU_ASSERT_TRUE(json_object_is_type(r.json, json_type_array));
	CU_ASSERT_EQUAL(json_object_array_length(r.json), 0);
	run_free(&r);
}

static void test_list_shows_one_row_per_patch_in_stack_order(void)
{
	struct run r;

	fake_setup();
	fake_patch("fix_b", 2, 2);
	fake_patch("fix_a", 1, 1);
	fake_write("patches/fix_b/enabled", "0\n");
	fake_write("patches/fix_b/state", "reverted\n");
	fake_write("patches/fix_b/mode", "ops\n");
	fake_write("patches/fix_a/signer", "Vendor key\n");
	fake_write("patches/fix_b/signer", "\n");
	r = run_cli(NULL, "list", NULL);
	CU_ASSERT_EQUAL(r.rc, HP_EXIT_OK);
	CU_ASSERT_STRING_EQUAL(r.out,
		"NAME   STATE     ENABLED  MODE    FUNCS  TARGET                SIGNER      VERSION  CVES  INSTALLED\n"
		"fix_a  applied   yes      direct  1      6.1.0-13-cloud-amd64  Vendor key  ?        -     no\n"
		"fix_b  reverted  no       ops     2      6.1.0-13-cloud-amd64  unsigned    ?        -     no\n");
	CU_ASSERT_STRING_EQUAL(r.err, "");	/* an older core: no warning */
	run_free(&r);
}

static void test_list_in_json_has_every_attribute_objects_and_functions(void)
{
	json_object *p, *f;
	struct run r;

	fake_setup();
	fake_patch("fix_a", 2, 1);
	r = run_cli(NULL, "--json", "list", NULL);
	CU_ASSERT_EQUAL(r.rc, HP_EXIT_OK);
	CU_ASSERT_PTR_NOT_NULL_FATAL(r.json);
	CU_ASSERT_EQUAL_FATAL(json_object_array_length(r.json), 1);
	p = json_object_array_get_idx(r.json, 0);
	CU_ASSERT_STRING_EQUAL(json_object_get_string(get(p, "name")), "fix_a");
	CU_ASSERT_STRING_EQUAL(json_object_get_string(get(p, "mode")), "direct");
	CU_ASSERT_STRING_EQUAL(json_object_get_string(get(p, "target")),
			       "6.1.0-13-cloud-amd64");
	CU_ASSERT_PTR_NOT_NULL(get(p, "applied_at"));
	CU_ASSERT_PTR_NOT_NULL(get(p, "last_error"));
	CU_ASSERT_PTR_NOT_NULL(get(p, "stack_order"));
	CU_ASSERT_PTR_NOT_NULL(get(p, "transition"));
	f = json_object_array_get_idx(get(json_object_array_get_idx(
		get(p, "objects"), 0), "functions"), 1);
	CU_ASSERT_STRING_EQUAL(json_object_get_string(get(f, "old_addr")),
			       "0xffffffff81000001");
	run_free(&r);
}

static void test_pretty_json_parses_the_same(void)
{
	struct run r;

	fake_setup();
	fake_patch("fix_a", 1, 1);
	r = run_cli(NULL, "--pretty", "list", NULL);
	CU_ASSERT_EQUAL(r.rc, HP_EXIT_OK);
	CU_ASSERT_PTR_NOT_NULL_FATAL(r.json);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.out, "\n  "));	/* indented */
	CU_ASSERT_EQUAL(json_object_array_length(r.json), 1);
	run_free(&r);
}

static void test_list_without_the_core_exits_4(void)
{
	struct run r;

	fake_setup();
	fake_teardown();
	r = run_cli(NULL, "list", NULL);
	CU_ASSERT_EQUAL(r.rc, HP_EXIT_ENV);
	CU_ASSERT_STRING_EQUAL(r.out, "");
	CU_ASSERT_PTR_NOT_NULL(strstr(r.err, "core is not loaded"));
	run_free(&r);
	r = run_cli(NULL, "list", "--json", NULL);
	CU_ASSERT_EQUAL(r.rc, HP_EXIT_ENV);
	CU_ASSERT_PTR_NOT_NULL_FATAL(r.json);
	CU_ASSERT_EQUAL(json_object_get_int(get(r.json, "errno")), ENOENT);
	run_free(&r);
}

static void test_a_sysfs_root_that_is_a_file_is_an_environment_error(void)
{
	char file[4200];
	struct run r;

	fake_setup();
	snprintf(file, sizeof(file), "%s/version", fake_root());
	setenv(HP_SYSFS_ENV, file, 1);
	r = run_cli(NULL, "list", NULL);
	CU_ASSERT_EQUAL(r.rc, HP_EXIT_ENV);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.err, "cannot use"));
	CU_ASSERT_PTR_NOT_NULL(strstr(r.err, "(ENOTDIR)"));
	run_free(&r);
	setenv(HP_SYSFS_ENV, fake_root(), 1);
}

static void test_an_unlistable_patches_directory_exits_6(void)
{
	struct run r;

	fake_setup();
	fake_rmtree("patches");
	fake_write("patches", "x\n");
	r = run_cli(NULL, "list", NULL);
	CU_ASSERT_EQUAL(r.rc, HP_EXIT_ERROR);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.err, "cannot read the patches"));
	run_free(&r);
	r = run_cli(NULL, "status", "fix_a", NULL);
	CU_ASSERT_EQUAL(r.rc, HP_EXIT_ERROR);
	run_free(&r);
}

static void test_unreadable_values_warn_once_and_verbose_lists_them(void)
{
	struct run r;

	fake_setup();
	fake_patch("fix_a", 1, 1);
	fake_write("patches/fix_a/state", "zombie\n");
	fake_write("patches/fix_a/target", NULL);
	r = run_cli(NULL, "list", NULL);
	CU_ASSERT_EQUAL(r.rc, HP_EXIT_OK);
	CU_ASSERT_STRING_EQUAL(r.err, "hotpatch: warning: 2 value(s) of patch "
			       "'fix_a' could not be read (-v lists them)\n");
	CU_ASSERT_PTR_NOT_NULL(strstr(r.out, "fix_a  -      yes"));
	run_free(&r);
	r = run_cli(NULL, "-v", "list", NULL);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.err, "state: invalid value 'zombie'"));
	CU_ASSERT_PTR_NOT_NULL(strstr(r.err, "target: missing"));
	run_free(&r);
	r = run_cli(NULL, "--json", "list", NULL);
	CU_ASSERT_STRING_EQUAL(r.err, "");	/* the JSON carries them */
	run_free(&r);
}

static void test_status_of_one_patch_shows_its_details_and_functions(void)
{
	struct run r;

	fake_setup();
	fake_patch("fix_a", 1, 1);
	fake_write("patches/fix_a/last_error", "transition stalled\n");
	r = run_cli(NULL, "status", "fix-a", NULL);
	CU_ASSERT_EQUAL(r.rc, HP_EXIT_OK);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.out, "patch fix_a\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(r.out, "  state:        applied\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(r.out, "  applied at:   2025-11-24 16:00:00 UTC\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(r.out, "  last error:   transition stalled\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(r.out,
		"vmlinux  func0     0xffffffff81000000  0xffffffffc0000000  direct  yes\n"));
	run_free(&r);
}

static void test_addresses_hidden_by_kptr_restrict_print_as_hidden(void)
{
	json_object *f;
	struct run r;

	fake_setup();
	fake_patch("fix_a", 1, 1);
	fake_write("patches/fix_a/vmlinux/func0,0/old_addr",
		   "0x0000000000000000\n");
	fake_write("patches/fix_a/vmlinux/func0,0/new_addr",
		   "0x0000000000000000\n");
	r = run_cli(NULL, "status", "fix_a", NULL);
	CU_ASSERT_EQUAL(r.rc, HP_EXIT_OK);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.out, "vmlinux  func0     hidden  "
				      "hidden  direct  yes\n"));
	CU_ASSERT_STRING_EQUAL(r.err, "");
	run_free(&r);
	/* JSON keeps what sysfs says */
	r = run_cli(NULL, "status", "fix_a", "--json", NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(r.json);
	f = json_object_array_get_idx(get(json_object_array_get_idx(
		get(r.json, "objects"), 0), "functions"), 0);
	CU_ASSERT_STRING_EQUAL(json_object_get_string(get(f, "old_addr")),
			       "0x0000000000000000");
	run_free(&r);
}

static void test_status_of_one_patch_in_json_is_the_patch_object(void)
{
	struct run r;

	fake_setup();
	fake_patch("fix_a", 1, 1);
	r = run_cli(NULL, "status", "fix_a", "-j", NULL);
	CU_ASSERT_EQUAL(r.rc, HP_EXIT_OK);
	CU_ASSERT_PTR_NOT_NULL_FATAL(r.json);
	CU_ASSERT_STRING_EQUAL(json_object_get_string(get(r.json, "name")),
			       "fix_a");
	run_free(&r);
}

static void test_status_of_an_unknown_patch_exits_3(void)
{
	struct run r;

	fake_setup();
	r = run_cli(NULL, "status", "nope", NULL);
	CU_ASSERT_EQUAL(r.rc, HP_EXIT_NOTFOUND);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.err, "no patch named 'nope'"));
	run_free(&r);
	r = run_cli(NULL, "--json", "status", "nope", NULL);
	CU_ASSERT_EQUAL(r.rc, HP_EXIT_NOTFOUND);
	CU_ASSERT_PTR_NOT_NULL_FATAL(r.json);
	CU_ASSERT_STRING_EQUAL(json_object_get_string(get(r.json, "error")),
			       "no patch named 'nope'");
	run_free(&r);
}

static void test_status_refuses_names_that_are_paths(void)
{
	struct run r;

	fake_setup();
	r = run_cli(NULL, "status", "../x", NULL);
	CU_ASSERT_EQUAL(r.rc, HP_EXIT_USAGE);
	run_free(&r);
}

static void test_status_of_everything_shows_the_core_and_each_patch(void)
{
	struct run r;

	fake_setup();
	fake_write("count", "2\n");
	fake_write("last_error", "fix_x\t16\tfunction 'f' is owned by kprobe\n");
	fake_patch("fix_a", 1, 1);
	fake_patch("fix_b", 1, 2);
	r = run_cli(NULL, "status", NULL);
	CU_ASSERT_EQUAL(r.rc, HP_EXIT_OK);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.out,
		"core 0.1.0, default mode direct, 2 patch(es)\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(r.out, "last error: fix_x: Device or "
				      "resource busy (EBUSY): function 'f' is "
				      "owned by kprobe\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(r.out, "patch fix_a\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(r.out, "patch fix_b\n"));
	run_free(&r);
}

static void test_status_warns_about_unreadable_global_files(void)
{
	struct run r;

	fake_setup();
	fake_write("default_mode", "warp\n");
	r = run_cli(NULL, "status", NULL);
	CU_ASSERT_EQUAL(r.rc, HP_EXIT_OK);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.out, "default mode -,"));
	CU_ASSERT_STRING_EQUAL(r.err, "hotpatch: warning: 1 global value(s) "
			       "could not be read (-v lists them)\n");
	run_free(&r);
	r = run_cli(NULL, "status", "-v", NULL);
	CU_ASSERT_STRING_EQUAL(r.err, "hotpatch: warning: default_mode: "
			       "invalid value 'warp'\n");
	run_free(&r);
}

static void test_status_of_everything_in_json_nests_the_patches(void)
{
	json_object *le;
	struct run r;

	fake_setup();
	fake_write("last_error", "fix_x\t16\tbusy\n");
	fake_patch("fix_a", 1, 1);
	r = run_cli(NULL, "status", "--json", NULL);
	CU_ASSERT_EQUAL(r.rc, HP_EXIT_OK);
	CU_ASSERT_PTR_NOT_NULL_FATAL(r.json);
	CU_ASSERT_STRING_EQUAL(json_object_get_string(get(r.json, "version")),
			       "0.1.0");
	le = get(r.json, "last_error");
	CU_ASSERT_EQUAL(json_object_get_int(get(le, "errno")), EBUSY);
	CU_ASSERT_EQUAL(json_object_array_length(get(r.json, "patches")), 1);
	run_free(&r);
}

static void test_status_without_the_core_exits_4(void)
{
	struct run r;

	fake_setup();
	fake_teardown();
	r = run_cli(NULL, "status", NULL);
	CU_ASSERT_EQUAL(r.rc, HP_EXIT_ENV);
	run_free(&r);
	r = run_cli(NULL, "status", "fix_a", NULL);
	CU_ASSERT_EQUAL(r.rc, HP_EXIT_ENV);
	run_free(&r);
}

static void test_version_shows_the_tool_and_the_core(void)
{
	struct run r;

	fake_setup();
	r = run_cli(NULL, "version", NULL);
	CU_ASSERT_EQUAL(r.rc, HP_EXIT_OK);
	CU_ASSERT_STRING_EQUAL(r.out, "hotpatch " HOTPATCH_VERSION "\ncore 0.1.0\n");
	run_free(&r);
	r = run_cli(NULL, "--version", "--json", NULL);
	CU_ASSERT_EQUAL(r.rc, HP_EXIT_OK);
	CU_ASSERT_PTR_NOT_NULL_FATAL(r.json);
	CU_ASSERT_STRING_EQUAL(json_object_get_string(get(r.json, "core_version")),
			       "0.1.0");
	run_free(&r);
}

static void test_version_works_without_the_core(void)
{
	struct run r;

	fake_setup();
	fake_teardown();
	r = run_cli(NULL, "version", NULL);
	CU_ASSERT_EQUAL(r.rc, HP_EXIT_OK);
	CU_ASSERT_STRING_EQUAL(r.out, "hotpatch " HOTPATCH_VERSION "\ncore not loaded\n");
	run_free(&r);
	r = run_cli(NULL, "version", "-j", NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(r.json);
	CU_ASSERT_TRUE(json_object_is_type(get(r.json, "core_version"),
					   json_type_null));
	run_free(&r);
}

static void test_help_for_a_command_shows_its_usage(void)
{
	struct run r;

	r = run_cli(NULL, "help", "load", NULL);
	CU_ASSERT_EQUAL(r.rc, HP_EXIT_OK);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.out, "Usage: hotpatch load [OPTIONS] FILE.ko"));
	CU_ASSERT_PTR_NOT_NULL(strstr(r.out, "--core PATH"));
	run_free(&r);
	r = run_cli(NULL, "help", NULL);
	CU_ASSERT_EQUAL(r.rc, HP_EXIT_OK);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.out, "Commands:"));
	run_free(&r);
	r = run_cli(NULL, "help", "nope", NULL);
	CU_ASSERT_EQUAL(r.rc, HP_EXIT_USAGE);
	run_free(&r);
}

static int teardown(void)
{
	fake_teardown();
	return 0;
}

/* ---- consistency model and signing ---- */

/* A patch as a core with both features shows it. */
static void new_core_patch(void)
{
	fake_setup();
	fake_patch("fix_a", 1, 1);
	fake_write("patches/fix_a/last_stop_ns", "1234567\n");
	fake_write("patches/fix_a/last_walked", "57\n");
	fake_write("patches/fix_a/force", "2\n");
	fake_write("patches/fix_a/signer", "Vendor key\n");
	fake_write("patches/fix_a/key_id", "0a1b2c\n");
	fake_write("patches/fix_a/module_sig_ok", "1\n");
	fake_write("patches/fix_a/blocking", "42 sh func0+0x4/0x40 [hp]\n");
	fake_write("keyring", "912345678\n");
	fake_write("keys_locked", "1\n");
	fake_write("require_signature", "1\n");
	fake_write("require_module_sig", "0\n");
	fake_write("blocking", "42 sh func0+0x4/0x40 [hp]\n");
}

static void test_status_shows_signer_stop_time_force_and_blocking(void)
{
	struct run r;

	new_core_patch();
	r = run_cli(NULL, "status", "fix_a", NULL);
	CU_ASSERT_EQUAL(r.rc, HP_EXIT_OK);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.out, "  signer:       'Vendor key', key "
				      "0a1b2c, module signature verified\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(r.out, "  last stop:    1.235 ms, 57 "
				      "task(s) walked\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(r.out, "  forced:       FORCED"));
	CU_ASSERT_PTR_NOT_NULL(strstr(r.out, "  blocking:     1 task(s) at the "
				      "last timed-out transition\n"
				      "    PID  COMM  FUNCTION\n"
				      "    42   sh    func0+0x4/0x40 [hp]\n"));
	CU_ASSERT_STRING_EQUAL(r.err, "");
	run_free(&r);
}

static void test_status_of_everything_shows_keyring_policy_and_blocking(void)
{
	struct run r;

	new_core_patch();
	r = run_cli(NULL, "status", NULL);
	CU_ASSERT_EQUAL(r.rc, HP_EXIT_OK);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.out, "keyring: 912345678, locked\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(r.out, "policy: manifest signature "
				      "required, module signature optional\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(r.out, "blocking (last timed-out "
				      "transition): 1 task(s)\n"));
	run_free(&r);
}

static void test_json_carries_the_new_values_with_their_types(void)
{
	json_object *p, *b;
	struct run r;

	new_core_patch();
	r = run_cli(NULL, "status", "--json", NULL);
	CU_ASSERT_EQUAL(r.rc, HP_EXIT_OK);
	CU_ASSERT_PTR_NOT_NULL_FATAL(r.json);
	CU_ASSERT_EQUAL(json_object_get_int64(get(r.json, "keyring")), 912345678);
	CU_ASSERT_TRUE(json_object_get_boolean(get(r.json, "keys_locked")));
	CU_ASSERT_TRUE(json_object_get_boolean(get(r.json, "require_signature")));
	CU_ASSERT_TRUE(json_object_is_type(get(r.json, "require_module_sig"),
					   json_type_boolean));
	CU_ASSERT_EQUAL(json_object_array_length(get(r.json, "blocking")), 1);
	p = json_object_array_get_idx(get(r.json, "patches"), 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	CU_ASSERT_EQUAL(json_object_get_int64(get(p, "last_stop_ns")), 1234567);
	CU_ASSERT_EQUAL(json_object_get_int(get(p, "last_walked")), 57);
	CU_ASSERT_EQUAL(json_object_get_int(get(p, "force")), 2);
	CU_ASSERT_STRING_EQUAL(json_object_get_string(get(p, "signer")),
			       "Vendor key");
	CU_ASSERT_STRING_EQUAL(json_object_get_string(get(p, "key_id")),
			       "0a1b2c");
	CU_ASSERT_TRUE(json_object_get_boolean(get(p, "module_sig_ok")));
	b = json_object_array_get_idx(get(p, "blocking"), 0);
	CU_ASSERT_EQUAL(json_object_get_int(get(b, "pid")), 42);
	CU_ASSERT_STRING_EQUAL(json_object_get_string(get(b, "function")),
			       "func0+0x4/0x40 [hp]");
	run_free(&r);
}

static void test_an_older_core_shows_the_new_values_as_unknown_quietly(void)
{
	json_object *p;
	struct run r;

	fake_setup();
	fake_patch("fix_a", 1, 1);
	r = run_cli(NULL, "list", "--json", NULL);
	CU_ASSERT_EQUAL(r.rc, HP_EXIT_OK);
	CU_ASSERT_STRING_EQUAL(r.err, "");
	p = json_object_array_get_idx(r.json, 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	CU_ASSERT_PTR_NULL(get(p, "signer"));
	CU_ASSERT_PTR_NULL(get(p, "force"));
	CU_ASSERT_PTR_NULL(get(p, "last_stop_ns"));
	CU_ASSERT_PTR_NULL(get(p, "module_sig_ok"));
	CU_ASSERT_PTR_NULL(get(p, "blocking"));
	CU_ASSERT_EQUAL(json_object_array_length(get(p, "problems")), 0);
	run_free(&r);
	r = run_cli(NULL, "status", NULL);
	CU_ASSERT_EQUAL(r.rc, HP_EXIT_OK);
	CU_ASSERT_STRING_EQUAL(r.err, "");
	CU_ASSERT_PTR_NOT_NULL(strstr(r.out, "  signer:       -\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(r.out, "  forced:       -\n"));
	CU_ASSERT_PTR_NULL(strstr(r.out, "keyring:"));
	run_free(&r);
}

static void test_garbled_new_values_are_problems_not_guesses(void)
{
	json_object *p;
	struct run r;

	fake_setup();
	fake_patch("fix_a", 1, 1);
	fake_write("patches/fix_a/force", "7\n");
	fake_write("patches/fix_a/last_stop_ns", "-5\n");
	fake_write("patches/fix_a/blocking", "1 sh f+0/1\nnonsense\n");
	r = run_cli(NULL, "status", "-v", "--json", "fix_a", NULL);
	CU_ASSERT_EQUAL(r.rc, HP_EXIT_OK);
	CU_ASSERT_PTR_NOT_NULL_FATAL(r.json);
	p = r.json;
	CU_ASSERT_PTR_NULL(get(p, "force"));
	CU_ASSERT_PTR_NULL(get(p, "last_stop_ns"));
	CU_ASSERT_EQUAL(json_object_array_length(get(p, "blocking")), 2);
	CU_ASSERT_EQUAL(json_object_array_length(get(p, "problems")), 3);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.err, "force: invalid value '7'"));
	CU_ASSERT_PTR_NOT_NULL(strstr(r.err, "blocking: 1 line(s) not of "
				      "the form"));
	run_free(&r);
}

void suite_cmd_show(void)
{
	CU_pSuite s = test_suite("cmd_show", NULL, teardown);

	ADD_TEST(s, test_list_of_nothing_prints_only_the_header);
	ADD_TEST(s, test_list_of_nothing_in_json_is_an_empty_array);
	ADD_TEST(s, test_list_shows_one_row_per_patch_in_stack_order);
	ADD_TEST(s, test_list_in_json_has_every_attribute_objects_and_functions);
	ADD_TEST(s, test_pretty_json_parses_the_same);
	ADD_TEST(s, test_list_without_the_core_exits_4);
	ADD_TEST(s, test_a_sysfs_root_that_is_a_file_is_an_environment_error);
	ADD_TEST(s, test_an_unlistable_patches_directory_exits_6);
	ADD_TEST(s, test_unreadable_values_warn_once_and_verbose_lists_them);
	ADD_TEST(s, test_status_of_one_patch_shows_its_details_and_functions);
	ADD_TEST(s, test_addresses_hidden_by_kptr_restrict_print_as_hidden);
	ADD_TEST(s, test_status_of_one_patch_in_json_is_the_patch_object);
	ADD_TEST(s, test_status_of_an_unknown_patch_exits_3);
	ADD_TEST(s, test_status_refuses_names_that_are_paths);
	ADD_TEST(s, test_status_of_everything_shows_the_core_and_each_patch);
	ADD_TEST(s, test_status_warns_about_unreadable_global_files);
	ADD_TEST(s, test_status_of_everything_in_json_nests_the_patches);
	ADD_TEST(s, test_status_without_the_core_exits_4);
	ADD_TEST(s, test_version_shows_the_tool_and_the_core);
	ADD_TEST(s, test_version_works_without_the_core);
	ADD_TEST(s, test_help_for_a_command_shows_its_usage);
	ADD_TEST(s, test_status_shows_signer_stop_time_force_and_blocking);
	ADD_TEST(s, test_status_of_everything_shows_keyring_policy_and_blocking);
	ADD_TEST(s, test_json_carries_the_new_values_with_their_types);
	ADD_TEST(s, test_an_older_core_shows_the_new_values_as_unknown_quietly);
	ADD_TEST(s, test_garbled_new_values_are_problems_not_guesses);
}
