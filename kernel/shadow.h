/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _HOTPATCH_KERNEL_SHADOW_H
#define _HOTPATCH_KERNEL_SHADOW_H

/*
 * Frees every shadow variable still attached, without destructors (their
 * code went with the patch modules), and logs how many there were. For the
 * core's module exit, when no patch module is loaded any more.
 */
unsigned int hotpatch_shadow_exit(void);

#endif /* _HOTPATCH_KERNEL_SHADOW_H */
