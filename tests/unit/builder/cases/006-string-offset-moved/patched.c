// SPDX-License-Identifier: GPL-2.0
#include "kernelish.h"
void bar(int x)
{
	printk("a new first message\n");
	printk("bar %d\n", x);
}

void foo(int x)
{
	printk("foo %d\n", x);
}
