// SPDX-License-Identifier: GPL-2.0
/*
 * funcs.c and gen.c: the patch object's .hotpatch.funcs, and the sources
 * the module generator writes from it (main.c, tramp.S, Kbuild, the
 * prepared objects) against a fake symbol table; its refusals; and that a
 * failed kernel build leaves nothing at OUT. The real kbuild run is
 * module-e2e.sh.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <json-c/json.h>

#include "internal.h"
#include "gen.h"
#include "testlib.h"

#define GEN_OUT CASES_OUT "/../gen"

static char *path_of(const char *fmt, const char *a)
{
	char *p = NULL;

	CU_ASSERT_FATAL(asprintf(&p, fmt, a) > 0);
	return p;
}

/* Diff a case (for target) and write its patch object under GEN_OUT. */
static char *patch_object(const char *c, const char *target)
{
	char orig[1024], patched[1024], *out;
	struct hp_diff_opts o = { .target = target };
	struct hp_error err = { 0 };
	struct hp_diff *d;

	snprintf(orig, sizeof(orig), "%s/%s.orig.o", CASES_OUT, c);
	snprintf(patched, sizeof(patched), "%s/%s.patched.o", CASES_OUT, c);
	mkdir(GEN_OUT, 0755);
	CU_ASSERT_FATAL(asprintf(&out, "%s/%s.%s.o", GEN_OUT, c, target) > 0);
	CU_ASSERT_EQUAL_FATAL(hp_diff_new(&o, &d, &err), 0);
	CU_ASSERT_EQUAL_FATAL(hp_diff_load(d, orig, patched, &err), 0);
	CU_ASSERT_EQUAL_FATAL(hp_diff_run(d, &err), 0);
	CU_ASSERT_EQUAL(hp_diff_write(d, out, &err), 0);
	if (err.code)
		fprintf(stderr, "\n    %s: %s", c, err.msg);
	hp_diff_free(d);
	return out;
}

static void write_text(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	fputs(text, f);
	fclose(f);
}

/* A kallsyms dump: foo twice (two files), bar once, sizes by distance. */
static char *fake_kallsyms(void)
{
	char *p = path_of("%s/kallsyms", GEN_OUT);

	mkdir(GEN_OUT, 0755);
	write_text(p, "ffffffff81000000 T _stext\n"
		   "ffffffff81000100 t foo\n"
		   "ffffffff81000140 T bar\n"
		   "ffffffff81000200 t foo\n"
		   "ffffffff81000260 T baz\n"
		   "ffffffff81000300 T _etext\n");
	return p;
}

static const char *const BUILD_ID = "0123456789abcdef0123456789abcdef01234567";

static void base_opts(struct hp_gen_opts *o, const char *symbols,
		      const struct hp_gen_input *in, size_t nr)
{
	memset(o, 0, sizeof(*o));
	o->output = GEN_OUT "/out.ko";
	o->name = "hp_unit";
	o->kdir = "/nonexistent";
	o->release = "6.1.0-test";
	o->build_id = BUILD_ID;
	o->symbols = symbols;
	o->inputs = in;
	o->nr_inputs = nr;
	o->include_dir = "/inc";
}

static char *gen_dir(const char *name)
{
	char *dir = path_of(GEN_OUT "/%s", name), *cmd = path_of("rm -rf '%s'", dir);

	CU_ASSERT_EQUAL(system(cmd), 0);
	free(cmd);
	CU_ASSERT_EQUAL_FATAL(mkdir(dir, 0755), 0);
	return dir;
}

static char *slurp(const char *dir, const char *name)
{
	char *p = NULL;
	size_t len;
	void *buf;

	CU_ASSERT_FATAL(asprintf(&p, "%s/%s", dir, name) > 0);
	buf = read_file(p, &len);
	free(p);
	CU_ASSERT_PTR_NOT_NULL_FATAL(buf);
	return buf;
}

/* ---- .hotpatch.funcs ---------------------------------------------------- */

static void test_the_patch_object_lists_its_functions(void)
{
	char *p = patch_object("003-new-static-helper", "vmlinux");
	struct hp_error err = { 0 };
	struct hp_funcs *f = NULL;
	size_t i;
	bool foo = false, clamp = false;

	CU_ASSERT_EQUAL_FATAL(hp_funcs_read(p, &f, &err), 0);
	CU_ASSERT_STRING_EQUAL(f->target, "vmlinux");
	CU_ASSERT_EQUAL(f->nr, 2);
	for (i = 0; i < f->nr; i++) {
		if (!strcmp(f->ents[i].name, "foo")) {
			foo = true;
			CU_ASSERT_EQUAL(f->ents[i].status, HP_CHANGED);
			CU_ASSERT_STRING_EQUAL(f->ents[i].old_name, "foo");
			CU_ASSERT_STRING_EQUAL(f->ents[i].file, "case.c");
		} else if (!strcmp(f->ents[i].name, "clamp")) {
			clamp = true;
			CU_ASSERT_EQUAL(f->ents[i].status, HP_NEW);
			CU_ASSERT_STRING_EQUAL(f->ents[i].old_name, "");
		}
	}
	CU_ASSERT(foo && clamp);
	hp_funcs_free(f);
	free(p);
}

