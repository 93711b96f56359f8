// SPDX-License-Identifier: GPL-2.0
/* resolve tests: "b.c", with statics named like a.c's; b_one() changes */
#include "kernelish.h"

static int counter;
static int b_state;

static noinline int helper(int x)
{
	counter -= x;
	b_state++;
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
