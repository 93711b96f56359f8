// SPDX-License-Identifier: GPL-2.0
/*
 * Patch module generation: `hotpatch-build module`.
 *
 *   plan     read every patch object's .hotpatch.funcs (funcs.c), look up
 *            each replaced function in the target's symbols (sympos, the
 *            size kallsyms reports), name a global alias for it
 *   sources  main.c (struct hotpatch_func/object/patch, init/exit, modinfo),
 *            tramp.S (HOTPATCH_TRAMPOLINE per replacement), Kbuild, and a
 *            copy of each patch object as <part>.o_shipped with the aliases
 *            added (objcopy): the patch object's functions are often local
 *            symbols, which main.c and tramp.S cannot name
 *   kbuild   make -C KDIR M=WORKDIR modules
 *   finish   post-link (klp relocations), manifest (libhpsign), signatures,
 *            then OUT, renamed into place: nothing half-written there
 *
 * Layout of the work dir and of the generated files: docs/builder.md,
 * "The patch module".
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <json-c/json.h>

/*
 * libhpsign (tools/sign) has an hp_verify() of its own, which this file
 * does not use; the differ's verify pass has the same name (internal.h).
 */
#define hp_verify hp_sign_verify
#include "hpsign.h"
#undef hp_verify
#include "internal.h"
#include "gen.h"

#ifndef HP_INCLUDE_DIR
#define HP_INCLUDE_DIR ""
#endif
#ifndef HP_CORE_SYMVERS
#define HP_CORE_SYMVERS ""
#endif

#define PART_MAIN	"hpgen-main"
#define PART_TRAMP	"hpgen-tramp"
#define PART_PATCH	"hpgen-p"	/* + input index */
#define ALIAS_PREFIX	"__hpnew_"
#define KLP_RELOCS	".hotpatch.klp_relocs"
#define KLP_STRS	".hotpatch.klp_strs"
#define KLP_RECORD	32		/* docs/builder.md, "Records" */

struct gen_input {
	struct hp_funcs *funcs;
	size_t obj;			/* index in g->objs */
	bool klp_relocs;
	size_t klp_strs_size;		/* its .hotpatch.klp_strs */
	unsigned char *klp_strs;	/* a copy of them */
	size_t klp_strs_base;		/* where they land in the module's */
	char **add_symbol;		/* objcopy --add-symbol arguments */
	size_t nr_add, alloc_add;
};

struct hp_gen {
	struct hp_gen_opts o;
	uint8_t build_id[32];
	size_t build_id_len;
	struct gen_input *in;
	struct hp_gen_obj *objs;
	size_t nr_objs, alloc_objs;
	char *workdir;
	bool made_workdir, planned, signed_, done, build_failed;
	struct hp_postlink_stats pl;
	const char *include_dir, *core_symvers;
};

static void progress(struct hp_gen *g, const char *step, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void progress(struct hp_gen *g, const char *step, const char *fmt, ...)
{
	va_list ap;

	if (!g->o.progress)
		return;
	fprintf(g->o.progress, "  %-7s ", step);
	va_start(ap, fmt);
	vfprintf(g->o.progress, fmt, ap);
	va_end(ap);
	fputc('\n', g->o.progress);
	fflush(g->o.progress);
}

static bool valid_name(const char *s, size_t max, bool dash)
{
	size_t n = 0;

	for (; s && *s; s++, n++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= '0' && *s <= '9') || *s == '_' || (dash && *s == '-')))
			return false;
	return s && n >= 1 && n <= max;
}

/* a symbol name that can go into the manifest and, quoted, into C */
static bool valid_symbol(const char *s)
{
	size_t n = 0;

	for (; *s; s++, n++)
		if (*s <= ' ' || *s > '~' || *s == ',' || *s == '/' || *s == '"' ||
		    *s == '\\')
			return false;
	return n >= 1 && n <= HOTPATCH_SYMBOL_MAX;
}

static bool valid_release(const char *s)
{
	size_t n = 0;

	for (; s && *s; s++, n++)
		if (*s <= ' ' || *s > '~' || *s == '"' || *s == '\\')
			return false;
	return s && n >= 1 && n <= HOTPATCH_RELEASE_MAX;
}

int hp_gen_new(const struct hp_gen_opts *opts, struct hp_gen **out,
	       struct hp_error *err)
{
	struct hp_gen *g;
	size_t i;

	*out = NULL;
	if (!opts->name || !valid_name(opts->name, HOTPATCH_NAME_MAX, false))
		return hp_error_set(err, -EINVAL, "--name '%s': a patch name is 1 to %d "
				    "of [A-Za-z0-9_] (it is the module's name)",
				    opts->name ? opts->name : "", HOTPATCH_NAME_MAX);
	if (!opts->output || !opts->output[0])
		return hp_error_set(err, -EINVAL, "no output: give -o OUT.ko");
	if (!opts->kdir)
		return hp_error_set(err, -EINVAL, "no kernel tree: give --kdir with the "
				    "target kernel's headers (/lib/modules/REL/build)");
	if (!valid_release(opts->release))
		return hp_error_set(err, -EINVAL, "--release '%s': give the target's "
				    "`uname -r` (printable, no spaces, 1 to %d bytes)",
				    opts->release ? opts->release : "",
				    HOTPATCH_RELEASE_MAX);
	if (!opts->nr_inputs)
		return hp_error_set(err, -EINVAL, "no patch objects: give OBJECT=PATCH.o "
				    "(the output of `hotpatch-build diff -o`)");
	for (i = 0; i < opts->nr_inputs; i++)
		if (!valid_name(opts->inputs[i].object, HOTPATCH_NAME_MAX, true))
			return hp_error_set(err, -EINVAL, "'%s=%s': OBJECT is vmlinux or a "
					    "module name", opts->inputs[i].object,
					    opts->inputs[i].path);
	for (i = 0; i < opts->nr_modobjs; i++)
		if (!valid_name(opts->modobjs[i].name, HOTPATCH_NAME_MAX, true) ||
		    !strcmp(opts->modobjs[i].name, HOTPATCH_VMLINUX))
			return hp_error_set(err, -EINVAL, "--module-object '%s': "
					    "MODNAME=MOD.ko", opts->modobjs[i].name);
	for (i = 0; i < opts->nr_sympos; i++)
		if (!opts->sympos[i].pos)
			return hp_error_set(err, -EINVAL, "--sympos %s:%s: positions "
					    "count from 1", opts->sympos[i].object,
					    opts->sympos[i].name);
	if (!!opts->key != !!opts->cert)
		return hp_error_set(err, -EINVAL, "give both --key and --cert to sign, "
				    "or neither");
	if (opts->mode > HP_GEN_MODE_OPS)
		return hp_error_set(err, -EINVAL, "unknown mode %d", opts->mode);
	g = calloc(1, sizeof(*g));
	if (!g)
		return hp_error_set(err, -ENOMEM, "out of memory");
	g->o = *opts;
	if (!opts->build_id ||
	    hp_build_id_parse(opts->build_id, g->build_id, &g->build_id_len)) {
		free(g);
		return hp_error_set(err, -EINVAL, "--build-id '%s': the target vmlinux's "
				    "GNU build-id in hex (2 to 64 digits; `readelf -n "
				    "vmlinux`, or /sys/kernel/notes on the target)",
				    opts->build_id ? opts->build_id : "");
	}
	g->in = calloc(opts->nr_inputs, sizeof(*g->in));
	if (!g->in) {
		free(g);
		return hp_error_set(err, -ENOMEM, "out of memory");
	}
	g->include_dir = opts->include_dir ? opts->include_dir :
			 getenv("HOTPATCH_INCLUDE") ? getenv("HOTPATCH_INCLUDE") :
			 HP_INCLUDE_DIR;
	g->core_symvers = opts->core_symvers ? opts->core_symvers :
			  getenv("HOTPATCH_CORE_SYMVERS") ?
			  getenv("HOTPATCH_CORE_SYMVERS") : HP_CORE_SYMVERS;
	*out = g;
	return 0;
}

