// SPDX-License-Identifier: GPL-2.0
/*
 * tools/cli/cmd_patch.c: load, unload, enable, disable, with a fake module
 * loader (testlib.c) that edits the fake sysfs tree the way the core
 * would. tools/cli/kmod.c, the real loader, needs root and a kernel: the
 * VM scenarios cover it.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "testlib.h"

static char ko[4096];

/* A fresh tree plus an existing "patch module" file outside it. */
static void setup_tree(void)
{
	FILE *f;

	fake_setup();
	snprintf(ko, sizeof(ko), "%s.fix_foo.ko", fake_root());
	f = fopen(ko, "w");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	fputs("not really ELF\n", f);
	fclose(f);
}

static int teardown(void)
{
	if (ko[0])
		remove(ko);
	fake_teardown();
	return 0;
}

static json_object *get(json_object *o, const char *key)
{
	json_object *v = NULL;

	CU_ASSERT_TRUE(json_object_object_get_ex(o, key, &v));
	return v;
}

static const char *jstr(json_object *o, const char *key)
{
	return json_object_get_string(get(o, key));
}

static char *read_attr(const char *rel)
{
	static char buf[256];
	struct hp_sysfs *s;

	hp_sysfs_new(NULL, &s);
	if (hp_sysfs_read_attr(s, rel, buf, sizeof(buf)) < 0)
		strcpy(buf, "<error>");
	hp_sysfs_free(s);
	return buf;
}

/* ---- load ---- */

static void test_load_applies_the_patch_and_prints_what_was_patched(void)
{
	struct fake_mod fm = { .name = "fix_foo", .insert_creates = true };
	struct run r;

	setup_tree();
	r = run_cli(&fm, "load", ko, NULL);
	CU_ASSERT_EQUAL(r.rc, HP_EXIT_OK);
	CU_ASSERT_EQUAL(fm.inserts, 1);
	CU_ASSERT_STRING_EQUAL(fm.last_path, ko);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.out, "patch 'fix_foo' applied (mode "
				      "direct, target 6.1.0-13-cloud-amd64)\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(r.out, "vmlinux  func0     "
				      "0xffffffff81000000  0xffffffffc0000000"
				      "  direct  yes\n"));
	CU_ASSERT_STRING_EQUAL(r.err, "");
	run_free(&r);
}

static void test_load_in_json_prints_the_applied_patch(void)
{
	struct fake_mod fm = { .name = "fix-foo", .insert_creates = true };
	struct run r;

	setup_tree();
	fm.name = "fix_foo";
	r = run_cli(&fm, "load", "--json", ko, NULL);
	CU_ASSERT_EQUAL(r.rc, HP_EXIT_OK);
	CU_ASSERT_PTR_NOT_NULL_FATAL(r.json);
	CU_ASSERT_STRING_EQUAL(jstr(r.json, "name"), "fix_foo");
	CU_ASSERT_STRING_EQUAL(jstr(r.json, "state"), "applied");
	CU_ASSERT_EQUAL(json_object_array_length(get(r.json, "objects")), 1);
	run_free(&r);
}

static void test_load_of_a_missing_file_exits_3_before_touching_the_kernel(void)
{
	struct fake_mod fm = { .name = "fix_foo" };
	struct run r;

	setup_tree();
	r = run_cli(&fm, "load", "/nonexistent/fix.ko", NULL);
	CU_ASSERT_EQUAL(r.rc, HP_EXIT_NOTFOUND);
	CU_ASSERT_EQUAL(fm.inserts, 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.err, "cannot read '/nonexistent/fix.ko'"));
	run_free(&r);
}

static void test_load_of_a_path_through_a_file_exits_3(void)
{
	struct fake_mod fm = { .name = "fix_foo" };
	char path[4200];
	struct run r;

	setup_tree();
	snprintf(path, sizeof(path), "%s/fix.ko", ko);	/* ko is a file */
	r = run_cli(&fm, "load", path, NULL);
	CU_ASSERT_EQUAL(r.rc, HP_EXIT_NOTFOUND);
	CU_ASSERT_EQUAL(fm.inserts, 0);
	run_free(&r);
}

static void test_load_of_a_directory_is_a_usage_error(void)
{
	struct fake_mod fm = { .name = "fix_foo" };
	struct run r;

	setup_tree();
	r = run_cli(&fm, "load", fake_root(), NULL);
	CU_ASSERT_EQUAL(r.rc, HP_EXIT_USAGE);
	CU_ASSERT_EQUAL(fm.inserts, 0);
	run_free(&r);
}

