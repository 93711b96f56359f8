// SPDX-License-Identifier: GPL-2.0
/* The verdict: built from the marked model, printed as text or JSON. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "internal.h"

static int push_sym(struct hp_verdict_sym **arr, size_t *nr, size_t *alloc,
		    const struct hp_symbol *s)
{
	struct hp_verdict_sym *v = hp_array_push((void **)arr, nr, alloc, sizeof(*v));

	if (!v)
		return -ENOMEM;
	v->name = s->name;
	v->status = s->status;
	v->is_func = hp_symbol_is_func(s);
	v->why = s->why;
	return 0;
}

static int cmp_vsym(const void *a, const void *b)
{
	return strcmp(((const struct hp_verdict_sym *)a)->name,
		      ((const struct hp_verdict_sym *)b)->name);
}

static int cmp_refusal(const void *a, const void *b)
{
	const struct hp_refusal *x = a, *y = b;

	if (x->kind != y->kind)
		return x->kind < y->kind ? -1 : 1;
	return strcmp(x->symbol, y->symbol);
}

static bool listed(const struct hp_verdict_sym *v, size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(v[i].name, name))
			return true;
	return false;
}

/* Targets of included code that stay in the kernel. */
static int collect_externals(struct hp_diff *d, struct hp_section *sec,
			     uint64_t start, uint64_t end)
{
	struct hp_verdict *v = &d->v;
	struct hp_rela *r;

	hp_for_each_rela(sec, r) {
		struct hp_symbol *t = r->tsym;
		struct hp_verdict_sym *e;

		if (r->offset < start || r->offset >= end || !t || t->include ||
		    t->type == STT_SECTION || t->type == STT_FILE || !t->name[0])
			continue;
		if (t->alias_of)
			t = t->alias_of;
		if (t->include || listed(v->externals, v->nr_externals, t->name))
			continue;
		e = hp_array_push((void **)&v->externals, &v->nr_externals,
				  &d->alloc_externals, sizeof(*e));
		if (!e)
			return -ENOMEM;
		e->name = t->name;
		e->status = t->sec ? t->status : HP_SAME;
		e->is_func = hp_symbol_is_func(t) || (!t->sec && t->type == STT_NOTYPE);
		e->why = t->sec && t->bind == STB_LOCAL ? "local" : "global";
	}
	return 0;
}

static int build_externals(struct hp_diff *d)
{
	struct hp_section *sec;
	struct hp_symbol *s;
	int ret = 0;

	hp_for_each_symbol(d->patched, s)
		if (!ret && s->include && s->sec && !s->alias_of &&
		    (hp_symbol_is_func(s) || hp_symbol_is_object(s)))
			ret = collect_externals(d, s->sec, s->sym.st_value,
						s->sym.st_value + s->sym.st_size);
	hp_for_each_section(d->patched, sec) {
		size_t i;

		if (ret || !sec->include || sec->nr_syms || hp_section_is_rela(sec))
			continue;
		if (!sec->keep) {
			ret = collect_externals(d, sec, 0, sec->size);
			continue;
		}
		for (i = 0; !ret && i < sec->nr_entries; i++)
			if (sec->keep[i])
				ret = collect_externals(d, sec, i * sec->special->entsize,
							(i + 1) * sec->special->entsize);
	}
	return ret;
}

int hp_verdict_build(struct hp_diff *d)
{
	struct hp_verdict *v = &d->v;
	struct hp_section *sec;
	struct hp_symbol *s;
	int ret = 0;

	hp_for_each_symbol(d->patched, s) {
		if (!s->include || !s->sec)
			continue;
		if (s->alias_of) {
			/* one function under several names: listed once */
			if (hp_symbol_is_func(s) && s->status != HP_SAME &&
			    hp_note(d, "'%s' is another name of '%s': patched once, as '%s'",
				    s->name, s->alias_of->name, s->alias_of->name))
				return -ENOMEM;
			continue;
		}
		if (hp_symbol_is_func(s) && s->parent)
			ret = push_sym(&v->children, &v->nr_children, &d->alloc_children, s);
		else if (hp_symbol_is_func(s) && s->carried)
			ret = push_sym(&v->carried, &v->nr_carried, &d->alloc_carried, s);
		else if (hp_symbol_is_func(s))
			ret = push_sym(&v->funcs, &v->nr_funcs, &d->alloc_funcs, s);
		else if (hp_symbol_is_object(s))
			ret = push_sym(&v->data, &v->nr_data, &d->alloc_data, s);
		if (ret)
			return ret;
	}
	hp_for_each_section(d->patched, sec) {
		struct hp_special_count *c;

		if (!sec->special || !sec->nr_entries || !hp_special_lookup(sec->name))
			continue;
		c = hp_array_push((void **)&v->special, &v->nr_special, &d->alloc_special,
				  sizeof(*c));
		if (!c)
			return -ENOMEM;
		c->section = sec->name;
		c->kept = sec->nr_kept;
		c->total = sec->nr_entries;
	}
	ret = build_externals(d);
	if (ret)
		return ret;
	if (v->nr_externals)
		qsort(v->externals, v->nr_externals, sizeof(*v->externals), cmp_vsym);
	if (v->nr_funcs)
		qsort(v->funcs, v->nr_funcs, sizeof(*v->funcs), cmp_vsym);
	if (v->nr_data)
		qsort(v->data, v->nr_data, sizeof(*v->data), cmp_vsym);
	if (v->nr_children)
		qsort(v->children, v->nr_children, sizeof(*v->children), cmp_vsym);
	if (v->nr_carried)
		qsort(v->carried, v->nr_carried, sizeof(*v->carried), cmp_vsym);
	if (v->nr_refusals)
		qsort(v->refusals, v->nr_refusals, sizeof(*v->refusals), cmp_refusal);
	return 0;
}

