// SPDX-License-Identifier: GPL-2.0
/*
 * libhpsign: write a manifest. The result is in canonical form (header,
 * objects, functions, string table, each region right after the previous
 * one; tables sorted as the parser requires) and is checked with the
 * shared parser before it is returned, so the builder can never emit a
 * manifest the core would refuse as malformed.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

struct mfb_obj {
	char *name;
	char *srcversion;
	uint8_t build_id[HOTPATCH_BUILD_ID_MAX];
	size_t build_id_len;
};

struct mfb_func {
	size_t obj;		/* index into objs as added */
	char *old_name;
	uint32_t old_sympos;
	uint32_t old_size;
	char *new_name;
	char *tramp_name;
};

struct hp_mfbuild {
	char *name;
	char *release;
	uint8_t build_id[HOTPATCH_BUILD_ID_MAX];
	size_t build_id_len;
	uint32_t flags;
	uint32_t mode;
	/* metadata: any of them set makes a version-2 manifest */
	char *description;
	char *series;
	uint32_t patch_version;
	char *cves;
	struct mfb_obj *objs;
	size_t nr_objs;
	struct mfb_func *funcs;
	size_t nr_funcs;
	/* string table being built */
	char *strtab;
	size_t strtab_len;
	size_t strtab_cap;
};

static char *xstrdup(const char *s)
{
	return s ? strdup(s) : NULL;
}

int hp_mfbuild_new(const char *name, const char *release,
		   const uint8_t *build_id, size_t build_id_len,
		   struct hp_mfbuild **out)
{
	struct hp_mfbuild *b;

	if (!name || !release || build_id_len > HOTPATCH_BUILD_ID_MAX)
		return -EINVAL;
	b = calloc(1, sizeof(*b));
	if (!b)
		return -ENOMEM;
	b->name = strdup(name);
	b->release = strdup(release);
	if (!b->name || !b->release) {
		hp_mfbuild_free(b);
		return -ENOMEM;
	}
	if (build_id_len)
		memcpy(b->build_id, build_id, build_id_len);
	b->build_id_len = build_id_len;
	*out = b;
	return 0;
}

void hp_mfbuild_free(struct hp_mfbuild *b)
{
	size_t i;

	if (!b)
		return;
	for (i = 0; i < b->nr_objs; i++) {
		free(b->objs[i].name);
		free(b->objs[i].srcversion);
	}
	for (i = 0; i < b->nr_funcs; i++) {
		free(b->funcs[i].old_name);
		free(b->funcs[i].new_name);
		free(b->funcs[i].tramp_name);
	}
	free(b->objs);
	free(b->funcs);
	free(b->name);
	free(b->release);
	free(b->description);
	free(b->series);
	free(b->cves);
	free(b->strtab);
	free(b);
}

void hp_mfbuild_set_flags(struct hp_mfbuild *b, uint32_t flags)
{
	b->flags = flags;
}

void hp_mfbuild_set_mode(struct hp_mfbuild *b, uint32_t mode)
{
	b->mode = mode;
}

int hp_mfbuild_set_meta(struct hp_mfbuild *b, const char *description,
			const char *series, uint32_t patch_version,
			const char *cves)
{
	char *d = NULL, *s = NULL, *c = NULL;

	if ((description && !*description) || (series && !*series) ||
	    (cves && !*cves))
		return -EINVAL;
	if ((description && !(d = strdup(description))) ||
	    (series && !(s = strdup(series))) || (cves && !(c = strdup(cves)))) {
		free(d);
		free(s);
		free(c);
		return -ENOMEM;
	}
	free(b->description);
	free(b->series);
	free(b->cves);
	b->description = d;
	b->series = s;
	b->patch_version = patch_version;
	b->cves = c;
	return 0;
}

