/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _HOTPATCH_CORE_H
#define _HOTPATCH_CORE_H

#include <linux/kobject.h>
#include <linux/list.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/time64.h>
#include <hotpatch/hotpatch.h>
#include <hotpatch/version.h>

#define HP_ERR_LEN		256
#define HP_BLOCKING_LEN		1024

/*
 * Lifecycle of a patch:
 *
 *	state		entered when			next
 *	STAGED		registered, descriptors copied	VERIFIED, REJECTED
 *	VERIFIED	symbols resolved, sizes match	APPLYING
 *	APPLYING	transition to the new code	APPLIED, FAILED
 *	APPLIED		every function redirected	REVERTING
 *	REVERTING	transition to the old code	REVERTED, APPLIED
 *	REVERTED	nothing redirected		APPLYING, (removed)
 *	REJECTED	staging or verification failed	(removed)
 *	FAILED		apply failed, all rolled back	APPLYING, (removed)
 *
 * A patch whose redirect ftrace refused to take off (@stuck in struct
 * hp_patch) is FAILED for good: never switched again, never removed.
 */
enum hp_state {
	HP_STAGED,
	HP_VERIFIED,
	HP_APPLYING,
	HP_APPLIED,
	HP_REVERTING,
	HP_REVERTED,
	HP_REJECTED,
	HP_FAILED,
};

enum hp_mode {
	HP_MODE_DIRECT,
	HP_MODE_OPS,
};

struct hp_site;
struct hp_object;
struct hp_patch;

/**
 * struct hp_func - the core's copy of one function of a patch
 * @node:	in hp_object.funcs
 * @stack_node:	in hp_site.stack while patched (newest first)
 * @obj:	owning object
 * @site:	redirect site of @old_addr while patched
 * @old_name:	name of the replaced function
 * @old_sympos:	its sympos (0: unique)
 * @old_size:	expected size (0: not checked)
 * @old_addr:	resolved address of the replaced function
 * @new_addr:	replacement function
 * @tramp:	direct-call trampolines in the patch module, NULL if none
 * @mode:	how the function is redirected while patched
 * @patched:	on its redirect site (armed), live or not
 * @live:	calls reach @new_addr (unless a newer patch is on top); the
 *		ops handler reads it, the gate trampoline reads @tramp->live;
 *		both flip together inside stop_machine
 * @kobj:	patches/<patch>/<obj>/<func>,<sympos>
 */
struct hp_func {
	struct list_head node;
	struct list_head stack_node;
	struct hp_object *obj;
	struct hp_site *site;
	const char *old_name;
	unsigned long old_sympos;
	unsigned long old_size;
	unsigned long old_addr;
	unsigned long new_addr;
	struct hotpatch_tramp *tramp;
	enum hp_mode mode;
	bool patched;
	bool live;
	struct kobject kobj;
};

/**
 * struct hp_object - the core's copy of one target object of a patch
 * @node:	in hp_patch.objs
 * @funcs:	list of struct hp_func
 * @patch:	owning patch
 * @name:	module name, or "vmlinux"
 * @desc:	the patch module's descriptor of the object (for callbacks)
 * @loaded:	vmlinux, or a module that is loaded: the functions resolve
 * @pre_done:	its pre_patch callback ran and succeeded: the unpatch
 *		callbacks are due
 * @patched:	every function of the object is redirected
 * @nr_relocs:	livepatch relocations the patch module has for this module
 *		(reloc.c; 0 for vmlinux, whose relocations the loader applies)
 * @relocated:	they are applied (the module is loaded)
 * @reloc_new:	applied by the enable in progress: undone if it fails
 * @kobj:	patches/<patch>/<obj>
 */
struct hp_object {
	struct list_head node;
	struct list_head funcs;
	struct hp_patch *patch;
	const char *name;
	struct hotpatch_object *desc;
	bool loaded;
	bool pre_done;
	bool patched;
	unsigned int nr_relocs;
	bool relocated;
	bool reloc_new;
	struct kobject kobj;
};

