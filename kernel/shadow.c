// SPDX-License-Identifier: GPL-2.0
/*
 * shadow.c - hotpatch: shadow variables, new data attached to old objects
 *
 * One hash table, keyed by the object's address, holds every shadow
 * variable of every patch. Readers walk a bucket under RCU; writers take
 * hp_shadow_lock. Memory is allocated before the lock is taken and freed
 * with kfree_rcu(), so a reader never sees freed memory and the lock is
 * never held across an allocation. The API and its rules are documented in
 * include/hotpatch/shadow.h and docs/shadow-variables.md.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bug.h>
#include <linux/hashtable.h>
#include <linux/lockdep.h>
#include <linux/module.h>
#include <linux/overflow.h>
#include <linux/printk.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <hotpatch/shadow.h>
#include "shadow.h"

/**
 * struct hp_shadow - one shadow variable
 * @node:	in hp_shadow_table, bucket of @obj
 * @rcu:	frees the variable once no reader can see it
 * @obj:	the object it is attached to
 * @id:		what kind of data it is
 * @data:	what the caller gets, aligned for any scalar type
 */
struct hp_shadow {
	struct hlist_node node;
	struct rcu_head rcu;
	void *obj;
	unsigned long id;
	u8 data[] __aligned(__alignof__(unsigned long long));
};

#define HP_SHADOW_BITS	12

static DEFINE_HASHTABLE(hp_shadow_table, HP_SHADOW_BITS);

/*
 * hp_shadow_lock serialises every change to hp_shadow_table (insertions
 * and deletions) and every constructor and destructor call. Lookups do not
 * take it: they walk a bucket under rcu_read_lock(), which the _rcu list
 * primitives used by the writers make safe; kfree_rcu() keeps a detached
 * variable's memory until those readers are done. Taken with interrupts
 * off, so the API works from any context.
 */
static DEFINE_SPINLOCK(hp_shadow_lock);

/* Caller holds rcu_read_lock() or hp_shadow_lock. */
static struct hp_shadow *__hotpatch_shadow_find(void *obj, unsigned long id)
{
	struct hp_shadow *shadow;

	hash_for_each_possible_rcu(hp_shadow_table, shadow, node,
				   (unsigned long)obj,
				   lockdep_is_held(&hp_shadow_lock)) {
		if (shadow->obj == obj && shadow->id == id)
			return shadow;
	}
	return NULL;
}

void *hotpatch_shadow_get(void *obj, unsigned long id)
{
	struct hp_shadow *shadow;
	void *data = NULL;

	rcu_read_lock();
	shadow = __hotpatch_shadow_find(obj, id);
	if (shadow)
		data = shadow->data;
	rcu_read_unlock();
	return data;
}
EXPORT_SYMBOL_GPL(hotpatch_shadow_get);

static void *hp_shadow_get_or_alloc(void *obj, unsigned long id, size_t size,
				    gfp_t gfp, hotpatch_shadow_ctor_t ctor,
				    void *ctor_data, bool exclusive)
{
	struct hp_shadow *shadow, *new;
	unsigned long flags;
	void *data = NULL;
	int ret;

	if (!exclusive) {
		data = hotpatch_shadow_get(obj, id);
		if (data)
			return data;
	}

	/*
	 * Allocate before taking the lock, so @gfp may sleep; if another CPU
	 * attaches the same <obj, id> meanwhile, the lookup below finds it
	 * and this allocation is thrown away, unconstructed.
	 */
	new = kzalloc(struct_size(new, data, size), gfp);
	if (!new)
		return NULL;
	new->obj = obj;
	new->id = id;

	spin_lock_irqsave(&hp_shadow_lock, flags);
	shadow = __hotpatch_shadow_find(obj, id);
	if (shadow) {
		if (!exclusive)
			data = shadow->data;
		goto out_unlock;
	}
	if (ctor) {
		ret = ctor(obj, new->data, ctor_data);
		if (ret) {
			pr_err("shadow variable <%p, 0x%lx>: constructor %ps failed: %d\n",
			       obj, id, ctor, ret);
			goto out_unlock;
		}
	}
	/*
	 * Publishes *new, the constructed data included: the
	 * rcu_assign_pointer() in hash_add_rcu() pairs with the
	 * rcu_dereference() in __hotpatch_shadow_find().
	 */
	hash_add_rcu(hp_shadow_table, &new->node, (unsigned long)obj);
	data = new->data;
	new = NULL;
out_unlock:
	spin_unlock_irqrestore(&hp_shadow_lock, flags);
	kfree(new);
	WARN(exclusive && shadow,
	     KBUILD_MODNAME ": shadow variable <%p, 0x%lx> already exists\n",
	     obj, id);
	return data;
}

void *hotpatch_shadow_alloc(void *obj, unsigned long id, size_t size,
			    gfp_t gfp, hotpatch_shadow_ctor_t ctor,
			    void *ctor_data)
{
	return hp_shadow_get_or_alloc(obj, id, size, gfp, ctor, ctor_data,
				      true);
}
EXPORT_SYMBOL_GPL(hotpatch_shadow_alloc);

void *hotpatch_shadow_get_or_alloc(void *obj, unsigned long id, size_t size,
				   gfp_t gfp, hotpatch_shadow_ctor_t ctor,
				   void *ctor_data)
{
	return hp_shadow_get_or_alloc(obj, id, size, gfp, ctor, ctor_data,
				      false);
}
EXPORT_SYMBOL_GPL(hotpatch_shadow_get_or_alloc);

/* Caller holds hp_shadow_lock. */
static void __hotpatch_shadow_free(struct hp_shadow *shadow,
				   hotpatch_shadow_dtor_t dtor)
{
	hash_del_rcu(&shadow->node);
	if (dtor)
		dtor(shadow->obj, shadow->data);
	kfree_rcu(shadow, rcu);
}

void hotpatch_shadow_free(void *obj, unsigned long id,
			  hotpatch_shadow_dtor_t dtor)
{
	struct hp_shadow *shadow;
	unsigned long flags;

	spin_lock_irqsave(&hp_shadow_lock, flags);
	shadow = __hotpatch_shadow_find(obj, id);
	if (shadow)
		__hotpatch_shadow_free(shadow, dtor);
	spin_unlock_irqrestore(&hp_shadow_lock, flags);
}
EXPORT_SYMBOL_GPL(hotpatch_shadow_free);

void hotpatch_shadow_free_all(unsigned long id, hotpatch_shadow_dtor_t dtor)
{
	struct hp_shadow *shadow;
	struct hlist_node *tmp;
	unsigned long flags;
	int bkt;

	spin_lock_irqsave(&hp_shadow_lock, flags);
	hash_for_each_safe(hp_shadow_table, bkt, tmp, shadow, node) {
		if (shadow->id == id)
			__hotpatch_shadow_free(shadow, dtor);
	}
	spin_unlock_irqrestore(&hp_shadow_lock, flags);
}
EXPORT_SYMBOL_GPL(hotpatch_shadow_free_all);

unsigned int hotpatch_shadow_exit(void)
{
	struct hp_shadow *shadow;
	struct hlist_node *tmp;
	unsigned long flags;
	unsigned int count = 0;
	int bkt;

	spin_lock_irqsave(&hp_shadow_lock, flags);
	hash_for_each_safe(hp_shadow_table, bkt, tmp, shadow, node) {
		__hotpatch_shadow_free(shadow, NULL);
		count++;
	}
	spin_unlock_irqrestore(&hp_shadow_lock, flags);
	if (count)
		pr_warn("freed %u shadow variables that patch modules left behind\n",
			count);
	return count;
}
