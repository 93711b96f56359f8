// SPDX-License-Identifier: GPL-2.0
#include "kernelish.h"
int foo(int x)
{
	WARN_ONCE(x > 5, "foo too big\n");
	return x;
}

int bar(int x)
{
	WARN_ONCE(x > 6, "bar too big\n");
	return x + 3;
}
