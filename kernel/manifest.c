// SPDX-License-Identifier: GPL-2.0
/*
 * manifest.c - parse and validate a patch module's manifest
 *
 * This file is built twice from the same source: into hotpatch.ko and into
 * the tools' libhpsign (with tools/sign/kcompat.h). It must stay free of
 * allocation, locking and printing; all it does is read bytes it was given
 * and say, in @reason, why it refused them.
 *
 * It also reads who signed a PKCS#7 (hotpatch_sig_signer()), for logs and
 * sysfs only: trust is decided by verify_pkcs7_signature(), never here.
 *
 * Error numbers:
 *   -ENOEXEC  malformed: truncated, bad magic, bad offsets or counts, strings
 *             not terminated / too long / bad characters, tables not sorted,
 *             reserved bytes set; also a manifest for another kernel or
 *             module build (hotpatch_manifest_check_kernel/_module)
 *   -EINVAL   well-formed but not supported here: unknown version, unknown
 *             flag bits, unknown redirect mode
 *
 * Versions 1 and 2 are read; version 2 adds the metadata block (struct
 * hotpatch_manifest_meta) right after the version-1 header.
 */
#ifdef __KERNEL__
#include <linux/kernel.h>
#include <linux/build_bug.h>
#include <linux/errno.h>
#include <linux/string.h>
#endif

#include "manifest.h"

#define MF_HDR_SIZE	sizeof(struct hotpatch_manifest_hdr)
#define MF_HDR2_SIZE	(MF_HDR_SIZE + sizeof(struct hotpatch_manifest_meta))
#define MF_OBJ_SIZE	sizeof(struct hotpatch_manifest_obj)
#define MF_FUNC_SIZE	sizeof(struct hotpatch_manifest_func)

/*
 * The buffer may sit at any alignment, so no struct pointer into it is ever
 * dereferenced: fields are addressed by offset and read byte by byte, which
 * is also endian-neutral and needs no header that moved between kernels.
 */
#define MF_FIELD(p, type, f)	((const u8 *)(p) + offsetof(type, f))
#define HDR_F(p, f)		MF_FIELD(p, struct hotpatch_manifest_hdr, f)
#define OBJ_F(p, f)		MF_FIELD(p, struct hotpatch_manifest_obj, f)
#define FUNC_F(p, f)		MF_FIELD(p, struct hotpatch_manifest_func, f)
#define META_F(p, f)		((const u8 *)(p) + MF_HDR_SIZE + \
				 offsetof(struct hotpatch_manifest_meta, f))

static inline u16 mf_le16(const u8 *p)
{
	return (u16)(p[0] | p[1] << 8);
}

static inline u32 mf_le32(const u8 *p)
{
	return (u32)p[0] | (u32)p[1] << 8 | (u32)p[2] << 16 | (u32)p[3] << 24;
}

enum mf_charset {
	MF_CS_NAME,		/* module / patch names: [A-Za-z0-9_-] */
	MF_CS_RELEASE,		/* a utsname release: printable, no space */
	MF_CS_SYMBOL,		/* a symbol: printable, no space, ',' or '/' */
	MF_CS_SRCVERSION,	/* [A-Za-z0-9] */
	MF_CS_TEXT,		/* a description: printable ASCII, space too */
	MF_CS_SERIES,		/* a series: [A-Za-z0-9_.-] */
	MF_CS_CVES,		/* CVE ids: [A-Z0-9-] and space (see mf_check_cves) */
};

static __printf(4, 5) int mf_fail(char *reason, size_t reason_len, int err,
				  const char *fmt, ...)
{
	va_list ap;

	if (reason && reason_len) {
		va_start(ap, fmt);
		vsnprintf(reason, reason_len, fmt, ap);
		va_end(ap);
	}
	return err;
}

static bool mf_char_ok(char c, enum mf_charset cs)
{
	bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		     (c >= '0' && c <= '9');

	switch (cs) {
	case MF_CS_NAME:
		return alnum || c == '_' || c == '-';
	case MF_CS_RELEASE:
		return c > ' ' && c < 0x7f;
	case MF_CS_SYMBOL:
		return c > ' ' && c < 0x7f && c != ',' && c != '/';
	case MF_CS_SRCVERSION:
		return alnum;
	case MF_CS_TEXT:
		return c >= ' ' && c < 0x7f;
	case MF_CS_SERIES:
		return alnum || c == '_' || c == '-' || c == '.';
	case MF_CS_CVES:
		return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		       c == '-' || c == ' ';
	}
	return false;
}

static bool mf_zero(const u8 *p, size_t len)
{
	while (len--)
		if (*p++)
			return false;
	return true;
}

/*
 * mf_str - fetch and check the string at strtab offset @off.
 * Offset 0 is the empty string: refused unless @optional, in which case
 * *@out is NULL. Returns 0 or -ENOEXEC with @reason naming @what.
 */
