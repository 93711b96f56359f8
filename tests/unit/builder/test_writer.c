// SPDX-License-Identifier: GPL-2.0
/*
 * writer.c: the patch object holds only what was included, special sections
 * hold only the kept entries, and the result is a valid object (read back
 * with our own loader, and linked with ld -r).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "internal.h"
#include "testlib.h"

#define WRITTEN CASES_OUT "/../written"

/* Diff a case (as part of TARGET) and write its patch object; returns the path. */
static char *write_case_for(const char *c, const char *target, int *ret)
{
	char orig[1024], patched[1024], *out = NULL;
	struct hp_diff_opts opts = { .target = target };
	struct hp_error err = { 0 };
	struct hp_diff *d;

	snprintf(orig, sizeof(orig), "%s/%s.orig.o", CASES_OUT, c);
	snprintf(patched, sizeof(patched), "%s/%s.patched.o", CASES_OUT, c);
	mkdir(WRITTEN, 0755);
	if (asprintf(&out, "%s/%s.o", WRITTEN, c) < 0)
		return NULL;
	CU_ASSERT_EQUAL_FATAL(hp_diff_new(target ? &opts : NULL, &d, &err), 0);
	CU_ASSERT_EQUAL_FATAL(hp_diff_load(d, orig, patched, &err), 0);
	CU_ASSERT_EQUAL_FATAL(hp_diff_run(d, &err), 0);
	*ret = hp_diff_write(d, out, &err);
	if (*ret && *ret != -ENOEXEC && *ret != -ENODATA)
		fprintf(stderr, "\n    %s: %s", c, err.msg);
	hp_diff_free(d);
	return out;
}

static char *write_case(const char *c, int *ret)
{
	return write_case_for(c, NULL, ret);
}

static struct hp_elf *load_written_for(const char *c, const char *target)
{
	struct hp_error err = { 0 };
	struct hp_elf *e = NULL;
	char cmd[2048];
	int ret;
	char *path = write_case_for(c, target, &ret);

	CU_ASSERT_EQUAL_FATAL(ret, 0);
	CU_ASSERT_EQUAL(hp_elf_open(path, &e, &err), 0);
	if (err.code)
		fprintf(stderr, "\n    reading back %s: %s", path, err.msg);
	snprintf(cmd, sizeof(cmd), "ld -r -o /dev/null '%s'", path);
	CU_ASSERT_EQUAL(system(cmd), 0);
	free(path);
	CU_ASSERT_PTR_NOT_NULL_FATAL(e);
	return e;
}

static struct hp_elf *load_written(const char *c)
{
	return load_written_for(c, NULL);
}

static size_t relas_of(struct hp_elf *e, const char *name)
{
	struct hp_section *s = hp_elf_find_section(e, name);

	return s && s->rela ? s->rela->nr_relas : 0;
}

/* No symbol of the object is an undefined compiler label (.LC0). */
static void assert_no_label_external(struct hp_elf *e)
{
	struct hp_symbol *s;

	hp_for_each_symbol(e, s) {
		bool bad = !s->sec && s->name[0] == '.' && s->name[1] == 'L';

		CU_ASSERT_FALSE(bad);
		if (bad)
			fprintf(stderr, "\n    %s is an external", s->name);
	}
}

static void test_only_included_functions_are_written(void)
{
	struct hp_elf *e = load_written("034-bug-table-filter");
	struct hp_symbol *foo = hp_elf_find_symbol(e, "foo");

	CU_ASSERT_PTR_NOT_NULL_FATAL(foo);
	CU_ASSERT_PTR_NOT_NULL(foo->sec);
	CU_ASSERT_PTR_NULL(hp_elf_find_section(e, ".text.bar"));
	CU_ASSERT_PTR_NOT_NULL(hp_elf_find_section(e, ".text.foo"));
	hp_elf_free(e);
}