static void obj_release(struct hp_gen_obj *o)
{
	size_t i;

	for (i = 0; i < o->nr_funcs; i++) {
		free(o->funcs[i].name);
		free(o->funcs[i].old_name);
		free(o->funcs[i].new_name);
		free(o->funcs[i].tramp_name);
	}
	for (i = 0; i < o->nr_new; i++)
		free(o->new_funcs[i]);
	free(o->new_funcs);
	free(o->funcs);
	free(o->name);
	free(o->srcversion);
}

static int rm_rf(const char *path)
{
	struct stat st;
	DIR *dir;
	struct dirent *de;
	int ret = 0;

	if (lstat(path, &st))
		return errno == ENOENT ? 0 : -errno;
	if (!S_ISDIR(st.st_mode))
		return unlink(path) ? -errno : 0;
	dir = opendir(path);
	if (!dir)
		return -errno;
	while ((de = readdir(dir))) {
		char *p;

		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		p = hp_asprintf("%s/%s", path, de->d_name);
		if (!p) {
			ret = -ENOMEM;
			break;
		}
		ret = rm_rf(p);
		free(p);
		if (ret)
			break;
	}
	closedir(dir);
	if (!ret && rmdir(path))
		ret = -errno;
	return ret;
}

void hp_gen_free(struct hp_gen *g)
{
	size_t i, j;

	if (!g)
		return;
	if (g->workdir && g->made_workdir && !g->o.keep)
		rm_rf(g->workdir);
	for (i = 0; g->in && i < g->o.nr_inputs; i++) {
		hp_funcs_free(g->in[i].funcs);
		free(g->in[i].klp_strs);
		for (j = 0; j < g->in[i].nr_add; j++)
			free(g->in[i].add_symbol[j]);
		free(g->in[i].add_symbol);
	}
	for (i = 0; i < g->nr_objs; i++)
		obj_release(&g->objs[i]);
	free(g->objs);
	free(g->in);
	free(g->workdir);
	free(g);
}

size_t hp_gen_nr_objs(const struct hp_gen *g)
{
	return g->nr_objs;
}

const struct hp_gen_obj *hp_gen_obj_at(const struct hp_gen *g, size_t i)
{
	return i < g->nr_objs ? &g->objs[i] : NULL;
}

bool hp_gen_build_failed(const struct hp_gen *g)
{
	return g->build_failed;
}

bool hp_gen_livepatch(const struct hp_gen *g)
{
	size_t i;

	for (i = 0; i < g->nr_objs; i++)
		if (g->objs[i].klp_relocs)
			return true;
	return false;
}

static struct hp_gen_obj *obj_get(struct hp_gen *g, const char *name, size_t *idx)
{
	struct hp_gen_obj *o;
	size_t i;

	for (i = 0; i < g->nr_objs; i++)
		if (!strcmp(g->objs[i].name, name)) {
			*idx = i;
			return &g->objs[i];
		}
	o = hp_array_push((void **)&g->objs, &g->nr_objs, &g->alloc_objs, sizeof(*o));
	if (!o)
		return NULL;
	o->name = strdup(name);
	if (!o->name) {
		g->nr_objs--;
		return NULL;
	}
	*idx = g->nr_objs - 1;
	return o;
}

static uint32_t wanted_sympos(const struct hp_gen *g, const char *obj,
			      const char *name)
{
	size_t i;

	for (i = 0; i < g->o.nr_sympos; i++)
		if (!strcmp(g->o.sympos[i].object, obj) &&
		    !strcmp(g->o.sympos[i].name, name))
			return g->o.sympos[i].pos;
	return 0;
}

static bool alias_taken(const struct hp_gen *g, const char *alias)
{
	size_t i, j;

	for (i = 0; i < g->nr_objs; i++)
		for (j = 0; j < g->objs[i].nr_funcs; j++)
			if (g->objs[i].funcs[j].new_name &&
			    !strcmp(g->objs[i].funcs[j].new_name, alias))
				return true;
	return false;
}

/* __hpnew_<name with every byte outside [A-Za-z0-9_] as '_'>[_N] */
static char *make_alias(const struct hp_gen *g, const char *name)
{
	char *base = hp_asprintf(ALIAS_PREFIX "%s", name), *alias, *p;
	int n = 2;

	if (!base)
		return NULL;
	for (p = base; *p; p++)
		if (!valid_name((char[]){ *p, 0 }, 1, false))
			*p = '_';
	alias = strdup(base);
	while (alias && alias_taken(g, alias)) {
		free(alias);
		alias = hp_asprintf("%s_%d", base, n++);
	}
	free(base);
	return alias;
}

/* Where the function sits in the patch object: "section:value" for objcopy. */
static int func_place(struct hp_elf *e, const char *name, char **place,
		      struct hp_error *err)
{
	struct hp_symbol *s, *hit = NULL;
	struct hp_section *sec;

	hp_for_each_symbol(e, s)
		if (!strcmp(s->name, name) && hp_symbol_is_func(s) && s->sec) {
			if (hit)
				return hp_error_set(err, -ENOTUNIQ, "%s: two functions "
						    "named '%s'", e->path, name);
			hit = s;
		}
	if (!hit)
		return hp_error_set(err, -ENOENT, "%s: %s lists '%s', but the object "
				    "does not define that function", e->path,
				    HP_FUNCS_SECTION, name);
	hp_for_each_section(e, sec)
		if (sec != hit->sec && !strcmp(sec->name, hit->sec->name))
			return hp_error_set(err, -ENOTSUP, "%s: two sections named '%s': "
					    "cannot name '%s' for objcopy", e->path,
					    sec->name, name);
	if (strchr(hit->sec->name, ',') || strchr(hit->sec->name, '='))
		return hp_error_set(err, -ENOTSUP, "%s: section name '%s' cannot be "
				    "given to objcopy", e->path, hit->sec->name);
	*place = hp_asprintf("%s:0x%llx", hit->sec->name,
			     (unsigned long long)hit->sym.st_value);
	return *place ? 0 : hp_error_set(err, -ENOMEM, "out of memory");
}

