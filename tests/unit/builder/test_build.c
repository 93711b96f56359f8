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
	CU_ASSERT_EQUAL(hp_kbuild_cmd_read(v, &kc, &err), 0);
	CU_ASSERT_FALSE(kc.module);
	CU_ASSERT_STRING_EQUAL(kc.modname, "sys");
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
			 test_spawned_commands_report_status_and_output))
		return -1;
	return 0;
}
