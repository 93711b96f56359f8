/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Just enough of the kernel's x86_64 macros for the differ's test cases to
 * produce real special sections without kernel headers. Layouts follow
 * Linux 6.1 (pahole on the -dbg vmlinux): bug_entry 12, exception_table_entry 12,
 * alt_instr 12, jump_entry 16, static_call_site 8, orc_entry 6,
 * paravirt_patch_site 16, and 4-byte site lists.
 */
#ifndef KERNELISH_H
#define KERNELISH_H

typedef _Bool bool;
#define true 1
#define false 0
#define __init __attribute__((section(".init.text"), cold))
#define __initdata __attribute__((section(".init.data")))
#define notrace __attribute__((no_instrument_function))
#define noinline __attribute__((noinline))
#define noinstr __attribute__((section(".noinstr.text"), __noinline__)) notrace
#define unlikely(x) __builtin_expect(!!(x), 0)
#define __sched __attribute__((section(".sched.text")))

/* EXPORT_SYMBOL as 6.1 emits it: a ___ksymtab+<sym> entry naming the code */
#define EXPORT_SYMBOL(sym)						\
	asm(".pushsection \"___ksymtab+" #sym "\",\"a\"\n"		\
	    "\t.balign 4\n__ksymtab_" #sym ":\n"				\
	    "\t.long " #sym " - .\n\t.long 0\n\t.long 0\n"		\
	    ".popsection")

int printk(const char *fmt, ...);
void __warn_printk(const char *fmt, ...);
void __might_sleep(const char *file, int line);
void panic(const char *fmt, ...) __attribute__((noreturn, cold));
void slowpath(int) __attribute__((cold));
void __x86_return_thunk(void);

struct static_key { int enabled; };

/* __bug_table: bug_addr disp, file disp, line, flags */
#define _BUG_FLAGS(flags)						\
	asm volatile("1:\tud2\n"					\
		     ".pushsection __bug_table,\"aw\"\n"		\
		     "2:\t.long 1b - .\n"				\
		     "\t.long %c0 - .\n"				\
		     "\t.word %c1\n"					\
		     "\t.word %c2\n"					\
		     "\t.org 2b + 12\n"					\
		     ".popsection" : : "i" (__FILE__), "i" (__LINE__), "i" (flags))
#define BUG() do { _BUG_FLAGS(0); __builtin_unreachable(); } while (0)
#define WARN_ON(cond) ({ int __c = !!(cond); if (unlikely(__c)) _BUG_FLAGS(1); __c; })

/* printk-style __LINE__ users */
#define might_sleep() __might_sleep(__FILE__, __LINE__)
#define pr_line(msg) printk("%s:%d " msg "\n", __func__, __LINE__)

/* pr_debug: a dynamic debug descriptor per call site, with its __LINE__ */
struct _ddebug {
	const char *modname, *function, *filename, *format;
	unsigned int lineno:18, class_id:6, flags:8;
} __attribute__((aligned(8)));
void __dynamic_pr_debug(struct _ddebug *d, const char *fmt, ...);
#define ___PASTE(a, b) a##b
#define __PASTE(a, b) ___PASTE(a, b)
#define __UNIQUE_ID(prefix) __PASTE(__PASTE(__UNIQUE_ID_, prefix), __COUNTER__)
#define __pr_debug(id, fmt, ...) do {					\
	static struct _ddebug __attribute__((used, section("__dyndbg"))) id = { \
		"case", __func__, __FILE__, fmt, __LINE__, 0, 0 };	\
	if (unlikely(id.flags & 1))					\
		__dynamic_pr_debug(&id, fmt, ##__VA_ARGS__);		\
} while (0)
#define pr_debug(fmt, ...) __pr_debug(__UNIQUE_ID(ddebug), fmt, ##__VA_ARGS__)

/*
 * pr_debug as 6.1 builds it with jump labels: the static key lives in the
 * descriptor, and the call site's __jump_table entry names it.
 */
struct _ddebug_jl {
	const char *modname, *function, *filename, *format;
	unsigned int lineno:18, class_id:6, flags:8;
	struct static_key key;
} __attribute__((aligned(8)));
#define __pr_debug_jl(id, fmt, ...) do {				\
	static struct _ddebug_jl __attribute__((used, section("__dyndbg"))) id = { \
		"case", __func__, __FILE__, fmt, __LINE__, 0, 0, { 0 } }; \
	if (static_branch_unlikely(&id.key))				\
		__dynamic_pr_debug((struct _ddebug *)&id, fmt, ##__VA_ARGS__); \
} while (0)
#define pr_debug_jl(fmt, ...) __pr_debug_jl(__UNIQUE_ID(ddebug), fmt, ##__VA_ARGS__)

/* WARN_ONCE-style: a per-call-site static in .data.once */
#define WARN_ONCE(cond, msg) ({						\
	static bool __attribute__((section(".data.once"))) __already_done; \
	int __c = !!(cond);						\
	if (unlikely(__c) && !__already_done) {				\
		__already_done = true;					\
		__warn_printk(msg);					\
	}								\
	__c; })

/* __ex_table: insn disp, fixup disp, data */
#define EX_LOAD(val, ptr)						\
	asm volatile("1:\tmovl (%1), %0\n2:\n"				\
		     ".pushsection __ex_table,\"a\"\n\t.balign 4\n"	\
		     "\t.long 1b - .\n\t.long 2b - .\n\t.long 0\n"	\
		     ".popsection" : "=r" (val) : "r" (ptr))
