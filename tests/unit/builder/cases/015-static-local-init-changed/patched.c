// SPDX-License-Identifier: GPL-2.0
#include "kernelish.h"
int foo(int x)
{
	static int seed = 2;

	seed = seed * 31 + x;
	return seed;
}