static int mf_str(const struct hotpatch_mf *mf, u32 off, bool optional,
		  size_t max, enum mf_charset cs, const char *what,
		  const char **out, char *reason, size_t reason_len)
{
	const char *strtab = (const char *)mf->base + mf->strtab_off;
	const char *s, *end;
	size_t avail, len, i;

	*out = NULL;
	if (off == 0) {
		if (optional)
			return 0;
		return mf_fail(reason, reason_len, -ENOEXEC,
			       "%s: missing (empty string)", what);
	}
	if (off >= mf->strtab_size)
		return mf_fail(reason, reason_len, -ENOEXEC,
			       "%s: string offset %u outside the string table (%u bytes)",
			       what, off, mf->strtab_size);
	s = strtab + off;
	avail = mf->strtab_size - off;
	end = memchr(s, '\0', avail < max + 1 ? avail : max + 1);
	if (!end)
		return mf_fail(reason, reason_len, -ENOEXEC,
			       "%s: string at offset %u longer than %zu bytes",
			       what, off, max);
	len = end - s;
	if (!len)
		return mf_fail(reason, reason_len, -ENOEXEC,
			       "%s: empty string at offset %u", what, off);
	for (i = 0; i < len; i++)
		if (!mf_char_ok(s[i], cs))
			return mf_fail(reason, reason_len, -ENOEXEC,
				       "%s: byte 0x%02x at position %zu of the string at offset %u is not allowed",
				       what, (u8)s[i], i, off);
	*out = s;
	return 0;
}

/* A region [off, off + size) of the manifest, for the tiling check */
struct mf_region {
	const char *what;
	u64 off;
	u64 size;
	u32 align;
};

static int mf_check_regions(const struct mf_region *r, int n, size_t total,
			    char *reason, size_t reason_len)
{
	u64 sum = 0;
	int i, j;

	for (i = 0; i < n; i++) {
		if (r[i].off % r[i].align)
			return mf_fail(reason, reason_len, -ENOEXEC,
				       "%s at offset %llu is not %u-byte aligned",
				       r[i].what, (unsigned long long)r[i].off,
				       r[i].align);
		if (r[i].off > total || r[i].size > total - r[i].off)
			return mf_fail(reason, reason_len, -ENOEXEC,
				       "%s [%llu, +%llu) runs past the end of the manifest (%zu bytes)",
				       r[i].what, (unsigned long long)r[i].off,
				       (unsigned long long)r[i].size, total);
		sum += r[i].size;
	}
	for (i = 0; i < n; i++)
		for (j = i + 1; j < n; j++)
			if (r[i].off < r[j].off + r[j].size &&
			    r[j].off < r[i].off + r[i].size)
				return mf_fail(reason, reason_len, -ENOEXEC,
					       "%s [%llu, +%llu) overlaps %s [%llu, +%llu)",
					       r[i].what,
					       (unsigned long long)r[i].off,
					       (unsigned long long)r[i].size,
					       r[j].what,
					       (unsigned long long)r[j].off,
					       (unsigned long long)r[j].size);
	if (sum != total)
		return mf_fail(reason, reason_len, -ENOEXEC,
			       "tables cover %llu of %zu bytes: the manifest has a gap",
			       (unsigned long long)sum, total);
	return 0;
}

