// SPDX-License-Identifier: GPL-2.0
/*
 * Functions that cannot be redirected, decided before inclusion.
 *
 * A changed function without an fentry call has no ftrace site to redirect.
 * In the kernel every static inline function is notrace ("inline" carries
 * notrace, include/linux/compiler_types.h), so an out-of-line copy of one,
 * such as the body of a SYSCALL_DEFINE (__do_sys_NAME), is such a function.
 * When it is local and every reference to it in the original object is a
 * direct call or jump from functions that have an fentry call (or,
 * recursively and boundedly, from other such locals), those callers are
 * redirected instead: they become CHANGED, their patch copies call the new
 * body, which the patch carries without redirecting it. Anything else (a
 * global, an address taken, a caller in init or noinstr code, a global
 * untraceable caller) stays a no-fentry refusal (verify.c), with the reason.
 *
 * Exit code (.exit.text: module_exit and __exit, notrace too) never runs
 * again in the running kernel, except at a module's unload: a change there
 * is left out with a note, not refused.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/*
 * How many notrace locals deep the callers are looked for, and how many
 * one change may carry: each one is a scan of the object's relocations.
 */
#define HP_NOTRACE_DEPTH 4
#define HP_NOTRACE_MAX_CARRY 32

struct hp_plan {
	struct hp_symbol **carry;	/* original notrace locals, [0] the changed one */
	size_t nr_carry, alloc_carry;
	struct hp_symbol **redirect;	/* original callers with an fentry call */
	size_t nr_redirect, alloc_redirect;
	char *problem;			/* why it is not safe, NULL if it is */
};

static bool listed(struct hp_symbol **a, size_t n, const struct hp_symbol *s)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (a[i] == s)
			return true;
	return false;
}

static int push(struct hp_symbol ***a, size_t *n, size_t *alloc, struct hp_symbol *s)
{
	struct hp_symbol **slot;

	if (listed(*a, *n, s))
		return 0;
	slot = hp_array_push((void **)a, n, alloc, sizeof(*slot));
	if (!slot)
		return -ENOMEM;
	*slot = s;
	return 0;
}

