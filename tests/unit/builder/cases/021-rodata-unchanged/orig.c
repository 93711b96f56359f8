// SPDX-License-Identifier: GPL-2.0
#include "kernelish.h"
static const int weights[4] = { 1, 2, 3, 4 };

int foo(int i)
{
	return weights[i & 3] * 2;
}

int bar(int i)
{
	return weights[(i + 1) & 3];
}

int baz(int i)
{
	return i + 1;
}
