// SPDX-License-Identifier: GPL-2.0
#include "kernelish.h"
static noinline int old_helper(int x)
{
	return x * 7;
}

int foo(int x)
{
	return old_helper(x) + 1;
}
