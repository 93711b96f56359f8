// SPDX-License-Identifier: GPL-2.0
/* tools/lib/json.c: JSON views, checked by parsing them back. */
#include <errno.h>
#include <string.h>

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

/* A fresh tree, and a handle on it. */
static void fresh(void)
{
	hp_sysfs_free(sys);
	fake_setup();
	hp_sysfs_new(NULL, &sys);
}

/* Serialise and parse back, as a consumer would see it. */
static json_object *round_trip(json_object *o)
{
	json_object *back;

	CU_ASSERT_PTR_NOT_NULL_FATAL(o);
	back = json_tokener_parse(json_object_to_json_string(o));
	json_object_put(o);
	CU_ASSERT_PTR_NOT_NULL_FATAL(back);
	return back;
}

static json_object *get(json_object *o, const char *key)
{
	json_object *v = NULL;

	CU_ASSERT_TRUE(json_object_object_get_ex(o, key, &v));
	return v;
}

static void test_a_patch_has_every_sysfs_attribute(void)
{
	static const char *const keys[] = {
		"name", "state", "enabled", "transition", "mode", "target",
		"applied_at", "last_error", "stack_order", "objects",
	};
	struct hp_patch *p;
	json_object *j;
	size_t i;

	fresh();
	fake_patch("fix_foo", 2, 1);
	CU_ASSERT_EQUAL_FATAL(hp_patch_read(sys, "fix_foo", &p), 0);
	j = round_trip(hp_patch_to_json(p));
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		CU_ASSERT_PTR_NOT_NULL(get(j, keys[i]));
	CU_ASSERT_STRING_EQUAL(json_object_get_string(get(j, "name")), "fix_foo");
	CU_ASSERT_STRING_EQUAL(json_object_get_string(get(j, "state")), "applied");
	CU_ASSERT_TRUE(json_object_is_type(get(j, "enabled"), json_type_boolean));
	CU_ASSERT_TRUE(json_object_get_boolean(get(j, "enabled")));
	CU_ASSERT_FALSE(json_object_get_boolean(get(j, "transition")));
	CU_ASSERT_EQUAL(json_object_get_int64(get(j, "applied_at")), 1764000000);
	CU_ASSERT_EQUAL(json_object_get_int(get(j, "stack_order")), 1);
	CU_ASSERT_EQUAL(json_object_get_int(get(j, "function_count")), 2);
	CU_ASSERT_STRING_EQUAL(json_object_get_string(get(j, "last_error")), "");
	CU_ASSERT_EQUAL(json_object_array_length(get(j, "problems")), 0);
	json_object_put(j);
	hp_patch_free(p);
}

static void test_objects_and_functions_carry_addresses_as_hex_strings(void)
{
	json_object *j, *obj, *fn;
	struct hp_patch *p;

	fresh();
	fake_patch("fix_foo", 1, 1);
	CU_ASSERT_EQUAL_FATAL(hp_patch_read(sys, "fix_foo", &p), 0);
	j = round_trip(hp_patch_to_json(p));
	CU_ASSERT_EQUAL_FATAL(json_object_array_length(get(j, "objects")), 1);
	obj = json_object_array_get_idx(get(j, "objects"), 0);
	CU_ASSERT_STRING_EQUAL(json_object_get_string(get(obj, "name")), "vmlinux");
	CU_ASSERT_TRUE(json_object_get_boolean(get(obj, "patched")));
	CU_ASSERT_EQUAL_FATAL(json_object_array_length(get(obj, "functions")), 1);
	fn = json_object_array_get_idx(get(obj, "functions"), 0);
	CU_ASSERT_STRING_EQUAL(json_object_get_string(get(fn, "name")), "func0");
	CU_ASSERT_EQUAL(json_object_get_int(get(fn, "sympos")), 0);
	CU_ASSERT_TRUE(json_object_is_type(get(fn, "old_addr"), json_type_string));
	CU_ASSERT_STRING_EQUAL(json_object_get_string(get(fn, "old_addr")),
			       "0xffffffff81000000");
	CU_ASSERT_STRING_EQUAL(json_object_get_string(get(fn, "new_addr")),
			       "0xffffffffc0000000");
	CU_ASSERT_STRING_EQUAL(json_object_get_string(get(fn, "mode")), "direct");
	CU_ASSERT_TRUE(json_object_get_boolean(get(fn, "patched")));
	json_object_put(j);
	hp_patch_free(p);
}

static void test_unknown_values_are_null_and_listed_as_problems(void)
{
	json_object *j, *fn;
	struct hp_patch *p;

	fresh();
	fake_patch("fix_foo", 1, 1);
	fake_write("patches/fix_foo/state", "weird\n");
	fake_write("patches/fix_foo/enabled", NULL);
	fake_write("patches/fix_foo/target", NULL);
	fake_write("patches/fix_foo/applied_at", "x\n");
	fake_write("patches/fix_foo/vmlinux/func0,0/old_addr", "nope\n");
	CU_ASSERT_EQUAL_FATAL(hp_patch_read(sys, "fix_foo", &p), 0);
	j = round_trip(hp_patch_to_json(p));
	CU_ASSERT_TRUE(json_object_is_type(get(j, "state"), json_type_null));
	CU_ASSERT_TRUE(json_object_is_type(get(j, "enabled"), json_type_null));
	CU_ASSERT_TRUE(json_object_is_type(get(j, "target"), json_type_null));
	CU_ASSERT_TRUE(json_object_is_type(get(j, "applied_at"), json_type_null));
	fn = json_object_array_get_idx(get(json_object_array_get_idx(
		get(j, "objects"), 0), "functions"), 0);
	CU_ASSERT_TRUE(json_object_is_type(get(fn, "old_addr"), json_type_null));
	CU_ASSERT_EQUAL(json_object_array_length(get(j, "problems")), 5);
	json_object_put(j);
	hp_patch_free(p);
}

