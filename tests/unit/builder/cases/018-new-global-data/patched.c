// SPDX-License-Identifier: GPL-2.0
#include "kernelish.h"
int newcount = 5;

int foo(int x)
{
	newcount += x;
	return x;
}
