// SPDX-License-Identifier: GPL-2.0
#include "kernelish.h"
int foo(int x)
{
	return x * 3 + 1;
}

int bar(int y)
{
	return y - 7;
}

int baz(int z)
{
	return z + 12;
}
