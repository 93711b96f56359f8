// SPDX-License-Identifier: GPL-2.0
/*
 * core.c - hotpatch: patch registration and the apply/revert lifecycle
 *
 * A patch module's init hands its descriptor to hotpatch_register(). The
 * core copies it, resolves and checks every target, then applies it: all
 * of it, or nothing. The patch module stays pinned while applied, so its
 * code cannot go away under a redirected call.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/timekeeping.h>
#include <linux/utsname.h>
#include "core.h"
#include "park.h"
#include "redirect.h"
#include "reloc.h"
#include "shadow.h"
#include "stage.h"
#include "symbols.h"
#include "sysfs.h"
#include "transition.h"

/*
 * hotpatch_mutex serialises every change to the patch list, to a patch's
 * state and to the redirect sites: registration, apply, revert, removal.
 * sysfs readers do not take it; they see a consistent-enough snapshot of
 * word-sized fields.
 */
DEFINE_MUTEX(hotpatch_mutex);
LIST_HEAD(hotpatch_patches);

enum hp_mode hotpatch_default_mode = HP_MODE_DIRECT;

static int hp_mode_set(const char *val, const struct kernel_param *kp)
{
	if (sysfs_streq(val, "direct"))
		hotpatch_default_mode = HP_MODE_DIRECT;
	else if (sysfs_streq(val, "ops"))
		hotpatch_default_mode = HP_MODE_OPS;
	else
		return -EINVAL;
	return 0;
}

static int hp_mode_get(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%s\n",
			  hotpatch_mode_name(hotpatch_default_mode));
}

static const struct kernel_param_ops hp_mode_ops = {
	.set = hp_mode_set,
	.get = hp_mode_get,
};
module_param_cb(mode, &hp_mode_ops, NULL, 0644);
MODULE_PARM_DESC(mode,
		 "redirect mode for patches that do not ask for one: direct (default) or ops");

/* The last refusal or failure of any patch: "<patch>\t<errno>\t<reason>". */
static DEFINE_SPINLOCK(hp_error_lock);
static char hp_last_error[HP_ERR_LEN + MODULE_NAME_LEN + 16];

static const char * const hp_state_names[] = {
	[HP_STAGED] = "staged",
	[HP_VERIFIED] = "verified",
	[HP_APPLYING] = "applying",
	[HP_APPLIED] = "applied",
	[HP_REVERTING] = "reverting",
	[HP_REVERTED] = "reverted",
	[HP_REJECTED] = "rejected",
	[HP_FAILED] = "failed",
};

const char *hotpatch_state_name(enum hp_state state)
{
	if (WARN_ON_ONCE(state >= ARRAY_SIZE(hp_state_names)))
		return "unknown";
	return hp_state_names[state];
}

const char *hotpatch_mode_name(enum hp_mode mode)
{
	return mode == HP_MODE_OPS ? "ops" : "direct";
}

/**
 * hotpatch_set_error() - record why a patch was refused or failed
 * @patch:	the patch
 * @err:	negative errno
 * @fmt:	reason, a sentence without the patch name
 *
 * Logs "'<patch>': <reason>" and keeps the reason in the patch's
 * last_error and in the global last_error. The first reason of a
 * transition wins: later ones are logged only.
 */
void hotpatch_set_error(struct hp_patch *patch, int err, const char *fmt, ...)
{
	char reason[HP_ERR_LEN];
	va_list args;

	va_start(args, fmt);
	vsnprintf(reason, sizeof(reason), fmt, args);
	va_end(args);

	pr_err("'%s': %s\n", patch->name, reason);
	if (patch->last_error[0])
		return;

	spin_lock(&hp_error_lock);
	strscpy(patch->last_error, reason, sizeof(patch->last_error));
	snprintf(hp_last_error, sizeof(hp_last_error), "%s\t%d\t%s",
		 patch->name, -err, reason);
	spin_unlock(&hp_error_lock);
}

/**
 * hotpatch_record_error() - record a refusal that has no hp_patch yet
 * @name:	the patch (module) name
 * @err:	negative errno
 * @reason:	a sentence without the patch name
 *
 * For staging, in the module notifier: logs "'<name>': <reason>" and keeps
 * it in the global last_error, in the format of hotpatch_set_error().
 */
void hotpatch_record_error(const char *name, int err, const char *reason)
{
	pr_err("'%s': %s\n", name, reason);
	spin_lock(&hp_error_lock);
	snprintf(hp_last_error, sizeof(hp_last_error), "%s\t%d\t%s",
		 name, -err, reason);
	spin_unlock(&hp_error_lock);
}

/* Blocking tasks of the last transition that timed out, any patch. */
static char hp_last_blocking[HP_BLOCKING_LEN];

void hotpatch_set_global_blocking(const char *text)
{
	spin_lock(&hp_error_lock);
	strscpy(hp_last_blocking, text, sizeof(hp_last_blocking));
	spin_unlock(&hp_error_lock);
}

void hotpatch_global_blocking(char *buf, size_t len)
{
	spin_lock(&hp_error_lock);
	strscpy(buf, hp_last_blocking, len);
	spin_unlock(&hp_error_lock);
}

/**
 * hotpatch_patch_text() - copy a patch's last_error or blocking for a reader
 * @text:	&patch->last_error or &patch->blocking
 * @buf:	the copy
 * @len:	its size
 *
 * Readers (sysfs) do not hold hotpatch_mutex: the writers change these
 * strings under it and under hp_error_lock, and the copy is made under
 * the latter, so that it is never half old, half new.
 */
void hotpatch_patch_text(const char *text, char *buf, size_t len)
{
	spin_lock(&hp_error_lock);
	strscpy(buf, text, len);
	spin_unlock(&hp_error_lock);
}