/* A body without fentry is in the object, but not in the list to redirect. */
static void test_a_carried_body_is_not_redirected(void)
{
	char *p = patch_object("110-notrace-syscall-body", "vmlinux");
	struct hp_error err = { 0 };
	struct hp_funcs *f = NULL;
	struct hp_elf *e = NULL;
	struct hp_symbol *s;
	size_t i;

	CU_ASSERT_EQUAL_FATAL(hp_funcs_read(p, &f, &err), 0);
	CU_ASSERT_EQUAL(f->nr, 2);
	for (i = 0; i < f->nr; i++) {
		CU_ASSERT_EQUAL(f->ents[i].status, HP_CHANGED);
		CU_ASSERT(!strcmp(f->ents[i].name, "__x64_sys_newuname") ||
			  !strcmp(f->ents[i].name, "__ia32_sys_newuname"));
	}
	hp_funcs_free(f);
	CU_ASSERT_EQUAL_FATAL(hp_elf_open(p, &e, &err), 0);
	s = hp_elf_find_symbol(e, "__do_sys_newuname");
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	CU_ASSERT_PTR_NOT_NULL(s->sec);
	hp_elf_free(e);
	free(p);
}

static void test_the_list_names_the_diff_target(void)
{
	char *p = patch_object("002-body-change", "hp_mod");
	struct hp_error err = { 0 };
	struct hp_funcs *f = NULL;

	CU_ASSERT_EQUAL_FATAL(hp_funcs_read(p, &f, &err), 0);
	CU_ASSERT_STRING_EQUAL(f->target, "hp_mod");
	hp_funcs_free(f);
	free(p);
}

static void test_an_object_without_the_list_is_refused(void)
{
	struct hp_error err = { 0 };
	struct hp_funcs *f = NULL;

	CU_ASSERT_EQUAL(hp_funcs_read(CASES_OUT "/002-body-change.orig.o", &f, &err),
			-ENOENT);
	CU_ASSERT_PTR_NULL(f);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "hotpatch-build diff -o"));
}

static void test_malformed_lists_are_refused(void)
{
	static const unsigned char good[] = {
		'H', 'P', 'F', 'U', 'N', 'C', 'S', 0, 1, 0, 0, 0, 1, 0, 0, 0,
		5, 0, 0, 0, 0, 0, 0, 0,
		1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0,
		0, 'f', 'o', 'o', 0, 'v', 'm', 'l', 'i', 'n', 'u', 'x', 0,
	};
	unsigned char buf[sizeof(good)];
	struct hp_error err = { 0 };
	struct hp_funcs *f = NULL;
	size_t n;

	CU_ASSERT_EQUAL_FATAL(hp_funcs_decode(good, sizeof(good), "t", &f, &err), 0);
	CU_ASSERT_EQUAL(f->nr, 1);
	CU_ASSERT_STRING_EQUAL(f->ents[0].name, "foo");
	CU_ASSERT_STRING_EQUAL(f->ents[0].old_name, "foo");
	CU_ASSERT_STRING_EQUAL(f->target, "vmlinux");
	hp_funcs_free(f);
	/* every truncation */
	for (n = 0; n < sizeof(good); n++) {
		memset(&err, 0, sizeof(err));
		CU_ASSERT_EQUAL(hp_funcs_decode(good, n, "t", &f, &err), -EINVAL);
		CU_ASSERT_PTR_NULL(f);
	}
	/* every single-byte change of the header and records is either
	 * refused or decodes into strings inside the table */
	for (n = 0; n < 40; n++) {
		int ret;

		memcpy(buf, good, sizeof(buf));
		buf[n] ^= 0x41;
		memset(&err, 0, sizeof(err));
		ret = hp_funcs_decode(buf, sizeof(buf), "t", &f, &err);
		CU_ASSERT(ret == 0 || ret == -EINVAL);
		if (!ret) {
			CU_ASSERT_PTR_NOT_NULL(f->target);
			hp_funcs_free(f);
		} else {
			CU_ASSERT_PTR_NULL(f);
			CU_ASSERT(err.msg[0] != 0);
		}
	}
	/* version 3 is refused with a reason */
	memcpy(buf, good, sizeof(buf));
	buf[8] = 3;
	memset(&err, 0, sizeof(err));
	CU_ASSERT_EQUAL(hp_funcs_decode(buf, sizeof(buf), "t", &f, &err), -EINVAL);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "version 3"));
}

