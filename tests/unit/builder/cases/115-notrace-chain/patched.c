// SPDX-License-Identifier: GPL-2.0
#include "kernelish.h"
static noinline notrace long helper(long x)
{
	int i, s = 0;

	for (i = 0; i < x; i++)
		s += printk("%d", i);
	return s + 2;
}

static noinline notrace long mid(long x)
{
	return helper(x) * 3;
}

long a(long x)
{
	return mid(x) + 1;
}

long b(long x)
{
	return mid(x + 1) + 1;
}
