// SPDX-License-Identifier: GPL-2.0
/* tools/lib/sysfs.c: the tree reader and the two writes, on a fake tree. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "testlib.h"

static struct hp_sysfs *sys;

static int setup(void)
{
	fake_setup();
	return hp_sysfs_new(NULL, &sys) ? -1 : 0;
}

static int teardown(void)
{
	hp_sysfs_free(sys);
	sys = NULL;
	fake_teardown();
	return 0;
}

/* Each test starts from a fresh tree. */
static void fresh(void)
{
	teardown();
	setup();
}

/* True when some problem of p contains text. */
static bool has_problem(const struct hp_patch *p, const char *text)
{
	size_t i;

	for (i = 0; i < hp_patch_problem_count(p); i++)
		if (strstr(hp_patch_problem(p, i), text))
			return true;
	return false;
}

static struct hp_patch *read_ok(const char *name)
{
	struct hp_patch *p = NULL;

	CU_ASSERT_EQUAL(hp_patch_read(sys, name, &p), 0);
	return p;
}

/* ---- the handle ---- */

static void test_root_comes_from_the_argument_then_the_environment(void)
{
	struct hp_sysfs *s;

	CU_ASSERT_EQUAL_FATAL(hp_sysfs_new("/elsewhere", &s), 0);
	CU_ASSERT_STRING_EQUAL(hp_sysfs_root(s), "/elsewhere");
	CU_ASSERT_FALSE(hp_sysfs_is_default(s));
	hp_sysfs_free(s);

	CU_ASSERT_STRING_EQUAL(hp_sysfs_root(sys), fake_root());
	CU_ASSERT_FALSE(hp_sysfs_is_default(sys));
}

static void test_root_defaults_to_sys_kernel_hotpatch(void)
{
	char *saved = strdup(getenv(HP_SYSFS_ENV));
	struct hp_sysfs *s;

	unsetenv(HP_SYSFS_ENV);
	CU_ASSERT_EQUAL_FATAL(hp_sysfs_new(NULL, &s), 0);
	CU_ASSERT_STRING_EQUAL(hp_sysfs_root(s), "/sys/kernel/hotpatch");
	CU_ASSERT_TRUE(hp_sysfs_is_default(s));
	hp_sysfs_free(s);

	setenv(HP_SYSFS_ENV, "", 1);	/* empty counts as unset */
	CU_ASSERT_EQUAL_FATAL(hp_sysfs_new(NULL, &s), 0);
	CU_ASSERT_TRUE(hp_sysfs_is_default(s));
	hp_sysfs_free(s);
	setenv(HP_SYSFS_ENV, saved, 1);
	free(saved);
	hp_sysfs_free(NULL);
}

static void test_an_empty_root_argument_is_invalid(void)
{
	struct hp_sysfs *s = NULL;

	CU_ASSERT_EQUAL(hp_sysfs_new("", &s), -EINVAL);
	CU_ASSERT_PTR_NULL(s);
}

static void test_probe_tells_whether_the_core_is_loaded(void)
{
	struct hp_sysfs *s;
	char path[4096];

	CU_ASSERT_EQUAL(hp_sysfs_probe(sys), 0);
	snprintf(path, sizeof(path), "%s/nothing", fake_root());
	hp_sysfs_new(path, &s);
	CU_ASSERT_EQUAL(hp_sysfs_probe(s), -ENOENT);
	hp_sysfs_free(s);
	snprintf(path, sizeof(path), "%s/version", fake_root());
	hp_sysfs_new(path, &s);
	CU_ASSERT_EQUAL(hp_sysfs_probe(s), -ENOTDIR);
	hp_sysfs_free(s);
}

static void test_patch_exists_only_for_patch_directories(void)
{
	fresh();
	fake_patch("fix_foo", 1, 1);
	fake_write("patches/not_a_dir", "x\n");
	CU_ASSERT_EQUAL(hp_sysfs_patch_exists(sys, "fix_foo"), 0);
	CU_ASSERT_EQUAL(hp_sysfs_patch_exists(sys, "fix-foo"), 0);
	CU_ASSERT_EQUAL(hp_sysfs_patch_exists(sys, "fix_bar"), -ENOENT);
	CU_ASSERT_EQUAL(hp_sysfs_patch_exists(sys, "not_a_dir"), -ENOENT);
	CU_ASSERT_EQUAL(hp_sysfs_patch_exists(sys, "../version"), -EINVAL);
	CU_ASSERT_EQUAL(hp_sysfs_patch_exists(sys, ""), -EINVAL);
}

/* ---- single attributes ---- */

static void test_read_attr_strips_the_newline_and_returns_the_length(void)
{
	char buf[64];

	fresh();
	CU_ASSERT_EQUAL(hp_sysfs_read_attr(sys, "version", buf, sizeof(buf)), 5);
	CU_ASSERT_STRING_EQUAL(buf, "0.1.0");
}

