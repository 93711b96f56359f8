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

static size_t count_like(struct hp_elf *e, const struct hp_symbol *like)
{
	struct hp_symbol *s;
	size_t n = 0;

	hp_for_each_symbol(e, s)
		if (pairable(s) && same_kind(s, like))
			n++;
	return n;
}

static void pair(struct hp_symbol *o, struct hp_symbol *p)
{
	o->twin = p;
	p->twin = o;
}

/* The n-th (0-based) unpaired symbol like 'like' in e. */
static struct hp_symbol *nth_like(struct hp_elf *e, const struct hp_symbol *like,
				  size_t n)
{
	struct hp_symbol *s;

	hp_for_each_symbol(e, s)
		if (pairable(s) && same_kind(s, like) && n-- == 0)
			return s;
	return NULL;
}

static size_t rank_of(struct hp_elf *e, const struct hp_symbol *sym)
{
	struct hp_symbol *s;
	size_t n = 0;

	hp_for_each_symbol(e, s) {
		if (s == sym)
			return n;
		if (pairable(s) && same_kind(s, sym))
			n++;
	}
	return n;
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

static void correlate_symbols(struct hp_elf *oe, struct hp_elf *pe, bool objects)
{
	struct hp_symbol *p, *o;

	hp_for_each_symbol(pe, p) {
		size_t no, np;

		if (p->twin || !pairable(p) || hp_symbol_is_object(p) != objects)
			continue;
		no = count_like(oe, p);
		np = count_like(pe, p);
		if (no == 0)
			continue;
		if (no == 1 && np == 1) {
			o = nth_like(oe, p, 0);
			if (o && !o->twin)
				pair(o, p);
			continue;
		}
		if (objects && p->bind == STB_LOCAL) {
			o = pair_by_user(pe, p);
			if (o) {
				pair(o, p);
				continue;
			}
		}
		if (no == np) {
			o = nth_like(oe, p, rank_of(pe, p));
			if (o && !o->twin)
				pair(o, p);
		}
	}
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

	(void)err;
	link_parents(oe);
	link_parents(pe);
	correlate_undefined(oe, pe);
	correlate_symbols(oe, pe, false);	/* functions first … */
	correlate_symbols(oe, pe, true);	/* … statics pair through them */
	correlate_sections(oe, pe);
	return 0;
}
