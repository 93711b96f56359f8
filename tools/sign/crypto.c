// SPDX-License-Identifier: GPL-2.0
/*
 * libhpsign: keys, certificates and PKCS#7 with OpenSSL 3.
 *
 * Signatures are made exactly as the kernel's scripts/sign-file makes them
 * (CMS_sign + CMS_add1_signer with NOCERTS, BINARY, NOSMIMECAP, NOATTR,
 * DETACHED; SHA-256; signer identified by issuer and serial): the kernel's
 * PKCS#7 parser accepts that for VERIFYING_MODULE_SIGNATURE, and kmod's
 * modinfo reads it. RSA PKCS#1 v1.5 is deterministic, so the same key
 * over the same bytes gives the same signature as sign-file, bit for bit.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/cms.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/pkcs7.h>
#include <openssl/rand.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "internal.h"

struct hp_signer {
	EVP_PKEY *key;
	X509 *cert;
};

struct hp_cert {
	X509 *cert;
};

/* ---- keygen ---------------------------------------------------------- */

static int add_ext(X509 *x, X509V3_CTX *ctx, int nid, const char *value)
{
	X509_EXTENSION *ext = X509V3_EXT_conf_nid(NULL, ctx, nid, value);
	int ok;

	if (!ext)
		return 0;
	ok = X509_add_ext(x, ext, -1);
	X509_EXTENSION_free(ext);
	return ok;
}

static int write_key_files(const struct hp_keygen_opts *o, EVP_PKEY *key,
			   X509 *x, struct hp_msg *msg)
{
	static const char *const names[] = {
		"signing_key.pem", "signing_cert.pem", "signing_cert.der",
	};
	char path[3][4096];
	int i, fd, ok, flags;
	BIO *bio;

	for (i = 0; i < 3; i++) {
		if (snprintf(path[i], sizeof(path[i]), "%s/%s", o->dir,
			     names[i]) >= (int)sizeof(path[i]))
			return hp_msg_set(msg, -ENAMETOOLONG, "%s: name too long",
					  o->dir);
		if (!o->force && !access(path[i], F_OK))
			return hp_msg_set(msg, -EEXIST,
					  "%s exists (use --force to overwrite)",
					  path[i]);
	}
	for (i = 0; i < 3; i++) {
		flags = O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC;
		fd = open(path[i], flags, i == 0 ? 0600 : 0644);
		if (fd < 0)
			return hp_msg_set(msg, -errno, "%s: %s", path[i],
					  strerror(errno));
		/* an existing key file keeps no wider mode than 0600 */
		if (i == 0 && fchmod(fd, 0600)) {
			close(fd);
			return hp_msg_set(msg, -errno, "%s: %s", path[i],
					  strerror(errno));
		}
		bio = BIO_new_fd(fd, BIO_CLOSE);
		if (!bio) {
			close(fd);
			return hp_msg_ssl(msg, -ENOMEM, "BIO_new_fd");
		}
		if (i == 0)
			ok = PEM_write_bio_PrivateKey(bio, key, NULL, NULL, 0,
						      NULL, NULL);
		else if (i == 1)
			ok = PEM_write_bio_X509(bio, x);
		else
			ok = i2d_X509_bio(bio, x);
		if (ok && BIO_flush(bio) != 1)
			ok = 0;
		BIO_free(bio);
		if (!ok)
			return hp_msg_ssl(msg, -EIO, path[i]);
	}
	return 0;
}