static void test_read_attr_fails_for_missing_and_oversized_files(void)
{
	char buf[4];

	fresh();
	CU_ASSERT_EQUAL(hp_sysfs_read_attr(sys, "nope", buf, sizeof(buf)),
			-ENOENT);
	CU_ASSERT_EQUAL(hp_sysfs_read_attr(sys, "version", buf, sizeof(buf)),
			-EFBIG);
	CU_ASSERT_EQUAL(hp_sysfs_read_attr(sys, "version", buf, 0), -EINVAL);
	CU_ASSERT_EQUAL(hp_sysfs_read_attr(sys, "patches", buf, sizeof(buf)),
			-EISDIR);
}

static void test_last_error_reads_empty_as_no_data(void)
{
	struct hp_last_error *le = NULL;

	fresh();
	CU_ASSERT_EQUAL(hp_sysfs_read_last_error(sys, &le), -ENODATA);
	fake_write("last_error", NULL);
	CU_ASSERT_EQUAL(hp_sysfs_read_last_error(sys, &le), -ENOENT);
	fake_write("last_error", "garbage\n");
	CU_ASSERT_EQUAL(hp_sysfs_read_last_error(sys, &le), -EINVAL);
	CU_ASSERT_PTR_NULL(le);
}

static void test_last_error_reads_a_recorded_refusal(void)
{
	struct hp_last_error *le = NULL;

	fresh();
	fake_write("last_error", "fix_foo\t-129\tsignature rejected\n");
	CU_ASSERT_EQUAL_FATAL(hp_sysfs_read_last_error(sys, &le), 0);
	CU_ASSERT_EQUAL(hp_last_error_errno(le), EKEYREJECTED);
	CU_ASSERT_STRING_EQUAL(hp_last_error_reason(le), "signature rejected");
	hp_last_error_free(le);
}

static void test_set_enabled_writes_0_or_1_to_the_patch(void)
{
	char buf[8];

	fresh();
	fake_patch("fix_foo", 1, 1);
	CU_ASSERT_EQUAL(hp_sysfs_set_enabled(sys, "fix-foo", false), 0);
	hp_sysfs_read_attr(sys, "patches/fix_foo/enabled", buf, sizeof(buf));
	CU_ASSERT_STRING_EQUAL(buf, "0");
	CU_ASSERT_EQUAL(hp_sysfs_set_enabled(sys, "fix_foo", true), 0);
	hp_sysfs_read_attr(sys, "patches/fix_foo/enabled", buf, sizeof(buf));
	CU_ASSERT_STRING_EQUAL(buf, "1");
}

static void test_set_enabled_fails_for_missing_patches_and_bad_names(void)
{
	fresh();
	CU_ASSERT_EQUAL(hp_sysfs_set_enabled(sys, "fix_foo", true), -ENOENT);
	CU_ASSERT_EQUAL(hp_sysfs_set_enabled(sys, "a/b", true), -EINVAL);
	fake_mkdir("patches/fix_foo/enabled");	/* a directory, not a file */
	CU_ASSERT_EQUAL(hp_sysfs_set_enabled(sys, "fix_foo", true), -EISDIR);
}

/* ---- waiting for a state ---- */

static void test_wait_returns_at_once_when_the_state_is_reached(void)
{
	enum hp_state seen = HP_STATE_UNKNOWN;

	fresh();
	fake_patch("fix_foo", 1, 1);
	CU_ASSERT_EQUAL(hp_sysfs_wait_state(sys, "fix_foo", HP_STATE_APPLIED,
					    0, &seen), 0);
	CU_ASSERT_EQUAL(seen, HP_STATE_APPLIED);
}

static void test_wait_sees_a_state_change_made_meanwhile(void)
{
	enum hp_state seen;
	pid_t pid;
	int status;

	fresh();
	fake_patch("fix_foo", 1, 1);
	fake_write("patches/fix_foo/state", "reverting\n");
	pid = fork();
	CU_ASSERT_FATAL(pid >= 0);
	if (pid == 0) {
		usleep(100 * 1000);
		fake_write("patches/fix_foo/state", "reverted\n");
		_exit(0);
	}
	CU_ASSERT_EQUAL(hp_sysfs_wait_state(sys, "fix_foo", HP_STATE_REVERTED,
					    5000, &seen), 0);
	CU_ASSERT_EQUAL(seen, HP_STATE_REVERTED);
	waitpid(pid, &status, 0);
}

static void test_wait_times_out_when_the_state_does_not_come(void)
{
	enum hp_state seen;

	fresh();
	fake_patch("fix_foo", 1, 1);
	fake_write("patches/fix_foo/state", "applying\n");
	CU_ASSERT_EQUAL(hp_sysfs_wait_state(sys, "fix_foo", HP_STATE_APPLIED,
					    50, &seen), -ETIMEDOUT);
	CU_ASSERT_EQUAL(seen, HP_STATE_APPLYING);
	fake_write("patches/fix_foo/state", "bogus\n");
	CU_ASSERT_EQUAL(hp_sysfs_wait_state(sys, "fix_foo", HP_STATE_APPLIED,
					    0, &seen), -ETIMEDOUT);
	CU_ASSERT_EQUAL(seen, HP_STATE_UNKNOWN);
}

