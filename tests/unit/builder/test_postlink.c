// SPDX-License-Identifier: GPL-2.0
/*
 * postlink.c: deferred relocations of a linked module become livepatch
 * relocations, field by field; malformed modules get an error with a
 * message, never a crash (the runner is built with ASan and UBSan).
 *
 * The modules are made here, at test time: assembler sources that emit
 * records the way the resolve stage does, assembled and linked with
 * `ld -r` (as kbuild links a module), post-linked, and read back with
 * libelf.
 */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"
#include "testlib.h"

#define PL_DIR CASES_OUT "/../postlink"

#ifndef SHF_RELA_LIVEPATCH
#define SHF_RELA_LIVEPATCH 0x00100000
#endif
#ifndef SHN_LIVEPATCH
#define SHN_LIVEPATCH 0xff20
#endif

/*
 * A module: a function calling printk (an ordinary relocation) and two
 * sites whose displacement is deferred, data with two deferred pointers,
 * a symbol in .hotpatch.klp_relocs itself (it must go), and .modinfo.
 * RECORDS is the record part; MODINFO the .modinfo part.
 */
#define PRELUDE \
	"	.section .hotpatch.klp_strs,\"\",@progbits\n" \
	".Lstrs: .byte 0\n" \
	".Lvmlinux: .asciz \"vmlinux\"\n" \
	".Lmod: .asciz \"hp_target\"\n" \
	".Lfoo: .asciz \"foo\"\n" \
	".Lbar: .asciz \"bar.isra.0\"\n" \
	"	.text\n" \
	"	.globl func\n" \
	"	.type func,@function\n" \
	"func:\n" \
	"	call printk\n" \
	"	.byte 0xe8\n" \
	".Lcall: .long 0\n" \
	"	.byte 0x8b, 0x05\n" \
	".Lload: .long 0\n" \
	"	ret\n" \
	"	.size func, .-func\n" \
	"	.section .text.other,\"ax\",@progbits\n" \
	"other: .byte 0xe8\n" \
	".Lcall2: .long 0\n" \
	"	ret\n" \
	"	.data\n" \
	"	.balign 8\n" \
	"	.globl ptrs\n" \
	"ptrs: .quad 0\n" \
	"	.quad 0\n" \
	"	.quad func\n" \
	"	.section .rodata,\"a\"\n" \
	".Lnonzero: .long 0x12345678\n" \
	"	.section .comment.x,\"\",@progbits\n" \
	".Lnoalloc: .quad 0\n"

#define REC(place, addend, type, pos, obj, sym) \
	"	.section .hotpatch.klp_relocs,\"\",@progbits\n" \
	"	.balign 8\n" \
	"	.quad " place "\n" \
	"	.quad " addend "\n" \
	"	.long " type ", " pos "\n" \
	"	.long " obj " - .Lstrs, " sym " - .Lstrs\n"

#define GOOD_RECORDS \
	"	.section .hotpatch.klp_relocs,\"\",@progbits\n" \
	"klp_records_start:\n" \
	REC(".Lcall", "-4", "4", "0", ".Lvmlinux", ".Lfoo") \
	REC(".Lload", "-4", "2", "2", ".Lmod", ".Lbar") \
	REC("ptrs", "0", "1", "0", ".Lvmlinux", ".Lfoo") \
	REC("ptrs+8", "16", "1", "2", ".Lmod", ".Lbar") \
	REC(".Lcall2", "-4", "4", "1", ".Lmod", ".Lbar")

#define MODINFO \
	"	.section .modinfo,\"a\"\n" \
	"	.asciz \"license=GPL\"\n" \
	"	.asciz \"livepatch=Y\"\n"

static int counter;

/* Assemble @src and link it with ld -r; returns the .o path (static buffer). */
static const char *build(const char *name, const char *src)
{
	static char out[1024];
	char s[1024], o[1024], cmd[8192];
	FILE *f;

	mkdir(PL_DIR, 0755);
	snprintf(s, sizeof(s), "%s/%s-%d.s", PL_DIR, name, counter);
	snprintf(o, sizeof(o), "%s/%s-%d.single.o", PL_DIR, name, counter);
	snprintf(out, sizeof(out), "%s/%s-%d.o", PL_DIR, name, counter);
	counter++;
	f = fopen(s, "w");
	if (!f)
		return NULL;
	fputs(src, f);
	fclose(f);
	snprintf(cmd, sizeof(cmd), "as --64 -o '%s' '%s' && ld -r -o '%s' '%s'",
		 o, s, out, o);
	if (system(cmd))
		return NULL;
	return out;
}

struct rd {
	int fd;
	Elf *elf;
	size_t shstrndx;
};

static int rd_open(struct rd *r, const char *path)
{
	elf_version(EV_CURRENT);
	r->fd = open(path, O_RDONLY);
	if (r->fd < 0)
		return -1;
	r->elf = elf_begin(r->fd, ELF_C_READ, NULL);
	if (!r->elf || elf_getshdrstrndx(r->elf, &r->shstrndx)) {
		close(r->fd);
		return -1;
	}
	return 0;
}

static void rd_close(struct rd *r)
{
	elf_end(r->elf);
	close(r->fd);
}

