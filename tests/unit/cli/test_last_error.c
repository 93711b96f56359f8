// SPDX-License-Identifier: GPL-2.0
/* tools/lib/last_error.c: "<patch>\t<errno>\t<reason>". */
#include <errno.h>

#include "testlib.h"

static void test_a_well_formed_line_gives_patch_errno_and_reason(void)
{
	struct hp_last_error *le = NULL;

	CU_ASSERT_EQUAL_FATAL(hp_last_error_parse(
		"fix_foo\t16\tfunction 'cmdline_proc_show' is owned by kprobe\n",
		&le), 0);
	CU_ASSERT_STRING_EQUAL(hp_last_error_patch(le), "fix_foo");
	CU_ASSERT_EQUAL(hp_last_error_errno(le), EBUSY);
	CU_ASSERT_STRING_EQUAL(hp_last_error_reason(le),
			       "function 'cmdline_proc_show' is owned by kprobe");
	hp_last_error_free(le);
}

static void test_negative_and_symbolic_errnos_are_stored_positive(void)
{
	struct hp_last_error *le = NULL;

	CU_ASSERT_EQUAL_FATAL(hp_last_error_parse("p\t-126\tno key", &le), 0);
	CU_ASSERT_EQUAL(hp_last_error_errno(le), ENOKEY);
	hp_last_error_free(le);
	CU_ASSERT_EQUAL_FATAL(hp_last_error_parse("p\tEKEYREJECTED\tbad", &le),
			      0);
	CU_ASSERT_EQUAL(hp_last_error_errno(le), EKEYREJECTED);
	hp_last_error_free(le);
}

static void test_tabs_inside_the_reason_are_kept(void)
{
	struct hp_last_error *le = NULL;

	CU_ASSERT_EQUAL_FATAL(hp_last_error_parse("p\t2\ta\tb", &le), 0);
	CU_ASSERT_STRING_EQUAL(hp_last_error_reason(le), "a\tb");
	hp_last_error_free(le);
}

static void test_a_line_truncated_after_the_errno_has_an_empty_reason(void)
{
	struct hp_last_error *le = NULL;

	CU_ASSERT_EQUAL_FATAL(hp_last_error_parse("p\t2\n", &le), 0);
	CU_ASSERT_STRING_EQUAL(hp_last_error_reason(le), "");
	hp_last_error_free(le);
}

static void test_lines_truncated_before_the_errno_are_malformed(void)
{
	struct hp_last_error *le = NULL;

	CU_ASSERT_EQUAL(hp_last_error_parse("fix_foo", &le), -EINVAL);
	CU_ASSERT_EQUAL(hp_last_error_parse("fix_foo\t", &le), -EINVAL);
	CU_ASSERT_EQUAL(hp_last_error_parse("fix_foo\t\treason", &le), -EINVAL);
	CU_ASSERT_PTR_NULL(le);
}

static void test_garbage_errnos_are_malformed(void)
{
	struct hp_last_error *le = NULL;

	CU_ASSERT_EQUAL(hp_last_error_parse("p\tbusy\tx", &le), -EINVAL);
	CU_ASSERT_EQUAL(hp_last_error_parse("p\t0\tx", &le), -EINVAL);
	CU_ASSERT_EQUAL(hp_last_error_parse("p\t16x\tx", &le), -EINVAL);
	CU_ASSERT_EQUAL(hp_last_error_parse("p\tENOTANERRNO\tx", &le), -EINVAL);
	CU_ASSERT_EQUAL(hp_last_error_parse(
		"p\t123456789012345678901234567890123\tx", &le), -EINVAL);
	CU_ASSERT_EQUAL(hp_last_error_parse("\t16\tno patch name", &le),
			-EINVAL);
	CU_ASSERT_EQUAL(hp_last_error_parse("p\t16\tx\nq\t2\ty", &le), -EINVAL);
	CU_ASSERT_EQUAL(hp_last_error_parse(NULL, &le), -EINVAL);
	CU_ASSERT_PTR_NULL(le);
}

static void test_an_empty_file_means_no_error(void)
{
	struct hp_last_error *le = NULL;

	CU_ASSERT_EQUAL(hp_last_error_parse("", &le), -ENODATA);
	CU_ASSERT_EQUAL(hp_last_error_parse("\n", &le), -ENODATA);
	CU_ASSERT_PTR_NULL(le);
}

static void test_matching_ignores_dash_underscore_differences(void)
{
	struct hp_last_error *le = NULL;

	CU_ASSERT_EQUAL_FATAL(hp_last_error_parse("fix_foo\t2\tx", &le), 0);
	CU_ASSERT_TRUE(hp_last_error_matches(le, "fix_foo"));
	CU_ASSERT_TRUE(hp_last_error_matches(le, "fix-foo"));
	hp_last_error_free(le);
}

static void test_an_error_about_another_patch_does_not_match(void)
{
	struct hp_last_error *le = NULL;

	CU_ASSERT_EQUAL_FATAL(hp_last_error_parse("fix_bar\t2\tx", &le), 0);
	CU_ASSERT_FALSE(hp_last_error_matches(le, "fix_foo"));
	CU_ASSERT_FALSE(hp_last_error_matches(le, "fix_ba"));
	CU_ASSERT_FALSE(hp_last_error_matches(le, NULL));
	CU_ASSERT_FALSE(hp_last_error_matches(NULL, "fix_bar"));
	hp_last_error_free(le);
	hp_last_error_free(NULL);
}

void suite_last_error(void)
{
	CU_pSuite s = test_suite("last_error", NULL, NULL);

	ADD_TEST(s, test_a_well_formed_line_gives_patch_errno_and_reason);
	ADD_TEST(s, test_negative_and_symbolic_errnos_are_stored_positive);
	ADD_TEST(s, test_tabs_inside_the_reason_are_kept);
	ADD_TEST(s, test_a_line_truncated_after_the_errno_has_an_empty_reason);
	ADD_TEST(s, test_lines_truncated_before_the_errno_are_malformed);
	ADD_TEST(s, test_garbage_errnos_are_malformed);
	ADD_TEST(s, test_an_empty_file_means_no_error);
	ADD_TEST(s, test_matching_ignores_dash_underscore_differences);
	ADD_TEST(s, test_an_error_about_another_patch_does_not_match);
}
