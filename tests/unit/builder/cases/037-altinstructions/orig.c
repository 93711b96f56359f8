// SPDX-License-Identifier: GPL-2.0
#include "kernelish.h"
int foo(int x)
{
	ALTERNATIVE("nop", "pause", 42);
	return x + 1;
}

int bar(int x)
{
	ALTERNATIVE("nop", "pause", 43);
	return x + 2;
}
