// SPDX-License-Identifier: GPL-2.0
/*
 * tools/cli/cmd_verify.c: `hotpatch verify` through libhpsign's hp_verify()
 * on a patch module made at test time (patchmod.c compiled by the Makefile,
 * a manifest from hp_mfbuild, signed with a throwaway key), checked against
 * a made-up machine: HOTPATCH_KERNEL_RELEASE, a notes file with the
 * build-id, a kallsyms file.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "testlib.h"
#include "hpsign.h"

#define PATCHMOD	OUT_DIR "/patchmod.ko"
#define RELEASE		"6.1.0-99-test-amd64"

static char dir[400], cert_a[TEST_PATH], cert_b[TEST_PATH], key_a[TEST_PATH];
static char good[500], unsigned_ko[500];
static char notes[TEST_PATH], kallsyms[TEST_PATH];
static const uint8_t bid[20] = { 0xb1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13,
				 14, 15, 16, 17, 18, 19, 0x20 };

/* The module with a manifest for RELEASE/bid; signed when s is given. */
static int make_module(const char *out, struct hp_signer *s)
{
	return test_patch_module(out, RELEASE, bid, sizeof(bid), 64, s);
}

static int init(void)
{
	static const char syms[] =
		"ffffffff81000000 T cmdline_proc_show\n"
		"ffffffff81000100 T meminfo_proc_show\n";
	struct hp_signer *s = NULL;
	struct hp_msg m = { "" };
	char kdir[600];
	int ret;

	if (test_fresh_dir("verify", dir, sizeof(dir)))
		return 1;
	snprintf(kdir, sizeof(kdir), "%s/a", dir);
	if (test_keygen(kdir, "hotpatch cli verify", key_a, cert_a, false))
		return 1;
	snprintf(kdir, sizeof(kdir), "%s/b", dir);
	if (test_keygen(kdir, "someone else", NULL, cert_b, true))
		return 1;

	snprintf(good, sizeof(good), "%s/good.ko", dir);
	snprintf(unsigned_ko, sizeof(unsigned_ko), "%s/unsigned.ko", dir);
	if (hp_signer_read(key_a, cert_a, &s, &m))
		return fprintf(stderr, "signer: %s\n", m.text), 1;
	ret = make_module(good, s) || make_module(unsigned_ko, NULL);
	hp_signer_free(s);
	if (ret)
		return 1;

	return test_kernel_facts(dir, bid, sizeof(bid), syms, notes, kallsyms);
}

/* This machine, as verify sees it: the kernel the module was built for. */
static void machine(const char *release)
{
	fake_setup();
	setenv("HOTPATCH_KERNEL_RELEASE", release, 1);
	setenv("HOTPATCH_KERNEL_NOTES", notes, 1);
	setenv("HOTPATCH_KALLSYMS", kallsyms, 1);
}

static int cleanup(void)
{
	unsetenv("HOTPATCH_KERNEL_RELEASE");
	unsetenv("HOTPATCH_KERNEL_NOTES");
	unsetenv("HOTPATCH_KALLSYMS");
	fake_teardown();
	return 0;
}

static json_object *get(json_object *o, const char *key)
{
	json_object *v = NULL;

	CU_ASSERT_TRUE(json_object_object_get_ex(o, key, &v));
	return v;
}

/* Status of check in a parsed report ("fail" wins over others). */
static const char *status_of(json_object *doc, const char *check)
{
	json_object *checks = get(doc, "checks"), *c;
	const char *found = "missing", *st;
	size_t i;

	for (i = 0; checks && i < json_object_array_length(checks); i++) {
		c = json_object_array_get_idx(checks, i);
		if (strcmp(json_object_get_string(get(c, "check")), check))
			continue;
		st = json_object_get_string(get(c, "status"));
		if (!strcmp(found, "missing") || !strcmp(st, "fail"))
			found = st;
	}
	return found;
}

static void test_verify_of_a_good_module_passes_every_check(void)
{
	struct run r;

	machine(RELEASE);
	r = run_cli(NULL, "verify", "--cert", cert_a, good, NULL);
	CU_ASSERT_EQUAL(r.rc, HP_EXIT_OK);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.out, "CHECK "));
	CU_ASSERT_PTR_NOT_NULL(strstr(r.out, "manifest-signature  pass"));
	CU_ASSERT_PTR_NOT_NULL(strstr(r.out, ": ok\n"));
	CU_ASSERT_STRING_EQUAL(r.err, "");
	run_free(&r);
}

