// SPDX-License-Identifier: GPL-2.0
#include "kernelish.h"
static noinline notrace long helper(long x)
{
	int i, s = 0;

	for (i = 0; i < x; i++)
		s += printk("%d", i);
	return s + 2;
}

int __init setup(void)
{
	return helper(3);
}

long use(long x)
{
	return helper(x) + 1;
}
