// SPDX-License-Identifier: GPL-2.0
/*
 * The source pipeline's pieces that need no kernel tree: what a diff
 * touches (build_patch.c), symbol tables and kbuild's .cmd files
 * (build_syms.c), processes (build_tree.c). The pipeline itself runs on the
 * real Debian tree: tests/realpatches/check.sh and the t51NN VM scenarios.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <json-c/json.h>

#include "build.h"
#include "internal.h"
#include "testlib.h"

static const char git_diff[] =
	"From 1234 Mon Sep 17 00:00:00 2001\n"
	"Subject: [PATCH] a fix\n"
	"\n"
	"---\n"
	" kernel/sys.c | 3 +++\n"
	"\n"
	"diff --git a/kernel/sys.c b/kernel/sys.c\n"
	"index 1111..2222 100644\n"
	"--- a/kernel/sys.c\n"
	"+++ b/kernel/sys.c\n"
	"@@ -10,4 +10,5 @@ int f(void)\n"
	" a\n"
	"--- this removed line looks like a header\n"
	"+++ and this added one too\n"
	"+x\n"
	" b\n"
	"\n"
	"@@ -40 +41 @@\n"
	"-y\n"
	"+z\n"
	"diff --git a/include/linux/sched.h b/include/linux/sched.h\n"
	"--- a/include/linux/sched.h\n"
	"+++ b/include/linux/sched.h\n"
	"@@ -1,1 +1,1 @@\n"
	"-old\n"
	"+new\n"
	"\\ No newline at end of file\n"
	"--- a/Documentation/x.rst\t2024-01-01 00:00:00\n"
	"+++ b/Documentation/x.rst\t2024-01-01 00:00:00\n"
	"@@ -1 +1 @@\n"
	"-a\n"
	"+b\n"
	"--- /dev/null\n"
	"+++ b/fs/new.c\n"
	"@@ -0,0 +1 @@\n"
	"+int x;\n"
	"--- a/fs/old.c\n"
	"+++ /dev/null\n"
	"@@ -1 +0,0 @@\n"
	"-int y;\n"
	"--- a/Makefile\n"
	"+++ b/Makefile\n"
	"@@ -1 +1 @@\n"
	"-A\n"
	"+B\n";

static void test_a_diff_names_its_files_and_their_kinds(void)
{
	struct hp_patch_files pf;
	struct hp_error err = { 0 };

	CU_ASSERT_EQUAL_FATAL(hp_patch_files_parse(git_diff, &pf, &err), 0);
	CU_ASSERT_EQUAL_FATAL(pf.nr, 6);
	CU_ASSERT_STRING_EQUAL(pf.files[0].path, "kernel/sys.c");
	CU_ASSERT_EQUAL(pf.files[0].kind, HP_PF_C);
	CU_ASSERT_FALSE(pf.files[0].created || pf.files[0].deleted);
	CU_ASSERT_STRING_EQUAL(pf.files[1].path, "include/linux/sched.h");
	CU_ASSERT_EQUAL(pf.files[1].kind, HP_PF_HEADER);
	CU_ASSERT_STRING_EQUAL(pf.files[2].path, "Documentation/x.rst");
	CU_ASSERT_EQUAL(pf.files[2].kind, HP_PF_IGNORED);
	CU_ASSERT_STRING_EQUAL(pf.files[3].path, "fs/new.c");
	CU_ASSERT_TRUE(pf.files[3].created);
	CU_ASSERT_STRING_EQUAL(pf.files[4].path, "fs/old.c");
	CU_ASSERT_TRUE(pf.files[4].deleted);
	CU_ASSERT_STRING_EQUAL(pf.files[5].path, "Makefile");
	CU_ASSERT_EQUAL(pf.files[5].kind, HP_PF_OTHER);
	hp_patch_files_free(&pf);
}

static void check_bad(const char *diff, int code, const char *needle)
{
	struct hp_patch_files pf;
	struct hp_error err = { 0 };

	CU_ASSERT_EQUAL(hp_patch_files_parse(diff, &pf, &err), code);
	CU_ASSERT_EQUAL(err.code, code);
	if (!strstr(err.msg, needle))
		fprintf(stderr, "\nmessage '%s' lacks '%s'\n", err.msg, needle);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, needle));
	CU_ASSERT_EQUAL(pf.nr, 0);
}

static void test_malformed_diffs_are_refused_with_a_reason(void)
{
	check_bad("", -ENODATA, "no file changes");
	check_bad("just some text\n", -ENODATA, "no file changes");
	check_bad("--- a/x.c\n+++ b/x.c\n@@ -1,3 +1,3 @@\n a\n", -EINVAL,
		  "ends inside a hunk");
	check_bad("--- a/x.c\n+++ b/x.c\n@@ -1,1 +1,2 @@\n-a\n-b\n", -EINVAL,
		  "more lines than the hunk header says");
	check_bad("--- a/x.c\n+++ b/x.c\n@@ -1,2 +1,2 @@\n-a\nXX\n", -EINVAL,
		  "hunk ends early");
	check_bad("--- a/x.c\n+++ b/x.c\n@@ bogus @@\n", -EINVAL,
		  "malformed hunk header");
	check_bad("@@ -1 +1 @@\n-a\n+b\n", -EINVAL, "hunk before any file header");
	check_bad("+++ b/x.c\n", -EINVAL, "'+++' without '---'");
	check_bad("--- a/x.c\n", -EINVAL, "ends after a '---' header");
	check_bad("--- x.c\n+++ x.c\n", -EINVAL, "no directory component");
	check_bad("--- a/../etc/passwd\n+++ b/../etc/passwd\n", -EINVAL,
		  "outside the tree");
	check_bad("--- /dev/null\n+++ /dev/null\n", -EINVAL, "/dev/null on both sides");
	check_bad("--- a/x.c\n+++ b/x.c\nGIT binary patch\n", -EINVAL, "binary");
}

static char *write_tmp(const char *text)
{
	char *path = strdup("/tmp/hp-unit-build.XXXXXX");
	int fd = mkstemp(path);

	CU_ASSERT_FATAL(fd >= 0);
	CU_ASSERT_FATAL(write(fd, text, strlen(text)) == (ssize_t)strlen(text));
	close(fd);
	return path;
}

static void test_kallsyms_dumps_know_which_object_defines_what(void)
{
	char *p = write_tmp("ffffffff81000000 T _stext\n"
			    "ffffffff81001000 t sethostname_helper\n"
			    "0000000000000000 A fixed_percpu_data\n"
			    "ffffffffc0000000 t bm_status_read\t[binfmt_misc]\n"
			    "ffffffffc0000100 d enabled [binfmt_misc]\n");
	struct hp_symset *s = NULL;
	struct hp_error err = { 0 };

	CU_ASSERT_EQUAL_FATAL(hp_kallsyms_load(p, &s, &err), 0);
	CU_ASSERT_TRUE(hp_symset_has(s, "vmlinux", "_stext"));
	CU_ASSERT_TRUE(hp_symset_has(s, "vmlinux", "sethostname_helper"));
	CU_ASSERT_TRUE(hp_symset_has(s, "binfmt_misc", "bm_status_read"));
	CU_ASSERT_FALSE(hp_symset_has(s, "vmlinux", "bm_status_read"));
	CU_ASSERT_FALSE(hp_symset_has(s, "binfmt_misc", "_stext"));
	CU_ASSERT_TRUE(hp_symset_has_object(s, "binfmt_misc"));
	CU_ASSERT_FALSE(hp_symset_has_object(s, "ext4"));
	hp_symset_free(s);
	unlink(p);
	free(p);
}

static void check_bad_kallsyms(const char *text, int code, const char *needle)
{
	char *p = write_tmp(text);
	struct hp_symset *s = NULL;
	struct hp_error err = { 0 };

	CU_ASSERT_EQUAL(hp_kallsyms_load(p, &s, &err), code);
	CU_ASSERT_PTR_NULL(s);
	if (!strstr(err.msg, needle))
		fprintf(stderr, "\nmessage '%s' lacks '%s'\n", err.msg, needle);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, needle));
	unlink(p);
	free(p);
}

static void test_bad_symbol_tables_are_refused(void)
{
	struct hp_symset *s = NULL;
	struct hp_error err = { 0 };

	check_bad_kallsyms("", -ENODATA, "is empty");
	check_bad_kallsyms("hello world\n", -EINVAL, "not a kallsyms or System.map line");
	check_bad_kallsyms("ffff TT x\n", -EINVAL, "not a kallsyms");
	check_bad_kallsyms("ffff t x binfmt_misc\n", -EINVAL, "is not '[name]'");
	CU_ASSERT_EQUAL(hp_kallsyms_load("/nonexistent/kallsyms", &s, &err), -ENOENT);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "cannot open the symbol table"));
}

static void test_kbuild_cmd_files_say_module_or_not(void)
{
	/* 6.3 and later write savedcmd_ */
	char *m = write_tmp("savedcmd_fs/binfmt_misc.o := gcc -Wp,-MMD -nostdinc -DMODULE "
			    "-DKBUILD_BASENAME='\"binfmt_misc\"' "
			    "-DKBUILD_MODNAME='\"binfmt_misc\"' -D__KBUILD_MODNAME=kmod_binfmt_misc "
			    "-c -o fs/binfmt_misc.o fs/binfmt_misc.c\n"
			    "source_fs/binfmt_misc.o := fs/binfmt_misc.c\n");
	char *v = write_tmp("cmd_kernel/sys.o := gcc -nostdinc -DKBUILD_MODNAME='\"sys\"' "
			    "-c -o kernel/sys.o kernel/sys.c\n");
	char *bad = write_tmp("deps_kernel/sys.o := \\\n");
	struct hp_kbuild_cmd kc;
	struct hp_error err = { 0 };

	CU_ASSERT_EQUAL(hp_kbuild_cmd_read(m, &kc, &err), 0);
	CU_ASSERT_TRUE(kc.module);
	CU_ASSERT_STRING_EQUAL(kc.modname, "binfmt_misc");
	hp_kbuild_cmd_free(&kc);
	CU_ASSERT_EQUAL(hp_kbuild_cmd_read(v, &kc, &err), 0);
	CU_ASSERT_FALSE(kc.module);
	CU_ASSERT_STRING_EQUAL(kc.modname, "sys");
	CU_ASSERT_STRING_EQUAL(kc.cmdline, "gcc -nostdinc -DKBUILD_MODNAME='\"sys\"' "
			       "-c -o kernel/sys.o kernel/sys.c");
	hp_kbuild_cmd_free(&kc);
	CU_ASSERT_EQUAL(hp_kbuild_cmd_read(bad, &kc, &err), -EINVAL);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "no 'cmd_"));
	unlink(m);
	unlink(v);
	unlink(bad);
	free(m);
	free(v);
	free(bad);
}