static int mf_check_header(const u8 *hdr, size_t len, struct hotpatch_mf *mf,
			   char *reason, size_t reason_len)
{
	struct mf_region r[4];
	size_t hdr_size;
	u32 v, version;

	/* magic, version and hdr_size first: they tell how to read the rest */
	if (len < offsetof(struct hotpatch_manifest_hdr, total_size))
		return mf_fail(reason, reason_len, -ENOEXEC,
			       "truncated: %zu bytes, the header alone needs %zu",
			       len, MF_HDR_SIZE);
	if (memcmp(HDR_F(hdr, magic), HOTPATCH_MANIFEST_MAGIC,
		   HOTPATCH_MANIFEST_MAGIC_LEN))
		return mf_fail(reason, reason_len, -ENOEXEC,
			       "bad magic: not a hotpatch manifest");
	version = mf_le16(HDR_F(hdr, version));
	if (version != HOTPATCH_MANIFEST_VERSION_1 &&
	    version != HOTPATCH_MANIFEST_VERSION_2)
		return mf_fail(reason, reason_len, -EINVAL,
			       "unsupported manifest version %u (this parser reads versions 1 and 2)",
			       version);
	hdr_size = version == HOTPATCH_MANIFEST_VERSION_1 ? MF_HDR_SIZE :
							   MF_HDR2_SIZE;
	if (len < hdr_size)
		return mf_fail(reason, reason_len, -ENOEXEC,
			       "truncated: %zu bytes, the header alone needs %zu",
			       len, hdr_size);
	v = mf_le16(HDR_F(hdr, hdr_size));
	if (v != hdr_size)
		return mf_fail(reason, reason_len, -ENOEXEC,
			       "header size %u, version %u has %zu",
			       v, version, hdr_size);
	if (len > HOTPATCH_MANIFEST_MAX_SIZE)
		return mf_fail(reason, reason_len, -ENOEXEC,
			       "%zu bytes: larger than the %u-byte limit",
			       len, HOTPATCH_MANIFEST_MAX_SIZE);
	v = mf_le32(HDR_F(hdr, total_size));
	if (v != len)
		return mf_fail(reason, reason_len, -ENOEXEC,
			       "header says %u bytes, the manifest has %zu",
			       v, len);
	if (!mf_zero(HDR_F(hdr, reserved0),
		     sizeof_field(struct hotpatch_manifest_hdr, reserved0)) ||
	    mf_le32(HDR_F(hdr, reserved1)))
		return mf_fail(reason, reason_len, -ENOEXEC,
			       "reserved header bytes are not zero");

	mf->flags = mf_le32(HDR_F(hdr, flags));
	if (mf->flags & ~HOTPATCH_MF_FLAGS_KNOWN)
		return mf_fail(reason, reason_len, -EINVAL,
			       "unknown flags 0x%x",
			       mf->flags & ~HOTPATCH_MF_FLAGS_KNOWN);
	mf->mode = mf_le32(HDR_F(hdr, mode));
	if (mf->mode > HOTPATCH_MODE_MAX)
		return mf_fail(reason, reason_len, -EINVAL,
			       "unknown redirect mode %u", mf->mode);

	mf->nr_objs = mf_le32(HDR_F(hdr, obj_count));
	if (mf->nr_objs < 1 || mf->nr_objs > HOTPATCH_MANIFEST_MAX_OBJS)
		return mf_fail(reason, reason_len, -ENOEXEC,
			       "object count %u not in 1..%u",
			       mf->nr_objs, HOTPATCH_MANIFEST_MAX_OBJS);
	mf->nr_funcs = mf_le32(HDR_F(hdr, func_count));
	if (mf->nr_funcs < 1 || mf->nr_funcs > HOTPATCH_MANIFEST_MAX_FUNCS)
		return mf_fail(reason, reason_len, -ENOEXEC,
			       "function count %u not in 1..%u",
			       mf->nr_funcs, HOTPATCH_MANIFEST_MAX_FUNCS);
	if (mf->nr_funcs < mf->nr_objs)
		return mf_fail(reason, reason_len, -ENOEXEC,
			       "%u objects but only %u functions",
			       mf->nr_objs, mf->nr_funcs);

	mf->obj_off = mf_le32(HDR_F(hdr, obj_off));
	mf->func_off = mf_le32(HDR_F(hdr, func_off));
	mf->strtab_off = mf_le32(HDR_F(hdr, strtab_off));
	mf->strtab_size = mf_le32(HDR_F(hdr, strtab_size));
	r[0] = (struct mf_region){ "header", 0, hdr_size, 1 };
	r[1] = (struct mf_region){ "object table", mf->obj_off,
				   (u64)mf->nr_objs * MF_OBJ_SIZE, 4 };
	r[2] = (struct mf_region){ "function table", mf->func_off,
				   (u64)mf->nr_funcs * MF_FUNC_SIZE, 4 };
	r[3] = (struct mf_region){ "string table", mf->strtab_off,
				   mf->strtab_size, 1 };
	return mf_check_regions(r, 4, len, reason, reason_len);
}

static int mf_check_strtab(const struct hotpatch_mf *mf, char *reason,
			   size_t reason_len)
{
	const char *strtab = (const char *)mf->base + mf->strtab_off;

	if (mf->strtab_size < 2 || strtab[0] != '\0' ||
	    strtab[mf->strtab_size - 1] != '\0')
		return mf_fail(reason, reason_len, -ENOEXEC,
			       "string table (%u bytes) must start and end with NUL",
			       mf->strtab_size);
	return 0;
}

static int mf_check_build_id(const u8 *id, u32 len, bool optional,
			     const char *what, char *reason, size_t reason_len)
{
	if ((!optional && len == 0) || len > HOTPATCH_BUILD_ID_MAX)
		return mf_fail(reason, reason_len, -ENOEXEC,
			       "%s: build-id length %u not in %u..%u", what, len,
			       optional ? 0 : 1, HOTPATCH_BUILD_ID_MAX);
	if (!mf_zero(id + len, HOTPATCH_BUILD_ID_MAX - len))
		return mf_fail(reason, reason_len, -ENOEXEC,
			       "%s: bytes after the build-id are not zero", what);
	return 0;
}