static void test_verify_in_json_lists_every_check_and_the_machine(void)
{
	json_object *mach;
	struct run r;

	machine(RELEASE);
	r = run_cli(NULL, "verify", "-j", "--cert", cert_a, good, NULL);
	CU_ASSERT_EQUAL(r.rc, HP_EXIT_OK);
	CU_ASSERT_PTR_NOT_NULL_FATAL(r.json);
	CU_ASSERT_TRUE(json_object_get_boolean(get(r.json, "ok")));
	CU_ASSERT_STRING_EQUAL(status_of(r.json, "manifest"), "pass");
	CU_ASSERT_STRING_EQUAL(status_of(r.json, "manifest-signature"), "pass");
	CU_ASSERT_STRING_EQUAL(status_of(r.json, "module-signature"), "pass");
	CU_ASSERT_STRING_EQUAL(status_of(r.json, "kernel-release"), "pass");
	CU_ASSERT_STRING_EQUAL(status_of(r.json, "build-id"), "pass");
	CU_ASSERT_STRING_EQUAL(status_of(r.json, "symbols"), "pass");
	CU_ASSERT_STRING_EQUAL(status_of(r.json, "patch-symbols"), "pass");
	mach = get(r.json, "machine");
	CU_ASSERT_STRING_EQUAL(json_object_get_string(get(mach,
				"kernel_release")), RELEASE);
	CU_ASSERT_STRING_EQUAL(json_object_get_string(get(mach,
				"symbols_file")), kallsyms);
	run_free(&r);
}

static void test_verify_for_another_kernel_exits_7_and_says_why(void)
{
	struct run r;

	machine("6.1.0-1-other");
	r = run_cli(NULL, "verify", "--json", "--cert", cert_a, good, NULL);
	CU_ASSERT_EQUAL(r.rc, HP_EXIT_INVALID);
	CU_ASSERT_PTR_NOT_NULL_FATAL(r.json);
	CU_ASSERT_FALSE(json_object_get_boolean(get(r.json, "ok")));
	CU_ASSERT_STRING_EQUAL(status_of(r.json, "kernel-release"), "fail");
	CU_ASSERT_STRING_EQUAL(status_of(r.json, "manifest-signature"), "pass");
	run_free(&r);

	r = run_cli(NULL, "verify", "--cert", cert_a, good, NULL);
	CU_ASSERT_EQUAL(r.rc, HP_EXIT_INVALID);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.out, "1 check(s) failed"));
	run_free(&r);
}

static void test_verify_against_another_certificate_fails_the_signatures(void)
{
	struct run r;

	machine(RELEASE);
	r = run_cli(NULL, "verify", "--json", "--cert", cert_b, good, NULL);
	CU_ASSERT_EQUAL(r.rc, HP_EXIT_INVALID);
	CU_ASSERT_PTR_NOT_NULL_FATAL(r.json);
	CU_ASSERT_STRING_EQUAL(status_of(r.json, "manifest-signature"), "fail");
	CU_ASSERT_STRING_EQUAL(status_of(r.json, "module-signature"), "fail");
	CU_ASSERT_STRING_EQUAL(status_of(r.json, "kernel-release"), "pass");
	run_free(&r);
}

static void test_verify_follows_the_cores_module_signature_policy(void)
{
	struct run r;

	machine(RELEASE);
	r = run_cli(NULL, "verify", "--json", "--cert", cert_a, unsigned_ko,
		    NULL);
	CU_ASSERT_EQUAL(r.rc, HP_EXIT_INVALID);	/* no manifest signature */
	CU_ASSERT_PTR_NOT_NULL_FATAL(r.json);
	CU_ASSERT_STRING_EQUAL(status_of(r.json, "module-signature"), "skip");
	run_free(&r);
	fake_write("require_module_sig", "1\n");
	r = run_cli(NULL, "verify", "--json", "--cert", cert_a, unsigned_ko,
		    NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(r.json);
	CU_ASSERT_STRING_EQUAL(status_of(r.json, "module-signature"), "fail");
	CU_ASSERT_TRUE(json_object_get_boolean(get(get(r.json, "machine"),
						   "require_module_sig")));
	run_free(&r);
}

static void test_verify_without_a_certificate_is_a_usage_error(void)
{
	struct run r;

	machine(RELEASE);
	r = run_cli(NULL, "verify", good, NULL);
	CU_ASSERT_EQUAL(r.rc, HP_EXIT_USAGE);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.err, "verify needs --cert CERT"));
	CU_ASSERT_PTR_NOT_NULL(strstr(r.err, "cannot be read back"));
	run_free(&r);
}

