// SPDX-License-Identifier: GPL-2.0
/* tools/lib/blocking.c: the core's report of the tasks in the way. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "testlib.h"

static struct hp_blocking *parse(const char *text)
{
	struct hp_blocking *bl = NULL;

	CU_ASSERT_EQUAL_FATAL(hp_blocking_parse(text, &bl), 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(bl);
	return bl;
}

static void test_a_line_gives_pid_comm_and_function_with_its_module(void)
{
	struct hp_blocking *bl = parse("812 nfsd nfsd_dispatch+0x1c/0x2a0 "
				       "[nfsd]\n");
	const struct hp_blocker *b = hp_blocking_get(bl, 0);

	CU_ASSERT_EQUAL(hp_blocking_count(bl), 1);
	CU_ASSERT_EQUAL(hp_blocking_bad_lines(bl), 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(b);
	CU_ASSERT_EQUAL(b->pid, 812);
	CU_ASSERT_STRING_EQUAL(b->comm, "nfsd");
	CU_ASSERT_STRING_EQUAL(b->function, "nfsd_dispatch+0x1c/0x2a0 [nfsd]");
	CU_ASSERT_STRING_EQUAL(b->line, "812 nfsd nfsd_dispatch+0x1c/0x2a0 "
				       "[nfsd]");
	CU_ASSERT_PTR_NULL(hp_blocking_get(bl, 1));
	hp_blocking_free(bl);
}

static void test_vmlinux_functions_have_no_module(void)
{
	struct hp_blocking *bl = parse("1 init do_wait+0x10/0x80\n"
				       "2 kthreadd kthreadd+0x0/0x1\n");

	CU_ASSERT_EQUAL_FATAL(hp_blocking_count(bl), 2);
	CU_ASSERT_STRING_EQUAL(hp_blocking_get(bl, 0)->function,
			       "do_wait+0x10/0x80");
	CU_ASSERT_EQUAL(hp_blocking_get(bl, 1)->pid, 2);
	hp_blocking_free(bl);
}

static void test_a_comm_with_spaces_is_kept_whole(void)
{
	struct hp_blocking *bl = parse("77 my worker 1 f+0x1/0x2 [m]\n");

	CU_ASSERT_EQUAL_FATAL(hp_blocking_count(bl), 1);
	CU_ASSERT_STRING_EQUAL(hp_blocking_get(bl, 0)->comm, "my worker 1");
	CU_ASSERT_STRING_EQUAL(hp_blocking_get(bl, 0)->function, "f+0x1/0x2 [m]");
	hp_blocking_free(bl);
}

static void test_an_unwalkable_stack_is_a_function_of_its_own(void)
{
	struct hp_blocking *bl = parse("5 sh (stack not reliably walkable)\n");

	CU_ASSERT_EQUAL_FATAL(hp_blocking_count(bl), 1);
	CU_ASSERT_EQUAL(hp_blocking_get(bl, 0)->pid, 5);
	CU_ASSERT_STRING_EQUAL(hp_blocking_get(bl, 0)->comm, "sh");
	CU_ASSERT_STRING_EQUAL(hp_blocking_get(bl, 0)->function,
			       "(stack not reliably walkable)");
	hp_blocking_free(bl);
}

static void test_empty_reports_and_blank_lines_give_no_task(void)
{
	struct hp_blocking *bl = parse("");

	CU_ASSERT_EQUAL(hp_blocking_count(bl), 0);
	hp_blocking_free(bl);
	bl = parse("\n\n  \n");
	CU_ASSERT_EQUAL(hp_blocking_count(bl), 0);
	hp_blocking_free(bl);
	bl = parse(NULL);
	CU_ASSERT_EQUAL(hp_blocking_count(bl), 0);
	hp_blocking_free(bl);
	CU_ASSERT_EQUAL(hp_blocking_count(NULL), 0);
	CU_ASSERT_PTR_NULL(hp_blocking_get(NULL, 0));
	hp_blocking_free(NULL);
}

static void test_garbage_lines_are_kept_verbatim_and_counted(void)
{
	static const char *const bad[] = {
		"not a pid sh f+0x1/0x2",
		"12",
		"12 sh",
		"-3 sh f+0/1",
		"99999999999 sh f+0/1",
		"12 [m]",
		"12\tsh\tf",
	};
	struct hp_blocking *bl;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		bl = parse(bad[i]);
		CU_ASSERT_EQUAL_FATAL(hp_blocking_count(bl), 1);
		CU_ASSERT_EQUAL(hp_blocking_bad_lines(bl), 1);
		CU_ASSERT_EQUAL(hp_blocking_get(bl, 0)->pid, -1);
		CU_ASSERT_PTR_NULL(hp_blocking_get(bl, 0)->comm);
		CU_ASSERT_PTR_NULL(hp_blocking_get(bl, 0)->function);
		CU_ASSERT_STRING_EQUAL(hp_blocking_get(bl, 0)->line, bad[i]);
		hp_blocking_free(bl);
	}
	bl = parse("1 a f+0/1\ngarbage\r\n2 b g+0/1");	/* no final newline */
	CU_ASSERT_EQUAL(hp_blocking_count(bl), 3);
	CU_ASSERT_EQUAL(hp_blocking_bad_lines(bl), 1);
	CU_ASSERT_STRING_EQUAL(hp_blocking_get(bl, 1)->line, "garbage");
	CU_ASSERT_STRING_EQUAL(hp_blocking_get(bl, 2)->comm, "b");
	hp_blocking_free(bl);
}

