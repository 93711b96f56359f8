// SPDX-License-Identifier: GPL-2.0
/*
 * The target kernel's symbols, as the running kernel will see them:
 *
 *  - a /proc/kallsyms dump ("addr type name [module]"): vmlinux symbols in
 *    address order, then each module's symbols in its symtab order — the
 *    order hotpatch_find_symbol() (kernel/symbols.c) counts sympos in;
 *  - a System.map (vmlinux only; the symbols scripts/kallsyms.c drops are
 *    dropped here too);
 *  - a module object (.ko): its .symtab filtered as the module loader's
 *    is_core_symbol() does, laid out as layout_sections() does, so sizes are
 *    what kallsyms_lookup_size_offset() reports once it is loaded;
 *  - Module.symvers: what is exported, by whom, in which namespace.
 *
 * Sizes follow kallsyms_lookup_size_offset(): the distance to the next
 * higher symbol address of the same object (for module code, bounded by the
 * end of the module's text, which is page aligned).
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <gelf.h>
#include <libelf.h>

#include "internal.h"

#define KSYMS_MAX_LINE		4096
#define KSYMS_MAX_NAME		1024	/* KSYM_NAME_LEN is 512 in 6.1 */
#define KSYMS_MAX_SYMS		(16u << 20)
#define KSYMS_PAGE		4096ull

struct hp_ksym {
	char *name;
	uint64_t addr;
	uint64_t size;
	uint32_t obj;			/* index in objs */
	uint32_t seq;			/* load order, for stable grouping */
	const char *file;		/* STT_FILE before it in the vmlinux (k->files) */
	char type;			/* kallsyms letter */
	bool size_exact;
};

struct hp_kobj {
	char *name;			/* "vmlinux" or the module */
	size_t first, nr;		/* syms[first .. first + nr): kallsyms order */
	bool from_object;		/* read from the .ko, not from a dump */
	bool seen;			/* has lines in the dump being read */
};

struct hp_export {
	char *name, *module, *type, *ns;
};

struct hp_ksyms {
	struct hp_ksym *syms;
	size_t nr, alloc;
	uint32_t seq;
	struct hp_kobj *objs;
	size_t nr_objs, alloc_objs;
	size_t *by_name;		/* sorted by (obj, name, kallsyms order) */
	struct hp_export *exports;	/* sorted by name */
	size_t nr_exports, alloc_exports;
	bool have_symvers;
	char *sources;			/* what was loaded, for messages */
	char **files;			/* STT_FILE names of hp_ksyms_load_vmlinux_files() */
	size_t nr_files, alloc_files;
};

int hp_ksyms_new(struct hp_ksyms **out, struct hp_error *err)
{
	*out = calloc(1, sizeof(**out));
	return *out ? 0 : hp_error_set(err, -ENOMEM, "out of memory");
}

void hp_ksyms_free(struct hp_ksyms *k)
{
	size_t i;

	if (!k)
		return;
	for (i = 0; i < k->nr; i++)
		free(k->syms[i].name);
	for (i = 0; i < k->nr_objs; i++)
		free(k->objs[i].name);
	for (i = 0; i < k->nr_exports; i++) {
		free(k->exports[i].name);
		free(k->exports[i].module);
		free(k->exports[i].type);
		free(k->exports[i].ns);
	}
	free(k->syms);
	free(k->objs);
	free(k->by_name);
	free(k->exports);
	free(k->sources);
	for (i = 0; i < k->nr_files; i++)
		free(k->files[i]);
	free(k->files);
	free(k);
}

static long obj_index(const struct hp_ksyms *k, const char *obj)
{
	size_t i;

	if (!obj)
		obj = "vmlinux";
	for (i = 0; i < k->nr_objs; i++)
		if (!strcmp(k->objs[i].name, obj))
			return (long)i;
	return -1;
}

static long obj_get(struct hp_ksyms *k, const char *obj)
{
	long i = obj_index(k, obj);
	struct hp_kobj *o;

	if (i >= 0)
		return i;
	o = hp_array_push((void **)&k->objs, &k->nr_objs, &k->alloc_objs, sizeof(*o));
	if (!o)
		return -ENOMEM;
	o->name = strdup(obj);
	if (!o->name) {
		k->nr_objs--;
		return -ENOMEM;
	}
	return (long)(k->nr_objs - 1);
}

static int sym_push(struct hp_ksyms *k, long obj, const char *name, uint64_t addr,
		    char type)
{
	struct hp_ksym *s;

	if (k->nr >= KSYMS_MAX_SYMS)
		return -EFBIG;
	s = hp_array_push((void **)&k->syms, &k->nr, &k->alloc, sizeof(*s));
	if (!s)
		return -ENOMEM;
	s->name = strdup(name);
	if (!s->name) {
		k->nr--;
		return -ENOMEM;
	}
	s->obj = (uint32_t)obj;
	s->seq = k->seq++;
	s->addr = addr;
	s->type = type;
	return 0;
}

