/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _HOTPATCH_REDIRECT_H
#define _HOTPATCH_REDIRECT_H

#include "core.h"

/*
 * One redirect site per replaced address. Its stack holds the functions of
 * every patch that replaces that address, newest first: the newest live one
 * wins. The site's mode is chosen by the first function pushed and kept
 * until the site goes away.
 *
 * A transition goes:  arm -> (stop_machine) set_live -> settle   (apply)
 *                     unsettle -> (stop_machine) set_live -> disarm (revert)
 * Armed but not live, a function changes nothing: its gate trampoline (or
 * the ops handler) passes calls on to what ran before.
 */
int __hotpatch_arm(struct hp_func *func, enum hp_mode mode);
int __hotpatch_disarm(struct hp_func *func);
bool __hotpatch_torn(struct hp_func *func);
void __hotpatch_set_live(struct hp_func *func, bool live);
void __hotpatch_settle(struct hp_func *func);
int __hotpatch_unsettle(struct hp_func *func, bool to_original);
bool __hotpatch_on_top(struct hp_func *func, struct hp_func **newer);
typedef int (*hotpatch_stack_fn)(struct hp_func *f, void *data);
int __hotpatch_walk_site(struct hp_func *func, hotpatch_stack_fn fn,
				void *data);

#endif /* _HOTPATCH_REDIRECT_H */
