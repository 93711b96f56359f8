// SPDX-License-Identifier: GPL-2.0
/*
 * DWARF (libdwarf): where a symbol is declared, and the layout of every
 * named struct/union, so refusals can point at a source line and struct
 * layout changes can be seen even when no variable changes size.
 *
 * Best effort: an object without debug info, or with debug info libdwarf
 * cannot read, simply has no answers here.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <libdwarf/dwarf.h>
#include <libdwarf/libdwarf.h>

#include "internal.h"

#define HP_DWARF_MAX_DEPTH 32
#define HP_DWARF_MAX_MEMBERS_LEN 4096

struct hp_decl {
	char *name;
	char *file;
	unsigned int line;
};

struct hp_dwarf {
	struct hp_decl *decls;
	size_t nr_decls, alloc_decls;
	struct hp_dwarf_struct *structs;
	size_t nr_structs, alloc_structs;
	char **files;
	Dwarf_Signed nr_files;
	int version;
};

void hp_dwarf_free(struct hp_dwarf *dw)
{
	size_t i;

	if (!dw)
		return;
	for (i = 0; i < dw->nr_decls; i++) {
		free(dw->decls[i].name);
		free(dw->decls[i].file);
	}
	for (i = 0; i < dw->nr_structs; i++) {
		free((char *)dw->structs[i].name);
		free(dw->structs[i].members);
	}
	free(dw->decls);
	free(dw->structs);
	free(dw);
}

static bool attr_udata(Dwarf_Die die, Dwarf_Half at, Dwarf_Unsigned *out)
{
	Dwarf_Attribute attr;
	Dwarf_Error err = NULL;
	Dwarf_Signed sv;
	int ret;

	if (dwarf_attr(die, at, &attr, &err) != DW_DLV_OK)
		return false;
	ret = dwarf_formudata(attr, out, &err);
	if (ret != DW_DLV_OK) {
		ret = dwarf_formsdata(attr, &sv, &err);
		if (ret == DW_DLV_OK)
			*out = (Dwarf_Unsigned)sv;
	}
	return ret == DW_DLV_OK;
}

static bool has_attr(Dwarf_Die die, Dwarf_Half at)
{
	Dwarf_Bool yes = 0;
	Dwarf_Error err = NULL;

	return dwarf_hasattr(die, at, &yes, &err) == DW_DLV_OK && yes;
}

static void add_decl(struct hp_dwarf *dw, Dwarf_Die die, const char *name)
{
	Dwarf_Unsigned line = 0, file = 0;
	struct hp_decl *d;
	long idx;

	if (!attr_udata(die, DW_AT_decl_line, &line) ||
	    !attr_udata(die, DW_AT_decl_file, &file))
		return;
	idx = dw->version >= 5 ? (long)file : (long)file - 1;
	d = hp_array_push((void **)&dw->decls, &dw->nr_decls, &dw->alloc_decls,
			  sizeof(*d));
	if (!d)
		return;
	d->name = strdup(name);
	d->file = strdup(idx >= 0 && idx < dw->nr_files ? dw->files[idx] : "?");
	d->line = (unsigned int)line;
	if (!d->name || !d->file) {
		free(d->name);
		free(d->file);
		dw->nr_decls--;
	}
}

static void add_struct(struct hp_dwarf *dw, Dwarf_Debug dbg, Dwarf_Die die,
		       const char *kind, const char *name)
{
	Dwarf_Unsigned size = 0;
	struct hp_dwarf_struct *s;
	Dwarf_Error err = NULL;
	Dwarf_Die child = NULL;
	char *members;
	size_t len = 0;

	if (has_attr(die, DW_AT_declaration) || !attr_udata(die, DW_AT_byte_size, &size))
		return;
	members = calloc(1, HP_DWARF_MAX_MEMBERS_LEN);
	if (!members)
		return;
	if (dwarf_child(die, &child, &err) == DW_DLV_OK) {
		for (;;) {
			Dwarf_Half tag = 0;
			Dwarf_Die next = NULL;
			char *mname = NULL;

			if (dwarf_tag(child, &tag, &err) == DW_DLV_OK &&
			    tag == DW_TAG_member) {
				Dwarf_Unsigned off = 0, bit = 0;

				if (dwarf_diename(child, &mname, &err) != DW_DLV_OK)
					mname = NULL;
				attr_udata(child, DW_AT_data_member_location, &off);
				attr_udata(child, DW_AT_data_bit_offset, &bit);
				if (len < HP_DWARF_MAX_MEMBERS_LEN - 1) {
					int n = snprintf(members + len,
							 HP_DWARF_MAX_MEMBERS_LEN - len,
							 "%s%s@%llu", len ? "," : "",
							 mname ? mname : "?",
							 (unsigned long long)(bit ? bit : off * 8));

					if (n > 0)
						len += (size_t)n;
					if (len >= HP_DWARF_MAX_MEMBERS_LEN)
						len = HP_DWARF_MAX_MEMBERS_LEN - 1;
				}
			}
			if (dwarf_siblingof_b(dbg, child, 1, &next, &err) != DW_DLV_OK) {
				dwarf_dealloc(dbg, child, DW_DLA_DIE);
				break;
			}
			dwarf_dealloc(dbg, child, DW_DLA_DIE);
			child = next;
		}
	}
	s = hp_array_push((void **)&dw->structs, &dw->nr_structs, &dw->alloc_structs,
			  sizeof(*s));
	if (!s) {
		free(members);
		return;
	}
	s->name = hp_asprintf("%s %s", kind, name);
	s->size = size;
	s->members = members;
	if (!s->name) {
		free(members);
		dw->nr_structs--;
		return;
	}
	add_decl(dw, die, s->name);
}

static void walk(struct hp_dwarf *dw, Dwarf_Debug dbg, Dwarf_Die die, int depth)
{
	Dwarf_Error err = NULL;

	while (die) {
		Dwarf_Die child = NULL, next = NULL;
		Dwarf_Half tag = 0;
		char *name = NULL;

		if (dwarf_tag(die, &tag, &err) != DW_DLV_OK)
			tag = 0;
		if (dwarf_diename(die, &name, &err) != DW_DLV_OK)
			name = NULL;
		if (name && (tag == DW_TAG_subprogram || tag == DW_TAG_variable))
			add_decl(dw, die, name);
		if (name && (tag == DW_TAG_structure_type || tag == DW_TAG_union_type))
			add_struct(dw, dbg, die,
				   tag == DW_TAG_structure_type ? "struct" : "union", name);
		/* statics live inside subprograms and lexical blocks */
		if (depth < HP_DWARF_MAX_DEPTH &&
		    (tag == DW_TAG_subprogram || tag == DW_TAG_lexical_block ||
		     tag == DW_TAG_compile_unit || tag == DW_TAG_partial_unit) &&
		    dwarf_child(die, &child, &err) == DW_DLV_OK)
			walk(dw, dbg, child, depth + 1);
		if (dwarf_siblingof_b(dbg, die, 1, &next, &err) != DW_DLV_OK)
			next = NULL;
		dwarf_dealloc(dbg, die, DW_DLA_DIE);
		die = next;
	}
}

