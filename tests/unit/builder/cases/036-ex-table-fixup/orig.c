// SPDX-License-Identifier: GPL-2.0
#include "kernelish.h"
int foo(int *p)
{
	int v;

	EX_LOAD_FIXUP(v, p);
	return v;
}

int bar(int *p)
{
	int v;

	EX_LOAD_FIXUP(v, p);
	return v + 1;
}
