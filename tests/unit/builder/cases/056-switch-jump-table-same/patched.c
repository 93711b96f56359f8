// SPDX-License-Identifier: GPL-2.0
#include "kernelish.h"
int foo(int x)
{
	switch (x) {
	case 0: return printk("zero\n");
	case 1: return printk("one\n") + 1;
	case 2: return printk("two\n") * 2;
	case 3: return x << 4;
	case 4: return printk("four\n") - 4;
	case 5: return x * 77;
	case 6: return printk("six\n") ^ 6;
	default: return -1;
	}
}

int bar(int y)
{
	return y + 6;
}