static void load_cu_files(struct hp_dwarf *dw, Dwarf_Debug dbg, Dwarf_Die cu)
{
	Dwarf_Error err = NULL;
	char **files = NULL;
	Dwarf_Signed n = 0, i;

	dw->files = NULL;
	dw->nr_files = 0;
	if (dwarf_srcfiles(cu, &files, &n, &err) != DW_DLV_OK || n <= 0)
		return;
	dw->files = calloc((size_t)n, sizeof(char *));
	if (dw->files) {
		for (i = 0; i < n; i++)
			dw->files[i] = strdup(files[i] ? files[i] : "?");
		dw->nr_files = n;
	}
	for (i = 0; i < n; i++)
		dwarf_dealloc(dbg, files[i], DW_DLA_STRING);
	dwarf_dealloc(dbg, files, DW_DLA_LIST);
}

static void free_cu_files(struct hp_dwarf *dw)
{
	Dwarf_Signed i;

	for (i = 0; i < dw->nr_files; i++)
		free(dw->files[i]);
	free(dw->files);
	dw->files = NULL;
	dw->nr_files = 0;
}

/* In-process walk with libdwarf. Runs in a child process, see below. */
static struct hp_dwarf *collect(struct hp_elf *e)
{
	Dwarf_Debug dbg = NULL;
	Dwarf_Error err = NULL;
	struct hp_dwarf *dw;
	int units = 0;

