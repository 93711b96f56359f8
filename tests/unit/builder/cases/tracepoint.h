/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A tracepoint as Linux 6.1 compiles it on x86_64 (CONFIG_HAVE_JUMP_LABEL_HACK,
 * CONFIG_HAVE_STATIC_CALL_INLINE, CONFIG_PREEMPT_DYNAMIC), for the cases on
 * jump labels and static calls in changed functions:
 *
 *  - trace_NAME(): a 5-byte NOP (DECLARE_TP_NOP: another) with a __jump_table entry whose key field is
 *    "&__tracepoint_NAME.key + 2 - ." (R_X86_64_PC64; the 2 is the flag the
 *    hack passes, the key sits at offset 8 of struct tracepoint); its body
 *    reads ->funcs and calls __SCT__tp_func_NAME through a static call site
 *    keyed on __SCK__tp_func_NAME, between preempt_disable_notrace() and
 *    preempt_enable_notrace(), which calls __SCT__preempt_schedule_notrace
 *    through a site keyed on __SCK__preempt_schedule_notrace;
 *  - module_branch(KEY): static_branch_unlikely() on an ordinary static key.
 */
#ifndef TRACEPOINT_H
#define TRACEPOINT_H

#include "kernelish.h"

struct tracepoint {
	const char *name;
	struct static_key key;
	void *static_call_key, *static_call_tramp, *iterator, *regfunc, *unregfunc;
	void *funcs;
};

extern int preempt_count_var;

#define SC_SITE(tramp, key, tail)					\
	".pushsection .static_call_sites,\"aw\"\n"			\
	"\t.long 1b - .\n\t.long " key " + " #tail " - .\n"		\
	".popsection\n"

#define preempt_enable_notrace() do {					\
	if (!--preempt_count_var)					\
		asm volatile("1:\tcall __SCT__preempt_schedule_notrace\n" \
			     SC_SITE("", "__SCK__preempt_schedule_notrace", 0) \
			     : : : "memory", "rax", "rcx", "rdx", "rsi", "rdi", \
			       "r8", "r9", "r10", "r11");		\
} while (0)

#define TP_NOP5 ".byte 0x0f,0x1f,0x44,0x00,0x00"
#define TP_NOP2 ".byte 0x66,0x90"	/* objtool's choice for a short jmp */
#define DECLARE_TP(name) DECLARE_TP_NOP(name, TP_NOP5)
#define DECLARE_TP_NOP(name, nop)					\
	extern struct tracepoint __tracepoint_##name;			\
	static inline __attribute__((always_inline)) void trace_##name(long arg) \
	{								\
		void *data;						\
									\
		asm goto("1:\t" nop "\n"					\
			 ".pushsection __jump_table,\"aw\"\n\t.balign 8\n" \
			 "\t.long 1b - ., %l[l_yes] - .\n"		\
			 "\t.quad %c0 + %c1 - .\n"			\
			 ".popsection" : : "i" (&__tracepoint_##name.key), \
			 "i" (2) : : l_yes);				\
		return;							\
l_yes:									\
		preempt_count_var++;					\
		data = __tracepoint_##name.funcs;			\
		if (data)						\
			asm volatile("1:\tcall __SCT__tp_func_" #name "\n" \
				     SC_SITE("", "__SCK__tp_func_" #name, 0) \
				     : "+D" (data), "+S" (arg) : : "memory", \
				       "rax", "rcx", "rdx", "r8", "r9", "r10", "r11"); \
		preempt_enable_notrace();				\
	}

/* static_branch_unlikely() on an ordinary key (branch 0, the hack's flag 2) */
#define module_branch(key) ({						\
	bool __r = false;						\
	asm goto("1:\t.byte 0x0f,0x1f,0x44,0x00,0x00\n"		\
		 ".pushsection __jump_table,\"aw\"\n\t.balign 8\n"	\
		 "\t.long 1b - ., %l[l_yes] - .\n"			\
		 "\t.quad %c0 + 2 - .\n"				\
		 ".popsection" : : "i" (key) : : l_yes);		\
	if (0) {							\
l_yes:									\
		__r = true;						\
	}								\
	__r; })

#endif
