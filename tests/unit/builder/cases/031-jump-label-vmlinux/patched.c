// SPDX-License-Identifier: GPL-2.0
#include "kernelish.h"
struct static_key fast_key;

int foo(int x)
{
	if (static_branch_unlikely(&fast_key))
		return x * 3;
	return x;
}

int bar(int x)
{
	if (static_branch_unlikely(&fast_key))
		return x - 2;
	return x;
}
