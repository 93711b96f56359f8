// SPDX-License-Identifier: GPL-2.0
/*
 * Correlate: pair every symbol and section of the patched object with its
 * twin in the original, by name with compiler suffixes normalised.
 *
 *  - undefined symbols pair by exact name;
 *  - functions and objects pair by normalised name and type; when several
 *    share a normalised name (two functions with a "static int count"),
 *    static locals pair through the functions that use them, everything
 *    else in order of appearance;
 *  - special statics (__already_done, __func__, …) never pair;
 *  - sections holding one symbol follow that symbol, other sections pair
 *    by normalised name; relocation sections follow their base.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

static void link_parents(struct hp_elf *e)
{
	struct hp_symbol *s, *p;
	char parent[512];

	hp_for_each_symbol(e, s) {
		if (s->sec && hp_symbol_is_object(s) && s->bind == STB_LOCAL &&
		    hp_name_is_special_static(s->name))
			s->special_static = true;
		if (!hp_symbol_is_func(s) || !s->sec ||
		    !hp_name_child_parent(s->name, parent, sizeof(parent)))
			continue;
		hp_for_each_symbol(e, p)
			if (p != s && hp_symbol_is_func(p) && p->sec &&
			    !strcmp(p->name, parent)) {
				s->parent = p;
				break;
			}
	}
}

static bool pairable(const struct hp_symbol *s)
{
	return s->sec && !s->special_static &&
	       (hp_symbol_is_func(s) || hp_symbol_is_object(s));
}

static bool same_kind(const struct hp_symbol *a, const struct hp_symbol *b)
{
	return a->type == b->type && !strcmp(a->norm, b->norm);
}

static void pair(struct hp_symbol *o, struct hp_symbol *p)
{
	o->twin = p;
	p->twin = o;
}

/* pairable symbols sorted by (type, normalised name, symbol index) */
static int cmp_key(const void *a, const void *b)
{
	const struct hp_symbol *x = *(struct hp_symbol *const *)a;
	const struct hp_symbol *y = *(struct hp_symbol *const *)b;
	int c;

	if (x->type != y->type)
		return x->type < y->type ? -1 : 1;
	c = strcmp(x->norm, y->norm);
	if (c)
		return c;
	return x->index < y->index ? -1 : (x->index > y->index);
}

static struct hp_symbol **sorted_pairable(struct hp_elf *e, size_t *n)
{
	struct hp_symbol **v, *s;

	*n = 0;
	v = calloc(e->nr_symbols ? e->nr_symbols : 1, sizeof(*v));
	if (!v)
		return NULL;
	hp_for_each_symbol(e, s)
		if (pairable(s))
			v[(*n)++] = s;
	if (*n)
		qsort(v, *n, sizeof(*v), cmp_key);
	return v;
}

/* [first, first + len) of v holding symbols like 'like' */
static size_t group_of(struct hp_symbol **v, size_t n, const struct hp_symbol *like,
		       size_t *first)
{
	size_t lo = 0, hi = n, len = 0;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (v[mid]->type < like->type ||
		    (v[mid]->type == like->type && strcmp(v[mid]->norm, like->norm) < 0))
			lo = mid + 1;
		else
			hi = mid;
	}
	*first = lo;
	while (lo + len < n && same_kind(v[lo + len], like))
		len++;
	return len;
}

/* A static local: pair through a function that uses it, which is paired. */
static struct hp_symbol *pair_by_user(struct hp_elf *pe, struct hp_symbol *p)
{
	struct hp_section *s;

	hp_for_each_section(pe, s) {
		struct hp_rela *r;

		if (!hp_section_is_text(s) || !s->rela)
			continue;
		hp_for_each_rela(s, r) {
			struct hp_symbol *f, *of;
			struct hp_rela *or;

			if (r->tsym != p)
				continue;
			f = hp_section_symbol_at(s, r->offset);
			if (!f || !f->twin || !f->twin->sec)
				continue;
			of = f->twin;
			hp_for_each_rela(of->sec, or) {
				if (or->offset < of->sym.st_value ||
				    or->offset >= of->sym.st_value + of->sym.st_size)
					continue;
				if (or->tsym && !or->tsym->twin && pairable(or->tsym) &&
				    same_kind(or->tsym, p))
					return or->tsym;
			}
		}
	}
	return NULL;
}

