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
 *		instruction pointer, as upstream livepatch does (+~74). It
 *		shares functions with BPF trampolines; direct calls cannot.
 *
 * ftrace enforces that a direct call and an IPMODIFY user never share a
 * function, in both directions, and reports -EBUSY; so do we.
 *
 * Both mechanisms rest on an ftrace_ops flagged FTRACE_OPS_FL_PERMANENT
 * (ours in ops mode; the kernel's own direct_ops in direct mode): while a
 * patch is applied, ftrace refuses the sysctl kernel.ftrace_enabled = 0
 * with -EBUSY, so switching ftrace off can never silently undo a redirect;
 * while ftrace is off, every registration fails with -EBUSY, which
 * hp_report() tells apart from a function owned by someone else.
 *
 * Registering with ftrace sleeps, so it cannot happen inside stop_machine.
 * A function is therefore armed first (registered in a state that still
 * runs what ran before: the gate trampoline with live == 0, or a stack
 * entry the ops handler skips), switched live for all functions of a patch
 * at once inside stop_machine, and then settled (the direct call re-pointed
 * from the gate to the steady trampoline, one atomic ftrace update each).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/ftrace.h>
#include <linux/rculist.h>
#include <linux/slab.h>
#include "compat.h"
#include "owner.h"
#include "redirect.h"
#include "symbols.h"
#include "transition.h"

/**
 * struct hp_site - redirect state of one replaced address
 * @node:	in hp_sites
 * @addr:	address of the replaced function
 * @mode:	mechanism in use at @addr
 * @stack:	struct hp_func.stack_node, newest first; the handler of the
 *		ops mode reads it under RCU (preemption disabled)
 * @cur:	direct mode: the trampoline ftrace calls now
 * @torn:	ftrace refused to take a redirect of it off (see hp_torn()):
 *		the site stays as it is until reboot
 * @fops:	ops mode: the registered ftrace_ops; direct mode on kernels
 *		whose direct-call API takes one (compat.h): the site's own
 */
struct hp_site {
	struct list_head node;
	unsigned long addr;
	enum hp_mode mode;
	struct list_head stack;
	unsigned long cur;
	bool torn;
	struct ftrace_ops fops;
};

/* Every site; under hotpatch_mutex. */
static LIST_HEAD(hp_sites);

/*
 * Fault injection, in test builds only (HOTPATCH_FAULT_INJECTION=y, see
 * transition.c): the next fail_teardown ftrace calls that take a redirect
 * off (unregister a site, re-point it to the function below) fail with
 * -EIO, as if ftrace had refused them. Under hotpatch_mutex; written by
 * the test through the parameter.
 */
#ifdef HOTPATCH_FAULT_INJECTION
static unsigned int hotpatch_fail_teardown;
module_param_named(fail_teardown, hotpatch_fail_teardown, uint, 0644);
MODULE_PARM_DESC(fail_teardown,
		 "test builds only: make the next N ftrace calls that take a redirect off fail");

static int hp_teardown_fault(void)
{
	unsigned int n = READ_ONCE(hotpatch_fail_teardown);

	if (!n)
		return 0;
	WRITE_ONCE(hotpatch_fail_teardown, n - 1);
	return -EIO;
}
#else
static int hp_teardown_fault(void)
{
	return 0;
}
#endif

/*
 * Where a gate sends calls while its patch is not live and nothing is
 * below it: back into the old function, right after its fentry call.
 */
static notrace void hp_return_stub(void)
{
}

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

	/*
	 * The newest live function wins; armed ones that are not live yet
	 * (or any more) are passed over. ->live only changes inside
	 * stop_machine, so every task sees one patch's functions flip at once.
	 */
	list_for_each_entry_rcu(func, &site->stack, stack_node) {
		if (READ_ONCE(func->live)) {
			hp_compat_set_ip(fregs, func->new_addr);
			break;
		}
	}

	ftrace_test_recursion_unlock(bit);
}

static void hp_report(struct hp_func *func, struct hp_site *site, int ret)
{
	struct hp_patch *patch = func->obj->patch;
	char owner[128];

	if (ret == -EBUSY && hotpatch_ftrace_switched_off()) {
		hotpatch_set_error(patch, ret,
				   "cannot redirect '%s': ftrace is switched off (sysctl kernel.ftrace_enabled = 0); switch it on and retry",
				   func->old_name);
	} else if (ret == -EBUSY) {
		hotpatch_site_owner(site->addr, owner, sizeof(owner));
		hotpatch_set_error(patch, ret,
				   "cannot redirect '%s' in %s mode: it is owned by %s",
				   func->old_name,
				   hotpatch_mode_name(site->mode), owner);
	} else if (ret == -ENODEV || ret == -EINVAL) {
		hotpatch_set_error(patch, ret,
				   "cannot redirect '%s': it has no ftrace site (notrace or not a function start)",
				   func->old_name);
	} else {
		hotpatch_set_error(patch, ret,
				   "cannot redirect '%s' in %s mode (%d)",
				   func->old_name,
				   hotpatch_mode_name(site->mode), ret);
	}
}

