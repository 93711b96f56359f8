// SPDX-License-Identifier: GPL-2.0
/*
 * target.c and resolve.c: the target kernel's symbol tables (sympos in
 * kallsyms order, sizes as kallsyms_lookup_size_offset() gives them) and
 * the resolve pass (exports stay undefined, everything else of the target
 * becomes a .hotpatch.klp_relocs record; what cannot work is refused).
 *
 * The "kernel" is resolve/{a,b,c}.c linked at a kernel address; its nm -n
 * listing is the kallsyms dump (built by the Makefile). Tests that need
 * other tables write them here.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <json-c/json.h>

#include "internal.h"
#include "testlib.h"

#define R RESOLVE_OUT
#define WORK RESOLVE_OUT "/work"

static const char symvers_text[] =
	"0x11111111\tprintk\tvmlinux\tEXPORT_SYMBOL\t\n"
	"0x22222222\t__fentry__\tvmlinux\tEXPORT_SYMBOL\t\n"
	"0x33333333\texported_fn\tvmlinux\tEXPORT_SYMBOL_GPL\tFOO_NS\n";

static void write_text(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	fputs(text, f);
	fclose(f);
}

static char *work_path(const char *name)
{
	char *p = NULL;

	mkdir(WORK, 0755);
	CU_ASSERT_FATAL(asprintf(&p, "%s/%s", WORK, name) > 0);
	return p;
}

/* The linked kernel's map with every line for which edit() says so changed. */
static char *map_variant(const char *src, const char *name,
			 const char *(*edit)(const char *line), const char *extra)
{
	size_t len;
	char *map = read_file(src, &len), *line, *save = NULL;
	char *path = work_path(name);
	FILE *f = fopen(path, "w");

	CU_ASSERT_PTR_NOT_NULL_FATAL(map);
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	for (line = strtok_r(map, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		const char *out = edit ? edit(line) : line;

		if (out)
			fprintf(f, "%s\n", out);
	}
	if (extra)
		fputs(extra, f);
	fclose(f);
	free(map);
	return path;
}

static char *kallsyms_variant(const char *name, const char *(*edit)(const char *line),
			      const char *extra)
{
	return map_variant(R "/vmlinux.map", name, edit, extra);
}

static char *symvers_file(const char *extra)
{
	char *path = work_path(extra ? "Module.symvers.extra" : "Module.symvers");
	char *text = NULL;

	CU_ASSERT_FATAL(asprintf(&text, "%s%s", symvers_text, extra ? extra : "") > 0);
	write_text(path, text);
	free(text);
	return path;
}

struct result {
	int ret;
	struct hp_diff *d;
	struct hp_resolve *r;
	struct hp_error err;
	char *out;
};

/*
 * diff ORIG against PATCHED and resolve in one call (hp_diff_write_resolved),
 * with the target's unstripped vmlinux (FILE symbols) when VMLINUX is given.
 */
static void diff_resolve_vm(struct result *res, const char *orig, const char *patched,
			    const char *target, const char *symbols, const char *vmlinux,
			    const char *module_object, const char *symvers,
			    const char *const *sympos, size_t nr_sympos)
{
	struct hp_resolve_opts ro = {
		.target = target, .symbols = symbols, .vmlinux = vmlinux,
		.module_object = module_object,
		.symvers = symvers, .sympos = sympos, .nr_sympos = nr_sympos,
	};
	struct hp_diff_opts dopts = { .target = target };

	memset(res, 0, sizeof(*res));
	res->out = work_path("out.o");
	unlink(res->out);
	if (hp_resolve_new(&ro, &res->r, &res->err))
		fprintf(stderr, "\n    %s", res->err.msg);
	CU_ASSERT_PTR_NOT_NULL_FATAL(res->r);
	CU_ASSERT_EQUAL_FATAL(hp_diff_new(&dopts, &res->d, &res->err), 0);
	CU_ASSERT_EQUAL_FATAL(hp_diff_load(res->d, orig, patched, &res->err), 0);
	CU_ASSERT_EQUAL_FATAL(hp_diff_run(res->d, &res->err), 0);
	CU_ASSERT_TRUE_FATAL(hp_verdict_eligible(hp_diff_verdict(res->d)));
	res->ret = hp_diff_write_resolved(res->d, res->r, res->out, &res->err);
	if (getenv("RESOLVE_DEBUG")) {
		const struct hp_verdict *v = hp_diff_verdict(res->d);
		size_t i;

		for (i = 0; i < v->nr_refusals; i++)
			fprintf(stderr, "\n    refused %s: %s", v->refusals[i].symbol,
				v->refusals[i].reason);
	}
}

static void diff_resolve(struct result *res, const char *orig, const char *patched,
			 const char *target, const char *symbols, const char *module_object,
			 const char *symvers, const char *const *sympos, size_t nr_sympos)
{
	diff_resolve_vm(res, orig, patched, target, symbols, NULL, module_object, symvers,
			sympos, nr_sympos);
}

static void result_free(struct result *res)
{
	hp_diff_free(res->d);
	hp_resolve_free(res->r);
	free(res->out);
}

static const struct hp_verdict_sym *ext(const struct hp_verdict *v, const char *name)
{
	size_t i;

	for (i = 0; i < v->nr_externals; i++)
		if (!strcmp(v->externals[i].name, name))
			return &v->externals[i];
	return NULL;
}

static void expect_ext(const struct hp_verdict *v, const char *name, const char *resolution,
		       const char *obj, const char *ksym, unsigned int sympos)
{
	const struct hp_verdict_sym *e = ext(v, name);

	CU_ASSERT_PTR_NOT_NULL_FATAL(e);
	CU_ASSERT_PTR_NOT_NULL_FATAL(e->resolution);
	CU_ASSERT_STRING_EQUAL(e->resolution, resolution);
	if (strcmp(e->resolution, resolution))
		fprintf(stderr, "\n    %s: %s, expected %s", name, e->resolution, resolution);
	if (obj) {
		CU_ASSERT_PTR_NOT_NULL_FATAL(e->obj);
		CU_ASSERT_STRING_EQUAL(e->obj, obj);
	}
	if (ksym) {
		CU_ASSERT_PTR_NOT_NULL_FATAL(e->ksym);
		CU_ASSERT_STRING_EQUAL(e->ksym, ksym);
		CU_ASSERT_EQUAL(e->sympos, sympos);
		if (e->sympos != sympos)
			fprintf(stderr, "\n    %s: sympos %u, expected %u", name, e->sympos, sympos);
	}
}

/* ---- the records, read back byte by byte -------------------------------- */

struct record {
	uint64_t place;
	int64_t addend;
	uint32_t type, sympos;
	const char *obj, *sym;
	/* from .rela.hotpatch.klp_relocs */
	struct hp_section *sec;
	uint64_t offset;
};

static uint64_t le(const unsigned char *p, unsigned int n)
{
	uint64_t v = 0;

	while (n--)
		v = v << 8 | p[n];
	return v;
}

static size_t read_records(struct hp_elf *e, struct record *recs, size_t max,
			   bool linked)
{
	struct hp_section *s = hp_elf_find_section(e, ".hotpatch.klp_relocs");
	struct hp_section *strs = hp_elf_find_section(e, ".hotpatch.klp_strs");
	size_t i, n;

	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	CU_ASSERT_PTR_NOT_NULL_FATAL(strs);
	CU_ASSERT_EQUAL(s->sh.sh_type, SHT_PROGBITS);
	CU_ASSERT_EQUAL(s->sh.sh_flags, 0);
	CU_ASSERT_EQUAL(s->sh.sh_addralign, 8);
	/* ld -r does not keep sh_entsize of a section it does not merge */
	if (!linked)
		CU_ASSERT_EQUAL(s->sh.sh_entsize, 32);
	CU_ASSERT_EQUAL(strs->sh.sh_type, SHT_PROGBITS);
	CU_ASSERT_EQUAL(strs->sh.sh_flags, 0);
	CU_ASSERT_EQUAL_FATAL(strs->data[0], 0);
	CU_ASSERT_EQUAL_FATAL(strs->data[strs->size - 1], 0);
	CU_ASSERT_EQUAL_FATAL(s->size % 32, 0);
	n = s->size / 32;
	CU_ASSERT_FATAL(n <= max);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s->rela);
	CU_ASSERT_EQUAL_FATAL(s->rela->nr_relas, n);
	for (i = 0; i < n; i++) {
		const unsigned char *p = s->data + 32 * i;
		const struct hp_rela *rl = &s->rela->relas[i];
		uint32_t o = (uint32_t)le(p + 24, 4), y = (uint32_t)le(p + 28, 4);

		recs[i].place = le(p, 8);
		recs[i].addend = (int64_t)le(p + 8, 8);
		recs[i].type = (uint32_t)le(p + 16, 4);
		recs[i].sympos = (uint32_t)le(p + 20, 4);
		CU_ASSERT_FATAL(o < strs->size && y < strs->size);
		recs[i].obj = (const char *)strs->data + o;
		recs[i].sym = (const char *)strs->data + y;
		CU_ASSERT_EQUAL(rl->offset, 32 * i);
		CU_ASSERT_EQUAL(rl->type, R_X86_64_64);
		CU_ASSERT_EQUAL(rl->sym->type, STT_SECTION);
		recs[i].sec = rl->sym->sec;
		recs[i].offset = (uint64_t)rl->addend;
	}
	return n;
}

static const struct record *find_record(const struct record *recs, size_t n,
					const char *sym)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(recs[i].sym, sym))
			return &recs[i];
	return NULL;
}

/* No relocation of the object names sym any more, and sym is gone. */
static void assert_no_reference(struct hp_elf *e, const char *sym)
{
	struct hp_section *s;
	struct hp_rela *rl;

	CU_ASSERT_PTR_NULL(hp_elf_find_symbol(e, sym));
	hp_for_each_section(e, s)
		hp_for_each_rela(s, rl)
			CU_ASSERT_STRING_NOT_EQUAL(rl->sym->name, sym);
}

/* ---- symbol tables -------------------------------------------------------- */

static void test_kallsyms_sympos_and_sizes(void)
{
	struct hp_error err = { 0 };
	struct hp_ksym_info in;
	struct hp_ksyms *k;
	char *path = work_path("kallsyms-mod");

	/* a module whose symtab order is not its address order */
	write_text(path,
		   "ffffffff81000000 T _stext\n"
		   "ffffffff81000010 t dup\n"
		   "ffffffff81000030 t dup\n"
		   "ffffffff81000070 D some_data\n"
		   "ffffffffa0000100 t dup\t[mymod]\n"
		   "ffffffffa0000000 t dup\t[mymod]\n"
		   "ffffffffa0000040 T mod_fn\t[mymod]\n"
		   "ffffffffa0003000 d mod_data\t[mymod]\n");
	CU_ASSERT_EQUAL_FATAL(hp_ksyms_new(&k, &err), 0);
	CU_ASSERT_EQUAL_FATAL(hp_ksyms_load_kallsyms(k, path, &err), 0);
	CU_ASSERT_TRUE(hp_ksyms_has_object(k, "vmlinux"));
	CU_ASSERT_TRUE(hp_ksyms_has_object(k, NULL));
	CU_ASSERT_TRUE(hp_ksyms_has_object(k, "mymod"));
	CU_ASSERT_FALSE(hp_ksyms_has_object(k, "other"));
	CU_ASSERT_EQUAL(hp_ksyms_count(k, "vmlinux", "dup"), 2);
	CU_ASSERT_EQUAL(hp_ksyms_count(k, "mymod", "dup"), 2);
	CU_ASSERT_EQUAL(hp_ksyms_lookup(k, "vmlinux", "dup", 0, &in, &err), -ENOTUNIQ);
	CU_ASSERT_EQUAL(hp_ksyms_lookup(k, "vmlinux", "dup", 3, &in, &err), -ERANGE);
	CU_ASSERT_EQUAL(hp_ksyms_lookup(k, "vmlinux", "nosuch", 0, &in, &err), -ENOENT);
	CU_ASSERT_EQUAL(hp_ksyms_lookup(k, "other", "dup", 0, &in, &err), -ENOENT);
	CU_ASSERT_EQUAL_FATAL(hp_ksyms_lookup(k, "vmlinux", "dup", 2, &in, &err), 0);
	CU_ASSERT_EQUAL(in.addr, 0xffffffff81000030ull);
	CU_ASSERT_EQUAL(in.size, 0x40);		/* up to some_data */
	CU_ASSERT_TRUE(in.size_exact);
	CU_ASSERT_EQUAL(in.sympos, 2);
	CU_ASSERT_EQUAL(in.count, 2);
	CU_ASSERT_EQUAL_FATAL(hp_ksyms_lookup(k, NULL, "_stext", 0, &in, &err), 0);
	CU_ASSERT_EQUAL(in.size, 0x10);
	CU_ASSERT_EQUAL(in.sympos, 0);
	CU_ASSERT_EQUAL(in.type, 'T');
	/* the last vmlinux symbol: the kernel stops at _end, not in the dump */
	CU_ASSERT_EQUAL_FATAL(hp_ksyms_lookup(k, NULL, "some_data", 0, &in, &err), 0);
	CU_ASSERT_FALSE(in.size_exact);
	/* module: sympos in symtab (file) order, not address order */
	CU_ASSERT_EQUAL_FATAL(hp_ksyms_lookup(k, "mymod", "dup", 1, &in, &err), 0);
	CU_ASSERT_EQUAL(in.addr, 0xffffffffa0000100ull);
	CU_ASSERT_FALSE(in.size_exact);	/* last code: end of text unknown */
	CU_ASSERT_EQUAL(in.size, 0xf00);
	CU_ASSERT_EQUAL_FATAL(hp_ksyms_lookup(k, "mymod", "dup", 2, &in, &err), 0);
	CU_ASSERT_EQUAL(in.addr, 0xffffffffa0000000ull);
	CU_ASSERT_EQUAL(in.size, 0x40);		/* next code, not data */
	CU_ASSERT_TRUE(in.size_exact);
	CU_ASSERT_EQUAL_FATAL(hp_ksyms_lookup(k, "mymod", "mod_fn", 0, &in, &err), 0);
	CU_ASSERT_EQUAL(in.size, 0xc0);
	hp_ksyms_free(k);
	free(path);
}