/* The functions of a compiled case, matched against a symbol table. */
static void test_an_object_matches_the_symbols_of_its_target(void)
{
	const char *obj = CASES_OUT "/002-body-change.orig.o";	/* foo */
	char *p = write_tmp("ffffffff81000000 T foo\n"
			    "ffffffffc0000000 t foo [mod]\n"
			    "ffffffffc0000010 t bar [mod]\n");
	struct hp_symset *s = NULL;
	struct hp_error err = { 0 };
	size_t matched, total;

	CU_ASSERT_EQUAL_FATAL(hp_kallsyms_load(p, &s, &err), 0);
	CU_ASSERT_EQUAL_FATAL(hp_symset_match(s, "mod", obj, &matched, &total, &err), 0);
	CU_ASSERT_TRUE(total >= 1);
	CU_ASSERT_TRUE(matched >= 1);
	CU_ASSERT_EQUAL(hp_symset_match(s, "other", obj, &matched, &total, &err), 0);
	CU_ASSERT_EQUAL(matched, 0);
	CU_ASSERT_EQUAL(hp_symset_match(s, "mod", "/nonexistent.o", &matched,
					&total, &err), -ENOENT);
	hp_symset_free(s);
	unlink(p);
	free(p);
}

static void test_spawned_commands_report_status_and_output(void)
{
	char *echo[] = { "sh", "-c", "echo out; echo err >&2; exit 3", NULL };
	char *missing[] = { "/nonexistent/tool", NULL };
	char *log = write_tmp("");
	char *out = NULL, *tail;
	struct hp_error err = { 0 };
	int st;

	CU_ASSERT_EQUAL(hp_spawn(echo, NULL, log, &out, &st, &err), 0);
	CU_ASSERT_EQUAL(st, 3);
	CU_ASSERT_STRING_EQUAL(out, "out\n");
	tail = hp_file_tail(log, 1);
	CU_ASSERT_STRING_EQUAL(tail, "err");
	free(tail);
	free(out);
	CU_ASSERT_EQUAL(hp_spawn(missing, NULL, log, NULL, &st, &err), 0);
	CU_ASSERT_EQUAL(st, 127);
	tail = hp_file_tail(log, 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(tail, "cannot run /nonexistent/tool"));
	free(tail);
	unlink(log);
	free(log);
}

