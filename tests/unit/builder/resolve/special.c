// SPDX-License-Identifier: GPL-2.0
/*
 * resolve tests: a patch object whose load-time tables refer to a symbol
 * that is not exported (one -DKIND_* per table), beside an ordinary call
 * to it (which can be deferred).
 */
#include "kernelish.h"

int hidden_global(int x);
extern struct static_key hidden_key;

#define TABLE_REF(sec, flags, align, entry)				\
	asm volatile("1:\tnop\n"					\
		     ".pushsection " sec ",\"" flags "\"\n"		\
		     "\t.balign " #align "\n" entry "\n"			\
		     ".popsection" : : : "memory")

int user(int x)
{
#if defined(KIND_jump_table)
	if (static_branch_unlikely(&hidden_key))
		x++;
#elif defined(KIND_static_call)
	static_call_site(hidden);
#elif defined(KIND_altinstr)
	ALTERNATIVE("nop", "call hidden_global", 1);
#elif defined(KIND_paravirt)
	TABLE_REF(".parainstructions", "a", 8, "\t.quad 1b\n\t.quad hidden_global");
#elif defined(KIND_ex_table)
	TABLE_REF("__ex_table", "a", 4, "\t.long 1b - ., hidden_global - ., 0");
#elif defined(KIND_bug_table)
	TABLE_REF("__bug_table", "aw", 4, "\t.long 1b - ., hidden_global - .\n\t.word 0, 0");
#elif defined(KIND_orc)
	TABLE_REF(".orc_unwind_ip", "a", 4, "\t.long hidden_global - .");
#elif defined(KIND_pc64)
	TABLE_REF(".data.pc64", "aw", 8, "\t.quad hidden_global - .");
#elif defined(KIND_pc16)
	TABLE_REF(".data.pc16", "aw", 2, "\t.word hidden_global - .");
#endif
	return hidden_global(x);
}
