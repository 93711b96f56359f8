// SPDX-License-Identifier: GPL-2.0
/*
 * redirect.c - send calls of a replaced function to its replacement
 *
 * Two mechanisms behind one interface:
 *
 *  direct	ftrace direct call: the fentry call of the old function calls
 *		the patch's trampoline, which drops that return address and
 *		jumps to the new function (+3 instructions per call).
 *  ops		an ftrace_ops with IPMODIFY whose handler rewrites the saved
 *		instruction pointer, as upstream livepatch does (+~117). It
 *		shares functions with BPF trampolines; direct calls cannot.
 *
 * ftrace enforces that a direct call and an IPMODIFY user never share a
 * function, in both directions, and reports -EBUSY; so do we.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/ftrace.h>
#include <linux/rculist.h>
#include <linux/slab.h>
#include "redirect.h"

/**
 * struct hp_site - redirect state of one replaced address
 * @node:	in hp_sites
 * @addr:	address of the replaced function
 * @mode:	mechanism in use at @addr
 * @stack:	struct hp_func.stack_node, newest first; the handler of the
 *		ops mode reads it under RCU (preemption disabled)
 * @tramp:	direct mode: the trampoline ftrace calls now
 * @fops:	ops mode: the registered ftrace_ops
 */
struct hp_site {
	struct list_head node;
	unsigned long addr;
	enum hp_mode mode;
	struct list_head stack;
	unsigned long tramp;
	struct ftrace_ops fops;
};

/* Every site; under hotpatch_mutex. */
static LIST_HEAD(hp_sites);

static struct hp_site *hp_find_site(unsigned long addr)
{
	struct hp_site *site;

	list_for_each_entry(site, &hp_sites, node)
		if (site->addr == addr)
			return site;
	return NULL;
}

static void notrace hp_ftrace_handler(unsigned long ip,
				      unsigned long parent_ip,
				      struct ftrace_ops *fops,
				      struct ftrace_regs *fregs)
{
	struct hp_site *site = container_of(fops, struct hp_site, fops);
	struct hp_func *func;
	int bit;

	/* Disables preemption: the RCU read side of site->stack. */
	bit = ftrace_test_recursion_trylock(ip, parent_ip);
	if (WARN_ON_ONCE(bit < 0))
		return;

	func = list_first_or_null_rcu(&site->stack, struct hp_func,
				      stack_node);
	if (func)
		ftrace_instruction_pointer_set(fregs, func->new_addr);

	ftrace_test_recursion_unlock(bit);
}

static const char *hp_busy_reason(enum hp_mode mode)
{
	if (mode == HP_MODE_DIRECT)
		return "another direct call (a BPF trampoline or another live patch) or an IPMODIFY ftrace user (upstream livepatch, a kprobe with a post handler) owns it";
	return "a direct call (a BPF trampoline or a hotpatch in direct mode) or another IPMODIFY ftrace user (upstream livepatch, a kprobe with a post handler) owns it";
}

static int hp_site_register(struct hp_site *site, struct hp_func *func)
{
	struct hp_patch *patch = func->obj->patch;
	int ret;

	if (site->mode == HP_MODE_DIRECT) {
		ret = register_ftrace_direct(site->addr, func->tramp);
		if (!ret)
			site->tramp = func->tramp;
	} else {
		site->fops.func = hp_ftrace_handler;
		site->fops.flags = FTRACE_OPS_FL_DYNAMIC |
#ifndef CONFIG_HAVE_DYNAMIC_FTRACE_WITH_ARGS
				   FTRACE_OPS_FL_SAVE_REGS |
#endif
				   FTRACE_OPS_FL_IPMODIFY |
				   FTRACE_OPS_FL_PERMANENT;
		ret = ftrace_set_filter_ip(&site->fops, site->addr, 0, 0);
		if (!ret) {
			ret = register_ftrace_function(&site->fops);
			if (ret)
				ftrace_set_filter_ip(&site->fops, site->addr,
						     1, 0);
		}
	}

	if (ret == -EBUSY)
		hotpatch_set_error(patch, ret,
				   "cannot redirect '%s' in %s mode: %s",
				   func->old_name,
				   hotpatch_mode_name(site->mode),
				   hp_busy_reason(site->mode));
	else if (ret == -ENODEV || ret == -EINVAL)
		hotpatch_set_error(patch, ret,
				   "cannot redirect '%s': it has no ftrace site (notrace or not a function start)",
				   func->old_name);
	else if (ret)
		hotpatch_set_error(patch, ret,
				   "cannot redirect '%s' in %s mode (%d)",
				   func->old_name,
				   hotpatch_mode_name(site->mode), ret);
	return ret;
}