/* A saved command, make's escapes undone, and whether it can run as is. */
static void test_kbuild_commands_are_reused_only_when_they_compile_alone(void)
{
	char *p = write_tmp("cmd_lib/x.o := gcc -DA='$$x' -DB=$(pound)1 -ffunction-sections "
			    "-fdata-sections -c -o lib/x.o lib/x.c   ; ./tools/objtool/objtool "
			    "--orc lib/x.o\n");
	struct hp_kbuild_cmd kc;
	struct hp_error err = { 0 };

	CU_ASSERT_EQUAL_FATAL(hp_kbuild_cmd_read(p, &kc, &err), 0);
	CU_ASSERT_STRING_EQUAL(kc.cmdline, "gcc -DA='$x' -DB=#1 -ffunction-sections "
			       "-fdata-sections -c -o lib/x.o lib/x.c   ; ./tools/objtool/objtool "
			       "--orc lib/x.o");
	/* objtool after the compile is kbuild's own (6.1: cmd_objtool) */
	CU_ASSERT_TRUE(hp_kbuild_cmd_reusable("gcc -O2 -ffunction-sections -fdata-sections "
					      "-c -o a/b.o a/b.c ; ./tools/objtool/objtool --orc a/b.o",
					      "a/b.o", "a/b.c"));
	CU_ASSERT_TRUE(hp_kbuild_cmd_reusable("gcc -ffunction-sections -fdata-sections -c -o a/b.o a/b.c",
					      "a/b.o", "a/b.c"));
	/* without the pipeline's flags: make builds it (once, recording them) */
	CU_ASSERT_FALSE(hp_kbuild_cmd_reusable("gcc -O2 -c -o a/b.o a/b.c", "a/b.o", "a/b.c"));
	/* another object, or more than compile + objtool: make */
	CU_ASSERT_FALSE(hp_kbuild_cmd_reusable("gcc -ffunction-sections -fdata-sections -c -o a/c.o a/c.c",
					       "a/b.o", "a/b.c"));
	CU_ASSERT_FALSE(hp_kbuild_cmd_reusable("gcc -ffunction-sections -fdata-sections -c -o a/b.o a/b.c"
					       " ; ld -r -o x a/b.o; mv x a/b.o", "a/b.o", "a/b.c"));
	CU_ASSERT_FALSE(hp_kbuild_cmd_reusable("gcc -ffunction-sections -fdata-sections -c -o a/b.o a/b.c"
					       " | tee log", "a/b.o", "a/b.c"));
	hp_kbuild_cmd_free(&kc);
	unlink(p);
	free(p);
}

