// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: the ELF reader. Any input must give either a model or
 * an error; then every lookup the passes use must stay in bounds.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct hp_error err = { 0 };
	struct hp_section *s;
	struct hp_symbol *sym;
	struct hp_elf *e;

	if (hp_elf_open_mem(data, size, "fuzz", &e, &err))
		return 0;
	hp_for_each_section(e, s) {
		struct hp_rela *r;

		hp_section_symbol_at(s, 0);
		hp_section_symbol_at(s, s->size ? s->size - 1 : 0);
		hp_for_each_rela(s, r)
			hp_section_rela_at(s, r->offset);
	}
	hp_for_each_symbol(e, sym)
		if (sym->sec)
			hp_section_symbol_at(sym->sec, sym->sym.st_value);
	hp_elf_find_symbol(e, "foo");
	hp_elf_free(e);
	return 0;
}
