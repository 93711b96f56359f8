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
#include <stdlib.h>
#include <string.h>

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

int hp_dwarf_load(struct hp_elf *e)
{
	Dwarf_Debug dbg = NULL;
	Dwarf_Error err = NULL;
	struct hp_dwarf *dw;
	int units = 0;

	if (e->dwarf_tried)
		return e->dwarf ? 0 : -ENOENT;
	e->dwarf_tried = true;
	if (!hp_elf_find_section(e, ".debug_info"))
		return -ENOENT;
	if (dwarf_elf_init_b(e->elf, DW_DLC_READ, DW_GROUPNUMBER_ANY, NULL, NULL,
			     &dbg, &err) != DW_DLV_OK)
		return -ENOENT;
	dw = calloc(1, sizeof(*dw));
	if (!dw) {
		dwarf_finish(dbg, &err);
		return -ENOMEM;
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
	e->dwarf = dw;
	return 0;
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