int hp_keygen(const struct hp_keygen_opts *o, struct hp_msg *msg)
{
	const char *cn = o->cn ? o->cn : "hotpatch signing key";
	int bits = o->bits ? o->bits : 4096;
	int days = o->days ? o->days : 3650;
	unsigned char serial[16];
	EVP_PKEY *key = NULL;
	X509_NAME *name;
	X509V3_CTX ctx;
	X509 *x = NULL;
	BIGNUM *bn = NULL;
	int err;

	if (bits < 2048 || bits > 16384)
		return hp_msg_set(msg, -EINVAL, "RSA key size %d not in 2048..16384",
				  bits);
	if (days < 1)
		return hp_msg_set(msg, -EINVAL, "validity %d days: must be >= 1",
				  days);
	if (mkdir(o->dir, 0700) && errno != EEXIST)
		return hp_msg_set(msg, -errno, "%s: %s", o->dir, strerror(errno));

	/* RSA: the test kernel has no ECDSA (CONFIG_CRYPTO_ECDSA off) */
	key = EVP_RSA_gen(bits);
	x = X509_new();
	if (!key || !x) {
		err = hp_msg_ssl(msg, -ENOMEM, "RSA key generation");
		goto out;
	}
	/* a positive random 128-bit serial: it is the modinfo sig_key */
	if (RAND_bytes(serial, sizeof(serial)) != 1) {
		err = hp_msg_ssl(msg, -EIO, "RAND_bytes");
		goto out;
	}
	serial[0] &= 0x7f;
	serial[0] |= 0x40;
	bn = BN_bin2bn(serial, sizeof(serial), NULL);
	name = X509_get_subject_name(x);
	if (!bn || !X509_set_version(x, 2) ||
	    !BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(x)) ||
	    !X509_gmtime_adj(X509_getm_notBefore(x), 0) ||
	    !X509_time_adj_ex(X509_getm_notAfter(x), days, 0, NULL) ||
	    !X509_set_pubkey(x, key) ||
	    !X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8,
					(const unsigned char *)cn, -1, -1, 0) ||
	    !X509_set_issuer_name(x, name)) {
		err = hp_msg_ssl(msg, -EINVAL, "certificate fields");
		goto out;
	}
	/* the extensions of the kernel's certs/default_x509.genkey */
	X509V3_set_ctx(&ctx, x, x, NULL, NULL, 0);
	if (!add_ext(x, &ctx, NID_basic_constraints, "critical,CA:FALSE") ||
	    !add_ext(x, &ctx, NID_key_usage, "digitalSignature") ||
	    !add_ext(x, &ctx, NID_subject_key_identifier, "hash") ||
	    !add_ext(x, &ctx, NID_authority_key_identifier, "keyid")) {
		err = hp_msg_ssl(msg, -EINVAL, "certificate extensions");
		goto out;
	}
	if (!X509_sign(x, key, EVP_sha256())) {
		err = hp_msg_ssl(msg, -EINVAL, "X509_sign");
		goto out;
	}
	err = write_key_files(o, key, x, msg);
out:
	BN_free(bn);
	X509_free(x);
	EVP_PKEY_free(key);
	return err;
}

/* ---- reading keys and certificates ------------------------------------ */

static X509 *read_x509(const char *path, struct hp_msg *msg, int *err)
{
	X509 *x = NULL;
	BIO *bio;

	bio = BIO_new_file(path, "rb");
	if (!bio) {
		*err = hp_msg_ssl(msg, -ENOENT, path);
		return NULL;
	}
	x = PEM_read_bio_X509(bio, NULL, NULL, NULL);
	if (!x) {
		ERR_clear_error();
		BIO_reset(bio);
		x = d2i_X509_bio(bio, NULL);
	}
	BIO_free(bio);
	if (!x)
		*err = hp_msg_ssl(msg, -EBADMSG, path);
	return x;
}

int hp_signer_read(const char *key_path, const char *cert_path,
		   struct hp_signer **out, struct hp_msg *msg)
{
	struct hp_signer *s;
	BIO *bio;
	int err = 0;

	s = calloc(1, sizeof(*s));
	if (!s)
		return -ENOMEM;
	bio = BIO_new_file(key_path, "rb");
	if (!bio) {
		err = hp_msg_ssl(msg, -ENOENT, key_path);
		goto out_free;
	}
	s->key = PEM_read_bio_PrivateKey(bio, NULL, NULL, NULL);
	BIO_free(bio);
	if (!s->key) {
		err = hp_msg_ssl(msg, -EBADMSG, key_path);
		goto out_free;
	}
	s->cert = read_x509(cert_path, msg, &err);
	if (!s->cert)
		goto out_free;
	if (X509_check_private_key(s->cert, s->key) != 1) {
		err = hp_msg_ssl(msg, -EKEYREJECTED,
				 "the key does not match the certificate");
		goto out_free;
	}
	if (EVP_PKEY_get_base_id(s->key) != EVP_PKEY_RSA) {
		err = hp_msg_set(msg, -EINVAL,
				 "%s: not an RSA key (the kernel verifies RSA only)",
				 key_path);
		goto out_free;
	}
	*out = s;
	return 0;
out_free:
	hp_signer_free(s);
	return err;
}

void hp_signer_free(struct hp_signer *s)
{
	if (!s)
		return;
	EVP_PKEY_free(s->key);
	X509_free(s->cert);
	free(s);
}

int hp_cert_read(const char *path, struct hp_cert **out, struct hp_msg *msg)
{
	struct hp_cert *c;
	int err = 0;

	c = calloc(1, sizeof(*c));
	if (!c)
		return -ENOMEM;
	c->cert = read_x509(path, msg, &err);
	if (!c->cert) {
		free(c);
		return err;
	}
	*out = c;
	return 0;
}

void hp_cert_free(struct hp_cert *c)
{
	if (!c)
		return;
	X509_free(c->cert);
	free(c);
}

/* ---- PKCS#7 ------------------------------------------------------------ */

