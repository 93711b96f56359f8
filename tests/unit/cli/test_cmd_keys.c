// SPDX-License-Identifier: GPL-2.0
/*
 * tools/cli/cmd_keys.c: keys list | add | lock on the fake tree, with a
 * fake add_key(2) (testlib.c); the certificates are made at test time with
 * libhpsign's hp_keygen().
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "testlib.h"
#include "hpsign.h"

static char keydir[512], pem[600], der[600], junk[600];

static int init(void)
{
	struct hp_keygen_opts o = { .bits = 2048, .cn = "hotpatch cli test" };
	struct hp_msg m = { "" };
	char cmd[1200];
	FILE *f;

	snprintf(keydir, sizeof(keydir), "%s/tmp/keys", OUT_DIR);
	snprintf(cmd, sizeof(cmd), "rm -rf %s && mkdir -p %s", keydir, keydir);
	if (system(cmd))
		return 1;
	o.dir = keydir;
	if (hp_keygen(&o, &m)) {
		fprintf(stderr, "keygen: %s\n", m.text);
		return 1;
	}
	snprintf(pem, sizeof(pem), "%s/signing_cert.pem", keydir);
	snprintf(der, sizeof(der), "%s/signing_cert.der", keydir);
	snprintf(junk, sizeof(junk), "%s/junk.pem", keydir);
	f = fopen(junk, "w");
	if (!f)
		return 1;
	fputs("-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydA==\n"
	      "-----END CERTIFICATE-----\n", f);
	fclose(f);
	return 0;
}

static int cleanup(void)
{
	fake_teardown();
	return 0;
}

static json_object *get(json_object *o, const char *key)
{
	json_object *v = NULL;

	CU_ASSERT_TRUE(json_object_object_get_ex(o, key, &v));
	return v;
}

static void signing_core(void)
{
	fake_setup();
	fake_write("keyring", "912345678\n");
	fake_write("keys", "Vendor key: 0a1b2c\tbuiltin\n"
			   "hotpatch cli test: 99aa\tadded\n");
	fake_write("keys_locked", "0\n");
}

static void test_keys_list_prints_signer_key_id_and_origin(void)
{
	struct run r;

	signing_core();
	r = run_cli(NULL, "keys", "list", NULL);
	CU_ASSERT_EQUAL(r.rc, HP_EXIT_OK);
	CU_ASSERT_STRING_EQUAL(r.out,
		"SIGNER             KEY ID  ORIGIN\n"
		"Vendor key         0a1b2c  builtin\n"
		"hotpatch cli test  99aa    added\n");
	run_free(&r);
}

static void test_keys_list_in_json_parses_back(void)
{
	json_object *k;
	struct run r;

	signing_core();
	r = run_cli(NULL, "--json", "keys", "list", NULL);
	CU_ASSERT_EQUAL(r.rc, HP_EXIT_OK);
	CU_ASSERT_PTR_NOT_NULL_FATAL(r.json);
	CU_ASSERT_EQUAL_FATAL(json_object_array_length(r.json), 2);
	k = json_object_array_get_idx(r.json, 0);
	CU_ASSERT_STRING_EQUAL(json_object_get_string(get(k, "signer")),
			       "Vendor key");
	CU_ASSERT_STRING_EQUAL(json_object_get_string(get(k, "key_id")),
			       "0a1b2c");
	CU_ASSERT_STRING_EQUAL(json_object_get_string(get(k, "origin")),
			       "builtin");
	run_free(&r);
}

static void test_keys_on_a_core_without_signing_exit_4(void)
{
	struct run r;

	fake_setup();
	r = run_cli(NULL, "keys", "list", NULL);
	CU_ASSERT_EQUAL(r.rc, HP_EXIT_ENV);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.err, "predates patch signing"));
	run_free(&r);
	r = run_cli(NULL, "keys", "lock", "--json", NULL);
	CU_ASSERT_EQUAL(r.rc, HP_EXIT_ENV);
	CU_ASSERT_PTR_NOT_NULL_FATAL(r.json);
	CU_ASSERT_EQUAL(json_object_get_int(get(r.json, "errno")), ENOENT);
	run_free(&r);
}

static void test_keys_add_gives_the_kernel_der_from_pem(void)
{
	struct fake_mod fm = { .add_key_ret = 4242 };
	struct run r;

	signing_core();
	r = run_cli(&fm, "keys", "add", pem, NULL);
	CU_ASSERT_EQUAL(r.rc, HP_EXIT_OK);
	CU_ASSERT_EQUAL(fm.add_keys, 1);
	CU_ASSERT_EQUAL(fm.last_keyring, 912345678);
	CU_ASSERT_EQUAL(fm.last_der0, 0x30);
	CU_ASSERT(fm.last_der_len > 500);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.out, "(key 4242)"));
	run_free(&r);
}

static void test_keys_add_of_der_passes_it_unchanged(void)
{
	struct fake_mod fm = { .add_key_ret = 7 };
	size_t len = 0;
	uint8_t *buf;
	char msg[256];
	struct run r;

	signing_core();
	CU_ASSERT_EQUAL_FATAL(cli_cert_der(pem, &buf, &len, msg, sizeof(msg)),
			      0);
	free(buf);
	r = run_cli(&fm, "keys", "add", "--json", der, NULL);
	CU_ASSERT_EQUAL(r.rc, HP_EXIT_OK);
	CU_ASSERT_EQUAL(fm.last_der_len, len);	/* same certificate */
	CU_ASSERT_PTR_NOT_NULL_FATAL(r.json);
	CU_ASSERT_EQUAL(json_object_get_int(get(r.json, "serial")), 7);
	CU_ASSERT_EQUAL(json_object_get_int(get(r.json, "keyring")), 912345678);
	run_free(&r);
}