	if (dwarf_elf_init_b(e->elf, DW_DLC_READ, DW_GROUPNUMBER_ANY, NULL, NULL,
			     &dbg, &err) != DW_DLV_OK)
		return NULL;
	dw = calloc(1, sizeof(*dw));
	if (!dw) {
		dwarf_finish(dbg, &err);
		return NULL;
	}
	for (units = 0; units < 100000; units++) {
		Dwarf_Unsigned hlen, abbr, next, typeoff;
		Dwarf_Half ver, asize, osize, xsize, cutype;
		Dwarf_Sig8 sig;
		Dwarf_Die cu = NULL, child = NULL;

		if (dwarf_next_cu_header_d(dbg, 1, &hlen, &ver, &abbr, &asize, &osize,
					   &xsize, &sig, &typeoff, &next, &cutype,
					   &err) != DW_DLV_OK)
			break;
		if (dwarf_siblingof_b(dbg, NULL, 1, &cu, &err) != DW_DLV_OK)
			continue;
		dw->version = ver;
		load_cu_files(dw, dbg, cu);
		if (dwarf_child(cu, &child, &err) == DW_DLV_OK)
			walk(dw, dbg, child, 1);
		free_cu_files(dw);
		dwarf_dealloc(dbg, cu, DW_DLA_DIE);
	}
	dwarf_finish(dbg, &err);
	return dw;
}

/*
 * libdwarf is not robust against hostile debug info (a double free in
 * dwarf_load_rnglists was found by tests/fuzz on the 20210528 release), so
 * it runs in a forked child with a time limit. The child sends what it
 * found through a pipe; if it crashes or hangs, the object simply has no
 * DWARF answers. Records: 'D' name file line | 'S' name size members,
 * strings NUL-terminated, numbers as decimal text.
 */
#define HP_DWARF_MAX_REPLY (256u << 20)
#define HP_DWARF_TIME_LIMIT 20

extern void __sanitizer_set_death_callback(void (*cb)(void)) __attribute__((weak));

static bool put(FILE *f, const char *s)
{
	return fputs(s, f) >= 0 && fputc('\0', f) != EOF;
}

static void child(struct hp_elf *e, int fd)
{
	static const int sigs[] = { SIGSEGV, SIGBUS, SIGABRT, SIGILL, SIGFPE };
	struct hp_dwarf *dw;
	char num[32];
	int devnull;
	FILE *f;
	size_t i;

	/* a crash here is libdwarf's, not the caller's: no fuzzer report */
	if (__sanitizer_set_death_callback)
		__sanitizer_set_death_callback(NULL);
	for (i = 0; i < HP_ARRAY_SIZE(sigs); i++)
		signal(sigs[i], SIG_DFL);
	/* and no crash report on the caller's terminal either */
	devnull = open("/dev/null", O_WRONLY | O_CLOEXEC);
	if (devnull >= 0)
		dup2(devnull, STDERR_FILENO);
	alarm(HP_DWARF_TIME_LIMIT);
	f = fdopen(fd, "w");
	dw = collect(e);
	if (!f || !dw)
		_exit(1);
	for (i = 0; i < dw->nr_decls; i++) {
		snprintf(num, sizeof(num), "%u", dw->decls[i].line);
		if (!put(f, "D") || !put(f, dw->decls[i].name) ||
		    !put(f, dw->decls[i].file) || !put(f, num))
			_exit(1);
	}
	for (i = 0; i < dw->nr_structs; i++) {
		snprintf(num, sizeof(num), "%llu", (unsigned long long)dw->structs[i].size);
		if (!put(f, "S") || !put(f, dw->structs[i].name) || !put(f, num) ||
		    !put(f, dw->structs[i].members))
			_exit(1);
	}
	_exit(fflush(f) ? 1 : 0);
}

