// SPDX-License-Identifier: GPL-2.0
/* names.c: suffix normalisation, special statics, child/parent names. */
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "testlib.h"

static void check_norm(const char *in, const char *want)
{
	char *got = hp_name_normalize(in);

	CU_ASSERT_PTR_NOT_NULL_FATAL(got);
	if (strcmp(got, want))
		fprintf(stderr, "\nnormalize(%s) = %s, want %s\n", in, got, want);
	CU_ASSERT_STRING_EQUAL(got, want);
	free(got);
}

static void test_compiler_numbers_are_dropped(void)
{
	check_norm("foo", "foo");
	check_norm("calls.3", "calls");
	check_norm("foo.isra.0", "foo.isra");
	check_norm("foo.constprop.12", "foo.constprop");
	check_norm("foo.part.0", "foo.part");
	check_norm("foo.cold", "foo.cold");
	check_norm("foo.cold.17", "foo.cold");
	check_norm("foo.part.0.cold", "foo.part.cold");
	check_norm(".text.foo.isra.0", ".text.foo.isra");
	check_norm(".rodata.str1.1", ".rodata.str1");
	check_norm("__func__.4", "__func__");
}

static void test_names_that_are_not_numbers_survive(void)
{
	check_norm("v2.x1", "v2.x1");
	check_norm("a.1b", "a.1b");
	check_norm("", "");
	check_norm(".", ".");
	check_norm("..", "..");
	check_norm("x.", "x.");
}

static void test_per_call_site_statics_are_recognised(void)
{
	CU_ASSERT_TRUE(hp_name_is_special_static("__already_done.12"));
	CU_ASSERT_TRUE(hp_name_is_special_static("__warned.3"));
	CU_ASSERT_TRUE(hp_name_is_special_static("__func__.0"));
	CU_ASSERT_TRUE(hp_name_is_special_static("__key.1"));
	CU_ASSERT_TRUE(hp_name_is_special_static("_rs.7"));
	CU_ASSERT_TRUE(hp_name_is_special_static("__UNIQUE_ID_ddebug123"));
	CU_ASSERT_FALSE(hp_name_is_special_static("counter.1"));
	CU_ASSERT_FALSE(hp_name_is_special_static("__already_done_x"));
}

static void test_cold_and_part_children_name_their_parent(void)
{
	char p[64];

	CU_ASSERT_TRUE(hp_name_child_parent("foo.cold", p, sizeof(p)));
	CU_ASSERT_STRING_EQUAL(p, "foo");
	CU_ASSERT_TRUE(hp_name_child_parent("foo.part.0", p, sizeof(p)));
	CU_ASSERT_STRING_EQUAL(p, "foo");
	CU_ASSERT_TRUE(hp_name_child_parent("foo.part.0.cold", p, sizeof(p)));
	CU_ASSERT_STRING_EQUAL(p, "foo.part.0");
	CU_ASSERT_TRUE(hp_name_child_parent("foo.cold.3", p, sizeof(p)));
	CU_ASSERT_STRING_EQUAL(p, "foo");
	CU_ASSERT_FALSE(hp_name_child_parent("foo", p, sizeof(p)));
	CU_ASSERT_FALSE(hp_name_child_parent("foo.isra.0", p, sizeof(p)));
	CU_ASSERT_FALSE(hp_name_child_parent(".cold", p, sizeof(p)));
	CU_ASSERT_FALSE(hp_name_child_parent("averyveryverylongname.cold", p, 4));
}

static void test_debug_and_note_sections_are_ignored(void)
{
	CU_ASSERT_TRUE(hp_section_is_ignored(".debug_info"));
	CU_ASSERT_TRUE(hp_section_is_ignored(".rela.debug_line"));
	CU_ASSERT_TRUE(hp_section_is_ignored(".comment"));
	CU_ASSERT_TRUE(hp_section_is_ignored(".note.GNU-stack"));
	CU_ASSERT_FALSE(hp_section_is_ignored(".text.foo"));
	CU_ASSERT_FALSE(hp_section_is_ignored("__bug_table"));
}

static void test_every_special_kind_has_a_sane_row(void)
{
	size_t i;

	CU_ASSERT_TRUE(hp_special_nr_kinds() >= 12);
	for (i = 0; i < hp_special_nr_kinds(); i++) {
		const struct hp_special_kind *k = hp_special_kind_at(i);

		CU_ASSERT_TRUE(k->entsize > 0);
		CU_ASSERT_TRUE(k->owner_off + 4 <= k->entsize);
		CU_ASSERT_TRUE(k->key_off < 0 || (unsigned int)k->key_off + 4 <= k->entsize);
		CU_ASSERT_PTR_EQUAL(hp_special_lookup(k->name), k);
	}
	CU_ASSERT_EQUAL(hp_special_lookup("__bug_table")->entsize, 12);
	CU_ASSERT_EQUAL(hp_special_lookup("__jump_table")->entsize, 16);
	CU_ASSERT_EQUAL(hp_special_lookup(".static_call_sites")->entsize, 8);
	CU_ASSERT_EQUAL(hp_special_lookup(".parainstructions")->entsize, 16);
	CU_ASSERT_EQUAL(hp_special_lookup(".orc_unwind_ip")->companion_entsize, 6);
	CU_ASSERT_PTR_NULL(hp_special_lookup(".text"));
}

int register_names_tests(void)
{
	CU_pSuite s = CU_add_suite("names", NULL, NULL);

	if (!s ||
	    !CU_add_test(s, "compiler numbers are dropped", test_compiler_numbers_are_dropped) ||
	    !CU_add_test(s, "names that are not numbers survive",
			 test_names_that_are_not_numbers_survive) ||
	    !CU_add_test(s, "per-call-site statics are recognised",
			 test_per_call_site_statics_are_recognised) ||
	    !CU_add_test(s, ".cold and .part children name their parent",
			 test_cold_and_part_children_name_their_parent) ||
	    !CU_add_test(s, "debug and note sections are ignored",
			 test_debug_and_note_sections_are_ignored) ||
	    !CU_add_test(s, "every special section kind has a sane row",
			 test_every_special_kind_has_a_sane_row))
		return -1;
	return 0;
}
