/* SPDX-License-Identifier: GPL-2.0 */
#ifndef BUILDER_TESTLIB_H
#define BUILDER_TESTLIB_H

#include <CUnit/CUnit.h>
#include <stddef.h>

/* Each test_<module>.c registers its suite(s). */
int register_names_tests(void);
int register_elf_tests(void);
int register_differ_tests(void);
int register_report_tests(void);
int register_writer_tests(void);
int register_resolve_tests(void);
int register_gen_tests(void);
int register_build_tests(void);
int register_postlink_tests(void);

/* Read a whole file; NULL on error. Caller frees. */
void *read_file(const char *path, size_t *len);

#endif
