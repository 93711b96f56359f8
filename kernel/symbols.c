// SPDX-License-Identifier: GPL-2.0
/*
 * symbols.c - kernel symbols the core needs, and symbol lookup for patches
 *
 * Every non-exported kernel symbol the core uses is resolved here, once, at
 * core init; each entry says why it is needed. A missing one fails the
 * core's load with -ENOENT and a message naming it, so nothing runs with a
 * half-resolved table.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kallsyms.h>
#include <linux/kprobes.h>
#include <linux/module.h>
#include <linux/string.h>
#include "compat.h"
#include "symbols.h"

typedef unsigned long (*lookup_name_t)(const char *name);
typedef int (*size_offset_t)(unsigned long addr, unsigned long *size,
			     unsigned long *offset);

static lookup_name_t hp_kallsyms_lookup_name;

/*
 * kallsyms_on_each_symbol: walk vmlinux symbols in address order, to find
 * a function by name and sympos (the rank among same-named local symbols).
 */
static hp_compat_each_symbol_t hp_kallsyms_on_each_symbol;

/*
 * module_kallsyms_on_each_symbol: the same walk over loaded modules, for
 * patches whose target object is a module. Takes module_mutex.
 */
static hp_compat_mod_each_symbol_t hp_module_kallsyms_on_each_symbol;

/*
 * kallsyms_lookup_size_offset: size of the function being replaced, checked
 * against the size the patch was built for.
 */
static size_offset_t hp_kallsyms_lookup_size_offset;

typedef int (*save_reliable_t)(struct task_struct *tsk, unsigned long *store,
			       unsigned int size);
typedef int (*task_call_t)(struct task_struct *t, hotpatch_task_call_f func,
			   void *arg);

/*
 * stack_trace_save_tsk_reliable: the consistency check walks every task's
 * stack with the reliable (ORC) unwinder; without it no patch could be
 * switched safely, so the core refuses to load.
 */
static save_reliable_t hp_save_reliable;

/*
 * task_call_func: runs the first stack walk of a task with its runqueue
 * locked, so the task cannot start running under the walk (what upstream
 * livepatch does).
 */
static task_call_t hp_task_call_func;

typedef struct task_struct *(*idle_task_t)(int cpu);

/*
 * idle_task: the per-CPU idle tasks are on no task list, so
 * for_each_process_thread() never visits them; the consistency check walks
 * them by CPU (as upstream livepatch does). Without it a patch of code the
 * idle tasks run could be switched, and its module freed, under them.
 */
static idle_task_t hp_idle_task;

/*
 * Optional, only to name who owns a function we cannot redirect (owner.c):
 * klp_patches and klp_mutex (upstream livepatch's list of patches and its
 * lock), get_kprobe (the kprobe at an address), ftrace_enabled (the sysctl
 * kernel.ftrace_enabled: while it is 0, ftrace refuses every redirect with
 * -EBUSY, which is nobody's ownership). Without them the message is less
 * specific; nothing else changes.
 */
static struct list_head *hp_klp_patches;
static struct mutex *hp_klp_mutex;
typedef struct kprobe *(*get_kprobe_t)(void *addr);
static get_kprobe_t hp_get_kprobe;
static int *hp_ftrace_enabled;

/*
 * Optional: wake_up_state, to wake a kernel thread that sleeps
 * interruptibly in code being replaced (park.c) without waking it from an
 * uninterruptible sleep, as upstream livepatch's klp_send_signals() does.
 * Without it such threads are not woken, only reported.
 */
typedef int (*wake_up_state_t)(struct task_struct *p, unsigned int state);
static wake_up_state_t hp_wake_up_state;

/*
 * Optional too: kallsyms_show_value, the kernel's rule for who may see
 * kernel addresses (kptr_restrict, perf_event_paranoid, CAP_SYSLOG of the
 * opener), for old_addr and new_addr in sysfs. Without it they read as
 * zero to everybody: hidden, never shown by mistake.
 */
