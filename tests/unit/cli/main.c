// SPDX-License-Identifier: GPL-2.0
/* Runner for the libhotpatch and hotpatch CLI tests. */
#include <stdio.h>
#include <stdlib.h>

#include <CUnit/Basic.h>

#include "testlib.h"

int main(void)
{
	unsigned int failed;

	if (CU_initialize_registry() != CUE_SUCCESS)
		return 2;
	suite_util();
	suite_state();
	suite_advice();
	suite_last_error();
	suite_sysfs();
	suite_json();
	suite_table();
	suite_options();
	suite_cli();
	suite_cmd_show();
	suite_cmd_patch();
	suite_kmod();
	suite_blocking();
	suite_keys();
	suite_cmd_keys();
	suite_cmd_verify();
	suite_cmd_install();
	suite_cmd_meta();

	CU_basic_set_mode(getenv("CU_VERBOSE") ? CU_BRM_VERBOSE :
			  CU_BRM_NORMAL);
	CU_basic_run_tests();
	failed = CU_get_number_of_failures() +
		 CU_get_number_of_suites_failed() +
		 CU_get_number_of_tests_failed();
	CU_cleanup_registry();
	fake_teardown();
	return failed ? 1 : 0;
}