/**
 * struct hp_patch - the core's record of one patch module
 * @node:	in hotpatch_patches, oldest first (the stack order)
 * @objs:	list of struct hp_object
 * @desc:	the patch module's own descriptor
 * @mod:	the patch module
 * @name:	the patch's name (the module's name)
 * @state:	see enum hp_state
 * @mode:	redirect mode asked for by the patch (or the core default)
 * @enabled:	the patch is applied
 * @transition:	a transition is in progress
 * @applied_at:	wall-clock seconds of the last apply, 0 if never
 * @target:	kernel release the patch was built for
 * @last_error:	why the last transition failed
 * @blocking:	tasks that stalled the last transition, one per line
 * @last_stop_ns: how long the machine was stopped in the last transition
 * @last_walked: tasks whose stacks were walked inside that stop
 * @last_visited: tasks looked at inside that stop (walked or not)
 * @stack_order: 1-based position in hotpatch_patches (0 while not listed)
 * @force:	skip the stack check in the next transition
 * @forced:	a transition was forced: the module stays pinned for good
 * @replace:	cumulative: applying it replaces every other applied patch
 * @replacing:	being replaced by the patch in transition (until the
 *		post-patch callbacks of that patch have run)
 * @stage:	the staged (verified) manifest record, owned by stage.c
 * @use:	makes the core a user of the patch module while it is applied,
 *		in transition, forced or stuck, so that even a forced unload
 *		(rmmod -f) is refused
 * @pinned:	@use is linked
 * @stuck:	ftrace refused to take a redirect of the patch off: the
 *		module stays pinned until reboot, the patch is never switched
 *		again (redirect.c, hp_torn())
 * @kobj:	patches/<name>
 */
struct hp_patch {
	struct list_head node;
	struct list_head objs;
	struct hotpatch_patch *desc;
	struct module *mod;
	const char *name;
	enum hp_state state;
	enum hp_mode mode;
	bool enabled;
	bool transition;
	time64_t applied_at;
	char target[65];
	char last_error[HP_ERR_LEN];
	char blocking[HP_BLOCKING_LEN];
	u64 last_stop_ns;
	unsigned int last_walked;
	unsigned int last_visited;
	unsigned int stack_order;
	bool force;
	bool forced;
	bool replace;
	bool replacing;
	void *stage;
	struct module_use *use;
	bool pinned;
	bool stuck;
	struct kobject kobj;
};

/* Protects hotpatch_patches, every hp_patch and the redirect sites. */
extern struct mutex hotpatch_mutex;
extern struct list_head hotpatch_patches;

#define hotpatch_for_each_patch(patch) \
	list_for_each_entry(patch, &hotpatch_patches, node)
#define hotpatch_for_each_object(patch, obj) \
	list_for_each_entry(obj, &(patch)->objs, node)
#define hotpatch_for_each_func(obj, func) \
	list_for_each_entry(func, &(obj)->funcs, node)

extern enum hp_mode hotpatch_default_mode;

const char *hotpatch_state_name(enum hp_state state);
const char *hotpatch_mode_name(enum hp_mode mode);
int __hotpatch_enable(struct hp_patch *patch);
int __hotpatch_disable(struct hp_patch *patch);
void hotpatch_set_error(struct hp_patch *patch, int err, const char *fmt, ...)
	__printf(3, 4);
void hotpatch_record_error(const char *name, int err, const char *reason);
void hotpatch_global_error(char *buf, size_t len);
void hotpatch_patch_text(const char *text, char *buf, size_t len);
void hotpatch_set_patch_text(char *text, size_t len, const char *src);
void hotpatch_set_global_blocking(const char *text);
void hotpatch_global_blocking(char *buf, size_t len);
unsigned int hotpatch_count(void);

#endif /* _HOTPATCH_CORE_H */