static int cmp_group(const void *a, const void *b)
{
	const struct hp_ksym *x = a, *y = b;

	if (x->obj != y->obj)
		return x->obj < y->obj ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static const struct hp_ksyms *sort_ctx;

static int cmp_by_name(const void *a, const void *b)
{
	const struct hp_ksym *x = &sort_ctx->syms[*(const size_t *)a];
	const struct hp_ksym *y = &sort_ctx->syms[*(const size_t *)b];
	int c;

	if (x->obj != y->obj)
		return x->obj < y->obj ? -1 : 1;
	c = strcmp(x->name, y->name);
	if (c)
		return c;
	return *(const size_t *)a < *(const size_t *)b ? -1 : 1;
}

static int cmp_addr_idx(const void *a, const void *b)
{
	const struct hp_ksym *x = &sort_ctx->syms[*(const size_t *)a];
	const struct hp_ksym *y = &sort_ctx->syms[*(const size_t *)b];

	if (x->addr != y->addr)
		return x->addr < y->addr ? -1 : 1;
	return *(const size_t *)a < *(const size_t *)b ? -1 : 1;
}

static bool is_text(char type)
{
	return type == 't' || type == 'T';
}

/*
 * Sizes of one object's symbols read from a dump: next higher address. For
 * module code the kernel stops at the end of the module's text; the dump
 * does not say where that is, so the last function's size is an estimate.
 */
static void dump_sizes(struct hp_ksyms *k, struct hp_kobj *o, size_t *idx)
{
	bool module = strcmp(o->name, "vmlinux") != 0;
	size_t i, j, n = 0;

	for (i = 0; i < o->nr; i++)
		if (!module || is_text(k->syms[o->first + i].type))
			idx[n++] = o->first + i;
	sort_ctx = k;
	qsort(idx, n, sizeof(*idx), cmp_addr_idx);
	for (i = 0; i < n; i++) {
		struct hp_ksym *s = &k->syms[idx[i]];

		for (j = i + 1; j < n && k->syms[idx[j]].addr == s->addr; j++)
			;
		if (!s->addr) {
			/* addresses hidden (kptr_restrict): nothing to say */
			s->size = 0;
			s->size_exact = false;
		} else if (j < n) {
			s->size = k->syms[idx[j]].addr - s->addr;
			s->size_exact = true;
		} else if (module) {
			s->size = ((s->addr + KSYMS_PAGE) & ~(KSYMS_PAGE - 1)) - s->addr;
			s->size_exact = false;
		} else {
			s->size = 0;
			s->size_exact = false;
		}
	}
	if (!module)
		return;
	/* module data: the kernel gives no meaningful size; next symbol */
	n = 0;
	for (i = 0; i < o->nr; i++)
		idx[n++] = o->first + i;
	qsort(idx, n, sizeof(*idx), cmp_addr_idx);
	for (i = 0; i < n; i++) {
		struct hp_ksym *s = &k->syms[idx[i]];

		if (is_text(s->type))
			continue;
		for (j = i + 1; j < n && k->syms[idx[j]].addr == s->addr; j++)
			;
		s->size = j < n && s->addr ? k->syms[idx[j]].addr - s->addr : 0;
		s->size_exact = false;
	}
}

/* Group by object (keeping kallsyms order), then index by name. */
static int reindex(struct hp_ksyms *k)
{
	size_t i, *idx;

	qsort(k->syms, k->nr, sizeof(*k->syms), cmp_group);
	for (i = 0; i < k->nr_objs; i++)
		k->objs[i].nr = 0;
	for (i = 0; i < k->nr; i++) {
		struct hp_kobj *o = &k->objs[k->syms[i].obj];

		if (!o->nr)
			o->first = i;
		o->nr++;
	}
	idx = malloc((k->nr ? k->nr : 1) * sizeof(*idx));
	if (!idx)
		return -ENOMEM;
	for (i = 0; i < k->nr_objs; i++)
		if (!k->objs[i].from_object && k->objs[i].nr)
			dump_sizes(k, &k->objs[i], idx);
	free(idx);
	free(k->by_name);
	k->by_name = malloc((k->nr ? k->nr : 1) * sizeof(*k->by_name));
	if (!k->by_name)
		return -ENOMEM;
	for (i = 0; i < k->nr; i++)
		k->by_name[i] = i;
	sort_ctx = k;
	qsort(k->by_name, k->nr, sizeof(*k->by_name), cmp_by_name);
	return 0;
}

static int add_source(struct hp_ksyms *k, const char *path)
{
	char *s = k->sources ? hp_asprintf("%s, %s", k->sources, path) : strdup(path);

	if (!s)
		return -ENOMEM;
	free(k->sources);
	k->sources = s;
	return 0;
}

/* scripts/kallsyms.c leaves these out of the kernel's table (6.1). */
static bool kallsyms_ignores(const char *name, char type)
{
	static const char *const exact[] = {
		"kallsyms_addresses", "kallsyms_offsets", "kallsyms_relative_base",
		"kallsyms_num_syms", "kallsyms_names", "kallsyms_markers",
		"kallsyms_token_table", "kallsyms_token_index",
		"kallsyms_seqs_of_names",
	};
	size_t i;

	for (i = 0; i < HP_ARRAY_SIZE(exact); i++)
		if (!strcmp(name, exact[i]))
			return true;
	if (hp_str_starts(name, "__kcfi_typeid_"))
		return true;
	return type == 'U' || type == 'u' || type == 'N' || type == 'n' ||
	       type == 'A' || type == 'a';
}

/* In every System.map (the kallsyms tables themselves), never in kallsyms. */
static bool is_system_map_only(const char *name)
{
	return !strcmp(name, "kallsyms_names") || !strcmp(name, "kallsyms_num_syms") ||
	       !strcmp(name, "kallsyms_token_table");
}

static bool valid_name(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s <= ' ' || (unsigned char)*s >= 0x7f)
			return false;
	return true;
}

/*
 * One line: "ffffffff81000000 T _stext" or "... t foo\t[mod]". Returns 1 for
 * a symbol, 0 for a line to skip, -EINVAL with *why set for garbage.
 */