static void test_wait_stops_early_when_the_patch_failed(void)
{
	enum hp_state seen;

	fresh();
	fake_patch("fix_foo", 1, 1);
	fake_write("patches/fix_foo/state", "failed\n");
	CU_ASSERT_EQUAL(hp_sysfs_wait_state(sys, "fix_foo", HP_STATE_APPLIED,
					    10000, &seen), -ECANCELED);
	CU_ASSERT_EQUAL(seen, HP_STATE_FAILED);
	fake_write("patches/fix_foo/state", "rejected\n");
	CU_ASSERT_EQUAL(hp_sysfs_wait_state(sys, "fix_foo", HP_STATE_APPLIED,
					    10000, NULL), -ECANCELED);
}

static void test_wait_fails_when_the_patch_is_gone(void)
{
	fresh();
	CU_ASSERT_EQUAL(hp_sysfs_wait_state(sys, "fix_foo", HP_STATE_APPLIED,
					    10000, NULL), -ENOENT);
	CU_ASSERT_EQUAL(hp_sysfs_wait_state(sys, "", HP_STATE_APPLIED, 0,
					    NULL), -EINVAL);
}

/* ---- global files ---- */

static void test_core_reads_version_mode_count_and_last_error(void)
{
	struct hp_core *c = NULL;

	fresh();
	fake_write("count", "2\n");
	fake_write("default_mode", "ops\n");
	fake_write("last_error", "fix_x\t2\tsymbol 'foo' not found\n");
	CU_ASSERT_EQUAL_FATAL(hp_core_read(sys, &c), 0);
	CU_ASSERT_STRING_EQUAL(hp_core_version(c), "0.1.0");
	CU_ASSERT_EQUAL(hp_core_default_mode(c), HP_MODE_OPS);
	CU_ASSERT_EQUAL(hp_core_count(c), 2);
	CU_ASSERT_PTR_NOT_NULL_FATAL(hp_core_last_error(c));
	CU_ASSERT_EQUAL(hp_last_error_errno(hp_core_last_error(c)), ENOENT);
	CU_ASSERT_EQUAL(hp_core_problem_count(c), 0);
	CU_ASSERT_PTR_NULL(hp_core_problem(c, 0));
	hp_core_free(c);
	hp_core_free(NULL);
}

static void test_core_turns_missing_and_garbage_files_into_problems(void)
{
	struct hp_core *c = NULL;

	fresh();
	fake_write("version", NULL);
	fake_write("default_mode", "fast\n");
	fake_write("count", "-3\n");
	fake_write("last_error", "oops\n");
	CU_ASSERT_EQUAL_FATAL(hp_core_read(sys, &c), 0);
	CU_ASSERT_PTR_NULL(hp_core_version(c));
	CU_ASSERT_EQUAL(hp_core_default_mode(c), HP_MODE_UNKNOWN);
	CU_ASSERT_EQUAL(hp_core_count(c), -1);
	CU_ASSERT_PTR_NULL(hp_core_last_error(c));
	CU_ASSERT_EQUAL(hp_core_problem_count(c), 4);
	CU_ASSERT_STRING_EQUAL(hp_core_problem(c, 0), "version: missing");
	CU_ASSERT_STRING_EQUAL(hp_core_problem(c, 1),
			       "default_mode: invalid value 'fast'");
	hp_core_free(c);
}

static void test_core_read_fails_when_the_core_is_not_loaded(void)
{
	struct hp_core *c = NULL;

	fresh();
	fake_teardown();
	CU_ASSERT_EQUAL(hp_core_read(sys, &c), -ENOENT);
	CU_ASSERT_PTR_NULL(c);
	fresh();
}

/* ---- one patch ---- */

