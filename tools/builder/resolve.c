// SPDX-License-Identifier: GPL-2.0
/*
 * Resolve: decide, for every symbol the patch object leaves undefined, how
 * the running kernel will provide it.
 *
 *  - exported by vmlinux (or another module) per Module.symvers: it stays an
 *    undefined symbol, for the module loader;
 *  - anything else of the target object (statics, non-exported globals,
 *    every symbol of a target module): each relocation against it becomes a
 *    record in .hotpatch.klp_relocs (/work format: docs/builder.md,
 *    "Resolve"), with the object, the name as in kallsyms and its sympos;
 *    the location is zeroed. Post-link turns the records into livepatch
 *    relocations that the core applies when the object is there;
 *  - not found, or found several times without a way to tell which one is
 *    the original object's: refused.
 *
 * A deferred reference from a table the module loader reads at load time
 * (jump labels, static calls, alternatives, paravirt, exception and bug
 * tables, ORC, …) needs its relocation before the loader acts on it. The
 * loader applies ".klp.rela.vmlinux.*" itself, in its ordinary relocation
 * pass, before any of those tables is used: a vmlinux symbol in the tables
 * checked for that (loader_applies_first()) becomes a record like any
 * other. A symbol of the target module is applied by the core, later: a
 * static call site on such a key is dropped (the call goes through the
 * trampoline), a tracepoint's jump label becomes an unconditional jump to
 * the tracepoint's body (which finds no probe while the event is off), any
 * other static key of the module and every other table are refused.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "internal.h"

#define KLP_RELOC_SIZE	32
#define MAX_CANDIDATES	64
#define NEIGHBOURS	2		/* real neighbours looked at on each side */
#define NEIGHBOUR_WALK	12		/* symbols walked past on each side */

struct override {
	char *name;
	unsigned int pos;
	bool used;
};

struct hp_resolve {
	struct hp_resolve_opts opts;
	char *target;
	bool module_target;
	struct hp_ksyms *k;
	struct override *ov;
	size_t nr_ov;
	struct hp_elf *orig;		/* opts.orig, loaded */
	struct hp_diff *own;		/* standalone: the verdict lives here */
	char **sibling_syms;		/* defined by the other patch objects */
	size_t nr_sibling_syms, alloc_sibling_syms;
};

enum ext_kind {
	EXT_PATCH,
	EXT_EXPORTED,
	EXT_DEFERRED,
	EXT_REFUSED,
};

struct ext {
	const char *name;		/* as in the patch object */
	enum ext_kind kind;
	const char *binding;		/* "local" / "global" */
	char *obj;
	char *ksym;
	unsigned int sympos;
	char *ns;
	bool used;			/* an undefined symbol still referenced */
	size_t nr_records;
};

/* One resolve run over a patch object. */
struct run {
	struct hp_resolve *r;
	struct hp_diff *d;		/* refusals, notes, verdict */
	struct hp_elf *orig;		/* neighbourhoods; may be NULL */
	bool twins;			/* d->patched has the differ's twins */
	struct hp_elf *pe;		/* the patch object */
	struct ext **exts;		/* by symbol index of pe */
	struct ext *ext_list;
	size_t nr_ext;
	size_t refusals;		/* the verdict's count before this run */
};

/* Each run reports the --sympos overrides it did not use. */
static void reset_overrides(struct hp_resolve *r)
{
	size_t i;

	for (i = 0; i < r->nr_ov; i++)
		r->ov[i].used = false;
}

static void free_overrides(struct hp_resolve *r)
{
	size_t i;

	for (i = 0; i < r->nr_ov; i++)
		free(r->ov[i].name);
	free(r->ov);
}

void hp_resolve_free(struct hp_resolve *r)
{
	if (!r)
		return;
	hp_ksyms_free(r->k);
	free_overrides(r);
	while (r->nr_sibling_syms)
		free(r->sibling_syms[--r->nr_sibling_syms]);
	free(r->sibling_syms);
	if (r->own)
		hp_diff_free(r->own);
	else
		hp_elf_free(r->orig);
	free(r->target);
	free(r);
}

static int parse_override(struct hp_resolve *r, const char *s, struct hp_error *err)
{
	const char *eq = strrchr(s, '=');
	char *end;
	unsigned long pos;
	struct override *o;

	if (!eq || eq == s || !eq[1])
		return hp_error_set(err, -EINVAL, "--sympos '%s': expected NAME=N", s);
	errno = 0;
	pos = strtoul(eq + 1, &end, 10);
	if (errno || *end || pos == 0 || pos > 1000000)
		return hp_error_set(err, -EINVAL,
				    "--sympos '%s': N must be a position from 1 (kallsyms order)",
				    s);
	o = &r->ov[r->nr_ov];
	o->name = strndup(s, (size_t)(eq - s));
	if (!o->name)
		return hp_error_set(err, -ENOMEM, "out of memory");
	o->pos = (unsigned int)pos;
	r->nr_ov++;
	return 0;
}

/* The globals another object of the patch defines. */
static int load_sibling(struct hp_resolve *r, const char *path, struct hp_error *err)
{
	struct hp_symbol *s;
	struct hp_elf *e;
	int ret = hp_elf_open(path, &e, err);

	if (ret)
		return ret;
	hp_for_each_symbol(e, s) {
		char **slot;

		if (!s->sec || s->bind == STB_LOCAL || !s->name[0] ||
		    s->type == STT_SECTION || s->type == STT_FILE)
			continue;
		slot = hp_array_push((void **)&r->sibling_syms, &r->nr_sibling_syms,
				     &r->alloc_sibling_syms, sizeof(*slot));
		if (!slot || !(*slot = strdup(s->name))) {
			if (slot)
				r->nr_sibling_syms--;
			ret = hp_error_set(err, -ENOMEM, "out of memory");
			break;
		}
	}
	hp_elf_free(e);
	return ret;
}

static bool in_sibling(const struct hp_resolve *r, const char *name)
{
	size_t i;

	for (i = 0; i < r->nr_sibling_syms; i++)
		if (!strcmp(r->sibling_syms[i], name))
			return true;
	return false;
}

int hp_resolve_new(const struct hp_resolve_opts *opts, struct hp_resolve **out,
		   struct hp_error *err)
{
	struct hp_resolve *r = calloc(1, sizeof(*r));
	size_t i;
	int ret;

	*out = NULL;
	if (!r)
		return hp_error_set(err, -ENOMEM, "out of memory");
	r->opts = *opts;
	r->target = strdup(opts->target && *opts->target ? opts->target : "vmlinux");
	r->ov = calloc(opts->nr_sympos ? opts->nr_sympos : 1, sizeof(*r->ov));
	if (!r->target || !r->ov) {
		hp_resolve_free(r);
		return hp_error_set(err, -ENOMEM, "out of memory");
	}
	r->opts.target = r->target;
	r->module_target = strcmp(r->target, "vmlinux") != 0;
	for (i = 0; i < opts->nr_sympos; i++) {
		ret = parse_override(r, opts->sympos[i], err);
		if (ret)
			goto fail;
	}
	if (!opts->symvers) {
		ret = hp_error_set(err, -EINVAL,
				   "give the target kernel's Module.symvers (--symvers): it says which symbols the module loader can resolve");
		goto fail;
	}
	if (opts->vmlinux && !opts->symbols) {
		ret = hp_error_set(err, -EINVAL,
				   "--vmlinux tells same-named statics of the vmlinux symbols apart: give those too (--symbols)");
		goto fail;
	}
	if (!opts->symbols && !(r->module_target && opts->module_object)) {
		ret = hp_error_set(err, -EINVAL,
				   "give the target kernel's symbols (--symbols: a /proc/kallsyms dump or System.map)");
		goto fail;
	}
	if (opts->module_object && !r->module_target) {
		ret = hp_error_set(err, -EINVAL,
				   "--module-object is for a module target (--target MODULE)");
		goto fail;
	}
	ret = hp_ksyms_new(&r->k, err);
	if (!ret && opts->symbols)
		ret = hp_ksyms_load_kallsyms(r->k, opts->symbols, err);
	if (!ret && opts->vmlinux)
		ret = hp_ksyms_load_vmlinux_files(r->k, opts->vmlinux, err);
	if (!ret && opts->module_object)
		ret = hp_ksyms_load_module(r->k, opts->module_object, r->target, err);
	if (!ret)
		ret = hp_ksyms_load_symvers(r->k, opts->symvers, err);
	if (ret)
		goto fail;
	if (!hp_ksyms_has_object(r->k, r->target)) {
		ret = hp_error_set(err, -ENOENT,
				   r->module_target ?
				   "no symbols of module '%s': give its .ko (--module-object) or a /proc/kallsyms dump taken while it was loaded" :
				   "no %s symbols in the symbol table",
				   r->target);
		goto fail;
	}
	if (opts->orig) {
		ret = hp_elf_open(opts->orig, &r->orig, err);
		if (ret)
			goto fail;
	}
	for (i = 0; i < opts->nr_siblings; i++) {
		ret = load_sibling(r, opts->siblings[i], err);
		if (ret)
			goto fail;
	}
	*out = r;
	return 0;
fail:
	hp_resolve_free(r);
	return ret;
}

