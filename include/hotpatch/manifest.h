/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hotpatch patch-module manifest: on-disk (and in-memory) format.
 *
 * Shared by the core (hotpatch.ko) and the tools. Every multi-byte field is
 * little-endian, the layout is fixed (no compiler padding: see the offset
 * asserts in kernel/manifest.c) and there are no pointers, so the bytes can
 * be signed as they are. Strings are offsets into the manifest's string
 * table. The field-by-field reference is docs/manifest.md.
 *
 * The manifest lives in the patch module's ELF section HOTPATCH_MANIFEST_SECTION
 * (SHT_PROGBITS, SHF_ALLOC, read-only, no relocations against it); the
 * detached PKCS#7 signature over exactly those section bytes lives in
 * HOTPATCH_SIG_SECTION. Each is marked by a symbol (below).
 *
 * Layout of a manifest (regions in any order, but they must tile the
 * manifest exactly: no gap, no overlap, nothing after the last one):
 *
 *	struct hotpatch_manifest_hdr	header (96 bytes, at offset 0)
 *	struct hotpatch_manifest_meta	version 2 only: patch metadata (16 bytes,
 *					at offset 96; part of the header region)
 *	struct hotpatch_manifest_obj[]	target objects, sorted by name
 *	struct hotpatch_manifest_func[]	functions, grouped by object, sorted
 *					by (old_name, old_sympos) inside one
 *	char strtab[]			string table: starts and ends with NUL
 */
#ifndef _HOTPATCH_MANIFEST_H
#define _HOTPATCH_MANIFEST_H

#include <linux/types.h>

#define HOTPATCH_MANIFEST_SECTION	".hotpatch.manifest"
#define HOTPATCH_SIG_SECTION		".hotpatch.sig"
/*
 * Marker symbols: STT_OBJECT at offset 0 of each section, st_size = the
 * section size. At MODULE_STATE_COMING the loader has dropped the section
 * headers, but the module's kallsyms (mod->kallsyms) has these with their
 * final address and size: that is how the core finds both sections.
 */
#define HOTPATCH_MANIFEST_SYM		"__hotpatch_manifest"
#define HOTPATCH_SIG_SYM		"__hotpatch_sig"

/* "HPMANIF\0" */
#define HOTPATCH_MANIFEST_MAGIC		"HPMANIF"
#define HOTPATCH_MANIFEST_MAGIC_LEN	8
#define HOTPATCH_MANIFEST_VERSION_1	1	/* header only */
#define HOTPATCH_MANIFEST_VERSION_2	2	/* header + struct hotpatch_manifest_meta */
#define HOTPATCH_MANIFEST_VERSION	HOTPATCH_MANIFEST_VERSION_2	/* the newest */

/* Limits (lengths exclude the terminating NUL) */
#define HOTPATCH_MANIFEST_MAX_SIZE	(16U << 20)
#define HOTPATCH_MANIFEST_MAX_OBJS	1024U
#define HOTPATCH_MANIFEST_MAX_FUNCS	65536U
#define HOTPATCH_NAME_MAX		55	/* MODULE_NAME_LEN - 1 */
#define HOTPATCH_RELEASE_MAX		64	/* __NEW_UTS_LEN */
#define HOTPATCH_SYMBOL_MAX		511	/* KSYM_NAME_LEN - 1 (6.1) */
#define HOTPATCH_SRCVERSION_MAX		24	/* modpost: 24 hex digits */
#define HOTPATCH_BUILD_ID_MAX		32	/* bytes of a GNU build-id */
#define HOTPATCH_DESCRIPTION_MAX	255	/* printable ASCII, spaces allowed */
#define HOTPATCH_SERIES_MAX		63	/* [A-Za-z0-9_.-] */
#define HOTPATCH_CVES_MAX		1023	/* "CVE-YYYY-N..." separated by one space */
#define HOTPATCH_CVE_ID_MAX		31	/* one CVE id: "CVE-" 4 digits '-' 4..22 digits */

/* The target object that is the kernel image itself */
#define HOTPATCH_VMLINUX		"vmlinux"

/* hotpatch_manifest_hdr.flags */
#define HOTPATCH_MF_REPLACE		(1U << 0)	/* cumulative: atomically replace all earlier patches */
#define HOTPATCH_MF_FLAGS_KNOWN		(HOTPATCH_MF_REPLACE)

/* hotpatch_manifest_hdr.mode: how the core redirects the functions */
#define HOTPATCH_MODE_DEFAULT		0	/* the core's default (its mode= parameter) */
#define HOTPATCH_MODE_DIRECT		1	/* ftrace direct call through the trampoline */
#define HOTPATCH_MODE_OPS		2	/* force ftrace_ops with IPMODIFY */
#define HOTPATCH_MODE_MAX		HOTPATCH_MODE_OPS

/* hotpatch_manifest_func.flags: none defined in version 1 (must be 0) */
#define HOTPATCH_FUNC_FLAGS_KNOWN	0U

