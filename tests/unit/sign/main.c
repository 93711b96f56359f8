// SPDX-License-Identifier: GPL-2.0
/* Runner for the libhpsign unit tests */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <CUnit/Basic.h>

#include "testlib.h"

const char *test_tmpdir(const char *tag)
{
	static char path[4096];
	char cmd[8400];

	snprintf(path, sizeof(path), "%s/tmp/%s", OUT_DIR, tag);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s' && mkdir -p '%s'", path, path);
	CU_ASSERT_FATAL(system(cmd) == 0);
	return path;
}

uint8_t *test_read(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf;
	long n;

	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	buf = malloc(n ? n : 1);
	CU_ASSERT_FATAL(buf && fread(buf, 1, n, f) == (size_t)n);
	fclose(f);
	*len = n;
	return buf;
}

void test_write(const char *path, const void *buf, size_t len)
{
	FILE *f = fopen(path, "wb");

	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	CU_ASSERT_FATAL(fwrite(buf, 1, len, f) == len);
	fclose(f);
}

uint8_t *test_manifest(size_t *len)
{
	static const uint8_t bid[20] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10,
					 11, 12, 13, 14, 15, 16, 17, 18, 19, 20 };
	static const uint8_t mbid[4] = { 0xde, 0xad, 0xbe, 0xef };
	struct hp_mfbuild *b;
	struct hp_msg m = { "" };
	uint8_t *buf = NULL;

	CU_ASSERT_FATAL(!hp_mfbuild_new("hp_test", "6.1.0-56-cloud-amd64", bid,
					sizeof(bid), &b));
	/* added out of order on purpose: the builder sorts */
	CU_ASSERT_FATAL(!hp_mfbuild_add_obj(b, "xfs", "0123456789ABCDEF01234567",
					    mbid, sizeof(mbid)));
	CU_ASSERT_FATAL(!hp_mfbuild_add_obj(b, "vmlinux", NULL, NULL, 0));
	CU_ASSERT_FATAL(!hp_mfbuild_add_func(b, "xfs", "xfs_file_read_iter", 0,
					     300, "livepatch_xfs_file_read_iter",
					     "hp_tramp_xfs_file_read_iter"));
	CU_ASSERT_FATAL(!hp_mfbuild_add_func(b, "vmlinux", "show_val_kb", 2, 96,
					     "livepatch_show_val_kb",
					     "hp_tramp_show_val_kb"));
	CU_ASSERT_FATAL(!hp_mfbuild_add_func(b, "vmlinux", "meminfo_proc_show",
					     0, 1200, "livepatch_meminfo_proc_show",
					     "hp_tramp_meminfo_proc_show"));
	CU_ASSERT_FATAL(!hp_mfbuild_add_func(b, "vmlinux", "cmdline_proc_show",
					     0, 64, "livepatch_cmdline_proc_show",
					     "hp_tramp_cmdline_proc_show"));
	CU_ASSERT_FATAL(!hp_mfbuild_build(b, &buf, len, &m));
	hp_mfbuild_free(b);
	return buf;
}

int main(void)
{
	const struct suite *suites[] = {
		&suite_manifest, &suite_mfbuild, &suite_modsig, &suite_target,
		&suite_sign,
	};
	unsigned int failed;
	size_t i;
	int j;

	if (CU_initialize_registry() != CUE_SUCCESS)
		return 1;
	for (i = 0; i < sizeof(suites) / sizeof(suites[0]); i++) {
		CU_pSuite s = CU_add_suite(suites[i]->name, suites[i]->init,
					   suites[i]->cleanup);

		for (j = 0; suites[i]->tests[j].name; j++)
			CU_add_test(s, suites[i]->tests[j].name,
				    suites[i]->tests[j].fn);
	}
	CU_basic_set_mode(CU_BRM_VERBOSE);
	CU_basic_run_tests();
	failed = CU_get_number_of_failures() + CU_get_number_of_tests_failed();
	CU_cleanup_registry();
	return failed ? 1 : 0;
}