static void test_a_complete_patch_is_read_with_every_value(void)
{
	const struct hp_object *o;
	const struct hp_func *f;
	struct hp_patch *p;
	uint64_t a = 0;

	fresh();
	fake_patch("fix_foo", 2, 3);
	p = read_ok("fix_foo");
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	CU_ASSERT_STRING_EQUAL(hp_patch_name(p), "fix_foo");
	CU_ASSERT_EQUAL(hp_patch_state(p), HP_STATE_APPLIED);
	CU_ASSERT_EQUAL(hp_patch_enabled(p), 1);
	CU_ASSERT_EQUAL(hp_patch_transition(p), 0);
	CU_ASSERT_EQUAL(hp_patch_mode(p), HP_MODE_DIRECT);
	CU_ASSERT_STRING_EQUAL(hp_patch_target(p), "6.1.0-13-cloud-amd64");
	CU_ASSERT_EQUAL(hp_patch_applied_at(p), 1764000000);
	CU_ASSERT_STRING_EQUAL(hp_patch_last_error(p), "");
	CU_ASSERT_EQUAL(hp_patch_stack_order(p), 3);
	CU_ASSERT_EQUAL(hp_patch_problem_count(p), 0);
	CU_ASSERT_EQUAL_FATAL(hp_patch_object_count(p), 1);
	CU_ASSERT_EQUAL(hp_patch_func_count(p), 2);

	o = hp_patch_object(p, 0);
	CU_ASSERT_STRING_EQUAL(hp_object_name(o), "vmlinux");
	CU_ASSERT_EQUAL(hp_object_patched(o), 1);
	CU_ASSERT_EQUAL_FATAL(hp_object_func_count(o), 2);
	f = hp_object_func(o, 1);
	CU_ASSERT_STRING_EQUAL(hp_func_name(f), "func1");
	CU_ASSERT_EQUAL(hp_func_sympos(f), 0);
	CU_ASSERT_TRUE(hp_func_old_addr(f, &a));
	CU_ASSERT_EQUAL(a, 0xffffffff81000001ULL);
	CU_ASSERT_TRUE(hp_func_new_addr(f, &a));
	CU_ASSERT_EQUAL(a, 0xffffffffc0000001ULL);
	CU_ASSERT_EQUAL(hp_func_mode(f), HP_MODE_DIRECT);
	CU_ASSERT_EQUAL(hp_func_patched(f), 1);
	CU_ASSERT_PTR_NULL(hp_object_func(o, 2));
	CU_ASSERT_PTR_NULL(hp_patch_object(p, 1));
	CU_ASSERT_PTR_NULL(hp_patch_problem(p, 0));
	hp_patch_free(p);
	hp_patch_free(NULL);
}

static void test_objects_list_vmlinux_first_and_functions_by_name(void)
{
	const struct hp_object *o;
	struct hp_patch *p;

	fresh();
	fake_patch("fix_foo", 0, 1);
	fake_mkdir("patches/fix_foo/ext4/zz,0");
	fake_mkdir("patches/fix_foo/ext4/aa,2");
	fake_mkdir("patches/fix_foo/ext4/aa,1");
	fake_mkdir("patches/fix_foo/btrfs/x,0");
	fake_mkdir("patches/fix_foo/vmlinux/f,0");
	p = read_ok("fix_foo");
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	CU_ASSERT_EQUAL_FATAL(hp_patch_object_count(p), 3);
	CU_ASSERT_STRING_EQUAL(hp_object_name(hp_patch_object(p, 0)), "vmlinux");
	CU_ASSERT_STRING_EQUAL(hp_object_name(hp_patch_object(p, 1)), "btrfs");
	o = hp_patch_object(p, 2);
	CU_ASSERT_STRING_EQUAL(hp_object_name(o), "ext4");
	CU_ASSERT_EQUAL_FATAL(hp_object_func_count(o), 3);
	CU_ASSERT_EQUAL(hp_func_sympos(hp_object_func(o, 0)), 1);
	CU_ASSERT_EQUAL(hp_func_sympos(hp_object_func(o, 1)), 2);
	CU_ASSERT_STRING_EQUAL(hp_func_name(hp_object_func(o, 2)), "zz");
	CU_ASSERT_EQUAL(hp_patch_func_count(p), 5);
	hp_patch_free(p);
}

static void test_missing_files_become_unknown_values_and_problems(void)
{
	static const char *const attrs[] = {
		"enabled", "state", "transition", "mode", "target",
		"applied_at", "last_error", "stack_order",
		"vmlinux/patched", "vmlinux/func0,0/old_addr",
		"vmlinux/func0,0/new_addr", "vmlinux/func0,0/mode",
		"vmlinux/func0,0/patched",
	};
	const struct hp_func *f;
	struct hp_patch *p;
	char rel[256], want[256];
	uint64_t a;
	size_t i;

	fresh();
	fake_patch("fix_foo", 1, 1);
	for (i = 0; i < sizeof(attrs) / sizeof(attrs[0]); i++) {
		snprintf(rel, sizeof(rel), "patches/fix_foo/%s", attrs[i]);
		fake_write(rel, NULL);
	}
	p = read_ok("fix_foo");
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	CU_ASSERT_EQUAL(hp_patch_problem_count(p),
			sizeof(attrs) / sizeof(attrs[0]));
	for (i = 0; i < sizeof(attrs) / sizeof(attrs[0]); i++) {
		snprintf(want, sizeof(want), "%s: missing", attrs[i]);
		CU_ASSERT(has_problem(p, want));
	}
	CU_ASSERT_EQUAL(hp_patch_state(p), HP_STATE_UNKNOWN);
	CU_ASSERT_EQUAL(hp_patch_enabled(p), -1);
	CU_ASSERT_EQUAL(hp_patch_transition(p), -1);
	CU_ASSERT_EQUAL(hp_patch_mode(p), HP_MODE_UNKNOWN);
	CU_ASSERT_PTR_NULL(hp_patch_target(p));
	CU_ASSERT_EQUAL(hp_patch_applied_at(p), -1);
	CU_ASSERT_PTR_NULL(hp_patch_last_error(p));
	CU_ASSERT_EQUAL(hp_patch_stack_order(p), -1);
	CU_ASSERT_EQUAL(hp_object_patched(hp_patch_object(p, 0)), -1);
	f = hp_object_func(hp_patch_object(p, 0), 0);
	CU_ASSERT_FALSE(hp_func_old_addr(f, &a));
	CU_ASSERT_FALSE(hp_func_new_addr(f, &a));
	CU_ASSERT_EQUAL(hp_func_mode(f), HP_MODE_UNKNOWN);
	CU_ASSERT_EQUAL(hp_func_patched(f), -1);
	hp_patch_free(p);
}

