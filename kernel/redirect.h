/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _HOTPATCH_REDIRECT_H
#define _HOTPATCH_REDIRECT_H

#include "core.h"

/*
 * One redirect site per replaced address. Its stack holds the functions of
 * every patch that replaces that address, newest first: the newest wins.
 * The site's mode is chosen by the first function pushed and kept until the
 * site goes away.
 */
int __hotpatch_redirect(struct hp_func *func, enum hp_mode mode);
void __hotpatch_unredirect(struct hp_func *func);

#endif /* _HOTPATCH_REDIRECT_H */
