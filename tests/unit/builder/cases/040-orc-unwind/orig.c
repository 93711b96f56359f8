// SPDX-License-Identifier: GPL-2.0
#include "kernelish.h"
int foo(int x)
{
	orc_entry();
	return x + 1;
}

int bar(int x)
{
	orc_entry();
	return x + 2;
}
