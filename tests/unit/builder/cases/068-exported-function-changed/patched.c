// SPDX-License-Identifier: GPL-2.0
#include "kernelish.h"
int foo(int x)
{
	return x + 5;
}
EXPORT_SYMBOL(foo);

int bar(int x)
{
	return x + 2;
}
EXPORT_SYMBOL(bar);
