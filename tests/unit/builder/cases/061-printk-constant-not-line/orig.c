// SPDX-License-Identifier: GPL-2.0
#include "kernelish.h"
void foo(int x)
{
	printk("%d %d\n", x, 5);
}