static void test_garbage_values_become_unknown_values_and_problems(void)
{
	const struct hp_func *f;
	struct hp_patch *p;
	uint64_t a;

	fresh();
	fake_patch("fix_foo", 1, 1);
	fake_write("patches/fix_foo/enabled", "2\n");
	fake_write("patches/fix_foo/state", "sleeping\n");
	fake_write("patches/fix_foo/transition", "\n");
	fake_write("patches/fix_foo/mode", "magic\n");
	fake_write("patches/fix_foo/applied_at", "yesterday\n");
	fake_write("patches/fix_foo/stack_order", "0\n");
	fake_write("patches/fix_foo/vmlinux/patched", "maybe\n");
	fake_write("patches/fix_foo/vmlinux/func0,0/old_addr", "0xZZ\n");
	fake_write("patches/fix_foo/vmlinux/func0,0/new_addr", "12345\n");
	fake_write("patches/fix_foo/vmlinux/func0,0/mode", "\n");
	fake_write("patches/fix_foo/vmlinux/func0,0/patched", "-1\n");
	p = read_ok("fix_foo");
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	CU_ASSERT_EQUAL(hp_patch_problem_count(p), 11);
	CU_ASSERT(has_problem(p, "enabled: invalid value '2'"));
	CU_ASSERT(has_problem(p, "state: invalid value 'sleeping'"));
	CU_ASSERT(has_problem(p, "stack_order: invalid value '0'"));
	CU_ASSERT(has_problem(p, "vmlinux/func0,0/old_addr: invalid value '0xZZ'"));
	CU_ASSERT_EQUAL(hp_patch_state(p), HP_STATE_UNKNOWN);
	CU_ASSERT_EQUAL(hp_patch_enabled(p), -1);
	CU_ASSERT_EQUAL(hp_patch_transition(p), -1);
	CU_ASSERT_EQUAL(hp_patch_mode(p), HP_MODE_UNKNOWN);
	CU_ASSERT_EQUAL(hp_patch_applied_at(p), -1);
	CU_ASSERT_EQUAL(hp_patch_stack_order(p), -1);
	f = hp_object_func(hp_patch_object(p, 0), 0);
	CU_ASSERT_FALSE(hp_func_old_addr(f, &a));
	CU_ASSERT_FALSE(hp_func_new_addr(f, &a));
	CU_ASSERT_EQUAL(hp_func_patched(f), -1);
	hp_patch_free(p);
}

static void test_long_garbage_is_quoted_shortened(void)
{
	struct hp_patch *p;
	char big[200];

	fresh();
	fake_patch("fix_foo", 0, 1);
	memset(big, 'x', sizeof(big) - 2);
	big[sizeof(big) - 2] = '\n';
	big[sizeof(big) - 1] = '\0';
	fake_write("patches/fix_foo/mode", big);
	p = read_ok("fix_foo");
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	CU_ASSERT(has_problem(p, "xxxxxxxx...'"));
	CU_ASSERT(strlen(hp_patch_problem(p, 0)) < 80);
	hp_patch_free(p);
}

static void test_oversized_attributes_are_problems_not_truncations(void)
{
	struct hp_patch *p;
	char *big = malloc(5000);

	fresh();
	fake_patch("fix_foo", 0, 1);
	memset(big, 'y', 4999);
	big[4999] = '\0';
	fake_write("patches/fix_foo/target", big);
	free(big);
	p = read_ok("fix_foo");
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	CU_ASSERT_PTR_NULL(hp_patch_target(p));
	CU_ASSERT(has_problem(p, "target: File too large"));
	hp_patch_free(p);
}