/* Version 2 records carry the sympos the resolve stage found; version 1 none. */
static void test_version_2_records_carry_the_sympos(void)
{
	static const unsigned char v2[] = {
		'H', 'P', 'F', 'U', 'N', 'C', 'S', 0, 2, 0, 0, 0, 2, 0, 0, 0,
		5, 0, 0, 0, 0, 0, 0, 0,
		1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0,
		2, 0, 0, 0, 13, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
		0, 'f', 'o', 'o', 0, 'v', 'm', 'l', 'i', 'n', 'u', 'x', 0,
		'n', 'e', 'w', 0,
	};
	unsigned char buf[sizeof(v2)];
	struct hp_error err = { 0 };
	struct hp_funcs *f = NULL;

	CU_ASSERT_EQUAL_FATAL(hp_funcs_decode(v2, sizeof(v2), "t", &f, &err), 0);
	CU_ASSERT_EQUAL_FATAL(f->nr, 2);
	CU_ASSERT_STRING_EQUAL(f->ents[0].old_name, "foo");
	CU_ASSERT_EQUAL(f->ents[0].sympos, 2);
	CU_ASSERT_EQUAL(f->ents[1].status, HP_NEW);
	CU_ASSERT_STRING_EQUAL(f->ents[1].name, "new");
	CU_ASSERT_EQUAL(f->ents[1].sympos, 0);
	hp_funcs_free(f);
	/* a new function has no position in the target */
	memcpy(buf, v2, sizeof(buf));
	buf[24 + 20 + 16] = 1;
	CU_ASSERT_EQUAL(hp_funcs_decode(buf, sizeof(buf), "t", &f, &err), -EINVAL);
	CU_ASSERT_PTR_NULL(f);
}

/* The module step takes the resolve stage's sympos when nothing else decides. */
static void test_the_resolved_sympos_tells_duplicates_apart(void)
{
	char *ks = fake_kallsyms();
	struct hp_gen_syms *syms = NULL;
	struct hp_error err = { 0 };
	uint32_t pos = 0, size = 0;

	CU_ASSERT_EQUAL_FATAL(hp_gen_syms_new(ks, NULL, 0, &syms, &err), 0);
	/* foo is twice: the resolved position, with that one's size */
	CU_ASSERT_EQUAL(hp_gen_syms_find(syms, "vmlinux", "foo", "a.c", 0, 2, &pos, &size,
					 &err), 0);
	CU_ASSERT_EQUAL(pos, 2);
	CU_ASSERT_EQUAL(size, 0x60);
	/* what the user gave wins */
	CU_ASSERT_EQUAL(hp_gen_syms_find(syms, "vmlinux", "foo", "a.c", 1, 2, &pos, &size,
					 &err), 0);
	CU_ASSERT_EQUAL(pos, 1);
	CU_ASSERT_EQUAL(size, 0x40);
	/* nothing resolved: refused, naming the option and the resolve stage */
	CU_ASSERT_EQUAL(hp_gen_syms_find(syms, "vmlinux", "foo", "a.c", 0, 0, &pos, &size,
					 &err), -ENOTUNIQ);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "--sympos vmlinux:foo=N"));
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "resolve options"));
	/* a unique name stays 0 whatever was resolved */
	CU_ASSERT_EQUAL(hp_gen_syms_find(syms, "vmlinux", "bar", "a.c", 0, 0, &pos, &size,
					 &err), 0);
	CU_ASSERT_EQUAL(pos, 0);
	hp_gen_syms_free(syms);
	free(ks);
}

/* ---- generation ------------------------------------------------------------ */