static int add_func(struct hp_gen *g, size_t input, struct hp_gen_syms *syms,
		    struct hp_elf *e, const struct hp_funcs_ent *f,
		    struct hp_error *err)
{
	struct gen_input *in = &g->in[input];
	struct hp_gen_obj *o = &g->objs[in->obj];
	struct hp_gen_func *fn;
	uint32_t pos, size;
	char *place = NULL, **arg;
	size_t i;
	int ret;

	if (!valid_symbol(f->old_name))
		return hp_error_set(err, -EINVAL, "%s: function name '%s' cannot be "
				    "patched (not a kallsyms name)", e->path, f->old_name);
	ret = hp_gen_syms_find(syms, o->name, f->old_name, f->file,
			       wanted_sympos(g, o->name, f->old_name), f->sympos, &pos,
			       &size, err);
	if (ret)
		return ret;
	for (i = 0; i < o->nr_funcs; i++)
		if (!strcmp(o->funcs[i].old_name, f->old_name) &&
		    o->funcs[i].old_sympos == pos)
			return hp_error_set(err, -EEXIST, "'%s' of %s is replaced by two "
					    "patch objects (%s and %s): diff the file once",
					    f->old_name, o->name,
					    g->o.inputs[o->funcs[i].input].path, e->path);
	ret = func_place(e, f->name, &place, err);
	if (ret)
		return ret;
	fn = hp_array_push((void **)&o->funcs, &o->nr_funcs, &o->alloc_funcs,
			   sizeof(*fn));
	if (!fn) {
		free(place);
		return hp_error_set(err, -ENOMEM, "out of memory");
	}
	fn->input = input;
	fn->old_sympos = pos;
	fn->old_size = size;
	fn->name = strdup(f->name);
	fn->old_name = strdup(f->old_name);
	fn->new_name = make_alias(g, f->old_name);
	fn->tramp_name = fn->new_name ? hp_asprintf("__hotpatch_tramp_%s", fn->new_name) :
			 NULL;
	arg = hp_array_push((void **)&in->add_symbol, &in->nr_add, &in->alloc_add,
			    sizeof(*arg));
	if (arg && fn->new_name)
		*arg = hp_asprintf("%s=%s,global,function", fn->new_name, place);
	free(place);
	if (!fn->name || !fn->old_name || !fn->tramp_name || !arg || !*arg)
		return hp_error_set(err, -ENOMEM, "out of memory");
	progress(g, "SYMBOL", "%s %s,%u: %u bytes, replaced by %s", o->name,
		 fn->old_name, fn->old_sympos, fn->old_size, fn->new_name);
	return 0;
}

static int module_identity(struct hp_gen *g, struct hp_gen_obj *o,
			   struct hp_error *err)
{
	struct hp_patchmod *pm = NULL;
	struct hp_msg msg = { "" };
	const char *sv;
	size_t i;
	int ret;

	for (i = 0; i < g->o.nr_modobjs; i++)
		if (!strcmp(g->o.modobjs[i].name, o->name))
			break;
	if (i == g->o.nr_modobjs)
		return 0;
	ret = hp_build_id_read(g->o.modobjs[i].path, o->build_id, &o->build_id_len, &msg);
	if (ret == -ENOENT) {
		o->build_id_len = 0;	/* not checked */
	} else if (ret) {
		return hp_error_set(err, ret, "--module-object %s: %s", o->name, msg.text);
	}
	ret = hp_patchmod_read(g->o.modobjs[i].path, &pm, &msg);
	if (ret)
		return hp_error_set(err, ret, "--module-object %s: %s", o->name, msg.text);
	sv = hp_patchmod_modinfo(pm, "srcversion");
	if (sv && valid_name(sv, HOTPATCH_SRCVERSION_MAX, false))
		o->srcversion = strdup(sv);
	hp_patchmod_free(pm);
	return 0;
}

static int cmp_func(const void *a, const void *b)
{
	const struct hp_gen_func *x = a, *y = b;
	int c = strcmp(x->old_name, y->old_name);

	return c ? c : (x->old_sympos > y->old_sympos) - (x->old_sympos < y->old_sympos);
}

int hp_gen_plan(struct hp_gen *g, struct hp_error *err)
{
	struct hp_gen_syms *syms = NULL;
	size_t i, j, nr_changed = 0;
	int ret;

	if (g->planned)
		return 0;
	progress(g, "SYMBOLS", "%s%s%zu module object(s)",
		 g->o.symbols ? g->o.symbols : "", g->o.symbols ? ", " : "",
		 g->o.nr_modobjs);
	ret = hp_gen_syms_new(g->o.symbols, g->o.modobjs, g->o.nr_modobjs, &syms, err);
	if (ret)
		return ret;
	for (i = 0; !ret && i < g->o.nr_inputs; i++) {
		const struct hp_gen_input *gi = &g->o.inputs[i];
		struct gen_input *in = &g->in[i];
		struct hp_elf *e = NULL;
		struct hp_gen_obj *o;
		size_t changed = 0;

		ret = hp_funcs_read(gi->path, &in->funcs, err);
		if (ret)
			break;
		if (strcmp(in->funcs->target, gi->object)) {
			ret = hp_error_set(err, -EINVAL, "%s was diffed for '%s' (diff "
					   "--target), not for '%s': give %s=%s",
					   gi->path, in->funcs->target, gi->object,
					   in->funcs->target, gi->path);
			break;
		}
		o = obj_get(g, gi->object, &in->obj);
		ret = o ? hp_elf_open(gi->path, &e, err) :
		      hp_error_set(err, -ENOMEM, "out of memory");
		if (ret)
			break;
		in->klp_relocs = hp_elf_find_section(e, KLP_RELOCS) != NULL;
		o->klp_relocs |= in->klp_relocs;
		if (in->klp_relocs) {
			struct hp_section *ks = hp_elf_find_section(e, KLP_STRS);
			struct hp_section *kr = hp_elf_find_section(e, KLP_RELOCS);

			if (!ks || !ks->data || !ks->size || kr->size % KLP_RECORD ||
			    !kr->data) {
				hp_elf_free(e);
				ret = hp_error_set(err, -EINVAL, "%s: malformed %s / %s",
						   gi->path, KLP_RELOCS, KLP_STRS);
				break;
			}
			in->klp_strs_size = ks->size;
			in->klp_strs = malloc(ks->size);
			if (!in->klp_strs) {
				hp_elf_free(e);
				ret = hp_error_set(err, -ENOMEM, "out of memory");
				break;
			}
			memcpy(in->klp_strs, ks->data, ks->size);
		}
		for (j = 0; !ret && j < in->funcs->nr; j++) {
			const struct hp_funcs_ent *f = &in->funcs->ents[j];
			char **n;

			if (f->status == HP_CHANGED) {
				ret = add_func(g, i, syms, e, f, err);
				changed++;
				continue;
			}
			n = hp_array_push((void **)&g->objs[in->obj].new_funcs,
					  &g->objs[in->obj].nr_new,
					  &g->objs[in->obj].alloc_new, sizeof(*n));
			if (!n || !(*n = strdup(f->name)))
				ret = hp_error_set(err, -ENOMEM, "out of memory");
		}
		hp_elf_free(e);
		nr_changed += changed;
		if (!ret)
			progress(g, "READ", "%s=%s: %zu changed, %zu new function(s)%s",
				 gi->object, gi->path, changed, in->funcs->nr - changed,
				 in->klp_relocs ? ", klp relocations" : "");
	}
	hp_gen_syms_free(syms);
	if (ret)
		return ret;
	/*
	 * The linker concatenates the patch objects' .hotpatch.klp_strs in
	 * link order (alignment 1); the records' string offsets are rebased
	 * to match when the objects are prepared.
	 */
	for (i = 0, j = 0; i < g->o.nr_inputs; i++) {
		g->in[i].klp_strs_base = j;
		j += g->in[i].klp_strs_size;
	}
	if (!nr_changed)
		return hp_error_set(err, -ENODATA, "the patch objects replace no "
				    "function (they only add new ones): nothing to "
				    "redirect, no module made");
	for (i = 0; i < g->o.nr_modobjs; i++) {
		for (j = 0; j < g->nr_objs; j++)
			if (!strcmp(g->objs[j].name, g->o.modobjs[i].name))
				break;
		if (j == g->nr_objs)
			progress(g, "NOTE", "--module-object %s: no patch object is for "
				 "it; ignored", g->o.modobjs[i].name);
	}
	for (i = 0; i < g->nr_objs; i++) {
		struct hp_gen_obj *o = &g->objs[i];

		if (!o->nr_funcs)
			return hp_error_set(err, -ENODATA, "the patch objects for '%s' "
					    "replace no function of it: leave them out, or "
					    "put their new functions in a patch object of a "
					    "changed caller", o->name);
		qsort(o->funcs, o->nr_funcs, sizeof(*o->funcs), cmp_func);
		if (strcmp(o->name, HOTPATCH_VMLINUX)) {
			ret = module_identity(g, o, err);
			if (ret)
				return ret;
		}
	}
	g->planned = true;
	return 0;
}

