// SPDX-License-Identifier: GPL-2.0
/*
 * keys list | add CERT | lock: the certificates the core trusts for
 * manifest signatures (the core's ".hotpatch" keyring, docs/sysfs-abi.md).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "cli.h"

int do_keys(struct cli *cli)
{
	return cli->o.sub->fn(cli);
}

/* Files of older cores are missing: say so once, in one place. */
static int no_signing(struct cli *cli, int ret, const char *file)
{
	if (ret == -ENOENT)
		return cli_error(cli, HP_EXIT_ENV, ret, NULL,
				 "this core predates patch signing: update "
				 "the hotpatch core",
				 "the core has no %s/%s", hp_sysfs_root(cli->sys),
				 file);
	return cli_error(cli, cli_exit_for_refusal(ret), ret, NULL,
			 hp_errno_advice(ret), "cannot read %s/%s",
			 hp_sysfs_root(cli->sys), file);
}

int do_keys_list(struct cli *cli)
{
	static const char *const hdr[] = { "SIGNER", "KEY ID", "ORIGIN" };
	const struct hp_key *k;
	struct hp_keys *ks;
	struct hp_table *t;
	size_t i;
	int ret;

	ret = cli_need_core(cli);
	if (ret)
		return ret;
	ret = hp_sysfs_read_keys(cli->sys, &ks);
	if (ret)
		return no_signing(cli, ret, "keys");
	if (cli->o.json) {
		ret = cli_print_json(cli, hp_keys_to_json(ks));
		hp_keys_free(ks);
		return ret;
	}
	ret = hp_table_new(3, hdr, &t);
	for (i = 0; !ret && i < hp_keys_count(ks); i++) {
		k = hp_keys_get(ks, i);
		ret = hp_table_add_row(t, (const char *const[]){
			k->signer ? k->signer : k->description, k->key_id,
			k->origin });
	}
	if (!ret)
		ret = hp_table_print(t, cli->out);
	hp_table_free(t);
	hp_keys_free(ks);
	if (ret)
		return cli_error(cli, HP_EXIT_ERROR, ret, NULL, NULL,
				 "cannot print the keys");
	return HP_EXIT_OK;
}

static void ssl_msg(char *msg, size_t msgsz, const char *path,
		    const char *what)
{
	unsigned long e = ERR_peek_last_error();
	char detail[256] = "";

	if (e)
		ERR_error_string_n(e, detail, sizeof(detail));
	ERR_clear_error();
	snprintf(msg, msgsz, "'%s' is not %s%s%s", path, what,
		 detail[0] ? ": " : "", detail);
}

int cli_cert_der(const char *path, uint8_t **der, size_t *len, char *msg,
		 size_t msgsz)
{
	unsigned char *buf = NULL;
	X509 *x = NULL;
	FILE *f;
	int n, first;

	f = fopen(path, "rb");
	if (!f) {	/* the caller adds strerror() */
		snprintf(msg, msgsz, "cannot read '%s'", path);
		return -errno;
	}
	/* DER starts with a SEQUENCE tag; anything else is tried as PEM */
	first = fgetc(f);
	rewind(f);
	if (first == 0x30)
		x = d2i_X509_fp(f, NULL);
	else
		x = PEM_read_X509(f, NULL, NULL, NULL);
	fclose(f);
	if (!x) {
		ssl_msg(msg, msgsz, path, first == 0x30 ?
			"a DER X.509 certificate" :
			"a PEM or DER X.509 certificate");
		return -EBADMSG;
	}
	n = i2d_X509(x, &buf);
	X509_free(x);
	if (n <= 0) {
		ssl_msg(msg, msgsz, path, "an encodable certificate");
		return -EBADMSG;
	}
	*der = malloc(n);
	if (!*der) {
		OPENSSL_free(buf);
		return -ENOMEM;
	}
	memcpy(*der, buf, n);
	OPENSSL_free(buf);
	*len = (size_t)n;
	return 0;
}

/* keys_locked as 0/1, -1 when unknown */
static int read_locked(struct cli *cli)
{
	char buf[16];
	bool b;

	if (hp_sysfs_read_attr(cli->sys, "keys_locked", buf, sizeof(buf)) < 0 ||
	    hp_parse_bool(buf, &b))
		return -1;
	return b;
}