static void test_keys_add_refuses_what_is_not_a_certificate(void)
{
	struct fake_mod fm = { .add_key_ret = 1 };
	char key[600];
	struct run r;

	signing_core();
	r = run_cli(&fm, "keys", "add", junk, NULL);
	CU_ASSERT_EQUAL(r.rc, HP_EXIT_USAGE);
	CU_ASSERT_EQUAL(fm.add_keys, 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.err, "is not a PEM or DER X.509 "
				      "certificate"));
	run_free(&r);
	snprintf(key, sizeof(key), "%s/signing_key.pem", keydir);
	r = run_cli(&fm, "keys", "add", key, NULL);
	CU_ASSERT_EQUAL(r.rc, HP_EXIT_USAGE);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.err, "not the private key"));
	run_free(&r);
	r = run_cli(&fm, "keys", "add", "/nonexistent.pem", NULL);
	CU_ASSERT_EQUAL(r.rc, HP_EXIT_NOTFOUND);
	CU_ASSERT_STRING_EQUAL(r.err, "hotpatch: cannot read '/nonexistent.pem'"
			       ": No such file or directory (ENOENT)\n");
	run_free(&r);
	CU_ASSERT_EQUAL(fm.add_keys, 0);
}

static void test_keys_add_to_a_locked_keyring_says_it_is_locked(void)
{
	struct fake_mod fm = { .add_key_ret = -EPERM };
	struct run r;

	signing_core();
	fake_write("keys_locked", "1\n");
	r = run_cli(&fm, "keys", "add", pem, NULL);
	CU_ASSERT_EQUAL(r.rc, HP_EXIT_REFUSED);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.err, "the core's keyring is locked"));
	CU_ASSERT_PTR_NOT_NULL(strstr(r.err, "until the core is reloaded"));
	run_free(&r);
}

