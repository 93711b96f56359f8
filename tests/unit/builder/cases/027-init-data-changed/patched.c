// SPDX-License-Identifier: GPL-2.0
#include "kernelish.h"
int __initdata boot_level = 2;

int foo(int x)
{
	return x;
}