static int mf_check_funcs(const struct hotpatch_mf *mf,
			  const struct hotpatch_mf_obj *obj, char *reason,
			  size_t reason_len)
{
	const u8 *f;
	const char *prev = NULL, *old, *new, *tramp;
	u32 i, prev_pos = 0, pos, flags;
	int ret, cmp;

	for (i = obj->func_index; i < obj->func_index + obj->func_count; i++) {
		f = mf->base + mf->func_off + (size_t)i * MF_FUNC_SIZE;
		ret = mf_str(mf, mf_le32(FUNC_F(f, old_name)), false,
			     HOTPATCH_SYMBOL_MAX, MF_CS_SYMBOL,
			     "function old_name", &old, reason, reason_len);
		if (ret)
			return ret;
		ret = mf_str(mf, mf_le32(FUNC_F(f, new_name)), false,
			     HOTPATCH_SYMBOL_MAX, MF_CS_SYMBOL,
			     "function new_name", &new, reason, reason_len);
		if (ret)
			return ret;
		ret = mf_str(mf, mf_le32(FUNC_F(f, tramp_name)), true,
			     HOTPATCH_SYMBOL_MAX, MF_CS_SYMBOL,
			     "function tramp_name", &tramp, reason, reason_len);
		if (ret)
			return ret;
		pos = mf_le32(FUNC_F(f, old_sympos));
		if (!mf_le32(FUNC_F(f, old_size)))
			return mf_fail(reason, reason_len, -ENOEXEC,
				       "function '%s' in '%s': old size is zero",
				       old, obj->name);
		flags = mf_le32(FUNC_F(f, flags));
		if (flags & ~HOTPATCH_FUNC_FLAGS_KNOWN)
			return mf_fail(reason, reason_len, -EINVAL,
				       "function '%s' in '%s': unknown flags 0x%x",
				       old, obj->name, flags);
		if (!tramp && mf->mode == HOTPATCH_MODE_DIRECT)
			return mf_fail(reason, reason_len, -ENOEXEC,
				       "function '%s' in '%s': direct mode needs a trampoline",
				       old, obj->name);
		if (prev) {
			cmp = strcmp(prev, old);
			if (cmp > 0 || (cmp == 0 && prev_pos >= pos))
				return mf_fail(reason, reason_len, -ENOEXEC,
					       "function '%s',%u in '%s': duplicate or out of order (after '%s',%u)",
					       old, pos, obj->name, prev,
					       prev_pos);
		}
		prev = old;
		prev_pos = pos;
	}
	return 0;
}

static int mf_check_objs(const struct hotpatch_mf *mf, char *reason,
			 size_t reason_len)
{
	const u8 *o;
	struct hotpatch_mf_obj obj;
	const char *prev = NULL;
	bool vmlinux;
	u64 next = 0;
	u32 i, off;
	int ret;

	for (i = 0; i < mf->nr_objs; i++) {
		o = mf->base + mf->obj_off + (size_t)i * MF_OBJ_SIZE;
		ret = mf_str(mf, mf_le32(OBJ_F(o, name)), false,
			     HOTPATCH_NAME_MAX, MF_CS_NAME, "object name", &obj.name, reason,
			     reason_len);
		if (ret)
			return ret;
		if (prev && strcmp(prev, obj.name) >= 0)
			return mf_fail(reason, reason_len, -ENOEXEC,
				       "object '%s': duplicate or out of order (after '%s')",
				       obj.name, prev);
		prev = obj.name;
		if (mf_le32(OBJ_F(o, flags)) ||
		    !mf_zero(OBJ_F(o, reserved0),
			     sizeof_field(struct hotpatch_manifest_obj, reserved0)))
			return mf_fail(reason, reason_len, -ENOEXEC,
				       "object '%s': reserved bytes are not zero",
				       obj.name);
		vmlinux = !strcmp(obj.name, HOTPATCH_VMLINUX);
		off = mf_le32(OBJ_F(o, srcversion));
		if (vmlinux && off)
			return mf_fail(reason, reason_len, -ENOEXEC,
				       "object 'vmlinux' cannot have a srcversion");
		ret = mf_str(mf, off, true, HOTPATCH_SRCVERSION_MAX,
			     MF_CS_SRCVERSION, "object srcversion",
			     &obj.srcversion, reason, reason_len);
		if (ret)
			return ret;
		obj.build_id_len = *OBJ_F(o, build_id_len);
		if (vmlinux && obj.build_id_len)
			return mf_fail(reason, reason_len, -ENOEXEC,
				       "object 'vmlinux' cannot have its own build-id (it is in the header)");
		ret = mf_check_build_id(OBJ_F(o, build_id), obj.build_id_len, true,
					"object", reason, reason_len);
		if (ret)
			return ret;
		obj.func_index = mf_le32(OBJ_F(o, func_index));
		obj.func_count = mf_le32(OBJ_F(o, func_count));
		if (obj.func_index != next)
			return mf_fail(reason, reason_len, -ENOEXEC,
				       "object '%s': functions start at %u, the previous object's end at %llu",
				       obj.name, obj.func_index,
				       (unsigned long long)next);
		if (obj.func_count < 1)
			return mf_fail(reason, reason_len, -ENOEXEC,
				       "object '%s': no functions", obj.name);
		if (obj.func_count > mf->nr_funcs - obj.func_index)
			return mf_fail(reason, reason_len, -ENOEXEC,
				       "object '%s': functions [%u, +%u) run past the end of the table (%u entries)",
				       obj.name, obj.func_index, obj.func_count,
				       mf->nr_funcs);
		next = (u64)obj.func_index + obj.func_count;
		ret = mf_check_funcs(mf, &obj, reason, reason_len);
		if (ret)
			return ret;
	}
	if (next != mf->nr_funcs)
		return mf_fail(reason, reason_len, -ENOEXEC,
			       "objects cover %llu of %u functions",
			       (unsigned long long)next, mf->nr_funcs);
	return 0;
}

/*
 * mf_check_cves - the CVE list: ids "CVE-<4 digits>-<4 or more digits>",
 * each at most HOTPATCH_CVE_ID_MAX bytes, separated by exactly one space,
 * no space at either end, no id twice.
 */