static void test_load_refuses_a_patch_that_is_already_loaded(void)
{
	struct fake_mod fm = { .name = "fix_foo" };
	struct run r;

	setup_tree();
	fake_patch("fix_foo", 1, 1);
	r = run_cli(&fm, "--json", "load", ko, NULL);
	CU_ASSERT_EQUAL(r.rc, HP_EXIT_REFUSED);
	CU_ASSERT_EQUAL(fm.inserts, 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(r.json);
	CU_ASSERT_EQUAL(json_object_get_int(get(r.json, "errno")), EEXIST);
	CU_ASSERT_STRING_EQUAL(jstr(r.json, "hint"), hp_errno_advice(EEXIST));
	run_free(&r);
}

static void test_load_refuses_a_file_without_a_module_name(void)
{
	struct fake_mod fm = { .name = NULL };
	struct run r;

	setup_tree();
	r = run_cli(&fm, "load", ko, NULL);
	CU_ASSERT_EQUAL(r.rc, HP_EXIT_REFUSED);
	CU_ASSERT_EQUAL(fm.inserts, 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.err, "cannot tell the module name"));
	run_free(&r);
}

static void test_a_refused_load_quotes_the_core_and_says_what_to_do(void)
{
	struct fake_mod fm = {
		.name = "fix_foo", .insert_ret = -EBUSY,
		.insert_last_error = "fix_foo\t16\tfunction 'cmdline_proc_show' "
				     "is owned by livepatch 'lp1'\n",
	};
	struct run r;

	setup_tree();
	r = run_cli(&fm, "load", ko, NULL);
	CU_ASSERT_EQUAL(r.rc, HP_EXIT_REFUSED);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.err, "cannot load patch 'fix_foo': "
				      "Device or resource busy (EBUSY)\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(r.err, "  reason: function "
				      "'cmdline_proc_show' is owned by "
				      "livepatch 'lp1'\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(r.err, hp_errno_advice(EBUSY)));
	run_free(&r);
}

static void test_a_refused_load_in_json_carries_reason_and_hint(void)
{
	struct fake_mod fm = {
		.name = "fix_foo", .insert_ret = -EKEYREJECTED,
		.insert_last_error = "fix_foo\t129\tsignature does not match\n",
	};
	struct run r;

	setup_tree();
	r = run_cli(&fm, "load", "-j", ko, NULL);
	CU_ASSERT_EQUAL(r.rc, HP_EXIT_REFUSED);
	CU_ASSERT_PTR_NOT_NULL_FATAL(r.json);
	CU_ASSERT_EQUAL(json_object_get_int(get(r.json, "errno")), EKEYREJECTED);
	CU_ASSERT_STRING_EQUAL(jstr(r.json, "reason"), "signature does not match");
	CU_ASSERT_STRING_EQUAL(jstr(r.json, "hint"),
			       hp_errno_advice(EKEYREJECTED));
	run_free(&r);
}

static void test_a_refused_load_ignores_another_patchs_last_error(void)
{
	struct fake_mod fm = {
		.name = "fix_foo", .insert_ret = -ENOENT,
		.insert_last_error = "fix_other\t2\tsomething else\n",
	};
	struct run r;

	setup_tree();
	r = run_cli(&fm, "load", ko, NULL);
	CU_ASSERT_EQUAL(r.rc, HP_EXIT_REFUSED);
	CU_ASSERT_PTR_NULL(strstr(r.err, "something else"));
	CU_ASSERT_PTR_NOT_NULL(strstr(r.err, hp_errno_advice(ENOENT)));
	run_free(&r);
}

static void test_a_load_refused_for_permissions_exits_4(void)
{
	struct fake_mod fm = { .name = "fix_foo", .insert_ret = -EPERM };
	struct run r;

	setup_tree();
	r = run_cli(&fm, "load", ko, NULL);
	CU_ASSERT_EQUAL(r.rc, HP_EXIT_ENV);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.err, "lockdown"));
	run_free(&r);
}

static void test_a_module_the_core_does_not_know_is_reported(void)
{
	struct fake_mod fm = { .name = "plain_module" };
	struct run r;

	setup_tree();
	r = run_cli(&fm, "load", ko, NULL);
	CU_ASSERT_EQUAL(r.rc, HP_EXIT_REFUSED);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.err, "not a patch module?"));
	CU_ASSERT_PTR_NOT_NULL(strstr(r.err, "rmmod plain_module"));
	run_free(&r);
}

static void test_a_patch_that_failed_after_loading_exits_2_with_its_reason(void)
{
	struct fake_mod fm = {
		.name = "fix_foo", .insert_creates = true,
		.insert_state = "failed\n",
	};
	struct run r;

	setup_tree();
	fake_write("last_error", "fix_foo\t-62\ttasks stuck in func0\n");
	r = run_cli(&fm, "load", ko, NULL);
	CU_ASSERT_EQUAL(r.rc, HP_EXIT_REFUSED);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.err, "patch 'fix_foo' is in state "
				      "'failed', not 'applied'"));
	CU_ASSERT_PTR_NOT_NULL(strstr(r.err, "(ETIME)"));
	CU_ASSERT_PTR_NOT_NULL(strstr(r.err, "reason: tasks stuck in func0"));
	run_free(&r);
}