/* What the query of a directory's Makefile.build printed. */
static void test_kbuild_lists_say_built_in_module_or_not(void)
{
	const char *out = "y fs/proc/version.o fs/proc/base.o\n"
			  "m fs/binfmt_misc.o fs/binfmt_misc.o\n"
			  "lib lib/sort.o\n"
			  "sub fs/proc fs/ext4\n";

	CU_ASSERT_EQUAL(hp_kbuild_lists(out, "fs/proc/version.o"), HP_KB_BUILTIN);
	CU_ASSERT_EQUAL(hp_kbuild_lists(out, "fs/binfmt_misc.o"), HP_KB_MODULE);
	CU_ASSERT_EQUAL(hp_kbuild_lists(out, "lib/sort.o"), HP_KB_BUILTIN);
	CU_ASSERT_EQUAL(hp_kbuild_lists(out, "fs/ext4"), HP_KB_BUILTIN);
	CU_ASSERT_EQUAL(hp_kbuild_lists(out, "fs/jfs"), HP_KB_NO);
	CU_ASSERT_EQUAL(hp_kbuild_lists(out, "fs/proc/version"), HP_KB_NO);
	CU_ASSERT_EQUAL(hp_kbuild_lists(out, "proc/version.o"), HP_KB_NO);
	CU_ASSERT_EQUAL(hp_kbuild_lists("y \nm \nlib \nsub \n", "fs/jfs/super.o"), HP_KB_NO);
	/* a composite's part named from another directory */
	CU_ASSERT_EQUAL(hp_kbuild_lists("m d/amdgpu/amdgpu_drv.o d/amdgpu/../display/dc/dc.o d/amdgpu/./x.o\n",
					"d/display/dc/dc.o"), HP_KB_MODULE);
	CU_ASSERT_EQUAL(hp_kbuild_lists("m d/amdgpu/./x.o\n", "d/amdgpu/x.o"), HP_KB_MODULE);
	CU_ASSERT_EQUAL(hp_kbuild_lists("m d/amdgpu/../display/dc/dc.o\n", "d/amdgpu/display/dc/dc.o"),
			HP_KB_NO);
}

