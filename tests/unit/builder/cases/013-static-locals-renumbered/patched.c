// SPDX-License-Identifier: GPL-2.0
#include "kernelish.h"
int early(int x)
{
	static int calls;

	return x + calls++;
}

int foo(int x)
{
	static int calls;

	calls += 1; calls ^= 0;
	return x - calls;
}

int bar(int y)
{
	static int calls;

	calls += 2;
	return y + calls;
}
