// SPDX-License-Identifier: GPL-2.0
/* tools/lib/keys.c: the core's list of trusted certificates. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "testlib.h"

static struct hp_keys *parse(const char *text)
{
	struct hp_keys *ks = NULL;

	CU_ASSERT_EQUAL_FATAL(hp_keys_parse(text, &ks), 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(ks);
	return ks;
}

static void test_a_key_line_gives_signer_key_id_and_origin(void)
{
	struct hp_keys *ks = parse("Vendor patch key: 1a2b3c4d5e6f\tbuiltin\n"
				   "hotpatch unit test A: abcdef0123\tadded\n");
	const struct hp_key *k = hp_keys_get(ks, 0);

	CU_ASSERT_EQUAL_FATAL(hp_keys_count(ks), 2);
	CU_ASSERT_STRING_EQUAL(k->signer, "Vendor patch key");
	CU_ASSERT_STRING_EQUAL(k->key_id, "1a2b3c4d5e6f");
	CU_ASSERT_STRING_EQUAL(k->origin, "builtin");
	CU_ASSERT_STRING_EQUAL(k->description, "Vendor patch key: 1a2b3c4d5e6f");
	k = hp_keys_get(ks, 1);
	CU_ASSERT_STRING_EQUAL(k->signer, "hotpatch unit test A");
	CU_ASSERT_STRING_EQUAL(k->origin, "added");
	CU_ASSERT_PTR_NULL(hp_keys_get(ks, 2));
	hp_keys_free(ks);
}

static void test_a_cn_with_a_colon_keeps_it(void)
{
	struct hp_keys *ks = parse("ACME: patches: 00ff\tadded\n");

	CU_ASSERT_STRING_EQUAL(hp_keys_get(ks, 0)->signer, "ACME: patches");
	CU_ASSERT_STRING_EQUAL(hp_keys_get(ks, 0)->key_id, "00ff");
	hp_keys_free(ks);
}

static void test_what_cannot_be_told_stays_unknown(void)
{
	struct hp_keys *ks = parse("just a name\nname: not-hex\tadded\n\n");
	const struct hp_key *k = hp_keys_get(ks, 0);

	CU_ASSERT_EQUAL_FATAL(hp_keys_count(ks), 2);
	CU_ASSERT_PTR_NULL(k->signer);
	CU_ASSERT_PTR_NULL(k->key_id);
	CU_ASSERT_PTR_NULL(k->origin);
	CU_ASSERT_STRING_EQUAL(k->description, "just a name");
	k = hp_keys_get(ks, 1);
	CU_ASSERT_PTR_NULL(k->key_id);
	CU_ASSERT_STRING_EQUAL(k->origin, "added");
	hp_keys_free(ks);
	ks = parse("");
	CU_ASSERT_EQUAL(hp_keys_count(ks), 0);
	hp_keys_free(ks);
}

static void test_the_json_view_round_trips(void)
{
	struct hp_keys *ks = parse("V: 0a0b\tbuiltin\nodd\n");
	json_object *a = hp_keys_to_json(ks), *back, *o, *v;

	CU_ASSERT_PTR_NOT_NULL_FATAL(a);
	back = json_tokener_parse(json_object_to_json_string(a));
	CU_ASSERT_EQUAL_FATAL(json_object_array_length(back), 2);
	o = json_object_array_get_idx(back, 0);
	CU_ASSERT_TRUE(json_object_object_get_ex(o, "key_id", &v));
	CU_ASSERT_STRING_EQUAL(json_object_get_string(v), "0a0b");
	o = json_object_array_get_idx(back, 1);
	CU_ASSERT_TRUE(json_object_object_get_ex(o, "signer", &v));
	CU_ASSERT_PTR_NULL(v);
	CU_ASSERT_TRUE(json_object_object_get_ex(o, "description", &v));
	CU_ASSERT_STRING_EQUAL(json_object_get_string(v), "odd");
	json_object_put(back);
	json_object_put(a);
	hp_keys_free(ks);
}

void suite_keys(void)
{
	CU_pSuite s = test_suite("keys", NULL, NULL);

	ADD_TEST(s, test_a_key_line_gives_signer_key_id_and_origin);
	ADD_TEST(s, test_a_cn_with_a_colon_keeps_it);
	ADD_TEST(s, test_what_cannot_be_told_stays_unknown);
	ADD_TEST(s, test_the_json_view_round_trips);
}