static int parse_line(char *line, uint64_t *addr, char *type, char **name,
		      char **mod, const char **why)
{
	char *p = line, *end;
	unsigned long long a;

	while (*p == ' ' || *p == '\t')
		p++;
	if (!*p || *p == '\n')
		return 0;
	if (!isxdigit((unsigned char)*p)) {
		*why = "expected a hexadecimal address";
		return -EINVAL;
	}
	end = p + strspn(p, "0123456789abcdefABCDEF");
	if (end - p > 16) {
		*why = "address longer than 64 bits";
		return -EINVAL;
	}
	if (!*end || *end == '\n') {
		*why = "missing symbol type";
		return -EINVAL;
	}
	errno = 0;
	a = strtoull(p, &end, 16);
	if (errno || (*end != ' ' && *end != '\t')) {
		*why = "bad address";
		return -EINVAL;
	}
	*addr = a;
	p = end + strspn(end, " \t");
	if (!isalpha((unsigned char)*p) && *p != '?' && *p != '-') {
		*why = "missing symbol type";
		return -EINVAL;
	}
	*type = *p++;
	if (!*p || *p == '\n') {
		*why = "missing symbol name";
		return -EINVAL;
	}
	if (*p != ' ' && *p != '\t') {
		*why = "symbol type must be one letter";
		return -EINVAL;
	}
	p += strspn(p, " \t");
	if (!*p || *p == '\n') {
		*why = "missing symbol name";
		return -EINVAL;
	}
	*name = p;
	p += strcspn(p, " \t\n");
	if (p - *name >= KSYMS_MAX_NAME) {
		*why = "symbol name too long";
		return -EINVAL;
	}
	*mod = NULL;
	if (*p && *p != '\n') {
		*p++ = '\0';
		p += strspn(p, " \t");
		if (*p == '[') {
			*mod = ++p;
			p += strcspn(p, "] \t\n");
			if (*p != ']' || p == *mod) {
				*why = "bad [module] column";
				return -EINVAL;
			}
			*p++ = '\0';
			p += strspn(p, " \t");
		}
		if (*p && *p != '\n') {
			*why = "unexpected text after the symbol";
			return -EINVAL;
		}
	} else {
		*p = '\0';
	}
	if (!valid_name(*name) || (*mod && !valid_name(*mod))) {
		*why = "unprintable characters in a name";
		return -EINVAL;
	}
	return 1;
}

int hp_ksyms_load_kallsyms_file(struct hp_ksyms *k, FILE *f, const char *path,
				struct hp_error *err)
{
	char *line = NULL;
	size_t cap = 0, lineno = 0, added = 0;
	ssize_t len;
	long vmlinux_obj = -1, last_mod = -1;
	bool nonzero = false, system_map = false;
	size_t first = k->nr, i, n;
	char *name, *mod;
	const char *why;
	uint64_t addr;
	char type;
	int ret;

	if (obj_index(k, "vmlinux") >= 0)
		return hp_error_set(err, -EBUSY,
				    "%s: kernel symbols already loaded; give one dump", path);
	for (;;) {
		long obj;

		len = getline(&line, &cap, f);
		if (len < 0)
			break;
		lineno++;
		ret = 0;
		if (len >= KSYMS_MAX_LINE)
			ret = hp_error_set(err, -EINVAL,
					   "%s:%zu: line longer than %d bytes: not a kallsyms dump or System.map",
					   path, lineno, KSYMS_MAX_LINE - 1);
		else if (strlen(line) != (size_t)len)
			ret = hp_error_set(err, -EINVAL, "%s:%zu: NUL byte in the line",
					   path, lineno);
		if (ret)
			break;
		if (lineno == 1 && strstr(line, "The real System.map is in")) {
			ret = hp_error_set(err, -EINVAL,
					    "%s: a placeholder System.map (Debian ships the real one in linux-image-*-dbg); give a /proc/kallsyms dump instead",
					    path);
			break;
		}
		ret = parse_line(line, &addr, &type, &name, &mod, &why);
		if (ret < 0) {
			hp_error_set(err, ret,
					    "%s:%zu: %s; expected 'ADDRESS TYPE NAME [MODULE]' (a /proc/kallsyms dump or System.map)",
					    path, lineno, why);
			break;
		}
		if (!ret)
			continue;
		ret = -EINVAL;
		if (!mod && is_system_map_only(name))
			system_map = true;
		if (mod && !strcmp(mod, "vmlinux")) {
			hp_error_set(err, ret, "%s:%zu: a module named 'vmlinux'", path, lineno);
			break;
		}
		if (!mod && last_mod >= 0) {
			hp_error_set(err, ret,
				     "%s:%zu: a vmlinux symbol after module symbols: not a /proc/kallsyms dump",
				     path, lineno);
			break;
		}
		if (mod) {
			obj = last_mod >= 0 && !strcmp(k->objs[last_mod].name, mod) ?
			      last_mod : obj_index(k, mod);
			if (obj >= 0 && obj != last_mod && k->objs[obj].seen) {
				hp_error_set(err, ret,
					     "%s:%zu: symbols of module '%s' are not together",
					     path, lineno, mod);
				break;
			}
			if (obj < 0)
				obj = obj_get(k, mod);
			last_mod = obj;
		} else {
			if (vmlinux_obj < 0)
				vmlinux_obj = obj_get(k, "vmlinux");
			obj = vmlinux_obj;
		}
		if (obj < 0) {
			ret = hp_error_set(err, -ENOMEM, "out of memory");
			break;
		}
		k->objs[obj].seen = true;
		if (k->objs[obj].from_object)
			continue;	/* the .ko already gave this module */
		if (!mod && addr)
			nonzero = true;
		ret = sym_push(k, obj, name, addr, type);
		if (ret == -EFBIG)
			hp_error_set(err, ret, "%s: more than %u symbols", path,
				     KSYMS_MAX_SYMS);
		else if (ret)
			hp_error_set(err, ret, "out of memory");
		if (ret)
			break;
		added++;
	}
	free(line);
	if (len >= 0)
		return ret;
	if (ferror(f))
		return hp_error_set(err, -EIO, "%s: read error", path);
	if (!added)
		return hp_error_set(err, -EINVAL,
				    "%s: no symbols (empty, or addresses and names missing)",
				    path);
	if (vmlinux_obj >= 0 && !nonzero)
		return hp_error_set(err, -EINVAL,
				    "%s: every address is 0 (kptr_restrict): dump /proc/kallsyms as root",
				    path);
	/*
	 * A System.map lists what scripts/kallsyms.c leaves out of the kernel's
	 * table; drop it so sympos and sizes are the kernel's. (A dump has none
	 * of it, and its 'A' symbols, per-cpu variables, are real entries.)
	 */
	if (system_map) {
		for (i = n = first; i < k->nr; i++) {
			if (k->syms[i].obj == (uint32_t)vmlinux_obj &&
			    kallsyms_ignores(k->syms[i].name, k->syms[i].type))
				free(k->syms[i].name);
			else
				k->syms[n++] = k->syms[i];
		}
		k->nr = n;
	}
	ret = reindex(k);
	if (!ret)
		ret = add_source(k, path);
	return ret ? hp_error_set(err, ret, "out of memory") : 0;
}

