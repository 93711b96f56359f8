// SPDX-License-Identifier: GPL-2.0
#include "kernelish.h"
int __init setup_thing(int x)
{
	return x + 2;
}

int foo(int x)
{
	return x;
}
