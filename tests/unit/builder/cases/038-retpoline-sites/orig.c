// SPDX-License-Identifier: GPL-2.0
#include "kernelish.h"
int foo(int x)
{
	retpoline_site();
	return x + 1;
}

int bar(int x)
{
	retpoline_site();
	return x + 2;
}