int hp_ksyms_load_kallsyms(struct hp_ksyms *k, const char *path,
			   struct hp_error *err)
{
	FILE *f = fopen(path, "re");
	int ret;

	if (!f)
		return hp_error_set(err, -errno, "%s: %s", path, strerror(errno));
	ret = hp_ksyms_load_kallsyms_file(k, f, path, err);
	fclose(f);
	return ret;
}

/* ---- the -dbg vmlinux's FILE symbols ---------------------------------------- */

struct vm_local {
	uint64_t addr;
	const char *name;		/* in the ELF's string table */
	size_t file;			/* index in k->files */
};

static int cmp_vm_local(const void *a, const void *b)
{
	const struct vm_local *x = a, *y = b;

	if (x->addr != y->addr)
		return x->addr < y->addr ? -1 : 1;
	return x < y ? -1 : x > y;
}

static long intern_file(struct hp_ksyms *k, const char *name)
{
	char **slot;

	if (k->nr_files && !strcmp(k->files[k->nr_files - 1], name))
		return (long)k->nr_files - 1;
	slot = hp_array_push((void **)&k->files, &k->nr_files, &k->alloc_files,
			     sizeof(*slot));
	if (!slot)
		return -ENOMEM;
	*slot = strdup(name);
	if (!*slot) {
		k->nr_files--;
		return -ENOMEM;
	}
	return (long)k->nr_files - 1;
}

/* The vmlinux local named 'name' at 'addr', or NULL. */
static const struct vm_local *vm_find(const struct vm_local *v, size_t n, uint64_t addr,
				      const char *name)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (v[mid].addr < addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < n && v[lo].addr == addr; lo++)
		if (!strcmp(v[lo].name, name))
			return &v[lo];
	return NULL;
}

/*
 * Which source file each local vmlinux symbol comes from: ld writes every
 * input object's locals after that object's STT_FILE symbol, so the
 * unstripped vmlinux (the -dbg package's) says it for two statics that
 * kallsyms cannot tell apart (fs/binfmt_elf.c compiled twice, once
 * through fs/compat_binfmt_elf.c). Matched to the loaded table by address,
 * shifted by _text's (a dump of a KASLR kernel); per-cpu symbols are not
 * shifted. The vmlinux must be the target's: most of its local functions
 * must be where the table says.
 */
