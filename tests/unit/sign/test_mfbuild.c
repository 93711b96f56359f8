// SPDX-License-Identifier: GPL-2.0
/* tools/sign/mfbuild.c: the manifest writer */
#include <errno.h>
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

static const struct test tests[] = {
	{ "the writer emits the canonical layout", test_the_writer_emits_the_canonical_layout },
	{ "equal strings are stored once", test_equal_strings_are_stored_once },
	{ "duplicates and bad names are refused", test_duplicates_and_bad_names_are_refused },
	{ "direct mode needs trampolines", test_direct_mode_needs_trampolines },
	{ NULL, NULL },
};

const struct suite suite_mfbuild = { "manifest writer", tests, NULL, NULL };
