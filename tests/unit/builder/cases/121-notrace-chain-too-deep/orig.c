// SPDX-License-Identifier: GPL-2.0
#include "kernelish.h"
static noinline notrace long helper(long x)
{
	return printk("%ld", x) + 1;
}

static noinline notrace long m1(long x)
{
	return helper(x) * 3;
}

static noinline notrace long m2(long x)
{
	return m1(x) * 3;
}

static noinline notrace long m3(long x)
{
	return m2(x) * 3;
}

static noinline notrace long m4(long x)
{
	return m3(x) * 3;
}

static noinline notrace long m5(long x)
{
	return m4(x) * 3;
}

long a(long x)
{
	return m5(x) + 1;
}
