// SPDX-License-Identifier: GPL-2.0
/*
 * tools/sign/{crypto,patchmod,verify}.c: keys, signing a module, and the
 * offline verifier, end to end on a throwaway key.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "testlib.h"

static char keys_a[1024], keys_b[1024], work[1024];
static char key_a[1100], cert_a[1100], cert_b[1100];

static int init(void)
{
	struct hp_keygen_opts o = { .bits = 2048, .cn = "hotpatch unit test A" };
	struct hp_msg m = { "" };
	char cmd[8400];

	snprintf(keys_a, sizeof(keys_a), "%s/tmp/keys-a", OUT_DIR);
	snprintf(keys_b, sizeof(keys_b), "%s/tmp/keys-b", OUT_DIR);
	snprintf(work, sizeof(work), "%s/tmp/sign", OUT_DIR);
	snprintf(cmd, sizeof(cmd), "rm -rf %s %s %s && mkdir -p %s", keys_a,
		 keys_b, work, work);
	if (system(cmd))
		return 1;
	o.dir = keys_a;
	if (hp_keygen(&o, &m))
		return fprintf(stderr, "keygen: %s\n", m.text), 1;
	o.dir = keys_b;
	o.cn = "hotpatch unit test B";
	if (hp_keygen(&o, &m))
		return fprintf(stderr, "keygen: %s\n", m.text), 1;
	snprintf(key_a, sizeof(key_a), "%s/signing_key.pem", keys_a);
	snprintf(cert_a, sizeof(cert_a), "%s/signing_cert.pem", keys_a);
	snprintf(cert_b, sizeof(cert_b), "%s/signing_cert.der", keys_b);
	return 0;
}

/* work/<name>.ko: the test module with the baseline manifest, signed */
static const char *signed_module(const char *name)
{
	static char path[4300];
	struct hp_signer *s;
	struct hp_msg m = { "" };
	uint8_t *mf;
	size_t len;

	snprintf(path, sizeof(path), "%s/%s.ko", work, name);
	mf = test_manifest(&len);
	CU_ASSERT_EQUAL_FATAL(hp_patchmod_set_section(TESTMOD, path,
						      HOTPATCH_MANIFEST_SECTION,
						      mf, len, &m), 0);
	free(mf);
	CU_ASSERT_EQUAL_FATAL(hp_signer_read(key_a, cert_a, &s, &m), 0);
	CU_ASSERT_EQUAL_FATAL(hp_patchmod_sign(path, path, s, 0, &m), 0);
	hp_signer_free(s);
	return path;
}

static enum hp_check_status status_of(const struct hp_report *r,
				      const char *check, const char **detail)
{
	enum hp_check_status st, found = (enum hp_check_status)-1;
	const char *name, *d;
	size_t i;

	for (i = 0; i < hp_report_count(r); i++) {
		hp_report_get(r, i, &name, &st, &d);
		if (!strcmp(name, check)) {
			if (detail)
				*detail = d;
			if (st == HP_CHECK_FAIL || found == (enum hp_check_status)-1)
				found = st;
		}
	}
	return found;
}

static void test_keygen_writes_a_private_key_only_the_owner_reads(void)
{
	struct hp_keygen_opts o = { .dir = keys_a, .bits = 2048 };
	struct hp_msg m = { "" };
	struct stat st;

	CU_ASSERT_EQUAL_FATAL(stat(key_a, &st), 0);
	CU_ASSERT_EQUAL(st.st_mode & 0777, 0600);
	CU_ASSERT_EQUAL(hp_keygen(&o, &m), -EEXIST);
	CU_ASSERT_PTR_NOT_NULL(strstr(m.text, "--force"));
	o.bits = 1024;
	o.force = true;
	CU_ASSERT_EQUAL(hp_keygen(&o, &m), -EINVAL);
}

