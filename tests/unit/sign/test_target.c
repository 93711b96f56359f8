// SPDX-License-Identifier: GPL-2.0
/* tools/sign/target.c: build-ids and the target's symbols */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "testlib.h"

static void test_hex_build_ids_are_parsed_strictly(void)
{
	uint8_t id[HOTPATCH_BUILD_ID_MAX];
	size_t len;

	CU_ASSERT_EQUAL(hp_build_id_parse("00aBff\n", id, &len), 0);
	CU_ASSERT_EQUAL(len, 3);
	CU_ASSERT_EQUAL(id[1], 0xab);
	CU_ASSERT_EQUAL(hp_build_id_parse("", id, &len), -EINVAL);
	CU_ASSERT_EQUAL(hp_build_id_parse("abc", id, &len), -EINVAL);
	CU_ASSERT_EQUAL(hp_build_id_parse("zz", id, &len), -EINVAL);
	CU_ASSERT_EQUAL(hp_build_id_parse(
		"00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff00",
		id, &len), -EINVAL);
}

static void test_a_build_id_is_read_from_an_elf_file(void)
{
	uint8_t id[HOTPATCH_BUILD_ID_MAX];
	struct hp_msg m = { "" };
	size_t len;

	CU_ASSERT_EQUAL_FATAL(hp_build_id_read(BUILDID_SO, id, &len, &m), 0);
	CU_ASSERT_EQUAL(len, 20);
	CU_ASSERT_EQUAL(id[0], 0x00);
	CU_ASSERT_EQUAL(id[1], 0x11);
	CU_ASSERT_EQUAL(id[19], 0x67);
	CU_ASSERT_EQUAL(hp_build_id_read(TESTMOD, id, &len, &m), -ENOENT);
}

static void test_a_build_id_is_read_from_a_notes_file(void)
{
	/* /sys/kernel/notes: an Xen note, then the GNU build-id */
	static const uint8_t notes[] = {
		4, 0, 0, 0, 4, 0, 0, 0, 6, 0, 0, 0, 'X', 'e', 'n', 0, 1, 2, 3, 4,
		4, 0, 0, 0, 3, 0, 0, 0, 3, 0, 0, 0, 'G', 'N', 'U', 0, 0xca, 0xfe, 0x01, 0,
	};
	const char *dir = test_tmpdir("notes");
	uint8_t id[HOTPATCH_BUILD_ID_MAX];
	struct hp_msg m = { "" };
	char path[4400];
	size_t len;

	snprintf(path, sizeof(path), "%s/notes", dir);
	test_write(path, notes, sizeof(notes));
	CU_ASSERT_EQUAL_FATAL(hp_build_id_read(path, id, &len, &m), 0);
	CU_ASSERT_EQUAL(len, 3);
	CU_ASSERT_EQUAL(id[0], 0xca);
	/* a note that claims more than the file has */
	test_write(path, notes, sizeof(notes) - 2);
	CU_ASSERT_EQUAL(hp_build_id_read(path, id, &len, &m), -ENOENT);
}

static void test_system_map_lookups_follow_livepatch_sympos(void)
{
	static const char map[] =
		"ffffffff81000000 T _stext\n"
		"ffffffff81001000 t show_val_kb\n"
		"ffffffff81001100 T cmdline_proc_show\n"
		"ffffffff81001140 t show_val_kb\n"
		"ffffffff81001200 T meminfo_proc_show\n"
		"ffffffff81001200 T meminfo_alias\n"
		"ffffffff81002000 T _etext\n";
	const char *dir = test_tmpdir("sysmap");
	struct hp_symtab *t;
	struct hp_msg m = { "" };
	uint64_t addr, size;
	char path[4400];
	bool exact;

	snprintf(path, sizeof(path), "%s/System.map", dir);
	test_write(path, map, sizeof(map) - 1);
	CU_ASSERT_EQUAL_FATAL(hp_symtab_read_system_map(path, &t, &m), 0);
	CU_ASSERT_EQUAL(hp_symtab_lookup(t, NULL, "cmdline_proc_show", 0, &addr, &size,
					 &exact), 0);
	CU_ASSERT_EQUAL(addr, 0xffffffff81001100ULL);
	CU_ASSERT_EQUAL(size, 0x40);	/* bound: gap to the next symbol */
	CU_ASSERT_FALSE(exact);
	CU_ASSERT_EQUAL(hp_symtab_lookup(t, NULL, "show_val_kb", 0, &addr, &size,
					 &exact), -ENOTUNIQ);
	CU_ASSERT_EQUAL(hp_symtab_lookup(t, NULL, "show_val_kb", 2, &addr, &size,
					 &exact), 0);
	CU_ASSERT_EQUAL(addr, 0xffffffff81001140ULL);
	CU_ASSERT_EQUAL(hp_symtab_lookup(t, NULL, "show_val_kb", 3, &addr, &size,
					 &exact), -ERANGE);
	CU_ASSERT_EQUAL(hp_symtab_lookup(t, NULL, "nosuch", 0, &addr, &size, &exact),
			-ENOENT);
	/* aliases share an address: the bound is to the next higher one */
	CU_ASSERT_EQUAL(hp_symtab_lookup(t, NULL, "meminfo_proc_show", 0, &addr, &size,
					 &exact), 0);
	CU_ASSERT_EQUAL(size, 0xe00);
	hp_symtab_free(t);

	test_write(path, "garbage\n", 8);
	CU_ASSERT_EQUAL(hp_symtab_read_system_map(path, &t, &m), -EINVAL);
}

