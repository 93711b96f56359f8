// SPDX-License-Identifier: GPL-2.0
/* tools/lib/util.c: value parsers and name normalisation. */
#include <errno.h>
#include <string.h>

#include "testlib.h"

static void test_bool_accepts_0_and_1_with_or_without_newline(void)
{
	bool b = false;

	CU_ASSERT_EQUAL(hp_parse_bool("1", &b), 0);
	CU_ASSERT_TRUE(b);
	CU_ASSERT_EQUAL(hp_parse_bool("0\n", &b), 0);
	CU_ASSERT_FALSE(b);
}

static void test_bool_rejects_anything_else(void)
{
	bool b;

	CU_ASSERT_EQUAL(hp_parse_bool("", &b), -EINVAL);
	CU_ASSERT_EQUAL(hp_parse_bool("2", &b), -EINVAL);
	CU_ASSERT_EQUAL(hp_parse_bool("10", &b), -EINVAL);
	CU_ASSERT_EQUAL(hp_parse_bool("1\n\n", &b), -EINVAL);
	CU_ASSERT_EQUAL(hp_parse_bool("yes", &b), -EINVAL);
	CU_ASSERT_EQUAL(hp_parse_bool(NULL, &b), -EINVAL);
}

static void test_u64_parses_decimal_and_rejects_garbage(void)
{
	uint64_t v = 0;

	CU_ASSERT_EQUAL(hp_parse_u64("1764000000\n", &v), 0);
	CU_ASSERT_EQUAL(v, 1764000000ULL);
	CU_ASSERT_EQUAL(hp_parse_u64("18446744073709551615", &v), 0);
	CU_ASSERT_EQUAL(v, UINT64_MAX);
	CU_ASSERT_EQUAL(hp_parse_u64("18446744073709551616", &v), -ERANGE);
	CU_ASSERT_EQUAL(hp_parse_u64("-1", &v), -EINVAL);
	CU_ASSERT_EQUAL(hp_parse_u64(" 1", &v), -EINVAL);
	CU_ASSERT_EQUAL(hp_parse_u64("12abc", &v), -EINVAL);
	CU_ASSERT_EQUAL(hp_parse_u64("", &v), -EINVAL);
	CU_ASSERT_EQUAL(hp_parse_u64(NULL, &v), -EINVAL);
}

static void test_int_parses_signed_values_and_rejects_overflow(void)
{
	int v = 0;

	CU_ASSERT_EQUAL(hp_parse_int("-16", &v), 0);
	CU_ASSERT_EQUAL(v, -16);
	CU_ASSERT_EQUAL(hp_parse_int("+5\n", &v), 0);
	CU_ASSERT_EQUAL(v, 5);
	CU_ASSERT_EQUAL(hp_parse_int("4294967296", &v), -ERANGE);
	CU_ASSERT_EQUAL(hp_parse_int("-", &v), -EINVAL);
	CU_ASSERT_EQUAL(hp_parse_int("1x", &v), -EINVAL);
	CU_ASSERT_EQUAL(hp_parse_int(NULL, &v), -EINVAL);
}

static void test_addr_needs_0x_and_hex_digits(void)
{
	uint64_t a = 0;

	CU_ASSERT_EQUAL(hp_parse_addr("0xffffffff81234560\n", &a), 0);
	CU_ASSERT_EQUAL(a, 0xffffffff81234560ULL);
	CU_ASSERT_EQUAL(hp_parse_addr("0x0000000000000000", &a), 0);
	CU_ASSERT_EQUAL(a, 0);
	CU_ASSERT_EQUAL(hp_parse_addr("ffffffff81234560", &a), -EINVAL);
	CU_ASSERT_EQUAL(hp_parse_addr("0x", &a), -EINVAL);
	CU_ASSERT_EQUAL(hp_parse_addr("0xzz", &a), -EINVAL);
	CU_ASSERT_EQUAL(hp_parse_addr("0x12 ", &a), -EINVAL);
	CU_ASSERT_EQUAL(hp_parse_addr("0x1ffffffffffffffff", &a), -ERANGE);
	CU_ASSERT_EQUAL(hp_parse_addr(NULL, &a), -EINVAL);
}

