// SPDX-License-Identifier: GPL-2.0
/*
 * Verify: find everything that cannot be live patched. Every problem is
 * collected (with the symbol, the source line when DWARF has it, and the
 * usual workaround); the caller fails once, listing them all.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

static const struct {
	const char *id;
	const char *workaround;
} refusals[HP_REFUSE__NR] = {
	[HP_REFUSE_CHANGED_DATA] = { "changed-data",
		"leave the existing variable as it is; keep new state in a shadow "
		"variable, or set the new value from a pre-patch callback" },
	[HP_REFUSE_CHANGED_INIT] = { "changed-init",
		"init code has already run and been freed: make the change in the "
		"code that runs later, or apply it from a pre-patch callback" },
	[HP_REFUSE_NO_FENTRY] = { "no-fentry",
		"a function without an fentry call (inline, notrace, noinstr) cannot "
		"be redirected, and its callers are redirected instead only when it "
		"is a static function that they call directly: make the fix in a "
		"traceable function, or in the callers" },
	[HP_REFUSE_STRUCT_LAYOUT] = { "struct-layout",
		"existing objects keep the old layout: add new fields with shadow "
		"variables instead of changing the struct" },
	[HP_REFUSE_MODULE_JUMP_LABEL] = { "module-jump-label",
		"use static_key_enabled() (a plain test) instead of static_branch_*() "
		"in the patched function" },
	[HP_REFUSE_MODULE_STATIC_CALL] = { "module-static-call",
		"call through static_call_query() or the function pointer instead of "
		"static_call() in the patched function" },
	[HP_REFUSE_UNSUPPORTED] = { "unsupported",
		"restructure the change so it only touches function bodies, or extend "
		"the builder (docs/builder.md) and add a test case" },
	[HP_REFUSE_UNKNOWN_SYMBOL] = { "unknown-symbol",
		"check that the symbol table (--symbols, --module-object) is the "
		"running kernel's and --target names the right object; a symbol the "
		"kernel build inlined or dropped cannot be referenced: patch its "
		"callers or carry a copy of it in the patch" },
	[HP_REFUSE_AMBIGUOUS_SYMBOL] = { "ambiguous-symbol",
		"look at the candidates listed (address, neighbours) and choose one "
		"with --sympos NAME=N" },
	[HP_REFUSE_LOAD_TIME_REFERENCE] = { "load-time-reference",
		"the module loader uses this entry before deferred relocations are "
		"applied: use static_key_enabled() / static_call_query() instead of "
		"static branches and calls on a non-exported key, and call "
		"non-exported code from ordinary code, not from alternatives, "
		"paravirt sites or exception/bug tables" },
};

const char *hp_refusal_id(enum hp_refusal_kind k)
{
	return k < HP_REFUSE__NR ? refusals[k].id : "?";
}

const char *hp_refusal_workaround(enum hp_refusal_kind k)
{
	return k < HP_REFUSE__NR ? refusals[k].workaround : "";
}

int hp_note(struct hp_diff *d, const char *fmt, ...)
{
	char **slot, *s;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (n < 0)
		return -ENOMEM;
	slot = hp_array_push((void **)&d->v.notes, &d->v.nr_notes, &d->alloc_notes,
			     sizeof(*slot));
	if (!slot) {
		free(s);
		return -ENOMEM;
	}
	*slot = s;
	return 0;
}

static void source_of(struct hp_diff *d, const char *symbol, struct hp_refusal *r)
{
	const char *file = NULL;
	unsigned int line = 0;
	char *norm;

	if (d->opts.no_dwarf || !symbol)
		return;
	norm = hp_name_normalize(symbol);
	if (!norm)
		return;
	if (!hp_dwarf_decl(d->patched, norm, &file, &line))
		hp_dwarf_decl(d->orig, norm, &file, &line);
	free(norm);
	if (file) {
		r->file = strdup(file);
		r->line = line;
	}
}

int hp_refuse(struct hp_diff *d, enum hp_refusal_kind kind, const char *symbol,
	      const char *fmt, ...)
{
	struct hp_refusal *r;
	size_t i;
	va_list ap;
	int n;

	/* one refusal per (kind, symbol) */
	for (i = 0; i < d->v.nr_refusals; i++)
		if (d->v.refusals[i].kind == kind && symbol &&
		    !strcmp(d->v.refusals[i].symbol, symbol))
			return 0;
	r = hp_array_push((void **)&d->v.refusals, &d->v.nr_refusals,
			  &d->alloc_refusals, sizeof(*r));
	if (!r)
		return -ENOMEM;
	r->kind = kind;
	r->symbol = strdup(symbol ? symbol : "");
	va_start(ap, fmt);
	n = vasprintf(&r->reason, fmt, ap);
	va_end(ap);
	if (n < 0)
		r->reason = NULL;
	if (!r->symbol || !r->reason)
		return -ENOMEM;
	source_of(d, symbol, r);
	return 0;
}

bool hp_section_is_init(const struct hp_section *s)
{
	return hp_str_starts(s->name, ".init.") || hp_str_starts(s->name, ".text.init") ||
	       hp_str_starts(s->name, ".meminit.") || hp_str_starts(s->name, ".head.text");
}

static bool writable(const struct hp_section *s)
{
	return (s->sh.sh_flags & SHF_WRITE) || s->sh.sh_type == SHT_NOBITS;
}

