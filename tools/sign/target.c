// SPDX-License-Identifier: GPL-2.0
/*
 * libhpsign: what we know about the target kernel - its GNU build-id and
 * its symbols (System.map or a vmlinux symbol table).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gelf.h>
#include <libelf.h>

#include "internal.h"

#ifndef NT_GNU_BUILD_ID
#define NT_GNU_BUILD_ID 3
#endif

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int hp_build_id_parse(const char *hex, uint8_t *id, size_t *len)
{
	size_t n = strlen(hex), i;
	int hi, lo;

	if (n >= 2 && hex[n - 1] == '\n')
		n--;
	if (!n || n % 2 || n / 2 > HOTPATCH_BUILD_ID_MAX)
		return -EINVAL;
	for (i = 0; i < n / 2; i++) {
		hi = hexval(hex[2 * i]);
		lo = hexval(hex[2 * i + 1]);
		if (hi < 0 || lo < 0)
			return -EINVAL;
		id[i] = (uint8_t)(hi << 4 | lo);
	}
	*len = n / 2;
	return 0;
}

/* Walk ELF notes (4-byte aligned, as the kernel's) for a GNU build-id */
static int notes_find_build_id(const uint8_t *p, size_t len, uint8_t *id,
			       size_t *id_len)
{
	size_t pos = 0, namesz, descsz, type;
	uint32_t w[3];

	while (len - pos >= 12) {
		memcpy(w, p + pos, 12);
		namesz = w[0];
		descsz = w[1];
		type = w[2];
		pos += 12;
		if (namesz > len - pos)
			return -ENOENT;
		if (type == NT_GNU_BUILD_ID && namesz == 4 &&
		    !memcmp(p + pos, "GNU", 4)) {
			pos += 4;
			if (descsz > len - pos || !descsz ||
			    descsz > HOTPATCH_BUILD_ID_MAX)
				return -ENOENT;
			memcpy(id, p + pos, descsz);
			*id_len = descsz;
			return 0;
		}
		pos += (namesz + 3) & ~(size_t)3;
		if (pos > len || descsz > len - pos)
			return -ENOENT;
		pos += (descsz + 3) & ~(size_t)3;
		if (pos > len)
			return -ENOENT;
	}
	return -ENOENT;
}

int hp_build_id_read(const char *path, uint8_t *id, size_t *len,
		     struct hp_msg *msg)
{
	Elf_Scn *scn = NULL;
	Elf_Data *d;
	GElf_Shdr sh;
	uint8_t *buf;
	size_t n;
	Elf *elf;
	int err;

	err = hp_file_read(path, &buf, &n, msg);
	if (err)
		return err;
	err = -ENOENT;
	if (n >= 4 && !memcmp(buf, ELFMAG, SELFMAG) &&
	    elf_version(EV_CURRENT) != EV_NONE) {
		elf = elf_memory((char *)buf, n);
		while (elf && (scn = elf_nextscn(elf, scn))) {
			if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_NOTE)
				continue;
			d = elf_rawdata(scn, NULL);
			if (d && d->d_buf &&
			    !notes_find_build_id(d->d_buf, d->d_size, id, len)) {
				err = 0;
				break;
			}
		}
		if (elf)
			elf_end(elf);
	} else {
		/* a raw notes blob: /sys/kernel/notes */
		err = notes_find_build_id(buf, n, id, len);
	}
	free(buf);
	if (err)
		return hp_msg_set(msg, err, "%s: no GNU build-id note", path);
	return 0;
}

/* ---- symbols --------------------------------------------------------- */

struct hp_sym {
	char *name;
	char *obj;		/* NULL: vmlinux; else the [module] of kallsyms */
	uint64_t addr;
	uint64_t size;
};

struct hp_symtab {
	struct hp_sym *syms;	/* sorted by (name, addr) */
	size_t nr;
	bool exact;		/* sizes from an ELF symtab */
};

static int cmp_addr(const void *a, const void *b)
{
	const struct hp_sym *x = a, *y = b;

	return x->addr < y->addr ? -1 : x->addr > y->addr;
}

static int cmp_obj(const char *a, const char *b)
{
	if (!a || !b)
		return !!a - !!b;
	return strcmp(a, b);
}

static int cmp_name(const void *a, const void *b)
{
	const struct hp_sym *x = a, *y = b;
	int c = cmp_obj(x->obj, y->obj);

	if (c)
		return c;
	c = strcmp(x->name, y->name);
	if (c)
		return c;
	return x->addr < y->addr ? -1 : x->addr > y->addr;
}

static int symtab_push(struct hp_symtab *t, size_t *cap, const char *obj,
		       const char *name, uint64_t addr, uint64_t size)
{
	struct hp_sym *n;

	if (t->nr == *cap) {
		*cap = *cap ? *cap * 2 : 4096;
		n = realloc(t->syms, *cap * sizeof(*n));
		if (!n)
			return -ENOMEM;
		t->syms = n;
	}
	t->syms[t->nr].name = strdup(name);
	t->syms[t->nr].obj = obj ? strdup(obj) : NULL;
	if (!t->syms[t->nr].name || (obj && !t->syms[t->nr].obj)) {
		free(t->syms[t->nr].name);
		free(t->syms[t->nr].obj);
		return -ENOMEM;
	}
	t->syms[t->nr].addr = addr;
	t->syms[t->nr].size = size;
	t->nr++;
	return 0;
}

int hp_symtab_read_system_map(const char *path, struct hp_symtab **out,
			      struct hp_msg *msg)
{
	struct hp_symtab *t;
	char line[1024], name[600], mod[80], type;
	unsigned long long addr;
	const char *obj;
	int n;
	size_t cap = 0, i, j;
	int err = 0, lineno = 0;
	FILE *f;