static Elf_Scn *rd_section(struct rd *r, const char *name, GElf_Shdr *sh)
{
	Elf_Scn *scn = NULL;

	while ((scn = elf_nextscn(r->elf, scn))) {
		gelf_getshdr(scn, sh);
		if (!strcmp(elf_strptr(r->elf, r->shstrndx, sh->sh_name), name))
			return scn;
	}
	return NULL;
}

static size_t rd_index(struct rd *r, const char *name)
{
	GElf_Shdr sh;
	Elf_Scn *scn = rd_section(r, name, &sh);

	return scn ? elf_ndxscn(scn) : 0;
}

/* Symbol @i of the symbol table: its name. */
static const char *rd_sym(struct rd *r, size_t i, GElf_Sym *sym)
{
	GElf_Shdr sh;
	Elf_Scn *scn = rd_section(r, ".symtab", &sh);
	Elf_Data *d = scn ? elf_getdata(scn, NULL) : NULL;

	if (!d || !gelf_getsym(d, i, sym))
		return NULL;
	return elf_strptr(r->elf, sh.sh_link, sym->st_name);
}

static size_t rd_find_sym(struct rd *r, const char *name, GElf_Sym *sym)
{
	const char *n;
	size_t i;

	for (i = 1; (n = rd_sym(r, i, sym)); i++)
		if (!strcmp(n, name))
			return i;
	return 0;
}

/* Check relocation @k of section @sec: offset, type, addend, symbol name. */
static void check_rela(struct rd *r, const char *sec, size_t k,
		       uint64_t offset, uint32_t type, int64_t addend,
		       const char *symname)
{
	GElf_Shdr sh;
	Elf_Scn *scn = rd_section(r, sec, &sh);
	Elf_Data *d = scn ? elf_getdata(scn, NULL) : NULL;
	GElf_Rela ra;
	GElf_Sym sym;
	const char *n;

	CU_ASSERT_PTR_NOT_NULL_FATAL(d);
	CU_ASSERT_FATAL(gelf_getrela(d, k, &ra) != NULL);
	CU_ASSERT_EQUAL(ra.r_offset, offset);
	CU_ASSERT_EQUAL(GELF_R_TYPE(ra.r_info), type);
	CU_ASSERT_EQUAL(ra.r_addend, addend);
	n = rd_sym(r, GELF_R_SYM(ra.r_info), &sym);
	CU_ASSERT_PTR_NOT_NULL_FATAL(n);
	if (strcmp(n, symname))
		fprintf(stderr, "\n    %s[%zu]: symbol '%s', expected '%s'", sec,
			k, n, symname);
	CU_ASSERT_STRING_EQUAL(n, symname);
}

static void check_klp_rela_section(struct rd *r, const char *name,
				   const char *target, size_t nr)
{
	GElf_Shdr sh;

	CU_ASSERT_PTR_NOT_NULL_FATAL(rd_section(r, name, &sh));
	CU_ASSERT_EQUAL(sh.sh_type, SHT_RELA);
	CU_ASSERT_EQUAL(sh.sh_flags, SHF_ALLOC | SHF_RELA_LIVEPATCH);
	CU_ASSERT_EQUAL(sh.sh_info, rd_index(r, target));
	CU_ASSERT_EQUAL(sh.sh_link, rd_index(r, ".symtab"));
	CU_ASSERT_EQUAL(sh.sh_entsize, 24);
	CU_ASSERT_EQUAL(sh.sh_addralign, 8);
	CU_ASSERT_EQUAL(sh.sh_size, nr * 24);
}

static void check_klp_sym(struct rd *r, const char *name)
{
	GElf_Sym sym;

	if (!rd_find_sym(r, name, &sym)) {
		fprintf(stderr, "\n    no symbol '%s'", name);
		CU_FAIL("livepatch symbol missing");
		return;
	}
	CU_ASSERT_EQUAL(GELF_ST_BIND(sym.st_info), STB_GLOBAL);
	CU_ASSERT_EQUAL(GELF_ST_TYPE(sym.st_info), STT_NOTYPE);
	CU_ASSERT_EQUAL(sym.st_shndx, SHN_LIVEPATCH);
	CU_ASSERT_EQUAL(sym.st_value, 0);
	CU_ASSERT_EQUAL(sym.st_size, 0);
}

/* The bytes of a section, as a malloc'ed copy. */
static void *section_bytes(const char *path, const char *name, size_t *len)
{
	struct rd r;
	GElf_Shdr sh;
	Elf_Scn *scn;
	Elf_Data *d;
	void *b = NULL;

	if (rd_open(&r, path))
		return NULL;
	scn = rd_section(&r, name, &sh);
	d = scn ? elf_getdata(scn, NULL) : NULL;
	if (d) {
		b = malloc(d->d_size + 1);
		memcpy(b, d->d_buf, d->d_size);
		*len = d->d_size;
	}
	rd_close(&r);
	return b;
}