static void test_a_signed_module_passes_every_check(void)
{
	const char *mod = signed_module("good");
	struct hp_verify_opts o = {
		.cert = cert_a, .kernel_release = "6.1.0-56-cloud-amd64",
		.build_id_hex = "0102030405060708090a0b0c0d0e0f1011121314",
		.require_module_sig = true,
	};
	struct hp_report *r;
	struct hp_msg m = { "" };

	CU_ASSERT_EQUAL_FATAL(hp_verify(mod, &o, &r, &m), 0);
	CU_ASSERT_TRUE(hp_report_ok(r));
	CU_ASSERT_EQUAL(status_of(r, "manifest", NULL), HP_CHECK_PASS);
	CU_ASSERT_EQUAL(status_of(r, "sections", NULL), HP_CHECK_PASS);
	CU_ASSERT_EQUAL(status_of(r, "name", NULL), HP_CHECK_PASS);
	CU_ASSERT_EQUAL(status_of(r, "manifest-signature", NULL), HP_CHECK_PASS);
	CU_ASSERT_EQUAL(status_of(r, "module-signature", NULL), HP_CHECK_PASS);
	CU_ASSERT_EQUAL(status_of(r, "kernel-release", NULL), HP_CHECK_PASS);
	CU_ASSERT_EQUAL(status_of(r, "build-id", NULL), HP_CHECK_PASS);
	CU_ASSERT_EQUAL(status_of(r, "symbols", NULL), HP_CHECK_SKIP);
	CU_ASSERT_EQUAL(status_of(r, "patch-symbols", NULL), HP_CHECK_PASS);
	hp_report_free(r);
}

static void test_the_signatures_have_the_format_the_kernel_accepts(void)
{
	const char *mod = signed_module("format");
	struct hp_patchmod *pm;
	struct hp_sig_info si;
	struct hp_msg m = { "" };
	const void *sig;
	size_t len;
	int i;

	CU_ASSERT_EQUAL_FATAL(hp_patchmod_read(mod, &pm, &m), 0);
	for (i = 0; i < 2; i++) {
		sig = i ? hp_patchmod_module_sig(pm, &len) :
			  hp_patchmod_manifest_sig(pm, &len);
		CU_ASSERT_PTR_NOT_NULL_FATAL(sig);
		CU_ASSERT_EQUAL_FATAL(hp_pkcs7_info(sig, len, &si, &m), 0);
		CU_ASSERT_STRING_EQUAL(si.signer, "hotpatch unit test A");
		CU_ASSERT_STRING_EQUAL(si.hash, "sha256");
		CU_ASSERT_STRING_EQUAL(si.algo, "rsa");
		CU_ASSERT_FALSE(si.has_signed_attrs);
		CU_ASSERT_FALSE(si.has_certs);
		CU_ASSERT_EQUAL(si.nr_signers, 1);
		CU_ASSERT(strlen(si.key_id) >= 2);
	}
	hp_patchmod_free(pm);
}

static void test_signing_refuses_a_module_without_a_manifest(void)
{
	char out[4300];
	struct hp_signer *s;
	struct hp_verify_opts o = { .cert = cert_a };
	struct hp_report *r;
	struct hp_msg m = { "" };

	snprintf(out, sizeof(out), "%s/plain.ko", work);
	CU_ASSERT_EQUAL_FATAL(hp_signer_read(key_a, cert_a, &s, &m), 0);
	CU_ASSERT_EQUAL(hp_patchmod_sign(TESTMOD, out, s, 0, &m), -ENOENT);
	CU_ASSERT_PTR_NOT_NULL(strstr(m.text, "--module-only"));
	CU_ASSERT_EQUAL(hp_patchmod_sign(TESTMOD, out, s, HP_SIGN_MODULE_ONLY, &m), 0);
	hp_signer_free(s);
	CU_ASSERT_EQUAL_FATAL(hp_verify(out, &o, &r, &m), 0);
	CU_ASSERT_FALSE(hp_report_ok(r));
	CU_ASSERT_EQUAL(status_of(r, "manifest", NULL), HP_CHECK_FAIL);
	CU_ASSERT_EQUAL(status_of(r, "module-signature", NULL), HP_CHECK_PASS);
	hp_report_free(r);
}

static void test_signing_refuses_an_invalid_manifest(void)
{
	char out[4300];
	struct hp_signer *s;
	struct hp_msg m = { "" };
	uint8_t *mf;
	size_t len;

	snprintf(out, sizeof(out), "%s/invalid.ko", work);
	mf = test_manifest(&len);
	mf[8] = 9;	/* version 9 */
	CU_ASSERT_EQUAL_FATAL(hp_patchmod_set_section(TESTMOD, out,
						      HOTPATCH_MANIFEST_SECTION,
						      mf, len, &m), 0);
	free(mf);
	CU_ASSERT_EQUAL_FATAL(hp_signer_read(key_a, cert_a, &s, &m), 0);
	CU_ASSERT_EQUAL(hp_patchmod_sign(out, out, s, 0, &m), -EINVAL);
	CU_ASSERT_PTR_NOT_NULL(strstr(m.text, "version 9"));
	hp_signer_free(s);
}