static void test_several_commands_run_at_once(void)
{
	char *a[] = { "sh", "-c", "echo one", NULL };
	char *b[] = { "sh", "-c", "echo two >&2; exit 4", NULL };
	char *c[] = { "/nonexistent/tool", NULL };
	char **const argvs[] = { a, b, c };
	char *la = write_tmp(""), *lb = write_tmp(""), *lc = write_tmp("");
	char *const logs[] = { la, lb, lc };
	int status[3] = { -1, -1, -1 };
	struct hp_error err = { 0 };
	char *t;

	CU_ASSERT_EQUAL(hp_spawn_many(argvs, 3, 2, NULL, logs, status, &err), 0);
	CU_ASSERT_EQUAL(status[0], 0);
	CU_ASSERT_EQUAL(status[1], 4);
	CU_ASSERT_EQUAL(status[2], 127);
	t = hp_file_tail(la, 1);
	CU_ASSERT_STRING_EQUAL(t, "one");
	free(t);
	t = hp_file_tail(lb, 1);
	CU_ASSERT_STRING_EQUAL(t, "two");
	free(t);
	unlink(la);
	unlink(lb);
	unlink(lc);
	free(la);
	free(lb);
	free(lc);
}

static bool valid_utf8(const char *s)
{
	char *c = hp_utf8_clean(s);
	bool same = c && !strcmp(c, s);

	free(c);
	return same;
}

/* Messages are cut at 512 bytes: never inside a character (the JSON report
 * must stay valid), and compiler output that is not UTF-8 is cleaned. */