static bool cve_id_ok(const char *s, size_t len)
{
	size_t i;

	if (len < 13 || len > HOTPATCH_CVE_ID_MAX || strncmp(s, "CVE-", 4) ||
	    s[8] != '-')
		return false;
	for (i = 4; i < len; i++)
		if (i != 8 && (s[i] < '0' || s[i] > '9'))
			return false;
	return true;
}

int hp_cve_list_add(char **list, const char *ids)
{
	const char *p = ids, *q;
	size_t len, have, n;
	char *l;

	for (;;) {
		p += strspn(p, " ,");
		if (!*p)
			return 0;
		len = strcspn(p, " ,");
		if (!cve_id_ok(p, len))
			return -EINVAL;
		/* already listed? */
		for (q = *list; q && *q; q += n + (q[n] == ' ')) {
			n = strcspn(q, " ");
			if (n == len && !memcmp(q, p, len))
				break;
		}
		if (!q || !*q) {
			have = *list ? strlen(*list) : 0;
			l = realloc(*list, have + len + 2);
			if (!l)
				return -ENOMEM;
			if (have)
				l[have++] = ' ';
			memcpy(l + have, p, len);
			l[have + len] = '\0';
			*list = l;
		}
		p += len;
	}
}

static bool has_meta(const struct hp_mfbuild *b)
{
	return b->description || b->series || b->patch_version || b->cves;
}

static ssize_t find_obj(const struct hp_mfbuild *b, const char *name)
{
	size_t i;

	for (i = 0; i < b->nr_objs; i++)
		if (!strcmp(b->objs[i].name, name))
			return (ssize_t)i;
	return -1;
}

int hp_mfbuild_add_obj(struct hp_mfbuild *b, const char *name,
		       const char *srcversion, const uint8_t *build_id,
		       size_t build_id_len)
{
	struct mfb_obj *o;

	if (!name || build_id_len > HOTPATCH_BUILD_ID_MAX)
		return -EINVAL;
	if (find_obj(b, name) >= 0)
		return -EEXIST;
	o = realloc(b->objs, (b->nr_objs + 1) * sizeof(*o));
	if (!o)
		return -ENOMEM;
	b->objs = o;
	o += b->nr_objs;
	memset(o, 0, sizeof(*o));
	o->name = strdup(name);
	o->srcversion = xstrdup(srcversion);
	if (!o->name || (srcversion && !o->srcversion)) {
		free(o->name);
		free(o->srcversion);
		return -ENOMEM;
	}
	if (build_id_len)
		memcpy(o->build_id, build_id, build_id_len);
	o->build_id_len = build_id_len;
	b->nr_objs++;
	return 0;
}

int hp_mfbuild_add_func(struct hp_mfbuild *b, const char *obj,
			const char *old_name, uint32_t old_sympos,
			uint32_t old_size, const char *new_name,
			const char *tramp_name)
{
	ssize_t oi = obj ? find_obj(b, obj) : -1;
	struct mfb_func *f;

	if (oi < 0 || !old_name || !new_name)
		return -EINVAL;
	f = realloc(b->funcs, (b->nr_funcs + 1) * sizeof(*f));
	if (!f)
		return -ENOMEM;
	b->funcs = f;
	f += b->nr_funcs;
	f->obj = (size_t)oi;
	f->old_sympos = old_sympos;
	f->old_size = old_size;
	f->old_name = strdup(old_name);
	f->new_name = strdup(new_name);
	f->tramp_name = xstrdup(tramp_name);
	if (!f->old_name || !f->new_name || (tramp_name && !f->tramp_name)) {
		free(f->old_name);
		free(f->new_name);
		free(f->tramp_name);
		return -ENOMEM;
	}
	b->nr_funcs++;
	return 0;
}

