// SPDX-License-Identifier: GPL-2.0
#include "kernelish.h"
static int __do_thing(int x)
{
	return x + 2;
}
int thing_a(int x) __attribute__((alias("__do_thing")));
int thing_b(int x) __attribute__((alias("__do_thing")));