static void test_sources_for_one_vmlinux_function(void)
{
	char *p = patch_object("003-new-static-helper", "vmlinux");
	char *ks = fake_kallsyms(), *dir = gen_dir("one");
	struct hp_gen_input in[] = { { "vmlinux", p } };
	struct hp_gen_sympos pos[] = { { "vmlinux", "foo", 2 } };
	struct hp_error err = { 0 };
	struct hp_gen_opts o;
	const struct hp_gen_obj *ob;
	struct hp_gen *g = NULL;
	char *main_c, *tramp, *kbuild, *cmd;

	base_opts(&o, ks, in, 1);
	o.sympos = pos;
	o.nr_sympos = 1;
	o.mode = HP_GEN_MODE_DIRECT;
	CU_ASSERT_EQUAL_FATAL(hp_gen_new(&o, &g, &err), 0);
	CU_ASSERT_EQUAL(hp_gen_write_sources(g, dir, &err), 0);
	if (err.code)
		fprintf(stderr, "\n    %s", err.msg);
	CU_ASSERT_EQUAL_FATAL(hp_gen_nr_objs(g), 1);
	ob = hp_gen_obj_at(g, 0);
	CU_ASSERT_STRING_EQUAL(ob->name, "vmlinux");
	CU_ASSERT_EQUAL_FATAL(ob->nr_funcs, 1);
	CU_ASSERT_STRING_EQUAL(ob->funcs[0].old_name, "foo");
	CU_ASSERT_EQUAL(ob->funcs[0].old_sympos, 2);
	CU_ASSERT_EQUAL(ob->funcs[0].old_size, 0x60);
	CU_ASSERT_STRING_EQUAL(ob->funcs[0].new_name, "__hpnew_foo");
	CU_ASSERT_STRING_EQUAL(ob->funcs[0].tramp_name, "__hotpatch_tramp___hpnew_foo");
	CU_ASSERT_EQUAL(ob->nr_new, 1);
	CU_ASSERT_STRING_EQUAL(ob->new_funcs[0], "clamp");
	CU_ASSERT_FALSE(hp_gen_livepatch(g));

	main_c = slurp(dir, "hpgen-main.c");
	CU_ASSERT_PTR_NOT_NULL(strstr(main_c, ".old_name = \"foo\""));
	CU_ASSERT_PTR_NOT_NULL(strstr(main_c, ".old_sympos = 2,"));
	CU_ASSERT_PTR_NOT_NULL(strstr(main_c, ".old_size = 96,"));
	CU_ASSERT_PTR_NOT_NULL(strstr(main_c, ".new_func = __hpnew_foo,"));
	CU_ASSERT_PTR_NOT_NULL(strstr(main_c, ".tramp = HOTPATCH_TRAMP(__hpnew_foo)"));
	CU_ASSERT_PTR_NOT_NULL(strstr(main_c, "{ .name = NULL, .funcs = hp_funcs_0 }"));
	CU_ASSERT_PTR_NOT_NULL(strstr(main_c, ".flags = HOTPATCH_F_DIRECT,"));
	CU_ASSERT_PTR_NOT_NULL(strstr(main_c, ".target = \"6.1.0-test\""));
	CU_ASSERT_PTR_NOT_NULL(strstr(main_c, "MODULE_INFO(hotpatch, \"Y\");"));
	CU_ASSERT_PTR_NULL(strstr(main_c, "MODULE_INFO(livepatch"));
	CU_ASSERT_PTR_NOT_NULL(strstr(main_c, "MODULE_LICENSE(\"GPL\");"));
	CU_ASSERT_PTR_NOT_NULL(strstr(main_c, "MODULE_DESCRIPTION(\"hotpatch live patch 'hp_unit'"));
	CU_ASSERT_PTR_NOT_NULL(strstr(main_c, "return hotpatch_register(&hp_patch);"));
	tramp = slurp(dir, "hpgen-tramp.S");
	CU_ASSERT_PTR_NOT_NULL(strstr(tramp, "#include <hotpatch/trampoline.S>"));
	CU_ASSERT_PTR_NOT_NULL(strstr(tramp, "HOTPATCH_TRAMPOLINE __hpnew_foo\n"));
	CU_ASSERT_PTR_NULL(strstr(tramp, "clamp"));
	kbuild = slurp(dir, "Kbuild");
	CU_ASSERT_PTR_NOT_NULL(strstr(kbuild, "obj-m += hp_unit.o\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(kbuild, "hp_unit-y := hpgen-main.o hpgen-tramp.o hpgen-p0.o\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(kbuild, "ccflags-y += -I/inc\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(kbuild, "asflags-y += -I/inc\n"));
	/* the prepared object: a global alias at foo, no .hotpatch.funcs */
	cmd = path_of("readelf -sW '%s/hpgen-p0.o_shipped' | "
		      "grep -q 'FUNC *GLOBAL *DEFAULT .* __hpnew_foo$'", dir);
	CU_ASSERT_EQUAL(system(cmd), 0);
	free(cmd);
	cmd = path_of("readelf -SW '%s/hpgen-p0.o_shipped' | grep -q hotpatch.funcs", dir);
	CU_ASSERT_NOT_EQUAL(system(cmd), 0);
	free(cmd);
	cmd = path_of("test -f '%s/.hpgen-p0.o.cmd'", dir);
	CU_ASSERT_EQUAL(system(cmd), 0);
	free(cmd);
	free(main_c);
	free(tramp);
	free(kbuild);
	hp_gen_free(g);
	free(dir);
	free(ks);
	free(p);
}

static void test_sources_for_vmlinux_and_a_module(void)
{
	char *pv = patch_object("002-body-change", "vmlinux");
	char *pm = patch_object("003-new-static-helper", "hp_mod");
	char *ks = fake_kallsyms(), *dir = gen_dir("two");
	/* the module as it runs: the case's original object stands in */
	struct hp_gen_modobj mods[] = {
		{ "hp_mod", CASES_OUT "/003-new-static-helper.orig.o" },
	};
	struct hp_gen_input in[] = { { "vmlinux", pv }, { "hp_mod", pm } };
	struct hp_gen_sympos pos[] = { { "vmlinux", "foo", 1 } };
	struct hp_error err = { 0 };
	struct hp_gen_opts o;
	const struct hp_gen_obj *v, *m;
	struct hp_gen *g = NULL;
	struct json_object *j, *objs, *x;
	char *main_c, *tramp, *kbuild;

	base_opts(&o, ks, in, 2);
	o.modobjs = mods;
	o.nr_modobjs = 1;
	o.sympos = pos;
	o.nr_sympos = 1;
	o.replace = true;
	o.mode = HP_GEN_MODE_OPS;
	CU_ASSERT_EQUAL_FATAL(hp_gen_new(&o, &g, &err), 0);
	CU_ASSERT_EQUAL(hp_gen_write_sources(g, dir, &err), 0);
	if (err.code)
		fprintf(stderr, "\n    %s", err.msg);
	CU_ASSERT_EQUAL_FATAL(hp_gen_nr_objs(g), 2);
	v = hp_gen_obj_at(g, 0);
	m = hp_gen_obj_at(g, 1);
	CU_ASSERT_STRING_EQUAL(v->name, "vmlinux");
	CU_ASSERT_STRING_EQUAL(m->name, "hp_mod");
	CU_ASSERT_EQUAL(v->funcs[0].old_size, 0x40);
	CU_ASSERT_EQUAL(v->funcs[0].old_sympos, 1);
	/* two functions named foo: the aliases differ */
	CU_ASSERT_STRING_EQUAL(v->funcs[0].new_name, "__hpnew_foo");
	CU_ASSERT_STRING_EQUAL(m->funcs[0].new_name, "__hpnew_foo_2");
	CU_ASSERT_EQUAL(m->funcs[0].old_sympos, 0);
	CU_ASSERT(m->funcs[0].old_size > 0);
	/* no build-id note in a plain object: not checked */
	CU_ASSERT_EQUAL(m->build_id_len, 0);
	main_c = slurp(dir, "hpgen-main.c");
	CU_ASSERT_PTR_NOT_NULL(strstr(main_c, "{ .name = NULL, .funcs = hp_funcs_0 }"));
	CU_ASSERT_PTR_NOT_NULL(strstr(main_c, "{ .name = \"hp_mod\", .funcs = hp_funcs_1 }"));
	CU_ASSERT_PTR_NOT_NULL(strstr(main_c, ".flags = HOTPATCH_F_OPS | HOTPATCH_F_REPLACE,"));
	CU_ASSERT_PTR_NOT_NULL(strstr(main_c, "cumulative"));
	tramp = slurp(dir, "hpgen-tramp.S");
	CU_ASSERT_PTR_NOT_NULL(strstr(tramp, "HOTPATCH_TRAMPOLINE __hpnew_foo\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(tramp, "HOTPATCH_TRAMPOLINE __hpnew_foo_2\n"));
	kbuild = slurp(dir, "Kbuild");
	CU_ASSERT_PTR_NOT_NULL(strstr(kbuild, "hpgen-p0.o hpgen-p1.o\n"));
	j = hp_gen_to_json(g);
	CU_ASSERT_PTR_NOT_NULL_FATAL(j);
	CU_ASSERT(json_object_object_get_ex(j, "objects", &objs));
	CU_ASSERT_EQUAL(json_object_array_length(objs), 2);
	CU_ASSERT(json_object_object_get_ex(j, "mode", &x));
	CU_ASSERT_STRING_EQUAL(json_object_get_string(x), "ops");
	CU_ASSERT(json_object_object_get_ex(j, "replace", &x) && json_object_get_boolean(x));
	json_object_put(j);
	free(main_c);
	free(tramp);
	free(kbuild);
	hp_gen_free(g);
	free(dir);
	free(ks);
	free(pv);
	free(pm);
}

/* hp_gen_new + plan of opts with one change; returns plan's errno and err. */
static int plan_with(struct hp_gen_opts *o, struct hp_error *err)
{
	struct hp_gen *g = NULL;
	int ret;

	memset(err, 0, sizeof(*err));
	ret = hp_gen_new(o, &g, err);
	if (!ret)
		ret = hp_gen_plan(g, err);
	hp_gen_free(g);
	return ret;
}

static void test_refusals_say_what_to_do(void)
{
	char *p = patch_object("003-new-static-helper", "vmlinux");
	char *pn = patch_object("004-new-global-function", "vmlinux");
	char *ks = fake_kallsyms();
	struct hp_gen_input in[] = { { "vmlinux", p } };
	struct hp_gen_input twice[] = { { "vmlinux", p }, { "vmlinux", p } };
	struct hp_gen_input wrong[] = { { "hp_mod", p } };
	struct hp_gen_input only_new[] = { { "vmlinux", pn } };
	struct hp_gen_input raw[] = { { "vmlinux", CASES_OUT "/002-body-change.orig.o" } };
	struct hp_gen_sympos pos[] = { { "vmlinux", "foo", 1 } };
	struct hp_gen_sympos far[] = { { "vmlinux", "foo", 3 } };
	struct hp_error err;
	struct hp_gen_opts o;

	/* foo is twice in the kallsyms dump */
	base_opts(&o, ks, in, 1);
	CU_ASSERT_EQUAL(plan_with(&o, &err), -ENOTUNIQ);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "--sympos vmlinux:foo=N"));
	o.sympos = far;
	o.nr_sympos = 1;
	CU_ASSERT_EQUAL(plan_with(&o, &err), -ERANGE);
	o.sympos = pos;
	CU_ASSERT_EQUAL(plan_with(&o, &err), 0);
	/* the same function replaced twice */
	base_opts(&o, ks, twice, 2);
	o.sympos = pos;
	o.nr_sympos = 1;
	CU_ASSERT_EQUAL(plan_with(&o, &err), -EEXIST);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "replaced by two patch objects"));
	/* diffed for vmlinux, given for a module */
	base_opts(&o, ks, wrong, 1);
	CU_ASSERT_EQUAL(plan_with(&o, &err), -EINVAL);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "give vmlinux="));
	/* a module without symbols */
	memset(&err, 0, sizeof(err));
	{
		char *pm = patch_object("002-body-change", "hp_mod");
		struct hp_gen_input m[] = { { "hp_mod", pm } };

		base_opts(&o, ks, m, 1);
		CU_ASSERT_EQUAL(plan_with(&o, &err), -ENOENT);
		CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "--module-object hp_mod=hp_mod.ko"));
		free(pm);
	}
	/* vmlinux without --symbols */
	base_opts(&o, NULL, in, 1);
	CU_ASSERT_EQUAL(plan_with(&o, &err), -ENOENT);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "--symbols"));
	/* a function the symbol table does not have */
	{
		char *other = path_of("%s/kallsyms-other", GEN_OUT);

		write_text(other, "ffffffff81000000 T bar\nffffffff81000040 T baz\n");
		base_opts(&o, other, in, 1);
		CU_ASSERT_EQUAL(plan_with(&o, &err), -ENOENT);
		CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "'foo' not found in vmlinux"));
		/* hidden addresses: no size */
		write_text(other, "0000000000000000 t foo\n0000000000000000 T bar\n");
		CU_ASSERT_EQUAL(plan_with(&o, &err), -EINVAL);
		CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "as root"));
		free(other);
	}
	/* only new functions: nothing to redirect */
	base_opts(&o, ks, only_new, 1);
	CU_ASSERT_EQUAL(plan_with(&o, &err), -ENODATA);
	/* not a patch object */
	base_opts(&o, ks, raw, 1);
	CU_ASSERT_EQUAL(plan_with(&o, &err), -ENOENT);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "hotpatch.funcs"));
	/* bad options */
	base_opts(&o, ks, in, 1);
	o.name = "with-dash";
	CU_ASSERT_EQUAL(plan_with(&o, &err), -EINVAL);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "--name"));
	base_opts(&o, ks, in, 1);
	o.build_id = "xyz";
	CU_ASSERT_EQUAL(plan_with(&o, &err), -EINVAL);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "--build-id"));
	base_opts(&o, ks, in, 1);
	o.release = "6.1 with spaces";
	CU_ASSERT_EQUAL(plan_with(&o, &err), -EINVAL);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "--release"));
	base_opts(&o, ks, in, 1);
	o.key = "key.pem";
	CU_ASSERT_EQUAL(plan_with(&o, &err), -EINVAL);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "--cert"));
	base_opts(&o, ks, in, 0);
	CU_ASSERT_EQUAL(plan_with(&o, &err), -EINVAL);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "OBJECT=PATCH.o"));
	base_opts(&o, ks, in, 1);
	o.kdir = NULL;
	CU_ASSERT_EQUAL(plan_with(&o, &err), -EINVAL);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "--kdir"));
	free(ks);
	free(p);
	free(pn);
}

