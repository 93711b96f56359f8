// SPDX-License-Identifier: GPL-2.0
/* kernel/manifest.c: the shared parser, on good, bad and arbitrary bytes */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testlib.h"

static int parse(const void *buf, size_t len, struct hotpatch_mf *mf,
		 char *reason)
{
	return hotpatch_manifest_parse(buf, len, mf, reason,
				       HOTPATCH_MF_REASON_LEN);
}

static void test_a_built_manifest_parses_and_decodes(void)
{
	char reason[HOTPATCH_MF_REASON_LEN];
	struct hotpatch_mf_func f;
	struct hotpatch_mf_obj o;
	struct hotpatch_mf mf;
	size_t len;
	uint8_t *buf = test_manifest(&len);
	u32 i, j, n = 0;

	CU_ASSERT_EQUAL_FATAL(parse(buf, len, &mf, reason), 0);
	CU_ASSERT_STRING_EQUAL(reason, "");
	CU_ASSERT_EQUAL(mf.version, 1);
	CU_ASSERT_STRING_EQUAL(mf.name, "hp_test");
	CU_ASSERT_STRING_EQUAL(mf.release, "6.1.0-56-cloud-amd64");
	CU_ASSERT_EQUAL(mf.build_id_len, 20);
	CU_ASSERT_EQUAL(mf.build_id[19], 20);
	CU_ASSERT_EQUAL(mf.nr_objs, 2);
	CU_ASSERT_EQUAL(mf.nr_funcs, 4);
	CU_ASSERT_EQUAL(mf.mode, HOTPATCH_MODE_DEFAULT);

	/* sorted: vmlinux before xfs, functions by name */
	hotpatch_mf_get_obj(&mf, 0, &o);
	CU_ASSERT_STRING_EQUAL(o.name, "vmlinux");
	CU_ASSERT_PTR_NULL(o.srcversion);
	CU_ASSERT_PTR_NULL(o.build_id);
	CU_ASSERT_EQUAL(o.func_index, 0);
	CU_ASSERT_EQUAL(o.func_count, 3);
	hotpatch_mf_get_func(&mf, 0, &f);
	CU_ASSERT_STRING_EQUAL(f.old_name, "cmdline_proc_show");
	CU_ASSERT_EQUAL(f.old_sympos, 0);
	CU_ASSERT_EQUAL(f.old_size, 64);
	CU_ASSERT_STRING_EQUAL(f.new_name, "livepatch_cmdline_proc_show");
	CU_ASSERT_STRING_EQUAL(f.tramp_name, "hp_tramp_cmdline_proc_show");
	hotpatch_mf_get_func(&mf, 2, &f);
	CU_ASSERT_STRING_EQUAL(f.old_name, "show_val_kb");
	CU_ASSERT_EQUAL(f.old_sympos, 2);
	hotpatch_mf_get_obj(&mf, 1, &o);
	CU_ASSERT_STRING_EQUAL(o.name, "xfs");
	CU_ASSERT_STRING_EQUAL(o.srcversion, "0123456789ABCDEF01234567");
	CU_ASSERT_EQUAL(o.build_id_len, 4);
	CU_ASSERT_EQUAL(o.build_id[0], 0xde);

	hotpatch_mf_for_each_obj(&mf, i, &o)
		hotpatch_mf_for_each_func(&mf, &o, j, &f)
			n++;
	CU_ASSERT_EQUAL(n, 4);
	free(buf);
}

static void test_the_parser_reads_a_misaligned_buffer(void)
{
	char reason[HOTPATCH_MF_REASON_LEN];
	struct hotpatch_mf mf;
	size_t len;
	uint8_t *buf = test_manifest(&len), *odd = malloc(len + 1);

	memcpy(odd + 1, buf, len);
	CU_ASSERT_EQUAL(parse(odd + 1, len, &mf, reason), 0);
	CU_ASSERT_STRING_EQUAL(mf.name, "hp_test");
	free(odd);
	free(buf);
}

static void test_every_truncation_is_refused_with_a_reason(void)
{
	char reason[HOTPATCH_MF_REASON_LEN];
	struct hotpatch_mf mf;
	size_t len, n;
	uint8_t *buf = test_manifest(&len), *copy;

	for (n = 0; n < len; n++) {
		/* an exact-size copy, so ASan sees any read past the end */
		copy = malloc(n ? n : 1);
		memcpy(copy, buf, n);
		CU_ASSERT_EQUAL(parse(copy, n, &mf, reason), -ENOEXEC);
		CU_ASSERT(reason[0] != '\0');
		CU_ASSERT_PTR_NULL(mf.name);
		free(copy);
	}
	CU_ASSERT_EQUAL(parse(NULL, 0, &mf, reason), -ENOEXEC);
	free(buf);
}

static void continue_flip(uint8_t *buf, size_t i, int bit)
{
	buf[i] ^= 1u << bit;
}