/**
 * hotpatch_set_patch_text() - set a patch's last_error or blocking
 * @text:	&patch->last_error or &patch->blocking
 * @len:	its size
 * @src:	the new text
 *
 * Caller holds hotpatch_mutex (see hotpatch_patch_text()).
 */
void hotpatch_set_patch_text(char *text, size_t len, const char *src)
{
	spin_lock(&hp_error_lock);
	strscpy(text, src, len);
	spin_unlock(&hp_error_lock);
}

void hotpatch_global_error(char *buf, size_t len)
{
	spin_lock(&hp_error_lock);
	strscpy(buf, hp_last_error, len);
	spin_unlock(&hp_error_lock);
}

/* Number of patches known to the core; under hotpatch_mutex, read locklessly. */
static unsigned int hp_nr_patches;

/*
 * Renumber stack positions after the list changed. Caller holds
 * hotpatch_mutex. sysfs reads the numbers without the lock, so that a
 * status query never waits for a transition that may retry for seconds.
 */
static void __hp_renumber(void)
{
	struct hp_patch *p;
	unsigned int n = 0;

	hotpatch_for_each_patch(p)
		WRITE_ONCE(p->stack_order, ++n);
	WRITE_ONCE(hp_nr_patches, n);
}

unsigned int hotpatch_count(void)
{
	return READ_ONCE(hp_nr_patches);
}

static struct hp_patch *hp_find_patch(const char *name)
{
	struct hp_patch *patch;

	hotpatch_for_each_patch(patch)
		if (!strcmp(patch->name, name))
			return patch;
	return NULL;
}

/*
 * While a patch is applied or in transition, or was ever forced, or is
 * stuck, the core is listed as a user of its module, the way a module that
 * uses another's symbols is: delete_module() refuses a module with users
 * even when forced (rmmod -f with MODULE_FORCE_UNLOAD), and a forced
 * unload of such a patch would free code that calls are, or may be about
 * to be, redirected to (an apply waiting between attempts lets go of
 * hotpatch_mutex, and the module's exit would then wait for it to end).
 * The reference the core holds stops only a plain rmmod. Caller holds
 * hotpatch_mutex.
 */
static void hp_update_pin(struct hp_patch *patch)
{
	bool want = patch->enabled || patch->transition || patch->forced ||
		    patch->stuck;

	if (want == patch->pinned)
		return;
	hotpatch_module_lock();
	if (want) {
		list_add(&patch->use->source_list, &patch->mod->source_list);
		list_add(&patch->use->target_list, &THIS_MODULE->target_list);
	} else {
		list_del(&patch->use->source_list);
		list_del(&patch->use->target_list);
	}
	hotpatch_module_unlock();
	patch->pinned = want;
}

/* Forget the addresses hp_prepare() resolved. */
static void hp_unprepare(struct hp_patch *patch)
{
	struct hp_object *obj;
	struct hp_func *func;

	hotpatch_for_each_object(patch, obj) {
		obj->loaded = false;
		hotpatch_for_each_func(obj, func)
			if (!func->patched)
				func->old_addr = 0;
	}
}

/* A patch must not replace one function twice. */
static int hp_check_duplicates(struct hp_patch *patch)
{
	struct hp_object *obj, *o2;
	struct hp_func *func, *f2;

	hotpatch_for_each_object(patch, obj) {
		hotpatch_for_each_func(obj, func) {
			if (!func->old_addr)
				continue;
			hotpatch_for_each_object(patch, o2) {
				hotpatch_for_each_func(o2, f2) {
					if (f2 == func)
						goto next;
					if (f2->old_addr != func->old_addr)
						continue;
					hotpatch_set_error(patch, -EINVAL,
							   "the patch replaces '%s' twice",
							   func->old_name);
					return -EINVAL;
				}
			}
next:
			;
		}
	}
	return 0;
}

/*
 * Modules whose COMING notifier of the core has run (hp_module_notify()),
 * until they go away. Under hotpatch_mutex.
 *
 * A module is COMING, and try_module_get() succeeds on it, before
 * ftrace_module_enable() has enabled its ftrace records: the module loader
 * calls that just before the COMING notifiers. A redirect registered on a
 * record still disabled is not counted when the record is enabled
 * (ftrace's referenced_filters() warns and skips direct and IPMODIFY ops),
 * so it never takes effect and the next filter update of that record
 * underflows, which makes ftrace kill itself for the whole kernel. Upstream
 * livepatch closes the same window with mod->klp_alive; this list is ours.
 */
struct hp_alive {
	struct list_head node;
	struct module *mod;
};

static LIST_HEAD(hp_alive_modules);

static struct hp_alive *hp_find_alive(struct module *mod)
{
	struct hp_alive *a;

	list_for_each_entry(a, &hp_alive_modules, node)
		if (a->mod == mod)
			return a;
	return NULL;
}

static void hp_forget_alive(struct module *mod)
{
	struct hp_alive *a = hp_find_alive(mod);

	if (a) {
		list_del(&a->node);
		kfree(a);
	}
}

/*
 * Is the module @name loaded, past ftrace_module_enable(), and not on its
 * way out? Caller holds hotpatch_mutex. A live module has run its init, so
 * ftrace enabled its records long ago; a coming one counts only once the
 * core's COMING notifier runs for it (which patches it as it loads).
 */
static bool hp_module_present(const char *name)
{
	struct module *mod = hotpatch_get_module(name);
	bool present;

	/*
	 * Not pinned beyond this check: a module that starts going away now
	 * runs its GOING notifier, which waits for hotpatch_mutex (held by
	 * our caller) and then takes the patch off it.
	 */
	if (!mod)
		return false;
	present = READ_ONCE(mod->state) == MODULE_STATE_LIVE ||
		  hp_find_alive(mod);
	module_put(mod);
	return present;
}

/*
 * Resolve every function of one object, checking its size. Every problem
 * is logged; the first is the patch's error.
 */