/* Offset of s in the string table (shared when equal); 0 for NULL */
static int strtab_add(struct hp_mfbuild *b, const char *s, uint32_t *off)
{
	size_t len, pos;
	char *n;

	*off = 0;
	if (!s)
		return 0;
	len = strlen(s);
	for (pos = 1; pos + len < b->strtab_len;
	     pos += strlen(b->strtab + pos) + 1)
		if (!strcmp(b->strtab + pos, s)) {
			*off = (uint32_t)pos;
			return 0;
		}
	if (b->strtab_len + len + 1 > b->strtab_cap) {
		b->strtab_cap = (b->strtab_len + len + 1) * 2;
		n = realloc(b->strtab, b->strtab_cap);
		if (!n)
			return -ENOMEM;
		b->strtab = n;
	}
	memcpy(b->strtab + b->strtab_len, s, len + 1);
	*off = (uint32_t)b->strtab_len;
	b->strtab_len += len + 1;
	return 0;
}

static void put16(__le16 *p, uint16_t v)
{
	uint8_t *b = (uint8_t *)p;

	b[0] = (uint8_t)v;
	b[1] = (uint8_t)(v >> 8);
}

static void put32(__le32 *p, uint32_t v)
{
	uint8_t *b = (uint8_t *)p;

	b[0] = (uint8_t)v;
	b[1] = (uint8_t)(v >> 8);
	b[2] = (uint8_t)(v >> 16);
	b[3] = (uint8_t)(v >> 24);
}

/* sort helpers: qsort has no context argument in C11 */
static const struct hp_mfbuild *sort_b;

static int cmp_obj(const void *a, const void *b)
{
	const size_t *x = a, *y = b;

	return strcmp(sort_b->objs[*x].name, sort_b->objs[*y].name);
}

static int cmp_func(const void *a, const void *b)
{
	const struct mfb_func *x = &sort_b->funcs[*(const size_t *)a];
	const struct mfb_func *y = &sort_b->funcs[*(const size_t *)b];
	int c = strcmp(sort_b->objs[x->obj].name, sort_b->objs[y->obj].name);

	if (c)
		return c;
	c = strcmp(x->old_name, y->old_name);
	if (c)
		return c;
	return x->old_sympos < y->old_sympos ? -1 : x->old_sympos > y->old_sympos;
}

int hp_mfbuild_build(struct hp_mfbuild *b, uint8_t **buf, size_t *len,
		     struct hp_msg *msg)
{
	char reason[HOTPATCH_MF_REASON_LEN];
	struct hotpatch_manifest_hdr *h;
	struct hotpatch_manifest_obj *o;
	struct hotpatch_manifest_func *f;
	struct hotpatch_manifest_meta *meta;
	size_t *oord = NULL, *ford = NULL, i, j, total, obj_off, func_off, str_off;
	uint32_t off, fi;
	struct hotpatch_mf mf;
	uint8_t *out = NULL;
	int err = -ENOMEM;

	b->strtab_len = 0;
	if (strtab_add(b, "", &off))	/* offset 0: the empty string */
		return -ENOMEM;
	b->strtab_len = 1;
	b->strtab[0] = '\0';
	oord = calloc(b->nr_objs + 1, sizeof(*oord));
	ford = calloc(b->nr_funcs + 1, sizeof(*ford));
	if (!oord || !ford)
		goto out;
	for (i = 0; i < b->nr_objs; i++)
		oord[i] = i;
	for (i = 0; i < b->nr_funcs; i++)
		ford[i] = i;
	sort_b = b;
	qsort(oord, b->nr_objs, sizeof(*oord), cmp_obj);
	qsort(ford, b->nr_funcs, sizeof(*ford), cmp_func);
	sort_b = NULL;

	/* string table first, to know its size */
	if (strtab_add(b, b->name, &off) || strtab_add(b, b->release, &off))
		goto out;
	for (i = 0; i < b->nr_objs; i++)
		if (strtab_add(b, b->objs[i].name, &off) ||
		    strtab_add(b, b->objs[i].srcversion, &off))
			goto out;
	for (i = 0; i < b->nr_funcs; i++)
		if (strtab_add(b, b->funcs[i].old_name, &off) ||
		    strtab_add(b, b->funcs[i].new_name, &off) ||
		    strtab_add(b, b->funcs[i].tramp_name, &off))
			goto out;

