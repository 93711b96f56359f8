// SPDX-License-Identifier: GPL-2.0
#include "kernelish.h"
int foo(int *p)
{
	atomic_inc(p);
	return *p;
}

int bar(int *p)
{
	atomic_inc(p);
	return *p + 1;
}