static int check_symbols(struct hp_diff *d)
{
	struct hp_symbol *p;
	int ret = 0;

	hp_for_each_symbol(d->patched, p) {
		struct hp_symbol *o = p->twin;

		if (p->sec && p->status == HP_NEW && p->include && hp_section_is_init(p->sec) &&
		    hp_symbol_is_func(p)) {
			ret = hp_note(d, "new init function '%s' is carried, but the running "
				      "kernel's init is over: it runs only if patched code "
				      "calls it", p->name);
			if (ret)
				return ret;
		}
		if (!p->sec || p->status != HP_CHANGED || !o || !o->sec)
			continue;
		if (hp_section_is_init(p->sec) || hp_section_is_init(o->sec)) {
			ret = hp_refuse(d, HP_REFUSE_CHANGED_INIT, p->name,
					"%s '%s' in %s changed, but init code and data are "
					"used once at boot or module load and then freed",
					hp_symbol_is_func(p) ? "function" : "object",
					p->name, p->sec->name);
		} else if (hp_symbol_is_object(p) && !p->special_static) {
			if (p->sym.st_size != o->sym.st_size)
				ret = hp_refuse(d, HP_REFUSE_CHANGED_DATA, p->name,
						"size of '%s' changed from %llu to %llu bytes "
						"(a changed type or struct layout)", p->name,
						(unsigned long long)o->sym.st_size,
						(unsigned long long)p->sym.st_size);
			else if (writable(p->sec) || writable(o->sec))
				ret = hp_refuse(d, HP_REFUSE_CHANGED_DATA, p->name,
						"initial value of existing variable '%s' changed; "
						"the running kernel keeps its current value", p->name);
			else
				ret = hp_note(d, "read-only '%s' changed: the patch carries a "
					      "fresh copy and every function reading it is patched",
					      p->name);
		} else if (hp_symbol_is_func(p) && !p->parent && !o->has_fentry &&
			   !p->carried && !(p->alias_of && p->alias_of->carried)) {
			ret = hp_refuse(d, HP_REFUSE_NO_FENTRY, p->name,
					"%s() changed but has no fentry call (notrace or noinstr), "
					"so it cannot be redirected", p->name);
		}
		if (ret)
			return ret;
	}
	hp_for_each_symbol(d->orig, p) {
		if (p->sec && !p->twin && hp_symbol_is_func(p) && !p->special_static) {
			ret = hp_note(d, "'%s' is gone from the patched object: the original "
				      "stays in place (its callers are patched)", p->name);
			if (ret)
				return ret;
		}
	}
	return 0;
}

/* Changed sections that no rule above understood. */
static int check_sections(struct hp_diff *d)
{
	struct hp_section *s;
	int ret = 0;

	hp_for_each_section(d->patched, s) {
		if (hp_section_is_ignored(s->name) || hp_section_is_rela(s) ||
		    hp_special_is_reference_table(s->name) ||
		    s->special || hp_special_is_companion(s->name) || s->nr_syms ||
		    s->sh.sh_type == SHT_NULL || s->sh.sh_type == SHT_SYMTAB ||
		    s->sh.sh_type == SHT_STRTAB || s->sh.sh_type == SHT_GROUP ||
		    s->sh.sh_type == SHT_SYMTAB_SHNDX || s->size == 0)
			continue;
		if (s->include || s->status == HP_SAME)
			continue;
		if (s->sh.sh_flags & SHF_MERGE)
			continue;	/* strings and constants: compared by content */
		if (!(s->sh.sh_flags & SHF_ALLOC)) {
			ret = hp_note(d, "non-allocated section '%s' %s: ignored", s->name,
				      s->twin ? "changed" : "is new");
		} else if (hp_section_is_init(s)) {
			if (s->twin)
				ret = hp_refuse(d, HP_REFUSE_CHANGED_INIT, s->name,
						"init section '%s' changed", s->name);
		} else if (writable(s) || hp_section_is_text(s)) {
			ret = hp_refuse(d, HP_REFUSE_UNSUPPORTED, s->name,
					"section '%s' %s and holds no symbol the differ can "
					"attribute the change to", s->name,
					s->twin ? "changed" : "is new");
		} else {
			ret = hp_note(d, "read-only section '%s' %s but nothing patched "
				      "uses it: ignored", s->name, s->twin ? "changed" : "is new");
		}
		if (ret)
			return ret;
	}
	return 0;
}

static int check_structs(struct hp_diff *d)
{
	size_t i, n;
	int ret;

	if (d->opts.no_dwarf)
		return 0;
	hp_dwarf_load(d->orig);
	hp_dwarf_load(d->patched);
	n = hp_dwarf_nr_structs(d->orig);
	for (i = 0; i < n; i++) {
		const struct hp_dwarf_struct *o = hp_dwarf_struct_at(d->orig, i);
		const struct hp_dwarf_struct *p = hp_dwarf_find_struct(d->patched, o->name);

		if (!p)
			continue;
		if (o->size != p->size)
			ret = hp_refuse(d, HP_REFUSE_STRUCT_LAYOUT, o->name,
					"layout of %s changed: size %llu -> %llu bytes", o->name,
					(unsigned long long)o->size,
					(unsigned long long)p->size);
		else if (strcmp(o->members, p->members))
			ret = hp_refuse(d, HP_REFUSE_STRUCT_LAYOUT, o->name,
					"layout of %s changed: members moved or renamed "
					"(%s -> %s)", o->name, o->members, p->members);
		else
			continue;
		if (ret)
			return ret;
	}
	return 0;
}

int hp_verify(struct hp_diff *d, struct hp_error *err)
{
	int ret;

	ret = check_symbols(d);
	if (!ret)
		ret = check_sections(d);
	if (!ret)
		ret = check_structs(d);
	if (ret)
		return hp_error_set(err, ret, "out of memory while verifying");
	return 0;
}
