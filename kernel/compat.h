/* SPDX-License-Identifier: GPL-2.0 */
/*
 * compat.h - every kernel-version difference the core depends on
 *
 * The core is built for Debian's 6.1 and 6.12 kernels. Each difference
 * between them is one wrapper here, named hp_compat_*; the rest of the
 * core calls only these. HP_KERNEL_SERIES is the kernel's VERSION and
 * PATCHLEVEL as one number (601, 612; set by kernel/Kbuild); the cut-offs
 * are those of the upstream changes, and only 6.1 and 6.12 are built and
 * tested (docs/kernels.md).
 *
 *  direct calls	6.6 made the direct-call API take an ftrace_ops
 *			(one per site here: struct hp_site.fops) instead of
 *			an address; the ops is the site's filter, and ftrace
 *			sets its flags itself (no FTRACE_OPS_FL_PERMANENT).
 *  ftrace_regs		ftrace_instruction_pointer_set() became
 *			ftrace_regs_set_instruction_pointer().
 *  module memory	6.4 replaced core_layout by mod->mem[MOD_*].
 *  IBT		6.12's config has X86_KERNEL_IBT: a function starts
 *			with endbr64 and its fentry call (where ftrace and a
 *			kprobe on the function sit) comes after it.
 *  kallsyms walks	the callbacks lost their struct module argument and
 *			module_kallsyms_on_each_symbol() takes the module
 *			name to walk; a module is then found by name with
 *			find_module() under module_mutex.
 */
#ifndef _HOTPATCH_COMPAT_H
#define _HOTPATCH_COMPAT_H

#include <linux/ftrace.h>
#include <linux/module.h>
#include <linux/uaccess.h>
#include <asm/ibt.h>
#include <linux/string.h>

#ifndef HP_KERNEL_SERIES
#error "HP_KERNEL_SERIES is not set: build the core through kernel/Kbuild"
#endif

bool hotpatch_ftrace_switched_off(void);

/* --- ftrace direct calls ------------------------------------------------ */

#if HP_KERNEL_SERIES >= 606
/*
 * register_ftrace_direct() overwrites ops->flags, and its flags have no
 * FTRACE_OPS_FL_PERMANENT: while ftrace is switched off the registration
 * "succeeds" without patching anything, and the sysctl could switch ftrace
 * off under an applied patch. The first is refused here with the -EBUSY
 * ftrace gives every other registration then; for the second the flag is
 * added once the ops is registered (ftrace only writes the flags of our
 * ops inside our own calls, all under hotpatch_mutex), as the 6.1 kernel's
 * shared direct_ops has it.
 */
static inline int hp_compat_direct_register(struct ftrace_ops *ops,
					    unsigned long ip,
					    unsigned long addr)
{
	int ret;

	if (hotpatch_ftrace_switched_off())
		return -EBUSY;
	ret = ftrace_set_filter_ip(ops, ip, 0, 0);
	if (ret)
		return ret;
	ret = register_ftrace_direct(ops, addr);
	if (ret) {
		ftrace_free_filter(ops);
		return ret;
	}
	ops->flags |= FTRACE_OPS_FL_PERMANENT;
	return 0;
}

static inline int hp_compat_direct_unregister(struct ftrace_ops *ops,
					      unsigned long ip,
					      unsigned long addr)
{
	return unregister_ftrace_direct(ops, addr, true);
}

static inline int hp_compat_direct_modify(struct ftrace_ops *ops,
					  unsigned long ip,
					  unsigned long from,
					  unsigned long to)
{
	return modify_ftrace_direct(ops, to);
}
#else
/* 6.1: one shared direct_ops in ftrace (PERMANENT), keyed by address. */
static inline int hp_compat_direct_register(struct ftrace_ops *ops,
					    unsigned long ip,
					    unsigned long addr)
{
	return register_ftrace_direct(ip, addr);
}

static inline int hp_compat_direct_unregister(struct ftrace_ops *ops,
					      unsigned long ip,
					      unsigned long addr)
{
	return unregister_ftrace_direct(ip, addr);
}