static void test_function_directories_need_a_valid_sympos(void)
{
	const struct hp_object *o;
	struct hp_patch *p;

	fresh();
	fake_patch("fix_foo", 0, 1);
	fake_mkdir("patches/fix_foo/vmlinux/nocomma");
	fake_mkdir("patches/fix_foo/vmlinux/bad,x1");
	fake_mkdir("patches/fix_foo/vmlinux/a,b,3");
	p = read_ok("fix_foo");
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	CU_ASSERT(has_problem(p, "vmlinux/nocomma: no ',<sympos>'"));
	CU_ASSERT(has_problem(p, "vmlinux/bad,x1: invalid sympos 'x1'"));
	o = hp_patch_object(p, 0);
	CU_ASSERT_EQUAL_FATAL(hp_object_func_count(o), 3);
	/* the name is everything before the last comma */
	CU_ASSERT_STRING_EQUAL(hp_func_name(hp_object_func(o, 0)), "a,b");
	CU_ASSERT_EQUAL(hp_func_sympos(hp_object_func(o, 0)), 3);
	hp_patch_free(p);
}

static void test_an_empty_patch_directory_reads_as_all_unknown(void)
{
	struct hp_patch *p;

	fresh();
	fake_mkdir("patches/fix_empty");
	p = read_ok("fix_empty");
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	CU_ASSERT_EQUAL(hp_patch_object_count(p), 0);
	CU_ASSERT_EQUAL(hp_patch_func_count(p), 0);
	CU_ASSERT_EQUAL(hp_patch_problem_count(p), 8);
	hp_patch_free(p);
}

static void test_reading_a_patch_that_is_not_there_fails(void)
{
	struct hp_patch *p = NULL;

	fresh();
	fake_write("patches/a_file", "x\n");
	CU_ASSERT_EQUAL(hp_patch_read(sys, "fix_foo", &p), -ENOENT);
	CU_ASSERT_EQUAL(hp_patch_read(sys, "a_file", &p), -ENOENT);
	CU_ASSERT_EQUAL(hp_patch_read(sys, "x/y", &p), -EINVAL);
	CU_ASSERT_EQUAL(hp_patch_read(sys, "", &p), -EINVAL);
	CU_ASSERT_PTR_NULL(p);
}

static void test_patch_names_with_dashes_find_the_kernel_name(void)
{
	struct hp_patch *p;

	fresh();
	fake_patch("fix_foo", 0, 1);
	p = read_ok("fix-foo");
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	CU_ASSERT_STRING_EQUAL(hp_patch_name(p), "fix_foo");
	hp_patch_free(p);
}

static void test_overlong_patch_names_are_invalid(void)
{
	struct hp_patch *p = NULL;
	char name[300];

	fresh();
	memset(name, 'a', sizeof(name) - 1);
	name[sizeof(name) - 1] = '\0';
	CU_ASSERT_EQUAL(hp_patch_read(sys, name, &p), -EINVAL);
	CU_ASSERT_EQUAL(hp_sysfs_patch_exists(sys, name), -EINVAL);
	CU_ASSERT_EQUAL(hp_sysfs_set_enabled(sys, name, true), -EINVAL);
}

static void test_reading_a_patch_fails_when_patches_is_a_file(void)
{
	struct hp_patch *p = NULL;

	fresh();
	fake_rmtree("patches");
	fake_write("patches", "x\n");
	CU_ASSERT_EQUAL(hp_patch_read(sys, "fix_foo", &p), -ENOTDIR);
	CU_ASSERT_PTR_NULL(p);
}

static void test_wait_reports_a_state_file_that_cannot_be_read(void)
{
	fresh();
	fake_patch("fix_foo", 1, 1);
	fake_write("patches/fix_foo/state", NULL);
	fake_mkdir("patches/fix_foo/state");
	CU_ASSERT_EQUAL(hp_sysfs_wait_state(sys, "fix_foo", HP_STATE_APPLIED,
					    0, NULL), -EISDIR);
}

static void test_unreadable_files_name_the_error_in_the_problem(void)
{
	struct hp_core *c = NULL;

	fresh();
	fake_write("version", NULL);
	fake_mkdir("version");
	CU_ASSERT_EQUAL_FATAL(hp_core_read(sys, &c), 0);
	CU_ASSERT_PTR_NULL(hp_core_version(c));
	CU_ASSERT_STRING_EQUAL(hp_core_problem(c, 0),
			       "version: Is a directory");
	hp_core_free(c);
}

/* ---- all patches ---- */

static void test_listed_patches_keep_their_directory_names(void)
{
	struct hp_patch_list *l = NULL;

	fresh();
	fake_patch("odd-name", 1, 1);	/* the kernel would say odd_name */
	CU_ASSERT_EQUAL_FATAL(hp_patch_list_read(sys, &l), 0);
	CU_ASSERT_EQUAL_FATAL(hp_patch_list_count(l), 1);
	CU_ASSERT_STRING_EQUAL(hp_patch_name(hp_patch_list_get(l, 0)),
			       "odd-name");
	hp_patch_list_free(l);
}


static void test_an_empty_list_is_fine(void)
{
	struct hp_patch_list *l = NULL;

	fresh();
	CU_ASSERT_EQUAL_FATAL(hp_patch_list_read(sys, &l), 0);
	CU_ASSERT_EQUAL(hp_patch_list_count(l), 0);
	CU_ASSERT_PTR_NULL(hp_patch_list_get(l, 0));
	hp_patch_list_free(l);

	fake_rmtree("patches");		/* a core with no patches/ yet */
	CU_ASSERT_EQUAL_FATAL(hp_patch_list_read(sys, &l), 0);
	CU_ASSERT_EQUAL(hp_patch_list_count(l), 0);
	hp_patch_list_free(l);
	hp_patch_list_free(NULL);
}