static int hp_site_register(struct hp_site *site, struct hp_func *func)
{
	int ret;

	if (site->mode == HP_MODE_DIRECT) {
		ret = hp_compat_direct_register(&site->fops, site->addr,
						(unsigned long)func->tramp->gate);
		if (!ret)
			site->cur = (unsigned long)func->tramp->gate;
		return ret;
	}

	site->fops.func = hp_ftrace_handler;
	site->fops.flags = FTRACE_OPS_FL_DYNAMIC |
#ifndef CONFIG_HAVE_DYNAMIC_FTRACE_WITH_ARGS
			   FTRACE_OPS_FL_SAVE_REGS |
#endif
			   FTRACE_OPS_FL_IPMODIFY |
			   FTRACE_OPS_FL_PERMANENT;
	ret = ftrace_set_filter_ip(&site->fops, site->addr, 0, 0);
	if (ret)
		return ret;
	ret = register_ftrace_function(&site->fops);
	if (ret)
		ftrace_set_filter_ip(&site->fops, site->addr, 1, 0);
	return ret;
}

/* Take a site off ftrace; on failure it is still registered as it was. */
static int hp_site_unregister(struct hp_site *site)
{
	int ret = hp_teardown_fault();

	if (site->mode == HP_MODE_DIRECT)
		return ret ?: hp_compat_direct_unregister(&site->fops, site->addr,
							  site->cur);
	ret = ret ?: unregister_ftrace_function(&site->fops);
	if (ret)
		return ret;
	/* Off ftrace: the handler is never called again, only a hash leaks. */
	WARN_ON(ftrace_set_filter_ip(&site->fops, site->addr, 1, 0));
	return 0;
}

/* Re-point a direct site; the caller reports failures. */
static int hp_site_repoint(struct hp_site *site, unsigned long to)
{
	int ret;

	if (site->cur == to)
		return 0;
	ret = hp_compat_direct_modify(&site->fops, site->addr, site->cur, to);
	if (!ret)
		site->cur = to;
	return ret;
}

/* Where calls go when @func is not live: the function below, or the old one. */
static unsigned long hp_below(struct hp_site *site, struct hp_func *func)
{
	struct hp_func *next;

	if (list_is_last(&func->stack_node, &site->stack))
		return (unsigned long)hp_return_stub;
	next = list_next_entry(func, stack_node);
	return (unsigned long)next->tramp->steady;
}

/**
 * __hotpatch_arm() - put func on top of its site, not live yet
 * @func:	function to arm
 * @mode:	mode to use if the site is new
 *
 * Caller holds hotpatch_mutex. Calls keep going where they went before.
 * On success func->mode says which mode is in effect (an existing site
 * keeps its mode).
 *
 * Return: 0, or -errno with the reason recorded in the patch.
 */
int __hotpatch_arm(struct hp_func *func, enum hp_mode mode)
{
	struct hp_patch *patch = func->obj->patch;
	struct hp_site *site;
	int ret;

	if (WARN_ON_ONCE(func->patched))
		return -EINVAL;
	ret = hotpatch_fault(patch, "arm");
	if (ret)
		return ret;

	func->live = false;
	site = hp_find_site(func->old_addr);
	if (site && site->torn) {
		hotpatch_set_error(patch, -EBUSY,
				   "cannot redirect '%s': ftrace refused to take an earlier redirect of it off; it cannot be patched again until reboot",
				   func->old_name);
		return -EBUSY;
	}
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
		if (func->tramp) {
			WRITE_ONCE(func->tramp->live, 0);
			WRITE_ONCE(func->tramp->prev,
				   (unsigned long)hp_return_stub);
		}
		list_add_rcu(&func->stack_node, &site->stack);
		ret = hp_site_register(site, func);
		if (ret) {
			hp_report(func, site, ret);
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
		WRITE_ONCE(func->tramp->live, 0);
		WRITE_ONCE(func->tramp->prev, site->cur);
		ret = hp_site_repoint(site, (unsigned long)func->tramp->gate);
		if (ret) {
			hp_report(func, site, ret);
			return ret;
		}
		list_add_rcu(&func->stack_node, &site->stack);
	} else {
		list_add_rcu(&func->stack_node, &site->stack);
	}

	func->site = site;
	func->mode = site->mode;
	func->patched = true;
	return 0;
}

/*
 * ftrace refused to take @func's redirect off (unregister the site, or
 * re-point it to the function below). ftrace still calls what it called:
 * @func's gate trampoline, or the ops handler, both of which pass calls on
 * to what ran before since @func is not live. So @func stays on its site,
 * patched; the site is never freed nor used by a new patch (torn); and
 * the patch is stuck: its module, which holds the gate, stays pinned
 * until reboot (core.c) and the patch is never switched again.
 */
static void hp_torn(struct hp_func *func, int ret)
{
	struct hp_patch *patch = func->obj->patch;

	func->site->torn = true;
	patch->stuck = true;
	hotpatch_set_error(patch, ret,
			   "ftrace refused to take the redirect of '%s' off (%d): the patch module stays loaded until reboot",
			   func->old_name, ret);
}