static void test_every_byte_flip_is_parsed_or_refused_cleanly(void)
{
	char reason[HOTPATCH_MF_REASON_LEN];
	struct hotpatch_mf_func f;
	struct hotpatch_mf_obj o;
	struct hotpatch_mf mf;
	size_t len, i;
	int bit, ret;
	u32 k, j;
	uint8_t *buf = test_manifest(&len);

	for (i = 0; i < len; i++) {
		for (bit = 0; bit < 8; bit++) {
			buf[i] ^= 1u << bit;
			ret = parse(buf, len, &mf, reason);
			CU_ASSERT(ret == 0 || ret == -ENOEXEC || ret == -EINVAL);
			if (ret) {
				CU_ASSERT(reason[0] != '\0');
				continue_flip(buf, i, bit);
				continue;
			}
			/* accepted: then every accessor must be safe */
			hotpatch_mf_for_each_obj(&mf, k, &o)
				hotpatch_mf_for_each_func(&mf, &o, j, &f)
					CU_ASSERT(strlen(f.old_name) > 0);
			buf[i] ^= 1u << bit;
		}
	}
	free(buf);
}

static void test_the_reason_buffer_may_be_tiny_or_absent(void)
{
	struct hotpatch_mf mf;
	char r[4] = "xxx";

	CU_ASSERT_EQUAL(hotpatch_manifest_parse("HPMANIF", 8, &mf, r, sizeof(r)),
			-ENOEXEC);
	CU_ASSERT_EQUAL(strlen(r), 3);
	CU_ASSERT_EQUAL(hotpatch_manifest_parse("HPMANIF", 8, &mf, NULL, 0),
			-ENOEXEC);
}

static void test_kernel_identity_is_checked(void)
{
	char reason[HOTPATCH_MF_REASON_LEN];
	uint8_t id[20] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10,
			   11, 12, 13, 14, 15, 16, 17, 18, 19, 20 };
	struct hotpatch_mf mf;
	size_t len;
	uint8_t *buf = test_manifest(&len);

	CU_ASSERT_EQUAL_FATAL(parse(buf, len, &mf, reason), 0);
	CU_ASSERT_EQUAL(hotpatch_manifest_check_kernel(&mf, "6.1.0-56-cloud-amd64",
						       id, 20, reason, sizeof(reason)), 0);
	CU_ASSERT_EQUAL(hotpatch_manifest_check_kernel(&mf, NULL, NULL, 0, reason,
						       sizeof(reason)), 0);
	CU_ASSERT_EQUAL(hotpatch_manifest_check_kernel(&mf, "6.1.0-55-cloud-amd64",
						       NULL, 0, reason, sizeof(reason)),
			-ENOEXEC);
	CU_ASSERT_PTR_NOT_NULL(strstr(reason, "6.1.0-55-cloud-amd64"));
	id[19] = 0;
	CU_ASSERT_EQUAL(hotpatch_manifest_check_kernel(&mf, NULL, id, 20, reason,
						       sizeof(reason)), -ENOEXEC);
	CU_ASSERT_PTR_NOT_NULL(strstr(reason, "0102030405060708090a0b0c0d0e0f1011121314"));
	CU_ASSERT_EQUAL(hotpatch_manifest_check_kernel(&mf, NULL, id, 19, reason,
						       sizeof(reason)), -ENOEXEC);
	free(buf);
}

static void test_module_identity_is_checked(void)
{
	char reason[HOTPATCH_MF_REASON_LEN];
	const uint8_t good[4] = { 0xde, 0xad, 0xbe, 0xef }, bad[4] = { 0 };
	struct hotpatch_mf_obj o;
	struct hotpatch_mf mf;
	size_t len;
	uint8_t *buf = test_manifest(&len);

	CU_ASSERT_EQUAL_FATAL(parse(buf, len, &mf, reason), 0);
	hotpatch_mf_get_obj(&mf, 1, &o);
	CU_ASSERT_EQUAL(hotpatch_manifest_check_module(&o, "0123456789ABCDEF01234567",
						       good, 4, reason, sizeof(reason)), 0);
	CU_ASSERT_EQUAL(hotpatch_manifest_check_module(&o, NULL, good, 4, reason,
						       sizeof(reason)), -ENOEXEC);
	CU_ASSERT_PTR_NOT_NULL(strstr(reason, "srcversion"));
	CU_ASSERT_EQUAL(hotpatch_manifest_check_module(&o, "0123456789ABCDEF01234567",
						       bad, 4, reason, sizeof(reason)),
			-ENOEXEC);
	CU_ASSERT_EQUAL(hotpatch_manifest_check_module(&o, "0123456789ABCDEF01234567",
						       NULL, 0, reason, sizeof(reason)),
			-ENOEXEC);
	CU_ASSERT_PTR_NOT_NULL(strstr(reason, "found none"));
	/* vmlinux names no module identity: nothing to check */
	hotpatch_mf_get_obj(&mf, 0, &o);
	CU_ASSERT_EQUAL(hotpatch_manifest_check_module(&o, NULL, NULL, 0, reason,
						       sizeof(reason)), 0);
	free(buf);
}