static int hp_resolve_object(struct hp_patch *patch, struct hp_object *obj)
{
	bool is_vmlinux = !strcmp(obj->name, "vmlinux");
	char why[HP_ERR_LEN];
	struct hp_func *func;
	unsigned long size;
	int ret = 0, err;

	hotpatch_for_each_func(obj, func) {
		err = hotpatch_find_symbol(is_vmlinux ? NULL : obj->name,
					   func->old_name, func->old_sympos,
					   &func->old_addr, why, sizeof(why));
		if (err) {
			hotpatch_set_error(patch, err, "%s", why);
			ret = ret ?: err;
			continue;
		}
		if (!func->old_size)
			continue;
		if (!hotpatch_symbol_size(func->old_addr, &size) ||
		    size != func->old_size) {
			hotpatch_set_error(patch, -EINVAL,
					   "function '%s' in '%s' is %lu bytes, the patch expects %lu: built for another kernel?",
					   func->old_name, obj->name, size,
					   func->old_size);
			ret = ret ?: -EINVAL;
		}
	}
	return ret;
}

/* Undo the livepatch relocations the failed enable applied. */
static void hp_reloc_undo_new(struct hp_patch *patch)
{
	struct hp_object *obj;

	hotpatch_for_each_object(patch, obj) {
		if (obj->reloc_new)
			__hotpatch_reloc_clear(patch, obj);
		obj->reloc_new = false;
	}
}

/*
 * Apply the livepatch relocations of every loaded target module that are
 * not applied yet (vmlinux's were applied by the module loader). All or
 * nothing.
 */
static int hp_relocate_loaded(struct hp_patch *patch)
{
	struct hp_object *obj;
	int ret;

	hotpatch_for_each_object(patch, obj) {
		if (!obj->loaded || obj->relocated)
			continue;
		ret = __hotpatch_reloc_apply(patch, obj);
		if (ret) {
			hp_reloc_undo_new(patch);
			return ret;
		}
		obj->reloc_new = obj->relocated;
	}
	return 0;
}

/*
 * Resolve the functions of every object that is loaded; an object whose
 * module is not loaded stays pending until the module loads (see
 * hp_module_coming()). Addresses are resolved anew on each apply: a target
 * module may have been reloaded since the last one. Then the livepatch
 * relocations of the loaded modules are applied.
 */
static int hp_prepare(struct hp_patch *patch)
{
	struct hp_object *obj;
	int ret = 0, err;

	hotpatch_for_each_object(patch, obj) {
		obj->loaded = !strcmp(obj->name, "vmlinux") ||
			      hp_module_present(obj->name);
		if (!obj->loaded)
			continue;
		err = hp_resolve_object(patch, obj);
		ret = ret ?: err;
	}
	if (!ret)
		ret = hp_check_duplicates(patch);
	if (!ret)
		ret = hp_relocate_loaded(patch);
	if (ret)
		hp_unprepare(patch);
	return ret;
}

/*
 * Callbacks of an object. The unpatch ones run only after a successful
 * pre_patch (or when there is none): see struct hotpatch_callbacks.
 */
static int hp_pre_patch(struct hp_patch *patch, struct hp_object *obj)
{
	struct hotpatch_callbacks *cb = &obj->desc->callbacks;
	int ret;

	ret = hotpatch_fault(patch, "pre_patch");
	if (ret)
		return ret;
	if (cb->pre_patch) {
		ret = cb->pre_patch(obj->desc);
		if (ret > 0)
			ret = -EINVAL;
		if (ret) {
			hotpatch_set_error(patch, ret,
					   "the pre-patch callback of '%s' refused (%d)",
					   obj->name, ret);
			return ret;
		}
	}
	obj->pre_done = true;
	return 0;
}

static void hp_post_patch(struct hp_object *obj)
{
	struct hotpatch_callbacks *cb = &obj->desc->callbacks;

	if (cb->post_patch)
		cb->post_patch(obj->desc);
}

static void hp_pre_unpatch(struct hp_object *obj)
{
	struct hotpatch_callbacks *cb = &obj->desc->callbacks;

	if (obj->pre_done && cb->pre_unpatch)
		cb->pre_unpatch(obj->desc);
}

static void hp_post_unpatch(struct hp_object *obj)
{
	struct hotpatch_callbacks *cb = &obj->desc->callbacks;

	if (!obj->pre_done)
		return;
	if (cb->post_unpatch)
		cb->post_unpatch(obj->desc);
	obj->pre_done = false;
}

/*
 * Take every armed function of the patch off its site, newest first.
 * Return: 0, or the first error of ftrace: the patch is stuck then.
 */
static int hp_disarm_all(struct hp_patch *patch)
{
	struct hp_object *obj;
	struct hp_func *func;
	int ret = 0, err;

	list_for_each_entry_reverse(obj, &patch->objs, node) {
		list_for_each_entry_reverse(func, &obj->funcs, node) {
			if (!func->patched)
				continue;
			err = __hotpatch_disarm(func);
			ret = ret ?: err;
		}
		obj->patched = false;
	}
	return ret;
}

/* A stuck patch is never switched again (see hp_torn() in redirect.c). */
static int hp_check_stuck(struct hp_patch *patch)
{
	if (!patch->stuck)
		return 0;
	hotpatch_set_error(patch, -EBUSY,
			   "ftrace refused to take a redirect of this patch off earlier: it cannot be switched again, and its module stays loaded until reboot");
	return -EBUSY;
}

static void hp_settle_all(struct hp_patch *patch)
{
	struct hp_object *obj;
	struct hp_func *func;

	hotpatch_for_each_object(patch, obj)
		hotpatch_for_each_func(obj, func)
			if (func->patched)
				__hotpatch_settle(func);
}

/*
 * Wait until no task can still be running the redirect handler or a
 * trampoline of this patch, before the module may be released.
 */
