// SPDX-License-Identifier: GPL-2.0
#include "kernelish.h"
static noinline int clamp(int x)
{
	return x > 100 ? 100 : x;
}

int foo(int x)
{
	return clamp(x) + 1;
}