/* ---- the generated files ---------------------------------------------- */

static int write_file(const char *dir, const char *name, const char *text,
		      struct hp_error *err)
{
	char *path = hp_asprintf("%s/%s", dir, name);
	FILE *f;
	int ret = 0;

	if (!path)
		return hp_error_set(err, -ENOMEM, "out of memory");
	f = fopen(path, "we");
	if (!f || fputs(text, f) < 0)
		ret = hp_error_set(err, -errno, "%s: %s", path, strerror(errno));
	if (f && fclose(f) && !ret)
		ret = hp_error_set(err, -errno, "%s: %s", path, strerror(errno));
	free(path);
	return ret;
}

struct text {
	char *buf;
	size_t len;
	bool oom;
};

static void tprintf(struct text *t, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void tprintf(struct text *t, const char *fmt, ...)
{
	va_list ap;
	char *s;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (n < 0 || t->oom) {
		t->oom = true;
		if (n >= 0)
			free(s);
		return;
	}
	{
		char *nb = realloc(t->buf, t->len + (size_t)n + 1);

		if (!nb) {
			t->oom = true;
			free(s);
			return;
		}
		t->buf = nb;
		memcpy(t->buf + t->len, s, (size_t)n + 1);
		t->len += (size_t)n;
	}
	free(s);
}

static const char *mode_name(enum hp_gen_mode m)
{
	return m == HP_GEN_MODE_DIRECT ? "direct" : m == HP_GEN_MODE_OPS ? "ops" :
	       "default";
}

static char *gen_main_c(const struct hp_gen *g)
{
	struct text t = { 0 };
	size_t i, j;

	tprintf(&t, "// SPDX-License-Identifier: GPL-2.0\n"
		"/*\n * Patch module '%s' for %s, generated by hotpatch-build module.\n"
		" * Do not edit: generate it again.\n */\n"
		"#include <linux/module.h>\n#include <hotpatch/hotpatch.h>\n\n"
		"/*\n * The replacement functions: global aliases that hotpatch-build\n"
		" * added to the patch objects (hpgen-p*.o).\n */\n",
		g->o.name, g->o.release);
	for (i = 0; i < g->nr_objs; i++)
		for (j = 0; j < g->objs[i].nr_funcs; j++) {
			const struct hp_gen_func *f = &g->objs[i].funcs[j];

			tprintf(&t, "void %s(void);\t/* %s */\nHOTPATCH_TRAMP_DECLARE(%s);\n",
				f->new_name, f->name, f->new_name);
		}
	for (i = 0; i < g->nr_objs; i++) {
		const struct hp_gen_obj *o = &g->objs[i];

		tprintf(&t, "\n/* %s */\nstatic struct hotpatch_func hp_funcs_%zu[] = {\n",
			o->name, i);
		for (j = 0; j < o->nr_funcs; j++) {
			const struct hp_gen_func *f = &o->funcs[j];

			tprintf(&t, "\t{\n\t\t.old_name = \"%s\",\n\t\t.old_sympos = %u,\n"
				"\t\t.old_size = %u,\n\t\t.new_func = %s,\n"
				"\t\t.tramp = HOTPATCH_TRAMP(%s),\n\t},\n",
				f->old_name, f->old_sympos, f->old_size, f->new_name,
				f->new_name);
		}
		tprintf(&t, "\t{ }\n};\n");
	}
	tprintf(&t, "\nstatic struct hotpatch_object hp_objs[] = {\n");
	for (i = 0; i < g->nr_objs; i++) {
		if (!strcmp(g->objs[i].name, HOTPATCH_VMLINUX))
			tprintf(&t, "\t{ .name = NULL, .funcs = hp_funcs_%zu },\t/* vmlinux */\n",
				i);
		else
			tprintf(&t, "\t{ .name = \"%s\", .funcs = hp_funcs_%zu },\n",
				g->objs[i].name, i);
	}
	tprintf(&t, "\t{ }\n};\n\nstatic struct hotpatch_patch hp_patch = {\n"
		"\t.api = HOTPATCH_API_VERSION,\n\t.mod = THIS_MODULE,\n"
		"\t.objs = hp_objs,\n\t.flags = %s,\n\t.target = \"%s\",\n};\n\n",
		g->o.mode == HP_GEN_MODE_DIRECT ?
		(g->o.replace ? "HOTPATCH_F_DIRECT | HOTPATCH_F_REPLACE" : "HOTPATCH_F_DIRECT") :
		g->o.mode == HP_GEN_MODE_OPS ?
		(g->o.replace ? "HOTPATCH_F_OPS | HOTPATCH_F_REPLACE" : "HOTPATCH_F_OPS") :
		(g->o.replace ? "HOTPATCH_F_REPLACE" : "0"),
		g->o.release);
	tprintf(&t, "static int __init hp_patch_init(void)\n{\n"
		"\treturn hotpatch_register(&hp_patch);\n}\n\n"
		"static void __exit hp_patch_exit(void)\n{\n"
		"\thotpatch_unregister(&hp_patch);\n}\n\n"
		"module_init(hp_patch_init);\nmodule_exit(hp_patch_exit);\n"
		"MODULE_INFO(hotpatch, \"Y\");\n");
	if (hp_gen_livepatch(g))
		tprintf(&t, "MODULE_INFO(livepatch, \"Y\");\n");
	tprintf(&t, "MODULE_LICENSE(\"GPL\");\n"
		"MODULE_DESCRIPTION(\"hotpatch live patch '%s' for %s (%s mode%s)\");\n",
		g->o.name, g->o.release, mode_name(g->o.mode),
		g->o.replace ? ", cumulative" : "");
	if (t.oom) {
		free(t.buf);
		return NULL;
	}
	return t.buf;
}

static char *gen_tramp_s(const struct hp_gen *g)
{
	struct text t = { 0 };
	size_t i, j;

	tprintf(&t, "/* SPDX-License-Identifier: GPL-2.0 */\n"
		"/* Direct-call trampolines of patch '%s', generated by hotpatch-build. */\n"
		"#include <hotpatch/trampoline.S>\n\n", g->o.name);
	for (i = 0; i < g->nr_objs; i++)
		for (j = 0; j < g->objs[i].nr_funcs; j++)
			tprintf(&t, "HOTPATCH_TRAMPOLINE %s\n", g->objs[i].funcs[j].new_name);
	if (t.oom) {
		free(t.buf);
		return NULL;
	}
	return t.buf;
}

static char *gen_kbuild(const struct hp_gen *g)
{
	struct text t = { 0 };
	size_t i;

	tprintf(&t, "# SPDX-License-Identifier: GPL-2.0\n"
		"# Patch module '%s', generated by hotpatch-build module.\n"
		"obj-m += %s.o\n%s-y := " PART_MAIN ".o " PART_TRAMP ".o",
		g->o.name, g->o.name, g->o.name);
	for (i = 0; i < g->o.nr_inputs; i++)
		tprintf(&t, " " PART_PATCH "%zu.o", i);
	tprintf(&t, "\nccflags-y += -I%s\nasflags-y += -I%s\n", g->include_dir,
		g->include_dir);
	if (t.oom) {
		free(t.buf);
		return NULL;
	}
	return t.buf;
}

/*
 * Run argv with stdout and stderr into log (appended); 0 when it exits 0,
 * else -EIO and *status. MAKEFLAGS & co. are dropped: an outer make's
 * jobserver is not ours.
 */
static int run(char *const argv[], const char *log, int *status, struct hp_error *err)
{
	pid_t pid;
	int fd, st;

	fd = open(log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
	if (fd < 0)
		return hp_error_set(err, -errno, "%s: %s", log, strerror(errno));
	pid = fork();
	if (pid < 0) {
		close(fd);
		return hp_error_set(err, -errno, "fork: %s", strerror(errno));
	}
	if (!pid) {
		dup2(fd, 1);
		dup2(fd, 2);
		unsetenv("MAKEFLAGS");
		unsetenv("MFLAGS");
		unsetenv("MAKELEVEL");
		unsetenv("MAKEOVERRIDES");
		execvp(argv[0], argv);
		dprintf(2, "cannot run %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	close(fd);
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return hp_error_set(err, -errno, "waitpid: %s", strerror(errno));
	*status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
	return *status ? -EIO : 0;
}

static void show_log(struct hp_gen *g, const char *log)
{
	char buf[4096];
	size_t n;
	FILE *f;

	if (!g->o.log || !(f = fopen(log, "re")))
		return;
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		fwrite(buf, 1, n, g->o.log);
	fclose(f);
	fflush(g->o.log);
}

static void put_le32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)v;
	p[1] = (unsigned char)(v >> 8);
	p[2] = (unsigned char)(v >> 16);
	p[3] = (unsigned char)(v >> 24);
}

static uint32_t get_le32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

/*
 * The records of input i with their string offsets (objname at 24, symname
 * at 28) moved by its klp_strs_base (malloc'ed *out, *len bytes); *out NULL:
 * nothing to move.
 */
static int rebase_records(struct hp_gen *g, size_t i, unsigned char **out,
			  size_t *len, struct hp_error *err)
{
	struct gen_input *in = &g->in[i];
	struct hp_elf *e = NULL;
	struct hp_section *kr;
	unsigned char *buf;
	size_t off;
	int ret;

	*out = NULL;
	if (!in->klp_relocs || !in->klp_strs_base)
		return 0;
	ret = hp_elf_open(g->o.inputs[i].path, &e, err);
	if (ret)
		return ret;
	kr = hp_elf_find_section(e, KLP_RELOCS);
	buf = kr && kr->data ? malloc(kr->size ? kr->size : 1) : NULL;
	if (!buf) {
		hp_elf_free(e);
		return hp_error_set(err, -ENOMEM, "out of memory");
	}
	memcpy(buf, kr->data, kr->size);
	*len = kr->size;
	hp_elf_free(e);
	for (off = 0; off + KLP_RECORD <= *len; off += KLP_RECORD) {
		uint32_t obj = get_le32(buf + off + 24), sym = get_le32(buf + off + 28);

		if (obj >= in->klp_strs_size || sym >= in->klp_strs_size) {
			free(buf);
			return hp_error_set(err, -EINVAL, "%s: a record of %s names a "
					    "string outside %s", g->o.inputs[i].path,
					    KLP_RELOCS, KLP_STRS);
		}
		put_le32(buf + off + 24, obj + (uint32_t)in->klp_strs_base);
		put_le32(buf + off + 28, sym + (uint32_t)in->klp_strs_base);
	}
	*out = buf;
	return 0;
}

/*
 * Overwrite the bytes of section name in place (same size): objcopy's
 * --update-section would drop the section's relocations, which carry the
 * records' places.
 */
static int overwrite_section(const char *path, const char *name,
			     const unsigned char *buf, size_t len, struct hp_error *err)
{
	Elf_Scn *scn = NULL;
	size_t shstrndx;
	GElf_Shdr sh;
	off_t at = -1;
	Elf *elf;
	int fd, ret = 0;

	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return hp_error_set(err, -errno, "%s: %s", path, strerror(errno));
	elf_version(EV_CURRENT);
	elf = elf_begin(fd, ELF_C_READ, NULL);
	if (elf && !elf_getshdrstrndx(elf, &shstrndx))
		while ((scn = elf_nextscn(elf, scn))) {
			const char *n;

			if (gelf_getshdr(scn, &sh) && sh.sh_type == SHT_PROGBITS &&
			    (n = elf_strptr(elf, shstrndx, sh.sh_name)) &&
			    !strcmp(n, name) && sh.sh_size == len)
				at = (off_t)sh.sh_offset;
		}
	if (elf)
		elf_end(elf);
	if (at < 0)
		ret = hp_error_set(err, -EINVAL, "%s: no %s of %zu bytes to rewrite",
				   path, name, len);
	else if (pwrite(fd, buf, len, at) != (ssize_t)len)
		ret = hp_error_set(err, -EIO, "%s: %s", path, strerror(errno));
	if (close(fd) && !ret)
		ret = hp_error_set(err, -errno, "%s: %s", path, strerror(errno));
	return ret;
}

static int prepare_object(struct hp_gen *g, size_t i, const char *dir,
			  struct hp_error *err)
{
	const char *objcopy = getenv("OBJCOPY") ? getenv("OBJCOPY") : "objcopy";
	struct gen_input *in = &g->in[i];
	unsigned char *records = NULL;
	char **argv, *out, *log;
	size_t n = 0, j, len = 0;
	int ret, status = 0;

	ret = rebase_records(g, i, &records, &len, err);
	if (ret)
		return ret;
	argv = calloc(2 * in->nr_add + 5, sizeof(*argv));
	out = hp_asprintf("%s/" PART_PATCH "%zu.o_shipped", dir, i);
	log = hp_asprintf("%s/objcopy.log", dir);
	if (!argv || !out || !log) {
		ret = hp_error_set(err, -ENOMEM, "out of memory");
		goto out;
	}
	argv[n++] = (char *)objcopy;
	argv[n++] = (char *)"--remove-section=" HP_FUNCS_SECTION;
	for (j = 0; j < in->nr_add; j++) {
		argv[n++] = (char *)"--add-symbol";
		argv[n++] = in->add_symbol[j];
	}
	argv[n++] = (char *)g->o.inputs[i].path;
	argv[n++] = out;
	argv[n] = NULL;
	ret = run(argv, log, &status, err);
	if (ret == -EIO) {
		g->build_failed = true;
		show_log(g, log);
		ret = hp_error_set(err, ret, "%s failed (exit %d) on %s: its output is "
				   "above", objcopy, status, g->o.inputs[i].path);
	}
	if (!ret && records)
		ret = overwrite_section(out, KLP_RELOCS, records, len, err);
out:
	free(argv);
	free(out);
	free(log);
	free(records);
	return ret;
}

int hp_gen_write_sources(struct hp_gen *g, const char *dir, struct hp_error *err)
{
	char *main_c = NULL, *tramp_s = NULL, *kbuild = NULL;
	size_t i;
	int ret;

	ret = hp_gen_plan(g, err);
	if (ret)
		return ret;
	main_c = gen_main_c(g);
	tramp_s = gen_tramp_s(g);
	kbuild = gen_kbuild(g);
	if (!main_c || !tramp_s || !kbuild)
		ret = hp_error_set(err, -ENOMEM, "out of memory");
	if (!ret)
		ret = write_file(dir, PART_MAIN ".c", main_c, err);
	if (!ret)
		ret = write_file(dir, PART_TRAMP ".S", tramp_s, err);
	if (!ret)
		ret = write_file(dir, "Kbuild", kbuild, err);
	for (i = 0; !ret && i < g->o.nr_inputs; i++) {
		char name[64];

		ret = prepare_object(g, i, dir, err);
		/*
		 * modpost (6.1) reads each part's .cmd file for the symbol
		 * versions of what it exports: a prebuilt part exports nothing.
		 */
		snprintf(name, sizeof(name), "." PART_PATCH "%zu.o.cmd", i);
		if (!ret)
			ret = write_file(dir, name, "# prebuilt patch object "
					 "(hotpatch-build module): exports nothing\n", err);
	}
	if (!ret)
		progress(g, "GEN", "%s/{" PART_MAIN ".c," PART_TRAMP ".S,Kbuild,"
			 PART_PATCH "*.o_shipped}", dir);
	free(main_c);
	free(tramp_s);
	free(kbuild);
	return ret;
}

/* ---- kbuild, manifest, signatures --------------------------------------- */

static int kbuild(struct hp_gen *g, struct hp_error *err)
{
	char *m = hp_asprintf("M=%s", g->workdir);
	char *extra = g->core_symvers[0] ?
		      hp_asprintf("KBUILD_EXTRA_SYMBOLS=%s", g->core_symvers) : NULL;
	char *log = hp_asprintf("%s/kbuild.log", g->workdir);
	char *argv[8];
	int ret, status = 0, n = 0;

	if (!m || !log || (g->core_symvers[0] && !extra)) {
		ret = hp_error_set(err, -ENOMEM, "out of memory");
		goto out;
	}
	argv[n++] = (char *)(getenv("MAKE") ? getenv("MAKE") : "make");
	argv[n++] = (char *)"-C";
	argv[n++] = (char *)g->o.kdir;
	argv[n++] = m;
	if (extra)
		argv[n++] = extra;
	argv[n++] = (char *)"modules";
	argv[n] = NULL;
	progress(g, "KBUILD", "make -C %s M=%s modules", g->o.kdir, g->workdir);
	ret = run(argv, log, &status, err);
	if (ret == -EIO) {
		g->build_failed = true;
		show_log(g, log);
		ret = hp_error_set(err, ret, "kbuild failed (make exit %d; its output is "
				   "above): check --kdir (the target's headers, with "
				   "Module.symvers) and the patch objects; --keep keeps "
				   "the work dir", status);
	}
out:
	free(m);
	free(extra);
	free(log);
	return ret;
}

static int add_manifest(struct hp_gen *g, const char *in, const char *out,
			struct hp_error *err)
{
	struct hp_mfbuild *b = NULL;
	struct hp_msg msg = { "" };
	uint8_t *buf = NULL;
	size_t len = 0, i, j, nr = 0;
	int ret;

	ret = hp_mfbuild_new(g->o.name, g->o.release, g->build_id, g->build_id_len, &b);
	if (ret)
		return hp_error_set(err, ret, "manifest: %s", strerror(-ret));
	hp_mfbuild_set_flags(b, g->o.replace ? HOTPATCH_MF_REPLACE : 0);
	hp_mfbuild_set_mode(b, (uint32_t)g->o.mode);
	ret = hp_mfbuild_set_meta(b, g->o.description, g->o.series,
				  g->o.patch_version, g->o.cves);
	if (ret) {
		hp_mfbuild_free(b);
		return hp_error_set(err, ret, "manifest metadata: %s",
				    ret == -EINVAL ? "an empty --description, --series or --cve" :
				    strerror(-ret));
	}
	for (i = 0; !ret && i < g->nr_objs; i++) {
		const struct hp_gen_obj *o = &g->objs[i];

		ret = hp_mfbuild_add_obj(b, o->name, o->srcversion, o->build_id,
					 o->build_id_len);
		for (j = 0; !ret && j < o->nr_funcs; j++, nr++)
			ret = hp_mfbuild_add_func(b, o->name, o->funcs[j].old_name,
						  o->funcs[j].old_sympos,
						  o->funcs[j].old_size,
						  o->funcs[j].new_name,
						  o->funcs[j].tramp_name);
	}
	if (ret) {
		hp_mfbuild_free(b);
		return hp_error_set(err, ret, "manifest: %s", strerror(-ret));
	}
	ret = hp_mfbuild_build(b, &buf, &len, &msg);
	hp_mfbuild_free(b);
	if (ret)
		return hp_error_set(err, ret, "manifest: %s", msg.text);
	ret = hp_patchmod_set_section(in, out, HOTPATCH_MANIFEST_SECTION, buf, len, &msg);
	free(buf);
	if (ret)
		return hp_error_set(err, ret, "adding the manifest: %s", msg.text);
	progress(g, "MANIFST", "%zu function(s) in %zu object(s), %zu bytes", nr,
		 g->nr_objs, len);
	return 0;
}

static int sign(struct hp_gen *g, const char *in, const char *out,
		struct hp_error *err)
{
	struct hp_signer *s = NULL;
	struct hp_msg msg = { "" };
	int ret;

	ret = hp_signer_read(g->o.key, g->o.cert, &s, &msg);
	if (ret)
		return hp_error_set(err, ret, "signing key: %s", msg.text);
	ret = hp_patchmod_sign(in, out, s, 0, &msg);
	hp_signer_free(s);
	if (ret)
		return hp_error_set(err, ret, "signing: %s", msg.text);
	progress(g, "SIGN", "manifest and module with %s", g->o.cert);
	g->signed_ = true;
	return 0;
}

/* Copy src to dst through a temporary file beside dst, renamed into place. */
static int install(const char *src, const char *dst, struct hp_error *err)
{
	char *tmp = NULL, *slash, buf[65536];
	int in = -1, out = -1, ret = 0;
	ssize_t n;

	slash = strrchr(dst, '/');
	tmp = slash ? hp_asprintf("%.*s/.%s.XXXXXX", (int)(slash - dst), dst, slash + 1) :
	      hp_asprintf(".%s.XXXXXX", dst);
	if (!tmp)
		return hp_error_set(err, -ENOMEM, "out of memory");
	in = open(src, O_RDONLY | O_CLOEXEC);
	if (in < 0) {
		ret = hp_error_set(err, -errno, "%s: %s", src, strerror(errno));
		goto out;
	}
	out = mkstemp(tmp);
	if (out < 0) {
		ret = hp_error_set(err, -errno, "%s: cannot write beside it: %s", dst,
				   strerror(errno));
		goto out;
	}
	while ((n = read(in, buf, sizeof(buf))) > 0)
		if (write(out, buf, (size_t)n) != n) {
			ret = hp_error_set(err, -EIO, "%s: %s", tmp, strerror(errno));
			break;
		}
	if (n < 0 && !ret)
		ret = hp_error_set(err, -errno, "%s: %s", src, strerror(errno));
	if (!ret && fchmod(out, 0644))
		ret = hp_error_set(err, -errno, "%s: %s", tmp, strerror(errno));
	if (close(out) && !ret)
		ret = hp_error_set(err, -errno, "%s: %s", tmp, strerror(errno));
	if (!ret && rename(tmp, dst))
		ret = hp_error_set(err, -errno, "%s: %s", dst, strerror(errno));
	if (ret)
		unlink(tmp);
out:
	if (in >= 0)
		close(in);
	free(tmp);
	return ret;
}

/* A section of an ELF file, malloc'ed; -ENOENT when it has none. */
static int read_section(const char *path, const char *name, unsigned char **buf,
			size_t *len, struct hp_error *err)
{
	Elf_Scn *scn = NULL;
	size_t shstrndx;
	GElf_Shdr sh;
	Elf_Data *d;
	Elf *elf;
	int fd, ret = -ENOENT;

	*buf = NULL;
	*len = 0;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return hp_error_set(err, -errno, "%s: %s", path, strerror(errno));
	elf_version(EV_CURRENT);
	elf = elf_begin(fd, ELF_C_READ, NULL);
	if (!elf || elf_getshdrstrndx(elf, &shstrndx)) {
		ret = hp_error_set(err, -ENOEXEC, "%s: not an ELF file", path);
		goto out;
	}
	while ((scn = elf_nextscn(elf, scn))) {
		const char *n;

		if (!gelf_getshdr(scn, &sh) ||
		    !(n = elf_strptr(elf, shstrndx, sh.sh_name)) || strcmp(n, name))
			continue;
		d = elf_rawdata(scn, NULL);
		*buf = malloc(d && d->d_size ? d->d_size : 1);
		if (!*buf) {
			ret = hp_error_set(err, -ENOMEM, "out of memory");
			goto out;
		}
		if (d && d->d_size)
			memcpy(*buf, d->d_buf, d->d_size);
		*len = d ? d->d_size : 0;
		ret = 0;
		break;
	}
out:
	if (elf)
		elf_end(elf);
	close(fd);
	return ret;
}

/*
 * post-link (postlink.c): the records become livepatch relocations. First
 * check what the record string offsets were rebased for: that the linked
 * module's .hotpatch.klp_strs is the patch objects' tables end to end.
 */
static int postlink(struct hp_gen *g, const char *ko, const char *out,
		    struct hp_error *err)
{
	unsigned char *have = NULL;
	size_t len = 0, i, at = 0;
	int ret;

	if (hp_gen_livepatch(g)) {
		ret = read_section(ko, KLP_STRS, &have, &len, err);
		if (ret == -ENOENT)
			return hp_error_set(err, -EINVAL, "%s: the linked module lost %s",
					    ko, KLP_STRS);
		if (ret)
			return ret;
		for (i = 0; i < g->o.nr_inputs; i++) {
			const struct gen_input *in = &g->in[i];

			if (!in->klp_relocs)
				continue;
			if (at + in->klp_strs_size > len ||
			    memcmp(have + at, in->klp_strs, in->klp_strs_size))
				break;
			at += in->klp_strs_size;
		}
		free(have);
		if (i < g->o.nr_inputs || at != len)
			return hp_error_set(err, -EINVAL, "%s: the linker did not lay out %s "
					    "as the patch objects' tables end to end: the "
					    "klp relocation records would name wrong symbols",
					    ko, KLP_STRS);
	}
	ret = hp_postlink(ko, out, &g->pl, err);
	if (ret)
		return ret;
	if (g->pl.changed)
		progress(g, "POSTLNK", "%zu klp relocation(s): %zu .klp.rela section(s), "
			 "%zu .klp.sym symbol(s)", g->pl.records, g->pl.sections,
			 g->pl.symbols);
	return 0;
}

static int make_workdir(struct hp_gen *g, struct hp_error *err)
{
	if (g->o.workdir) {
		if (mkdir(g->o.workdir, 0755)) {
			if (errno != EEXIST)
				return hp_error_set(err, -errno, "--workdir %s: %s",
						    g->o.workdir, strerror(errno));
			return hp_error_set(err, -EEXIST, "--workdir %s exists: give a "
					    "new directory (it is removed afterwards "
					    "unless --keep)", g->o.workdir);
		}
		g->workdir = realpath(g->o.workdir, NULL);
	} else {
		const char *tmp = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
		char *t = hp_asprintf("%s/hotpatch-build.XXXXXX", tmp);

		if (!t)
			return hp_error_set(err, -ENOMEM, "out of memory");
		if (!mkdtemp(t)) {
			int e = errno;

			free(t);
			return hp_error_set(err, -e, "cannot make a work dir in %s: %s",
					    tmp, strerror(e));
		}
		g->workdir = realpath(t, NULL);
		free(t);
	}
	if (!g->workdir)
		return hp_error_set(err, -ENOMEM, "out of memory");
	g->made_workdir = true;
	return 0;
}

int hp_gen_run(struct hp_gen *g, struct hp_error *err)
{
	char *ko = NULL, *pl = NULL, *mf = NULL, *sg = NULL, *mk = NULL;
	struct stat st;
	int ret;

	ret = hp_gen_plan(g, err);
	if (ret)
		return ret;
	mk = hp_asprintf("%s/Makefile", g->o.kdir);
	if (!mk)
		return hp_error_set(err, -ENOMEM, "out of memory");
	if (stat(mk, &st)) {
		free(mk);
		return hp_error_set(err, -ENOENT, "--kdir %s: no Makefile there: give "
				    "the target kernel's build tree or headers "
				    "(/lib/modules/%s/build)", g->o.kdir, g->o.release);
	}
	free(mk);
	if (!g->include_dir[0])
		return hp_error_set(err, -ENOENT, "where are hotpatch's headers "
				    "(<hotpatch/hotpatch.h>)? set HOTPATCH_INCLUDE");
	if (g->core_symvers[0] && stat(g->core_symvers, &st))
		return hp_error_set(err, -ENOENT, "%s: no Module.symvers of the hotpatch "
				    "core (it gives hotpatch_register() its symbol "
				    "version): build the core, or set "
				    "HOTPATCH_CORE_SYMVERS", g->core_symvers);
	ret = make_workdir(g, err);
	if (ret)
		return ret;
	ret = hp_gen_write_sources(g, g->workdir, err);
	if (!ret)
		ret = kbuild(g, err);
	if (ret)
		goto out;
	ko = hp_asprintf("%s/%s.ko", g->workdir, g->o.name);
	pl = hp_asprintf("%s/%s.postlink.ko", g->workdir, g->o.name);
	mf = hp_asprintf("%s/%s.manifest.ko", g->workdir, g->o.name);
	sg = hp_asprintf("%s/%s.signed.ko", g->workdir, g->o.name);
	if (!ko || !pl || !mf || !sg) {
		ret = hp_error_set(err, -ENOMEM, "out of memory");
		goto out;
	}
	ret = postlink(g, ko, pl, err);
	if (!ret)
		ret = add_manifest(g, pl, mf, err);
	if (!ret && g->o.key)
		ret = sign(g, mf, sg, err);
	if (!ret)
		ret = install(g->o.key ? sg : mf, g->o.output, err);
	if (!ret) {
		g->done = true;
		progress(g, "OUT", "%s%s", g->o.output, g->signed_ ? "" : " (not signed)");
	}
out:
	if (g->o.keep)
		progress(g, "KEEP", "work dir %s", g->workdir);
	free(ko);
	free(pl);
	free(mf);
	free(sg);
	return ret;
}

/* ---- summary ---------------------------------------------------------------- */

static void jadd(struct json_object *o, const char *k, struct json_object *v)
{
	json_object_object_add(o, k, v);
}

struct json_object *hp_gen_to_json(const struct hp_gen *g)
{
	struct json_object *o = json_object_new_object(), *objs = json_object_new_array();
	size_t i, j;

	if (!o || !objs) {
		json_object_put(o);
		json_object_put(objs);
		return NULL;
	}
	jadd(o, "module", json_object_new_string(g->o.output));
	jadd(o, "name", json_object_new_string(g->o.name));
	jadd(o, "release", json_object_new_string(g->o.release));
	jadd(o, "build_id", json_object_new_string(g->o.build_id));
	jadd(o, "mode", json_object_new_string(mode_name(g->o.mode)));
	jadd(o, "replace", json_object_new_boolean(g->o.replace));
	jadd(o, "livepatch", json_object_new_boolean(hp_gen_livepatch(g)));
	jadd(o, "klp_relocations", json_object_new_int64((int64_t)g->pl.records));
	jadd(o, "signed", json_object_new_boolean(g->signed_));
	jadd(o, "workdir", g->o.keep && g->workdir ? json_object_new_string(g->workdir) :
	     NULL);
	for (i = 0; i < g->nr_objs; i++) {
		const struct hp_gen_obj *ob = &g->objs[i];
		struct json_object *jo = json_object_new_object();
		struct json_object *fs = json_object_new_array();
		struct json_object *nf = json_object_new_array();
		char hex[65] = "";

		for (j = 0; j < ob->build_id_len; j++)
			snprintf(hex + 2 * j, 3, "%02x", ob->build_id[j]);
		jadd(jo, "name", json_object_new_string(ob->name));
		jadd(jo, "srcversion", ob->srcversion ?
		     json_object_new_string(ob->srcversion) : NULL);
		jadd(jo, "build_id", ob->build_id_len ? json_object_new_string(hex) : NULL);
		for (j = 0; j < ob->nr_funcs; j++) {
			const struct hp_gen_func *f = &ob->funcs[j];
			struct json_object *jf = json_object_new_object();

			jadd(jf, "old_name", json_object_new_string(f->old_name));
			jadd(jf, "old_sympos", json_object_new_int64(f->old_sympos));
			jadd(jf, "old_size", json_object_new_int64(f->old_size));
			jadd(jf, "new_name", json_object_new_string(f->new_name));
			jadd(jf, "tramp", json_object_new_string(f->tramp_name));
			jadd(jf, "patch_object",
			     json_object_new_string(g->o.inputs[f->input].path));
			json_object_array_add(fs, jf);
		}
		for (j = 0; j < ob->nr_new; j++)
			json_object_array_add(nf, json_object_new_string(ob->new_funcs[j]));
		jadd(jo, "functions", fs);
		jadd(jo, "new_functions", nf);
		json_object_array_add(objs, jo);
	}
	jadd(o, "objects", objs);
	return o;
}