static void test_records_become_klp_sections_and_symbols(void)
{
	const char *in = build("good", PRELUDE GOOD_RECORDS MODINFO);
	char out[1024];
	struct hp_postlink_stats st;
	struct hp_error err = { 0 };
	size_t la, lb, n;
	void *a, *b;
	struct rd r;
	GElf_Shdr sh;
	GElf_Sym sym;
	const char *name;
	char cmd[2048];
	int ret;

	CU_ASSERT_PTR_NOT_NULL_FATAL(in);
	snprintf(out, sizeof(out), "%s.pl.o", in);
	ret = hp_postlink(in, out, &st, &err);
	if (ret)
		fprintf(stderr, "\n    %s", err.msg);
	CU_ASSERT_EQUAL_FATAL(ret, 0);
	CU_ASSERT(st.changed);
	CU_ASSERT_EQUAL(st.records, 5);
	CU_ASSERT_EQUAL(st.sections, 5);
	CU_ASSERT_EQUAL(st.symbols, 3);

	CU_ASSERT_EQUAL_FATAL(rd_open(&r, out), 0);
	/* the record sections are gone, with their relocations and symbols */
	CU_ASSERT_PTR_NULL(rd_section(&r, ".hotpatch.klp_relocs", &sh));
	CU_ASSERT_PTR_NULL(rd_section(&r, ".hotpatch.klp_strs", &sh));
	CU_ASSERT_PTR_NULL(rd_section(&r, ".rela.hotpatch.klp_relocs", &sh));
	CU_ASSERT_EQUAL(rd_find_sym(&r, "klp_records_start", &sym), 0);

	/* one section per object and target section */
	check_klp_rela_section(&r, ".klp.rela.vmlinux..text", ".text", 1);
	check_klp_rela_section(&r, ".klp.rela.hp_target..text", ".text", 1);
	check_klp_rela_section(&r, ".klp.rela.vmlinux..data", ".data", 1);
	check_klp_rela_section(&r, ".klp.rela.hp_target..data", ".data", 1);
	check_klp_rela_section(&r, ".klp.rela.hp_target..text.other",
			       ".text.other", 1);
	/* every field of every relocation; func: call printk (5), call (1+4) */
	check_rela(&r, ".klp.rela.vmlinux..text", 0, 6, R_X86_64_PLT32, -4,
		   ".klp.sym.vmlinux.foo,0");
	check_rela(&r, ".klp.rela.hp_target..text", 0, 12, R_X86_64_PC32, -4,
		   ".klp.sym.hp_target.bar.isra.0,2");
	check_rela(&r, ".klp.rela.vmlinux..data", 0, 0, R_X86_64_64, 0,
		   ".klp.sym.vmlinux.foo,0");
	check_rela(&r, ".klp.rela.hp_target..data", 0, 8, R_X86_64_64, 16,
		   ".klp.sym.hp_target.bar.isra.0,2");
	check_rela(&r, ".klp.rela.hp_target..text.other", 0, 1,
		   R_X86_64_PLT32, -4, ".klp.sym.hp_target.bar.isra.0,1");
	/* one symbol per (object, name, sympos) */
	check_klp_sym(&r, ".klp.sym.vmlinux.foo,0");
	check_klp_sym(&r, ".klp.sym.hp_target.bar.isra.0,2");
	check_klp_sym(&r, ".klp.sym.hp_target.bar.isra.0,1");
	/* the ordinary relocations and symbols are still right */
	check_rela(&r, ".rela.text", 0, 1, R_X86_64_PLT32, -4, "printk");
	check_rela(&r, ".rela.data", 0, 16, R_X86_64_64, 0, "func");
	CU_ASSERT(rd_find_sym(&r, "func", &sym) > 0);
	CU_ASSERT_EQUAL(sym.st_shndx, rd_index(&r, ".text"));
	CU_ASSERT(rd_find_sym(&r, "ptrs", &sym) > 0);
	CU_ASSERT_EQUAL(sym.st_shndx, rd_index(&r, ".data"));
	/* locals first: sh_info of .symtab is the first global */
	CU_ASSERT_PTR_NOT_NULL_FATAL(rd_section(&r, ".symtab", &sh));
	for (n = 1; (name = rd_sym(&r, n, &sym)); n++)
		CU_ASSERT_EQUAL(GELF_ST_BIND(sym.st_info) == STB_LOCAL,
				n < sh.sh_info);
	rd_close(&r);

	/* everything else is unchanged */
	a = section_bytes(in, ".text", &la);
	b = section_bytes(out, ".text", &lb);
	CU_ASSERT(a && b && la == lb && !memcmp(a, b, la));
	free(a);
	free(b);
	a = section_bytes(in, ".modinfo", &la);
	b = section_bytes(out, ".modinfo", &lb);
	CU_ASSERT(a && b && la == lb && !memcmp(a, b, la));
	free(a);
	free(b);

	/* binutils read it without a complaint */
	snprintf(cmd, sizeof(cmd),
		 "readelf -W -a '%s' 2>&1 >/dev/null | grep -q . && exit 1; exit 0",
		 out);
	CU_ASSERT_EQUAL(system(cmd), 0);

	/* post-linked again: nothing left to do, the module stays as it is */
	a = read_file(out, &la);
	CU_ASSERT_EQUAL(hp_postlink(out, NULL, &st, &err), 0);
	CU_ASSERT(!st.changed);
	b = read_file(out, &lb);
	CU_ASSERT(a && b && la == lb && !memcmp(a, b, la));
	free(a);
	free(b);
}

