// SPDX-License-Identifier: GPL-2.0
#include "kernelish.h"
struct pair {
	int a;
	int b;
};

int foo(struct pair *p)
{
	return p->a - p->b;
}