/* A local name that is in the module twice is told apart by its file. */
static void test_module_locals_are_told_apart_by_file(void)
{
	char *pm = patch_object("025-isra-clone-changed", "hp_mod");
	char *ko = path_of("%s/two-files.ko", GEN_OUT), *cmd;
	struct hp_gen_input in[] = { { "hp_mod", pm } };
	struct hp_gen_modobj mods[] = { { "hp_mod", ko } };
	struct hp_error err;
	struct hp_gen_opts o;
	struct hp_gen *g = NULL;
	const struct hp_gen_func *f;

	/* other.c has a local of the same name, and comes first in the module */
	mkdir(GEN_OUT, 0755);
	cmd = path_of("cd '%s' && printf '"
		      "static int __attribute__((noinline, used)) h(int x) "
		      "__asm__(\"helper.constprop.0\");\\n"
		      "static int h(int x) { return x * 7; }\\n"
		      "int other(int x) { return h(x) + 1; }\\n' > other.c && "
		      "gcc -O2 -c other.c -o other.o && "
		      "ld -r -o two-files.ko other.o " CASES_OUT
		      "/025-isra-clone-changed.orig.o", GEN_OUT);
	CU_ASSERT_EQUAL_FATAL(system(cmd), 0);
	free(cmd);
	base_opts(&o, NULL, in, 1);
	o.modobjs = mods;
	o.nr_modobjs = 1;
	memset(&err, 0, sizeof(err));
	CU_ASSERT_EQUAL_FATAL(hp_gen_new(&o, &g, &err), 0);
	CU_ASSERT_EQUAL(hp_gen_plan(g, &err), 0);
	if (err.code) {
		fprintf(stderr, "\n    %s", err.msg);
	} else {
		f = &hp_gen_obj_at(g, 0)->funcs[0];
		CU_ASSERT_STRING_EQUAL(f->old_name, "helper.constprop.0");
		CU_ASSERT_EQUAL(f->old_sympos, 2);
		CU_ASSERT(f->old_size > 0);
		/* not a C identifier: the alias is */
		CU_ASSERT_STRING_EQUAL(f->new_name, "__hpnew_helper_constprop_0");
	}
	hp_gen_free(g);
	free(ko);
	free(pm);
}


