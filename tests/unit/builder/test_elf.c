// SPDX-License-Identifier: GPL-2.0
/*
 * elf.c on malformed and hostile objects: each gets an error with a
 * message, never a crash (the runner is built with ASan and UBSan).
 * Objects are mutated copies of a case compiled at test time.
 */
#include <elf.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "testlib.h"

#define SAMPLE CASES_OUT "/005-string-content-changed.orig.o"
#define SAMPLE_PATCHED CASES_OUT "/005-string-content-changed.patched.o"

static unsigned char *sample;
static size_t sample_len;

static int setup(void)
{
	sample = read_file(SAMPLE, &sample_len);
	return sample ? 0 : -1;
}

static int teardown(void)
{
	free(sample);
	return 0;
}

static unsigned char *copy(void)
{
	unsigned char *b = malloc(sample_len);

	memcpy(b, sample, sample_len);
	return b;
}

static Elf64_Ehdr *ehdr(unsigned char *b)
{
	return (Elf64_Ehdr *)b;
}

static Elf64_Shdr *shdr(unsigned char *b, size_t i)
{
	return (Elf64_Shdr *)(b + ehdr(b)->e_shoff) + i;
}

static Elf64_Shdr *find_shdr(unsigned char *b, const char *name)
{
	Elf64_Shdr *strs = shdr(b, ehdr(b)->e_shstrndx);
	size_t i;

	for (i = 1; i < ehdr(b)->e_shnum; i++)
		if (!strcmp((char *)b + strs->sh_offset + shdr(b, i)->sh_name, name))
			return shdr(b, i);
	return NULL;
}

static Elf64_Shdr *find_type(unsigned char *b, unsigned int type)
{
	size_t i;

	for (i = 1; i < ehdr(b)->e_shnum; i++)
		if (shdr(b, i)->sh_type == type)
			return shdr(b, i);
	return NULL;
}

/* A function's relocation section with at least two entries. */
static Elf64_Rela *text_relas(unsigned char *b, Elf64_Shdr **sh)
{
	*sh = find_shdr(b, ".rela.text.foo");
	CU_ASSERT_PTR_NOT_NULL_FATAL(*sh);
	CU_ASSERT_TRUE_FATAL((*sh)->sh_size >= 2 * sizeof(Elf64_Rela));
	return (Elf64_Rela *)(b + (*sh)->sh_offset);
}

static Elf64_Sym *symbol(unsigned char *b, const char *name)
{
	Elf64_Shdr *st = find_type(b, SHT_SYMTAB);
	Elf64_Shdr *str = shdr(b, st->sh_link);
	Elf64_Sym *syms = (Elf64_Sym *)(b + st->sh_offset);
	size_t i;

	for (i = 0; i < st->sh_size / sizeof(*syms); i++)
		if (!strcmp((char *)b + str->sh_offset + syms[i].st_name, name))
			return &syms[i];
	return NULL;
}

/* Load b; expect failure with a message. Also diff it against the sample. */
static void expect_rejected(unsigned char *b, size_t len, const char *what)
{
	struct hp_error err = { 0 };
	struct hp_elf *e = NULL;
	struct hp_diff *d = NULL;
	int ret = hp_elf_open_mem(b, len, what, &e, &err);

	if (ret == 0)
		fprintf(stderr, "\n    %s: accepted", what);
	CU_ASSERT(ret < 0);
	CU_ASSERT(err.msg[0] != '\0');
	CU_ASSERT_PTR_NULL(e);
	hp_elf_free(e);

	memset(&err, 0, sizeof(err));
	CU_ASSERT_EQUAL_FATAL(hp_diff_new(NULL, &d, &err), 0);
	ret = hp_diff_load_mem(d, sample, sample_len, b, len, &err);
	CU_ASSERT(ret < 0);
	hp_diff_free(d);
	free(b);
}

static void test_the_sample_object_loads(void)
{
	struct hp_error err = { 0 };
	struct hp_elf *e;

	CU_ASSERT_EQUAL_FATAL(hp_elf_open_mem(sample, sample_len, "sample", &e, &err), 0);
	CU_ASSERT_PTR_NOT_NULL(hp_elf_find_symbol(e, "foo"));
	CU_ASSERT_TRUE(hp_elf_find_symbol(e, "foo")->has_fentry);
	hp_elf_free(e);
}

static void test_empty_and_garbage_input_is_rejected(void)
{
	unsigned char *b = calloc(1, 64);

	expect_rejected(b, 0, "empty");
	b = malloc(4096);
	for (int i = 0; i < 4096; i++)
		b[i] = (unsigned char)(i * 131 + 7);
	expect_rejected(b, 4096, "garbage");
	b = copy();
	memcpy(b, "\x7f" "ELF", 4);
	b[EI_CLASS] = ELFCLASS32;
	expect_rejected(b, sample_len, "32-bit");
}

