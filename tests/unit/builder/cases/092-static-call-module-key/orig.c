// SPDX-License-Identifier: GPL-2.0
/* module code calling through a static call whose key the module defines elsewhere */
#include "tracepoint.h"
extern int counter;

int foo(int x)
{
	counter += x;
	asm volatile("1:\tcall __SCT__mod_call\n"
		     SC_SITE("", "__SCK__mod_call", 0)
		     : : : "memory", "rax", "rcx", "rdx", "rsi", "rdi", "r8", "r9", "r10", "r11");
	return counter;
}