static void hp_sync(void)
{
	/*
	 * synchronize_rcu_tasks() ignores the idle tasks: the rude flavour
	 * makes every online CPU, idle ones included, schedule, so that none
	 * is still in a trampoline or handler from before (ftrace pairs the
	 * two the same way before freeing a dynamic trampoline).
	 */
	synchronize_rcu_tasks_rude();
	synchronize_rcu_tasks();
}

/*
 * A patch may be reverted only when no newer applied patch replaces any of
 * its functions: reverts go newest first on every shared function.
 */
static int hp_check_revert_order(struct hp_patch *patch)
{
	struct hp_object *obj;
	struct hp_func *func, *newer;

	hotpatch_for_each_object(patch, obj) {
		hotpatch_for_each_func(obj, func) {
			if (!func->patched || __hotpatch_on_top(func, &newer))
				continue;
			hotpatch_set_error(patch, -EBUSY,
					   "revert '%s' first: it replaces '%s' too",
					   newer->obj->patch->name,
					   func->old_name);
			return -EBUSY;
		}
	}
	return 0;
}

static struct hotpatch_state *hp_find_state(struct hotpatch_patch *desc,
					   unsigned long id)
{
	struct hotpatch_state *st;

	for (st = desc->states; st && st->id; st++)
		if (st->id == id)
			return st;
	return NULL;
}

struct hotpatch_state *hotpatch_state_get(struct hotpatch_patch *desc,
					  unsigned long id)
{
	return hp_find_state(desc, id);
}
EXPORT_SYMBOL_GPL(hotpatch_state_get);

struct hotpatch_state *hotpatch_state_get_prev(struct hotpatch_patch *desc,
					       unsigned long id)
{
	struct hotpatch_state *st;
	struct hp_patch *p;

	lockdep_assert_held(&hotpatch_mutex);
	list_for_each_entry_reverse(p, &hotpatch_patches, node) {
		/*
		 * A patch being replaced still counts until the callbacks
		 * of the transition are over, so that the post-patch
		 * callbacks of a cumulative patch can take its state over.
		 */
		if (p->desc == desc || !(p->enabled || p->replacing))
			continue;
		st = hp_find_state(p->desc, id);
		if (st)
			return st;
	}
	return NULL;
}
EXPORT_SYMBOL_GPL(hotpatch_state_get_prev);

/*
 * System states: no patch may lower the version of an installed state, and
 * a cumulative patch must carry every installed state.
 */
static int hp_check_states(struct hp_patch *patch)
{
	struct hotpatch_state *st, *mine;
	struct hp_patch *p;

	hotpatch_for_each_patch(p) {
		if (p == patch || !p->enabled)
			continue;
		for (st = p->desc->states; st && st->id; st++) {
			mine = hp_find_state(patch->desc, st->id);
			if (!mine && patch->replace) {
				hotpatch_set_error(patch, -EINVAL,
						   "cumulative patch drops state %lu (version %u) installed by '%s'",
						   st->id, st->version, p->name);
				return -EINVAL;
			}
			if (mine && mine->version < st->version) {
				hotpatch_set_error(patch, -EINVAL,
						   "state %lu: version %u would downgrade version %u installed by '%s'",
						   st->id, mine->version,
						   st->version, p->name);
				return -EINVAL;
			}
		}
	}
	return 0;
}

/* Atomic replace: mark the patches @patch replaces. */
static void hp_mark_replaced(struct hp_patch *patch, bool mark)
{
	struct hp_patch *p;

	hotpatch_for_each_patch(p)
		if (p != patch && p->enabled)
			p->replacing = mark;
}

/*
 * Before the switch of a cumulative patch: the replaced patches' functions
 * that nothing new covers go back to their gates, told to send calls to the
 * old function once not live.
 */
static int hp_unsettle_replaced(struct hp_patch *patch)
{
	struct hp_func *func, *newer;
	struct hp_object *obj;
	struct hp_patch *p;
	int ret;

	hotpatch_for_each_patch(p) {
		if (!p->replacing)
			continue;
		hotpatch_for_each_object(p, obj) {
			hotpatch_for_each_func(obj, func) {
				if (!func->patched ||
				    !__hotpatch_on_top(func, &newer))
					continue;
				ret = hotpatch_fault(patch, "unsettle replaced");
				if (!ret)
					ret = __hotpatch_unsettle(func, true);
				if (ret)
					return ret;
			}
		}
	}
	return 0;
}

static void hp_resettle_replaced(void)
{
	struct hp_patch *p;

	hotpatch_for_each_patch(p)
		if (p->replacing)
			hp_settle_all(p);
}

/*
 * After the switch of a cumulative patch: take the replaced patches off
 * their sites (oldest first: a site's top goes last, so no function below
 * it ever becomes reachable) and release their modules. They stay marked
 * ->replacing until hp_replaced_done(), after the post-patch callbacks.
 */
static void hp_retire_replaced(struct hp_patch *patch)
{
	struct hp_object *obj;
	struct hp_func *func;
	struct hp_patch *p;

	hotpatch_for_each_patch(p) {
		if (!p->replacing)
			continue;
		hotpatch_for_each_object(p, obj) {
			hotpatch_for_each_func(obj, func)
				if (func->patched)
					__hotpatch_disarm(func);
			obj->patched = false;
			obj->pre_done = false;
		}
	}
	hp_sync();
	hotpatch_for_each_patch(p) {
		if (!p->replacing)
			continue;
		hp_unprepare(p);
		p->enabled = false;
		p->state = p->stuck ? HP_FAILED : HP_REVERTED;
		hp_update_pin(p);
		pr_notice("'%s': replaced by '%s'\n", p->name, patch->name);
		/* A stuck patch keeps its reference, as a forced one does. */
		if (!p->stuck)
			module_put(p->mod);
	}
}

/* The post-patch callbacks of a cumulative patch have run. */
static void hp_replaced_done(void)
{
	struct hp_patch *p;

	hotpatch_for_each_patch(p)
		p->replacing = false;
}