static void test_a_module_without_records_is_copied_unchanged(void)
{
	const char *in = build("none", PRELUDE MODINFO);
	char out[1024];
	struct hp_postlink_stats st;
	struct hp_error err = { 0 };
	size_t la, lb;
	void *a, *b;

	CU_ASSERT_PTR_NOT_NULL_FATAL(in);
	snprintf(out, sizeof(out), "%s.pl.o", in);
	CU_ASSERT_EQUAL_FATAL(hp_postlink(in, out, &st, &err), 0);
	CU_ASSERT(!st.changed);
	CU_ASSERT_EQUAL(st.records, 0);
	a = read_file(in, &la);
	b = read_file(out, &lb);
	CU_ASSERT(a && b && la == lb && !memcmp(a, b, la));
	free(a);
	free(b);
}

static void test_in_place_rewrites_the_module(void)
{
	const char *in = build("inplace", PRELUDE GOOD_RECORDS MODINFO);
	struct hp_error err = { 0 };
	struct rd r;
	GElf_Shdr sh;

	CU_ASSERT_PTR_NOT_NULL_FATAL(in);
	CU_ASSERT_EQUAL_FATAL(hp_postlink(in, NULL, NULL, &err), 0);
	CU_ASSERT_EQUAL_FATAL(rd_open(&r, in), 0);
	CU_ASSERT_PTR_NOT_NULL(rd_section(&r, ".klp.rela.vmlinux..text", &sh));
	CU_ASSERT_PTR_NULL(rd_section(&r, ".hotpatch.klp_relocs", &sh));
	rd_close(&r);
}

/* Build @src and expect post-link to fail with @code and @needle. */
static void refused(const char *what, const char *src, int code,
		    const char *needle)
{
	const char *in = build(what, src);
	char out[1024];
	struct hp_error err = { 0 };
	int ret;

	CU_ASSERT_PTR_NOT_NULL_FATAL(in);
	snprintf(out, sizeof(out), "%s.pl.o", in);
	unlink(out);
	ret = hp_postlink(in, out, NULL, &err);
	if (ret != code || !strstr(err.msg, needle))
		fprintf(stderr, "\n    %s: got %d '%s', expected %d '%s'", what,
			ret, err.msg, code, needle);
	CU_ASSERT_EQUAL(ret, code);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, needle));
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, in));
	CU_ASSERT_EQUAL(access(out, F_OK), -1);
}

static void test_records_without_the_livepatch_modinfo_are_refused(void)
{
	refused("nomodinfo", PRELUDE GOOD_RECORDS
		"	.section .modinfo,\"a\"\n	.asciz \"license=GPL\"\n",
		-ENOEXEC, "MODULE_INFO(livepatch, \"Y\")");
}