static void test_a_failed_patch_falls_back_to_its_own_last_error(void)
{
	struct fake_mod fm = {
		.name = "fix_foo", .insert_creates = true,
		.insert_state = "rejected\n",
		.insert_last_error = "manifest names another kernel\n",
	};
	struct run r;

	setup_tree();
	fake_write("last_error", "fix_other\t2\tnot ours\n");
	r = run_cli(&fm, "load", ko, NULL);
	CU_ASSERT_EQUAL(r.rc, HP_EXIT_REFUSED);
	CU_ASSERT_PTR_NULL(strstr(r.err, "not ours"));
	/* no errno to be had: EIO, and the patch's own words */
	CU_ASSERT_PTR_NOT_NULL(strstr(r.err, "(EIO)"));
	CU_ASSERT_PTR_NOT_NULL(strstr(r.err, "reason: manifest names another "
				      "kernel\n"));
	run_free(&r);
}

static void test_a_patch_still_applying_after_the_timeout_exits_5(void)
{
	struct fake_mod fm = {
		.name = "fix_foo", .insert_creates = true,
		.insert_state = "applying\n",
	};
	struct run r;

	setup_tree();
	r = run_cli(&fm, "load", "--timeout", "100ms", ko, NULL);
	CU_ASSERT_EQUAL(r.rc, HP_EXIT_TIMEOUT);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.err, "still in state 'applying' after "
				      "0.1 s"));
	run_free(&r);
}

static void test_a_patch_left_staged_says_how_to_enable_it(void)
{
	struct fake_mod fm = {
		.name = "fix_foo", .insert_creates = true,
		.insert_state = "staged\n",
	};
	struct run r;

	setup_tree();
	r = run_cli(&fm, "load", "-t", "0", ko, NULL);
	CU_ASSERT_EQUAL(r.rc, HP_EXIT_TIMEOUT);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.err, "hotpatch enable"));
	run_free(&r);
}

static void test_load_does_not_load_the_core_for_a_redirected_root(void)
{
	struct fake_mod fm = { .name = "fix_foo", .core_creates_root = true };
	struct run r;

	setup_tree();
	fake_teardown();
	r = run_cli(&fm, "load", ko, NULL);
	CU_ASSERT_EQUAL(r.rc, HP_EXIT_ENV);
	CU_ASSERT_EQUAL(fm.core_loads, 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.err, "HOTPATCH_SYSFS is set"));
	run_free(&r);
}

/*
 * With the default root, which does not exist on a build host, load
 * tries the (fake) loader for the core and reports each way it fails.
 */
static bool default_root_absent(void)
{
	struct stat st;

	return stat(HP_SYSFS_DEFAULT, &st) != 0;
}

static struct run load_with_default_root(struct fake_mod *fm,
					 const char *core)
{
	char *saved = strdup(getenv(HP_SYSFS_ENV));
	struct run r;

	unsetenv(HP_SYSFS_ENV);
	if (core)
		r = run_cli(fm, "load", "--core", core, ko, NULL);
	else
		r = run_cli(fm, "load", ko, NULL);
	setenv(HP_SYSFS_ENV, saved, 1);
	free(saved);
	return r;
}

static void test_load_reports_a_core_module_that_is_not_installed(void)
{
	struct fake_mod fm = { .name = "fix_foo", .load_core_ret = -ENOENT };
	struct run r;

	if (!default_root_absent())
		return;
	setup_tree();
	r = load_with_default_root(&fm, NULL);
	CU_ASSERT_EQUAL(r.rc, HP_EXIT_ENV);
	CU_ASSERT_EQUAL(fm.core_loads, 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.err, "no 'hotpatch' module is installed"));
	CU_ASSERT_PTR_NOT_NULL(strstr(r.err, "--core PATH"));
	run_free(&r);
}

static void test_load_reports_a_missing_core_path_as_not_found(void)
{
	struct fake_mod fm = { .name = "fix_foo", .load_core_ret = -ENOENT };
	struct run r;

	if (!default_root_absent())
		return;
	setup_tree();
	r = load_with_default_root(&fm, "/nope/hotpatch.ko");
	CU_ASSERT_EQUAL(r.rc, HP_EXIT_NOTFOUND);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.err, "/nope/hotpatch.ko does not exist"));
	run_free(&r);
}

static void test_load_reports_a_core_that_fails_to_load(void)
{
	struct fake_mod fm = { .name = "fix_foo", .load_core_ret = -EPERM };
	struct run r;

	if (!default_root_absent())
		return;
	setup_tree();
	r = load_with_default_root(&fm, NULL);
	CU_ASSERT_EQUAL(r.rc, HP_EXIT_ENV);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.err, "loading it with 'modprobe "
				      "hotpatch' failed"));
	CU_ASSERT_PTR_NOT_NULL(strstr(r.err, hp_errno_advice(EPERM)));
	CU_ASSERT_EQUAL(fm.inserts, 0);
	run_free(&r);
}