/* Diff a case and resolve it against a fake kernel: records for its statics. */
static char *resolved_object(const char *c, const char *ks, const char *sv)
{
	char orig[1024], patched[1024], *out;
	struct hp_resolve_opts ro = { .target = "vmlinux", .symbols = ks, .symvers = sv };
	struct hp_error err = { 0 };
	struct hp_resolve *r = NULL;
	struct hp_diff *d;

	snprintf(orig, sizeof(orig), "%s/%s.orig.o", CASES_OUT, c);
	snprintf(patched, sizeof(patched), "%s/%s.patched.o", CASES_OUT, c);
	CU_ASSERT_FATAL(asprintf(&out, "%s/%s.resolved.o", GEN_OUT, c) > 0);
	CU_ASSERT_EQUAL_FATAL(hp_diff_new(NULL, &d, &err), 0);
	CU_ASSERT_EQUAL_FATAL(hp_diff_load(d, orig, patched, &err), 0);
	CU_ASSERT_EQUAL_FATAL(hp_diff_run(d, &err), 0);
	CU_ASSERT_EQUAL_FATAL(hp_resolve_new(&ro, &r, &err), 0);
	CU_ASSERT_EQUAL(hp_diff_write_resolved(d, r, out, &err), 0);
	if (err.code)
		fprintf(stderr, "\n    %s: %s", c, err.msg);
	hp_resolve_free(r);
	hp_diff_free(d);
	return out;
}

