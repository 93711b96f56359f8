// SPDX-License-Identifier: GPL-2.0
#include "kernelish.h"
int foo(int x)
{
	WARN_ON(x > 10);
	return x;
}

int bar(int x)
{
	WARN_ON(x < 0);
	return x;
}