static void test_the_list_is_in_stack_order_unknown_last(void)
{
	struct hp_patch_list *l = NULL;

	fresh();
	fake_patch("c_newest", 1, 3);
	fake_patch("a_oldest", 1, 1);
	fake_patch("b_middle", 2, 2);
	fake_patch("z_unknown", 1, 1);
	fake_write("patches/z_unknown/stack_order", NULL);
	fake_patch("y_unknown", 1, 1);
	fake_write("patches/y_unknown/stack_order", "junk\n");
	fake_write("patches/stray_file", "x\n");
	CU_ASSERT_EQUAL_FATAL(hp_patch_list_read(sys, &l), 0);
	CU_ASSERT_EQUAL_FATAL(hp_patch_list_count(l), 5);
	CU_ASSERT_STRING_EQUAL(hp_patch_name(hp_patch_list_get(l, 0)), "a_oldest");
	CU_ASSERT_STRING_EQUAL(hp_patch_name(hp_patch_list_get(l, 1)), "b_middle");
	CU_ASSERT_STRING_EQUAL(hp_patch_name(hp_patch_list_get(l, 2)), "c_newest");
	CU_ASSERT_STRING_EQUAL(hp_patch_name(hp_patch_list_get(l, 3)), "y_unknown");
	CU_ASSERT_STRING_EQUAL(hp_patch_name(hp_patch_list_get(l, 4)), "z_unknown");
	hp_patch_list_free(l);
}

static void test_listing_fails_when_the_core_is_not_loaded(void)
{
	struct hp_patch_list *l = NULL;

	fresh();
	fake_teardown();
	CU_ASSERT_EQUAL(hp_patch_list_read(sys, &l), -ENOENT);
	CU_ASSERT_PTR_NULL(l);
	fresh();
}

static void test_listing_fails_when_patches_is_not_a_directory(void)
{
	struct hp_patch_list *l = NULL;

	fresh();
	fake_rmtree("patches");
	fake_write("patches", "x\n");
	CU_ASSERT_EQUAL(hp_patch_list_read(sys, &l), -ENOTDIR);
	CU_ASSERT_PTR_NULL(l);
}

static void test_blocking_reads_the_patchs_file_or_the_global_one(void)
{
	struct hp_blocking *bl = NULL;

	fresh();
	CU_ASSERT_EQUAL(hp_sysfs_read_blocking(sys, NULL, &bl), -ENOENT);
	fake_write("blocking", "1 a f+0/1\n2 b g+0/1\n");
	CU_ASSERT_EQUAL_FATAL(hp_sysfs_read_blocking(sys, NULL, &bl), 0);
	CU_ASSERT_EQUAL(hp_blocking_count(bl), 2);
	hp_blocking_free(bl);
	fake_patch("fix-a", 1, 1);
	CU_ASSERT_EQUAL(hp_sysfs_read_blocking(sys, "fix_a", &bl), -ENOENT);
	fake_write("patches/fix-a/blocking", "3 c h+0/1\n");
	CU_ASSERT_EQUAL(hp_sysfs_read_blocking(sys, "fix-a", &bl), -ENOENT);
	fake_rmtree("patches/fix-a");
	fake_patch("fix_a", 1, 1);
	fake_write("patches/fix_a/blocking", "3 c h+0/1\n");
	CU_ASSERT_EQUAL_FATAL(hp_sysfs_read_blocking(sys, "fix-a", &bl), 0);
	CU_ASSERT_EQUAL(hp_blocking_get(bl, 0)->pid, 3);
	hp_blocking_free(bl);
	CU_ASSERT_EQUAL(hp_sysfs_read_blocking(sys, "../x", &bl), -EINVAL);
}

static void test_a_blocking_file_larger_than_a_page_is_read_whole(void)
{
	struct hp_blocking *bl = NULL;
	char *text = malloc(40000), *p = text;
	int i;

	fresh();
	for (i = 0; i < 1000; i++)
		p += sprintf(p, "%d task%d func%d+0x1/0x2 [m]\n", i + 1, i, i);
	fake_write("blocking", text);
	CU_ASSERT_EQUAL_FATAL(hp_sysfs_read_blocking(sys, NULL, &bl), 0);
	CU_ASSERT_EQUAL(hp_blocking_count(bl), 1000);
	CU_ASSERT_EQUAL(hp_blocking_bad_lines(bl), 0);
	hp_blocking_free(bl);
	free(text);
}