const struct hp_ksyms *hp_resolve_ksyms(const struct hp_resolve *r)
{
	return r->k;
}

const struct hp_verdict *hp_resolve_verdict(const struct hp_resolve *r)
{
	static const struct hp_verdict empty;

	return r->own ? &r->own->v : &empty;
}

/* ---- finding a symbol in the target object ------------------------------ */

static bool ksym_global(char type)
{
	return type >= 'A' && type <= 'Z';
}

/* The original object's function or object of that name, or NULL. */
static struct hp_symbol *defined_in(struct hp_elf *e, const char *name)
{
	struct hp_symbol *s;

	if (!e)
		return NULL;
	hp_for_each_symbol(e, s)
		if (s->sec && (hp_symbol_is_func(s) || hp_symbol_is_object(s)) &&
		    !strcmp(s->name, name))
			return s;
	return NULL;
}

/* a before b in the original object (section order, then offset)? */
static bool before(const struct hp_symbol *a, const struct hp_symbol *b)
{
	if (a->sec->index != b->sec->index)
		return a->sec->index < b->sec->index;
	return a->sym.st_value < b->sym.st_value;
}

static bool per_site_static(const char *name)
{
	char *norm = hp_name_normalize(name);
	bool ret = !norm || hp_name_is_special_static(norm);

	free(norm);
	return ret;
}

/*
 * How well a candidate's nearest kallsyms neighbours (per-call-site statics
 * skipped: every file has them; up to the next symbol of the same name)
 * match the original object: 2 for a symbol
 * the original defines on the same side of the wanted one (a file's symbols
 * keep their order when linked), 1 for one it defines on the other side. In
 * vmlinux kallsyms order is address order, in a module its symtab order:
 * either way the symbols of one source file sit together.
 */
static unsigned int neighbourhood(const struct hp_ksyms *k, struct hp_elf *orig,
				  size_t at, const char *want, char *buf, size_t len)
{
	struct hp_symbol *self = defined_in(orig, want);
	unsigned int score = 0;
	size_t used = 0;
	int dir;

	if (buf && len)
		buf[0] = '\0';
	for (dir = -1; dir <= 1; dir += 2) {
		unsigned int found = 0;
		long step;

		for (step = 1; step <= NEIGHBOUR_WALK && found < NEIGHBOURS; step++) {
			const char *n = hp_ksyms_neighbour(k, at, dir * step);
			struct hp_symbol *o;

			/* another candidate: its neighbourhood, not this one's */
			if (!n || !strcmp(n, want))
				break;
			if (per_site_static(n))
				continue;
			found++;
			o = defined_in(orig, n);
			if (o)
				score += self && (dir < 0) == before(o, self) ? 2 : 1;
			if (buf && used < len) {
				int w = snprintf(buf + used, len - used, "%s%s", used ? ", " : "", n);

				used += w > 0 ? (size_t)w : 0;
			}
		}
	}
	return score;
}

static struct override *override_of(struct hp_resolve *r, const char *a, const char *b)
{
	size_t i;

	for (i = 0; i < r->nr_ov; i++)
		if (!strcmp(r->ov[i].name, a) || (b && !strcmp(r->ov[i].name, b)))
			return &r->ov[i];
	return NULL;
}

