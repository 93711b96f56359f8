// SPDX-License-Identifier: GPL-2.0
#include "kernelish.h"
/* moved */

int foo(int x)
{
	if (x < 0)
		BUG();
	return x;
}
