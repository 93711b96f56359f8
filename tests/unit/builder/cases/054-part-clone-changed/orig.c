// SPDX-License-Identifier: GPL-2.0
#include "kernelish.h"
struct obj {
	int a, b, c[16];
};

static int work(struct obj *o, int n)
{
	int s = 0;

	if (__builtin_expect(!o, 1))
		return 0;
	for (int i = 0; i < n; i++) {
		s += o->c[i & 15] * o->a;
		if (s > 1000)
			printk("big %d\n", s);
		o->b ^= s;
	}
	printk("done %d\n", s);
	printk("done %d\n", s + 1);
	printk("done %d\n", s + 2);
	return s;
}

int user1(struct obj *o, int n)
{
	return work(o, n) + 1;
}

int user2(struct obj *o, int n)
{
	return work(o, n * 2) + 2;
}

int user3(struct obj *o, int n)
{
	return work(o, n * 3) + 2;
}