static void test_malformed_records_are_refused(void)
{
	refused("duplicate", PRELUDE
		REC(".Lcall", "-4", "4", "0", ".Lvmlinux", ".Lfoo")
		REC(".Lcall", "-4", "4", "0", ".Lvmlinux", ".Lfoo") MODINFO,
		-EINVAL, "duplicate or overlapping");
	refused("overlap", PRELUDE
		REC("ptrs", "0", "1", "0", ".Lvmlinux", ".Lfoo")
		REC("ptrs+4", "-4", "2", "0", ".Lvmlinux", ".Lfoo") MODINFO,
		-EINVAL, "duplicate or overlapping");
	refused("strout", PRELUDE
		REC(".Lcall", "-4", "4", "0", ".Lvmlinux + 4096", ".Lfoo") MODINFO,
		-EINVAL, "is outside .hotpatch.klp_strs");
	refused("unterminated", PRELUDE
		REC(".Lcall", "-4", "4", "0", ".Lvmlinux", ".Lend")
		"	.section .hotpatch.klp_strs,\"\",@progbits\n"
		".Lend: .ascii \"abc\"\n" MODINFO,
		-EINVAL, "not NUL-terminated");
	refused("emptyname", PRELUDE
		REC(".Lcall", "-4", "4", "0", ".Lvmlinux", ".Lstrs") MODINFO,
		-EINVAL, "empty symbol name");
	refused("placeout", PRELUDE
		REC("ptrs + 4096", "0", "1", "0", ".Lvmlinux", ".Lfoo") MODINFO,
		-EINVAL, "outside the section");
	refused("placeend", PRELUDE
		REC("ptrs + 20", "0", "1", "0", ".Lvmlinux", ".Lfoo") MODINFO,
		-EINVAL, "outside the section");
	refused("nonzero", PRELUDE
		REC(".Lnonzero", "0", "10", "0", ".Lvmlinux", ".Lfoo") MODINFO,
		-EINVAL, "are not zero");
	refused("noalloc", PRELUDE
		REC(".Lnoalloc", "0", "1", "0", ".Lvmlinux", ".Lfoo") MODINFO,
		-EINVAL, "not loaded code or data");
	refused("badtype", PRELUDE
		REC(".Lcall", "-4", "99", "0", ".Lvmlinux", ".Lfoo") MODINFO,
		-EINVAL, "type 99 is not supported");
	refused("noplace", PRELUDE
		"	.section .hotpatch.klp_relocs,\"\",@progbits\n"
		"	.quad 0, 0\n	.long 4, 0, .Lvmlinux - .Lstrs, .Lfoo - .Lstrs\n"
		MODINFO, -EINVAL, "no relocation gives its place");
	refused("placefield", PRELUDE
		"	.section .hotpatch.klp_relocs,\"\",@progbits\n"
		"	.quad 8, 0\n	.long 4, 0, .Lvmlinux - .Lstrs, .Lfoo - .Lstrs\n"
		MODINFO, -EINVAL, "place field");
	refused("notrecord", PRELUDE
		"	.section .hotpatch.klp_relocs,\"\",@progbits\n"
		"	.quad 0, .Lcall\n	.long 4, 0, .Lvmlinux - .Lstrs, .Lfoo - .Lstrs\n"
		MODINFO, -EINVAL, "not the place field of a record");
	refused("size", PRELUDE
		REC(".Lcall", "-4", "4", "0", ".Lvmlinux", ".Lfoo")
		"	.long 0\n" MODINFO, -EINVAL, "not a multiple of 32");
	refused("dotobj", PRELUDE
		REC(".Lcall", "-4", "4", "0", ".Lbar", ".Lfoo") MODINFO,
		-EINVAL, "is not a module name");
	refused("comma", PRELUDE
		REC(".Lcall", "-4", "4", "0", ".Lvmlinux", ".Lcomma")
		"	.section .hotpatch.klp_strs,\"\",@progbits\n"
		".Lcomma: .asciz \"a,b\"\n" MODINFO,
		-EINVAL, "cannot be a livepatch symbol");
	refused("alloc", PRELUDE
		"	.section .hotpatch.klp_relocs,\"a\",@progbits\n"
		REC(".Lcall", "-4", "4", "0", ".Lvmlinux", ".Lfoo") MODINFO,
		-EINVAL, "non-allocated");
	refused("doubled", PRELUDE
		"	.text\n	.byte 0xe8\n.Ldbl: .long foo - 4\n"
		REC(".Ldbl", "-4", "4", "0", ".Lvmlinux", ".Lfoo") MODINFO, -EINVAL, "also relocated by '.rela.text'");
	refused("existing", PRELUDE
		REC(".Lcall", "-4", "4", "0", ".Lvmlinux", ".Lfoo")
		"	.data\n\".klp.sym.vmlinux.x,0\": .quad 0\n" MODINFO,
		-EEXIST, "post-linked twice");
}

/* Does section @sec hold a relocation with exactly these fields? */
static bool has_rela(struct rd *r, const char *sec, uint64_t offset,
		     uint32_t type, int64_t addend, const char *symname)
{
	GElf_Shdr sh;
	Elf_Scn *scn = rd_section(r, sec, &sh);
	Elf_Data *d = scn ? elf_getdata(scn, NULL) : NULL;
	GElf_Rela ra;
	GElf_Sym sym;
	const char *n;
	size_t k;

	if (!d || sh.sh_flags != (SHF_ALLOC | SHF_RELA_LIVEPATCH))
		return false;
	for (k = 0; gelf_getrela(d, k, &ra); k++) {
		n = rd_sym(r, GELF_R_SYM(ra.r_info), &sym);
		if (ra.r_offset == offset && GELF_R_TYPE(ra.r_info) == type &&
		    ra.r_addend == addend && n && !strcmp(n, symname) &&
		    sym.st_shndx == SHN_LIVEPATCH)
			return true;
	}
	return false;
}

/*
 * The whole chain: the resolve stage's output (resolve.c, on the objects
 * of its own tests), linked with a .modinfo as kbuild would, post-linked:
 * every record is a livepatch relocation with its place, type, addend and
 * symbol.
 */
