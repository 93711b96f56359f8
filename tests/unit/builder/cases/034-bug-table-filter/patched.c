// SPDX-License-Identifier: GPL-2.0
#include "kernelish.h"
int foo(int x)
{
	if (x < 0)
		BUG();
	return x + 1;
}

int bar(int x)
{
	WARN_ON(x > 10);
	return x;
}
