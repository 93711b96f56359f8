/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The few kernel definitions kernel/manifest.c and kernel/reloc_check.c
 * use, for their userspace builds (libhpsign, tests/fuzz). Nothing else
 * may depend on this file.
 */
#ifndef _HOTPATCH_KCOMPAT_H
#define _HOTPATCH_KCOMPAT_H

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <linux/types.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int64_t s64;

#define __printf(a, b)		__attribute__((format(printf, a, b)))
#define BUILD_BUG_ON(cond)	_Static_assert(!(cond), #cond)
#define sizeof_field(TYPE, MEMBER) sizeof((((TYPE *)0)->MEMBER))
#define likely(x)		__builtin_expect(!!(x), 1)
#define unlikely(x)		__builtin_expect(!!(x), 0)
#define EXPORT_SYMBOL_GPL(sym)

#endif /* _HOTPATCH_KCOMPAT_H */