static void test_duration_takes_seconds_by_default_and_units(void)
{
	unsigned int ms = 0;

	CU_ASSERT_EQUAL(hp_parse_duration("5", &ms), 0);
	CU_ASSERT_EQUAL(ms, 5000);
	CU_ASSERT_EQUAL(hp_parse_duration("2.5", &ms), 0);
	CU_ASSERT_EQUAL(ms, 2500);
	CU_ASSERT_EQUAL(hp_parse_duration("300ms", &ms), 0);
	CU_ASSERT_EQUAL(ms, 300);
	CU_ASSERT_EQUAL(hp_parse_duration("3s", &ms), 0);
	CU_ASSERT_EQUAL(ms, 3000);
	CU_ASSERT_EQUAL(hp_parse_duration("1m", &ms), 0);
	CU_ASSERT_EQUAL(ms, 60000);
	CU_ASSERT_EQUAL(hp_parse_duration("0", &ms), 0);
	CU_ASSERT_EQUAL(ms, 0);
}

static void test_duration_rejects_signs_hex_units_and_huge_values(void)
{
	unsigned int ms;

	CU_ASSERT_EQUAL(hp_parse_duration("", &ms), -EINVAL);
	CU_ASSERT_EQUAL(hp_parse_duration("-1", &ms), -EINVAL);
	CU_ASSERT_EQUAL(hp_parse_duration("0x10", &ms), -EINVAL);
	CU_ASSERT_EQUAL(hp_parse_duration("1e3", &ms), -EINVAL);
	CU_ASSERT_EQUAL(hp_parse_duration("5h", &ms), -EINVAL);
	CU_ASSERT_EQUAL(hp_parse_duration("1.2.3", &ms), -EINVAL);
	CU_ASSERT_EQUAL(hp_parse_duration(".", &ms), -EINVAL);
	CU_ASSERT_EQUAL(hp_parse_duration("inf", &ms), -EINVAL);
	CU_ASSERT_EQUAL(hp_parse_duration("99999999999", &ms), -ERANGE);
	CU_ASSERT_EQUAL(hp_parse_duration(NULL, &ms), -EINVAL);
}

static void test_name_normalize_turns_dashes_into_underscores(void)
{
	char buf[16];

	CU_ASSERT_EQUAL(hp_name_normalize("fix-cve-1", buf, sizeof(buf)), 0);
	CU_ASSERT_STRING_EQUAL(buf, "fix_cve_1");
}

static void test_name_normalize_rejects_paths_empty_and_long_names(void)
{
	char buf[8];

	CU_ASSERT_EQUAL(hp_name_normalize("", buf, sizeof(buf)), -EINVAL);
	CU_ASSERT_EQUAL(hp_name_normalize(NULL, buf, sizeof(buf)), -EINVAL);
	CU_ASSERT_EQUAL(hp_name_normalize("../x", buf, sizeof(buf)), -EINVAL);
	CU_ASSERT_EQUAL(hp_name_normalize("..", buf, sizeof(buf)), -EINVAL);
	CU_ASSERT_EQUAL(hp_name_normalize(".", buf, sizeof(buf)), -EINVAL);
	CU_ASSERT_EQUAL(hp_name_normalize("12345678", buf, sizeof(buf)),
			-ENAMETOOLONG);
	CU_ASSERT_EQUAL(hp_name_normalize("1234567", buf, sizeof(buf)), 0);
}

void suite_util(void)
{
	CU_pSuite s = test_suite("util", NULL, NULL);

	ADD_TEST(s, test_bool_accepts_0_and_1_with_or_without_newline);
	ADD_TEST(s, test_bool_rejects_anything_else);
	ADD_TEST(s, test_u64_parses_decimal_and_rejects_garbage);
	ADD_TEST(s, test_int_parses_signed_values_and_rejects_overflow);
	ADD_TEST(s, test_addr_needs_0x_and_hex_digits);
	ADD_TEST(s, test_duration_takes_seconds_by_default_and_units);
	ADD_TEST(s, test_duration_rejects_signs_hex_units_and_huge_values);
	ADD_TEST(s, test_name_normalize_turns_dashes_into_underscores);
	ADD_TEST(s, test_name_normalize_rejects_paths_empty_and_long_names);
}