static void test_system_map_drops_what_kallsyms_drops(void)
{
	struct hp_error err = { 0 };
	struct hp_ksym_info in;
	struct hp_ksyms *k;
	char *path = work_path("System.map");

	write_text(path,
		   "0000000000000000 A __abs_thing\n"
		   "ffffffff81000000 T _stext\n"
		   "ffffffff81000008 t x\n"
		   "ffffffff81000010 a x\n"
		   "ffffffff81000020 T kallsyms_names\n"
		   "ffffffff81000030 N debug_thing\n"
		   "ffffffff81000040 T y\n");
	CU_ASSERT_EQUAL_FATAL(hp_ksyms_new(&k, &err), 0);
	CU_ASSERT_EQUAL_FATAL(hp_ksyms_load_kallsyms(k, path, &err), 0);
	CU_ASSERT_EQUAL(hp_ksyms_count(k, NULL, "x"), 1);
	CU_ASSERT_EQUAL(hp_ksyms_count(k, NULL, "__abs_thing"), 0);
	CU_ASSERT_EQUAL(hp_ksyms_count(k, NULL, "kallsyms_names"), 0);
	CU_ASSERT_EQUAL_FATAL(hp_ksyms_lookup(k, NULL, "x", 0, &in, &err), 0);
	CU_ASSERT_EQUAL(in.size, 0x38);
	/* a second dump is refused */
	CU_ASSERT_EQUAL(hp_ksyms_load_kallsyms(k, path, &err), -EBUSY);
	hp_ksyms_free(k);

	/* in a /proc/kallsyms dump, 'A' symbols (per-cpu) are real entries */
	write_text(path,
		   "0000000000000000 A fixed_percpu_data\n"
		   "0000000000001000 A x\n"
		   "ffffffff81000000 T _stext\n"
		   "ffffffff81000008 t x\n"
		   "ffffffff81000040 T y\n");
	CU_ASSERT_EQUAL_FATAL(hp_ksyms_new(&k, &err), 0);
	CU_ASSERT_EQUAL_FATAL(hp_ksyms_load_kallsyms(k, path, &err), 0);
	CU_ASSERT_EQUAL(hp_ksyms_count(k, NULL, "x"), 2);
	CU_ASSERT_EQUAL_FATAL(hp_ksyms_lookup(k, NULL, "x", 2, &in, &err), 0);
	CU_ASSERT_EQUAL(in.addr, 0xffffffff81000008ull);
	CU_ASSERT_EQUAL(in.size, 0x38);
	hp_ksyms_free(k);
	free(path);
}

/* A module object: symtab order, sizes from the loader's layout. */
static void test_module_object(void)
{
	struct hp_error err = { 0 };
	struct hp_ksym_info in;
	struct hp_ksyms *k;
	struct hp_elf *e;
	struct hp_symbol *h, *b2;
	char *ko = R "/b.o";

	CU_ASSERT_EQUAL_FATAL(hp_ksyms_new(&k, &err), 0);
	CU_ASSERT_EQUAL_FATAL(hp_ksyms_load_module(k, ko, "bmod", &err), 0);
	CU_ASSERT_EQUAL_FATAL(hp_elf_open(ko, &e, &err), 0);
	h = hp_elf_find_symbol(e, "helper");
	b2 = hp_elf_find_symbol(e, "b_two");
	CU_ASSERT_PTR_NOT_NULL_FATAL(h);
	CU_ASSERT_PTR_NOT_NULL_FATAL(b2);
	CU_ASSERT_EQUAL_FATAL(hp_ksyms_lookup(k, "bmod", "helper", 0, &in, &err), 0);
	CU_ASSERT_TRUE(in.size_exact);
	/* every function of b.o is in its own section: next one, aligned */
	CU_ASSERT(in.size >= h->sym.st_size && in.size < h->sym.st_size + 16);
	CU_ASSERT_EQUAL_FATAL(hp_ksyms_lookup(k, "bmod", "b_two", 0, &in, &err), 0);
	CU_ASSERT_TRUE(in.size_exact);
	CU_ASSERT_EQUAL((in.addr + in.size) % 4096, 0);	/* end of text */
	CU_ASSERT_EQUAL(hp_ksyms_lookup(k, "bmod", "counter", 0, &in, &err), 0);
	CU_ASSERT_FALSE(in.size_exact);
	CU_ASSERT_EQUAL(in.type, 'b');
	hp_elf_free(e);
	/* what the loader drops: .modinfo, __versions, .init* */
	{
		char *src = work_path("modinfo.c"), *obj = work_path("modinfo.o"), cmd[1024];

		write_text(src,
			   "static const char mi[] __attribute__((section(\".modinfo\"), used)) = \"name=m\";\n"
			   "static const char ve[] __attribute__((section(\"__versions\"), used)) = \"v\";\n"
			   "static int __attribute__((section(\".init.text\"), used)) in(void) { return 0; }\n"
			   "int kept(void) { return 1; }\n");
		snprintf(cmd, sizeof(cmd), "gcc -O2 -c -o '%s' '%s'", obj, src);
		CU_ASSERT_EQUAL_FATAL(system(cmd), 0);
		CU_ASSERT_EQUAL_FATAL(hp_ksyms_load_module(k, obj, "m", &err), 0);
		CU_ASSERT_EQUAL(hp_ksyms_count(k, "m", "kept"), 1);
		CU_ASSERT_EQUAL(hp_ksyms_count(k, "m", "mi"), 0);
		CU_ASSERT_EQUAL(hp_ksyms_count(k, "m", "ve"), 0);
		CU_ASSERT_EQUAL(hp_ksyms_count(k, "m", "in"), 0);
		free(src);
		free(obj);
	}
	CU_ASSERT_EQUAL(hp_ksyms_load_module(k, ko, "vmlinux", &err), -EINVAL);
	CU_ASSERT_EQUAL(hp_ksyms_load_module(k, R "/vmlinux.map", "x", &err), -EINVAL);
	CU_ASSERT_EQUAL(hp_ksyms_load_module(k, R "/nosuch.ko", "x", &err), -ENOENT);
	hp_ksyms_free(k);
}

static void expect_bad_kallsyms(const char *text, int code, const char *needle)
{
	struct hp_error err = { 0 };
	struct hp_ksyms *k;
	char *path = work_path("bad-kallsyms");

	write_text(path, text);
	CU_ASSERT_EQUAL_FATAL(hp_ksyms_new(&k, &err), 0);
	CU_ASSERT_EQUAL(hp_ksyms_load_kallsyms(k, path, &err), code);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, needle));
	if (!strstr(err.msg, needle))
		fprintf(stderr, "\n    message '%s' lacks '%s'", err.msg, needle);
	hp_ksyms_free(k);
	free(path);
}

static void test_malformed_symbol_files(void)
{
	struct hp_error err = { 0 };
	struct hp_ksyms *k;
	char *big, *path;
	FILE *f;

	expect_bad_kallsyms("", -EINVAL, "no symbols");
	expect_bad_kallsyms("hello world\n", -EINVAL, ":1: expected a hexadecimal address");
	expect_bad_kallsyms("ffffffff81000000 T a\nffffffff81000010\n", -EINVAL,
			    ":2: missing symbol type");
	expect_bad_kallsyms("ffffffff81000000 T\n", -EINVAL, "missing symbol name");
	expect_bad_kallsyms("ffffffff81000000 TT a\n", -EINVAL, "one letter");
	expect_bad_kallsyms("1ffffffff81000000 T a\n", -EINVAL, "longer than 64 bits");
	expect_bad_kallsyms("ffffffff81000000 T a [mod\n", -EINVAL, "[module]");
	expect_bad_kallsyms("ffffffff81000000 T a [mod] x\n", -EINVAL, "unexpected text");
	expect_bad_kallsyms("ffffffff81000000 T a\x01\n", -EINVAL, "unprintable");
	expect_bad_kallsyms("0000000000000000 T a\n0000000000000000 t b\n", -EINVAL,
			    "kptr_restrict");
	expect_bad_kallsyms("ffffffffa0000000 t a\t[m1]\nffffffffa1000000 t b\t[m2]\n"
			    "ffffffffa0000010 t c\t[m1]\n", -EINVAL, "not together");
	expect_bad_kallsyms("ffffffffa0000000 t a\t[m1]\nffffffff81000000 T b\n", -EINVAL,
			    "after module symbols");
	expect_bad_kallsyms("ffffffffa0000000 t a\t[vmlinux]\n", -EINVAL, "named 'vmlinux'");
	expect_bad_kallsyms("Not a System.map. The real System.map is in the linux-image-<version>-dbg package\n",
			    -EINVAL, "placeholder");
	/* a huge line, and a huge name */
	big = malloc(20000);
	CU_ASSERT_PTR_NOT_NULL_FATAL(big);
	memset(big, 'a', 19999);
	big[19999] = '\0';
	memcpy(big, "ffffffff81000000 T ", 19);
	expect_bad_kallsyms(big, -EINVAL, "longer than");
	big[2000] = '\n';
	big[2001] = '\0';
	expect_bad_kallsyms(big, -EINVAL, "name too long");
	free(big);
	/* a NUL byte inside a line */
	path = work_path("nul-kallsyms");
	f = fopen(path, "w");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	fwrite("ffffffff81000000 T a\0b\n", 1, 23, f);
	fclose(f);
	CU_ASSERT_EQUAL_FATAL(hp_ksyms_new(&k, &err), 0);
	CU_ASSERT_EQUAL(hp_ksyms_load_kallsyms(k, path, &err), -EINVAL);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "NUL"));
	CU_ASSERT_EQUAL(hp_ksyms_load_kallsyms(k, "/nonexistent/kallsyms", &err), -ENOENT);
	/* Module.symvers */
	write_text(path, "0x1\tfoo\n");
	memset(&err, 0, sizeof(err));
	CU_ASSERT_EQUAL(hp_ksyms_load_symvers(k, path, &err), -EINVAL);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, ":1: expected 'CRC"));
	write_text(path, "crc\tfoo\tvmlinux\tEXPORT_SYMBOL\t\n");
	memset(&err, 0, sizeof(err));
	CU_ASSERT_EQUAL(hp_ksyms_load_symvers(k, path, &err), -EINVAL);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "not a Module.symvers line"));
	write_text(path, "0x1\tfoo\tvmlinux\tEXPORT_SYMBOL\tns\textra\n");
	memset(&err, 0, sizeof(err));
	CU_ASSERT_EQUAL(hp_ksyms_load_symvers(k, path, &err), -EINVAL);
	write_text(path, "\n\n");
	memset(&err, 0, sizeof(err));
	CU_ASSERT_EQUAL(hp_ksyms_load_symvers(k, path, &err), -EINVAL);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "no exports"));
	CU_ASSERT_FALSE(hp_ksyms_have_symvers(k));
	write_text(path, "0x1\tfoo\tvmlinux\tEXPORT_SYMBOL\t\n0x2\tbar\tm\tEXPORT_SYMBOL_GPL\tNS\n");
	memset(&err, 0, sizeof(err));
	CU_ASSERT_EQUAL(hp_ksyms_load_symvers(k, path, &err), 0);
	CU_ASSERT_TRUE(hp_ksyms_have_symvers(k));
	{
		struct hp_export_info ex;

		CU_ASSERT_TRUE_FATAL(hp_ksyms_export(k, "bar", &ex));
		CU_ASSERT_STRING_EQUAL(ex.module, "m");
		CU_ASSERT_STRING_EQUAL(ex.ns, "NS");
		CU_ASSERT_TRUE_FATAL(hp_ksyms_export(k, "foo", &ex));
		CU_ASSERT_PTR_NULL(ex.ns);
		CU_ASSERT_FALSE(hp_ksyms_export(k, "baz", NULL));
	}
	hp_ksyms_free(k);
	free(path);
}