static int mf_check_cves(const char *s, char *reason, size_t reason_len)
{
	const char *id = s, *p, *q;
	size_t n, m;
	int i;

	for (;;) {
		p = id;
		if (strncmp(p, "CVE-", 4))
			goto bad;
		p += 4;
		for (i = 0; i < 4; i++, p++)
			if (*p < '0' || *p > '9')
				goto bad;
		if (*p++ != '-')
			goto bad;
		for (n = 0; *p >= '0' && *p <= '9'; p++)
			n++;
		if (n < 4 || p - id > HOTPATCH_CVE_ID_MAX)
			goto bad;
		if (*p != ' ' && *p != '\0')
			goto bad;
		/* the same id earlier in the list? */
		for (q = s; q < id; q += m + 1) {
			m = strcspn(q, " ");
			if (m == (size_t)(p - id) && !memcmp(q, id, m))
				return mf_fail(reason, reason_len, -ENOEXEC,
					       "CVE list: '%.*s' appears twice",
					       (int)m, id);
		}
		if (*p == '\0')
			return 0;
		id = p + 1;
	}
bad:
	return mf_fail(reason, reason_len, -ENOEXEC,
		       "CVE list: the id at position %zu is not CVE-YYYY-NNNN (ids separated by one space)",
		       (size_t)(id - s));
}

static int mf_check_meta(const u8 *hdr, struct hotpatch_mf *mf, char *reason,
			 size_t reason_len)
{
	int ret;

	if (mf->version < HOTPATCH_MANIFEST_VERSION_2)
		return 0;
	ret = mf_str(mf, mf_le32(META_F(hdr, description)), true,
		     HOTPATCH_DESCRIPTION_MAX, MF_CS_TEXT, "description",
		     &mf->description, reason, reason_len);
	if (ret)
		return ret;
	ret = mf_str(mf, mf_le32(META_F(hdr, series)), true,
		     HOTPATCH_SERIES_MAX, MF_CS_SERIES, "series",
		     &mf->series, reason, reason_len);
	if (ret)
		return ret;
	mf->patch_version = mf_le32(META_F(hdr, patch_version));
	if (mf->series && !mf->patch_version)
		return mf_fail(reason, reason_len, -ENOEXEC,
			       "series '%s' without a patch version (versions start at 1)",
			       mf->series);
	if (!mf->series && mf->patch_version)
		return mf_fail(reason, reason_len, -ENOEXEC,
			       "patch version %u without a series",
			       mf->patch_version);
	ret = mf_str(mf, mf_le32(META_F(hdr, cves)), true, HOTPATCH_CVES_MAX,
		     MF_CS_CVES, "CVE list", &mf->cves, reason, reason_len);
	if (ret)
		return ret;
	if (mf->cves)
		return mf_check_cves(mf->cves, reason, reason_len);
	return 0;
}

/**
 * hotpatch_manifest_parse - validate a manifest and set up a view of it
 * @buf:	the manifest bytes (for a patch module: its whole
 *		HOTPATCH_MANIFEST_SECTION); any alignment
 * @len:	their size
 * @mf:	filled on success; zeroed on failure
 * @reason:	on failure, a one-line NUL-terminated reason (may be NULL)
 * @reason_len:	size of @reason; HOTPATCH_MF_REASON_LEN never truncates
 *
 * Safe on arbitrary bytes: reads only inside [@buf, @buf + @len), does not
 * allocate, sleep or print. @buf must stay unchanged while @mf is used.
 *
 * Return: 0, -ENOEXEC when the bytes are malformed, -EINVAL when they are
 * well-formed but use a version, flag or mode this parser does not know.
 */
int hotpatch_manifest_parse(const void *buf, size_t len, struct hotpatch_mf *mf,
			    char *reason, size_t reason_len)
{
	const u8 *hdr = buf;
	int ret;

	BUILD_BUG_ON(sizeof(struct hotpatch_manifest_hdr) != 96);
	BUILD_BUG_ON(offsetof(struct hotpatch_manifest_hdr, build_id) != 60);
	BUILD_BUG_ON(offsetof(struct hotpatch_manifest_hdr, reserved1) != 92);
	BUILD_BUG_ON(sizeof(struct hotpatch_manifest_obj) != 56);
	BUILD_BUG_ON(offsetof(struct hotpatch_manifest_obj, build_id) != 24);
	BUILD_BUG_ON(sizeof(struct hotpatch_manifest_func) != 24);
	BUILD_BUG_ON(sizeof(struct hotpatch_manifest_meta) != 16);
	BUILD_BUG_ON(MF_HDR2_SIZE != 112);

	memset(mf, 0, sizeof(*mf));
	if (reason && reason_len)
		reason[0] = '\0';
	if (!buf)
		return mf_fail(reason, reason_len, -ENOEXEC, "no manifest");

	mf->base = buf;
	mf->size = len;
	ret = mf_check_header(hdr, len, mf, reason, reason_len);
	if (ret)
		goto out_clear;
	ret = mf_check_strtab(mf, reason, reason_len);
	if (ret)
		goto out_clear;
	ret = mf_str(mf, mf_le32(HDR_F(hdr, name)), false, HOTPATCH_NAME_MAX,
		     MF_CS_NAME, "patch name", &mf->name, reason, reason_len);
	if (ret)
		goto out_clear;
	ret = mf_str(mf, mf_le32(HDR_F(hdr, release)), false,
		     HOTPATCH_RELEASE_MAX, MF_CS_RELEASE, "kernel release",
		     &mf->release, reason, reason_len);
	if (ret)
		goto out_clear;
	mf->build_id = HDR_F(hdr, build_id);
	mf->build_id_len = *HDR_F(hdr, build_id_len);
	ret = mf_check_build_id(mf->build_id, mf->build_id_len, false,
				"kernel", reason, reason_len);
	if (ret)
		goto out_clear;
	ret = mf_check_objs(mf, reason, reason_len);
	if (ret)
		goto out_clear;
	mf->version = mf_le16(HDR_F(hdr, version));
	ret = mf_check_meta(hdr, mf, reason, reason_len);
	if (ret)
		goto out_clear;
	return 0;

out_clear:
	memset(mf, 0, sizeof(*mf));
	return ret;
}

