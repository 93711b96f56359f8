// SPDX-License-Identifier: GPL-2.0
/* tools/sign/mfbuild.c: the manifest writer */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testlib.h"

static const uint8_t bid[20] = { 0xaa };

static void test_the_writer_emits_the_canonical_layout(void)
{
	const struct hotpatch_manifest_hdr *h;
	size_t len;
	uint8_t *buf = test_manifest(&len);

	h = (const void *)buf;
	CU_ASSERT_EQUAL(memcmp(h->magic, "HPMANIF\0", 8), 0);
	CU_ASSERT_EQUAL(h->hdr_size, 96);
	CU_ASSERT_EQUAL(h->total_size, len);
	CU_ASSERT_EQUAL(h->obj_off, 96);
	CU_ASSERT_EQUAL(h->func_off, 96 + 2 * 56);
	CU_ASSERT_EQUAL(h->strtab_off, 96 + 2 * 56 + 4 * 24);
	CU_ASSERT_EQUAL(h->strtab_off + h->strtab_size, len);
	free(buf);
}

static void test_equal_strings_are_stored_once(void)
{
	struct hp_mfbuild *b;
	struct hp_msg m;
	uint8_t *buf;
	size_t len;

	CU_ASSERT_FATAL(!hp_mfbuild_new("p", "r", bid, 20, &b));
	CU_ASSERT(!hp_mfbuild_add_obj(b, "vmlinux", NULL, NULL, 0));
	CU_ASSERT(!hp_mfbuild_add_func(b, "vmlinux", "foo", 1, 8, "foo", "t"));
	CU_ASSERT(!hp_mfbuild_add_func(b, "vmlinux", "foo", 2, 8, "foo2", "t"));
	CU_ASSERT_FATAL(!hp_mfbuild_build(b, &buf, &len, &m));
	/* "\0p\0r\0vmlinux\0foo\0t\0foo2\0" */
	CU_ASSERT_EQUAL(((const struct hotpatch_manifest_hdr *)buf)->strtab_size,
			1 + 2 + 2 + 8 + 4 + 2 + 5);
	free(buf);
	hp_mfbuild_free(b);
}

static void test_duplicates_and_bad_names_are_refused(void)
{
	struct hp_mfbuild *b;
	struct hp_msg m = { "" };
	uint8_t *buf = NULL;
	size_t len;

	CU_ASSERT_FATAL(!hp_mfbuild_new("p", "r", bid, 20, &b));
	CU_ASSERT(!hp_mfbuild_add_obj(b, "vmlinux", NULL, NULL, 0));
	CU_ASSERT_EQUAL(hp_mfbuild_add_obj(b, "vmlinux", NULL, NULL, 0), -EEXIST);
	CU_ASSERT_EQUAL(hp_mfbuild_add_func(b, "nosuch", "f", 0, 1, "g", NULL),
			-EINVAL);
	CU_ASSERT(!hp_mfbuild_add_func(b, "vmlinux", "f", 0, 1, "g", NULL));
	CU_ASSERT(!hp_mfbuild_add_func(b, "vmlinux", "f", 0, 1, "g2", NULL));
	CU_ASSERT_EQUAL(hp_mfbuild_build(b, &buf, &len, &m), -ENOEXEC);
	CU_ASSERT_PTR_NOT_NULL(strstr(m.text, "duplicate"));
	CU_ASSERT_PTR_NULL(buf);
	hp_mfbuild_free(b);

	CU_ASSERT_FATAL(!hp_mfbuild_new("bad/name", "r", bid, 20, &b));
	CU_ASSERT(!hp_mfbuild_add_obj(b, "vmlinux", NULL, NULL, 0));
	CU_ASSERT(!hp_mfbuild_add_func(b, "vmlinux", "f", 0, 1, "g", NULL));
	CU_ASSERT_EQUAL(hp_mfbuild_build(b, &buf, &len, &m), -ENOEXEC);
	CU_ASSERT_PTR_NOT_NULL(strstr(m.text, "patch name"));
	hp_mfbuild_free(b);
}

