// SPDX-License-Identifier: GPL-2.0
/*
 * Which object a compiled file belongs to: kbuild's own flags (.cmd file:
 * -DMODULE and KBUILD_MODNAME), checked against the target's symbols (a
 * kallsyms dump, a System.map, a module's .ko): the functions the file
 * defines must be there. `make path/file.o` compiles a file even when the
 * config builds it nowhere, so the symbols are what tell.
 */
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "build.h"
#include "internal.h"

/* A set of "object\tname" strings, open addressing. */
struct hp_symset {
	char **slot;
	size_t cap, nr;
	char **objs;		/* distinct objects seen */
	size_t nr_objs, alloc_objs;
};

static uint64_t hash2(const char *obj, const char *name)
{
	uint64_t h = 1469598103934665603ull;
	const char *p;

	for (p = obj; *p; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211ull;
	h = (h ^ '\t') * 1099511628211ull;
	for (p = name; *p; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211ull;
	return h;
}

static bool key_eq(const char *key, const char *obj, const char *name)
{
	size_t n = strlen(obj);

	return !strncmp(key, obj, n) && key[n] == '\t' && !strcmp(key + n + 1, name);
}

static int symset_new(struct hp_symset **out)
{
	struct hp_symset *s = calloc(1, sizeof(*s));

	if (!s)
		return -ENOMEM;
	s->cap = 1 << 12;
	s->slot = calloc(s->cap, sizeof(*s->slot));
	if (!s->slot) {
		free(s);
		return -ENOMEM;
	}
	*out = s;
	return 0;
}

static int symset_grow(struct hp_symset *s)
{
	size_t cap = s->cap * 2, i;
	char **slot = calloc(cap, sizeof(*slot));

	if (!slot)
		return -ENOMEM;
	for (i = 0; i < s->cap; i++) {
		char *k = s->slot[i];
		char *tab;
		size_t j;

		if (!k)
			continue;
		tab = strchr(k, '\t');
		*tab = '\0';
		j = hash2(k, tab + 1) & (cap - 1);
		*tab = '\t';
		while (slot[j])
			j = (j + 1) & (cap - 1);
		slot[j] = k;
	}
	free(s->slot);
	s->slot = slot;
	s->cap = cap;
	return 0;
}

static int symset_add(struct hp_symset *s, const char *obj, const char *name)
{
	size_t j, i;
	char **o;

	if ((s->nr + 1) * 2 > s->cap && symset_grow(s))
		return -ENOMEM;
	j = hash2(obj, name) & (s->cap - 1);
	while (s->slot[j]) {
		if (key_eq(s->slot[j], obj, name))
			return 0;
		j = (j + 1) & (s->cap - 1);
	}
	s->slot[j] = hp_asprintf("%s\t%s", obj, name);
	if (!s->slot[j])
		return -ENOMEM;
	s->nr++;
	for (i = 0; i < s->nr_objs; i++)
		if (!strcmp(s->objs[i], obj))
			return 0;
	o = hp_array_push((void **)&s->objs, &s->nr_objs, &s->alloc_objs,
			  sizeof(*o));
	if (!o || !(*o = strdup(obj)))
		return -ENOMEM;
	return 0;
}

bool hp_symset_has(const struct hp_symset *s, const char *obj, const char *name)
{
	size_t j = hash2(obj, name) & (s->cap - 1);

	while (s->slot[j]) {
		if (key_eq(s->slot[j], obj, name))
			return true;
		j = (j + 1) & (s->cap - 1);
	}
	return false;
}

bool hp_symset_has_object(const struct hp_symset *s, const char *obj)
{
	size_t i;

	for (i = 0; i < s->nr_objs; i++)
		if (!strcmp(s->objs[i], obj))
			return true;
	return false;
}

void hp_symset_free(struct hp_symset *s)
{
	size_t i;

	if (!s)
		return;
	for (i = 0; i < s->cap; i++)
		free(s->slot[i]);
	for (i = 0; i < s->nr_objs; i++)
		free(s->objs[i]);
	free(s->objs);
	free(s->slot);
	free(s);
}

int hp_kallsyms_load(const char *path, struct hp_symset **out,
		     struct hp_error *err)
{
	struct hp_symset *s = NULL;
	FILE *f = fopen(path, "r");
	char *line = NULL;
	size_t cap = 0;
	unsigned long lineno = 0;
	int rc;

	if (!f)
		return hp_error_set(err, -errno, "cannot open the symbol table '%s': %s",
				    path, strerror(errno));
	rc = symset_new(&s);
	if (rc) {
		hp_error_set(err, rc, "out of memory");
		goto out;
	}
	while (getline(&line, &cap, f) > 0) {
		char addr[32], type[8], name[512], mod[256];
		int n;

		lineno++;
		mod[0] = '\0';
		n = sscanf(line, "%31s %7s %511s %255s", addr, type, name, mod);
		if (n < 3 || strlen(type) != 1 ||
		    strspn(addr, "0123456789abcdefABCDEF") != strlen(addr)) {
			rc = hp_error_set(err, -EINVAL,
					  "%s:%lu: not a kallsyms or System.map line (expected 'ADDRESS TYPE NAME [[MODULE]]')",
					  path, lineno);
			goto out;
		}
		if (n == 4) {
			size_t m = strlen(mod);

			if (m < 3 || mod[0] != '[' || mod[m - 1] != ']') {
				rc = hp_error_set(err, -EINVAL,
						  "%s:%lu: module field '%s' is not '[name]'",
						  path, lineno, mod);
				goto out;
			}
			mod[m - 1] = '\0';
			memmove(mod, mod + 1, m - 1);
		}
		rc = symset_add(s, n == 4 ? mod : "vmlinux", name);
		if (rc) {
			hp_error_set(err, rc, "out of memory");
			goto out;
		}
	}
	if (ferror(f)) {
		rc = hp_error_set(err, -EIO, "cannot read '%s'", path);
		goto out;
	}
	if (!s->nr) {
		rc = hp_error_set(err, -ENODATA,
				  "the symbol table '%s' is empty (kallsyms read without root shows no addresses; dump it as root)",
				  path);
		goto out;
	}
out:
	free(line);
	fclose(f);
	if (rc) {
		hp_symset_free(s);
		return rc;
	}
	*out = s;
	return 0;
}

/* Calls FN for each defined symbol of the ELF file (functions only when
 * asked), under object name OBJ. */
static int elf_symbols(const char *path, bool funcs_only, const char *obj,
		       struct hp_symset *s, size_t *nr, struct hp_error *err)
{
	Elf *e = NULL;
	Elf_Scn *scn = NULL;
	int fd, rc = 0;

	if (elf_version(EV_CURRENT) == EV_NONE)
		return hp_error_set(err, -EINVAL, "libelf: %s", elf_errmsg(-1));
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return hp_error_set(err, -errno, "cannot open '%s': %s", path,
				    strerror(errno));
	e = elf_begin(fd, ELF_C_READ, NULL);
	if (!e || elf_kind(e) != ELF_K_ELF) {
		rc = hp_error_set(err, -ENOEXEC, "'%s' is not an ELF object", path);
		goto out;
	}
	*nr = 0;
	while ((scn = elf_nextscn(e, scn))) {
		GElf_Shdr sh;
		Elf_Data *data;
		size_t i, n;

		if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_SYMTAB)
			continue;
		data = elf_getdata(scn, NULL);
		if (!data || !sh.sh_entsize) {
			rc = hp_error_set(err, -ENOEXEC, "'%s': unreadable symbol table",
					  path);
			goto out;
		}
		n = sh.sh_size / sh.sh_entsize;
		for (i = 1; i < n; i++) {
			GElf_Sym sym;
			const char *name;

			if (!gelf_getsym(data, (int)i, &sym))
				break;
			if (sym.st_shndx == SHN_UNDEF || sym.st_shndx == SHN_ABS)
				continue;
			if (funcs_only && (GELF_ST_TYPE(sym.st_info) != STT_FUNC ||
					   !sym.st_size))
				continue;
			if (!funcs_only && GELF_ST_TYPE(sym.st_info) != STT_FUNC &&
			    GELF_ST_TYPE(sym.st_info) != STT_OBJECT)
				continue;
			name = elf_strptr(e, sh.sh_link, sym.st_name);
			if (!name || !*name)
				continue;
			rc = symset_add(s, obj, name);
			if (rc) {
				hp_error_set(err, rc, "out of memory");
				goto out;
			}
			(*nr)++;
		}
	}
out:
	if (e)
		elf_end(e);
	close(fd);
	return rc;
}

int hp_symset_from_elf(const char *path, bool funcs_only,
		       struct hp_symset **out, struct hp_error *err)
{
	struct hp_symset *s;
	size_t nr;
	int rc = symset_new(&s);

	if (rc)
		return hp_error_set(err, rc, "out of memory");
	rc = elf_symbols(path, funcs_only, "-", s, &nr, err);
	if (rc) {
		hp_symset_free(s);
		return rc;
	}
	*out = s;
	return 0;
}

/* Add the symbols of module MOD (its .ko) to a set under its name. */
int hp_symset_add_module(struct hp_symset *s, const char *mod,
			 const char *ko_path, struct hp_error *err)
{
	size_t nr;

	return elf_symbols(ko_path, false, mod, s, &nr, err);
}

int hp_symset_match(const struct hp_symset *syms, const char *obj,
		    const char *obj_path, size_t *matched, size_t *total,
		    struct hp_error *err)
{
	struct hp_symset *funcs;
	size_t i;
	int rc = hp_symset_from_elf(obj_path, true, &funcs, err);

	if (rc)
		return rc;
	*matched = *total = 0;
	for (i = 0; i < funcs->cap; i++) {
		const char *k = funcs->slot[i];

		if (!k)
			continue;
		k = strchr(k, '\t') + 1;
		(*total)++;
		if (hp_symset_has(syms, obj, k))
			(*matched)++;
	}
	hp_symset_free(funcs);
	return 0;
}

/* The value of -DNAME=... in a command line, unquoted ('"x"' -> x). */
static bool define_value(const char *cmd, const char *name, char *out,
			 size_t len)
{
	size_t n = strlen(name);
	const char *p = cmd;

	while ((p = strstr(p, "-D"))) {
		size_t i = 0;

		p += 2;
		if (strncmp(p, name, n) || p[n] != '=')
			continue;
		p += n + 1;
		while (*p && *p != ' ' && *p != '\n' && i + 1 < len) {
			if (*p != '\'' && *p != '"' && *p != '\\')
				out[i++] = *p;
			p++;
		}
		out[i] = '\0';
		return true;
	}
	return false;
}

/* make's escapes of a saved command undone: $(pound) is '#', $$ is '$'. */
static char *unescape_cmd(const char *p, size_t n)
{
	char *out = malloc(n + 1), *o = out;
	size_t i = 0;

	if (!out)
		return NULL;
	while (i < n) {
		if (n - i >= 8 && !strncmp(p + i, "$(pound)", 8)) {
			*o++ = '#';
			i += 8;
		} else if (n - i >= 2 && p[i] == '$' && p[i + 1] == '$') {
			*o++ = '$';
			i += 2;
		} else {
			*o++ = p[i++];
		}
	}
	*o = '\0';
	return out;
}

int hp_kbuild_cmd_read(const char *cmd_path, struct hp_kbuild_cmd *out,
		       struct hp_error *err)
{
	FILE *f = fopen(cmd_path, "r");
	char *line = NULL;
	size_t cap = 0;
	bool found = false;
	int rc = 0;

	memset(out, 0, sizeof(*out));
	if (!f)
		return hp_error_set(err, -errno, "cannot open kbuild's '%s': %s",
				    cmd_path, strerror(errno));
	while (getline(&line, &cap, f) > 0) {
		const char *p;

		/* 6.1: cmd_<obj> := …; 6.3 and later: savedcmd_<obj> := … */
		if ((!hp_str_starts(line, "cmd_") && !hp_str_starts(line, "savedcmd_")) ||
		    !(p = strstr(line, ":= ")))
			continue;
		found = true;
		out->module = strstr(p, " -DMODULE ") || strstr(p, " -DMODULE\n");
		if (!define_value(p, "KBUILD_MODNAME", out->modname,
				  sizeof(out->modname)))
			out->modname[0] = '\0';
		p += 3;
		out->cmdline = unescape_cmd(p, strcspn(p, "\n"));
		if (!out->cmdline)
			rc = hp_error_set(err, -ENOMEM, "out of memory");
		break;
	}
	free(line);
	fclose(f);
	if (!found)
		return hp_error_set(err, -EINVAL,
				    "'%s' has no 'cmd_… := ' line (not a kbuild .cmd file)", cmd_path);
	return rc;
}

void hp_kbuild_cmd_free(struct hp_kbuild_cmd *kc)
{
	free(kc->cmdline);
	kc->cmdline = NULL;
}

/* Does WORD occur in S as a whole word (space-separated)? */
static bool has_word(const char *s, const char *word)
{
	size_t n = strlen(word);
	const char *p = s;

	while ((p = strstr(p, word))) {
		if ((p == s || p[-1] == ' ') && (!p[n] || p[n] == ' ' || p[n] == ';'))
			return true;
		p += n;
	}
	return false;
}

bool hp_kbuild_cmd_reusable(const char *cmdline, const char *obj,
			    const char *src)
{
	char *want = hp_asprintf("-c -o %s %s", obj, src);
	const char *p;
	bool ok;

	if (!want)
		return false;
	ok = (p = strstr(cmdline, want)) && (p == cmdline || p[-1] == ' ') &&
		has_word(cmdline, "-ffunction-sections") &&
		has_word(cmdline, "-fdata-sections");
	/* after the compiler: only objtool on the object (6.1's cmd_objtool) */
	if (ok) {
		p += strlen(want);
		while (*p == ' ')
			p++;
		if (*p == ';') {
			p++;
			while (*p == ' ')
				p++;
			ok = strstr(p, "objtool ") && !strchr(p, ';') &&
				!strchr(p, '&') && !strchr(p, '|') && !strchr(p, '>') &&
				!strchr(p, '`') && !strchr(p, '$');
		} else {
			ok = !*p;
		}
	}
	/* compile only: nothing piped, redirected or chained before it */
	if (ok) {
		size_t pre = strstr(cmdline, want) - cmdline;

		ok = !memchr(cmdline, ';', pre) && !memchr(cmdline, '|', pre) &&
			!memchr(cmdline, '>', pre) && !memchr(cmdline, '`', pre) &&
			!memchr(cmdline, '$', pre) && !memchr(cmdline, '&', pre);
	}
	free(want);
	return ok;
}

/* "a/b/../c/./d" -> "a/c/d", in place (relative paths, no symlinks). */
static char *norm_path(char *path)
{
	char *out = path, *p = path;

	while (*p) {
		char *seg = p, *slash = strchr(p, '/');
		size_t n = slash ? (size_t)(slash - p) : strlen(p);

		p = slash ? slash + 1 : p + n;
		if (n == 1 && seg[0] == '.')
			continue;
		if (n == 2 && seg[0] == '.' && seg[1] == '.' && out > path) {
			/* drop the last component written */
			out--;
			while (out > path && out[-1] != '/')
				out--;
			continue;
		}
		memmove(out, seg, n);
		out += n;
		if (slash)
			*out++ = '/';
	}
	*out = '\0';
	return path;
}

/* Is OBJ among the space-separated words after PREFIX on a line of TEXT? */
static bool listed(const char *text, const char *prefix, const char *obj)
{
	size_t pl = strlen(prefix), ol = strlen(obj);
	const char *line = text;

	while (line && *line) {
		const char *nl = strchr(line, '\n');
		const char *end = nl ? nl : line + strlen(line);

		if ((size_t)(end - line) > pl && !strncmp(line, prefix, pl) &&
		    line[pl] == ' ') {
			const char *p = line + pl;

			while (p < end) {
				const char *w;

				while (p < end && *p == ' ')
					p++;
				w = p;
				while (p < end && *p != ' ')
					p++;
				if ((size_t)(p - w) == ol && !strncmp(w, obj, ol))
					return true;
				/* a composite's part named from another
				 * directory: "amdgpu/../display/x.o" */
				if (memmem(w, p - w, "/../", 4) || memmem(w, p - w, "/./", 3)) {
					char *n = strndup(w, p - w);
					bool same = n && !strcmp(norm_path(n), obj);

					free(n);
					if (same)
						return true;
				}
			}
		}
		line = nl ? nl + 1 : NULL;
	}
	return false;
}

enum hp_kbuild_in hp_kbuild_lists(const char *output, const char *obj)
{
	if (listed(output, "y", obj) || listed(output, "lib", obj))
		return HP_KB_BUILTIN;
	if (listed(output, "m", obj))
		return HP_KB_MODULE;
	/* a subdirectory kbuild descends into: the caller asks by its name */
	if (listed(output, "sub", obj))
		return HP_KB_BUILTIN;
	return HP_KB_NO;
}
