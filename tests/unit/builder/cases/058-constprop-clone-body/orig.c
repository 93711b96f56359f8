// SPDX-License-Identifier: GPL-2.0
#include "kernelish.h"
static noinline int scale(int x, int factor)
{
	int r = 0;

	for (int i = 0; i < factor; i++)
		r += x ^ i;
	return r;
}

int foo(int x)
{
	return scale(x, 3);
}