typedef bool (*show_value_t)(const struct cred *cred);
static show_value_t hp_kallsyms_show_value;

static const struct {
	const char *name;
	void **addr;
} hp_optional[] = {
	{ "klp_patches", (void **)&hp_klp_patches },
	{ "klp_mutex", (void **)&hp_klp_mutex },
	{ "get_kprobe", (void **)&hp_get_kprobe },
	{ "ftrace_enabled", (void **)&hp_ftrace_enabled },
	{ "wake_up_state", (void **)&hp_wake_up_state },
	{ "kallsyms_show_value", (void **)&hp_kallsyms_show_value },
};

typedef int (*apply_relocate_add_t)(Elf64_Shdr *sechdrs, const char *strtab,
				    unsigned int symindex, unsigned int relsec,
				    struct module *me);
typedef void *(*text_poke_t)(void *addr, const void *opcode, size_t len);

/*
 * apply_relocate_add: the architecture's relocation code, to apply the
 * livepatch relocations of a patch module for a target module (reloc.c),
 * exactly as the module loader would. On a formed module it writes through
 * text_poke() under text_mutex itself.
 */
static apply_relocate_add_t hp_apply_relocate_add;

/*
 * text_poke and text_mutex: to zero those relocations again when the
 * target module goes (text and read-only data of the patch module are
 * read-only by then), so that its next load can apply them afresh.
 */
static text_poke_t hp_text_poke;
static struct mutex *hp_text_mutex;

/*
 * module_mutex: protects the modules' use lists. While a patch is applied
 * (or was forced) the core lists itself as a user of the patch module
 * (core.c, hp_update_pin()); delete_module() refuses a module that has
 * users even when forced (rmmod -f, MODULE_FORCE_UNLOAD), which would
 * otherwise free code that calls are redirected to.
 */
static struct mutex *hp_module_mutex;

#if !HP_COMPAT_KSYM_MOD_ARG
/*
 * find_module: the kallsyms walks no longer pass the module (compat.h), so
 * hotpatch_get_module() finds it by name, under module_mutex.
 */
typedef struct module *(*find_module_t)(const char *name);
static find_module_t hp_find_module;
#endif

static const struct {
	const char *name;
	void **addr;
} hp_needed[] = {
	{ "apply_relocate_add", (void **)&hp_apply_relocate_add },
	{ "text_poke", (void **)&hp_text_poke },
	{ "text_mutex", (void **)&hp_text_mutex },
	{ "module_mutex", (void **)&hp_module_mutex },
	{ "stack_trace_save_tsk_reliable", (void **)&hp_save_reliable },
	{ "task_call_func", (void **)&hp_task_call_func },
	{ "idle_task", (void **)&hp_idle_task },
	{ "kallsyms_on_each_symbol", (void **)&hp_kallsyms_on_each_symbol },
	{ "module_kallsyms_on_each_symbol",
	  (void **)&hp_module_kallsyms_on_each_symbol },
	{ "kallsyms_lookup_size_offset",
	  (void **)&hp_kallsyms_lookup_size_offset },
#if !HP_COMPAT_KSYM_MOD_ARG
	{ "find_module", (void **)&hp_find_module },
#endif
};

/*
 * kallsyms_lookup_name() is not exported since 5.7. A kprobe registered on
 * it by name resolves its address for us; the probe is removed at once.
 */
static int hp_resolve_lookup_name(void)
{
	struct kprobe kp = { .symbol_name = "kallsyms_lookup_name" };
	int ret;

	ret = register_kprobe(&kp);
	if (ret) {
		pr_err("cannot resolve 'kallsyms_lookup_name' through a kprobe (%d)\n",
		       ret);
		return ret;
	}
	hp_kallsyms_lookup_name = (lookup_name_t)kp.addr;
	unregister_kprobe(&kp);
	return hp_kallsyms_lookup_name ? 0 : -ENOENT;
}