static void test_messages_stay_valid_utf8(void)
{
	struct hp_error err = { 0 };
	char text[1200], *c;
	struct json_object *o, *back;
	size_t i;

	/* "xy" then 2-byte characters: the 512th byte (the NUL's place) is
	 * the second byte of one */
	text[0] = 'x';
	text[1] = 'y';
	for (i = 2; i + 2 < sizeof(text); i += 2)
		memcpy(text + i, "\xc3\xa9", 2);	/* é */
	text[i] = '\0';
	hp_error_set(&err, -EIO, "%s", text);
	CU_ASSERT_TRUE(strlen(err.msg) <= sizeof(err.msg) - 1);
	CU_ASSERT_TRUE(strlen(err.msg) >= sizeof(err.msg) - 4);
	CU_ASSERT_TRUE(valid_utf8(err.msg));
	/* 3- and 4-byte ones, at every offset */
	for (i = 0; i < 4; i++) {
		struct hp_error e = { 0 };
		char t[700];
		size_t k;

		memset(t, 'a', i);
		for (k = i; k + 4 < sizeof(t); k += 4)
			memcpy(t + k, k % 8 ? "\xe2\x80\x98" "b" : "\xf0\x9f\x98\x80", 4);
		t[k] = '\0';
		hp_error_set(&e, -EIO, "%s", t);
		CU_ASSERT_TRUE(valid_utf8(e.msg));
		CU_ASSERT_TRUE(strlen(e.msg) >= sizeof(e.msg) - 4);
	}
	CU_ASSERT_EQUAL(hp_utf8_cut("abc", 10), 3);
	CU_ASSERT_EQUAL(hp_utf8_cut("ab\xc3\xa9", 3), 2);
	CU_ASSERT_EQUAL(hp_utf8_cut("ab\xc3\xa9", 4), 4);
	CU_ASSERT_EQUAL(hp_utf8_cut("a\xe2\x80\x98", 3), 1);

	/* invalid bytes, a cut sequence, an overlong form: U+FFFD each */
	c = hp_utf8_clean("ok \xff\xfe \xe2\x80 \xc0\xaf \xe2\x80\x98q\xe2\x80\x99");
	CU_ASSERT_STRING_EQUAL(c, "ok \xef\xbf\xbd\xef\xbf\xbd \xef\xbf\xbd\xef\xbf\xbd "
			       "\xef\xbf\xbd\xef\xbf\xbd \xe2\x80\x98q\xe2\x80\x99");
	free(c);

	/* a report with compiler bytes in it prints as JSON that parses */
	o = json_object_new_object();
	json_object_object_add(o, "reason", json_object_new_string("error: \xe2\x80 cut"));
	json_object_object_add(o, "list", json_object_new_array());
	json_object_array_add(json_object_object_get(o, "list"),
			      json_object_new_string("\xff"));
	hp_json_utf8_clean(o);
	back = json_tokener_parse(json_object_to_json_string(o));
	CU_ASSERT_PTR_NOT_NULL(back);
	CU_ASSERT_TRUE(valid_utf8(json_object_to_json_string(o)));
	CU_ASSERT_STRING_EQUAL(json_object_get_string(json_object_object_get(o, "reason")),
			       "error: \xef\xbf\xbd\xef\xbf\xbd cut");
	json_object_put(back);
	json_object_put(o);
}

/* Write TEXT to DIR/REL, its directories made. */
static void put(const char *dir, const char *rel, const char *text)
{
	char *p = hp_asprintf("%s/%s", dir, rel), *d = p ? strdup(p) : NULL;
	FILE *f;

	CU_ASSERT_PTR_NOT_NULL_FATAL(d);
	*strrchr(d, '/') = '\0';
	CU_ASSERT_EQUAL_FATAL(hp_mkdir_p(d, NULL), 0);
	f = fopen(p, "w");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	fputs(text, f);
	fclose(f);
	free(p);
	free(d);
}

static char *includers(const char *root, const char *file)
{
	struct hp_error err = { 0 };
	char **out = NULL, *s = strdup("");
	size_t n = 0, i;

	CU_ASSERT_EQUAL(hp_includers(root, &file, 1, &out, &n, &err), 0);
	for (i = 0; i < n; i++) {
		char *t = hp_asprintf("%s%s%s", s, i ? " " : "", out[i]);

		free(s);
		s = t;
		free(out[i]);
	}
	free(out);
	return s;
}

/* The include graph: quoted (next to the file, then the include path),
 * angle (the include path), through other headers, cycles, .c in .c. */
