// SPDX-License-Identifier: GPL-2.0
#include "kernelish.h"
void foo(int x)
{
	printk("%s: %d\n", __func__, x);
}

void bar(int x)
{
	printk("%s: %d\n", __func__, x + 2);
}