/**
 * hotpatch_mf_get_obj - decode target object @idx of a parsed manifest
 * @mf:		a manifest hotpatch_manifest_parse() accepted
 * @idx:	0 .. @mf->nr_objs - 1
 * @obj:	filled with pointers into the manifest
 */
void hotpatch_mf_get_obj(const struct hotpatch_mf *mf, u32 idx,
			 struct hotpatch_mf_obj *obj)
{
	const u8 *o;
	const char *strtab = (const char *)mf->base + mf->strtab_off;
	u32 off;

	o = mf->base + mf->obj_off + (size_t)idx * MF_OBJ_SIZE;
	obj->name = strtab + mf_le32(OBJ_F(o, name));
	off = mf_le32(OBJ_F(o, srcversion));
	obj->srcversion = off ? strtab + off : NULL;
	obj->build_id_len = *OBJ_F(o, build_id_len);
	obj->build_id = obj->build_id_len ? OBJ_F(o, build_id) : NULL;
	obj->func_index = mf_le32(OBJ_F(o, func_index));
	obj->func_count = mf_le32(OBJ_F(o, func_count));
}

/**
 * hotpatch_mf_get_func - decode function @idx of a parsed manifest
 * @mf:		a manifest hotpatch_manifest_parse() accepted
 * @idx:	0 .. @mf->nr_funcs - 1
 * @func:	filled with pointers into the manifest
 */
void hotpatch_mf_get_func(const struct hotpatch_mf *mf, u32 idx,
			  struct hotpatch_mf_func *func)
{
	const u8 *f;
	const char *strtab = (const char *)mf->base + mf->strtab_off;
	u32 off;

	f = mf->base + mf->func_off + (size_t)idx * MF_FUNC_SIZE;
	func->old_name = strtab + mf_le32(FUNC_F(f, old_name));
	func->old_sympos = mf_le32(FUNC_F(f, old_sympos));
	func->old_size = mf_le32(FUNC_F(f, old_size));
	func->new_name = strtab + mf_le32(FUNC_F(f, new_name));
	off = mf_le32(FUNC_F(f, tramp_name));
	func->tramp_name = off ? strtab + off : NULL;
	func->flags = mf_le32(FUNC_F(f, flags));
}

static void mf_hex(char *out, size_t out_len, const u8 *id, size_t len)
{
	static const char digits[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < len && 2 * i + 2 < out_len; i++) {
		out[2 * i] = digits[id[i] >> 4];
		out[2 * i + 1] = digits[id[i] & 0xf];
	}
	out[2 * i] = '\0';
}

/**
 * hotpatch_manifest_check_kernel - does the manifest target this kernel?
 * @mf:		a parsed manifest
 * @release:	the running (or given) kernel release, or NULL to skip
 * @build_id:	the kernel's GNU build-id, or NULL to skip
 * @build_id_len: its length
 * @reason:	on mismatch, a one-line reason
 * @reason_len:	its size
 *
 * Return: 0 or -ENOEXEC (built for another kernel).
 */
int hotpatch_manifest_check_kernel(const struct hotpatch_mf *mf,
				   const char *release,
				   const u8 *build_id, size_t build_id_len,
				   char *reason, size_t reason_len)
{
	char want[2 * HOTPATCH_BUILD_ID_MAX + 1], have[2 * HOTPATCH_BUILD_ID_MAX + 1];

	if (release && strcmp(release, mf->release))
		return mf_fail(reason, reason_len, -ENOEXEC,
			       "built for kernel '%s', this is '%s'",
			       mf->release, release);
	if (build_id && (build_id_len != mf->build_id_len ||
			 memcmp(build_id, mf->build_id, build_id_len))) {
		mf_hex(want, sizeof(want), mf->build_id, mf->build_id_len);
		mf_hex(have, sizeof(have), build_id,
		       build_id_len < HOTPATCH_BUILD_ID_MAX ?
		       build_id_len : HOTPATCH_BUILD_ID_MAX);
		return mf_fail(reason, reason_len, -ENOEXEC,
			       "built for vmlinux build-id %s, this kernel's is %s",
			       want, have);
	}
	return 0;
}

