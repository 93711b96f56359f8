/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hotpatch: the API a patch module uses to hand itself to the core.
 *
 * A patch module describes, per target object (vmlinux or a module), the
 * functions it replaces. Its init calls hotpatch_register(), which stages,
 * verifies and applies the patch (if that fails, the module load fails
 * with the core's errno); its exit calls hotpatch_unregister(). The core
 * pins the module while the patch is applied, so exit runs only after a
 * revert. A patch module also carries MODULE_INFO(hotpatch, "Y").
 *
 * The descriptors below are read once, at registration: the core copies
 * what it needs, so they may live in __initdata-free static storage of the
 * patch module and must not change afterwards.
 */
#ifndef _HOTPATCH_HOTPATCH_H
#define _HOTPATCH_HOTPATCH_H

#include <linux/module.h>
#include <linux/types.h>

/* Version of this interface; the core refuses patches built for another. */
#define HOTPATCH_API_VERSION	1

/**
 * struct hotpatch_tramp - direct-call trampolines of one new function
 * @steady:	trampoline of the steady state
 * @gate:	trampoline used while the patch is switched on or off
 * @prev:	where @gate sends calls while @live is 0 (set by the core)
 * @live:	0 before the switch, 1 after (set by the core)
 *
 * Emitted by HOTPATCH_TRAMPOLINE in <hotpatch/trampoline.S>, which hard
 * codes the offsets of @prev and @live: keep the layout.
 */
struct hotpatch_tramp {
	void *steady;
	void *gate;
	unsigned long prev;
	unsigned char live;
};

/**
 * struct hotpatch_func - one function to replace
 * @old_name:	name of the function being replaced
 * @old_sympos:	1-based position of @old_name among local symbols of the
 *		same name in the object (kallsyms order); 0 when unique
 * @old_size:	size the function must have in the running kernel; 0 skips
 *		the check
 * @new_func:	the replacement, with the same prototype
 * @tramp:	direct-call trampolines for @new_func, made with
 *		HOTPATCH_TRAMPOLINE in a .S file of the patch module and named
 *		with HOTPATCH_TRAMP(); NULL restricts this function to the
 *		ftrace_ops redirect mode
 */
struct hotpatch_func {
	const char *old_name;
	unsigned long old_sympos;
	unsigned long old_size;
	void *new_func;
	struct hotpatch_tramp *tramp;
};

struct hotpatch_object;

/**
 * struct hotpatch_callbacks - code run around the switch of one object
 * @pre_patch:	before the object's functions are switched to the new code
 *		(when the patch is applied, or when the object's module loads
 *		later). A non-zero return (a negative errno) vetoes: the patch
 *		is not applied, or the module's load fails, with that errno.
 * @post_patch:	after the object's functions run the new code
 * @pre_unpatch: before the object's functions are switched back (revert,
 *		or the module going away)
 * @post_unpatch: after they are switched back; also runs when the apply
 *		fails after @pre_patch succeeded, so it can undo @pre_patch
 *
 * Symmetric: the unpatch callbacks of an object run only if its
 * @pre_patch ran and succeeded (or it has none). If a revert fails (tasks
 * stay inside the new code), the patch stays applied and @post_patch runs
 * again after @pre_unpatch. Callbacks run in process context, under the
 * core's mutex: they may sleep, but must not call into the core.
 */
struct hotpatch_callbacks {
	int (*pre_patch)(struct hotpatch_object *obj);
	void (*post_patch)(struct hotpatch_object *obj);
	void (*pre_unpatch)(struct hotpatch_object *obj);
	void (*post_unpatch)(struct hotpatch_object *obj);
};

/**
 * struct hotpatch_object - the functions a patch replaces in one object
 * @name:	module name, or NULL (or "vmlinux") for the kernel image
 * @funcs:	array terminated by an entry whose @old_name is NULL
 * @callbacks:	optional callbacks around the switch of this object
 */
struct hotpatch_object {
	const char *name;
	struct hotpatch_func *funcs;
	struct hotpatch_callbacks callbacks;
};

/* Flags of struct hotpatch_patch. */
#define HOTPATCH_F_OPS		(1UL << 0) /* redirect with ftrace_ops only */
#define HOTPATCH_F_DIRECT	(1UL << 1) /* redirect with direct calls only */
#define HOTPATCH_F_REPLACE	(1UL << 2) /* cumulative: replaces all others */

/**
 * struct hotpatch_state - a change of system state a patch makes
 * @id:		identifies the kind of change, among all patches of a product
 * @version:	version of the change; a patch may only keep or raise it
 * @data:	for the patch's callbacks (e.g. to hand data to a successor)
 *
 * A cumulative patch (HOTPATCH_F_REPLACE) must carry every state id of the
 * patches it replaces, at the same or a higher version; no patch may lower
 * the version of an installed state. Otherwise it is refused.
 */
struct hotpatch_state {
	unsigned long id;
	unsigned int version;
	void *data;
};

/**
 * struct hotpatch_patch - a patch module's description of itself
 * @api:	HOTPATCH_API_VERSION the module was built against
 * @mod:	the patch module (THIS_MODULE); its name names the patch
 * @objs:	array terminated by an entry whose @funcs is NULL
 * @flags:	HOTPATCH_F_*; without a mode flag the core's default applies
 * @target:	kernel release the patch was built for (utsname release);
 *		NULL skips the check
 * @states:	system states the patch installs, terminated by an entry
 *		whose @id is 0; NULL for none
 */
struct hotpatch_patch {
	unsigned int api;
	struct module *mod;
	struct hotpatch_object *objs;
	unsigned long flags;
	const char *target;
	struct hotpatch_state *states;
};

int hotpatch_register(struct hotpatch_patch *patch);
void hotpatch_unregister(struct hotpatch_patch *patch);

/**
 * hotpatch_state_get() - a state of this patch
 * @patch:	the calling patch
 * @id:		state id
 *
 * Return: the entry of @patch->states with that id, or NULL.
 */
struct hotpatch_state *hotpatch_state_get(struct hotpatch_patch *patch,
					  unsigned long id);

/**
 * hotpatch_state_get_prev() - the same state as installed before this patch
 * @patch:	the calling patch
 * @id:		state id
 *
 * For callbacks (they run under the core's lock): the state with that id
 * of the newest other applied patch, e.g. the one a cumulative patch is
 * replacing, so the new patch can take its data over. A replaced patch
 * still counts in the post-patch callbacks of the cumulative patch (after
 * the switch; its own unpatch callbacks never run), as in upstream
 * livepatch.
 *
 * Return: the state, or NULL if no applied patch has it.
 */
struct hotpatch_state *hotpatch_state_get_prev(struct hotpatch_patch *patch,
					       unsigned long id);

/*
 * Declare and name the trampolines HOTPATCH_TRAMPOLINE fn made (fn may be a
 * macro that expands to the function's name).
 */
#define __HOTPATCH_TRAMP_DECLARE(fn) \
	extern struct hotpatch_tramp __hotpatch_tramp_##fn
#define HOTPATCH_TRAMP_DECLARE(fn) __HOTPATCH_TRAMP_DECLARE(fn)
#define __HOTPATCH_TRAMP(fn) (&__hotpatch_tramp_##fn)
#define HOTPATCH_TRAMP(fn) __HOTPATCH_TRAMP(fn)


#endif /* _HOTPATCH_HOTPATCH_H */