/* older kernels: the fixup code lives in .fixup */
#define EX_LOAD_FIXUP(val, ptr)						\
	asm volatile("1:\tmovl (%1), %0\n2:\n"				\
		     ".pushsection .fixup,\"ax\"\n"			\
		     "3:\txorl %0, %0\n\tjmp 2b\n"			\
		     ".popsection\n"					\
		     ".pushsection __ex_table,\"a\"\n\t.balign 4\n"	\
		     "\t.long 1b - .\n\t.long 3b - .\n\t.long 0\n"	\
		     ".popsection" : "=r" (val) : "r" (ptr))

/* .altinstructions + .altinstr_replacement */
#define ALTERNATIVE(oldinstr, newinstr, feature)			\
	asm volatile("661:\n\t" oldinstr "\n662:\n"			\
		     ".pushsection .altinstructions,\"a\"\n"		\
		     "\t.long 661b - .\n\t.long 6641f - .\n"		\
		     "\t.word " #feature "\n"				\
		     "\t.byte 662b - 661b\n\t.byte 6651f - 6641f\n"	\
		     ".popsection\n"					\
		     ".pushsection .altinstr_replacement,\"ax\"\n"	\
		     "6641:\n\t" newinstr "\n6651:\n"			\
		     ".popsection")

/* __jump_table: code disp, target disp, key disp (8 bytes) */
#define static_branch_unlikely(key) ({					\
	bool __r = false;						\
	asm goto("1:\t.byte 0x0f,0x1f,0x44,0x00,0x00\n"		\
		 ".pushsection __jump_table,\"aw\"\n\t.balign 8\n"	\
		 "\t.long 1b - ., %l[l_yes] - .\n"			\
		 "\t.quad %c0 - .\n"					\
		 ".popsection" : : "i" (key) : : l_yes);		\
	if (0) {							\
l_yes:									\
		__r = true;						\
	}								\
	__r; })

/* .static_call_sites: call site disp, key disp */
#define static_call_site(name)						\
	asm volatile("1:\tcall __SCT__" #name "\n"			\
		     ".pushsection .static_call_sites,\"aw\"\n"		\
		     "\t.long 1b - .\n\t.long __SCK__" #name " - .\n"	\
		     ".popsection" : : : "memory")

/* 4-byte site lists written by objtool */
#define SITE(sec, insn)							\
	asm volatile("1:\t" insn "\n"					\
		     ".pushsection " sec ",\"a\"\n\t.long 1b - .\n"	\
		     ".popsection" : : : "memory")
#define retpoline_site() SITE(".retpoline_sites", "nop")
#define return_site() SITE(".return_sites", "nop")

/* .orc_unwind_ip (4) with its parallel .orc_unwind (6), as objtool writes */
#define orc_entry()							\
	asm volatile("1:\n"						\
		     ".pushsection .orc_unwind_ip,\"a\"\n\t.long 1b - .\n" \
		     ".popsection\n"					\
		     ".pushsection .orc_unwind,\"a\"\n\t.word 0, 0, 0\n"	\
		     ".popsection" : : : "memory")

/* .smp_locks: LOCK_PREFIX */
#define atomic_inc(p)							\
	asm volatile(".pushsection .smp_locks,\"a\"\n\t.balign 4\n"	\
		     "\t.long 671f - .\n.popsection\n"			\
		     "671:\tlock; incl %0" : "+m" (*(p)))

/* .parainstructions: instr (8), type, len, padded to 16 */
#define paravirt_site(type)						\
	asm volatile("771:\tnop\n772:\n"				\
		     ".pushsection .parainstructions,\"a\"\n\t.balign 8\n" \
		     "\t.quad 771b\n\t.byte " #type "\n\t.byte 772b - 771b\n" \
		     "\t.balign 8\n.popsection" : : : "memory")

/* The kernel's "inline": gnu_inline, maybe unused, and notrace (6.1). */
#define __kinline inline __attribute__((__gnu_inline__, __unused__)) notrace
#define __exit __attribute__((section(".exit.text"), cold)) notrace

/* module_exit: cleanup_module names fn in a module; an .exitcall.exit entry built in */
#ifdef MODULE
#define module_exit(fn) void cleanup_module(void) __attribute__((alias(#fn)))
#else
#define module_exit(fn)							\
	static void (*__exitcall_##fn)(void)				\
	__attribute__((used, section(".exitcall.exit"))) = fn
#endif

/*
 * SYSCALL_DEFINE1 as x86_64 6.1 expands it: the __x64_sys_ and __ia32_sys_
 * stubs call __se_sys_, which calls the body __do_sys_, a static inline
 * (so notrace) function that the compiler may keep out of line.
 */
struct pt_regs { unsigned long bx, cx, dx, si, di, r10, r8, r9; };
#define SYSCALL_DEFINE1(name, t1, a1)					\
	static long __se_sys_##name(long a1);				\
	static __kinline long __do_sys_##name(t1 a1);			\
	long __x64_sys_##name(const struct pt_regs *regs);		\
	long __x64_sys_##name(const struct pt_regs *regs)		\
	{								\
		return __se_sys_##name((long)regs->di);			\
	}								\
	long __ia32_sys_##name(const struct pt_regs *regs);		\
	long __ia32_sys_##name(const struct pt_regs *regs)		\
	{								\
		return __se_sys_##name((long)(unsigned int)regs->bx);	\
	}								\
	static long __se_sys_##name(long a1)				\
	{								\
		return __do_sys_##name((t1)a1);				\
	}								\
	static __kinline long __do_sys_##name(t1 a1)

#endif