/**
 * hotpatch_manifest_check_module - does a target module match its object?
 * @obj:	a decoded target object (not vmlinux)
 * @srcversion:	the module's srcversion, or NULL if it has none
 * @build_id:	the module's GNU build-id, or NULL if unknown
 * @build_id_len: its length
 * @reason:	on mismatch, a one-line reason
 * @reason_len:	its size
 *
 * Each identity the manifest names must be present and equal; an identity
 * the manifest does not name is not checked.
 *
 * Return: 0 or -ENOEXEC (built for another build of the module).
 */
int hotpatch_manifest_check_module(const struct hotpatch_mf_obj *obj,
				   const char *srcversion,
				   const u8 *build_id, size_t build_id_len,
				   char *reason, size_t reason_len)
{
	char want[2 * HOTPATCH_BUILD_ID_MAX + 1], have[2 * HOTPATCH_BUILD_ID_MAX + 1];

	if (obj->srcversion && (!srcversion || strcmp(srcversion, obj->srcversion)))
		return mf_fail(reason, reason_len, -ENOEXEC,
			       "module '%s': built for srcversion %s, found %s",
			       obj->name, obj->srcversion,
			       srcversion ? srcversion : "none");
	if (obj->build_id_len && (!build_id || build_id_len != obj->build_id_len ||
				  memcmp(build_id, obj->build_id, build_id_len))) {
		mf_hex(want, sizeof(want), obj->build_id, obj->build_id_len);
		if (build_id)
			mf_hex(have, sizeof(have), build_id,
			       build_id_len < HOTPATCH_BUILD_ID_MAX ?
			       build_id_len : HOTPATCH_BUILD_ID_MAX);
		else
			memcpy(have, "none", sizeof("none"));
		return mf_fail(reason, reason_len, -ENOEXEC,
			       "module '%s': built for build-id %s, found %s",
			       obj->name, want, have);
	}
	return 0;
}

/**
 * hotpatch_mf_mode_name - name of a HOTPATCH_MODE_* value, for logs and sysfs
 * @mode:	the mode
 *
 * Return: "default", "direct", "ops" or "unknown".
 */
const char *hotpatch_mf_mode_name(u32 mode)
{
	switch (mode) {
	case HOTPATCH_MODE_DEFAULT:
		return "default";
	case HOTPATCH_MODE_DIRECT:
		return "direct";
	case HOTPATCH_MODE_OPS:
		return "ops";
	}
	return "unknown";
}

/*
 * Who signed a PKCS#7 message: a minimal DER walk down to the first
 * SignerInfo's identifier (RFC 5652: ContentInfo -> SignedData ->
 * signerInfos -> SignerInfo.sid), as the kernel's scripts/sign-file and
 * hotpatch-sign write it. For reporting only.
 */
#define DER_INTEGER	0x02
#define DER_OCTET	0x04
#define DER_OID		0x06
#define DER_SEQ		0x30
#define DER_SET		0x31
#define DER_CTX0	0xa0	/* [0] constructed */
#define DER_CTX1	0xa1	/* [1] constructed */
#define DER_CTX0_PRIM	0x80	/* [0] primitive: subjectKeyIdentifier */

struct der {
	const u8 *p;
	size_t len;
};

/* Take the next TLV from @d; definite lengths up to 4 bytes, low tags */
static int der_next(struct der *d, u8 *tag, struct der *val)
{
	size_t n = 2, l, i, k;

	if (d->len < 2 || (d->p[0] & 0x1f) == 0x1f)
		return -EBADMSG;
	*tag = d->p[0];
	l = d->p[1];
	if (l & 0x80) {
		k = l & 0x7f;
		if (k == 0 || k > 4 || d->len < 2 + k)
			return -EBADMSG;
		for (l = 0, i = 0; i < k; i++)
			l = l << 8 | d->p[2 + i];
		n += k;
	}
	if (l > d->len - n)
		return -EBADMSG;
	val->p = d->p + n;
	val->len = l;
	d->p += n + l;
	d->len -= n + l;
	return 0;
}

static int der_expect(struct der *d, u8 want, struct der *val)
{
	u8 tag;
	int ret = der_next(d, &tag, val);

	if (ret)
		return ret;
	return tag == want ? 0 : -EBADMSG;
}

static bool der_oid_is(const struct der *oid, const u8 *want, size_t len)
{
	return oid->len == len && !memcmp(oid->p, want, len);
}

static const char *der_hash_name(const struct der *oid)
{
	static const u8 sha2[] = { 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02 };
	static const u8 sha1[] = { 0x2b, 0x0e, 0x03, 0x02, 0x1a };

	if (der_oid_is(oid, sha1, sizeof(sha1)))
		return "sha1";
	if (oid->len != sizeof(sha2) + 1 || memcmp(oid->p, sha2, sizeof(sha2)))
		return "unknown";
	switch (oid->p[sizeof(sha2)]) {
	case 1:
		return "sha256";
	case 2:
		return "sha384";
	case 3:
		return "sha512";
	case 4:
		return "sha224";
	}
	return "unknown";
}