/**
 * __hotpatch_disarm() - take a function that is not live off its site
 * @func:	an armed function: on top of its site, or below a live one
 *
 * Caller holds hotpatch_mutex. Undoes __hotpatch_arm(), or ends a revert
 * (or an atomic replace, for the functions of replaced patches).
 * Tasks may still be inside the handler or a trampoline when this
 * returns; the caller waits for them.
 *
 * Return: 0, or -errno if ftrace refused: then @func stays patched on its
 * site and its patch is stuck (see hp_torn()).
 */
int __hotpatch_disarm(struct hp_func *func)
{
	struct hp_site *site = func->site;
	int ret = 0;

	if (WARN_ON_ONCE(!func->patched || !site || func->live))
		return -EINVAL;

	if (list_is_singular(&site->stack)) {
		ret = hp_site_unregister(site);
		if (ret)
			goto out_torn;
		list_del_rcu(&func->stack_node);
		list_del(&site->node);
		kfree(site);
		goto out;
	}
	/* Below the top (atomic replace), nobody calls through it. */
	if (site->mode == HP_MODE_DIRECT &&
	    list_first_entry(&site->stack, struct hp_func, stack_node) == func) {
		ret = hp_teardown_fault() ?:
		      hp_site_repoint(site, hp_below(site, func));
		if (ret)
			goto out_torn;
	}
	list_del_rcu(&func->stack_node);
out:
	func->site = NULL;
	func->patched = false;
	return 0;

out_torn:
	hp_torn(func, ret);
	return ret;
}

/**
 * __hotpatch_torn() - did ftrace refuse to take @func's site off earlier?
 * @func:	a patched function
 *
 * Return: true if the site stays as it is until reboot (see hp_torn()).
 */
bool __hotpatch_torn(struct hp_func *func)
{
	return func->site && func->site->torn;
}

/**
 * __hotpatch_set_live() - switch an armed function on or off
 * @func:	an armed function
 * @live:	the new state
 *
 * Called inside stop_machine for every function of a patch, so no task
 * can see some of them switched and others not.
 */
void notrace __hotpatch_set_live(struct hp_func *func, bool live)
{
	WRITE_ONCE(func->live, live);
	if (func->tramp)
		WRITE_ONCE(func->tramp->live, live);
}

/**
 * __hotpatch_settle() - after the switch on, use the steady trampoline
 * @func:	a live function
 *
 * Caller holds hotpatch_mutex. If ftrace refuses, the gate stays: it is
 * correct, only a few instructions slower; the log says so.
 */
void __hotpatch_settle(struct hp_func *func)
{
	struct hp_site *site = func->site;
	int ret;

	if (site->mode != HP_MODE_DIRECT ||
	    list_first_entry(&site->stack, struct hp_func, stack_node) != func)
		return;
	ret = hp_site_repoint(site, (unsigned long)func->tramp->steady);
	if (ret)
		pr_warn("'%s': '%s' stays on its gate trampoline (%d)\n",
			func->obj->patch->name, func->old_name, ret);
}

/**
 * __hotpatch_unsettle() - before the switch off, go back to the gate
 * @func:	a live function on top of its site
 * @to_original: once not live, send calls to the old function even if
 *		older patches are below (they are switched off with it)
 *
 * Caller holds hotpatch_mutex. The gate is told where calls go once the
 * function is not live: the function below it, or the old one.
 *
 * Return: 0 or -errno.
 */
int __hotpatch_unsettle(struct hp_func *func, bool to_original)
{
	struct hp_site *site = func->site;
	int ret;

	if (site->mode != HP_MODE_DIRECT)
		return 0;
	WRITE_ONCE(func->tramp->prev, to_original ?
		   (unsigned long)hp_return_stub : hp_below(site, func));
	ret = hp_site_repoint(site, (unsigned long)func->tramp->gate);
	if (ret)
		hotpatch_set_error(func->obj->patch, ret,
				   "cannot re-point '%s' to its gate trampoline (%d)",
				   func->old_name, ret);
	return ret;
}

/**
 * __hotpatch_on_top() - is func the newest function of its site?
 * @func:	a patched function
 * @newer:	if not, the function directly above it
 *
 * Return: true when no newer patch replaces the same function.
 */
bool __hotpatch_on_top(struct hp_func *func, struct hp_func **newer)
{
	struct hp_site *site = func->site;

	if (list_first_entry(&site->stack, struct hp_func, stack_node) == func)
		return true;
	*newer = list_prev_entry(func, stack_node);
	return false;
}

/**
 * __hotpatch_walk_site() - call fn for each function on func's site
 * @func:	a patched function
 * @fn:		callback; a non-zero return stops the walk
 * @data:	passed to @fn
 *
 * Return: what @fn returned last.
 */
int __hotpatch_walk_site(struct hp_func *func, hotpatch_stack_fn fn,
				void *data)
{
	struct hp_func *f;
	int ret = 0;

	list_for_each_entry(f, &func->site->stack, stack_node) {
		ret = fn(f, data);
		if (ret)
			break;
	}
	return ret;
}