/* ---- the resolve pass ------------------------------------------------------ */

static void test_resolve_vmlinux(void)
{
	char *sv = symvers_file(NULL);
	const struct hp_verdict *v;
	struct record recs[16];
	const struct record *rc;
	struct hp_elf *e;
	struct hp_symbol *fs;
	struct result res;
	size_t n, i;

	diff_resolve(&res, R "/a.o", R "/a.patched.o", NULL, R "/vmlinux.map", NULL, sv,
		     NULL, 0);
	if (res.ret)
		fprintf(stderr, "\n    %s", res.err.msg);
	CU_ASSERT_EQUAL_FATAL(res.ret, 0);
	v = hp_diff_verdict(res.d);
	/* unique local; duplicate locals told apart by their neighbours */
	expect_ext(v, "a_unique", "deferred", "vmlinux", "a_unique", 0);
	expect_ext(v, "helper", "deferred", "vmlinux", "helper", 1);
	expect_ext(v, "counter", "deferred", "vmlinux", "counter", 1);
	/* a non-exported global of another file; exports stay */
	expect_ext(v, "hidden_global", "deferred", "vmlinux", "hidden_global", 0);
	expect_ext(v, "exported_fn", "exported", "vmlinux", NULL, 0);
	expect_ext(v, "printk", "exported", "vmlinux", NULL, 0);
	CU_ASSERT_STRING_EQUAL(ext(v, "helper")->why, "local");
	CU_ASSERT_EQUAL_FATAL(v->nr_import_ns, 1);
	CU_ASSERT_STRING_EQUAL(v->import_ns[0], "FOO_NS");

	/* the object: records, zeroed locations, the symbol table */
	CU_ASSERT_EQUAL_FATAL(hp_elf_open(res.out, &e, &res.err), 0);
	n = read_records(e, recs, 16, false);
	fs = hp_elf_find_symbol(e, "foo");
	CU_ASSERT_PTR_NOT_NULL_FATAL(fs);
	CU_ASSERT_PTR_NOT_NULL_FATAL(fs->sec);
	CU_ASSERT(n >= 5);
	for (i = 0; i < n; i++) {
		const struct hp_rela *orig = NULL;
		struct hp_section *ps;
		struct hp_rela *pr;

		CU_ASSERT_EQUAL(recs[i].place, 0);
		CU_ASSERT_STRING_EQUAL(recs[i].obj, "vmlinux");
		CU_ASSERT_PTR_EQUAL(recs[i].sec, fs->sec);
		/* the location is zero */
		CU_ASSERT_EQUAL(le(fs->sec->data + recs[i].offset, 4), 0);
		/* and it is what the differ's object had at that place */
		ps = hp_elf_find_section(hp_diff_patched(res.d), fs->sec->name);
		CU_ASSERT_PTR_NOT_NULL_FATAL(ps);
		hp_for_each_rela(ps, pr)
			if (pr->offset == recs[i].offset)
				orig = pr;
		CU_ASSERT_PTR_NOT_NULL_FATAL(orig);
		CU_ASSERT_EQUAL(recs[i].type, orig->type);
		CU_ASSERT_EQUAL(recs[i].addend, orig->addend);
		CU_ASSERT_STRING_EQUAL(recs[i].sym, orig->tsym->name);
		/* no ordinary relocation left at that place */
		CU_ASSERT_PTR_NULL(hp_section_rela_at(fs->sec, recs[i].offset));
	}
	rc = find_record(recs, n, "helper");
	CU_ASSERT_PTR_NOT_NULL_FATAL(rc);
	CU_ASSERT_EQUAL(rc->sympos, 1);
	CU_ASSERT(rc->type == R_X86_64_PLT32 || rc->type == R_X86_64_PC32);
	CU_ASSERT_EQUAL(rc->addend, -4);
	rc = find_record(recs, n, "counter");
	CU_ASSERT_PTR_NOT_NULL_FATAL(rc);
	CU_ASSERT_EQUAL(rc->type, R_X86_64_PC32);
	rc = find_record(recs, n, "hidden_global");
	CU_ASSERT_PTR_NOT_NULL_FATAL(rc);
	CU_ASSERT_EQUAL(rc->sympos, 0);
	CU_ASSERT_PTR_NULL(find_record(recs, n, "exported_fn"));
	CU_ASSERT_PTR_NULL(find_record(recs, n, "printk"));
	assert_no_reference(e, "helper");
	assert_no_reference(e, "hidden_global");
	CU_ASSERT_PTR_NOT_NULL(hp_elf_find_symbol(e, "exported_fn"));
	CU_ASSERT_PTR_NOT_NULL(hp_elf_find_symbol(e, "printk"));
	hp_elf_free(e);

	/* linked with another object: only exports stay undefined */
	{
		char cmd[2048], *linked = work_path("linked.o"), *undef = work_path("undef.txt");
		size_t len;
		char *text;

		snprintf(cmd, sizeof(cmd),
			 "ld -r -o '%s' '%s' '%s' && nm -u '%s' | awk '{print $2}' | sort > '%s'",
			 linked, res.out, R "/c.o", linked, undef);
		CU_ASSERT_EQUAL_FATAL(system(cmd), 0);
		text = read_file(undef, &len);
		CU_ASSERT_PTR_NOT_NULL_FATAL(text);
		CU_ASSERT_STRING_EQUAL(text, "__fentry__\nprintk\n");
		/* the records survive ld -r: same count, still naming .text.foo */
		CU_ASSERT_EQUAL_FATAL(hp_elf_open(linked, &e, &res.err), 0);
		CU_ASSERT_EQUAL(read_records(e, recs, 16, true), n);
		CU_ASSERT_STRING_EQUAL(recs[0].sec->name, ".text.foo");
		hp_elf_free(e);
		free(text);
		free(linked);
		free(undef);
	}
	result_free(&res);
	free(sv);
}

/* The other file's statics: the second of each name. */
static void test_resolve_neighbourhood_other_file(void)
{
	char *sv = symvers_file(NULL);
	const struct hp_verdict *v;
	struct result res;

	diff_resolve(&res, R "/b.o", R "/b.patched.o", NULL, R "/vmlinux.map", NULL, sv,
		     NULL, 0);
	CU_ASSERT_EQUAL_FATAL(res.ret, 0);
	v = hp_diff_verdict(res.d);
	expect_ext(v, "helper", "deferred", "vmlinux", "helper", 2);
	expect_ext(v, "counter", "deferred", "vmlinux", "counter", 2);
	result_free(&res);
	free(sv);
}

/* The changed function's own sympos, for the module step (.hotpatch.funcs). */
static uint32_t funcs_sympos(const char *path, const char *name)
{
	struct hp_error err = { 0 };
	struct hp_funcs *f = NULL;
	uint32_t pos = 999;
	size_t i;

	CU_ASSERT_EQUAL_FATAL(hp_funcs_read(path, &f, &err), 0);
	for (i = 0; i < f->nr; i++)
		if (!strcmp(f->ents[i].old_name, name))
			pos = f->ents[i].sympos;
	hp_funcs_free(f);
	return pos;
}

static const char *hide_neighbours(const char *line);

static void test_resolve_changed_function_sympos(void)
{
	static const char *const ov[] = { "helper=1" };
	char *sv = symvers_file(NULL);
	char *ks = kallsyms_variant("kallsyms-ambiguous-fn", hide_neighbours,
				    "ffffffff81000200 t a_unique\n");
	const struct hp_refusal *rf;
	struct result res;

	/* b.c's helper() changed: a.c's is sympos 1, b.c's 2 (neighbours) */
	diff_resolve(&res, R "/b.o", R "/b-helper.patched.o", NULL, R "/vmlinux.map",
		     NULL, sv, NULL, 0);
	if (res.ret)
		fprintf(stderr, "\n    %s", res.err.msg);
	CU_ASSERT_EQUAL_FATAL(res.ret, 0);
	CU_ASSERT_EQUAL(funcs_sympos(res.out, "helper"), 2);
	result_free(&res);
	/* a unique name: 0, as the manifest wants it */
	diff_resolve(&res, R "/a.o", R "/a.patched.o", NULL, R "/vmlinux.map", NULL, sv,
		     NULL, 0);
	CU_ASSERT_EQUAL_FATAL(res.ret, 0);
	CU_ASSERT_EQUAL(funcs_sympos(res.out, "foo"), 0);
	result_free(&res);
	/* neighbours that tell nothing: refused with the candidates, nothing written */
	diff_resolve(&res, R "/b.o", R "/b-helper.patched.o", NULL, ks, NULL, sv, NULL, 0);
	CU_ASSERT_EQUAL(res.ret, -ENOEXEC);
	CU_ASSERT_EQUAL(access(res.out, F_OK), -1);
	rf = hp_verdict_find_refusal(hp_diff_verdict(res.d), "ambiguous-symbol", "helper");
	CU_ASSERT_PTR_NOT_NULL_FATAL(rf);
	CU_ASSERT_PTR_NOT_NULL(strstr(rf->reason, "the changed function 'helper' has 2"));
	CU_ASSERT_PTR_NOT_NULL(strstr(rf->reason, "--sympos helper=N"));
	result_free(&res);
	/* --sympos wins over the neighbourhood, and is not reported as unused */
	diff_resolve(&res, R "/b.o", R "/b-helper.patched.o", NULL, R "/vmlinux.map",
		     NULL, sv, ov, 1);
	if (res.ret)
		fprintf(stderr, "\n    %s", res.err.msg);
	CU_ASSERT_EQUAL_FATAL(res.ret, 0);
	CU_ASSERT_EQUAL(funcs_sympos(res.out, "helper"), 1);
	CU_ASSERT_EQUAL(hp_diff_verdict(res.d)->nr_notes, 0);
	result_free(&res);
	free(ks);
	free(sv);
}

static const char *hide_neighbours(const char *line)
{
	/* strip everything a.c defines around the statics except themselves */
	static const char *const drop[] = { " a_unique", " a_one", " foo", " a_two",
					    " a_state", " b_one", " b_two",
					    " b_state" };
	size_t i;

	for (i = 0; i < sizeof(drop) / sizeof(drop[0]); i++)
		if (strstr(line, drop[i]) && !strstr(line, " helper") && !strstr(line, " counter"))
			return NULL;
	return line;
}

static const char *keep_a_unique_only(const char *line)
{
	return strstr(line, " hidden_global") || strstr(line, " a_unique") ? NULL : line;
}