static char *read_all(int fd, size_t *len)
{
	size_t cap = 65536, n = 0;
	char *buf = malloc(cap);

	while (buf) {
		ssize_t got;

		if (n == cap) {
			char *nb;

			if (cap >= HP_DWARF_MAX_REPLY) {
				free(buf);
				return NULL;
			}
			nb = realloc(buf, cap * 2);
			if (!nb) {
				free(buf);
				return NULL;
			}
			buf = nb;
			cap *= 2;
		}
		got = read(fd, buf + n, cap - n);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			free(buf);
			return NULL;
		}
		if (got == 0)
			break;
		n += (size_t)got;
	}
	*len = n;
	return buf;
}

/* Next NUL-terminated field of buf[*pos..len), or NULL. */
static const char *field(const char *buf, size_t len, size_t *pos)
{
	const char *s = buf + *pos, *end;

	if (*pos >= len)
		return NULL;
	end = memchr(s, '\0', len - *pos);
	if (!end)
		return NULL;
	*pos += (size_t)(end - s) + 1;
	return s;
}

static struct hp_dwarf *parse_reply(const char *buf, size_t len)
{
	struct hp_dwarf *dw = calloc(1, sizeof(*dw));
	size_t pos = 0;

	while (dw && pos < len) {
		const char *kind = field(buf, len, &pos);
		const char *a = field(buf, len, &pos), *b = field(buf, len, &pos);
		const char *c = field(buf, len, &pos);

		if (!kind || !a || !b || !c)
			break;
		if (!strcmp(kind, "D")) {
			struct hp_decl *d = hp_array_push((void **)&dw->decls, &dw->nr_decls,
							  &dw->alloc_decls, sizeof(*d));

			if (!d)
				break;
			d->name = strdup(a);
			d->file = strdup(b);
			d->line = (unsigned int)strtoul(c, NULL, 10);
			if (!d->name || !d->file) {
				free(d->name);
				free(d->file);
				dw->nr_decls--;
			}
		} else if (!strcmp(kind, "S")) {
			struct hp_dwarf_struct *s = hp_array_push((void **)&dw->structs,
								  &dw->nr_structs,
								  &dw->alloc_structs,
								  sizeof(*s));

			if (!s)
				break;
			s->name = strdup(a);
			s->size = strtoull(b, NULL, 10);
			s->members = strdup(c);
			if (!s->name || !s->members) {
				free((char *)s->name);
				free(s->members);
				dw->nr_structs--;
			}
		}
	}
	return dw;
}

int hp_dwarf_load(struct hp_elf *e)
{
	int fds[2], status = 0;
	size_t len = 0;
	char *reply;
	pid_t pid;

	if (e->dwarf_tried)
		return e->dwarf ? 0 : -ENOENT;
	e->dwarf_tried = true;
	if (!hp_elf_find_section(e, ".debug_info"))
		return -ENOENT;
	if (pipe(fds))
		return -errno;
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		close(fds[0]);
		close(fds[1]);
		return -errno;
	}
	if (pid == 0) {
		close(fds[0]);
		child(e, fds[1]);
	}
	close(fds[1]);
	reply = read_all(fds[0], &len);
	close(fds[0]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (!reply || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		free(reply);
		return -EIO;
	}
	e->dwarf = parse_reply(reply, len);
	free(reply);
	return e->dwarf ? 0 : -ENOMEM;
}

bool hp_dwarf_decl(struct hp_elf *e, const char *name, const char **file,
		   unsigned int *line)
{
	size_t i;

	if (hp_dwarf_load(e) || !e->dwarf)
		return false;
	for (i = 0; i < e->dwarf->nr_decls; i++)
		if (!strcmp(e->dwarf->decls[i].name, name)) {
			*file = e->dwarf->decls[i].file;
			*line = e->dwarf->decls[i].line;
			return true;
		}
	return false;
}

size_t hp_dwarf_nr_structs(struct hp_elf *e)
{
	return e->dwarf ? e->dwarf->nr_structs : 0;
}

const struct hp_dwarf_struct *hp_dwarf_struct_at(struct hp_elf *e, size_t i)
{
	return e->dwarf && i < e->dwarf->nr_structs ? &e->dwarf->structs[i] : NULL;
}

const struct hp_dwarf_struct *hp_dwarf_find_struct(struct hp_elf *e,
						   const char *name)
{
	size_t i;

	for (i = 0; i < hp_dwarf_nr_structs(e); i++)
		if (!strcmp(e->dwarf->structs[i].name, name))
			return &e->dwarf->structs[i];
	return NULL;
}