/**
 * __hotpatch_enable() - apply a verified or reverted patch
 * @patch:	the patch
 *
 * Caller holds hotpatch_mutex. All or nothing: every function is armed,
 * then all are switched at once when no task is inside the code they
 * replace. On failure everything done so far is undone, the patch is
 * FAILED (REJECTED if it was never applied and the targets did not check
 * out) and the reason is recorded.
 *
 * Return: 0 or -errno.
 */
/*
 * Anti-rollback: refuse to apply version N of a series while a later
 * version of the same series is applied. With the later one reverted the
 * older one may be applied again: that is an administrator's choice, not
 * an accident. -ESTALE, so that the tools can tell it from other refusals.
 */
static int hp_check_series(struct hp_patch *patch)
{
	const char *series, *s2;
	struct hp_patch *p;
	u32 version, v2;

	series = hotpatch_stage_series(patch, &version);
	if (!series)
		return 0;
	hotpatch_for_each_patch(p) {
		if (p == patch || !p->enabled)
			continue;
		s2 = hotpatch_stage_series(p, &v2);
		if (!s2 || strcmp(series, s2) || v2 <= version)
			continue;
		hotpatch_set_error(patch, -ESTALE,
				   "version %u of series '%s' is older than version %u ('%s'), which is applied",
				   version, series, v2, p->name);
		return -ESTALE;
	}
	return 0;
}

int __hotpatch_enable(struct hp_patch *patch)
{
	struct hp_object *obj;
	struct hp_func *func;
	int ret;

	if (patch->enabled)
		return -EINVAL;
	hotpatch_set_patch_text(patch->last_error, sizeof(patch->last_error), "");
	ret = hp_check_stuck(patch);
	if (ret)
		return ret;
	ret = hp_check_series(patch);
	if (ret)
		return ret;
	hotpatch_fault_begin();

	if (!try_module_get(patch->mod)) {
		hotpatch_set_error(patch, -ENODEV,
				   "the patch module is being removed");
		return -ENODEV;
	}

	ret = hp_prepare(patch);
	if (ret) {
		if (patch->state == HP_STAGED)
			patch->state = HP_REJECTED;
		else
			patch->state = HP_FAILED;
		goto out_put;
	}
	if (patch->state == HP_STAGED)
		patch->state = HP_VERIFIED;

	ret = hp_check_states(patch);
	if (ret) {
		hp_unprepare(patch);
		patch->state = patch->state == HP_VERIFIED ? HP_REJECTED :
							      HP_FAILED;
		goto out_put;
	}
	if (patch->replace)
		hp_mark_replaced(patch, true);

	patch->state = HP_APPLYING;
	patch->transition = true;
	hp_update_pin(patch);
	hotpatch_for_each_object(patch, obj) {
		if (!obj->loaded)
			continue;
		ret = hp_pre_patch(patch, obj);
		if (ret)
			goto out_callbacks;
	}
	hotpatch_for_each_object(patch, obj) {
		if (!obj->loaded)
			continue;
		hotpatch_for_each_func(obj, func) {
			ret = __hotpatch_arm(func, patch->mode);
			if (ret)
				goto out_disarm;
		}
	}

	if (patch->replace) {
		ret = hp_unsettle_replaced(patch);
		if (ret)
			goto out_disarm;
	}

	ret = __hotpatch_switch(patch, true);
	if (ret)
		goto out_disarm;

	hp_settle_all(patch);
	if (patch->replace)
		hp_retire_replaced(patch);
	hotpatch_for_each_object(patch, obj)
		obj->patched = obj->loaded;
	patch->transition = false;
	patch->enabled = true;
	patch->state = HP_APPLIED;
	patch->applied_at = ktime_get_real_seconds();
	hotpatch_for_each_object(patch, obj) {
		obj->reloc_new = false;
		if (obj->patched)
			hp_post_patch(obj);
	}
	if (patch->replace)
		hp_replaced_done();
	hp_update_pin(patch);
	pr_notice("'%s': applied\n", patch->name);
	return 0;

out_disarm:
	hp_disarm_all(patch);
	hp_resettle_replaced();
	hp_sync();
	if (patch->stuck)
		pr_crit("'%s': the failed apply left a redirect ftrace will not take off; the patch module stays loaded until reboot\n",
			patch->name);
out_callbacks:
	hp_mark_replaced(patch, false);
	hotpatch_for_each_object(patch, obj)
		hp_post_unpatch(obj);
	hp_unprepare(patch);
	patch->transition = false;
	patch->state = HP_FAILED;
out_put:
	hp_reloc_undo_new(patch);
	hp_update_pin(patch);	/* a forced or stuck transition that failed */
	if (!patch->stuck)
		module_put(patch->mod);
	return ret;
}

/**
 * __hotpatch_disable() - revert an applied patch
 * @patch:	the patch
 *
 * Caller holds hotpatch_mutex. All or nothing, like __hotpatch_enable():
 * if the switch cannot happen, the patch stays applied. Releases the pin
 * on the patch module.
 *
 * Return: 0 or -errno.
 */
