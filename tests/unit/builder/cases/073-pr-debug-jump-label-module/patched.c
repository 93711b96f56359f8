// SPDX-License-Identifier: GPL-2.0
#include "kernelish.h"
int foo(int x)
{
	pr_debug_jl("foo %d\n", x);
	return x + 3;
}

int bar(int x)
{
	pr_debug_jl("bar %d\n", x);
	return x + 2;
}