static void test_a_changed_manifest_byte_breaks_both_signatures(void)
{
	const char *mod = signed_module("tampered");
	struct hp_verify_opts o = { .cert = cert_a };
	struct hp_patchmod *pm;
	struct hp_report *r;
	struct hp_msg m = { "" };
	const uint8_t *mf, *img;
	uint8_t *buf;
	size_t len, mf_len, off;

	CU_ASSERT_EQUAL_FATAL(hp_patchmod_read(mod, &pm, &m), 0);
	img = hp_patchmod_image(pm, &len);
	mf = hp_patchmod_manifest(pm, &mf_len);
	buf = malloc(len);
	memcpy(buf, img, len);
	off = (const uint8_t *)memmem(img, len, mf, mf_len) - img;
	/* the old size of the first function: still a valid manifest */
	buf[off + 96 + 2 * 56 + 8] ^= 1;
	hp_patchmod_free(pm);
	test_write(mod, buf, len);
	free(buf);

	CU_ASSERT_EQUAL_FATAL(hp_verify(mod, &o, &r, &m), 0);
	CU_ASSERT_EQUAL(status_of(r, "manifest", NULL), HP_CHECK_PASS);
	CU_ASSERT_EQUAL(status_of(r, "manifest-signature", NULL), HP_CHECK_FAIL);
	CU_ASSERT_EQUAL(status_of(r, "module-signature", NULL), HP_CHECK_FAIL);
	CU_ASSERT_FALSE(hp_report_ok(r));
	hp_report_free(r);
}

static void test_another_keys_certificate_is_refused(void)
{
	const char *mod = signed_module("otherkey");
	struct hp_verify_opts o = { .cert = cert_b };
	const uint8_t *data, *sig;
	size_t len, sig_len;
	struct hp_patchmod *pm;
	struct hp_cert *c;
	struct hp_report *r;
	struct hp_msg m = { "" };
	const char *detail = "";

	CU_ASSERT_EQUAL_FATAL(hp_verify(mod, &o, &r, &m), 0);
	CU_ASSERT_EQUAL(status_of(r, "manifest-signature", &detail), HP_CHECK_FAIL);
	CU_ASSERT_PTR_NOT_NULL(strstr(detail, "another key"));
	CU_ASSERT_EQUAL(status_of(r, "module-signature", NULL), HP_CHECK_FAIL);
	hp_report_free(r);

	CU_ASSERT_EQUAL_FATAL(hp_patchmod_read(mod, &pm, &m), 0);
	CU_ASSERT_EQUAL_FATAL(hp_cert_read(cert_b, &c, &m), 0);
	data = hp_patchmod_manifest(pm, &len);
	sig = hp_patchmod_manifest_sig(pm, &sig_len);
	CU_ASSERT_EQUAL(hp_pkcs7_verify(sig, sig_len, data, len, c, &m), -ENOKEY);
	CU_ASSERT_EQUAL(hp_pkcs7_verify(sig, sig_len - 1, data, len, c, &m), -EBADMSG);
	hp_cert_free(c);
	hp_patchmod_free(pm);
}

static void test_signing_again_replaces_the_signatures(void)
{
	const char *mod = signed_module("resign");
	struct hp_verify_opts o = { .cert = cert_a };
	struct hp_signer *s;
	struct hp_report *r;
	struct hp_msg m = { "" };
	struct stat st1, st2;
	uint8_t *a, *b;
	size_t la, lb;

	CU_ASSERT_EQUAL_FATAL(stat(mod, &st1), 0);
	a = test_read(mod, &la);
	CU_ASSERT_EQUAL_FATAL(hp_signer_read(key_a, cert_a, &s, &m), 0);
	CU_ASSERT_EQUAL_FATAL(hp_patchmod_sign(mod, mod, s, 0, &m), 0);
	hp_signer_free(s);
	CU_ASSERT_EQUAL_FATAL(stat(mod, &st2), 0);
	b = test_read(mod, &lb);
	/* same key, same bytes: RSA PKCS#1 v1.5 is deterministic */
	CU_ASSERT_EQUAL(la, lb);
	CU_ASSERT(la == lb && !memcmp(a, b, la));
	free(a);
	free(b);
	CU_ASSERT_EQUAL_FATAL(hp_verify(mod, &o, &r, &m), 0);
	CU_ASSERT_TRUE(hp_report_ok(r));
	hp_report_free(r);
}