int hotpatch_symbols_init(void)
{
	int i, ret;

	ret = hp_resolve_lookup_name();
	if (ret)
		return ret;

	for (i = 0; i < ARRAY_SIZE(hp_needed); i++) {
		*hp_needed[i].addr =
			(void *)hp_kallsyms_lookup_name(hp_needed[i].name);
		if (!*hp_needed[i].addr) {
			pr_err("kernel symbol '%s' not found\n",
			       hp_needed[i].name);
			return -ENOENT;
		}
	}
	for (i = 0; i < ARRAY_SIZE(hp_optional); i++)
		*hp_optional[i].addr =
			(void *)hp_kallsyms_lookup_name(hp_optional[i].name);
	/* Both or neither. */
	if (!hp_klp_patches || !hp_klp_mutex)
		hp_klp_patches = NULL;
	return 0;
}

struct hp_find_arg {
	const char *name;
	unsigned long pos;
	unsigned long addr;
	unsigned long count;
	struct module *mod;
};

static int hp_find_callback(void *data, const char *name, unsigned long addr)
{
	struct hp_find_arg *args = data;

	if (strcmp(args->name, name))
		return 0;

	args->count++;
	if (!args->pos || args->count == args->pos)
		args->addr = addr;

	/* Stop at the wanted position, or at a second match without one. */
	if ((args->pos && args->count == args->pos) ||
	    (!args->pos && args->count > 1))
		return 1;
	return 0;
}

/**
 * hotpatch_find_symbol() - address of a symbol in vmlinux or a module
 * @objname:	module name, or NULL for vmlinux
 * @name:	symbol name
 * @sympos:	1-based rank among same-named symbols; 0 requires uniqueness
 * @addr:	result
 * @why:	on failure, a sentence for the patch's last_error
 * @why_len:	size of @why
 *
 * Return: 0, or -ENOENT (not found) / -EINVAL (ambiguous, bad position).
 */
int hotpatch_find_symbol(const char *objname, const char *name,
			 unsigned long sympos, unsigned long *addr,
			 char *why, size_t why_len)
{
	struct hp_find_arg args = {
		.name = name,
		.pos = sympos,
	};
	const char *obj = objname ? objname : "vmlinux";

	if (objname)
		hp_compat_module_walk(hp_module_kallsyms_on_each_symbol,
				      objname, hp_find_callback, &args);
	else
		hp_compat_vmlinux_walk(hp_kallsyms_on_each_symbol,
				       hp_find_callback, &args);

	*addr = 0;
	if (!args.count) {
		snprintf(why, why_len, "symbol '%s' not found in '%s'", name,
			 obj);
		return -ENOENT;
	}
	if (!sympos && args.count > 1) {
		snprintf(why, why_len,
			 "symbol '%s' is not unique in '%s': give its sympos",
			 name, obj);
		return -EINVAL;
	}
	if (sympos && args.count != sympos) {
		snprintf(why, why_len,
			 "symbol '%s' has no position %lu in '%s' (%lu found)",
			 name, sympos, obj, args.count);
		return -ENOENT;
	}
	*addr = args.addr;
	return 0;
}

/**
 * hotpatch_symbol_size() - size of the symbol that starts at @addr
 * @addr:	start of a function
 * @size:	result
 *
 * Return: true when @addr is the start of a known symbol.
 */
bool hotpatch_symbol_size(unsigned long addr, unsigned long *size)
{
	unsigned long offset;

	if (!hp_kallsyms_lookup_size_offset(addr, size, &offset))
		return false;
	return offset == 0;
}

#if HP_COMPAT_KSYM_MOD_ARG
struct hp_mod_arg {
	const char *name;
	struct module *mod;
};

