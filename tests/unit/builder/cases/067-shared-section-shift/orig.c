// SPDX-License-Identifier: GPL-2.0
#include "kernelish.h"
static noinline __sched int helper(int x)
{
	return x * 7 + 3;
}

int __sched grows(int x)
{
	return x + 1;
}

int __sched caller(int x)
{
	printk("caller %d\n", x);
	return helper(x) + 1;
}
