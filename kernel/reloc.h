/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _HOTPATCH_RELOC_H
#define _HOTPATCH_RELOC_H

#include "core.h"

/*
 * Livepatch relocations of a patch module (reloc.c): checked at
 * registration, applied per target module while it is loaded, zeroed when
 * it goes. Callers hold hotpatch_mutex.
 */
int hotpatch_reloc_init(struct hp_patch *patch);
int __hotpatch_reloc_apply(struct hp_patch *patch, struct hp_object *obj);
void __hotpatch_reloc_clear(struct hp_patch *patch, struct hp_object *obj);

#endif /* _HOTPATCH_RELOC_H */