/* The first problem found is the one reported. */
static int problem(struct hp_plan *pl, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static int problem(struct hp_plan *pl, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (pl->problem)
		return 0;
	va_start(ap, fmt);
	n = vasprintf(&pl->problem, fmt, ap);
	va_end(ap);
	if (n < 0) {
		pl->problem = NULL;
		return -ENOMEM;
	}
	return 0;
}

static bool in_noinstr(const struct hp_section *s)
{
	return hp_str_starts(s->name, ".noinstr.text") ||
	       hp_str_starts(s->name, ".entry.text") ||
	       hp_str_starts(s->name, ".cpuidle.text");
}

bool hp_section_is_exit(const struct hp_section *s)
{
	return hp_str_starts(s->name, ".exit.text");
}

/*
 * A call, jump or conditional jump to the start of its target: e8/e9 rel32
 * or 0f 8x rel32. No RIP-relative ModRM byte has these values, so an
 * instruction that takes the address (lea, mov) never looks like one.
 */
static bool direct_branch(const struct hp_section *text, const struct hp_rela *r)
{
	const unsigned char *p;

	if ((r->type != R_X86_64_PLT32 && r->type != R_X86_64_PC32) ||
	    r->taddend != -4 || !text->data || r->offset < 2 ||
	    r->offset + 4 > text->size)
		return false;
	p = text->data + r->offset;
	return p[-1] == 0xe8 || p[-1] == 0xe9 || (p[-2] == 0x0f && (p[-1] & 0xf0) == 0x80);
}

/* s itself, or one of its .cold/.part children. */
static bool part_of(const struct hp_symbol *s, const struct hp_symbol *fn)
{
	int n;

	for (n = 0; s && n < 8; n++, s = s->parent)
		if (s == fn)
			return true;
	return false;
}

static int plan_callers(struct hp_diff *d, struct hp_plan *pl, struct hp_symbol *o,
			int depth);

static int plan_caller(struct hp_diff *d, struct hp_plan *pl, struct hp_symbol *o,
		       struct hp_section *text, const struct hp_rela *r, int depth)
{
	struct hp_symbol *c = hp_section_symbol_at(text, r->offset);

	if (!c || !hp_symbol_is_func(c))
		return problem(pl, "it is referenced from section '%s' outside any "
			       "function", text->name);
	if (part_of(c, o))
		return 0;		/* its own code, or its .cold part */
	if (!direct_branch(text, r))
		return problem(pl, "its address is taken in %s()", c->name);
	if (hp_section_is_init(text))
		return problem(pl, "its caller %s() is init code (%s)", c->name, text->name);
	if (in_noinstr(text))
		return problem(pl, "its caller %s() is noinstr code (%s)", c->name,
			       text->name);
	if (!c->twin || !c->twin->sec)
		return problem(pl, "its caller %s() is gone from the patched object",
			       c->name);
	if (c->has_fentry)
		return push(&pl->redirect, &pl->nr_redirect, &pl->alloc_redirect, c);
	if (c->bind != STB_LOCAL)
		return problem(pl, "its caller %s() has no fentry call either and is "
			       "global", c->name);
	return plan_callers(d, pl, c, depth + 1);
}

/* Every reference to o, a function of the original without an fentry call. */
static int plan_callers(struct hp_diff *d, struct hp_plan *pl, struct hp_symbol *o,
			int depth)
{
	struct hp_section *s;
	int ret;

	if (listed(pl->carry, pl->nr_carry, o))
		return 0;
	if (o->bind != STB_LOCAL)
		return problem(pl, "%s() is global: other objects may call it",
			       o->name);
	if (depth > HP_NOTRACE_DEPTH || pl->nr_carry >= HP_NOTRACE_MAX_CARRY)
		return problem(pl, "its callers are more than %d functions without "
			       "an fentry call deep, or more than %d such functions "
			       "lie between it and them", HP_NOTRACE_DEPTH,
			       HP_NOTRACE_MAX_CARRY);
	ret = push(&pl->carry, &pl->nr_carry, &pl->alloc_carry, o);
	if (ret)
		return ret;
	hp_for_each_section(d->orig, s) {
		struct hp_section *base = s->base;
		struct hp_rela *r;

		if (!hp_section_is_rela(s) || !base || !(base->sh.sh_flags & SHF_ALLOC) ||
		    hp_section_is_ignored(base->name) || hp_special_lookup(base->name) ||
		    hp_special_is_companion(base->name))
			continue;	/* tables of code locations, debug info */
		hp_for_each_rela(base, r) {
			struct hp_symbol *t = r->tsym;

			if (t && t->alias_of)
				t = t->alias_of;
			if (t != o)
				continue;
			if (!hp_section_is_text(base))
				ret = problem(pl, "its address is taken in section '%s'",
					      base->name);
			else
				ret = plan_caller(d, pl, o, base, r, depth);
			if (ret || pl->problem)
				return ret;
		}
	}
	return 0;
}

static void mark_changed(struct hp_symbol *p, const char *why)
{
	if (p->status != HP_SAME)
		return;
	p->status = HP_CHANGED;
	p->why = why;
	if (p->sec && p->sec->sym == p)
		p->sec->status = HP_CHANGED;
}

static int cmp_twin_name(const void *a, const void *b)
{
	return strcmp((*(struct hp_symbol *const *)a)->twin->name,
		      (*(struct hp_symbol *const *)b)->twin->name);
}

/* "a, b, c": the patched names, sorted (the list is sorted in place). */
static char *name_list(struct hp_symbol **a, size_t n)
{
	char *out = hp_strdup(""), *next;
	size_t i;

	if (n)
		qsort(a, n, sizeof(*a), cmp_twin_name);
	for (i = 0; out && i < n; i++) {
		next = hp_asprintf("%s%s%s", out, i ? ", " : "", a[i]->twin->name);
		free(out);
		out = next;
	}
	return out;
}

/* A string the verdict points to, freed with the differ. */
static const char *own(struct hp_diff *d, char *s)
{
	char **slot;

	slot = s ? hp_array_push((void **)&d->owned, &d->nr_owned, &d->alloc_owned,
				 sizeof(*slot)) : NULL;
	if (!slot) {
		free(s);
		return NULL;
	}
	*slot = s;
	return s;
}

/* The plan holds: carry the bodies, redirect the callers. */
static int apply(struct hp_diff *d, struct hp_symbol *p, struct hp_plan *pl)
{
	char *callers, *via;
	const char *why;
	size_t i;
	int ret;

	callers = name_list(pl->redirect, pl->nr_redirect);
	via = name_list(pl->carry + 1, pl->nr_carry - 1);
	why = own(d, hp_asprintf("calls %s(), which has no fentry call", p->name));
	if (!callers || !via || !why) {
		ret = -ENOMEM;
		goto out;
	}
	for (i = 0; i < pl->nr_carry; i++) {
		struct hp_symbol *c = pl->carry[i]->twin;

		mark_changed(c, why);
		if (!c->parent) {
			c->carried = true;
			c->why = "no fentry call: reached through its redirected callers";
		}
	}
	for (i = 0; i < pl->nr_redirect; i++)
		mark_changed(pl->redirect[i]->twin, why);
	ret = hp_note(d, "'%s' has no fentry call (inline/notrace): its caller%s %s %s "
		      "redirected instead%s%s%s", p->name, pl->nr_redirect > 1 ? "s" : "",
		      callers, pl->nr_redirect > 1 ? "are" : "is",
		      via[0] ? " (through " : "", via, via[0] ? ")" : "");
out:
	free(callers);
	free(via);
	return ret;
}

static int redirect_callers(struct hp_diff *d, struct hp_symbol *p)
{
	struct hp_plan pl = { 0 };
	int ret;

	ret = plan_callers(d, &pl, p->twin, 0);
	if (!ret && !pl.problem && !pl.nr_redirect)
		ret = problem(&pl, "nothing in the object calls it");
	if (!ret && pl.problem)
		ret = hp_refuse(d, HP_REFUSE_NO_FENTRY, p->name,
				"%s() changed but has no fentry call (inline, notrace or "
				"noinstr), so it cannot be redirected, and its callers "
				"cannot be redirected instead: %s", p->name, pl.problem);
	else if (!ret)
		ret = apply(d, p, &pl);
	free(pl.carry);
	free(pl.redirect);
	free(pl.problem);
	return ret;
}

static bool module_target(const struct hp_diff *d)
{
	return d->opts.target && strcmp(d->opts.target, "vmlinux");
}

/* Changed exit code: left out (it is not refused, and not patched). */
static int leave_out_exit(struct hp_diff *d, struct hp_symbol *p)
{
	struct hp_symbol *s;
	const char *name;

	hp_for_each_symbol(d->patched, s)
		if ((s->alias_of == p || part_of(s->parent, p)) && s->status != HP_SAME)
			s->status = HP_SAME;
	/* module_exit(fn) names it cleanup_module too: speak of fn */
	name = p->name;
	hp_for_each_symbol(d->patched, s)
		if (s->alias_of == p && !strcmp(p->name, "cleanup_module"))
			name = s->name;
	p->status = HP_SAME;
	if (module_target(d))
		return hp_note(d, "'%s' is exit code of module %s (module_exit/__exit): "
			       "the module loader runs it once, at unload, and the new "
			       "exit code runs only if the module is rebuilt with the fix "
			       "and loaded again: it cannot be live patched; it is left out",
			       name, d->opts.target);
	return hp_note(d, "'%s' is __exit code of built-in code, which the kernel never "
		       "runs (it is discarded at link or freed with init memory): it is "
		       "left out", name);
}

int hp_notrace(struct hp_diff *d)
{
	struct hp_symbol *p;
	int ret = 0;

	hp_for_each_symbol(d->patched, p) {
		if (!hp_symbol_is_func(p) || !p->sec || p->alias_of ||
		    p->status == HP_SAME)
			continue;
		if (hp_section_is_exit(p->sec) ||
		    (p->twin && p->twin->sec && hp_section_is_exit(p->twin->sec)))
			ret = leave_out_exit(d, p);
		if (ret)
			return ret;
	}
	hp_for_each_symbol(d->patched, p) {
		struct hp_symbol *o = p->twin;

		if (!hp_symbol_is_func(p) || !p->sec || p->parent || p->alias_of ||
		    p->status != HP_CHANGED || p->carried || !o || !o->sec ||
		    o->has_fentry || hp_section_is_init(p->sec) ||
		    hp_section_is_init(o->sec))
			continue;
		ret = redirect_callers(d, p);
		if (ret)
			return ret;
	}
	return 0;
}