static void test_a_truncated_object_is_rejected_at_every_length(void)
{
	size_t step = sample_len / 300 + 1, len;

	for (len = 0; len < sample_len; len += step) {
		unsigned char *b = malloc(len + 1);

		memcpy(b, sample, len);
		expect_rejected(b, len, "truncated");
	}
}

static void test_foreign_machine_and_type_are_refused(void)
{
	unsigned char *b = copy();

	ehdr(b)->e_machine = EM_AARCH64;
	expect_rejected(b, sample_len, "aarch64");
	b = copy();
	ehdr(b)->e_type = ET_EXEC;
	expect_rejected(b, sample_len, "executable");
}

static void test_bogus_section_counts_and_indices_are_rejected(void)
{
	unsigned char *b = copy();

	ehdr(b)->e_shnum = 0xffff;
	expect_rejected(b, sample_len, "huge e_shnum");
	b = copy();
	ehdr(b)->e_shstrndx = ehdr(b)->e_shnum + 5;
	expect_rejected(b, sample_len, "bogus e_shstrndx");
	b = copy();
	ehdr(b)->e_shoff = sample_len - 8;
	expect_rejected(b, sample_len, "section headers past the end");
	b = copy();
	find_shdr(b, ".text.foo")->sh_size = 1ull << 40;
	expect_rejected(b, sample_len, "huge section");
	b = copy();
	find_shdr(b, ".text.foo")->sh_offset = sample_len + 100;
	expect_rejected(b, sample_len, "section past the end");
	b = copy();
	find_shdr(b, ".text.foo")->sh_name = 0x7fffffff;
	expect_rejected(b, sample_len, "bogus section name");
}

static void test_bogus_symbols_are_rejected(void)
{
	unsigned char *b = copy();

	symbol(b, "foo")->st_shndx = ehdr(b)->e_shnum + 3;
	expect_rejected(b, sample_len, "symbol in bogus section");
	b = copy();
	symbol(b, "foo")->st_name = 0x7ffffff0;
	expect_rejected(b, sample_len, "bogus symbol name");
	b = copy();
	symbol(b, "foo")->st_size = 1ull << 62;
	expect_rejected(b, sample_len, "symbol larger than its section");
	b = copy();
	symbol(b, "foo")->st_value = ~0ull - 2;
	expect_rejected(b, sample_len, "symbol past its section");
	b = copy();
	find_type(b, SHT_SYMTAB)->sh_entsize = 7;
	expect_rejected(b, sample_len, "bad symtab entsize");
	b = copy();
	find_type(b, SHT_SYMTAB)->sh_link = 0;
	expect_rejected(b, sample_len, "symtab without strtab");
	b = copy();
	find_type(b, SHT_SYMTAB)->sh_type = SHT_PROGBITS;
	expect_rejected(b, sample_len, "no symtab");
}

static void test_bogus_relocations_are_rejected(void)
{
	Elf64_Shdr *sh;
	Elf64_Rela *r;
	unsigned char *b;

	b = copy();
	r = text_relas(b, &sh);
	r[0].r_info = ELF64_R_INFO(0xffffff, ELF64_R_TYPE(r[0].r_info));
	expect_rejected(b, sample_len, "relocation to bogus symbol");

	b = copy();
	r = text_relas(b, &sh);
	r[0].r_offset = 1ull << 40;
	expect_rejected(b, sample_len, "relocation outside its section");

	b = copy();
	r = text_relas(b, &sh);
	r[1].r_offset = r[0].r_offset + 1;
	expect_rejected(b, sample_len, "overlapping relocations");

	b = copy();
	r = text_relas(b, &sh);
	r[0].r_info = ELF64_R_INFO(ELF64_R_SYM(r[0].r_info), 250);
	expect_rejected(b, sample_len, "unknown relocation type");

	b = copy();
	text_relas(b, &sh);
	sh->sh_info = 0xfffff;
	expect_rejected(b, sample_len, "relocations for a bogus section");

	b = copy();
	text_relas(b, &sh);
	sh->sh_entsize = 16;
	expect_rejected(b, sample_len, "bad rela entsize");

	b = copy();
	text_relas(b, &sh);
	sh->sh_link = 0;
	expect_rejected(b, sample_len, "relocations without the symtab");

	b = copy();
	text_relas(b, &sh);
	sh->sh_type = SHT_REL;
	expect_rejected(b, sample_len, "SHT_REL");
}