static void test_load_reports_a_core_whose_sysfs_does_not_appear(void)
{
	struct fake_mod fm = { .name = "fix_foo", .load_core_ret = 0 };
	struct run r;

	if (!default_root_absent())
		return;
	setup_tree();
	r = load_with_default_root(&fm, NULL);
	CU_ASSERT_EQUAL(r.rc, HP_EXIT_ENV);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.err, "did not appear"));
	run_free(&r);
}

/* ---- unload ---- */

static void test_unload_reverts_then_removes_the_module(void)
{
	struct fake_mod fm = { .name = "fix_foo" };
	struct run r;

	setup_tree();
	fake_patch("fix_foo", 1, 1);
	/* the fake core: the write "returns when the transition is over" */
	fake_write("patches/fix_foo/state", "reverted\n");
	r = run_cli(&fm, "unload", "fix-foo", NULL);
	CU_ASSERT_EQUAL(r.rc, HP_EXIT_OK);
	CU_ASSERT_STRING_EQUAL(r.out, "patch 'fix_foo' reverted and unloaded\n");
	CU_ASSERT_EQUAL(fm.removes, 1);
	CU_ASSERT_STRING_EQUAL(fm.last_removed, "fix_foo");
	run_free(&r);
}

static void test_unload_of_a_disabled_patch_only_removes_it(void)
{
	struct fake_mod fm = { .name = "fix_foo" };
	struct run r;

	setup_tree();
	fake_patch("fix_foo", 1, 1);
	fake_write("patches/fix_foo/enabled", "0\n");
	fake_write("patches/fix_foo/state", "reverted\n");
	r = run_cli(&fm, "unload", "fix_foo", "--json", NULL);
	CU_ASSERT_EQUAL(r.rc, HP_EXIT_OK);
	CU_ASSERT_PTR_NOT_NULL_FATAL(r.json);
	CU_ASSERT_FALSE(json_object_get_boolean(get(r.json, "reverted")));
	CU_ASSERT_TRUE(json_object_get_boolean(get(r.json, "unloaded")));
	CU_ASSERT_EQUAL(fm.removes, 1);
	run_free(&r);
}

static void test_unload_of_an_unknown_patch_exits_3(void)
{
	struct fake_mod fm = { .name = "fix_foo" };
	struct run r;

	setup_tree();
	r = run_cli(&fm, "unload", "fix_foo", NULL);
	CU_ASSERT_EQUAL(r.rc, HP_EXIT_NOTFOUND);
	CU_ASSERT_EQUAL(fm.removes, 0);
	run_free(&r);
}

static void test_unload_keeps_the_module_when_the_revert_times_out(void)
{
	struct fake_mod fm = { .name = "fix_foo" };
	struct run r;

	setup_tree();
	fake_patch("fix_foo", 1, 1);	/* stays "applied" */
	r = run_cli(&fm, "unload", "fix_foo", "-t", "50ms", NULL);
	CU_ASSERT_EQUAL(r.rc, HP_EXIT_TIMEOUT);
	CU_ASSERT_EQUAL(fm.removes, 0);
	CU_ASSERT_STRING_EQUAL(read_attr("patches/fix_foo/enabled"), "0");
	run_free(&r);
}

static void test_unload_keeps_the_module_when_the_revert_is_refused(void)
{
	struct fake_mod fm = { .name = "fix_foo" };
	struct run r;

	setup_tree();
	fake_patch("fix_foo", 1, 1);
	fake_write("patches/fix_foo/enabled", NULL);
	fake_mkdir("patches/fix_foo/enabled");	/* the write fails */
	r = run_cli(&fm, "unload", "fix_foo", NULL);
	CU_ASSERT_EQUAL(r.rc, HP_EXIT_REFUSED);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.err, "cannot revert patch 'fix_foo'"));
	CU_ASSERT_EQUAL(fm.removes, 0);
	run_free(&r);
}

static void test_unload_reports_a_module_that_cannot_be_removed(void)
{
	struct fake_mod fm = { .name = "fix_foo", .remove_ret = -EBUSY };
	struct run r;

	setup_tree();
	fake_patch("fix_foo", 1, 1);
	fake_write("patches/fix_foo/state", "reverted\n");
	r = run_cli(&fm, "unload", "fix_foo", NULL);
	CU_ASSERT_EQUAL(r.rc, HP_EXIT_REFUSED);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.err, "patch 'fix_foo' is reverted but "
				      "its module cannot be removed"));
	run_free(&r);
}

static void test_unload_without_the_core_exits_4(void)
{
	struct fake_mod fm = { .name = "fix_foo" };
	struct run r;

	setup_tree();
	fake_teardown();
	r = run_cli(&fm, "unload", "fix_foo", NULL);
	CU_ASSERT_EQUAL(r.rc, HP_EXIT_ENV);
	run_free(&r);
}

/* ---- enable / disable ---- */

