// SPDX-License-Identifier: GPL-2.0
/* a tail-called static call on a key vmlinux does not export */
#include "tracepoint.h"
extern int counter;

int foo(int x)
{
	counter += 2 * x;
	asm volatile("1:\tjmp __SCT__hidden_call\n"
		     SC_SITE("", "__SCK__hidden_call", 1) : : : "memory");
	return 0;
}