int __hotpatch_disable(struct hp_patch *patch)
{
	struct hp_object *obj;
	struct hp_func *func;
	int ret;

	if (!patch->enabled)
		return -EINVAL;
	hotpatch_set_patch_text(patch->last_error, sizeof(patch->last_error), "");
	ret = hp_check_stuck(patch);
	if (ret)
		return ret;
	hotpatch_fault_begin();

	ret = hp_check_revert_order(patch);
	if (ret)
		return ret;

	patch->state = HP_REVERTING;
	patch->transition = true;
	hotpatch_for_each_object(patch, obj)
		if (obj->patched)
			hp_pre_unpatch(obj);
	hotpatch_for_each_object(patch, obj) {
		hotpatch_for_each_func(obj, func) {
			if (!func->patched)
				continue;
			ret = hotpatch_fault(patch, "unsettle");
			if (!ret)
				ret = __hotpatch_unsettle(func, false);
			if (ret)
				goto out_settle;
		}
	}

	ret = __hotpatch_switch(patch, false);
	if (ret)
		goto out_settle;

	/*
	 * Switched off: the old code runs. If ftrace will not let go of a
	 * redirect, the patch is stuck (hp_torn()): FAILED, its module
	 * pinned with the reference it holds, and the revert says so.
	 */
	ret = hp_disarm_all(patch);
	hp_sync();
	hotpatch_for_each_object(patch, obj)
		hp_post_unpatch(obj);
	hp_unprepare(patch);
	patch->transition = false;
	patch->enabled = false;
	patch->state = ret ? HP_FAILED : HP_REVERTED;
	hp_update_pin(patch);
	if (ret) {
		pr_crit("'%s': reverted, but a redirect stays that ftrace will not take off; the patch module stays loaded until reboot\n",
			patch->name);
		return ret;
	}
	module_put(patch->mod);
	pr_notice("'%s': reverted\n", patch->name);
	return 0;

out_settle:
	hp_settle_all(patch);
	patch->transition = false;
	patch->state = HP_APPLIED;
	hotpatch_for_each_object(patch, obj)
		if (obj->patched)
			hp_post_patch(obj);
	return ret;
}

/* Take an object's functions off their sites at once (its module is going). */
static void hp_unpatch_object_now(struct hp_object *obj)
{
	struct hp_func *func;

	list_for_each_entry_reverse(func, &obj->funcs, node) {
		/* A torn site stays as it is, its gate passes calls on. */
		if (!func->patched || __hotpatch_torn(func))
			continue;
		__hotpatch_set_live(func, false);
		/* Refused: the patch is stuck and keeps the site (hp_torn()). */
		if (!__hotpatch_disarm(func))
			func->old_addr = 0;
	}
	obj->patched = false;
	obj->loaded = false;
	if (obj->patch->stuck)
		hp_update_pin(obj->patch);
}

/*
 * Patch an object whose module is coming: its init has not run, so no task
 * can be inside its code and the functions go live at once, without a
 * stop_machine.
 */
static int hp_patch_object_now(struct hp_patch *patch, struct hp_object *obj)
{
	struct hp_func *func;
	int ret;

	hotpatch_set_patch_text(patch->last_error, sizeof(patch->last_error), "");
	ret = hp_check_stuck(patch);
	if (ret)
		return ret;
	ret = hp_resolve_object(patch, obj);
	if (!ret)
		ret = hp_check_duplicates(patch);
	if (!ret)
		ret = __hotpatch_reloc_apply(patch, obj);
	if (!ret)
		ret = hp_pre_patch(patch, obj);
	if (ret)
		goto out_clear;
	hotpatch_for_each_func(obj, func) {
		ret = __hotpatch_arm(func, patch->mode);
		if (ret)
			goto out_unpatch;
		__hotpatch_set_live(func, true);
	}
	hotpatch_for_each_func(obj, func)
		__hotpatch_settle(func);
	obj->loaded = true;
	obj->patched = true;
	pr_notice("'%s': patched module '%s' as it loads\n", patch->name,
		  obj->name);
	hp_post_patch(obj);
	return 0;

out_unpatch:
	hp_unpatch_object_now(obj);
	hp_post_unpatch(obj);
out_clear:
	__hotpatch_reloc_clear(patch, obj);
	hotpatch_for_each_func(obj, func)
		if (!func->patched)	/* stuck, else all were disarmed */
			func->old_addr = 0;
	return ret;
}

static struct hp_object *hp_find_object(struct hp_patch *patch,
					const char *name)
{
	struct hp_object *obj;

	hotpatch_for_each_object(patch, obj)
		if (!strcmp(obj->name, name))
			return obj;
	return NULL;
}

/*
 * Unpatch @mod in every patch, newest first, and zero the livepatch
 * relocations each patch applied for it, so that a reload applies them
 * afresh.
 */
static void hp_module_going(struct module *mod)
{
	struct hp_patch *patch;
	struct hp_object *obj;

	list_for_each_entry_reverse(patch, &hotpatch_patches, node) {
		obj = hp_find_object(patch, mod->name);
		if (!obj)
			continue;
		if (obj->patched) {
			hp_pre_unpatch(obj);
			hp_unpatch_object_now(obj);
			pr_notice("'%s': module '%s' is going; its functions are no longer patched\n",
				  patch->name, obj->name);
			hp_post_unpatch(obj);
		} else {
			/*
			 * Armed, not live, by a transition paused between
			 * attempts: it fails at its next one and runs the
			 * unpatch callbacks as it rolls back.
			 */
			hp_unpatch_object_now(obj);
		}
		__hotpatch_reloc_clear(patch, obj);
	}
}

/*
 * Patch @mod, before its init runs, with every applied patch that targets
 * it, oldest first so the newest ends on top. If one fails, the module's
 * load fails and nothing stays patched in it.
 */
static int hp_module_coming(struct module *mod)
{
	struct hp_patch *patch;
	struct hp_object *obj;
	int ret;

	/* fail_step counts the steps of this module's load */
	hotpatch_fault_begin();
	hotpatch_for_each_patch(patch) {
		if (!patch->enabled)
			continue;
		obj = hp_find_object(patch, mod->name);
		if (!obj || obj->patched)
			continue;
		ret = hotpatch_stage_check_module(patch, obj, mod);
		if (!ret)
			ret = hp_patch_object_now(patch, obj);
		if (ret) {
			pr_err("'%s': refusing to load module '%s': it cannot be patched (%d)\n",
			       patch->name, mod->name, ret);
			hp_module_going(mod);
			return ret;
		}
	}
	return 0;
}