static void test_resolve_ambiguous_and_override(void)
{
	char *sv = symvers_file(NULL);
	char *ks = kallsyms_variant("kallsyms-ambiguous", hide_neighbours,
				    "ffffffff81000200 t a_unique\n");
	static const char *const ov[] = { "helper=2", "counter=2", "unused=3" };
	const struct hp_refusal *rf;
	const struct hp_verdict *v;
	struct result res;

	diff_resolve(&res, R "/a.o", R "/a.patched.o", NULL, ks, NULL, sv, NULL, 0);
	CU_ASSERT_EQUAL(res.ret, -ENOEXEC);
	CU_ASSERT_EQUAL(access(res.out, F_OK), -1);	/* nothing written */
	v = hp_diff_verdict(res.d);
	CU_ASSERT_FALSE(hp_verdict_eligible(v));
	rf = hp_verdict_find_refusal(v, "ambiguous-symbol", "helper");
	CU_ASSERT_PTR_NOT_NULL_FATAL(rf);
	/* both candidates, with address and neighbours, and the option */
	CU_ASSERT_PTR_NOT_NULL(strstr(rf->reason, "sympos 1 at 0xffffffff81000000"));
	CU_ASSERT_PTR_NOT_NULL(strstr(rf->reason, "sympos 2 at 0xffffffff810000d0"));
	CU_ASSERT_PTR_NOT_NULL(strstr(rf->reason, "near "));
	CU_ASSERT_PTR_NOT_NULL(strstr(rf->reason, "--sympos helper=N"));
	CU_ASSERT_PTR_NOT_NULL(rf->file);		/* DWARF line of the static */
	CU_ASSERT(rf->line > 0);
	expect_ext(v, "helper", "refused", NULL, NULL, 0);
	/* the static next to foo's 'calls' is still told apart */
	expect_ext(v, "counter", "deferred", "vmlinux", "counter", 1);
	result_free(&res);

	/* --sympos decides */
	diff_resolve(&res, R "/a.o", R "/a.patched.o", NULL, ks, NULL, sv, ov, 3);
	if (res.ret)
		fprintf(stderr, "\n    %s", res.err.msg);
	CU_ASSERT_EQUAL_FATAL(res.ret, 0);
	v = hp_diff_verdict(res.d);
	expect_ext(v, "helper", "deferred", "vmlinux", "helper", 2);
	/* an override wins over the neighbourhood */
	expect_ext(v, "counter", "deferred", "vmlinux", "counter", 2);
	CU_ASSERT_EQUAL_FATAL(v->nr_notes, 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(v->notes[0], "--sympos unused=3 was not needed"));
	result_free(&res);
	free(ks);

	/* an override past the last one is refused */
	{
		static const char *const bad[] = { "helper=3" };

		diff_resolve(&res, R "/a.o", R "/a.patched.o", NULL, R "/vmlinux.map", NULL,
			     sv, bad, 1);
		CU_ASSERT_EQUAL(res.ret, -ENOEXEC);
		rf = hp_verdict_find_refusal(hp_diff_verdict(res.d), "unknown-symbol", "helper");
		CU_ASSERT_PTR_NOT_NULL_FATAL(rf);
		CU_ASSERT_PTR_NOT_NULL(strstr(rf->reason, "no position 3"));
		result_free(&res);
	}

	/* a name the kernel does not have */
	ks = kallsyms_variant("kallsyms-unknown", keep_a_unique_only, NULL);
	diff_resolve(&res, R "/a.o", R "/a.patched.o", NULL, ks, NULL, sv, NULL, 0);
	CU_ASSERT_EQUAL(res.ret, -ENOEXEC);
	v = hp_diff_verdict(res.d);
	rf = hp_verdict_find_refusal(v, "unknown-symbol", "a_unique");
	CU_ASSERT_PTR_NOT_NULL_FATAL(rf);
	CU_ASSERT_PTR_NOT_NULL(strstr(rf->reason, "'vmlinux'"));
	CU_ASSERT_PTR_NOT_NULL(hp_verdict_find_refusal(v, "unknown-symbol", "hidden_global"));
	result_free(&res);
	free(ks);
	free(sv);
}

static const char *a_state_percpu(const char *line)
{
	static char buf[256];
	const char *at = strstr(line, " b a_state");

	if (!at || at[10])
		return line;
	snprintf(buf, sizeof(buf), "%.*s A a_state", (int)(at - line), line);
	return buf;
}

/* kallsyms types every per-cpu variable 'A', static or not */
static void test_resolve_percpu_static(void)
{
	char *sv = symvers_file(NULL);
	char *ks = kallsyms_variant("kallsyms-percpu", a_state_percpu, NULL);
	struct hp_resolve_opts ro = { .symbols = ks, .symvers = sv, .orig = R "/a.o" };
	struct hp_ksym_info in;
	struct hp_error err = { 0 };
	struct hp_resolve *r;

	CU_ASSERT_EQUAL_FATAL(hp_resolve_new(&ro, &r, &err), 0);
	CU_ASSERT_EQUAL_FATAL(hp_resolve_symbol(r, "a_state", &in, &err), 0);
	CU_ASSERT_EQUAL(in.type, 'A');
	CU_ASSERT_EQUAL(in.sympos, 0);
	hp_resolve_free(r);
	free(ks);
	free(sv);
}

/* gcc numbered the function-local static differently in the kernel build */
static char renumber_from[64];
static const char *renumber(const char *line)
{
	static char buf[256];
	const char *at = strstr(line, renumber_from);

	if (!at || at[strlen(renumber_from)])
		return line;
	snprintf(buf, sizeof(buf), "%.*s calls.7", (int)(at - line), line);
	return buf;
}

/* the renumbered static dropped here, appended far from a.c's symbols */
static const char *renumber_alone(const char *line)
{
	return renumber(line) != line ? NULL : line;
}

static void test_resolve_renumbered_static(void)
{
	char *sv = symvers_file(NULL), *ks;
	struct hp_symbol *calls = NULL, *s;
	const struct hp_verdict *v;
	struct hp_error err = { 0 };
	struct hp_elf *orig;
	struct result res;

	CU_ASSERT_EQUAL_FATAL(hp_elf_open(R "/a.o", &orig, &err), 0);
	hp_for_each_symbol(orig, s)
		if (!strncmp(s->name, "calls.", 6))
			calls = s;
	CU_ASSERT_PTR_NOT_NULL_FATAL(calls);
	CU_ASSERT_STRING_NOT_EQUAL_FATAL(calls->name, "calls.7");
	snprintf(renumber_from, sizeof(renumber_from), " %s", calls->name);

	ks = kallsyms_variant("kallsyms-renumbered", renumber, NULL);
	diff_resolve(&res, R "/a.o", R "/a.patched.o", NULL, ks, NULL, sv, NULL, 0);
	if (res.ret)
		fprintf(stderr, "\n    %s", res.err.msg);
	CU_ASSERT_EQUAL_FATAL(res.ret, 0);
	v = hp_diff_verdict(res.d);
	/* found by its normalised name next to a.c's symbols; kallsyms' name */
	CU_ASSERT_PTR_NOT_NULL_FATAL(v->nr_externals);
	{
		size_t i;
		const struct hp_verdict_sym *e = NULL;

		for (i = 0; i < v->nr_externals; i++)
			if (!strncmp(v->externals[i].name, "calls.", 6))
				e = &v->externals[i];
		CU_ASSERT_PTR_NOT_NULL_FATAL(e);
		CU_ASSERT_STRING_EQUAL(e->resolution, "deferred");
		CU_ASSERT_STRING_EQUAL(e->ksym, "calls.7");
		CU_ASSERT_EQUAL(e->sympos, 0);
	}
	{
		struct record recs[16];
		struct hp_elf *e;
		size_t n;

		CU_ASSERT_EQUAL_FATAL(hp_elf_open(res.out, &e, &res.err), 0);
		n = read_records(e, recs, 16, false);
		CU_ASSERT_PTR_NOT_NULL(find_record(recs, n, "calls.7"));
		hp_elf_free(e);
	}
	result_free(&res);
	free(ks);

	/* the same, away from a.c's symbols: refused, never guessed */
	ks = kallsyms_variant("kallsyms-renumbered-alone", renumber_alone,
			      "ffffffff8100ffff b calls.7\n");
	diff_resolve(&res, R "/a.o", R "/a.patched.o", NULL, ks, NULL, sv, NULL, 0);
	CU_ASSERT_EQUAL(res.ret, -ENOEXEC);
	v = hp_diff_verdict(res.d);
	{
		const struct hp_refusal *rf = NULL;
		size_t i;

		for (i = 0; i < v->nr_refusals; i++)
			if (!strncmp(v->refusals[i].symbol, "calls.", 6))
				rf = &v->refusals[i];
		CU_ASSERT_PTR_NOT_NULL_FATAL(rf);
		CU_ASSERT_PTR_NOT_NULL(strstr(rf->reason, "calls.7"));
	}
	result_free(&res);
	hp_elf_free(orig);
	free(ks);
	free(sv);
}

/* A module target: every symbol of the module is deferred, even exports. */
static void test_resolve_module_target(void)
{
	char *sv = symvers_file("0x44444444\thidden_global\tamod\tEXPORT_SYMBOL\t\n");
	char *ks = work_path("kallsyms-amod");
	char *ko = work_path("amod.ko");
	const struct hp_verdict *v;
	struct record recs[16];
	struct result res;
	struct hp_elf *e;
	char cmd[1024];
	size_t n, i;

	/* the module: a.c and c.c linked together */
	snprintf(cmd, sizeof(cmd), "ld -r -o '%s' '%s' '%s'", ko, R "/a.o", R "/c.o");
	CU_ASSERT_EQUAL_FATAL(system(cmd), 0);
	write_text(ks, "ffffffff81000000 T _stext\nffffffff81000010 T printk\n");
	diff_resolve(&res, R "/a.o", R "/a.patched.o", "amod", ks, ko, sv, NULL, 0);
	if (res.ret)
		fprintf(stderr, "\n    %s", res.err.msg);
	CU_ASSERT_EQUAL_FATAL(res.ret, 0);
	v = hp_diff_verdict(res.d);
	expect_ext(v, "helper", "deferred", "amod", "helper", 0);
	expect_ext(v, "a_unique", "deferred", "amod", "a_unique", 0);
	/* exported, but by the target module itself: still deferred */
	expect_ext(v, "hidden_global", "deferred", "amod", "hidden_global", 0);
	expect_ext(v, "exported_fn", "deferred", "amod", "exported_fn", 0);
	expect_ext(v, "printk", "exported", "vmlinux", NULL, 0);
	CU_ASSERT_EQUAL(v->nr_import_ns, 0);
	CU_ASSERT_EQUAL_FATAL(hp_elf_open(res.out, &e, &res.err), 0);
	n = read_records(e, recs, 16, false);
	for (i = 0; i < n; i++)
		CU_ASSERT_STRING_EQUAL(recs[i].obj, "amod");
	CU_ASSERT_PTR_NOT_NULL(find_record(recs, n, "exported_fn"));
	assert_no_reference(e, "exported_fn");
	hp_elf_free(e);
	result_free(&res);

	/* a module patch may use what vmlinux has but does not export */
	{
		char *sv2 = symvers_file(NULL);
		char *ko2 = work_path("amod2.ko");
		char cmd2[1024];

		snprintf(cmd2, sizeof(cmd2), "ld -r -o '%s' '%s'", ko2, R "/a.o");
		CU_ASSERT_EQUAL_FATAL(system(cmd2), 0);
		write_text(ks, "ffffffff81000000 T _stext\nffffffff81000010 T printk\n"
			   "ffffffff81000020 T hidden_global\nffffffff81000030 T exported_fn\n"
			   "ffffffff81000040 T _etext\n");
		diff_resolve(&res, R "/a.o", R "/a.patched.o", "amod", ks, ko2, sv2, NULL, 0);
		CU_ASSERT_EQUAL_FATAL(res.ret, 0);
		v = hp_diff_verdict(res.d);
		expect_ext(v, "hidden_global", "deferred", "vmlinux", "hidden_global", 0);
		expect_ext(v, "exported_fn", "exported", "vmlinux", NULL, 0);
		expect_ext(v, "helper", "deferred", "amod", "helper", 0);
		CU_ASSERT_EQUAL_FATAL(hp_elf_open(res.out, &e, &res.err), 0);
		n = read_records(e, recs, 16, false);
		CU_ASSERT_STRING_EQUAL(find_record(recs, n, "hidden_global")->obj, "vmlinux");
		CU_ASSERT_STRING_EQUAL(find_record(recs, n, "helper")->obj, "amod");
		hp_elf_free(e);
		result_free(&res);
		free(ko2);
		free(sv2);
	}

	/* without the module's symbols: an error that says what to give */
	{
		struct hp_resolve_opts ro = { .target = "amod", .symbols = ks, .symvers = sv };
		struct hp_error err = { 0 };
		struct hp_resolve *r;

		CU_ASSERT_EQUAL(hp_resolve_new(&ro, &r, &err), -ENOENT);
		CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "--module-object"));
	}
	free(ks);
	free(ko);
	free(sv);
}

