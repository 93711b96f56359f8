// SPDX-License-Identifier: GPL-2.0
/*
 * stage.c - staging and signature verification of patch modules
 *
 * Placeholder until the signed-manifest staging lands (issue 4): nothing is
 * staged, every registration is accepted as it is.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include "stage.h"

int hotpatch_stage_init(void)
{
	return 0;
}

void hotpatch_stage_exit(void)
{
}

int hotpatch_stage_claim(struct hp_patch *patch)
{
	return 0;
}

void hotpatch_stage_release(struct hp_patch *patch)
{
}

static struct attribute *hp_stage_root_attrs[] = {
	NULL,
};

const struct attribute_group hotpatch_stage_root_group = {
	.attrs = hp_stage_root_attrs,
};

static struct attribute *hp_stage_patch_attrs[] = {
	NULL,
};

const struct attribute_group hotpatch_stage_patch_group = {
	.attrs = hp_stage_patch_attrs,
};
