// SPDX-License-Identifier: GPL-2.0
#include "kernelish.h"
#define MY_SITE() asm volatile("1:\n.pushsection .my_table,\"a\"\n.long 1b - .\n.popsection")

int foo(int x)
{
	MY_SITE();
	return x + 1;
}