static void test_a_list_is_an_array_and_empty_is_brackets(void)
{
	struct hp_patch_list *l;
	json_object *j;

	fresh();
	CU_ASSERT_EQUAL_FATAL(hp_patch_list_read(sys, &l), 0);
	j = hp_patch_list_to_json(l);
	CU_ASSERT_STRING_EQUAL(json_object_to_json_string_ext(j,
			       JSON_C_TO_STRING_PLAIN), "[]");
	json_object_put(j);
	hp_patch_list_free(l);

	fake_patch("a", 1, 1);
	fake_patch("b", 1, 2);
	CU_ASSERT_EQUAL_FATAL(hp_patch_list_read(sys, &l), 0);
	j = round_trip(hp_patch_list_to_json(l));
	CU_ASSERT_TRUE(json_object_is_type(j, json_type_array));
	CU_ASSERT_EQUAL(json_object_array_length(j), 2);
	CU_ASSERT_STRING_EQUAL(json_object_get_string(get(
		json_object_array_get_idx(j, 1), "name")), "b");
	json_object_put(j);
	hp_patch_list_free(l);
}

static void test_the_core_object_nests_last_error(void)
{
	struct hp_core *c;
	json_object *j, *le;

	fresh();
	fake_write("last_error", "fix_x\t-126\tno key for signer 'Vendor'\n");
	CU_ASSERT_EQUAL_FATAL(hp_core_read(sys, &c), 0);
	j = round_trip(hp_core_to_json(c));
	CU_ASSERT_STRING_EQUAL(json_object_get_string(get(j, "version")), "0.1.0");
	CU_ASSERT_STRING_EQUAL(json_object_get_string(get(j, "default_mode")),
			       "direct");
	CU_ASSERT_EQUAL(json_object_get_int(get(j, "count")), 0);
	le = get(j, "last_error");
	CU_ASSERT_STRING_EQUAL(json_object_get_string(get(le, "patch")), "fix_x");
	CU_ASSERT_EQUAL(json_object_get_int(get(le, "errno")), ENOKEY);
	CU_ASSERT_STRING_EQUAL(json_object_get_string(get(le, "errno_name")),
			       "ENOKEY");
	CU_ASSERT_STRING_EQUAL(json_object_get_string(get(le, "reason")),
			       "no key for signer 'Vendor'");
	json_object_put(j);
	hp_core_free(c);
}

static void test_the_core_object_has_null_last_error_when_none(void)
{
	struct hp_core *c;
	json_object *j;

	fresh();
	fake_write("count", "zz\n");
	CU_ASSERT_EQUAL_FATAL(hp_core_read(sys, &c), 0);
	j = round_trip(hp_core_to_json(c));
	CU_ASSERT_TRUE(json_object_is_type(get(j, "last_error"), json_type_null));
	CU_ASSERT_TRUE(json_object_is_type(get(j, "count"), json_type_null));
	CU_ASSERT_EQUAL(json_object_array_length(get(j, "problems")), 1);
	json_object_put(j);
	hp_core_free(c);
}

static void test_errors_have_message_errno_and_optional_reason_and_hint(void)
{
	json_object *j;

	j = round_trip(hp_error_to_json("cannot load patch 'x'", -EBUSY,
					"owned by kprobe", "remove it"));
	CU_ASSERT_STRING_EQUAL(json_object_get_string(get(j, "error")),
			       "cannot load patch 'x'");
	CU_ASSERT_EQUAL(json_object_get_int(get(j, "errno")), EBUSY);
	CU_ASSERT_STRING_EQUAL(json_object_get_string(get(j, "errno_name")),
			       "EBUSY");
	CU_ASSERT_STRING_EQUAL(json_object_get_string(get(j, "reason")),
			       "owned by kprobe");
	CU_ASSERT_STRING_EQUAL(json_object_get_string(get(j, "hint")),
			       "remove it");
	json_object_put(j);

	j = round_trip(hp_error_to_json("usage", 0, NULL, NULL));
	CU_ASSERT_EQUAL(json_object_get_int(get(j, "errno")), 0);
	CU_ASSERT_FALSE(json_object_object_get_ex(j, "reason", NULL));
	CU_ASSERT_FALSE(json_object_object_get_ex(j, "hint", NULL));
	json_object_put(j);
}

void suite_json(void)
{
	CU_pSuite s = test_suite("json", setup, teardown);

	ADD_TEST(s, test_a_patch_has_every_sysfs_attribute);
	ADD_TEST(s, test_objects_and_functions_carry_addresses_as_hex_strings);
	ADD_TEST(s, test_unknown_values_are_null_and_listed_as_problems);
	ADD_TEST(s, test_a_list_is_an_array_and_empty_is_brackets);
	ADD_TEST(s, test_the_core_object_nests_last_error);
	ADD_TEST(s, test_the_core_object_has_null_last_error_when_none);
	ADD_TEST(s, test_errors_have_message_errno_and_optional_reason_and_hint);
}