/*
 * Found by tests/fuzz: a huge addend on a reference into a shared section
 * overflowed while being turned into an offset. Must load, without UB.
 */
static void test_a_huge_addend_into_a_shared_section_is_harmless(void)
{
	size_t len, i, n;
	unsigned char *b = read_file(CASES_OUT "/044-data-once-included.orig.o", &len);
	Elf64_Shdr *rs, *st, *once;
	Elf64_Sym *syms;
	Elf64_Rela *r;
	struct hp_error err = { 0 };
	struct hp_elf *e;
	bool mutated = false;

	CU_ASSERT_PTR_NOT_NULL_FATAL(b);
	rs = find_shdr(b, ".rela.text.foo");
	once = find_shdr(b, ".data.once");
	st = find_type(b, SHT_SYMTAB);
	CU_ASSERT_PTR_NOT_NULL_FATAL(rs);
	CU_ASSERT_PTR_NOT_NULL_FATAL(once);
	syms = (Elf64_Sym *)(b + st->sh_offset);
	r = (Elf64_Rela *)(b + rs->sh_offset);
	n = rs->sh_size / sizeof(*r);
	for (i = 0; i < n; i++) {
		Elf64_Sym *sym = &syms[ELF64_R_SYM(r[i].r_info)];

		if (ELF64_ST_TYPE(sym->st_info) == STT_SECTION &&
		    shdr(b, sym->st_shndx) == once) {
			r[i].r_addend = INT64_MAX - 2;
			mutated = true;
		}
	}
	CU_ASSERT_TRUE_FATAL(mutated);
	CU_ASSERT_EQUAL(hp_elf_open_mem(b, len, "huge addend", &e, &err), 0);
	hp_elf_free(e);
	free(b);
}

/*
 * 33000 new objects, each pointing at the next, reached from one changed
 * function: inclusion must not recurse once per link, and the object needs
 * extended section numbering (SHN_XINDEX) since it has > 65280 sections.
 */
static void test_a_long_chain_of_new_data_is_followed_without_recursion(void)
{
	const int n = 33000;
	char src[512], obj[512], src0[512], obj0[512], cmd[4096];
	struct hp_diff_opts opts = { .no_dwarf = true };
	struct hp_error err = { 0 };
	const struct hp_verdict *v;
	struct hp_diff *d;
	FILE *f;
	int i;

	snprintf(src, sizeof(src), "%s/../chain.c", CASES_OUT);
	snprintf(obj, sizeof(obj), "%s/../chain.o", CASES_OUT);
	snprintf(src0, sizeof(src0), "%s/../chain0.c", CASES_OUT);
	snprintf(obj0, sizeof(obj0), "%s/../chain0.o", CASES_OUT);
	f = fopen(src, "w");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	fprintf(f, "int printk(const char *, ...);\n");
	for (i = n - 1; i >= 0; i--) {
		if (i == n - 1)
			fprintf(f, "static const void *const p%d = 0;\n", i);
		else
			fprintf(f, "static const void *const p%d = &p%d;\n", i, i + 1);
	}
	fprintf(f, "int foo(void) { return printk(\"%%p\", p0); }\n");
	fclose(f);
	f = fopen(src0, "w");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	fprintf(f, "int foo(void) { return 1; }\n");
	fclose(f);
	snprintf(cmd, sizeof(cmd),
		 "gcc -O2 -ffunction-sections -fdata-sections -mfentry -pg -fno-pic "
		 "-mcmodel=kernel -c -o '%s' '%s' && "
		 "gcc -O2 -ffunction-sections -fdata-sections -mfentry -pg -fno-pic "
		 "-mcmodel=kernel -c -o '%s' '%s'", obj, src, obj0, src0);
	CU_ASSERT_EQUAL_FATAL(system(cmd), 0);
	CU_ASSERT_EQUAL_FATAL(hp_diff_new(&opts, &d, &err), 0);
	CU_ASSERT_EQUAL_FATAL(hp_diff_load(d, obj0, obj, &err), 0);
	CU_ASSERT_EQUAL_FATAL(hp_diff_run(d, &err), 0);
	v = hp_diff_verdict(d);
	CU_ASSERT_TRUE(hp_verdict_eligible(v));
	CU_ASSERT_PTR_NOT_NULL(hp_verdict_find_func(v, "foo"));
	CU_ASSERT_TRUE(v->nr_data >= (size_t)n - 2);
	hp_diff_free(d);
}

/*
 * 6.12's objects (X86_KERNEL_IBT, CALL_PADDING): a function opens with
 * endbr64 and its fentry call follows, and gcc records each function's
 * padding in __patchable_function_entries. A changed function there is
 * redirectable like on 6.1. Before "hotpatch-build: 6.12 objects" the
 * fentry call after endbr64 was not seen and the section was refused.
 */
