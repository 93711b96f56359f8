// SPDX-License-Identifier: GPL-2.0
/* tools/lib/table.c: text tables. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "testlib.h"

static char *print(struct hp_table *t)
{
	char *buf = NULL;
	size_t len;
	FILE *f = open_memstream(&buf, &len);

	CU_ASSERT_EQUAL(hp_table_print(t, f), 0);
	fclose(f);
	return buf;
}

static void test_columns_are_aligned_two_spaces_apart(void)
{
	static const char *const hdr[] = { "NAME", "STATE", "TARGET" };
	struct hp_table *t;
	char *s;

	CU_ASSERT_EQUAL_FATAL(hp_table_new(3, hdr, &t), 0);
	CU_ASSERT_EQUAL(hp_table_add_row(t, (const char *const[]){
		"fix_long_name", "applied", "6.1" }), 0);
	CU_ASSERT_EQUAL(hp_table_add_row(t, (const char *const[]){
		"x", "reverted", "6.1.0" }), 0);
	CU_ASSERT_EQUAL(hp_table_rows(t), 2);
	s = print(t);
	CU_ASSERT_STRING_EQUAL(s,
		"NAME           STATE     TARGET\n"
		"fix_long_name  applied   6.1\n"
		"x              reverted  6.1.0\n");
	free(s);
	hp_table_free(t);
}

static void test_a_table_without_rows_prints_its_header(void)
{
	static const char *const hdr[] = { "A", "B" };
	struct hp_table *t;
	char *s;

	CU_ASSERT_EQUAL_FATAL(hp_table_new(2, hdr, &t), 0);
	s = print(t);
	CU_ASSERT_STRING_EQUAL(s, "A  B\n");
	free(s);
	hp_table_free(t);
	hp_table_free(NULL);
}

static void test_null_cells_print_as_a_dash(void)
{
	static const char *const hdr[] = { "A", "B" };
	struct hp_table *t;
	char *s;

	CU_ASSERT_EQUAL_FATAL(hp_table_new(2, hdr, &t), 0);
	hp_table_add_row(t, (const char *const[]){ NULL, NULL });
	s = print(t);
	CU_ASSERT_STRING_EQUAL(s, "A  B\n-  -\n");
	free(s);
	hp_table_free(t);
}

static void test_bad_table_arguments_are_refused(void)
{
	static const char *const hdr[] = { "A", NULL };
	struct hp_table *t = NULL;

	CU_ASSERT_EQUAL(hp_table_new(0, hdr, &t), -EINVAL);
	CU_ASSERT_EQUAL(hp_table_new(1, NULL, &t), -EINVAL);
	CU_ASSERT_EQUAL(hp_table_new(2, hdr, &t), -EINVAL);
	CU_ASSERT_PTR_NULL(t);
	CU_ASSERT_EQUAL_FATAL(hp_table_new(1, hdr, &t), 0);
	CU_ASSERT_EQUAL(hp_table_add_row(t, NULL), -EINVAL);
	CU_ASSERT_EQUAL(hp_table_rows(t), 0);
	hp_table_free(t);
}

static void test_printing_to_a_failed_stream_reports_eio(void)
{
	static const char *const hdr[] = { "A" };
	struct hp_table *t;
	FILE *f = fopen("/dev/full", "w");

	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	setvbuf(f, NULL, _IONBF, 0);
	CU_ASSERT_EQUAL_FATAL(hp_table_new(1, hdr, &t), 0);
	CU_ASSERT_EQUAL(hp_table_print(t, f), -EIO);
	fclose(f);
	hp_table_free(t);
}

void suite_table(void)
{
	CU_pSuite s = test_suite("table", NULL, NULL);

	ADD_TEST(s, test_columns_are_aligned_two_spaces_apart);
	ADD_TEST(s, test_a_table_without_rows_prints_its_header);
	ADD_TEST(s, test_null_cells_print_as_a_dash);
	ADD_TEST(s, test_bad_table_arguments_are_refused);
	ADD_TEST(s, test_printing_to_a_failed_stream_reports_eio);
}