static void test_kallsyms_lists_module_symbols_and_hidden_addresses(void)
{
	static const char kallsyms[] =
		"0000000000000000 T cmdline_proc_show\n"
		"0000000000000000 t xfs_file_read_iter\t[xfs]\n"
		"0000000000000000 t show_val_kb\n";
	static const char stub[] =
		"ffffffffffffffff B The real System.map is in the linux-image-<version>-dbg package\n";
	const char *dir = test_tmpdir("kallsyms");
	struct hp_symtab *t;
	struct hp_msg m = { "" };
	uint64_t addr, size;
	char path[4400];
	bool exact;

	snprintf(path, sizeof(path), "%s/kallsyms", dir);
	test_write(path, kallsyms, sizeof(kallsyms) - 1);
	CU_ASSERT_EQUAL_FATAL(hp_symtab_read_system_map(path, &t, &m), 0);
	CU_ASSERT_TRUE(hp_symtab_has_obj(t, "xfs"));
	CU_ASSERT_TRUE(hp_symtab_has_obj(t, "vmlinux"));
	CU_ASSERT_FALSE(hp_symtab_has_obj(t, "ext4"));
	CU_ASSERT_EQUAL(hp_symtab_lookup(t, "xfs", "xfs_file_read_iter", 0, &addr,
					 &size, &exact), 0);
	CU_ASSERT_EQUAL(size, 0);	/* addresses hidden: no bound */
	CU_ASSERT_EQUAL(hp_symtab_lookup(t, "vmlinux", "xfs_file_read_iter", 0,
					 &addr, &size, &exact), -ENOENT);
	CU_ASSERT_EQUAL(hp_symtab_lookup(t, NULL, "show_val_kb", 0, &addr, &size,
					 &exact), 0);
	hp_symtab_free(t);

	test_write(path, stub, sizeof(stub) - 1);
	CU_ASSERT_EQUAL(hp_symtab_read_system_map(path, &t, &m), -EINVAL);
	CU_ASSERT_PTR_NOT_NULL(strstr(m.text, "-dbg"));
}

static void test_elf_symbols_have_exact_sizes(void)
{
	struct hp_symtab *t;
	struct hp_msg m = { "" };
	uint64_t addr, size;
	bool exact;

	CU_ASSERT_EQUAL_FATAL(hp_symtab_read_elf(TESTMOD, &t, &m), 0);
	CU_ASSERT_EQUAL(hp_symtab_lookup(t, NULL, "livepatch_show_val_kb", 0, &addr,
					 &size, &exact), 0);
	CU_ASSERT_TRUE(exact);
	CU_ASSERT(size > 0);
	hp_symtab_free(t);
}

static const struct test tests[] = {
	{ "hex build-ids are parsed strictly", test_hex_build_ids_are_parsed_strictly },
	{ "a build-id is read from an ELF file", test_a_build_id_is_read_from_an_elf_file },
	{ "a build-id is read from a notes file", test_a_build_id_is_read_from_a_notes_file },
	{ "System.map lookups follow livepatch sympos", test_system_map_lookups_follow_livepatch_sympos },
	{ "kallsyms lists module symbols and hidden addresses", test_kallsyms_lists_module_symbols_and_hidden_addresses },
	{ "ELF symbols have exact sizes", test_elf_symbols_have_exact_sizes },
	{ NULL, NULL },
};

const struct suite suite_target = { "target kernel", tests, NULL, NULL };