static uint32_t le32_at(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

/*
 * Two patch objects with klp relocation records: the second one's string
 * offsets are rebased, so that after the linker concatenates both
 * .hotpatch.klp_strs every record still names its own strings, and keeps
 * the relocation that gives its place; main.c carries
 * MODULE_INFO(livepatch, "Y").
 */
static void test_records_of_several_objects_survive_the_link(void)
{
	char *ks = path_of("%s/kallsyms-klp", GEN_OUT), *sv = path_of("%s/symvers", GEN_OUT);
	char *a, *b, *dir, *cmd, *linked, *main_c;
	struct hp_gen_input in[2];
	struct hp_error err = { 0 };
	struct hp_gen_opts o;
	struct hp_gen *g = NULL;
	struct hp_elf *e = NULL;
	struct hp_section *kr, *kstr;
	bool seen_calls = false, seen_weights = false;
	size_t off;

	mkdir(GEN_OUT, 0755);
	write_text(ks, "ffffffff81000000 T _stext\nffffffff81000100 T foo\n"
		   "ffffffff81000140 T bar\nffffffff81000180 T baz\n"
		   "ffffffff810001c0 T _etext\nffffffff82000000 r weights\n"
		   "ffffffff82000100 b calls.0\nffffffff82000104 b calls.1\n"
		   "ffffffff82000200 B _end\n");
	write_text(sv, "0x00000000\t__fentry__\tvmlinux\tEXPORT_SYMBOL\t\n");
	a = resolved_object("012-static-locals-correlate", ks, sv);
	b = resolved_object("021-rodata-unchanged", ks, sv);
	in[0].object = "vmlinux";
	in[0].path = a;
	in[1].object = "vmlinux";
	in[1].path = b;
	dir = gen_dir("klp");
	base_opts(&o, ks, in, 2);
	CU_ASSERT_EQUAL_FATAL(hp_gen_new(&o, &g, &err), 0);
	CU_ASSERT_EQUAL(hp_gen_write_sources(g, dir, &err), 0);
	if (err.code)
		fprintf(stderr, "\n    %s", err.msg);
	CU_ASSERT(hp_gen_livepatch(g));
	main_c = slurp(dir, "hpgen-main.c");
	CU_ASSERT_PTR_NOT_NULL(strstr(main_c, "MODULE_INFO(livepatch, \"Y\");"));
	free(main_c);
	/* link the two as kbuild will, and read every record back */
	linked = path_of("%s/linked.o", dir);
	cmd = path_of("cd '%s' && ld -r -o linked.o hpgen-p0.o_shipped hpgen-p1.o_shipped", dir);
	CU_ASSERT_EQUAL_FATAL(system(cmd), 0);
	free(cmd);
	CU_ASSERT_EQUAL_FATAL(hp_elf_open(linked, &e, &err), 0);
	kr = hp_elf_find_section(e, ".hotpatch.klp_relocs");
	kstr = hp_elf_find_section(e, ".hotpatch.klp_strs");
	CU_ASSERT_PTR_NOT_NULL_FATAL(kr);
	CU_ASSERT_PTR_NOT_NULL_FATAL(kstr);
	CU_ASSERT(kr->size >= 64);
	/* each record's place still comes with its relocation */
	CU_ASSERT_PTR_NOT_NULL_FATAL(kr->rela);
	CU_ASSERT_EQUAL(kr->rela->nr_relas, kr->size / 32);
	for (off = 0; off + 32 <= kr->size; off += 32) {
		uint32_t on = le32_at(kr->data + off + 24), sn = le32_at(kr->data + off + 28);

		CU_ASSERT_FATAL(on < kstr->size && sn < kstr->size);
		CU_ASSERT_STRING_EQUAL((const char *)kstr->data + on, "vmlinux");
		if (!strcmp((const char *)kstr->data + sn, "calls.0"))
			seen_calls = true;
		else if (!strcmp((const char *)kstr->data + sn, "weights"))
			seen_weights = true;
		else
			CU_FAIL("a record names a string of the other object");
	}
	CU_ASSERT(seen_calls && seen_weights);
	hp_elf_free(e);
	hp_gen_free(g);
	free(linked);
	free(dir);
	free(a);
	free(b);
	free(ks);
	free(sv);
}

static bool exists(const char *p)
{
	struct stat st;

	return stat(p, &st) == 0;
}

static void test_a_failed_kernel_build_leaves_nothing(void)
{
	char *p = patch_object("002-body-change", "vmlinux");
	char *ks = fake_kallsyms(), *kdir = gen_dir("fake-kdir");
	char *mk = path_of("%s/Makefile", kdir), *sv = path_of("%s/core.symvers", kdir);
	char *work = path_of("%s/work", GEN_OUT), *log = path_of("%s/kbuild-out", GEN_OUT);
	struct hp_gen_input in[] = { { "vmlinux", p } };
	struct hp_gen_sympos pos[] = { { "vmlinux", "foo", 2 } };
	struct hp_error err = { 0 };
	struct hp_gen_opts o;
	struct hp_gen *g = NULL;
	char *cmd, *shown;
	size_t len;
	FILE *lf;

	write_text(mk, "modules:\n\t@echo 'the fake kernel says no'; exit 3\n");
	write_text(sv, "");
	cmd = path_of("rm -rf '%s'", work);
	CU_ASSERT_EQUAL(system(cmd), 0);
	free(cmd);
	unlink(GEN_OUT "/out.ko");
	base_opts(&o, ks, in, 1);
	o.sympos = pos;
	o.nr_sympos = 1;
	o.kdir = kdir;
	o.core_symvers = sv;
	o.workdir = work;
	lf = fopen(log, "w");
	CU_ASSERT_PTR_NOT_NULL_FATAL(lf);
	o.log = lf;
	CU_ASSERT_EQUAL_FATAL(hp_gen_new(&o, &g, &err), 0);
	CU_ASSERT_EQUAL(hp_gen_run(g, &err), -EIO);
	CU_ASSERT(hp_gen_build_failed(g));
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "kbuild failed (make exit 2"));
	hp_gen_free(g);
	fclose(lf);
	shown = read_file(log, &len);
	CU_ASSERT_PTR_NOT_NULL_FATAL(shown);
	CU_ASSERT_PTR_NOT_NULL(strstr(shown, "the fake kernel says no"));
	free(shown);
	CU_ASSERT_FALSE(exists(GEN_OUT "/out.ko"));
	/* the work dir is gone (no --keep) */
	CU_ASSERT_FALSE(exists(work));

	/* an existing work dir is not reused */
	CU_ASSERT_EQUAL(mkdir(work, 0755), 0);
	memset(&err, 0, sizeof(err));
	CU_ASSERT_EQUAL_FATAL(hp_gen_new(&o, &g, &err), 0);
	CU_ASSERT_EQUAL(hp_gen_run(g, &err), -EEXIST);
	hp_gen_free(g);
	CU_ASSERT(exists(work));
	rmdir(work);

	/* no Makefile in --kdir; no core Module.symvers */
	o.kdir = GEN_OUT;
	memset(&err, 0, sizeof(err));
	CU_ASSERT_EQUAL_FATAL(hp_gen_new(&o, &g, &err), 0);
	CU_ASSERT_EQUAL(hp_gen_run(g, &err), -ENOENT);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "no Makefile"));
	hp_gen_free(g);
	o.kdir = kdir;
	o.core_symvers = GEN_OUT "/nonexistent.symvers";
	memset(&err, 0, sizeof(err));
	CU_ASSERT_EQUAL_FATAL(hp_gen_new(&o, &g, &err), 0);
	CU_ASSERT_EQUAL(hp_gen_run(g, &err), -ENOENT);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "Module.symvers of the hotpatch core"));
	hp_gen_free(g);
	CU_ASSERT_FALSE(exists(GEN_OUT "/out.ko"));
	free(p);
	free(ks);
	free(kdir);
	free(mk);
	free(sv);
	free(work);
	free(log);
}