/* The candidates, for a refusal: "sympos 1 at 0x… (near a, b), …". */
static char *describe(const struct hp_ksyms *k, struct hp_elf *orig, const size_t *c,
		      size_t n, const char *want)
{
	size_t i, len = 0, cap = 256;
	char *s = malloc(cap), near[256];

	if (!s)
		return NULL;
	s[0] = '\0';
	for (i = 0; i < n && i < 8; i++) {
		struct hp_ksym_info in;
		int w;

		hp_ksyms_info_at(k, c[i], &in);
		neighbourhood(k, orig, c[i], want, near, sizeof(near));
		for (;;) {
			w = snprintf(s + len, cap - len, "%s'%s' sympos %u at 0x%llx (near %s)",
				     i ? "; " : "", in.name, in.sympos ? in.sympos : 1,
				     (unsigned long long)in.addr, near[0] ? near : "nothing");
			if (w >= 0 && (size_t)w < cap - len)
				break;
			cap *= 2;
			{
				char *ns = realloc(s, cap);

				if (!ns) {
					free(s);
					return NULL;
				}
				s = ns;
			}
		}
		len += (size_t)w;
	}
	if (n > 8 && cap - len > 16)
		snprintf(s + len, cap - len, "; and %zu more", n - 8);
	return s;
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

/*
 * Keep the candidates whose FILE symbol is the original object's source
 * file, when every candidate has one: the count kept (c[] compacted; *n
 * updated when some are), 0 when the files cannot say (none known, or
 * several of that file), -1 when none is of that file.
 */
static int by_file(const struct hp_ksyms *k, struct hp_elf *orig, size_t *c, size_t *n)
{
	const char *file = source_file(orig);
	size_t i, m = 0, keep[MAX_CANDIDATES];

	if (!file)
		return 0;
	for (i = 0; i < *n; i++) {
		struct hp_ksym_info in;

		hp_ksyms_info_at(k, c[i], &in);
		if (!in.file)
			return 0;
		if (!strcmp(in.file, file))
			keep[m++] = c[i];
	}
	if (!m)
		return -1;
	memcpy(c, keep, m * sizeof(*c));
	*n = m;
	return m == 1 ? 1 : 0;
}

enum find_result {
	FOUND,
	NOT_FOUND,
	AMBIGUOUS,
};

/*
 * Find the original object's symbol 'oname' (binding 'local' when it is a
 * static there) in object 'obj' (the target, or vmlinux for a module's use
 * of a non-exported kernel symbol). 'pname' is the name in the patch
 * object, for --sympos. On AMBIGUOUS / NOT_FOUND, *why is a sentence.
 */
static enum find_result find_symbol(struct hp_resolve *r, struct hp_elf *orig,
				    const char *obj, const char *oname, const char *pname,
				    int local, struct hp_ksym_info *out, char **why)
{
	const struct hp_ksyms *k = r->k;
	size_t c[MAX_CANDIDATES], n, i, best = 0, nbest = 0;
	unsigned int score, top = 0;
	struct override *ov;
	char *norm = hp_name_normalize(oname);
	bool numbered = norm && strcmp(norm, oname);
	bool by_norm = false;

	*why = NULL;
	if (!norm)
		return NOT_FOUND;
	ov = override_of(r, oname, pname);
	if (ov) {
		struct hp_error e = { 0 };

		ov->used = true;
		free(norm);
		if (hp_ksyms_lookup(k, obj, oname, ov->pos, out, &e) == 0)
			return FOUND;
		*why = hp_asprintf("--sympos %s=%u: %s", ov->name, ov->pos, e.msg);
		return NOT_FOUND;
	}
	n = hp_ksyms_candidates(k, obj, oname, false, c, MAX_CANDIDATES);
	if (!n) {
		n = hp_ksyms_candidates(k, obj, norm, true, c, MAX_CANDIDATES);
		by_norm = true;
	}
	if (n > MAX_CANDIDATES) {
		*why = hp_asprintf("'%s' has %zu candidates in '%s': choose one with --sympos %s=N",
				   oname, n, obj, oname);
		free(norm);
		return AMBIGUOUS;
	}
	/* binding must agree: a static is a lower-case kallsyms type */
	if (local >= 0) {
		size_t m = 0;

		for (i = 0; i < n; i++) {
			struct hp_ksym_info in;

			hp_ksyms_info_at(k, c[i], &in);
			/* per-cpu variables are all 'A' in kallsyms, static or not */
			if (in.type == 'A' || in.type == 'a' || ksym_global(in.type) == !local)
				c[m++] = c[i];
		}
		if (!m && n) {
			*why = hp_asprintf("'%s' is %s in the original object, but '%s' has only %s symbols of that name",
					   oname, local ? "static" : "global", obj,
					   local ? "global" : "static");
			free(norm);
			return NOT_FOUND;
		}
		n = m;
	}
	if (!n) {
		free(norm);
		return NOT_FOUND;
	}
	/*
	 * A static with the target's FILE symbols (--vmlinux): the candidates
	 * of the original object's source file, whatever their neighbours say
	 * (two copies of one file have the same ones).
	 */
	if (local == 1 && n > 1) {
		switch (by_file(k, orig, c, &n)) {
		case 1:
			hp_ksyms_info_at(k, c[0], out);
			free(norm);
			return FOUND;
		case -1: {
			char *list = describe(k, orig, c, n, oname);

			*why = hp_asprintf("'%s' has %zu candidates in '%s' and none of them comes from '%s' (the vmlinux's FILE symbols): %s; choose with --sympos %s=N",
					   oname, n, obj, source_file(orig), list ? list : "?",
					   oname);
			free(list);
			free(norm);
			return AMBIGUOUS;
		}
		default:
			break;
		}
	}
	/*
	 * One candidate of that exact, unnumbered name: it. Otherwise (several,
	 * or a compiler-numbered static that may be another file's) the
	 * neighbourhood must point at one.
	 */
	if (n == 1 && !by_norm && !numbered) {
		hp_ksyms_info_at(k, c[0], out);
		free(norm);
		return FOUND;
	}
	for (i = 0; i < n; i++) {
		score = neighbourhood(k, orig, c[i], oname, NULL, 0);
		if (score > top) {
			top = score;
			best = i;
			nbest = 1;
		} else if (score == top) {
			nbest++;
		}
	}
	if (top && nbest == 1) {
		hp_ksyms_info_at(k, c[best], out);
		free(norm);
		return FOUND;
	}
	{
		char *list = describe(k, orig, c, n, oname);

		*why = hp_asprintf("'%s' has %zu candidate%s in '%s' and their kallsyms neighbours do not tell which one is the original object's: %s; choose with --sympos %s=N",
				   oname, n, n > 1 ? "s" : "", obj, list ? list : "?",
				   oname);
		free(list);
	}
	free(norm);
	return AMBIGUOUS;
}

/* The original object's symbol for a name: exact, else by normalised name. */
static struct hp_symbol *orig_symbol(struct hp_elf *orig, const char *name, bool *ambiguous)
{
	struct hp_symbol *s, *found = NULL, *undef = NULL;
	char *norm;
	size_t n = 0;

	*ambiguous = false;
	if (!orig)
		return NULL;
	hp_for_each_symbol(orig, s) {
		if (strcmp(s->name, name))
			continue;
		if (s->sec && (hp_symbol_is_func(s) || hp_symbol_is_object(s)))
			return s;
		if (!s->sec && s->type != STT_SECTION && s->sym.st_shndx == SHN_UNDEF)
			undef = s;
	}
	if (undef)
		return undef;
	norm = hp_name_normalize(name);
	if (!norm)
		return NULL;
	hp_for_each_symbol(orig, s)
		if (s->sec && (hp_symbol_is_func(s) || hp_symbol_is_object(s)) &&
		    s->norm && !strcmp(s->norm, norm)) {
			found = s;
			n++;
		}
	free(norm);
	if (n > 1) {
		*ambiguous = true;
		return NULL;
	}
	return found;
}

int hp_resolve_symbol(struct hp_resolve *r, const char *name, struct hp_ksym_info *out,
		      struct hp_error *err)
{
	struct hp_symbol *o;
	bool amb;
	char *why;
	enum find_result fr;
	int local = -1;

	o = orig_symbol(r->orig, name, &amb);
	if (o && o->sec)
		local = o->bind == STB_LOCAL;
	fr = find_symbol(r, r->orig, r->target, o && o->sec ? o->name : name, name, local,
			 out, &why);
	if (fr == FOUND)
		return 0;
	if (fr == AMBIGUOUS) {
		hp_error_set(err, -ENOTUNIQ, "%s", why ? why : "ambiguous");
		free(why);
		return -ENOTUNIQ;
	}
	hp_error_set(err, -ENOENT, "%s", why ? why :
		     "symbol not found in the target object");
	if (!why)
		snprintf(err->msg, sizeof(err->msg), "symbol '%s' not found in '%s'",
			 name, r->target);
	free(why);
	return -ENOENT;
}

/* ---- classifying the patch object's undefined symbols ------------------- */

static int set_str(char **dst, const char *s)
{
	*dst = s ? strdup(s) : NULL;
	return s && !*dst ? -ENOMEM : 0;
}

static int classify(struct run *run, struct hp_symbol *u, struct ext *x)
{
	struct hp_resolve *r = run->r;
	struct hp_symbol *o = NULL;
	struct hp_export_info ex;
	struct hp_ksym_info in = { 0 };
	bool amb = false, exported;
	enum find_result fr;
	char *why = NULL;
	int ret;

	x->name = u->name;
	if (in_sibling(r, u->name)) {
		x->kind = EXT_PATCH;
		x->binding = "global";
		return 0;
	}
	/* what the symbol was in the original object */
	if (run->twins) {
		struct hp_symbol *p = hp_elf_find_symbol(run->d->patched, u->name);

		if (p && p->twin)
			o = p->twin;
		else if (p && !p->sec)
			o = hp_elf_find_symbol(run->orig, u->name);
		else
			o = orig_symbol(run->orig, u->name, &amb);
	} else {
		o = orig_symbol(run->orig, u->name, &amb);
	}
	if (amb) {
		x->kind = EXT_REFUSED;
		x->binding = "local";
		return hp_refuse(run->d, HP_REFUSE_AMBIGUOUS_SYMBOL, u->name,
				 "several symbols of the original object are named like '%s' after compiler numbers are dropped; resolve it together with the diff (hotpatch-build diff ... -o OUT.o with the resolve options)",
				 u->name);
	}
	x->binding = o && o->sec && o->bind == STB_LOCAL ? "local" : "global";
	exported = hp_ksyms_export(r->k, u->name, &ex);

	if (o && o->sec) {
		/* the target object's own symbol */
		if (!r->module_target && o->bind != STB_LOCAL && exported &&
		    !strcmp(ex.module, "vmlinux"))
			goto export;
		fr = find_symbol(r, run->orig, r->target, o->name, u->name,
				 o->bind == STB_LOCAL, &in, &why);
	} else {
		/* defined elsewhere: an export, or another part of the target */
		fr = NOT_FOUND;
		if (r->module_target && hp_ksyms_count(r->k, r->target, u->name))
			fr = find_symbol(r, run->orig, r->target, u->name, u->name, 0, &in,
					 &why);
		if (fr != FOUND && exported) {
			free(why);
			goto export;
		}
		/*
		 * A global of vmlinux nobody exports: deferred, for a module
		 * target too (the module itself could not have used it, the
		 * patch can).
		 */
		if (fr == NOT_FOUND && hp_ksyms_has_object(r->k, "vmlinux") &&
		    (!r->module_target || hp_ksyms_count(r->k, "vmlinux", u->name))) {
			free(why);
			why = NULL;
			fr = find_symbol(r, run->orig, "vmlinux", u->name, u->name, 0, &in,
					 &why);
		}
	}
	if (fr == FOUND) {
		x->kind = EXT_DEFERRED;
		x->sympos = in.sympos;
		if (set_str(&x->obj, in.obj) || set_str(&x->ksym, in.name))
			return -ENOMEM;
		return 0;
	}
	x->kind = EXT_REFUSED;
	if (fr == AMBIGUOUS)
		ret = hp_refuse(run->d, HP_REFUSE_AMBIGUOUS_SYMBOL, u->name, "%s", why);
	else if (why)
		ret = hp_refuse(run->d, HP_REFUSE_UNKNOWN_SYMBOL, u->name, "%s", why);
	else
		ret = hp_refuse(run->d, HP_REFUSE_UNKNOWN_SYMBOL, u->name,
				"'%s' is neither exported (Module.symvers) nor a symbol of '%s'%s",
				u->name, r->target,
				o && o->sec ? "" : ": the module loader could not resolve it");
	free(why);
	return ret;
export:
	x->kind = EXT_EXPORTED;
	if (set_str(&x->obj, ex.module) || set_str(&x->ns, ex.ns))
		return -ENOMEM;
	return 0;
}

/* Tables the module loader reads while loading: no deferred reference. */
static bool load_time_section(const char *name)
{
	static const char *const exact[] = {
		"__jump_table", ".static_call_sites", ".altinstr_replacement",
		".altinstructions", ".parainstructions", "__ex_table", "__bug_table",
		".orc_unwind", ".orc_unwind_ip", ".orc_header", ".smp_locks",
		".retpoline_sites", ".return_sites", ".call_sites", ".ibt_endbr_seal",
		".kcfi_traps", "__mcount_loc", "__patchable_function_entries",
		".static_call.text", ".gnu.linkonce.this_module", "__param",
		"__dyndbg", "__dyndbg_classes", ".init_array", ".ctors",
	};
	size_t i;

	for (i = 0; i < HP_ARRAY_SIZE(exact); i++)
		if (!strcmp(name, exact[i]))
			return true;
	return hp_str_starts(name, ".init.") || hp_str_starts(name, "___ksymtab") ||
	       hp_str_starts(name, "__kcrctab") || hp_str_starts(name, ".orc_");
}

/*
 * Load-time tables whose vmlinux references the 6.1 loader resolves before
 * it uses them: load_module() -> apply_relocations() applies every
 * ".klp.rela.vmlinux.*" section (klp_apply_section_relocs(..., NULL)) in
 * the same pass as the ordinary relocations; post_relocation() (the
 * exception table sorted, module_finalize(): paravirt, alternatives) and
 * the MODULE_STATE_COMING notifiers (jump_label_module_notify(),
 * static_call_module_notify()) come after (docs/relocations.md).
 */
static bool loader_applies_first(const char *name)
{
	static const char *const tables[] = {
		"__jump_table", ".static_call_sites", ".altinstr_replacement",
		".altinstructions", ".parainstructions", "__ex_table",
	};
	size_t i;

	for (i = 0; i < HP_ARRAY_SIZE(tables); i++)
		if (!strcmp(name, tables[i]))
			return true;
	return false;
}

static bool deferrable_type(uint32_t type)
{
	return type == R_X86_64_PC32 || type == R_X86_64_PLT32 || type == R_X86_64_32 ||
	       type == R_X86_64_32S || type == R_X86_64_64 || type == R_X86_64_PC64;
}

static bool undefined_sym(const struct hp_symbol *s)
{
	return !s->sec && s->type != STT_SECTION && s->type != STT_FILE &&
	       s->sym.st_shndx == SHN_UNDEF && s->name[0];
}

/* The function or object of the patch a location belongs to, for messages. */
static const char *owner_at(struct hp_section *sec, uint64_t off)
{
	const struct hp_special_kind *k = hp_special_lookup(sec->name);
	struct hp_symbol *s = hp_section_symbol_at(sec, off);

	if (s)
		return s->name;
	/* a table entry: the code location it names */
	if (k && k->entsize) {
		const struct hp_rela *o =
			hp_section_rela_at(sec, off - off % k->entsize + k->owner_off);

		if (o && o->tsym && o->tsym->name[0])
			return o->tsym->name;
	}
	return sec->name;
}

/* ---- writing the resolved object ---------------------------------------- */

struct strtab {
	char *buf;
	size_t len, cap;
};

static long str_add(struct strtab *t, const char *s, bool dedup)
{
	size_t n = strlen(s) + 1, off;

	if (dedup && t->len) {
		/* linear, but the record strings are few */
		for (off = 0; off < t->len; off += strlen(t->buf + off) + 1)
			if (!strcmp(t->buf + off, s))
				return (long)off;
	}
	if (t->len + n > t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 4096;
		char *nb;

		while (cap < t->len + n)
			cap *= 2;
		nb = realloc(t->buf, cap);
		if (!nb)
			return -ENOMEM;
		t->buf = nb;
		t->cap = cap;
	}
	off = t->len;
	memcpy(t->buf + off, s, n);
	t->len += n;
	return (long)off;
}

/* A tracepoint's jump label of the target module: the jump written at the site. */
struct always_on {
	struct hp_section *sec;		/* the __jump_table of the patch object */
	uint64_t entry;			/* offset of the entry */
	bool jump;			/* the key's "on" state is the jump (branch bit 0) */
};

struct out {
	struct run *run;
	long *secmap;			/* pe section index -> out index */
	unsigned char **data;		/* copies (zeroed locations) */
	Elf64_Rela **relas;
	size_t *nr_relas;
	size_t nr_secs;			/* copied sections */
	long *symmap;			/* pe symbol index -> out index */
	long *secsym;			/* out section index -> its section symbol */
	Elf64_Sym *syms;
	size_t nr_syms, alloc_syms, first_global;
	size_t *size;			/* out section index -> its size */
	bool **drop;			/* out section index -> entries dropped */
	struct always_on *aon;		/* jump labels made unconditional */
	size_t nr_aon, alloc_aon;
	struct strtab strs, shstrs, klp_strs;
	unsigned char *records;
	size_t nr_records, alloc_records;
	Elf64_Rela *record_relas;
};

static bool copied(const struct hp_section *s)
{
	return !hp_section_is_rela(s) && s->sh.sh_type != SHT_SYMTAB &&
	       s->sh.sh_type != SHT_STRTAB;
}

static int push_sym(struct out *o, const char *name, unsigned char info, size_t shndx,
		    uint64_t value, uint64_t size, unsigned char other)
{
	Elf64_Sym *s = hp_array_push((void **)&o->syms, &o->nr_syms, &o->alloc_syms,
				     sizeof(*s));
	long off = str_add(&o->strs, name, false);

	if (!s || off < 0)
		return -ENOMEM;
	s->st_name = (Elf64_Word)off;
	s->st_info = info;
	s->st_other = other;
	s->st_shndx = (Elf64_Half)shndx;
	s->st_value = value;
	s->st_size = size;
	return 0;
}

static void put_le(unsigned char *p, uint64_t v, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

static int add_record(struct out *o, struct hp_section *base, const struct hp_rela *rl,
		      struct ext *x)
{
	unsigned char *rec;
	long obj = str_add(&o->klp_strs, x->obj, true);
	long name = str_add(&o->klp_strs, x->ksym, true);

	if (obj < 0 || name < 0)
		return -ENOMEM;
	if (o->nr_records == o->alloc_records) {
		size_t cap = o->alloc_records ? o->alloc_records * 2 : 16;
		unsigned char *nr = realloc(o->records, cap * KLP_RELOC_SIZE);
		Elf64_Rela *nrr = realloc(o->record_relas, cap * sizeof(*nrr));

		if (nr)
			o->records = nr;
		if (nrr)
			o->record_relas = nrr;
		if (!nr || !nrr)
			return -ENOMEM;
		o->alloc_records = cap;
	}
	rec = o->records + o->nr_records * KLP_RELOC_SIZE;
	put_le(rec + 0, 0, 8);
	put_le(rec + 8, (uint64_t)rl->addend, 8);
	put_le(rec + 16, rl->type, 4);
	put_le(rec + 20, x->sympos, 4);
	put_le(rec + 24, (uint64_t)obj, 4);
	put_le(rec + 28, (uint64_t)name, 4);
	/*
	 * The place: section symbol of the relocated section + offset (the
	 * output section index for now: remap_relas() puts the symbol in).
	 */
	o->record_relas[o->nr_records].r_offset = o->nr_records * KLP_RELOC_SIZE;
	o->record_relas[o->nr_records].r_info =
		ELF64_R_INFO((size_t)o->secmap[base->index], R_X86_64_64);
	o->record_relas[o->nr_records].r_addend = (int64_t)rl->offset;
	o->nr_records++;
	x->nr_records++;
	return 0;
}

/* ---- load-time tables ---------------------------------------------------- */

#define JUMP_ENTRY_SIZE		16	/* s32 code, s32 target, long key */
#define JUMP_ENTRY_KEY		8
#define SC_SITE_SIZE		8	/* s32 addr, s32 key */
#define SC_SITE_KEY		4
#define TRACEPOINT_KEY_OFF	8	/* struct tracepoint: name, then key */
#define TRACEPOINT_PREFIX	"__tracepoint_"

static int note_once(struct hp_diff *d, char *text)
{
	size_t i;
	int ret;

	if (!text)
		return -ENOMEM;
	for (i = 0; i < d->v.nr_notes; i++)
		if (!strcmp(d->v.notes[i], text)) {
			free(text);
			return 0;
		}
	ret = hp_note(d, "%s", text);
	free(text);
	return ret;
}

/* Drop entry ENTRY (byte offset) of pe section S from the output. */
static int drop_entry(struct out *o, struct hp_section *s, uint64_t entry, size_t entsize)
{
	long oi = o->secmap[s->index];

	if (!o->drop[oi]) {
		o->drop[oi] = calloc(s->size / entsize + 1, sizeof(bool));
		if (!o->drop[oi])
			return -ENOMEM;
	}
	o->drop[oi][entry / entsize] = true;
	return 0;
}

/*
 * A deferred relocation in a load-time table: 1 to make it a record, 0 when
 * handled here (refused, or its entry dropped), < 0 on error.
 */
static int load_time(struct out *o, struct hp_section *s, const struct hp_rela *rl,
		     struct ext *x)
{
	struct run *run = o->run;
	bool vmlinux = !strcmp(x->obj, "vmlinux");
	const char *fn = owner_at(s, rl->offset);
	int ret;

	if (vmlinux && loader_applies_first(s->name))
		return 1;
	if (!vmlinux && !strcmp(s->name, ".static_call_sites") &&
	    rl->offset % SC_SITE_SIZE == SC_SITE_KEY) {
		ret = drop_entry(o, s, rl->offset - SC_SITE_KEY, SC_SITE_SIZE);
		if (ret)
			return ret;
		return note_once(run->d, hp_asprintf(
			"static call site in %s() on '%s', a key of module '%s': entry dropped (the core applies relocations to '%s' only after the module loader has set up the patch's static calls); the call goes through the trampoline, which static_call_update() keeps current: only the inline patching of that call is lost",
			fn, x->ksym, x->obj, x->obj));
	}
	if (!vmlinux && !strcmp(s->name, "__jump_table") &&
	    rl->offset % JUMP_ENTRY_SIZE == JUMP_ENTRY_KEY) {
		struct always_on *a;

		if (!hp_str_starts(x->ksym, TRACEPOINT_PREFIX) ||
		    (rl->addend & ~3LL) != TRACEPOINT_KEY_OFF)
			return hp_refuse(run->d, HP_REFUSE_MODULE_JUMP_LABEL, x->name,
					 "jump label in %s() on '%s', a static key of module '%s': the module loader sets up the patch module's jump labels (jump_label_add_module(), at MODULE_STATE_COMING) before the core applies relocations to '%s', so the branch would stay at its compiled default whatever the key's state",
					 fn, x->name, x->obj, x->obj);
		a = hp_array_push((void **)&o->aon, &o->nr_aon, &o->alloc_aon, sizeof(*a));
		if (!a)
			return -ENOMEM;
		a->sec = s;
		a->entry = rl->offset - JUMP_ENTRY_KEY;
		a->jump = !(rl->addend & 1);
		ret = drop_entry(o, s, a->entry, JUMP_ENTRY_SIZE);
		if (ret)
			return ret;
		return note_once(run->d, hp_asprintf(
			"jump label in %s() on tracepoint '%s' of module '%s': made unconditional and its entry dropped (the core applies relocations to '%s' only after the module loader has set up the patch's jump labels); the event fires from the new code when enabled; while it is off the tracepoint's body runs and finds no probe (a small cost on each pass, and code under trace_*_enabled() runs too)",
			fn, x->ksym, x->obj, x->obj));
	}
	return hp_refuse(run->d, HP_REFUSE_LOAD_TIME_REFERENCE, x->name,
			 "%s (entry for '%s', offset 0x%llx) refers to '%s', which is not exported by %s: the module loader uses that entry before the core can apply a deferred relocation",
			 s->name, fn, (unsigned long long)rl->offset, x->name,
			 run->r->module_target ?
			 "the kernel (a symbol of the target module is always deferred)" :
			 "vmlinux");
}

static const unsigned char nop5[] = { 0x0f, 0x1f, 0x44, 0x00, 0x00 };
static const unsigned char nop2[] = { 0x66, 0x90 };

/* Where a PC32 field of a table entry points: section and offset. */
static int entry_target(struct hp_section *s, uint64_t off, struct hp_section **sec,
			uint64_t *at, const struct hp_rela **out)
{
	const struct hp_rela *r = hp_section_rela_at(s, off);

	if (!r || r->offset != off || r->type != R_X86_64_PC32 || !r->sym->sec ||
	    (r->sym->type != STT_SECTION && r->sym->type != STT_FUNC &&
	     r->sym->type != STT_NOTYPE))
		return -EINVAL;
	*sec = r->sym->sec;
	*at = r->sym->sym.st_value + (uint64_t)r->addend;
	*out = r;
	return 0;
}

/* Add a PC32 relocation to out section OI, kept in offset order. */
static int add_rela(struct out *o, long oi, uint64_t off, size_t sym, int64_t addend)
{
	Elf64_Rela *nr = realloc(o->relas[oi], (o->nr_relas[oi] + 1) * sizeof(*nr));
	size_t i;

	if (!nr)
		return -ENOMEM;
	o->relas[oi] = nr;
	for (i = o->nr_relas[oi]; i > 0 && nr[i - 1].r_offset > off; i--)
		nr[i] = nr[i - 1];
	nr[i].r_offset = off;
	nr[i].r_info = ELF64_R_INFO(sym, R_X86_64_PC32);
	nr[i].r_addend = addend;
	o->nr_relas[oi]++;
	return 0;
}

/*
 * A tracepoint's jump label made unconditional: the site gets the
 * instruction of the key's "on" state (the jump to the tracepoint's body
 * for a static_key_false() site), as arch_jump_label_transform() writes it.
 */
static int make_unconditional(struct out *o, const struct always_on *a)
{
	struct run *run = o->run;
	const char *fn = owner_at(a->sec, a->entry);
	const struct hp_rela *cr, *tr;
	struct hp_section *cs, *ts;
	uint64_t code, target, i;
	unsigned char *p;
	unsigned int len;
	long oi;

	if (entry_target(a->sec, a->entry, &cs, &code, &cr) ||
	    entry_target(a->sec, a->entry + 4, &ts, &target, &tr) ||
	    !o->secmap[cs->index] || !o->data[o->secmap[cs->index]])
		return hp_refuse(run->d, HP_REFUSE_UNSUPPORTED, fn,
				 "jump label of %s() at __jump_table+0x%llx: its code or target is not a PC32 reference to a section of the patch",
				 fn, (unsigned long long)a->entry);
	oi = o->secmap[cs->index];
	p = o->data[oi];
	if (code < cs->size && cs->size - code >= 5 &&
	    (!memcmp(p + code, nop5, 5) || p[code] == 0xe9))
		len = 5;
	else if (code < cs->size && cs->size - code >= 2 &&
		 (!memcmp(p + code, nop2, 2) || p[code] == 0xeb))
		len = 2;
	else
		return hp_refuse(run->d, HP_REFUSE_UNSUPPORTED, fn,
				 "jump label of %s() at %s+0x%llx: not a 2- or 5-byte NOP or JMP",
				 fn, cs->name, (unsigned long long)code);
	for (i = 0; i < o->nr_relas[oi]; i++)
		if (o->relas[oi][i].r_offset < code + len &&
		    o->relas[oi][i].r_offset + 4 > code)
			return hp_refuse(run->d, HP_REFUSE_UNSUPPORTED, fn,
					 "jump label of %s() at %s+0x%llx: the instruction has a relocation",
					 fn, cs->name, (unsigned long long)code);
	if (!a->jump) {
		memcpy(p + code, len == 5 ? nop5 : nop2, len);
		return 0;
	}
	if (len == 2) {
		int64_t rel = (int64_t)(target - (code + 2));

		if (ts != cs || rel < -128 || rel > 127)
			return hp_refuse(run->d, HP_REFUSE_UNSUPPORTED, fn,
					 "jump label of %s() at %s+0x%llx: a 2-byte site whose target is out of reach",
					 fn, cs->name, (unsigned long long)code);
		p[code] = 0xeb;
		p[code + 1] = (unsigned char)(int8_t)rel;
		return 0;
	}
	/* jmp rel32, relocated against the target's own symbol (maybe another section) */
	memcpy(p + code, "\xe9\0\0\0\0", 5);
	return add_rela(o, oi, code + 1, tr->sym->index, tr->addend - 4);
}

/* Cut the dropped entries out of their tables, moving what follows. */
static int compact(struct out *o, struct hp_section *s, size_t entsize)
{
	long oi = o->secmap[s->index];
	size_t n = s->size / entsize, i, j, kept = 0, *shift;
	unsigned char *d = o->data[oi];
	struct hp_symbol *sym;

	hp_for_each_symbol(o->run->pe, sym)
		if (sym->sec == s && sym->type != STT_SECTION)
			return hp_refuse(o->run->d, HP_REFUSE_UNSUPPORTED, s->name,
					 "%s: symbol '%s' defined in a table whose entries are cut",
					 s->name, sym->name);
	shift = calloc(n + 1, sizeof(*shift));
	if (!shift)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		shift[i] = (i - kept) * entsize;
		if (o->drop[oi][i])
			continue;
		if (kept != i)
			memmove(d + kept * entsize, d + i * entsize, entsize);
		kept++;
	}
	for (i = j = 0; i < o->nr_relas[oi]; i++) {
		Elf64_Rela r = o->relas[oi][i];
		size_t e = r.r_offset / entsize;

		if (e < n && o->drop[oi][e])
			continue;
		if (e < n)
			r.r_offset -= shift[e];
		o->relas[oi][j++] = r;
	}
	o->nr_relas[oi] = j;
	for (i = 0; i < o->nr_records; i++) {
		Elf64_Rela *r = &o->record_relas[i];
		size_t e = (size_t)r->r_addend / entsize;

		if ((long)ELF64_R_SYM(r->r_info) != oi || e >= n)
			continue;
		if (o->drop[oi][e]) {
			free(shift);
			return -EINVAL;
		}
		r->r_addend -= (int64_t)shift[e];
	}
	o->size[oi] = kept * entsize;
	free(shift);
	return 0;
}

/* After plan(): the unconditional jumps written, the dropped entries cut. */
static int finish_tables(struct out *o)
{
	struct hp_section *s;
	size_t i;
	int ret;

	for (i = 0; i < o->nr_aon; i++) {
		ret = make_unconditional(o, &o->aon[i]);
		if (ret)
			return ret;
	}
	hp_for_each_section(o->run->pe, s) {
		const struct hp_special_kind *k;

		if (!copied(s) || !o->drop[o->secmap[s->index]])
			continue;
		k = hp_special_lookup(s->name);
		if (!k || !k->entsize)
			return -EINVAL;
		if (s->size % k->entsize) {
			ret = hp_refuse(o->run->d, HP_REFUSE_UNSUPPORTED, s->name,
					"size %zu of %s is not a multiple of the %u-byte %s",
					(size_t)s->size, s->name, k->entsize, k->what);
			if (ret)
				return ret;
			continue;
		}
		ret = compact(o, s, k->entsize);
		if (ret)
			return ret;
	}
	return 0;
}

/* Keep or defer every relocation; collect refusals. */
static int plan(struct out *o)
{
	struct run *run = o->run;
	struct hp_elf *pe = run->pe;
	struct hp_section *s;
	int ret = 0;

	hp_for_each_section(pe, s) {
		struct hp_rela *rl;
		long oi;
		size_t n = 0;

		if (!copied(s) || !s->rela)
			continue;
		oi = o->secmap[s->index];
		o->relas[oi] = calloc(s->rela->nr_relas ? s->rela->nr_relas : 1,
				      sizeof(Elf64_Rela));
		if (!o->relas[oi])
			return -ENOMEM;
		hp_for_each_rela(s, rl) {
			struct ext *x = run->exts[rl->sym->index];
			Elf64_Rela *nr;

			if (x && x->kind == EXT_DEFERRED) {
				if (load_time_section(s->name)) {
					ret = load_time(o, s, rl, x);
					if (ret < 0)
						return ret;
					if (!ret)
						continue;
				}
				if (!deferrable_type(rl->type)) {
					ret = hp_refuse(run->d, HP_REFUSE_UNSUPPORTED, x->name,
							"relocation type %u against '%s' in %s cannot be deferred (PC32, PLT32, 32, 32S, 64, PC64 can)",
							rl->type, x->name, s->name);
					if (ret)
						return ret;
					continue;
				}
				if (s->sh.sh_type == SHT_NOBITS || !o->data[oi])
					return -EINVAL;
				memset(o->data[oi] + rl->offset, 0, rl->width);
				ret = add_record(o, s, rl, x);
				if (ret)
					return ret;
				continue;
			}
			if (x)
				x->used = true;
			nr = &o->relas[oi][n++];
			nr->r_offset = rl->offset;
			nr->r_info = ELF64_R_INFO(rl->sym->index, rl->type);	/* remapped later */
			nr->r_addend = rl->addend;
		}
		o->nr_relas[oi] = n;
	}
	return 0;
}

static int build_symbols(struct out *o)
{
	struct hp_elf *pe = o->run->pe;
	struct hp_symbol *s;
	size_t i, j;
	int ret = 0;

	o->symmap = calloc(pe->nr_symbols, sizeof(*o->symmap));
	o->secsym = calloc(o->nr_secs + 1, sizeof(*o->secsym));
	if (!o->symmap || !o->secsym || str_add(&o->strs, "", false) < 0)
		return -ENOMEM;
	ret = push_sym(o, "", 0, SHN_UNDEF, 0, 0, 0);
	for (j = 0; j < 2 && !ret; j++) {
		if (j == 1) {
			/* every copied section gets a section symbol (record places) */
			for (i = 1; i <= o->nr_secs && !ret; i++) {
				if (o->secsym[i])
					continue;
				ret = push_sym(o, "", GELF_ST_INFO(STB_LOCAL, STT_SECTION), i,
					       0, 0, 0);
				o->secsym[i] = (long)o->nr_syms - 1;
			}
			o->first_global = o->nr_syms;
		}
		hp_for_each_symbol(pe, s) {
			struct ext *x = o->run->exts[s->index];
			size_t shndx = s->sym.st_shndx;

			if (ret || (j == 0) != (s->bind == STB_LOCAL))
				continue;
			if ((x && !x->used) || (!x && undefined_sym(s)))
				continue;	/* no reference left: dropped */
			if (s->sec) {
				if (!o->secmap[s->sec->index])
					continue;
				shndx = (size_t)o->secmap[s->sec->index];
			} else if (s->sym.st_shndx != SHN_UNDEF && s->sym.st_shndx < SHN_LORESERVE) {
				continue;
			}
			if (s->type == STT_SECTION && s->sec) {
				if (o->secsym[shndx])
					continue;
				o->secsym[shndx] = (long)o->nr_syms;
			}
			o->symmap[s->index] = (long)o->nr_syms;
			ret = push_sym(o, s->type == STT_SECTION ? "" : s->name, s->sym.st_info,
				       shndx, s->sym.st_value, s->sym.st_size, s->sym.st_other);
		}
	}
	return ret;
}

static int remap_relas(struct out *o)
{
	size_t i, j;

	for (i = 1; i <= o->nr_secs; i++)
		for (j = 0; j < o->nr_relas[i]; j++) {
			Elf64_Rela *r = &o->relas[i][j];
			size_t old = ELF64_R_SYM(r->r_info);
			struct hp_symbol *s = &o->run->pe->symbols[old];
			long n = o->symmap[old];

			if (s->type == STT_SECTION && s->sec)
				n = o->secsym[o->secmap[s->sec->index]];
			if (n <= 0)
				return -EINVAL;
			r->r_info = ELF64_R_INFO((size_t)n, ELF64_R_TYPE(r->r_info));
		}
	for (i = 0; i < o->nr_records; i++) {
		Elf64_Rela *r = &o->record_relas[i];
		size_t sec = ELF64_R_SYM(r->r_info);

		if (!sec || sec > o->nr_secs || o->secsym[sec] <= 0)
			return -EINVAL;
		r->r_info = ELF64_R_INFO((size_t)o->secsym[sec], R_X86_64_64);
	}
	return 0;
}

static Elf_Scn *new_section(Elf *elf, struct strtab *shstrs, const char *name,
			    const GElf_Shdr *tmpl, void *buf, size_t size, Elf_Type type)
{
	Elf_Scn *scn = elf_newscn(elf);
	Elf_Data *data;
	GElf_Shdr sh;
	long off;

	if (!scn)
		return NULL;
	data = elf_newdata(scn);
	off = str_add(shstrs, name, false);
	if (!data || off < 0 || !gelf_getshdr(scn, &sh))
		return NULL;
	data->d_buf = buf;
	data->d_size = size;
	data->d_type = type;
	data->d_align = tmpl->sh_addralign ? tmpl->sh_addralign : 1;
	sh = *tmpl;
	sh.sh_name = (Elf64_Word)off;
	sh.sh_size = size;
	sh.sh_offset = 0;
	return gelf_update_shdr(scn, &sh) ? scn : NULL;
}

static int emit(struct out *o, const char *path, struct hp_error *err)
{
	struct hp_elf *pe = o->run->pe;
	size_t i, nr_rela = 0, idx, symtab, strtab, shstrtab, klp = 0;
	struct hp_section *s;
	GElf_Ehdr eh;
	GElf_Shdr sh;
	Elf *elf;
	int fd, ret = 0;

	for (i = 1; i <= o->nr_secs; i++)
		nr_rela += o->nr_relas[i] != 0;
	idx = o->nr_secs + nr_rela + 1;
	if (o->nr_records) {
		klp = idx;
		idx += 3;
	}
	symtab = idx;
	strtab = symtab + 1;
	shstrtab = strtab + 1;
	if (str_add(&o->shstrs, "", false) < 0)
		return hp_error_set(err, -ENOMEM, "out of memory");

	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return hp_error_set(err, -errno, "%s: %s", path, strerror(errno));
	elf = elf_begin(fd, ELF_C_WRITE, NULL);
	if (!elf || !gelf_newehdr(elf, ELFCLASS64) || !gelf_getehdr(elf, &eh))
		goto elf_fail;
	eh.e_ident[EI_DATA] = ELFDATA2LSB;
	eh.e_ident[EI_OSABI] = ELFOSABI_NONE;
	eh.e_type = ET_REL;
	eh.e_machine = EM_X86_64;
	eh.e_version = EV_CURRENT;
	eh.e_shstrndx = (Elf64_Half)shstrtab;
	if (!gelf_update_ehdr(elf, &eh))
		goto elf_fail;
	hp_for_each_section(pe, s) {
		long oi;

		if (!copied(s))
			continue;
		oi = o->secmap[s->index];
		sh = s->sh;
		sh.sh_link = sh.sh_link && sh.sh_link < pe->nr_sections ?
			     (Elf64_Word)o->secmap[sh.sh_link] : 0;
		sh.sh_info = 0;
		if (!new_section(elf, &o->shstrs, s->name, &sh,
				 s->sh.sh_type == SHT_NOBITS ? NULL : o->data[oi], o->size[oi],
				 ELF_T_BYTE))
			goto elf_fail;
	}
	hp_for_each_section(pe, s) {
		long oi;
		char *name;
		Elf_Scn *scn;

		if (!copied(s))
			continue;
		oi = o->secmap[s->index];
		if (!o->nr_relas[oi])
			continue;
		memset(&sh, 0, sizeof(sh));
		sh.sh_type = SHT_RELA;
		sh.sh_flags = SHF_INFO_LINK;
		sh.sh_link = (Elf64_Word)symtab;
		sh.sh_info = (Elf64_Word)oi;
		sh.sh_entsize = sizeof(Elf64_Rela);
		sh.sh_addralign = 8;
		name = hp_asprintf(".rela%s", s->name);
		if (!name)
			goto elf_fail;
		scn = new_section(elf, &o->shstrs, name, &sh, o->relas[oi],
				  o->nr_relas[oi] * sizeof(Elf64_Rela), ELF_T_RELA);
		free(name);
		if (!scn)
			goto elf_fail;
	}
	if (o->nr_records) {
		memset(&sh, 0, sizeof(sh));
		sh.sh_type = SHT_PROGBITS;
		sh.sh_addralign = 8;
		sh.sh_entsize = KLP_RELOC_SIZE;
		if (!new_section(elf, &o->shstrs, ".hotpatch.klp_relocs", &sh, o->records,
				 o->nr_records * KLP_RELOC_SIZE, ELF_T_BYTE))
			goto elf_fail;
		memset(&sh, 0, sizeof(sh));
		sh.sh_type = SHT_RELA;
		sh.sh_flags = SHF_INFO_LINK;
		sh.sh_link = (Elf64_Word)symtab;
		sh.sh_info = (Elf64_Word)klp;
		sh.sh_entsize = sizeof(Elf64_Rela);
		sh.sh_addralign = 8;
		if (!new_section(elf, &o->shstrs, ".rela.hotpatch.klp_relocs", &sh,
				 o->record_relas, o->nr_records * sizeof(Elf64_Rela),
				 ELF_T_RELA))
			goto elf_fail;
		memset(&sh, 0, sizeof(sh));
		sh.sh_type = SHT_PROGBITS;
		sh.sh_addralign = 1;
		if (!new_section(elf, &o->shstrs, ".hotpatch.klp_strs", &sh, o->klp_strs.buf,
				 o->klp_strs.len, ELF_T_BYTE))
			goto elf_fail;
	}
	memset(&sh, 0, sizeof(sh));
	sh.sh_type = SHT_SYMTAB;
	sh.sh_link = (Elf64_Word)strtab;
	sh.sh_info = (Elf64_Word)o->first_global;
	sh.sh_entsize = sizeof(Elf64_Sym);
	sh.sh_addralign = 8;
	if (!new_section(elf, &o->shstrs, ".symtab", &sh, o->syms,
			 o->nr_syms * sizeof(Elf64_Sym), ELF_T_SYM))
		goto elf_fail;
	memset(&sh, 0, sizeof(sh));
	sh.sh_type = SHT_STRTAB;
	sh.sh_addralign = 1;
	if (!new_section(elf, &o->shstrs, ".strtab", &sh, o->strs.buf, o->strs.len,
			 ELF_T_BYTE))
		goto elf_fail;
	/* its own name goes in before the table is handed over */
	if (str_add(&o->shstrs, ".shstrtab", false) < 0)
		goto elf_fail;
	if (hp_elf_add_shstrtab(elf, o->shstrs.buf, o->shstrs.len))
		goto elf_fail;
	if (elf_update(elf, ELF_C_WRITE) < 0)
		goto elf_fail;
	goto out;
elf_fail:
	ret = hp_error_set(err, -EIO, "%s: cannot write object: %s", path, elf_errmsg(-1));
out:
	if (elf)
		elf_end(elf);
	if (close(fd) && !ret)
		ret = hp_error_set(err, -errno, "%s: %s", path, strerror(errno));
	if (ret)
		unlink(path);
	return ret;
}

static void out_free(struct out *o)
{
	size_t i;

	for (i = 0; i <= o->nr_secs && o->data; i++) {
		free(o->data[i]);
		free(o->relas[i]);
		if (o->drop)
			free(o->drop[i]);
	}
	free(o->drop);
	free(o->size);
	free(o->aon);
	free(o->data);
	free(o->relas);
	free(o->nr_relas);
	free(o->secmap);
	free(o->symmap);
	free(o->secsym);
	free(o->syms);
	free(o->strs.buf);
	free(o->shstrs.buf);
	free(o->klp_strs.buf);
	free(o->records);
	free(o->record_relas);
}

static int prepare(struct out *o, struct hp_error *err)
{
	struct hp_elf *pe = o->run->pe;
	struct hp_section *s;

	o->secmap = calloc(pe->nr_sections, sizeof(*o->secmap));
	o->data = calloc(pe->nr_sections + 1, sizeof(*o->data));
	o->relas = calloc(pe->nr_sections + 1, sizeof(*o->relas));
	o->nr_relas = calloc(pe->nr_sections + 1, sizeof(*o->nr_relas));
	o->size = calloc(pe->nr_sections + 1, sizeof(*o->size));
	o->drop = calloc(pe->nr_sections + 1, sizeof(*o->drop));
	if (!o->secmap || !o->data || !o->relas || !o->nr_relas || !o->size || !o->drop ||
	    str_add(&o->klp_strs, "", false) < 0)
		return hp_error_set(err, -ENOMEM, "out of memory");
	hp_for_each_section(pe, s) {
		if (!copied(s))
			continue;
		switch (s->sh.sh_type) {
		case SHT_PROGBITS:
		case SHT_NOBITS:
		case SHT_NOTE:
		case SHT_INIT_ARRAY:
		case SHT_FINI_ARRAY:
		case SHT_PREINIT_ARRAY:
			break;
		default:
			return hp_error_set(err, -ENOTSUP,
					    "%s: section %s has type %u, which a patch object does not have (write it with hotpatch-build diff -o)",
					    pe->path, s->name, s->sh.sh_type);
		}
		if (s->sh.sh_flags & SHF_GROUP)
			return hp_error_set(err, -ENOTSUP,
					    "%s: section %s is in a group: not a patch object written by hotpatch-build diff -o",
					    pe->path, s->name);
		o->secmap[s->index] = (long)++o->nr_secs;
		o->size[o->nr_secs] = s->size;
		if (s->sh.sh_type != SHT_NOBITS) {
			o->data[o->nr_secs] = malloc(s->size ? s->size : 1);
			if (!o->data[o->nr_secs])
				return hp_error_set(err, -ENOMEM, "out of memory");
			if (s->size)
				memcpy(o->data[o->nr_secs], s->data, s->size);
		}
	}
	return 0;
}

/* ---- the verdict --------------------------------------------------------- */

static char *own_str(struct hp_diff *d, const char *s)
{
	char *c, **slot;

	if (!s)
		return NULL;
	c = strdup(s);
	slot = c ? hp_array_push((void **)&d->owned, &d->nr_owned, &d->alloc_owned,
				 sizeof(*slot)) : NULL;
	if (!slot) {
		free(c);
		return NULL;
	}
	*slot = c;
	return c;
}

static int cmp_vsym(const void *a, const void *b)
{
	return strcmp(((const struct hp_verdict_sym *)a)->name,
		      ((const struct hp_verdict_sym *)b)->name);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int update_verdict(struct run *run)
{
	struct hp_verdict *v = &run->d->v;
	size_t i, j, alloc_ns = 0;

	for (i = 0; i < run->nr_ext; i++) {
		struct ext *x = &run->ext_list[i];
		struct hp_verdict_sym *e = NULL;

		for (j = 0; j < v->nr_externals; j++)
			if (!strcmp(v->externals[j].name, x->name))
				e = &v->externals[j];
		if (!e) {
			e = hp_array_push((void **)&v->externals, &v->nr_externals,
					  &run->d->alloc_externals, sizeof(*e));
			if (!e)
				return -ENOMEM;
			e->name = own_str(run->d, x->name);
			e->status = HP_SAME;
			e->why = x->binding;
			if (!e->name)
				return -ENOMEM;
		}
		e->resolution = x->kind == EXT_EXPORTED ? "exported" :
				x->kind == EXT_PATCH ? "patch" :
				x->kind == EXT_DEFERRED ? "deferred" : "refused";
		e->obj = x->obj ? own_str(run->d, x->obj) : NULL;
		e->ksym = x->ksym ? own_str(run->d, x->ksym) : NULL;
		e->sympos = x->sympos;
		if ((x->obj && !e->obj) || (x->ksym && !e->ksym))
			return -ENOMEM;
		if (x->kind == EXT_EXPORTED && x->ns && x->used) {
			bool dup = false;

			for (j = 0; j < v->nr_import_ns; j++)
				dup |= !strcmp(v->import_ns[j], x->ns);
			if (!dup) {
				char **slot = hp_array_push((void **)&v->import_ns,
							    &v->nr_import_ns, &alloc_ns,
							    sizeof(*slot));

				if (!slot || !(*slot = strdup(x->ns)))
					return -ENOMEM;
			}
		}
	}
	if (v->nr_externals)
		qsort(v->externals, v->nr_externals, sizeof(*v->externals), cmp_vsym);
	if (v->nr_import_ns)
		qsort(v->import_ns, v->nr_import_ns, sizeof(*v->import_ns), cmp_str);
	for (i = 0; i < run->r->nr_ov; i++)
		if (!run->r->ov[i].used &&
		    hp_note(run->d, "--sympos %s=%u was not needed: nothing the patch refers to has that name",
			    run->r->ov[i].name, run->r->ov[i].pos))
			return -ENOMEM;
	return 0;
}

static int refusal_cmp(const void *a, const void *b)
{
	const struct hp_refusal *x = a, *y = b;

	if (x->kind != y->kind)
		return x->kind < y->kind ? -1 : 1;
	return strcmp(x->symbol, y->symbol);
}

/* Classify, plan and (unless refused) write. */
static int resolve_run(struct run *run, const char *path, struct hp_error *err)
{
	struct hp_elf *pe = run->pe;
	size_t refusals = run->refusals;
	struct hp_section *s;
	struct out o = { .run = run };
	int ret;

	run->exts = calloc(pe->nr_symbols, sizeof(*run->exts));
	run->ext_list = calloc(pe->nr_symbols, sizeof(*run->ext_list));
	if (!run->exts || !run->ext_list)
		return hp_error_set(err, -ENOMEM, "out of memory");
	/* every undefined symbol some relocation names */
	hp_for_each_section(pe, s) {
		struct hp_rela *rl;

		if (hp_section_is_rela(s))
			continue;
		hp_for_each_rela(s, rl) {
			struct hp_symbol *u = rl->sym;

			if (!undefined_sym(u) || run->exts[u->index])
				continue;
			run->exts[u->index] = &run->ext_list[run->nr_ext++];
			ret = classify(run, u, run->exts[u->index]);
			if (ret)
				return hp_error_set(err, ret, "out of memory");
		}
	}
	ret = prepare(&o, err);
	if (!ret) {
		ret = plan(&o);
		if (!ret)
			ret = finish_tables(&o);
		if (!ret)
			ret = update_verdict(run);
		if (ret)
			hp_error_set(err, ret, "cannot resolve %s", pe->path);
	}
	if (run->d->v.nr_refusals > 1)
		qsort(run->d->v.refusals, run->d->v.nr_refusals,
		      sizeof(*run->d->v.refusals), refusal_cmp);
	if (!ret && run->d->v.nr_refusals > refusals)
		ret = hp_error_set(err, -ENOEXEC,
				   "the patch was refused (%zu problem%s): nothing written",
				   run->d->v.nr_refusals - refusals,
				   run->d->v.nr_refusals - refusals > 1 ? "s" : "");
	if (!ret) {
		ret = build_symbols(&o);
		if (!ret)
			ret = remap_relas(&o);
		if (ret)
			hp_error_set(err, ret, "cannot lay out the resolved object");
		else
			ret = emit(&o, path, err);
	}
	out_free(&o);
	return ret;
}

static void run_free(struct run *run)
{
	size_t i;

	for (i = 0; i < run->nr_ext; i++) {
		free(run->ext_list[i].obj);
		free(run->ext_list[i].ksym);
		free(run->ext_list[i].ns);
	}
	free(run->ext_list);
	free(run->exts);
}

int hp_resolve_object(struct hp_resolve *r, const char *patch, const char *path,
		      struct hp_error *err)
{
	struct hp_diff_opts dopts = { .target = r->target, .no_dwarf = r->opts.no_dwarf };
	struct run run = { .r = r };
	int ret;

	if (!r->orig)
		return hp_error_set(err, -EINVAL,
				    "give the original object (--orig): it says which symbols are statics and where they sit");
	if (r->own)
		return hp_error_set(err, -EBUSY, "this resolver already resolved an object");
	ret = hp_diff_new(&dopts, &r->own, err);
	if (ret)
		return ret;
	/* the verdict's refusals look up source lines in both */
	r->own->orig = r->orig;
	r->own->ran = true;
	ret = hp_elf_open(patch, &r->own->patched, err);
	if (ret)
		return ret;
	run.d = r->own;
	run.orig = r->orig;
	run.pe = r->own->patched;
	run.refusals = run.d->v.nr_refusals;
	reset_overrides(r);
	ret = resolve_run(&run, path, err);
	run_free(&run);
	return ret;
}

/*
 * The target's sympos of every changed function whose name the target has
 * more than once (statics of two files), for the module step, which has no
 * original object to tell them apart: found as a deferred symbol is, by
 * its kallsyms neighbourhood. An ambiguous one is refused with the
 * candidates (--sympos NAME=N settles it).
 */
static int changed_sympos(struct run *run)
{
	struct hp_diff *d = run->d;
	const struct hp_verdict *v = &d->v;
	size_t i;
	int ret = 0;

	free(d->func_sympos);
	d->func_sympos = calloc(v->nr_funcs ? v->nr_funcs : 1, sizeof(*d->func_sympos));
	if (!d->func_sympos)
		return -ENOMEM;
	for (i = 0; i < v->nr_funcs && !ret; i++) {
		const struct hp_verdict_sym *f = &v->funcs[i];
		struct hp_symbol *s = hp_elf_find_symbol(d->patched, f->name);
		struct hp_symbol *o = s && s->twin ? s->twin : NULL;
		const char *old = o ? o->name : f->name;
		struct hp_ksym_info in;
		enum find_result fr;
		char *why = NULL;

		if (f->status != HP_CHANGED || hp_ksyms_count(run->r->k, run->r->target, old) < 2)
			continue;
		fr = find_symbol(run->r, d->orig, run->r->target, old, f->name,
				 o ? o->bind == STB_LOCAL : -1, &in, &why);
		if (fr == FOUND && !strcmp(in.name, old))
			d->func_sympos[i] = in.sympos;
		else if (fr == AMBIGUOUS)
			ret = hp_refuse(d, HP_REFUSE_AMBIGUOUS_SYMBOL, old,
					"the changed function %s", why ? why : "is ambiguous");
		/* not found: the module step says so, naming the symbol table */
		free(why);
	}
	return ret;
}

int hp_diff_write_resolved(struct hp_diff *d, struct hp_resolve *r, const char *path,
			   struct hp_error *err)
{
	struct run run = { .r = r, .d = d, .orig = d->orig, .twins = true };
	char *tmp;
	int fd, ret;

	if (strcmp(d->target, r->target))
		return hp_error_set(err, -EINVAL,
				    "the differ's target '%s' is not the resolver's '%s'",
				    d->target, r->target);
	ret = hp_diff_writable(d, err);
	if (ret)
		return ret;
	run.refusals = d->v.nr_refusals;
	reset_overrides(r);
	ret = changed_sympos(&run);
	if (ret)
		return hp_error_set(err, ret, "out of memory");
	tmp = hp_asprintf("%s.unresolved.XXXXXX", path);
	if (!tmp)
		return hp_error_set(err, -ENOMEM, "out of memory");
	fd = mkstemp(tmp);
	if (fd < 0) {
		ret = hp_error_set(err, -errno, "%s: %s", tmp, strerror(errno));
		free(tmp);
		return ret;
	}
	close(fd);
	/* refusals of changed_sympos() are reported with resolve's, at once */
	ret = hp_diff_write_object(d, tmp, err);
	if (!ret)
		ret = hp_elf_open(tmp, &run.pe, err);
	unlink(tmp);
	free(tmp);
	if (!ret)
		ret = resolve_run(&run, path, err);
	run_free(&run);
	hp_elf_free(run.pe);
	return ret;
}