int hp_pkcs7_sign(const struct hp_signer *s, const void *data, size_t len,
		  uint8_t **der, size_t *der_len, struct hp_msg *msg)
{
	CMS_ContentInfo *cms = NULL;
	unsigned char *out = NULL;
	BIO *bd;
	int n, err = 0;

	if (len > INT32_MAX)
		return hp_msg_set(msg, -EFBIG, "%zu bytes: too large to sign", len);
	bd = BIO_new_mem_buf(data, (int)len);
	if (!bd)
		return hp_msg_ssl(msg, -ENOMEM, "BIO_new_mem_buf");
	/* scripts/sign-file.c, OpenSSL >= 1.0 branch, default flags */
	cms = CMS_sign(NULL, NULL, NULL, NULL,
		       CMS_NOCERTS | CMS_PARTIAL | CMS_BINARY |
		       CMS_DETACHED | CMS_STREAM);
	if (!cms) {
		err = hp_msg_ssl(msg, -ENOMEM, "CMS_sign");
		goto out;
	}
	if (!CMS_add1_signer(cms, s->cert, s->key, EVP_sha256(),
			     CMS_NOCERTS | CMS_BINARY | CMS_NOSMIMECAP |
			     CMS_NOATTR)) {
		err = hp_msg_ssl(msg, -EINVAL, "CMS_add1_signer");
		goto out;
	}
	if (CMS_final(cms, bd, NULL, CMS_NOCERTS | CMS_BINARY) != 1) {
		err = hp_msg_ssl(msg, -EINVAL, "CMS_final");
		goto out;
	}
	n = i2d_CMS_ContentInfo(cms, &out);
	if (n <= 0) {
		err = hp_msg_ssl(msg, -EINVAL, "i2d_CMS_ContentInfo");
		goto out;
	}
	*der = malloc(n);
	if (!*der) {
		err = -ENOMEM;
		goto out;
	}
	memcpy(*der, out, n);
	*der_len = n;
out:
	OPENSSL_free(out);
	CMS_ContentInfo_free(cms);
	BIO_free(bd);
	return err;
}

static CMS_ContentInfo *cms_parse(const void *der, size_t len,
				  struct hp_msg *msg)
{
	const unsigned char *p = der;
	CMS_ContentInfo *cms;

	if (len > INT32_MAX) {
		hp_msg_set(msg, -EBADMSG, "PKCS#7 too large");
		return NULL;
	}
	cms = d2i_CMS_ContentInfo(NULL, &p, (long)len);
	if (!cms) {
		hp_msg_ssl(msg, -EBADMSG, "not a DER PKCS#7 message");
		return NULL;
	}
	if (p != (const unsigned char *)der + len) {
		hp_msg_set(msg, -EBADMSG, "%zu bytes after the PKCS#7 message",
			   (size_t)((const unsigned char *)der + len - p));
		CMS_ContentInfo_free(cms);
		return NULL;
	}
	if (OBJ_obj2nid(CMS_get0_type(cms)) != NID_pkcs7_signed) {
		hp_msg_set(msg, -EBADMSG, "PKCS#7 is not SignedData");
		CMS_ContentInfo_free(cms);
		return NULL;
	}
	return cms;
}

static void serial_hex(char *out, size_t size, const ASN1_INTEGER *serial)
{
	unsigned char buf[128];
	BIGNUM *bn = ASN1_INTEGER_to_BN(serial, NULL);
	int n, i;
	size_t pos = 0;

	out[0] = '\0';
	if (!bn)
		return;
	n = BN_num_bytes(bn);
	if (n <= (int)sizeof(buf)) {
		BN_bn2bin(bn, buf);
		/* as kmod prints sig_key: upper case, ':' between bytes */
		for (i = 0; i < n && pos + 4 <= size; i++)
			pos += snprintf(out + pos, size - pos, "%s%02X",
					i ? ":" : "", buf[i]);
	}
	BN_free(bn);
}

int hp_pkcs7_info(const void *der, size_t der_len, struct hp_sig_info *info,
		  struct hp_msg *msg)
{
	STACK_OF(CMS_SignerInfo) *sis;
	STACK_OF(X509) *certs;
	CMS_SignerInfo *si;
	X509_ALGOR *dig = NULL, *sig = NULL;
	const ASN1_OBJECT *obj;
	ASN1_OCTET_STRING *keyid = NULL;
	X509_NAME *issuer = NULL;
	ASN1_INTEGER *sno = NULL;
	CMS_ContentInfo *cms;
	int idx, err = 0;

