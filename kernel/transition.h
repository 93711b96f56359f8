/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _HOTPATCH_TRANSITION_H
#define _HOTPATCH_TRANSITION_H

#include "core.h"

extern unsigned int hotpatch_timeout_ms;

int __hotpatch_switch(struct hp_patch *patch, bool apply);
int hotpatch_lock_idle(bool interruptible);
void hotpatch_transition_disturb(struct module *mod);

void hotpatch_fault_begin(void);
int hotpatch_fault(struct hp_patch *patch, const char *step);

#endif /* _HOTPATCH_TRANSITION_H */