static void test_verify_of_missing_or_foreign_files(void)
{
	struct run r;

	machine(RELEASE);
	r = run_cli(NULL, "verify", "--cert", cert_a, "/nonexistent.ko", NULL);
	CU_ASSERT_EQUAL(r.rc, HP_EXIT_NOTFOUND);
	run_free(&r);
	r = run_cli(NULL, "verify", "--cert", "/nonexistent.pem", good, NULL);
	CU_ASSERT_EQUAL(r.rc, HP_EXIT_NOTFOUND);
	run_free(&r);
	r = run_cli(NULL, "verify", "--json", "--cert", cert_a, notes, NULL);
	CU_ASSERT_EQUAL(r.rc, HP_EXIT_INVALID);	/* not ELF: ENOEXEC */
	CU_ASSERT_PTR_NOT_NULL_FATAL(r.json);
	CU_ASSERT_STRING_EQUAL(json_object_get_string(get(r.json,
				"errno_name")), "ENOEXEC");
	run_free(&r);
}

static void test_verify_skips_what_it_cannot_read(void)
{
	struct run r;

	machine(RELEASE);
	setenv("HOTPATCH_KERNEL_NOTES", "/nonexistent/notes", 1);
	setenv("HOTPATCH_KALLSYMS", "/nonexistent/kallsyms", 1);
	r = run_cli(NULL, "verify", "--json", "--cert", cert_a, good, NULL);
	CU_ASSERT_EQUAL(r.rc, HP_EXIT_OK);
	CU_ASSERT_PTR_NOT_NULL_FATAL(r.json);
	CU_ASSERT_STRING_EQUAL(status_of(r.json, "build-id"), "skip");
	CU_ASSERT_STRING_EQUAL(status_of(r.json, "symbols"), "skip");
	run_free(&r);
}

/* The subject key id of a PEM certificate, in hex: how the kernel names
 * the key in the core's keys file. */
static void skid_of(const char *pem, char *buf, size_t size)
{
	const ASN1_OCTET_STRING *id;
	FILE *f = fopen(pem, "r");
	X509 *x = f ? PEM_read_X509(f, NULL, NULL, NULL) : NULL;
	size_t i, n = 0;

	if (f)
		fclose(f);
	buf[0] = '\0';
	id = x ? X509_get0_subject_key_id(x) : NULL;
	CU_ASSERT_PTR_NOT_NULL_FATAL(id);
	for (i = 0; i < (size_t)ASN1_STRING_length(id) && n + 3 <= size; i++)
		n += snprintf(buf + n, size - n, "%02X",
			      ASN1_STRING_get0_data(id)[i]);
	X509_free(x);
}

static void test_verify_says_whether_the_running_core_trusts_the_cert(void)
{
	char skid[128], keys[256];
	struct run r;

	machine(RELEASE);
	r = run_cli(NULL, "verify", "--json", "--cert", cert_a, good, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(r.json);
	CU_ASSERT_PTR_NULL(get(get(r.json, "machine"), "core_trusts_cert"));
	run_free(&r);

	fake_write("keys", "Someone: 0a0b\tbuiltin\n");
	r = run_cli(NULL, "verify", "--cert", cert_a, good, NULL);
	CU_ASSERT_EQUAL(r.rc, HP_EXIT_OK);	/* informative only */
	CU_ASSERT_PTR_NOT_NULL(strstr(r.out, "does not trust this certificate"));
	run_free(&r);

	skid_of(cert_a, skid, sizeof(skid));
	snprintf(keys, sizeof(keys), "Someone: 0a0b\tbuiltin\n"
		 "hotpatch cli verify: %s\tadded\n", skid);
	fake_write("keys", keys);
	r = run_cli(NULL, "verify", "--json", "--cert", cert_a, good, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(r.json);
	CU_ASSERT_TRUE(json_object_get_boolean(get(get(r.json, "machine"),
						   "core_trusts_cert")));
	run_free(&r);
}

void suite_cmd_verify(void)
{
	CU_pSuite s = test_suite("cmd_verify", init, cleanup);

	ADD_TEST(s, test_verify_of_a_good_module_passes_every_check);
	ADD_TEST(s, test_verify_in_json_lists_every_check_and_the_machine);
	ADD_TEST(s, test_verify_for_another_kernel_exits_7_and_says_why);
	ADD_TEST(s, test_verify_against_another_certificate_fails_the_signatures);
	ADD_TEST(s, test_verify_follows_the_cores_module_signature_policy);
	ADD_TEST(s, test_verify_without_a_certificate_is_a_usage_error);
	ADD_TEST(s, test_verify_of_missing_or_foreign_files);
	ADD_TEST(s, test_verify_skips_what_it_cannot_read);
	ADD_TEST(s, test_verify_says_whether_the_running_core_trusts_the_cert);
}
