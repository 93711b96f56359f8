// SPDX-License-Identifier: GPL-2.0
/*
 * keyring.c - the core's keyring of trusted patch certificates
 *
 * ".hotpatch" holds X.509 certificates (kernel keys of type "asymmetric").
 * The core verifies every patch manifest signature against it (stage.c).
 * It is filled with the certificates built into hotpatch.ko (make
 * HOTPATCH_CERTS=<DER file>, one or more DER certificates concatenated),
 * and an administrator may add more at run time with add_key(2) on its
 * serial (/sys/kernel/hotpatch/keyring), until the keyring is locked
 * (keys_locked: one way, until the core is reloaded). The keyring's
 * restriction is what refuses additions after the lock, with -EPERM,
 * whoever asks and however (add_key, KEYCTL_LINK, in-kernel).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cred.h>
#include <linux/err.h>
#include <linux/key.h>
#include <linux/kobject.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/sysfs.h>
#include <keys/asymmetric-type.h>
#include "keyring.h"

static struct key *hp_keyring;

/*
 * Set once, never cleared while the core is loaded. Written under
 * hp_lock_mutex (so that "lock" is logged once); read without it by the
 * keyring restriction, which runs under the keyring's own lock.
 */
static bool hp_keys_locked;
static DEFINE_MUTEX(hp_lock_mutex);

/*
 * Key ids ("id:<hex>" for keyring_search()) of the certificates that went
 * into the keyring, to list them in sysfs: the keys API has no exported
 * way to walk a keyring. A removed key is simply not found any more.
 * Protected by hp_ids_lock (the restriction runs under the keyring lock,
 * so this must not sleep).
 */
#define HP_MAX_KEYS		64
#define HP_KEY_ID_HEX		(2 * 64 + 1)
static DEFINE_SPINLOCK(hp_ids_lock);
static char hp_key_ids[HP_MAX_KEYS][HP_KEY_ID_HEX];
static unsigned int hp_nr_key_ids;

/* Hex of the id a certificate is best known by: its subject key id. */
static void hp_kid_hex(const struct asymmetric_key_ids *kids, char *buf,
		       size_t len)
{
	const struct asymmetric_key_id *kid;

	buf[0] = '\0';
	if (!kids)
		return;
	kid = kids->id[1] ? kids->id[1] : kids->id[0];
	if (!kid || len < 2 * (size_t)kid->len + 1)
		return;
	bin2hex(buf, kid->data, kid->len);
	buf[2 * kid->len] = '\0';
}

static void hp_remember(const char *hex)
{
	unsigned int i;

	if (!hex[0])
		return;
	spin_lock(&hp_ids_lock);
	for (i = 0; i < hp_nr_key_ids; i++)
		if (!strcmp(hp_key_ids[i], hex))
			goto out;
	if (hp_nr_key_ids < HP_MAX_KEYS)
		strscpy(hp_key_ids[hp_nr_key_ids++], hex, HP_KEY_ID_HEX);
out:
	spin_unlock(&hp_ids_lock);
}

/*
 * The keyring's restriction: called for every key about to be linked in,
 * except the built-in ones (KEY_ALLOC_BYPASS_RESTRICTION).
 */
static int hp_restrict(struct key *keyring, const struct key_type *type,
		       const union key_payload *payload, struct key *unused)
{
	char hex[HP_KEY_ID_HEX];

	if (type != &key_type_asymmetric)
		return -EOPNOTSUPP;
	hp_kid_hex(payload->data[asym_key_ids], hex, sizeof(hex));
	if (READ_ONCE(hp_keys_locked)) {
		pr_warn("keyring is locked: refused certificate %s from pid %d (%s)\n",
			hex[0] ? hex : "(no id)", task_pid_nr(current),
			current->comm);
		return -EPERM;
	}
	hp_remember(hex);
	pr_notice("certificate %s added to the keyring by pid %d (%s)\n",
		  hex[0] ? hex : "(no id)", task_pid_nr(current),
		  current->comm);
	return 0;
}

