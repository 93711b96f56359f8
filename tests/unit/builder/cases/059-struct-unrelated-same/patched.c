// SPDX-License-Identifier: GPL-2.0
#include "kernelish.h"
struct point {
	int x, y;
};

int foo(struct point *p)
{
	return p->x - p->y;
}
