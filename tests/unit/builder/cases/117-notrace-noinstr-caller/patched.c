// SPDX-License-Identifier: GPL-2.0
#include "kernelish.h"
static noinline notrace long helper(long x)
{
	int i, s = 0;

	for (i = 0; i < x; i++)
		s += printk("%d", i);
	return s + 2;
}

noinstr long enter(long x)
{
	return helper(x) + 1;
}

long use(long x)
{
	return helper(x) + 2;
}