/* Length of the DER element at @p (a certificate is one SEQUENCE), or 0. */
static size_t hp_der_len(const u8 *p, size_t avail)
{
	size_t len, hdr = 2;
	unsigned int n, i;

	if (avail < 2 || p[0] != 0x30)
		return 0;
	len = p[1];
	if (len & 0x80) {
		n = len & 0x7f;
		if (n < 1 || n > 3 || avail < 2 + n)
			return 0;
		for (len = 0, i = 0; i < n; i++)
			len = len << 8 | p[2 + i];
		hdr += n;
	}
	if (len > avail - hdr)
		return 0;
	return hdr + len;
}

static int hp_load_builtin(void)
{
	const u8 *p = hotpatch_builtin_certs, *end = hotpatch_builtin_certs_end;
	const struct asymmetric_key_ids *kids;
	char hex[HP_KEY_ID_HEX];
	key_ref_t key;
	size_t len;

	while (p < end) {
		len = hp_der_len(p, end - p);
		if (!len) {
			pr_err("built-in certificates: malformed DER at offset %zu\n",
			       (size_t)(p - hotpatch_builtin_certs));
			return -EBADMSG;
		}
		key = key_create_or_update(make_key_ref(hp_keyring, 1),
					   "asymmetric", NULL, p, len,
					   (KEY_POS_ALL & ~KEY_POS_SETATTR) |
					   KEY_USR_VIEW | KEY_USR_READ,
					   KEY_ALLOC_NOT_IN_QUOTA |
					   KEY_ALLOC_BUILT_IN |
					   KEY_ALLOC_BYPASS_RESTRICTION);
		if (IS_ERR(key)) {
			pr_err("built-in certificate refused (%ld)\n",
			       PTR_ERR(key));
			return PTR_ERR(key);
		}
		kids = asymmetric_key_ids(key_ref_to_ptr(key));
		hp_kid_hex(kids, hex, sizeof(hex));
		hp_remember(hex);
		pr_info("built-in certificate '%s'\n",
			key_ref_to_ptr(key)->description);
		key_ref_put(key);
		p += len;
	}
	return 0;
}

int hotpatch_keyring_init(void)
{
	struct key_restriction *restriction;
	int ret;

	restriction = kzalloc(sizeof(*restriction), GFP_KERNEL);
	if (!restriction)
		return -ENOMEM;
	restriction->check = hp_restrict;

	/*
	 * Root (the owner) may read, search and add (write); nobody else
	 * sees it. The keyring frees @restriction when it is destroyed.
	 */
	hp_keyring = keyring_alloc(".hotpatch", GLOBAL_ROOT_UID, GLOBAL_ROOT_GID,
				   current_cred(),
				   (KEY_POS_ALL & ~KEY_POS_SETATTR) |
				   KEY_USR_VIEW | KEY_USR_READ |
				   KEY_USR_SEARCH | KEY_USR_WRITE,
				   KEY_ALLOC_NOT_IN_QUOTA | KEY_ALLOC_SET_KEEP,
				   restriction, NULL);
	if (IS_ERR(hp_keyring)) {
		ret = PTR_ERR(hp_keyring);
		kfree(restriction);
		hp_keyring = NULL;
		pr_err("cannot allocate the keyring (%d)\n", ret);
		return ret;
	}
	ret = hp_load_builtin();
	if (ret) {
		hotpatch_keyring_exit();
		return ret;
	}
	return 0;
}

void hotpatch_keyring_exit(void)
{
	if (!hp_keyring)
		return;
	/*
	 * The restriction points into this module: revoke the keyring so
	 * that nobody can reach it by serial any more before it is freed.
	 */
	key_revoke(hp_keyring);
	key_put(hp_keyring);
	hp_keyring = NULL;
}

struct key *hotpatch_keyring(void)
{
	return hp_keyring;
}