static inline int hp_compat_direct_modify(struct ftrace_ops *ops,
					  unsigned long ip,
					  unsigned long from,
					  unsigned long to)
{
	return modify_ftrace_direct(ip, from, to);
}
#endif

/* --- ftrace_regs -------------------------------------------------------- */

#ifdef ftrace_regs_set_instruction_pointer
#define hp_compat_set_ip(fregs, ip) \
	ftrace_regs_set_instruction_pointer(fregs, ip)
#else
#define hp_compat_set_ip(fregs, ip) ftrace_instruction_pointer_set(fregs, ip)
#endif

/* --- IBT ----------------------------------------------------------------- */

/* Where a kprobe on the function at @addr sits: past its ENDBR, if any. */
static inline unsigned long hp_compat_kprobe_addr(unsigned long addr)
{
#ifdef CONFIG_X86_KERNEL_IBT
	u32 insn;

	if (!copy_from_kernel_nofault(&insn, (void *)addr, sizeof(insn)) &&
	    is_endbr(insn))
		return addr + ENDBR_INSN_SIZE;
#endif
	return addr;
}

/* --- module memory ------------------------------------------------------ */

/* The module's read-only data (not ro_after_init), [*lo, *hi). */
static inline void hp_compat_mod_rodata(struct module *mod, unsigned long *lo,
					unsigned long *hi)
{
#if HP_KERNEL_SERIES >= 604
	*lo = (unsigned long)mod->mem[MOD_RODATA].base;
	*hi = *lo + mod->mem[MOD_RODATA].size;
#else
	unsigned long base = (unsigned long)mod->core_layout.base;

	*lo = base + mod->core_layout.text_size;
	*hi = base + mod->core_layout.ro_size;
#endif
}

/* --- kallsyms walks ----------------------------------------------------- */

/*
 * hp_compat_ksym_fn is the callback of both walks on every kernel: (data,
 * symbol name, address). 6.1's walks also pass the symbol's module (NULL
 * in vmlinux), and module_kallsyms_on_each_symbol() walks every module:
 * hp_compat_walk_cb() keeps the symbols of the wanted one. 6.2 added the
 * module name argument and 6.3 dropped the module pointer; 6.2 itself is
 * neither form and not supported.
 */
typedef int (*hp_compat_ksym_fn)(void *data, const char *name,
				 unsigned long addr);

#if HP_KERNEL_SERIES >= 603
#define HP_COMPAT_KSYM_MOD_ARG 0
typedef int (*hp_compat_each_symbol_t)(hp_compat_ksym_fn fn, void *data);
typedef int (*hp_compat_mod_each_symbol_t)(const char *modname,
					   hp_compat_ksym_fn fn, void *data);

#define hp_compat_module_walk(each, objname, fn, data) \
	((each)(objname, fn, data))
#define hp_compat_vmlinux_walk(each, fn, data) ((each)(fn, data))
#else
#define HP_COMPAT_KSYM_MOD_ARG 1
typedef int (*hp_compat_mod_ksym_fn)(void *data, const char *name,
				     struct module *mod, unsigned long addr);
typedef int (*hp_compat_each_symbol_t)(hp_compat_mod_ksym_fn fn, void *data);
typedef int (*hp_compat_mod_each_symbol_t)(hp_compat_mod_ksym_fn fn,
					   void *data);

struct hp_compat_walk {
	const char *objname;
	hp_compat_ksym_fn fn;
	void *data;
};

static inline int hp_compat_walk_cb(void *data, const char *name,
				    struct module *mod, unsigned long addr)
{
	struct hp_compat_walk *w = data;

	if (w->objname && (!mod || strcmp(w->objname, mod->name)))
		return 0;
	return w->fn(w->data, name, addr);
}

#define hp_compat_module_walk(each, objname, fn, data) ({		\
	struct hp_compat_walk __w = { objname, fn, data };		\
	(each)(hp_compat_walk_cb, &__w);				\
})
#define hp_compat_vmlinux_walk(each, fn, data) \
	hp_compat_module_walk(each, NULL, fn, data)
#endif

#endif /* _HOTPATCH_COMPAT_H */