static int errno_of(const char *name)
{
	if (!strcmp(name, "OK"))
		return 0;
	if (!strcmp(name, "ENOEXEC"))
		return -ENOEXEC;
	if (!strcmp(name, "EINVAL"))
		return -EINVAL;
	return 1;
}

/* The corpus through the parser: each file gets exactly its errno */
static void test_the_corpus_gets_the_expected_errno_for_each_file(void)
{
	char line[512], file[256], expect[16], path[512];
	char reason[HOTPATCH_MF_REASON_LEN];
	struct hotpatch_mf mf;
	unsigned int bad = 0, good = 0;
	uint8_t *buf;
	size_t len;
	FILE *idx;
	int ret;

	idx = fopen(CORPUS_DIR "/INDEX", "r");
	CU_ASSERT_PTR_NOT_NULL_FATAL(idx);
	while (fgets(line, sizeof(line), idx)) {
		CU_ASSERT_FATAL(sscanf(line, "%255s %15s", file, expect) == 2);
		snprintf(path, sizeof(path), "%s/%s", CORPUS_DIR, file);
		buf = test_read(path, &len);
		ret = parse(buf, len, &mf, reason);
		if (ret != errno_of(expect)) {
			fprintf(stderr, "\n  %s: expected %s, got %d (%s)\n", file,
				expect, ret, reason);
			CU_FAIL("corpus file got the wrong result");
		}
		if (ret)
			bad++;
		else
			good++;
		if (ret && !reason[0])
			CU_FAIL("refused without a reason");
		free(buf);
	}
	fclose(idx);
	CU_ASSERT(bad >= 20);
	CU_ASSERT(good >= 1);
}

/* ...and embedded in a module, through the offline verifier */
static void test_the_verifier_refuses_every_bad_corpus_manifest(void)
{
	char line[512], file[256], expect[16], path[512], mod[512];
	struct hp_verify_opts opts = { 0 };
	const char *dir = test_tmpdir("corpus-verify");
	struct hp_report *r;
	struct hp_msg m = { "" };
	const char *name, *detail;
	enum hp_check_status st;
	uint8_t *buf;
	size_t len, i;
	FILE *idx;
	bool manifest_failed;

	idx = fopen(CORPUS_DIR "/INDEX", "r");
	CU_ASSERT_PTR_NOT_NULL_FATAL(idx);
	while (fgets(line, sizeof(line), idx)) {
		CU_ASSERT_FATAL(sscanf(line, "%255s %15s", file, expect) == 2);
		snprintf(path, sizeof(path), "%s/%s", CORPUS_DIR, file);
		snprintf(mod, sizeof(mod), "%s/%s.ko", dir, file);
		buf = test_read(path, &len);
		CU_ASSERT_EQUAL_FATAL(hp_patchmod_set_section(TESTMOD, mod,
							      HOTPATCH_MANIFEST_SECTION,
							      buf, len, &m), 0);
		free(buf);
		CU_ASSERT_EQUAL_FATAL(hp_verify(mod, &opts, &r, &m), 0);
		manifest_failed = false;
		for (i = 0; i < hp_report_count(r); i++) {
			hp_report_get(r, i, &name, &st, &detail);
			if (!strcmp(name, "manifest") && st == HP_CHECK_FAIL)
				manifest_failed = true;
		}
		CU_ASSERT_EQUAL(manifest_failed, strcmp(expect, "OK") != 0);
		if (strcmp(expect, "OK"))
			CU_ASSERT(!hp_report_ok(r));
		hp_report_free(r);
	}
	fclose(idx);
}

static const struct test tests[] = {
	{ "a built manifest parses and decodes", test_a_built_manifest_parses_and_decodes },
	{ "the parser reads a misaligned buffer", test_the_parser_reads_a_misaligned_buffer },
	{ "every truncation is refused with a reason", test_every_truncation_is_refused_with_a_reason },
	{ "every byte flip is parsed or refused cleanly", test_every_byte_flip_is_parsed_or_refused_cleanly },
	{ "the reason buffer may be tiny or absent", test_the_reason_buffer_may_be_tiny_or_absent },
	{ "kernel identity is checked", test_kernel_identity_is_checked },
	{ "module identity is checked", test_module_identity_is_checked },
	{ "the corpus gets the expected errno for each file", test_the_corpus_gets_the_expected_errno_for_each_file },
	{ "the verifier refuses every bad corpus manifest", test_the_verifier_refuses_every_bad_corpus_manifest },
	{ NULL, NULL },
};

const struct suite suite_manifest = { "manifest parser", tests, NULL, NULL };