static void test_special_sections_keep_only_kept_entries(void)
{
	struct hp_elf *e = load_written("034-bug-table-filter");
	struct hp_section *bt = hp_elf_find_section(e, "__bug_table");

	CU_ASSERT_PTR_NOT_NULL_FATAL(bt);
	CU_ASSERT_EQUAL(bt->size, 12);
	CU_ASSERT_EQUAL(relas_of(e, "__bug_table"), 2);	/* code + file */
	CU_ASSERT_EQUAL(hp_elf_find_section(e, "__mcount_loc")->size, 8);
	assert_no_label_external(e);
	hp_elf_free(e);

	e = load_written("040-orc-unwind");
	CU_ASSERT_EQUAL(hp_elf_find_section(e, ".orc_unwind_ip")->size, 4);
	CU_ASSERT_PTR_NOT_NULL_FATAL(hp_elf_find_section(e, ".orc_unwind"));
	CU_ASSERT_EQUAL(hp_elf_find_section(e, ".orc_unwind")->size, 6);
	hp_elf_free(e);

	e = load_written("031-jump-label-vmlinux");
	CU_ASSERT_EQUAL(hp_elf_find_section(e, "__jump_table")->size, 16);
	CU_ASSERT_EQUAL(relas_of(e, "__jump_table"), 3);
	hp_elf_free(e);
}

static void test_pulled_sections_come_along(void)
{
	struct hp_elf *e = load_written("036-ex-table-fixup");

	CU_ASSERT_PTR_NOT_NULL(hp_elf_find_section(e, ".fixup"));
	CU_ASSERT_EQUAL(hp_elf_find_section(e, "__ex_table")->size, 12);
	hp_elf_free(e);
	e = load_written("037-altinstructions");
	CU_ASSERT_PTR_NOT_NULL(hp_elf_find_section(e, ".altinstr_replacement"));
	hp_elf_free(e);
}

static void test_new_data_is_defined_and_old_data_referenced(void)
{
	struct hp_elf *e = load_written("018-new-global-data");
	struct hp_symbol *s = hp_elf_find_symbol(e, "newcount");

	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	CU_ASSERT_PTR_NOT_NULL(s->sec);
	hp_elf_free(e);

	/* an unchanged static local stays in the kernel: an undefined reference */
	e = load_written("012-static-locals-correlate");
	s = hp_elf_find_symbol(e, "calls.0");
	if (!s)
		s = hp_elf_find_symbol(e, "calls.1");
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	CU_ASSERT_PTR_NULL(s->sec);
	hp_elf_free(e);
}

static void test_cold_children_travel_with_their_parent(void)
{
	struct hp_elf *e = load_written("022-cold-child-changed");
	struct hp_symbol *cold = hp_elf_find_symbol(e, "foo.cold");

	CU_ASSERT_PTR_NOT_NULL_FATAL(cold);
	CU_ASSERT_PTR_NOT_NULL(cold->sec);
	hp_elf_free(e);
}

static void test_shared_sections_carry_only_included_objects(void)
{
	struct hp_elf *e = load_written("066-pr-debug-format-changed");
	struct hp_section *dd = hp_elf_find_section(e, "__dyndbg");

	/* two descriptors in the object, one for the changed function */
	CU_ASSERT_PTR_NOT_NULL_FATAL(dd);
	CU_ASSERT_EQUAL(dd->size, 40);
	CU_ASSERT_EQUAL(relas_of(e, "__dyndbg"), 4);
	hp_elf_free(e);

	e = load_written("044-data-once-included");
	CU_ASSERT_PTR_NOT_NULL_FATAL(hp_elf_find_section(e, ".data.once"));
	CU_ASSERT_EQUAL(hp_elf_find_section(e, ".data.once")->size, 1);
	hp_elf_free(e);
}

