// SPDX-License-Identifier: GPL-2.0
#include "kernelish.h"
int work(int *p, int n);

static noinline int helper(int *p, int n, int unused)
{
	int s = 0;

	for (int i = 0; i < n; i++)
		s += p[i] * 3;
	return s;
}

int foo(int *p, int n)
{
	return helper(p, n, 0) + 1;
}
