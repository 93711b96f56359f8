/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _HOTPATCH_OWNER_H
#define _HOTPATCH_OWNER_H

#include <linux/types.h>

void hotpatch_site_owner(unsigned long addr, char *buf, size_t len);

#endif /* _HOTPATCH_OWNER_H */