/**
 * hotpatch_keyring_key_id() - hex id of the trusted key that signed
 * @issuer:	the signer's issuer Name, as in the PKCS#7 (raw)
 * @issuer_len:	its length
 * @serial:	the signer's serial number (raw)
 * @serial_len:	its length
 * @key_id:	result: the key's subject key id in hex, as its description
 *		in the keyring (and /sys/kernel/hotpatch/keys) shows it
 * @key_id_len:	size of @key_id
 *
 * Return: 0, or -ENOKEY when no key of the keyring matches.
 */
int hotpatch_keyring_key_id(const void *issuer, size_t issuer_len,
			    const void *serial, size_t serial_len,
			    char *key_id, size_t key_id_len)
{
	struct asymmetric_key_id *kid;
	struct key *key;

	key_id[0] = '\0';
	if (!issuer || !serial)
		return -ENOKEY;
	kid = asymmetric_key_generate_id(serial, serial_len, issuer, issuer_len);
	if (IS_ERR(kid))
		return PTR_ERR(kid);
	key = find_asymmetric_key(hp_keyring, kid, NULL, NULL, false);
	kfree(kid);
	if (IS_ERR(key))
		return -ENOKEY;
	hp_kid_hex(asymmetric_key_ids(key), key_id, key_id_len);
	key_put(key);
	return key_id[0] ? 0 : -ENOKEY;
}

/* /sys/kernel/hotpatch/keyring: the keyring's serial, for add_key(2) */
static ssize_t keyring_show(struct kobject *kobj, struct kobj_attribute *attr,
			    char *buf)
{
	return sysfs_emit(buf, "%d\n", key_serial(hp_keyring));
}

/* /sys/kernel/hotpatch/keys: "<description>\t<builtin|added>" per key */
static ssize_t keys_show(struct kobject *kobj, struct kobj_attribute *attr,
			 char *buf)
{
	char id[HP_KEY_ID_HEX + 3] = "id:";
	unsigned int i, n;
	ssize_t len = 0;
	key_ref_t ref;
	struct key *key;

	spin_lock(&hp_ids_lock);
	n = hp_nr_key_ids;
	spin_unlock(&hp_ids_lock);
	for (i = 0; i < n; i++) {
		/* entries below hp_nr_key_ids never change */
		strscpy(id + 3, hp_key_ids[i], sizeof(id) - 3);
		ref = keyring_search(make_key_ref(hp_keyring, 1),
				     &key_type_asymmetric, id, false);
		if (IS_ERR(ref))
			continue;
		key = key_ref_to_ptr(ref);
		len += sysfs_emit_at(buf, len, "%s\t%s\n", key->description,
				     test_bit(KEY_FLAG_BUILTIN, &key->flags) ?
				     "builtin" : "added");
		key_ref_put(ref);
	}
	return len;
}

static ssize_t keys_locked_show(struct kobject *kobj,
				struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%d\n", READ_ONCE(hp_keys_locked));
}

static ssize_t keys_locked_store(struct kobject *kobj,
				 struct kobj_attribute *attr,
				 const char *buf, size_t count)
{
	bool lock;
	int ret;

	ret = kstrtobool(buf, &lock);
	if (ret)
		return ret;
	mutex_lock(&hp_lock_mutex);
	if (!lock) {
		ret = READ_ONCE(hp_keys_locked) ? -EPERM : 0;
	} else if (!READ_ONCE(hp_keys_locked)) {
		WRITE_ONCE(hp_keys_locked, true);
		pr_notice("keyring locked by pid %d (%s): no certificate can be added until the core is reloaded\n",
			  task_pid_nr(current), current->comm);
	}
	mutex_unlock(&hp_lock_mutex);
	return ret ? ret : count;
}

struct kobj_attribute hotpatch_keyring_attr = __ATTR_RO(keyring);
struct kobj_attribute hotpatch_keys_attr = __ATTR_RO(keys);
struct kobj_attribute hotpatch_keys_locked_attr = __ATTR_RW(keys_locked);