static int hp_mod_callback(void *data, const char *name, struct module *mod,
			   unsigned long addr)
{
	struct hp_mod_arg *args = data;

	if (!mod || strcmp(mod->name, args->name))
		return 0;
	/* module_mutex is held here, so @mod cannot go away under us. */
	if (try_module_get(mod))
		args->mod = mod;
	return 1;
}
#endif

/**
 * hotpatch_get_module() - find a loaded module by name and pin it
 * @name:	module name
 *
 * Return: the module with a reference held (drop it with module_put()),
 * or NULL if no live module has that name.
 */
struct module *hotpatch_get_module(const char *name)
{
#if HP_COMPAT_KSYM_MOD_ARG
	struct hp_mod_arg args = { .name = name };

	hp_module_kallsyms_on_each_symbol(hp_mod_callback, &args);
	return args.mod;
#else
	struct module *mod;

	/* find_module() skips modules still being formed, as the walk does. */
	mutex_lock(hp_module_mutex);
	mod = hp_find_module(name);
	if (mod && !try_module_get(mod))
		mod = NULL;
	mutex_unlock(hp_module_mutex);
	return mod;
#endif
}

int hotpatch_stack_trace_save_tsk_reliable(struct task_struct *tsk,
					   unsigned long *store,
					   unsigned int size)
{
	return hp_save_reliable(tsk, store, size);
}

int hotpatch_task_call_func(struct task_struct *t, hotpatch_task_call_f func,
			    void *arg)
{
	return hp_task_call_func(t, func, arg);
}

struct task_struct *hotpatch_idle_task(int cpu)
{
	return hp_idle_task(cpu);
}

/* Return: true if @t was woken (it slept in one of @state). */
bool hotpatch_wake_up_state(struct task_struct *t, unsigned int state)
{
	return hp_wake_up_state && hp_wake_up_state(t, state);
}

struct list_head *hotpatch_klp_patches(void)
{
	return hp_klp_patches;
}

struct mutex *hotpatch_klp_mutex(void)
{
	return hp_klp_patches ? hp_klp_mutex : NULL;
}

struct kprobe *hotpatch_get_kprobe(void *addr)
{
	return hp_get_kprobe ? hp_get_kprobe(addr) : NULL;
}

/**
 * hotpatch_ftrace_switched_off() - is the sysctl kernel.ftrace_enabled 0?
 *
 * Return: true when it is known to be 0 (ftrace then refuses to register
 * the permanent ftrace_ops that every redirect needs).
 */
bool hotpatch_ftrace_switched_off(void)
{
	return hp_ftrace_enabled && !READ_ONCE(*hp_ftrace_enabled);
}

/**
 * hotpatch_show_addresses() - may @cred see kernel addresses?
 * @cred:	credentials of the opener of the file that shows them
 *
 * Return: what kallsyms_show_value() says (as for /proc/kallsyms); false
 * when it could not be resolved.
 */
bool hotpatch_show_addresses(const struct cred *cred)
{
	return hp_kallsyms_show_value && hp_kallsyms_show_value(cred);
}

int hotpatch_apply_relocate_add(Elf64_Shdr *sechdrs, const char *strtab,
				unsigned int symindex, unsigned int relsec,
				struct module *me)
{
	return hp_apply_relocate_add(sechdrs, strtab, symindex, relsec, me);
}

void hotpatch_text_lock(void)
{
	mutex_lock(hp_text_mutex);
}

void hotpatch_text_unlock(void)
{
	mutex_unlock(hp_text_mutex);
}

void hotpatch_module_lock(void)
{
	mutex_lock(hp_module_mutex);
}

void hotpatch_module_unlock(void)
{
	mutex_unlock(hp_module_mutex);
}

/* Caller holds text_mutex (hotpatch_text_lock()). */
void hotpatch_text_poke(void *addr, const void *bytes, size_t len)
{
	lockdep_assert_held(hp_text_mutex);
	hp_text_poke(addr, bytes, len);
}