static void test_an_ibt_and_padding_object_diffs_like_6_1(void)
{
	char src[512], obj[512], src0[512], obj0[512], cmd[4096];
	struct hp_diff_opts opts = { .no_dwarf = true };
	struct hp_error err = { 0 };
	const struct hp_verdict *v;
	struct hp_diff *d;
	struct hp_elf *e;
	FILE *f;

	snprintf(src, sizeof(src), "%s/../ibt.c", CASES_OUT);
	snprintf(obj, sizeof(obj), "%s/../ibt.o", CASES_OUT);
	snprintf(src0, sizeof(src0), "%s/../ibt0.c", CASES_OUT);
	snprintf(obj0, sizeof(obj0), "%s/../ibt0.o", CASES_OUT);
	f = fopen(src0, "w");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	fprintf(f, "int foo(void) { return 1; }\nint bar(void) { return 3; }\n");
	fclose(f);
	f = fopen(src, "w");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	fprintf(f, "int foo(void) { return 2; }\nint bar(void) { return 3; }\n");
	fclose(f);
#define HP_IBT_CFLAGS "gcc -O2 -mfentry -pg -mrecord-mcount -fcf-protection=branch " \
	"-fpatchable-function-entry=16,16 -fno-pic -mcmodel=kernel -c "
	snprintf(cmd, sizeof(cmd),
		 HP_IBT_CFLAGS "-o '%s' '%s' && " HP_IBT_CFLAGS "-o '%s' '%s'",
		 obj0, src0, obj, src);
#undef HP_IBT_CFLAGS
	CU_ASSERT_EQUAL_FATAL(system(cmd), 0);

	CU_ASSERT_EQUAL_FATAL(hp_elf_open(obj, &e, &err), 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(hp_elf_find_symbol(e, "foo"));
	CU_ASSERT_TRUE(hp_elf_find_symbol(e, "foo")->has_fentry);
	CU_ASSERT_PTR_NOT_NULL(hp_elf_find_section(e, "__patchable_function_entries"));
	hp_elf_free(e);

	CU_ASSERT_EQUAL_FATAL(hp_diff_new(&opts, &d, &err), 0);
	CU_ASSERT_EQUAL_FATAL(hp_diff_load(d, obj0, obj, &err), 0);
	CU_ASSERT_EQUAL_FATAL(hp_diff_run(d, &err), 0);
	v = hp_diff_verdict(d);
	for (size_t i = 0; i < v->nr_refusals; i++)
		fprintf(stderr, "\n    refused: %s: %s", v->refusals[i].symbol,
			v->refusals[i].reason);
	CU_ASSERT_TRUE(hp_verdict_eligible(v));
	CU_ASSERT_EQUAL(v->nr_refusals, 0);
	CU_ASSERT_PTR_NOT_NULL(hp_verdict_find_func(v, "foo"));
	CU_ASSERT_PTR_NULL(hp_verdict_find_func(v, "bar"));
	hp_diff_free(d);
}

/*
 * Six 14-byte alt_instr entries (6.12's layout) make 84 bytes, also seven
 * of 6.1's 12: the table must not be cut as 6.1 entries. Before
 * "hotpatch-build: refuse an .altinstructions of another kernel's layout"
 * it was cut into seven, and refused for a wrong reason ("alternative 1
 * ... names no code location").
 */
static void test_a_6_12_alternatives_table_is_refused(void)
{
	static const char alt[] =
		"asm volatile(\".rept 6\\n661: nop\\n662:\\n"
		".pushsection .altinstructions,\\\"a\\\"\\n"
		".long 661b - .\\n.long 663f - .\\n.4byte 0\\n"
		".byte 662b - 661b\\n.byte 664f - 663f\\n.popsection\\n"
		".pushsection .altinstr_replacement,\\\"ax\\\"\\n663: nop\\n664:\\n"
		".popsection\\n.endr\");";
	char src[512], obj[512], src0[512], obj0[512], cmd[4096];
	struct hp_diff_opts opts = { .no_dwarf = true };
	struct hp_error err = { 0 };
	const struct hp_verdict *v;
	struct hp_diff *d;
	bool refused = false;
	FILE *f;

	snprintf(src, sizeof(src), "%s/../alt14.c", CASES_OUT);
	snprintf(obj, sizeof(obj), "%s/../alt14.o", CASES_OUT);
	snprintf(src0, sizeof(src0), "%s/../alt14_0.c", CASES_OUT);
	snprintf(obj0, sizeof(obj0), "%s/../alt14_0.o", CASES_OUT);
	f = fopen(src0, "w");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	fprintf(f, "int foo(void) { %s return 1; }\n", alt);
	fclose(f);
	f = fopen(src, "w");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	fprintf(f, "int foo(void) { %s return 2; }\n", alt);
	fclose(f);
	snprintf(cmd, sizeof(cmd),
		 "gcc -O2 -mfentry -pg -fno-pic -mcmodel=kernel -c -o '%s' '%s' && "
		 "gcc -O2 -mfentry -pg -fno-pic -mcmodel=kernel -c -o '%s' '%s'",
		 obj0, src0, obj, src);
	CU_ASSERT_EQUAL_FATAL(system(cmd), 0);
	CU_ASSERT_EQUAL_FATAL(hp_diff_new(&opts, &d, &err), 0);
	CU_ASSERT_EQUAL_FATAL(hp_diff_load(d, obj0, obj, &err), 0);
	CU_ASSERT_EQUAL_FATAL(hp_diff_run(d, &err), 0);
	v = hp_diff_verdict(d);
	for (size_t i = 0; i < v->nr_refusals; i++)
		if (!strcmp(v->refusals[i].symbol, ".altinstructions") &&
		    strstr(v->refusals[i].reason, "another kernel"))
			refused = true;
	CU_ASSERT_TRUE(refused);
	CU_ASSERT_FALSE(hp_verdict_eligible(v));
	hp_diff_free(d);
}

/* Cheap in-test fuzzing: flip bytes, load, diff; only crashes fail. */
static void test_random_byte_flips_never_crash(void)
{
	unsigned char *patched;
	size_t plen, i;
	unsigned int seed = 12345;

	patched = read_file(SAMPLE_PATCHED, &plen);
	CU_ASSERT_PTR_NOT_NULL_FATAL(patched);
	for (i = 0; i < 400; i++) {
		unsigned char *b = malloc(plen);
		struct hp_diff_opts opts = { .no_dwarf = (i % 4) != 0 };
		struct hp_error err = { 0 };
		struct hp_diff *d = NULL;
		int k, flips = 1 + (int)(rand_r(&seed) % 8);

		memcpy(b, patched, plen);
		for (k = 0; k < flips; k++)
			b[rand_r(&seed) % plen] ^= (unsigned char)(1u << (rand_r(&seed) % 8));
		CU_ASSERT_EQUAL_FATAL(hp_diff_new(&opts, &d, &err), 0);
		if (!hp_diff_load_mem(d, sample, sample_len, b, plen, &err) &&
		    !hp_diff_run(d, &err)) {
			FILE *null = fopen("/dev/null", "w");

			hp_verdict_print(hp_diff_verdict(d), null);
			fclose(null);
		}
		hp_diff_free(d);
		free(b);
	}
	free(patched);
	CU_PASS("no crash");
}

int register_elf_tests(void)
{
	CU_pSuite s = CU_add_suite("elf reader on malformed objects", setup, teardown);

	if (!s ||
	    !CU_add_test(s, "the sample object loads", test_the_sample_object_loads) ||
	    !CU_add_test(s, "empty and garbage input is rejected",
			 test_empty_and_garbage_input_is_rejected) ||
	    !CU_add_test(s, "a truncated object is rejected at every length",
			 test_a_truncated_object_is_rejected_at_every_length) ||
	    !CU_add_test(s, "foreign machine and object type are refused",
			 test_foreign_machine_and_type_are_refused) ||
	    !CU_add_test(s, "bogus section counts and indices are rejected",
			 test_bogus_section_counts_and_indices_are_rejected) ||
	    !CU_add_test(s, "bogus symbols are rejected", test_bogus_symbols_are_rejected) ||
	    !CU_add_test(s, "bogus relocations are rejected",
			 test_bogus_relocations_are_rejected) ||
	    !CU_add_test(s, "a huge addend into a shared section is harmless",
			 test_a_huge_addend_into_a_shared_section_is_harmless) ||
	    !CU_add_test(s, "a long chain of new data is followed without recursion",
			 test_a_long_chain_of_new_data_is_followed_without_recursion) ||
	    !CU_add_test(s, "an IBT and padding (6.12) object diffs like 6.1's",
			 test_an_ibt_and_padding_object_diffs_like_6_1) ||
	    !CU_add_test(s, "a 6.12 alternatives table is refused, not cut as 6.1's",
			 test_a_6_12_alternatives_table_is_refused) ||
	    !CU_add_test(s, "random byte flips never crash the reader or differ",
			 test_random_byte_flips_never_crash))
		return -1;
	return 0;
}