	f = fopen(path, "re");
	if (!f)
		return hp_msg_set(msg, -errno, "%s: %s", path, strerror(errno));
	t = calloc(1, sizeof(*t));
	if (!t) {
		fclose(f);
		return -ENOMEM;
	}
	while (fgets(line, sizeof(line), f)) {
		lineno++;
		if (strstr(line, "The real System.map is in")) {
			err = hp_msg_set(msg, -EINVAL,
					 "%s: a stub (Debian ships the real System.map in linux-image-*-dbg; or use /proc/kallsyms)",
					 path);
			goto out;
		}
		n = sscanf(line, "%llx %c %599s [%79[^]]]", &addr, &type, name, mod);
		if (n < 3) {
			err = hp_msg_set(msg, -EINVAL, "%s:%d: not a System.map line",
					 path, lineno);
			goto out;
		}
		obj = n == 4 ? mod : NULL;
		err = symtab_push(t, &cap, obj, name, addr, 0);
		if (err)
			goto out;
	}
	if (!t->nr) {
		err = hp_msg_set(msg, -EINVAL, "%s: no symbols", path);
		goto out;
	}
	/* size bound: distance to the next higher address */
	qsort(t->syms, t->nr, sizeof(*t->syms), cmp_addr);
	for (i = 0; i < t->nr; i++) {
		for (j = i + 1; j < t->nr && t->syms[j].addr == t->syms[i].addr; j++)
			;
		/* no bound across objects, or when addresses are hidden */
		t->syms[i].size = j < t->nr && t->syms[i].addr &&
				  !cmp_obj(t->syms[i].obj, t->syms[j].obj) ?
				  t->syms[j].addr - t->syms[i].addr : 0;
	}
	qsort(t->syms, t->nr, sizeof(*t->syms), cmp_name);
out:
	fclose(f);
	if (err) {
		hp_symtab_free(t);
		return err;
	}
	*out = t;
	return 0;
}

int hp_symtab_read_elf(const char *path, struct hp_symtab **out,
		       struct hp_msg *msg)
{
	struct hp_symtab *t = NULL;
	Elf_Scn *scn = NULL;
	Elf_Data *d;
	GElf_Shdr sh;
	GElf_Sym sym;
	const char *name;
	uint8_t *buf;
	size_t n, cap = 0, i;
	Elf *elf = NULL;
	int err;

	err = hp_file_read(path, &buf, &n, msg);
	if (err)
		return err;
	err = hp_msg_set(msg, -ENOENT, "%s: no symbol table", path);
	if (elf_version(EV_CURRENT) == EV_NONE)
		goto out;
	elf = elf_memory((char *)buf, n);
	t = calloc(1, sizeof(*t));
	if (!elf || !t)
		goto out;
	t->exact = true;
	while ((scn = elf_nextscn(elf, scn))) {
		if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_SYMTAB ||
		    !sh.sh_entsize)
			continue;
		d = elf_getdata(scn, NULL);
		for (i = 1; d && i < sh.sh_size / sh.sh_entsize; i++) {
			if (!gelf_getsym(d, (int)i, &sym) ||
			    sym.st_shndx == SHN_UNDEF ||
			    GELF_ST_TYPE(sym.st_info) == STT_SECTION ||
			    GELF_ST_TYPE(sym.st_info) == STT_FILE)
				continue;
			name = elf_strptr(elf, sh.sh_link, sym.st_name);
			if (!name || !*name)
				continue;
			err = symtab_push(t, &cap, NULL, name, sym.st_value,
					  sym.st_size);
			if (err)
				goto out;
		}
		err = 0;
	}
	if (!err && t->nr)
		qsort(t->syms, t->nr, sizeof(*t->syms), cmp_name);
out:
	if (elf)
		elf_end(elf);
	free(buf);
	if (err || !t || !t->nr) {
		hp_symtab_free(t);
		return err ? err : hp_msg_set(msg, -ENOENT,
					      "%s: no symbol table", path);
	}
	*out = t;
	return 0;
}

void hp_symtab_free(struct hp_symtab *t)
{
	size_t i;

	if (!t)
		return;
	for (i = 0; i < t->nr; i++) {
		free(t->syms[i].name);
		free(t->syms[i].obj);
	}
	free(t->syms);
	free(t);
}

bool hp_symtab_has_obj(const struct hp_symtab *t, const char *obj)
{
	size_t i;

	if (obj && !strcmp(obj, HOTPATCH_VMLINUX))
		obj = NULL;
	for (i = 0; i < t->nr; i++)
		if (!cmp_obj(t->syms[i].obj, obj))
			return true;
	return false;
}

static int cmp_key(const struct hp_sym *s, const char *obj, const char *name)
{
	int c = cmp_obj(s->obj, obj);

	return c ? c : strcmp(s->name, name);
}

int hp_symtab_lookup(const struct hp_symtab *t, const char *obj,
		     const char *name, uint32_t sympos, uint64_t *addr,
		     uint64_t *size, bool *exact)
{
	size_t lo = 0, hi = t->nr, mid, count = 0;

	if (obj && !strcmp(obj, HOTPATCH_VMLINUX))
		obj = NULL;
	/* first entry with this (object, name) */
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (cmp_key(&t->syms[mid], obj, name) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	while (lo + count < t->nr && !cmp_key(&t->syms[lo + count], obj, name))
		count++;
	if (!count)
		return -ENOENT;
	if (sympos == 0 && count > 1)
		return -ENOTUNIQ;
	if (sympos > count)
		return -ERANGE;
	lo += sympos ? sympos - 1 : 0;
	*addr = t->syms[lo].addr;
	*size = t->syms[lo].size;
	*exact = t->exact;
	return 0;
}
