// SPDX-License-Identifier: GPL-2.0
/* tools/lib/state.c: state and mode names. */
#include <errno.h>

#include "testlib.h"

static const char *const abi_states[] = {
	"staged", "verified", "applying", "applied",
	"reverting", "reverted", "rejected", "failed",
};

static void test_every_abi_state_name_round_trips(void)
{
	enum hp_state st;
	size_t i;

	for (i = 0; i < sizeof(abi_states) / sizeof(abi_states[0]); i++) {
		CU_ASSERT_EQUAL_FATAL(hp_state_from_string(abi_states[i], &st),
				      0);
		CU_ASSERT_NOT_EQUAL(st, HP_STATE_UNKNOWN);
		CU_ASSERT_STRING_EQUAL(hp_state_to_string(st), abi_states[i]);
	}
}

static void test_state_names_may_end_in_one_newline(void)
{
	enum hp_state st;

	CU_ASSERT_EQUAL(hp_state_from_string("applied\n", &st), 0);
	CU_ASSERT_EQUAL(st, HP_STATE_APPLIED);
	CU_ASSERT_EQUAL(hp_state_from_string("applied\n\n", &st), -EINVAL);
}

static void test_unknown_state_names_are_refused(void)
{
	enum hp_state st;

	CU_ASSERT_EQUAL(hp_state_from_string("unknown", &st), -EINVAL);
	CU_ASSERT_EQUAL(hp_state_from_string("APPLIED", &st), -EINVAL);
	CU_ASSERT_EQUAL(hp_state_from_string("apply", &st), -EINVAL);
	CU_ASSERT_EQUAL(hp_state_from_string("appliedx", &st), -EINVAL);
	CU_ASSERT_EQUAL(hp_state_from_string("", &st), -EINVAL);
	CU_ASSERT_EQUAL(hp_state_from_string(NULL, &st), -EINVAL);
}

static void test_out_of_range_states_print_as_unknown(void)
{
	CU_ASSERT_STRING_EQUAL(hp_state_to_string(HP_STATE_UNKNOWN), "unknown");
	CU_ASSERT_STRING_EQUAL(hp_state_to_string((enum hp_state)99),
			       "unknown");
	CU_ASSERT_STRING_EQUAL(hp_mode_to_string((enum hp_mode)99), "unknown");
}

static void test_settled_states_are_the_ones_no_transition_leaves(void)
{
	CU_ASSERT_TRUE(hp_state_is_settled(HP_STATE_APPLIED));
	CU_ASSERT_TRUE(hp_state_is_settled(HP_STATE_REVERTED));
	CU_ASSERT_TRUE(hp_state_is_settled(HP_STATE_FAILED));
	CU_ASSERT_FALSE(hp_state_is_settled(HP_STATE_APPLYING));
	CU_ASSERT_FALSE(hp_state_is_settled(HP_STATE_REVERTING));
	CU_ASSERT_FALSE(hp_state_is_settled(HP_STATE_UNKNOWN));
}

static void test_modes_are_direct_and_ops(void)
{
	enum hp_mode m;

	CU_ASSERT_EQUAL(hp_mode_from_string("direct\n", &m), 0);
	CU_ASSERT_EQUAL(m, HP_MODE_DIRECT);
	CU_ASSERT_EQUAL(hp_mode_from_string("ops", &m), 0);
	CU_ASSERT_EQUAL(m, HP_MODE_OPS);
	CU_ASSERT_STRING_EQUAL(hp_mode_to_string(HP_MODE_OPS), "ops");
	CU_ASSERT_EQUAL(hp_mode_from_string("ipmodify", &m), -EINVAL);
	CU_ASSERT_EQUAL(hp_mode_from_string(NULL, &m), -EINVAL);
}

void suite_state(void)
{
	CU_pSuite s = test_suite("state", NULL, NULL);

	ADD_TEST(s, test_every_abi_state_name_round_trips);
	ADD_TEST(s, test_state_names_may_end_in_one_newline);
	ADD_TEST(s, test_unknown_state_names_are_refused);
	ADD_TEST(s, test_out_of_range_states_print_as_unknown);
	ADD_TEST(s, test_settled_states_are_the_ones_no_transition_leaves);
	ADD_TEST(s, test_modes_are_direct_and_ops);
}