static void test_verification_lists_every_problem_at_once(void)
{
	static const char map[] =
		"ffffffff81001000 t show_val_kb\n"
		"ffffffff81001100 T cmdline_proc_show\n"
		"ffffffff81001110 t show_val_kb\n"
		"ffffffff81002000 T _etext\n";
	const char *mod = signed_module("problems");
	char path[4300];
	struct hp_verify_opts o = {
		.cert = cert_a, .kernel_release = "6.1.0-99-cloud-amd64",
		.build_id_file = BUILDID_SO, .system_map = path,
	};
	struct hp_report *r;
	struct hp_msg m = { "" };
	const char *name, *detail;
	enum hp_check_status st;
	unsigned int fails = 0;
	size_t i;

	snprintf(path, sizeof(path), "%s/System.map", work);
	test_write(path, map, sizeof(map) - 1);
	CU_ASSERT_EQUAL_FATAL(hp_verify(mod, &o, &r, &m), 0);
	for (i = 0; i < hp_report_count(r); i++) {
		hp_report_get(r, i, &name, &st, &detail);
		if (st == HP_CHECK_FAIL)
			fails++;
	}
	/* release, build-id, cmdline_proc_show too big for its 16-byte gap,
	 * meminfo_proc_show missing */
	CU_ASSERT_EQUAL(fails, 4);
	CU_ASSERT_EQUAL(status_of(r, "kernel-release", NULL), HP_CHECK_FAIL);
	CU_ASSERT_EQUAL(status_of(r, "build-id", NULL), HP_CHECK_FAIL);
	CU_ASSERT_EQUAL(status_of(r, "symbol", NULL), HP_CHECK_FAIL);
	CU_ASSERT_EQUAL(status_of(r, "manifest-signature", NULL), HP_CHECK_PASS);
	hp_report_free(r);
}

static void test_reports_and_descriptions_are_valid_json(void)
{
	const char *mod = signed_module("json");
	struct hp_verify_opts o = { .cert = cert_a };
	json_object *j, *back, *v;
	struct hp_patchmod *pm;
	struct hp_report *r;
	struct hp_cert *c;
	struct hp_msg m = { "" };

	CU_ASSERT_EQUAL_FATAL(hp_verify(mod, &o, &r, &m), 0);
	j = hp_report_to_json(r);
	back = json_tokener_parse(json_object_to_json_string(j));
	CU_ASSERT_PTR_NOT_NULL_FATAL(back);
	CU_ASSERT_TRUE(json_object_object_get_ex(back, "ok", &v));
	CU_ASSERT_TRUE(json_object_get_boolean(v));
	CU_ASSERT_TRUE(json_object_object_get_ex(back, "checks", &v));
	CU_ASSERT_EQUAL(json_object_array_length(v), hp_report_count(r));
	json_object_put(back);
	json_object_put(j);
	hp_report_free(r);

	CU_ASSERT_EQUAL_FATAL(hp_patchmod_read(mod, &pm, &m), 0);
	CU_ASSERT_EQUAL_FATAL(hp_cert_read(cert_a, &c, &m), 0);
	j = hp_patchmod_describe(pm, c);
	back = json_tokener_parse(json_object_to_json_string(j));
	CU_ASSERT_PTR_NOT_NULL_FATAL(back);
	v = json_object_object_get(json_object_object_get(back, "manifest"), "name");
	CU_ASSERT_STRING_EQUAL(json_object_get_string(v), "hp_test");
	v = json_object_object_get(json_object_object_get(back, "module_signature"),
				   "valid");
	CU_ASSERT_TRUE(json_object_get_boolean(v));
	v = json_object_object_get(json_object_object_get(back, "manifest_signature"),
				   "signer");
	CU_ASSERT_STRING_EQUAL(json_object_get_string(v), "hotpatch unit test A");
	json_object_put(back);
	json_object_put(j);
	hp_cert_free(c);
	hp_patchmod_free(pm);
}

