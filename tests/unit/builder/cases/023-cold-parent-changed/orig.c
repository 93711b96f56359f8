// SPDX-License-Identifier: GPL-2.0
#include "kernelish.h"
int foo(int x)
{
	int r = x * 2;

	if (unlikely(x < 0)) {
		slowpath(x);
		printk("negative %d\n", x);
		return -1;
	}
	return r + 1;
}