/*
 * WARN_ON and pr_debug in a changed function, resolved for vmlinux and for a
 * module: the bug entry's file name (.LC0) and the dynamic-debug descriptor
 * with its static key are the patch's own, so nothing about them is an
 * external, refused as load-time-reference or looked up in the target.
 */
static void test_resolve_bug_and_dyndbg_own_data(void)
{
	static const struct {
		const char *c, *target;
	} cases[] = {
		{ "071-warn-label-other-function", NULL },
		{ "072-warn-added-module", "mymod" },
		{ "073-pr-debug-jump-label-module", "mymod" },
		{ "074-pr-debug-jump-label-vmlinux", NULL },
	};
	char *sv = symvers_file("0x55555555\t__dynamic_pr_debug\tvmlinux\tEXPORT_SYMBOL\t\n");
	char *ks = work_path("kallsyms-mymod");
	char *ko = work_path("mymod.ko");
	size_t i;

	write_text(ks, "ffffffff81000000 T _stext\nffffffff81000010 T printk\n"
		   "ffffffff81000040 T _etext\n");
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char orig[1024], patched[1024], cmd[2048];
		const struct hp_verdict *v;
		struct hp_symbol *sym;
		struct result res;
		struct hp_elf *e;
		size_t k;

		snprintf(orig, sizeof(orig), "%s/%s.orig.o", CASES_OUT, cases[i].c);
		snprintf(patched, sizeof(patched), "%s/%s.patched.o", CASES_OUT, cases[i].c);
		if (cases[i].target) {
			snprintf(cmd, sizeof(cmd), "ld -r -o '%s' '%s'", ko, orig);
			CU_ASSERT_EQUAL_FATAL(system(cmd), 0);
		}
		diff_resolve(&res, orig, patched, cases[i].target,
			     cases[i].target ? ks : R "/vmlinux.map",
			     cases[i].target ? ko : NULL, sv, NULL, 0);
		if (res.ret)
			fprintf(stderr, "\n    %s: %s", cases[i].c, res.err.msg);
		CU_ASSERT_EQUAL(res.ret, 0);
		v = hp_diff_verdict(res.d);
		CU_ASSERT_EQUAL(v->nr_refusals, 0);
		for (k = 0; k < v->nr_refusals; k++)
			fprintf(stderr, "\n    %s: refused %s %s: %s", cases[i].c,
				hp_refusal_id(v->refusals[k].kind), v->refusals[k].symbol,
				v->refusals[k].reason);
		for (k = 0; k < v->nr_externals; k++)
			CU_ASSERT_FALSE(!strncmp(v->externals[k].name, ".L", 2) ||
					!strncmp(v->externals[k].name, "__UNIQUE_ID", 11));
		if (!res.ret && hp_elf_open(res.out, &e, &res.err) == 0) {
			hp_for_each_symbol(e, sym)
				if (!sym->sec && sym->name[0] == '.')
					CU_FAIL("a label is undefined in the resolved object");
			/* what is deferred is resolved at load time: none of it is ours */
			CU_ASSERT_PTR_NULL(hp_elf_find_section(e, ".hotpatch.klp_relocs"));
			hp_elf_free(e);
		}
		result_free(&res);
	}
	free(ks);
	free(ko);
	free(sv);
}

/* Standalone resolve of one special.c variant. */
static int resolve_special(const char *kind, struct hp_resolve **rp, char **out)
{
	char *sv = symvers_file(NULL), obj[512];
	struct hp_resolve_opts ro = { .symbols = R "/vmlinux.map", .symvers = sv };
	struct hp_error err = { 0 };
	int ret;

	snprintf(obj, sizeof(obj), "%s/special-%s.o", R, kind);
	ro.orig = obj;
	*out = work_path("special-out.o");
	unlink(*out);
	CU_ASSERT_EQUAL_FATAL(hp_resolve_new(&ro, rp, &err), 0);
	ret = hp_resolve_object(*rp, obj, *out, &err);
	if (ret && ret != -ENOEXEC)
		fprintf(stderr, "\n    %s: %s", kind, err.msg);
	free(sv);
	return ret;
}

static void test_resolve_load_time_tables(void)
{
	/* tables the 6.1 loader uses before it applies .klp.rela.vmlinux: refused */
	static const struct {
		const char *kind, *symbol, *section, *rule;
	} cases[] = {
		{ "bug_table", "hidden_global", "__bug_table", "load-time-reference" },
		{ "orc", "hidden_global", ".orc_unwind_ip", "load-time-reference" },
		{ "pc16", "hidden_global", "type 13", "unsupported" },
	};
	/*
	 * Tables it uses only after (apply_relocations() before
	 * post_relocation() and the COMING notifiers): the vmlinux reference
	 * becomes a record like any other, type and addend kept.
	 */
	static const struct {
		const char *kind, *symbol, *section;
		uint32_t type;
		uint64_t offset;
		int64_t addend;
	} deferred[] = {
		{ "jump_table", "hidden_key", "__jump_table", R_X86_64_PC64, 8, 0 },
		{ "static_call", "__SCK__hidden", ".static_call_sites", R_X86_64_PC32, 4, 0 },
		{ "altinstr", "hidden_global", ".altinstr_replacement", R_X86_64_PLT32, 1, -4 },
		{ "paravirt", "hidden_global", ".parainstructions", R_X86_64_64, 8, 0 },
		{ "ex_table", "hidden_global", "__ex_table", R_X86_64_PC32, 4, 0 },
		{ "pc64", "hidden_global", ".data.pc64", R_X86_64_PC64, 0, 0 },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct hp_refusal *rf;
		const struct hp_verdict *v;
		struct hp_resolve *r;
		char *out;
		int ret = resolve_special(cases[i].kind, &r, &out);

		CU_ASSERT_EQUAL(ret, -ENOEXEC);
		CU_ASSERT_EQUAL(access(out, F_OK), -1);
		v = hp_resolve_verdict(r);
		rf = hp_verdict_find_refusal(v, cases[i].rule, cases[i].symbol);
		CU_ASSERT_PTR_NOT_NULL(rf);
		if (!rf)
			fprintf(stderr, "\n    %s: no %s refusal for %s", cases[i].kind,
				cases[i].rule, cases[i].symbol);
		else
			CU_ASSERT_PTR_NOT_NULL(strstr(rf->reason, cases[i].section));
		/* the table entries name the patched function */
		if (rf && !strcmp(cases[i].kind, "bug_table"))
			CU_ASSERT_PTR_NOT_NULL(strstr(rf->reason, "entry for 'user'"));
		CU_ASSERT_TRUE(strlen(hp_refusal_workaround(HP_REFUSE_LOAD_TIME_REFERENCE)) > 0);
		hp_resolve_free(r);
		free(out);
	}
	for (i = 0; i < sizeof(deferred) / sizeof(deferred[0]); i++) {
		const struct record *rec = NULL;
		struct record recs[8];
		struct hp_error err = { 0 };
		struct hp_resolve *r;
		struct hp_elf *e;
		size_t n, j;
		char *out;
		int ret = resolve_special(deferred[i].kind, &r, &out);

		CU_ASSERT_EQUAL(ret, 0);
		if (ret) {
			fprintf(stderr, "\n    %s: not resolved", deferred[i].kind);
			hp_resolve_free(r);
			free(out);
			continue;
		}
		CU_ASSERT_EQUAL_FATAL(hp_elf_open(out, &e, &err), 0);
		n = read_records(e, recs, 8, false);
		for (j = 0; j < n; j++)
			if (!strcmp(recs[j].sym, deferred[i].symbol) &&
			    !strcmp(recs[j].sec->name, deferred[i].section))
				rec = &recs[j];
		CU_ASSERT_PTR_NOT_NULL(rec);
		if (!rec) {
			fprintf(stderr, "\n    %s: no record in %s", deferred[i].kind,
				deferred[i].section);
		} else {
			CU_ASSERT_STRING_EQUAL(rec->obj, "vmlinux");
			CU_ASSERT_EQUAL(rec->type, deferred[i].type);
			CU_ASSERT_EQUAL(rec->offset, deferred[i].offset);
			CU_ASSERT_EQUAL(rec->addend, deferred[i].addend);
			/* the place is zero: the kernel refuses to relocate anything else */
			CU_ASSERT_TRUE(rec->sec->data[rec->offset] == 0 &&
				       rec->sec->data[rec->offset + 1] == 0 &&
				       rec->sec->data[rec->offset + 2] == 0 &&
				       rec->sec->data[rec->offset + 3] == 0);
		}
		assert_no_reference(e, deferred[i].symbol);
		hp_elf_free(e);
		hp_resolve_free(r);
		free(out);
	}
}

/* ---- jump labels and static calls in changed functions (cases 090-094) ---- */

#define CASE(name, side) CASES_OUT "/" name "." side ".o"

/* vmlinux as the cases see it: keys and trampolines, none of them exported */
static const char tp_kallsyms[] =
	"ffffffff81000000 T _stext\n"
	"ffffffff81000010 T printk\n"
	"ffffffff81000020 T __SCT__tp_func_task_thing\n"
	"ffffffff81000030 T __SCT__preempt_schedule_notrace\n"
	"ffffffff81000040 T __SCT__hidden_call\n"
	"ffffffff81000050 T _etext\n"
	"ffffffff81100000 D __tracepoint_task_thing\n"
	"ffffffff81100040 D __SCK__tp_func_task_thing\n"
	"ffffffff81100050 D __SCK__preempt_schedule_notrace\n"
	"ffffffff81100060 D __SCK__hidden_call\n"
	"ffffffff81100070 D preempt_count_var\n"
	"ffffffff81100074 D counter\n";

static const struct record *record_in(const struct record *recs, size_t n,
				      const char *sym, const char *sec)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(recs[i].sym, sym) && !strcmp(recs[i].sec->name, sec))
			return &recs[i];
	return NULL;
}

static void expect_record(const struct record *recs, size_t n, const char *sym,
			  const char *sec, const char *obj, uint32_t type, int64_t addend)
{
	const struct record *r = record_in(recs, n, sym, sec);

	CU_ASSERT_PTR_NOT_NULL(r);
	if (!r) {
		fprintf(stderr, "\n    no record for %s in %s", sym, sec);
		return;
	}
	CU_ASSERT_STRING_EQUAL(r->obj, obj);
	CU_ASSERT_EQUAL(r->type, type);
	CU_ASSERT_EQUAL(r->addend, addend);
	if (r->type != type || r->addend != addend)
		fprintf(stderr, "\n    %s in %s: type %u addend %lld", sym, sec, r->type,
			(long long)r->addend);
}

static bool has_note(const struct hp_verdict *v, const char *a, const char *b)
{
	size_t i;

	for (i = 0; i < v->nr_notes; i++)
		if (strstr(v->notes[i], a) && (!b || strstr(v->notes[i], b)))
			return true;
	return false;
}

/*
 * 090: a tracepoint in changed vmlinux code. The 6.1 module loader applies
 * .klp.rela.vmlinux.* in apply_relocations(), before the COMING notifiers
 * set up jump labels and static calls: every key becomes a record, the jump
 * label's key R_X86_64_PC64 with its addend (8: the key in struct
 * tracepoint, + 2: the flag CONFIG_HAVE_JUMP_LABEL_HACK passes).
 */
