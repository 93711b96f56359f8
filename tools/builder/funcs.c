// SPDX-License-Identifier: GPL-2.0
/*
 * The patch object's list of its functions: section .hotpatch.funcs
 * (docs/builder.md, "The patch object"). The differ's writer emits it, so
 * that `hotpatch-build module` knows what to redirect without diffing
 * again; the module generator reads it back.
 *
 *   offset 0   char magic[8] "HPFUNCS\0"
 *          8   u32 version (2; version 1 records have no sympos)
 *         12   u32 count
 *         16   u32 target   string: the object the code belongs to
 *         20   u32 reserved (0)
 *         24   count records of 20 bytes (16 in version 1):
 *                u32 status    1 changed (replaces old_name), 2 new
 *                u32 name      string: the function's symbol in this object
 *                u32 old_name  string: its name in the original object (the
 *                              running kernel's name); 0 for a new function
 *                u32 file      string: the original object's source file
 *                              (its STT_FILE symbol), 0 when unknown
 *                u32 sympos    the target's sympos of old_name, as the
 *                              resolve stage found it (kallsyms
 *                              neighbourhoods); 0: unique, or not resolved
 *              then the strings, NUL-terminated; string offsets count from
 *              the first byte after the records, offset 0 is "".
 * All integers little-endian.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#define FUNCS_MAGIC	"HPFUNCS"	/* + its NUL: 8 bytes */
#define FUNCS_HDR	24
#define FUNCS_REC	20
#define FUNCS_REC_V1	16

static void put32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)v;
	p[1] = (unsigned char)(v >> 8);
	p[2] = (unsigned char)(v >> 16);
	p[3] = (unsigned char)(v >> 24);
}

static uint32_t get32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

/* The source file an object was compiled from: its first STT_FILE symbol. */
static const char *source_file(struct hp_elf *e)
{
	struct hp_symbol *s;

	if (!e)
		return NULL;
	hp_for_each_symbol(e, s)
		if (s->type == STT_FILE && s->name[0])
			return s->name;
	return NULL;
}

struct strbuf {
	unsigned char *buf;
	size_t len;
};

static uint32_t sb_add(struct strbuf *b, const char *s, int *ret)
{
	size_t n = strlen(s) + 1, off;
	unsigned char *nb;

	if (!s[0] || *ret)
		return 0;
	/* reuse an identical string */
	for (off = 1; off + n <= b->len; off++)
		if (!memcmp(b->buf + off, s, n) && b->buf[off - 1] == 0)
			return (uint32_t)off;
	nb = realloc(b->buf, b->len + n);
	if (!nb) {
		*ret = -ENOMEM;
		return 0;
	}
	b->buf = nb;
	memcpy(b->buf + b->len, s, n);
	off = b->len;
	b->len += n;
	return (uint32_t)off;
}

int hp_funcs_encode(struct hp_diff *d, unsigned char **out, size_t *out_len)
{
	const struct hp_verdict *v = &d->v;
	const char *file = source_file(d->orig);
	struct strbuf sb = { .buf = calloc(1, 1), .len = 1 };
	unsigned char *recs, *buf;
	size_t i;
	int ret = 0;

	*out = NULL;
	recs = calloc(v->nr_funcs ? v->nr_funcs : 1, FUNCS_REC);
	if (!recs || !sb.buf) {
		free(recs);
		free(sb.buf);
		return -ENOMEM;
	}
	for (i = 0; i < v->nr_funcs; i++) {
		const struct hp_verdict_sym *f = &v->funcs[i];
		struct hp_symbol *s = hp_elf_find_symbol(d->patched, f->name);
		unsigned char *r = recs + i * FUNCS_REC;
		const char *old = NULL;

		if (f->status == HP_CHANGED && s && s->twin)
			old = s->twin->name;
		else if (f->status == HP_CHANGED)
			old = f->name;
		put32(r, f->status == HP_CHANGED ? HP_FUNCS_CHANGED : HP_FUNCS_NEW);
		put32(r + 4, sb_add(&sb, f->name, &ret));
		put32(r + 8, old ? sb_add(&sb, old, &ret) : 0);
		put32(r + 12, file ? sb_add(&sb, file, &ret) : 0);
		put32(r + 16, d->func_sympos && f->status == HP_CHANGED ? d->func_sympos[i] : 0);
	}
	{
		uint32_t target = sb_add(&sb, d->target, &ret);
		size_t len = FUNCS_HDR + v->nr_funcs * FUNCS_REC + sb.len;

		buf = ret ? NULL : calloc(1, len);
		if (buf) {
			memcpy(buf, FUNCS_MAGIC, sizeof(FUNCS_MAGIC));
			put32(buf + 8, HP_FUNCS_VERSION);
			put32(buf + 12, (uint32_t)v->nr_funcs);
			put32(buf + 16, target);
			memcpy(buf + FUNCS_HDR, recs, v->nr_funcs * FUNCS_REC);
			memcpy(buf + FUNCS_HDR + v->nr_funcs * FUNCS_REC, sb.buf, sb.len);
			*out = buf;
			*out_len = len;
		} else if (!ret) {
			ret = -ENOMEM;
		}
	}
	free(recs);
	free(sb.buf);
	return ret;
}

