/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _HOTPATCH_KEYRING_H
#define _HOTPATCH_KEYRING_H

#include <linux/key.h>
#include <linux/sysfs.h>

/*
 * The core's keyring of trusted patch certificates: the certificates built
 * into hotpatch.ko, plus those an administrator adds until the keyring is
 * locked (one way, until the core is reloaded).
 */
int hotpatch_keyring_init(void);
void hotpatch_keyring_exit(void);
struct key *hotpatch_keyring(void);
int hotpatch_keyring_key_id(const void *issuer, size_t issuer_len,
			    const void *serial, size_t serial_len,
			    char *key_id, size_t key_id_len);

/* certs.S: the built-in certificates, DER, concatenated (maybe none) */
extern const u8 hotpatch_builtin_certs[];
extern const u8 hotpatch_builtin_certs_end[];

extern struct kobj_attribute hotpatch_keyring_attr;
extern struct bin_attribute hotpatch_keys_attr;
extern struct kobj_attribute hotpatch_keys_locked_attr;

#endif /* _HOTPATCH_KEYRING_H */
