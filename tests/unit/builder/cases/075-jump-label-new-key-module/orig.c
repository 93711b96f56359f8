// SPDX-License-Identifier: GPL-2.0
#include "kernelish.h"
int foo(int x)
{
	return x;
}