/* The relocation at 'off' of 'sec' names a place of the object itself. */
static const unsigned char *reloc_place(struct hp_elf *e, const char *sec, uint64_t off,
					uint64_t *at)
{
	const struct hp_rela *r = hp_section_rela_at(hp_elf_find_section(e, sec), off);

	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	CU_ASSERT_PTR_NOT_NULL_FATAL(r->sym->sec);
	CU_ASSERT_FATAL(r->addend >= 0);
	*at = r->sym->sym.st_value + (uint64_t)r->addend;
	CU_ASSERT_FATAL(*at < r->sym->sec->size);
	return r->sym->sec->data ? r->sym->sec->data + *at : NULL;
}

/*
 * A WARN_ON in a changed function: the bug entry's file name (.LC0 in a
 * .rodata.<fn>.str1.1, here foo's while bar changed; or a new one, in a
 * module) is carried and named by a symbol of the patch.
 */
static void test_bug_entry_file_name_is_carried(void)
{
	static const struct {
		const char *c, *target;
	} cases[] = {
		{ "071-warn-label-other-function", NULL },
		{ "072-warn-added-module", "mymod" },
	};
	size_t i;

	for (i = 0; i < HP_ARRAY_SIZE(cases); i++) {
		struct hp_elf *e = load_written_for(cases[i].c, cases[i].target);
		struct hp_section *bt = hp_elf_find_section(e, "__bug_table");
		const struct hp_rela *r;
		const unsigned char *file;
		uint64_t at;

		CU_ASSERT_PTR_NOT_NULL_FATAL(bt);
		CU_ASSERT_EQUAL(bt->size, 12);
		CU_ASSERT_EQUAL(relas_of(e, "__bug_table"), 2);
		r = hp_section_rela_at(bt, 4);
		CU_ASSERT_PTR_NOT_NULL_FATAL(r);
		CU_ASSERT_PTR_NOT_NULL_FATAL(r->sym->sec);
		CU_ASSERT_TRUE(hp_section_is_string(r->sym->sec));
		file = reloc_place(e, "__bug_table", 4, &at);
		CU_ASSERT_PTR_NOT_NULL_FATAL(file);
		CU_ASSERT_STRING_EQUAL((const char *)file, "case.c");
		assert_no_label_external(e);
		hp_elf_free(e);
	}
}

/*
 * A pr_debug in a changed function (jump-label build): its descriptor is
 * carried, its pointers name carried strings, and the jump label's key is
 * the descriptor's key in the patch.
 */
static void test_pr_debug_descriptor_is_carried(void)
{
	static const struct {
		const char *c, *target;
	} cases[] = {
		{ "073-pr-debug-jump-label-module", "mymod" },
		{ "074-pr-debug-jump-label-vmlinux", NULL },
	};
	static const char *const want[] = { "case", "foo", "case.c", "foo %d\n" };
	size_t i, k;

	for (i = 0; i < HP_ARRAY_SIZE(cases); i++) {
		struct hp_elf *e = load_written_for(cases[i].c, cases[i].target);
		struct hp_section *dd = hp_elf_find_section(e, "__dyndbg");
		struct hp_symbol *desc = NULL, *s;
		const struct hp_rela *kr;
		uint64_t at;

		CU_ASSERT_PTR_NOT_NULL_FATAL(dd);
		hp_for_each_symbol(e, s)
			if (s->sec == dd && hp_symbol_is_object(s))
				desc = s;
		CU_ASSERT_PTR_NOT_NULL_FATAL(desc);
		CU_ASSERT_EQUAL(dd->size, desc->sym.st_size);
		CU_ASSERT_EQUAL(relas_of(e, "__dyndbg"), 4);
		for (k = 0; k < 4; k++) {
			const unsigned char *p = reloc_place(e, "__dyndbg",
							     desc->sym.st_value + 8 * k, &at);

			CU_ASSERT_PTR_NOT_NULL_FATAL(p);
			CU_ASSERT_STRING_EQUAL((const char *)p, want[k]);
		}
		CU_ASSERT_EQUAL(hp_elf_find_section(e, "__jump_table")->size, 16);
		kr = hp_section_rela_at(hp_elf_find_section(e, "__jump_table"), 8);
		CU_ASSERT_PTR_NOT_NULL_FATAL(kr);
		CU_ASSERT_PTR_EQUAL(kr->sym->sec, dd);
		/* struct _ddebug_jl: 4 pointers, the bit fields, then the key */
		CU_ASSERT_EQUAL(kr->sym->sym.st_value + (uint64_t)kr->addend,
				desc->sym.st_value + 36);
		assert_no_label_external(e);
		hp_elf_free(e);
	}
}

