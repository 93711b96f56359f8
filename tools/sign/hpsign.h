/* SPDX-License-Identifier: GPL-2.0 */
/*
 * libhpsign: patch manifests, signing and offline verification.
 *
 * Used by hotpatch-sign (tools/sign/main.c), by `hotpatch verify` (tools/cli)
 * and by the builder to write manifests. Conventions as in libhotpatch:
 * opaque objects with _read/_new and _free (NULL-safe), actions return 0 or
 * a negative errno and never print or exit; where more can be said than an
 * errno, an optional struct hp_msg receives one line of explanation.
 *
 * Link: $(O)/sign/libhpsign.a $(LIBHPSIGN_LDLIBS) (see sign.mk); sign.mk
 * adds -I$(TOOLS)/sign to CFLAGS, which this header needs.
 *
 * Formats: docs/manifest.md. Threat model: docs/threat-model.md.
 */
#ifndef _HOTPATCH_HPSIGN_H
#define _HOTPATCH_HPSIGN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <json-c/json.h>

#include "../../kernel/manifest.h"

/* One line of explanation for a failed action (OpenSSL / libelf detail). */
struct hp_msg {
	char text[512];
};

/* ---- appended kernel module signature (modsig.c) ---------------------- */

#define HP_MODSIG_MAGIC		"~Module signature appended~\n"

/*
 * Split a module image into the signed part and its appended PKCS#7.
 * Returns 0 and sets *elf_len / *sig, *sig_len (NULL, 0 when the image has
 * no signature: then *elf_len == len); -EBADMSG when the trailer is
 * malformed (the kernel's mod_check_sig() rules).
 */
int hp_modsig_split(const void *img, size_t len, size_t *elf_len,
		    const void **sig, size_t *sig_len);
/* The 40-byte trailer for a PKCS#7 of pkcs7_len bytes: struct
 * module_signature (12 bytes) + magic (28). Returns its length. */
size_t hp_modsig_trailer(size_t pkcs7_len, uint8_t out[40]);

/* ---- keys, certificates, PKCS#7 (crypto.c) ----------------------------- */

struct hp_signer;	/* private key + certificate */
struct hp_cert;		/* a trusted certificate for verification */

struct hp_keygen_opts {
	const char *dir;	/* created if missing */
	const char *cn;		/* default "hotpatch signing key" */
	int days;		/* default 3650 */
	int bits;		/* RSA bits, default 4096 */
	bool force;		/* overwrite existing files */
};
/* Writes DIR/signing_key.pem (0600), DIR/signing_cert.pem, DIR/signing_cert.der. */
int hp_keygen(const struct hp_keygen_opts *opts, struct hp_msg *msg);

int hp_signer_read(const char *key_path, const char *cert_path,
		   struct hp_signer **out, struct hp_msg *msg);
void hp_signer_free(struct hp_signer *s);
/* PEM or DER */
int hp_cert_read(const char *path, struct hp_cert **out, struct hp_msg *msg);
void hp_cert_free(struct hp_cert *c);

/*
 * Detached PKCS#7 (CMS SignedData, SHA-256, no signed attributes, no
 * certificates, signer by issuer and serial) over data: the format of the
 * kernel's scripts/sign-file. *der is malloc'ed.
 */
int hp_pkcs7_sign(const struct hp_signer *s, const void *data, size_t len,
		  uint8_t **der, size_t *der_len, struct hp_msg *msg);

/* What a PKCS#7 says about itself (as modinfo shows it). */
struct hp_sig_info {
	char signer[256];	/* issuer CN (modinfo "signer") */
	char key_id[256];	/* serial, "AB:CD:.." (modinfo "sig_key") */
	char hash[32];		/* digest algorithm, "sha256" (modinfo "sig_hashalgo") */
	char algo[32];		/* "rsa" or the OID's short name */
	bool has_signed_attrs;	/* the kernel refuses module sigs with them */
	bool has_certs;		/* sign-file embeds none */
	int nr_signers;
};
/* -EBADMSG when der is not one DER PKCS#7 SignedData with one signer. */
int hp_pkcs7_info(const void *der, size_t der_len, struct hp_sig_info *info,
		  struct hp_msg *msg);
/*
 * Verify a detached PKCS#7 over data against cert (no chain: the cert is
 * the trust anchor, as a key in the kernel's keyring is). Returns 0,
 * -EBADMSG (unparsable), -ENOKEY (signed by another key),
 * -EKEYREJECTED (signature does not match the data).
 */