static void test_the_include_graph_finds_every_includer(void)
{
	char dir[] = "/tmp/hp-incl.XXXXXX";
	char *s;

	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
	put(dir, "include/linux/a.h", "#include <linux/b.h>\nstatic inline int a(void) { return 1; }\n");
	put(dir, "include/linux/b.h", "# include \"a.h\"\n");	/* a cycle */
	put(dir, "include/linux/c.h", "int c;\n");
	put(dir, "arch/x86/include/asm/d.h", "#include <linux/a.h>\n");
	put(dir, "arch/arm/include/asm/d.h", "#include <linux/c.h>\n");
	put(dir, "arch/arm/kernel/e.c", "#include <linux/c.h>\n");
	put(dir, "fs/x/local.h", "#include \"../../include/linux/c.h\"\n");
	put(dir, "fs/x/one.c", "#include <asm/d.h>\n");
	put(dir, "fs/x/two.c", "#include \"local.h\"\n#include \"one.c\"\n");
	put(dir, "fs/x/three.c", "/* #include <linux/a.h> */\n#include \"linux/b.h\"\n");
	put(dir, "fs/x/four.c", "#include <linux/none.h>\n#include \"a.h\"\n");
	put(dir, "tools/t.c", "#include <linux/a.h>\n");

	/* through asm/d.h, one.c in two.c; b.h by the include path; four.c's
	 * "a.h" is not next to it nor on the path as is */
	s = includers(dir, "include/linux/a.h");
	CU_ASSERT_STRING_EQUAL(s, "fs/x/one.c fs/x/three.c fs/x/two.c");
	free(s);
	/* the cycle ends; the same files */
	s = includers(dir, "include/linux/b.h");
	CU_ASSERT_STRING_EQUAL(s, "fs/x/one.c fs/x/three.c fs/x/two.c");
	free(s);
	/* "../" folded; arch/arm is not an x86 build's */
	s = includers(dir, "include/linux/c.h");
	CU_ASSERT_STRING_EQUAL(s, "fs/x/two.c");
	free(s);
	s = includers(dir, "fs/x/one.c");
	CU_ASSERT_STRING_EQUAL(s, "fs/x/two.c");
	free(s);
	s = includers(dir, "fs/x/four.c");
	CU_ASSERT_STRING_EQUAL(s, "");
	free(s);
	s = includers(dir, "no/such.h");
	CU_ASSERT_STRING_EQUAL(s, "");
	free(s);
	CU_ASSERT_EQUAL(hp_rm_rf(dir, NULL), 0);
}

/* How many .c files hp_includers() finds for REL. */
static size_t count_includers(const char *root, const char *rel)
{
	struct hp_error err = { 0 };
	char **out = NULL;
	size_t n = 0, i;

	CU_ASSERT_EQUAL(hp_includers(root, &rel, 1, &out, &n, &err), 0);
	for (i = 0; i < n; i++)
		free(out[i]);
	free(out);
	return n;
}

/*
 * The bounds of a header change: at most 64 built includers are rebuilt
 * and kbuild is asked about at most 512 including files. A tree where
 * include/linux/edge.h has exactly 512 includers and over.h (included by
 * edge.h's includers and one more file) 513: the graph counts them, and
 * the bounds say rebuild / refused at exactly those counts.
 */
static void test_header_change_bounds(void)
{
	char dir[] = "/tmp/hp-bounds.XXXXXX";
	size_t i;

	CU_ASSERT_EQUAL(HP_MAX_DEPENDENTS, 64);
	CU_ASSERT_EQUAL(HP_MAX_INCLUDERS, 512);
	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
	put(dir, "include/linux/edge.h", "#include <linux/over.h>\n");
	put(dir, "include/linux/over.h", "static inline int over(void) { return 1; }\n");
	for (i = 0; i < HP_MAX_INCLUDERS; i++) {
		char rel[64];

		snprintf(rel, sizeof(rel), "fs/f%03zu.c", i);
		put(dir, rel, "#include <linux/edge.h>\n");
	}
	put(dir, "mm/one-more.c", "#include <linux/over.h>\n");
	CU_ASSERT_EQUAL(count_includers(dir, "include/linux/edge.h"), 512);
	CU_ASSERT_EQUAL(count_includers(dir, "include/linux/over.h"), 513);
	CU_ASSERT_EQUAL(hp_dependents_bound(count_includers(dir, "include/linux/edge.h"), 0),
			HP_DEP_OK);
	CU_ASSERT_EQUAL(hp_dependents_bound(count_includers(dir, "include/linux/over.h"), 0),
			HP_DEP_INCLUDERS);
	/* the built ones, once kbuild said which */
	CU_ASSERT_EQUAL(hp_dependents_bound(512, 64), HP_DEP_OK);
	CU_ASSERT_EQUAL(hp_dependents_bound(512, 65), HP_DEP_BUILT);
	CU_ASSERT_EQUAL(hp_dependents_bound(65, 65), HP_DEP_BUILT);
	CU_ASSERT_EQUAL(hp_dependents_bound(513, 1), HP_DEP_INCLUDERS);
	CU_ASSERT_EQUAL(hp_dependents_bound(0, 0), HP_DEP_OK);
	CU_ASSERT_EQUAL(hp_rm_rf(dir, NULL), 0);
}

