/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Manifest parser and validator, shared by the core and the tools.
 *
 * kernel/manifest.c compiles unchanged in the kernel and in userspace
 * (tools/sign/kcompat.h maps the few kernel helpers it uses). The parser
 * never trusts the bytes: it checks the version, every offset and count
 * against the buffer, every string for termination, length and character
 * set, the order of the tables, and fills a one-line reason on failure.
 * After a successful parse the accessors below are safe on any index
 * below nr_objs / nr_funcs; they decode in place (no copy, no allocation).
 */
#ifndef _HOTPATCH_KERNEL_MANIFEST_H
#define _HOTPATCH_KERNEL_MANIFEST_H

#ifdef __KERNEL__
#include <linux/types.h>
#else
#include "kcompat.h"
#endif
#include <hotpatch/manifest.h>

/* A reason buffer of this size never truncates a parser message */
#define HOTPATCH_MF_REASON_LEN	160

/**
 * struct hotpatch_mf - a validated manifest (a view of the caller's buffer)
 * @base:	the manifest bytes (the caller keeps them alive and unchanged)
 * @size:	their size
 * @version:	format version
 * @flags:	HOTPATCH_MF_*
 * @mode:	HOTPATCH_MODE_*
 * @name:	patch name
 * @release:	target kernel release
 * @build_id:	target vmlinux build-id
 * @build_id_len: its length
 * @nr_objs:	number of target objects
 * @nr_funcs:	number of functions (all objects)
 * @description: one-line description, or NULL (none; always NULL in version 1)
 * @series:	the vendor's patch series, or NULL
 * @patch_version: version within @series (>= 1), 0 without a series
 * @cves:	space-separated CVE ids, or NULL
 */
struct hotpatch_mf {
	const u8 *base;
	size_t size;
	u32 version;
	u32 flags;
	u32 mode;
	const char *name;
	const char *release;
	const u8 *build_id;
	u32 build_id_len;
	u32 nr_objs;
	u32 nr_funcs;
	const char *description;
	const char *series;
	u32 patch_version;
	const char *cves;
	/* private: */
	u32 obj_off;
	u32 func_off;
	u32 strtab_off;
	u32 strtab_size;
};

/**
 * struct hotpatch_mf_obj - one decoded target object
 * @name:	"vmlinux" or a module name
 * @srcversion:	expected module srcversion, or NULL when not checked
 * @build_id:	expected module build-id, or NULL when not checked
 * @build_id_len: its length (0 when not checked)
 * @func_index:	index of the object's first function
 * @func_count:	number of its functions
 */
struct hotpatch_mf_obj {
	const char *name;
	const char *srcversion;
	const u8 *build_id;
	u32 build_id_len;
	u32 func_index;
	u32 func_count;
};

/**
 * struct hotpatch_mf_func - one decoded function
 * @old_name:	symbol being replaced
 * @old_sympos:	its sympos (0 = unique)
 * @old_size:	its expected size
 * @new_name:	replacement symbol in the patch module
 * @tramp_name:	trampoline symbol in the patch module, or NULL
 * @flags:	HOTPATCH_FUNC_*
 */
struct hotpatch_mf_func {
	const char *old_name;
	u32 old_sympos;
	u32 old_size;
	const char *new_name;
	const char *tramp_name;
	u32 flags;
};

/**
 * struct hotpatch_sig_id - who a PKCS#7 message says signed it
 * @issuer:	content of the issuer Name (what the kernel's PKCS#7 and X.509
 *		parsers call raw_issuer), or NULL when signed by key id
 * @issuer_len:	its size
 * @serial:	content of the serial INTEGER (raw_serial), or NULL
 * @serial_len:	its size
 * @skid:	subjectKeyIdentifier, when the signer is named that way
 * @skid_len:	its size
 * @cn:		the issuer's commonName, not NUL-terminated, or NULL
 * @cn_len:	its size
 * @hash:	digest algorithm: "sha256", "sha384", ..., "unknown"
 * @nr_signers:	number of SignerInfos (the fields describe the first)
 *
 * With @issuer and @serial, asymmetric_key_generate_id(serial, serial_len,
 * issuer, issuer_len) gives the id find_asymmetric_key() looks up.
 */
struct hotpatch_sig_id {
	const u8 *issuer;
	size_t issuer_len;
	const u8 *serial;
	size_t serial_len;
	const u8 *skid;
	size_t skid_len;
	const char *cn;
	size_t cn_len;
	const char *hash;
	u32 nr_signers;
};

int hotpatch_manifest_parse(const void *buf, size_t len, struct hotpatch_mf *mf,
			    char *reason, size_t reason_len);
void hotpatch_mf_get_obj(const struct hotpatch_mf *mf, u32 idx,
			 struct hotpatch_mf_obj *obj);
void hotpatch_mf_get_func(const struct hotpatch_mf *mf, u32 idx,
			  struct hotpatch_mf_func *func);
int hotpatch_manifest_check_kernel(const struct hotpatch_mf *mf,
				   const char *release,
				   const u8 *build_id, size_t build_id_len,
				   char *reason, size_t reason_len);
int hotpatch_manifest_check_module(const struct hotpatch_mf_obj *obj,
				   const char *srcversion,
				   const u8 *build_id, size_t build_id_len,
				   char *reason, size_t reason_len);
const char *hotpatch_mf_mode_name(u32 mode);
int hotpatch_sig_signer(const void *der, size_t len, struct hotpatch_sig_id *id);
void hotpatch_sig_id_names(const struct hotpatch_sig_id *id, char *signer,
			   size_t signer_len, char *key_id, size_t key_id_len);

/* Iterate over a parsed manifest; @obj / @func are caller structs */
#define hotpatch_mf_for_each_obj(mf, i, obj)				\
	for ((i) = 0; (i) < (mf)->nr_objs &&				\
	     (hotpatch_mf_get_obj(mf, i, obj), 1); (i)++)

#define hotpatch_mf_for_each_func(mf, obj, i, func)			\
	for ((i) = (obj)->func_index;					\
	     (i) < (obj)->func_index + (obj)->func_count &&		\
	     (hotpatch_mf_get_func(mf, i, func), 1); (i)++)

#endif /* _HOTPATCH_KERNEL_MANIFEST_H */