void hp_verdict_release(struct hp_verdict *v)
{
	size_t i;

	for (i = 0; i < v->nr_refusals; i++) {
		free(v->refusals[i].symbol);
		free(v->refusals[i].file);
		free(v->refusals[i].reason);
	}
	for (i = 0; i < v->nr_notes; i++)
		free(v->notes[i]);
	for (i = 0; i < v->nr_import_ns; i++)
		free(v->import_ns[i]);
	free(v->import_ns);
	free(v->funcs);
	free(v->data);
	free(v->children);
	free(v->carried);
	free(v->externals);
	free(v->refusals);
	free(v->special);
	free(v->notes);
	memset(v, 0, sizeof(*v));
}

const struct hp_verdict_sym *hp_verdict_find_func(const struct hp_verdict *v,
						  const char *name)
{
	size_t i;

	for (i = 0; i < v->nr_funcs; i++)
		if (!strcmp(v->funcs[i].name, name))
			return &v->funcs[i];
	return NULL;
}

const struct hp_refusal *hp_verdict_find_refusal(const struct hp_verdict *v,
						 const char *id, const char *symbol)
{
	size_t i;

	for (i = 0; i < v->nr_refusals; i++)
		if (!strcmp(hp_refusal_id(v->refusals[i].kind), id) &&
		    (!symbol || !strcmp(v->refusals[i].symbol, symbol)))
			return &v->refusals[i];
	return NULL;
}

static void print_syms(FILE *f, const char *title, const struct hp_verdict_sym *s,
		       size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		fprintf(f, "  %-8s %s%s%s%s\n", title, s[i].name, s[i].why ? " (" : "",
			s[i].why ? s[i].why : "", s[i].why ? ")" : "");
}

static void print_refusals(const struct hp_verdict *v, FILE *f)
{
	size_t i;

	for (i = 0; i < v->nr_refusals; i++) {
		const struct hp_refusal *r = &v->refusals[i];

		fprintf(f, "  refused  %s '%s'", hp_refusal_id(r->kind), r->symbol);
		if (r->file)
			fprintf(f, " at %s:%u", r->file, r->line);
		fprintf(f, ": %s\n           workaround: %s\n", r->reason,
			hp_refusal_workaround(r->kind));
	}
	for (i = 0; i < v->nr_notes; i++)
		fprintf(f, "  note     %s\n", v->notes[i]);
}

static bool resolved(const struct hp_verdict *v)
{
	size_t i;

	for (i = 0; i < v->nr_externals; i++)
		if (v->externals[i].resolution)
			return true;
	return false;
}

/* After the resolve pass: how each external reaches the running kernel. */
static void print_resolution(const struct hp_verdict *v, FILE *f)
{
	size_t i;

	for (i = 0; i < v->nr_externals; i++) {
		const struct hp_verdict_sym *e = &v->externals[i];

		if (!e->resolution)
			continue;
		fprintf(f, "  extern   %s (%s): %s", e->name, e->why ? e->why : "global",
			e->resolution);
		if (!strcmp(e->resolution, "exported"))
			fprintf(f, " by %s", e->obj ? e->obj : "?");
		else if (!strcmp(e->resolution, "patch"))
			fprintf(f, " (another object of the patch)");
		else if (!strcmp(e->resolution, "deferred"))
			fprintf(f, " to %s:%s,%u", e->obj ? e->obj : "?",
				e->ksym ? e->ksym : e->name, e->sympos);
		fprintf(f, "\n");
	}
	for (i = 0; i < v->nr_import_ns; i++)
		fprintf(f, "  imports  namespace %s\n", v->import_ns[i]);
}

