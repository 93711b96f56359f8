// SPDX-License-Identifier: GPL-2.0
/* report.c: the JSON verdict, read back with a real JSON parser. */
#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "testlib.h"

static struct json_object *diff_json(const char *c, const char *target)
{
	char orig[1024], patched[1024];
	struct hp_diff_opts opts = { .target = target };
	struct hp_error err = { 0 };
	struct json_object *o, *parsed;
	struct hp_diff *d;

	snprintf(orig, sizeof(orig), "%s/%s.orig.o", CASES_OUT, c);
	snprintf(patched, sizeof(patched), "%s/%s.patched.o", CASES_OUT, c);
	CU_ASSERT_EQUAL_FATAL(hp_diff_new(&opts, &d, &err), 0);
	CU_ASSERT_EQUAL_FATAL(hp_diff_load(d, orig, patched, &err), 0);
	CU_ASSERT_EQUAL_FATAL(hp_diff_run(d, &err), 0);
	o = hp_verdict_to_json(hp_diff_verdict(d));
	CU_ASSERT_PTR_NOT_NULL_FATAL(o);
	/* round trip through text, as a script would see it */
	parsed = json_tokener_parse(json_object_to_json_string(o));
	json_object_put(o);
	hp_diff_free(d);
	CU_ASSERT_PTR_NOT_NULL_FATAL(parsed);
	return parsed;
}

static struct json_object *get(struct json_object *o, const char *k)
{
	struct json_object *v = NULL;

	CU_ASSERT_TRUE_FATAL(json_object_object_get_ex(o, k, &v));
	return v;
}

static void test_json_lists_changed_functions(void)
{
	struct json_object *j = diff_json("002-body-change", NULL), *f;

	CU_ASSERT_TRUE(json_object_get_boolean(get(j, "eligible")));
	CU_ASSERT_FALSE(json_object_get_boolean(get(j, "empty")));
	f = get(j, "functions");
	CU_ASSERT_EQUAL_FATAL(json_object_array_length(f), 1);
	CU_ASSERT_STRING_EQUAL(json_object_get_string(get(json_object_array_get_idx(f, 0),
							  "name")), "foo");
	CU_ASSERT_STRING_EQUAL(json_object_get_string(get(json_object_array_get_idx(f, 0),
							  "status")), "changed");
	CU_ASSERT_EQUAL(json_object_array_length(get(j, "refusals")), 0);
	json_object_put(j);
}

static void test_json_refusal_has_rule_symbol_line_and_workaround(void)
{
	struct json_object *j = diff_json("014-global-data-init-changed", NULL), *r, *one;

	CU_ASSERT_FALSE(json_object_get_boolean(get(j, "eligible")));
	r = get(j, "refusals");
	CU_ASSERT_EQUAL_FATAL(json_object_array_length(r), 1);
	one = json_object_array_get_idx(r, 0);
	CU_ASSERT_STRING_EQUAL(json_object_get_string(get(one, "rule")), "changed-data");
	CU_ASSERT_STRING_EQUAL(json_object_get_string(get(one, "symbol")), "limit");
	CU_ASSERT_TRUE(json_object_get_int(get(one, "line")) > 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(json_object_get_string(get(one, "file")), "case.c"));
	CU_ASSERT_PTR_NOT_NULL(strstr(json_object_get_string(get(one, "workaround")),
				      "shadow variable"));
	json_object_put(j);
}

static void test_json_counts_special_entries(void)
{
	struct json_object *j = diff_json("034-bug-table-filter", NULL), *s;
	size_t i;
	bool seen = false;

	s = get(j, "special_sections");
	for (i = 0; i < json_object_array_length(s); i++) {
		struct json_object *e = json_object_array_get_idx(s, i);

		if (strcmp(json_object_get_string(get(e, "section")), "__bug_table"))
			continue;
		seen = true;
		CU_ASSERT_EQUAL(json_object_get_int(get(e, "kept")), 1);
		CU_ASSERT_EQUAL(json_object_get_int(get(e, "total")), 2);
	}
	CU_ASSERT_TRUE(seen);
	json_object_put(j);
}

static void test_json_lists_what_the_patch_uses_from_the_kernel(void)
{
	struct json_object *j = diff_json("012-static-locals-correlate", NULL), *x;
	bool calls = false, fentry = false;
	size_t i;

	x = get(j, "externals");
	for (i = 0; i < json_object_array_length(x); i++) {
		struct json_object *e = json_object_array_get_idx(x, i);
		const char *name = json_object_get_string(get(e, "name"));
		const char *bind = json_object_get_string(get(e, "binding"));

		/* bar's unchanged static local stays in the kernel: by sympos */
		if (!strncmp(name, "calls.", 6)) {
			calls = true;
			CU_ASSERT_STRING_EQUAL(bind, "local");
		}
		if (!strcmp(name, "__fentry__")) {
			fentry = true;
			CU_ASSERT_STRING_EQUAL(bind, "global");
		}
	}
	CU_ASSERT_TRUE(calls);
	CU_ASSERT_TRUE(fentry);
	json_object_put(j);
}

static void test_json_lists_carried_bodies_apart_from_functions(void)
{
	struct json_object *j = diff_json("110-notrace-syscall-body", NULL), *f, *c;
	size_t i;

	CU_ASSERT_TRUE(json_object_get_boolean(get(j, "eligible")));
	c = get(j, "carried");
	CU_ASSERT_EQUAL_FATAL(json_object_array_length(c), 1);
	CU_ASSERT_STRING_EQUAL(json_object_get_string(get(json_object_array_get_idx(c, 0),
							  "name")), "__do_sys_newuname");
	f = get(j, "functions");
	CU_ASSERT_EQUAL(json_object_array_length(f), 2);
	for (i = 0; i < json_object_array_length(f); i++)
		CU_ASSERT_STRING_NOT_EQUAL(json_object_get_string(get(json_object_array_get_idx(f, i),
								      "name")), "__do_sys_newuname");
	json_object_put(j);
}

int register_report_tests(void)
{
	CU_pSuite s = CU_add_suite("JSON verdict", NULL, NULL);

	if (!s ||
	    !CU_add_test(s, "JSON lists the changed functions", test_json_lists_changed_functions) ||
	    !CU_add_test(s, "a JSON refusal has rule, symbol, source line and workaround",
			 test_json_refusal_has_rule_symbol_line_and_workaround) ||
	    !CU_add_test(s, "JSON counts the special-section entries kept",
			 test_json_counts_special_entries) ||
	    !CU_add_test(s, "JSON lists what the patch uses from the running kernel",
			 test_json_lists_what_the_patch_uses_from_the_kernel) ||
	    !CU_add_test(s, "JSON lists carried bodies apart from the functions",
			 test_json_lists_carried_bodies_apart_from_functions))
		return -1;
	return 0;
}
