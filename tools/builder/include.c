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

/*
 * What included code references is followed with an explicit work list, not
 * recursion: a hostile object can chain any number of new symbols.
 */
struct hp_work {
	struct hp_section *sec;
	uint64_t start, end;
};

static int push_work(struct hp_diff *d, struct hp_section *sec, uint64_t start,
		     uint64_t end)
{
	struct hp_work *w = hp_array_push((void **)&d->work, &d->nr_work,
					  &d->alloc_work, sizeof(*w));

	if (!w)
		return -ENOMEM;
	w->sec = sec;
	w->start = start;
	w->end = end;
	return 0;
}

static bool readonly_object(const struct hp_symbol *s)
{
	return s->sec && hp_symbol_is_object(s) &&
	       !(s->sec->sh.sh_flags & (SHF_WRITE | SHF_EXECINSTR));
}

static int mark_symbol(struct hp_diff *d, struct hp_symbol *s, const char *why)
{
	if (s->include || !s->sec)
		return 0;
	s->include = true;
	if (why && !s->why)
		s->why = why;
	include_section(s->sec);
	/* shared code goes out whole (writer.c): follow all of it */
	if (!s->sec->sym && (s->sec->sh.sh_flags & SHF_EXECINSTR))
		return push_work(d, s->sec, 0, s->sec->size);
	return push_work(d, s->sec, s->sym.st_value, s->sym.st_value + s->sym.st_size);
}

static int follow(struct hp_diff *d, const struct hp_work *w)
{
	struct hp_rela *r;
	int ret = 0;

	hp_for_each_rela(w->sec, r) {
		struct hp_symbol *t = r->tsym;

		if (r->offset < w->start || r->offset >= w->end || !t || !t->sec)
			continue;
		if (t->type == STT_SECTION || hp_symbol_is_merge_label(t)) {
			struct hp_section *ts = t->sec;

			/* a label in merged constants comes along with them */
			t->include = true;
			if (ts->include)
				continue;
			include_section(ts);
			/* strings carry no relocations; jump tables do */
			ret = push_work(d, ts, 0, ts->size);
		} else if (t->include) {
			continue;
		} else if (t->special_static) {
			ret = mark_symbol(d, t, "per-call-site static");
		} else if (!t->twin) {
			ret = mark_symbol(d, t, "new");
		} else if (t->status == HP_CHANGED && readonly_object(t)) {
			ret = mark_symbol(d, t, "fresh copy of changed read-only data");
		}
		/* else: exists in the target, referenced from outside */
		if (ret)
			return ret;
	}
	return 0;
}

static int drain(struct hp_diff *d)
{
	int ret = 0;

	while (!ret && d->nr_work) {
		struct hp_work w = ((struct hp_work *)d->work)[--d->nr_work];

		ret = follow(d, &w);
	}
	return ret;
}

int hp_include_symbol(struct hp_diff *d, struct hp_symbol *s, const char *why)
{
	int ret = mark_symbol(d, s, why);

	return ret ? ret : drain(d);
}

int hp_include_section(struct hp_diff *d, struct hp_section *s)
{
	int ret;

	if (s->include)
		return 0;
	include_section(s);
	ret = push_work(d, s, 0, s->size);
	return ret ? ret : drain(d);
}

static bool is_child(const struct hp_symbol *s)
{
	return s->parent != NULL;
}

/* A changed child makes its parent changed; repeat for .part.N.cold. */
static void parents_of_changed_children(struct hp_elf *pe)
{
	struct hp_symbol *s;
	bool again = true;

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
}

int hp_include(struct hp_diff *d, struct hp_error *err)
{
	struct hp_elf *pe = d->patched;
	struct hp_symbol *s;
	bool again;
	int ret;

	(void)err;
	/* children and parents travel together */
	parents_of_changed_children(pe);
	/* exit code left out; callers of bodies without fentry (notrace.c) */
	ret = hp_notrace(d);
	if (ret)
		return ret;
	parents_of_changed_children(pe);
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
