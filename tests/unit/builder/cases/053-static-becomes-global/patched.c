// SPDX-License-Identifier: GPL-2.0
#include "kernelish.h"
noinline int helper(int x)
{
	return x * 9;
}

int foo(int x)
{
	return helper(x);
}