static void test_the_resolve_stage_output_post_links(void)
{
	const char *map = RESOLVE_OUT "/vmlinux.map";
	char sv[1024], out[1024], mi[1024], linked[1024], pl[1024];
	char cmd[8192], want_sec[1024], want_sym[1024];
	struct hp_resolve_opts ro = { .symbols = map, .symvers = sv };
	struct hp_postlink_stats st;
	struct hp_error err = { 0 };
	struct hp_resolve *res = NULL;
	struct hp_diff *d = NULL;
	struct hp_section *recs, *strs;
	struct hp_elf *e = NULL;
	struct rd r;
	size_t i, n;
	FILE *f;

	mkdir(PL_DIR, 0755);
	snprintf(sv, sizeof(sv), "%s/Module.symvers", PL_DIR);
	snprintf(out, sizeof(out), "%s/resolved.o", PL_DIR);
	snprintf(mi, sizeof(mi), "%s/modinfo.o", PL_DIR);
	snprintf(linked, sizeof(linked), "%s/resolved.ko", PL_DIR);
	snprintf(pl, sizeof(pl), "%s/resolved.pl.ko", PL_DIR);
	f = fopen(sv, "w");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	fputs("0x11111111\tprintk\tvmlinux\tEXPORT_SYMBOL\t\n"
	      "0x22222222\t__fentry__\tvmlinux\tEXPORT_SYMBOL\t\n"
	      "0x33333333\texported_fn\tvmlinux\tEXPORT_SYMBOL_GPL\tFOO_NS\n", f);
	fclose(f);

	CU_ASSERT_EQUAL_FATAL(hp_resolve_new(&ro, &res, &err), 0);
	CU_ASSERT_EQUAL_FATAL(hp_diff_new(NULL, &d, &err), 0);
	CU_ASSERT_EQUAL_FATAL(hp_diff_load(d, RESOLVE_OUT "/a.o",
					   RESOLVE_OUT "/a.patched.o", &err), 0);
	CU_ASSERT_EQUAL_FATAL(hp_diff_run(d, &err), 0);
	if (hp_diff_write_resolved(d, res, out, &err))
		fprintf(stderr, "\n    resolve: %s", err.msg);
	hp_diff_free(d);
	hp_resolve_free(res);
	snprintf(cmd, sizeof(cmd),
		 "printf '\t.section .modinfo,\"a\"\n\t.asciz \"livepatch=Y\"\n' | "
		 "as --64 -o '%s' - && ld -r -o '%s' '%s' '%s'", mi, linked, out, mi);
	CU_ASSERT_EQUAL_FATAL(system(cmd), 0);

	CU_ASSERT_EQUAL_FATAL(hp_elf_open(linked, &e, &err), 0);
	recs = hp_elf_find_section(e, ".hotpatch.klp_relocs");
	strs = hp_elf_find_section(e, ".hotpatch.klp_strs");
	CU_ASSERT_PTR_NOT_NULL_FATAL(recs);
	CU_ASSERT_PTR_NOT_NULL_FATAL(strs);
	CU_ASSERT_PTR_NOT_NULL_FATAL(recs->rela);
	n = recs->size / 32;
	CU_ASSERT_FATAL(n > 0);
	CU_ASSERT_EQUAL_FATAL(recs->rela->nr_relas, n);

	CU_ASSERT_EQUAL_FATAL(hp_postlink(linked, pl, &st, &err), 0);
	CU_ASSERT(st.changed);
	CU_ASSERT_EQUAL(st.records, n);
	CU_ASSERT_EQUAL_FATAL(rd_open(&r, pl), 0);
	for (i = 0; i < n; i++) {
		const unsigned char *p = recs->data + 32 * i;
		const struct hp_rela *rl = &recs->rela->relas[i];
		uint32_t type, pos, o, y;
		int64_t addend;

		memcpy(&addend, p + 8, 8);
		memcpy(&type, p + 16, 4);
		memcpy(&pos, p + 20, 4);
		memcpy(&o, p + 24, 4);
		memcpy(&y, p + 28, 4);
		snprintf(want_sec, sizeof(want_sec), ".klp.rela.%s.%s",
			 (const char *)strs->data + o, rl->sym->sec->name);
		snprintf(want_sym, sizeof(want_sym), ".klp.sym.%s.%s,%u",
			 (const char *)strs->data + o,
			 (const char *)strs->data + y, pos);
		if (!has_rela(&r, want_sec,
			      rl->sym->sym.st_value + (uint64_t)rl->addend,
			      type, addend, want_sym)) {
			fprintf(stderr, "\n    record %zu: no %s in %s", i,
				want_sym, want_sec);
			CU_FAIL("a record has no livepatch relocation");
		}
	}
	rd_close(&r);
	hp_elf_free(e);
}

/*
 * Case 090 (a tracepoint in changed vmlinux code) through resolve, link and
 * post-link: the jump label's key is a .klp.rela.vmlinux.__jump_table
 * R_X86_64_PC64 with its addend (8 + the flag 2), the static call keys
 * R_X86_64_PC32 in .klp.rela.vmlinux..static_call_sites, which the 6.1
 * loader applies before it sets up jump labels and static calls.
 */
