/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _HOTPATCH_SYSFS_H
#define _HOTPATCH_SYSFS_H

#include "core.h"

int hotpatch_sysfs_init(void);
void hotpatch_sysfs_exit(void);

/* Allocate with an initialised kobject; the matching put frees. */
struct hp_patch *hotpatch_sysfs_alloc_patch(void);
struct hp_object *hotpatch_sysfs_alloc_object(void);
struct hp_func *hotpatch_sysfs_alloc_func(void);
void hotpatch_sysfs_put_patch(struct hp_patch *patch);
void hotpatch_sysfs_put_object(struct hp_object *obj);
void hotpatch_sysfs_put_func(struct hp_func *func);

int hotpatch_sysfs_add(struct hp_patch *patch);

#endif /* _HOTPATCH_SYSFS_H */