int hp_verdict_print(const struct hp_verdict *v, FILE *f)
{
	size_t i;

	fprintf(f, "verdict: %s\n", !hp_verdict_eligible(v) ? "not eligible" :
		hp_verdict_empty(v) ? "nothing to patch" : "eligible");
	for (i = 0; i < v->nr_funcs; i++)
		fprintf(f, "  %-8s %s()\n", hp_status_name(v->funcs[i].status),
			v->funcs[i].name);
	print_syms(f, "child", v->children, v->nr_children);
	print_syms(f, "carried", v->carried, v->nr_carried);
	print_syms(f, "data", v->data, v->nr_data);
	if (resolved(v)) {
		print_resolution(v, f);
	} else if (v->nr_externals) {
		size_t locals = 0;

		for (i = 0; i < v->nr_externals; i++)
			locals += !strcmp(v->externals[i].why, "local");
		fprintf(f, "  uses     %zu symbols of the running kernel", v->nr_externals);
		if (locals) {
			fprintf(f, ", %zu local (by sympos):", locals);
			for (i = 0; i < v->nr_externals; i++)
				if (!strcmp(v->externals[i].why, "local"))
					fprintf(f, " %s", v->externals[i].name);
		}
		fprintf(f, "\n");
	}
	for (i = 0; i < v->nr_special; i++)
		fprintf(f, "  special  %s: %zu of %zu entries kept\n", v->special[i].section,
			v->special[i].kept, v->special[i].total);
	print_refusals(v, f);
	return ferror(f) ? -EIO : 0;
}

int hp_resolve_print(const struct hp_verdict *v, FILE *f)
{
	fprintf(f, "resolve: %s\n", hp_verdict_eligible(v) ? "ok" : "refused");
	print_resolution(v, f);
	print_refusals(v, f);
	return ferror(f) ? -EIO : 0;
}

static struct json_object *jstr(const char *s)
{
	return s ? json_object_new_string(s) : NULL;
}

static struct json_object *syms_json(const struct hp_verdict_sym *s, size_t n)
{
	struct json_object *a = json_object_new_array();
	size_t i;

	for (i = 0; a && i < n; i++) {
		struct json_object *o = json_object_new_object();

		if (!o)
			continue;
		json_object_object_add(o, "name", jstr(s[i].name));
		json_object_object_add(o, "status", jstr(hp_status_name(s[i].status)));
		if (s[i].why)
			json_object_object_add(o, "why", jstr(s[i].why));
		json_object_array_add(a, o);
	}
	return a;
}

struct json_object *hp_verdict_to_json(const struct hp_verdict *v)
{
	struct json_object *root = json_object_new_object(), *a;
	size_t i;

	if (!root)
		return NULL;
	json_object_object_add(root, "eligible",
			       json_object_new_boolean(hp_verdict_eligible(v)));
	json_object_object_add(root, "empty", json_object_new_boolean(hp_verdict_empty(v)));
	json_object_object_add(root, "functions", syms_json(v->funcs, v->nr_funcs));
	json_object_object_add(root, "children", syms_json(v->children, v->nr_children));
	json_object_object_add(root, "carried", syms_json(v->carried, v->nr_carried));
	json_object_object_add(root, "data", syms_json(v->data, v->nr_data));
	a = json_object_new_array();
	for (i = 0; a && i < v->nr_externals; i++) {
		struct json_object *o = json_object_new_object();

		json_object_object_add(o, "name", jstr(v->externals[i].name));
		json_object_object_add(o, "binding", jstr(v->externals[i].why));
		if (v->externals[i].resolution) {
			json_object_object_add(o, "resolution",
					       jstr(v->externals[i].resolution));
			json_object_object_add(o, "obj", jstr(v->externals[i].obj));
			if (!strcmp(v->externals[i].resolution, "deferred")) {
				json_object_object_add(o, "ksym", jstr(v->externals[i].ksym));
				json_object_object_add(o, "sympos",
						       json_object_new_int64(v->externals[i].sympos));
			}
		}
		json_object_array_add(a, o);
	}
	json_object_object_add(root, "externals", a);
	if (v->nr_import_ns) {
		a = json_object_new_array();
		for (i = 0; a && i < v->nr_import_ns; i++)
			json_object_array_add(a, jstr(v->import_ns[i]));
		json_object_object_add(root, "import_ns", a);
	}
	a = json_object_new_array();
	for (i = 0; a && i < v->nr_special; i++) {
		struct json_object *o = json_object_new_object();

		json_object_object_add(o, "section", jstr(v->special[i].section));
		json_object_object_add(o, "kept", json_object_new_int64(v->special[i].kept));
		json_object_object_add(o, "total", json_object_new_int64(v->special[i].total));
		json_object_array_add(a, o);
	}
	json_object_object_add(root, "special_sections", a);
	a = json_object_new_array();
	for (i = 0; a && i < v->nr_refusals; i++) {
		const struct hp_refusal *r = &v->refusals[i];
		struct json_object *o = json_object_new_object();

		json_object_object_add(o, "rule", jstr(hp_refusal_id(r->kind)));
		json_object_object_add(o, "symbol", jstr(r->symbol));
		json_object_object_add(o, "file", jstr(r->file));
		json_object_object_add(o, "line", r->line ? json_object_new_int(r->line) : NULL);
		json_object_object_add(o, "reason", jstr(r->reason));
		json_object_object_add(o, "workaround", jstr(hp_refusal_workaround(r->kind)));
		json_object_array_add(a, o);
	}
	json_object_object_add(root, "refusals", a);
	a = json_object_new_array();
	for (i = 0; a && i < v->nr_notes; i++)
		json_object_array_add(a, jstr(v->notes[i]));
	json_object_object_add(root, "notes", a);
	return root;
}