int hp_pkcs7_verify(const void *der, size_t der_len, const void *data,
		    size_t len, const struct hp_cert *cert, struct hp_msg *msg);

/* ---- patch modules on disk (patchmod.c) -------------------------------- */

struct hp_patchmod;

/* Reads the whole file; -ENOEXEC if it is not an ELF64 relocatable object
 * (modules are ET_REL), -EBADMSG for a malformed appended signature. */
int hp_patchmod_read(const char *path, struct hp_patchmod **out,
		     struct hp_msg *msg);
void hp_patchmod_free(struct hp_patchmod *pm);
const char *hp_patchmod_path(const struct hp_patchmod *pm);
/* Section bytes, NULL when absent (*len = 0) */
const void *hp_patchmod_manifest(const struct hp_patchmod *pm, size_t *len);
const void *hp_patchmod_manifest_sig(const struct hp_patchmod *pm, size_t *len);
/* Appended PKCS#7, NULL when unsigned; the signed bytes are the first
 * hp_patchmod_signed_len() bytes of hp_patchmod_image(). */
const void *hp_patchmod_module_sig(const struct hp_patchmod *pm, size_t *len);
const void *hp_patchmod_image(const struct hp_patchmod *pm, size_t *len);
size_t hp_patchmod_signed_len(const struct hp_patchmod *pm);
/* A defined symbol (any type but SECTION/FILE) of that name */
bool hp_patchmod_has_symbol(const struct hp_patchmod *pm, const char *name);
/* .modinfo "name=" value, NULL when absent */
const char *hp_patchmod_modinfo(const struct hp_patchmod *pm, const char *key);
/* Problems with the manifest/signature sections themselves (flags, relocs):
 * 0 or -ENOEXEC with msg */
int hp_patchmod_check_sections(const struct hp_patchmod *pm,
			       struct hp_msg *msg);

#define HP_SIGN_MODULE_ONLY	(1U << 0)	/* no manifest: module sig only */
/*
 * Sign in_path into out_path (may be the same; replaced atomically):
 * strips an existing appended signature, unless HP_SIGN_MODULE_ONLY adds or
 * replaces HOTPATCH_SIG_SECTION with the PKCS#7 over the manifest section
 * (refusing a module without one: -ENOENT, or with an invalid one: the
 * parser's errno), then appends the module signature.
 */
int hp_patchmod_sign(const char *in_path, const char *out_path,
		     const struct hp_signer *s, unsigned int flags,
		     struct hp_msg *msg);
/* Add or replace an ELF section (SHT_PROGBITS, SHF_ALLOC) in a module;
 * drops an appended signature (the module needs signing again). */
int hp_patchmod_set_section(const char *in_path, const char *out_path,
			    const char *name, const void *data, size_t len,
			    struct hp_msg *msg);

/* ---- manifest writer (mfbuild.c) --------------------------------------- */

struct hp_mfbuild;

int hp_mfbuild_new(const char *name, const char *release,
		   const uint8_t *build_id, size_t build_id_len,
		   struct hp_mfbuild **out);
void hp_mfbuild_free(struct hp_mfbuild *b);
void hp_mfbuild_set_flags(struct hp_mfbuild *b, uint32_t flags);
void hp_mfbuild_set_mode(struct hp_mfbuild *b, uint32_t mode);
/* Patch metadata (NULL / 0 = none). With any of it, build() writes a
 * version-2 manifest, else version 1 (which older cores read too). The
 * rules are the parser's (docs/manifest.md): build() refuses what it would.
 * -EINVAL for an empty string, -ENOMEM. */
/* Append CVE ids (separated by spaces or commas) to *list (malloc'ed,
 * space-separated, NULL at first), skipping ids already listed: 0,
 * -EINVAL for an id that is not CVE-YYYY-NNNN, -ENOMEM. */
int hp_cve_list_add(char **list, const char *ids);
int hp_mfbuild_set_meta(struct hp_mfbuild *b, const char *description,
			const char *series, uint32_t patch_version,
			const char *cves);
/* Objects and functions may be added in any order; build() sorts them.
 * srcversion and build_id may be NULL/0. */