static void test_direct_mode_needs_trampolines(void)
{
	struct hp_mfbuild *b;
	struct hp_msg m = { "" };
	uint8_t *buf = NULL;
	size_t len;

	CU_ASSERT_FATAL(!hp_mfbuild_new("p", "r", bid, 20, &b));
	hp_mfbuild_set_mode(b, HOTPATCH_MODE_DIRECT);
	hp_mfbuild_set_flags(b, HOTPATCH_MF_REPLACE);
	CU_ASSERT(!hp_mfbuild_add_obj(b, "vmlinux", NULL, NULL, 0));
	CU_ASSERT(!hp_mfbuild_add_func(b, "vmlinux", "f", 0, 1, "g", NULL));
	CU_ASSERT_EQUAL(hp_mfbuild_build(b, &buf, &len, &m), -ENOEXEC);
	CU_ASSERT_PTR_NOT_NULL(strstr(m.text, "trampoline"));
	hp_mfbuild_set_mode(b, HOTPATCH_MODE_OPS);
	CU_ASSERT_EQUAL(hp_mfbuild_build(b, &buf, &len, &m), 0);
	free(buf);
	hp_mfbuild_free(b);
}

/* A one-function manifest with the given metadata; its parse result */
static int build_meta(const char *desc, const char *series, uint32_t ver,
		      const char *cves, uint8_t **buf, size_t *len,
		      struct hp_msg *m)
{
	struct hp_mfbuild *b;
	int ret;

	*buf = NULL;
	CU_ASSERT_FATAL(!hp_mfbuild_new("p", "r", bid, 20, &b));
	CU_ASSERT(!hp_mfbuild_add_obj(b, "vmlinux", NULL, NULL, 0));
	CU_ASSERT(!hp_mfbuild_add_func(b, "vmlinux", "f", 0, 1, "g", "t"));
	CU_ASSERT_FATAL(!hp_mfbuild_set_meta(b, desc, series, ver, cves));
	ret = hp_mfbuild_build(b, buf, len, m);
	hp_mfbuild_free(b);
	return ret;
}

static void test_metadata_makes_a_version_2_manifest_that_decodes(void)
{
	const struct hotpatch_manifest_hdr *h;
	struct hotpatch_mf mf;
	struct hp_msg m = { "" };
	char why[HOTPATCH_MF_REASON_LEN];
	uint8_t *buf;
	size_t len;

	CU_ASSERT_FATAL(!build_meta("Fix the use-after-free in nft_verdict_init",
				    "deb12-cloud.1", 3,
				    "CVE-2024-1086 CVE-2023-0179", &buf, &len, &m));
	h = (const void *)buf;
	CU_ASSERT_EQUAL(h->version, 2);
	CU_ASSERT_EQUAL(h->hdr_size, 112);
	CU_ASSERT_EQUAL(h->obj_off, 112);
	CU_ASSERT_FATAL(!hotpatch_manifest_parse(buf, len, &mf, why, sizeof(why)));
	CU_ASSERT_EQUAL(mf.version, 2);
	CU_ASSERT_STRING_EQUAL(mf.description,
			       "Fix the use-after-free in nft_verdict_init");
	CU_ASSERT_STRING_EQUAL(mf.series, "deb12-cloud.1");
	CU_ASSERT_EQUAL(mf.patch_version, 3);
	CU_ASSERT_STRING_EQUAL(mf.cves, "CVE-2024-1086 CVE-2023-0179");
	free(buf);

	/* a CVE list alone is metadata too; the rest reads as none */
	CU_ASSERT_FATAL(!build_meta(NULL, NULL, 0, "CVE-2021-44228", &buf, &len, &m));
	CU_ASSERT_FATAL(!hotpatch_manifest_parse(buf, len, &mf, why, sizeof(why)));
	CU_ASSERT_EQUAL(mf.version, 2);
	CU_ASSERT_PTR_NULL(mf.description);
	CU_ASSERT_PTR_NULL(mf.series);
	CU_ASSERT_EQUAL(mf.patch_version, 0);
	CU_ASSERT_STRING_EQUAL(mf.cves, "CVE-2021-44228");
	free(buf);
}

static void test_without_metadata_the_writer_keeps_version_1(void)
{
	struct hotpatch_mf mf;
	char why[HOTPATCH_MF_REASON_LEN];
	size_t len;
	uint8_t *buf = test_manifest(&len);

	CU_ASSERT_EQUAL(((const struct hotpatch_manifest_hdr *)buf)->version, 1);
	CU_ASSERT_FATAL(!hotpatch_manifest_parse(buf, len, &mf, why, sizeof(why)));
	CU_ASSERT_EQUAL(mf.version, 1);
	CU_ASSERT_PTR_NULL(mf.description);
	CU_ASSERT_PTR_NULL(mf.series);
	CU_ASSERT_PTR_NULL(mf.cves);
	free(buf);
}