static int correlate_symbols(struct hp_elf *oe, struct hp_elf *pe, bool objects)
{
	struct hp_symbol **ov, **pv;
	size_t no, np, i = 0;

	ov = sorted_pairable(oe, &no);
	pv = sorted_pairable(pe, &np);
	if (!ov || !pv) {
		free(ov);
		free(pv);
		return -ENOMEM;
	}
	while (i < np) {
		size_t pfirst, plen = group_of(pv, np, pv[i], &pfirst);
		size_t ofirst, olen = group_of(ov, no, pv[i], &ofirst), k;

		if (hp_symbol_is_object(pv[i]) != objects || olen == 0)
			goto next;
		if (olen == 1 && plen == 1) {
			if (!ov[ofirst]->twin && !pv[pfirst]->twin)
				pair(ov[ofirst], pv[pfirst]);
			goto next;
		}
		for (k = 0; k < plen; k++) {
			struct hp_symbol *p = pv[pfirst + k], *o;

			if (p->twin)
				continue;
			if (objects && p->bind == STB_LOCAL) {
				o = pair_by_user(pe, p);
				if (o) {
					pair(o, p);
					continue;
				}
			}
			/* same number on both sides: in order of appearance */
			if (olen == plen && !ov[ofirst + k]->twin)
				pair(ov[ofirst + k], p);
		}
next:
		i = pfirst + (plen ? plen : 1);
	}
	free(ov);
	free(pv);
	return 0;
}

static void correlate_undefined(struct hp_elf *oe, struct hp_elf *pe)
{
	struct hp_symbol *p, *o;

	hp_for_each_symbol(pe, p) {
		if (p->sec || p->type == STT_SECTION || p->type == STT_FILE ||
		    !p->name[0])
			continue;
		hp_for_each_symbol(oe, o)
			if (!o->sec && !o->twin && o->type != STT_SECTION &&
			    !strcmp(o->name, p->name)) {
				pair(o, p);
				break;
			}
	}
}

/* Labels (NOTYPE, defined: asm symbols, __kstrtab_*) pair by exact name. */
static void correlate_labels(struct hp_elf *oe, struct hp_elf *pe)
{
	struct hp_symbol *p, *o;

	hp_for_each_symbol(pe, p) {
		if (!p->sec || p->type != STT_NOTYPE || !p->name[0] || p->twin)
			continue;
		hp_for_each_symbol(oe, o)
			if (o->sec && o->type == STT_NOTYPE && !o->twin &&
			    !strcmp(o->name, p->name)) {
				pair(o, p);
				break;
			}
	}
}

static bool section_pairable(const struct hp_section *s)
{
	return !s->twin && !hp_section_is_rela(s) && s->sh.sh_type != SHT_NULL;
}

static void correlate_sections(struct hp_elf *oe, struct hp_elf *pe)
{
	struct hp_section *p, *o;

	hp_for_each_section(pe, p) {
		if (!section_pairable(p))
			continue;
		if (p->sym) {
			o = p->sym->twin ? p->sym->twin->sec : NULL;
			if (o && o->sym == p->sym->twin && section_pairable(o)) {
				p->twin = o;
				o->twin = p;
			}
			continue;
		}
		/* no single symbol: pair by normalised name */
		{
			char *pn = hp_name_normalize(p->name);

			if (!pn)
				continue;
			hp_for_each_section(oe, o) {
				char *on;
				bool eq;

				if (!section_pairable(o) || o->sym ||
				    o->sh.sh_type != p->sh.sh_type)
					continue;
				on = hp_name_normalize(o->name);
				eq = on && !strcmp(on, pn);
				free(on);
				if (eq) {
					p->twin = o;
					o->twin = p;
					break;
				}
			}
			free(pn);
		}
	}
	hp_for_each_section(pe, p) {
		if (!p->twin)
			continue;
		if (p->rela && p->twin->rela) {
			p->rela->twin = p->twin->rela;
			p->twin->rela->twin = p->rela;
		}
		if (p->secsym && p->twin->secsym) {
			p->secsym->twin = p->twin->secsym;
			p->twin->secsym->twin = p->secsym;
		}
	}
}

int hp_correlate(struct hp_diff *d, struct hp_error *err)
{
	struct hp_elf *oe = d->orig, *pe = d->patched;

	link_parents(oe);
	link_parents(pe);
	int ret;

	correlate_undefined(oe, pe);
	correlate_labels(oe, pe);
	ret = correlate_symbols(oe, pe, false);		/* functions first … */
	if (!ret)
		ret = correlate_symbols(oe, pe, true);	/* … statics pair through them */
	if (ret)
		return hp_error_set(err, ret, "out of memory");
	correlate_sections(oe, pe);
	return 0;
}