static void test_very_long_lines_are_read_whole(void)
{
	size_t n = 20000;
	char *text = malloc(n + 64), *p;
	struct hp_blocking *bl;

	CU_ASSERT_PTR_NOT_NULL_FATAL(text);
	p = text + sprintf(text, "4242 ");
	memset(p, 'c', n);
	strcpy(p + n, " f+0x1/0x2 [m]\n");
	bl = parse(text);
	CU_ASSERT_EQUAL_FATAL(hp_blocking_count(bl), 1);
	CU_ASSERT_EQUAL(hp_blocking_get(bl, 0)->pid, 4242);
	CU_ASSERT_EQUAL(strlen(hp_blocking_get(bl, 0)->comm), n);
	hp_blocking_free(bl);

	memset(text, 'x', n);	/* one long garbage line */
	text[n] = '\0';
	bl = parse(text);
	CU_ASSERT_EQUAL(hp_blocking_bad_lines(bl), 1);
	CU_ASSERT_EQUAL(strlen(hp_blocking_get(bl, 0)->line), n);
	hp_blocking_free(bl);
	free(text);
}

static void test_the_json_view_is_an_array_of_pid_comm_function(void)
{
	struct hp_blocking *bl = parse("7 sh f+0x1/0x2 [m]\nbad line\n");
	json_object *a = hp_blocking_to_json(bl), *o, *v;
	json_object *back;

	CU_ASSERT_PTR_NOT_NULL_FATAL(a);
	back = json_tokener_parse(json_object_to_json_string(a));
	CU_ASSERT_PTR_NOT_NULL_FATAL(back);
	CU_ASSERT_EQUAL_FATAL(json_object_array_length(back), 2);
	o = json_object_array_get_idx(back, 0);
	CU_ASSERT_TRUE(json_object_object_get_ex(o, "pid", &v));
	CU_ASSERT_TRUE(json_object_is_type(v, json_type_int));
	CU_ASSERT_EQUAL(json_object_get_int(v), 7);
	CU_ASSERT_TRUE(json_object_object_get_ex(o, "comm", &v));
	CU_ASSERT_STRING_EQUAL(json_object_get_string(v), "sh");
	CU_ASSERT_TRUE(json_object_object_get_ex(o, "function", &v));
	CU_ASSERT_STRING_EQUAL(json_object_get_string(v), "f+0x1/0x2 [m]");
	CU_ASSERT_FALSE(json_object_object_get_ex(o, "line", NULL));
	o = json_object_array_get_idx(back, 1);
	CU_ASSERT_TRUE(json_object_object_get_ex(o, "pid", &v));
	CU_ASSERT_PTR_NULL(v);
	CU_ASSERT_TRUE(json_object_object_get_ex(o, "line", &v));
	CU_ASSERT_STRING_EQUAL(json_object_get_string(v), "bad line");
	json_object_put(back);
	json_object_put(a);
	hp_blocking_free(bl);
}

void suite_blocking(void)
{
	CU_pSuite s = test_suite("blocking", NULL, NULL);

	ADD_TEST(s, test_a_line_gives_pid_comm_and_function_with_its_module);
	ADD_TEST(s, test_vmlinux_functions_have_no_module);
	ADD_TEST(s, test_a_comm_with_spaces_is_kept_whole);
	ADD_TEST(s, test_an_unwalkable_stack_is_a_function_of_its_own);
	ADD_TEST(s, test_empty_reports_and_blank_lines_give_no_task);
	ADD_TEST(s, test_garbage_lines_are_kept_verbatim_and_counted);
	ADD_TEST(s, test_very_long_lines_are_read_whole);
	ADD_TEST(s, test_the_json_view_is_an_array_of_pid_comm_function);
}