static void test_disable_writes_0_and_reports_the_new_state(void)
{
	struct run r;

	setup_tree();
	fake_patch("fix_foo", 1, 1);
	fake_write("patches/fix_foo/state", "reverted\n");
	r = run_cli(NULL, "disable", "fix_foo", NULL);
	CU_ASSERT_EQUAL(r.rc, HP_EXIT_OK);
	CU_ASSERT_STRING_EQUAL(read_attr("patches/fix_foo/enabled"), "0");
	CU_ASSERT_PTR_NOT_NULL(strstr(r.out, "patch 'fix_foo' disabled"));
	run_free(&r);
}

static void test_enable_writes_1_and_prints_json_when_asked(void)
{
	struct run r;

	setup_tree();
	fake_patch("fix_foo", 1, 1);
	fake_write("patches/fix_foo/enabled", "0\n");
	r = run_cli(NULL, "enable", "--json", "fix_foo", NULL);
	CU_ASSERT_EQUAL(r.rc, HP_EXIT_OK);
	CU_ASSERT_STRING_EQUAL(read_attr("patches/fix_foo/enabled"), "1");
	CU_ASSERT_PTR_NOT_NULL_FATAL(r.json);
	CU_ASSERT_STRING_EQUAL(jstr(r.json, "state"), "applied");
	run_free(&r);
}

static void test_enabling_an_enabled_patch_changes_nothing(void)
{
	struct run r;

	setup_tree();
	fake_patch("fix_foo", 1, 1);
	r = run_cli(NULL, "enable", "fix_foo", NULL);
	CU_ASSERT_EQUAL(r.rc, HP_EXIT_OK);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.out, "already enabled"));
	run_free(&r);
}

static void test_a_refused_enable_prints_the_cores_reason(void)
{
	struct run r;

	setup_tree();
	fake_patch("fix_foo", 1, 1);
	fake_write("patches/fix_foo/enabled", "0\n");
	fake_write("patches/fix_foo/state", "failed\n");
	fake_write("last_error", "fix_foo\t16\tfunction 'func0' has a kprobe\n");
	r = run_cli(NULL, "enable", "fix_foo", NULL);
	CU_ASSERT_EQUAL(r.rc, HP_EXIT_REFUSED);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.err, "reason: function 'func0' has a "
				      "kprobe"));
	CU_ASSERT_PTR_NOT_NULL(strstr(r.err, hp_errno_advice(EBUSY)));
	run_free(&r);
}

static void test_a_failed_write_to_enabled_is_reported(void)
{
	struct run r;

	setup_tree();
	fake_patch("fix_foo", 1, 1);
	fake_write("patches/fix_foo/enabled", NULL);
	fake_mkdir("patches/fix_foo/enabled");
	fake_write("patches/fix_foo/state", "reverted\n");
	r = run_cli(NULL, "enable", "fix_foo", "--json", NULL);
	CU_ASSERT_EQUAL(r.rc, HP_EXIT_REFUSED);
	CU_ASSERT_PTR_NOT_NULL_FATAL(r.json);
	CU_ASSERT_EQUAL(json_object_get_int(get(r.json, "errno")), EISDIR);
	CU_ASSERT_STRING_EQUAL(jstr(r.json, "error"), "cannot enable patch 'fix_foo'");
	run_free(&r);
}

static void test_enable_or_disable_of_an_unknown_patch_exits_3(void)
{
	struct run r;

	setup_tree();
	r = run_cli(NULL, "enable", "nope", NULL);
	CU_ASSERT_EQUAL(r.rc, HP_EXIT_NOTFOUND);
	run_free(&r);
	r = run_cli(NULL, "disable", "nope", NULL);
	CU_ASSERT_EQUAL(r.rc, HP_EXIT_NOTFOUND);
	run_free(&r);
}

static void test_an_unreadable_state_while_waiting_exits_6(void)
{
	struct run r;

	setup_tree();
	fake_patch("fix_foo", 1, 1);
	fake_write("patches/fix_foo/state", NULL);
	fake_mkdir("patches/fix_foo/state");
	r = run_cli(NULL, "disable", "fix_foo", NULL);
	CU_ASSERT_EQUAL(r.rc, HP_EXIT_ERROR);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.err, "cannot read the state of patch "
				      "'fix_foo'"));
	run_free(&r);
}

static void test_a_patch_that_vanishes_while_waiting_exits_3(void)
{
	struct run r;

	setup_tree();
	fake_patch("fix_foo", 1, 1);
	fake_write("patches/fix_foo/state", NULL);
	r = run_cli(NULL, "disable", "fix_foo", NULL);
	CU_ASSERT_EQUAL(r.rc, HP_EXIT_NOTFOUND);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.err, "disappeared"));
	run_free(&r);
}

/* ---- timed-out transitions, out-of-order reverts, --force ---- */

#define TIMED_OUT "apply timed out after 5000 ms: 2 task(s) inside the code " \
		  "it replaces (see blocking)"

