// SPDX-License-Identifier: GPL-2.0
/* tools/lib/advice.c: errno names and what to do about each refusal. */
#include <errno.h>
#include <string.h>

#include "testlib.h"

static void test_every_documented_refusal_has_advice(void)
{
	static const int errs[] = {
		EEXIST, ENOENT, EBUSY, EKEYREJECTED, ENOKEY, ENOEXEC,
		EINVAL, EPERM, ESTALE,
	};
	size_t i;

	for (i = 0; i < sizeof(errs) / sizeof(errs[0]); i++) {
		const char *a = hp_errno_advice(errs[i]);

		CU_ASSERT_PTR_NOT_NULL_FATAL(a);
		/* one sentence: capitalised, ends with a full stop */
		CU_ASSERT(a[0] >= 'A' && a[0] <= 'Z');
		CU_ASSERT_EQUAL(a[strlen(a) - 1], '.');
	}
}

static void test_advice_ignores_the_sign_of_errno(void)
{
	CU_ASSERT_PTR_EQUAL(hp_errno_advice(-EBUSY), hp_errno_advice(EBUSY));
}

static void test_advice_says_what_each_errno_means(void)
{
	CU_ASSERT_PTR_NOT_NULL(strstr(hp_errno_advice(EEXIST), "already loaded"));
	CU_ASSERT_PTR_NOT_NULL(strstr(hp_errno_advice(EKEYREJECTED), "signature"));
	CU_ASSERT_PTR_NOT_NULL(strstr(hp_errno_advice(ENOKEY), "keyring"));
	CU_ASSERT_PTR_NOT_NULL(strstr(hp_errno_advice(EPERM), "root"));
	CU_ASSERT_PTR_NOT_NULL(strstr(hp_errno_advice(EPERM), "lockdown"));
	CU_ASSERT_PTR_NOT_NULL(strstr(hp_errno_advice(EINVAL), "kernel"));
	CU_ASSERT_PTR_NOT_NULL(strstr(hp_errno_advice(ESTALE), "anti-rollback"));
	CU_ASSERT_PTR_NOT_NULL(strstr(hp_errno_advice(ESTALE), "hotpatch upgrade"));
}

static void test_errnos_without_advice_give_null(void)
{
	CU_ASSERT_PTR_NULL(hp_errno_advice(0));
	CU_ASSERT_PTR_NULL(hp_errno_advice(EDOM));
	CU_ASSERT_PTR_NULL(hp_errno_advice(100000));
}

static void test_errno_names_round_trip(void)
{
	CU_ASSERT_STRING_EQUAL(hp_errno_name(EBUSY), "EBUSY");
	CU_ASSERT_STRING_EQUAL(hp_errno_name(-EKEYREJECTED), "EKEYREJECTED");
	CU_ASSERT_EQUAL(hp_errno_from_name("ENOKEY"), ENOKEY);
	CU_ASSERT_EQUAL(hp_errno_from_name("EBUSY"), EBUSY);
}

static void test_unknown_errno_names_are_refused(void)
{
	CU_ASSERT_PTR_NULL(hp_errno_name(0));
	CU_ASSERT_PTR_NULL(hp_errno_name(100000));
	CU_ASSERT_EQUAL(hp_errno_from_name("EWHATEVER"), -EINVAL);
	CU_ASSERT_EQUAL(hp_errno_from_name("busy"), -EINVAL);
	CU_ASSERT_EQUAL(hp_errno_from_name(""), -EINVAL);
	CU_ASSERT_EQUAL(hp_errno_from_name(NULL), -EINVAL);
}

void suite_advice(void)
{
	CU_pSuite s = test_suite("advice", NULL, NULL);

	ADD_TEST(s, test_every_documented_refusal_has_advice);
	ADD_TEST(s, test_advice_ignores_the_sign_of_errno);
	ADD_TEST(s, test_advice_says_what_each_errno_means);
	ADD_TEST(s, test_errnos_without_advice_give_null);
	ADD_TEST(s, test_errno_names_round_trip);
	ADD_TEST(s, test_unknown_errno_names_are_refused);
}