int hp_ksyms_load_vmlinux_files(struct hp_ksyms *k, const char *path, struct hp_error *err)
{
	struct vm_local *v = NULL;
	size_t nv = 0, av = 0, i, nsyms, locals = 0, matched = 0;
	Elf_Scn *scn = NULL, *symscn = NULL;
	GElf_Shdr sh, symsh = { 0 };
	uint64_t text = 0, delta;
	bool have_text = false;
	long cur = -1, vo = obj_index(k, "vmlinux");
	Elf_Data *data;
	struct hp_ksym_info ti;
	struct hp_error lerr = { 0 };
	Elf *elf = NULL;
	int fd, ret = 0;

	if (vo < 0 || !k->objs[vo].nr)
		return hp_error_set(err, -EINVAL, "%s: load the vmlinux symbols (--symbols) "
				    "before its FILE symbols", path);
	if (elf_version(EV_CURRENT) == EV_NONE)
		return hp_error_set(err, -EINVAL, "libelf: %s", elf_errmsg(-1));
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return hp_error_set(err, -errno, "%s: %s", path, strerror(errno));
	elf = elf_begin(fd, ELF_C_READ, NULL);
	if (!elf || elf_kind(elf) != ELF_K_ELF) {
		ret = hp_error_set(err, -ENOEXEC, "%s: not an ELF file: give the target's "
				   "unstripped vmlinux (usr/lib/debug/boot/vmlinux-RELEASE "
				   "of linux-image-RELEASE-dbg)", path);
		goto out;
	}
	while ((scn = elf_nextscn(elf, scn)))
		if (gelf_getshdr(scn, &sh) && sh.sh_type == SHT_SYMTAB) {
			symscn = scn;
			symsh = sh;
		}
	if (!symscn || !symsh.sh_entsize || !(data = elf_getdata(symscn, NULL))) {
		ret = hp_error_set(err, -ENOEXEC, "%s: no symbol table (a stripped vmlinux?): "
				   "give the unstripped one of linux-image-RELEASE-dbg", path);
		goto out;
	}
	nsyms = symsh.sh_size / symsh.sh_entsize;
	for (i = 1; i < nsyms; i++) {
		GElf_Sym sym;
		const char *name;
		struct vm_local *l;

		if (!gelf_getsym(data, (int)i, &sym))
			break;
		name = elf_strptr(elf, symsh.sh_link, sym.st_name);
		if (!name || !name[0])
			continue;
		if (GELF_ST_TYPE(sym.st_info) == STT_FILE) {
			cur = intern_file(k, name);
			if (cur < 0) {
				ret = hp_error_set(err, -ENOMEM, "out of memory");
				goto out;
			}
			continue;
		}
		if (sym.st_shndx == SHN_UNDEF || sym.st_shndx >= SHN_LORESERVE ||
		    GELF_ST_TYPE(sym.st_info) == STT_SECTION)
			continue;
		if (!strcmp(name, "_text") && GELF_ST_BIND(sym.st_info) != STB_LOCAL) {
			text = sym.st_value;
			have_text = true;
		}
		if (GELF_ST_BIND(sym.st_info) != STB_LOCAL || cur < 0)
			continue;
		l = hp_array_push((void **)&v, &nv, &av, sizeof(*l));
		if (!l) {
			ret = hp_error_set(err, -ENOMEM, "out of memory");
			goto out;
		}
		l->addr = sym.st_value;
		l->name = name;
		l->file = (size_t)cur;
	}
	if (!k->nr_files || !nv) {
		ret = hp_error_set(err, -ENOEXEC, "%s: no FILE symbols with local symbols "
				   "after them: give the unstripped vmlinux of "
				   "linux-image-RELEASE-dbg", path);
		goto out;
	}
	if (!have_text || hp_ksyms_lookup(k, "vmlinux", "_text", 0, &ti, &lerr)) {
		ret = hp_error_set(err, -EINVAL, "%s: no '_text' in it or in %s: cannot "
				   "match its addresses to the target's", path,
				   k->sources ? k->sources : "the symbol table");
		goto out;
	}
	delta = ti.addr - text;
	qsort(v, nv, sizeof(*v), cmp_vm_local);
	for (i = 0; i < k->objs[vo].nr; i++) {
		struct hp_ksym *s = &k->syms[k->objs[vo].first + i];
		const struct vm_local *l;

		if (s->type == 'A' || s->type == 'a')
			l = vm_find(v, nv, s->addr, s->name);
		else if (islower((unsigned char)s->type))
			l = vm_find(v, nv, s->addr - delta, s->name);
		else
			continue;
		if (s->type == 't')
			locals++;
		if (!l)
			continue;
		s->file = k->files[l->file];
		if (s->type == 't')
			matched++;
	}
	if (!locals || matched * 2 < locals) {
		ret = hp_error_set(err, -EINVAL, "%s does not match the target's symbols "
				   "(%zu of %zu static functions of %s found at their "
				   "addresses): is it the target's vmlinux?", path, matched,
				   locals, k->sources ? k->sources : "the symbol table");
		for (i = 0; i < k->objs[vo].nr; i++)
			k->syms[k->objs[vo].first + i].file = NULL;
		goto out;
	}
	ret = add_source(k, path);
	if (ret)
		ret = hp_error_set(err, ret, "out of memory");
out:
	free(v);
	if (elf)
		elf_end(elf);
	close(fd);
	return ret;
}

bool hp_ksyms_have_files(const struct hp_ksyms *k, const char *obj)
{
	long o = obj_index(k, obj);
	size_t i;

	if (o < 0)
		return false;
	for (i = 0; i < k->objs[o].nr; i++)
		if (k->syms[k->objs[o].first + i].file)
			return true;
	return false;
}

/* ---- module objects ------------------------------------------------------ */

static bool init_section(const char *name)
{
	return hp_str_starts(name, ".init");
}

static char ko_type(const GElf_Shdr *sh, const GElf_Sym *sym)
{
	char c;

	if (sh->sh_flags & SHF_EXECINSTR)
		c = 't';
	else if (sh->sh_type == SHT_NOBITS)
		c = 'b';
	else if (sh->sh_flags & SHF_WRITE)
		c = 'd';
	else
		c = 'r';
	if (GELF_ST_BIND(sym->st_info) != STB_LOCAL)
		c = (char)toupper(c);
	return c;
}

struct ko_state {
	Elf *elf;
	size_t shnum;
	GElf_Shdr *sh;
	uint64_t *off;			/* layout offset per section */
	bool *text;			/* in the core text region */
	uint64_t text_size;
};

