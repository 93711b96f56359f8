// SPDX-License-Identifier: GPL-2.0
#include "kernelish.h"
int foo(int x)
{
	if (WARN_ON(x > 10))
		return 10;
	return x;
}

int bar(int x)
{
	return x + 2;
}