static void test_a_timed_out_load_lists_the_tasks_in_the_way(void)
{
	struct fake_mod fm = {
		.name = "fix_foo", .insert_ret = -ETIMEDOUT,
		.insert_last_error = "fix_foo\t110\t" TIMED_OUT "\n",
	};
	struct run r;

	setup_tree();
	fake_write("blocking", "812 nfsd nfsd_dispatch+0x1c/0x2a0 [nfsd]\n"
			       "9 my worker func0+0x4/0x40\n");
	r = run_cli(&fm, "load", ko, NULL);
	CU_ASSERT_EQUAL(r.rc, HP_EXIT_TIMEOUT);
	CU_ASSERT_STRING_EQUAL(r.out, "");
	CU_ASSERT_PTR_NOT_NULL(strstr(r.err,
		"hotpatch: cannot load patch 'fix_foo': Connection timed out "
		"(ETIMEDOUT)\n"
		"  reason: " TIMED_OUT "\n"
		"  blocking: 2 task(s) inside the code being replaced:\n"
		"    PID  COMM       FUNCTION\n"
		"    812  nfsd       nfsd_dispatch+0x1c/0x2a0 [nfsd]\n"
		"    9    my worker  func0+0x4/0x40\n"
		"  hint: "));
	CU_ASSERT_PTR_NOT_NULL(strstr(r.err, hp_errno_advice(ETIMEDOUT)));
	CU_ASSERT_PTR_NOT_NULL(strstr(r.err, "timeout_ms"));
	CU_ASSERT_PTR_NOT_NULL(strstr(r.err, "--force"));
	run_free(&r);
}

static void test_a_timed_out_load_in_json_has_a_blocking_array(void)
{
	struct fake_mod fm = {
		.name = "fix_foo", .insert_ret = -ETIMEDOUT,
		.insert_last_error = "fix_foo\t110\t" TIMED_OUT "\n",
	};
	json_object *bl, *t;
	struct run r;

	setup_tree();
	fake_write("blocking", "812 nfsd nfsd_dispatch+0x1c/0x2a0 [nfsd]\n"
			       "this is not a task line\n");
	r = run_cli(&fm, "load", "--json", ko, NULL);
	CU_ASSERT_EQUAL(r.rc, HP_EXIT_TIMEOUT);
	CU_ASSERT_PTR_NOT_NULL_FATAL(r.json);
	CU_ASSERT_STRING_EQUAL(jstr(r.json, "errno_name"), "ETIMEDOUT");
	CU_ASSERT_STRING_EQUAL(jstr(r.json, "reason"), TIMED_OUT);
	bl = get(r.json, "blocking");
	CU_ASSERT_EQUAL_FATAL(json_object_array_length(bl), 2);
	t = json_object_array_get_idx(bl, 0);
	CU_ASSERT_EQUAL(json_object_get_int(get(t, "pid")), 812);
	CU_ASSERT_STRING_EQUAL(jstr(t, "comm"), "nfsd");
	CU_ASSERT_STRING_EQUAL(jstr(t, "function"),
			       "nfsd_dispatch+0x1c/0x2a0 [nfsd]");
	t = json_object_array_get_idx(bl, 1);
	CU_ASSERT_PTR_NULL(get(t, "pid"));
	CU_ASSERT_STRING_EQUAL(jstr(t, "line"), "this is not a task line");
	run_free(&r);
}

static void test_a_timed_out_load_on_an_older_core_still_reports(void)
{
	struct fake_mod fm = {
		.name = "fix_foo", .insert_ret = -ETIMEDOUT,
		.insert_last_error = "fix_foo\t110\t" TIMED_OUT "\n",
	};
	struct run r;

	setup_tree();	/* no blocking file at all */
	r = run_cli(&fm, "load", ko, NULL);
	CU_ASSERT_EQUAL(r.rc, HP_EXIT_TIMEOUT);
	CU_ASSERT_PTR_NULL(strstr(r.err, "blocking:"));
	CU_ASSERT_PTR_NOT_NULL(strstr(r.err, "reason: " TIMED_OUT));
	run_free(&r);
	fake_write("blocking", "");	/* there, but empty */
	r = run_cli(&fm, "load", "-j", ko, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(r.json);
	CU_ASSERT_EQUAL(json_object_array_length(get(r.json, "blocking")), 0);
	run_free(&r);
}

static void test_a_timed_out_enable_shows_the_patchs_own_blocking_file(void)
{
	struct run r;

	setup_tree();
	fake_patch("fix_foo", 1, 1);
	fake_write("patches/fix_foo/enabled", "0\n");
	fake_write("patches/fix_foo/state", "failed\n");
	fake_write("patches/fix_foo/blocking", "77 worker func0+0x4/0x40\n");
	fake_write("blocking", "1 other other+0x0/0x1\n");
	fake_write("last_error", "fix_foo\t110\t" TIMED_OUT "\n");
	r = run_cli(NULL, "enable", "fix_foo", NULL);
	CU_ASSERT_EQUAL(r.rc, HP_EXIT_TIMEOUT);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.err, "    77   worker  func0+0x4/0x40\n"));
	CU_ASSERT_PTR_NULL(strstr(r.err, "other"));
	run_free(&r);
}