/* kernel/module/main.c layout_sections(), core part (6.1). */
static void ko_layout(struct ko_state *st, const char *const *names)
{
	static const uint64_t masks[][2] = {
		{ SHF_EXECINSTR | SHF_ALLOC, 0 },
		{ SHF_ALLOC, SHF_WRITE },
		{ 0x00200000 /* SHF_RO_AFTER_INIT */ | SHF_ALLOC, 0 },
		{ SHF_WRITE | SHF_ALLOC, 0 },
	};
	uint64_t size[2] = { 0, 0 };
	bool *done = calloc(st->shnum ? st->shnum : 1, sizeof(*done));
	size_t m, i;

	if (!done)
		return;
	for (m = 0; m < HP_ARRAY_SIZE(masks); m++) {
		for (i = 1; i < st->shnum; i++) {
			const GElf_Shdr *s = &st->sh[i];
			uint64_t *sz = &size[m ? 1 : 0], align;

			if ((s->sh_flags & masks[m][0]) != masks[m][0] ||
			    (s->sh_flags & masks[m][1]) || done[i] ||
			    init_section(names[i]))
				continue;
			done[i] = true;
			align = s->sh_addralign ? s->sh_addralign : 1;
			if (align & (align - 1))
				align = 1;
			*sz = (*sz + align - 1) & ~(align - 1);
			st->off[i] = *sz;
			st->text[i] = m == 0;
			*sz += s->sh_size;
		}
		if (m == 0) {
			size[0] = (size[0] + KSYMS_PAGE - 1) & ~(KSYMS_PAGE - 1);
			st->text_size = size[0];
		}
	}
	free(done);
}

int hp_ksyms_load_module(struct hp_ksyms *k, const char *path, const char *modname,
			 struct hp_error *err)
{
	struct ko_state st = { 0 };
	const char **names = NULL;
	Elf_Scn *scn = NULL, *symscn = NULL;
	size_t i, n, first, shstrndx, nsyms, *idx = NULL;
	GElf_Shdr symsh = { 0 };
	Elf_Data *data;
	GElf_Ehdr eh;
	long obj;
	int fd, ret = 0;

	if (!modname || !*modname || !strcmp(modname, "vmlinux") || !valid_name(modname))
		return hp_error_set(err, -EINVAL, "%s: give the module's name", path);
	if (elf_version(EV_CURRENT) == EV_NONE)
		return hp_error_set(err, -EIO, "libelf: %s", elf_errmsg(-1));
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return hp_error_set(err, -errno, "%s: %s", path, strerror(errno));
	st.elf = elf_begin(fd, ELF_C_READ, NULL);
	if (!st.elf || elf_kind(st.elf) != ELF_K_ELF || !gelf_getehdr(st.elf, &eh) ||
	    eh.e_ident[EI_CLASS] != ELFCLASS64 || eh.e_machine != EM_X86_64 ||
	    eh.e_type != ET_REL) {
		ret = hp_error_set(err, -EINVAL,
				   "%s: not an x86_64 relocatable object (a .ko)", path);
		goto out;
	}
	if (elf_getshdrnum(st.elf, &st.shnum) || elf_getshdrstrndx(st.elf, &shstrndx) ||
	    st.shnum > 1u << 20) {
		ret = hp_error_set(err, -EINVAL, "%s: bad section headers", path);
		goto out;
	}
	st.sh = calloc(st.shnum, sizeof(*st.sh));
	st.off = calloc(st.shnum, sizeof(*st.off));
	st.text = calloc(st.shnum, sizeof(*st.text));
	names = calloc(st.shnum, sizeof(*names));
	if (!st.sh || !st.off || !st.text || !names) {
		ret = hp_error_set(err, -ENOMEM, "out of memory");
		goto out;
	}
	for (i = 1; i < st.shnum; i++) {
		scn = elf_getscn(st.elf, i);
		if (!scn || !gelf_getshdr(scn, &st.sh[i]) ||
		    !(names[i] = elf_strptr(st.elf, shstrndx, st.sh[i].sh_name))) {
			ret = hp_error_set(err, -EINVAL, "%s: bad section %zu", path, i);
			goto out;
		}
		if (st.sh[i].sh_type == SHT_SYMTAB) {
			if (symscn) {
				ret = hp_error_set(err, -EINVAL, "%s: two symbol tables", path);
				goto out;
			}
			symscn = scn;
			symsh = st.sh[i];
		}
	}
	if (!symscn || symsh.sh_entsize != sizeof(Elf64_Sym) ||
	    symsh.sh_link >= st.shnum || !(data = elf_getdata(symscn, NULL)) ||
	    data->d_size < symsh.sh_size) {
		ret = hp_error_set(err, -EINVAL, "%s: no usable symbol table (stripped?)",
				   path);
		goto out;
	}
	ko_layout(&st, names);
	nsyms = symsh.sh_size / sizeof(Elf64_Sym);
	/* this object replaces whatever a dump said about the module */
	obj = obj_get(k, modname);
	if (obj < 0) {
		ret = hp_error_set(err, -ENOMEM, "out of memory");
		goto out;
	}
	for (i = 0, n = 0; i < k->nr; i++) {
		if (k->syms[i].obj == (uint32_t)obj)
			free(k->syms[i].name);
		else
			k->syms[n++] = k->syms[i];
	}
	k->nr = n;
	k->objs[obj].from_object = true;
	first = k->nr;
	for (i = 1; i < nsyms; i++) {
		const char *name;
		GElf_Sym sym;

		if (!gelf_getsym(data, (int)i, &sym)) {
			ret = hp_error_set(err, -EINVAL, "%s: bad symbol %zu", path, i);
			goto out;
		}
		/* is_core_symbol(), with CONFIG_KALLSYMS_ALL */
		if (sym.st_shndx == SHN_UNDEF || sym.st_shndx >= st.shnum || !sym.st_name)
			continue;
		if (!(st.sh[sym.st_shndx].sh_flags & SHF_ALLOC) &&
		    strcmp(names[sym.st_shndx], ".data..percpu"))
			continue;
		/* the loader drops .modinfo and __versions (SHF_ALLOC cleared) */
		if (init_section(names[sym.st_shndx]) ||
		    !strcmp(names[sym.st_shndx], ".modinfo") ||
		    !strcmp(names[sym.st_shndx], "__versions"))
			continue;
		name = elf_strptr(st.elf, symsh.sh_link, sym.st_name);
		if (!name || !*name)
			continue;
		if (strlen(name) >= KSYMS_MAX_NAME || !valid_name(name)) {
			ret = hp_error_set(err, -EINVAL, "%s: bad symbol name at %zu", path, i);
			goto out;
		}
		ret = sym_push(k, obj, name, st.off[sym.st_shndx] + sym.st_value,
			       ko_type(&st.sh[sym.st_shndx], &sym));
		if (ret) {
			ret = hp_error_set(err, ret, "%s: too many symbols", path);
			goto out;
		}
		/* remember whether it is code, in size for now */
		k->syms[k->nr - 1].size = st.text[sym.st_shndx] &&
					  (st.sh[sym.st_shndx].sh_flags & SHF_EXECINSTR);
	}
	if (k->nr == first) {
		ret = hp_error_set(err, -EINVAL, "%s: no symbols the kernel would keep", path);
		goto out;
	}
	/* find_kallsyms_symbol(): next higher code address, or end of text */
	n = k->nr - first;
	idx = malloc(n * sizeof(*idx));
	if (!idx) {
		ret = hp_error_set(err, -ENOMEM, "out of memory");
		goto out;
	}
	for (i = 0; i < n; i++)
		idx[i] = first + i;
	sort_ctx = k;
	qsort(idx, n, sizeof(*idx), cmp_addr_idx);
	for (i = 0; i < n; i++) {
		struct hp_ksym *s = &k->syms[idx[i]];
		size_t j;

		if (!s->size) {
			s->size_exact = false;	/* data: no meaningful size */
			continue;
		}
		s->size = st.text_size - s->addr;
		for (j = i + 1; j < n; j++)
			if (k->syms[idx[j]].addr > s->addr && k->syms[idx[j]].size) {
				s->size = k->syms[idx[j]].addr - s->addr;
				break;
			}
		s->size_exact = true;
	}
	for (i = 0; i < n; i++)
		if (!k->syms[first + i].size_exact)
			k->syms[first + i].size = 0;
	ret = reindex(k);
	if (!ret)
		ret = add_source(k, path);
	if (ret)
		ret = hp_error_set(err, ret, "out of memory");
out:
	free(idx);
	free(st.sh);
	free(st.off);
	free(st.text);
	free(names);
	if (st.elf)
		elf_end(st.elf);
	close(fd);
	return ret;
}

