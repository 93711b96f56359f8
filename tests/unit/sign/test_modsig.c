// SPDX-License-Identifier: GPL-2.0
/* tools/sign/modsig.c: the appended module signature trailer */
#include <errno.h>
#include <string.h>

#include "testlib.h"

static void test_a_trailer_round_trips(void)
{
	uint8_t img[100 + 7 + 40], t[40];
	const void *sig;
	size_t elf_len, sig_len, n;

	memset(img, 'E', 100);
	memset(img + 100, 'S', 7);
	n = hp_modsig_trailer(7, t);
	CU_ASSERT_EQUAL(n, 40);
	/* struct module_signature: id_type PKEY_ID_PKCS7, big-endian length */
	CU_ASSERT_EQUAL(t[2], 2);
	CU_ASSERT_EQUAL(t[11], 7);
	CU_ASSERT_EQUAL(memcmp(t + 12, "~Module signature appended~\n", 28), 0);
	memcpy(img + 107, t, 40);
	CU_ASSERT_EQUAL(hp_modsig_split(img, sizeof(img), &elf_len, &sig, &sig_len), 0);
	CU_ASSERT_EQUAL(elf_len, 100);
	CU_ASSERT_EQUAL(sig_len, 7);
	CU_ASSERT_PTR_EQUAL(sig, img + 100);
}

static void test_an_unsigned_image_has_no_signature(void)
{
	const void *sig;
	size_t elf_len, sig_len;

	CU_ASSERT_EQUAL(hp_modsig_split("abc", 3, &elf_len, &sig, &sig_len), 0);
	CU_ASSERT_EQUAL(elf_len, 3);
	CU_ASSERT_PTR_NULL(sig);
	CU_ASSERT_EQUAL(sig_len, 0);
}

static void test_malformed_trailers_are_refused(void)
{
	uint8_t img[10 + 40];
	const void *sig;
	size_t elf_len, sig_len;

	memset(img, 'E', 10);
	hp_modsig_trailer(11, img + 10);	/* longer than what precedes */
	CU_ASSERT_EQUAL(hp_modsig_split(img, sizeof(img), &elf_len, &sig, &sig_len),
			-EBADMSG);
	hp_modsig_trailer(0, img + 10);		/* empty */
	CU_ASSERT_EQUAL(hp_modsig_split(img, sizeof(img), &elf_len, &sig, &sig_len),
			-EBADMSG);
	hp_modsig_trailer(5, img + 10);
	img[10 + 2] = 1;			/* id_type PKEY_ID_X509 */
	CU_ASSERT_EQUAL(hp_modsig_split(img, sizeof(img), &elf_len, &sig, &sig_len),
			-EBADMSG);
	img[10 + 2] = 2;
	img[10 + 5] = 1;			/* pad */
	CU_ASSERT_EQUAL(hp_modsig_split(img, sizeof(img), &elf_len, &sig, &sig_len),
			-EBADMSG);
	/* magic alone, no room for the struct */
	CU_ASSERT_EQUAL(hp_modsig_split(img + 22, 28, &elf_len, &sig, &sig_len),
			-EBADMSG);
}

static const struct test tests[] = {
	{ "a trailer round trips", test_a_trailer_round_trips },
	{ "an unsigned image has no signature", test_an_unsigned_image_has_no_signature },
	{ "malformed trailers are refused", test_malformed_trailers_are_refused },
	{ NULL, NULL },
};

const struct suite suite_modsig = { "module signature trailer", tests, NULL, NULL };