	memset(info, 0, sizeof(*info));
	cms = cms_parse(der, der_len, msg);
	if (!cms)
		return -EBADMSG;
	sis = CMS_get0_SignerInfos(cms);
	info->nr_signers = sis ? sk_CMS_SignerInfo_num(sis) : 0;
	if (info->nr_signers != 1) {
		err = hp_msg_set(msg, -EBADMSG, "%d signers, expected one",
				 info->nr_signers);
		goto out;
	}
	si = sk_CMS_SignerInfo_value(sis, 0);
	certs = CMS_get1_certs(cms);
	info->has_certs = certs && sk_X509_num(certs) > 0;
	sk_X509_pop_free(certs, X509_free);
	info->has_signed_attrs = CMS_signed_get_attr_count(si) > 0;
	CMS_SignerInfo_get0_algs(si, NULL, NULL, &dig, &sig);
	if (dig) {
		X509_ALGOR_get0(&obj, NULL, NULL, dig);
		snprintf(info->hash, sizeof(info->hash), "%s",
			 OBJ_nid2sn(OBJ_obj2nid(obj)));
		/* kmod spells it in lower case */
		for (idx = 0; info->hash[idx]; idx++)
			if (info->hash[idx] >= 'A' && info->hash[idx] <= 'Z')
				info->hash[idx] += 'a' - 'A';
	}
	if (sig) {
		X509_ALGOR_get0(&obj, NULL, NULL, sig);
		snprintf(info->algo, sizeof(info->algo), "%s",
			 OBJ_obj2nid(obj) == NID_rsaEncryption ? "rsa" :
			 OBJ_nid2sn(OBJ_obj2nid(obj)));
	}
	if (CMS_SignerInfo_get0_signer_id(si, &keyid, &issuer, &sno) != 1) {
		err = hp_msg_ssl(msg, -EBADMSG, "signer identifier");
		goto out;
	}
	if (issuer && sno) {
		idx = X509_NAME_get_index_by_NID(issuer, NID_commonName, -1);
		if (idx >= 0) {
			ASN1_STRING *s = X509_NAME_ENTRY_get_data(
				X509_NAME_get_entry(issuer, idx));
			int n = ASN1_STRING_length(s);

			if (n >= (int)sizeof(info->signer))
				n = sizeof(info->signer) - 1;
			memcpy(info->signer, ASN1_STRING_get0_data(s), n);
			info->signer[n] = '\0';
		}
		serial_hex(info->key_id, sizeof(info->key_id), sno);
	} else if (keyid) {
		/* signed with sign-file -k: subject key identifier */
		int i, n = ASN1_STRING_length(keyid);
		const unsigned char *d = ASN1_STRING_get0_data(keyid);
		size_t pos = 0;

		for (i = 0; i < n && pos + 4 <= sizeof(info->key_id); i++)
			pos += snprintf(info->key_id + pos,
					sizeof(info->key_id) - pos, "%s%02X",
					i ? ":" : "", d[i]);
	}
out:
	CMS_ContentInfo_free(cms);
	return err;
}

int hp_pkcs7_verify(const void *der, size_t der_len, const void *data,
		    size_t len, const struct hp_cert *cert, struct hp_msg *msg)
{
	STACK_OF(CMS_SignerInfo) *sis;
	STACK_OF(X509) *certs = NULL;
	CMS_ContentInfo *cms;
	BIO *content = NULL;
	int err = 0;

	cms = cms_parse(der, der_len, msg);
	if (!cms)
		return -EBADMSG;
	sis = CMS_get0_SignerInfos(cms);
	if (!sis || sk_CMS_SignerInfo_num(sis) != 1) {
		err = hp_msg_set(msg, -EBADMSG, "expected exactly one signer");
		goto out;
	}
	if (CMS_SignerInfo_cert_cmp(sk_CMS_SignerInfo_value(sis, 0),
				    cert->cert) != 0) {
		err = hp_msg_set(msg, -ENOKEY,
				 "signed by another key than the given certificate's");
		goto out;
	}
	if (len > INT32_MAX) {
		err = hp_msg_set(msg, -EFBIG, "%zu bytes: too large", len);
		goto out;
	}
	certs = sk_X509_new_null();
	content = BIO_new_mem_buf(data, (int)len);
	if (!certs || !content || !sk_X509_push(certs, cert->cert)) {
		err = hp_msg_ssl(msg, -ENOMEM, "CMS_verify setup");
		goto out;
	}
	/* the certificate is the trust anchor: no chain, as with a keyring */
	if (CMS_verify(cms, certs, NULL, content, NULL,
		       CMS_BINARY | CMS_NO_SIGNER_CERT_VERIFY) != 1) {
		err = hp_msg_ssl(msg, -EKEYREJECTED,
				 "signature does not match the signed bytes");
		goto out;
	}
	ERR_clear_error();
out:
	sk_X509_free(certs);	/* the cert itself stays cert's */
	BIO_free(content);
	CMS_ContentInfo_free(cms);
	return err;
}