/* ---- Module.symvers ------------------------------------------------------ */

static int cmp_export(const void *a, const void *b)
{
	return strcmp(((const struct hp_export *)a)->name,
		      ((const struct hp_export *)b)->name);
}

int hp_ksyms_load_symvers_file(struct hp_ksyms *k, FILE *f, const char *path,
			       struct hp_error *err)
{
	char line[KSYMS_MAX_LINE];
	size_t lineno = 0, added = 0;

	while (fgets(line, sizeof(line), f)) {
		char *field[5] = { 0 }, *p = line;
		struct hp_export *e;
		size_t nf = 0;

		lineno++;
		if (!strchr(line, '\n') && !feof(f))
			return hp_error_set(err, -EINVAL, "%s:%zu: line longer than %d bytes",
					    path, lineno, KSYMS_MAX_LINE - 1);
		p[strcspn(p, "\n")] = '\0';
		if (!*p)
			continue;
		while (nf < 5) {
			field[nf++] = p;
			p = strchr(p, '\t');
			if (!p)
				break;
			*p++ = '\0';
		}
		if (p || nf < 4)
			return hp_error_set(err, -EINVAL,
					    "%s:%zu: expected 'CRC<TAB>SYMBOL<TAB>MODULE<TAB>EXPORT_TYPE[<TAB>NAMESPACE]' (Module.symvers)",
					    path, lineno);
		if (strncmp(field[0], "0x", 2) || !field[1][0] || !field[2][0] ||
		    !hp_str_starts(field[3], "EXPORT_SYMBOL") ||
		    strlen(field[1]) >= KSYMS_MAX_NAME || !valid_name(field[1]) ||
		    !valid_name(field[2]) || (field[4] && !valid_name(field[4])))
			return hp_error_set(err, -EINVAL,
					    "%s:%zu: not a Module.symvers line (crc, symbol, module, EXPORT_SYMBOL*, namespace)",
					    path, lineno);
		if (k->nr_exports >= KSYMS_MAX_SYMS)
			return hp_error_set(err, -EFBIG, "%s: too many exports", path);
		e = hp_array_push((void **)&k->exports, &k->nr_exports, &k->alloc_exports,
				  sizeof(*e));
		if (!e)
			return hp_error_set(err, -ENOMEM, "out of memory");
		e->name = strdup(field[1]);
		e->module = strdup(field[2]);
		e->type = strdup(field[3]);
		e->ns = field[4] && field[4][0] ? strdup(field[4]) : NULL;
		if (!e->name || !e->module || !e->type || (field[4] && field[4][0] && !e->ns))
			return hp_error_set(err, -ENOMEM, "out of memory");
		added++;
	}
	if (ferror(f))
		return hp_error_set(err, -EIO, "%s: read error", path);
	if (!added)
		return hp_error_set(err, -EINVAL, "%s: no exports", path);
	qsort(k->exports, k->nr_exports, sizeof(*k->exports), cmp_export);
	k->have_symvers = true;
	return add_source(k, path) ? hp_error_set(err, -ENOMEM, "out of memory") : 0;
}

