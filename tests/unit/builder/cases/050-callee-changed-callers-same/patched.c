// SPDX-License-Identifier: GPL-2.0
#include "kernelish.h"
noinline int foo(int x)
{
	return x + 100;
}

int bar(int y)
{
	return foo(y) * 2;
}
