// SPDX-License-Identifier: GPL-2.0
#include "kernelish.h"
static int mode = 3;

void set_mode(int m)
{
	mode = m;
}

int foo(void)
{
	return mode;
}
