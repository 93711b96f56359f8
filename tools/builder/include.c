// SPDX-License-Identifier: GPL-2.0
/*
 * Include: mark what goes into the patch object.
 *
 *  - every changed or new function;
 *  - a changed .cold/.part child makes its parent changed, and a changed
 *    parent brings its children along;
 *  - new data (no twin in the original);
 *  - what included code references and cannot find in the running kernel:
 *    new symbols, per-call-site statics, strings and other anonymous
 *    sections, and fresh copies of changed read-only data.
 * Everything else an included function references (unchanged functions,
 * existing data, undefined symbols) stays outside and is resolved against
 * the target at load time (klp relocations, see docs/builder.md).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

static void include_section(struct hp_section *s)
{
	s->include = true;
	if (s->rela)
		s->rela->include = true;
	if (s->secsym)
		s->secsym->include = true;
}

static int include_refs(struct hp_diff *d, struct hp_section *sec,
			uint64_t start, uint64_t end, int depth);

int hp_include_symbol(struct hp_diff *d, struct hp_symbol *s, const char *why)
{
	if (s->include || !s->sec)
		return 0;
	s->include = true;
	if (why && !s->why)
		s->why = why;
	include_section(s->sec);
	return include_refs(d, s->sec, s->sym.st_value,
			    s->sym.st_value + s->sym.st_size, 0);
}

static bool readonly_object(const struct hp_symbol *s)
{
	return s->sec && hp_symbol_is_object(s) &&
	       !(s->sec->sh.sh_flags & (SHF_WRITE | SHF_EXECINSTR));
}

static int include_refs(struct hp_diff *d, struct hp_section *sec,
			uint64_t start, uint64_t end, int depth)
{
	struct hp_rela *r;
	int ret;

	if (depth > 64)
		return hp_refuse(d, HP_REFUSE_UNSUPPORTED, sec->name,
				 "references nest too deeply to follow");
	hp_for_each_rela(sec, r) {
		struct hp_symbol *t = r->tsym;

		if (r->offset < start || r->offset >= end || !t || !t->sec)
			continue;
		if (t->type == STT_SECTION) {
			struct hp_section *ts = t->sec;

			if (ts->include)
				continue;
			include_section(ts);
			/* strings carry no relocations; jump tables do */
			ret = include_refs(d, ts, 0, ts->size, depth + 1);
			if (ret)
				return ret;
			continue;
		}
		if (t->include)
			continue;
		if (t->special_static) {
			ret = hp_include_symbol(d, t, "per-call-site static");
		} else if (!t->twin) {
			ret = hp_include_symbol(d, t, "new");
		} else if (t->status == HP_CHANGED && readonly_object(t)) {
			ret = hp_include_symbol(d, t, "fresh copy of changed read-only data");
		} else {
			continue;	/* exists in the target: referenced from outside */
		}
		if (ret)
			return ret;
	}
	return 0;
}

static bool is_child(const struct hp_symbol *s)
{
	return s->parent != NULL;
}

int hp_include(struct hp_diff *d, struct hp_error *err)
{
	struct hp_elf *pe = d->patched;
	struct hp_symbol *s;
	bool again = true;
	int ret;

	(void)err;
	/* children and parents travel together; repeat for .part.N.cold */
	while (again) {
		again = false;
		hp_for_each_symbol(pe, s) {
			if (!hp_symbol_is_func(s) || !s->sec || !is_child(s))
				continue;
			if (s->status != HP_SAME && s->parent->status == HP_SAME) {
				s->parent->status = HP_CHANGED;
				s->parent->why = "its .cold/.part child changed";
				if (s->parent->sec && !s->parent->sec->sym)
					;
				else if (s->parent->sec)
					s->parent->sec->status = HP_CHANGED;
				again = true;
			}
		}
	}
	hp_for_each_symbol(pe, s) {
		if (!s->sec || (!hp_symbol_is_func(s) && !hp_symbol_is_object(s)))
			continue;
		if (s->special_static)
			continue;	/* only when referenced */
		if (s->status == HP_SAME)
			continue;
		/* changed writable data is refused (verify.c), never copied */
		if (hp_symbol_is_object(s) && s->status == HP_CHANGED &&
		    !readonly_object(s))
			continue;
		ret = hp_include_symbol(d, s, s->why);
		if (ret)
			return ret;
	}
	/* bring the children of included parents */
	again = true;
	while (again) {
		again = false;
		hp_for_each_symbol(pe, s) {
			if (!hp_symbol_is_func(s) || !s->sec || !is_child(s) ||
			    s->include || !s->parent->include)
				continue;
			ret = hp_include_symbol(d, s, "child of a changed function");
			if (ret)
				return ret;
			again = true;
		}
	}
	return 0;
}
