/* SPDX-License-Identifier: GPL-2.0 */
/* Shared helpers of the libhpsign unit tests */
#ifndef _HOTPATCH_SIGN_TESTLIB_H
#define _HOTPATCH_SIGN_TESTLIB_H

#include <stddef.h>
#include <stdint.h>

#include <CUnit/CUnit.h>

#include "hpsign.h"

#define TESTMOD		OUT_DIR "/testmod.ko"
#define BUILDID_SO	OUT_DIR "/buildid.so"
#define CORPUS_DIR	OUT_DIR "/corpus"
#define GOOD_MANIFEST	CORPUS_DIR "/good-baseline.bin"

struct test {
	const char *name;
	void (*fn)(void);
};

/* Each test_<module>.c defines one of these */
struct suite {
	const char *name;
	const struct test *tests;
	int (*init)(void);
	int (*cleanup)(void);
};

extern const struct suite suite_manifest, suite_mfbuild, suite_modsig,
	suite_target, suite_sign;

/* A fresh directory under OUT_DIR/tmp; returns a static buffer */
const char *test_tmpdir(const char *tag);
/* Read a whole file (CU_FAIL on error); caller frees */
uint8_t *test_read(const char *path, size_t *len);
void test_write(const char *path, const void *buf, size_t len);
/* The baseline manifest, built with hp_mfbuild; caller frees */
uint8_t *test_manifest(size_t *len);

#endif