static void test_a_tracepoint_key_post_links_as_pc64(void)
{
	char ks[1024], sv[1024], out[1024], mi[1024], linked[1024], pl[1024], cmd[8192];
	struct hp_resolve_opts ro = { .symbols = ks, .symvers = sv };
	struct hp_postlink_stats st;
	struct hp_error err = { 0 };
	struct hp_resolve *res = NULL;
	struct hp_diff *d = NULL;
	struct rd r;
	FILE *f;

	mkdir(PL_DIR, 0755);
	snprintf(ks, sizeof(ks), "%s/kallsyms-tp", PL_DIR);
	snprintf(sv, sizeof(sv), "%s/Module.symvers.tp", PL_DIR);
	snprintf(out, sizeof(out), "%s/tp.o", PL_DIR);
	snprintf(mi, sizeof(mi), "%s/tp-modinfo.o", PL_DIR);
	snprintf(linked, sizeof(linked), "%s/tp.ko", PL_DIR);
	snprintf(pl, sizeof(pl), "%s/tp.pl.ko", PL_DIR);
	f = fopen(ks, "w");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	fputs("ffffffff81000000 T _stext\n"
	      "ffffffff81000020 T __SCT__tp_func_task_thing\n"
	      "ffffffff81000030 T __SCT__preempt_schedule_notrace\n"
	      "ffffffff81000050 T _etext\n"
	      "ffffffff81100000 D __tracepoint_task_thing\n"
	      "ffffffff81100040 D __SCK__tp_func_task_thing\n"
	      "ffffffff81100050 D __SCK__preempt_schedule_notrace\n"
	      "ffffffff81100070 D preempt_count_var\n", f);
	fclose(f);
	f = fopen(sv, "w");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	fputs("0x22222222\t__fentry__\tvmlinux\tEXPORT_SYMBOL\t\n", f);
	fclose(f);

	CU_ASSERT_EQUAL_FATAL(hp_resolve_new(&ro, &res, &err), 0);
	CU_ASSERT_EQUAL_FATAL(hp_diff_new(NULL, &d, &err), 0);
	CU_ASSERT_EQUAL_FATAL(hp_diff_load(d, CASES_OUT "/090-tracepoint-vmlinux-key.orig.o",
					   CASES_OUT "/090-tracepoint-vmlinux-key.patched.o",
					   &err), 0);
	CU_ASSERT_EQUAL_FATAL(hp_diff_run(d, &err), 0);
	if (hp_diff_write_resolved(d, res, out, &err))
		fprintf(stderr, "\n    resolve: %s", err.msg);
	hp_diff_free(d);
	hp_resolve_free(res);
	snprintf(cmd, sizeof(cmd),
		 "printf '\t.section .modinfo,\"a\"\n\t.asciz \"livepatch=Y\"\n' | "
		 "as --64 -o '%s' - && ld -r -o '%s' '%s' '%s'", mi, linked, out, mi);
	CU_ASSERT_EQUAL_FATAL(system(cmd), 0);
	if (hp_postlink(linked, pl, &st, &err))
		fprintf(stderr, "\n    post-link: %s", err.msg);
	CU_ASSERT_EQUAL_FATAL(hp_postlink(linked, pl, &st, &err), 0);
	CU_ASSERT_EQUAL_FATAL(rd_open(&r, pl), 0);
	CU_ASSERT(has_rela(&r, ".klp.rela.vmlinux.__jump_table", 8, R_X86_64_PC64, 10,
			   ".klp.sym.vmlinux.__tracepoint_task_thing,0"));
	CU_ASSERT(has_rela(&r, ".klp.rela.vmlinux..static_call_sites", 4, R_X86_64_PC32, 0,
			   ".klp.sym.vmlinux.__SCK__tp_func_task_thing,0"));
	CU_ASSERT(has_rela(&r, ".klp.rela.vmlinux..static_call_sites", 12, R_X86_64_PC32, 0,
			   ".klp.sym.vmlinux.__SCK__preempt_schedule_notrace,0"));
	rd_close(&r);
	snprintf(cmd, sizeof(cmd), "readelf -a '%s' 2>&1 >/dev/null | grep -q . && exit 1; exit 0", pl);
	CU_ASSERT_EQUAL(system(cmd), 0);
}

/* The linked good module, for mutation. */
static unsigned char *good;
static size_t good_len;

static int setup(void)
{
	return 0;
}

static int teardown(void)
{
	free(good);
	return 0;
}

static unsigned char *good_copy(void)
{
	unsigned char *b;

	if (!good) {
		const char *in = build("mut", PRELUDE GOOD_RECORDS MODINFO);

		good = in ? read_file(in, &good_len) : NULL;
	}
	if (!good)
		return NULL;
	b = malloc(good_len);
	memcpy(b, good, good_len);
	return b;
}

static Elf64_Shdr *mshdr(unsigned char *b, const char *name)
{
	Elf64_Ehdr *eh = (Elf64_Ehdr *)b;
	Elf64_Shdr *sh = (Elf64_Shdr *)(b + eh->e_shoff);
	const char *strs = (char *)b + sh[eh->e_shstrndx].sh_offset;
	size_t i;

	for (i = 1; i < eh->e_shnum; i++)
		if (!strcmp(strs + sh[i].sh_name, name))
			return &sh[i];
	return NULL;
}

static int run_mem(unsigned char *b, size_t len, const char *needle)
{
	struct hp_error err = { 0 };
	void *out = NULL;
	size_t olen;
	int ret;

	ret = hp_postlink_mem(b, len, &out, &olen, NULL, &err);
	free(out);
	if (needle && (!ret || !strstr(err.msg, needle)))
		fprintf(stderr, "\n    got %d '%s', expected '%s'", ret, err.msg,
			needle);
	if (needle)
		CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, needle));
	if (ret)
		CU_ASSERT(err.msg[0] != '\0');
	return ret;
}

