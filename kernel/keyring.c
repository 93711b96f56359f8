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
#include <linux/list.h>
#include <linux/minmax.h>
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
 * way to walk a keyring. A removed key is simply not found any more. The
 * id is the subject key id; for a certificate without one, issuer and
 * serial number (asymmetric_key_ids id[0], which x509_key_preparse() sets
 * for every certificate). Entries are only added (to the tail) while the
 * core is loaded, and freed by hotpatch_keyring_exit(); hp_ids_lock
 * protects the list (the restriction runs under the keyring's lock).
 */
struct hp_key_id {
	struct list_head node;
	char hex[];
};
static DEFINE_SPINLOCK(hp_ids_lock);
static LIST_HEAD(hp_key_ids);
static size_t hp_key_ids_size;	/* of them all as "id:<hex>\0" */

/* Hex of @kid into @buf (2 * kid->len + 1 bytes). */
static void hp_kid_to_hex(const struct asymmetric_key_id *kid, char *buf)
{
	bin2hex(buf, kid->data, kid->len);
	buf[2 * kid->len] = '\0';
}

/* The id to find a certificate by (see hp_key_ids); NULL if it has none. */
static const struct asymmetric_key_id *
hp_search_kid(const struct asymmetric_key_ids *kids)
{
	if (!kids)
		return NULL;
	return kids->id[1] ? kids->id[1] : kids->id[0];
}

/* Hex of the certificate's subject key id, "" without one (or no room). */
static void hp_kid_hex(const struct asymmetric_key_ids *kids, char *buf,
		       size_t len)
{
	const struct asymmetric_key_id *kid = kids ? kids->id[1] : NULL;

	buf[0] = '\0';
	if (kid && len >= 2 * (size_t)kid->len + 1)
		hp_kid_to_hex(kid, buf);
}

/* An entry for @kids' search id, not yet on the list; NULL without one. */
static struct hp_key_id *hp_key_id_alloc(const struct asymmetric_key_ids *kids)
{
	const struct asymmetric_key_id *kid = hp_search_kid(kids);
	struct hp_key_id *e;

	if (!kid)
		return NULL;
	e = kmalloc(sizeof(*e) + 2 * kid->len + 1, GFP_KERNEL);
	if (e)
		hp_kid_to_hex(kid, e->hex);
	return e;
}

/* Add @e to the list unless its id is there; frees it if so. */
static void hp_remember(struct hp_key_id *e)
{
	struct hp_key_id *old;

	if (!e)
		return;
	spin_lock(&hp_ids_lock);
	list_for_each_entry(old, &hp_key_ids, node) {
		if (!strcmp(old->hex, e->hex)) {
			spin_unlock(&hp_ids_lock);
			kfree(e);
			return;
		}
	}
	list_add_tail(&e->node, &hp_key_ids);
	hp_key_ids_size += strlen("id:") + strlen(e->hex) + 1;
	spin_unlock(&hp_ids_lock);
}

/*
 * The keyring's restriction: called for every key about to be linked in,
 * except the built-in ones (KEY_ALLOC_BYPASS_RESTRICTION).
 */
static int hp_restrict(struct key *keyring, const struct key_type *type,
		       const union key_payload *payload, struct key *unused)
{
	struct hp_key_id *e;

	if (type != &key_type_asymmetric)
		return -EOPNOTSUPP;
	/* the restriction runs where add_key() and KEYCTL_LINK may sleep */
	e = hp_key_id_alloc(payload->data[asym_key_ids]);
	if (READ_ONCE(hp_keys_locked)) {
		pr_warn("keyring is locked: refused certificate %s from pid %d (%s)\n",
			e ? e->hex : "(no id)", task_pid_nr(current),
			current->comm);
		kfree(e);
		return -EPERM;
	}
	pr_notice("certificate %s added to the keyring by pid %d (%s)\n",
		  e ? e->hex : "(no id)", task_pid_nr(current),
		  current->comm);
	hp_remember(e);
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
		hp_remember(hp_key_id_alloc(asymmetric_key_ids(key_ref_to_ptr(key))));
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
	struct hp_key_id *e, *tmp;

	list_for_each_entry_safe(e, tmp, &hp_key_ids, node) {
		list_del(&e->node);
		kfree(e);
	}
	hp_key_ids_size = 0;
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

/*
 * A copy of the search ids, "id:<hex>" each, NUL-separated, so that the
 * keys can be looked up without hp_ids_lock. Return: its length, or
 * -ENOMEM; *@out is for kvfree().
 */
static ssize_t hp_key_ids_copy(char **out)
{
	struct hp_key_id *e;
	size_t size, len = 0;
	char *buf;

	spin_lock(&hp_ids_lock);
	size = hp_key_ids_size;
	spin_unlock(&hp_ids_lock);
	for (;;) {
		buf = kvmalloc(size + 1, GFP_KERNEL);
		if (!buf)
			return -ENOMEM;
		spin_lock(&hp_ids_lock);
		if (hp_key_ids_size <= size)
			break;
		/* more were added meanwhile: again */
		size = hp_key_ids_size;
		spin_unlock(&hp_ids_lock);
		kvfree(buf);
	}
	list_for_each_entry(e, &hp_key_ids, node)
		len += sprintf(buf + len, "id:%s", e->hex) + 1;
	spin_unlock(&hp_ids_lock);
	*out = buf;
	return len;
}

/*
 * /sys/kernel/hotpatch/keys: "<description>\t<builtin|added>" per key, as
 * many as there are (a binary attribute: it may be longer than a page).
 * Each read makes the text afresh and returns the part at @off.
 */
static ssize_t keys_read(struct file *file, struct kobject *kobj,
			 struct bin_attribute *attr, char *buf, loff_t off,
			 size_t count)
{
	char *ids, *id, *text = NULL;
	size_t len = 0, room = 0;
	ssize_t ret, n;
	key_ref_t ref;
	struct key *key;

	n = hp_key_ids_copy(&ids);
	if (n < 0)
		return n;
	for (id = ids; id < ids + n; id += strlen(id) + 1) {
		ref = keyring_search(make_key_ref(hp_keyring, 1),
				     &key_type_asymmetric, id, false);
		if (IS_ERR(ref))
			continue;
		key = key_ref_to_ptr(ref);
		ret = strlen(key->description) + sizeof("\tbuiltin\n");
		if (len + ret > room) {
			char *t = kvmalloc(2 * (len + ret), GFP_KERNEL);

			if (!t) {
				key_ref_put(ref);
				ret = -ENOMEM;
				goto out;
			}
			if (text)
				memcpy(t, text, len);
			kvfree(text);
			text = t;
			room = 2 * (len + ret);
		}
		len += scnprintf(text + len, room - len, "%s\t%s\n",
				 key->description,
				 test_bit(KEY_FLAG_BUILTIN, &key->flags) ?
				 "builtin" : "added");
		key_ref_put(ref);
	}
	ret = 0;
	if (off < len) {
		ret = min_t(size_t, count, len - off);
		memcpy(buf, text + off, ret);
	}
out:
	kvfree(text);
	kvfree(ids);
	return ret;
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
struct bin_attribute hotpatch_keys_attr = __BIN_ATTR_RO(keys, 0);
struct kobj_attribute hotpatch_keys_locked_attr = __ATTR_RW(keys_locked);
