// SPDX-License-Identifier: GPL-2.0
#include "kernelish.h"
int limit = 11;

int foo(int x)
{
	return x < limit;
}