int register_gen_tests(void)
{
	CU_pSuite s = CU_add_suite("patch module generation", NULL, NULL);

	if (!s ||
	    !CU_add_test(s, "the patch object lists its functions",
			 test_the_patch_object_lists_its_functions) ||
	    !CU_add_test(s, "a carried body is in the object, not in the list",
			 test_a_carried_body_is_not_redirected) ||
	    !CU_add_test(s, "the list names the diff's target",
			 test_the_list_names_the_diff_target) ||
	    !CU_add_test(s, "an object without the list is refused",
			 test_an_object_without_the_list_is_refused) ||
	    !CU_add_test(s, "malformed lists are refused",
			 test_malformed_lists_are_refused) ||
	    !CU_add_test(s, "version 2 records carry the sympos",
			 test_version_2_records_carry_the_sympos) ||
	    !CU_add_test(s, "the resolved sympos tells duplicates apart",
			 test_the_resolved_sympos_tells_duplicates_apart) ||
	    !CU_add_test(s, "sources for one vmlinux function",
			 test_sources_for_one_vmlinux_function) ||
	    !CU_add_test(s, "sources for vmlinux and a module",
			 test_sources_for_vmlinux_and_a_module) ||
	    !CU_add_test(s, "refusals say what to do",
			 test_refusals_say_what_to_do) ||
	    !CU_add_test(s, "module locals are told apart by file",
			 test_module_locals_are_told_apart_by_file) ||
	    !CU_add_test(s, "records of several objects survive the link",
			 test_records_of_several_objects_survive_the_link) ||
	    !CU_add_test(s, "a failed kernel build leaves nothing",
			 test_a_failed_kernel_build_leaves_nothing))
		return -1;
	return 0;
}