static void test_resolve_tracepoint_vmlinux_key(void)
{
	char *sv = symvers_file(NULL), *ks = work_path("kallsyms-tp");
	struct record recs[16];
	struct result res;
	struct hp_elf *e;
	size_t n;

	write_text(ks, tp_kallsyms);
	diff_resolve(&res, CASE("090-tracepoint-vmlinux-key", "orig"),
		     CASE("090-tracepoint-vmlinux-key", "patched"), "vmlinux", ks, NULL, sv,
		     NULL, 0);
	if (res.ret)
		fprintf(stderr, "\n    %s", res.err.msg);
	CU_ASSERT_EQUAL_FATAL(res.ret, 0);
	CU_ASSERT_EQUAL(hp_diff_verdict(res.d)->nr_refusals, 0);
	CU_ASSERT_EQUAL_FATAL(hp_elf_open(res.out, &e, &res.err), 0);
	n = read_records(e, recs, 16, false);
	expect_record(recs, n, "__tracepoint_task_thing", "__jump_table", "vmlinux",
		      R_X86_64_PC64, 8 + 2);
	CU_ASSERT_EQUAL(record_in(recs, n, "__tracepoint_task_thing", "__jump_table")->offset, 8);
	expect_record(recs, n, "__SCK__tp_func_task_thing", ".static_call_sites", "vmlinux",
		      R_X86_64_PC32, 0);
	expect_record(recs, n, "__SCK__preempt_schedule_notrace", ".static_call_sites",
		      "vmlinux", R_X86_64_PC32, 0);
	/* the body's read of ->funcs */
	CU_ASSERT_PTR_NOT_NULL(record_in(recs, n, "__tracepoint_task_thing", ".text.foo"));
	assert_no_reference(e, "__tracepoint_task_thing");
	assert_no_reference(e, "__SCK__tp_func_task_thing");
	/* the trampolines stay calls the records resolve too */
	CU_ASSERT_PTR_NOT_NULL(record_in(recs, n, "__SCT__tp_func_task_thing", ".text.foo"));
	CU_ASSERT_EQUAL(hp_elf_find_section(e, "__jump_table")->size, 16);
	CU_ASSERT_EQUAL(hp_elf_find_section(e, ".static_call_sites")->size, 16);
	hp_elf_free(e);
	result_free(&res);
	free(ks);
	free(sv);
}

/* 091: a tail call (flag 1 in the key's low bits) on a non-exported vmlinux key */
static void test_resolve_static_call_vmlinux_key(void)
{
	char *sv = symvers_file(NULL), *ks = work_path("kallsyms-tp");
	struct record recs[16];
	struct result res;
	struct hp_elf *e;
	size_t n;

	write_text(ks, tp_kallsyms);
	diff_resolve(&res, CASE("091-static-call-vmlinux-key", "orig"),
		     CASE("091-static-call-vmlinux-key", "patched"), "vmlinux", ks, NULL, sv,
		     NULL, 0);
	if (res.ret)
		fprintf(stderr, "\n    %s", res.err.msg);
	CU_ASSERT_EQUAL_FATAL(res.ret, 0);
	CU_ASSERT_EQUAL_FATAL(hp_elf_open(res.out, &e, &res.err), 0);
	n = read_records(e, recs, 16, false);
	expect_record(recs, n, "__SCK__hidden_call", ".static_call_sites", "vmlinux",
		      R_X86_64_PC32, 1);
	CU_ASSERT_EQUAL(record_in(recs, n, "__SCK__hidden_call", ".static_call_sites")->offset, 4);
	hp_elf_free(e);
	result_free(&res);
	free(ks);
	free(sv);
}

/*
 * The module "mymod" of cases 092-094: the case's file, linked with another
 * file that defines the module's keys, a tracepoint and trampolines.
 */
static char *mymod_ko(const char *casename)
{
	char *src = work_path("mymod-defs.c"), *defs = work_path("mymod-defs.o");
	char *ko = work_path("mymod.ko"), cmd[2048];

	write_text(src,
		   "struct static_key { int enabled; };\n"
		   "struct tracepoint { const char *name; struct static_key key; void *p[6]; };\n"
		   "struct tracepoint __tracepoint_mod_event = { \"mod_event\" };\n"
		   "struct { void *func; long type; } __SCK__tp_func_mod_event, __SCK__mod_call;\n"
		   "struct static_key mod_fast_key;\n"
		   "int counter;\n"
		   "void __SCT__tp_func_mod_event(void) { }\n"
		   "void __SCT__mod_call(void) { }\n");
	snprintf(cmd, sizeof(cmd),
		 "gcc -O2 -mcmodel=kernel -fno-pic -c -o '%s' '%s' && ld -r -o '%s' '%s' '%s'",
		 defs, src, ko, defs, casename);
	CU_ASSERT_EQUAL_FATAL(system(cmd), 0);
	free(src);
	free(defs);
	return ko;
}

/* A module target's vmlinux: the keys of preempt_enable_notrace(), not exported. */
static const char mod_kallsyms[] =
	"ffffffff81000000 T _stext\n"
	"ffffffff81000010 T printk\n"
	"ffffffff81000030 T __SCT__preempt_schedule_notrace\n"
	"ffffffff81000050 T _etext\n"
	"ffffffff81100050 D __SCK__preempt_schedule_notrace\n"
	"ffffffff81100070 D preempt_count_var\n";

/*
 * 092: a static call site on a key of the module being patched: the core
 * applies relocations to the module only after the loader has set up the
 * patch's static calls, so the site is dropped (a note says so); the call
 * itself goes through the module's trampoline, a record for the module.
 */
static void test_resolve_static_call_module_key(void)
{
	char *sv = symvers_file(NULL), *ks = work_path("kallsyms-mod");
	char *ko = mymod_ko(CASE("092-static-call-module-key", "orig"));
	const struct hp_verdict *v;
	struct record recs[16];
	struct result res;
	struct hp_elf *e;
	size_t n;

	write_text(ks, mod_kallsyms);
	diff_resolve(&res, CASE("092-static-call-module-key", "orig"),
		     CASE("092-static-call-module-key", "patched"), "mymod", ks, ko, sv,
		     NULL, 0);
	if (res.ret)
		fprintf(stderr, "\n    %s", res.err.msg);
	CU_ASSERT_EQUAL_FATAL(res.ret, 0);
	v = hp_diff_verdict(res.d);
	CU_ASSERT_EQUAL(v->nr_refusals, 0);
	CU_ASSERT_TRUE(has_note(v, "static call site in foo() on '__SCK__mod_call'",
				"only the inline patching of that call is lost"));
	CU_ASSERT_EQUAL_FATAL(hp_elf_open(res.out, &e, &res.err), 0);
	CU_ASSERT_EQUAL(hp_elf_find_section(e, ".static_call_sites")->size, 0);
	CU_ASSERT_PTR_NULL(hp_elf_find_section(e, ".static_call_sites")->rela);
	n = read_records(e, recs, 16, false);
	CU_ASSERT_PTR_NULL(record_in(recs, n, "__SCK__mod_call", ".static_call_sites"));
	expect_record(recs, n, "__SCT__mod_call", ".text.foo", "mymod", R_X86_64_PLT32, -4);
	assert_no_reference(e, "__SCK__mod_call");
	hp_elf_free(e);
	result_free(&res);
	free(ko);
	free(ks);
	free(sv);
}

/*
 * 093: a tracepoint of the module being patched. Its jump label becomes
 * the jump to the tracepoint's body (what the site holds while the event
 * is on) and the module-keyed entries go: the body reads ->funcs, so the
 * event fires from the new code when enabled and costs a test when not.
 * preempt_enable_notrace()'s key is vmlinux's: that site stays, a record.
 */