static void test_a_manifest_section_with_relocations_is_refused(void)
{
	static const char reloc_src[] =
		"int x;\n__attribute__((section(\".hotpatch.manifest\"), used))\n"
		"static int *const p = &x;\n";
	char src[4400], obj[4400], cmd[9000];
	struct hp_patchmod *pm;
	struct hp_msg m = { "" };

	/* a pointer in the manifest section: relocated at load, unsignable */
	snprintf(src, sizeof(src), "%s/reloc.c", work);
	snprintf(obj, sizeof(obj), "%s/reloc.ko", work);
	test_write(src, reloc_src, strlen(reloc_src));
	snprintf(cmd, sizeof(cmd), "gcc -c -o %s %s", obj, src);
	CU_ASSERT_EQUAL_FATAL(system(cmd), 0);
	CU_ASSERT_EQUAL_FATAL(hp_patchmod_read(obj, &pm, &m), 0);
	CU_ASSERT_EQUAL(hp_patchmod_check_sections(pm, &m), -ENOEXEC);
	CU_ASSERT_PTR_NOT_NULL(strstr(m.text, "relocations"));
	hp_patchmod_free(pm);
}

static void test_the_sections_get_the_symbols_the_core_finds_them_by(void)
{
	static const char src_text[] =
		"__attribute__((section(\".hotpatch.manifest\"), used, aligned(8)))\n"
		"static const unsigned char mf[8] = { 1 };\n"
		"int f(void);\nint f(void) { return 0; }\n";
	char src[1200], obj[1200], cmd[3000];
	struct hp_patchmod *pm;
	struct hp_msg m = { "" };
	uint8_t *mf;
	size_t len;

	/* a manifest section without its marker symbol */
	snprintf(src, sizeof(src), "%s/nomarker.c", work);
	snprintf(obj, sizeof(obj), "%s/nomarker.ko", work);
	test_write(src, src_text, strlen(src_text));
	snprintf(cmd, sizeof(cmd), "gcc -c -o %s %s", obj, src);
	CU_ASSERT_EQUAL_FATAL(system(cmd), 0);
	CU_ASSERT_EQUAL_FATAL(hp_patchmod_read(obj, &pm, &m), 0);
	CU_ASSERT_EQUAL(hp_patchmod_check_sections(pm, &m), -ENOEXEC);
	CU_ASSERT_PTR_NOT_NULL(strstr(m.text, HOTPATCH_MANIFEST_SYM));
	hp_patchmod_free(pm);

	/* replacing the section adds it, with the new size */
	mf = test_manifest(&len);
	CU_ASSERT_EQUAL_FATAL(hp_patchmod_set_section(obj, obj,
						      HOTPATCH_MANIFEST_SECTION,
						      mf, len, &m), 0);
	free(mf);
	CU_ASSERT_EQUAL_FATAL(hp_patchmod_read(obj, &pm, &m), 0);
	CU_ASSERT_EQUAL(hp_patchmod_check_sections(pm, &m), 0);
	CU_ASSERT_TRUE(hp_patchmod_has_symbol(pm, HOTPATCH_MANIFEST_SYM));
	CU_ASSERT_TRUE(hp_patchmod_has_symbol(pm, "f"));
	hp_patchmod_free(pm);
}