static void test_keys_add_explains_other_refusals(void)
{
	struct fake_mod fm = { .add_key_ret = -EKEYREJECTED };
	struct run r;

	signing_core();
	r = run_cli(&fm, "keys", "add", pem, NULL);
	CU_ASSERT_EQUAL(r.rc, HP_EXIT_REFUSED);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.err, "locked-down kernel"));
	run_free(&r);
	fm.add_key_ret = -EBADMSG;
	r = run_cli(&fm, "keys", "add", pem, NULL);
	CU_ASSERT_EQUAL(r.rc, HP_EXIT_REFUSED);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.err, "cannot parse"));
	run_free(&r);
	if (geteuid()) {
		fm.add_key_ret = -EACCES;
		r = run_cli(&fm, "keys", "add", pem, NULL);
		CU_ASSERT_EQUAL(r.rc, HP_EXIT_ENV);
		CU_ASSERT_PTR_NOT_NULL(strstr(r.err, "run as root"));
		run_free(&r);
	}
}

static void test_keys_add_needs_a_keyring_serial(void)
{
	struct fake_mod fm = { .add_key_ret = 1 };
	struct run r;

	signing_core();
	fake_write("keyring", "soon\n");
	r = run_cli(&fm, "keys", "add", pem, NULL);
	CU_ASSERT_EQUAL(r.rc, HP_EXIT_ERROR);
	CU_ASSERT_EQUAL(fm.add_keys, 0);
	run_free(&r);
}

static void test_keys_lock_writes_1_and_confirms_it(void)
{
	char buf[16];
	struct hp_sysfs *s;
	struct run r;

	signing_core();
	r = run_cli(NULL, "keys", "lock", NULL);
	CU_ASSERT_EQUAL(r.rc, HP_EXIT_OK);
	CU_ASSERT_STRING_EQUAL(r.out, "the core's keyring is locked until "
			       "the core is reloaded\n");
	run_free(&r);
	CU_ASSERT_EQUAL_FATAL(hp_sysfs_new(NULL, &s), 0);
	CU_ASSERT(hp_sysfs_read_attr(s, "keys_locked", buf, sizeof(buf)) > 0);
	CU_ASSERT_STRING_EQUAL(buf, "1");
	hp_sysfs_free(s);
	r = run_cli(NULL, "keys", "lock", "-j", NULL);	/* again: fine */
	CU_ASSERT_EQUAL(r.rc, HP_EXIT_OK);
	CU_ASSERT_PTR_NOT_NULL_FATAL(r.json);
	CU_ASSERT_TRUE(json_object_get_boolean(get(r.json, "keys_locked")));
	run_free(&r);
}

static void test_keys_lock_that_does_not_stick_is_an_error(void)
{
	struct run r;

	signing_core();
	fake_rmtree("keys_locked");
	fake_mkdir("keys_locked");	/* exists, cannot be written */
	r = run_cli(NULL, "keys", "lock", NULL);
	CU_ASSERT_NOT_EQUAL(r.rc, HP_EXIT_OK);
	run_free(&r);
}

void suite_cmd_keys(void)
{
	CU_pSuite s = test_suite("cmd_keys", init, cleanup);

	ADD_TEST(s, test_keys_list_prints_signer_key_id_and_origin);
	ADD_TEST(s, test_keys_list_in_json_parses_back);
	ADD_TEST(s, test_keys_on_a_core_without_signing_exit_4);
	ADD_TEST(s, test_keys_add_gives_the_kernel_der_from_pem);
	ADD_TEST(s, test_keys_add_of_der_passes_it_unchanged);
	ADD_TEST(s, test_keys_add_refuses_what_is_not_a_certificate);
	ADD_TEST(s, test_keys_add_to_a_locked_keyring_says_it_is_locked);
	ADD_TEST(s, test_keys_add_explains_other_refusals);
	ADD_TEST(s, test_keys_add_needs_a_keyring_serial);
	ADD_TEST(s, test_keys_lock_writes_1_and_confirms_it);
	ADD_TEST(s, test_keys_lock_that_does_not_stick_is_an_error);
}
