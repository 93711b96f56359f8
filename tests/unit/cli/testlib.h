/* SPDX-License-Identifier: GPL-2.0 */
/* Shared by the CLI/library tests: suite registration, a fake sysfs tree
 * in a temporary directory, and in-process runs of the CLI. */
#ifndef _HOTPATCH_TESTLIB_H
#define _HOTPATCH_TESTLIB_H

#include <stdbool.h>

#include <CUnit/CUnit.h>
#include <json-c/json.h>

#include "cli.h"
#include "libhotpatch.h"

/* Each test_<module>.c defines one of these; main.c calls them all. */
void suite_util(void);
void suite_state(void);
void suite_advice(void);
void suite_last_error(void);
void suite_sysfs(void);
void suite_json(void);
void suite_table(void);
void suite_options(void);
void suite_cli(void);
void suite_cmd_show(void);
void suite_cmd_patch(void);
void suite_kmod(void);
void suite_blocking(void);
void suite_keys(void);
void suite_cmd_keys(void);
void suite_cmd_verify(void);
void suite_cmd_install(void);
void suite_cmd_meta(void);

/* Register test fn under a sentence made from its name:
 * test_list_prints_a_header -> "list prints a header". */
CU_pSuite test_suite(const char *name, CU_InitializeFunc init,
		     CU_CleanupFunc cleanup);
void test_add(CU_pSuite s, const char *fname, CU_TestFunc fn);
#define ADD_TEST(s, fn) test_add((s), #fn, (fn))

/* ---- fake /sys/kernel/hotpatch ---- */

/* Make a fresh fake root (global files of a loaded core, no patches) and
 * point HOTPATCH_SYSFS at it; returns its path. */
const char *fake_setup(void);
/* Remove the fake tree; HOTPATCH_SYSFS is left pointing at nothing. */
void fake_teardown(void);
const char *fake_root(void);
/* Write (creating directories) rel with content; content NULL removes
 * the file, "" makes it empty. */
void fake_write(const char *rel, const char *content);
void fake_mkdir(const char *rel);
void fake_rmtree(const char *rel);
/* A well-formed applied patch with one vmlinux function, or
 * nfuncs functions named func0..; stack order as given. */
void fake_patch(const char *name, int nfuncs, int stack_order);
/* Every patch of the tree: enabled 0, state reverted. */
void fake_revert_all(void);
/* Signed metadata files of patches/<name>/ (NULL: none; version 0). */
void fake_meta(const char *name, const char *description, const char *series,
	       unsigned int version, const char *cves);
/* ---- running the CLI in-process ---- */

struct run {
	int rc;
	char *out;
	char *err;
	json_object *json;	/* out parsed, when it is JSON */
};

/* The fake module loader: state for struct cli_module_ops. */
struct fake_mod {
	const char *name;	/* what ->name() returns; NULL: -ENOEXEC */
	int insert_ret;		/* ->insert() result */
	bool insert_creates;	/* on success: fake_patch(name) */
	bool insert_replaces;	/* on success: every other patch reverted,
				 * as the core does for a replace patch */
	const char *insert_state; /* state the new patch gets */
	const char *insert_last_error; /* on failure: the global last_error
					* line; on success: the patch's own */
	int remove_ret;
	int load_core_ret;
	long add_key_ret;	/* ->add_key() result (a serial or -errno) */
	int add_keys;
	int32_t last_keyring;
	size_t last_der_len;
	unsigned char last_der0;	/* first byte: 0x30 for DER */
	bool core_creates_root;
	int inserts, removes, core_loads;
	char last_path[512];
	char last_removed[128];
};

extern const struct cli_module_ops fake_mod_ops;

/* Run "hotpatch args..." (NULL-terminated) with fake module ops (fm may
 * be NULL: any call to the module loader fails the test). */
struct run run_cli(struct fake_mod *fm, ...);
void run_free(struct run *r);

/* PATH gets LEN bytes of BUF; 0 or -1. */
int test_write_file(const char *path, const void *buf, size_t len);
/* The size of the path buffers the helpers below fill. */
#define TEST_PATH	700
/* DIR (SIZE bytes) gets OUT_DIR/tmp/NAME, made empty. 0, or 1. */
int test_fresh_dir(const char *name, char *dir, size_t size);
/*
 * A new 2048-bit signing key and certificate named CN in DIR: the paths of
 * its key and of its certificate, PEM or DER (KEY may be NULL), into
 * buffers of TEST_PATH bytes. 0, or 1 with the reason on stderr.
 */
int test_keygen(const char *dir, const char *cn, char *key, char *cert,
		bool der);
/*
 * The target kernel's facts the CLI reads, in DIR: "notes" (one GNU
 * build-id note of BID, as /sys/kernel/notes has it) and "kallsyms"
 * (SYMS); their paths into NOTES and KALLSYMS (TEST_PATH bytes each). 0,
 * or 1.
 */
int test_kernel_facts(const char *dir, const uint8_t *bid, size_t bid_len,
		      const char *syms, char *notes, char *kallsyms);
/*
 * OUT: the test patch module (patchmod.c) with a manifest "hp_cli_test" for
 * RELEASE and BID replacing cmdline_proc_show (old size SIZE); signed when
 * S is given. 0, or non-zero with the reason on stderr.
 */
struct hp_signer;
int test_patch_module(const char *out, const char *release, const uint8_t *bid,
		      size_t bid_len, uint32_t size, struct hp_signer *s);
/* The same with manifest metadata and the replace flag (meta NULL: none) */
struct test_meta {
	const char *description, *series, *cves;
	uint32_t version;
	bool replace;
};
int test_patch_module_meta(const char *out, const char *release,
			   const uint8_t *bid, size_t bid_len, uint32_t size,
			   struct hp_signer *s, const struct test_meta *meta);

#endif
