/* SPDX-License-Identifier: GPL-2.0 */
/* Internal interfaces of the module generator (gen.c, gensyms.c). */
#ifndef HP_BUILDER_GEN_H
#define HP_BUILDER_GEN_H

#include <stdint.h>

#include "hpbuild.h"

/*
 * The target's symbols: name -> sympos and kallsyms-style size. want is a
 * sympos the user gave (0: decide; unique, or told apart by file), resolved
 * the one the resolve stage found (.hotpatch.funcs; 0: none), taken when
 * the name is not unique and nothing else decides.
 */
struct hp_gen_syms;
int hp_gen_syms_new(const char *symbols, const struct hp_gen_modobj *mods,
		    size_t nr_mods, struct hp_gen_syms **out, struct hp_error *err);
int hp_gen_syms_find(struct hp_gen_syms *s, const char *obj, const char *name,
		     const char *file, uint32_t want, uint32_t resolved,
		     uint32_t *sympos, uint32_t *size, struct hp_error *err);
void hp_gen_syms_free(struct hp_gen_syms *s);

#endif