#define OUT_OF_ORDER "revert 'fix_bar' first: it replaces 'func0' too"

static void test_an_out_of_order_revert_names_the_patch_to_revert_first(void)
{
	struct fake_mod fm = { .name = "fix_foo" };
	struct run r;

	setup_tree();
	fake_patch("fix_foo", 1, 1);
	fake_patch("fix_bar", 1, 2);
	fake_write("patches/fix_foo/enabled", NULL);
	fake_mkdir("patches/fix_foo/enabled");	/* the write fails */
	fake_write("last_error", "fix_foo\t16\t" OUT_OF_ORDER "\n");
	r = run_cli(&fm, "unload", "fix_foo", NULL);
	CU_ASSERT_EQUAL(r.rc, HP_EXIT_REFUSED);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.err, "  reason: " OUT_OF_ORDER "\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(r.err, "'hotpatch disable fix_bar'"));
	CU_ASSERT_EQUAL(fm.removes, 0);
	run_free(&r);
}

static void test_a_refused_disable_falls_back_to_the_patchs_reason(void)
{
	struct run r;

	setup_tree();
	fake_patch("fix_foo", 1, 1);
	fake_write("patches/fix_foo/enabled", NULL);
	fake_mkdir("patches/fix_foo/enabled");
	fake_write("patches/fix_foo/last_error", OUT_OF_ORDER "\n");
	fake_write("last_error", "fix_other\t2\tnot ours\n");
	r = run_cli(NULL, "disable", "--json", "fix_foo", NULL);
	CU_ASSERT_EQUAL(r.rc, HP_EXIT_REFUSED);
	CU_ASSERT_PTR_NOT_NULL_FATAL(r.json);
	CU_ASSERT_STRING_EQUAL(jstr(r.json, "reason"), OUT_OF_ORDER);
	run_free(&r);
}

static void test_force_arms_the_core_and_warns(void)
{
	struct run r;

	setup_tree();
	fake_patch("fix_foo", 1, 1);
	fake_write("patches/fix_foo/force", "0\n");
	fake_write("patches/fix_foo/state", "reverted\n");
	r = run_cli(NULL, "disable", "--force", "fix_foo", NULL);
	CU_ASSERT_EQUAL(r.rc, HP_EXIT_OK);
	CU_ASSERT_STRING_EQUAL(read_attr("patches/fix_foo/force"), "1");
	CU_ASSERT_STRING_EQUAL(read_attr("patches/fix_foo/enabled"), "0");
	CU_ASSERT_PTR_NOT_NULL(strstr(r.err, "hotpatch: warning: forcing the "
				      "revert of patch 'fix_foo'"));
	CU_ASSERT_PTR_NOT_NULL(strstr(r.err, "stays loaded until reboot"));
	run_free(&r);
}

static void test_force_on_a_core_without_it_exits_4_and_changes_nothing(void)
{
	struct run r;

	setup_tree();
	fake_patch("fix_foo", 1, 1);
	r = run_cli(NULL, "disable", "--force", "fix_foo", NULL);
	CU_ASSERT_EQUAL(r.rc, HP_EXIT_ENV);
	CU_ASSERT_STRING_EQUAL(read_attr("patches/fix_foo/enabled"), "1");
	CU_ASSERT_PTR_NOT_NULL(strstr(r.err, "no patches/fix_foo/force"));
	run_free(&r);
}

static void test_force_is_disarmed_when_the_transition_is_refused(void)
{
	struct run r;

	setup_tree();
	fake_patch("fix_foo", 1, 1);
	fake_write("patches/fix_foo/force", "0\n");
	fake_write("patches/fix_foo/enabled", NULL);
	fake_mkdir("patches/fix_foo/enabled");
	r = run_cli(NULL, "disable", "--force", "fix_foo", NULL);
	CU_ASSERT_EQUAL(r.rc, HP_EXIT_REFUSED);
	CU_ASSERT_STRING_EQUAL(read_attr("patches/fix_foo/force"), "0");
	run_free(&r);
}

static void test_unload_of_a_forced_patch_says_its_module_stays(void)
{
	struct fake_mod fm = { .name = "fix_foo" };
	struct run r;

	setup_tree();
	fake_patch("fix_foo", 1, 1);
	fake_write("patches/fix_foo/force", "2\n");
	fake_write("patches/fix_foo/enabled", "0\n");
	fake_write("patches/fix_foo/state", "reverted\n");
	r = run_cli(&fm, "unload", "fix_foo", NULL);
	CU_ASSERT_EQUAL(r.rc, HP_EXIT_REFUSED);
	CU_ASSERT_EQUAL(fm.removes, 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.err, "was forced"));
	CU_ASSERT_PTR_NOT_NULL(strstr(r.err, "until reboot"));
	run_free(&r);
}

