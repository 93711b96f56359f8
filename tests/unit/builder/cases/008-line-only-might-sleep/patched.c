// SPDX-License-Identifier: GPL-2.0
#include "kernelish.h"
/* two lines
   that move the code below */
int foo(int x)
{
	might_sleep();
	return x + 1;
}
