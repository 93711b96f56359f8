// SPDX-License-Identifier: GPL-2.0
/*
 * tools/cli/kmod.c: only what needs no kernel. Inserting and removing
 * modules is left to the VM scenarios; here the module name is read from
 * small objects compiled at test time (no binary fixtures).
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "testlib.h"

static char dir[PATH_MAX];

/* Compile source into dir/file (an ELF relocatable, like a .ko). */
static bool compile(const char *source, const char *file)
{
	char src[PATH_MAX + 16], cmd[3 * PATH_MAX];
	FILE *f;

	snprintf(src, sizeof(src), "%s/m.c", dir);
	f = fopen(src, "w");
	if (!f)
		return false;
	fputs(source, f);
	fclose(f);
	snprintf(cmd, sizeof(cmd), "%s -c -o '%s/%s' '%s' 2>/dev/null",
		 getenv("CC") ? getenv("CC") : "cc", dir, file, src);
	return system(cmd) == 0;
}

static int module_name(const char *file, char *buf, size_t size)
{
	struct cli cli = { .err = stderr, .mod = &cli_kmod_ops };
	char path[2 * PATH_MAX];
	int ret;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	ret = cli_kmod_ops.name(&cli, path, buf, size);
	cli_kmod_ops.cleanup(&cli);
	return ret;
}

static void test_the_module_name_comes_from_modinfo_not_the_file_name(void)
{
	char name[64];

	CU_ASSERT_FATAL(compile(
		"__attribute__((section(\".modinfo\"), used))\n"
		"static const char n[] = \"name=fix_real\";\n"
		"__attribute__((section(\".modinfo\"), used))\n"
		"static const char l[] = \"license=GPL\";\n",
		"renamed-file.ko"));
	CU_ASSERT_EQUAL(module_name("renamed-file.ko", name, sizeof(name)), 0);
	CU_ASSERT_STRING_EQUAL(name, "fix_real");
}

static void test_without_a_modinfo_name_the_file_name_is_used(void)
{
	char name[64];

	CU_ASSERT_FATAL(compile(
		"__attribute__((section(\".modinfo\"), used))\n"
		"static const char l[] = \"license=GPL\";\n",
		"fix-by-file.ko"));
	CU_ASSERT_EQUAL(module_name("fix-by-file.ko", name, sizeof(name)), 0);
	CU_ASSERT_STRING_EQUAL(name, "fix_by_file");
}

static void test_a_missing_module_file_has_no_name(void)
{
	char name[64];

	CU_ASSERT_EQUAL(module_name("absent.ko", name, sizeof(name)), -ENOENT);
}

static int setup(void)
{
	const char *tmp = getenv("TMPDIR");

	snprintf(dir, sizeof(dir), "%s/hotpatch-kmod.XXXXXX",
		 tmp && tmp[0] ? tmp : "/tmp");
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void)
{
	char cmd[PATH_MAX + 16];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

void suite_kmod(void)
{
	CU_pSuite s = test_suite("kmod", setup, teardown);

	ADD_TEST(s, test_the_module_name_comes_from_modinfo_not_the_file_name);
	ADD_TEST(s, test_without_a_modinfo_name_the_file_name_is_used);
	ADD_TEST(s, test_a_missing_module_file_has_no_name);
}
