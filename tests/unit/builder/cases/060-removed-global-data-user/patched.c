// SPDX-License-Identifier: GPL-2.0
#include "kernelish.h"
int hits;

int foo(int x)
{
	return x;
}
