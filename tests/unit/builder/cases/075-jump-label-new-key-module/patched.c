// SPDX-License-Identifier: GPL-2.0
#include "kernelish.h"
struct static_key new_key;

int foo(int x)
{
	if (static_branch_unlikely(&new_key))
		return x * 2;
	return x;
}