	if (has_meta(b) &&
	    (strtab_add(b, b->description, &off) || strtab_add(b, b->series, &off) ||
	     strtab_add(b, b->cves, &off)))
		goto out;

	obj_off = sizeof(*h) + (has_meta(b) ? sizeof(*meta) : 0);
	func_off = obj_off + b->nr_objs * sizeof(*o);
	str_off = func_off + b->nr_funcs * sizeof(*f);
	total = str_off + b->strtab_len;
	out = calloc(1, total);
	if (!out)
		goto out;
	h = (void *)out;
	memcpy(h->magic, HOTPATCH_MANIFEST_MAGIC, sizeof(HOTPATCH_MANIFEST_MAGIC));
	put16(&h->version, has_meta(b) ? HOTPATCH_MANIFEST_VERSION_2 :
					 HOTPATCH_MANIFEST_VERSION_1);
	put16(&h->hdr_size, (uint16_t)obj_off);
	put32(&h->total_size, (uint32_t)total);
	put32(&h->flags, b->flags);
	put32(&h->mode, b->mode);
	strtab_add(b, b->name, &off);
	put32(&h->name, off);
	strtab_add(b, b->release, &off);
	put32(&h->release, off);
	put32(&h->obj_off, (uint32_t)obj_off);
	put32(&h->obj_count, (uint32_t)b->nr_objs);
	put32(&h->func_off, (uint32_t)func_off);
	put32(&h->func_count, (uint32_t)b->nr_funcs);
	put32(&h->strtab_off, (uint32_t)str_off);
	put32(&h->strtab_size, (uint32_t)b->strtab_len);
	h->build_id_len = (uint8_t)b->build_id_len;
	memcpy(h->build_id, b->build_id, b->build_id_len);
	if (has_meta(b)) {
		meta = (void *)(out + sizeof(*h));
		strtab_add(b, b->description, &off);
		put32(&meta->description, off);
		strtab_add(b, b->series, &off);
		put32(&meta->series, off);
		put32(&meta->patch_version, b->patch_version);
		strtab_add(b, b->cves, &off);
		put32(&meta->cves, off);
	}

	fi = 0;
	for (i = 0; i < b->nr_objs; i++) {
		const struct mfb_obj *src = &b->objs[oord[i]];
		uint32_t count = 0;

		o = (void *)(out + obj_off + i * sizeof(*o));
		strtab_add(b, src->name, &off);
		put32(&o->name, off);
		strtab_add(b, src->srcversion, &off);
		put32(&o->srcversion, off);
		o->build_id_len = (uint8_t)src->build_id_len;
		memcpy(o->build_id, src->build_id, src->build_id_len);
		put32(&o->func_index, fi);
		for (j = 0; j < b->nr_funcs; j++) {
			const struct mfb_func *sf = &b->funcs[ford[j]];

			if (sf->obj != oord[i])
				continue;
			f = (void *)(out + func_off + (fi + count) * sizeof(*f));
			strtab_add(b, sf->old_name, &off);
			put32(&f->old_name, off);
			put32(&f->old_sympos, sf->old_sympos);
			put32(&f->old_size, sf->old_size);
			strtab_add(b, sf->new_name, &off);
			put32(&f->new_name, off);
			strtab_add(b, sf->tramp_name, &off);
			put32(&f->tramp_name, off);
			count++;
		}
		put32(&o->func_count, count);
		fi += count;
	}
	memcpy(out + str_off, b->strtab, b->strtab_len);

	err = hotpatch_manifest_parse(out, total, &mf, reason, sizeof(reason));
	if (err) {
		hp_msg_set(msg, err, "%s", reason);
		goto out;
	}
	*buf = out;
	*len = total;
	out = NULL;
out:
	free(out);
	free(oord);
	free(ford);
	return err;
}