static int hp_module_notify(struct notifier_block *nb, unsigned long action,
			    void *data)
{
	struct module *mod = data;
	int ret = 0;

	if (action != MODULE_STATE_COMING && action != MODULE_STATE_GOING)
		return NOTIFY_DONE;

	/*
	 * Not hotpatch_lock_idle(): a transition paused between attempts
	 * lets module loads and removals through (see hp_paused).
	 */
	mutex_lock(&hotpatch_mutex);
	hotpatch_transition_disturb(mod);
	if (action == MODULE_STATE_COMING) {
		struct hp_alive *a = kmalloc(sizeof(*a), GFP_KERNEL);

		/* From here on the module counts as present (see hp_alive). */
		if (a) {
			a->mod = mod;
			list_add(&a->node, &hp_alive_modules);
			ret = hp_module_coming(mod);
		} else {
			ret = -ENOMEM;
		}
	} else {
		hp_module_going(mod);
	}
	/* Going, or refused: the GOING notifiers follow a failed COMING. */
	if (action == MODULE_STATE_GOING || ret)
		hp_forget_alive(mod);
	mutex_unlock(&hotpatch_mutex);

	return notifier_from_errno(ret);
}

static struct notifier_block hp_module_nb = {
	.notifier_call = hp_module_notify,
};

static void hp_free_funcs(struct hp_object *obj)
{
	struct hp_func *func, *tmp;

	list_for_each_entry_safe(func, tmp, &obj->funcs, node) {
		list_del(&func->node);
		hotpatch_sysfs_put_func(func);
	}
}

static void hp_free_patch(struct hp_patch *patch)
{
	struct hp_object *obj, *tmp;

	/* Unlinked: neither applied nor forced when it is freed. */
	if (!WARN_ON_ONCE(patch->pinned))
		kfree(patch->use);
	hotpatch_stage_release(patch);
	list_for_each_entry_safe(obj, tmp, &patch->objs, node) {
		hp_free_funcs(obj);
		list_del(&obj->node);
		hotpatch_sysfs_put_object(obj);
	}
	hotpatch_sysfs_put_patch(patch);
}

static int hp_copy_funcs(struct hp_patch *patch, struct hp_object *obj,
			 struct hotpatch_func *funcs)
{
	struct hotpatch_func *f;
	struct hp_func *func;

	for (f = funcs; f->old_name; f++) {
		if (!f->new_func) {
			hotpatch_set_error(patch, -EINVAL,
					   "function '%s' has no replacement",
					   f->old_name);
			return -EINVAL;
		}
		func = hotpatch_sysfs_alloc_func();
		if (!func)
			return -ENOMEM;
		func->obj = obj;
		func->old_name = kstrdup_const(f->old_name, GFP_KERNEL);
		func->old_sympos = f->old_sympos;
		func->old_size = f->old_size;
		func->new_addr = (unsigned long)f->new_func;
		func->tramp = f->tramp;
		INIT_LIST_HEAD(&func->stack_node);
		list_add_tail(&func->node, &obj->funcs);
		if (!func->old_name)
			return -ENOMEM;
	}
	return 0;
}

static bool hp_has_callbacks(struct hotpatch_object *o)
{
	return o->callbacks.pre_patch || o->callbacks.post_patch ||
	       o->callbacks.pre_unpatch || o->callbacks.post_unpatch;
}

static int hp_copy_desc(struct hp_patch *patch, struct hotpatch_patch *desc)
{
	struct hotpatch_object *o;
	struct hp_object *obj;
	int ret;

	if (!desc->objs || !desc->objs[0].funcs) {
		hotpatch_set_error(patch, -EINVAL, "the patch has no functions");
		return -EINVAL;
	}
	for (o = desc->objs; o->funcs; o++) {
		obj = hotpatch_sysfs_alloc_object();
		if (!obj)
			return -ENOMEM;
		obj->patch = patch;
		INIT_LIST_HEAD(&obj->funcs);
		obj->desc = o;
		obj->name = kstrdup_const(o->name ?: "vmlinux", GFP_KERNEL);
		list_add_tail(&obj->node, &patch->objs);
		if (!obj->name)
			return -ENOMEM;
		if (strlen(obj->name) >= MODULE_NAME_LEN) {
			hotpatch_set_error(patch, -EINVAL,
					   "target object name '%s' is too long",
					   obj->name);
			return -EINVAL;
		}
		ret = hp_copy_funcs(patch, obj, o->funcs);
		if (ret)
			return ret;
		if (list_empty(&obj->funcs) && !hp_has_callbacks(o)) {
			hotpatch_set_error(patch, -EINVAL,
					   "target object '%s' lists no functions and no callbacks",
					   obj->name);
			return -EINVAL;
		}
	}
	return 0;
}

static int hp_check_desc(struct hp_patch *patch, struct hotpatch_patch *desc)
{
	const char *release = init_utsname()->release;

	if (desc->api != HOTPATCH_API_VERSION) {
		hotpatch_set_error(patch, -EINVAL,
				   "built for hotpatch API %u, the core speaks %u",
				   desc->api, HOTPATCH_API_VERSION);
		return -EINVAL;
	}
	if ((desc->flags & HOTPATCH_F_OPS) && (desc->flags & HOTPATCH_F_DIRECT)) {
		hotpatch_set_error(patch, -EINVAL,
				   "the patch asks for both redirect modes");
		return -EINVAL;
	}
	if (desc->target) {
		strscpy(patch->target, desc->target, sizeof(patch->target));
		if (strcmp(desc->target, release)) {
			hotpatch_set_error(patch, -EINVAL,
					   "built for kernel '%s', running '%s'",
					   desc->target, release);
			return -EINVAL;
		}
	} else {
		strscpy(patch->target, release, sizeof(patch->target));
	}
	return 0;
}

