// SPDX-License-Identifier: GPL-2.0
/* resolve tests: "c.c", the rest of the kernel a.c and special.c use */
#include "kernelish.h"

struct static_key hidden_key;
int __SCK__hidden;

int hidden_global(int x)
{
	return x ^ 0x55;
}

int exported_fn(int x)
{
	return x + 0x33;
}

void __SCT__hidden(void)
{
}
