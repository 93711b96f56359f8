// SPDX-License-Identifier: GPL-2.0
/*
 * libhpsign: the appended kernel module signature, as the kernel's
 * scripts/sign-file writes it and kernel/module/signing.c reads it:
 *
 *	module bytes | PKCS#7 DER | struct module_signature | MODULE_SIG_STRING
 */
#include <errno.h>
#include <string.h>

#include "internal.h"

/* include/linux/module_signature.h */
#define PKEY_ID_PKCS7	2
struct module_signature {
	uint8_t algo;		/* 0 for PKCS#7 */
	uint8_t hash;		/* 0 */
	uint8_t id_type;	/* PKEY_ID_PKCS7 */
	uint8_t signer_len;	/* 0 */
	uint8_t key_id_len;	/* 0 */
	uint8_t pad[3];
	uint8_t sig_len[4];	/* big-endian */
};

#define MAGIC_LEN	(sizeof(HP_MODSIG_MAGIC) - 1)

int hp_modsig_split(const void *img, size_t len, size_t *elf_len,
		    const void **sig, size_t *sig_len)
{
	const uint8_t *p = img;
	struct module_signature ms;
	size_t n;

	_Static_assert(sizeof(ms) == 12, "struct module_signature is 12 bytes");
	*elf_len = len;
	*sig = NULL;
	*sig_len = 0;
	if (len < MAGIC_LEN || memcmp(p + len - MAGIC_LEN, HP_MODSIG_MAGIC, MAGIC_LEN))
		return 0;
	len -= MAGIC_LEN;
	if (len < sizeof(ms))
		return -EBADMSG;
	memcpy(&ms, p + len - sizeof(ms), sizeof(ms));
	len -= sizeof(ms);
	/* mod_check_sig(): PKCS#7 only, everything else zero */
	if (ms.id_type != PKEY_ID_PKCS7 || ms.algo || ms.hash ||
	    ms.signer_len || ms.key_id_len || ms.pad[0] || ms.pad[1] ||
	    ms.pad[2])
		return -EBADMSG;
	n = (size_t)ms.sig_len[0] << 24 | (size_t)ms.sig_len[1] << 16 |
	    (size_t)ms.sig_len[2] << 8 | ms.sig_len[3];
	if (!n || n > len)
		return -EBADMSG;
	*elf_len = len - n;
	*sig = p + len - n;
	*sig_len = n;
	return 0;
}

size_t hp_modsig_trailer(size_t pkcs7_len, uint8_t out[40])
{
	struct module_signature ms;

	memset(&ms, 0, sizeof(ms));
	ms.id_type = PKEY_ID_PKCS7;
	ms.sig_len[0] = (uint8_t)(pkcs7_len >> 24);
	ms.sig_len[1] = (uint8_t)(pkcs7_len >> 16);
	ms.sig_len[2] = (uint8_t)(pkcs7_len >> 8);
	ms.sig_len[3] = (uint8_t)pkcs7_len;
	memcpy(out, &ms, sizeof(ms));
	memcpy(out + sizeof(ms), HP_MODSIG_MAGIC, MAGIC_LEN);
	return sizeof(ms) + MAGIC_LEN;
}