int hp_mfbuild_add_obj(struct hp_mfbuild *b, const char *name,
		       const char *srcversion, const uint8_t *build_id,
		       size_t build_id_len);
/* obj must have been added; tramp may be NULL */
int hp_mfbuild_add_func(struct hp_mfbuild *b, const char *obj,
			const char *old_name, uint32_t old_sympos,
			uint32_t old_size, const char *new_name,
			const char *tramp_name);
/* Serialise and check with the shared parser: 0 or its errno (msg says
 * why). *buf is malloc'ed. */
int hp_mfbuild_build(struct hp_mfbuild *b, uint8_t **buf, size_t *len,
		     struct hp_msg *msg);

/* ---- the target kernel (target.c) -------------------------------------- */

/* "ab12..." (even number of hex digits, 1..32 bytes) */
int hp_build_id_parse(const char *hex, uint8_t *id, size_t *len);
/* GNU build-id from an ELF file (vmlinux, a module) or a raw notes blob
 * (/sys/kernel/notes, /sys/module/X/notes/.note.gnu.build-id):
 * -ENOENT when it has none. */
int hp_build_id_read(const char *path, uint8_t *id, size_t *len,
		     struct hp_msg *msg);

struct hp_symtab;	/* symbols of the target kernel */
/* System.map or /proc/kallsyms ("addr type name [module]"): sizes are
 * upper bounds (gap to the next symbol; none when addresses read as 0).
 * vmlinux with .symtab: exact sizes. */
int hp_symtab_read_system_map(const char *path, struct hp_symtab **out,
			      struct hp_msg *msg);
int hp_symtab_read_elf(const char *path, struct hp_symtab **out,
		       struct hp_msg *msg);
void hp_symtab_free(struct hp_symtab *t);
/*
 * Find name,sympos in object obj ("vmlinux" or NULL: the kernel; else a
 * module, known only from /proc/kallsyms) as livepatch does (sympos 0: the
 * name must be unique; n: the n-th in address order). 0 and *size (0 if
 * unknown), *exact; -ENOENT missing, -ENOTUNIQ ambiguous with sympos 0,
 * -ERANGE sympos too big.
 */
int hp_symtab_lookup(const struct hp_symtab *t, const char *obj,
		     const char *name, uint32_t sympos, uint64_t *addr,
		     uint64_t *size, bool *exact);
/* Does the table have symbols of obj ("vmlinux"/NULL or a module)? */
bool hp_symtab_has_obj(const struct hp_symtab *t, const char *obj);

/* ---- offline verification (verify.c) ------------------------------------ */

enum hp_check_status {
	HP_CHECK_PASS,
	HP_CHECK_FAIL,
	HP_CHECK_SKIP,		/* not checked: no input for it */
};

struct hp_verify_opts {
	const char *cert;		/* required for the signature checks */
	const char *kernel_release;	/* NULL: not checked */
	const char *build_id_hex;	/* NULL: not checked */
	const char *build_id_file;	/* vmlinux, module or notes file */
	const char *system_map;		/* System.map of the target */
	const char *vmlinux;		/* vmlinux with .symtab (exact sizes) */
	bool require_module_sig;	/* fail (not skip) without one */
};

struct hp_report;

/*
 * Run every check (collects all problems; never stops at the first).
 * Returns 0 when the report was made (look at hp_report_ok()), or -errno
 * when the inputs could not be read at all (msg says which).
 */
int hp_verify(const char *module_path, const struct hp_verify_opts *opts,
	      struct hp_report **out, struct hp_msg *msg);
bool hp_report_ok(const struct hp_report *r);
size_t hp_report_count(const struct hp_report *r);
/* i < count; strings stay valid until hp_report_free() */
void hp_report_get(const struct hp_report *r, size_t i, const char **check,
		   enum hp_check_status *status, const char **detail);
const char *hp_check_status_name(enum hp_check_status st);
/* {"module": .., "ok": bool, "checks": [{"check","status","detail"}..]} */
json_object *hp_report_to_json(const struct hp_report *r);
void hp_report_free(struct hp_report *r);

/*
 * Everything inspect shows: manifest fields, both signatures (signer, key
 * id, hash) and, with a cert, whether each verifies. Caller puts it.
 */
json_object *hp_patchmod_describe(const struct hp_patchmod *pm,
				  const struct hp_cert *cert);

#endif /* _HOTPATCH_HPSIGN_H */
