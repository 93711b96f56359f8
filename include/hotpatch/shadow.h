/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hotpatch: shadow variables, for patch modules.
 *
 * A patch cannot change the layout of a structure the running kernel
 * already uses, but it can attach new data to an existing object: a shadow
 * variable is a block of memory that the core finds again from the pair
 * <obj, id>, where @obj is the address of the object (any kernel address)
 * and @id a number the patch picks for the kind of data (say one id per
 * "new field"). Ids are global: two patches that use the same id share the
 * variables, which is what a cumulative patch that takes over from an older
 * one wants, and what unrelated patches must avoid.
 *
 *	struct sock_extra { atomic_t drops; };
 *	#define SHADOW_SOCK_EXTRA	0x736b0001
 *
 *	extra = hotpatch_shadow_get_or_alloc(sk, SHADOW_SOCK_EXTRA,
 *					     sizeof(*extra), GFP_ATOMIC,
 *					     NULL, NULL);
 *	...
 *	hotpatch_shadow_free(sk, SHADOW_SOCK_EXTRA, NULL);  (where sk dies)
 *
 * Concurrency: every call may run in any context (process, softirq,
 * hardirq) as long as @gfp suits that context, and any number of them may
 * run at once. The core keeps its table consistent and guarantees that
 * at most one variable exists per <obj, id>; it does not serialise access
 * to the data itself, which is the caller's business. The memory of a
 * freed variable is released only after an RCU grace period, so a reader
 * that calls hotpatch_shadow_get() and uses the data inside one
 * rcu_read_lock() section never touches freed memory, even when another
 * CPU frees the variable meanwhile. Outside such a section a caller must
 * know by other means (the object's own lifetime rules, a lock) that
 * nobody frees the variable while it uses it.
 *
 * Lifetime: nothing frees a shadow variable by itself. A patch frees the
 * variables of an object where the object dies (in a replaced release
 * function), and all the variables of its ids with
 * hotpatch_shadow_free_all() when it is reverted for good, typically in its
 * module exit after hotpatch_unregister(). A variable left attached to a
 * freed object is leaked and is found again if a new object later gets the
 * same address. See docs/shadow-variables.md.
 *
 * Declarations only: the functions live in the core (hotpatch.ko).
 */
#ifndef _HOTPATCH_SHADOW_H
#define _HOTPATCH_SHADOW_H

#include <linux/gfp.h>
#include <linux/types.h>

/**
 * typedef hotpatch_shadow_ctor_t - constructor of a shadow variable
 * @obj:	the object the variable is being attached to
 * @shadow_data: the new variable's data, zeroed, of the size asked for
 * @ctor_data:	the @ctor_data given to the allocating call
 *
 * Called at most once per variable, before anybody else can find it, with
 * the core's spinlock held and interrupts off: it must not sleep, nor call
 * any hotpatch_shadow_*() function.
 *
 * Return: 0 to attach the variable; a negative errno to discard it, in
 * which case the allocating call returns NULL.
 */
typedef int (*hotpatch_shadow_ctor_t)(void *obj, void *shadow_data,
				      void *ctor_data);

/**
 * typedef hotpatch_shadow_dtor_t - destructor of a shadow variable
 * @obj:	the object the variable was attached to
 * @shadow_data: the variable's data
 *
 * Called once per variable freed, after the variable was detached (no new
 * hotpatch_shadow_get() finds it) but before its memory is released, with
 * the core's spinlock held and interrupts off: it must not sleep, nor call
 * any hotpatch_shadow_*() function. Typically it releases what the data
 * points to; readers inside rcu_read_lock() may still see the data itself
 * until the grace period ends.
 */
typedef void (*hotpatch_shadow_dtor_t)(void *obj, void *shadow_data);

/**
 * hotpatch_shadow_get() - find the shadow variable <@obj, @id>
 * @obj:	address of the object
 * @id:		kind of data
 *
 * Lock-free (RCU); any context.
 *
 * Return: the variable's data, or NULL if there is none.
 */
void *hotpatch_shadow_get(void *obj, unsigned long id);

/**
 * hotpatch_shadow_alloc() - attach a new shadow variable to an object
 * @obj:	address of the object
 * @id:		kind of data
 * @size:	size of the data in bytes
 * @gfp:	allocation flags, for the caller's context
 * @ctor:	constructor, or NULL to leave the data zeroed
 * @ctor_data:	passed to @ctor
 *
 * Allocates @size zeroed bytes, runs @ctor on them, and attaches them to
 * @obj under @id, where hotpatch_shadow_get() finds them from then on. The
 * data are aligned for any scalar type.
 *
 * A variable <@obj, @id> that already exists is a bug of the caller: the
 * call warns (WARN) and returns NULL, leaving the existing one alone.
 *
 * Return: the new variable's data; NULL if one existed already, if memory
 * ran out, or if @ctor failed (which the core logs).
 */
void *hotpatch_shadow_alloc(void *obj, unsigned long id, size_t size,
			    gfp_t gfp, hotpatch_shadow_ctor_t ctor,
			    void *ctor_data);

/**
 * hotpatch_shadow_get_or_alloc() - find or attach a shadow variable
 * @obj:	address of the object
 * @id:		kind of data
 * @size:	size of the data in bytes, if it must be allocated
 * @gfp:	allocation flags, for the caller's context
 * @ctor:	constructor, or NULL to leave new data zeroed
 * @ctor_data:	passed to @ctor
 *
 * Like hotpatch_shadow_get() when the variable <@obj, @id> exists,
 * otherwise like hotpatch_shadow_alloc(). When several CPUs race to create
 * the same variable, exactly one of them constructs it and all of them
 * return it; @ctor runs only for the one that is kept.
 *
 * Return: the variable's data; NULL if memory ran out or @ctor failed.
 */
void *hotpatch_shadow_get_or_alloc(void *obj, unsigned long id, size_t size,
				   gfp_t gfp, hotpatch_shadow_ctor_t ctor,
				   void *ctor_data);

/**
 * hotpatch_shadow_free() - detach and free the shadow variable <@obj, @id>
 * @obj:	address of the object
 * @id:		kind of data
 * @dtor:	destructor, or NULL
 *
 * Runs @dtor on the variable, if there is one, and frees it after an RCU
 * grace period. Nothing happens if there is none. Never sleeps.
 */
void hotpatch_shadow_free(void *obj, unsigned long id,
			  hotpatch_shadow_dtor_t dtor);

/**
 * hotpatch_shadow_free_all() - detach and free every shadow variable of @id
 * @id:		kind of data
 * @dtor:	destructor, or NULL
 *
 * hotpatch_shadow_free() for every object that has a variable @id, in no
 * particular order. Never sleeps, but holds a spinlock with interrupts off
 * while it walks the whole table.
 */
void hotpatch_shadow_free_all(unsigned long id, hotpatch_shadow_dtor_t dtor);

#endif /* _HOTPATCH_SHADOW_H */
