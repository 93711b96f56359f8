// SPDX-License-Identifier: GPL-2.0
/* resolve tests: a.c with foo() changed */
#include "kernelish.h"

static int counter;			/* b.c has one too */
static int a_state;
int exported_fn(int x);			/* c.c, exported (Module.symvers) */
int hidden_global(int x);		/* c.c, not exported */

static noinline int helper(int x)	/* b.c has one too */
{
	counter += x;
	a_state++;
	return x + 1;
}

static noinline int a_unique(int x)
{
	return x * 7 + a_state;
}

int a_one(int x)
{
	return helper(x) * 2 + a_unique(x);
}

int foo(int x)
{
	static int calls;

	calls++;
	return helper(x) + counter + a_unique(x) + hidden_global(x) +
	       exported_fn(x) + calls * 3 + printk("foo");
}

int a_two(int x)
{
	return helper(x) - 1;
}
