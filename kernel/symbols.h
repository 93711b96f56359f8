/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _HOTPATCH_SYMBOLS_H
#define _HOTPATCH_SYMBOLS_H

#include <linux/module.h>

int hotpatch_symbols_init(void);

int hotpatch_find_symbol(const char *objname, const char *name,
			 unsigned long sympos, unsigned long *addr,
			 char *why, size_t why_len);
bool hotpatch_symbol_size(unsigned long addr, unsigned long *size);
struct module *hotpatch_get_module(const char *name);

struct task_struct;
typedef int (*hotpatch_task_call_f)(struct task_struct *t, void *arg);
int hotpatch_stack_trace_save_tsk_reliable(struct task_struct *tsk,
					   unsigned long *store,
					   unsigned int size);
int hotpatch_task_call_func(struct task_struct *t, hotpatch_task_call_f func,
			    void *arg);
struct task_struct *hotpatch_idle_task(int cpu);
bool hotpatch_wake_up_state(struct task_struct *t, unsigned int state);

struct kprobe;
struct list_head *hotpatch_klp_patches(void);
struct mutex *hotpatch_klp_mutex(void);
struct kprobe *hotpatch_get_kprobe(void *addr);
bool hotpatch_ftrace_switched_off(void);
struct cred;
bool hotpatch_show_addresses(const struct cred *cred);

int hotpatch_apply_relocate_add(Elf64_Shdr *sechdrs, const char *strtab,
				unsigned int symindex, unsigned int relsec,
				struct module *me);
void hotpatch_module_lock(void);
void hotpatch_module_unlock(void);
void hotpatch_text_lock(void);
void hotpatch_text_unlock(void);
void hotpatch_text_poke(void *addr, const void *bytes, size_t len);

#endif /* _HOTPATCH_SYMBOLS_H */