static void test_resolve_tracepoint_module_key(void)
{
	char *sv = symvers_file(NULL), *ks = work_path("kallsyms-mod");
	char *ko = mymod_ko(CASE("093-tracepoint-module-key", "orig"));
	const struct hp_verdict *v;
	struct hp_section *text, *sc;
	struct record recs[16];
	const struct hp_rela *jr;
	struct result res;
	struct hp_elf *e;
	size_t n;

	write_text(ks, mod_kallsyms);
	diff_resolve(&res, CASE("093-tracepoint-module-key", "orig"),
		     CASE("093-tracepoint-module-key", "patched"), "mymod", ks, ko, sv,
		     NULL, 0);
	if (res.ret)
		fprintf(stderr, "\n    %s", res.err.msg);
	CU_ASSERT_EQUAL_FATAL(res.ret, 0);
	v = hp_diff_verdict(res.d);
	CU_ASSERT_EQUAL(v->nr_refusals, 0);
	CU_ASSERT_TRUE(has_note(v, "jump label in foo() on tracepoint '__tracepoint_mod_event'",
				"made unconditional"));
	CU_ASSERT_TRUE(has_note(v, "static call site in foo() on '__SCK__tp_func_mod_event'", NULL));
	CU_ASSERT_EQUAL_FATAL(hp_elf_open(res.out, &e, &res.err), 0);
	CU_ASSERT_EQUAL(hp_elf_find_section(e, "__jump_table")->size, 0);
	sc = hp_elf_find_section(e, ".static_call_sites");
	CU_ASSERT_EQUAL_FATAL(sc->size, 8);
	n = read_records(e, recs, 16, false);
	/* the remaining site (entry 0 now) is preempt_enable_notrace()'s */
	expect_record(recs, n, "__SCK__preempt_schedule_notrace", ".static_call_sites",
		      "vmlinux", R_X86_64_PC32, 0);
	CU_ASSERT_EQUAL(record_in(recs, n, "__SCK__preempt_schedule_notrace",
				  ".static_call_sites")->offset, 4);
	jr = hp_section_rela_at(sc, 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(jr);
	CU_ASSERT_EQUAL(jr->offset, 0);
	/* the site: jmp rel32 to the body, relocated like the table's target field */
	text = hp_elf_find_section(e, ".text.foo");
	CU_ASSERT_PTR_NOT_NULL_FATAL(text);
	{
		struct hp_elf *pe;
		struct hp_section *pj, *ptext;
		const struct hp_rela *c, *t, *j;

		CU_ASSERT_EQUAL_FATAL(hp_elf_open(CASE("093-tracepoint-module-key", "patched"),
						  &pe, &res.err), 0);
		pj = hp_elf_find_section(pe, "__jump_table");
		ptext = hp_elf_find_section(pe, ".text.foo");
		c = hp_section_rela_at(pj, 0);
		t = hp_section_rela_at(pj, 4);
		CU_ASSERT_PTR_NOT_NULL_FATAL(c);
		CU_ASSERT_PTR_NOT_NULL_FATAL(t);
		CU_ASSERT_PTR_EQUAL(c->sym->sec, ptext);
		CU_ASSERT_EQUAL(ptext->data[c->addend], 0x0f);	/* the NOP it was */
		CU_ASSERT_EQUAL(text->data[c->addend], 0xe9);
		j = hp_section_rela_at(text, (uint64_t)c->addend + 1);
		CU_ASSERT_PTR_NOT_NULL_FATAL(j);
		CU_ASSERT_EQUAL(j->offset, (uint64_t)c->addend + 1);
		CU_ASSERT_EQUAL(j->type, R_X86_64_PC32);
		CU_ASSERT_EQUAL(j->addend, t->addend - 4);
		CU_ASSERT_STRING_EQUAL(j->sym->sec->name, t->sym->sec->name);
		hp_elf_free(pe);
	}
	/* ->funcs and the trampoline: records for the module, applied by the core */
	CU_ASSERT_PTR_NOT_NULL(record_in(recs, n, "__tracepoint_mod_event", ".text.foo"));
	CU_ASSERT_PTR_NULL(record_in(recs, n, "__tracepoint_mod_event", "__jump_table"));
	CU_ASSERT_PTR_NOT_NULL(record_in(recs, n, "__SCT__tp_func_mod_event", ".text.foo"));
	assert_no_reference(e, "__SCK__tp_func_mod_event");
	/* and it links */
	{
		char cmd[1024];

		snprintf(cmd, sizeof(cmd), "ld -r -o '%s.ld' '%s'", res.out, res.out);
		CU_ASSERT_EQUAL(system(cmd), 0);
	}
	hp_elf_free(e);
	result_free(&res);
	free(ko);
	free(ks);
	free(sv);
}

/* 095: a 2-byte site (objtool's NOP2) becomes jmp rel8 to the body, no relocation */
static void test_resolve_tracepoint_module_key_short(void)
{
	char *sv = symvers_file(NULL), *ks = work_path("kallsyms-mod");
	char *ko = mymod_ko(CASE("095-tracepoint-module-short", "orig"));
	struct hp_section *pj, *ptext, *text;
	const struct hp_rela *c, *t, *j;
	struct result res;
	struct hp_elf *e, *pe;

	write_text(ks, mod_kallsyms);
	diff_resolve(&res, CASE("095-tracepoint-module-short", "orig"),
		     CASE("095-tracepoint-module-short", "patched"), "mymod", ks, ko, sv,
		     NULL, 0);
	if (res.ret)
		fprintf(stderr, "\n    %s", res.err.msg);
	CU_ASSERT_EQUAL_FATAL(res.ret, 0);
	CU_ASSERT_EQUAL_FATAL(hp_elf_open(res.out, &e, &res.err), 0);
	CU_ASSERT_EQUAL(hp_elf_find_section(e, "__jump_table")->size, 0);
	CU_ASSERT_EQUAL_FATAL(hp_elf_open(CASE("095-tracepoint-module-short", "patched"), &pe,
					  &res.err), 0);
	pj = hp_elf_find_section(pe, "__jump_table");
	ptext = hp_elf_find_section(pe, ".text.foo");
	text = hp_elf_find_section(e, ".text.foo");
	c = hp_section_rela_at(pj, 0);
	t = hp_section_rela_at(pj, 4);
	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	CU_ASSERT_PTR_NOT_NULL_FATAL(t);
	CU_ASSERT_PTR_NOT_NULL_FATAL(text);
	CU_ASSERT_PTR_EQUAL_FATAL(t->sym->sec, ptext);
	CU_ASSERT_EQUAL(ptext->data[c->addend], 0x66);
	CU_ASSERT_EQUAL(text->data[c->addend], 0xeb);
	CU_ASSERT_EQUAL((int8_t)text->data[c->addend + 1], t->addend - (c->addend + 2));
	j = hp_section_rela_at(text, (uint64_t)c->addend + 1);
	CU_ASSERT_TRUE(!j || j->offset + j->width <= (uint64_t)c->addend ||
		       j->offset >= (uint64_t)c->addend + 2);
	hp_elf_free(pe);
	hp_elf_free(e);
	result_free(&res);
	free(ko);
	free(ks);
	free(sv);
}

/* 094: any other static key of the module: refused, saying why */
static void test_resolve_static_key_module_refused(void)
{
	char *sv = symvers_file(NULL), *ks = work_path("kallsyms-mod");
	char *ko = mymod_ko(CASE("094-static-key-module", "orig"));
	const struct hp_refusal *rf;
	struct result res;

	write_text(ks, mod_kallsyms);
	diff_resolve(&res, CASE("094-static-key-module", "orig"),
		     CASE("094-static-key-module", "patched"), "mymod", ks, ko, sv, NULL, 0);
	CU_ASSERT_EQUAL(res.ret, -ENOEXEC);
	CU_ASSERT_EQUAL(access(res.out, F_OK), -1);
	rf = hp_verdict_find_refusal(hp_diff_verdict(res.d), "module-jump-label",
				     "mod_fast_key");
	CU_ASSERT_PTR_NOT_NULL_FATAL(rf);
	CU_ASSERT_PTR_NOT_NULL(strstr(rf->reason, "jump label in foo() on 'mod_fast_key', a static key of module 'mymod'"));
	CU_ASSERT_PTR_NOT_NULL(strstr(rf->reason, "compiled default"));
	CU_ASSERT_PTR_NULL(hp_verdict_find_refusal(hp_diff_verdict(res.d),
						   "load-time-reference", "mod_fast_key"));
	CU_ASSERT_PTR_NOT_NULL(strstr(hp_refusal_workaround(HP_REFUSE_MODULE_JUMP_LABEL),
				      "static_key_enabled"));
	result_free(&res);
	free(ko);
	free(ks);
	free(sv);
}

/* The same object without a table: the ordinary call is simply deferred. */
static void test_resolve_standalone_ok_and_json(void)
{
	char *sv = symvers_file(NULL), *out = work_path("c-user.o");
	struct hp_resolve_opts ro = { .symbols = R "/vmlinux.map", .symvers = sv };
	struct hp_ksym_info in;
	struct hp_error err = { 0 };
	struct json_object *j, *a, *x, *f;
	struct hp_resolve *r;
	struct record recs[8];
	struct hp_elf *e;
	size_t n;
	char *src = work_path("user.c"), *obj = work_path("user.o"), cmd[1024];

	write_text(src, "int hidden_global(int);\nint user(int x) { return hidden_global(x) + 1; }\n");
	snprintf(cmd, sizeof(cmd), "gcc -O2 -mcmodel=kernel -fno-pic -c -o '%s' '%s'", obj, src);
	CU_ASSERT_EQUAL_FATAL(system(cmd), 0);
	ro.orig = obj;
	CU_ASSERT_EQUAL_FATAL(hp_resolve_new(&ro, &r, &err), 0);
	CU_ASSERT_EQUAL_FATAL(hp_resolve_object(r, obj, out, &err), 0);
	/* one resolver, one object */
	CU_ASSERT_EQUAL(hp_resolve_object(r, obj, out, &err), -EBUSY);
	j = hp_verdict_to_json(hp_resolve_verdict(r));
	CU_ASSERT_PTR_NOT_NULL_FATAL(j);
	CU_ASSERT_TRUE_FATAL(json_object_object_get_ex(j, "externals", &a));
	CU_ASSERT_EQUAL_FATAL(json_object_array_length(a), 1);
	x = json_object_array_get_idx(a, 0);
	CU_ASSERT_TRUE(json_object_object_get_ex(x, "resolution", &f));
	CU_ASSERT_STRING_EQUAL(json_object_get_string(f), "deferred");
	CU_ASSERT_TRUE(json_object_object_get_ex(x, "obj", &f));
	CU_ASSERT_STRING_EQUAL(json_object_get_string(f), "vmlinux");
	CU_ASSERT_TRUE(json_object_object_get_ex(x, "sympos", &f));
	CU_ASSERT_EQUAL(json_object_get_int(f), 0);
	json_object_put(j);
	CU_ASSERT_EQUAL_FATAL(hp_elf_open(out, &e, &err), 0);
	n = read_records(e, recs, 8, false);
	CU_ASSERT_EQUAL_FATAL(n, 1);
	CU_ASSERT_STRING_EQUAL(recs[0].sym, "hidden_global");
	CU_ASSERT_STRING_EQUAL(recs[0].obj, "vmlinux");
	CU_ASSERT_STRING_EQUAL(recs[0].sec->name, ".text");
	/* strings: "", "vmlinux", "hidden_global", nothing else */
	{
		struct hp_section *strs = hp_elf_find_section(e, ".hotpatch.klp_strs");

		CU_ASSERT_EQUAL(strs->size, 1 + 8 + 14);
		CU_ASSERT_EQUAL(memcmp(strs->data, "\0vmlinux\0hidden_global\0", 23), 0);
	}
	CU_ASSERT_EQUAL(le(recs[0].sec->data + recs[0].offset, 4), 0);
	CU_ASSERT_PTR_NULL(hp_elf_find_symbol(e, "hidden_global"));
	hp_elf_free(e);

	/* the H4 interface: name -> sympos, size */
	CU_ASSERT_EQUAL(hp_resolve_symbol(r, "user", &in, &err), -ENOENT);
	CU_ASSERT_EQUAL_FATAL(hp_resolve_symbol(r, "hidden_global", &in, &err), 0);
	CU_ASSERT_EQUAL(in.sympos, 0);
	CU_ASSERT_EQUAL(in.size, 0x10);
	CU_ASSERT_TRUE(in.size_exact);
	CU_ASSERT_PTR_NOT_NULL(hp_resolve_ksyms(r));
	hp_resolve_free(r);

	/* missing inputs */
	memset(&ro, 0, sizeof(ro));
	ro.symbols = R "/vmlinux.map";
	CU_ASSERT_EQUAL(hp_resolve_new(&ro, &r, &err), -EINVAL);
	ro.symvers = sv;
	ro.module_object = obj;
	memset(&err, 0, sizeof(err));
	CU_ASSERT_EQUAL(hp_resolve_new(&ro, &r, &err), -EINVAL);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "module target"));
	ro.module_object = NULL;
	ro.symbols = NULL;
	memset(&err, 0, sizeof(err));
	CU_ASSERT_EQUAL(hp_resolve_new(&ro, &r, &err), -EINVAL);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "--symbols"));
	{
		static const char *const bad[] = { "helper" };

		ro.symbols = R "/vmlinux.map";
		ro.sympos = bad;
		ro.nr_sympos = 1;
		memset(&err, 0, sizeof(err));
		CU_ASSERT_EQUAL(hp_resolve_new(&ro, &r, &err), -EINVAL);
		CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "NAME=N"));
		{
			static const char *const zero[] = { "helper=0" };

			ro.sympos = zero;
			memset(&err, 0, sizeof(err));
			CU_ASSERT_EQUAL(hp_resolve_new(&ro, &r, &err), -EINVAL);
		}
		ro.sympos = NULL;
		ro.nr_sympos = 0;
	}
	CU_ASSERT_EQUAL_FATAL(hp_resolve_new(&ro, &r, &err), 0);
	memset(&err, 0, sizeof(err));
	CU_ASSERT_EQUAL(hp_resolve_object(r, obj, out, &err), -EINVAL);	/* no orig */
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "--orig"));
	hp_resolve_free(r);

	/* not a patch object the differ writes: a section group */
	write_text(src, "int hidden_global(int);\n"
		   "__attribute__((section(\".text.grp\"))) int user(int x) { return hidden_global(x); }\n"
		   "asm(\".section .text.grp2,\\\"axG\\\",@progbits,grp,comdat\\n\\tret\\n\\t.previous\");\n");
	snprintf(cmd, sizeof(cmd), "gcc -O2 -mcmodel=kernel -fno-pic -c -o '%s' '%s'", obj, src);
	CU_ASSERT_EQUAL_FATAL(system(cmd), 0);
	ro.orig = obj;
	CU_ASSERT_EQUAL_FATAL(hp_resolve_new(&ro, &r, &err), 0);
	memset(&err, 0, sizeof(err));
	CU_ASSERT_EQUAL(hp_resolve_object(r, obj, out, &err), -ENOTSUP);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "hotpatch-build diff -o"));
	hp_resolve_free(r);
	free(src);
	free(obj);
	free(out);
	free(sv);
}

/* A new function of one patch object, called from another. */
static void test_resolve_siblings(void)
{
	char *sv = symvers_file(NULL), *out = work_path("sib-out.o"), cmd[1024];
	char *src = work_path("sib-user.c"), *obj = work_path("sib-user.o");
	char *src2 = work_path("sib-new.c"), *obj2 = work_path("sib-new.o");
	const char *sib[] = { obj2 };
	struct hp_resolve_opts ro = { .symbols = R "/vmlinux.map", .symvers = sv, .orig = obj };
	struct hp_error err = { 0 };
	struct hp_resolve *r;
	struct hp_elf *e;

	write_text(src, "int brand_new(int);\nint user(int x) { return brand_new(x) + 1; }\n");
	write_text(src2, "int brand_new(int x) { return x * 3; }\n");
	snprintf(cmd, sizeof(cmd), "gcc -O2 -mcmodel=kernel -fno-pic -c -o '%s' '%s' && "
		 "gcc -O2 -mcmodel=kernel -fno-pic -c -o '%s' '%s'", obj, src, obj2, src2);
	CU_ASSERT_EQUAL_FATAL(system(cmd), 0);
	/* alone: nobody provides it */
	CU_ASSERT_EQUAL_FATAL(hp_resolve_new(&ro, &r, &err), 0);
	CU_ASSERT_EQUAL(hp_resolve_object(r, obj, out, &err), -ENOEXEC);
	CU_ASSERT_PTR_NOT_NULL(hp_verdict_find_refusal(hp_resolve_verdict(r), "unknown-symbol",
						       "brand_new"));
	hp_resolve_free(r);
	/* with the object that defines it: left for the module's link */
	ro.siblings = sib;
	ro.nr_siblings = 1;
	CU_ASSERT_EQUAL_FATAL(hp_resolve_new(&ro, &r, &err), 0);
	CU_ASSERT_EQUAL_FATAL(hp_resolve_object(r, obj, out, &err), 0);
	expect_ext(hp_resolve_verdict(r), "brand_new", "patch", NULL, NULL, 0);
	CU_ASSERT_EQUAL_FATAL(hp_elf_open(out, &e, &err), 0);
	CU_ASSERT_PTR_NOT_NULL(hp_elf_find_symbol(e, "brand_new"));
	CU_ASSERT_PTR_NULL(hp_elf_find_section(e, ".hotpatch.klp_relocs"));
	hp_elf_free(e);
	hp_resolve_free(r);
	/* an unreadable sibling is an error */
	sib[0] = R "/nosuch.o";
	CU_ASSERT_EQUAL(hp_resolve_new(&ro, &r, &err), -ENOENT);
	free(sv);
	free(out);
	free(src);
	free(obj);
	free(src2);
	free(obj2);
}


