// SPDX-License-Identifier: GPL-2.0
#include "kernelish.h"
int foo(int x)
{
	/* a comment inside the function */
	might_sleep();
	return x + 1;
}
