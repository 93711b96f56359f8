/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _HOTPATCH_STAGE_H
#define _HOTPATCH_STAGE_H

#include <linux/sysfs.h>
#include "core.h"

/*
 * Staging: the module notifier parses and verifies a patch module's signed
 * manifest before any of its code runs (MODULE_STATE_COMING); the patch's
 * registration then claims that staged record and checks its descriptors
 * against it.
 */
int hotpatch_stage_init(void);
void hotpatch_stage_exit(void);
int hotpatch_stage_claim(struct hp_patch *patch);
void hotpatch_stage_release(struct hp_patch *patch);
const char *hotpatch_stage_series(struct hp_patch *patch, u32 *version);
int hotpatch_stage_check_module(struct hp_patch *patch, struct hp_object *obj,
				struct module *mod);

/* Added to /sys/kernel/hotpatch/ and to each patches/<name>/. */
extern const struct attribute_group hotpatch_stage_root_group;
extern const struct attribute_group hotpatch_stage_patch_group;

#endif /* _HOTPATCH_STAGE_H */