static void hp_site_unregister(struct hp_site *site)
{
	if (site->mode == HP_MODE_DIRECT) {
		WARN_ON(unregister_ftrace_direct(site->addr, site->tramp));
	} else {
		WARN_ON(unregister_ftrace_function(&site->fops));
		WARN_ON(ftrace_set_filter_ip(&site->fops, site->addr, 1, 0));
	}
}

/**
 * __hotpatch_redirect() - make calls of func->old_addr reach func
 * @func:	function to push on top of its site
 * @mode:	mode to use if the site is new
 *
 * Caller holds hotpatch_mutex. On success func->mode says which mode is in
 * effect (an existing site keeps its mode).
 *
 * Return: 0, or -errno with the reason recorded in the patch.
 */
int __hotpatch_redirect(struct hp_func *func, enum hp_mode mode)
{
	struct hp_patch *patch = func->obj->patch;
	struct hp_site *site;
	int ret;

	if (WARN_ON_ONCE(func->patched))
		return -EINVAL;

	site = hp_find_site(func->old_addr);
	if (!site) {
		if (mode == HP_MODE_DIRECT && !func->tramp) {
			hotpatch_set_error(patch, -EINVAL,
					   "function '%s' has no trampoline for direct mode",
					   func->old_name);
			return -EINVAL;
		}
		site = kzalloc(sizeof(*site), GFP_KERNEL);
		if (!site)
			return -ENOMEM;
		site->addr = func->old_addr;
		site->mode = mode;
		INIT_LIST_HEAD(&site->stack);
		list_add_rcu(&func->stack_node, &site->stack);
		ret = hp_site_register(site, func);
		if (ret) {
			kfree(site);
			return ret;
		}
		list_add(&site->node, &hp_sites);
	} else if (site->mode == HP_MODE_DIRECT) {
		if (!func->tramp) {
			hotpatch_set_error(patch, -EBUSY,
					   "function '%s' is redirected in direct mode by an earlier patch, and this patch has no trampoline for it",
					   func->old_name);
			return -EBUSY;
		}
		ret = modify_ftrace_direct(site->addr, site->tramp,
					   func->tramp);
		if (ret) {
			hotpatch_set_error(patch, ret,
					   "cannot re-point '%s' to the new trampoline (%d)",
					   func->old_name, ret);
			return ret;
		}
		site->tramp = func->tramp;
		list_add_rcu(&func->stack_node, &site->stack);
	} else {
		list_add_rcu(&func->stack_node, &site->stack);
	}

	func->site = site;
	func->mode = site->mode;
	func->patched = true;
	return 0;
}

/**
 * __hotpatch_unredirect() - take func off its site
 * @func:	a patched function
 *
 * Caller holds hotpatch_mutex. The next function down the stack (or the
 * original) takes over. Tasks may still be inside the handler or the
 * trampoline when this returns; the caller waits for them.
 */
void __hotpatch_unredirect(struct hp_func *func)
{
	struct hp_site *site = func->site;
	struct hp_func *next;

	if (WARN_ON_ONCE(!func->patched || !site))
		return;

	if (list_is_singular(&site->stack)) {
		hp_site_unregister(site);
		list_del_rcu(&func->stack_node);
		list_del(&site->node);
		kfree(site);
		goto out;
	}

	if (site->mode == HP_MODE_DIRECT &&
	    list_first_entry(&site->stack, struct hp_func,
			     stack_node) == func) {
		next = list_next_entry(func, stack_node);
		WARN_ON(modify_ftrace_direct(site->addr, site->tramp,
					     next->tramp));
		site->tramp = next->tramp;
	}
	list_del_rcu(&func->stack_node);
out:
	func->site = NULL;
	func->patched = false;
}