/* ---- cases 140-159: one source file in vmlinux twice (included .c) -------- */

#define VMI R "/vmlinux-incl"

/*
 * 140: elf.c's elf_dump() changed; compat_elf.c includes elf.c, so vmlinux
 * has every static of it twice with the same neighbours. From the map
 * alone that is ambiguous: refused with the candidates.
 */
static void test_incl_map_alone_ambiguous(void)
{
	char *sv = symvers_file(NULL);
	const struct hp_refusal *rf;
	struct result res;

	diff_resolve(&res, R "/elf.o", R "/elf.patched.o", NULL, VMI ".map", NULL, sv,
		     NULL, 0);
	CU_ASSERT_EQUAL(res.ret, -ENOEXEC);
	CU_ASSERT_EQUAL(access(res.out, F_OK), -1);
	rf = hp_verdict_find_refusal(hp_diff_verdict(res.d), "ambiguous-symbol", "elf_dump");
	CU_ASSERT_PTR_NOT_NULL_FATAL(rf);
	CU_ASSERT_PTR_NOT_NULL(strstr(rf->reason, "the changed function 'elf_dump' has 2"));
	result_free(&res);
	free(sv);
}

/*
 * 141/142: with the unstripped vmlinux, the FILE symbols say which copy is
 * the original object's: elf.c's change patches sympos 1 and its statics
 * are elf.c's; compat_elf.c's (the same change, through the include)
 * patches sympos 2 with compat_elf.c's statics.
 */
static void test_incl_by_file(void)
{
	char *sv = symvers_file(NULL);
	const struct hp_verdict *v;
	struct result res;

	diff_resolve_vm(&res, R "/elf.o", R "/elf.patched.o", NULL, VMI ".map", VMI, NULL,
			sv, NULL, 0);
	if (res.ret)
		fprintf(stderr, "\n    %s", res.err.msg);
	CU_ASSERT_EQUAL_FATAL(res.ret, 0);
	v = hp_diff_verdict(res.d);
	CU_ASSERT_EQUAL(funcs_sympos(res.out, "elf_dump"), 1);
	expect_ext(v, "elf_note", "deferred", "vmlinux", "elf_note", 1);
	expect_ext(v, "elf_size", "deferred", "vmlinux", "elf_size", 1);
	result_free(&res);

	diff_resolve_vm(&res, R "/compat_elf.o", R "/compat_elf.patched.o", NULL, VMI ".map",
			VMI, NULL, sv, NULL, 0);
	if (res.ret)
		fprintf(stderr, "\n    %s", res.err.msg);
	CU_ASSERT_EQUAL_FATAL(res.ret, 0);
	v = hp_diff_verdict(res.d);
	CU_ASSERT_EQUAL(funcs_sympos(res.out, "elf_dump"), 2);
	expect_ext(v, "elf_note", "deferred", "vmlinux", "elf_note", 2);
	expect_ext(v, "elf_size", "deferred", "vmlinux", "elf_size", 2);
	result_free(&res);
	free(sv);
}

static long kaslr_shift;

static const char *shift_line(const char *line)
{
	static char buf[512];
	unsigned long long a;
	char rest[480];

	if (sscanf(line, "%llx %479[^\n]", &a, rest) != 2)
		return line;
	snprintf(buf, sizeof(buf), "%016llx %s", a + (unsigned long long)kaslr_shift, rest);
	return buf;
}

static const char *shift_but_text(const char *line)
{
	return strstr(line, " _text") ? line : shift_line(line);
}

/*
 * 143: a /proc/kallsyms dump of a KASLR kernel: every address moved by the
 * same offset; the FILE symbols are matched through _text's. And the
 * symbols of the table found at the vmlinux's address, by file.
 */
static void test_incl_kaslr_shift(void)
{
	char *sv = symvers_file(NULL), *ks;
	struct hp_ksyms *k = NULL;
	struct hp_error err = { 0 };
	struct hp_ksym_info in;
	struct result res;

	kaslr_shift = 0x2a00000;
	ks = map_variant(VMI ".map", "kallsyms-incl-kaslr", shift_line, NULL);
	CU_ASSERT_EQUAL_FATAL(hp_ksyms_new(&k, &err), 0);
	CU_ASSERT_EQUAL_FATAL(hp_ksyms_load_kallsyms(k, ks, &err), 0);
	CU_ASSERT_FALSE(hp_ksyms_have_files(k, "vmlinux"));
	CU_ASSERT_EQUAL_FATAL(hp_ksyms_load_vmlinux_files(k, VMI, &err), 0);
	CU_ASSERT_TRUE(hp_ksyms_have_files(k, "vmlinux"));
	CU_ASSERT_EQUAL_FATAL(hp_ksyms_lookup(k, "vmlinux", "elf_note", 1, &in, &err), 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(in.file);
	CU_ASSERT_STRING_EQUAL(in.file, "elf.c");
	CU_ASSERT_EQUAL_FATAL(hp_ksyms_lookup(k, "vmlinux", "elf_note", 2, &in, &err), 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(in.file);
	CU_ASSERT_STRING_EQUAL(in.file, "compat_elf.c");
	CU_ASSERT_EQUAL_FATAL(hp_ksyms_lookup(k, "vmlinux", "a_unique", 0, &in, &err), 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(in.file);
	CU_ASSERT_STRING_EQUAL(in.file, "a.c");
	/* globals have no file: they are unique anyway */
	CU_ASSERT_EQUAL_FATAL(hp_ksyms_lookup(k, "vmlinux", "elf32_entry", 0, &in, &err), 0);
	CU_ASSERT_PTR_NULL(in.file);
	hp_ksyms_free(k);

	diff_resolve_vm(&res, R "/compat_elf.o", R "/compat_elf.patched.o", NULL, ks, VMI,
			NULL, sv, NULL, 0);
	if (res.ret)
		fprintf(stderr, "\n    %s", res.err.msg);
	CU_ASSERT_EQUAL_FATAL(res.ret, 0);
	CU_ASSERT_EQUAL(funcs_sympos(res.out, "elf_dump"), 2);
	result_free(&res);
	free(ks);
	free(sv);
}

static void expect_bad_vmlinux(const char *symbols, const char *vmlinux, int code,
			       const char *needle)
{
	char *sv = symvers_file(NULL);
	struct hp_resolve_opts ro = { .symbols = symbols, .vmlinux = vmlinux, .symvers = sv };
	struct hp_resolve *r = NULL;
	struct hp_error err = { 0 };

	CU_ASSERT_EQUAL(hp_resolve_new(&ro, &r, &err), code);
	CU_ASSERT_PTR_NULL(r);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, needle));
	if (!strstr(err.msg, needle))
		fprintf(stderr, "\n    '%s' lacks '%s'", err.msg, needle);
	hp_resolve_free(r);
	free(sv);
}

/*
 * 144: what is not the target's unstripped vmlinux is an error saying what
 * to give: not an ELF, stripped, without _text, another kernel's; and
 * --vmlinux without the symbols it annotates.
 */
static void test_incl_bad_vmlinux(void)
{
	char *ks;

	expect_bad_vmlinux(VMI ".map", VMI ".map", -ENOEXEC, "not an ELF file");
	expect_bad_vmlinux(VMI ".map", VMI ".stripped", -ENOEXEC, "no symbol table");
	expect_bad_vmlinux(VMI ".map", "/nonexistent/vmlinux", -ENOENT, "/nonexistent/vmlinux");
	/* an object with FILE symbols but no _text: nothing to match addresses by */
	expect_bad_vmlinux(VMI ".map", R "/elf.o", -EINVAL, "no '_text'");
	/* the vmlinux of another kernel: its statics are not where the table says */
	kaslr_shift = 0x1000;
	ks = map_variant(VMI ".map", "kallsyms-incl-other", shift_but_text, NULL);
	expect_bad_vmlinux(ks, VMI, -EINVAL, "is it the target's vmlinux?");
	free(ks);
	expect_bad_vmlinux(NULL, VMI, -EINVAL, "give those too (--symbols)");
}

/*
 * 145: the FILE symbols name no candidate of the original's source file
 * (the object is not the one the target was built from): refused, not a
 * guess by neighbours.
 */
static void test_incl_no_candidate_of_file(void)
{
	char *sv = symvers_file(NULL);
	const struct hp_refusal *rf;
	struct result res;

	diff_resolve_vm(&res, R "/elf.other.o", R "/elf.patched.o", NULL, VMI ".map", VMI,
			NULL, sv, NULL, 0);
	CU_ASSERT_EQUAL(res.ret, -ENOEXEC);
	rf = hp_verdict_find_refusal(hp_diff_verdict(res.d), "ambiguous-symbol", "elf_dump");
	CU_ASSERT_PTR_NOT_NULL_FATAL(rf);
	CU_ASSERT_PTR_NOT_NULL(strstr(rf->reason, "none of them comes from 'other.c'"));
	result_free(&res);
	free(sv);
}

int register_resolve_tests(void)
{
	CU_pSuite s = CU_add_suite("resolve", NULL, NULL);

	if (!s)
		return -1;
	if (!CU_add_test(s, "kallsyms: sympos in kallsyms order, sizes", test_kallsyms_sympos_and_sizes) ||
	    !CU_add_test(s, "System.map: what kallsyms drops is dropped", test_system_map_drops_what_kallsyms_drops) ||
	    !CU_add_test(s, "module object: symtab order, loader layout sizes", test_module_object) ||
	    !CU_add_test(s, "malformed symbol files give clear errors", test_malformed_symbol_files) ||
	    !CU_add_test(s, "vmlinux: locals, duplicates, exports, records, ld -r", test_resolve_vmlinux) ||
	    !CU_add_test(s, "duplicates: the other file's statics", test_resolve_neighbourhood_other_file) ||
	    !CU_add_test(s, "ambiguous, --sympos, unknown", test_resolve_ambiguous_and_override) ||
	    !CU_add_test(s, "a changed function's own sympos, for the module step",
			 test_resolve_changed_function_sympos) ||
	    !CU_add_test(s, "static local renumbered by gcc", test_resolve_renumbered_static) ||
	    !CU_add_test(s, "per-cpu statics are 'A' in kallsyms", test_resolve_percpu_static) ||
	    !CU_add_test(s, "another object of the patch defines it", test_resolve_siblings) ||
	    !CU_add_test(s, "module target: everything of the module deferred", test_resolve_module_target) ||
	    !CU_add_test(s, "WARN_ON and pr_debug: the patch's own data", test_resolve_bug_and_dyndbg_own_data) ||
	    !CU_add_test(s, "load-time tables: vmlinux keys deferred, the rest refused", test_resolve_load_time_tables) ||
	    !CU_add_test(s, "090 tracepoint, non-exported vmlinux keys: records (PC64)", test_resolve_tracepoint_vmlinux_key) ||
	    !CU_add_test(s, "091 static call tail site, vmlinux key: record, flag kept", test_resolve_static_call_vmlinux_key) ||
	    !CU_add_test(s, "092 static call site on a module key: dropped, noted", test_resolve_static_call_module_key) ||
	    !CU_add_test(s, "093 module tracepoint: jump made unconditional", test_resolve_tracepoint_module_key) ||
	    !CU_add_test(s, "094 other module static key: module-jump-label", test_resolve_static_key_module_refused) ||
	    !CU_add_test(s, "095 module tracepoint, 2-byte site: jmp rel8", test_resolve_tracepoint_module_key_short) ||
	    !CU_add_test(s, "140 included .c: the map alone is ambiguous", test_incl_map_alone_ambiguous) ||
	    !CU_add_test(s, "141 included .c: each copy by its FILE symbol", test_incl_by_file) ||
	    !CU_add_test(s, "143 FILE symbols matched to a KASLR dump", test_incl_kaslr_shift) ||
	    !CU_add_test(s, "144 --vmlinux that is not the target's: errors", test_incl_bad_vmlinux) ||
	    !CU_add_test(s, "145 no candidate of the original's file: refused", test_incl_no_candidate_of_file) ||
	    !CU_add_test(s, "standalone resolve, JSON, name -> sympos/size", test_resolve_standalone_ok_and_json))
		return -1;
	return 0;
}