int do_keys_add(struct cli *cli)
{
	const char *path = cli->o.args[0];
	char msg[768], buf[32];
	json_object *doc;
	uint64_t keyring;
	uint8_t *der;
	size_t len;
	long serial;
	int ret;

	ret = cli_cert_der(path, &der, &len, msg, sizeof(msg));
	if (ret)
		return cli_error(cli, ret == -ENOENT ? HP_EXIT_NOTFOUND :
				 ret == -EACCES ? HP_EXIT_ENV :
				 ret == -EBADMSG ? HP_EXIT_USAGE :
				 HP_EXIT_ERROR, ret, NULL,
				 ret == -EBADMSG ? "give the certificate "
				 "(signing_cert.der or .pem), not the private "
				 "key or a signed module" : NULL, "%s", msg);
	ret = cli_need_core(cli);
	if (ret)
		goto out;
	ret = hp_sysfs_read_attr(cli->sys, "keyring", buf, sizeof(buf));
	if (ret < 0) {
		ret = no_signing(cli, ret, "keyring");
		goto out;
	}
	if (hp_parse_u64(buf, &keyring) || !keyring || keyring > INT32_MAX) {
		ret = cli_error(cli, HP_EXIT_ERROR, -EINVAL, NULL, NULL,
				"%s/keyring reads '%s', not a key serial",
				hp_sysfs_root(cli->sys), buf);
		goto out;
	}
	cli_info(cli, "adding %s (%zu bytes DER) to keyring %llu", path, len,
		 (unsigned long long)keyring);
	serial = cli->mod->add_key(cli, (int32_t)keyring, der, len);
	if (serial < 0) {
		ret = (int)serial;
		if (read_locked(cli) == 1 && (ret == -EPERM ||
					      ret == -EKEYREJECTED ||
					      ret == -EACCES))
			ret = cli_error(cli, HP_EXIT_REFUSED, ret, NULL,
					"the keyring stays locked until the "
					"core is reloaded: add certificates "
					"before 'hotpatch keys lock' runs",
					"cannot add '%s': the core's keyring "
					"is locked", path);
		else if ((ret == -EACCES || ret == -EPERM) && geteuid())
			ret = cli_error(cli, HP_EXIT_ENV, ret, NULL,
					"run as root",
					"cannot add '%s' to the core's keyring",
					path);
		else if (ret == -EKEYREJECTED || ret == -EPERM ||
			 ret == -ENOKEY)
			ret = cli_error(cli, HP_EXIT_REFUSED, ret, NULL,
					"on a locked-down kernel (secure boot), "
					"a certificate added at run time must be "
					"signed by a key of the kernel's builtin "
					"or secondary trusted keyring",
					"the kernel refused '%s' for the core's "
					"keyring", path);
		else if (ret == -EBADMSG || ret == -EINVAL || ret == -ENOPKG)
			ret = cli_error(cli, HP_EXIT_REFUSED, ret, NULL,
					"the kernel cannot parse this "
					"certificate or its algorithm: use an "
					"RSA certificate with a SHA-2 digest, as "
					"'hotpatch-sign keygen' makes",
					"the kernel refused '%s'", path);
		else
			ret = cli_error(cli, cli_exit_for_refusal(ret), ret,
					NULL, hp_errno_advice(ret),
					"cannot add '%s' to the core's keyring",
					path);
		goto out;
	}
	if (cli->o.json) {
		doc = json_object_new_object();
		if (doc) {
			json_object_object_add(doc, "certificate",
					       json_object_new_string(path));
			json_object_object_add(doc, "keyring",
					       json_object_new_int64((int64_t)keyring));
			json_object_object_add(doc, "serial",
					       json_object_new_int64(serial));
		}
		ret = cli_print_json(cli, doc);
	} else {
		fprintf(cli->out, "added '%s' to the core's keyring (key "
			"%ld)\n", path, serial);
		ret = HP_EXIT_OK;
	}
out:
	free(der);
	return ret;
}

int do_keys_lock(struct cli *cli)
{
	json_object *doc;
	char buf[16];
	int ret, locked;

	ret = cli_need_core(cli);
	if (ret)
		return ret;
	ret = hp_sysfs_read_attr(cli->sys, "keys_locked", buf, sizeof(buf));
	if (ret == -ENOENT)
		return no_signing(cli, ret, "keys_locked");
	locked = read_locked(cli);
	if (locked != 1) {
		ret = hp_sysfs_write_attr(cli->sys, "keys_locked", "1");
		if (ret)
			return cli_error(cli, cli_exit_for_refusal(ret), ret,
					 NULL, hp_errno_advice(ret),
					 "cannot lock the core's keyring");
		locked = read_locked(cli);
		if (locked != 1)
			return cli_error(cli, HP_EXIT_ERROR, -EIO, NULL, NULL,
					 "wrote 1 to %s/keys_locked, but it "
					 "reads %s", hp_sysfs_root(cli->sys),
					 locked == 0 ? "0" : "no valid value");
	} else {
		cli_info(cli, "the keyring was already locked");
	}
	if (cli->o.json) {
		doc = json_object_new_object();
		if (doc)
			json_object_object_add(doc, "keys_locked",
					       json_object_new_boolean(1));
		return cli_print_json(cli, doc);
	}
	fprintf(cli->out, "the core's keyring is locked until the core is "
		"reloaded\n");
	return HP_EXIT_OK;
}