/* The first commonName of an X.501 Name, if it is a plain string */
static void der_find_cn(struct der name, struct hotpatch_sig_id *id)
{
	static const u8 cn_oid[] = { 0x55, 0x04, 0x03 };
	struct der rdn, atv, oid, val;
	u8 tag;

	while (!der_expect(&name, DER_SET, &rdn)) {
		while (!der_expect(&rdn, DER_SEQ, &atv)) {
			if (der_expect(&atv, DER_OID, &oid) ||
			    !der_oid_is(&oid, cn_oid, sizeof(cn_oid)) ||
			    der_next(&atv, &tag, &val))
				continue;
			/* UTF8String, PrintableString, T61String, IA5String */
			if (tag == 0x0c || tag == 0x13 || tag == 0x14 || tag == 0x16) {
				id->cn = (const char *)val.p;
				id->cn_len = val.len;
				return;
			}
		}
	}
}

/**
 * hotpatch_sig_signer - find who signed a PKCS#7 message (not whether)
 * @der:	the DER PKCS#7 (ContentInfo with SignedData)
 * @len:	its size
 * @id:		filled with pointers into @der; zeroed on failure
 *
 * For logs and sysfs only: the result is whatever the bytes claim until
 * verify_pkcs7_signature() has accepted them. Safe on arbitrary bytes.
 *
 * Return: 0, or -EBADMSG when the bytes are not a DER SignedData with at
 * least one SignerInfo.
 */
int hotpatch_sig_signer(const void *der, size_t len, struct hotpatch_sig_id *id)
{
	static const u8 signed_data[] = { 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d,
					  0x01, 0x07, 0x02 };
	struct der d = { der, len }, ci, oid, ctx, sd, v, sis, si, sid, alg;
	u8 tag;

	memset(id, 0, sizeof(*id));
	if (!der || der_expect(&d, DER_SEQ, &ci) ||
	    der_expect(&ci, DER_OID, &oid) ||
	    !der_oid_is(&oid, signed_data, sizeof(signed_data)) ||
	    der_expect(&ci, DER_CTX0, &ctx) || der_expect(&ctx, DER_SEQ, &sd) ||
	    der_expect(&sd, DER_INTEGER, &v) ||		/* version */
	    der_expect(&sd, DER_SET, &v) ||		/* digestAlgorithms */
	    der_expect(&sd, DER_SEQ, &v))		/* encapContentInfo */
		goto bad;
	do {						/* [0] certs, [1] crls */
		if (der_next(&sd, &tag, &sis))
			goto bad;
	} while (tag == DER_CTX0 || tag == DER_CTX1);
	if (tag != DER_SET)
		goto bad;
	while (sis.len) {
		if (der_expect(&sis, DER_SEQ, &si))
			goto bad;
		if (!id->nr_signers++) {
			if (der_expect(&si, DER_INTEGER, &v) ||
			    der_next(&si, &tag, &sid) ||
			    der_expect(&si, DER_SEQ, &alg) ||
			    der_expect(&alg, DER_OID, &oid))
				goto bad;
			id->hash = der_hash_name(&oid);
			if (tag == DER_CTX0_PRIM) {
				id->skid = sid.p;
				id->skid_len = sid.len;
			} else if (tag == DER_SEQ) {
				if (der_expect(&sid, DER_SEQ, &v))
					goto bad;
				id->issuer = v.p;
				id->issuer_len = v.len;
				der_find_cn(v, id);
				if (der_expect(&sid, DER_INTEGER, &v) || !v.len)
					goto bad;
				id->serial = v.p;
				id->serial_len = v.len;
			} else {
				goto bad;
			}
		}
	}
	if (!id->nr_signers)
		goto bad;
	return 0;
bad:
	memset(id, 0, sizeof(*id));
	return -EBADMSG;
}

/**
 * hotpatch_sig_id_names - printable signer and key id, as modinfo shows them
 * @id:		from hotpatch_sig_signer()
 * @signer:	the issuer's CN, bytes outside printable ASCII as '?'; "" if none
 * @signer_len:	its size
 * @key_id:	the serial (or subject key id), "AB:CD:..."; "" if none
 * @key_id_len:	its size (3 bytes per id byte fit; longer ids are cut)
 */
void hotpatch_sig_id_names(const struct hotpatch_sig_id *id, char *signer,
			   size_t signer_len, char *key_id, size_t key_id_len)
{
	static const char digits[] = "0123456789ABCDEF";
	const u8 *k = id->serial ? id->serial : id->skid;
	size_t n = id->serial ? id->serial_len : id->skid_len;
	size_t i, pos = 0;

	if (signer_len) {
		for (i = 0; i < id->cn_len && i + 1 < signer_len; i++)
			signer[i] = id->cn[i] >= ' ' && id->cn[i] < 0x7f ?
				    id->cn[i] : '?';
		signer[i] = '\0';
	}
	if (!key_id_len)
		return;
	/* as kmod shows a serial: without leading zero (sign) bytes */
	while (id->serial && n > 1 && !k[0]) {
		k++;
		n--;
	}
	for (i = 0; k && i < n && pos + 3 <= key_id_len; i++) {
		if (i)
			key_id[pos++] = ':';
		key_id[pos++] = digits[k[i] >> 4];
		key_id[pos++] = digits[k[i] & 0xf];
	}
	if (pos >= key_id_len)	/* cut: the last ':' would not fit */
		pos = key_id_len - 1;
	key_id[pos] = '\0';
}