static void test_shared_code_sections_go_out_whole(void)
{
	struct hp_elf *e = load_written("067-shared-section-shift");
	struct hp_symbol *grows = hp_elf_find_symbol(e, "grows");
	struct hp_section *st = hp_elf_find_section(e, ".sched.text");

	/* reloc-less calls between its functions must keep their targets */
	CU_ASSERT_PTR_NOT_NULL_FATAL(st);
	CU_ASSERT_PTR_NOT_NULL_FATAL(grows);
	CU_ASSERT_PTR_EQUAL(grows->sec, st);
	CU_ASSERT_TRUE(st->size > grows->sym.st_size);
	CU_ASSERT_PTR_NULL(hp_elf_find_symbol(e, "caller"));
	hp_elf_free(e);
}

static void test_refused_or_empty_diffs_write_nothing(void)
{
	int ret;
	char *p = write_case("014-global-data-init-changed", &ret);
	struct stat st;

	CU_ASSERT_EQUAL(ret, -ENOEXEC);
	CU_ASSERT_NOT_EQUAL(stat(p, &st), 0);
	free(p);
	p = write_case("001-identical", &ret);
	CU_ASSERT_EQUAL(ret, -ENODATA);
	free(p);
}

static void test_the_written_object_diffs_clean_against_itself(void)
{
	int ret;
	char *p = write_case("013-static-locals-renumbered", &ret);
	struct hp_error err = { 0 };
	struct hp_diff *d;

	CU_ASSERT_EQUAL_FATAL(ret, 0);
	CU_ASSERT_EQUAL_FATAL(hp_diff_new(NULL, &d, &err), 0);
	CU_ASSERT_EQUAL_FATAL(hp_diff_load(d, p, p, &err), 0);
	CU_ASSERT_EQUAL_FATAL(hp_diff_run(d, &err), 0);
	CU_ASSERT_TRUE(hp_verdict_empty(hp_diff_verdict(d)));
	CU_ASSERT_TRUE(hp_verdict_eligible(hp_diff_verdict(d)));
	hp_diff_free(d);
	free(p);
}

int register_writer_tests(void)
{
	CU_pSuite s = CU_add_suite("patch object writer", NULL, NULL);

	if (!s ||
	    !CU_add_test(s, "only included functions are written",
			 test_only_included_functions_are_written) ||
	    !CU_add_test(s, "special sections keep only the kept entries",
			 test_special_sections_keep_only_kept_entries) ||
	    !CU_add_test(s, "sections the entries point into come along",
			 test_pulled_sections_come_along) ||
	    !CU_add_test(s, "new data is defined, existing data referenced",
			 test_new_data_is_defined_and_old_data_referenced) ||
	    !CU_add_test(s, ".cold children travel with their parent",
			 test_cold_children_travel_with_their_parent) ||
	    !CU_add_test(s, "shared sections carry only the included objects",
			 test_shared_sections_carry_only_included_objects) ||
	    !CU_add_test(s, "a bug entry's file name is carried",
			 test_bug_entry_file_name_is_carried) ||
	    !CU_add_test(s, "a pr_debug descriptor and its key are carried",
			 test_pr_debug_descriptor_is_carried) ||
	    !CU_add_test(s, "shared code sections go out whole",
			 test_shared_code_sections_go_out_whole) ||
	    !CU_add_test(s, "refused or empty diffs write nothing",
			 test_refused_or_empty_diffs_write_nothing) ||
	    !CU_add_test(s, "the written object diffs clean against itself",
			 test_the_written_object_diffs_clean_against_itself))
		return -1;
	return 0;
}
