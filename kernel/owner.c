// SPDX-License-Identifier: GPL-2.0
/*
 * owner.c - name who holds a function that ftrace would not let us take
 *
 * ftrace refuses (-EBUSY) a direct call where another direct call or an
 * IPMODIFY ftrace_ops is attached, and the other way round. That errno
 * does not say who is there; the admin needs to know. We look for the
 * owners we can recognise: an upstream livepatch patch, a kprobe (with or
 * without a post handler); anything else is a BPF trampoline or another
 * live patching tool. Best effort: the symbols used are optional.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kprobes.h>
#include <linux/livepatch.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include "compat.h"
#include "owner.h"
#include "symbols.h"

#ifdef CONFIG_LIVEPATCH
/* Name the upstream livepatch patch that replaces @addr, if any. */
static bool hp_klp_owner(unsigned long addr, char *buf, size_t len)
{
	struct list_head *patches = hotpatch_klp_patches();
	struct mutex *lock = hotpatch_klp_mutex();
	struct klp_patch *patch;
	struct klp_object *obj;
	struct klp_func *func;
	bool found = false;

	if (!patches || !lock)
		return false;
	mutex_lock(lock);
	list_for_each_entry(patch, patches, list) {
		klp_for_each_object(patch, obj) {
			klp_for_each_func(obj, func) {
				if ((unsigned long)func->old_func != addr)
					continue;
				snprintf(buf, len,
					 "the upstream livepatch patch '%s'",
					 patch->mod->name);
				found = true;
				goto out;
			}
		}
	}
out:
	mutex_unlock(lock);
	return found;
}
#else
static bool hp_klp_owner(unsigned long addr, char *buf, size_t len)
{
	return false;
}
#endif

/* Is there a kprobe at @addr, and does it have a post handler? */
static bool hp_kprobe_owner(unsigned long addr, char *buf, size_t len)
{
	struct kprobe *p;
	bool found = false;

	addr = hp_compat_kprobe_addr(addr);
	/* get_kprobe() walks an RCU list: preemption off is its read side. */
	preempt_disable();
	p = hotpatch_get_kprobe((void *)addr);
	if (p) {
		snprintf(buf, len, "%s",
			 p->post_handler ? "a kprobe with a post handler" :
					   "a kprobe");
		found = true;
	}
	preempt_enable();
	return found;
}

/**
 * hotpatch_site_owner() - describe who holds the ftrace site at @addr
 * @addr:	start of the function
 * @buf:	result, a noun phrase ("the upstream livepatch patch 'x'")
 * @len:	size of @buf
 */
void hotpatch_site_owner(unsigned long addr, char *buf, size_t len)
{
	if (hp_klp_owner(addr, buf, len) || hp_kprobe_owner(addr, buf, len))
		return;
	snprintf(buf, len,
		 "another ftrace user (a BPF trampoline, or another live patching tool)");
}
