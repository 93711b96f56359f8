// SPDX-License-Identifier: GPL-2.0
#include "kernelish.h"
int table[8];

int foo(int i)
{
	return table[i & 7];
}
