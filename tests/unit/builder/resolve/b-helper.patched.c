// SPDX-License-Identifier: GPL-2.0
/* resolve tests: b.c with its helper() changed (a.c has a helper() too) */
#include "kernelish.h"

static int counter;
static int b_state;

static noinline int helper(int x)
{
	counter -= x;
	b_state += 2;
	return x + 2;
}

int b_one(int x)
{
	return helper(x) * 5 + counter;
}

int b_two(int x)
{
	return helper(x) - 7;
}