/**
 * hotpatch_register() - stage, verify and apply a patch
 * @desc:	the patch module's descriptor
 *
 * Called from the patch module's init. On failure nothing stays applied,
 * nothing of the patch remains in the core, the reason is logged and kept
 * in /sys/kernel/hotpatch/last_error, and the errno fails the module load.
 *
 * Return: 0 or -errno (-EEXIST: a patch of that name exists; -ENOENT: a
 * target is missing; -EINVAL: the patch does not fit this kernel; -EBUSY:
 * a target is owned by someone else; -ENOMEM).
 */
int hotpatch_register(struct hotpatch_patch *desc)
{
	struct hp_patch *patch;
	int ret;

	if (!desc || !desc->mod)
		return -EINVAL;

	patch = hotpatch_sysfs_alloc_patch();
	if (!patch)
		return -ENOMEM;
	patch->desc = desc;
	patch->mod = desc->mod;
	patch->name = desc->mod->name;
	patch->state = HP_STAGED;
	INIT_LIST_HEAD(&patch->node);
	INIT_LIST_HEAD(&patch->objs);
	if (desc->flags & HOTPATCH_F_OPS)
		patch->mode = HP_MODE_OPS;
	else if (desc->flags & HOTPATCH_F_DIRECT)
		patch->mode = HP_MODE_DIRECT;
	else
		patch->mode = hotpatch_default_mode;
	patch->replace = !!(desc->flags & HOTPATCH_F_REPLACE);
	patch->use = kzalloc(sizeof(*patch->use), GFP_KERNEL);
	if (!patch->use) {
		ret = -ENOMEM;
		goto out_free;
	}
	patch->use->source = THIS_MODULE;
	patch->use->target = patch->mod;

	ret = hotpatch_lock_idle(true);
	if (ret)
		goto out_free;

	if (hp_find_patch(patch->name)) {
		hotpatch_set_error(patch, -EEXIST, "a patch of that name is loaded");
		ret = -EEXIST;
		goto out_unlock;
	}

	ret = hp_check_desc(patch, desc);
	if (ret)
		goto out_unlock;
	ret = hp_copy_desc(patch, desc);
	if (ret)
		goto out_unlock;
	ret = hotpatch_stage_claim(patch);
	if (ret)
		goto out_unlock;
	ret = hotpatch_reloc_init(patch);
	if (ret)
		goto out_unlock;

	list_add_tail(&patch->node, &hotpatch_patches);
	__hp_renumber();
	ret = hotpatch_sysfs_add(patch);
	if (!ret)
		ret = __hotpatch_enable(patch);
	if (ret && patch->stuck) {
		/*
		 * The failed apply left a redirect to the module's gate
		 * trampoline: a failed init would free the module under it.
		 * The module loads, pinned, with the patch FAILED.
		 */
		pr_crit("'%s': not applied (%d), but loaded: see last_error\n",
			patch->name, ret);
		ret = 0;
	} else if (ret) {
		list_del_init(&patch->node);
		__hp_renumber();
	}

out_unlock:
	mutex_unlock(&hotpatch_mutex);
out_free:
	if (ret) {
		if (ret == -ENOMEM && !patch->last_error[0])
			hotpatch_set_error(patch, ret, "out of memory");
		pr_err("'%s': refused (%d)\n", patch->name, ret);
		hp_free_patch(patch);
	}
	return ret;
}
EXPORT_SYMBOL_GPL(hotpatch_register);

/**
 * hotpatch_unregister() - forget a reverted patch
 * @desc:	the descriptor given to hotpatch_register()
 *
 * Called from the patch module's exit, which runs only when the patch is
 * not applied (the core pins the module while it is).
 */
void hotpatch_unregister(struct hotpatch_patch *desc)
{
	struct hp_patch *patch, *found = NULL;

	hotpatch_lock_idle(false);
	hotpatch_for_each_patch(patch) {
		if (patch->desc == desc) {
			found = patch;
			break;
		}
	}
	if (found) {
		/*
		 * Cannot happen: an applied patch pins its module against
		 * rmmod and rmmod -f alike (hp_update_pin()).
		 */
		if (WARN_ON_ONCE(found->enabled || found->pinned)) {
			if (found->enabled && __hotpatch_disable(found))
				pr_crit("'%s': module removed while applied, and the revert failed\n",
					found->name);
			found->enabled = false;
			found->forced = false;
			hp_update_pin(found);
		}
		list_del_init(&found->node);
		__hp_renumber();
	}
	mutex_unlock(&hotpatch_mutex);

	if (found)
		hp_free_patch(found);
}
EXPORT_SYMBOL_GPL(hotpatch_unregister);

static int __init hotpatch_init(void)
{
	int ret;

	ret = hotpatch_symbols_init();
	if (ret)
		return ret;
	ret = hotpatch_stage_init();
	if (ret)
		return ret;
	ret = hotpatch_sysfs_init();
	if (ret)
		goto out_stage;
	ret = register_module_notifier(&hp_module_nb);
	if (ret)
		goto out_sysfs;
	pr_info("version %s, default mode %s\n", HOTPATCH_VERSION,
		hotpatch_mode_name(hotpatch_default_mode));
	return 0;

out_sysfs:
	hotpatch_sysfs_exit();
out_stage:
	hotpatch_stage_exit();
	return ret;
}

static void __exit hotpatch_exit(void)
{
	/* Patch modules use our symbols: none is loaded when we get here. */
	WARN_ON(!list_empty(&hotpatch_patches));
	unregister_module_notifier(&hp_module_nb);
	while (!list_empty(&hp_alive_modules))
		hp_forget_alive(list_first_entry(&hp_alive_modules,
						 struct hp_alive, node)->mod);
	hotpatch_park_exit();
	hotpatch_shadow_exit();
	hotpatch_sysfs_exit();
	hotpatch_stage_exit();
}

module_init(hotpatch_init);
module_exit(hotpatch_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("hotpatch: live patching through ftrace trampolines");
MODULE_VERSION(HOTPATCH_VERSION);