static void test_bogus_indices_in_the_records_are_rejected(void)
{
	unsigned char *b = good_copy();
	Elf64_Shdr *rs;
	Elf64_Rela *ra;

	CU_ASSERT_PTR_NOT_NULL_FATAL(b);
	CU_ASSERT_EQUAL(run_mem(b, good_len, NULL), 0);
	rs = mshdr(b, ".rela.hotpatch.klp_relocs");
	CU_ASSERT_PTR_NOT_NULL_FATAL(rs);
	ra = (Elf64_Rela *)(b + rs->sh_offset);

	/* a place relocation naming a symbol past the table */
	ra[0].r_info = ELF64_R_INFO(99999, R_X86_64_64);
	CU_ASSERT_EQUAL(run_mem(b, good_len, "place names symbol 99999"), -EINVAL);
	/* of the wrong type */
	memcpy(b, good, good_len);
	ra[0].r_info = ELF64_R_INFO(ELF64_R_SYM(ra[0].r_info), R_X86_64_PC32);
	CU_ASSERT_EQUAL(run_mem(b, good_len, "expected R_X86_64_64"), -EINVAL);
	/* the symbol table's link to a section that does not exist */
	memcpy(b, good, good_len);
	mshdr(b, ".symtab")->sh_link = 9999;
	CU_ASSERT_EQUAL(run_mem(b, good_len, "without a string table"), -EINVAL);
	/* a symbol in section 9999 */
	memcpy(b, good, good_len);
	{
		Elf64_Shdr *st = mshdr(b, ".symtab");
		Elf64_Sym *sym = (Elf64_Sym *)(b + st->sh_offset);

		sym[st->sh_info].st_shndx = 9999;
		CU_ASSERT_EQUAL(run_mem(b, good_len, "section index 9999"), -EINVAL);
	}
	/* a relocation section for section 9999 */
	memcpy(b, good, good_len);
	mshdr(b, ".rela.text")->sh_info = 9999;
	CU_ASSERT_EQUAL(run_mem(b, good_len, ".rela.text"), -EINVAL);
	/* the records section reaching past the end of the file */
	memcpy(b, good, good_len);
	mshdr(b, ".hotpatch.klp_relocs")->sh_size = 1 << 30;
	CU_ASSERT_EQUAL(run_mem(b, good_len, "outside the file"), -EINVAL);
	/* a string offset past the strings */
	memcpy(b, good, good_len);
	{
		Elf64_Shdr *rel = mshdr(b, ".hotpatch.klp_relocs");

		*(uint32_t *)(b + rel->sh_offset + 28) = 0xfffffff0;
		CU_ASSERT_EQUAL(run_mem(b, good_len, "outside .hotpatch.klp_strs"),
				-EINVAL);
	}
	/* the strings without their NUL */
	memcpy(b, good, good_len);
	mshdr(b, ".hotpatch.klp_strs")->sh_size -= 1;
	CU_ASSERT_EQUAL(run_mem(b, good_len, "not NUL-terminated"), -EINVAL);
	free(b);
}

static void test_a_truncated_module_is_rejected_at_every_length(void)
{
	unsigned char *b = good_copy();
	size_t n;

	CU_ASSERT_PTR_NOT_NULL_FATAL(b);
	for (n = 0; n < good_len; n += n < 256 ? 1 : 7) {
		unsigned char *t = malloc(n ? n : 1);

		memcpy(t, b, n);
		CU_ASSERT_NOT_EQUAL(run_mem(t, n, NULL), 0);
		free(t);
	}
	free(b);
}

/* Flip bytes all over the headers, tables and records: never a crash. */
static void test_byte_flips_never_crash(void)
{
	unsigned char *b = good_copy();
	unsigned int seed = 12345;
	size_t i, k;

	CU_ASSERT_PTR_NOT_NULL_FATAL(b);
	for (i = 0; i < 4000; i++) {
		memcpy(b, good, good_len);
		for (k = 0; k < 1 + i % 4; k++) {
			size_t at = rand_r(&seed) % good_len;

			b[at] ^= 1 << (rand_r(&seed) % 8);
		}
		run_mem(b, good_len, NULL);
	}
	free(b);
}

int register_postlink_tests(void)
{
	CU_pSuite s = CU_add_suite("post-link: deferred relocations to livepatch format",
				   setup, teardown);

	if (!s ||
	    !CU_add_test(s, "records become .klp.rela sections and .klp.sym symbols",
			 test_records_become_klp_sections_and_symbols) ||
	    !CU_add_test(s, "a module without records is copied unchanged",
			 test_a_module_without_records_is_copied_unchanged) ||
	    !CU_add_test(s, "in place, the module is rewritten",
			 test_in_place_rewrites_the_module) ||
	    !CU_add_test(s, "records without the livepatch modinfo are refused",
			 test_records_without_the_livepatch_modinfo_are_refused) ||
	    !CU_add_test(s, "malformed records are refused",
			 test_malformed_records_are_refused) ||
	    !CU_add_test(s, "bogus indices in the records are rejected",
			 test_bogus_indices_in_the_records_are_rejected) ||
	    !CU_add_test(s, "a truncated module is rejected at every length",
			 test_a_truncated_module_is_rejected_at_every_length) ||
	    !CU_add_test(s, "the resolve stage's output post-links",
			 test_the_resolve_stage_output_post_links) ||
	    !CU_add_test(s, "090: a tracepoint's vmlinux keys post-link (PC64, addend kept)",
			 test_a_tracepoint_key_post_links_as_pc64) ||
	    !CU_add_test(s, "byte flips never crash post-link",
			 test_byte_flips_never_crash))
		return -1;
	return 0;
}