static void test_bad_metadata_is_refused_with_a_reason(void)
{
	static const struct {
		const char *desc, *series;
		uint32_t ver;
		const char *cves, *why;
	} bad[] = {
		{ "tab\there", NULL, 0, NULL, "description" },
		{ NULL, "a/b", 1, NULL, "series" },
		{ NULL, "s", 0, NULL, "without a patch version" },
		{ NULL, NULL, 7, NULL, "without a series" },
		{ NULL, NULL, 0, "CVE-2024-1", "CVE-YYYY-NNNN" },
		{ NULL, NULL, 0, "CVE-24-10860", "CVE-YYYY-NNNN" },
		{ NULL, NULL, 0, "CVE-2024-1086,CVE-2023-0179", "CVE list" },
		{ NULL, NULL, 0, "CVE-2024-1086  CVE-2023-0179", "CVE-YYYY-NNNN" },
		{ NULL, NULL, 0, "CVE-2024-1086 ", "CVE-YYYY-NNNN" },
		{ NULL, NULL, 0, "cve-2024-1086", "CVE list" },
		{ NULL, NULL, 0, "CVE-2024-1086 CVE-2024-1086", "appears twice" },
		{ NULL, NULL, 0, "CVE-2024-12345678901234567890123", "CVE-YYYY-NNNN" },
	};
	struct hp_msg m;
	uint8_t *buf;
	size_t len, i;
	char longdesc[HOTPATCH_DESCRIPTION_MAX + 2];

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		m.text[0] = '\0';
		CU_ASSERT_EQUAL(build_meta(bad[i].desc, bad[i].series, bad[i].ver,
					   bad[i].cves, &buf, &len, &m), -ENOEXEC);
		CU_ASSERT_PTR_NULL(buf);
		if (!strstr(m.text, bad[i].why))
			fprintf(stderr, "case %zu: '%s' lacks '%s'\n", i, m.text,
				bad[i].why);
		CU_ASSERT_PTR_NOT_NULL(strstr(m.text, bad[i].why));
	}
	memset(longdesc, 'd', sizeof(longdesc) - 1);
	longdesc[sizeof(longdesc) - 1] = '\0';
	CU_ASSERT_EQUAL(build_meta(longdesc, NULL, 0, NULL, &buf, &len, &m), -ENOEXEC);
	longdesc[HOTPATCH_DESCRIPTION_MAX] = '\0';
	CU_ASSERT_EQUAL(build_meta(longdesc, NULL, 0, NULL, &buf, &len, &m), 0);
	free(buf);
}

static void test_empty_metadata_strings_are_refused_by_the_setter(void)
{
	struct hp_mfbuild *b;

	CU_ASSERT_FATAL(!hp_mfbuild_new("p", "r", bid, 20, &b));
	CU_ASSERT_EQUAL(hp_mfbuild_set_meta(b, "", NULL, 0, NULL), -EINVAL);
	CU_ASSERT_EQUAL(hp_mfbuild_set_meta(b, NULL, "", 1, NULL), -EINVAL);
	CU_ASSERT_EQUAL(hp_mfbuild_set_meta(b, NULL, NULL, 0, ""), -EINVAL);
	hp_mfbuild_free(b);
}

static const struct test tests[] = {
	{ "the writer emits the canonical layout", test_the_writer_emits_the_canonical_layout },
	{ "equal strings are stored once", test_equal_strings_are_stored_once },
	{ "duplicates and bad names are refused", test_duplicates_and_bad_names_are_refused },
	{ "direct mode needs trampolines", test_direct_mode_needs_trampolines },
	{ "metadata makes a version 2 manifest that decodes", test_metadata_makes_a_version_2_manifest_that_decodes },
	{ "without metadata the writer keeps version 1", test_without_metadata_the_writer_keeps_version_1 },
	{ "bad metadata is refused with a reason", test_bad_metadata_is_refused_with_a_reason },
	{ "empty metadata strings are refused by the setter", test_empty_metadata_strings_are_refused_by_the_setter },
	{ NULL, NULL },
};

const struct suite suite_mfbuild = { "manifest writer", tests, NULL, NULL };