static void test_unload_with_force_forces_the_revert(void)
{
	struct fake_mod fm = { .name = "fix_foo" };
	struct run r;

	setup_tree();
	fake_patch("fix_foo", 1, 1);
	fake_write("patches/fix_foo/force", "0\n");
	fake_write("patches/fix_foo/state", "reverted\n");
	r = run_cli(&fm, "unload", "--force", "fix_foo", NULL);
	CU_ASSERT_EQUAL(r.rc, HP_EXIT_OK);	/* the fake does not pin */
	CU_ASSERT_EQUAL(fm.removes, 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.err, "forcing the revert"));
	run_free(&r);
}

void suite_cmd_patch(void)
{
	CU_pSuite s = test_suite("cmd_patch", NULL, teardown);

	ADD_TEST(s, test_load_applies_the_patch_and_prints_what_was_patched);
	ADD_TEST(s, test_load_in_json_prints_the_applied_patch);
	ADD_TEST(s, test_load_of_a_missing_file_exits_3_before_touching_the_kernel);
	ADD_TEST(s, test_load_of_a_path_through_a_file_exits_3);
	ADD_TEST(s, test_load_of_a_directory_is_a_usage_error);
	ADD_TEST(s, test_load_refuses_a_patch_that_is_already_loaded);
	ADD_TEST(s, test_load_refuses_a_file_without_a_module_name);
	ADD_TEST(s, test_a_refused_load_quotes_the_core_and_says_what_to_do);
	ADD_TEST(s, test_a_refused_load_in_json_carries_reason_and_hint);
	ADD_TEST(s, test_a_refused_load_ignores_another_patchs_last_error);
	ADD_TEST(s, test_a_load_refused_for_permissions_exits_4);
	ADD_TEST(s, test_a_module_the_core_does_not_know_is_reported);
	ADD_TEST(s, test_a_patch_that_failed_after_loading_exits_2_with_its_reason);
	ADD_TEST(s, test_a_failed_patch_falls_back_to_its_own_last_error);
	ADD_TEST(s, test_a_patch_still_applying_after_the_timeout_exits_5);
	ADD_TEST(s, test_a_patch_left_staged_says_how_to_enable_it);
	ADD_TEST(s, test_load_does_not_load_the_core_for_a_redirected_root);
	ADD_TEST(s, test_load_reports_a_core_module_that_is_not_installed);
	ADD_TEST(s, test_load_reports_a_missing_core_path_as_not_found);
	ADD_TEST(s, test_load_reports_a_core_that_fails_to_load);
	ADD_TEST(s, test_load_reports_a_core_whose_sysfs_does_not_appear);
	ADD_TEST(s, test_unload_reverts_then_removes_the_module);
	ADD_TEST(s, test_unload_of_a_disabled_patch_only_removes_it);
	ADD_TEST(s, test_unload_of_an_unknown_patch_exits_3);
	ADD_TEST(s, test_unload_keeps_the_module_when_the_revert_times_out);
	ADD_TEST(s, test_unload_keeps_the_module_when_the_revert_is_refused);
	ADD_TEST(s, test_unload_reports_a_module_that_cannot_be_removed);
	ADD_TEST(s, test_unload_without_the_core_exits_4);
	ADD_TEST(s, test_disable_writes_0_and_reports_the_new_state);
	ADD_TEST(s, test_enable_writes_1_and_prints_json_when_asked);
	ADD_TEST(s, test_enabling_an_enabled_patch_changes_nothing);
	ADD_TEST(s, test_a_refused_enable_prints_the_cores_reason);
	ADD_TEST(s, test_a_failed_write_to_enabled_is_reported);
	ADD_TEST(s, test_enable_or_disable_of_an_unknown_patch_exits_3);
	ADD_TEST(s, test_an_unreadable_state_while_waiting_exits_6);
	ADD_TEST(s, test_a_patch_that_vanishes_while_waiting_exits_3);
	ADD_TEST(s, test_a_timed_out_load_lists_the_tasks_in_the_way);
	ADD_TEST(s, test_a_timed_out_load_in_json_has_a_blocking_array);
	ADD_TEST(s, test_a_timed_out_load_on_an_older_core_still_reports);
	ADD_TEST(s, test_a_timed_out_enable_shows_the_patchs_own_blocking_file);
	ADD_TEST(s, test_an_out_of_order_revert_names_the_patch_to_revert_first);
	ADD_TEST(s, test_a_refused_disable_falls_back_to_the_patchs_reason);
	ADD_TEST(s, test_force_arms_the_core_and_warns);
	ADD_TEST(s, test_force_on_a_core_without_it_exits_4_and_changes_nothing);
	ADD_TEST(s, test_force_is_disarmed_when_the_transition_is_refused);
	ADD_TEST(s, test_unload_of_a_forced_patch_says_its_module_stays);
	ADD_TEST(s, test_unload_with_force_forces_the_revert);
}