int hp_ksyms_load_symvers(struct hp_ksyms *k, const char *path, struct hp_error *err)
{
	FILE *f = fopen(path, "re");
	int ret;

	if (!f)
		return hp_error_set(err, -errno, "%s: %s", path, strerror(errno));
	ret = hp_ksyms_load_symvers_file(k, f, path, err);
	fclose(f);
	return ret;
}

/* ---- queries ------------------------------------------------------------- */

bool hp_ksyms_has_object(const struct hp_ksyms *k, const char *obj)
{
	long i = obj_index(k, obj);

	return i >= 0 && k->objs[i].nr;
}

bool hp_ksyms_have_symvers(const struct hp_ksyms *k)
{
	return k->have_symvers;
}

bool hp_ksyms_export(const struct hp_ksyms *k, const char *name,
		     struct hp_export_info *out)
{
	size_t lo = 0, hi = k->nr_exports;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(k->exports[mid].name, name);

		if (!c) {
			if (out) {
				out->name = k->exports[mid].name;
				out->module = k->exports[mid].module;
				out->type = k->exports[mid].type;
				out->ns = k->exports[mid].ns;
			}
			return true;
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return false;
}

/* First by_name slot of (obj, name); *count of them. */
static size_t name_range(const struct hp_ksyms *k, uint32_t obj, const char *name,
			 size_t *count)
{
	size_t lo = 0, hi = k->nr, n = 0;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct hp_ksym *s = &k->syms[k->by_name[mid]];
		int c = s->obj != obj ? (s->obj < obj ? -1 : 1) : strcmp(s->name, name);

		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	while (lo + n < k->nr && k->syms[k->by_name[lo + n]].obj == obj &&
	       !strcmp(k->syms[k->by_name[lo + n]].name, name))
		n++;
	*count = n;
	return lo;
}

static void fill_info(const struct hp_ksyms *k, size_t i, unsigned int sympos,
		      unsigned int count, struct hp_ksym_info *out)
{
	const struct hp_ksym *s = &k->syms[i];

	out->name = s->name;
	out->obj = k->objs[s->obj].name;
	out->addr = s->addr;
	out->size = s->size;
	out->size_exact = s->size_exact;
	out->type = s->type;
	out->sympos = count > 1 ? sympos : 0;
	out->count = count;
	out->index = i - k->objs[s->obj].first;
	out->file = s->file;
}

unsigned int hp_ksyms_count(const struct hp_ksyms *k, const char *obj, const char *name)
{
	long o = obj_index(k, obj);
	size_t n = 0;

	if (o >= 0)
		name_range(k, (uint32_t)o, name, &n);
	return (unsigned int)n;
}

int hp_ksyms_lookup(const struct hp_ksyms *k, const char *obj, const char *name,
		    unsigned int sympos, struct hp_ksym_info *out, struct hp_error *err)
{
	long o = obj_index(k, obj);
	size_t first, n = 0;

	if (!obj)
		obj = "vmlinux";
	if (o < 0 || !k->objs[o].nr)
		return hp_error_set(err, -ENOENT, "no symbols of '%s' in %s", obj,
				    k->sources ? k->sources : "the symbol tables");
	first = name_range(k, (uint32_t)o, name, &n);
	if (!n)
		return hp_error_set(err, -ENOENT, "symbol '%s' not found in '%s'", name, obj);
	if (!sympos && n > 1)
		return hp_error_set(err, -ENOTUNIQ,
				    "symbol '%s' is not unique in '%s' (%zu of them): give its sympos",
				    name, obj, n);
	if (sympos > n)
		return hp_error_set(err, -ERANGE,
				    "symbol '%s' has no position %u in '%s' (%zu found)",
				    name, sympos, obj, n);
	fill_info(k, k->by_name[first + (sympos ? sympos - 1 : 0)], sympos ? sympos : 1,
		  (unsigned int)n, out);
	return 0;
}

/* ---- for the resolver: walk candidates and neighbours ---------------------- */

size_t hp_ksyms_candidates(const struct hp_ksyms *k, const char *obj, const char *name,
			   bool normalized, size_t *out, size_t max)
{
	long o = obj_index(k, obj);
	size_t i, n = 0, first, count;

	if (o < 0)
		return 0;
	if (!normalized) {
		first = name_range(k, (uint32_t)o, name, &count);
		for (i = 0; i < count; i++) {
			if (n < max)
				out[n] = k->by_name[first + i];
			n++;
		}
		return n;
	}
	/* by normalised name: a walk over the object (rare, only on a miss) */
	for (i = 0; i < k->objs[o].nr; i++) {
		size_t at = k->objs[o].first + i;
		char *norm = hp_name_normalize(k->syms[at].name);
		bool match = norm && !strcmp(norm, name);

		free(norm);
		if (!match)
			continue;
		if (n < max)
			out[n] = at;
		n++;
	}
	return n;
}

/* Symbol at kallsyms position 'at' moved by 'delta' within its object. */
const char *hp_ksyms_neighbour(const struct hp_ksyms *k, size_t at, long delta)
{
	const struct hp_kobj *o = &k->objs[k->syms[at].obj];
	long pos = (long)(at - o->first) + delta;

	if (pos < 0 || (size_t)pos >= o->nr)
		return NULL;
	return k->syms[o->first + (size_t)pos].name;
}

void hp_ksyms_info_at(const struct hp_ksyms *k, size_t at, struct hp_ksym_info *out)
{
	const struct hp_ksym *s = &k->syms[at];
	size_t first, n, i;
	unsigned int pos = 1;

	first = name_range(k, s->obj, s->name, &n);
	for (i = 0; i < n; i++)
		if (k->by_name[first + i] == at)
			pos = (unsigned int)i + 1;
	fill_info(k, at, pos, (unsigned int)n, out);
}