void hp_funcs_free(struct hp_funcs *f)
{
	size_t i;

	if (!f)
		return;
	for (i = 0; i < f->nr; i++) {
		free(f->ents[i].name);
		free(f->ents[i].old_name);
		free(f->ents[i].file);
	}
	free(f->ents);
	free(f->target);
	free(f);
}

static int bad(struct hp_error *err, const char *what, const char *why)
{
	return hp_error_set(err, -EINVAL, "%s: malformed %s: %s", what,
			    HP_FUNCS_SECTION, why);
}

/* A string of the table, checked to lie inside it. */
static char *str_at(const unsigned char *strs, size_t len, uint32_t off)
{
	const unsigned char *end;

	if (off >= len)
		return NULL;
	end = memchr(strs + off, 0, len - off);
	return end ? strdup((const char *)strs + off) : NULL;
}

int hp_funcs_decode(const void *data, size_t len, const char *what,
		    struct hp_funcs **out, struct hp_error *err)
{
	const unsigned char *p = data, *strs;
	struct hp_funcs *f;
	size_t count, strs_len, i, rec;
	uint32_t version;

	*out = NULL;
	if (len < FUNCS_HDR || memcmp(p, FUNCS_MAGIC, sizeof(FUNCS_MAGIC)))
		return bad(err, what, "no header");
	version = get32(p + 8);
	if (version != 1 && version != HP_FUNCS_VERSION)
		return hp_error_set(err, -EINVAL,
				    "%s: %s version %u, this hotpatch-build reads versions 1 to %u: "
				    "write the patch object with the same hotpatch-build",
				    what, HP_FUNCS_SECTION, version, HP_FUNCS_VERSION);
	rec = version == 1 ? FUNCS_REC_V1 : FUNCS_REC;
	count = get32(p + 12);
	if (get32(p + 20) || count > (len - FUNCS_HDR) / rec)
		return bad(err, what, "bad count");
	strs = p + FUNCS_HDR + count * rec;
	strs_len = len - FUNCS_HDR - count * rec;
	if (!strs_len || strs[0] || strs[strs_len - 1])
		return bad(err, what, "string table not NUL-bounded");
	f = calloc(1, sizeof(*f));
	if (!f || (count && !(f->ents = calloc(count, sizeof(*f->ents))))) {
		free(f);
		return hp_error_set(err, -ENOMEM, "out of memory");
	}
	f->target = str_at(strs, strs_len, get32(p + 16));
	if (!f->target || !f->target[0]) {
		hp_funcs_free(f);
		return bad(err, what, "no target");
	}
	for (i = 0; i < count; i++) {
		const unsigned char *r = p + FUNCS_HDR + i * rec;
		struct hp_funcs_ent *e = &f->ents[f->nr++];
		uint32_t st = get32(r);

		e->status = st == HP_FUNCS_CHANGED ? HP_CHANGED : HP_NEW;
		e->name = str_at(strs, strs_len, get32(r + 4));
		e->old_name = str_at(strs, strs_len, get32(r + 8));
		e->file = str_at(strs, strs_len, get32(r + 12));
		e->sympos = version == 1 ? 0 : get32(r + 16);
		if ((st != HP_FUNCS_CHANGED && st != HP_FUNCS_NEW) ||
		    !e->name || !e->name[0] || !e->old_name || !e->file ||
		    (st == HP_FUNCS_CHANGED && !e->old_name[0]) ||
		    (st != HP_FUNCS_CHANGED && e->sympos)) {
			hp_funcs_free(f);
			return bad(err, what, "bad record");
		}
	}
	*out = f;
	return 0;
}

int hp_funcs_read(const char *path, struct hp_funcs **out, struct hp_error *err)
{
	struct hp_elf *e = NULL;
	struct hp_section *s;
	int ret;

	*out = NULL;
	ret = hp_elf_open(path, &e, err);
	if (ret)
		return ret;
	s = hp_elf_find_section(e, HP_FUNCS_SECTION);
	if (!s || !s->data)
		ret = hp_error_set(err, -ENOENT,
				   "%s: no %s section: not a patch object of `hotpatch-build "
				   "diff -o` (or of an older one): write it again with "
				   "`hotpatch-build diff -o`", path, HP_FUNCS_SECTION);
	else
		ret = hp_funcs_decode(s->data, s->size, path, out, err);
	hp_elf_free(e);
	return ret;
}