static void test_module_names_come_from_the_first_diff(void)
{
	const char *cases[][2] = {
		{ "fix.patch", "hp_fix" },
		{ "/tmp/x/0001-Fix-Foo--bar.patch", "hp_0001_fix_foo_bar" },
		{ "a.b-c.diff", "hp_a_b_c" },
		{ "CVE-2024-1234", "hp_cve_2024_1234" },
		{ "---.patch", "hp_x" },
		{ "dir/", "hp_x" },
	};
	char *n;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		n = hp_build_default_name(cases[i][0]);
		if (strcmp(n, cases[i][1]))
			fprintf(stderr, "\n'%s' -> '%s', not '%s'\n", cases[i][0], n,
				cases[i][1]);
		CU_ASSERT_STRING_EQUAL(n, cases[i][1]);
		free(n);
	}
	n = hp_build_default_name("a-very-long-name-that-goes-on-and-on-and-on-and-on-for-ever-and-ever.patch");
	CU_ASSERT_TRUE(strlen(n) <= 55);
	CU_ASSERT_EQUAL(strspn(n, "abcdefghijklmnopqrstuvwxyz0123456789_"), strlen(n));
	free(n);
}

int register_build_tests(void)
{
	CU_pSuite s = CU_add_suite("build", NULL, NULL);

	if (!s ||
	    !CU_add_test(s, "a diff names its files and their kinds",
			 test_a_diff_names_its_files_and_their_kinds) ||
	    !CU_add_test(s, "malformed diffs are refused with a reason",
			 test_malformed_diffs_are_refused_with_a_reason) ||
	    !CU_add_test(s, "kallsyms dumps know which object defines what",
			 test_kallsyms_dumps_know_which_object_defines_what) ||
	    !CU_add_test(s, "bad symbol tables are refused",
			 test_bad_symbol_tables_are_refused) ||
	    !CU_add_test(s, "kbuild .cmd files say module or not",
			 test_kbuild_cmd_files_say_module_or_not) ||
	    !CU_add_test(s, "an object matches the symbols of its target",
			 test_an_object_matches_the_symbols_of_its_target) ||
	    !CU_add_test(s, "spawned commands report status and output",
			 test_spawned_commands_report_status_and_output) ||
	    !CU_add_test(s, "kbuild commands are reused only when they compile alone",
			 test_kbuild_commands_are_reused_only_when_they_compile_alone) ||
	    !CU_add_test(s, "kbuild lists say built in, module or not",
			 test_kbuild_lists_say_built_in_module_or_not) ||
	    !CU_add_test(s, "several commands run at once",
			 test_several_commands_run_at_once) ||
	    !CU_add_test(s, "messages stay valid UTF-8",
			 test_messages_stay_valid_utf8) ||
	    !CU_add_test(s, "module names come from the first diff",
			 test_module_names_come_from_the_first_diff) ||
	    !CU_add_test(s, "a header change: at most 64 built, 512 including files",
			 test_header_change_bounds) ||
	    !CU_add_test(s, "the include graph finds every includer",
			 test_the_include_graph_finds_every_includer))
		return -1;
	return 0;
}