/**
 * struct hotpatch_manifest_hdr - manifest header, at offset 0
 * @magic:	HOTPATCH_MANIFEST_MAGIC, NUL padded
 * @version:	HOTPATCH_MANIFEST_VERSION_1 or _2
 * @hdr_size:	96 for version 1; 112 for version 2 (this struct followed by
 *		struct hotpatch_manifest_meta)
 * @total_size:	size of the whole manifest; equals the section size
 * @flags:	HOTPATCH_MF_*; unknown bits are refused
 * @mode:	HOTPATCH_MODE_*
 * @name:	strtab offset: patch name (the patch module's name)
 * @release:	strtab offset: target kernel release (utsname()->release)
 * @obj_off:	offset of the object table
 * @obj_count:	number of objects (1..HOTPATCH_MANIFEST_MAX_OBJS)
 * @func_off:	offset of the function table
 * @func_count:	number of functions (1..HOTPATCH_MANIFEST_MAX_FUNCS)
 * @strtab_off:	offset of the string table
 * @strtab_size: size of the string table, including both NUL ends
 * @build_id_len: length of @build_id (1..HOTPATCH_BUILD_ID_MAX)
 * @reserved0:	zero
 * @build_id:	target vmlinux GNU build-id; bytes past @build_id_len are zero
 * @reserved1:	zero
 */
struct hotpatch_manifest_hdr {
	__u8	magic[HOTPATCH_MANIFEST_MAGIC_LEN];	/*  0 */
	__le16	version;				/*  8 */
	__le16	hdr_size;				/* 10 */
	__le32	total_size;				/* 12 */
	__le32	flags;					/* 16 */
	__le32	mode;					/* 20 */
	__le32	name;					/* 24 */
	__le32	release;				/* 28 */
	__le32	obj_off;				/* 32 */
	__le32	obj_count;				/* 36 */
	__le32	func_off;				/* 40 */
	__le32	func_count;				/* 44 */
	__le32	strtab_off;				/* 48 */
	__le32	strtab_size;				/* 52 */
	__u8	build_id_len;				/* 56 */
	__u8	reserved0[3];				/* 57 */
	__u8	build_id[HOTPATCH_BUILD_ID_MAX];	/* 60 */
	__le32	reserved1;				/* 92 */
};							/* 96 */

/**
 * struct hotpatch_manifest_meta - patch metadata (version 2), at offset 96
 * @description: strtab offset: one line for humans, 0 = none
 * @series:	strtab offset: the vendor's patch series, 0 = none; versions
 *		of one series replace each other and never go back
 * @patch_version: version of the patch within @series, >= 1 with a series,
 *		0 without one
 * @cves:	strtab offset: the CVE ids the patch fixes, separated by one
 *		space ("CVE-2024-1086 CVE-2023-0179"), 0 = none
 */
struct hotpatch_manifest_meta {
	__le32	description;				/* 96 */
	__le32	series;					/* 100 */
	__le32	patch_version;				/* 104 */
	__le32	cves;					/* 108 */
};							/* 112 */

/**
 * struct hotpatch_manifest_obj - one target object
 * @name:	strtab offset: "vmlinux" or a module name
 * @srcversion:	strtab offset of the module's expected srcversion, 0 = not
 *		checked; must be 0 for vmlinux
 * @func_index:	index of the object's first function
 * @func_count:	number of functions of this object (>= 1)
 * @flags:	zero (none defined in version 1)
 * @build_id_len: length of @build_id, 0 = not checked; must be 0 for vmlinux
 *		(the kernel's build-id is in the header)
 * @reserved0:	zero
 * @build_id:	expected GNU build-id of the module; bytes past @build_id_len
 *		are zero
 */
struct hotpatch_manifest_obj {
	__le32	name;					/*  0 */
	__le32	srcversion;				/*  4 */
	__le32	func_index;				/*  8 */
	__le32	func_count;				/* 12 */
	__le32	flags;					/* 16 */
	__u8	build_id_len;				/* 20 */
	__u8	reserved0[3];				/* 21 */
	__u8	build_id[HOTPATCH_BUILD_ID_MAX];	/* 24 */
};							/* 56 */

/**
 * struct hotpatch_manifest_func - one replaced function
 * @old_name:	strtab offset: symbol of the function being replaced
 * @old_sympos:	1-based position among same-named symbols of the object in
 *		kallsyms order; 0 = the name is unique in the object
 * @old_size:	expected size of the old function in bytes (> 0)
 * @new_name:	strtab offset: symbol of the new function in the patch module
 * @tramp_name:	strtab offset: symbol of its direct-call trampoline in the patch
 *		module, 0 = none (then the function can only use HOTPATCH_MODE_OPS)
 * @flags:	HOTPATCH_FUNC_* (none defined in version 1: zero)
 */
struct hotpatch_manifest_func {
	__le32	old_name;				/*  0 */
	__le32	old_sympos;				/*  4 */
	__le32	old_size;				/*  8 */
	__le32	new_name;				/* 12 */
	__le32	tramp_name;				/* 16 */
	__le32	flags;					/* 20 */
};							/* 24 */

#endif /* _HOTPATCH_MANIFEST_H */