/* kernel/manifest.c's signer reader agrees with OpenSSL (and modinfo) */
static void test_the_shared_signer_reader_agrees_with_openssl(void)
{
	const char *mod = signed_module("sigid");
	char signer[64], key_id[128], cmd[4400], path[1200];
	struct hotpatch_sig_id id;
	struct hp_patchmod *pm;
	struct hp_sig_info si;
	struct hp_msg m = { "" };
	const uint8_t *sig;
	uint8_t *der, *copy;
	size_t len, i, n;
	int bit, ret;

	CU_ASSERT_EQUAL_FATAL(hp_patchmod_read(mod, &pm, &m), 0);
	for (i = 0; i < 2; i++) {
		sig = i ? hp_patchmod_module_sig(pm, &len) :
			  hp_patchmod_manifest_sig(pm, &len);
		CU_ASSERT_EQUAL_FATAL(hp_pkcs7_info(sig, len, &si, &m), 0);
		CU_ASSERT_EQUAL_FATAL(hotpatch_sig_signer(sig, len, &id), 0);
		hotpatch_sig_id_names(&id, signer, sizeof(signer), key_id,
				      sizeof(key_id));
		CU_ASSERT_STRING_EQUAL(signer, si.signer);
		CU_ASSERT_STRING_EQUAL(key_id, si.key_id);
		CU_ASSERT_STRING_EQUAL(id.hash, si.hash);
		CU_ASSERT_EQUAL(id.nr_signers, 1);
		CU_ASSERT_PTR_NOT_NULL(id.issuer);
		CU_ASSERT_PTR_NULL(id.skid);
	}
	/* every truncation and bit flip: parsed or -EBADMSG, in bounds */
	sig = hp_patchmod_manifest_sig(pm, &len);
	for (n = 0; n < len; n++) {
		copy = malloc(n ? n : 1);
		memcpy(copy, sig, n);
		CU_ASSERT_EQUAL(hotpatch_sig_signer(copy, n, &id), -EBADMSG);
		free(copy);
	}
	copy = malloc(len);
	memcpy(copy, sig, len);
	for (n = 0; n < len; n++)
		for (bit = 0; bit < 8; bit++) {
			copy[n] ^= 1u << bit;
			ret = hotpatch_sig_signer(copy, len, &id);
			CU_ASSERT(ret == 0 || ret == -EBADMSG);
			if (!ret)
				hotpatch_sig_id_names(&id, signer, sizeof(signer),
						      key_id, sizeof(key_id));
			copy[n] ^= 1u << bit;
		}
	free(copy);
	/* a tiny key id buffer is cut, not overrun */
	CU_ASSERT_EQUAL(hotpatch_sig_signer(sig, len, &id), 0);
	hotpatch_sig_id_names(&id, signer, 4, key_id, 4);
	CU_ASSERT_EQUAL(strlen(signer), 3);
	CU_ASSERT_EQUAL(strlen(key_id), 2);
	hp_patchmod_free(pm);

	/* a signer named by subject key identifier (sign-file -k) */
	snprintf(path, sizeof(path), "%s/skid.der", work);
	snprintf(cmd, sizeof(cmd),
		 "openssl cms -sign -binary -noattr -nocerts -nosmimecap -keyid "
		 "-md sha384 -outform DER -signer %s -inkey %s -in %s -out %s",
		 cert_a, key_a, TESTMOD, path);
	CU_ASSERT_EQUAL_FATAL(system(cmd), 0);
	der = test_read(path, &len);
	CU_ASSERT_EQUAL(hotpatch_sig_signer(der, len, &id), 0);
	CU_ASSERT_PTR_NULL(id.issuer);
	CU_ASSERT_PTR_NOT_NULL(id.skid);
	CU_ASSERT_EQUAL(id.skid_len, 20);
	CU_ASSERT_STRING_EQUAL(id.hash, "sha384");
	free(der);
}

static const struct test tests[] = {
	{ "keygen writes a private key only the owner reads", test_keygen_writes_a_private_key_only_the_owner_reads },
	{ "a signed module passes every check", test_a_signed_module_passes_every_check },
	{ "the signatures have the format the kernel accepts", test_the_signatures_have_the_format_the_kernel_accepts },
	{ "signing refuses a module without a manifest", test_signing_refuses_a_module_without_a_manifest },
	{ "signing refuses an invalid manifest", test_signing_refuses_an_invalid_manifest },
	{ "a changed manifest byte breaks both signatures", test_a_changed_manifest_byte_breaks_both_signatures },
	{ "another key's certificate is refused", test_another_keys_certificate_is_refused },
	{ "signing again replaces the signatures", test_signing_again_replaces_the_signatures },
	{ "verification lists every problem at once", test_verification_lists_every_problem_at_once },
	{ "reports and descriptions are valid JSON", test_reports_and_descriptions_are_valid_json },
	{ "a manifest section with relocations is refused", test_a_manifest_section_with_relocations_is_refused },
	{ "the sections get the symbols the core finds them by", test_the_sections_get_the_symbols_the_core_finds_them_by },
	{ "the shared signer reader agrees with OpenSSL", test_the_shared_signer_reader_agrees_with_openssl },
	{ NULL, NULL },
};

const struct suite suite_sign = { "signing and verification", tests, init, NULL };
