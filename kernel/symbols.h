/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _HOTPATCH_SYMBOLS_H
#define _HOTPATCH_SYMBOLS_H

#include <linux/module.h>

int hotpatch_symbols_init(void);

int hotpatch_find_symbol(const char *objname, const char *name,
			 unsigned long sympos, unsigned long *addr,
			 char *why, size_t why_len);
bool hotpatch_symbol_size(unsigned long addr, unsigned long *size);
struct module *hotpatch_get_module(const char *name);

#endif /* _HOTPATCH_SYMBOLS_H */