static void test_force_and_other_writes_go_to_the_named_file(void)
{
	char buf[16];

	fresh();
	fake_patch("fix_a", 1, 1);
	CU_ASSERT_EQUAL(hp_sysfs_set_force(sys, "fix_a", true), -ENOENT);
	fake_write("patches/fix_a/force", "0\n");
	CU_ASSERT_EQUAL(hp_sysfs_set_force(sys, "fix-a", true), 0);
	CU_ASSERT(hp_sysfs_read_attr(sys, "patches/fix_a/force", buf,
				     sizeof(buf)) > 0);
	CU_ASSERT_STRING_EQUAL(buf, "1");
	fake_write("keys_locked", "0\n");
	CU_ASSERT_EQUAL(hp_sysfs_write_attr(sys, "keys_locked", "1"), 0);
	CU_ASSERT(hp_sysfs_read_attr(sys, "keys_locked", buf, sizeof(buf)) > 0);
	CU_ASSERT_STRING_EQUAL(buf, "1");
}

static void test_keys_are_read_from_the_global_file(void)
{
	struct hp_keys *ks = NULL;

	fresh();
	CU_ASSERT_EQUAL(hp_sysfs_read_keys(sys, &ks), -ENOENT);
	fake_write("keys", "V: 0a0b\tbuiltin\n");
	CU_ASSERT_EQUAL_FATAL(hp_sysfs_read_keys(sys, &ks), 0);
	CU_ASSERT_EQUAL(hp_keys_count(ks), 1);
	hp_keys_free(ks);
}

void suite_sysfs(void)
{
	CU_pSuite s = test_suite("sysfs", setup, teardown);

	ADD_TEST(s, test_root_comes_from_the_argument_then_the_environment);
	ADD_TEST(s, test_blocking_reads_the_patchs_file_or_the_global_one);
	ADD_TEST(s, test_a_blocking_file_larger_than_a_page_is_read_whole);
	ADD_TEST(s, test_force_and_other_writes_go_to_the_named_file);
	ADD_TEST(s, test_keys_are_read_from_the_global_file);
	ADD_TEST(s, test_root_defaults_to_sys_kernel_hotpatch);
	ADD_TEST(s, test_an_empty_root_argument_is_invalid);
	ADD_TEST(s, test_probe_tells_whether_the_core_is_loaded);
	ADD_TEST(s, test_patch_exists_only_for_patch_directories);
	ADD_TEST(s, test_read_attr_strips_the_newline_and_returns_the_length);
	ADD_TEST(s, test_read_attr_fails_for_missing_and_oversized_files);
	ADD_TEST(s, test_last_error_reads_empty_as_no_data);
	ADD_TEST(s, test_last_error_reads_a_recorded_refusal);
	ADD_TEST(s, test_set_enabled_writes_0_or_1_to_the_patch);
	ADD_TEST(s, test_set_enabled_fails_for_missing_patches_and_bad_names);
	ADD_TEST(s, test_wait_returns_at_once_when_the_state_is_reached);
	ADD_TEST(s, test_wait_sees_a_state_change_made_meanwhile);
	ADD_TEST(s, test_wait_times_out_when_the_state_does_not_come);
	ADD_TEST(s, test_wait_stops_early_when_the_patch_failed);
	ADD_TEST(s, test_wait_fails_when_the_patch_is_gone);
	ADD_TEST(s, test_core_reads_version_mode_count_and_last_error);
	ADD_TEST(s, test_core_turns_missing_and_garbage_files_into_problems);
	ADD_TEST(s, test_core_read_fails_when_the_core_is_not_loaded);
	ADD_TEST(s, test_a_complete_patch_is_read_with_every_value);
	ADD_TEST(s, test_objects_list_vmlinux_first_and_functions_by_name);
	ADD_TEST(s, test_missing_files_become_unknown_values_and_problems);
	ADD_TEST(s, test_garbage_values_become_unknown_values_and_problems);
	ADD_TEST(s, test_long_garbage_is_quoted_shortened);
	ADD_TEST(s, test_oversized_attributes_are_problems_not_truncations);
	ADD_TEST(s, test_function_directories_need_a_valid_sympos);
	ADD_TEST(s, test_an_empty_patch_directory_reads_as_all_unknown);
	ADD_TEST(s, test_reading_a_patch_that_is_not_there_fails);
	ADD_TEST(s, test_patch_names_with_dashes_find_the_kernel_name);
	ADD_TEST(s, test_overlong_patch_names_are_invalid);
	ADD_TEST(s, test_reading_a_patch_fails_when_patches_is_a_file);
	ADD_TEST(s, test_wait_reports_a_state_file_that_cannot_be_read);
	ADD_TEST(s, test_unreadable_files_name_the_error_in_the_problem);
	ADD_TEST(s, test_listed_patches_keep_their_directory_names);
	ADD_TEST(s, test_an_empty_list_is_fine);
	ADD_TEST(s, test_the_list_is_in_stack_order_unknown_last);
	ADD_TEST(s, test_listing_fails_when_the_core_is_not_loaded);
	ADD_TEST(s, test_listing_fails_when_patches_is_not_a_directory);
}
