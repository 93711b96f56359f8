// SPDX-License-Identifier: GPL-2.0
#include "kernelish.h"
int foo(int x)
{
	static int calls;

	calls++;
	return x + calls;
}

int bar(int y)
{
	static int calls;

	calls += 2;
	return y + calls;
}
